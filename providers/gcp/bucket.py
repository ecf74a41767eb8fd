"""Cloud Storage: private buckets, and public ones served over HTTPS: by Cloud Storage itself, or at
the spec's domain through a load balancer with Cloud CDN and a Google-managed certificate."""

from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from deployer.primitives.buckets import Bucket, Cors, LifecycleRule
from deployer.providers.gcp.context import Context
from deployer.providers.gcp.identity import CustomRole, Grant
from deployer.providers.gcp.naming import bucket_name, certificate_suffix
from deployer.providers.gcp.permissions import (
    BUCKET_PERMISSIONS,
    OBJECTS,
    PREDEFINED_BUCKET_ROLES,
    needed_permissions,
    object_verbs,
)

PUBLIC_READER = PREDEFINED_BUCKET_ROLES[BUCKET_PERMISSIONS["download"]]  # objects.get, never list
STORAGE_CLASSES = {"infrequent": "NEARLINE", "archive": "ARCHIVE"}
STORAGE_URL = "https://storage.googleapis.com/"  # public objects at STORAGE_URL + BUCKET/KEY
HTTPS_PORT = "443"


@dataclass(frozen=True)
class CreatedBucket:
    bucket: gcp.storage.Bucket
    public_url: pulumi.Input[str] | None = None
    public_address: pulumi.Output[str] | None = None  # where the domain's A record points

    def outputs(self) -> dict[str, pulumi.Input]:
        outputs = {"name": self.bucket.name}
        if self.public_url is not None:
            outputs["publicUrl"] = self.public_url
        if self.public_address is not None:
            outputs["publicAddress"] = self.public_address
        return outputs

    def grants(self, name: str, permissions: list[str]) -> list[Grant]:
        """The narrowest role on the bucket granting what PERMISSIONS need; none for no permission."""
        needed = needed_permissions(permissions)
        if not needed:
            return []
        role = PREDEFINED_BUCKET_ROLES.get(needed) or CustomRole(
            OBJECTS, object_verbs(needed), needed,
            "Bucket-level access granted by deployer to the services that list these operations")
        return [Grant(name, role, lambda logical, role, member, _project: gcp.storage.BucketIAMMember(
            logical, bucket=self.bucket.name, role=role, member=member))]


def create_buckets(ctx: Context) -> dict[str, CreatedBucket]:
    return {name: _bucket(ctx, name, bucket) for name, bucket in ctx.env.spec.buckets.items()}


def _bucket(ctx: Context, name: str, spec: Bucket) -> CreatedBucket:
    bucket = gcp.storage.Bucket(
        name,
        name=bucket_name(ctx.env.app, ctx.env.name, name, spec, ctx.project),
        location=ctx.region,
        uniform_bucket_level_access=True,
        # A public bucket grants read to allUsers, which enforced prevention would refuse.
        public_access_prevention="inherited" if spec.public else "enforced",
        versioning={"enabled": spec.versioned},
        cors=[cors_rule(rule) for rule in spec.cors],
        lifecycle_rules=[gcs_rule for rule in spec.lifecycle for gcs_rule in lifecycle_rules(rule)],
        # The index page behind the load balancer (the rules refuse one without a domain, where Cloud
        # Storage would not serve it); it applies to every folder, as a web server's directory index.
        website={"main_page_suffix": spec.index_document} if spec.index_document and spec.gcp.domain else None,
        force_destroy=not ctx.env.protect,
        labels=ctx.labels(name),
        project=ctx.project,
        opts=ctx.stateful(),
    )
    if not spec.public:
        return CreatedBucket(bucket)
    gcp.storage.BucketIAMMember(f"{name}.allUsers", bucket=bucket.name, role=PUBLIC_READER, member="allUsers")
    if spec.gcp.domain is None:
        # Cloud Storage serves public objects over HTTPS with its own certificate (and caches them at
        # Google's edge); a load balancer could only add a bare IP address, which no certificate names.
        return CreatedBucket(bucket, pulumi.Output.concat(STORAGE_URL, bucket.name))
    return CreatedBucket(bucket, f"https://{spec.gcp.domain}", _cdn(ctx, name, bucket, spec.gcp.domain))


def cors_rule(rule: Cors) -> dict:
    # Cloud Storage answers a preflight's Access-Control-Allow-Headers from responseHeader.
    return {"origins": rule.origins, "methods": rule.methods, "response_headers": rule.headers,
            "max_age_seconds": rule.max_age_seconds}


def lifecycle_rules(rule: LifecycleRule) -> list[dict]:
    """One spec rule as Cloud Storage rules: GCS takes one action per rule."""
    matching = {"matches_prefixes": [rule.prefix]} if rule.prefix else {}
    rules = []
    if rule.expire_after_days is not None:
        rules.append({"action": {"type": "Delete"},
                      "condition": {**matching, "age": rule.expire_after_days}})
    if rule.transition_after_days is not None:
        rules.append({"action": {"type": "SetStorageClass", "storage_class": STORAGE_CLASSES[rule.storage_class]},
                      "condition": {**matching, "age": rule.transition_after_days}})
    if rule.noncurrent_expire_after_days is not None:
        rules.append({"action": {"type": "Delete"},
                      "condition": {**matching, "days_since_noncurrent_time": rule.noncurrent_expire_after_days,
                                    "with_state": "ARCHIVED"}})
    return rules


def _cdn(ctx: Context, name: str, bucket: gcp.storage.Bucket, domain: str) -> pulumi.Output[str]:
    """The public objects at https://DOMAIN through Cloud CDN: backend bucket, URL map, a
    Google-managed certificate for DOMAIN, HTTPS proxy, address and global forwarding rule on port
    443. Returns the address, which DOMAIN's A record must name before Google issues the certificate."""
    project = ctx.project
    backend = gcp.compute.BackendBucket(
        f"{name}.cdn", name=ctx.name("backend-bucket", name), bucket_name=bucket.name,
        enable_cdn=True, cdn_policy={"cache_mode": "CACHE_ALL_STATIC"}, project=project)
    url_map = gcp.compute.URLMap(
        f"{name}.cdn", name=ctx.name("url-map", name), default_service=backend.self_link,
        project=project)
    # Named after its domain too: a new domain's certificate is created before the old one goes.
    certificate = gcp.compute.ManagedSslCertificate(
        f"{name}.cdn", name=ctx.name("ssl-certificate", name, certificate_suffix(domain)),
        managed={"domains": [domain]}, project=project)
    proxy = gcp.compute.TargetHttpsProxy(
        f"{name}.cdn", name=ctx.name("https-proxy", name), url_map=url_map.self_link,
        ssl_certificates=[certificate.self_link], project=project)
    address = gcp.compute.GlobalAddress(
        f"{name}.cdn", name=ctx.name("global-address", name), labels=ctx.labels(name),
        project=project)
    gcp.compute.GlobalForwardingRule(
        f"{name}.cdn", name=ctx.name("forwarding-rule", name), target=proxy.self_link,
        ip_address=address.address, port_range=HTTPS_PORT, load_balancing_scheme="EXTERNAL_MANAGED",
        labels=ctx.labels(name), project=project)
    return address.address
