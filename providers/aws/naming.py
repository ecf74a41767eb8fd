"""AWS's naming rules for the physical names deployer gives its resources."""

# The longest name AWS accepts for each kind of resource (each service's documented limit).
NAME_LIMITS = {
    "bucket": 63,
    "queue": 80,
    "topic": 256,
    "cache": 40,
    "cache-parameter-group": 255,
    "cache-subnet-group": 255,
    "security-group": 255,
    "role": 64,
    "policy": 128,
    "secret": 512,
    "schedule-rule": 64,
    "api-destination": 64,
    "connection": 64,
    "origin-access-control": 64,
}
