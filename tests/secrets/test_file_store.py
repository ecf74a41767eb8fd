"""infra.secrets.yaml: age ciphertext only, for every recipient, stable per entry, never half-written."""

import base64
import os

import pytest
import yaml
from pyrage import x25519

from deployer.errors import EXIT_INVALID, EXIT_PRECONDITION, DeployerError
from deployer.secrets import atomic
from deployer.secrets.file_store import FileStore
from deployer.secrets.scopes import Scope

PROD, DEV, ENV_PROD = Scope("type", "production"), Scope("type", "development"), Scope("env", "prod")


@pytest.fixture
def store(project, age_key) -> FileStore:
    age_key()
    return FileStore(project / "infra.secrets.yaml")


def ciphertexts(store: FileStore) -> dict:
    return yaml.safe_load(store.path.read_text())["secrets"]


def test_the_file_holds_no_value_in_any_form(store):
    value = "sk_live_DISTINCTIVE_4242"
    store.write("StripeAPIKey", [PROD, ENV_PROD], value)

    text = store.path.read_text()
    assert value not in text
    for by_scope in ciphertexts(store)["StripeAPIKey"].values():
        for ciphertext in by_scope.values():
            raw = base64.b64decode(ciphertext)
            assert raw.startswith(b"age-encryption.org/v1\n")
            assert value.encode() not in raw
    assert store.read("StripeAPIKey", PROD) == value


def test_two_recipients_each_read_every_value(store, age_key):
    first = x25519.Identity.from_str(os.environ["DEPLOYER_AGE_KEY"])
    second = x25519.Identity.generate()
    store.write("CRMToken", [PROD], "before the second member")
    store.add_recipient(str(second.to_public()))
    store.write("SendGridToken", [DEV], "after the second member")

    assert store.recipients() == [str(first.to_public()), str(second.to_public())]
    for identity in (first, second):
        age_key(identity)
        assert store.read("CRMToken", PROD) == "before the second member"
        assert store.read("SendGridToken", DEV) == "after the second member"


def test_a_key_that_is_not_a_recipient_cannot_read_and_is_told_what_to_ask_for(store, age_key):
    store.write("CRMToken", [PROD], "v")
    outsider = age_key()

    with pytest.raises(DeployerError) as raised:
        store.read("CRMToken", PROD)

    assert raised.value.exit_code == EXIT_PRECONDITION
    assert f"`deployer secret recipients add {outsider.to_public()}`" in str(raised.value)


def test_a_newcomer_who_sets_a_value_becomes_a_recipient_and_is_told_to_ask_for_the_rest(store, age_key):
    store.write("CRMToken", [PROD], "old")
    newcomer = age_key()
    notes = []

    FileStore(store.path, notes.append).write("SendGridToken", [PROD], "new")

    assert str(newcomer.to_public()) in store.recipients()
    assert notes[-1] == ("you cannot read the values set before; ask a member who can to run "
                         f"`deployer secret recipients add {newcomer.to_public()}`")


def test_unchanged_entries_keep_their_ciphertext(store):
    store.write("StripeAPIKey", [PROD, DEV], "stripe")
    store.write("CRMToken", [PROD], "crm")
    before = ciphertexts(store)

    store.write("StripeAPIKey", [DEV], "stripe rotated")
    store.write("SendGridToken", [ENV_PROD], "grid")
    store.remove("CRMToken", [DEV])
    after = ciphertexts(store)

    assert after["StripeAPIKey"]["types"]["production"] == before["StripeAPIKey"]["types"]["production"]
    assert after["StripeAPIKey"]["types"]["development"] != before["StripeAPIKey"]["types"]["development"]
    assert after["CRMToken"] == before["CRMToken"]


def test_an_interrupted_write_loses_nothing(store, monkeypatch):
    store.write("StripeAPIKey", [PROD], "kept")
    before = store.path.read_bytes()

    def crash(source, target):
        raise OSError(5, "simulated crash between write and rename")

    with monkeypatch.context() as patched, pytest.raises(DeployerError, match="infra.secrets.yaml .simulated crash"):
        patched.setattr(atomic.os, "replace", crash)
        store.write("StripeAPIKey", [PROD], "never stored")

    assert store.path.read_bytes() == before
    assert sorted(p.name for p in store.path.parent.iterdir()) == ["infra.secrets.yaml", "infra.yaml"]
    assert store.read("StripeAPIKey", PROD) == "kept"


def test_an_entry_moved_to_another_scope_by_hand_is_refused(store):
    store.write("StripeAPIKey", [PROD], "production key")
    store.write("StripeAPIKey", [DEV], "development key")
    document = yaml.safe_load(store.path.read_text())
    types = document["secrets"]["StripeAPIKey"]["types"]
    types["development"] = types["production"]
    store.path.write_text(yaml.safe_dump(document))

    with pytest.raises(DeployerError, match="encrypted for another secret or scope") as raised:
        store.read("StripeAPIKey", DEV)
    assert "production key" not in str(raised.value)


@pytest.mark.parametrize("content", ["recipients: [\n", "- a list\n", "secrets:\n  CRMToken: [x]\n"])
def test_a_damaged_file_is_a_clear_error(store, content):
    store.path.write_text(content)

    with pytest.raises(DeployerError, match=r"infra.secrets.yaml(:\d+)?: not a readable deployer secret store") as raised:
        store.locations()
    assert raised.value.exit_code == EXIT_INVALID


def test_reading_without_any_key_says_where_keys_are_looked_for(project, tmp_path, deployer, set_secret,
                                                                 monkeypatch):
    set_secret("v", "--type", "prod", "CRMToken")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "elsewhere"))

    with pytest.raises(DeployerError) as raised:
        FileStore(project / "infra.secrets.yaml").read("CRMToken", PROD)

    assert raised.value.exit_code == EXIT_PRECONDITION
    assert f"set DEPLOYER_AGE_KEY, or put your key in {tmp_path}/elsewhere/deployer/key.txt" in str(raised.value)


def test_recipients_can_be_added_before_any_value_without_a_key_of_ones_own(project):
    store = FileStore(project / "infra.secrets.yaml")
    member = x25519.Identity.generate().to_public()

    assert store.add_recipient(str(member)) == 0
    assert store.recipients() == [str(member)]


def test_a_damaged_recipient_is_named(store):
    store.path.write_text("recipients: [age1notakey]\nsecrets: {}\n")

    # by its place and line, not its text: a damaged key may be a private one (issue 24, point 7)
    with pytest.raises(DeployerError, match=r":1: not a readable deployer secret store: recipients.0 is not an age public key"):
        store.locations()
