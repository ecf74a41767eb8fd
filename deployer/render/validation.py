"""How `deployer validate` shows its verdict (but for --format json, the problems are the error it exits with)."""

from deployer.errors import Problem
from deployer.speclang.load import Spec


def document(problems: list[Problem]) -> dict:
    return {"valid": not problems, "problems": [p.as_dict() for p in problems]}


def valid_line(spec: Spec, env: str | None) -> str:
    """`infra.yaml is valid (4 environments)`."""
    scope = f"environment {env}" if env else f"{len(spec.environments())} environments"
    return f"{spec.file.name} is valid ({scope})"
