"""run_offline in a forked process (a large spec's plan): the same plan as in this process, and what
the program raises reaches the caller."""

import pytest

from deployer.clouds import cloud
from deployer.errors import UsageError
from deployer.plan import document
from deployer.plan.offline import PlaceholderMocks, run_offline


@pytest.mark.parametrize("example, env", [("shop", "prod"), ("shop", "staging")])  # AWS, GCP
def test_a_forked_plan_is_the_plan(monkeypatch, example_env, example_plan, example, env):
    monkeypatch.setattr(document, "FORK_FROM", 0)
    assert document.runs_forked(example_env(example, env))
    assert document.build_plan(example_env(example, env)) == example_plan(example, env)


class Unrebuilt(Exception):
    def __init__(self, message: str, detail: int):
        super().__init__(message)


def raising(error: BaseException):
    def program() -> None:
        raise error
    return program


def test_what_the_forked_program_raises_reaches_the_caller():
    mocks = PlaceholderMocks(*cloud("aws").mocks())
    with pytest.raises(UsageError, match="^refused$") as refused:
        run_offline(raising(UsageError("refused", exit_code=2)), mocks, "app", "app-prod", in_fork=True)
    assert refused.value.exit_code == 2
    with pytest.raises(KeyError) as missing:
        run_offline(raising(KeyError("name")), mocks, "app", "app-prod", in_fork=True)
    assert "in program" in missing.value.__notes__[0]  # the forked process's traceback
    with pytest.raises(RuntimeError, match="Unrebuilt: lost"):
        run_offline(raising(Unrebuilt("lost", 1)), mocks, "app", "app-prod", in_fork=True)
