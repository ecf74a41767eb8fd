"""infra.secrets.yaml under concurrent writers: every `secret set` keeps its value; a writer waits for
the lock (saying so), and gives up with exit 4 after DEPLOYER_LOCK_TIMEOUT seconds."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from deployer.errors import EXIT_PRECONDITION
from deployer.secrets.file_store import FileStore
from deployer.secrets.lock import locked
from deployer.secrets.scopes import Scope

DEPLOYER = Path(sys.executable).parent / "deployer"
NAMES = [f"S{i:02}" for i in range(1, 21)]


@pytest.fixture
def many_secrets(project) -> Path:
    (project / "infra.yaml").write_text(f"app: shop\nsecrets: [{', '.join(NAMES)}]\n")
    return project


@pytest.mark.slow
def test_twenty_parallel_sets_keep_every_value(many_secrets, age_key):
    age_key()
    runs = [subprocess.Popen([DEPLOYER, "secret", "set", "--type", "production", name], cwd=many_secrets,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env={**os.environ, "NO_COLOR": "1"})
            for name in NAMES]
    for name, run in zip(NAMES, runs, strict=True):
        run.stdin.write(f"value of {name}".encode())
        run.stdin.close()
    for run in runs:
        assert run.wait(timeout=120) == 0, run.stderr.read().decode()
        run.stdout.close()
        run.stderr.close()

    store = FileStore(many_secrets / FileStore.FILE_NAME)
    assert {name: store.read(name, Scope("type", "production")) for name in NAMES} == \
        {name: f"value of {name}" for name in NAMES}
    assert not (many_secrets / ".infra.secrets.yaml.lock").exists()


def test_a_writer_waits_for_the_lock_then_gives_up_with_exit_4(many_secrets, age_key, deployer, monkeypatch):
    age_key()
    monkeypatch.setenv("DEPLOYER_LOCK_TIMEOUT", "0.3")
    with locked(many_secrets / FileStore.FILE_NAME, lambda _: None):
        result = deployer("secret", "set", "--type", "production", "S01", stdin="v")

    assert result.exit_code == EXIT_PRECONDITION
    assert f"waiting for another deployer (process {os.getpid()}) to finish with infra.secrets.yaml" in result.stderr
    assert (f"infra.secrets.yaml is locked by another deployer (process {os.getpid()}) for more than 0.3 s: "
            "wait for it to end, or raise DEPLOYER_LOCK_TIMEOUT (seconds)") in result.stderr
    assert not (many_secrets / FileStore.FILE_NAME).exists()


def test_the_lock_is_taken_again_once_released(many_secrets, age_key, deployer):
    age_key()
    with locked(many_secrets / FileStore.FILE_NAME, lambda _: None):
        pass

    assert deployer("secret", "set", "--type", "production", "S01", stdin="v").exit_code == 0
    assert deployer("secret", "unset", "--type", "production", "S01").exit_code == 0


def test_a_timeout_that_is_not_a_number_is_a_usage_error(many_secrets, age_key, deployer, monkeypatch):
    age_key()
    monkeypatch.setenv("DEPLOYER_LOCK_TIMEOUT", "soon")
    result = deployer("secret", "set", "--type", "production", "S01", stdin="v")

    assert result.exit_code == 2
    assert "DEPLOYER_LOCK_TIMEOUT must be a number of seconds (0 or more)" in result.stderr


def test_a_lock_file_planted_as_a_link_is_refused_and_its_target_kept(many_secrets, age_key, deployer, tmp_path):
    age_key()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (many_secrets / ".infra.secrets.yaml.lock").symlink_to(victim)
    result = deployer("secret", "set", "--type", "production", "S01", stdin="v")
    assert result.exit_code == EXIT_PRECONDITION
    assert "the lock file .infra.secrets.yaml.lock is a symbolic link: deployer writes no file through one" \
        in result.stderr
    assert victim.read_text() == "precious"
