"""The AWS program: every resource of a resolved environment, and the outputs its services read."""

from collections.abc import Callable, Mapping

import pulumi

from deployer.providers.aws.bucket import create_buckets
from deployer.providers.aws.cache import create_caches
from deployer.providers.aws.callers import caller_outputs, create_caller_keys
from deployer.providers.aws.context import Context
from deployer.providers.aws.cron import create_cron
from deployer.providers.aws.database import create_databases
from deployer.providers.aws.identity import AwsCreated, create_identities
from deployer.providers.aws.pubsub import create_topics
from deployer.providers.aws.secrets import create_secrets
from deployer.providers.shared import export_outputs
from deployer.speclang.resolved import ResolvedEnv

# Each section of the spec and what creates its resources (the secrets, from the environment's values).
PRIMITIVES: dict[str, Callable[[Context], Mapping[str, AwsCreated]]] = {
    "caches": create_caches, "databases": create_databases, "buckets": create_buckets, "topics": create_topics}


def program(env: ResolvedEnv, secrets: Mapping[str, pulumi.Input[str]]) -> None:
    ctx = Context.create(env)
    created = {"secrets": create_secrets(ctx, secrets), **{section: create(ctx) for section, create in PRIMITIVES.items()}}
    keys = create_caller_keys(ctx)
    create_cron(ctx, keys)
    identities = create_identities(ctx, created, keys)
    export_outputs(env, identities, created, callers=caller_outputs(ctx, keys, created))
