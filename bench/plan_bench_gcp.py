"""Times `plan` for GCP (build_plan: the GCP program under the mock runtime) for the specs of
plan_bench.py (10, 100 and 1,000 services) set to GCP, against a hand-written pulumi-gcp program
declaring the same resources under the same mocks. Prints what plan_bench.py prints: CPU seconds,
the plan / hand-written ratio (goal <= 1.0), the growth from 100 to 1,000 and the peak memory.

    .venv/bin/python bench/plan_bench_gcp.py [SIZES...]
"""

import hashlib
import sys

import plan_bench
import pulumi
import pulumi_gcp as gcp
import pulumi_random as random
from plan_bench import generated_spec

from deployer.providers.gcp.cloud import CLOUD

PROJECT = "bench-project"
REGION = "europe-west1"
LABELS = {"app": "bench", "env": "prod", "managed-by": "deployer"}


def labels(name: str) -> dict[str, str]:
    return {**LABELS, "deployer-name": name}


def gcp_spec(services: int) -> dict:
    return {**generated_spec(services), "provider": "gcp", "gcp": {"project": PROJECT, "region": REGION}}


def hand_written(services: int, secrets: dict[str, str]) -> None:
    """The same resources as deployer's program for `gcp_spec`, declared directly."""
    kept = pulumi.ResourceOptions(protect=True, retain_on_delete=True)
    number = gcp.organizations.get_project_output(project_id=PROJECT).number
    agent = number.apply(lambda n: f"serviceAccount:service-{n}@gcp-sa-pubsub.iam.gserviceaccount.com")
    permissions = ["storage.multipartUploads.abort", "storage.multipartUploads.create",
                   "storage.multipartUploads.listParts", "storage.objects.create", "storage.objects.get"]
    suffix = random.RandomId("objects.create-get", byte_length=4, keepers={"permissions": " ".join(permissions)})
    role = gcp.projects.IAMCustomRole(
        "objects.create-get", role_id=suffix.hex.apply(lambda h: f"bench_prod_objects_create_get_{h}"),
        title="bench prod: objects create, get",
        description="Bucket-level access granted by deployer to the services that list these operations",
        permissions=permissions, project=PROJECT)
    project_hash = hashlib.sha256(PROJECT.encode()).hexdigest()[:8]  # bucket names are global
    never = {"ttl": ""}
    outputs = {}
    for i in range(services):
        n = f"svc-{i}"
        account = gcp.serviceaccount.Account(n, account_id=f"bench-prod-{n}", display_name=f"bench prod: service {n}",
                                               project=PROJECT)
        secret = gcp.secretmanager.Secret(f"Token{i}", secret_id=f"bench-prod-Token{i}", replication={"auto": {}},
                                          labels=LABELS, project=PROJECT, opts=kept)
        gcp.secretmanager.SecretVersion(f"Token{i}.value", secret=secret.id, deletion_policy="ABANDON",
                                        secret_data=pulumi.Output.secret(secrets[f"Token{i}"]))
        gcp.secretmanager.SecretIamMember(f"Token{i}.{n}", secret_id=secret.id, member=account.member,
                                          role="roles/secretmanager.secretAccessor", project=PROJECT)
        bucket = gcp.storage.Bucket(f"{n}-files", name=f"bench-prod-{n}-files-{project_hash}", location=REGION,
                                    uniform_bucket_level_access=True, public_access_prevention="enforced",
                                    versioning={"enabled": False}, cors=[], lifecycle_rules=[], force_destroy=False,
                                    labels=labels(f"{n}-files"),
                                    project=PROJECT, opts=kept)
        gcp.storage.BucketIAMMember(f"{n}-files.{n}", bucket=bucket.name, role=role.name, member=account.member)
        topic = gcp.pubsub.Topic(f"{n}-events", name=f"bench-prod-{n}-events", labels=labels(f"{n}-events"),
                                 project=PROJECT, opts=kept)
        gcp.pubsub.TopicIAMMember(f"{n}-events.{n}", topic=topic.id, role="roles/pubsub.publisher",
                                  member=account.member, project=PROJECT)
        sub = f"{n}-events.{n}-worker"
        dead_topic = gcp.pubsub.Topic(f"{sub}.dead-letter", name=f"bench-prod-{n}-events_{n}-worker_dead-letter",
                                      labels=labels(f"{n}-events_{n}-worker"), project=PROJECT, opts=kept)
        dead_letters = gcp.pubsub.Subscription(
            f"{sub}.dead-letter", name=f"bench-prod-{n}-events_{n}-worker_dead-letter", topic=dead_topic.id,
            message_retention_duration="2678400s", expiration_policy=never, labels=labels(f"{n}-events_{n}-worker"),
            project=PROJECT, opts=kept)
        subscription = gcp.pubsub.Subscription(
            sub, name=f"bench-prod-{n}-events_{n}-worker", topic=topic.id, ack_deadline_seconds=30,
            message_retention_duration="604800s", retry_policy={"minimum_backoff": "10s", "maximum_backoff": "600s"},
            dead_letter_policy={"dead_letter_topic": dead_topic.id, "max_delivery_attempts": 100},
            enable_message_ordering=False, enable_exactly_once_delivery=False, expiration_policy=never,
            labels=labels(f"{n}-events_{n}-worker"), project=PROJECT, opts=kept)
        gcp.pubsub.TopicIAMMember(f"{sub}.dead-letter.publisher", topic=dead_topic.id, role="roles/pubsub.publisher",
                                  member=agent, project=PROJECT)
        gcp.pubsub.SubscriptionIAMMember(f"{sub}.dead-letter.subscriber", subscription=subscription.id,
                                         role="roles/pubsub.subscriber", member=agent, project=PROJECT)
        gcp.pubsub.SubscriptionIAMMember(f"{sub}.{n}", subscription=subscription.id, role="roles/pubsub.subscriber",
                                         member=account.member, project=PROJECT)
        outputs[n] = {
            "identity": account.email,
            "buckets": {f"{n}-files": {"name": bucket.name, "permissions": ["download", "upload"]}},
            "topics": {f"{n}-events": {"id": topic.id, "name": topic.name, "permissions": ["publish"]}},
            "subscriptions": {f"{n}-events": {f"{n}-worker": {"topicId": topic.id, "id": subscription.id,
                                                              "deadLetters": dead_letters.id}}},
            "caches": {},
            "databases": {},
            "secrets": {f"Token{i}": secret.id},
        }
    for name, value in (("app", "bench"), ("env", "prod"), ("provider", "gcp"), ("services", outputs)):
        pulumi.export(name, value)


if __name__ == "__main__":
    plan_bench.main([int(a) for a in sys.argv[1:]] or [10, 100, 1000], CLOUD, gcp_spec, hand_written)
