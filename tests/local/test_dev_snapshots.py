"""The objects of moto's buckets, kept across `deployer dev` runs whatever happens to the run or to the
snapshot (issue 24, points 1 and 2): keys of any form come back as they were, a full disk or a second
signal during the save keeps the previous snapshot, a bucket whose restore was interrupted or found
damage is never saved over its snapshot, and damage is reported naming its file."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from support.local_dev import DEPLOYER, leftovers, run_deployer, start_dev, write_client

SPEC = """
app: shop
aws: {region: eu-west-1}
buckets: {avatars: {}}
services: {email: {uses: {buckets: {avatars: [download, upload]}}}}
environments:
  local: {type: local, basePort: BASE_PORT}
"""

# Writes the objects named on its command line as KEY=SIZE (SIZE times the first byte of KEY), then
# lists the bucket into the JSON file given first: {key: [size, content type]}.
CLIENT = """
import json, os, sys
import boto3
bucket = json.load(open(os.environ["DEPLOYER_OUTPUTS"]))["services"]["email"]["buckets"]["avatars"]["name"]
s3 = boto3.client("s3")
for spec in sys.argv[2:]:
    key, size = spec.rsplit("=", 1)
    s3.put_object(Bucket=bucket, Key=key, Body=key.encode()[:1] * int(size), ContentType="image/png")
found = {}
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
    for item in page.get("Contents", []):
        obj = s3.get_object(Bucket=bucket, Key=item["Key"])
        body = obj["Body"].read()
        assert body == item["Key"].encode()[:1] * len(body), item["Key"]
        found[item["Key"]] = [len(body), obj["ContentType"]]
json.dump(found, open(sys.argv[1], "w"))
"""

ODD_KEYS = ["é/" * 100 + "long", "..", "index.json", "objects", "a/../b", "%2F", " spaced ", "x" * 1024]


@pytest.fixture
def project(tmp_path, base_port):
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("BASE_PORT", str(base_port)))
    write_client(tmp_path, "client.py", CLIENT)
    return spec


def objects(spec: Path, *writes: str) -> dict:
    """The bucket's objects, as a COMMAND of `deployer dev` sees them after writing WRITES."""
    listing = spec.parent / "listing.json"
    listing.unlink(missing_ok=True)
    result = run_deployer(spec, "dev", "--", sys.executable, str(spec.parent / "client.py"), str(listing), *writes)
    assert result.returncode == 0, result.stderr
    return json.loads(listing.read_text())


def snapshot_files(spec: Path) -> dict[str, bytes]:
    folder = spec.parent / ".deployer/local/local/buckets"
    return {str(path.relative_to(folder)): path.read_bytes() for path in folder.rglob("*") if path.is_file()}


@pytest.mark.slow
def test_keys_of_any_form_come_back_and_damage_is_reported_with_its_file_never_widened(project, base_port):
    written = objects(project, *(f"{key}=3" for key in ODD_KEYS), "plain=5")
    assert written == {**{key: [3, "image/png"] for key in ODD_KEYS}, "plain": [5, "image/png"]}
    assert objects(project) == written  # a second run: every key, byte for byte

    folder = project.parent / ".deployer/local/local/buckets/shop-local-avatars"
    index = json.loads((folder / "index.json").read_text())
    missing = folder / "objects" / index["plain"]["sha256"]
    missing.unlink()
    before = snapshot_files(project)
    result = run_deployer(project, "dev", "--", sys.executable, str(project.parent / "client.py"),
                          str(project.parent / "listing.json"), "new=4")
    assert result.returncode == 0, result.stderr
    assert "bucket shop-local-avatars: its saved objects are damaged" in result.stderr
    assert f'key "plain": .deployer/local/local/buckets/shop-local-avatars/objects/{missing.name} cannot be read' \
        in result.stderr
    listed = json.loads((project.parent / "listing.json").read_text())
    assert set(listed) == {*ODD_KEYS, "new"}  # every other object restored
    assert snapshot_files(project) == before  # left as it was: repairable

    (folder / "index.json").write_bytes((folder / "index.json").read_bytes()[:100])  # cut
    before = snapshot_files(project)
    result = run_deployer(project, "dev", "--", sys.executable, "-c", "pass")
    assert result.returncode == 0, result.stderr
    assert ".deployer/local/local/buckets/shop-local-avatars/index.json cannot be read" in result.stderr
    assert snapshot_files(project) == before
    assert leftovers(base_port) == []


def mounted_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir()
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                           capture_output=True, check=False)
    return mount.returncode == 0


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a tmpfs of 1 MiB (skipped where this process may not mount one)."""
    folder = tmp_path / "disk"
    if not mounted_tmpfs(folder, "1m"):
        pytest.skip("mounting a tmpfs needs root (or CAP_SYS_ADMIN)")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


@pytest.mark.slow
def test_a_full_disk_during_the_save_keeps_the_previous_snapshot(small_disk, base_port):
    spec = small_disk / "infra.yaml"
    spec.write_text(SPEC.replace("BASE_PORT", str(base_port)))
    write_client(small_disk, "client.py", CLIENT)
    first = objects(spec, *(f"small-{n}=10000" for n in range(20)))
    assert len(first) == 20
    listing = small_disk / "listing.json"
    result = run_deployer(spec, "dev", "--", sys.executable, str(small_disk / "client.py"), str(listing),
                          "big=500000", "huge=500000")  # two contents: kept once each
    assert result.returncode == 0, result.stderr
    assert "bucket shop-local-avatars: its objects were not saved, the previous snapshot is kept: " in result.stderr
    assert "(No space left on device)" in result.stderr
    (small_disk / "listing.json").unlink()
    assert objects(spec) == first
    assert leftovers(base_port) == []


def wait_in_log(log: Path, text: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if log.exists() and text in log.read_text(errors="replace"):
            return
        time.sleep(0.01)
    raise AssertionError(f"{text!r} never appeared in {log}")


@pytest.mark.slow
def test_ctrl_c_during_the_restore_or_twice_during_the_save_loses_no_object(project, base_port, started):
    many = [f"object-{n:03}=100" for n in range(120)]
    assert len(objects(project, *many)) == 120
    log = project.parent / ".deployer/local/local/logs/moto.log"
    log.unlink()  # the last run's

    restoring = subprocess.Popen([DEPLOYER, "--spec", str(project), "dev"], cwd=project.parent,
                                 stderr=subprocess.DEVNULL)
    started.append(restoring)
    wait_in_log(log, "PUT /shop-local-avatars/object-0")  # restoring has begun
    restoring.send_signal(signal.SIGINT)
    assert restoring.wait(30) in (0, 130)

    dev, _ = start_dev(project, started=started)
    dev.send_signal(signal.SIGINT)
    wait_in_log(log, "GET /shop-local-avatars/object-0")  # saving has begun
    dev.send_signal(signal.SIGINT)
    dev.wait(30)
    assert objects(project) == {key.split("=")[0]: [100, "image/png"] for key in many}
    assert leftovers(base_port) == []


@pytest.mark.slow
def test_a_snapshot_of_the_first_format_is_restored_then_replaced(project):
    folder = project.parent / ".deployer/local/local/buckets/shop-local-avatars"
    folder.mkdir(parents=True)
    (folder / "users%2Fada.png").write_bytes(b"u" * 7)  # its key quoted, as the first format named it
    (folder / "index.json").write_text(json.dumps({"users/ada.png": {"ContentType": "image/png", "Metadata": {}}}))
    assert objects(project) == {"users/ada.png": [7, "image/png"]}
    assert sorted(path.name for path in folder.iterdir()) == ["index.json", "objects"]
    assert objects(project) == {"users/ada.png": [7, "image/png"]}
