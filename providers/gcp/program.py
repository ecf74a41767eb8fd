"""The GCP program: every resource of one environment, and its outputs in the shared shape."""

from collections.abc import Callable, Mapping

import pulumi

from deployer.providers.gcp.bucket import create_buckets
from deployer.providers.gcp.cache import create_caches
from deployer.providers.gcp.context import Context
from deployer.providers.gcp.cron import create_cron
from deployer.providers.gcp.database import create_databases
from deployer.providers.gcp.identity import GcpCreated, create_identities, invoker_claims
from deployer.providers.gcp.pubsub import create_topics
from deployer.providers.gcp.secrets import create_secrets
from deployer.providers.shared import export_outputs
from deployer.speclang.resolved import ResolvedEnv

# Each section of the spec and what creates its resources (the secrets, from the environment's values).
PRIMITIVES: dict[str, Callable[[Context], Mapping[str, GcpCreated]]] = {
    "caches": create_caches, "databases": create_databases, "buckets": create_buckets, "topics": create_topics}


def program(env: ResolvedEnv, secrets: Mapping[str, pulumi.Input[str]]) -> None:
    ctx = Context.create(env)
    created = {"secrets": create_secrets(ctx, secrets), **{section: create(ctx) for section, create in PRIMITIVES.items()}}
    create_cron(ctx)
    identities = create_identities(ctx, created)
    export_outputs(env, identities, created, callers=invoker_claims(ctx))
