"""The VPC network Memorystore instances join (`gcp.network`): a network of the project, or one of a
Shared VPC host project. Read without the SDK, for `validate` and the program alike."""

import re

DEFAULT_NETWORK = "default"
# The REST API's `authorizedNetwork`: "The full name of the Google Compute Engine network to which the
# instance is connected" (a network, never a subnetwork).
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
    """Why Memorystore would refuse NETWORK as its authorized network, if it would."""
    if _SUBNETWORK.search(network):
        return (f"{network} is a subnetwork: Memorystore joins a VPC network (its authorizedNetwork), "
                f"never a subnetwork: give the network, e.g. projects/HOST/global/networks/NAME ({AUTHORIZED_NETWORK})")
    if not (re.fullmatch(_NAME, network) or _FULL.fullmatch(network)):
        return (f"{network} is not a VPC network: give a network name of the project, or "
                f"projects/PROJECT/global/networks/NAME ({AUTHORIZED_NETWORK})")
    return None


def full_network(network: str | None, project: str) -> str:
    """NETWORK as a full network name (a bare name is a network of PROJECT)."""
    network = network or DEFAULT_NETWORK
    return network if "/" in network else f"projects/{project}/global/networks/{network}"


def connect_mode(network: str | None, project: str) -> str | None:
    """PRIVATE_SERVICE_ACCESS for a Shared VPC network of another (host) project, which direct peering
    cannot join; None (Memorystore's default, direct peering) for a network of PROJECT."""
    matched = _FULL.fullmatch(full_network(network, project))
    return PRIVATE_SERVICE_ACCESS if matched and matched["project"] != project else None
