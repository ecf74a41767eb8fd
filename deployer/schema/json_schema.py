"""The JSON Schema of the spec, generated from the pydantic model, for editors and `jsonschema`."""

import copy
from datetime import timedelta
from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from deployer.clouds import registered
from deployer.speclang.cronexpr import FIELDS, NAMES
from deployer.speclang.durations import format_duration
from deployer.speclang.environments import NOT_OVERRIDABLE
from deployer.speclang.fields import DURATION_PATTERN
from deployer.speclang.model import FILE_STORE, Infra

SCHEMA_ID = "https://deployer.dev/schema/infra.schema.json"
OVERRIDE_SUFFIX = "Override"
# Messages editors show (yaml-language-server reads `errorMessage` and `markdownDescription`), in place
# of a validator's "does not match '^(\\d+(ms|s|m|h|d))+$'".
DURATION_MESSAGE = "a duration is a number and a unit (ms, s, m, h, d), written together: 30s, 10m, 1h30m, 7d"
CRON_MESSAGE = ("a 5-field cron expression, in UTC: minute (0-59) hour (0-23) day-of-month (1-31) "
                "month (1-12 or jan-dec) day-of-week (0-7 or sun-sat), each `*`, a value, a range a-b, a list "
                "a,b, with an optional /step; e.g. `0 4 * * *`")
EVERY_OR_SCHEDULE = "give exactly one of `every` (an interval, e.g. 1h) and `schedule` (a cron expression)"


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
    _cron(defs["CronJob"]["properties"])
    defs.update(_override_defs(defs))
    # only a whole job, not an override of one, gives exactly one of them
    defs["CronJob"]["allOf"] = [{"oneOf": [{"required": ["every"]}, {"required": ["schedule"]}],
                                 "errorMessage": EVERY_OR_SCHEDULE}]
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
                        (environment["provider"], clouds)):
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


def _cron(job: dict) -> None:
    job["schedule"].update(pattern=cron_pattern(), errorMessage=CRON_MESSAGE)


def cron_pattern() -> str:
    """The 5-field cron expressions cronexpr accepts, with each field's range, as a regular expression
    (ECMA-262, so names match in any case by character classes)."""
    def value(index: int, low: int, high: int) -> str:
        numbers = [str(n) for n in range(high, low - 1, -1)]
        names = ["".join(f"[{c.upper()}{c}]" for c in name) for name in NAMES.get(index, [])]
        return "(?:0*(?:" + "|".join(numbers) + ")" + "".join(f"|{n}" for n in names) + ")"

    fields = []
    for index, (_, low, high) in enumerate(FIELDS):
        item = rf"(?:\*|{value(index, low, high)}(?:-{value(index, low, high)})?)(?:/0*[1-9]\d*)?"
        fields.append(f"{item}(?:,{item})*")
    return r"^\s*" + r"\s+".join(fields) + r"\s*$"


def _tidy(node: dict) -> None:
    # A map keyed by names of a pattern refuses other keys (pydantic leaves them allowed).
    if "patternProperties" in node and "additionalProperties" not in node:
        (pattern,) = node["patternProperties"]
        node["propertyNames"] = {"pattern": pattern}
    # The default of a nested block is the defaults of its own fields, documented there.
    if "$ref" in node and isinstance(node.get("default"), dict):
        del node["default"]
    # An optional field is left out, never written as null: no `{"type": "null"}` branch for validators
    # to lead their message with.
    if any(branch == {"type": "null"} for branch in node.get("anyOf", [])):
        kept = [branch for branch in node.pop("anyOf") if branch != {"type": "null"}]
        if node.get("default", ...) is None:
            del node["default"]
        field = dict(node)  # the field's own description wins over its type's
        node.clear()
        node.update({**kept[0], **field} if len(kept) == 1 else {"anyOf": kept, **field})
    if node.get("pattern") == DURATION_PATTERN:
        node.update(errorMessage=DURATION_MESSAGE, markdownDescription=DURATION_MESSAGE.replace(
            "30s, 10m, 1h30m, 7d", "`30s`, `10m`, `1h30m`, `7d`"))


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
