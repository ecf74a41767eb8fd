"""The VPC network an environment's caches and databases are reached in (`gcp.network`): a network of
the project, or one of a Shared VPC host project. Its rules are read without the SDK, for `validate`."""

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deployer.providers.gcp.context import Context

DEFAULT_NETWORK = "default"
# The REST API's `authorizedNetwork`: "The full name of the Google Compute Engine network to which the
# instance is connected" (a network, never a subnetwork); Cloud SQL's privateNetwork is one too.
AUTHORIZED_NETWORK = ("https://cloud.google.com/memorystore/docs/redis/reference/rest/v1/"
                      "projects.locations.instances#Instance.FIELDS.authorized_network")
# "Memorystore for Redis supports two connection modes, DIRECT_PEERING and PRIVATE_SERVICE_ACCESS";
# an instance in a service project on a Shared VPC network of a host project takes the second.
CONNECT_MODES = "https://cloud.google.com/memorystore/docs/redis/networking#connection_modes"
PRIVATE_SERVICE_ACCESS = "PRIVATE_SERVICE_ACCESS"
_NAME = r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?"  # https://cloud.google.com/compute/docs/naming-resources
_FULL = re.compile(rf"(https://www\.googleapis\.com/compute/v1/)?projects/(?P<project>[^/]+)/global/networks/{_NAME}")
_SUBNETWORK = re.compile(r"/subnetworks/|^(projects/[^/]+/)?regions/")


def network_problem(network: str) -> str | None:
    """Why Memorystore and Cloud SQL would refuse NETWORK as their network, if they would."""
    if _SUBNETWORK.search(network):
        return (f"{network} is a subnetwork: Memorystore joins a VPC network (its authorizedNetwork), "
                f"never a subnetwork: give the network, e.g. projects/HOST/global/networks/NAME ({AUTHORIZED_NETWORK})")
    if not (re.fullmatch(_NAME, network) or _FULL.fullmatch(network)):
        return (f"{network} is not a VPC network: give a network name of the project, or "
                f"projects/PROJECT/global/networks/NAME ({AUTHORIZED_NETWORK})")
    return None


def network_path(ctx: "Context") -> str:
    """`gcp.network` as a full network name (a bare name is a network of the project)."""
    network = ctx.env.spec.gcp.network or DEFAULT_NETWORK
    return network if "/" in network else f"projects/{ctx.project}/global/networks/{network}"


def connect_mode(ctx: "Context") -> str | None:
    """PRIVATE_SERVICE_ACCESS for a Shared VPC network of another (host) project, which direct peering
    cannot join (CONNECT_MODES); None (Memorystore's default, direct peering) for a network of the project."""
    matched = _FULL.fullmatch(network_path(ctx))
    return PRIVATE_SERVICE_ACCESS if matched and matched["project"] != ctx.project else None
