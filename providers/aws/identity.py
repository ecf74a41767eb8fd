"""IAM: a role per service holding exactly the permissions its `uses` lists, on the exact ARNs."""

import pulumi
import pulumi_aws as aws
from deployer.providers.aws.context import Context, policy_document, service_principal_trust
from deployer.providers.shared import Created, subscriptions_by_service

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


def service_statements(ctx: Context, service_name: str, created: Created,
                       subscriptions: list[tuple[str, str]]) -> list[dict]:
    """The Allow statements of one service: one per set of actions, on every resource it applies to.
    `subscriptions` are the service's own, as (topic, subscription)."""
    uses = ctx.env.spec.services[service_name].uses
    grants: dict[tuple[str, ...], list[pulumi.Input[str]]] = {}

    def grant(actions: tuple[str, ...], resource: pulumi.Input[str]) -> None:
        if actions:
            grants.setdefault(actions, []).append(resource)

    for bucket, permissions in uses.buckets.items():
        for permission in dict.fromkeys(permissions):
            actions, scope = BUCKET_PERMISSIONS[permission]
            arn = created.buckets[bucket].bucket.arn
            grant(actions, pulumi.Output.concat(arn, "/*") if scope == "objects" else arn)
    for topic, permissions in uses.topics.items():
        for permission in dict.fromkeys(permissions):
            grant(TOPIC_PERMISSIONS[permission], created.topics[topic].topic.arn)
    for topic, sub in subscriptions:
        if (queue := created.topics[topic].subscriptions[sub].queue) is not None:
            grant(CONSUME_ACTIONS, queue.arn)
    for secret in uses.secrets:
        grant(READ_SECRET_ACTIONS, created.secrets[secret].secret.arn)
    for cache in uses.caches:
        grant(READ_SECRET_ACTIONS, created.caches[cache].auth_secret.arn)
    return [{"Effect": "Allow", "Action": list(actions), "Resource": resources}
            for actions, resources in grants.items()]


def create_identities(ctx: Context, created: Created) -> dict[str, pulumi.Output[str]]:
    """A role per service with a policy granting what its `uses` lists; returns each role's ARN."""
    subscriptions = subscriptions_by_service(ctx.env)
    roles = {}
    for name, service in ctx.env.spec.services.items():
        role = aws.iam.Role(
            name,
            name=ctx.name("role", name),
            assume_role_policy=service_principal_trust(*service.aws.trust),
            tags=ctx.labels(name),
            opts=ctx.opts(),
        )
        statements = service_statements(ctx, name, created, subscriptions.get(name, []))
        if statements:
            aws.iam.RolePolicy(name, name=ctx.name("policy", name), role=role.id,
                               policy=policy_document(*statements), opts=ctx.opts())
        roles[name] = role.arn
    return roles
