"""Cron jobs while `deployer dev` runs: at each minute that a job's schedule names (UTC), an empty
POST to its endpoint, as the cloud's scheduler does; `deployer cron run` triggers one at once."""

import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from deployer.errors import DeploymentFailed, UsageError, quoted
from deployer.local.http import post, succeeded
from deployer.speclang.cronexpr import fires_at
from deployer.speclang.model import CronJob
from deployer.speclang.resolved import ResolvedEnv


def job_url(env: ResolvedEnv, job: CronJob) -> str:
    endpoint = job.endpoint
    if isinstance(endpoint, str):
        return endpoint
    base = env.spec.services[endpoint.service].url
    if base is None:
        raise UsageError(f"cron job endpoint: service {quoted(endpoint.service)} has no `url` in {env.name}")
    return base.rstrip("/") + endpoint.path


def due(job: CronJob, minute: datetime) -> bool:
    if job.every is not None:
        since_midnight = minute - minute.replace(hour=0, minute=0)
        return since_midnight % job.every == timedelta(0)
    return fires_at(job.schedule, minute)


def call(url: str, name: str) -> int | str:
    """The empty POST the cloud's scheduler makes (a JSON `{}`, naming the job in X-Deployer-Cron)."""
    return post(url, b"{}", {"Content-Type": "application/json", "X-Deployer-Cron": name})


def run_job(env: ResolvedEnv, name: str) -> str:
    """POST to cron job NAME's endpoint once; the URL and its answer, or DeploymentFailed."""
    if name not in env.spec.cron:
        raise UsageError(f"no cron job {quoted(name)} in {env.name} (jobs: {', '.join(env.spec.cron) or 'none'})")
    url = job_url(env, env.spec.cron[name])
    status = call(url, name)
    if not succeeded(status):
        raise DeploymentFailed(f"cron job {name}: POST {url} answered {status}")
    return f"cron job {name}: POST {url} answered {status}"


class CronScheduler(threading.Thread):
    """Runs the jobs at their minutes until `stop` is set."""

    def __init__(self, env: ResolvedEnv, stop: threading.Event, report: Callable[[str], None],
                 clock: Callable[[], datetime] = lambda: datetime.now(UTC)):
        super().__init__(name="cron", daemon=True)
        self.env, self.jobs, self.stop, self.report, self.clock = env, env.spec.cron, stop, report, clock

    def run(self) -> None:
        minute = self.clock().replace(second=0, microsecond=0)
        while True:
            minute += timedelta(minutes=1)
            if self.stop.wait(max(0.0, (minute - self.clock()).total_seconds())):
                return
            for name, job in self.jobs.items():
                if due(job, minute):
                    self._run(name, job)

    def _run(self, name: str, job: CronJob) -> None:
        url = job_url(self.env, job)
        self.report(f"cron {name}: POST {url} answered {call(url, name)}")
