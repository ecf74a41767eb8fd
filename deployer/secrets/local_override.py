"""`.secrets.local.cue` / `.secrets.local.yaml` beside the spec: a developer's own values for `local`
environments, `NAME: "value"`, never committed. The .cue file is evaluated with the real CUE."""

import re
from pathlib import Path

from deployer.errors import DeployerError, Problem, SpecInvalid, display_path, quoted, read_source
from deployer.speclang.cue import export_cue
from deployer.speclang.yaml_source import load_yaml

LOCAL_FILES = (".secrets.local.cue", ".secrets.local.yaml")
_PACKAGE = re.compile(r"^package\s", re.MULTILINE)
_VALUE_START = re.compile(r"""["'`#\[{(]|-?\d""")


def local_override_file(spec_file: Path) -> Path | None:
    present = [spec_file.parent / name for name in LOCAL_FILES if (spec_file.parent / name).is_file()]
    if len(present) > 1:
        raise DeployerError(f"both {' and '.join(display_path(p) for p in present)} exist: keep one")
    return present[0] if present else None


def local_overrides(spec_file: Path, declared: set[str]) -> dict[str, str]:
    """NAME -> value from the local override file (empty where there is none)."""
    path = local_override_file(spec_file)
    if path is None:
        return {}
    if path.suffix == ".cue":
        data, lines = _cue_values(path), {}
    else:
        data, lines = load_yaml(path)
    if not isinstance(data, dict):
        raise SpecInvalid([Problem(display_path(path), None, "", "expected NAME: \"value\" for each secret")])
    problems = []
    for name, value in data.items():
        line = lines.get((name,))
        if name not in declared:
            problems.append(Problem(display_path(path), line, str(name),
                                    f"{quoted(name)} is not a declared secret (declared: "
                                    f"{', '.join(sorted(declared)) or 'none'})"))
        elif not isinstance(value, str):
            problems.append(Problem(display_path(path), line, str(name), "the value must be a string"))
        elif "\0" in value:
            problems.append(Problem(display_path(path), line, str(name),
                                    "the value holds a NUL byte, which no environment variable can carry"))
    if problems:
        raise SpecInvalid(problems)
    return data


def _cue_values(path: Path) -> object:
    text = read_source(path)
    if match := _PACKAGE.search(text):
        line = text.count("\n", 0, match.start()) + 1
        raise SpecInvalid([Problem(display_path(path), line, "", "no `package` clause here: the file is "
                                   "evaluated on its own, never as part of the spec's package")])
    try:
        return export_cue(path, {})
    except SpecInvalid as err:
        raise SpecInvalid([Problem(p.file, p.line, p.path, _without_values(p.message))
                           for p in err.problems]) from None


def _without_values(message: str) -> str:
    """CUE's message up to the first value it shows, in any syntax (a string, bytes, a number, a list, a
    struct): the place and the reason, never a value."""
    match = _VALUE_START.search(message)
    return message if match is None else f"{message[:match.start()].rstrip()} … (values not shown)"
