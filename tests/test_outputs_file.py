"""Issue 24, point 13: `outputs --out FILE` replaces FILE whole or not at all. A full disk (a real
tmpfs), /dev/full or a missing folder is exit 4 with the reason, and an existing FILE is kept intact."""

import json

from support.filesystems import small_tmpfs

from deployer.errors import EXIT_PRECONDITION

OLD = json.dumps({"kept": "x" * 8000})  # more than one 4 KB block


def planned(deployer, spec_file, out: str):
    spec = spec_file("app: shop\naws: {region: eu-west-1}\nbuckets: {avatars: {}}\n")
    return deployer("--spec", str(spec), "outputs", "--env", "prod", "--planned", "--out", out)


def test_the_file_is_written_whole(deployer, spec_file, tmp_path):
    out = tmp_path / "outputs.json"
    out.write_text(OLD)
    result = planned(deployer, spec_file, str(out))
    assert result.exit_code == 0, result.stderr
    assert json.loads(out.read_text())["services"] == {}
    assert sorted(path.name for path in tmp_path.iterdir()) == ["infra.yaml", "outputs.json"]  # no temporary left


def test_a_full_disk_is_exit_4_and_keeps_the_file(deployer, spec_file, tmp_path):
    with small_tmpfs(tmp_path / "disk", {"outputs.json": OLD.encode()}, full=True) as disk:
        result = planned(deployer, spec_file, str(disk / "outputs.json"))
        assert result.exit_code == EXIT_PRECONDITION, result.stderr
        assert "No space left on device" in result.stderr
        assert (disk / "outputs.json").read_text() == OLD
        assert sorted(path.name for path in disk.iterdir()) == [".filler", "outputs.json"]


def test_a_read_only_folder_is_exit_4(deployer, spec_file, tmp_path):
    with small_tmpfs(tmp_path / "disk", {"outputs.json": OLD.encode()}, read_only=True) as disk:
        result = planned(deployer, spec_file, str(disk / "outputs.json"))
        assert result.exit_code == EXIT_PRECONDITION, result.stderr
        assert "Read-only file system" in result.stderr and (disk / "outputs.json").read_text() == OLD


def test_dev_full_is_exit_4(deployer, spec_file):
    result = planned(deployer, spec_file, "/dev/full")
    assert result.exit_code == EXIT_PRECONDITION, result.stderr
    assert "could not write /dev/full (No space left on device)" in result.stderr


def test_a_missing_folder_is_exit_4_naming_it(deployer, spec_file, tmp_path):
    result = planned(deployer, spec_file, str(tmp_path / "missing" / "outputs.json"))
    assert result.exit_code == EXIT_PRECONDITION, result.stderr
    assert f"the folder {tmp_path / 'missing'} does not exist" in result.stderr
