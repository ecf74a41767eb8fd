"""What a change of the spec does to an environment: the plan at a git ref against the working tree's.

Resources are matched by URN: a renamed resource is removed and added. A resource whose URN stays
but whose replace-triggering input changes (its provider's table, e.g. an S3 bucket's `bucket`) is
replaced; any other change of its inputs or protection is an in-place change.
"""

import io
import json
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from deployer.clouds import Cloud, cloud
from deployer.errors import DeployerError, UsageError, quoted
from deployer.forked import forked
from deployer.plan.entries import Entries
from deployer.speclang.load import Spec, resolve
from deployer.speclang.resolved import ResolvedEnv

# What a plan document of an environment holds when the spec (or the environment) does not exist.
EMPTY_PLAN: dict = {"resources": [], "outputs": {}}
COMPARED = ("inputs", "protect")  # dependencies and parents follow from these; a new parent is a new URN


@dataclass
class PlanDiff:
    env: str
    base: str
    added: list[dict] = field(default_factory=list)
    removed: list[dict] = field(default_factory=list)
    changed: list[dict] = field(default_factory=list)    # {urn, type, name, entry, fields: {path: [old, new]}}
    replaced: list[dict] = field(default_factory=list)   # the same and `replacedBy`: the inputs that force it
    # what a reviewer must not miss: each protected or data-holding resource deleted or replaced
    risks: list[dict] = field(default_factory=list)      # {urn, entry, kind, name, action, protected, loss}

    @property
    def loses_data(self) -> bool:
        """Whether the change deletes or replaces a protected or data-holding resource (`--exit-code` 11)."""
        return any(risk["action"] != "change" for risk in self.risks)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed or self.replaced)

    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "changed": len(self.changed),
                "replaced": len(self.replaced), "removed": len(self.removed)}


def diff_plans(env: str, base_ref: str, base: dict, head: dict, target: Cloud,
               entries: Entries | None = None) -> PlanDiff:
    """Compare two plan documents (CLI.md's `plan --format json`) resource by resource; every value as
    the cloud shows a planned one (no made-up account). Without the specs' ENTRIES, every resource is
    the environment's."""
    entries = entries or Entries([], target.holds_data)
    before = {r["urn"]: _shown(r, target) for r in base["resources"]}
    after = {r["urn"]: _shown(r, target) for r in head["resources"]}
    diff = PlanDiff(env, base_ref)
    diff.added = [_summary(after[urn], entries) for urn in after if urn not in before]
    diff.removed = [_summary(before[urn], entries) for urn in before if urn not in after]
    for urn in after.keys() & before.keys():
        fields = changed_fields(before[urn], after[urn])
        if not fields:
            continue
        entry = {**_summary(after[urn], entries), "fields": fields}
        triggers = target.replaced_on.get(after[urn]["type"], ())
        if forcing := sorted({path.split(".")[1] for path in fields if path.split(".", 2)[:2] in
                              (["inputs", t] for t in triggers)}):
            diff.replaced.append({**entry, "replacedBy": forcing})
        else:
            diff.changed.append(entry)
    for listed in (diff.added, diff.removed, diff.changed, diff.replaced):
        listed.sort(key=lambda e: (e["entry"], e["urn"]))
    diff.risks = [risk for action, shown in (("delete", diff.removed), ("replace", diff.replaced))
                  for entry in shown if (risk := _risk(action, entry, before[entry["urn"]], target))]
    diff.risks += [_noted(entry, field, note, target) for entry in diff.changed
                   for field, note in target.changes_noted.get(entry["type"], {}).items()
                   if f"inputs.{field}" in entry["fields"]]
    return diff


def _noted(entry: dict, field: str, note: str, target: Cloud) -> dict:
    """An in-place change of FIELD that a reviewer must know of (the cloud's NOTE says what it does)."""
    kind = target.holds_data.get(entry["type"], (entry["type"].rsplit(":", 1)[-1],))[0]
    old, new = entry["fields"][f"inputs.{field}"]
    name = entry["entry"][1] if kind == entry["entry"][0] else entry["name"]
    return {"urn": entry["urn"], "entry": entry["entry"], "kind": kind, "name": name, "action": "change",
            "protected": False, "loss": f"{field} {old} → {new}: {note}", "replacedBy": []}


def _shown(resource: dict, target: Cloud) -> dict:
    def shown(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: shown(item) for key, item in value.items()}
        if isinstance(value, list):
            return [shown(item) for item in value]
        return target.shown_planned(value) if isinstance(value, str) else value

    return {**resource, "inputs": shown(resource["inputs"])}


def _summary(resource: dict, entries: Entries) -> dict:
    return {"urn": resource["urn"], "type": resource["type"], "name": resource["name"],
            "entry": list(entries.of(resource))}


def _risk(action: str, entry: dict, old: dict, target: Cloud) -> dict | None:
    """What deleting or replacing this resource risks: `up` refuses a protected one; one that holds data
    loses it."""
    kind, loss = target.holds_data.get(entry["type"], (entry["type"].rsplit(":", 1)[-1], None))
    if not (old["protect"] or loss):
        return None
    # the entry's own name where the resource is the entry itself (database `orders`, not `database.orders`)
    name = entry["entry"][1] if kind == entry["entry"][0] else entry["name"]
    return {"urn": entry["urn"], "entry": entry["entry"], "kind": kind, "name": name, "action": action,
            "protected": old["protect"], "loss": loss, "replacedBy": entry.get("replacedBy", [])}


def changed_fields(old: dict, new: dict) -> dict[str, list]:
    """`{"inputs.tags.env": [old, new], "protect": [false, true]}`: maps are compared key by key, lists,
    scalars and JSON documents held in strings (IAM policies, parsed) whole; a field missing on one side
    is null there."""
    fields: dict[str, list] = {}
    for key in COMPARED:
        _compare(key, old.get(key), new.get(key), fields)
    return fields


def _compare(path: str, old: Any, new: Any, fields: dict[str, list]) -> None:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in sorted(old.keys() | new.keys()):
            _compare(f"{path}.{key}", old.get(key), new.get(key), fields)
        return
    old, new = _json_document(old), _json_document(new)
    if old != new:
        fields[path] = [old, new]


def _json_document(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(("{", "[")):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


# --- the spec as it stands at a git ref ----------------------------------------------------------


def spec_at_ref(spec_file: Path, ref: str, into: Path) -> Path | None:
    """Write the spec's files as they are at `ref` below `into` (the working tree is not touched):
    the spec file, or for CUE every .cue file of its folder and the cue.mod module. Returns the spec
    file there, or None where it did not exist at `ref`."""
    folder = spec_file.resolve().parent
    root = Path(_git(folder, "rev-parse", "--show-toplevel").strip())
    _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}", failure=_unknown_ref(root, ref))
    relative = folder.relative_to(root)
    wanted = [relative / spec_file.name]
    if spec_file.suffix == ".cue":
        listed = _git(root, "ls-tree", "--name-only", ref, "--", f"{relative}/").splitlines()
        wanted = [Path(p) for p in listed if p.endswith(".cue") and not Path(p).name.startswith(".")]
        if module := _cue_module(folder, root):
            wanted.append(module.relative_to(root))
    listed = [line.split("\t", 1) for line in _git(root, "ls-tree", "-r", ref, "--", *map(str, wanted)).splitlines()]
    if links := [path for entry, path in listed if entry.startswith("120000 ")]:
        raise DeployerError(f"{links[0]} is a symbolic link at {quoted(ref)}: diff reads the spec's files as "
                            "committed, not what a link points to (commit the file itself)")
    present = [path for _, path in listed]
    if str(relative / spec_file.name) not in present:
        return None
    archive = subprocess.run(["git", "archive", "--format=tar", ref, "--", *present], cwd=root,
                             capture_output=True, check=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / relative / spec_file.name


def _unknown_ref(root: Path, ref: str) -> str:
    message = f"unknown git ref {quoted(ref)}"
    if _git(root, "rev-parse", "--is-shallow-repository").strip() == "true":
        message += (": this clone is shallow, so it may lack the ref's history; fetch more (`git fetch "
                    "--unshallow`, or `fetch-depth: 0` on GitHub's actions/checkout)")
    return message


def _cue_module(folder: Path, root: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / "cue.mod").is_dir():
            return candidate / "cue.mod"
        if candidate == root:
            return None
    return None


def _git(cwd: Path, *args: str, failure: str | None = None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise UsageError(failure or f"git {args[0]} failed: {result.stderr.strip()} "
                         "(diff needs the spec inside a git repository)")
    return result.stdout


def diff_environment(spec: Spec, env_name: str, base_ref: str) -> PlanDiff:
    """The plan of ENV at `base_ref` against its plan from the working tree: both specs are read
    here, and the two plans computed at once, the base's in a forked copy of this process."""
    from deployer.plan.document import build_plan

    head_env = resolve(spec, env_name)
    with tempfile.TemporaryDirectory(prefix="deployer-base-") as scratch:
        base_env = _base_env(spec.file, env_name, base_ref, Path(scratch))
        base = forked(lambda: build_plan(base_env) if base_env else EMPTY_PLAN)
        head = build_plan(head_env)
        try:
            base = base()
        except DeployerError as err:
            raise _not_planned(base_ref, env_name, err) from err
    target = cloud(head_env.provider)
    specs = [head_env.spec, *([base_env.spec] if base_env else [])]
    return diff_plans(env_name, base_ref, base, head, target, Entries(specs, target.holds_data))


def _base_env(spec_file: Path, env_name: str, ref: str, scratch: Path) -> ResolvedEnv | None:
    """ENV as the spec at `ref` resolves it, or None where the spec or ENV did not exist there."""
    base_file = spec_at_ref(spec_file, ref, scratch)
    if base_file is None:
        return None
    base_spec = Spec(base_file)
    try:
        base_spec.environment(env_name)
    except UsageError:
        return None  # the environment is new in this change
    try:
        return resolve(base_spec, env_name)
    except DeployerError as err:
        raise _not_planned(ref, env_name, err) from err


def _not_planned(ref: str, env_name: str, err: DeployerError) -> DeployerError:
    return DeployerError(f"the spec at {ref} does not plan for {env_name}:\n{err}", err.exit_code)
