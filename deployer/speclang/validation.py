"""Checking raw spec data against the model, as findings a user can act on."""

import copy
import re
import types
import typing
from difflib import get_close_matches

from pydantic import BaseModel, ValidationError

from deployer.errors import CONTROL, Finding, SpecPath, quoted
from deployer.speclang.model import Infra
from deployer.speclang.references import not_allowed

# Names and settings become physical names, tags, URLs and config files: no control character (CONTROL).
# Text people write for people (descriptions, titles) may break lines. Overrides are checked once merged.
FREE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
FREE_TEXT_FIELDS = {"description", "title"}
NOT_CHECKED_HERE = {"overrides"}

# Which of several union members' errors explains the problem best, most telling first.
_PREFERENCE = ("value_error", "literal_error", "string_pattern_mismatch", "extra_forbidden", "missing")


def model_findings(data: object, like: tuple[dict, Infra] | None = None) -> tuple[Infra | None, list[Finding]]:
    """The spec as a model, or the findings of why it is not one. `like` is a valid (data, model)
    pair that `data` shares top-level sections with: only the sections that differ are validated."""
    if not isinstance(data, dict):
        return None, [((), "the spec must be a mapping of fields (app, caches, services, …)")]
    if like is not None:
        return _with_changed_sections(data, *like)
    return _validated(data, _control_characters(data, ()))


def _validated(data: dict, control: list[Finding]) -> tuple[Infra | None, list[Finding]]:
    try:
        model = Infra.model_validate(data)
    except ValidationError as err:
        located = {path for path, _ in control}
        return None, [*control, *((path, message) for path, message in _findings(err, data) if path not in located)]
    return (None, control) if control else (model, [])


# Rounds of taking refused values out before the rest is a model: a refused value can leave a
# required field missing, which takes its entry out in the next round.
_PRUNING_ROUNDS = 4


def valid_part(data: dict, findings: list[Finding]) -> tuple[Infra | None, list[SpecPath]]:
    """The model of DATA without what FINDINGS refuse, and the paths taken out: each refused value
    (a whole list for one of its items, so that no index moves; the entry holding a missing required
    field), which then takes its default. The references and rules run on it, so that one run reports
    every problem it can; None where even that is no model (the app or the provider refused)."""
    taken: list[SpecPath] = []
    for _ in range(_PRUNING_ROUNDS):
        if any(not path or path[0] in ("app", "provider") for path, _ in findings):
            return None, taken
        data = copy.deepcopy(data) if not taken else data
        for path, _ in findings:
            taken.append(_take_out(data, path))
        model, findings = _validated(data, [])
        if model is not None:
            return model, taken
    return None, taken


def _take_out(data: dict, path: SpecPath) -> SpecPath:
    """Delete the value at PATH (its list where it is a list's item, its entry where it is not
    written); the path deleted."""
    here: object = data
    for part in path[:-1]:
        here = here.get(part) if isinstance(here, dict) else (
            here[part] if isinstance(here, list) and isinstance(part, int) and part < len(here) else None)
    if isinstance(here, list) or not isinstance(here, dict) or path[-1] not in here:
        return _take_out(data, path[:-1]) if len(path) > 1 else path
    del here[path[-1]]
    return path


def _control_characters(value: object, at: SpecPath, checked: object = None) -> list[Finding]:
    """Every key and value of the data holding a control character (a description or a title may
    break lines), but in overrides: those are checked once merged into an environment's spec. What
    is the very object `checked` holds at the same place was checked there already."""
    found: list[Finding] = []
    if isinstance(value, dict):
        checked = checked if isinstance(checked, dict) else {}
        for key, item in value.items():
            if key in NOT_CHECKED_HERE:
                continue
            if match := CONTROL.search(str(key)):
                found.append(_control_finding((*at, key), match))
            if item is checked.get(key):
                continue
            if isinstance(item, str):
                if match := (FREE_TEXT if key in FREE_TEXT_FIELDS else CONTROL).search(item):
                    found.append(_control_finding((*at, key), match))
            elif isinstance(item, (dict, list)):
                found += _control_characters(item, (*at, key), checked.get(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                if match := CONTROL.search(item):
                    found.append(_control_finding((*at, index), match))
            elif isinstance(item, (dict, list)):
                found += _control_characters(item, (*at, index))
    return found


def _control_finding(at: SpecPath, match: re.Match) -> Finding:
    return at, (f"control character U+{ord(match.group()):04X} is not allowed (only a description or a title "
                "may hold line breaks and tabs)")


def _with_changed_sections(data: dict, like_data: dict, like_model: Infra) -> tuple[Infra | None, list[Finding]]:
    absent = object()
    changed = [key for key in data.keys() | like_data.keys()
               if data.get(key, absent) is not like_data.get(key, absent)]
    changed_data = {"app": data.get("app"), **{k: data[k] for k in changed if k in data}}
    partial, findings = _validated(changed_data, _control_characters(changed_data, (), checked=like_data))
    if partial is None:
        return None, findings
    fields = {info.alias or name: name for name, info in Infra.model_fields.items()}
    return like_model.model_copy(update={fields[k]: getattr(partial, fields[k]) for k in changed}), []


def _findings(err: ValidationError, data: dict) -> list[Finding]:
    grouped: dict[SpecPath, list[dict]] = {}
    for error in err.errors(include_url=False):
        grouped.setdefault(_data_path(error["loc"], data), []).append(error)
    findings = []
    for path, errors in grouped.items():
        if any(other[:len(path)] == path and other != path for other in grouped):
            continue  # a union member that got further down explains it better
        best = min(errors, key=lambda e: _rank(e["type"]))
        chosen = [e for e in errors if e["type"] == best["type"]]
        messages = dict.fromkeys(_message(e, path) for e in chosen)
        findings.append((path, "; ".join(messages)))
    return findings


def _rank(error_type: str) -> int:
    return _PREFERENCE.index(error_type) if error_type in _PREFERENCE else len(_PREFERENCE)


def _data_path(loc: tuple, data: object) -> SpecPath:
    """The part of a pydantic location that names places in the data (drops union member tags)."""
    path: list[str | int] = []
    here = data
    for index, part in enumerate(loc):
        if isinstance(here, dict) and part in here or isinstance(here, list) and isinstance(part, int) and part < len(here):
            here = here[part]
            path.append(part)
        elif isinstance(here, dict) and isinstance(part, str) and index == len(loc) - 1 and not path_is_tag(part):
            path.append(part)  # a missing field
            here = None
    return tuple(path)


def path_is_tag(part: str) -> bool:
    return any(c in part for c in "[]()',") or part in ("function-after", "function-before")


def _message(error: dict, path: SpecPath) -> str:
    kind = error["type"]
    ctx = error.get("ctx", {})
    given = error.get("input")
    if kind == "extra_forbidden":
        allowed = _fields_at(path[:-1])
        hint = get_close_matches(str(path[-1]), allowed, n=1, cutoff=0.6) if allowed else []
        if hint:
            return f"unknown field {quoted(path[-1])}; did you mean {quoted(hint[0])}?"
        return f"unknown field {quoted(path[-1])}" + (f" (allowed: {', '.join(allowed)})" if allowed else "")
    if kind == "missing":
        return "required field is missing"
    if kind == "literal_error":
        return not_allowed(given, re.findall(r"'([^']*)'", ctx.get("expected", "")))
    if kind == "string_pattern_mismatch":
        return f"{quoted(given)} does not match {ctx.get('pattern')}"
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in _EXPECTED:
        shown = len(given) if kind in _LENGTHS and isinstance(given, (str, list, dict)) else _shown(given)
        return f"expected {_EXPECTED[kind].format(**ctx)}, not {shown}"
    return f"{error['msg']}, not {_shown(given)}"


# What the validation library's error types expect, in the spec's words.
_EXPECTED = {
    "bool_parsing": "true or false", "bool_type": "true or false",
    "int_parsing": "a whole number", "int_type": "a whole number", "int_from_float": "a whole number",
    "float_parsing": "a number", "float_type": "a number",
    "string_type": "text (a string)", "list_type": "a list", "set_type": "a list",
    "dict_type": "a mapping (name: value)", "model_type": "a mapping of fields",
    "model_attributes_type": "a mapping of fields",
    "greater_than_equal": "{ge} or more", "less_than_equal": "{le} or less",
    "greater_than": "more than {gt}", "less_than": "less than {lt}",
    "too_short": "at least {min_length} items", "too_long": "at most {max_length} items",
    "string_too_short": "at least {min_length} characters", "string_too_long": "at most {max_length} characters",
}

_LENGTHS = {"too_short", "too_long", "string_too_short", "string_too_long"}


def _shown(given: object) -> str:
    """A value as the spec's author wrote it: `"maybe"`, `true`, `null`, `a list`."""
    if isinstance(given, bool):
        return "true" if given else "false"
    if given is None:
        return "null"
    if isinstance(given, dict):
        return "a mapping"
    if isinstance(given, list):
        return "a list"
    return quoted(given) if isinstance(given, str) else str(given)


def _fields_at(path: SpecPath) -> list[str]:
    """The field names the model allows at a spec path (for did-you-mean on unknown fields)."""
    annotation: object = Infra
    for part in path:
        model = _model_in(annotation)
        if model is not None:
            field = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
            if field is None:
                return []
            annotation = field.annotation
            continue
        args = [a for a in typing.get_args(_unwrap(annotation)) if a is not type(None)]
        annotation = args[-1] if args else None
    model = _model_in(annotation)
    return [f.alias or n for n, f in model.model_fields.items()] if model else []


def _unwrap(annotation: object) -> object:
    while typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    return annotation


def _model_in(annotation: object) -> type[BaseModel] | None:
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        for member in typing.get_args(annotation):
            if model := _model_in(member):
                return model
    return None
