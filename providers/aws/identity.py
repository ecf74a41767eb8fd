"""IAM: a role per service holding exactly the permissions its `uses` lists, on the exact ARNs."""

from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws
from deployer.providers.aws.context import AwsContext, policy_document, service_principal_trust

# The permission table: each spec permission -> (IAM actions, what they apply to).
# "objects" is `BUCKET_ARN/*`, "bucket" the bucket itself; every other kind is the resource's own ARN.
BUCKET_PERMISSIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "download": (("s3:GetObject",), "objects"),
    "upload": (("s3:PutObject",), "objects"),
    "list": (("s3:ListBucket",), "bucket"),
    "remove": (("s3:DeleteObject",), "objects"),
    "attrs": (("s3:GetObject",), "objects"),
    "public-url": ((), "bucket"),  # the CDN URL is an output, not an AWS permission
}
TOPIC_PERMISSIONS: dict[str, tuple[str, ...]] = {"publish": ("sns:Publish",)}
CONSUME_ACTIONS = ("sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility")
READ_SECRET_ACTIONS = ("secretsmanager:GetSecretValue",)


@dataclass
class Grantable:
    """The ARNs of what the program created, by spec name."""

    buckets: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    topics: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    queues: dict[tuple[str, str], pulumi.Output[str]] = field(default_factory=dict)  # (topic, sub)
    secrets: dict[str, pulumi.Output[str]] = field(default_factory=dict)
    cache_tokens: dict[str, pulumi.Output[str]] = field(default_factory=dict)


def service_statements(ctx: AwsContext, service_name: str, arns: Grantable) -> list[dict]:
    """The Allow statements of one service: one per set of actions, on every resource it applies to."""
    service = ctx.env.spec.services[service_name]
    uses = service.uses
    grants: dict[tuple[str, ...], list[pulumi.Input[str]]] = {}

    def grant(actions: tuple[str, ...], resource: pulumi.Input[str]) -> None:
        if actions:
            grants.setdefault(actions, []).append(resource)

    for bucket, permissions in uses.buckets.items():
        for permission in dict.fromkeys(permissions):
            actions, scope = BUCKET_PERMISSIONS[permission]
            arn = arns.buckets[bucket]
            grant(actions, pulumi.Output.concat(arn, "/*") if scope == "objects" else arn)
    for topic, permissions in uses.topics.items():
        for permission in dict.fromkeys(permissions):
            grant(TOPIC_PERMISSIONS[permission], arns.topics[topic])
    for (topic, sub), queue in arns.queues.items():
        if ctx.env.spec.topics[topic].subscriptions[sub].service == service_name:
            grant(CONSUME_ACTIONS, queue)
    for secret in uses.secrets:
        grant(READ_SECRET_ACTIONS, arns.secrets[secret])
    for cache in uses.caches:
        grant(READ_SECRET_ACTIONS, arns.cache_tokens[cache])
    return [{"Effect": "Allow", "Action": list(actions), "Resource": resources}
            for actions, resources in grants.items()]


def create_identities(ctx: AwsContext, arns: Grantable) -> dict[str, aws.iam.Role]:
    roles = {}
    for name, service in ctx.env.spec.services.items():
        role = aws.iam.Role(
            name,
            name=ctx.name("role", name),
            assume_role_policy=service_principal_trust(*service.aws.trust),
            tags=ctx.tags(name),
            opts=ctx.opts(),
        )
        statements = service_statements(ctx, name, arns)
        if statements:
            aws.iam.RolePolicy(name, name=ctx.name("policy", name), role=role.id,
                               policy=policy_document(*statements), opts=ctx.opts())
        roles[name] = role
    return roles
