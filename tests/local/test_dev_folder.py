"""`.deployer/local/ENV/`: out of git, never written or wiped through a link planted there, and owned
through a kernel lock rather than a pid file (issue 24, points 4, 9 and 12). The spec declares no
resource, so `deployer dev` starts no server and each run takes a fraction of a second."""

import os
import subprocess
import sys

import pytest
from support.local_dev import DEPLOYER, run_deployer

SPEC = """
app: shop
aws: {region: eu-west-1}
services: {email: {}}
environments:
  local: {type: local, basePort: BASE_PORT}
"""
QUICK = ("dev", "--", sys.executable, "-c", "pass")


@pytest.fixture
def project(tmp_path, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("BASE_PORT", str(base_port)))
    return spec


def test_dev_and_init_keep_local_data_and_plaintext_secrets_out_of_git(project, deployer):
    folder = project.parent
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    (folder / ".gitignore").write_text("node_modules")  # the user's own, without a final newline
    project.write_text(project.read_text() + "secrets: [SendGridToken]\n")
    (folder / ".secrets.local.yaml").write_text('SendGridToken: "plaintext"\n')
    result = run_deployer(project, *QUICK)
    assert result.returncode == 0, result.stderr
    assert ".gitignore now ignores .deployer/ and .secrets.local.*" in result.stderr
    assert (folder / ".deployer/local/local/logs").is_dir()
    untracked = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=folder,
                               capture_output=True, text=True, check=True).stdout.split()
    assert sorted(untracked[1::2]) == [".gitignore", "infra.yaml"]
    assert (folder / ".gitignore").read_text() == "node_modules\n.deployer/\n.secrets.local.*\n"
    again = run_deployer(project, *QUICK)
    assert "gitignore" not in again.stderr
    fresh = folder / "fresh"
    assert deployer("init", "--spec", str(fresh)).exit_code == 0
    assert (fresh / ".gitignore").read_text() == ".deployer/\n.secrets.local.*\n"


def test_a_killed_dev_s_lock_file_neither_blocks_dev_nor_serves_its_outputs(project, deployer):
    folder = project.parent / ".deployer/local"
    assert run_deployer(project, *QUICK).returncode == 0
    # What a dev killed with SIGKILL leaves: its outputs, and a pid that now belongs to a live process.
    (folder / "local/outputs.json").write_text('{"services": {"stale": {}}}\n')
    (folder / ".local.lock").write_text(f"{os.getpid()}\n")
    stale = deployer("--spec", str(project), "outputs", "--env", "local")
    assert stale.exit_code == 4
    assert "`deployer dev --env local` is not running" in stale.stderr
    result = run_deployer(project, *QUICK)
    assert result.returncode == 0, result.stderr


def test_a_second_dev_of_one_environment_is_refused_naming_the_first(project, started):
    first = subprocess.Popen([DEPLOYER, "--spec", str(project), "dev", "--", sys.executable, "-c",
                              "import time; time.sleep(60)"], cwd=project.parent, stderr=subprocess.PIPE, text=True)
    started.append(first)
    for line in first.stderr:
        if " ready in " in line:
            break
    second = run_deployer(project, *QUICK)
    assert second.returncode == 4
    assert f"`deployer dev` already runs local (pid {first.pid}): stop it first" in second.stderr


@pytest.mark.parametrize("planted", ["local", "local/logs"])
def test_dev_refuses_a_folder_that_is_a_link_and_writes_nothing_through_it(project, tmp_path, planted):
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious").write_text("kept")
    link = project.parent / ".deployer/local" / planted
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(victim)
    result = run_deployer(project, *QUICK)
    assert result.returncode == 4, result.stderr
    assert f".deployer/local/{planted} is a symbolic link: deployer dev never writes or deletes through one" \
        in result.stderr
    assert sorted(path.name for path in victim.iterdir()) == ["precious"]
    assert (victim / "precious").read_text() == "kept"


def test_reset_on_a_linked_folder_refuses_loudly_and_keeps_the_data(project, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    (elsewhere / "redis").mkdir(parents=True)
    (elsewhere / "redis/appendonly.aof").write_text("SET k v")
    (project.parent / ".deployer/local").mkdir(parents=True)
    (project.parent / ".deployer/local/local").symlink_to(elsewhere)
    result = run_deployer(project, "dev", "--reset", "--", sys.executable, "-c", "pass")
    assert result.returncode == 4
    assert "--reset: .deployer/local/local is a symbolic link: deployer dev wipes no folder through one" in result.stderr
    assert (elsewhere / "redis/appendonly.aof").read_text() == "SET k v"


@pytest.mark.parametrize("name", ["outputs.json", "session.env", "logs/moto.log"])
def test_a_file_planted_as_a_link_is_replaced_never_written_through(project, tmp_path, base_port, name):
    project.write_text(project.read_text().replace("services: {email: {}}",
                                                   "buckets: {avatars: {}}\nservices: {email: {}}"))
    victim = tmp_path / "victim.txt"
    victim.write_text("kept")
    planted = project.parent / ".deployer/local/local" / name
    planted.parent.mkdir(parents=True)
    planted.symlink_to(victim)
    result = run_deployer(project, *QUICK)
    assert victim.read_text() == "kept"
    if name == "logs/moto.log":  # a log is opened with O_NOFOLLOW: the server does not start
        assert result.returncode == 4
        assert ".deployer/local/local/logs/moto.log is a symbolic link" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert not planted.exists() and not planted.is_symlink()  # gone with the run


def test_the_folder_is_the_user_s_alone(project):
    (project.parent / ".deployer/local/local").mkdir(parents=True, mode=0o755)
    assert run_deployer(project, *QUICK).returncode == 0
    assert (project.parent / ".deployer/local/local").stat().st_mode & 0o777 == 0o700


def test_a_link_planted_where_redis_writes_stops_dev_and_its_target_is_kept(project, tmp_path):
    project.write_text(project.read_text().replace("services: {email: {}}", "caches: {sessions: {evictionPolicy: "
                                                   "allkeys-lru}}\nservices: {email: {uses: {caches: [sessions]}}}"))
    victim = tmp_path / "victim.txt"
    victim.write_text("kept")
    planted = project.parent / ".deployer/local/local/redis/sessions/appendonly.aof"
    planted.parent.mkdir(parents=True)
    planted.symlink_to(victim)
    result = run_deployer(project, *QUICK)
    assert result.returncode == 4
    assert ".deployer/local/local/redis/sessions/appendonly.aof is a symbolic link" in result.stderr
    assert victim.read_text() == "kept"
