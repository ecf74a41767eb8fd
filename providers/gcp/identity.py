"""A service account per service, and what it may do: IAM on each resource, never on the project."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random

from deployer.providers.gcp.context import Context
from deployer.providers.gcp.permissions import role_logical_name
from deployer.providers.shared import Created, CreatedEntry, deployment_uses, service_url, subscriptions_by_service

ROLE_SUFFIX_BYTES = 4  # 8 hex digits


@dataclass(frozen=True)
class CustomRole:
    """Permissions on a KIND of resource (`objects`) that no predefined role grants exactly: a custom role
    of the project named after the kind and its VERBS, one per set of permissions."""

    kind: str
    verbs: tuple[str, ...]
    permissions: frozenset[str]
    description: str


@dataclass(frozen=True)
class Grant:
    """An IAM member on one resource: named `NAME.SERVICE`, holding ROLE (a predefined role, or a
    custom role's permissions); BIND(logical name, role, member, project) creates it on the resource."""

    name: str
    role: str | CustomRole
    bind: Callable[[str, pulumi.Input[str], pulumi.Input[str], str], object]


@runtime_checkable
class GcpCreated(CreatedEntry, Protocol):
    """A GCP `Created…` value: the IAM members that grant a service PERMISSIONS on it (entry NAME)."""

    def grants(self, name: str, permissions: list[str] | None) -> list[Grant]: ...


def create_identities(ctx: Context, created: Created) -> dict[str, pulumi.Output[str]]:
    """A service account per deployment (a service in none is one), granted on each resource what its
    services' `uses` list (each `Created…` value's grants), never on the project; returns each service's
    account e-mail."""
    spec = ctx.env.spec
    subscriptions = subscriptions_by_service(ctx.env)
    custom_roles: dict[CustomRole, gcp.projects.IAMCustomRole] = {}
    emails = {}
    for name, services in spec.deployment_units().items():
        account = ctx.service_account(name, name, f"{'deployment' if name in spec.deployments else 'service'} {name}")
        grants = [grant for section, used in deployment_uses(spec, services).items()
                  for entry, permissions in used.items()
                  for grant in created[section][entry].grants(entry, permissions)]
        grants += [grant for service in services for topic, sub in subscriptions.get(service, [])
                   for grant in created["topics"][topic].subscriptions[sub].grants(f"{topic}.{sub}", None)]
        for grant in grants:
            grant.bind(f"{grant.name}.{name}", _role(ctx, grant.role, custom_roles), account.member, ctx.project)
        emails.update(dict.fromkeys(services, account.email))
    return emails


def _role(ctx: Context, role: str | CustomRole,
          custom_roles: dict[CustomRole, gcp.projects.IAMCustomRole]) -> pulumi.Input[str]:
    if isinstance(role, str):
        return role
    if role not in custom_roles:
        custom_roles[role] = _custom_role(ctx, role)
    return custom_roles[role].name


def _custom_role(ctx: Context, role: CustomRole) -> gcp.projects.IAMCustomRole:
    """IAM keeps a deleted role's id for up to 37 days, so each role id ends in a random suffix kept
    in the state: a new one for every creation (after a destroy) and for every change of the
    permissions (which replaces the role)."""
    verbs, logical = "-".join(role.verbs), role_logical_name(role.kind, role.verbs)
    env = ctx.env
    suffix = random.RandomId(logical, byte_length=ROLE_SUFFIX_BYTES,
                             keepers={"permissions": " ".join(sorted(role.permissions))})
    return gcp.projects.IAMCustomRole(
        logical,
        role_id=suffix.hex.apply(lambda hex_: ctx.name("custom-role", f"{role.kind}-{verbs}", f"_{hex_}")),
        title=f"{env.app} {env.name}: {role.kind} {', '.join(role.verbs)}",
        description=role.description,
        permissions=sorted(role.permissions),
        project=ctx.project,
    )


def invoker_claims(ctx: Context) -> dict[str, dict]:
    """Per service that a push subscription or a cron job calls: the claims of the OIDC token such a
    call carries, `email` (the invoker account's) and `aud` (the service's URL)."""
    spec = ctx.env.spec
    called = [sub.service for topic in spec.topics.values() for sub in topic.subscriptions.values() if sub.endpoint]
    called += [job.endpoint.service for job in spec.cron.values() if not isinstance(job.endpoint, str)]
    return {service: {"email": ctx.invoker.email, "audience": service_url(ctx.env, service, "")}
            for service in dict.fromkeys(called)}
