"""GCP's naming rules for the physical names deployer gives its resources."""

import re

from deployer.speclang.naming import physical_name

# The longest name GCP accepts for each kind of resource (each service's documented limit).
NAME_LIMITS = {
    "bucket": 63,
    "topic": 255,
    "subscription": 255,
    "cache": 40,
    "service-account": 30,
    "secret": 255,
    "scheduler-job": 500,
    "custom-role": 64,
    "backend-bucket": 63,
    "url-map": 63,
    "http-proxy": 63,
    "forwarding-rule": 63,
    "global-address": 63,
}


def gcp_name(kind: str, app: str, env: str, name: str, suffix: str = "") -> str:
    """`APP-ENV-NAME` plus `suffix` as GCP accepts it for `kind`."""
    physical = physical_name(app, env, name, NAME_LIMITS[kind], suffix)
    if kind == "custom-role":  # custom role ids take [a-zA-Z0-9_.] only
        physical = re.sub(r"[^A-Za-z0-9_.]", "_", physical)
    return physical
