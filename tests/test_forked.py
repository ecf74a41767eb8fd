"""Work done in a forked process (diff's base plan, validate's environments): its result, or its error
with the exit code and what the error carries, comes back whole."""

import os
import time

import pytest

from deployer.errors import DeployerError, Problem, SpecInvalid
from deployer.forked import each_in_two_processes, forked
from deployer.secrets.resolution import MissingSecrets


def test_the_forked_work_gives_back_its_result():
    assert forked(lambda: {"resources": [{"urn": "u"}], "outputs": {}})() == {"resources": [{"urn": "u"}],
                                                                             "outputs": {}}


def test_the_forked_work_gives_back_its_error_and_exit_code():
    def failing() -> dict:
        raise DeployerError("the base does not plan", 4)

    with pytest.raises(DeployerError) as raised:
        forked(failing)()
    assert (str(raised.value), raised.value.exit_code) == ("the base does not plan", 4)


def test_a_spec_problem_comes_back_with_its_located_problems():
    problem = Problem("infra.yaml", 3, "caches.x", "unknown field")

    def failing() -> dict:
        raise SpecInvalid([problem])

    with pytest.raises(SpecInvalid) as raised:
        forked(failing)()
    assert raised.value.problems == [problem] and raised.value.exit_code == 1


def test_an_error_of_its_own_making_comes_back_as_its_kind(example_env):
    env = example_env("shop-yaml", "prod")

    def failing() -> dict:
        raise MissingSecrets(env, ["StripeKey"], env.spec_file)

    with pytest.raises(MissingSecrets) as raised:
        forked(failing)()
    assert raised.value.missing == ["StripeKey"] and "StripeKey" in str(raised.value) and raised.value.exit_code == 4


def test_each_item_is_worked_once_in_order_by_two_processes():
    def work(item: int) -> tuple[int, int]:
        time.sleep(0.05)  # long enough that the forked process takes some
        return item * item, os.getpid()

    results = each_in_two_processes(work, list(range(8)))

    assert [square for square, _ in results] == [n * n for n in range(8)]
    assert len({pid for _, pid in results}) == 2


def test_an_error_in_either_process_comes_back():
    def work(item: int) -> int:
        time.sleep(0.05)
        if item == 3:
            raise SpecInvalid([Problem("infra.yaml", item, "envs", "refused")])
        return item

    with pytest.raises(SpecInvalid) as raised:
        each_in_two_processes(work, list(range(6)))
    assert raised.value.problems == [Problem("infra.yaml", 3, "envs", "refused")]


def test_a_bug_in_the_forked_work_comes_back_as_its_exception():
    def failing() -> dict:
        return {}["missing"]

    with pytest.raises(KeyError):
        forked(failing)()


def test_work_forked_from_a_forked_process_runs_there():
    def nested() -> tuple[int, int]:
        return os.getpid(), forked(os.getpid)()

    outer, inner = forked(nested)()
    assert outer == inner != os.getpid()
