"""IAM: a role per service holding exactly the permissions its `uses` lists, on the exact ARNs."""

from collections.abc import Mapping
from typing import Protocol, runtime_checkable

import pulumi
import pulumi_aws as aws

from deployer.providers.aws.callers import CallerKey
from deployer.providers.aws.context import Context, policy_document, service_principal_trust
from deployer.providers.aws.naming import JOIN, cron_called
from deployer.providers.aws.permissions import Grant, Target, longest_arn, service_grants, split, statement
from deployer.providers.shared import Created, CreatedEntry, subscriptions_by_service


@runtime_checkable
class AwsCreated(CreatedEntry, Protocol):
    """An AWS `Created…` value: the ARN a grant on it applies to (PART: naming.ACCESS's)."""

    def arn(self, part: str) -> pulumi.Output[str]: ...


def target_arn(created: Created, keys: Mapping[str, CallerKey], target: Target) -> pulumi.Output[str]:
    """The ARN a grant applies to: the created resource's (a subscription's in its topic's)."""
    if target.section == "subscriptions":
        topic, sub = target.name
        return created["topics"][topic].subscriptions[sub].arn(target.part)
    return {**created, "caller-keys": keys}[target.section][target.name].arn(target.part)


def create_identities(ctx: Context, created: Created,
                      keys: Mapping[str, CallerKey]) -> dict[str, pulumi.Output[str]]:
    """A role per deployment (a service in none is one) with policies granting what its services' `uses`
    list (permissions.py: inline when they fit, else managed policies); returns each service's role ARN."""
    spec = ctx.env.spec
    subscriptions = subscriptions_by_service(ctx.env)
    longest = longest_arn(spec, ctx.env.name)
    called = cron_called(spec)
    roles = {}
    for name, services in spec.deployment_units().items():
        trust = [*dict.fromkeys(principal for service in services for principal in spec.services[service].aws.trust)]
        role = aws.iam.Role(
            name,
            name=ctx.name("role", name),
            assume_role_policy=service_principal_trust(*trust),
            tags=ctx.labels(name),
            opts=ctx.opts(),
        )
        grants = service_grants(spec, services, [s for service in services for s in subscriptions.get(service, [])],
                                [service for service in called if service in services])
        policies = split(grants, longest)

        def document(grants: list[Grant]) -> pulumi.Output[str]:
            return policy_document(*(statement(g, lambda t: target_arn(created, keys, t)) for g in grants))

        if policies.inline:
            aws.iam.RolePolicy(name, name=ctx.name("policy", name), role=role.id,
                               policy=document(policies.inline), opts=ctx.opts())
        for index, grants in enumerate(policies.managed, 1):
            managed = aws.iam.Policy(f"{name}.{index}", name=ctx.name("policy", f"{name}{JOIN}{index}"),
                                     policy=document(grants), tags=ctx.labels(name), opts=ctx.opts())
            aws.iam.RolePolicyAttachment(f"{name}.{index}", role=role.name, policy_arn=managed.arn,
                                         opts=ctx.opts())
        roles.update(dict.fromkeys(services, role.arn))
    return roles
