"""`deployer dev`'s servers are this run's alone (issue 24, points 3 and 5): another user of the machine
can neither use its Redis nor read its secrets from moto, and a second `deployer dev` on the same ports
(another clone of the repository, started at the same moment) stops cleanly instead of taking the
first one's servers for its own."""

import json
import os
import shutil
import signal
import subprocess
import sys

import pytest
from support.local_dev import DEPLOYER, leftovers, ready, start_dev

SPEC = """
app: shop
aws: {region: eu-west-1}
caches: {sessions: {evictionPolicy: allkeys-lru}}
buckets: {avatars: {public: true}, invoices: {}}
secrets: [SendGridToken]
services:
  email:
    uses: {buckets: {avatars: [download, upload], invoices: [download, upload]}, caches: [sessions],
           secrets: [SendGridToken]}
environments:
  local: {type: local, basePort: BASE_PORT}
"""

# What another local user tries, with the stdlib and boto3 only: each attempt's answer.
INTRUDER = """
import json, socket, sys, urllib.request, urllib.error
import boto3
redis_port, moto = int(sys.argv[1]), sys.argv[2]
tried = {}
with socket.create_connection(("127.0.0.1", redis_port)) as redis:
    redis.sendall(b"CONFIG SET dir /tmp\\r\\n")
    tried["redis"] = redis.recv(200).decode()
manager = boto3.client("secretsmanager", endpoint_url=moto, region_name="eu-west-1",
                       aws_access_key_id="local", aws_secret_access_key="local")
try:
    tried["secrets"] = [s["Name"] for s in manager.list_secrets()["SecretList"]]
except Exception as err:
    tried["secrets"] = type(err).__name__
for name, url in (("dump", "/moto-api/data.json"), ("private", "/shop-local-invoices/bill.pdf"),
                  ("public", "/shop-local-avatars/ada.png")):
    try:
        tried[name] = urllib.request.urlopen(moto + url).read().decode()
    except urllib.error.HTTPError as err:
        tried[name] = err.code
print(json.dumps(tried))
"""


@pytest.fixture
def project(tmp_path, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("BASE_PORT", str(base_port)))
    (tmp_path / ".secrets.local.yaml").write_text('SendGridToken: "local-token"\n')
    return spec


def session_variables(spec) -> dict[str, str]:
    lines = (spec.parent / ".deployer/local/local/session.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines)


@pytest.mark.slow
def test_another_local_user_can_neither_use_the_cache_nor_read_moto_s_secrets(project, base_port, started):
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        pytest.skip("running as another user needs root and setpriv")
    dev, _ = start_dev(project, started=started)
    variables = session_variables(project)
    assert oct((project.parent / ".deployer/local/local/session.env").stat().st_mode & 0o777) == "0o600"
    put = ("import boto3\n"
           "s3 = boto3.client('s3')\n"
           "s3.put_object(Bucket='shop-local-avatars', Key='ada.png', Body=b'a picture', ContentType='image/png')\n"
           "s3.put_object(Bucket='shop-local-invoices', Key='bill.pdf', Body=b'private')\n")
    subprocess.run([sys.executable, "-c", put], env={**os.environ, **variables}, check=True)
    result = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", sys.executable, "-c",
                             INTRUDER, str(base_port + 10), f"http://127.0.0.1:{base_port}"], cwd="/",
                            capture_output=True, text=True, check=False, timeout=60)
    assert result.returncode == 0, result.stderr
    tried = json.loads(result.stdout)
    assert tried["redis"].startswith("-NOAUTH"), tried
    assert tried["secrets"] == "ClientError"
    assert (tried["dump"], tried["private"], tried["public"]) == (403, 403, "a picture")
    dev.send_signal(signal.SIGINT)
    assert dev.wait(30) == 0
    assert leftovers(base_port) == []


@pytest.mark.slow
def test_two_clones_starting_dev_on_the_same_ports_at_once_never_share_a_server(tmp_path, base_port, started):
    clones = []
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        spec = tmp_path / name / "infra.yaml"
        spec.write_text(SPEC.replace("BASE_PORT", str(base_port)).replace("caches: {sessions: {evictionPolicy: allkeys-lru}}\n", "")
                        .replace(", caches: [sessions]", "").replace("secrets: [SendGridToken]\n", "")
                        .replace(",\n           secrets: [SendGridToken]", ""))
        clones.append(spec)
    runs = [subprocess.Popen([DEPLOYER, "--spec", str(spec), "dev"], cwd=spec.parent, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True) for spec in clones]
    started.extend(runs)
    outcomes = []
    for run in runs:
        try:
            ready(run, timeout=60)
            outcomes.append("ready")
        except AssertionError as ended:
            outcomes.append(str(ended))
    assert max(outcomes) == "ready", outcomes  # one runs,
    refused = min(outcomes)  # the other stops, naming the port and its holder
    assert "deployer dev ended before it was ready (exit 4)" in refused, outcomes
    assert f"port {base_port} (for moto) is in use by pid " in refused
    winner = runs[outcomes.index("ready")]
    winner.send_signal(signal.SIGINT)
    assert winner.wait(30) == 0
    assert leftovers(base_port) == []
