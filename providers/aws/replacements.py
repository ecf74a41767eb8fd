"""AWS inputs whose change replaces the resource (the provider cannot update them in place).

`deployer diff` reports a change of one of these as a replacement. Only the types deployer creates.
"""

REPLACED_ON: dict[str, frozenset[str]] = {
    "aws:s3/bucket:Bucket": frozenset({"bucket", "bucketPrefix"}),
    "aws:sqs/queue:Queue": frozenset({"name", "fifoQueue"}),
    "aws:sns/topic:Topic": frozenset({"name", "fifoTopic"}),
    "aws:elasticache/replicationGroup:ReplicationGroup": frozenset(
        {"replicationGroupId", "atRestEncryptionEnabled", "subnetGroupName", "dataTieringEnabled"}),
    "aws:elasticache/subnetGroup:SubnetGroup": frozenset({"name"}),
    "aws:elasticache/parameterGroup:ParameterGroup": frozenset({"name", "family", "description"}),
    # https://github.com/hashicorp/terraform-provider-aws/blob/main/internal/service/rds/instance.go (ForceNew)
    "aws:rds/instance:Instance": frozenset({"availabilityZone", "characterSetName", "dbName", "kmsKeyId",
                                            "storageEncrypted", "username", "timezone"}),
    "aws:rds/subnetGroup:SubnetGroup": frozenset({"name"}),
    "aws:rds/parameterGroup:ParameterGroup": frozenset({"name", "family", "description"}),
    "aws:iam/role:Role": frozenset({"name", "path"}),
    "aws:iam/rolePolicy:RolePolicy": frozenset({"name", "role"}),
    "aws:iam/policy:Policy": frozenset({"name", "path"}),
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment": frozenset({"role", "policyArn"}),
    "aws:secretsmanager/secret:Secret": frozenset({"name"}),
    "aws:secretsmanager/secretVersion:SecretVersion": frozenset({"secretId"}),
    "aws:sns/topicSubscription:TopicSubscription": frozenset({"topic", "protocol", "endpoint"}),
    "aws:ec2/securityGroup:SecurityGroup": frozenset({"name", "vpcId", "description"}),
    "aws:cloudwatch/eventConnection:EventConnection": frozenset({"name"}),
    "aws:cloudwatch/eventApiDestination:EventApiDestination": frozenset({"name"}),
    "aws:cloudwatch/eventTarget:EventTarget": frozenset({"rule", "targetId"}),
    "random:index/randomPassword:RandomPassword": frozenset({"length", "special"}),
    "aws:cloudwatch/eventRule:EventRule": frozenset({"name"}),
}

# In-place changes a reviewer must know of, and what each does.
CHANGES_NOTED: dict[str, dict[str, str]] = {
    "aws:rds/instance:Instance": {
        "engineVersion": "a major version upgrade: the database is unavailable while RDS upgrades it, and cannot be "
                         "downgraded; take a snapshot first (https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/"
                         "USER_UpgradeDBInstance.PostgreSQL.MajorVersion.html)"},
}

# The types that hold data, as `deployer diff` names them, and what deleting or replacing one loses.
HOLDS_DATA: dict[str, tuple[str, str]] = {
    "aws:s3/bucket:Bucket": ("bucket", "its objects are lost"),
    "aws:sqs/queue:Queue": ("queue", "its undelivered messages are lost"),
    "aws:sns/topic:Topic": ("topic", "undelivered messages are lost"),
    "aws:elasticache/replicationGroup:ReplicationGroup": ("cache", "its data is lost"),
    "aws:secretsmanager/secret:Secret": ("secret", "its value is lost"),
    "aws:rds/instance:Instance": ("database", "its data is lost"),
}
