"""Mock-runtime answers in AWS's own formats, so every ARN, URL and policy in a plan is complete.

The account is always 000000000000; the region is the one the program's explicit provider declares
(the provider registers before any resource that uses it)."""

import hashlib
from collections.abc import Callable

from deployer.clouds import UNKNOWN
from deployer.speclang.naming import owner_suffix

ACCOUNT = "000000000000"
DEFAULT_VPC = {"id": "vpc-0d0e0f0a0b0c0d0e0", "cidrBlock": "172.31.0.0/16", "default": True}
ACCOUNT_HAS_DEFAULT_VPC = True  # a test sets it False: an account whose default VPC was deleted


def _digest(text: str, length: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:length]


def _uuid(text: str) -> str:
    h = _digest(text, 32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


class AwsPlaceholders:
    def __init__(self) -> None:
        self.region = "us-east-1"
        self._states: dict[str, Callable[[str, dict], tuple[str, dict]]] = {
            "pulumi:providers:aws": self._provider,
            "aws:s3/bucket:Bucket": self._bucket,
            "aws:sqs/queue:Queue": self._queue,
            "aws:sns/topic:Topic": self._topic,
            "aws:sns/topicSubscription:TopicSubscription": self._subscription,
            "aws:elasticache/replicationGroup:ReplicationGroup": self._replication_group,
            "aws:elasticache/parameterGroup:ParameterGroup": self._named("elasticache", "parametergroup:"),
            "aws:elasticache/subnetGroup:SubnetGroup": self._named("elasticache", "subnetgroup:"),
            "aws:ec2/securityGroup:SecurityGroup": self._security_group,
            "aws:secretsmanager/secret:Secret": self._secret,
            "aws:iam/role:Role": self._role,
            "aws:iam/policy:Policy": self._policy,
            "aws:cloudfront/originAccessControl:OriginAccessControl": self._origin_access_control,
            "aws:cloudfront/distribution:Distribution": self._distribution,
            "aws:cloudfront/cachePolicy:CachePolicy": lambda name, inputs: (_uuid("cache-policy" + name), {}),
            "aws:cloudwatch/eventConnection:EventConnection": self._events("connection", with_uuid=True),
            "aws:cloudwatch/eventApiDestination:EventApiDestination": self._events("api-destination",
                                                                                   with_uuid=True),
            "aws:cloudwatch/eventRule:EventRule": self._events("rule"),
            "random:index/randomPassword:RandomPassword": self._password,
            "aws:rds/instance:Instance": self._db_instance,
            "aws:rds/subnetGroup:SubnetGroup": self._named("rds", "subgrp:"),
            "aws:rds/parameterGroup:ParameterGroup": self._named("rds", "pg:"),
        }

    def arn(self, service: str, resource: str, regional: bool = True) -> str:
        return f"arn:aws:{service}:{self.region if regional else ''}:{ACCOUNT}:{resource}"

    def state(self, type_: str, name: str, inputs: dict) -> tuple[str, dict]:
        """(id, outputs) of a resource: the physical name or AWS-style ID, and its ARN, URL, endpoint."""
        answer = self._states.get(type_)
        if answer is None:
            return f"{name}-{_digest(type_ + name, 8)}", {}
        return answer(name, inputs)

    def call(self, token: str, args: dict) -> dict:
        if token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {"id": ACCOUNT, "accountId": ACCOUNT, "arn": f"arn:aws:iam::{ACCOUNT}:user/deployer",
                    "userId": "AIDA0000000000DEPLOYER"}
        if token == "aws:ec2/getVpcs:getVpcs":
            return {"id": self.region, "ids": [DEFAULT_VPC["id"]] if ACCOUNT_HAS_DEFAULT_VPC else []}
        if token == "aws:ec2/getVpc:getVpc":
            return {**DEFAULT_VPC, "id": args.get("id") or DEFAULT_VPC["id"]}
        if token == "aws:ec2/getSubnets:getSubnets":
            return {"id": self.region, "ids": [f"subnet-0{_digest(self.region + z, 16)}" for z in "abc"]}
        return {}

    def _provider(self, name: str, inputs: dict) -> tuple[str, dict]:
        self.region = inputs.get("region") or self.region
        return _uuid(name), {}

    def _bucket(self, name: str, inputs: dict) -> tuple[str, dict]:
        bucket = inputs.get("bucket", name)
        return bucket, {"arn": f"arn:aws:s3:::{bucket}", "bucketDomainName": f"{bucket}.s3.amazonaws.com",
                        "bucketRegionalDomainName": f"{bucket}.s3.{self.region}.amazonaws.com",
                        "region": self.region}

    def _queue(self, name: str, inputs: dict) -> tuple[str, dict]:
        queue = inputs.get("name", name)
        url = f"https://sqs.{self.region}.amazonaws.com/{ACCOUNT}/{queue}"
        return url, {"arn": self.arn("sqs", queue), "url": url}

    def _topic(self, name: str, inputs: dict) -> tuple[str, dict]:
        arn = self.arn("sns", inputs.get("name", name))
        return arn, {"arn": arn}

    def _subscription(self, name: str, inputs: dict) -> tuple[str, dict]:
        arn = f"{inputs.get('topic')}:{_uuid(name)}"
        return arn, {"arn": arn}

    def _replication_group(self, name: str, inputs: dict) -> tuple[str, dict]:
        group = inputs.get("replicationGroupId", name)
        host = f"{group}.{_digest(group, 6)}.{self.region}.cache.amazonaws.com"
        return group, {"arn": self.arn("elasticache", f"replicationgroup:{group}"),
                       "primaryEndpointAddress": f"master.{host}", "readerEndpointAddress": f"replica.{host}"}

    def _db_instance(self, name: str, inputs: dict) -> tuple[str, dict]:
        identifier = inputs.get("identifier", name)
        address = f"{identifier}.c{_digest(self.region, 11)}.{self.region}.rds.amazonaws.com"
        port = inputs.get("port", 5432)
        return identifier, {"arn": self.arn("rds", f"db:{identifier}"), "address": address, "port": port,
                            "endpoint": f"{address}:{port}"}

    def _named(self, service: str, prefix: str) -> Callable[[str, dict], tuple[str, dict]]:
        def answer(name: str, inputs: dict) -> tuple[str, dict]:
            physical = inputs.get("name", name)
            return physical, {"arn": self.arn(service, prefix + physical)}
        return answer

    def _security_group(self, name: str, inputs: dict) -> tuple[str, dict]:
        group = f"sg-0{_digest(name, 16)}"
        return group, {"arn": self.arn("ec2", f"security-group/{group}")}

    def _secret(self, name: str, inputs: dict) -> tuple[str, dict]:
        arn = self.arn("secretsmanager", f"secret:{inputs.get('name', name)}-{_digest(name, 6)}")
        return arn, {"arn": arn}

    def _role(self, name: str, inputs: dict) -> tuple[str, dict]:
        role = inputs.get("name", name)
        return role, {"arn": f"arn:aws:iam::{ACCOUNT}:role/{role}", "uniqueId": f"AROA{_digest(role, 17).upper()}"}

    def _policy(self, name: str, inputs: dict) -> tuple[str, dict]:
        arn = f"arn:aws:iam::{ACCOUNT}:policy/{inputs.get('name', name)}"
        return arn, {"arn": arn}

    def _origin_access_control(self, name: str, inputs: dict) -> tuple[str, dict]:
        return f"E{_digest(name, 13).upper()}", {"etag": _digest(name, 12).upper()}

    def _distribution(self, name: str, inputs: dict) -> tuple[str, dict]:
        distribution = f"E{_digest('cdn' + name, 13).upper()}"
        return distribution, {"arn": f"arn:aws:cloudfront::{ACCOUNT}:distribution/{distribution}",
                              "domainName": f"d{_digest(name, 13)}.cloudfront.net",
                              "hostedZoneId": "Z2FDTNDATAQYW2"}

    def _events(self, kind: str, with_uuid: bool = False) -> Callable[[str, dict], tuple[str, dict]]:
        def answer(name: str, inputs: dict) -> tuple[str, dict]:
            physical = inputs.get("name", name)
            resource = f"{kind}/{physical}" + (f"/{_uuid(physical)}" if with_uuid else "")
            return physical, {"arn": self.arn("events", resource)}
        return answer

    def _password(self, name: str, inputs: dict) -> tuple[str, dict]:
        return name, {"result": "0" * int(inputs.get("length", 32))}


# What these answers invent, as a plan shows it: the account, and the hash of it that ends a bucket's name.
INVENTED = {ACCOUNT: "<account>", owner_suffix(ACCOUNT): "-<account-hash>"}
ASSIGNED_HOSTS = (".cache.amazonaws.com", ".rds.amazonaws.com", ".cloudfront.net")  # whole values AWS assigns


def shown_planned(value: str) -> str:
    """VALUE with each invented part written as what it stands for; a host AWS assigns is UNKNOWN."""
    if value.endswith(ASSIGNED_HOSTS):
        return UNKNOWN
    for part, shown in INVENTED.items():
        value = value.replace(part, shown)
    return value


def mock_answers() -> tuple:
    """(state, call) for one offline run (the region is learnt from the run's explicit provider)."""
    placeholders = AwsPlaceholders()
    return placeholders.state, placeholders.call
