"""Buckets: object storage, private and encrypted at rest unless public."""

from collections.abc import Iterable
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import Field

from deployer import clouds
from deployer.encore_values import EncoreSection
from deployer.errors import Finding, quoted
from deployer.primitive import Primitive, Refused
from deployer.speclang.fields import INT32_MAX, Model

if TYPE_CHECKING:
    from deployer.speclang.model import Infra
    from deployer.speclang.resolved import ResolvedEnv


class Cors(Model):
    """A CORS rule of a bucket."""

    origins: list[str] = Field(description="allowed origins, e.g. https://app.example.com")
    methods: list[Literal["GET", "PUT", "POST", "DELETE", "HEAD"]] = Field(description="allowed HTTP methods")
    headers: list[str] = Field([], description="allowed request headers (`*` for any)")
    max_age_seconds: int = Field(3600, ge=0, le=INT32_MAX, description="how long browsers may cache the preflight response")


class LifecycleRule(Model):
    """A lifecycle rule of a bucket: expire or move objects after some days."""

    prefix: str | None = Field(None, description="only objects whose key starts with this")
    expire_after_days: int | None = Field(None, ge=1, le=INT32_MAX, description="delete objects this many days after creation")
    transition_after_days: int | None = Field(None, ge=0, le=INT32_MAX, description="move objects to `storageClass` after N days")
    storage_class: Literal["infrequent", "archive"] | None = Field(None, description="target class of a transition")
    noncurrent_expire_after_days: int | None = Field(None, ge=1, le=INT32_MAX, description="delete old versions after this many days "
                                                     "(versioned buckets only)")


class Bucket(Model):
    """Object storage: private and encrypted at rest unless `public`."""

    name: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9._-]*[a-z0-9]$")] | None = Field(
        None, description="the exact bucket name, as the cloud's bucket naming rules allow (default: APP-ENV-NAME "
                          "and a hash of the AWS account or GCP project: bucket names are global); pin one per "
                          "environment, in its overrides")
    versioned: bool = Field(False, description="keep every version of an object")
    public: bool = Field(False, description="serve the objects publicly through the provider's CDN")
    cors: list[Cors] = Field([], description="CORS rules")
    index_document: str | None = Field(None, description="a public bucket's object served at the root of "
                                       "`publicUrl`, e.g. index.html")
    lifecycle: list[LifecycleRule] = Field([], description="lifecycle rules")


BucketPermission = Literal["download", "upload", "list", "remove", "attrs", "public-url"]


def _rules(spec: "Infra", refused: Refused) -> Iterable[Finding]:
    for name, bucket in spec.buckets.items():
        for index, rule in enumerate(bucket.lifecycle):
            at = ("buckets", name, "lifecycle", index)
            actions = [rule.expire_after_days, rule.transition_after_days,
                       rule.noncurrent_expire_after_days]
            if all(a is None for a in actions):
                yield at, ("a lifecycle rule needs an action: expireAfterDays, transitionAfterDays "
                           "or noncurrentExpireAfterDays")
            if (rule.transition_after_days is None) != (rule.storage_class is None):
                yield at, "transitionAfterDays and storageClass go together"
            if rule.noncurrent_expire_after_days is not None and not bucket.versioned:
                yield (*at, "noncurrentExpireAfterDays"), "applies to versioned buckets only (set versioned: true)"
        if bucket.index_document is not None and not bucket.public:
            yield ("buckets", name, "indexDocument"), "applies to public buckets only (set public: true)"


def _use_problem(name: str, bucket: Bucket, permissions: list[str] | None) -> str | None:
    if "public-url" in (permissions or []) and not bucket.public:
        return f"public-url needs a public bucket ({quoted(name)} is private)"
    return None


def _encore_object_storage(env: "ResolvedEnv", services: dict, gaps: list[str]) -> list[dict]:
    """Encore's `object_storage`: the cloud's provider, each bucket its cloud name and public URL."""
    buckets = {}
    for service in services.values():
        for name, bucket in service.get("buckets", {}).items():
            buckets[name] = {"name": bucket["name"]}
            if bucket.get("publicUrl"):
                buckets[name]["public_base_url"] = bucket["publicUrl"]
    return [{**clouds.cloud(env.provider).encore_storage(env), "buckets": buckets}] if buckets else []


BUCKETS = Primitive("buckets", "bucket", Bucket, "object storage buckets by name", dict[str, list[BucketPermission]],
                    "bucket name -> permissions", rules=_rules, use_problem=_use_problem,
                    encore=EncoreSection("object_storage", _encore_object_storage))
