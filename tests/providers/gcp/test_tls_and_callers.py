"""What a GCP service needs to trust its connections: the Memorystore CA its cache's certificate comes
from, and the claims of the OIDC tokens Pub/Sub pushes and Cloud Scheduler calls carry."""

from deployer.encore import encore_config
from deployer.providers.gcp.mocks import REDIS_CA_CERT

SPEC = """
caches: {sessions: {}}
topics:
  signups:
    subscriptions:
      welcome: {service: mailer, endpoint: /push/welcome}
      audit: {service: auditor}
cron:
  digest: {every: 24h, endpoint: {service: mailer, path: /cron/digest}}
  report: {every: 24h, endpoint: {service: reporter, path: /cron/report}}
  ping: {every: 1h, endpoint: "https://status.example.com/ping"}
services:
  mailer: {url: "https://mailer.example.com", uses: {caches: [sessions]}}
  reporter: {url: "https://reporter.example.com/"}
  auditor: {}
"""
INVOKER = "shop-dev-deployer-invoker@shop-test-1.iam.gserviceaccount.com"


# https://cloud.google.com/memorystore/docs/redis/about-in-transit-encryption#certificate_authority: an
# instance with in-transit encryption has its own CA, which clients install to verify the server;
# pulumi-gcp gives it as the instance's `serverCaCerts` (up to two during a rotation).
def test_memorystore_tls_is_verified_against_the_instances_own_ca(gcp_plan, gcp_env):
    plan = gcp_plan(SPEC)
    cache = plan.services["mailer"]["caches"]["sessions"]
    assert (cache["tls"], cache["port"], cache["caCert"]) == (True, 6378, REDIS_CA_CERT)
    assert REDIS_CA_CERT.startswith("-----BEGIN CERTIFICATE-----")  # a placeholder PEM in the plan
    # Encore's TLSConfig takes the CA as `ca` (runtimes/core/src/infracfg.rs in encoredev/encore)
    config = encore_config(gcp_env(SPEC), plan.outputs)
    assert config["redis"]["sessions"]["tls_config"] == {"disable_tls_hostname_verification": True,
                                                         "ca": REDIS_CA_CERT}


# https://cloud.google.com/pubsub/docs/authenticate-push-subscriptions and
# https://cloud.google.com/scheduler/docs/http-target-auth#token: the token is signed by Google, its
# `aud` is the audience deployer sets (the service's URL) and its `email` the invoker account's.
def test_a_pushed_or_called_service_knows_the_oidc_email_and_audience_to_check(gcp_plan):
    plan = gcp_plan(SPEC)
    services = plan.services
    assert services["mailer"]["callers"] == {"email": INVOKER, "audience": "https://mailer.example.com"}
    assert services["reporter"]["callers"] == {"email": INVOKER, "audience": "https://reporter.example.com"}
    assert "callers" not in services["auditor"]  # it pulls: nobody calls it
    # the tokens say exactly that
    push = plan.inputs("gcp:pubsub/subscription:Subscription", "signups.welcome")["pushConfig"]["oidcToken"]
    assert push == {"serviceAccountEmail": INVOKER, "audience": "https://mailer.example.com"}
    jobs = {job["name"]: job["inputs"]["httpTarget"]["oidcToken"] for job in plan.all("gcp:cloudscheduler/job:Job")}
    assert jobs["digest"] == push
    assert jobs["report"] == {"serviceAccountEmail": INVOKER, "audience": "https://reporter.example.com"}
