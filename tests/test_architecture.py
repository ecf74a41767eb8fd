"""The structure the architecture page promises: no import cycle, a core that never names a cloud nor
imports a cloud SDK, and a wheel that installs the `deployer` package only."""

import ast
import subprocess
import sys
import zipfile
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

import pytest
from support.wheel import build_wheel

from deployer import clouds

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = {"deployer": ROOT / "deployer", "deployer.providers": ROOT / "providers"}
CLOUD_SDKS = ("pulumi_aws", "pulumi_gcp", "boto3", "botocore", "google")


def modules() -> dict[str, Path]:
    """Every module of deployer (the clouds included, as installed) by its dotted name."""
    found = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = path.relative_to(folder).with_suffix("").parts
            name = ".".join((package, *parts))
            found[name.removesuffix(".__init__")] = path
    return found


def imports(path: Path, module: str) -> set[str]:
    """What MODULE imports anywhere, lazily too, but for type checking only (`if TYPE_CHECKING:`)."""
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            node.body = []
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + [base]).strip(".")
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def import_graph() -> dict[str, set[str]]:
    """Module -> the deployer modules it imports (importing a.b.c runs a.b's __init__ too)."""
    known = modules()
    graph = {}
    for module, path in known.items():
        targets = set()
        for name in imports(path, module):
            parts = name.split(".")
            targets.update(".".join(parts[:i]) for i in range(2, len(parts) + 1) if ".".join(parts[:i]) in known)
        graph[module] = targets - {module}
    return graph


def test_the_tree_has_no_import_cycle():
    try:
        list(TopologicalSorter(import_graph()).static_order())
    except CycleError as err:
        pytest.fail(f"import cycle: {' -> '.join(err.args[1])}")


def test_the_core_never_names_a_cloud():
    """No cloud name as a string in the core (a branch, a table keyed by cloud), but the spec's default."""
    names = set(clouds.registered())
    for module, path in modules().items():
        if module.startswith("deployer.providers"):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and node.value in names:
                assert (module, node.value) == ("deployer.speclang.model", "aws"), f"{path}:{node.lineno}"


def test_the_core_imports_no_cloud_sdk():
    for module, path in modules().items():
        if not module.startswith("deployer.providers"):
            sdks = {name for name in imports(path, module) if name.split(".")[0] in CLOUD_SDKS}
            assert not sdks, f"{path} imports {sdks}"


def test_validate_loads_no_cloud_sdk(tmp_path):
    probe = ("import sys; from deployer.speclang.load import load_spec, validate; "
             f"validate(load_spec({str(ROOT / 'examples/shop-yaml')!r})); "
             f"print(sorted(m for m in sys.modules if m.split('.')[0] in {CLOUD_SDKS + ('pulumi',)!r}))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_the_wheel_installs_the_deployer_package_only(tmp_path):
    wheel = build_wheel(tmp_path)
    names = zipfile.ZipFile(wheel).namelist()
    assert {name.split("/")[0] for name in names if ".dist-info/" not in name} == {"deployer"}
    installed = {name.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
                 for name in names if name.endswith(".py")}
    assert set(modules()) - installed == set(), "a package is missing from pyproject's list"
    # every file the package reads at run time (templates, the CUE runner, the schema, py.typed) too
    shipped = {f"deployer/{path.relative_to(folder)}" if package == "deployer" else
               f"deployer/providers/{path.relative_to(folder)}"
               for package, folder in PACKAGES.items() for path in folder.rglob("*")
               if path.is_file() and "__pycache__" not in path.parts}
    assert shipped - set(names) == set(), "pyproject's package-data leaves these out"
