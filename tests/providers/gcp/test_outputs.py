"""One spec, planned for AWS and for GCP: the services read the same output keys on both clouds."""

from pathlib import Path

import pytest

from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

EXAMPLE = Path(__file__).resolve().parents[3] / "examples/shop-yaml/infra.yaml"
# Identifiers only one cloud has; every other key is the same on both.
CLOUD_ONLY = {
    "aws": {("buckets", "arn"), ("subscriptions", "queueUrl")},
    "gcp": {("subscriptions", "deadLetters"), ("caches", "caCert")},
}
# What each cloud's callers carry (AWS: a key to check, GCP: the OIDC token's claims): the same key
# on both, its contents the cloud's own.
CLOUD_SPECIFIC = {"callers"}


def output_keys(services: dict, provider: str) -> dict[tuple, set[str]]:
    """(service, category[, resource]) -> the keys a service reads there, without the cloud-only ones."""
    keys = {}
    for service, outputs in services.items():
        keys[(service,)] = set(outputs)
        for category, entries in outputs.items():
            if not isinstance(entries, dict) or category in CLOUD_SPECIFIC:
                continue
            keys[(service, category)] = set(entries)
            for resource, value in entries.items():
                if isinstance(value, dict):
                    keys[(service, category, resource)] = {
                        k for k in value if (category, k) not in CLOUD_ONLY[provider]}
    return keys


@pytest.fixture(scope="module")
def plans():
    spec = load_spec(EXAMPLE)
    # dev (development on AWS) and staging (development on GCP) deploy the same spec
    return {env.provider: build_plan(env) for env in (resolve(spec, "dev"), resolve(spec, "staging"))}


def test_providers_are_the_ones_compared(plans):
    assert {p: plan["outputs"]["provider"] for p, plan in plans.items()} == {"aws": "aws", "gcp": "gcp"}


def test_every_service_reads_the_same_keys_on_aws_and_gcp(plans):
    aws = output_keys(plans["aws"]["outputs"]["services"], "aws")
    gcp = output_keys(plans["gcp"]["outputs"]["services"], "gcp")
    assert aws.keys() == gcp.keys()
    assert {where: keys for where, keys in aws.items() if gcp[where] != keys} == {}


def test_the_shared_keys_hold_values_of_the_same_kind(plans):
    aws, gcp = (plans[p]["outputs"]["services"] for p in ("aws", "gcp"))
    for service in aws:
        for cache, outputs in aws[service]["caches"].items():
            theirs = gcp[service]["caches"][cache]
            assert (type(outputs["port"]), outputs["tls"], outputs["keyspaces"]) == \
                   (type(theirs["port"]), theirs["tls"], theirs["keyspaces"])
        assert aws[service]["buckets"].keys() == gcp[service]["buckets"].keys()
        for bucket, outputs in aws[service]["buckets"].items():
            assert outputs["permissions"] == gcp[service]["buckets"][bucket]["permissions"]
