"""A GCP-shaped local environment, driven by unchanged google-cloud-storage, google-cloud-pubsub and
redis-py code under `deployer dev`: the GCS emulator always, Google's Pub/Sub emulator where installed."""

import base64
import json
import sys

import pytest
from support.local_dev import leftovers, read_json, run_deployer, write_client

from deployer.errors import PreconditionMissing
from deployer.providers.gcp.local import pubsub_emulator


def pubsub_emulator_missing() -> str | None:
    """Why the Pub/Sub emulator cannot run here (how to install it), or None."""
    try:
        pubsub_emulator()
    except PreconditionMissing as missing:
        return str(missing)
    return None


STORAGE_SPEC = """
app: shop
provider: gcp
gcp: {project: shop-local, region: europe-west1}
caches: {sessions: {evictionPolicy: allkeys-lru}}
buckets: {avatars: {}}
services:
  email:
    uses: {buckets: {avatars: [download, upload]}, caches: [sessions]}
environments:
  local: {type: local, basePort: BASE_PORT}
"""

# No credentials, project or endpoint in the code: the client reads STORAGE_EMULATOR_HOST and
# GOOGLE_CLOUD_PROJECT as it would read the cloud's metadata server.
WRITE_OBJECT = """
import json, os
import redis
from google.cloud import storage
outputs = json.load(open(os.environ["DEPLOYER_OUTPUTS"]))["services"]["email"]
storage.Client().bucket(outputs["buckets"]["avatars"]["name"]).blob("users/ada.png").upload_from_string(b"png bytes")
cache = outputs["caches"]["sessions"]
redis.Redis(cache["host"], cache["port"], password=os.environ["CACHE_SESSIONS_AUTH"]).set("session/ada", "signed-in")
"""

READ_OBJECT = """
import json, os, sys
import redis
from google.cloud import storage
outputs = json.load(open(os.environ["DEPLOYER_OUTPUTS"]))["services"]["email"]
blob = storage.Client().bucket(outputs["buckets"]["avatars"]["name"]).blob("users/ada.png")
cache = outputs["caches"]["sessions"]
json.dump({"object": blob.download_as_bytes().decode(),
           "session": redis.Redis(cache["host"], cache["port"], password=os.environ["CACHE_SESSIONS_AUTH"]).get("session/ada").decode()}, open(sys.argv[1], "w"))
"""


@pytest.mark.slow
def test_google_cloud_storage_code_runs_against_the_emulator_and_finds_its_data_again(tmp_path, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(STORAGE_SPEC.replace("BASE_PORT", str(base_port)))
    write = write_client(tmp_path, "write.py", WRITE_OBJECT)
    first = run_deployer(spec, "dev", "--", sys.executable, str(write))
    assert first.returncode == 0, first.stderr
    assert "gcp-storage-emulator" in first.stderr  # the table says what serves the buckets

    read = write_client(tmp_path, "read.py", READ_OBJECT)
    second = run_deployer(spec, "dev", "--", sys.executable, str(read), str(tmp_path / "read.json"))
    assert second.returncode == 0, second.stderr
    assert read_json(tmp_path / "read.json") == {"object": "png bytes", "session": "signed-in"}
    assert leftovers(base_port) == []


PUBSUB_SPEC = """
app: shop
provider: gcp
gcp: {project: shop-local, region: europe-west1}
topics:
  signups:
    subscriptions:
      welcome: {service: email, endpoint: /pubsub/welcome}
      crm-sync: {service: email}
services:
  email:
    url: SERVICE_URL
    uses: {topics: {signups: [publish]}}
environments:
  local: {type: local, basePort: BASE_PORT}
"""

PUBLISH_AND_PULL = """
import json, os, sys
from google.cloud import pubsub_v1
outputs = json.load(open(os.environ["DEPLOYER_OUTPUTS"]))["services"]["email"]
pubsub_v1.PublisherClient().publish(outputs["topics"]["signups"]["id"], b'{"user": "ada"}', source="signup").result()
subscriber = pubsub_v1.SubscriberClient()
subscription = outputs["subscriptions"]["signups"]["crm-sync"]["id"]
received = subscriber.pull(request={"subscription": subscription, "max_messages": 1}, timeout=10).received_messages
subscriber.acknowledge(request={"subscription": subscription, "ack_ids": [m.ack_id for m in received]})
json.dump([[m.message.data.decode(), dict(m.message.attributes)] for m in received], open(sys.argv[1], "w"))
"""


@pytest.mark.slow
@pytest.mark.skipif(bool(pubsub_emulator_missing()), reason=pubsub_emulator_missing() or "")
def test_pubsub_code_publishes_pulls_and_the_push_subscription_posts_to_the_service(tmp_path, base_port, service):
    spec = tmp_path / "infra.yaml"
    spec.write_text(PUBSUB_SPEC.replace("SERVICE_URL", service.url).replace("BASE_PORT", str(base_port)))
    client = write_client(tmp_path, "pubsub.py", PUBLISH_AND_PULL)
    result = run_deployer(spec, "dev", "--", sys.executable, str(client), str(tmp_path / "pulled.json"))
    assert result.returncode == 0, result.stderr
    assert read_json(tmp_path / "pulled.json") == [['{"user": "ada"}', {"source": "signup"}]]
    path, headers, body = service.wait_for(1)[0]
    assert (path, headers["content-type"]) == ("/pubsub/welcome", "application/json")
    pushed = json.loads(body)
    assert base64.b64decode(pushed["message"]["data"]) == b'{"user": "ada"}'
    assert pushed["message"]["attributes"] == {"source": "signup"}
    assert pushed["subscription"].endswith("/subscriptions/shop-local-signups_welcome")  # as the cloud names it
    assert leftovers(base_port) == []


PUBLIC_SPEC = """
app: shop
provider: gcp
gcp: {project: shop-local, region: europe-west1}
buckets: {site: {public: true}}
services: {web: {uses: {buckets: {site: [upload, public-url]}}}}
environments:
  local: {type: local, basePort: BASE_PORT}
"""

FETCH_PUBLIC = """
import json, os, sys, urllib.request
from google.cloud import storage
site = json.load(open(os.environ["DEPLOYER_OUTPUTS"]))["services"]["web"]["buckets"]["site"]
storage.Client().bucket(site["name"]).blob("index.html").upload_from_string(b"<h1>shop</h1>")
with urllib.request.urlopen(site["publicUrl"] + "/index.html") as page:  # anonymous, as a browser
    json.dump([page.status, page.read().decode()], open(sys.argv[1], "w"))
"""


# https://cloud.google.com/storage/docs/access-public-data#api-link: a public object is read by anyone at
# https://storage.googleapis.com/BUCKET/OBJECT; locally, at the emulator's publicUrl.
@pytest.mark.slow
def test_a_public_buckets_objects_are_read_anonymously_at_its_public_url(tmp_path, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(PUBLIC_SPEC.replace("BASE_PORT", str(base_port)))
    client = write_client(tmp_path, "fetch.py", FETCH_PUBLIC)
    run = run_deployer(spec, "dev", "--", sys.executable, str(client), str(tmp_path / "page.json"))
    assert run.returncode == 0, run.stderr
    assert read_json(tmp_path / "page.json") == [200, "<h1>shop</h1>"]
