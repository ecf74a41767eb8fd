"""An AWS-shaped local environment, driven by unchanged boto3 and redis-py code under `deployer dev`."""

import json
import sys

import pytest
from support.local_dev import leftovers, read_json, run_deployer, write_client

SPEC = """
app: shop
aws: {region: eu-west-1}
caches:
  sessions:
    evictionPolicy: volatile-lru
    keyspaces: {user-session: {key: string, value: string, keyPattern: "session/:key"}}
buckets: {avatars: {}}
topics:
  signups:
    subscriptions:
      welcome: {service: email, endpoint: /pubsub/welcome}
      crm-sync: {service: email}
cron:
  digest: {every: 2h, endpoint: {service: email, path: /cron/digest}}
secrets: [SendGridToken]
services:
  email:
    url: SERVICE_URL
    uses: {buckets: {avatars: [download, upload]}, topics: {signups: [publish]}, caches: [sessions],
           secrets: [SendGridToken]}
environments:
  local: {type: local, basePort: BASE_PORT}
"""

WRITE = """
import json, os, sys
import boto3, redis
outputs = json.load(open(os.environ["DEPLOYER_OUTPUTS"]))["services"]["email"]
s3 = boto3.client("s3")
s3.put_object(Bucket=outputs["buckets"]["avatars"]["name"], Key="users/ada.png", Body=b"png bytes")
cache = outputs["caches"]["sessions"]
redis.Redis(cache["host"], cache["port"], password=os.environ["CACHE_SESSIONS_AUTH"]).set("session/ada", "signed-in")
sns, sqs = boto3.client("sns"), boto3.client("sqs")
sns.publish(TopicArn=outputs["topics"]["signups"]["id"], Message='{"user": "ada"}')
queue = outputs["subscriptions"]["signups"]["crm-sync"]["queueUrl"]
messages = sqs.receive_message(QueueUrl=queue, WaitTimeSeconds=5).get("Messages", [])
secret = boto3.client("secretsmanager").get_secret_value(SecretId=outputs["secrets"]["SendGridToken"])
json.dump({"pulled": [m["Body"] for m in messages], "secret": secret["SecretString"],
           "env_secret": os.environ["SendGridToken"],
           "policy": redis.Redis(cache["host"], cache["port"], password=os.environ["CACHE_SESSIONS_AUTH"]).config_get("maxmemory-policy")["maxmemory-policy"]},
          open(sys.argv[1], "w"))
"""

READ = """
import json, os, sys
import boto3, redis
outputs = json.load(open(os.environ["DEPLOYER_OUTPUTS"]))["services"]["email"]
body = boto3.client("s3").get_object(Bucket=outputs["buckets"]["avatars"]["name"], Key="users/ada.png")["Body"]
cache = outputs["caches"]["sessions"]
json.dump({"object": body.read().decode(), "session": redis.Redis(cache["host"], cache["port"], password=os.environ["CACHE_SESSIONS_AUTH"]).get("session/ada").decode()},
          open(sys.argv[1], "w"))
"""


@pytest.fixture
def project(tmp_path, service, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("SERVICE_URL", service.url).replace("BASE_PORT", str(base_port)))
    (tmp_path / ".secrets.local.yaml").write_text('SendGridToken: "local-token"\n')
    return spec


@pytest.mark.slow
def test_unchanged_sdk_code_runs_against_the_local_servers_and_finds_its_data_again(project, service, base_port):
    folder = project.parent
    write = write_client(folder, "write.py", WRITE)
    first = run_deployer(project, "dev", "--env", "local", "--", sys.executable, str(write), str(folder / "first.json"))
    assert first.returncode == 0, first.stderr
    result = read_json(folder / "first.json")
    assert result["pulled"] == ['{"user": "ada"}']
    assert result["secret"] == result["env_secret"] == "local-token"
    assert result["policy"] == "volatile-lru"
    path, headers, body = service.wait_for(1)[0]
    assert path == "/pubsub/welcome"
    assert headers["x-amz-sns-message-type"] == "Notification"
    assert json.loads(body)["Message"] == '{"user": "ada"}'

    read = write_client(folder, "read.py", READ)
    second = run_deployer(project, "dev", "--", sys.executable, str(read), str(folder / "second.json"))
    assert second.returncode == 0, second.stderr
    assert read_json(folder / "second.json") == {"object": "png bytes", "session": "signed-in"}
    assert leftovers(base_port) == []


CACHE_ONLY = """
app: shop
aws: {region: eu-west-1}
caches: {sessions: {evictionPolicy: volatile-lru}}
services: {email: {uses: {caches: [sessions]}}}
environments:
  local: {type: local, basePort: BASE_PORT}
"""


@pytest.mark.slow
def test_a_failing_command_s_exit_code_is_deployer_dev_s_and_reset_wipes_the_data(tmp_path, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(CACHE_ONLY.replace("BASE_PORT", str(base_port)))
    write = write_client(tmp_path, "write.py", "import redis, json, os, sys\n"
                         "c = json.load(open(os.environ['DEPLOYER_OUTPUTS']))['services']['email']['caches']['sessions']\n"
                         "redis.Redis(c['host'], c['port'], password=os.environ['CACHE_SESSIONS_AUTH']).set('k', 'v')\n"
                         "sys.exit(7)\n")
    failing = run_deployer(spec, "dev", "--", sys.executable, str(write))
    assert failing.returncode == 7, failing.stderr
    # what runs where: the cache as its clients' URLs write it
    assert f"redis://127.0.0.1:{base_port + 10}" in failing.stderr and "http://127.0.0.1" not in failing.stderr
    assert leftovers(base_port) == []
    kept = tmp_path / ".deployer/local/local/redis/sessions"
    assert any(b"$1\r\nk\r\n$1\r\nv" in path.read_bytes() for path in kept.rglob("*") if path.is_file())  # SET k v
    count = (f"import os, redis; print(redis.Redis('127.0.0.1', {base_port + 10}, "
             "password=os.environ['CACHE_SESSIONS_AUTH']).dbsize())")
    reset = run_deployer(spec, "dev", "--reset", "--", sys.executable, "-c", count)
    assert reset.stdout.strip() == "0", reset.stderr
    assert leftovers(base_port) == []


def test_cron_run_calls_the_job_s_endpoint_once(project, service, deployer):
    result = deployer("--spec", str(project), "cron", "run", "digest", "--env", "local")
    assert result.exit_code == 0, result.stderr
    (path, headers, body), = service.wait_for(1)
    assert (path, headers["x-deployer-cron"], body) == ("/cron/digest", "digest", b"{}")


SHARED_LOOKING = """
app: shop
aws: {region: eu-west-1}
buckets: {site: {public: true}}
topics:
  orders: {subscriptions: {audit-log: {service: worker, maxConcurrency: 3}}}
  orders-audit: {subscriptions: {log: {service: worker}}}
services:
  worker: {uses: {buckets: {site: [upload, public-url]}, topics: {orders: [publish], orders-audit: [publish]}}}
environments:
  local: {type: local, basePort: BASE_PORT}
"""

PUBLIC_AND_APART = """
import json, os, sys, urllib.request
import boto3
outputs = json.load(open(os.environ["DEPLOYER_OUTPUTS"]))["services"]["worker"]
site = outputs["buckets"]["site"]
boto3.client("s3").put_object(Bucket=site["name"], Key="index.html", Body=b"<h1>shop</h1>")
with urllib.request.urlopen(site["publicUrl"] + "/index.html") as page:  # anonymous, as a browser
    served = [page.status, page.read().decode()]
sns, sqs = boto3.client("sns"), boto3.client("sqs")
sns.publish(TopicArn=outputs["topics"]["orders"]["id"], Message="to orders")
sns.publish(TopicArn=outputs["topics"]["orders-audit"]["id"], Message="to orders-audit")
subscriptions = {name: sub for subs in outputs["subscriptions"].values() for name, sub in subs.items()}
queues = {name: sub["queueUrl"] for name, sub in subscriptions.items()}
pulled = {name: [m["Body"] for m in sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10,
                                                        WaitTimeSeconds=2).get("Messages", [])]
          for name, url in queues.items()}
concurrency = {name: sub.get("maxConcurrency") for name, sub in subscriptions.items()}
json.dump({"served": served, "queues": queues, "pulled": pulled, "concurrency": concurrency}, open(sys.argv[1], "w"))
"""


# https://docs.aws.amazon.com/AmazonS3/latest/userguide/example-bucket-policies.html: anonymous reads are
# allowed by a bucket policy granting s3:GetObject to "*", which moto enforces like S3; and the cloud names
# the queues of orders.audit-log and orders-audit.log orders_audit-log and orders-audit_log (validate checks
# those names), which a local join with `-` would make one queue.
@pytest.mark.slow
def test_dev_serves_a_public_bucket_at_its_public_url_and_keeps_subscriptions_apart(tmp_path, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(SHARED_LOOKING.replace("BASE_PORT", str(base_port)))
    assert run_deployer(spec, "validate").returncode == 0
    client = write_client(tmp_path, "client.py", PUBLIC_AND_APART)
    run = run_deployer(spec, "dev", "--env", "local", "--", sys.executable, str(client), str(tmp_path / "out.json"))
    assert run.returncode == 0, run.stderr
    result = read_json(tmp_path / "out.json")
    assert result["served"] == [200, "<h1>shop</h1>"]
    assert result["queues"]["audit-log"] != result["queues"]["log"]
    assert result["pulled"] == {"audit-log": ["to orders"], "log": ["to orders-audit"]}
    assert result["concurrency"] == {"audit-log": 3, "log": None}  # a pull subscription's, for its client
