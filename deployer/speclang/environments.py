"""Environments: which exist, their types, and the spec each one deploys (SPEC.md, "Environments")."""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deployer.speclang.model import DEFAULT_PROVIDER, canonical_env_type

PREVIEW_ENV = re.compile(r"pr-[0-9]+")  # ASCII digits; used with fullmatch (no trailing newline)
PREVIEW_TYPE = "preview"
DEFAULT_ENVIRONMENTS = {"prod": "production", "dev": "development", "local": "local"}
UNDEPLOYED_TYPES = ("local",)
NO_CRON_TYPES = ("preview",)  # `deployer dev` runs the jobs of a local environment


@dataclass(frozen=True)
class EnvInfo:
    name: str
    type: str
    provider: str
    declared: bool = True

    @property
    def deployable(self) -> bool:
        return self.type not in UNDEPLOYED_TYPES


def declared_environments(data: dict) -> dict[str, EnvInfo]:
    """The environments a spec declares (or the defaults), read from raw data (names as text even
    where the data is not valid: validation reports it)."""
    default_provider = str(data.get("provider") or DEFAULT_PROVIDER)
    declared = data.get("environments")
    if not isinstance(declared, dict):
        return {n: EnvInfo(n, t, default_provider) for n, t in DEFAULT_ENVIRONMENTS.items()}
    envs = {}
    for name, body in declared.items():
        body = body if isinstance(body, dict) else {}
        env_type = canonical_env_type(body.get("type", "development"))
        if PREVIEW_ENV.fullmatch(str(name)):  # always a preview: validate refuses another type
            env_type = PREVIEW_TYPE
        envs[name] = EnvInfo(name, str(env_type), str(body.get("provider") or default_provider))
    return envs


def environment_info(data: dict, name: str) -> EnvInfo | None:
    """A declared environment, an implicit preview `pr-<N>`, or None."""
    envs = declared_environments(data)
    if name in envs:
        return envs[name]
    if PREVIEW_ENV.fullmatch(name):
        return EnvInfo(name, PREVIEW_TYPE, str(data.get("provider") or DEFAULT_PROVIDER), declared=False)
    return None


def deep_merge(base: Any, override: Any) -> Any:
    """Maps merge key by key; scalars and lists replace. The result shares what neither side
    changes with its inputs (spec data is never modified in place)."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = deep_merge(base[key], value) if key in base else value
        return merged
    return override


def type_defaults(data: dict, defaults: Mapping[str, dict]) -> dict:
    """The layer under the spec: each entry of a section gets the defaults of its environment's
    type and cloud (`Cloud.type_defaults`, e.g. every cache its sizing)."""
    layer = {}
    for section, entry_defaults in defaults.items():
        entries = data.get(section)
        if isinstance(entries, dict):
            layer[section] = dict.fromkeys(entries, entry_defaults)
    return layer


def environment_data(data: dict, env: EnvInfo, defaults: Mapping[str, dict]) -> dict:
    """The spec ENV deploys: type defaults <- base <- type overrides <- environment overrides."""
    merged = {k: v for k, v in data.items() if k not in ("environments", "envTypes")}
    for _, overrides in _override_layers(data, env):
        merged = deep_merge(merged, overrides)
    merged = deep_merge(type_defaults(merged, defaults), merged)
    if env.type in NO_CRON_TYPES:
        merged.pop("cron", None)
    merged["provider"] = env.provider
    return merged


# Fields that no override may change, and why.
NOT_OVERRIDABLE = {
    "app": "the app name is the same in every environment",
    "provider": "an environment's provider is set beside its type (provider: gcp), not in its overrides",
    "environments": "environments are declared at the top level only",
    "envTypes": "environment types are configured at the top level only",
}


def override_findings(data: dict, env: EnvInfo) -> list[tuple[tuple[str, ...], str]]:
    """Overrides (of ENV or of its type) that set a field no override may change."""
    return [((*where, key), NOT_OVERRIDABLE[key])
            for where, overrides in _override_layers(data, env) for key in overrides if key in NOT_OVERRIDABLE]


def written_at(data: dict, env: EnvInfo, path: tuple[str | int, ...]) -> tuple[str | int, ...]:
    """Where the value at `path` of ENV's spec is written: in the environment's declaration or
    overrides, its type's overrides, or the base spec; the latest layer that holds most of the path."""
    layers = [((), data), *_override_layers(data, env)]
    declaration = _body(data.get("environments"), env.name)
    if "provider" in declaration:
        layers.append((("environments", env.name), {"provider": declaration["provider"]}))
    depths = [_depth(values, path) for _, values in layers]
    deepest = max(depths)
    if deepest == 0:
        return path
    where = max(i for i, depth in enumerate(depths) if depth == deepest)
    return (*layers[where][0], *path)


def _override_layers(data: dict, env: EnvInfo) -> list[tuple[tuple[str, ...], dict]]:
    """(where it is written, overrides) of ENV's type, then of ENV itself."""
    layers = []
    type_names = data.get("envTypes")
    for name in type_names if isinstance(type_names, dict) else ():
        if canonical_env_type(name) == env.type:
            layers.append((("envTypes", name, "overrides"), _body(type_names, name).get("overrides")))
    layers.append((("environments", env.name, "overrides"),
                   _body(data.get("environments"), env.name).get("overrides")))
    return [(where, overrides) for where, overrides in layers if isinstance(overrides, dict)]


def _body(block: Any, key: str) -> dict:
    body = block.get(key) if isinstance(block, dict) else None
    return body if isinstance(body, dict) else {}


def _depth(values: Any, path: tuple[str | int, ...]) -> int:
    """How many leading parts of `path` lead somewhere in `values`."""
    depth = 0
    for part in path:
        in_map = isinstance(values, dict) and part in values
        in_list = isinstance(values, list) and isinstance(part, int) and part < len(values)
        if not (in_map or in_list):
            break
        values = values[part]
        depth += 1
    return depth
