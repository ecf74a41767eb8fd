"""Cloud Scheduler: each cron job POSTs to its endpoint with an OIDC token, on a UTC schedule."""

import pulumi_gcp as gcp

from deployer.providers.gcp.context import Context
from deployer.providers.gcp.naming import JOIN
from deployer.providers.shared import cron_url, service_url
from deployer.speclang.cronexpr import cron_expressions
from deployer.speclang.model import CronJob
from deployer.speclang.naming import schedule_names

UTC = "Etc/UTC"
RETRIES = {"retry_count": 3}  # endpoints are idempotent (SPEC.md): a failed call is tried again


def create_cron(ctx: Context) -> None:
    for job_id, job in ctx.env.spec.cron.items():
        for schedule, (logical_name, name) in zip(cron_expressions(job), schedule_names(job_id, job, JOIN),
                                                  strict=True):
            _job(ctx, logical_name, name, job, schedule)


def _job(ctx: Context, logical_name: str, name: str, job: CronJob, schedule: str) -> None:
    url = cron_url(ctx.env, job)
    gcp.cloudscheduler.Job(
        logical_name,
        name=ctx.name("scheduler-job", name),
        description=job.title,
        schedule=schedule,
        time_zone=UTC,
        http_target={"http_method": "POST", "uri": url,
                     "oidc_token": {"service_account_email": ctx.invoker.email, "audience": audience(ctx, job)}},
        retry_config=RETRIES,
        region=ctx.region,
        project=ctx.project,
    )


def audience(ctx: Context, job: CronJob) -> str:
    """The token's audience: the called service's URL, or the whole URL of an external endpoint."""
    endpoint = job.endpoint
    return endpoint if isinstance(endpoint, str) else service_url(ctx.env, endpoint.service, "")
