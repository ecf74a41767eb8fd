"""The aws store (AWS Secrets Manager) against moto's mock of the service."""

import boto3
import pytest
from moto import mock_aws

from deployer.errors import EXIT_PRECONDITION, DeployerError
from deployer.providers.aws.secret_store import AwsStore
from deployer.secrets.resolution import resolve_secret_values
from deployer.secrets.scopes import Scope

PROD, DEV, ENV_PROD = Scope("type", "production"), Scope("type", "development"), Scope("env", "prod")


@pytest.fixture
def aws(monkeypatch):
    for variable, value in {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
                            "AWS_SESSION_TOKEN": "testing"}.items():
        monkeypatch.setenv(variable, value)
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="eu-west-1")


@pytest.fixture
def store(aws) -> AwsStore:
    return AwsStore("shop", "eu-west-1")


def test_values_round_trip_one_secret_per_scope(store, aws):
    store.write("StripeAPIKey", [PROD, ENV_PROD], "stripe")
    store.write("CRMToken", [DEV], "crm")

    assert store.read("StripeAPIKey", ENV_PROD) == "stripe"
    assert store.read("CRMToken", PROD) is None
    assert store.locations() == {"StripeAPIKey": {PROD, ENV_PROD}, "CRMToken": {DEV}}
    names = sorted(s["Name"] for s in aws.list_secrets()["SecretList"])
    assert names == ["deployer/shop/env/prod/StripeAPIKey", "deployer/shop/type/development/CRMToken",
                     "deployer/shop/type/production/StripeAPIKey"]


def test_a_new_value_is_a_new_version(store, aws):
    store.write("CRMToken", [PROD], "first")
    store.write("CRMToken", [PROD], "second")

    assert store.read("CRMToken", PROD) == "second"
    versions = aws.list_secret_version_ids(SecretId="deployer/shop/type/production/CRMToken")["Versions"]
    assert len(versions) == 2


def test_other_apps_secrets_are_not_listed(store, aws):
    aws.create_secret(Name="deployer/shopping/type/production/CRMToken", SecretString="x")
    aws.create_secret(Name="unrelated", SecretString="x")

    assert store.locations() == {}


def test_unset_schedules_deletion_and_a_new_set_restores(store, aws):
    store.write("CRMToken", [PROD, DEV], "v1")

    assert store.remove("CRMToken", [PROD, ENV_PROD]) == [PROD]
    assert store.locations() == {"CRMToken": {DEV}}
    assert store.read("CRMToken", PROD) is None

    store.write("CRMToken", [PROD], "v2")
    assert store.read("CRMToken", PROD) == "v2"


def test_the_cli_and_resolution_use_the_store_the_spec_chooses(project, set_secret, listing, env_of, aws):
    spec = project / "infra.yaml"
    spec.write_text(spec.read_text() + "secretStore: aws\n")
    for name in ("StripeAPIKey", "SendGridToken", "CRMToken"):
        set_secret(f"{name}-in-aws", "--type", "prod", name)

    assert listing("--env", "prod")["CRMToken"]["resolvedFrom"] == "type production"
    assert resolve_secret_values(env_of("prod"))["CRMToken"] == "CRMToken-in-aws"
    assert not (project / "infra.secrets.yaml").exists()


def test_no_credentials_is_a_precondition(monkeypatch, tmp_path):
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")

    with pytest.raises(DeployerError, match="no AWS credentials") as raised:
        AwsStore("shop", "eu-west-1").locations()
    assert raised.value.exit_code == EXIT_PRECONDITION


def test_a_missing_aws_profile_is_a_precondition_naming_it(project, deployer, monkeypatch, tmp_path):
    """Issue 24, point 15: AWS_PROFILE naming no profile of the config files."""
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "none"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "none"))
    (project / "infra.yaml").write_text((project / "infra.yaml").read_text() + "secretStore: aws\n")

    for result in (deployer("secret", "list"), deployer("secret", "set", "--env", "prod", "CRMToken", stdin="v")):
        assert result.exit_code == EXIT_PRECONDITION, result.stderr
        assert 'AWS_PROFILE names the profile "no-such-profile"' in result.stderr
