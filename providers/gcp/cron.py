"""Cloud Scheduler: each cron job POSTs to its endpoint with an OIDC token, on a UTC schedule."""

import pulumi_gcp as gcp
from deployer.providers.gcp.context import Context
from deployer.providers.shared import cron_expressions, cron_url, service_url

from deployer.speclang.model import CronJob

UTC = "Etc/UTC"
RETRIES = {"retry_count": 3}  # endpoints are idempotent (SPEC.md): a failed call is tried again


def create_cron(ctx: Context) -> None:
    for job_id, job in ctx.env.spec.cron.items():
        expressions = cron_expressions(job)
        for index, schedule in enumerate(expressions):
            name = job_id if len(expressions) == 1 else f"{job_id}-{index + 1}"
            _job(ctx, name, job, schedule)


def _job(ctx: Context, name: str, job: CronJob, schedule: str) -> None:
    url = cron_url(ctx.env, job)
    gcp.cloudscheduler.Job(
        name,
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
