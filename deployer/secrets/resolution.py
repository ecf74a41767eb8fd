"""Which value an environment gets: its own, else its type's; for `local` environments the local
override file wins over both (SPEC.md, "Secrets")."""

from dataclasses import dataclass
from pathlib import Path

from deployer.errors import PreconditionMissing, display_path
from deployer.secrets.local_override import local_override_file, local_overrides
from deployer.secrets.scopes import Scope
from deployer.secrets.store import SecretStore
from deployer.secrets.stores import open_store
from deployer.speclang.environments import EnvInfo
from deployer.speclang.resolved import ResolvedEnv


@dataclass(frozen=True)
class Source:
    """Where an environment's value of a secret comes from: a store scope, or the local file."""

    scope: Scope | None
    local_file: Path | None = None

    def __str__(self) -> str:
        return display_path(self.local_file) if self.scope is None else str(self.scope)


def secret_sources(info: EnvInfo, names: list[str], store: SecretStore, spec_file: Path,
                   local: dict[str, str]) -> dict[str, Source | None]:
    """NAME -> where ENV's value comes from, or None where it has none. Decrypts nothing."""
    locations = store.locations()
    local_file = local_override_file(spec_file) if info.type == "local" else None
    sources: dict[str, Source | None] = {}
    for name in names:
        scopes = locations.get(name, set())
        if local_file is not None and name in local:
            sources[name] = Source(None, local_file)
        elif (own := Scope("env", info.name)) in scopes:
            sources[name] = Source(own)
        elif (by_type := Scope("type", info.type)) in scopes:
            sources[name] = Source(by_type)
        else:
            sources[name] = None
    return sources


class MissingSecrets(PreconditionMissing):
    """Secrets the services of an environment use that have no value for it (exit 4)."""

    def __init__(self, env: ResolvedEnv, missing: list[str], spec_file: Path):
        spec = "" if spec_file.parent.resolve() == Path.cwd().resolve() else f" --spec {display_path(spec_file)}"
        lines = [f"{len(missing)} secret(s) used by the services of {env.name} have no value for it:"]
        for name in missing:
            lines.append(f"  {name}: deployer{spec} secret set --env {env.name} {name}"
                         f"   (or --type {env.type} for every {env.type} environment)")
        if env.type == "local":
            lines.append(f"  or give them in {display_path(spec_file.parent / '.secrets.local.yaml')} "
                         "(NAME: \"value\")")
        super().__init__("\n".join(lines))
        self.missing = missing


def missing_secrets(env: ResolvedEnv, spec_file: Path | None = None) -> list[str]:
    """The secrets ENV's services use that have no value for ENV (nothing is decrypted)."""
    spec_file = spec_file or env.spec_file
    sources = _sources(env, spec_file)[0]
    return [name for name, source in sources.items() if source is None]


def resolve_secret_values(env: ResolvedEnv, spec_file: Path | None = None) -> dict[str, str]:
    """NAME -> value for every secret ENV's services use; MissingSecrets where any has none."""
    spec_file = spec_file or env.spec_file
    sources, store, local = _sources(env, spec_file)
    missing = [name for name, source in sources.items() if source is None]
    if missing:
        raise MissingSecrets(env, missing, spec_file)
    values = {}
    for name, source in sources.items():
        value = local[name] if source.scope is None else store.read(name, source.scope)
        if value is None:  # removed between listing and reading
            raise MissingSecrets(env, [name], spec_file)
        values[name] = value
    return values


def _sources(env: ResolvedEnv, spec_file: Path):
    store = open_store(spec_file, env.spec)
    local = local_overrides(spec_file, set(env.spec.secrets)) if env.type == "local" else {}
    return secret_sources(env.info, env.spec.used_secrets(), store, spec_file, local), store, local
