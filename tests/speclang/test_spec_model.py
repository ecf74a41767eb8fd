"""The model's forms and defaults (durations, aliases, list-or-map secrets) and physical names."""

import re
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from deployer.clouds import cloud, registered
from deployer.speclang.durations import format_duration, parse_duration
from deployer.speclang.keyspaces import DailyAt
from deployer.speclang.load import load_spec, resolve
from deployer.speclang.model import Infra
from deployer.speclang.naming import HASH_LENGTH, physical_name


@pytest.mark.parametrize("text, expected", [
    ("10s", timedelta(seconds=10)), ("7d", timedelta(days=7)), ("2h", timedelta(hours=2)),
    ("1h30m", timedelta(minutes=90)), ("500ms", timedelta(milliseconds=500)),
])
def test_durations_parse_and_print_back(text, expected):
    assert parse_duration(text) == expected
    assert format_duration(expected) == text


@pytest.mark.parametrize("text", ["", "10", "1.5h", "10 s", "-5m", "2w"])
def test_malformed_durations_name_the_accepted_form(text):
    with pytest.raises(ValueError, match="use e.g. 10s, 5m, 2h, 7d or 1h30m"):
        parse_duration(text)


def test_expiries_take_a_duration_never_keep_ttl_or_a_daily_time():
    spec = Infra.model_validate({"app": "shop", "caches": {"sessions": {"keyspaces": {
        "a-b": {"key": "string", "value": "int", "keyPattern": "a/:key", "defaultExpiry": "10s"},
        "c-d": {"key": "string", "value": "int", "keyPattern": "c/:key", "defaultExpiry": "never"},
        "e-f": {"key": "string", "value": "int", "keyPattern": "e/:key", "defaultExpiry": "keep-ttl"},
        "g-h": {"key": "string", "value": "int", "keyPattern": "g/:key", "defaultExpiry": {"dailyAt": "04:00"}},
        "i-j": {"key": "string", "value": "int", "keyPattern": "i/:key"},
    }}}})
    expiries = {n: k.default_expiry for n, k in spec.caches["sessions"].keyspaces.items()}
    assert expiries == {"a-b": timedelta(seconds=10), "c-d": "never", "e-f": "keep-ttl",
                        "g-h": DailyAt(daily_at="04:00"), "i-j": "never"}


def test_secrets_may_be_a_list_of_names_or_a_map():
    as_list = Infra.model_validate({"app": "shop", "secrets": ["StripeAPIKey", "GitHubAPIToken"]})
    as_map = Infra.model_validate({"app": "shop", "secrets": {"StripeAPIKey": {}, "GitHubAPIToken": {}}})
    assert as_list == as_map
    assert sorted(as_list.secrets) == ["GitHubAPIToken", "StripeAPIKey"]


def test_defaults_follow_the_spec():
    spec = Infra.model_validate({"app": "shop", "caches": {"sessions": {}}, "topics": {"signups": {
        "subscriptions": {"welcome": {"service": "email"}}}}})
    subscription = spec.topics["signups"].subscriptions["welcome"]
    assert (spec.provider, spec.secret_store, spec.state) == ("aws", "file", None)
    assert spec.caches["sessions"].eviction_policy == "allkeys-lru"
    assert spec.topics["signups"].delivery_guarantee == "at-least-once"
    assert (subscription.endpoint, subscription.ack_deadline, subscription.message_retention) == \
        (None, timedelta(seconds=30), timedelta(days=7))
    retry = subscription.retry_policy
    assert (retry.min_backoff, retry.max_backoff, retry.max_retries) == \
        (timedelta(seconds=10), timedelta(minutes=10), 100)


def test_durations_serialise_in_the_spec_form():
    spec = Infra.model_validate({"app": "shop", "topics": {"signups": {"subscriptions": {
        "welcome": {"service": "email", "ackDeadline": "90s"}}}}})
    dumped = spec.model_dump(by_alias=True)["topics"]["signups"]["subscriptions"]["welcome"]
    assert (dumped["ackDeadline"], dumped["messageRetention"]) == ("1m30s", "7d")


# --- physical names ------------------------------------------------------------------------------


def test_a_name_within_the_limit_is_app_env_name():
    assert physical_name("shop", "prod", "avatars", 63) == "shop-prod-avatars"
    assert provider_name("aws", "queue", "shop", "prod", "fulfil-order", ".fifo") == "shop-prod-fulfil-order.fifo"


def test_a_long_name_is_shortened_to_the_limit_with_a_stable_hash():
    long_name = "resource-requests-per-user-and-route"
    name = provider_name("aws", "cache", "shop", "production-eu", long_name)
    assert len(name) == cloud("aws").name_limits["cache"] == 40
    assert name.startswith("shop-production-eu-resource")
    assert re.fullmatch(rf".*-[0-9a-f]{{{HASH_LENGTH}}}", name)
    assert name == provider_name("aws", "cache", "shop", "production-eu", long_name)
    assert name != provider_name("aws", "cache", "shop", "production-eu", long_name + "-2")


def test_a_shortened_name_keeps_its_suffix():
    name = provider_name("aws", "queue", "shop", "prod", "x" * 90, ".fifo")
    assert len(name) == 80 and name.endswith(".fifo")


def test_gcp_custom_role_ids_use_their_own_alphabet():
    assert provider_name("gcp", "custom-role", "shop", "pr-42", "email") == "shop_pr_42_email"


def test_a_resolved_environment_names_resources_under_its_provider_limits(spec_file):
    spec = load_spec(spec_file("""
        app: shop
        gcp: {project: shop-1, region: europe-west1}
        provider: gcp
        environments: {preview-environment: {type: preview}}
        """))
    env = resolve(spec, "preview-environment")
    account = cloud(env.provider).physical_name("service-account", env.app, env.name, "fulfilment")
    assert len(account) == 30 and account.startswith("shop-preview-environ")


NAME_LIMITS = {(name, kind): limit for name, c in registered().items() for kind, limit in c.name_limits.items()}


def provider_name(provider: str, kind: str, app: str, env: str, name: str, suffix: str = "") -> str:
    return cloud(provider).physical_name(kind, app, env, name, suffix)


NAMES = st.from_regex(r"\A[a-z][a-z0-9-]{0,60}[a-z0-9]\Z")


@settings(max_examples=150, deadline=None, database=None)
@given(app=st.from_regex(r"\A[a-z][a-z0-9-]{1,30}\Z"), env=NAMES, name=NAMES,
       kind=st.sampled_from(sorted(NAME_LIMITS)), suffix=st.sampled_from(["", ".fifo", "-dlq"]))
def test_every_physical_name_fits_its_limit_and_is_stable(app, env, name, kind, suffix):
    provider, resource = kind
    made = provider_name(provider, resource, app, env, name, suffix)
    assert len(made) <= NAME_LIMITS[kind]
    assert made == provider_name(provider, resource, app, env, name, suffix)
    full = f"{app}-{env}-{name}{suffix}"
    if resource == "custom-role":  # ids of [a-zA-Z0-9_.] only
        assert re.fullmatch(r"[A-Za-z0-9_.]+", made)
        full = full.replace("-", "_")
    assert made.endswith(full[-len(suffix):] if suffix else "")
    if len(full) <= NAME_LIMITS[kind]:
        assert made == full
