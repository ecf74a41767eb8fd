"""Physical names: `APP-ENV-NAME`, shortened with a stable hash where a provider's limit would be exceeded."""

import hashlib
import re

# Longest name each kind of resource accepts, per provider (the provider's documented limits).
NAME_LIMITS: dict[tuple[str, str], int] = {
    ("aws", "bucket"): 63,
    ("aws", "queue"): 80,
    ("aws", "topic"): 256,
    ("aws", "cache"): 40,
    ("aws", "cache-parameter-group"): 255,
    ("aws", "cache-subnet-group"): 255,
    ("aws", "security-group"): 255,
    ("aws", "role"): 64,
    ("aws", "policy"): 128,
    ("aws", "secret"): 512,
    ("aws", "schedule-rule"): 64,
    ("aws", "api-destination"): 64,
    ("aws", "connection"): 64,
    ("aws", "origin-access-control"): 64,
    ("gcp", "bucket"): 63,
    ("gcp", "topic"): 255,
    ("gcp", "subscription"): 255,
    ("gcp", "cache"): 40,
    ("gcp", "service-account"): 30,
    ("gcp", "secret"): 255,
    ("gcp", "scheduler-job"): 500,
    ("gcp", "custom-role"): 64,
    ("gcp", "backend-bucket"): 63,
    ("gcp", "url-map"): 63,
    ("gcp", "http-proxy"): 63,
    ("gcp", "forwarding-rule"): 63,
    ("gcp", "global-address"): 63,
}
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


def provider_name(provider: str, kind: str, app: str, env: str, name: str, suffix: str = "") -> str:
    """The physical name of resource `name` of `kind`, under `provider`'s limit for that kind."""
    result = physical_name(app, env, name, NAME_LIMITS[(provider, kind)], suffix)
    if kind == "custom-role":  # custom role ids take [a-zA-Z0-9_.] only
        result = re.sub(r"[^A-Za-z0-9_.]", "_", result)
    return result
