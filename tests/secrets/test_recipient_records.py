"""`recipients add` records who added whom; a recipient added by hand to `recipients:` gets a warning on
the next `set`, whose value is encrypted to it too (issue 15, point 6)."""

import yaml
from pyrage import x25519


def test_a_recipient_added_by_hand_is_warned_about_on_the_next_set(project, age_key, set_secret, deployer):
    owner = age_key()
    assert "warning" not in set_secret("v1", "--env", "prod", "StripeAPIKey").stderr
    colleague = str(x25519.Identity.generate().to_public())
    assert deployer("secret", "recipients", "add", colleague).exit_code == 0
    store = project / "infra.secrets.yaml"
    owner_key = str(owner.to_public())
    assert yaml.safe_load(store.read_text())["addedBy"] == {owner_key: owner_key, colleague: owner_key}
    assert "warning" not in set_secret("v2", "--env", "prod", "StripeAPIKey").stderr

    intruder = str(x25519.Identity.generate().to_public())
    store.write_text(store.read_text().replace(f"- {colleague}\n", f"- {colleague}\n- {intruder}\n"))
    result = set_secret("v3", "--env", "prod", "StripeAPIKey")

    assert f"warning: {intruder} under `recipients:` of infra.secrets.yaml was added by hand" in result.stderr
    assert colleague not in result.stderr and owner_key not in result.stderr
