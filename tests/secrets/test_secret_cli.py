"""`deployer secret set/list/unset/recipients add` through the real CLI, values on standard input."""

import stat

import pytest
import yaml
from pyrage import x25519

from deployer.secrets.resolution import resolve_secret_values


@pytest.mark.parametrize("given, stored", [
    ("production", ["production"]), ("prod", ["production"]), ("development", ["development"]),
    ("dev", ["development"]), ("preview", ["preview"]), ("pr", ["preview"]), ("local", ["local"]),
    ("prod,dev", ["development", "production"]), ("pr, local,preview", ["local", "preview"]),
])
def test_types_accept_aliases_and_comma_lists(project, listing, deployer, set_secret, given, stored):
    set_secret("sk_test_123", "--type", given, "StripeAPIKey")

    assert listing()["StripeAPIKey"]["types"] == stored


def test_a_type_value_reaches_every_environment_of_the_type(project, set_secret, env_of):
    set_secret("dev-key", "--type", "dev", "StripeAPIKey")
    set_secret("grid", "--type", "dev", "SendGridToken")
    set_secret("crm", "--type", "dev", "CRMToken")

    for name in ("dev", "staging"):  # both development environments, on AWS and on GCP
        assert resolve_secret_values(env_of(name)) == {
            "StripeAPIKey": "dev-key", "SendGridToken": "grid", "CRMToken": "crm"}


def test_an_environment_value_overrides_its_type(project, listing, deployer, set_secret, env_of):
    for name in ("StripeAPIKey", "SendGridToken", "CRMToken"):
        set_secret(f"{name}-dev", "--type", "development", name)
    set_secret("staging-only", "--env", "staging", "StripeAPIKey")

    assert resolve_secret_values(env_of("staging"))["StripeAPIKey"] == "staging-only"
    assert resolve_secret_values(env_of("dev"))["StripeAPIKey"] == "StripeAPIKey-dev"
    assert listing("--env", "staging")["StripeAPIKey"]["resolvedFrom"] == "env staging"
    assert listing("--env", "dev")["StripeAPIKey"]["resolvedFrom"] == "type development"


def test_implicit_preview_environments_get_the_preview_value(project, listing, deployer, set_secret):
    set_secret("for-every-pr", "--type", "pr", "CRMToken")

    rows = listing("--env", "pr-42")
    assert rows["CRMToken"]["resolvedFrom"] == "type preview"
    assert rows["StripeAPIKey"]["resolvedFrom"] is None


def test_list_shows_where_values_are_and_who_uses_them_never_the_values(project, listing, deployer, set_secret):
    set_secret("sk_live_visible?", "--type", "prod", "StripeAPIKey")
    set_secret("sk_live_override", "--env", "prod", "StripeAPIKey")

    table = deployer("secret", "list", "--env", "prod")
    rows = listing("--env", "prod")

    assert rows["StripeAPIKey"] == {
        "name": "StripeAPIKey", "declared": True, "description": "Stripe secret key for charging cards",
        "types": ["production"], "envs": ["prod"], "usedBy": ["billing", "storefront"],
        "resolvedFrom": "env prod"}
    assert rows["CRMToken"]["resolvedFrom"] is None
    assert "MISSING" in table.stdout.splitlines()[1]  # CRMToken, used by crm, has no value
    assert "sk_live" not in table.stdout + table.stderr


def test_a_trailing_newline_of_standard_input_is_not_part_of_the_value(project, set_secret, env_of):
    for name in ("StripeAPIKey", "SendGridToken", "CRMToken"):
        set_secret(f"{name} value\n", "--type", "prod", name)

    assert resolve_secret_values(env_of("prod"))["CRMToken"] == "CRMToken value"


def test_an_empty_value_is_refused(project, deployer):
    result = deployer("secret", "set", "--type", "prod", "CRMToken", stdin="")

    assert result.exit_code == 2
    assert "no value given for CRMToken" in result.stderr
    assert not (project / "infra.secrets.yaml").exists()


def test_undeclared_names_are_refused_with_the_declared_ones(project, deployer):
    result = deployer("secret", "set", "--type", "prod", "StripeApiKey", stdin="v")

    assert result.exit_code == 1
    assert '"StripeApiKey" is not a secret of infra.yaml' in result.stderr
    assert "declared: CRMToken, SendGridToken, StripeAPIKey" in result.stderr
    assert not (project / "infra.secrets.yaml").exists()


@pytest.mark.parametrize("args, message", [
    (["--type", "staging"], 'unknown environment type "staging" (use production|prod, development|dev'),
    ([], "give either --type T[,T…]"),
    (["--type", "prod", "--env", "prod"], "give either --type T[,T…]"),
    (["--env", "prd"], 'unknown environment "prd"; did you mean "prod"?'),
])
def test_wrong_targets_are_usage_errors(project, deployer, args, message):
    result = deployer("secret", "set", *args, "CRMToken", stdin="v")

    assert result.exit_code == 2
    assert message in result.stderr


def test_unset_removes_only_the_scopes_given(project, listing, deployer, set_secret):
    set_secret("a", "--type", "prod,dev", "CRMToken")
    set_secret("b", "--env", "prod", "CRMToken")

    result = deployer("secret", "unset", "--type", "prod", "CRMToken")
    again = deployer("secret", "unset", "--type", "production", "CRMToken")

    assert result.exit_code == 0 and again.exit_code == 0
    assert "removed CRMToken for type production" in result.stderr
    assert "CRMToken had no value for type production" in again.stderr
    row = listing()["CRMToken"]
    assert (row["types"], row["envs"]) == (["development"], ["prod"])


def test_unset_of_a_name_neither_declared_nor_stored_is_refused(project, deployer):
    result = deployer("secret", "unset", "--env", "prod", "Nothing")

    assert result.exit_code == 1
    assert "declared: CRMToken, SendGridToken, StripeAPIKey" in result.stderr


def test_values_of_a_secret_no_longer_declared_are_listed_and_can_be_unset(project, listing, deployer, set_secret):
    set_secret("old", "--type", "prod", "CRMToken")
    spec = project / "infra.yaml"
    spec.write_text(spec.read_text().replace("  CRMToken: {}\n", "").replace("secrets: [CRMToken]", "{}"))

    assert listing()["CRMToken"]["declared"] is False
    assert deployer("secret", "unset", "--type", "prod", "CRMToken").exit_code == 0
    assert "CRMToken" not in listing()


def test_the_first_set_creates_the_users_key_and_makes_it_a_recipient(project, tmp_path, deployer):
    result = deployer("secret", "set", "--type", "prod", "CRMToken", stdin="v")

    key_file = tmp_path / "config/deployer/key.txt"
    identity = x25519.Identity.from_str(key_file.read_text().splitlines()[-1])
    public = str(identity.to_public())
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert f"created your age key in {key_file}" in result.stderr
    assert f"added your public key {public} to the recipients of infra.secrets.yaml" in result.stderr
    assert yaml.safe_load((project / "infra.secrets.yaml").read_text())["recipients"] == [public]

    second = deployer("secret", "set", "--type", "dev", "CRMToken", stdin="w")
    assert "created" not in second.stderr and "added" not in second.stderr


def test_a_key_from_the_environment_is_used_and_no_key_file_is_written(project, tmp_path, deployer, age_key):
    identity = age_key()

    result = deployer("secret", "set", "--type", "prod", "CRMToken", stdin="v")

    assert result.exit_code == 0
    assert not (tmp_path / "config").exists()
    assert yaml.safe_load((project / "infra.secrets.yaml").read_text())["recipients"] == [str(identity.to_public())]


def test_recipients_add_lets_a_new_member_read_every_value(project, deployer, set_secret, age_key, env_of):
    age_key()
    for name in ("StripeAPIKey", "SendGridToken", "CRMToken"):
        set_secret(f"{name}-prod", "--type", "prod", name)
    newcomer = x25519.Identity.generate()

    result = deployer("secret", "recipients", "add", str(newcomer.to_public()))

    assert result.exit_code == 0, result.stderr
    assert "re-encrypted 3 value(s) of infra.secrets.yaml for 2 recipient(s)" in result.stderr
    age_key(newcomer)
    assert resolve_secret_values(env_of("prod"))["CRMToken"] == "CRMToken-prod"


def test_recipients_add_refuses_what_is_not_a_public_key_without_printing_it(project, deployer, age_key):
    private = str(x25519.Identity.generate())

    result = deployer("secret", "recipients", "add", private)

    assert result.exit_code == 2
    assert "not an age public key" in result.stderr
    assert private not in result.stderr + result.stdout
