"""A GCP-shaped local environment: the gcp-storage-emulator package's server for Cloud Storage (its
objects on disk under the local folder) and Google's Pub/Sub emulator (a Java server, installed apart:
see NO_PUBSUB_EMULATOR). The SDKs reach them through STORAGE_EMULATOR_HOST and PUBSUB_EMULATOR_HOST.
Every subscription is a pull subscription in the emulator with its dead-letter topic and subscription;
`deployer dev` pulls a push subscription's messages and POSTs them in Pub/Sub's push format."""

import base64
import json
import math
import os
import shutil
import sys
from pathlib import Path

from deployer.errors import PreconditionMissing
from deployer.local.folder import real_tree
from deployer.local.stack import Delivery, Local, LocalStack, PushDelivery, PushQueue, Server
from deployer.primitives.topics import RetryPolicy, Topic
from deployer.providers.gcp.naming import DEAD_LETTER, gcp_name, subscription_name
from deployer.providers.shared import local_service_outputs
from deployer.speclang.durations import seconds

DEFAULT_PROJECT = "local-project"
NO_PUBSUB_EMULATOR = (
    "the topics need Google's Pub/Sub emulator, which is not installed (no Python package provides it): "
    "install it with `apt-get install google-cloud-cli-pubsub-emulator` (Google's apt repository) or "
    "`gcloud components install pubsub-emulator`; it needs Java 11 or newer")
STARTUP_SECONDS = {"gcs": 15, "pubsub": 40}  # the emulator is a JVM
MAX_DELIVERY_ATTEMPTS = 100  # Pub/Sub's own bounds of a dead-letter policy: 5..100
MIN_DELIVERY_ATTEMPTS = 5


def find_pubsub_emulator() -> str | None:
    if found := shutil.which("cloud-pubsub-emulator"):
        return found
    if gcloud := shutil.which("gcloud"):
        bundled = Path(gcloud).resolve().parent.parent / "platform/pubsub-emulator/bin/cloud-pubsub-emulator"
        if bundled.is_file():
            return str(bundled)
    return None


def pubsub_emulator() -> str:
    if found := find_pubsub_emulator():
        return found
    raise PreconditionMissing(NO_PUBSUB_EMULATOR)


class GcpLocalStack(LocalStack):
    @property
    def project(self) -> str:
        return self.env.spec.gcp.project or DEFAULT_PROJECT

    @property
    def storage_url(self) -> str:
        return f"http://127.0.0.1:{self.base_port}"

    @property
    def pubsub_host(self) -> str:
        return f"127.0.0.1:{self.base_port + 1}"

    def servers(self) -> list[Server]:
        servers = []
        if self.env.spec.buckets:
            servers.append(Server(
                "gcs", "Cloud Storage (gcp-storage-emulator)",
                [sys.executable, "-m", "gcp_storage_emulator", "start", "--host", "127.0.0.1",
                 "--port", str(self.base_port), "-q"],
                self.base_port, {"STORAGE_BASE": str(real_tree(self.data, "gcs"))}, STARTUP_SECONDS["gcs"]))
        if self.env.spec.topics:
            servers.append(Server(
                "pubsub", "Pub/Sub (Google's emulator)",
                [pubsub_emulator(), "--host=127.0.0.1", f"--port={self.base_port + 1}"],
                self.base_port + 1, {}, STARTUP_SECONDS["pubsub"]))
        return servers

    def sdk_environment(self) -> dict[str, str]:
        variables = {"GOOGLE_CLOUD_PROJECT": self.project}
        if self.env.spec.buckets:
            variables["STORAGE_EMULATOR_HOST"] = self.storage_url
        if self.env.spec.topics:
            variables["PUBSUB_EMULATOR_HOST"] = self.pubsub_host
        return variables

    def name(self, kind: str, name: str, suffix: str = "") -> str:
        return gcp_name(kind, self.env.app, self.env.name, name, suffix)

    def provision(self, secrets, report) -> None:
        os.environ.update(self.sdk_environment())  # the SDKs read the emulators' addresses from here only
        # each push subscription: (topic.subscription, its path, its dead letters, endpoint, retry policy)
        self.pushes: list[tuple[str, str, str, str, RetryPolicy]] = []
        self.created = {
            "secrets": {name: Local(f"projects/{self.project}/secrets/{self.name('secret', name)}") for name in secrets},
            "buckets": self._buckets(),
            "topics": self._topics(),
        }

    def _buckets(self) -> dict[str, Local]:
        if not self.env.spec.buckets:
            return {}
        from google.auth.credentials import AnonymousCredentials
        from google.cloud import storage

        client = storage.Client(project=self.project, credentials=AnonymousCredentials())
        created = {}
        for name, spec in self.env.spec.buckets.items():
            physical = self.name("bucket", name)
            bucket = client.lookup_bucket(physical) or client.create_bucket(physical)
            if spec.cors:
                bucket.cors = [{"origin": rule.origins, "method": rule.methods, "responseHeader": rule.headers,
                                "maxAgeSeconds": rule.max_age_seconds} for rule in spec.cors]
                bucket.patch()
            outputs = {"name": physical}
            if spec.public:
                outputs["publicUrl"] = f"{self.storage_url}/{physical}"
            created[name] = Local(outputs)
        return created

    def _topics(self) -> dict[str, Local]:
        if not self.env.spec.topics:
            return {}
        from google.cloud import pubsub_v1

        publisher, subscriber = pubsub_v1.PublisherClient(), pubsub_v1.SubscriberClient()
        self.publisher, self.subscriber = publisher, subscriber
        return {name: self._topic(name, topic) for name, topic in self.env.spec.topics.items()}

    def _topic(self, name: str, topic: Topic) -> Local:
        path = self.publisher.create_topic(name=f"projects/{self.project}/topics/{self.name('topic', name)}").name
        subscriptions = {}
        for sub_name, sub in topic.subscriptions.items():
            full_name = subscription_name(name, sub_name)  # joined as in the cloud, where validate checks it
            dead_topic = self.publisher.create_topic(
                name=f"projects/{self.project}/topics/{self.name('topic', full_name, DEAD_LETTER)}").name
            dead_letters = self._subscription(self.name("subscription", full_name, DEAD_LETTER), dead_topic)
            attempts = min(MAX_DELIVERY_ATTEMPTS, max(MIN_DELIVERY_ATTEMPTS, sub.retry_policy.max_retries))
            subscription = self._subscription(
                self.name("subscription", full_name), path,
                ack_deadline_seconds=min(600, seconds(sub.ack_deadline)),
                enable_message_ordering=topic.ordering_attribute is not None,
                # the push deliveries dead-letter themselves (deployer dev's retries)
                dead_letter_policy=None if sub.endpoint else {"dead_letter_topic": dead_topic,
                                                              "max_delivery_attempts": attempts})
            outputs = {"id": subscription, "deadLetters": dead_letters}
            if sub.endpoint:
                outputs["endpoint"] = (self.env.spec.services[sub.service].url or "").rstrip("/") + sub.endpoint
                self.pushes.append((f"{name}.{sub_name}", subscription, dead_topic, outputs["endpoint"],
                                    sub.retry_policy))
            subscriptions[sub_name] = Local(outputs)
        outputs = {"id": path, "name": path.rsplit("/", 1)[1]}
        if topic.ordering_attribute:
            outputs["messageGroupAttribute"] = topic.ordering_attribute
        return Local(outputs, subscriptions)

    def _subscription(self, name: str, topic: str, **settings) -> str:
        request = {"name": f"projects/{self.project}/subscriptions/{name}", "topic": topic,
                   **{key: value for key, value in settings.items() if value is not None}}
        return self.subscriber.create_subscription(request=request).name

    def push_deliveries(self) -> list[PushDelivery]:
        return [PushDelivery(name, PubSubPushQueue(self.subscriber, self.publisher, path, dead_topic), endpoint, policy)
                for name, path, dead_topic, endpoint, policy in self.pushes]

    def service_outputs(self, served) -> dict[str, dict]:
        identities = {name: f"{self.name('service-account', name)}@{self.project}.iam.gserviceaccount.com"
                      for name in self.env.spec.services}
        return local_service_outputs(self.env, identities, self.created, served)


class PubSubPushQueue(PushQueue):
    def __init__(self, subscriber, publisher, subscription: str, dead_topic: str):
        self.subscriber, self.publisher = subscriber, publisher
        self.subscription, self.dead_topic = subscription, dead_topic

    def receive(self) -> list[Delivery]:
        response = self.subscriber.pull(request={"subscription": self.subscription, "max_messages": 10},
                                        timeout=2)
        return [self._delivery(received) for received in response.received_messages]

    def _delivery(self, received) -> Delivery:
        message = received.message
        body = {"message": {"data": base64.b64encode(message.data).decode(), "attributes": dict(message.attributes),
                            "messageId": message.message_id, "message_id": message.message_id,
                            "publishTime": message.publish_time.isoformat(), "orderingKey": message.ordering_key},
                "subscription": self.subscription}
        return Delivery(message.message_id, json.dumps(body).encode(), {"Content-Type": "application/json"},
                        received)

    def acknowledge(self, delivery: Delivery) -> None:
        self.subscriber.acknowledge(request={"subscription": self.subscription, "ack_ids": [delivery.receipt.ack_id]})

    def retry_after(self, delivery: Delivery, seconds: float) -> None:
        self.subscriber.modify_ack_deadline(request={"subscription": self.subscription,
                                                     "ack_ids": [delivery.receipt.ack_id],
                                                     "ack_deadline_seconds": min(600, math.ceil(seconds))})

    def dead_letter(self, delivery: Delivery) -> None:
        message = delivery.receipt.message
        self.publisher.publish(self.dead_topic, message.data, **dict(message.attributes)).result()
        self.acknowledge(delivery)
