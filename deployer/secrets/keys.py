"""The user's age identity: DEPLOYER_AGE_KEY, else $XDG_CONFIG_HOME/deployer/key.txt (default ~/.config)."""

import os
import stat
import sys
from datetime import UTC, datetime
from pathlib import Path

from pyrage import IdentityError, RecipientError, x25519

from deployer.errors import PreconditionMissing, UsageError, display_path
from deployer.secrets.atomic import atomic_write

KEY_VARIABLE = "DEPLOYER_AGE_KEY"


def key_file() -> Path:
    config = os.environ.get("XDG_CONFIG_HOME", "")
    home = Path(config) if Path(config).is_absolute() else Path.home() / ".config"
    return home / "deployer" / "key.txt"


def load_identity() -> x25519.Identity | None:
    """The user's identity, or None where they have none yet."""
    if text := os.environ.get(KEY_VARIABLE):
        return _parse_identity(text, KEY_VARIABLE)
    path = key_file()
    if path.is_file():
        if path.stat().st_mode & 0o077:
            print(f"warning: others can read your age key {display_path(path)} (mode "
                  f"{stat.S_IMODE(path.stat().st_mode):04o}): chmod 600 {display_path(path)}", file=sys.stderr)
        return _parse_identity(path.read_text(), display_path(path))
    return None


def require_identity() -> x25519.Identity:
    identity = load_identity()
    if identity is None:
        raise PreconditionMissing(
            f"no age key to decrypt the secrets with: set {KEY_VARIABLE}, or put your key in "
            f"{display_path(key_file())} (a member who can read the values then runs "
            "`deployer secret recipients add YOUR_PUBLIC_KEY`)")
    return identity


def create_identity() -> tuple[x25519.Identity, Path]:
    """A new identity saved in the key file (readable by the user only), as age-keygen writes it."""
    identity = x25519.Identity.generate()
    path = key_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as err:
        raise PreconditionMissing(f"could not make the folder of your age key, {display_path(path.parent)} "
                                  f"({err.strerror or err})") from None
    created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"# created: {created}\n# public key: {identity.to_public()}\n{identity}\n"
    atomic_write(path, text.encode(), mode=0o600)
    return identity, path


def parse_recipient(text: str) -> x25519.Recipient:
    try:
        return x25519.Recipient.from_str(text.strip())
    except RecipientError:
        # not quoted back: a private key given here by mistake must not be printed
        raise UsageError("the key given is not an age public key (age1…, as `age-keygen -y` prints)") from None


def _parse_identity(text: str, origin: str) -> x25519.Identity:
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            try:
                return x25519.Identity.from_str(line)
            except IdentityError:
                break
    # never quote the text: it is a private key, or close to one
    raise PreconditionMissing(f"{origin} does not hold an age identity (a line AGE-SECRET-KEY-1…)")
