"""The GCP program: every resource of one environment, and its outputs in the shared shape."""

from collections.abc import Mapping

import pulumi
from deployer.providers.gcp.bucket import create_buckets
from deployer.providers.gcp.cache import create_caches
from deployer.providers.gcp.context import Context
from deployer.providers.gcp.cron import create_cron
from deployer.providers.gcp.identity import create_identities, invoker_claims
from deployer.providers.gcp.pubsub import create_topics
from deployer.providers.gcp.secrets import create_secrets
from deployer.providers.shared import Created, export_outputs

from deployer.speclang.resolved import ResolvedEnv


def program(env: ResolvedEnv, secrets: Mapping[str, pulumi.Input[str]]) -> None:
    ctx = Context.create(env)
    created = Created(secrets=create_secrets(ctx, secrets), caches=create_caches(ctx),
                      buckets=create_buckets(ctx), topics=create_topics(ctx))
    create_cron(ctx)
    identities = create_identities(ctx, created)
    export_outputs(env, identities, created, callers=invoker_claims(ctx))
