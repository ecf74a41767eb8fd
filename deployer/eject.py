"""`deployer eject`: a standalone Pulumi Python project that creates ENV's resources without deployer.

The project runs the same provider program as `up`: the provider's modules and the few deployer
modules they import are copied into `vendor/` (found by following their imports), and the resolved
environment is written as `environment.json`. Secret values come from the stack's Pulumi config
(`pulumi config set --secret secrets:NAME`), never from files.
"""

import ast
import importlib.metadata
import json
import shutil
import sys
from pathlib import Path

from deployer.errors import UsageError, display_path
from deployer.spec.load import ResolvedEnv

ROOT = Path(__file__).resolve().parents[1]
VENDORED_PACKAGES = ("deployer", "providers")

MAIN = '''"""Pulumi program of {stack}, ejected from deployer: runs without it (see README.md)."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "vendor"))

import pulumi  # noqa: E402

from deployer.spec.environments import EnvInfo  # noqa: E402
from deployer.spec.load import ResolvedEnv  # noqa: E402
from deployer.spec.model import Infra  # noqa: E402
from providers.{provider} import PROVIDER  # noqa: E402

document = json.loads((HERE / "environment.json").read_text())
env = ResolvedEnv(EnvInfo(**document["info"]), Infra.model_validate(document["spec"]), HERE / "environment.json")
config = pulumi.Config("secrets")
PROVIDER.program(env, {{name: config.require_secret(name) for name in document["secrets"]}})
'''

README = """# {stack}: ejected from deployer

A standalone Pulumi project that creates the resources of environment `{env}` of `{app}` as
`deployer up --env {env}` does, without deployer. `environment.json` is the resolved spec;
`vendor/` holds the provider program and the modules it needs.

```sh
python -m venv venv && venv/bin/pip install -r requirements.txt
pulumi stack init {stack}          # or select the stack deployer created (same backend)
{secret_lines}pulumi up
```
"""


def eject_environment(env: ResolvedEnv, out: Path) -> Path:
    """Write the project for ENV into `out` (which must be empty or absent); returns `out`."""
    if out.exists() and any(out.iterdir()):
        raise UsageError(f"{display_path(out)} is not empty: eject writes a new project (give an empty folder)")
    modules = module_closure([f"providers.{env.provider}", "providers.shared"])
    vendor = out / "vendor"
    for module in sorted(modules):
        source = _source_file(module)
        target = vendor / source.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    secrets = env.spec.used_secrets()
    (out / "environment.json").write_text(json.dumps({
        "info": {"name": env.info.name, "type": env.info.type, "provider": env.info.provider,
                 "declared": env.info.declared},
        "spec": env.spec.model_dump(mode="json", by_alias=True, exclude_none=True),
        "secrets": secrets,
    }, indent=2) + "\n")
    (out / "__main__.py").write_text(MAIN.format(stack=env.stack, provider=env.provider))
    (out / "Pulumi.yaml").write_text(
        f"name: {env.app}\ndescription: {env.app} {env.name}, ejected from deployer\n"
        "runtime:\n  name: python\n  options:\n    toolchain: pip\n    virtualenv: venv\n")
    (out / f"Pulumi.{env.stack}.yaml").write_text(_stack_config(env))
    (out / "requirements.txt").write_text("".join(f"{r}\n" for r in requirements(modules)))
    secret_lines = "".join(f"pulumi config set --secret secrets:{name}   # its value, from your secret store\n"
                           for name in secrets)
    (out / "README.md").write_text(README.format(stack=env.stack, env=env.name, app=env.app,
                                                 secret_lines=secret_lines))
    return out


def _stack_config(env: ResolvedEnv) -> str:
    if env.provider == "aws":
        return f"config:\n  aws:region: {env.spec.aws.region}\n"
    return f"config:\n  gcp:project: {env.spec.gcp.project}\n  gcp:region: {env.spec.gcp.region}\n"


def module_closure(roots: list[str]) -> set[str]:
    """Every deployer/providers module (with its parent packages) that `roots` import, transitively."""
    seen: set[str] = set()
    pending = list(roots)
    while pending:
        module = pending.pop()
        if module in seen:
            continue
        seen.add(module)
        parts = module.split(".")
        pending += [".".join(parts[:i]) for i in range(1, len(parts))]
        pending += [m for m in _imports(module)
                    if m.split(".")[0] in VENDORED_PACKAGES and _source_file(m).exists()]
    return seen


def _source_file(module: str) -> Path:
    path = ROOT.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def _imports(module: str) -> set[str]:
    """Absolute names `module` imports anywhere in it; for `from X import Y`, both X and X.Y."""
    source = _source_file(module)
    package = module.split(".") if source.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(source.read_text())):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def requirements(modules: set[str]) -> list[str]:
    """The third-party distributions the vendored modules import, pinned to the installed versions."""
    imported = {name.split(".")[0] for module in modules for name in _imports(module)}
    distributions = importlib.metadata.packages_distributions()
    names = {dist for top in imported - set(VENDORED_PACKAGES) - set(sys.stdlib_module_names)
             for dist in distributions.get(top, [])}
    return sorted(f"{name}=={importlib.metadata.version(name)}" for name in names)
