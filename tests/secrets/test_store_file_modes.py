"""The modes of the files holding secrets (issue 15, point 10): a store its user made private stays
private after a `set`; a key file others can read gets a warning."""

import stat

from deployer.secrets.keys import key_file


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_store_made_private_stays_private_after_a_set(project, set_secret):
    set_secret("sk_test_1", "--type", "dev", "StripeAPIKey")
    store = project / "infra.secrets.yaml"
    assert mode(store) == 0o644  # a new store: readable like the spec beside it (values are encrypted)
    store.chmod(0o600)
    set_secret("sk_test_2", "--type", "dev", "StripeAPIKey")
    assert mode(store) == 0o600


def test_a_key_file_others_can_read_gets_a_warning(project, set_secret):
    first = set_secret("sk_test_1", "--type", "dev", "StripeAPIKey")
    assert mode(key_file()) == 0o600 and "warning" not in first.stderr
    key_file().chmod(0o644)
    second = set_secret("sk_test_2", "--type", "dev", "StripeAPIKey")
    assert "warning: others can read your age key" in second.stderr
    assert "(mode 0644): chmod 600" in second.stderr
