"""Secret Manager keeps secret values of at most 64 KiB (as AWS Secrets Manager does): `deployer secret
set` refuses a larger value for an environment deployed there, not `up` long after (issue 23, point 20)."""

import pytest

SPEC = """\
app: shop
provider: gcp
gcp: {project: shop-test-1, region: europe-west1}
aws: {region: eu-west-1}
environments:
  prod: {type: production}
  dev: {type: development}
  aws-dev: {type: development, provider: aws}
  local: {type: local}
secrets: {Certificate: {description: a PEM bundle}}
services: {api: {uses: {secrets: [Certificate]}}}
"""
LIMIT = 64 * 1024


@pytest.fixture
def secret_set(deployer, spec_file, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = spec_file(SPEC)
    return lambda value, *scope: deployer("--spec", str(path), "secret", "set", *scope, "Certificate", stdin=value)


# https://cloud.google.com/secret-manager/quotas#content_limits: "Maximum size of a secret payload: 64 KiB".
def test_secret_manager_keeps_secret_values_of_at_most_64_kib(secret_set):
    too_large = "x" * (LIMIT + 1)
    refused = secret_set(too_large, "--env", "prod")
    assert refused.exit_code == 1
    assert ("the value of Certificate is 65,537 bytes: GCP keeps secret values of at most 65,536 bytes "
            "(https://cloud.google.com/secret-manager/quotas#content_limits), and prod deploys to GCP"
            ) in refused.stderr
    assert "xxxx" not in refused.stdout + refused.stderr
    assert secret_set(too_large, "--type", "dev").exit_code == 1  # dev is on GCP, beside aws-dev
    assert secret_set("é" * (LIMIT // 2 + 1), "--env", "prod").exit_code == 1  # bytes, not characters
    assert secret_set("x" * LIMIT, "--env", "prod").exit_code == 0


# https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html: SecretString has a
# "Maximum length of 65536".
def test_aws_secrets_manager_keeps_secret_values_of_at_most_65536_bytes(secret_set):
    refused = secret_set("x" * (LIMIT + 1), "--env", "aws-dev")
    assert refused.exit_code == 1
    assert "AWS keeps secret values of at most 65,536 bytes (https://docs.aws.amazon.com/" in refused.stderr


def test_a_large_value_is_kept_for_a_local_environment(secret_set):
    assert secret_set("x" * (LIMIT + 1), "--env", "local").exit_code == 0
