"""The JSON Schema of the spec, generated from the pydantic model, for editors and `jsonschema`."""

import copy
from datetime import timedelta
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from deployer.clouds import registered
from deployer.speclang.durations import format_duration
from deployer.speclang.environments import NOT_OVERRIDABLE
from deployer.speclang.model import FILE_STORE, Infra

SCHEMA_ID = "https://deployer.dev/schema/infra.schema.json"
OVERRIDE_SUFFIX = "Override"


class _SpecSchema(GenerateJsonSchema):
    """Pydantic's generator, with spec-shaped defaults and without titles made up from field names."""

    def field_title_should_be_set(self, schema) -> bool:
        return False

    def encode_default(self, dft: Any) -> Any:
        if isinstance(dft, timedelta):
            return format_duration(dft)
        return super().encode_default(dft)


def json_schema() -> dict:
    """The schema of `infra.yaml` / `infra.cue`: every field with its type, default and description."""
    schema = Infra.model_json_schema(by_alias=True, schema_generator=_SpecSchema)
    defs = schema.pop("$defs")
    defs["Infra"] = schema
    for node in schema_nodes(defs):
        _tidy(node)
    _cloud_names(defs)
    defs.update(_override_defs(defs))
    for definition in (defs["Environment"], defs["EnvTypeOverrides"]):
        overrides = definition["properties"]["overrides"]
        overrides.pop("additionalProperties")
        overrides.pop("type")
        overrides["$ref"] = f"#/$defs/Infra{OVERRIDE_SUFFIX}"
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "deployer infrastructure spec",
        "description": defs["Infra"].pop("description"),
        "$ref": "#/$defs/Infra",
        "$defs": {name: defs[name] for name in sorted(_reachable(defs, "Infra"))},
    }


def _cloud_names(defs: dict) -> None:
    """`provider` and `secretStore` choose among the clouds registered when the schema is made."""
    clouds = sorted(registered())
    infra, environment = defs["Infra"]["properties"], defs["Environment"]["properties"]
    for node, names in ((infra["provider"], clouds), (infra["secretStore"], [FILE_STORE, *clouds]),
                        (environment["provider"]["anyOf"][0], clouds)):
        node.pop("pattern")
        node["enum"] = names


def schema_nodes(node: Any):
    """Every schema object below `node` (dicts inside dicts and lists), `node` included."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from schema_nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from schema_nodes(value)


def _reachable(defs: dict, root: str) -> set[str]:
    found, todo = set(), [root]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += [n["$ref"].removeprefix("#/$defs/") for n in schema_nodes(defs[name]) if "$ref" in n]
    return found


def _tidy(node: dict) -> None:
    # A map keyed by names of a pattern refuses other keys (pydantic leaves them allowed).
    if "patternProperties" in node and "additionalProperties" not in node:
        (pattern,) = node["patternProperties"]
        node["propertyNames"] = {"pattern": pattern}
    # The default of a nested block is the defaults of its own fields, documented there.
    if "$ref" in node and isinstance(node.get("default"), dict):
        del node["default"]


def _override_defs(defs: dict) -> dict:
    """Every type again as an override: the same fields, none required, no defaults."""
    overrides = {}
    for name, definition in defs.items():
        partial = copy.deepcopy(definition)
        partial.pop("required", None)
        for node in schema_nodes(partial):
            node.pop("default", None)
            if node.get("$ref", "").startswith("#/$defs/"):
                node["$ref"] += OVERRIDE_SUFFIX
        overrides[name + OVERRIDE_SUFFIX] = partial
    for name in NOT_OVERRIDABLE:
        del overrides[f"Infra{OVERRIDE_SUFFIX}"]["properties"][name]
    overrides[f"Infra{OVERRIDE_SUFFIX}"]["description"] = (
        "Changes to the base spec, deep-merged: maps merge key by key, scalars and lists replace."
    )
    return overrides
