"""Work done in a forked process (diff's base plan, validate's environments): its result, or its error
with the exit code and what the error carries, comes back whole."""

import pytest

from deployer.errors import DeployerError, Problem, SpecInvalid
from deployer.forked import forked
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
