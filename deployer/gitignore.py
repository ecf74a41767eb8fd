"""What deployer writes beside the spec and git must never take: `.deployer/` (CUE's cache, `deployer
dev`'s data, logs and session credentials, a local state) and `.secrets.local.*` (plaintext values).
`init` and `dev` make sure the spec folder's `.gitignore` names both."""

import os
from pathlib import Path

IGNORED = (".deployer/", ".secrets.local.*")


def ignore_local_files(folder: Path) -> list[str]:
    """The patterns added to FOLDER/.gitignore (none where it names them already, or is a link)."""
    ignore = folder / ".gitignore"
    if ignore.is_symlink():
        return []
    try:
        text = ignore.read_text() if ignore.exists() else ""
    except (OSError, UnicodeDecodeError):
        return []
    named = {line.strip().strip("/") for line in text.splitlines()}
    missing = [pattern for pattern in IGNORED if pattern.strip("/") not in named]
    if missing:
        lines = ("\n" if text and not text.endswith("\n") else "") + "".join(f"{pattern}\n" for pattern in missing)
        try:
            handle = os.open(ignore, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        except OSError:
            return []
        with os.fdopen(handle, "w") as file:
            file.write(lines)
    return missing
