"""Real file-system faults for tests: a small tmpfs filled to its last byte (a full disk), or mounted
read-only. Mounting needs the privilege to; the test is skipped where the machine does not allow it."""

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def small_tmpfs(folder: Path, files: dict[str, bytes] | None = None, full: bool = False,
                read_only: bool = False) -> Iterator[Path]:
    """FOLDER as a 1 MiB tmpfs holding FILES, then filled (FULL) or remounted read-only; unmounted after."""
    folder.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True,
                             check=False)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        for name, data in (files or {}).items():
            (folder / name).write_bytes(data)
        if full:
            with open(folder / ".filler", "wb", buffering=0) as filler:
                try:
                    while filler.write(b"\0" * 4096):
                        pass
                except OSError:  # no space left
                    pass
        if read_only:
            subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False, capture_output=True)
