"""How `deployer diff` shows a PlanDiff, in the order a reviewer reads it: what must not be missed (each
protected or data-holding resource deleted or replaced, and why), then the change per spec entry
(`cache sessions: nodeType cache.r7g.large → cache.r7g.xlarge`), then each resource as Terraform shows
it: one line per changed field, values whole, JSON documents (policies) as line diffs. As its JSON
document, as lines for a terminal, as a pull-request comment."""

import difflib
import json
from collections.abc import Callable
from typing import Any

from deployer.plan.diff import PlanDiff
from deployer.plan.entries import shown as entry_shown
from deployer.render import Lines, code_block, code_span
from deployer.render.plan import short_type

KINDS = ("added", "replaced", "changed", "removed")
SYMBOLS = {"added": "+", "changed": "~", "replaced": "-/+", "removed": "-"}
VERBS = {"added": "to add", "changed": "to change", "replaced": "to replace", "removed": "to remove"}
# GitHub colours a ```diff block's lines by their first character: `!` (changed) as Atlantis shows `~`.
MARKDOWN_SYMBOLS = {"~": "!"}
SHORT_VALUE = 40  # an entry's line quotes old and new up to this long; longer ones are in the details
INDENT = "  "  # a field under its resource
CONTEXT = 4  # unchanged lines shown around a change of a JSON document

Code = Callable[[str], str]


def document(diff: PlanDiff) -> dict:
    return {"env": diff.env, "base": diff.base, "risks": diff.risks, "added": diff.added,
            "removed": diff.removed, "changed": diff.changed, "replaced": diff.replaced}


def summary_line(diff: PlanDiff, shown: Code = str) -> str:
    """`prod against main: 2 risks; 1 to add, 1 to remove`, the environment and the base shown with SHOWN."""
    counts = ", ".join(f"{n} {VERBS[kind]}" for kind, n in diff.counts().items() if n)
    risks = f"{_plural(len(diff.risks), 'risk')}; " if diff.risks else ""
    return f"{shown(diff.env)} against {shown(diff.base)}: {risks}{counts or 'no changes'}"


def risk_text(risk: dict, code: Code = str) -> str:
    """`queue signups.crm-sync is deleted: it is protected, so up will refuse`."""
    forced = f" (forced by {', '.join(map(code, risk['replacedBy']))})" if risk["replacedBy"] else ""
    why = "; ".join(filter(None, (risk["loss"], risk["protected"] and f"it is protected, so {code('up')} will refuse")))
    done = {"delete": "deleted", "replace": "replaced", "change": "changed in place"}[risk["action"]]
    return f"{risk['kind']} {code(risk['name'])} is {done}{forced}: {why}"


def by_entry(diff: PlanDiff) -> dict[tuple[str, str], list[tuple[str, dict]]]:
    """Each changed resource (kind of change, its entry of the diff) under its spec entry, entries sorted."""
    grouped: dict[tuple[str, str], list[tuple[str, dict]]] = {}
    for kind in KINDS:
        for resource in getattr(diff, kind):
            grouped.setdefault(tuple(resource["entry"]), []).append((kind, resource))
    return dict(sorted(grouped.items()))


def entry_text(entry: tuple[str, str], changes: list[tuple[str, dict]], code: Code = str) -> str:
    """`cache sessions: nodeType cache.r7g.large → cache.r7g.xlarge`; `bucket exports: new (6 resources)`."""
    kind, name = entry
    head = f"{kind} {code(name)}" if name else kind
    kinds = {change for change, _ in changes}
    if len(kinds) == 1 and kinds <= {"added", "removed"}:
        return f"{head}: {'new' if kinds == {'added'} else 'removed'} ({_plural(len(changes), 'resource')})"
    counted = {change: sum(1 for c, _ in changes if c == change) for change in ("added", "removed")}
    parts = [f"{_plural(n, 'resource')} {change}" for change, n in counted.items() if n]
    if forcing := sorted({name for change, r in changes if change == "replaced" for name in r["replacedBy"]}):
        parts.append(f"replaced (forced by {', '.join(map(code, forcing))})")
    parts += [_field_change(path, old, new, code) for change, r in changes if change == "changed"
              for path, (old, new) in r["fields"].items()]
    return f"{head}: {'; '.join(dict.fromkeys(parts))}"


def _field_change(path: str, old: Any, new: Any, code: Code) -> str:
    label = _label(path)
    if any(isinstance(v, (dict, list)) or len(_plain(v)) > SHORT_VALUE for v in (old, new)):
        return f"{label} changed"
    return f"{label} {code(_plain(old)) if old is not None else '(none)'} → " \
           f"{code(_plain(new)) if new is not None else '(none)'}"


def detail_lines(changes: list[tuple[str, dict]]) -> list[tuple[str, str]]:
    """(symbol, text) per resource and per changed field, Terraform's way: `-`/`+` the old and new value
    of a field, the fields that force a replacement named on its resource's line."""
    lines = []
    for change, resource in changes:
        forced = f"  # forced by {', '.join(resource['replacedBy'])}" if change == "replaced" else ""
        lines.append((SYMBOLS[change], f"{short_type(resource['type'])} {resource['name']}{forced}"))
        for path, (old, new) in resource.get("fields", {}).items():
            lines += _field_lines(path, old, new)
    return lines


def _field_lines(path: str, old: Any, new: Any) -> list[tuple[str, str]]:
    label = f"{INDENT}{_label(path)}:"
    if isinstance(old, (dict, list)) or isinstance(new, (dict, list)):
        compared = [line for line in difflib.ndiff(_document_lines(old), _document_lines(new)) if line[0] != "?"]
        return [("~", label)] + [(line[0].strip(), f"{INDENT}  {line[2:]}") for line in _near_changes(compared)]
    return ([("-", f"{label} {json.dumps(old)}")] if old is not None else []) + \
           ([("+", f"{label} {json.dumps(new)}")] if new is not None else [])


def _near_changes(compared: list[str]) -> list[str]:
    """The lines of a line diff within CONTEXT lines of a change; each run of others as one `...` line."""
    changed = [i for i, line in enumerate(compared) if line[0] != " "]
    near = [any(abs(i - j) <= CONTEXT for j in changed) for i in range(len(compared))]
    return [line if near[i] else "  ..." for i, line in enumerate(compared) if near[i] or i == 0 or near[i - 1]]


def _document_lines(value: Any) -> list[str]:
    return [] if value is None else json.dumps(value, indent=2, ensure_ascii=False).splitlines()


def lines(diff: PlanDiff) -> Lines | str:
    """For a terminal: the risks, the entries' lines, each entry's resources; the summary on stderr."""
    if diff.empty:
        return summary_line(diff)
    grouped = by_entry(diff)
    shown = [("risk", f"! {risk_text(risk)}") for risk in diff.risks]
    shown += [("", "")] * bool(shown) + [("", entry_text(entry, changes)) for entry, changes in grouped.items()]
    for entry, changes in grouped.items():
        shown += [("", ""), ("heading", f"# {entry_shown(entry)}")]
        shown += [(symbol, f"{symbol:<3} {text}".rstrip()) for symbol, text in detail_lines(changes)]
    return Lines(shown, summary_line(diff))


def markdown(diff: PlanDiff) -> str:
    """A pull-request comment: the headline, the risks, a line per spec entry, then each entry's resources
    in a ```diff block (GitHub colours it; no table wider than the comment), folded."""
    headline = f"**deployer diff** {summary_line(diff, shown=code_span)}."
    if diff.empty:
        return headline
    grouped = by_entry(diff)
    text = [headline, ""]
    if diff.risks:
        text += ["> [!CAUTION]", *(f"> - {risk_text(risk, code_span)}" for risk in diff.risks), ""]
    text += [f"- {entry_text(entry, changes, code_span)}" for entry, changes in grouped.items()]
    text += ["", "<details><summary>Resources</summary>", ""]
    for (kind, name), changes in grouped.items():
        block = [f"{MARKDOWN_SYMBOLS.get(symbol, symbol):<3} {text}".rstrip() for symbol, text in detail_lines(changes)]
        text += [f"**{kind}** {code_span(name)}".rstrip(), "", *code_block(block, "diff"), ""]
    text.append("</details>")
    return "\n".join(text)


def _label(path: str) -> str:
    return path.removeprefix("inputs.")


def _plain(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
