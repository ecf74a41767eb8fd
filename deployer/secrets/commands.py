"""What the `deployer secret` commands do; deployer/cli.py only parses their options."""

import sys

import click

from deployer.console import Output
from deployer.errors import DeployerError, SpecInvalid, UsageError, quoted
from deployer.secrets.file_store import FileStore
from deployer.secrets.local_override import local_overrides
from deployer.secrets.resolution import secret_sources
from deployer.secrets.scopes import Scope, type_scopes
from deployer.secrets.stores import open_store
from deployer.speclang.load import Spec, resolve
from deployer.speclang.model import Infra
from deployer.speclang.validation import model_findings


def set_value(spec: Spec, name: str, types: str | None, env: str | None, out: Output) -> None:
    settings = _settings(spec)
    _require_declared(settings, spec, name)
    scopes = _scopes(spec, types, env)
    value = _read_value(name)
    store = open_store(spec.file, settings, out.info)
    store.write(name, scopes, value)
    out.info(f"set {name} for {_joined(scopes)} in {store.label}")


def unset_value(spec: Spec, name: str, types: str | None, env: str | None, out: Output) -> None:
    settings = _settings(spec)
    store = open_store(spec.file, settings)
    if name not in settings.secrets and name not in store.locations():
        _require_declared(settings, spec, name)
    scopes = _scopes(spec, types, env)
    removed = store.remove(name, scopes)
    kept = [s for s in scopes if s not in removed]
    if removed:
        out.info(f"removed {name} for {_joined(removed)} from {store.label}")
    if kept:
        out.info(f"{name} had no value for {_joined(kept)}")


def list_values(spec: Spec, env: str | None, fmt: str, out: Output) -> None:
    settings = _settings(spec)
    store = open_store(spec.file, settings)
    locations = store.locations()
    names = sorted(set(settings.secrets) | set(locations))
    model = resolve(spec, env).spec if env else settings
    used_by = {n: sorted(s for s, service in model.services.items() if n in service.uses.secrets) for n in names}
    sources = {}
    if env:
        info = spec.environment(env)
        local = local_overrides(spec.file, set(model.secrets)) if info.type == "local" else {}
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
    if fmt == "json":
        out.json({"store": store.label, "env": env, "secrets": rows})
        return
    columns = ["name", "types", "envs", "used by"] + ([f"{env} from"] if env else [])
    out.table(columns, [[_name_cell(r), ", ".join(r["types"]) or "-", ", ".join(r["envs"]) or "-",
                         ", ".join(r["usedBy"]) or "-"] + ([_source_cell(r)] if env else []) for r in rows])
    out.info(f"values are kept in {store.label}; they are never shown")


def add_recipient(spec: Spec, key: str, out: Output) -> None:
    store = open_store(spec.file, _settings(spec))
    if not isinstance(store, FileStore):
        raise UsageError(f"recipients belong to the file store; this spec keeps its secrets in {store.label}, "
                         "where access is granted with the cloud's IAM")
    count = store.add_recipient(key)
    out.info(f"re-encrypted {count} value(s) of {store.label} for {len(store.recipients())} recipient(s)")


def _settings(spec: Spec) -> Infra:
    """The base spec as a model: its declared secrets and where their values are kept."""
    model, findings = model_findings(spec.data())
    if model is None:
        raise SpecInvalid([spec.problem(path, message) for path, message in findings])
    return model


def _require_declared(settings: Infra, spec: Spec, name: str) -> None:
    if name not in settings.secrets:
        declared = ", ".join(sorted(settings.secrets)) or "none"
        raise DeployerError(f"{quoted(name)} is not a secret of {spec.file.name} (declared: {declared}); "
                            "declare it under `secrets:` first")


def _scopes(spec: Spec, types: str | None, env: str | None) -> list[Scope]:
    if (types is None) == (env is None):
        raise UsageError("give either --type T[,T…] (production|prod, development|dev, preview|pr, local) "
                         "or --env ENV")
    if types is not None:
        return type_scopes(types)
    return [Scope("env", spec.environment(env).name)]


def _read_value(name: str) -> str:
    """From standard input when it is not a terminal, else a hidden prompt asked twice; never argv."""
    if sys.stdin.isatty():
        value = click.prompt(f"value of {name}", hide_input=True, confirmation_prompt=True, err=True)
    else:
        value = sys.stdin.read().removesuffix("\n").removesuffix("\r")
    if not value:
        raise UsageError(f"no value given for {name} (pipe it in, or type it at the prompt)")
    return value


def _joined(scopes: list[Scope]) -> str:
    return ", ".join(map(str, scopes))


def _name_cell(row: dict) -> str:
    return row["name"] if row["declared"] else f"{row['name']} (not declared)"


def _source_cell(row: dict) -> str:
    if row["resolvedFrom"]:
        return row["resolvedFrom"]
    return "MISSING" if row["usedBy"] else "-"
