"""An environment that overrides `secretStore` keeps its values there: `secret set/list --env` and `up`
(its secret resolution) use the environment's store, not the base spec's (issue 15, point 6)."""

import boto3
import pytest
from moto import mock_aws

from deployer.secrets.resolution import resolve_secret_values


@pytest.fixture
def aws_prod(project, monkeypatch):
    """The shop spec (file store) whose prod environment keeps its secrets in AWS Secrets Manager (moto)."""
    spec = project / "infra.yaml"
    spec.write_text(spec.read_text().replace(
        "  prod:\n    type: production\n    overrides:\n",
        "  prod:\n    type: production\n    overrides:\n      secretStore: aws\n"))
    for variable in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.setenv(variable, "testing")
    monkeypatch.delenv("AWS_PROFILE", raising=False)
    with mock_aws():
        yield boto3.client("secretsmanager", region_name="eu-west-1")


def test_set_list_and_up_use_the_store_the_environment_overrides(aws_prod, project, set_secret, listing,
                                                                 json_output, env_of, age_key):
    age_key()
    for name in ("StripeAPIKey", "SendGridToken", "CRMToken"):
        set_secret(f"{name}_prod", "--env", "prod", name)
        set_secret(f"{name}_dev", "--env", "dev", name)

    names = sorted(s["Name"] for s in aws_prod.list_secrets()["SecretList"])
    assert names == [f"deployer/shop/env/prod/{n}" for n in ("CRMToken", "SendGridToken", "StripeAPIKey")]
    assert listing("--env", "prod")["StripeAPIKey"]["resolvedFrom"] == "env prod"
    assert json_output("secret", "list", "--format", "json", "--env", "prod")["store"].startswith(
        "AWS Secrets Manager")
    assert listing("--env", "dev")["StripeAPIKey"]["envs"] == ["dev"]  # the file store holds dev's only
    assert resolve_secret_values(env_of("prod"))["StripeAPIKey"] == "StripeAPIKey_prod"
    assert resolve_secret_values(env_of("dev"))["StripeAPIKey"] == "StripeAPIKey_dev"
