"""An environment that overrides `secretStore` keeps its values there: `secret set/list --env` and `up`
(its secret resolution) use the environment's store, not the base spec's (issue 15, point 6); so does
`secret set --type` for the environments of the type."""

import boto3
import pytest
from moto import mock_aws

from deployer.errors import EXIT_USAGE
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


def test_a_value_for_a_type_goes_to_the_store_its_environments_keep_secrets_in(aws_prod, set_secret, env_of,
                                                                               listing):
    for name in ("StripeAPIKey", "SendGridToken", "CRMToken"):
        set_secret(f"{name}-for-production", "--type", "prod", name)

    names = sorted(s["Name"] for s in aws_prod.list_secrets()["SecretList"])
    assert names == [f"deployer/shop/type/production/{n}" for n in ("CRMToken", "SendGridToken", "StripeAPIKey")]
    assert resolve_secret_values(env_of("prod"))["StripeAPIKey"] == "StripeAPIKey-for-production"
    assert listing("--env", "prod")["StripeAPIKey"]["resolvedFrom"] == "type production"


def test_a_type_whose_environments_keep_secrets_in_two_stores_takes_values_per_environment(
        aws_prod, project, deployer):
    spec = project / "infra.yaml"
    spec.write_text(spec.read_text().replace("  dev:\n    type: development\n",
                                             "  dev:\n    type: development\n  prod-eu:\n    type: production\n"))

    result = deployer("secret", "set", "--type", "production", "StripeAPIKey", stdin="stripe")

    assert result.exit_code == EXIT_USAGE
    assert ("the environments of type production keep their secrets in different stores (prod: aws eu-west-1, "
            "prod-eu: file): set the value for each environment with --env") in result.stderr
    assert aws_prod.list_secrets()["SecretList"] == []
