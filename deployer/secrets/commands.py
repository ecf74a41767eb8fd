"""What the `deployer secret` commands do; deployer/cli.py only parses their options."""

from collections.abc import Callable
from dataclasses import dataclass

from deployer.clouds import registered
from deployer.console import Console
from deployer.errors import DeployerError, Finding, SpecInvalid, UsageError, quoted
from deployer.secrets.file_store import FileStore
from deployer.secrets.local_override import local_overrides
from deployer.secrets.resolution import secret_sources
from deployer.secrets.scopes import Scope, type_scopes
from deployer.secrets.stores import open_store, store_place
from deployer.speclang.environments import EnvInfo
from deployer.speclang.load import Spec, resolve
from deployer.speclang.model import Infra
from deployer.speclang.validation import model_findings


@dataclass(frozen=True)
class ValueLimit:
    """The most bytes a value may have, and who says so."""

    bytes: int
    keeper: str  # e.g. "GCP keeps secret values of at most 65,536 bytes (URL), and prod deploys to GCP"

    def refused(self, name: str, size: int | None = None) -> DeployerError:
        """The refusal of a value of SIZE bytes (None: more than were read)."""
        told = f"{size:,} bytes" if size is not None else f"over {self.bytes:,} bytes"
        return DeployerError(f"the value of {name} is {told}: {self.keeper}")


# What `secret set` reads at most where no cloud keeps the value (a local environment's, in the file store).
READ_LIMIT = ValueLimit(1024 * 1024, "deployer reads secret values of at most 1,048,576 bytes")


@dataclass
class SecretList:
    """What `deployer secret list` found: per secret, where it has values (never the values)."""

    store: str             # the store's label
    env: str | None
    secrets: list[dict]    # {name, declared, description, types, envs, usedBy[, resolvedFrom with an env]}


def set_value(spec: Spec, name: str, types: str | None, env: str | None,
              read_value: Callable[[str, ValueLimit], str], console: Console) -> None:
    """Store the value READ_VALUE(name, limit) gives (never more than limit's bytes) for the scopes given."""
    scopes = _scopes(spec, types, env)
    settings = _settings(spec, env, scopes)
    _require_declared(settings, spec, name, scopes)
    value = read_value(name, _value_limit(spec, scopes))
    if "\0" in value:  # not quoted back: it is the secret
        raise UsageError(f"the value given for {name} holds a NUL byte, which no environment variable can carry")
    store = open_store(spec.file, settings, console.info)
    store.write(name, scopes, value)
    console.info(f"set {name} for {_joined(scopes)} in {store.label}")


def unset_value(spec: Spec, name: str, types: str | None, env: str | None, console: Console) -> None:
    scopes = _scopes(spec, types, env)
    settings = _settings(spec, env, scopes)
    store = open_store(spec.file, settings, console.info)
    if name not in store.locations():
        _require_declared(settings, spec, name, scopes)
    removed = store.remove(name, scopes)
    kept = [s for s in scopes if s not in removed]
    if removed:
        console.info(f"removed {name} for {_joined(removed)} from {store.label}")
    if kept:
        console.info(f"{name} had no value for {_joined(kept)}")


def list_values(spec: Spec, env: str | None) -> SecretList:
    settings = _settings(spec, env)
    store = open_store(spec.file, settings)
    locations = store.locations()
    names = sorted(set(settings.secrets) | set(locations))
    used_by = {n: sorted(s for s, service in settings.services.items() if n in service.uses.secrets) for n in names}
    sources = {}
    if env:
        info = spec.environment(env)
        local = local_overrides(spec.file, set(settings.secrets)) if info.type == "local" else {}
        sources = secret_sources(info, names, store, spec.file, local)
    rows = []
    for name in names:
        scopes = sorted(locations.get(name, set()))
        row = {"name": name, "declared": name in settings.secrets,
               "description": settings.secrets[name].description if name in settings.secrets else None,
               "types": [s.name for s in scopes if s.kind == "type"],
               "envs": [s.name for s in scopes if s.kind == "env"],
               "usedBy": used_by[name]}
        if env:
            row["resolvedFrom"] = str(sources[name]) if sources[name] else None
        rows.append(row)
    return SecretList(store.label, env, rows)


def add_recipient(spec: Spec, key: str, console: Console) -> None:
    store = open_store(spec.file, _settings(spec), console.info)
    if not isinstance(store, FileStore):
        raise UsageError(f"recipients belong to the file store; this spec keeps its secrets in {store.label}, "
                         "where access is granted with the cloud's IAM")
    count = store.add_recipient(key)
    console.info(f"re-encrypted {count} value(s) of {store.label} for {len(store.recipients())} recipient(s)")


def _settings(spec: Spec, env: str | None = None, scopes: list[Scope] | tuple = ()) -> Infra:
    """The spec whose `secretStore` keeps the values, as a model (with its declared secrets): ENV's;
    for type scopes, that of the environments of those types (an environment may override
    `secretStore`, and `up` reads the environment's store); else the base spec."""
    if env is not None:
        return resolve(spec, env).spec
    base = _valid(spec, spec.base)
    types = {scope.name for scope in scopes if scope.kind == "type"}
    typed = {info.name: _store_settings(spec, info) for info in spec.every_environment() if info.type in types}
    places = {name: store_place(settings) for name, settings in typed.items()}
    if len(set(places.values())) > 1:
        where = ", ".join(f"{name}: {' '.join(place)}" for name, place in places.items())
        raise UsageError(f"the environments of {_joined(scopes)} keep their secrets in different stores ({where}): "
                         "set the value for each environment with --env")
    return next(iter(typed.values()), base)


def _store_settings(spec: Spec, info: EnvInfo) -> Infra:
    """What ENV says of its secrets and their store (the rest of its spec need not be valid for that)."""
    data = spec.merged(info)
    return _valid(spec, model_findings({key: data[key] for key in ("app", "secrets", "secretStore", *registered())
                                        if key in data}))


def _valid(spec: Spec, checked: tuple[Infra | None, list[Finding]]) -> Infra:
    """The model of a (model, findings) pair, or its findings as located problems."""
    model, findings = checked
    if model is None:
        raise SpecInvalid([spec.problem(path, message) for path, message in findings])
    return model


def _require_declared(settings: Infra, spec: Spec, name: str, scopes: list[Scope]) -> None:
    """NAME is declared by the base spec, or by the overrides of an environment SCOPES cover (the
    name `up` asks a value of)."""
    if name in settings.secrets:
        return
    if not any(name in resolve(spec, env.name).spec.secrets for env in _covered(spec, scopes)):
        declared = ", ".join(sorted(settings.secrets)) or "none"
        raise DeployerError(f"{quoted(name)} is not a secret of {spec.file.name} (declared: {declared}); "
                            "declare it under `secrets:` first")


def _covered(spec: Spec, scopes: list[Scope]) -> list[EnvInfo]:
    """The environments that get a value set for SCOPES, by name."""
    covered = {env.name: env for env in spec.environments().values()
               if Scope("type", env.type) in scopes or Scope("env", env.name) in scopes}
    return [covered[name] for name in sorted(covered)]


def _value_limit(spec: Spec, scopes: list[Scope]) -> ValueLimit:
    """READ_LIMIT, or the least limit of the clouds whose secret managers keep the value (`up` would
    fail there, long after this command)."""
    limits = []
    for env in _covered(spec, scopes):
        target = registered().get(env.provider)
        if env.deployable and target and (limit := target.max_secret_bytes):
            limits.append(ValueLimit(limit[0], f"{target.title} keeps secret values of at most {limit[0]:,} bytes "
                                               f"({limit[1]}), and {env.name} deploys to {target.title}"))
    return min([*limits, READ_LIMIT], key=lambda limit: limit.bytes)  # the first of the least: a cloud's


def _scopes(spec: Spec, types: str | None, env: str | None) -> list[Scope]:
    if (types is None) == (env is None):
        raise UsageError("give either --type T[,T…] (production|prod, development|dev, preview|pr, local) "
                         "or --env ENV")
    if types is not None:
        return type_scopes(types)
    return [Scope("env", spec.environment(env).name)]


def _joined(scopes: list[Scope]) -> str:
    return ", ".join(map(str, scopes))
