"""A bucket's objects kept across `deployer dev` runs, for a server that holds them in memory only.

FOLDER/index.json maps each key to its content's SHA-256, content type and metadata; the contents are
FOLDER/objects/SHA256, so a key of any form (long, `..`, `index.json`) is kept: it is never a file
name. A save writes the contents not kept yet, then replaces the index in one rename: whatever stops
it (a full disk, a signal), the previous snapshot stays whole. Contents no index names are deleted
after. An index of the first format (key -> attributes, each content in a file named by the quoted
key) is read, and replaced at the next save. Damage found while reading (a cut index, a missing or changed content) is reported naming its
file; the snapshot is then left as it is."""

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from urllib.parse import quote

from deployer.errors import display_path, quoted
from deployer.local.folder import real_folder
from deployer.secrets.atomic import atomic_write

INDEX = "index.json"
Object = tuple[str, bytes, dict]  # key, content, attributes (content type, metadata)


class SnapshotDamaged(Exception):
    """The snapshot's index cannot be read: nothing of it can be restored."""


class BucketSnapshot:
    def __init__(self, folder: Path):
        self.folder = folder  # checked by real_folder: no link
        self.damage: list[str] = []  # the objects that could not be restored, each with its file and why

    def objects(self) -> Iterator[Object]:
        """Each object kept; one that cannot be read whole is left out and said in `damage`."""
        index_file = self.folder / INDEX
        try:
            index = json.loads(_read(index_file))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as err:
            raise SnapshotDamaged(f"{display_path(index_file)} cannot be read ({_reason(err)})") from None
        if not isinstance(index, dict) or not all(_current(entry) or _first_format(entry) for entry in index.values()):
            raise SnapshotDamaged(f"{display_path(index_file)} is not an index deployer wrote")
        for key, entry in index.items():
            if _first_format(entry):
                entry = {"attributes": entry, "sha256": None}
                content = self.folder / quote(key, safe="")
            else:
                content = self.folder / "objects" / entry["sha256"]
            try:
                body = _read(content)
            except OSError as err:
                self.damage.append(f"key {quoted(key)}: {display_path(content)} cannot be read ({_reason(err)})")
                continue
            if entry["sha256"] and hashlib.sha256(body).hexdigest() != entry["sha256"]:
                self.damage.append(f"key {quoted(key)}: {display_path(content)} does not hold what was saved")
                continue
            yield key, body, entry["attributes"]

    def save(self, objects: Iterable[Object]) -> None:
        contents = real_folder(self.folder, "objects")
        index = {}
        for key, body, attributes in objects:
            digest = hashlib.sha256(body).hexdigest()
            if not os.path.lexists(contents / digest):
                atomic_write(contents / digest, body, mode=0o600)
            index[key] = {"sha256": digest, "attributes": attributes}
        atomic_write(self.folder / INDEX, json.dumps(index).encode(), mode=0o600)
        named = {entry["sha256"] for entry in index.values()}
        for path in [*contents.iterdir(), *self.folder.iterdir()]:
            if path.name not in named and path.name not in (INDEX, "objects"):
                path.unlink()


def _read(path: Path) -> bytes:
    with os.fdopen(os.open(path, os.O_RDONLY | os.O_NOFOLLOW), "rb") as file:
        return file.read()


def _current(entry: object) -> bool:
    return (isinstance(entry, dict) and isinstance(entry.get("sha256"), str) and len(entry["sha256"]) == 64
            and all(c in "0123456789abcdef" for c in entry["sha256"]) and isinstance(entry.get("attributes"), dict))


def _first_format(entry: object) -> bool:
    return isinstance(entry, dict) and set(entry) == {"ContentType", "Metadata"}


def _reason(err: Exception) -> str:
    return getattr(err, "strerror", None) or str(err)
