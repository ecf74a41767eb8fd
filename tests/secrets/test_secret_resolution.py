"""Which value an environment gets: its own, else its type's; the local override file for `local`."""

import pytest

from deployer.errors import EXIT_INVALID, EXIT_PRECONDITION, SpecInvalid
from deployer.secrets.resolution import MissingSecrets, missing_secrets, resolve_secret_values

ALL = ("StripeAPIKey", "SendGridToken", "CRMToken")


@pytest.fixture
def local_values(set_secret):
    """Every secret set for the `local` type, and StripeAPIKey also for the environment `local`."""
    for name in ALL:
        set_secret(f"{name}-type", "--type", "local", name)
    set_secret("stripe-env", "--env", "local", "StripeAPIKey")


def test_own_value_else_type_value(project, set_secret, env_of):
    for name in ALL:
        set_secret(f"{name}-production", "--type", "prod", name)
    set_secret("prod-own", "--env", "prod", "SendGridToken")

    assert resolve_secret_values(env_of("prod")) == {
        "StripeAPIKey": "StripeAPIKey-production", "SendGridToken": "prod-own", "CRMToken": "CRMToken-production"}


def test_only_the_secrets_some_service_uses_are_resolved(project, set_secret, env_of):
    spec = project / "infra.yaml"
    spec.write_text(spec.read_text().replace("    uses:\n      secrets: [CRMToken]\n", ""))
    set_secret("s", "--type", "prod", "StripeAPIKey")
    set_secret("g", "--type", "prod", "SendGridToken")

    assert resolve_secret_values(env_of("prod")) == {"StripeAPIKey": "s", "SendGridToken": "g"}


def test_missing_values_are_named_with_the_commands_that_set_them(project, set_secret, env_of):
    set_secret("s", "--env", "prod", "StripeAPIKey")
    set_secret("for-dev", "--type", "dev", "CRMToken")
    env = env_of("prod")

    assert missing_secrets(env) == ["CRMToken", "SendGridToken"]
    with pytest.raises(MissingSecrets) as raised:
        resolve_secret_values(env)
    message = str(raised.value)
    assert raised.value.exit_code == EXIT_PRECONDITION
    assert "CRMToken: deployer secret set --env prod CRMToken   (or --type production" in message
    assert "SendGridToken: deployer secret set --env prod SendGridToken" in message
    assert "StripeAPIKey" not in message


def test_the_command_names_the_spec_when_it_is_not_in_the_current_folder(project, set_secret, env_of,
                                                                          monkeypatch):
    env = env_of("prod")
    monkeypatch.chdir(project.parent)

    with pytest.raises(MissingSecrets) as raised:
        resolve_secret_values(env)

    assert "deployer --spec app/infra.yaml secret set --env prod" in str(raised.value)


def test_the_local_yaml_file_overrides_environment_and_type(project, local_values, env_of):
    (project / ".secrets.local.yaml").write_text("StripeAPIKey: mine\nCRMToken: my-crm\n")

    assert resolve_secret_values(env_of("local")) == {
        "StripeAPIKey": "mine", "SendGridToken": "SendGridToken-type", "CRMToken": "my-crm"}


def test_without_a_local_file_local_environments_use_the_store(project, local_values, env_of):
    assert resolve_secret_values(env_of("local"))["StripeAPIKey"] == "stripe-env"


def test_the_local_file_is_ignored_by_other_environments(project, set_secret, env_of):
    (project / ".secrets.local.yaml").write_text("CRMToken: my-crm\n")
    for name in ALL:
        set_secret(f"{name}-dev", "--type", "dev", name)

    assert resolve_secret_values(env_of("dev"))["CRMToken"] == "CRMToken-dev"


def test_the_local_file_alone_can_provide_every_value(project, env_of):
    (project / ".secrets.local.yaml").write_text("StripeAPIKey: a\nSendGridToken: b\nCRMToken: c\n")

    assert resolve_secret_values(env_of("local")) == {"StripeAPIKey": "a", "SendGridToken": "b", "CRMToken": "c"}
    assert not (project / "infra.secrets.yaml").exists()


def test_the_local_cue_file_is_evaluated_with_cue(project, local_values, env_of):
    (project / ".secrets.local.cue").write_text('#prefix: "my-"\nCRMToken: #prefix + "crm"\n')

    values = resolve_secret_values(env_of("local"))

    assert values == {"StripeAPIKey": "stripe-env", "SendGridToken": "SendGridToken-type", "CRMToken": "my-crm"}


def test_the_local_cue_file_beside_a_cue_spec_package_stays_out_of_it(cue_project, env_of):
    (cue_project / ".secrets.local.cue").write_text('StripeAPIKey: "a"\nSendGridToken: "b"\nCRMToken: "c"\n')

    assert resolve_secret_values(env_of("local")) == {"StripeAPIKey": "a", "SendGridToken": "b", "CRMToken": "c"}


def test_a_package_clause_in_the_local_cue_file_is_refused(project, env_of):
    (project / ".secrets.local.cue").write_text('package infra\n\nCRMToken: "c"\n')

    with pytest.raises(SpecInvalid) as raised:
        resolve_secret_values(env_of("local"))

    assert str(raised.value) == (".secrets.local.cue:1: no `package` clause here: the file is evaluated on its "
                                 "own, never as part of the spec's package")


def test_list_names_the_local_file_as_the_source(project, local_values, listing):
    (project / ".secrets.local.yaml").write_text("CRMToken: my-crm\n")

    rows = listing("--env", "local")

    assert [rows[n]["resolvedFrom"] for n in ALL] == ["env local", "type local", ".secrets.local.yaml"]


def test_an_undeclared_name_in_the_local_file_is_an_error_with_its_line(project, env_of):
    (project / ".secrets.local.yaml").write_text("CRMToken: a\nGitHubToken: b\n")

    with pytest.raises(SpecInvalid) as raised:
        resolve_secret_values(env_of("local"))

    assert raised.value.exit_code == EXIT_INVALID
    assert str(raised.value) == ('.secrets.local.yaml:2: GitHubToken: "GitHubToken" is not a declared secret '
                                 "(declared: CRMToken, SendGridToken, StripeAPIKey)")


def test_a_value_that_is_not_a_string_is_an_error_that_does_not_show_it(project, env_of):
    (project / ".secrets.local.yaml").write_text("CRMToken:\n  token: hidden-structure-9\n")

    with pytest.raises(SpecInvalid) as raised:
        resolve_secret_values(env_of("local"))

    assert str(raised.value) == ".secrets.local.yaml:1: CRMToken: the value must be a string"


def test_cue_errors_in_the_local_file_keep_their_place_but_not_the_values(project, env_of):
    (project / ".secrets.local.cue").write_text('CRMToken: "conflict-one-5"\nCRMToken: "conflict-two-6"\n')

    with pytest.raises(SpecInvalid) as raised:
        resolve_secret_values(env_of("local"))

    message = str(raised.value)
    assert ".secrets.local.cue:" in message and "conflicting values" in message
    assert "conflict-one" not in message and "conflict-two" not in message


def test_both_local_files_at_once_are_refused(project, env_of):
    (project / ".secrets.local.yaml").write_text("CRMToken: a\n")
    (project / ".secrets.local.cue").write_text('CRMToken: "b"\n')

    with pytest.raises(Exception, match="both .secrets.local.cue and .secrets.local.yaml exist: keep one"):
        resolve_secret_values(env_of("local"))
