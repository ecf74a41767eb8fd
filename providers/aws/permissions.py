"""What each service's role is allowed, as IAM statements, and how they are split into policies.

A role's inline policies hold at most 10,240 characters in all; beyond that the statements go to
customer managed policies of at most 6,144 characters each, 10 attached to a role by default
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html; IAM counts no white space).
The program must know how many policies to create before any ARN is known, and `validate` must refuse
what cannot fit: both measure the statements with ARNs of the longest shape their resources can have
(the longest partition, `aws-us-gov`), an upper bound of the real size.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

from deployer.providers.aws.naming import (
    ACCOUNT_STAND_IN,
    NAME_LIMITS,
    bucket_name,
    caller_key,
    cron_called,
    fifo_suffix,
    subscription_queue,
)

from deployer.speclang.model import Infra
from deployer.speclang.naming import physical_name

INLINE_LIMIT = 10_240
MANAGED_LIMIT = 6_144
MANAGED_PER_ROLE = 10
LONGEST_PARTITION = "aws-us-gov"
SECRET_ARN_SUFFIX = "-XXXXXX"  # Secrets Manager appends 6 random characters to a secret's ARN

# The permission table: each spec permission -> (IAM actions, what they apply to).
# "objects" is `BUCKET_ARN/*`, "bucket" the bucket itself.
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


@dataclass(frozen=True)
class Target:
    """A resource a service is granted actions on: its kind and spec name (a subscription's is
    (topic, subscription)), and for a bucket, whether the bucket itself or its objects."""

    kind: str  # bucket | objects | topic | queue | secret | auth-secret | caller-key
    name: str | tuple[str, str]


@dataclass(frozen=True)
class Grant:
    actions: tuple[str, ...]
    targets: tuple[Target, ...]


def service_grants(spec: Infra, service: str, subscriptions: list[tuple[str, str]]) -> list[Grant]:
    """The service's grants: the actions of each resource together, then the resources with the same
    actions in one statement (each ARN written once). `subscriptions` are the service's own pull
    subscriptions and push subscriptions, as (topic, subscription)."""
    uses = spec.services[service].uses
    actions: dict[Target, list[str]] = {}

    def grant(target: Target, granted: tuple[str, ...]) -> None:
        if granted:
            actions.setdefault(target, [])
            actions[target] += [a for a in granted if a not in actions[target]]

    for bucket, permissions in uses.buckets.items():
        for permission in permissions:
            granted, scope = BUCKET_PERMISSIONS[permission]
            grant(Target("objects" if scope == "objects" else "bucket", bucket), granted)
    for topic, permissions in uses.topics.items():
        for permission in permissions:
            grant(Target("topic", topic), TOPIC_PERMISSIONS[permission])
    for topic, sub in subscriptions:
        if not spec.topics[topic].subscriptions[sub].endpoint:
            grant(Target("queue", (topic, sub)), CONSUME_ACTIONS)
    for secret in uses.secrets:
        grant(Target("secret", secret), READ_SECRET_ACTIONS)
    for cache in uses.caches:
        grant(Target("auth-secret", cache), READ_SECRET_ACTIONS)
    if service in cron_called(spec):
        grant(Target("caller-key", service), READ_SECRET_ACTIONS)
    by_actions: dict[tuple[str, ...], list[Target]] = {}
    for target, granted in actions.items():
        by_actions.setdefault(tuple(granted), []).append(target)
    return [Grant(granted, tuple(targets)) for granted, targets in by_actions.items()]


def statement(grant: Grant, arn: Callable[[Target], object]) -> dict:
    return {"Effect": "Allow", "Action": list(grant.actions), "Resource": [arn(t) for t in grant.targets]}


def longest_arn(spec: Infra, env: str) -> Callable[[Target], str]:
    """The longest ARN each target can have in ENV (its physical name is known; the partition is not)."""
    region, account, partition = spec.aws.region or "", ACCOUNT_STAND_IN, LONGEST_PARTITION

    def arn(target: Target) -> str:
        kind, name = target.kind, target.name
        if kind in ("bucket", "objects"):
            bucket = bucket_name(spec.app, env, name, spec.buckets[name], account)
            return f"arn:{partition}:s3:::{bucket}" + ("/*" if kind == "objects" else "")
        if kind == "topic":
            topic = physical_name(spec.app, env, name, NAME_LIMITS["topic"], fifo_suffix(spec.topics[name]))
            return f"arn:{partition}:sns:{region}:{account}:{topic}"
        if kind == "queue":
            topic, sub = name
            queue = physical_name(spec.app, env, subscription_queue(topic, sub), NAME_LIMITS["queue"],
                                  fifo_suffix(spec.topics[topic]))
            return f"arn:{partition}:sqs:{region}:{account}:{queue}"
        secret = {"secret": name, "auth-secret": f"{name}-auth-token", "caller-key": caller_key(name)}[kind]
        physical = physical_name(spec.app, env, secret, NAME_LIMITS["secret"])
        return f"arn:{partition}:secretsmanager:{region}:{account}:secret:{physical}{SECRET_ARN_SUFFIX}"

    return arn


def size(statements: list[dict]) -> int:
    """The characters IAM counts in a policy of these statements (white space is not counted)."""
    return len(json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":")))


@dataclass(frozen=True)
class Split:
    """The grants of one role as policies: inline when they fit, else managed policies."""

    inline: list[Grant]
    managed: list[list[Grant]]
    characters: int  # the upper bound of all the statements

    @property
    def fits(self) -> bool:
        return len(self.managed) <= MANAGED_PER_ROLE


def split(grants: list[Grant], arn: Callable[[Target], str]) -> Split:
    """One inline policy when everything fits the inline limit; else managed policies, each filled in
    order up to the managed limit (a grant on many resources is continued in the next policy)."""
    total = size([statement(g, arn) for g in grants])
    if total <= INLINE_LIMIT:
        return Split(grants, [], total)
    policies: list[list[Grant]] = [[]]
    for grant in grants:
        for target in grant.targets:
            grown = _adding(policies[-1], grant.actions, target)
            if policies[-1] and size([statement(g, arn) for g in grown]) > MANAGED_LIMIT:
                grown = _adding([], grant.actions, target)
                policies.append([])
            policies[-1] = grown
    return Split([], policies, total)


def _adding(policy: list[Grant], actions: tuple[str, ...], target: Target) -> list[Grant]:
    if policy and policy[-1].actions == actions:  # the grant being filled in
        return [*policy[:-1], Grant(actions, (*policy[-1].targets, target))]
    return [*policy, Grant(actions, (target,))]
