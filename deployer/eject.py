"""`deployer eject`: a standalone Pulumi Python project that creates ENV's resources without deployer.

The project runs the same provider program as `up`: the provider's modules and the few deployer
modules they import are copied into `vendor/` (found by following their imports), and the resolved
environment is written as `environment.json`. Secret values come from the stack's Pulumi config
(`pulumi config set --secret secrets:NAME`), never from files.
"""

import ast
import importlib.metadata
import importlib.util
import json
import shutil
import sys
from pathlib import Path

import yaml

from deployer.clouds import BUILT_IN, cloud
from deployer.errors import UsageError, display_path
from deployer.speclang.resolved import ResolvedEnv

MAIN = '''"""Pulumi program of {stack}, ejected from deployer: runs without it (see README.md)."""

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE / "vendor"))

import pulumi  # noqa: E402

from deployer.speclang.environments import EnvInfo  # noqa: E402
from deployer.speclang.model import Infra  # noqa: E402
from deployer.speclang.resolved import ResolvedEnv  # noqa: E402
from {program_module} import {program_name}  # noqa: E402

document = json.loads((HERE / "environment.json").read_text())
env = ResolvedEnv(EnvInfo(**document["info"]), Infra.model_validate(document["spec"]), HERE / "environment.json")
config = pulumi.Config("secrets")
{program_name}(env, {{name: config.require_secret(name) for name in document["secrets"]}})
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
    try:
        if out.exists() and (not out.is_dir() or any(out.iterdir())):
            raise UsageError(f"{display_path(out)} is not empty: eject writes a new project (give an empty folder)")
        out.mkdir(parents=True, exist_ok=True)
        _write_project(env, out)
    except OSError as err:
        raise UsageError(f"could not write the project in {display_path(out)} ({err.strerror or err}): "
                         "give a folder you can write") from None
    return out


def _write_project(env: ResolvedEnv, out: Path) -> None:
    program = cloud(env.provider).program()
    packages = {"deployer", program.__module__.split(".")[0]}
    # the model takes each built-in cloud's blocks by name (deployer.clouds.spec_blocks)
    modules = module_closure([program.__module__, *(f"{package}.settings" for package in BUILT_IN)], packages)
    vendor = out / "vendor"
    for module in sorted(modules):
        source = _source_file(module)
        target = vendor.joinpath(*module.split(".")).with_suffix(".py")
        if source.name == "__init__.py":
            target = vendor.joinpath(*module.split("."), "__init__.py")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    secrets = env.spec.used_secrets()
    (out / "environment.json").write_text(json.dumps({
        "info": {"name": env.info.name, "type": env.info.type, "provider": env.info.provider,
                 "declared": env.info.declared},
        "spec": env.spec.model_dump(mode="json", by_alias=True, exclude_none=True),
        "secrets": secrets,
    }, indent=2) + "\n")
    (out / "__main__.py").write_text(MAIN.format(stack=env.stack, program_module=program.__module__,
                                                 program_name=program.__name__))
    (out / "Pulumi.yaml").write_text(_yaml({
        "name": env.app, "description": f"{env.app} {env.name}, ejected from deployer",
        "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}}))
    # through a YAML writer: a setting's text stays one value, whatever it holds
    (out / f"Pulumi.{env.stack}.yaml").write_text(_yaml({"config": cloud(env.provider).stack_config(env)}))
    (out / "requirements.txt").write_text("".join(f"{r}\n" for r in requirements(modules, packages)))
    secret_lines = "".join(f"pulumi config set --secret secrets:{name}   # its value, from your secret store\n"
                           for name in secrets)
    (out / "README.md").write_text(README.format(stack=env.stack, env=env.name, app=env.app,
                                                 secret_lines=secret_lines))


def _yaml(document: dict) -> str:
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def module_closure(roots: list[str], packages: set[str]) -> set[str]:
    """Every module of `packages` (with its parent packages) that `roots` import, transitively."""
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
                    if m.split(".")[0] in packages and _is_module(m)]
    return seen


def _is_module(name: str) -> bool:
    """Whether NAME is a module (`from package import name` may import a function instead)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False


def _source_file(module: str) -> Path:
    return Path(importlib.util.find_spec(module).origin)


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


def requirements(modules: set[str], packages: set[str]) -> list[str]:
    """The third-party distributions the vendored modules import, pinned to the installed versions."""
    imported = {name.split(".")[0] for module in modules for name in _imports(module)}
    distributions = importlib.metadata.packages_distributions()
    names = {dist for top in imported - packages - set(sys.stdlib_module_names)
             for dist in distributions.get(top, [])}
    return sorted(f"{name}=={importlib.metadata.version(name)}" for name in names)
