"""Issue 24, points 7 and 14: `infra.secrets.yaml` edited by hand or forged by anyone holding the
(public) recipients. A private key pasted under `recipients:` is refused without being printed, by
every secret command; an entry whose decrypted text is not deployer's (plain text, a list, a number,
a value that is not text) is a located error, exit 1, never an internal error."""

import base64
import json

import pyrage
import pytest
from pyrage import x25519

from deployer.errors import EXIT_INVALID


@pytest.mark.parametrize("args", [("secret", "list"), ("secret", "set", "--type", "prod", "CRMToken"),
                                  ("secret", "unset", "--type", "prod", "CRMToken")], ids=["list", "set", "unset"])
def test_a_private_key_under_recipients_is_refused_without_being_printed(project, deployer, args):
    private = x25519.Identity.generate()
    (project / "infra.secrets.yaml").write_text(f"recipients:\n- {private.to_public()}\n- {private}\naddedBy: {{}}\n"
                                                "secrets: {}\n")

    result = deployer(*args, stdin="value")

    assert result.exit_code == EXIT_INVALID, result.stderr
    assert str(private) not in result.stdout + result.stderr
    assert str(private)[:20] not in result.stdout + result.stderr
    assert result.stderr.startswith("infra.secrets.yaml:3: not a readable deployer secret store: recipients.1 is "
                                    "an age private key, not a public key"), result.stderr


@pytest.mark.parametrize("plaintext", [b"sk_live_forged", b"[1, 2]", b"42", b"null",
                                       json.dumps({"secret": "CRMToken", "scope": "type production", "value": 5}).encode(),
                                       b"\xff\xfe"],
                         ids=["plaintext", "list", "number", "null", "number-value", "not-utf8"])
def test_a_forged_entry_is_a_located_error(project, deployer, set_secret, age_key, plaintext):
    age_key()
    set_secret("owner's value", "--type", "prod", "CRMToken")
    store = project / "infra.secrets.yaml"
    recipients = [x25519.Recipient.from_str(line.removeprefix("- ")) for line in store.read_text().splitlines()
                  if line.startswith("- age1")]
    forged = base64.b64encode(pyrage.encrypt(plaintext, recipients)).decode()
    lines = store.read_text().splitlines()
    at = next(number for number, line in enumerate(lines, 1) if line.strip().startswith("production:"))
    store.write_text("\n".join(line.split(":")[0] + ": " + forged if number == at else line
                               for number, line in enumerate(lines, 1)) + "\n")
    new_member = x25519.Identity.generate().to_public()

    result = deployer("secret", "recipients", "add", str(new_member))  # decrypts every value

    assert result.exit_code == EXIT_INVALID, result.stderr
    assert result.stderr.startswith(f"infra.secrets.yaml:{at}: not a readable deployer secret store: the entry "
                                    "of CRMToken (type production) is not one deployer wrote"), result.stderr
    assert "sk_live_forged" not in result.stderr
