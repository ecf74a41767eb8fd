"""GCP inputs whose change replaces the resource (the provider cannot update them in place).

`deployer diff` reports a change of one of these as a replacement. Only the types deployer creates;
`project` moves every one of them.
"""

_IAM_MEMBER = frozenset({"role", "member", "condition", "project"})

REPLACED_ON: dict[str, frozenset[str]] = {
    "gcp:storage/bucket:Bucket": frozenset({"name", "location", "project"}),
    "gcp:redis/instance:Instance": frozenset(
        {"name", "region", "project", "tier", "authorizedNetwork", "connectMode", "transitEncryptionMode",
         "locationId", "alternativeLocationId", "reservedIpRange", "customerManagedKey"}),
    # https://github.com/hashicorp/terraform-provider-google/blob/main/google/services/sql (ForceNew)
    "gcp:sql/databaseInstance:DatabaseInstance": frozenset(
        {"name", "region", "project", "encryptionKeyName", "masterInstanceName"}),
    "gcp:sql/database:Database": frozenset({"name", "instance", "project"}),
    "gcp:sql/user:User": frozenset({"name", "instance", "project", "host", "type"}),
    "random:index/randomPassword:RandomPassword": frozenset({"length", "special"}),
    "gcp:pubsub/topic:Topic": frozenset({"name", "project"}),
    "gcp:pubsub/subscription:Subscription": frozenset(
        {"name", "topic", "project", "enableMessageOrdering", "filter"}),
    "gcp:secretmanager/secret:Secret": frozenset({"secretId", "project", "replication"}),
    "gcp:secretmanager/secretVersion:SecretVersion": frozenset({"secret", "secretData"}),
    "gcp:serviceaccount/account:Account": frozenset({"accountId", "project"}),
    "gcp:projects/iAMCustomRole:IAMCustomRole": frozenset({"roleId", "project"}),
    "random:index/randomId:RandomId": frozenset({"byteLength", "keepers", "prefix"}),
    "gcp:cloudscheduler/job:Job": frozenset({"name", "region", "project"}),
    "gcp:compute/backendBucket:BackendBucket": frozenset({"name", "project"}),
    "gcp:compute/uRLMap:URLMap": frozenset({"name", "project"}),
    "gcp:compute/managedSslCertificate:ManagedSslCertificate": frozenset({"name", "project", "managed", "type"}),
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": frozenset({"name", "project"}),
    "gcp:compute/globalAddress:GlobalAddress": frozenset({"name", "project", "address", "addressType"}),
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": frozenset(
        {"name", "project", "ipAddress", "portRange", "loadBalancingScheme"}),
    "gcp:storage/bucketIAMMember:BucketIAMMember": _IAM_MEMBER | {"bucket"},
    "gcp:pubsub/topicIAMMember:TopicIAMMember": _IAM_MEMBER | {"topic"},
    "gcp:pubsub/subscriptionIAMMember:SubscriptionIAMMember": _IAM_MEMBER | {"subscription"},
    "gcp:secretmanager/secretIamMember:SecretIamMember": _IAM_MEMBER | {"secretId"},
    "gcp:serviceaccount/iAMMember:IAMMember": _IAM_MEMBER | {"serviceAccountId"},
}

# In-place changes a reviewer must know of, and what each does.
CHANGES_NOTED: dict[str, dict[str, str]] = {
    "gcp:sql/databaseInstance:DatabaseInstance": {
        "databaseVersion": "a major version upgrade in place: the instance is unavailable while Cloud SQL upgrades "
                           "it, and cannot be downgraded (https://cloud.google.com/sql/docs/postgres/"
                           "upgrade-major-db-version-inplace)"},
}

# The types that hold data, as `deployer diff` names them, and what deleting or replacing one loses.
HOLDS_DATA: dict[str, tuple[str, str]] = {
    "gcp:storage/bucket:Bucket": ("bucket", "its objects are lost"),
    "gcp:pubsub/topic:Topic": ("topic", "undelivered messages are lost"),
    "gcp:pubsub/subscription:Subscription": ("subscription", "its undelivered messages are lost"),
    "gcp:redis/instance:Instance": ("cache", "its data is lost"),
    "gcp:secretmanager/secret:Secret": ("secret", "its versions are lost"),
    "gcp:sql/databaseInstance:DatabaseInstance": ("database", "its data is lost"),
    "gcp:sql/database:Database": ("database", "its data is lost"),
}
