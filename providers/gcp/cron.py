"""Cloud Scheduler: each cron job POSTs to its endpoint with an OIDC token, on a UTC schedule."""

import pulumi_gcp as gcp
from deployer.providers.gcp.context import GcpEnv
from deployer.providers.shared import cron_expressions, cron_url, service_url

from deployer.speclang.model import CronJob

UTC = "Etc/UTC"
RETRIES = {"retry_count": 3}  # endpoints are idempotent (SPEC.md): a failed call is tried again


def cron_jobs(gcp_env: GcpEnv, invoker: gcp.serviceaccount.Account) -> None:
    for job_id, job in gcp_env.env.spec.cron.items():
        expressions = cron_expressions(job)
        for index, schedule in enumerate(expressions):
            name = job_id if len(expressions) == 1 else f"{job_id}-{index + 1}"
            _job(gcp_env, name, job, schedule, invoker)


def _job(gcp_env: GcpEnv, name: str, job: CronJob, schedule: str, invoker: gcp.serviceaccount.Account) -> None:
    url = cron_url(gcp_env.env, job)
    gcp.cloudscheduler.Job(
        name,
        name=gcp_env.name("scheduler-job", name),
        description=job.title,
        schedule=schedule,
        time_zone=UTC,
        http_target={"http_method": "POST", "uri": url,
                     "oidc_token": {"service_account_email": invoker.email, "audience": audience(gcp_env, job)}},
        retry_config=RETRIES,
        region=gcp_env.region,
        project=gcp_env.project,
    )


def audience(gcp_env: GcpEnv, job: CronJob) -> str:
    """The token's audience: the called service's URL, or the whole URL of an external endpoint."""
    endpoint = job.endpoint
    return endpoint if isinstance(endpoint, str) else service_url(gcp_env.env, endpoint.service, "")
