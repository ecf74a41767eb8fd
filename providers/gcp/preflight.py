"""What GCP may refuse at `up` that the spec alone cannot show: project quotas that previews use up,
bucket names that need a verified domain, organisation policies. Said before a deploy (`notes`) and
named with the fix when GCP refuses (`refusal_hint`)."""

import re
from collections.abc import Iterable, Iterator

from deployer.providers.gcp.naming import resource_names
from deployer.providers.gcp.network import DEFAULT_NETWORK
from deployer.providers.gcp.permissions import custom_roles, identity_bucket_uses
from deployer.speclang.environments import PREVIEW_TYPE
from deployer.speclang.resolved import ResolvedEnv

# https://cloud.google.com/iam/quotas: 100 service accounts per project (a quota, which may be raised)
# and 300 custom roles per project; a deleted custom role "still counts toward the custom role limit
# until it is permanently deleted", 7 days later
# (https://cloud.google.com/iam/docs/reference/rest/v1/projects.roles/delete).
SERVICE_ACCOUNTS, CUSTOM_ROLES = 100, 300
IAM_QUOTAS = "https://cloud.google.com/iam/quotas"
DELETED_ROLES = "https://cloud.google.com/iam/docs/reference/rest/v1/projects.roles/delete"
# Warned while fewer previews than this fit: about the pull requests a team keeps open at once.
PREVIEWS_WARNED = 10
DOMAIN_VERIFICATION = "https://cloud.google.com/storage/docs/domain-name-verification"
PUBLIC_ACCESS_PREVENTION = "https://cloud.google.com/storage/docs/public-access-prevention"
DOMAIN_RESTRICTED_SHARING = "https://cloud.google.com/resource-manager/docs/organization-policy/restricting-domains"
RESOURCE_LOCATIONS = "https://cloud.google.com/resource-manager/docs/organization-policy/defining-locations"


def usage(env: ResolvedEnv) -> tuple[int, int]:
    """The service accounts and the custom roles ENV makes in its project."""
    accounts = sum(1 for named in resource_names(env.spec, env.name) if named.kind == "service-account")
    roles = len(custom_roles(used for _, used in identity_bucket_uses(env.spec)))
    return accounts, roles


PRIVATE_SERVICE_ACCESS_DOC = "https://cloud.google.com/sql/docs/postgres/configure-private-services-access"


def notes(env: ResolvedEnv, neighbours: Iterable[ResolvedEnv]) -> Iterator[str]:
    yield from _preview_quotas(env, neighbours)
    for name, bucket in env.spec.buckets.items():
        if bucket.name and "." in bucket.name:
            yield (f"bucket {name} is named {bucket.name}, a domain name: Cloud Storage creates it only for a verified "
                   f"owner of the domain ({DOMAIN_VERIFICATION}): verify it in Google Search Console, with the "
                   "account deployer runs as among its owners")
    if env.spec.databases:
        network = env.spec.gcp.network or DEFAULT_NETWORK
        yield (f"Cloud SQL reaches its databases on network {network} by Private Service Access, which deployer "
               "requires rather than creates (one per network, shared by every environment on it): if `up` fails "
               "for want of it, its message gives the two gcloud commands that set it up "
               f"({PRIVATE_SERVICE_ACCESS_DOC})")
    if any(bucket.public for bucket in env.spec.buckets.values()):
        yield ("a public bucket is readable by allUsers, which two organisation policies refuse: "
               f"storage.publicAccessPrevention ({PUBLIC_ACCESS_PREVENTION}) and iam.allowedPolicyMemberDomains, "
               f"domain restricted sharing ({DOMAIN_RESTRICTED_SHARING}); where either is enforced on project "
               f"{env.spec.gcp.project}, ask its administrator to except the project, or make the buckets private")


def _preview_quotas(env: ResolvedEnv, neighbours: Iterable[ResolvedEnv]) -> Iterator[str]:
    """Before a preview: how many previews the project's quotas leave room for, if fewer than PREVIEWS_WARNED."""
    if env.type != PREVIEW_TYPE:
        return
    accounts, roles = usage(env)
    used = [usage(n) for n in neighbours if n.type != PREVIEW_TYPE and n.spec.gcp.project == env.spec.gcp.project]
    for what, limit, per_env, taken, when in (
            ("service accounts", SERVICE_ACCOUNTS, accounts, sum(a for a, _ in used), "at once"),
            ("custom roles", CUSTOM_ROLES, roles, sum(r for _, r in used),
             f"within 7 days (a deleted custom role counts for 7 days, {DELETED_ROLES})")):
        if per_env and (fitting := (limit - taken) // per_env) < PREVIEWS_WARNED:
            yield (f"warning: each preview of this spec makes {per_env} {what}, and the other environments in project "
                   f"{env.spec.gcp.project} {taken}, of GCP's {limit} per project ({IAM_QUOTAS}): "
                   f"{max(fitting, 0)} previews fit {when}, fewer if the project holds others; raise the quota, or "
                   "give previews a project of their own (gcp.project under envTypes.preview.overrides)")


# GCP's words when an organisation policy or a domain's ownership refuses a deploy, and the fix.
REFUSALS = (
    (re.compile(r"public access prevention is enforced|constraints/storage\.publicAccessPrevention"),
     ("the organisation policy storage.publicAccessPrevention refuses the public buckets' allUsers reader ({url}): "
     "ask an administrator to except project {project}, or make the buckets private"), PUBLIC_ACCESS_PREVENTION),
    (re.compile(r"do not belong to a permitted customer|constraints/iam\.allowedPolicyMemberDomains"),
     ("the organisation policy iam.allowedPolicyMemberDomains (domain restricted sharing) refuses allUsers, the public "
     "buckets' reader ({url}): ask an administrator to except project {project}, or make the buckets private"),
     DOMAIN_RESTRICTED_SHARING),
    (re.compile(r"constraints/gcp\.resourceLocations"),
     ("the organisation policy gcp.resourceLocations does not allow {region} ({url}): choose an allowed region "
     "(gcp.region), or ask an administrator to allow it"), RESOURCE_LOCATIONS),
    (re.compile(r"domain ownership verification|domain name owned by another user|owns the domain|verify site or "
                r"domain ownership"),
     ("a bucket name with dots is a domain name, which Cloud Storage gives only to a verified owner of the domain "
     "({url}): verify it in Google Search Console with the account deployer runs as among its owners, or pin a name "
     "without dots"), DOMAIN_VERIFICATION),
)


def refusal_hint(env: ResolvedEnv, message: str) -> str | None:
    for pattern, hint, url in REFUSALS:
        if pattern.search(message):
            return hint.format(url=url, project=env.spec.gcp.project, region=env.spec.gcp.region)
    return None
