"""How a service knows a call is from its own cron jobs and push subscriptions (AWS).

EventBridge API destinations send the header `X-Deployer-Key` (the connection's API_KEY authorization)
with a value generated per called service, kept in Secrets Manager and readable by that service only:
the service compares the header with it. SNS signs every HTTPS push (SignatureVersion 2, SHA256): the
service verifies the signature and that the message's TopicArn is one of its topics.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from deployer.providers.aws.context import Context
from deployer.providers.aws.naming import caller_key, cron_called
from deployer.providers.aws.secrets import stored_secret
from deployer.providers.shared import Created

CALLER_KEY_HEADER = "X-Deployer-Key"
SNS_SIGNATURE_VERSION = "2"


@dataclass(frozen=True)
class CallerKey:
    value: pulumi.Output[str]  # a Pulumi secret
    secret: aws.secretsmanager.Secret

    def arn(self, _part: str) -> pulumi.Output[str]:
        return self.secret.arn


def create_caller_keys(ctx: Context) -> dict[str, CallerKey]:
    """A key per service that cron jobs call (generated once, kept in the state, encrypted)."""
    keys = {}
    for service in cron_called(ctx.env.spec):
        logical = f"{service}.caller-key"
        value = pulumi.Output.secret(random.RandomPassword(logical, length=48, special=False, opts=ctx.part()).result)
        keys[service] = CallerKey(value, stored_secret(
            ctx, logical, caller_key(service), value, f"{CALLER_KEY_HEADER} of the cron calls of service {service}"))
    return keys


def caller_outputs(ctx: Context, keys: Mapping[str, CallerKey], created: Created) -> dict[str, dict]:
    """Per called service, what it checks: the key's header and secret; the topics that push to it."""
    callers: dict[str, dict] = {service: {"keyHeader": CALLER_KEY_HEADER, "keySecret": key.secret.arn}
                                for service, key in keys.items()}
    for topic_name, topic in ctx.env.spec.topics.items():
        for sub in topic.subscriptions.values():
            if sub.endpoint:
                checks = callers.setdefault(sub.service, {})
                checks["snsSignatureVersion"] = SNS_SIGNATURE_VERSION
                checks.setdefault("snsTopics", []).append(created["topics"][topic_name].topic.arn)
    return callers
