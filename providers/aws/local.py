"""An AWS-shaped local environment: one moto server speaks S3, SNS, SQS and Secrets Manager on
127.0.0.1; boto3 reaches it through AWS_ENDPOINT_URL. Topics and pull subscriptions are SNS topics
and SQS queues as in the cloud (FIFO, visibility timeout, dead letters after `maxRetries` receives);
a push subscription is an SQS queue of SNS notifications, which `deployer dev` POSTs to the service.
moto keeps everything in memory: the buckets' objects are saved under the local folder at stop and
put back at start (deployer.local.snapshot). moto serves only requests signed with the session's own
access key (moto_server), which the SDKs read from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY."""

import json
import math
import secrets
import string
import sys
from functools import cache

from deployer.errors import DeployerError
from deployer.local.folder import real_folder
from deployer.local.snapshot import BucketSnapshot, SnapshotDamaged
from deployer.local.stack import Delivery, Local, LocalStack, PushDelivery, PushQueue, Server
from deployer.primitives.topics import RetryPolicy, Subscription, Topic
from deployer.providers.aws.naming import JOIN, NAME_LIMITS, dead_letter_queue, subscription_queue
from deployer.providers.shared import local_service_outputs
from deployer.speclang.durations import seconds
from deployer.speclang.naming import physical_name

DEFAULT_REGION = "us-east-1"


def session_credentials() -> dict[str, str]:
    """A fresh access key, valid for one `deployer dev` run: an `AKIA` id, which moto looks up among its IAM
    users' keys (moto/iam/access_control.py, create_access_key), of 20 characters as AWS's are."""
    key_id = "AKIA" + "".join(secrets.choice(string.ascii_uppercase + string.digits) for _ in range(16))
    return {"AWS_ACCESS_KEY_ID": key_id, "AWS_SECRET_ACCESS_KEY": secrets.token_urlsafe(30)}


class AwsLocalStack(LocalStack):
    def __init__(self, *args):
        super().__init__(*args)
        self.clients: dict[str, object] = {}
        self.credentials = session_credentials()
        self.restored: set[str] = set()  # the buckets whose every saved object is back: only those are saved

    def servers(self) -> list[Server]:
        spec = self.env.spec
        if not (spec.buckets or spec.topics or spec.used_secrets()):
            return []
        public = [self.name("bucket", name) for name, bucket in spec.buckets.items() if bucket.public]
        return [Server("moto", "S3, SNS, SQS, Secrets Manager",
                       [sys.executable, "-m", "deployer.providers.aws.moto_server", str(self.base_port), *public],
                       self.base_port,
                       stdin=f"{self.credentials['AWS_ACCESS_KEY_ID']} {self.credentials['AWS_SECRET_ACCESS_KEY']}")]

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.base_port}"

    @property
    def region(self) -> str:
        return self.env.spec.aws.region or DEFAULT_REGION

    def sdk_environment(self) -> dict[str, str]:
        return {"AWS_ENDPOINT_URL": self.endpoint, **self.credentials, "AWS_REGION": self.region,
                "AWS_DEFAULT_REGION": self.region}

    def prepare(self) -> None:
        spec = self.env.spec
        for service, needed in (("s3", spec.buckets), ("sns", spec.topics), ("sqs", spec.topics),
                                ("secretsmanager", spec.used_secrets())):
            if needed:
                self.client(service)

    def client(self, service: str):
        """One client per service (each costs 0.1 s to make; they are thread-safe)."""
        if service not in self.clients:
            self.clients[service] = _session().client(
                service, endpoint_url=self.endpoint, region_name=self.region,
                aws_access_key_id=self.credentials["AWS_ACCESS_KEY_ID"],
                aws_secret_access_key=self.credentials["AWS_SECRET_ACCESS_KEY"])
        return self.clients[service]

    def name(self, kind: str, name: str, suffix: str = "") -> str:
        return physical_name(self.env.app, self.env.name, name, NAME_LIMITS[kind], suffix)

    # --- creating the resources ------------------------------------------------------------------

    def provision(self, secrets, report) -> None:
        self.report = report
        # each push subscription: (topic.subscription, its queue, its dead letters, endpoint, retry policy)
        self.pushes: list[tuple[str, str, str, str, RetryPolicy]] = []
        self.created = {
            "secrets": self._secrets(secrets),
            "buckets": {name: self._bucket(name, bucket) for name, bucket in self.env.spec.buckets.items()},
            "topics": {name: self._topic(name, topic) for name, topic in self.env.spec.topics.items()},
        }

    def _secrets(self, values) -> dict[str, Local]:
        manager = self.client("secretsmanager") if values else None
        return {name: Local(manager.create_secret(Name=self.name("secret", name), SecretString=value)["ARN"])
                for name, value in values.items()}

    def _bucket(self, name: str, bucket) -> Local:
        s3 = self.client("s3")
        physical = self.name("bucket", name)
        location = {} if self.region == DEFAULT_REGION else {
            "CreateBucketConfiguration": {"LocationConstraint": self.region}}
        s3.create_bucket(Bucket=physical, **location)
        if bucket.versioned:
            s3.put_bucket_versioning(Bucket=physical, VersioningConfiguration={"Status": "Enabled"})
        if bucket.cors:
            s3.put_bucket_cors(Bucket=physical, CORSConfiguration={"CORSRules": [
                {"AllowedOrigins": rule.origins, "AllowedMethods": rule.methods, "AllowedHeaders": rule.headers,
                 "MaxAgeSeconds": rule.max_age_seconds} for rule in bucket.cors]})
        self._restore(s3, physical)
        outputs = {"name": physical, "arn": f"arn:aws:s3:::{physical}"}
        if bucket.public:
            # Anyone reads the objects at publicUrl, as through the cloud's CDN (never lists them);
            # moto refuses an anonymous read without a policy that allows it.
            s3.put_bucket_policy(Bucket=physical, Policy=json.dumps({"Version": "2012-10-17", "Statement": [{
                "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{physical}/*"}]}))
            outputs["publicUrl"] = f"{self.endpoint}/{physical}"
        return Local(outputs)

    def _topic(self, name: str, topic: Topic) -> Local:
        sns, sqs = self.client("sns"), self.client("sqs")
        fifo = topic.delivery_guarantee == "exactly-once" or topic.ordering_attribute is not None
        suffix = ".fifo" if fifo else ""
        attributes = {"FifoTopic": "true", "ContentBasedDeduplication": "true"} if fifo else {}
        arn = sns.create_topic(Name=self.name("topic", name, suffix), Attributes=attributes)["TopicArn"]
        subscriptions = {}
        for sub_name, sub in topic.subscriptions.items():
            # named as in the cloud, where validate checks the names
            dead_letters = self._queue(sqs, dead_letter_queue(name, sub_name), suffix, {})
            if sub.endpoint:
                # SNS's HTTPS delivery, kept in a queue: its messages are the notifications SNS would POST.
                queue_url = self._queue(sqs, f"{subscription_queue(name, sub_name)}{JOIN}push", suffix, {})
                subscription = self._subscribe(sns, sqs, arn, queue_url, raw=False)
                endpoint = (self.env.spec.services[sub.service].url or "").rstrip("/") + sub.endpoint
                self.pushes.append((f"{name}.{sub_name}", queue_url, dead_letters, endpoint, sub.retry_policy))
                subscriptions[sub_name] = Local({"id": subscription, "endpoint": endpoint})
            else:
                queue_url = self._queue(sqs, subscription_queue(name, sub_name), suffix,
                                        self._pull_attributes(sqs, sub, dead_letters))
                self._subscribe(sns, sqs, arn, queue_url, raw=True)
                subscriptions[sub_name] = Local({"id": _queue_arn(sqs, queue_url), "queueUrl": queue_url})
        outputs = {"id": arn, "name": arn.rsplit(":", 1)[1]}
        if topic.ordering_attribute:
            outputs["messageGroupAttribute"] = topic.ordering_attribute
        return Local(outputs, subscriptions)

    def _queue(self, sqs, name: str, suffix: str, attributes: dict) -> str:
        if suffix:
            attributes = {**attributes, "FifoQueue": "true", "ContentBasedDeduplication": "true"}
        return sqs.create_queue(QueueName=self.name("queue", name, suffix), Attributes=attributes)["QueueUrl"]

    @staticmethod
    def _pull_attributes(sqs, sub: Subscription, dead_letters: str) -> dict:
        return {"VisibilityTimeout": str(seconds(sub.ack_deadline)),
                "MessageRetentionPeriod": str(seconds(sub.message_retention)),
                "RedrivePolicy": json.dumps({"deadLetterTargetArn": _queue_arn(sqs, dead_letters),
                                             "maxReceiveCount": sub.retry_policy.max_retries})}

    @staticmethod
    def _subscribe(sns, sqs, topic_arn: str, queue_url: str, raw: bool) -> str:
        return sns.subscribe(TopicArn=topic_arn, Protocol="sqs", Endpoint=_queue_arn(sqs, queue_url),
                             Attributes={"RawMessageDelivery": str(raw).lower()})["SubscriptionArn"]

    def push_deliveries(self) -> list[PushDelivery]:
        return [PushDelivery(name, SqsPushQueue(self.client("sqs"), url, dead_letters), endpoint, policy)
                for name, url, dead_letters, endpoint, policy in self.pushes]

    def service_outputs(self, served) -> dict[str, dict]:
        identities = {name: f"arn:aws:iam::123456789012:role/{self.name('role', name)}"
                      for name in self.env.spec.services}
        return local_service_outputs(self.env, identities, self.created, served)

    # --- the buckets' objects across restarts ----------------------------------------------------

    def _snapshot(self, physical: str) -> BucketSnapshot:
        return BucketSnapshot(real_folder(self.data, "buckets", physical))

    def _restore(self, s3, physical: str) -> None:
        snapshot = self._snapshot(physical)
        try:
            for key, body, attributes in snapshot.objects():
                s3.put_object(Bucket=physical, Key=key, Body=body, **{k: v for k, v in attributes.items() if v})
        except SnapshotDamaged as damage:
            snapshot.damage.append(str(damage))
        if snapshot.damage:
            self.report(f"bucket {physical}: its saved objects are damaged, the snapshot is kept as it is and this "
                        "run's changes to the bucket will not be saved (repair or delete the files named, or "
                        "--reset):\n" + "\n".join(f"  {line}" for line in snapshot.damage))
        else:
            self.restored.add(physical)

    def save(self, report) -> None:
        s3 = self.client("s3")
        for name in self.env.spec.buckets:
            physical = self.name("bucket", name)
            if physical in self.restored:
                try:
                    self._snapshot(physical).save(self._objects(s3, physical))
                except (OSError, DeployerError) as err:  # a full disk, a read-only folder
                    report(f"bucket {physical}: its objects were not saved, the previous snapshot is kept: "
                           f"{getattr(err, 'strerror', None) or err}")

    @staticmethod
    def _objects(s3, physical: str):
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=physical):
            for item in page.get("Contents", []):
                obj = s3.get_object(Bucket=physical, Key=item["Key"])
                yield item["Key"], obj["Body"].read(), {"ContentType": obj.get("ContentType"),
                                                        "Metadata": obj.get("Metadata", {})}


def _queue_arn(sqs, queue_url: str) -> str:
    return sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]


class SqsPushQueue(PushQueue):
    def __init__(self, sqs, url: str, dead_letters: str):
        self.sqs, self.url, self.dead_letters = sqs, url, dead_letters

    def receive(self) -> list[Delivery]:
        messages = self.sqs.receive_message(QueueUrl=self.url, MaxNumberOfMessages=10, WaitTimeSeconds=1,
                                            MessageSystemAttributeNames=["All"]).get("Messages", [])
        return [self._delivery(message) for message in messages]

    @staticmethod
    def _delivery(message: dict) -> Delivery:
        notification = json.loads(message["Body"])
        headers = {"Content-Type": "text/plain; charset=UTF-8", "x-amz-sns-message-type": "Notification",
                   "x-amz-sns-message-id": notification.get("MessageId", ""),
                   "x-amz-sns-topic-arn": notification.get("TopicArn", "")}
        return Delivery(notification.get("MessageId", message["MessageId"]), message["Body"].encode(), headers,
                        message)

    def acknowledge(self, delivery: Delivery) -> None:
        self.sqs.delete_message(QueueUrl=self.url, ReceiptHandle=delivery.receipt["ReceiptHandle"])

    def retry_after(self, delivery: Delivery, seconds: float) -> None:
        self.sqs.change_message_visibility(QueueUrl=self.url, ReceiptHandle=delivery.receipt["ReceiptHandle"],
                                           VisibilityTimeout=math.ceil(seconds))

    def dead_letter(self, delivery: Delivery) -> None:
        group = delivery.receipt.get("Attributes", {}).get("MessageGroupId")
        fifo = {"MessageGroupId": group, "MessageDeduplicationId": delivery.message_id} if group else {}
        self.sqs.send_message(QueueUrl=self.dead_letters, MessageBody=delivery.body.decode(), **fifo)
        self.acknowledge(delivery)


@cache
def _session():
    """boto3's session for the local servers, which never reads the user's AWS_PROFILE (one naming no
    profile would stop dev)."""
    import boto3  # 0.3 s: while the servers boot (prepare), not before they start
    import botocore.session

    return boto3.session.Session(botocore_session=botocore.session.Session(
        session_vars={"profile": (None, None, None, None)}))
