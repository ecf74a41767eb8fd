"""Clouds: each is one package (`deployer.providers.NAME`, whose `cloud` module holds `CLOUD`) behind
the `Cloud` interface, reached only through this registry. The core never names a cloud: it asks
the environment's cloud.

A cloud's module imports no cloud SDK at import time: `program()` and `secret_store()` load theirs
when called, so `validate` stays fast and works without them.
"""

from __future__ import annotations

import importlib
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Mapping
from functools import cache
from typing import TYPE_CHECKING

from deployer.errors import Finding, PreconditionMissing, UsageError, quoted
from deployer.extras import LOCAL, require
from deployer.speclang.naming import ResourceName, physical_name

if TYPE_CHECKING:
    from pathlib import Path

    import pulumi

    from deployer.local.stack import LocalStack
    from deployer.secrets.store import SecretStore
    from deployer.speclang.environments import EnvInfo
    from deployer.speclang.model import Infra
    from deployer.speclang.resolved import ResolvedEnv

# The program: creates every resource of the environment and exports its outputs. `secrets` maps
# each secret some service uses to its value (a Pulumi secret).
Program = Callable[["ResolvedEnv", Mapping[str, "pulumi.Input[str]"]], None]
# Mock runtime answers in the cloud's own formats (ARNs, self links, URLs), for `plan`:
# (type, logical name, inputs) -> (id, outputs), and (function token, arguments) -> result.
MockState = Callable[[str, str, dict], tuple[str, dict]]
MockCall = Callable[[str, dict], dict]

# A value of a plan that only a deploy can tell (as Terraform's "(known after apply)").
UNKNOWN = "(known after deploy)"

# Each built-in cloud's package: its `cloud` module holds `CLOUD`, its `settings` module its `BLOCKS` in
# the spec (imported by the model, before any cloud: it imports nothing of the cloud but its blocks).
BUILT_IN = ("deployer.providers.aws", "deployer.providers.gcp")


class Cloud(ABC):
    """Everything deployer knows of one cloud."""

    name: str  # as the spec writes it (`provider: aws`); also the key of its settings and sizing knobs
    primitives: frozenset[str]  # the sections (deployer.primitives) its program creates
    title: str  # as messages name it
    name_limits: Mapping[str, int]  # the longest physical name of each kind of resource
    required_settings: Mapping[str, str] = {}  # settings an environment on this cloud needs: field -> example
    store_settings: Mapping[str, str] = {}  # settings its secret store needs: field -> example
    replaced_on: Mapping[str, frozenset[str]] = {}  # per Pulumi type, the inputs whose change replaces it
    # per Pulumi type of a resource that holds data: what `diff` calls it, and what deleting it loses
    holds_data: Mapping[str, tuple[str, str]] = {}
    # per Pulumi type, the inputs whose in-place change a reviewer must know of, and what it does
    # (a database's major version upgrade)
    changes_noted: Mapping[str, Mapping[str, str]] = {}
    credentials_hint: str = ""  # how to give deployer credentials, where none are found
    # What its parts import, installed by pyproject's extras (`deployer doctor` checks them; a command
    # lacking them names the install command): the program's SDK and the secret store's client in
    # the extra named `extra`, `deployer dev`'s servers and their clients in the `local` extra.
    extra: str = ""
    sdk_modules: tuple[str, ...] = ()
    local_modules: tuple[str, ...] = ()

    def require_sdk(self) -> None:
        require(self.extra, f"{self.title}'s SDK", self.sdk_modules)

    def require_local(self) -> None:
        require(LOCAL, f"the local servers of {self.title}-shaped environments", self.local_modules)

    def local_programs(self) -> Mapping[str, tuple[str | None, str]]:
        """Programs beyond Python packages that `deployer dev` needs for some specs: what each serves ->
        (where it was found, or None; how to install it)."""
        return {}
    # The largest secret value its secret manager keeps, in bytes, and the page that says so
    max_secret_bytes: tuple[int, str] | None = None

    def physical_name(self, kind: str, app: str, env: str, name: str, suffix: str = "") -> str:
        """`APP-ENV-NAME` plus `suffix`, within this cloud's limit for `kind`."""
        return physical_name(app, env, name, self.name_limits[kind], suffix)

    def rules(self, spec: Infra, env: EnvInfo) -> Iterable[Finding]:
        """What this cloud cannot honour in SPEC as environment ENV deploys it, each located at its
        spec path."""
        return ()

    def resource_names(self, spec: Infra, env_name: str) -> Iterable[ResourceName]:
        """The names environment ENV_NAME's program gives: each resource's physical name (with the
        problem this cloud's rules find in it) and its URN, from the one source the program names
        them with (the cloud's naming.py); `validate` refuses what two resources would share."""
        return ()

    def failure_hint(self, env: ResolvedEnv, message: str) -> str | None:
        """The fix for an engine failure whose MESSAGE shows a cause this cloud knows (a switched-off
        API, say), for ENV."""
        return None

    def notes(self, env: ResolvedEnv, neighbours: Iterable[ResolvedEnv]) -> Iterable[str]:
        """What to know before ENV is deployed that its spec cannot show (a quota its previews may pass),
        beside NEIGHBOURS, the spec's other environments on this cloud (resolved as iterated)."""
        return ()

    def type_defaults(self, env_type: str) -> Mapping[str, dict]:
        """Per top-level section, what every entry of it gets under an environment type (the
        sizing knobs under this cloud's key), e.g. {"caches": {"aws": {"nodeType": …}}}."""
        return {}

    @abstractmethod
    def stack_config(self, env: ResolvedEnv) -> dict[str, str]:
        """The Pulumi stack configuration of the cloud's default provider."""

    @abstractmethod
    def has_credentials(self, environ: Mapping[str, str]) -> bool:
        """Whether the cloud's SDK would find credentials (nothing is called)."""

    @abstractmethod
    def program(self) -> Program:
        """The Pulumi program (its SDK is imported here, not before)."""

    @abstractmethod
    def mocks(self) -> tuple[MockState, MockCall]:
        """Fresh mock answers for one offline run of the program."""

    def shown_planned(self, planned: str) -> str:
        """A value of a plan as a reader is shown it: each part the mocks made up for what only the cloud
        knows written as what it stands for (`<account>`), or, where the cloud assigns the whole value (an
        address), `(known after deploy)`."""
        return planned

    def known_before_deploy(self, planned: str) -> bool:
        """Whether a value of a plan's outputs is the one a deploy gives, not one the mocks made up."""
        return self.shown_planned(planned) == planned

    def secret_store(self, spec: Infra) -> SecretStore | None:
        """The cloud's secret manager as deployer's secret store (`secretStore: NAME`), if it has one."""
        return None

    def local(self, env: ResolvedEnv, base_port: int, data: Path) -> LocalStack:
        """ENV (a `local` environment) on local servers that speak this cloud's protocols, for `deployer
        dev`: its servers take ports from BASE_PORT on and keep their data under DATA. Its module, and
        the servers' packages, load here."""
        raise PreconditionMissing(f"`deployer dev` cannot run a {self.title} environment: {self.title} has no "
                                  "local servers")

    # Encore's infra config (encore.py): the cloud's parts of its `redis`, `pubsub` and `object_storage`.
    # Whether a client must skip TLS hostname verification to reach the cloud's caches and databases (their
    # certificates do not name the host the outputs give).
    encore_tls_hostname_unverifiable: bool = False

    def encore_pubsub(self, env: ResolvedEnv) -> dict:
        return {}

    def encore_topic(self, outputs: dict) -> dict:
        return {}

    def encore_subscription(self, outputs: dict, service: dict) -> dict:
        """A subscription from its OUTPUTS and those of the SERVICE subscribing; raises
        `encore.NotInEncore` for one Encore cannot express."""
        return {}

    def encore_storage(self, env: ResolvedEnv) -> dict:
        return {}

    def container_secrets(self, identity: str, variables: Mapping[str, str]) -> dict:
        """The part of a container's definition on this cloud's container platform that runs it as IDENTITY
        with each environment variable of VARIABLES filled from the cloud secret it names
        (`deployer outputs --format container`)."""
        raise UsageError(f"--format container: deployer knows no container platform of {self.title}")


_registered: dict[str, Cloud] = {}


def register(cloud: Cloud) -> None:
    """Add a cloud beside the built-in ones (or replace one of the same name)."""
    _registered[cloud.name] = cloud


@cache
def _built_in() -> dict[str, Cloud]:
    clouds = (importlib.import_module(f"{package}.cloud").CLOUD for package in BUILT_IN)
    return {cloud.name: cloud for cloud in clouds}


@cache
def spec_blocks() -> dict[str, dict[str, tuple[type, str]]]:
    """Per built-in cloud (by the name its package has, which is the cloud's), its blocks in the spec:
    section -> (model, description), "" for the top-level block."""
    return {package.rsplit(".", 1)[1]: importlib.import_module(f"{package}.settings").BLOCKS for package in BUILT_IN}


def registered() -> dict[str, Cloud]:
    """Every known cloud by name."""
    return {**_built_in(), **_registered}


def type_defaults(env_type: str) -> dict[str, dict]:
    """Every cloud's defaults for an environment type, by section (each under its cloud's key, so an
    environment's sizing is known whichever cloud an override moves it to)."""
    merged: dict[str, dict] = {}
    for known in registered().values():
        for section, entry in known.type_defaults(env_type).items():
            merged.setdefault(section, {}).update(entry)
    return merged


def cloud(name: str) -> Cloud:
    """The cloud named NAME, or a usage error naming the known ones."""
    clouds = registered()
    if name not in clouds:
        raise UsageError(f"unknown provider {quoted(name)} (known: {', '.join(sorted(clouds))})")
    return clouds[name]
