"""A service account per service, and what it may do: IAM on each resource, never on the project."""

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random
from deployer.providers.gcp.context import Context
from deployer.providers.shared import Created, service_url, subscriptions_by_service

# An upload through the XML API's multipart uploads also starts, aborts and lists the parts of one
# (a resumable upload needs `storage.objects.create` alone).
MULTIPART_UPLOAD = frozenset({"storage.multipartUploads.create", "storage.multipartUploads.abort",
                              "storage.multipartUploads.listParts"})
# What each bucket permission of the spec needs from Cloud Storage. `attrs` reads metadata, which
# `storage.objects.get` covers; `public-url` needs nothing (the bucket is public).
BUCKET_PERMISSIONS: dict[str, frozenset[str]] = {
    "download": frozenset({"storage.objects.get"}),
    "upload": frozenset({"storage.objects.create"}) | MULTIPART_UPLOAD,
    "list": frozenset({"storage.objects.list"}),
    "remove": frozenset({"storage.objects.delete"}),
    "attrs": frozenset({"storage.objects.get"}),
    "public-url": frozenset(),
}
# Predefined roles by the object and multipart-upload permissions they grant; one is used only when
# it grants exactly what the service lists, otherwise a custom role does.
PREDEFINED_BUCKET_ROLES: dict[frozenset[str], str] = {
    frozenset({"storage.objects.get"}): "roles/storage.legacyObjectReader",
    frozenset({"storage.objects.get", "storage.objects.list"}): "roles/storage.objectViewer",
    BUCKET_PERMISSIONS["upload"]: "roles/storage.objectCreator",
}
PUBLISHER = "roles/pubsub.publisher"
SUBSCRIBER = "roles/pubsub.subscriber"
SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
ROLE_SUFFIX_BYTES = 4  # 8 hex digits


def create_identities(ctx: Context, created: Created) -> dict[str, pulumi.Output[str]]:
    """A service account per service, granted what its `uses` lists; returns each account's e-mail."""
    subscriptions = subscriptions_by_service(ctx.env)
    custom_roles: dict[frozenset[str], gcp.projects.IAMCustomRole] = {}
    emails = {}
    for name in ctx.env.spec.services:
        account = ctx.service_account(name, name, f"service {name}")
        grant_uses(ctx, name, account.member, created, subscriptions.get(name, []), custom_roles)
        emails[name] = account.email
    return emails


def grant_uses(ctx: Context, service_name: str, member: pulumi.Output[str], created: Created,
               subscriptions: list[tuple[str, str]],
               custom_roles: dict[frozenset[str], gcp.projects.IAMCustomRole]) -> None:
    """One service's IAM members, each on the resource itself: a role on each bucket it uses, publish
    on its topics, pull on its own `subscriptions` (topic, subscription), read on its secrets and on
    its caches' AUTH strings."""
    uses = ctx.env.spec.services[service_name].uses
    for bucket, operations in uses.buckets.items():
        role = _bucket_role(ctx, bucket_permissions(operations), custom_roles)
        if role is not None:
            gcp.storage.BucketIAMMember(f"{bucket}.{service_name}", bucket=created.buckets[bucket].bucket.name,
                                        role=role, member=member)
    for topic, operations in uses.topics.items():
        if "publish" in operations:
            gcp.pubsub.TopicIAMMember(f"{topic}.{service_name}", topic=created.topics[topic].topic.id,
                                      role=PUBLISHER, member=member, project=ctx.project)
    for topic, sub in subscriptions:
        subscription = created.topics[topic].subscriptions[sub]
        if subscription.endpoint is None:  # a push subscription delivers on its own
            gcp.pubsub.SubscriptionIAMMember(
                f"{topic}.{sub}.{service_name}", subscription=subscription.subscription.id,
                role=SUBSCRIBER, member=member, project=ctx.project)
    readable = [(secret, created.secrets[secret].secret) for secret in dict.fromkeys(uses.secrets)]
    # An AUTH string's grant is named after its secret (`CACHE.auth`), as every grant is.
    readable += [(f"{cache}.auth", created.caches[cache].auth_secret) for cache in dict.fromkeys(uses.caches)]
    for logical_name, secret in readable:
        gcp.secretmanager.SecretIamMember(f"{logical_name}.{service_name}", secret_id=secret.id,
                                          role=SECRET_ACCESSOR, member=member, project=ctx.project)


def bucket_permissions(operations: list[str]) -> frozenset[str]:
    return frozenset().union(*(BUCKET_PERMISSIONS[op] for op in operations))


def _bucket_role(ctx: Context, permissions: frozenset[str],
                 custom_roles: dict[frozenset[str], gcp.projects.IAMCustomRole]) -> pulumi.Input[str] | None:
    """The narrowest role granting `permissions` on a bucket: a predefined one that grants exactly
    them, else a custom role (one per set of permissions); None for no permission."""
    if not permissions:
        return None
    if permissions in PREDEFINED_BUCKET_ROLES:
        return PREDEFINED_BUCKET_ROLES[permissions]
    if permissions not in custom_roles:
        custom_roles[permissions] = _custom_bucket_role(ctx, permissions)
    return custom_roles[permissions].name


def _custom_bucket_role(ctx: Context, permissions: frozenset[str]) -> gcp.projects.IAMCustomRole:
    """A custom role named after the object verbs it grants. IAM keeps a deleted role's id for up to
    37 days, so each role id ends in a random suffix kept in the state: a new one for every creation
    (after a destroy) and for every change of the permissions (which replaces the role)."""
    verbs = "-".join(sorted(p.rsplit(".", 1)[1] for p in permissions if p.startswith("storage.objects.")))
    env = ctx.env
    suffix = random.RandomId(f"objects.{verbs}", byte_length=ROLE_SUFFIX_BYTES,
                             keepers={"permissions": " ".join(sorted(permissions))})
    return gcp.projects.IAMCustomRole(
        f"objects.{verbs}",
        role_id=suffix.hex.apply(lambda hex_: ctx.name("custom-role", f"objects-{verbs}", f"_{hex_}")),
        title=f"{env.app} {env.name}: objects {verbs.replace('-', ', ')}",
        description="Bucket-level access granted by deployer to the services that list these operations",
        permissions=sorted(permissions),
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
