"""`infra.secrets.yaml`: the values beside the spec, each encrypted with age to the listed recipients.

Meant to be committed, like a SOPS file: names and scopes are readable, values are not. Each entry is
encrypted on its own and rewritten only when it changes, so a diff shows which values changed. The
plaintext of an entry names its secret and scope, so an entry moved to another place by hand is refused.
"""

import base64
import binascii
import json
import subprocess
from collections.abc import Sequence
from pathlib import Path

import pyrage
import yaml
from pyrage import x25519

from deployer.errors import DeployerError, PreconditionMissing, SpecInvalid, display_path
from deployer.secrets.atomic import atomic_write
from deployer.secrets.keys import create_identity, load_identity, parse_recipient, require_identity
from deployer.secrets.lock import locked
from deployer.secrets.scopes import Scope
from deployer.secrets.store import Notify, SecretStore
from deployer.speclang.yaml_source import load_yaml

HEADER = """\
# Secret values for the spec beside this file, encrypted with age (https://age-encryption.org)
# to every recipient below. Commit it. Change it only with `deployer secret set/unset` and
# `deployer secret recipients add`; hand edits of an entry make it unreadable.
"""
KINDS = {"type": "types", "env": "envs"}
PRIVATE_KEY_PREFIX = "AGE-SECRET-KEY-"
GIT_SECONDS = 10


class FileStore(SecretStore):
    FILE_NAME = "infra.secrets.yaml"

    def __init__(self, path: Path, notify: Notify = lambda _: None):
        self.path = path
        self.notify = notify
        self.label = display_path(path)

    # --- the interface ---------------------------------------------------------------------------

    def locations(self) -> dict[str, set[Scope]]:
        return {name: set(entries) for name, entries in self._load()[1].items() if entries}

    def read(self, name: str, scope: Scope) -> str | None:
        ciphertext = self._load()[1].get(name, {}).get(scope)
        return None if ciphertext is None else self._decrypt(name, scope, ciphertext, require_identity())

    def write(self, name: str, scopes: Sequence[Scope], value: str) -> None:
        with locked(self.path, self.notify):
            recipients, entries, added_by = self._load()
            recipients = self._with_own_key(recipients, added_by, had_values=bool(entries))
            self._warn_unrecorded(recipients, added_by)
            self._tell_added_since_commit(recipients)
            targets = [parse_recipient(r) for r in recipients]
            for scope in scopes:
                entries.setdefault(name, {})[scope] = _encrypt(name, scope, value, targets)
            self._save(recipients, entries, added_by)

    def remove(self, name: str, scopes: Sequence[Scope]) -> list[Scope]:
        with locked(self.path, self.notify):
            recipients, entries, added_by = self._load()
            removed = [scope for scope in scopes if entries.get(name, {}).pop(scope, None) is not None]
            if removed:
                self._save(recipients, entries, added_by)
        return removed

    # --- recipients ------------------------------------------------------------------------------

    def recipients(self) -> list[str]:
        return self._load()[0]

    def add_recipient(self, key: str) -> int:
        """Make KEY a recipient, recorded as added by the user's key, and re-encrypt every value for all
        recipients; how many values."""
        public = str(parse_recipient(key))
        with locked(self.path, self.notify):
            recipients, entries, added_by = self._load()
            stored = [(name, scope, ciphertext) for name, by_scope in entries.items()
                      for scope, ciphertext in by_scope.items()]
            identity = require_identity() if stored else None
            values = {(name, scope): self._decrypt(name, scope, ciphertext, identity)
                      for name, scope, ciphertext in stored}
            if public not in recipients:
                recipients.append(public)
            adder = identity or load_identity()  # none before any value: the store's first recipients
            added_by[public] = str(adder.to_public()) if adder else "a member without a key"
            targets = [parse_recipient(r) for r in recipients]
            for (name, scope), value in values.items():
                entries[name][scope] = _encrypt(name, scope, value, targets)
            self._save(recipients, entries, added_by)
        return len(values)

    # --- the file --------------------------------------------------------------------------------

    def _with_own_key(self, recipients: list[str], added_by: dict[str, str], had_values: bool) -> list[str]:
        """The recipients including the user's own key, created on their first `set` (recorded as
        added by itself)."""
        identity = load_identity()
        if identity is None:
            identity, key_path = create_identity()
            self.notify(f"created your age key in {display_path(key_path)} (keep it: without it you "
                        "cannot read the values)")
        public = str(identity.to_public())
        if public in recipients:
            return recipients
        self.notify(f"added your public key {public} to the recipients of {self.label}")
        added_by[public] = public
        if had_values:
            self.notify("you cannot read the values set before; ask a member who can to run "
                        f"`deployer secret recipients add {public}`")
        return [*recipients, public]

    def _warn_unrecorded(self, recipients: list[str], added_by: dict[str, str]) -> None:
        """A recipient that `recipients add` did not record was added by hand: the values are about
        to be encrypted to it, so the user is told."""
        for recipient in recipients:
            if recipient not in added_by:
                self.notify(f"warning: {recipient} under `recipients:` of {self.label} was added by hand, not by "
                            "`deployer secret recipients add` (no record of who added it): the value is encrypted "
                            "to it too; remove it if nobody on the team added it, else run `deployer secret "
                            f"recipients add {recipient}` to record it")

    def _tell_added_since_commit(self, recipients: list[str]) -> None:
        """Name the recipients that came in with the store's last commit, or after it: the value is
        about to be encrypted to them (a record of who added one may be forged; git's history is not
        the file's to rewrite)."""
        own = str(identity.to_public()) if (identity := load_identity()) else None
        last = self._git("log", "-2", "--format=%h %an", "--", self.path.name)
        if last is None or not last:
            return  # outside git, or never committed
        commits = last.splitlines()
        committed = self._recipients_at("HEAD")
        before = self._recipients_at(commits[1].split()[0]) if len(commits) > 1 else None
        for recipient in recipients:
            if recipient == own:
                continue
            if committed is not None and recipient not in committed:
                self.notify(f"note: {recipient} became a recipient of {self.label} since its last commit (not "
                            "committed): the value is encrypted to it too")
            elif before is not None and recipient not in before:
                commit, _, author = commits[0].partition(" ")
                self.notify(f"note: {recipient} became a recipient of {self.label} in commit {commit} ({author}): "
                            "the value is encrypted to it too")

    def _recipients_at(self, ref: str) -> set[str] | None:
        text = self._git("show", f"{ref}:./{self.path.name}")
        if text is None:
            return None
        try:
            document = load_yaml(self.path, text)[0]
        except SpecInvalid:
            return None
        found = document.get("recipients") if isinstance(document, dict) else None
        return {str(r) for r in found} if isinstance(found, list) else set()

    def _git(self, *args: str) -> str | None:
        """git's output in the store's folder, or None where git fails (no repository, no git)."""
        try:
            done = subprocess.run(["git", *args], cwd=self.path.parent, capture_output=True, text=True,
                                  timeout=GIT_SECONDS, check=False)
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    def _load(self) -> tuple[list[str], dict[str, dict[Scope, str]], dict[str, str]]:
        """The recipients, the entries by name and scope, and who added each recipient."""
        if not self.path.exists():
            return [], {}, {}
        try:
            document, lines = load_yaml(self.path)
        except SpecInvalid as err:  # located, and never quoting the file's text
            problem = err.problems[0]
            raise self._corrupt(f"{problem.path}: {problem.message}" if problem.path else problem.message,
                                problem.line) from None
        document = document or {}
        if not isinstance(document, dict) or not isinstance(document.get("recipients", []), list) \
                or not isinstance(document.get("addedBy") or {}, dict):
            raise self._corrupt("expected `recipients:` (a list), `addedBy:` and `secrets:` (mappings)")
        entries: dict[str, dict[Scope, str]] = {}
        try:
            for name, by_kind in (document.get("secrets") or {}).items():
                entries[name] = {}
                for kind, plural in KINDS.items():
                    for scope_name, ciphertext in ((by_kind or {}).get(plural) or {}).items():
                        entries[name][Scope(kind, str(scope_name))] = str(ciphertext)
        except (AttributeError, TypeError):
            raise self._corrupt("`secrets:` maps each name to `types:` and `envs:`, each a mapping") from None
        recipients = [str(r) for r in document.get("recipients") or []]
        for index, recipient in enumerate(recipients):
            try:
                x25519.Recipient.from_str(recipient)
            except pyrage.RecipientError:  # never quoted: it may be a private key, or close to one
                kind = ("an age private key, not a public key: remove it, and make yourself a new key (this file "
                        "is committed)" if recipient.strip().upper().startswith(PRIVATE_KEY_PREFIX)
                        else "not an age public key (age1…)")
                raise self._corrupt(f"recipients.{index} is {kind}", lines.get(("recipients", index))) from None
        added_by = {str(key): str(by) for key, by in (document.get("addedBy") or {}).items()}
        return recipients, entries, added_by

    def _save(self, recipients: list[str], entries: dict[str, dict[Scope, str]], added_by: dict[str, str]) -> None:
        secrets = {}
        for name in sorted(entries):
            by_kind = {plural: {s.name: entries[name][s] for s in sorted(entries[name]) if s.kind == kind}
                       for kind, plural in KINDS.items()}
            if by_kind := {plural: values for plural, values in by_kind.items() if values}:
                secrets[name] = by_kind
        added_by = {key: by for key, by in added_by.items() if key in recipients}
        body = yaml.safe_dump({"recipients": recipients, "addedBy": added_by, "secrets": secrets}, sort_keys=False,
                              width=1 << 16)
        atomic_write(self.path, (HEADER + body).encode())

    def _decrypt(self, name: str, scope: Scope, ciphertext: str, identity) -> str:
        try:
            plaintext = pyrage.decrypt(base64.b64decode(ciphertext, validate=True), [identity])
        except pyrage.DecryptError:
            raise PreconditionMissing(
                f"your key cannot decrypt {name} ({scope}) in {self.label}: ask a member who can to run "
                f"`deployer secret recipients add {identity.to_public()}`") from None
        except binascii.Error:
            raise self._corrupt(f"the entry of {name} ({scope}) is not base64 ciphertext", self._line(name, scope)) from None
        try:
            entry = json.loads(plaintext)
        except ValueError:  # not JSON, or not text
            entry = None
        if not isinstance(entry, dict) or not isinstance(entry.get("value"), str):
            raise self._corrupt(f"the entry of {name} ({scope}) is not one deployer wrote (its decrypted text "
                                "is not a value's record): set the value again", self._line(name, scope))
        if (entry.get("secret"), entry.get("scope")) != (name, str(scope)):
            raise self._corrupt(f"the entry of {name} ({scope}) was encrypted for another secret or scope",
                                self._line(name, scope))
        return entry["value"]

    def _line(self, name: str, scope: Scope) -> int | None:
        """The line of an entry (found again on the way to an error only)."""
        return load_yaml(self.path)[1].get(("secrets", name, KINDS[scope.kind], scope.name))

    def _corrupt(self, reason: str, line: int | None = None) -> DeployerError:
        where = f"{self.label}:{line}" if line else self.label
        return DeployerError(f"{where}: not a readable deployer secret store: {reason}")


def _encrypt(name: str, scope: Scope, value: str, recipients: list) -> str:
    plaintext = json.dumps({"secret": name, "scope": str(scope), "value": value}).encode()
    return base64.b64encode(pyrage.encrypt(plaintext, recipients)).decode()
