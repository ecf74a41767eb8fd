import pytest

from deployer.speclang import cue


@pytest.fixture
def evaluations(monkeypatch):
    """The arguments of every evaluation CUE actually runs."""
    calls = []
    evaluate = cue._evaluate

    def counted(command, folder, args):
        calls.append(args)
        return evaluate(command, folder, args)

    monkeypatch.setattr(cue, "_evaluate", counted)
    return calls
