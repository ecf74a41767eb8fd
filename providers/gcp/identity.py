"""A service account per service, and what it may do: IAM on each resource, never on the project."""

from collections.abc import Mapping

import pulumi_gcp as gcp
from deployer.providers.gcp.context import GcpEnv

Accounts = Mapping[str, gcp.serviceaccount.Account]

# What each bucket permission of the spec needs from Cloud Storage. `attrs` reads metadata, which
# `storage.objects.get` covers; `public-url` needs nothing (the bucket is public).
BUCKET_PERMISSIONS: dict[str, frozenset[str]] = {
    "download": frozenset({"storage.objects.get"}),
    "upload": frozenset({"storage.objects.create"}),
    "list": frozenset({"storage.objects.list"}),
    "remove": frozenset({"storage.objects.delete"}),
    "attrs": frozenset({"storage.objects.get"}),
    "public-url": frozenset(),
}
# Predefined roles by the object permissions they grant; one is used only when it grants exactly
# what the service lists, otherwise a custom role does.
PREDEFINED_BUCKET_ROLES: dict[frozenset[str], str] = {
    frozenset({"storage.objects.get"}): "roles/storage.legacyObjectReader",
    frozenset({"storage.objects.get", "storage.objects.list"}): "roles/storage.objectViewer",
    frozenset({"storage.objects.create"}): "roles/storage.objectCreator",
}
PUBLISHER = "roles/pubsub.publisher"
SUBSCRIBER = "roles/pubsub.subscriber"
SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
INVOKER = "deployer-invoker"
INVOKER_LOGICAL_NAME = "deployer.invoker"  # no service can be named so: spec names have no dots


def service_accounts(gcp_env: GcpEnv) -> dict[str, gcp.serviceaccount.Account]:
    return {
        name: gcp.serviceaccount.Account(
            name,
            account_id=gcp_env.name("service-account", name),
            display_name=f"{gcp_env.env.app} {gcp_env.env.name}: service {name}",
            project=gcp_env.project,
        )
        for name in gcp_env.env.spec.services
    }


def invoker_account(gcp_env: GcpEnv) -> gcp.serviceaccount.Account:
    """The identity whose OIDC token authenticates push deliveries and cron calls to the services."""
    return gcp.serviceaccount.Account(
        INVOKER_LOGICAL_NAME,
        account_id=gcp_env.name("service-account", INVOKER),
        display_name=f"{gcp_env.env.app} {gcp_env.env.name}: Pub/Sub push and Cloud Scheduler calls",
        project=gcp_env.project,
    )


def bucket_permissions(operations: list[str]) -> frozenset[str]:
    return frozenset().union(*(BUCKET_PERMISSIONS[op] for op in operations))


def grant_buckets(gcp_env: GcpEnv, accounts: Accounts, buckets: Mapping[str, gcp.storage.Bucket]) -> None:
    """Each service gets one role on each bucket it uses: the narrowest that covers its operations."""
    custom_roles: dict[frozenset[str], gcp.projects.IAMCustomRole] = {}
    for service, spec in gcp_env.env.spec.services.items():
        for bucket, operations in spec.uses.buckets.items():
            permissions = bucket_permissions(operations)
            if not permissions:
                continue
            role = PREDEFINED_BUCKET_ROLES.get(permissions)
            if role is None:
                if permissions not in custom_roles:
                    custom_roles[permissions] = _custom_bucket_role(gcp_env, permissions)
                role = custom_roles[permissions].name
            gcp.storage.BucketIAMMember(
                f"{bucket}.{service}", bucket=buckets[bucket].name, role=role,
                member=accounts[service].member)


def _custom_bucket_role(gcp_env: GcpEnv, permissions: frozenset[str]) -> gcp.projects.IAMCustomRole:
    verbs = "-".join(sorted(p.rsplit(".", 1)[1] for p in permissions))
    env = gcp_env.env
    return gcp.projects.IAMCustomRole(
        f"objects.{verbs}",
        role_id=gcp_env.name("custom-role", f"objects-{verbs}"),
        title=f"{env.app} {env.name}: objects {verbs.replace('-', ', ')}",
        description="Bucket-level access granted by deployer to the services that list these operations",
        permissions=sorted(permissions),
        project=gcp_env.project,
    )


def grant_topics(gcp_env: GcpEnv, accounts: Accounts, topics: Mapping[str, gcp.pubsub.Topic]) -> None:
    for service, spec in gcp_env.env.spec.services.items():
        for topic, operations in spec.uses.topics.items():
            if "publish" in operations:
                gcp.pubsub.TopicIAMMember(
                    f"{topic}.{service}", topic=topics[topic].id, role=PUBLISHER,
                    member=accounts[service].member, project=gcp_env.project)


def grant_pull_subscriptions(gcp_env: GcpEnv, accounts: Accounts,
                             subscriptions: Mapping[tuple[str, str], gcp.pubsub.Subscription]) -> None:
    """A subscription's service may pull from it; a push subscription delivers on its own."""
    for (topic, name), subscription in subscriptions.items():
        spec = gcp_env.env.spec.topics[topic].subscriptions[name]
        if spec.endpoint is None:
            gcp.pubsub.SubscriptionIAMMember(
                f"{topic}.{name}.{spec.service}", subscription=subscription.id,
                role=SUBSCRIBER, member=accounts[spec.service].member, project=gcp_env.project)


def grant_secret(gcp_env: GcpEnv, accounts: Accounts, logical_name: str,
                 secret: gcp.secretmanager.Secret, services: list[str]) -> None:
    for service in services:
        gcp.secretmanager.SecretIamMember(
            f"{logical_name}.{service}", secret_id=secret.id, role=SECRET_ACCESSOR,
            member=accounts[service].member, project=gcp_env.project)
