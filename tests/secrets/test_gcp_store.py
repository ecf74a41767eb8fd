"""The gcp store (GCP Secret Manager) through the real client library, against a local TEST DOUBLE of
the Secret Manager API (secret_manager_test_double.py), not Google's service."""

import pytest
from support.secret_manager_test_double import SecretManagerTestDouble

from deployer.errors import EXIT_DEPLOY_FAILED, EXIT_PRECONDITION, DeployerError
from deployer.providers.gcp.secret_store import GcpStore
from deployer.secrets.scopes import Scope

PROD, DEV, ENV_STAGING = Scope("type", "production"), Scope("type", "development"), Scope("env", "staging")
PROJECT = "projects/shop-staging-1234/secrets/"


@pytest.fixture(scope="module")
def double():
    with SecretManagerTestDouble() as running:
        yield running


@pytest.fixture
def store(double) -> GcpStore:
    double.secrets.clear()
    double.versions.clear()
    return GcpStore("shop", "shop-staging-1234", client=double.client())


def test_values_round_trip_one_secret_per_scope(store, double):
    store.write("StripeAPIKey", [DEV, ENV_STAGING], "stripe")
    store.write("CRMToken", [PROD], "crm")

    assert store.read("StripeAPIKey", ENV_STAGING) == "stripe"
    assert store.read("CRMToken", DEV) is None
    assert store.locations() == {"StripeAPIKey": {DEV, ENV_STAGING}, "CRMToken": {PROD}}
    assert sorted(double.secrets) == [PROJECT + "deployer_shop_env_staging_StripeAPIKey",
                                      PROJECT + "deployer_shop_type_development_StripeAPIKey",
                                      PROJECT + "deployer_shop_type_production_CRMToken"]
    assert dict(double.secrets[PROJECT + "deployer_shop_type_production_CRMToken"].labels) == {
        "app": "shop", "managed-by": "deployer"}


def test_a_new_value_is_a_new_version_and_the_latest_is_read(store, double):
    store.write("Secret_With_Underscores", [PROD], "first")
    store.write("Secret_With_Underscores", [PROD], "second")

    assert store.read("Secret_With_Underscores", PROD) == "second"
    assert store.locations() == {"Secret_With_Underscores": {PROD}}
    assert double.versions[PROJECT + "deployer_shop_type_production_Secret_With_Underscores"] == [b"first", b"second"]


def test_a_failed_write_leaves_the_previous_value_readable(store, double):
    store.write("CRMToken", [PROD], "kept")
    double.fail_next_add = True

    with pytest.raises(DeployerError, match="simulated outage") as raised:
        store.write("CRMToken", [PROD], "never stored")

    assert raised.value.exit_code == EXIT_DEPLOY_FAILED
    assert "never stored" not in str(raised.value)
    assert store.read("CRMToken", PROD) == "kept"


def test_unset_deletes_only_the_scopes_given_and_other_apps_are_not_listed(store, double):
    store.write("CRMToken", [PROD, DEV], "v")
    GcpStore("shopping", "shop-staging-1234", client=double.client()).write("CRMToken", [PROD], "other app")

    assert store.remove("CRMToken", [PROD, ENV_STAGING]) == [PROD]
    assert store.locations() == {"CRMToken": {DEV}}
    assert store.read("CRMToken", PROD) is None


def test_a_spec_without_a_project_is_a_precondition():
    with pytest.raises(DeployerError, match="set gcp.project in the spec") as raised:
        GcpStore("shop", None)
    assert raised.value.exit_code == EXIT_PRECONDITION
