"""`init` never writes through a symbolic link: not to a dangling link's target, not over a link's
target with --force (issue 15, point 10)."""

from deployer.errors import EXIT_USAGE


def test_init_refuses_a_dangling_link_where_the_spec_goes(deployer, tmp_path):
    (tmp_path / "infra.cue").symlink_to(tmp_path / "elsewhere.cue")
    result = deployer("init", "--spec", str(tmp_path))
    assert result.exit_code == EXIT_USAGE
    assert "infra.cue is a symbolic link: init writes no file through one" in result.stderr
    assert not (tmp_path / "elsewhere.cue").exists()


def test_init_force_leaves_a_linked_spec_and_schema_untouched(deployer, tmp_path):
    target = tmp_path / "shared.yaml"
    target.write_text("app: shared\n")
    (tmp_path / "infra.yaml").symlink_to(target)
    result = deployer("init", "--yaml", "--force", "--spec", str(tmp_path))
    assert result.exit_code == EXIT_USAGE and "is a symbolic link" in result.stderr
    assert target.read_text() == "app: shared\n"
    (tmp_path / "infra.yaml").unlink()
    (tmp_path / "infra.schema.json").symlink_to(target)
    result = deployer("init", "--yaml", "--spec", str(tmp_path))
    assert result.exit_code == EXIT_USAGE and "infra.schema.json is a symbolic link" in result.stderr
    assert target.read_text() == "app: shared\n" and not (tmp_path / "infra.yaml").exists()
