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
    ACCESS,
    ACCOUNT_STAND_IN,
    BUCKET_PERMISSIONS,
    CONSUME_ACTIONS,
    LONGEST_PARTITION,
    NAME_LIMITS,
    READ_SECRET_ACTIONS,
    SECRET_ARN_SUFFIX,
    TOPIC_PERMISSIONS,
)
from deployer.providers.shared import deployment_uses
from deployer.speclang.model import Infra

INLINE_LIMIT = 10_240
MANAGED_LIMIT = 6_144
MANAGED_PER_ROLE = 10


@dataclass(frozen=True)
class Target:
    """A resource a service is granted actions on: its section and spec name (a subscription's is
    (topic, subscription)), and the part of it the actions apply to (naming.ACCESS)."""

    section: str
    name: str | tuple[str, str]
    part: str = ""


@dataclass(frozen=True)
class Grant:
    actions: tuple[str, ...]
    targets: tuple[Target, ...]


def service_grants(spec: Infra, services: list[str], subscriptions: list[tuple[str, str]],
                   called: list[str]) -> list[Grant]:
    """The grants of a deployment's role (the union of its SERVICES' uses): the actions of each resource
    together, then the resources with the same actions in one statement (each ARN written once).
    `subscriptions` are its services' own pull subscriptions and push subscriptions, as (topic,
    subscription); `called`: its services that some cron job calls (each reads its caller key)."""
    used = {**deployment_uses(spec, services), "subscriptions": dict.fromkeys(subscriptions),
            "caller-keys": dict.fromkeys(called)}
    actions: dict[Target, list[str]] = {}
    for section, access in ACCESS.items():
        for name, permissions in used.get(section, {}).items():
            for granted, part in access.grants(spec, name, permissions):
                if granted:
                    target = actions.setdefault(Target(section, name, part), [])
                    target += [a for a in granted if a not in target]
    by_actions: dict[tuple[str, ...], list[Target]] = {}
    for target, granted in actions.items():
        by_actions.setdefault(tuple(granted), []).append(target)
    return [Grant(granted, tuple(targets)) for granted, targets in by_actions.items()]


def statement(grant: Grant, arn: Callable[[Target], object]) -> dict:
    return {"Effect": "Allow", "Action": list(grant.actions), "Resource": [arn(t) for t in grant.targets]}


def longest_arn(spec: Infra, env: str) -> Callable[[Target], str]:
    """The longest ARN each target can have in ENV (its physical name is known; the partition is not)."""
    return lambda target: ACCESS[target.section].longest_arn(spec, env, target.name, target.part)


def size(statements: list[dict]) -> int:
    """The characters IAM counts in a policy of these statements (white space is not counted)."""
    return len(json.dumps({"Version": "2012-10-17", "Statement": statements}, separators=(",", ":")))


EVERY_ACTION = tuple(dict.fromkeys([*(a for actions, _ in BUCKET_PERMISSIONS.values() for a in actions),
                                   *(a for actions in TOPIC_PERMISSIONS.values() for a in actions),
                                   *CONSUME_ACTIONS, *READ_SECRET_ACTIONS]))


def most_per_target(spec: Infra) -> int:
    """The most characters one target can add to a role's policies: a statement of its own granting
    every action, on an ARN at the longest name AWS allows (a secret's)."""
    arn = (f"arn:{LONGEST_PARTITION}:secretsmanager:{spec.aws.region or ''}:{ACCOUNT_STAND_IN}:secret:"
           f"{'x' * NAME_LIMITS['secret']}{SECRET_ARN_SUFFIX}")
    return size([statement(Grant(EVERY_ACTION, (Target("", ""),)), lambda _: arn)]) - size([]) + 1


def surely_fitting(spec: Infra) -> int:
    """The most targets any role fits in its policies, unmeasured: each managed policy is filled to
    within one target's most of its limit (validate measures only the roles with more)."""
    most = most_per_target(spec)
    return MANAGED_PER_ROLE * (MANAGED_LIMIT - size([]) - most) // most


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
