"""The AWS program: every resource of a resolved environment, and the outputs its services read."""

from collections.abc import Mapping

import pulumi
from deployer.providers.aws.bucket import create_bucket
from deployer.providers.aws.cache import REDIS_PORT, cache_network, create_cache
from deployer.providers.aws.context import AwsContext
from deployer.providers.aws.cron import create_cron
from deployer.providers.aws.identity import Grantable, create_identities
from deployer.providers.aws.pubsub import create_topic
from deployer.providers.aws.secrets import create_secrets
from deployer.providers.shared import Deployed

from deployer.speclang.resolved import ResolvedEnv


def program(env: ResolvedEnv, secrets: Mapping[str, pulumi.Input[str]]) -> None:
    ctx = AwsContext.create(env)
    spec = env.spec
    deployed, arns = Deployed(), Grantable()

    for name, secret in create_secrets(ctx, secrets).items():
        deployed.secrets[name] = arns.secrets[name] = secret.arn

    network = cache_network(ctx) if spec.caches else None
    for name, cache in spec.caches.items():
        created = create_cache(ctx, name, cache, network)
        arns.cache_tokens[name] = created.token_secret.arn
        deployed.caches[name] = {"host": created.group.primary_endpoint_address, "port": REDIS_PORT,
                                 "tls": True, "authSecret": created.token_secret.arn}

    for name, bucket in spec.buckets.items():
        created = create_bucket(ctx, name, bucket)
        arns.buckets[name] = created.bucket.arn
        deployed.buckets[name] = {"name": created.bucket.bucket, "arn": created.bucket.arn}
        if created.public_url is not None:
            deployed.buckets[name]["publicUrl"] = created.public_url

    for name, topic in spec.topics.items():
        created = create_topic(ctx, name, topic)
        arns.topics[name] = created.topic.arn
        deployed.topics[name] = {"id": created.topic.arn, "name": created.topic.name}
        if topic.ordering_attribute:
            deployed.topics[name]["messageGroupAttribute"] = topic.ordering_attribute
        for sub, queue in created.queues.items():
            arns.queues[(name, sub)] = queue.arn
            deployed.subscriptions[(name, sub)] = {"id": queue.arn, "queueUrl": queue.url}
        for sub, push in created.pushes.items():
            deployed.subscriptions[(name, sub)] = {"id": push.arn, "endpoint": push.endpoint}

    for job_id, job in spec.cron.items():
        create_cron(ctx, job_id, job)

    for name, role in create_identities(ctx, arns).items():
        deployed.identities[name] = role.arn
    deployed.export(env)
