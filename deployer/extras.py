"""The optional parts of an installation (pyproject's extras): a command that lacks one names the
command that installs it."""

import importlib.util

from deployer.errors import PreconditionMissing

DISTRIBUTION = "deployer-iac"  # on PyPI (`pip install deployer` is an unrelated project); the command is deployer
LOCAL = "local"  # `deployer dev`'s servers and the clients that set them up


def install_command(extra: str) -> str:
    return f"pip install '{DISTRIBUTION}[{extra}]'"


def absent(modules: tuple[str, ...]) -> list[str]:
    """The MODULES this installation cannot import (none is imported)."""
    def found(module: str) -> bool:
        try:
            return importlib.util.find_spec(module) is not None
        except ModuleNotFoundError:  # its parent package is missing
            return False

    return [module for module in modules if not found(module)]


def require(extra: str, what: str, modules: tuple[str, ...]) -> None:
    """A precondition error (exit 4) naming the install command where WHAT (MODULES) is not all installed."""
    if missing := absent(modules):
        raise PreconditionMissing(f"{what}: not installed ({', '.join(missing)} missing); install deployer's "
                                  f"`{extra}` extra with {install_command(extra)}")
