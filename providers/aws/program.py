"""The AWS program: every resource of a resolved environment, and the outputs its services read."""

from collections.abc import Mapping

import pulumi
from deployer.providers.aws.bucket import create_buckets
from deployer.providers.aws.cache import create_caches
from deployer.providers.aws.callers import caller_outputs, create_caller_keys
from deployer.providers.aws.context import Context
from deployer.providers.aws.cron import create_cron
from deployer.providers.aws.identity import create_identities
from deployer.providers.aws.pubsub import create_topics
from deployer.providers.aws.secrets import create_secrets
from deployer.providers.shared import Created, export_outputs

from deployer.speclang.resolved import ResolvedEnv


def program(env: ResolvedEnv, secrets: Mapping[str, pulumi.Input[str]]) -> None:
    ctx = Context.create(env)
    created = Created(secrets=create_secrets(ctx, secrets), caches=create_caches(ctx),
                      buckets=create_buckets(ctx), topics=create_topics(ctx))
    keys = create_caller_keys(ctx)
    create_cron(ctx, keys)
    identities = create_identities(ctx, created, keys)
    export_outputs(env, identities, created, callers=caller_outputs(ctx, keys, created))
