"""The preflight of `preview`/`up`/`destroy`/`refresh`: its order and messages, through the real CLI.

Every check runs before any engine call, so these run everywhere (credentials are faked through
environment variables; the Pulumi CLI is taken off PATH where a check needs it absent)."""

import os
from pathlib import Path

import pytest

from deployer.engine.preflight import check_credentials, check_passphrase
from deployer.speclang.load import load_spec, resolve

SPEC = """\
app: shop
aws: {region: eu-west-1}
gcp: {project: shop-1234, region: europe-west1}
secrets: [StripeAPIKey]
buckets: {avatars: {}}
services:
  storefront:
    uses: {buckets: {avatars: [download]}%s}
environments:
  dev: {type: development}
  staging: {type: development, provider: gcp}
  local: {type: local}
"""
USES_SECRET = ", secrets: [StripeAPIKey]"
CREDENTIAL_VARS = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE",
                   "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                   "AWS_SHARED_CREDENTIALS_FILE", "AWS_CONFIG_FILE", "GOOGLE_APPLICATION_CREDENTIALS",
                   "GOOGLE_CREDENTIALS", "GOOGLE_OAUTH_ACCESS_TOKEN", "CLOUDSDK_CONFIG", "PULUMI_CONFIG_PASSPHRASE",
                   "PULUMI_CONFIG_PASSPHRASE_FILE")


@pytest.fixture
def bare(tmp_path, monkeypatch):
    """No credentials, no passphrase, an empty HOME and a PATH without `pulumi`."""
    for name in CREDENTIAL_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    path = [p for p in os.environ["PATH"].split(os.pathsep) if not (Path(p) / "pulumi").exists()]
    monkeypatch.setenv("PATH", os.pathsep.join(path))
    return tmp_path


def write_spec(folder: Path, uses: str = "") -> Path:
    spec = folder / "infra.yaml"
    spec.write_text(SPEC % uses)
    return spec


def up(deployer, spec: Path, env: str = "dev"):
    return deployer("--spec", str(spec), "up", "--env", env, "--yes")


def test_an_invalid_spec_is_reported_first(deployer, bare):
    spec = write_spec(bare, USES_SECRET)
    spec.write_text(spec.read_text().replace("[download]", "[downlaod]"))
    result = up(deployer, spec)
    assert result.exit_code == 4
    assert "the spec does not validate for dev" in result.stderr
    assert "infra.yaml:8: services.storefront.uses.buckets.avatars" in result.stderr
    assert "deployer validate --env dev" in result.stderr
    assert "have no value" not in result.stderr


def test_then_a_used_secret_without_a_value(deployer, bare):
    result = up(deployer, write_spec(bare, USES_SECRET))
    assert result.exit_code == 4
    assert "StripeAPIKey" in result.stderr and "secret set --env dev StripeAPIKey" in result.stderr
    assert "credentials" not in result.stderr


def test_then_the_clouds_credentials(deployer, bare):
    spec = write_spec(bare)
    aws = up(deployer, spec)
    assert aws.exit_code == 4
    assert "no AWS credentials found" in aws.stderr and "AWS_ACCESS_KEY_ID" in aws.stderr
    gcp = up(deployer, spec, "staging")
    assert gcp.exit_code == 4
    assert "no GCP credentials found" in gcp.stderr
    assert "gcloud auth application-default login" in gcp.stderr


def test_then_the_pulumi_cli(deployer, bare, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAFAKEFAKEFAKE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "fake")
    for command in ("up", "preview", "refresh", "destroy"):
        yes = ["--yes"] if command in ("up", "destroy") else []  # no terminal here to ask on
        result = deployer("--spec", str(write_spec(bare)), command, "--env", "dev", *yes)
        assert result.exit_code == 4, command
        assert "the Pulumi CLI is not installed" in result.stderr
        assert "https://www.pulumi.com/docs/install/" in result.stderr


def test_destroy_does_not_need_secret_values(deployer, bare):
    result = deployer("--spec", str(write_spec(bare, USES_SECRET)), "destroy", "--env", "dev", "--yes")
    assert result.exit_code == 4 and "no AWS credentials found" in result.stderr


def test_a_local_environment_is_refused_as_usage(deployer, bare):
    result = up(deployer, write_spec(bare), "local")
    assert result.exit_code == 2 and "never deployed to a cloud" in result.stderr


def test_credential_sources(tmp_path):
    home = tmp_path / "home"
    assert_missing = pytest.raises(Exception, match="no AWS credentials")
    with assert_missing:
        check_credentials("aws", {"HOME": str(home)})
    check_credentials("aws", {"HOME": str(home), "AWS_PROFILE": "ci"})
    check_credentials("aws", {"HOME": str(home), "AWS_WEB_IDENTITY_TOKEN_FILE": "/var/run/token"})
    (home / ".aws").mkdir(parents=True)
    (home / ".aws" / "credentials").write_text("[default]\n")
    check_credentials("aws", {"HOME": str(home)})

    with pytest.raises(Exception, match="no GCP credentials"):
        check_credentials("gcp", {"HOME": str(home), "GOOGLE_APPLICATION_CREDENTIALS": str(tmp_path / "none.json")})
    (home / ".config" / "gcloud").mkdir(parents=True)
    (home / ".config" / "gcloud" / "application_default_credentials.json").write_text("{}")
    check_credentials("gcp", {"HOME": str(home)})


def test_the_passphrase_unless_a_kms_provider(bare, monkeypatch):
    spec = write_spec(bare)
    with pytest.raises(Exception, match="PULUMI_CONFIG_PASSPHRASE") as error:
        check_passphrase(resolve(load_spec(spec), "dev"))
    assert error.value.exit_code == 4
    monkeypatch.setenv("PULUMI_CONFIG_PASSPHRASE", "")  # an empty passphrase is a choice Pulumi accepts
    check_passphrase(resolve(load_spec(spec), "dev"))
    monkeypatch.delenv("PULUMI_CONFIG_PASSPHRASE")
    spec.write_text(spec.read_text() + 'secretsProvider: "awskms://alias/shop-deployer?region=eu-west-1"\n')
    check_passphrase(resolve(load_spec(spec), "dev"))
