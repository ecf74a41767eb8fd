"""Cron jobs under `deployer dev`: called at the minutes their schedule names (UTC)."""

import threading
from datetime import UTC, datetime, timedelta

from deployer.local.cron import CronScheduler, due
from deployer.speclang.model import CronJob
from deployer.speclang.resolved import ResolvedEnv


def job(**schedule) -> CronJob:
    return CronJob(endpoint="https://example.com/cron", **schedule)


def test_every_counts_from_midnight_utc_and_schedule_is_cron():
    at = datetime(2026, 12, 1, 4, 0, tzinfo=UTC)
    assert due(job(every=timedelta(hours=2)), at) and not due(job(every=timedelta(hours=3)), at)
    assert due(job(schedule="0 4 1 * *"), at) and not due(job(schedule="0 4 2 * *"), at)
    assert due(job(schedule="0 4 * * 2"), at)  # a Tuesday


def test_the_scheduler_posts_to_the_job_at_its_minute(service, spec_file):
    from deployer.speclang.load import load_spec, resolve

    env: ResolvedEnv = resolve(load_spec(spec_file(f"""
        app: shop
        aws: {{region: eu-west-1}}
        cron: {{digest: {{every: 1m, endpoint: {{service: email, path: /cron/digest}}}}}}
        services: {{email: {{url: "{service.url}"}}}}
        """)), "local")
    start = datetime(2026, 12, 1, 3, 59, 59, 800000, tzinfo=UTC)
    began = datetime.now(UTC)
    stop = threading.Event()
    scheduler = CronScheduler(env, stop, lambda message: None, clock=lambda: start + (datetime.now(UTC) - began))
    scheduler.start()
    (path, headers, _), = service.wait_for(1, timeout=5)
    stop.set()
    scheduler.join(5)
    assert (path, headers["x-deployer-cron"]) == ("/cron/digest", "digest")


def test_cron_run_against_a_server_that_drips_its_answer_ends_at_the_deadline(tmp_path):
    """Issue 24, point 10: a byte every half second kept each read within its timeout, forever."""
    import socket
    import subprocess
    import sys
    import time

    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def drip() -> None:
        connection, _ = listener.accept()
        connection.recv(65536)
        with connection:
            for byte in b"HTTP/1.1 200 OK\r\n" * 1000:
                if stop.wait(0.5):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return

    threading.Thread(target=drip, daemon=True).start()
    (tmp_path / "infra.yaml").write_text(
        "app: shop\naws: {region: eu-west-1}\n"
        "cron: {digest: {every: 1h, endpoint: {service: email, path: /cron}}}\n"
        f"services: {{email: {{url: 'http://127.0.0.1:{listener.getsockname()[1]}'}}}}\n")
    started = time.monotonic()
    try:
        with_2_s_deadline = "from deployer.local import http; http.TIMEOUT_SECONDS = 2\nfrom deployer.cli import main; main()"
        run = subprocess.run([sys.executable, "-c", with_2_s_deadline, "--spec", str(tmp_path), "--no-color",
                              "cron", "run", "digest", "--env", "local"],
                             capture_output=True, text=True, timeout=60, check=False)
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 45  # the drip alone would last hours; the start of a loaded machine, seconds
    assert run.returncode == 3, run.stderr
    assert "/cron answered nothing within 2 s" in run.stderr
