"""The GCP program: every resource of one environment, and its outputs in the shared shape."""

from collections.abc import Mapping

import pulumi
from deployer.providers.gcp import bucket, cache, cron, identity, pubsub, secrets
from deployer.providers.gcp.context import GcpEnv
from deployer.providers.shared import Deployed

from deployer.speclang.resolved import ResolvedEnv


def program(env: ResolvedEnv, secret_values: Mapping[str, pulumi.Input[str]]) -> None:
    gcp_env = GcpEnv(env)
    spec = env.spec
    accounts = identity.service_accounts(gcp_env)
    pushes = any(s.endpoint for t in spec.topics.values() for s in t.subscriptions.values())
    invoker = identity.invoker_account(gcp_env) if pushes or spec.cron else None

    buckets = bucket.buckets(gcp_env)
    identity.grant_buckets(gcp_env, accounts, {name: b.bucket for name, b in buckets.items()})
    topics = pubsub.topics(gcp_env)
    identity.grant_topics(gcp_env, accounts, topics)
    subscriptions = pubsub.subscriptions(gcp_env, topics, invoker if pushes else None)
    identity.grant_pull_subscriptions(gcp_env, accounts, {k: s.subscription for k, s in subscriptions.items()})
    caches = cache.caches(gcp_env, accounts)
    stored = secrets.service_secrets(gcp_env, secret_values, accounts)
    if spec.cron:
        cron.cron_jobs(gcp_env, invoker)

    deployed = Deployed()
    deployed.identities = {name: account.email for name, account in accounts.items()}
    deployed.buckets = {name: b.outputs() for name, b in buckets.items()}
    deployed.topics = {name: pubsub.topic_outputs(topic, spec.topics[name]) for name, topic in topics.items()}
    deployed.subscriptions = {key: s.outputs() for key, s in subscriptions.items()}
    deployed.caches = {name: c.outputs() for name, c in caches.items()}
    deployed.secrets = {name: secret.id for name, secret in stored.items()}
    deployed.export(env)
