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


@dataclass
class SecretList:
    """What `deployer secret list` found: per secret, where it has values (never the values)."""

    store: str             # the store's label
    env: str | None
    secrets: list[dict]    # {name, declared, description, types, envs, usedBy[, resolvedFrom with an env]}


def set_value(spec: Spec, name: str, types: str | None, env: str | None, read_value: Callable[[str], str],
              console: Console) -> None:
    scopes = _scopes(spec, types, env)
    settings = _settings(spec, env, scopes)
    _require_declared(settings, spec, name, scopes)
    value = read_value(name)
    _require_fitting(spec, name, scopes, value)
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
    covered = {scope.name for scope in scopes if scope.kind == "env"}
    covered |= {env.name for env in spec.environments().values() if Scope("type", env.type) in scopes}
    if not any(name in resolve(spec, env).spec.secrets for env in sorted(covered)):
        declared = ", ".join(sorted(settings.secrets)) or "none"
        raise DeployerError(f"{quoted(name)} is not a secret of {spec.file.name} (declared: {declared}); "
                            "declare it under `secrets:` first")


def _require_fitting(spec: Spec, name: str, scopes: list[Scope], value: str) -> None:
    """VALUE fits the secret manager of every cloud the environments SCOPES cover deploy it to (`up`
    would fail there, long after this command)."""
    size = len(value.encode())
    envs = [spec.environment(scope.name) for scope in scopes if scope.kind == "env"]
    envs += [info for info in spec.every_environment() if Scope("type", info.type) in scopes]
    for info in envs:
        target = registered().get(info.provider)
        if info.deployable and target and target.max_secret_bytes and size > (limit := target.max_secret_bytes)[0]:
            raise DeployerError(f"the value of {name} is {size:,} bytes: {target.title} keeps secret values of at "
                                f"most {limit[0]:,} bytes ({limit[1]}), and {info.name} deploys to {target.title}")


def _scopes(spec: Spec, types: str | None, env: str | None) -> list[Scope]:
    if (types is None) == (env is None):
        raise UsageError("give either --type T[,T…] (production|prod, development|dev, preview|pr, local) "
                         "or --env ENV")
    if types is not None:
        return type_scopes(types)
    return [Scope("env", spec.environment(env).name)]


def _joined(scopes: list[Scope]) -> str:
    return ", ".join(map(str, scopes))
