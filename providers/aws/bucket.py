"""S3: private, encrypted buckets; `public: true` serves one through CloudFront with Origin Access Control."""

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from deployer.primitives.buckets import Bucket
from deployer.providers.aws.context import Context, policy_document
from deployer.providers.aws.naming import bucket_name
from deployer.speclang.model import Infra

STORAGE_CLASSES = {"infrequent": "STANDARD_IA", "archive": "GLACIER"}
# A GLACIER (Flexible Retrieval) object cannot be read until it is restored, unlike a GCS ARCHIVE one
# (https://docs.aws.amazon.com/AmazonS3/latest/userguide/restoring-objects.html): a bucket whose objects
# are read (a service downloads them, or CloudFront serves them) archives to Glacier Instant Retrieval,
# read in milliseconds (https://docs.aws.amazon.com/AmazonS3/latest/userguide/storage-class-intro.html).
READABLE_ARCHIVE = "GLACIER_IR"
CACHING_OPTIMIZED_POLICY = "658327ea-f89d-4fab-a63d-7e88639e58f6"  # AWS managed cache policy
# AWS managed origin request policy forwarding Origin and the preflight headers to S3, which answers CORS
# by them (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/
# using-managed-origin-request-policies.html#managed-origin-request-policy-cors-s3).
CORS_S3_ORIGIN_POLICY = "88a5eaf4-2fd4-4709-b370-b4c650ea3fcf"
CORS_HEADERS = ["Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers"]
S3_ORIGIN = "s3"


@dataclass(frozen=True)
class CreatedBucket:
    bucket: aws.s3.Bucket
    public_url: pulumi.Output[str] | None

    def outputs(self) -> dict[str, pulumi.Input]:
        outputs = {"name": self.bucket.bucket, "arn": self.bucket.arn}
        if self.public_url is not None:
            outputs["publicUrl"] = self.public_url
        return outputs

    def arn(self, part: str) -> pulumi.Output[str]:
        """The ARN of the bucket, or of its objects (naming.BUCKET_PERMISSIONS)."""
        return pulumi.Output.concat(self.bucket.arn, "/*") if part == "objects" else self.bucket.arn


def create_buckets(ctx: Context) -> dict[str, CreatedBucket]:
    return {name: _bucket(ctx, name, bucket) for name, bucket in ctx.env.spec.buckets.items()}


def _bucket(ctx: Context, name: str, spec: Bucket) -> CreatedBucket:
    bucket = aws.s3.Bucket(
        name,
        bucket=ctx.account.apply(lambda account: bucket_name(ctx.env.app, ctx.env.name, name, spec, account)),
        force_destroy=not ctx.env.protect,
        tags=ctx.labels(name),
        opts=ctx.stateful(),
    )
    child = ctx.part()
    public_access = aws.s3.BucketPublicAccessBlock(
        name, bucket=bucket.id, block_public_acls=True, block_public_policy=True,
        ignore_public_acls=True, restrict_public_buckets=True, opts=child)
    aws.s3.BucketOwnershipControls(
        name, bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"}, opts=child)
    aws.s3.BucketServerSideEncryptionConfiguration(
        name, bucket=bucket.id,
        rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}], opts=child)
    if spec.versioned:
        aws.s3.BucketVersioning(name, bucket=bucket.id, versioning_configuration={"status": "Enabled"},
                                opts=child)
    if spec.cors:
        aws.s3.BucketCorsConfiguration(name, bucket=bucket.id, cors_rules=[
            {"allowed_origins": c.origins, "allowed_methods": c.methods, "allowed_headers": c.headers or None,
             "max_age_seconds": c.max_age_seconds}
            for c in spec.cors], opts=child)
    if spec.lifecycle:
        aws.s3.BucketLifecycleConfiguration(name, bucket=bucket.id, rules=lifecycle_rules(ctx.env.spec, name),
                                            opts=child)

    statements = [deny_insecure_transport(bucket.arn)]
    public_url = None
    if spec.public:
        distribution = _distribution(ctx, name, bucket, spec)
        statements.append(admit_distribution(bucket.arn, distribution.arn))
        public_url = pulumi.Output.concat("https://", distribution.domain_name)
    aws.s3.BucketPolicy(name, bucket=bucket.id, policy=policy_document(*statements),
                        opts=ctx.part(depends_on=[public_access]))
    return CreatedBucket(bucket, public_url)


def lifecycle_rules(infra: Infra, name: str) -> list[dict]:
    spec = infra.buckets[name]
    classes = {**STORAGE_CLASSES, "archive": READABLE_ARCHIVE} if objects_read(infra, name) else STORAGE_CLASSES
    rules = []
    for index, rule in enumerate(spec.lifecycle):
        body: dict = {"id": f"rule-{index + 1}", "status": "Enabled", "filter": {"prefix": rule.prefix or ""}}
        if rule.expire_after_days is not None:
            body["expiration"] = {"days": rule.expire_after_days}
        if rule.transition_after_days is not None:
            body["transitions"] = [{"days": rule.transition_after_days,
                                    "storage_class": classes[rule.storage_class]}]
        if rule.noncurrent_expire_after_days is not None:
            body["noncurrent_version_expiration"] = {"noncurrent_days": rule.noncurrent_expire_after_days}
        rules.append(body)
    return rules


def objects_read(spec: Infra, name: str) -> bool:
    """Whether bucket NAME's objects are read: served publicly, or downloaded by a service."""
    return spec.buckets[name].public or any("download" in service.uses.buckets.get(name, [])
                                            for service in spec.services.values())


def deny_insecure_transport(bucket_arn: pulumi.Output[str]) -> dict:
    # A Deny needs every S3 action (s3:*) to refuse all plain-HTTP requests; it grants nothing.
    return {"Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
            "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
            "Condition": {"Bool": {"aws:SecureTransport": "false"}}}


def admit_distribution(bucket_arn: pulumi.Output[str], distribution_arn: pulumi.Output[str]) -> dict:
    return {"Sid": "AllowCloudFrontRead", "Effect": "Allow", "Principal": {"Service": "cloudfront.amazonaws.com"},
            "Action": "s3:GetObject", "Resource": pulumi.Output.concat(bucket_arn, "/*"),
            "Condition": {"StringEquals": {"AWS:SourceArn": distribution_arn}}}


def _distribution(ctx: Context, name: str, bucket: aws.s3.Bucket, spec: Bucket) -> aws.cloudfront.Distribution:
    access = aws.cloudfront.OriginAccessControl(
        name, name=ctx.name("origin-access-control", name), origin_access_control_origin_type="s3",
        signing_behavior="always", signing_protocol="sigv4", opts=ctx.opts())
    behavior = {"target_origin_id": S3_ORIGIN, "viewer_protocol_policy": "redirect-to-https",
                "allowed_methods": ["GET", "HEAD"], "cached_methods": ["GET", "HEAD"],
                "cache_policy_id": CACHING_OPTIMIZED_POLICY, "compress": True}
    if spec.cors:
        # CachingOptimized forwards no Origin, so S3 would answer no CORS headers; and one object's
        # answer differs per Origin, so the cache key holds it too.
        behavior.update(allowed_methods=["GET", "HEAD", "OPTIONS"], cached_methods=["GET", "HEAD", "OPTIONS"],
                        cache_policy_id=_cors_cache_policy(ctx, name).id,
                        origin_request_policy_id=CORS_S3_ORIGIN_POLICY)
    return aws.cloudfront.Distribution(
        name,
        enabled=True,
        comment=ctx.env.full_name(name),
        origins=[{"domain_name": bucket.bucket_regional_domain_name, "origin_id": S3_ORIGIN,
                  "origin_access_control_id": access.id}],
        default_cache_behavior=behavior,
        default_root_object=spec.index_document,
        restrictions={"geo_restriction": {"restriction_type": "none"}},
        viewer_certificate={"cloudfront_default_certificate": True},
        price_class="PriceClass_100",
        tags=ctx.labels(name),
        opts=ctx.opts(),
    )


def _cors_cache_policy(ctx: Context, name: str) -> aws.cloudfront.CachePolicy:
    """CachingOptimized's TTLs and compression, with the CORS request headers in the cache key
    (https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/header-caching.html#header-caching-web-cors)."""
    return aws.cloudfront.CachePolicy(
        name,
        name=ctx.name("cache-policy", name),
        comment=f"bucket {name}: cached per CORS origin",
        min_ttl=1, default_ttl=86400, max_ttl=31536000,
        parameters_in_cache_key_and_forwarded_to_origin={
            "headers_config": {"header_behavior": "whitelist", "headers": {"items": CORS_HEADERS}},
            "cookies_config": {"cookie_behavior": "none"},
            "query_strings_config": {"query_string_behavior": "none"},
            "enable_accept_encoding_gzip": True, "enable_accept_encoding_brotli": True},
        opts=ctx.opts())
