"""How `deployer outputs` shows an environment's outputs: the JSON document, or `--format env`'s
KEY=value lines that a shell (`set -a; . ./FILE`) and `docker run --env-file FILE` read."""

import json
import re
import shlex
from collections.abc import Iterator

from deployer.encore_values import env_var
from deployer.errors import DeployerError

# What a shell assignment takes unquoted (and docker's --env-file as it is): no blanks, quotes, `$`, `;`…
# (an assignment's value is not globbed: `?`, `*` and brackets are plain there).
PLAIN = re.compile(r"[A-Za-z0-9_@%+=:,./?*\[\]-]*")
CAMEL_HUMP = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")  # queueUrl -> queue_Url -> QUEUE_URL


def document_text(document: dict) -> str:
    return json.dumps(document, indent=2) + "\n"


def env_file(document: dict) -> str:
    """Each value under its path: a service's from the service's name (`EMAIL_BUCKETS_AVATARS_NAME`,
    `CRM_SUBSCRIPTIONS_SIGNUPS_CRM_SYNC_QUEUE_URL`), the document's own fields as `DEPLOYER_APP`, `DEPLOYER_ENV`,
    `DEPLOYER_PROVIDER`; a list of plain values joined with commas (`…_PERMISSIONS=download,upload`)."""
    lines: dict[str, str] = {}
    paths: dict[str, tuple[str, ...]] = {}
    for key, value in document.items():
        prefix = () if key == "services" else ("deployer", key)
        for path, leaf in _leaves(value, prefix):
            name = env_var(*(CAMEL_HUMP.sub("_", part) for part in path))
            if paths.setdefault(name, path) != path:  # e.g. topic `a-b`'s subscription `c`, topic `a`'s `b-c`
                raise DeployerError(f"--format env: {'.'.join(paths[name])} and {'.'.join(path)} are both {name}: "
                                    "rename one of them, or read --format json")
            lines[name] = f"{name}={_word(leaf)}"
    return "".join(line + "\n" for line in lines.values())


def _leaves(value: object, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], object]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, (*path, key))
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        yield path, ",".join(value)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _leaves(item, (*path, str(index)))
    else:
        yield path, value


def _word(value: object) -> str:
    """The value as a shell word: plain where it can be (docker's --env-file keeps quotes literally)."""
    text = "" if value is None else json.dumps(value) if isinstance(value, bool) else str(value)
    return text if PLAIN.fullmatch(text) else shlex.quote(text)
