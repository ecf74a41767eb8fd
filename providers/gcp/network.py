"""The VPC network an environment's caches and databases are reached in (`gcp.network`)."""

from deployer.providers.gcp.context import Context

DEFAULT_NETWORK = "default"


def network_path(ctx: Context) -> str:
    """`gcp.network` as a full network name (a bare name is a network of the project)."""
    network = ctx.env.spec.gcp.network or DEFAULT_NETWORK
    return network if "/" in network else f"projects/{ctx.project}/global/networks/{network}"
