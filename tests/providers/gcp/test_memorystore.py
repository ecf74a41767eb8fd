"""Memorystore for Redis as GCP documents it: its Redis versions, what each offers, and the networks an
instance can join. Each test is named after GCP's rule, its documentation in a comment."""

import pytest
from support.plans import PlanView

from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

from .conftest import HEAD

CACHE = """\
caches:
  sessions:
    evictionPolicy: {policy}
    gcp: {{redisVersion: {version}}}
"""
INSTANCE = "gcp:redis/instance:Instance"


# https://cloud.google.com/memorystore/docs/redis/supported-versions: Redis 3.2, 4.0, 5.0, 6.x, 7.0 and
# 7.2, which the API's redisVersion writes REDIS_3_2 … REDIS_7_2 (6.x is REDIS_6_X, at patch 6.2.13).
@pytest.mark.parametrize("version", ["REDIS_3_2", "REDIS_4_0", "REDIS_5_0", "REDIS_6_X", "REDIS_7_0", "REDIS_7_2"])
def test_memorystore_redis_versions_are_the_documented_enum_values(refusals, version):
    assert refusals(CACHE.format(policy="allkeys-lru", version=version)) == (0, [])


@pytest.mark.parametrize("version", ["REDIS_6_2", "REDIS_7_1", "redis_7_2"])
def test_memorystore_refuses_a_redis_version_it_does_not_list(refusals, version):
    assert refusals(CACHE.format(policy="allkeys-lru", version=version)) == (1, [
        f'8: caches.sessions.gcp.redisVersion: Memorystore has no Redis version "{version}": use one of '
        "REDIS_3_2, REDIS_4_0, REDIS_5_0, REDIS_6_X, REDIS_7_0, REDIS_7_2 "
        "(https://cloud.google.com/memorystore/docs/redis/supported-versions)"])


# https://cloud.google.com/memorystore/docs/redis/supported-redis-configurations#maxmemory_policies:
# allkeys-lfu and volatile-lfu are "Available in Redis version 4.0, or later".
@pytest.mark.parametrize("policy", ["allkeys-lfu", "volatile-lfu"])
def test_memorystore_lfu_policies_need_redis_4_0_or_later(refusals, policy):
    assert refusals(CACHE.format(policy=policy, version="REDIS_3_2")) == (1, [
        f"7: caches.sessions.evictionPolicy: Memorystore offers {policy} from Redis 4.0 on, not on REDIS_3_2 "
        "(https://cloud.google.com/memorystore/docs/redis/supported-redis-configurations#maxmemory_policies): "
        "raise gcp.redisVersion or choose an LRU policy"])
    assert refusals(CACHE.format(policy=policy, version="REDIS_4_0")) == (0, [])
    assert refusals(CACHE.format(policy="allkeys-lru", version="REDIS_3_2")) == (0, [])


def networked(network: str) -> str:
    return (f"gcp: {{project: shop-test-1, region: europe-west1, network: {network}}}\n"
            + CACHE.format(policy="allkeys-lru", version="REDIS_7_2"))


# https://cloud.google.com/memorystore/docs/redis/reference/rest/v1/projects.locations.instances:
# authorizedNetwork is "the full name of the Google Compute Engine network to which the instance is
# connected": a network, never a subnetwork.
@pytest.mark.parametrize("network", ["projects/host-1234/regions/europe-west1/subnetworks/apps",
                                     "regions/europe-west1/subnetworks/apps"])
def test_memorystore_authorized_network_is_a_network_never_a_subnetwork(refusals, network):
    exit_code, problems = refusals(networked(network))
    assert exit_code == 1
    assert problems == [f"4: gcp.network: {network} is a subnetwork: Memorystore joins a VPC network (its "
                        "authorizedNetwork), never a subnetwork: give the network, e.g. "
                        "projects/HOST/global/networks/NAME (https://cloud.google.com/memorystore/docs/redis/"
                        "reference/rest/v1/projects.locations.instances#Instance.FIELDS.authorized_network)"]


@pytest.fixture
def instance(spec_file):
    """The planned Memorystore instance of `dev` with `gcp.network: NETWORK`."""
    def planned(network: str) -> dict:
        env = resolve(load_spec(spec_file(HEAD + networked(network))), "dev")
        return PlanView(build_plan(env)).inputs(INSTANCE, "sessions")

    return planned


def test_memorystore_joins_a_network_of_the_project_by_name_or_full_name(refusals, instance):
    for network in ("shared", "projects/shop-test-1/global/networks/shared",
                    "https://www.googleapis.com/compute/v1/projects/shop-test-1/global/networks/shared"):
        assert refusals(networked(network)) == (0, [])
    assert refusals(networked("Not_A_Network"))[0] == 1
    inputs = instance("shared")
    assert inputs["authorizedNetwork"] == "projects/shop-test-1/global/networks/shared"
    assert "connectMode" not in inputs  # direct peering, Memorystore's default, needs no setup


# https://cloud.google.com/memorystore/docs/redis/networking#connection_modes: Memorystore joins a Shared
# VPC network of a host project through private services access only (connectMode PRIVATE_SERVICE_ACCESS);
# direct peering, the default, is refused there.
def test_memorystore_on_a_shared_vpc_host_network_connects_through_private_service_access(instance):
    network = "projects/network-host-1/global/networks/shared"
    inputs = instance(network)
    assert (inputs["authorizedNetwork"], inputs["connectMode"]) == (network, "PRIVATE_SERVICE_ACCESS")
