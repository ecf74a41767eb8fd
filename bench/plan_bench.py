"""Times `plan` (build_plan: the AWS program under the mock runtime) for generated specs of 10, 100 and
1,000 services, against a hand-written pulumi-aws program declaring the same resources, run as Pulumi's
documentation runs a program under mocks (set_mocks, pulumi.runtime.test, the collector running) in this
process. Prints CPU seconds (forked processes included), plan / stock (goal <= 1.0), the growth from 100
to 1,000 services (goal <= x11), and the hand-written program under plan's own runner (run_offline):
plan / that is what deployer adds to the SDK's work. Last, the peak memory (goal: under 1.5 GB at 1,000).

    .venv/bin/python bench/plan_bench.py [SIZES...]
"""

import asyncio
import contextvars
import hashlib
import json
import sys
import tempfile
import warnings
from functools import partial
from pathlib import Path

import pulumi
import pulumi_aws as aws
from measure import best_of, cpu_with_children, print_peak_memory
from pulumi.runtime.mocks import MockMonitor

from deployer.plan.document import build_plan, runs_forked
from deployer.plan.offline import PlaceholderMocks, run_offline
from deployer.providers.aws.cloud import CLOUD
from deployer.speclang.load import load_spec, resolve

ACCOUNT = "000000000000"
REGION = "eu-west-1"
TAGS = {"app": "bench", "env": "prod", "managed-by": "deployer"}


def tags(name: str) -> dict[str, str]:
    return {**TAGS, "deployer-name": f"bench-prod-{name}"}


def generated_spec(services: int) -> dict:
    """Per service: a bucket it reads and writes, a topic it publishes to with a pull subscription
    it consumes, and a secret it reads."""
    names = [f"svc-{i}" for i in range(services)]
    return {
        "app": "bench",
        "aws": {"region": REGION},
        "environments": {"prod": {"type": "production"}},
        "buckets": {f"{n}-files": {} for n in names},
        "secrets": {f"Token{i}": {} for i in range(services)},
        "topics": {f"{n}-events": {"subscriptions": {f"{n}-worker": {"service": n}}} for n in names},
        "services": {n: {"uses": {"buckets": {f"{n}-files": ["download", "upload"]},
                                  "topics": {f"{n}-events": ["publish"]},
                                  "secrets": [f"Token{i}"]}} for i, n in enumerate(names)},
    }


def hand_written(services: int, secrets: dict[str, str]) -> None:
    """The same resources and outputs as deployer's program for `generated_spec`, declared directly."""
    outputs = {}
    provider = aws.Provider("aws", region=REGION)
    account = aws.get_caller_identity_output(opts=pulumi.InvokeOptions(provider=provider)).account_id
    # bucket names are global: APP-ENV-NAME and 8 hex digits of the account's SHA-256
    owner = account.apply(lambda a: hashlib.sha256(a.encode()).hexdigest()[:8])
    opts = pulumi.ResourceOptions(provider=provider)
    kept = pulumi.ResourceOptions(provider=provider, protect=True, retain_on_delete=True)
    for i in range(services):
        n = f"svc-{i}"
        secret = aws.secretsmanager.Secret(f"Token{i}", name=f"bench-prod-Token{i}", tags=tags(f"Token{i}"), opts=kept)
        aws.secretsmanager.SecretVersion(f"Token{i}", secret_id=secret.id,
                                         secret_string=pulumi.Output.secret(secrets[f"Token{i}"]), opts=opts)
        bucket = aws.s3.Bucket(f"{n}-files", bucket=owner.apply(lambda h, n=n: f"bench-prod-{n}-files-{h}"),
                               force_destroy=False,
                               tags=tags(f"{n}-files"),
                               opts=kept)
        block = aws.s3.BucketPublicAccessBlock(f"{n}-files", bucket=bucket.id, block_public_acls=True,
                                               block_public_policy=True, ignore_public_acls=True,
                                               restrict_public_buckets=True, opts=opts)
        aws.s3.BucketOwnershipControls(f"{n}-files", bucket=bucket.id,
                                       rule={"object_ownership": "BucketOwnerEnforced"}, opts=opts)
        aws.s3.BucketServerSideEncryptionConfiguration(
            f"{n}-files", bucket=bucket.id,
            rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}], opts=opts)
        aws.s3.BucketPolicy(f"{n}-files", bucket=bucket.id, policy=bucket.arn.apply(lambda arn: json.dumps({
            "Version": "2012-10-17", "Statement": [{
                "Sid": "DenyInsecureTransport", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "s3:*",
                "Resource": [arn, f"{arn}/*"], "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]})),
            opts=pulumi.ResourceOptions(provider=provider, depends_on=[block]))
        topic = aws.sns.Topic(f"{n}-events", name=f"bench-prod-{n}-events", kms_master_key_id="alias/aws/sns",
                              signature_version=2, tags=tags(f"{n}-events"), opts=kept)
        sub = f"{n}-events.{n}-worker"
        dlq = aws.sqs.Queue(f"{sub}.dead-letter", name=f"bench-prod-{n}-events_{n}-worker_dlq",
                            message_retention_seconds=1209600, sqs_managed_sse_enabled=True,
                            tags=tags(f"{n}-events_{n}-worker_dlq"), opts=kept)
        queue = aws.sqs.Queue(sub, name=f"bench-prod-{n}-events_{n}-worker", message_retention_seconds=604800,
                              visibility_timeout_seconds=30, sqs_managed_sse_enabled=True,
                              tags=tags(f"{n}-events_{n}-worker"),
                              redrive_policy=dlq.arn.apply(lambda arn: json.dumps(
                                  {"deadLetterTargetArn": arn, "maxReceiveCount": 100})), opts=kept)
        admitted = aws.sqs.QueuePolicy(sub, queue_url=queue.url, policy=pulumi.Output.all(queue.arn, topic.arn).apply(
            lambda arns: json.dumps({"Version": "2012-10-17", "Statement": [{
                "Sid": "AllowTopic", "Effect": "Allow", "Principal": {"Service": "sns.amazonaws.com"},
                "Action": "sqs:SendMessage", "Resource": arns[0],
                "Condition": {"ArnEquals": {"aws:SourceArn": arns[1]}}}]})), opts=opts)
        aws.sns.TopicSubscription(sub, topic=topic.arn, protocol="sqs", endpoint=queue.arn, raw_message_delivery=True,
                                  opts=pulumi.ResourceOptions(provider=provider, depends_on=[admitted]))
        role = aws.iam.Role(n, name=f"bench-prod-{n}", tags=tags(n), assume_role_policy=json.dumps({
            "Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {
                "Service": ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"]}, "Action": "sts:AssumeRole"}]}),
            opts=opts)
        aws.iam.RolePolicy(n, name=f"bench-prod-{n}", role=role.id, policy=pulumi.Output.all(
            bucket.arn, topic.arn, queue.arn, secret.arn).apply(lambda a: json.dumps({
                "Version": "2012-10-17", "Statement": [
                    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": [f"{a[0]}/*"]},
                    {"Effect": "Allow", "Action": ["sns:Publish"], "Resource": [a[1]]},
                    {"Effect": "Allow", "Action": ["sqs:ReceiveMessage", "sqs:DeleteMessage",
                                                   "sqs:ChangeMessageVisibility"], "Resource": [a[2]]},
                    {"Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": [a[3]]}]})),
            opts=opts)
        outputs[n] = {
            "identity": role.arn,
            "buckets": {f"{n}-files": {"name": bucket.bucket, "arn": bucket.arn, "permissions": ["download", "upload"]}},
            "topics": {f"{n}-events": {"id": topic.arn, "name": topic.name, "permissions": ["publish"]}},
            "subscriptions": {f"{n}-events": {f"{n}-worker": {"topicId": topic.arn, "id": queue.arn,
                                                              "queueUrl": queue.url}}},
            "caches": {},
            "databases": {},
            "secrets": {f"Token{i}": secret.arn},
        }
    for name, value in (("app", "bench"), ("env", "prod"), ("provider", "aws"), ("services", outputs)):
        pulumi.export(name, value)


def stock(program, mocks: PlaceholderMocks, project: str, stack: str) -> MockMonitor:
    """`program` under Pulumi's stock mocks, as its documentation runs one (set_mocks, pulumi.runtime.test)
    with the cycle collector running, in a context and event loop of its own; its monitor."""
    monitor = MockMonitor(mocks)

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        try:
            pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=False, monitor=monitor)
            pulumi.runtime.test(program)()
        finally:
            asyncio.get_event_loop().close()
            asyncio.set_event_loop(None)

    contextvars.copy_context().run(run)
    return monitor


def same_resources(document: dict, run, monitor: MockMonitor) -> bool:
    """The same URNs with the same inputs, dependencies and protection, and the same outputs; the
    stock run, the same types and names."""
    declared = {r.urn: (r.inputs, r.depends_on, r.protect) for r in run.resources}
    stock_names = sorted((urn.split("::")[-2].split("$")[-1], urn.split("::")[-1]) for urn in monitor.resources)
    return (declared == {r["urn"]: (r["inputs"], r["dependsOn"], r["protect"]) for r in document["resources"]}
            and run.outputs == document["outputs"]
            and stock_names == sorted((r["type"], r["name"]) for r in document["resources"]))


def measure(services: int, mocks: PlaceholderMocks, spec=generated_spec, hand=None,
            repeat: int = 1) -> tuple[int, float, float, float]:
    """(resources, plan, stock and runner CPU seconds) for a generated spec of `services`: the
    hand-written program under the stock mocks, and under run_offline as plan runs its own."""
    hand = hand or hand_written
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "infra.yaml"
        path.write_text(json.dumps(spec(services)))  # JSON is YAML
        env = resolve(load_spec(path), "prod")
    secrets = {f"Token{i}": f"value-{i}" for i in range(services)}
    program = partial(hand, services, secrets)
    plan_time, document = best_of(build_plan, env, secrets, repeat=repeat, clock=cpu_with_children)
    stock_time, monitor = best_of(stock, program, mocks, "bench", "bench-prod", repeat=repeat, clock=cpu_with_children)
    runner_time, run = best_of(lambda: run_offline(program, mocks, "bench", "bench-prod", in_fork=runs_forked(env)),
                               repeat=repeat, clock=cpu_with_children)
    assert same_resources(document, run, monitor), "the hand-written program must declare exactly the plan's resources"
    return len(document["resources"]), plan_time, stock_time, runner_time


def main(sizes: list[int], cloud=CLOUD, spec=generated_spec, hand=hand_written) -> None:
    """Prints the figures for each size; another cloud's bench passes its own spec and program."""
    warnings.simplefilter("ignore")
    mocks = PlaceholderMocks(*cloud.mocks())
    timings = {}
    measure(1, mocks, spec, hand)  # imports and first-use costs out of the way for every program
    print("CPU seconds, forked processes included. stock: the hand-written program under Pulumi's stock mocks;"
          " runner: under plan's run_offline")
    print(f"{'services':>8} {'resources':>9} {'plan s':>8} {'stock s':>8} {'plan/stock':>10}"
          f" {'runner s':>8} {'plan/runner':>11}")
    for services in sizes:
        planned, *times = measure(services, mocks, spec, hand, repeat=3 if services <= 100 else 1)
        plan_time, stock_time, runner_time = timings[services] = times
        print(f"{services:>8} {planned:>9} {plan_time:>8.2f} {stock_time:>8.2f} {plan_time / stock_time:>10.2f}"
              f" {runner_time:>8.2f} {plan_time / runner_time:>11.2f}")
    if 100 in timings and 1000 in timings:
        plan, stock_, runner = (f"x{big / small:.1f}" for big, small in zip(timings[1000], timings[100]))
        print(f"growth 100 -> 1000 services: plan {plan} (goal <= x11), stock {stock_}, runner {runner}")
    print_peak_memory()


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10, 100, 1000])
