"""GCP inputs whose change replaces the resource (the provider cannot update them in place).

`deployer diff` reports a change of one of these as a replacement. Only the types deployer creates.
"""

REPLACED_ON: dict[str, frozenset[str]] = {
    "gcp:storage/bucket:Bucket": frozenset({"name", "location", "project"}),
    "gcp:pubsub/topic:Topic": frozenset({"name", "project"}),
    "gcp:pubsub/subscription:Subscription": frozenset({"name", "topic", "project"}),
    "gcp:redis/instance:Instance": frozenset(
        {"name", "region", "tier", "authorizedNetwork", "connectMode", "transitEncryptionMode"}),
    "gcp:serviceaccount/account:Account": frozenset({"accountId", "project"}),
    "gcp:secretmanager/secret:Secret": frozenset({"secretId", "project", "replication"}),
    "gcp:cloudscheduler/job:Job": frozenset({"name", "region", "project"}),
}
