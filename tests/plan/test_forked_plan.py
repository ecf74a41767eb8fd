"""diff plans the base in a forked process: its plan, or its error with the exit code, comes back whole."""

import pytest

from deployer.errors import DeployerError
from deployer.plan.diff import _forked


def test_the_forked_work_gives_back_its_result():
    assert _forked(lambda: {"resources": [{"urn": "u"}], "outputs": {}})() == {"resources": [{"urn": "u"}],
                                                                              "outputs": {}}


def test_the_forked_work_gives_back_its_error_and_exit_code():
    def failing() -> dict:
        raise DeployerError("the base does not plan", 4)

    with pytest.raises(DeployerError) as raised:
        _forked(failing)()
    assert (str(raised.value), raised.value.exit_code) == ("the base does not plan", 4)
