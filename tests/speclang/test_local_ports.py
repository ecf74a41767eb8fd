"""Issue 24, point 15: a local environment's ports all fit under 65535 (the caches' run from basePort + 10),
or the spec is invalid at its basePort: `validate` says so, and `dev` stops there, not with an OverflowError."""

from deployer.errors import EXIT_INVALID


def spec_with_caches(count: int, base_port: int) -> str:
    caches = "".join(f"  cache-{index}: {{}}\n" for index in range(count))
    return (f"app: shop\naws: {{region: eu-west-1}}\ncaches:\n{caches}environments:\n"
            f"  prod: {{type: production}}\n  local: {{type: local, basePort: {base_port}}}\n")


def test_caches_past_port_65535_are_a_located_error(deployer, spec_file):
    spec = spec_file(spec_with_caches(530, 65000))  # the last cache's port: 65000 + 10 + 529 = 65539
    line = spec.read_text().splitlines().index("  local: {type: local, basePort: 65000}") + 1

    for args in (("validate",), ("dev", "--env", "local", "--", "true")):
        result = deployer("--spec", str(spec), *args)
        assert result.exit_code == EXIT_INVALID, result.stderr
        assert (f"infra.yaml:{line}: environments.local.basePort: the local servers of 530 caches take ports "
                "65010-65539 from basePort 65000 (the caches' from basePort + 10), past 65535: lower basePort to "
                "at most 64996") in result.stderr


def test_caches_up_to_port_65535_are_valid(deployer, spec_file):
    assert deployer("--spec", str(spec_file(spec_with_caches(526, 65000))), "validate").exit_code == 0
