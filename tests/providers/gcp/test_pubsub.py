"""What GCP Pub/Sub can and cannot honour: refused with the reason and where, before anything is planned."""

import pytest

from deployer.errors import SpecInvalid

SPEC = """
topics:
  signups:
    deliveryGuarantee: {guarantee}
    subscriptions:
      welcome:
        service: mailer
        {endpoint}
        retryPolicy: {{maxRetries: {retries}, maxBackoff: {backoff}}}
services: {{mailer: {{url: "https://mailer.example.com"}}}}
"""


def spec(retries=100, guarantee="at-least-once", endpoint="", backoff="10m") -> str:
    return SPEC.format(retries=retries, guarantee=guarantee, endpoint=endpoint, backoff=backoff)


@pytest.mark.parametrize("retries", [5, 100])
def test_five_to_a_hundred_retries_are_the_delivery_attempts(gcp_plan, retries):
    sub = gcp_plan(spec(retries)).inputs("gcp:pubsub/subscription:Subscription", "signups.welcome")
    assert sub["deadLetterPolicy"]["maxDeliveryAttempts"] == retries


@pytest.mark.parametrize("retries", [4, 101])
def test_retries_outside_five_to_a_hundred_are_refused_with_the_reason(gcp_env, retries):
    with pytest.raises(SpecInvalid) as refused:
        gcp_env(spec(retries))
    assert [str(p).split(": ", 1)[1] for p in refused.value.problems] == [
        "topics.signups.subscriptions.welcome.retryPolicy.maxRetries: GCP Pub/Sub allows 5 to 100 delivery attempts"]
    assert refused.value.problems[0].line == 18  # the retryPolicy line of the spec file


def test_exactly_once_push_is_refused_and_exactly_once_pull_is_enabled(gcp_env, gcp_plan):
    with pytest.raises(SpecInvalid) as refused:
        gcp_env(spec(guarantee="exactly-once", endpoint="endpoint: /push"))
    assert "exactly-once delivery to pull subscriptions only" in str(refused.value.problems[0])
    assert refused.value.problems[0].path == "topics.signups.subscriptions.welcome.endpoint"
    sub = gcp_plan(spec(guarantee="exactly-once")).inputs("gcp:pubsub/subscription:Subscription", "signups.welcome")
    assert sub["enableExactlyOnceDelivery"] is True


def test_a_backoff_longer_than_pubsub_allows_is_refused(gcp_env):
    with pytest.raises(SpecInvalid) as refused:
        gcp_env(spec(backoff="11m"))
    assert refused.value.problems[0].message == "GCP Pub/Sub allows a backoff of at most 10m"
