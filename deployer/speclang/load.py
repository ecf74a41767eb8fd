"""Finding, evaluating and resolving a spec: the entry points every command uses."""

import re
from dataclasses import dataclass, field
from difflib import get_close_matches
from functools import cached_property
from itertools import count
from pathlib import Path

from deployer.clouds import registered, type_defaults
from deployer.cycles import without_cycle_collection
from deployer.errors import Finding, Problem, SpecInvalid, SpecPath, UsageError, display_path, dotted, quoted
from deployer.forked import each_in_two_processes
from deployer.speclang import rules, unique_names
from deployer.speclang.cue import EvaluationCache, cue_sources, declared_tags, export_cue, source_problems
from deployer.speclang.environments import (
    PREVIEW_TYPE,
    EnvInfo,
    declared_environments,
    environment_data,
    environment_info,
    override_findings,
    written_at,
)
from deployer.speclang.model import DEFAULT_PROVIDER, Infra
from deployer.speclang.naming import ResourceName
from deployer.speclang.resolved import ResolvedEnv
from deployer.speclang.validation import model_findings, valid_part
from deployer.speclang.yaml_source import Lines, load_yaml

SPEC_FILES = ("infra.cue", "infra.yaml", "infra.yml")
_CUE_PREAMBLE = re.compile(r"\s*(//.*|package\s.*)?")
DISCOVERY = EnvInfo("prod", "production", DEFAULT_PROVIDER)


def find_spec(option: str | Path | None) -> Path:
    """`--spec PATH` (a file, or a folder holding infra.cue / infra.yaml), else the current folder or
    its nearest parent holding one (as git, Pulumi and SST find theirs)."""
    where = Path(option) if option else Path.cwd()
    if where.is_file():
        return where
    if where.is_dir():
        for folder in [where] if option else [where, *where.parents]:
            for name in SPEC_FILES:
                if (folder / name).is_file():
                    return folder / name
        searched = display_path(where) + ("" if option else " or its parents")
        raise UsageError(f"no infra.cue or infra.yaml in {searched} (give --spec PATH, or run `deployer init`)")
    raise UsageError(f"spec {option} does not exist")


@dataclass
class Spec:
    """One spec file, evaluated per environment on demand (CUE may branch on `env`/`envType`)."""

    file: Path
    _evaluations: dict = field(default_factory=dict, repr=False)
    _yaml_lines: Lines | None = field(default=None, repr=False)

    @property
    def is_cue(self) -> bool:
        return self.file.suffix == ".cue"

    def data(self, env: EnvInfo = DISCOVERY) -> object:
        """The raw spec data as ENV sees it."""
        key = self._evaluation_key(env)
        if key not in self._evaluations:
            if self.is_cue:
                data = self._cue_data(key)
                if key != self._evaluation_key(DISCOVERY) and isinstance(data, dict):
                    data = _sharing(data, self.data())
                self._evaluations[key] = data
            else:
                self._evaluations[key], self._yaml_lines = load_yaml(self.file)
        return self._evaluations[key]

    def _cue_data(self, key: tuple) -> object:
        """The evaluation of one set of tags; CUE's problems without a line located at their path."""
        if problems := source_problems(self.file):
            raise SpecInvalid(problems)
        try:
            return export_cue(self.file, dict(key), self._cue_cache)
        except SpecInvalid as err:
            raise SpecInvalid([self._located(problem) for problem in err.problems]) from None

    def _located(self, problem: Problem) -> Problem:
        if problem.line is not None or not problem.path:
            return problem
        located = self.problem(tuple(part.strip('"') for part in problem.path.split(".")), problem.message)
        return Problem(located.file, located.line, problem.path, problem.message) if located.line else problem

    def _evaluation_key(self, env: EnvInfo) -> tuple | None:
        """The tag values CUE evaluates ENV with: only the tags the spec declares, so that a spec
        that does not branch on `env` or `envType` is evaluated once for all environments."""
        if not self.is_cue:
            return None
        return tuple((tag, value) for tag, value in (("env", env.name), ("envType", env.type))
                     if tag in self._declared_tags)

    @cached_property
    def _cue_cache(self) -> EvaluationCache:
        return EvaluationCache(self.file.parent / ".deployer/cue", self.file)

    @cached_property
    def _declared_tags(self) -> dict[str, str]:
        return declared_tags(self.file)

    def environments(self) -> dict[str, EnvInfo]:
        data = self.data()
        return declared_environments(data) if isinstance(data, dict) else {}

    def merged(self, env: EnvInfo) -> dict:
        """The data ENV deploys: its evaluation under its cloud's type defaults and its overrides."""
        return environment_data(self.data(env), env, type_defaults(env.type))

    def every_environment(self) -> list[EnvInfo]:
        """The declared environments, and where none is a preview a `pr-<number>` stand-in: what
        preview overrides make of the spec is checked too."""
        declared = self.environments()
        if any(env.type == PREVIEW_TYPE for env in declared.values()):
            return list(declared.values())
        return [*declared.values(), self.environment(next(name for n in count(1) if (name := f"pr-{n}") not in declared))]

    def environment(self, name: str) -> EnvInfo:
        """A declared or implicit preview environment, or a usage error with the closest name."""
        data = self.data()
        info = environment_info(data, name) if isinstance(data, dict) else None
        if info is None:
            known = sorted(self.environments())
            hint = get_close_matches(name, known, n=1)
            raise UsageError(f"unknown environment {quoted(name)}"
                             + (f"; did you mean {quoted(hint[0])}?" if hint else "")
                             + f" (declared: {', '.join(known)}; pr-<number> is a preview)")
        return info

    @cached_property
    def base(self) -> tuple[Infra | None, list[Finding]]:
        """The spec as written, before any environment applies: its model, or why it has none."""
        return model_findings(self.data())

    def problem(self, path: SpecPath, message: str) -> Problem:
        file, line = self.location(path)
        return Problem(display_path(file), line, dotted(path), message)

    def location(self, path: SpecPath) -> tuple[Path, int | None]:
        """The file and line a spec path is written on, or its closest written parent's (in a CUE
        package: the file that writes most of the path)."""
        if self.is_cue and not path:
            return self.file, _first_value_line(self.file.read_text())
        if self.is_cue:
            sources = [self.file, *(s for s in cue_sources(self.file) if s != self.file)]
            found = [(_cue_label(source.read_text(), path), source) for source in sources]
            (depth, line), source = max(found, key=lambda f: f[0][0])  # the first of the deepest
            return (source, line) if depth else (self.file, None)
        self.data()
        for end in range(len(path), -1, -1):
            if (line := self._yaml_lines.get(path[:end])) is not None:
                return self.file, line
        return self.file, None


def _sharing(data: dict, base: object) -> dict:
    """`data` with the top-level sections equal to the base evaluation's taken from it: validation
    then checks only the sections an environment's evaluation changes."""
    if not isinstance(base, dict):
        return data
    return {key: base[key] if key in base and base[key] == value else value for key, value in data.items()}


def load_spec(option: str | Path | None) -> Spec:
    return Spec(find_spec(option))


def resolve(spec: Spec, env_name: str) -> ResolvedEnv:
    """The resolved model of one environment, or every problem that prevents it."""
    with without_cycle_collection(kept=True):
        info = spec.environment(env_name)
        resolved, problems, _ = _resolve(spec, info)
    if problems:
        raise SpecInvalid(problems)
    return resolved


def validate(spec: Spec, env_name: str | None = None) -> list[Problem]:
    """Every problem of the spec, for one environment or for all of them (the problems of reading
    it, where it cannot be read)."""
    try:
        with without_cycle_collection(kept=True):
            return _problems(spec, env_name)
    except SpecInvalid as err:
        return err.problems


def _problems(spec: Spec, env_name: str | None) -> list[Problem]:
    base_data = spec.data()
    base_model, findings = spec.base
    if base_model is not None:
        findings = rules.check_base(base_model)
    problems = [spec.problem(path, message) for path, message in findings]
    if not isinstance(base_data, dict):
        return problems
    envs = [spec.environment(env_name)] if env_name else spec.every_environment()
    checked = _checked(spec, envs)
    for _, env_problems, _ in checked:
        problems += env_problems
    if not env_name:
        problems += _across_environments(spec, [(env, names) for env, env_problems, names in checked
                                                if env.deployable and not env_problems])
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.path, p.message))


# Entries (of every section, in every environment checked) from which sharing the environments out
# with a forked process saves more than the fork and the results' way back cost (measured: 300
# generated services in five environments, 9,000 entries, gained 4%; 1,000 services, 30,000 entries, 12%).
FORK_FROM = 10_000


def _checked(spec: Spec, envs: list[EnvInfo]) -> list[tuple[EnvInfo, list[Problem], list[ResourceName]]]:
    """Each environment's problems, and the names its cloud gives its resources where it is deployed;
    a large spec's environments shared out between this process and a forked one."""
    def check(env: EnvInfo) -> tuple[EnvInfo, list[Problem], list[ResourceName]]:
        _, problems, names = _resolve(spec, env)
        return env, problems, names if env.deployable else []

    data = spec.data()
    entries = sum(len(section) for section in data.values() if isinstance(section, dict)) * len(envs)
    if entries < FORK_FROM:
        return [check(env) for env in envs]
    registered()  # the clouds' modules imported before the fork, not in both processes
    return each_in_two_processes(check, envs)


def _across_environments(spec: Spec, envs: list[tuple[EnvInfo, list[ResourceName]]]) -> list[Problem]:
    """Physical names that two deployable environments would share in one account or project."""
    by_name = {env.name: env for env, _ in envs}

    def written(name: str, path: SpecPath) -> SpecPath:
        return written_at(spec.data(by_name[name]), by_name[name], path)

    found = unique_names.across_environments(((env.name, env.provider, names) for env, names in envs), written)
    return [spec.problem(written(name, path), message) for name, (path, message) in found]


def _resolve(spec: Spec, info: EnvInfo) -> tuple[ResolvedEnv | None, list[Problem], list[ResourceName]]:
    """ENV's resolved model, or the problems that prevent it; and the names its cloud gives its
    resources (for the check across environments). One pass each, each reporting what it finds even
    where an earlier one failed: the data, its model, the references and rules, the names."""
    data = spec.data(info)
    if not isinstance(data, dict):
        return None, [spec.problem((), "the spec must be a mapping of fields")], []
    base_model = spec.base[0]
    env_data = spec.merged(info)
    model, findings = model_findings(env_data, (spec.data(), base_model) if base_model is not None else None)
    # Where the model refused values, the rest of it: the rules run there, but on none of those values.
    checked, taken = (model, []) if model is not None else valid_part(env_data, findings)
    names: list[ResourceName] = []
    if checked is not None:
        names = unique_names.environment_names(checked, info)
        refused = {(str(path[0]), str(path[1])) for path in taken if len(path) >= 2}
        findings += [(path, message) for path, message in
                     [*rules.check(checked, info, refused), *unique_names.name_findings(names)]
                     if not any(path[:len(out)] == out for out in taken)]
        if model is not None:
            findings += rules.local_ports(model, info, base_model)
    problems = [spec.problem(written_at(data, info, path), message) for path, message in findings]
    problems += [spec.problem(path, message) for path, message in override_findings(data, info)]
    if problems or model is None:
        return None, problems, names
    return ResolvedEnv(info, model, spec.file), [], names


def _first_value_line(text: str) -> int | None:
    """The line a CUE file's value starts on: the first after comments and the package clause."""
    return next((n for n, line in enumerate(text.splitlines(), 1) if not _CUE_PREAMBLE.fullmatch(line)), None)


def _cue_label(text: str, path: SpecPath) -> tuple[int, int | None]:
    """Find each label of `path` in order in the CUE source: how many were found, and the line of
    the deepest one."""
    position, depth, line = 0, 0, None
    for part in path:
        if isinstance(part, int):
            continue
        label = re.compile(r'(?<![\w"-])"?' + re.escape(part) + r'"?\??\s*:')
        match = label.search(text, position)
        if not match:
            break
        position = match.end()
        depth += 1
        line = text.count("\n", 0, match.start()) + 1
    return depth, line
