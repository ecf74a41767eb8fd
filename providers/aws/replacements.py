"""AWS inputs whose change replaces the resource (the provider cannot update them in place).

`deployer diff` reports a change of one of these as a replacement. Only the types deployer creates.
"""

REPLACED_ON: dict[str, frozenset[str]] = {
    "aws:s3/bucket:Bucket": frozenset({"bucket", "bucketPrefix"}),
    "aws:s3/bucketV2:BucketV2": frozenset({"bucket", "bucketPrefix"}),
    "aws:sqs/queue:Queue": frozenset({"name", "fifoQueue"}),
    "aws:sns/topic:Topic": frozenset({"name", "fifoTopic"}),
    "aws:elasticache/replicationGroup:ReplicationGroup": frozenset(
        {"replicationGroupId", "atRestEncryptionEnabled", "subnetGroupName"}),
    "aws:elasticache/subnetGroup:SubnetGroup": frozenset({"name"}),
    "aws:elasticache/parameterGroup:ParameterGroup": frozenset({"name", "family"}),
    "aws:iam/role:Role": frozenset({"name", "path"}),
    "aws:iam/rolePolicy:RolePolicy": frozenset({"name", "role"}),
    "aws:secretsmanager/secret:Secret": frozenset({"name"}),
    "aws:secretsmanager/secretVersion:SecretVersion": frozenset({"secretId"}),
    "aws:scheduler/schedule:Schedule": frozenset({"name", "groupName"}),
    "aws:cloudwatch/eventRule:EventRule": frozenset({"name"}),
}
