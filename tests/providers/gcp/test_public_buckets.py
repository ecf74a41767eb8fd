"""Public buckets on GCP are served over HTTPS: by Cloud Storage itself, or at the spec's domain through
a load balancer with Cloud CDN and a Google-managed certificate."""

from deployer.providers.gcp.mocks import CDN_ADDRESS

PUBLIC = """
buckets:
  assets:
    public: true
    gcp: {domain: %s}
services: {web: {uses: {buckets: {assets: [public-url]}}}}
"""
CDN = "assets.cdn"


# https://cloud.google.com/storage/docs/access-public-data#api-link: a public object is at
# https://storage.googleapis.com/BUCKET/OBJECT, over HTTPS with Google's certificate; without a domain
# there is no name a certificate could be issued for, so no load balancer is made.
def test_a_public_bucket_without_a_domain_is_served_by_cloud_storage_over_https(gcp_plan):
    plan = gcp_plan(PUBLIC % "null")
    bucket = plan.inputs("gcp:storage/bucket:Bucket", "assets")["name"]
    assert plan.services["web"]["buckets"]["assets"] == {
        "name": bucket, "publicUrl": f"https://storage.googleapis.com/{bucket}", "permissions": ["public-url"]}
    assert not [r for r in plan.resources if r["type"].startswith("gcp:compute/")]
    read = plan.inputs("gcp:storage/bucketIAMMember:BucketIAMMember", "assets.allUsers")
    assert (read["member"], read["role"]) == ("allUsers", "roles/storage.legacyObjectReader")


# https://cloud.google.com/load-balancing/docs/ssl-certificates/google-managed-certs: a Google-managed
# certificate for the domain, on the HTTPS proxy of a global external Application Load Balancer, whose
# forwarding rule listens on 443; the certificate is issued once the domain's DNS names the address.
def test_a_public_bucket_with_a_domain_is_served_there_with_a_google_managed_certificate(gcp_plan):
    plan = gcp_plan(PUBLIC % "assets.shop.example.com")
    certificate = plan.inputs("gcp:compute/managedSslCertificate:ManagedSslCertificate", CDN)
    assert certificate["managed"] == {"domains": ["assets.shop.example.com"]}
    assert certificate["name"].startswith("shop-dev-assets-")  # and a hash of the domain
    proxy = plan.inputs("gcp:compute/targetHttpsProxy:TargetHttpsProxy", CDN)
    assert proxy["sslCertificates"] == [
        f"https://www.googleapis.com/compute/v1/projects/shop-test-1/global/sslCertificates/{certificate['name']}"]
    assert plan.depends_on("gcp:compute/targetHttpsProxy:TargetHttpsProxy", CDN) == {
        ("gcp:compute/uRLMap:URLMap", CDN), ("gcp:compute/managedSslCertificate:ManagedSslCertificate", CDN)}
    assert plan.inputs("gcp:compute/backendBucket:BackendBucket", CDN)["enableCdn"] is True
    rule = plan.inputs("gcp:compute/globalForwardingRule:GlobalForwardingRule", CDN)
    assert (rule["portRange"], rule["loadBalancingScheme"]) == ("443", "EXTERNAL_MANAGED")
    assert plan.depends_on("gcp:compute/globalForwardingRule:GlobalForwardingRule", CDN) == {
        ("gcp:compute/targetHttpsProxy:TargetHttpsProxy", CDN), ("gcp:compute/globalAddress:GlobalAddress", CDN)}
    outputs = plan.services["web"]["buckets"]["assets"]
    assert (outputs["publicUrl"], outputs["publicAddress"]) == ("https://assets.shop.example.com", CDN_ADDRESS)


def test_a_new_domain_gets_a_new_certificate_before_the_old_one_goes(gcp_plan):
    def certificate(domain: str) -> str:
        return gcp_plan(PUBLIC % domain).inputs("gcp:compute/managedSslCertificate:ManagedSslCertificate",
                                                CDN)["name"]

    assert certificate("a.example.com") != certificate("b.example.com")
    assert certificate("a.example.com") == certificate("a.example.com")


def test_a_domain_serves_a_public_bucket_only(deployer, spec_file):
    path = spec_file("""\
        app: shop
        provider: gcp
        gcp: {project: shop-test-1, region: europe-west1}
        buckets:
          assets:
            gcp: {domain: assets.shop.example.com}
        """)
    run = deployer("--spec", str(path), "validate")
    assert run.exit_code == 1
    assert f"{path}:6: buckets.assets.gcp.domain: serves a public bucket only: set public: true, or drop " \
           "the domain" in run.stderr


INDEXED = """\
buckets:
  site:
    public: true
    indexDocument: index.html
"""


# https://cloud.google.com/storage/docs/static-website#index_pages: the index page is the bucket's
# website.mainPageSuffix, which applies "when the bucket is accessed through a custom domain"; "requests
# to a bucket through other endpoints are unaffected", https://storage.googleapis.com/BUCKET among them.
def test_an_index_document_is_served_only_behind_a_domain_never_at_storage_googleapis_com(refusals, gcp_plan):
    assert refusals(INDEXED) == (1, [
        "8: buckets.site.indexDocument: Cloud Storage serves an index page only through a custom domain, never "
        "at https://storage.googleapis.com/BUCKET (https://cloud.google.com/storage/docs/static-website"
        "#index_pages): give gcp.domain (served through a load balancer), or drop indexDocument"])
    served = INDEXED + "    gcp: {domain: www.shop.example.com}\n"
    plan = gcp_plan(served)
    assert plan.inputs("gcp:storage/bucket:Bucket", "site")["website"] == {"mainPageSuffix": "index.html"}
    assert "website" not in gcp_plan(PUBLIC % "assets.shop.example.com").inputs("gcp:storage/bucket:Bucket",
                                                                               "assets")


SERVED = """\
buckets:
  assets:
    public: true
    gcp: {domain: assets.shop.example.com}
"""


# https://cloud.google.com/load-balancing/docs/ssl-certificates/google-managed-certs: each environment
# makes its own load balancer and Google-managed certificate for its domain, and the domain's DNS record
# names one address: two environments serving one domain would fight over it, and dev's publicUrl would
# name prod's site.
def test_a_served_domain_belongs_to_one_environment(refusals):
    exit_code, problems = refusals(SERVED)
    assert exit_code == 1
    assert ('8: buckets.assets.gcp.domain: its served domain "assets.shop.example.com" in environment "dev" is also '
            'the served domain of buckets.assets.gcp.domain in environment "prod": rename one of them (give each '
            "environment its own domain, in its overrides)") in problems
    assert refusals(SERVED + """\
envTypes:
  development: {overrides: {buckets: {assets: {gcp: {domain: assets.dev.shop.example.com}}}}}
  preview: {overrides: {buckets: {assets: {gcp: {domain: null}}}}}
""") == (0, [])


# The same page: a preview made for each pull request would make one more certificate and load
# balancer for the one domain its type gives it.
def test_every_preview_would_serve_one_domain(refusals):
    exit_code, problems = refusals(SERVED + """\
envTypes:
  development: {overrides: {buckets: {assets: {gcp: {domain: assets.dev.shop.example.com}}}}}
""")
    assert exit_code == 1
    assert problems == ["8: buckets.assets.gcp.domain: every preview environment would serve this bucket at "
                        "assets.shop.example.com, each with its own certificate and load balancer: leave the domain "
                        "out of previews (gcp: {domain: null} under envTypes.preview.overrides), or declare the "
                        "preview with its own domain"]
