"""Physical names: `APP-ENV-NAME`, shortened with a stable hash where a cloud's limit would be exceeded
(each cloud knows its limits: deployer.clouds)."""

import hashlib

HASH_LENGTH = 8


def full_name(app: str, env: str, name: str) -> str:
    """`app-env-name`: a resource's physical name before any provider limit shortens it."""
    return f"{app}-{env}-{name}"


def physical_name(app: str, env: str, name: str, limit: int, suffix: str = "") -> str:
    """`app-env-name` plus `suffix`, at most `limit` characters; a longer one is cut and given a
    hash of the full name, so the same input always gives the same, still unique, name."""
    full = full_name(app, env, name)
    if len(full) + len(suffix) <= limit:
        return full + suffix
    keep = limit - len(suffix) - HASH_LENGTH - 1
    digest = hashlib.sha256(full.encode()).hexdigest()[:HASH_LENGTH]
    return f"{full[:keep].rstrip('-_')}-{digest}{suffix}"
