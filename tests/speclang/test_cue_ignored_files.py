"""Issue 24, point 15: CUE ignores the .cue files whose names start with `_` (or `.`) when it loads a
package; deployer reads the package as CUE does, so such a file neither adds tags CUE would refuse,
nor a second package, nor anything to the spec."""

import pytest

SPEC = 'package infra\napp: "shop"\naws: region: "eu-west-1"\nbuckets: avatars: {}\n'


@pytest.mark.parametrize("ignored", [
    'package infra\nenvType: string @tag(envType)\nbuckets: "from-ignored": {}\n',  # a tag CUE never sees
    "package other\n",  # another package
], ids=["tag", "package"])
def test_a_file_cue_ignores_is_ignored(deployer, tmp_path, ignored):
    (tmp_path / "infra.cue").write_text(SPEC)
    (tmp_path / "_draft.cue").write_text(ignored)

    validated = deployer("--spec", str(tmp_path), "validate")
    planned = deployer("--spec", str(tmp_path), "plan", "--env", "prod", "--format", "json")

    assert validated.exit_code == 0, validated.stderr
    assert planned.exit_code == 0, planned.stderr
    assert "avatars" in planned.stdout and "from-ignored" not in planned.stdout
