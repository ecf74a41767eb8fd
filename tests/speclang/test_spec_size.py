"""Issue 24, point 16: a spec file past deployer's bound is refused before it is parsed, naming the bound
(a 30 MB spec took 45 s and 3.1 GB; 3,000 services take 0.25 MB)."""

import time

import pytest

from deployer.errors import EXIT_INVALID

SERVICE = "  s{i}: {{uses: {{buckets: {{avatars: [download]}}}}}}\n"


HEADS = {"infra.yaml": "app: shop\naws: {region: eu-west-1}\nbuckets: {avatars: {}}\nservices:\n",
         "infra.cue": 'app: "shop"\naws: region: "eu-west-1"\nbuckets: avatars: {}\nservices: {\n'}


@pytest.mark.parametrize("name", list(HEADS))
def test_a_spec_past_the_bound_is_refused_early_naming_it(deployer, tmp_path, name):
    lines = [HEADS[name]]
    while sum(map(len, lines)) <= 5 * 1024 * 1024:
        lines.append("".join(SERVICE.format(i=len(lines) * 100 + i) for i in range(100)))
    (tmp_path / name).write_text("".join(lines) + ("}\n" if name.endswith(".cue") else ""))
    started = time.monotonic()
    result = deployer("--spec", str(tmp_path), "validate")
    assert time.monotonic() - started < 5
    assert result.exit_code == EXIT_INVALID, result.stderr
    assert f"{name}: " in result.stderr and "bytes, past the 4194304 bytes deployer reads of a spec" in result.stderr


def test_a_spec_within_the_bound_is_read(deployer, tmp_path):
    text = "app: shop\naws: {region: eu-west-1}\n# " + "x" * (4 * 1024 * 1024 - 100) + "\n"
    (tmp_path / "infra.yaml").write_text(text)
    assert deployer("--spec", str(tmp_path), "validate").exit_code == 0
