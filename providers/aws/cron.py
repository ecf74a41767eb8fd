"""EventBridge: scheduled rules that POST to an API destination (the job's endpoint)."""

import re
from collections.abc import Mapping

import pulumi
import pulumi_aws as aws

from deployer.providers.aws.callers import CALLER_KEY_HEADER, CallerKey
from deployer.providers.aws.context import Context, policy_document, service_principal_trust
from deployer.providers.aws.naming import JOIN, cron_dead_letter_queue, cron_role
from deployer.providers.aws.pubsub import MAX_RETENTION_SECONDS, encrypted_queue
from deployer.providers.shared import cron_url
from deployer.speclang import cronexpr
from deployer.speclang.model import CronJob
from deployer.speclang.naming import schedule_names


def schedule_expression(schedule: str) -> str:
    """A 5-field cron expression (UTC) as EventBridge's 6-field form: one of day-of-month and
    day-of-week must be `?`, days of the week count from 1 (Sunday), steps start from a number
    (`*/10` -> `0/10`), and a year field is added."""
    minute, hour, day_of_month, month, day_of_week = schedule.upper().split()
    if day_of_week == "*":
        day_of_week = "?"
    elif day_of_month == "*":
        day_of_month = "?"
        if "/" in day_of_week:  # EventBridge has no steps in day-of-week: `1-5/2` (Mon, Wed, Fri) is 2,4,6
            day_of_week = ",".join(str(day + 1) for day in cronexpr.weekdays(day_of_week.lower()))
        else:
            day_of_week = ",".join(_aws_weekdays(item) for item in day_of_week.split(","))
    else:
        raise ValueError(f"schedule {schedule!r}: EventBridge cannot restrict both day-of-month "
                         "and day-of-week; use * for one of them")
    fields = [_numbered_step(f, first, last) for f, first, last in
              ((minute, 0, 59), (hour, 0, 23), (day_of_month, 1, 31), (month, 1, 12), (day_of_week, 1, 7))]
    return f"cron({' '.join(fields)} *)"


def _numbered_step(field: str, first: int, last: int) -> str:
    """Steps start from a number in EventBridge: `*/10` -> `0/10`, `1-23/3` (to the end) -> `1/3`."""
    if field.startswith("*/"):
        return f"{first}/{field[2:]}"
    if match := re.fullmatch(r"(\d+)-(\d+)/(\d+)", field):
        start, end, step = match.groups()
        return f"{start}/{step}" if int(end) == last else field
    return field


def _aws_weekdays(item: str) -> str:
    """cron's 0-7 (0 and 7 are Sunday) as EventBridge's 1-7 (1 is Sunday); a name, or a range of two
    names, stays as it is; a range mixing a name and a number (`1-FRI`) is numbered."""
    if not any(part[0].isdigit() for part in item.split("-")):
        return item
    days = [_cron_day(part) for part in item.split("-")]
    first, last = days[0], days[-1]
    first_day = first % 7 + 1
    if len(days) == 1:
        return str(first_day)
    if last == 7:  # up to Sunday: the week wraps in EventBridge's numbering
        return "1-7" if first == 0 else f"{first_day}-7,1"
    return f"{first_day}-{last % 7 + 1}"


def _cron_day(day: str) -> int:
    """A day of the week as cron numbers it, from its number or its name (0 = Sunday)."""
    return int(day) if day.isdigit() else cronexpr.NAMES[4].index(day.lower())


def schedule_expressions(job: CronJob) -> list[str]:
    return [schedule_expression(expression) for expression in cronexpr.cron_expressions(job)]


# EventBridge retries a call that fails with 429, 5xx or its 5 s timeout for up to an hour, then sends
# the event to the job's dead-letter queue (https://docs.aws.amazon.com/eventbridge/latest/userguide/
# eb-rule-retry-policy.html, eb-rule-dlq.html); a later call would overlap the job's next runs.
RETRY_POLICY = {"maximum_event_age_in_seconds": 3600, "maximum_retry_attempts": 185}
JOB_HEADER = "X-Deployer-Cron"  # names the job, as `deployer dev` does; no credential


def create_cron(ctx: Context, keys: Mapping[str, CallerKey]) -> None:
    """The jobs; a job that calls a service sends that service's key (callers.py)."""
    for job_id, job in ctx.env.spec.cron.items():
        key = keys[job.endpoint.service].value if not isinstance(job.endpoint, str) else None
        _job(ctx, job_id, job, key)


def _job(ctx: Context, job_id: str, job: CronJob, key: pulumi.Output[str] | None) -> None:
    logical = f"cron.{job_id}"
    # EventBridge connections require an authorization: the called service's key, else (a full URL of
    # someone else's) a header naming the job, which is no credential.
    connection = aws.cloudwatch.EventConnection(
        job_id,
        name=ctx.name("connection", job_id),
        authorization_type="API_KEY",
        auth_parameters={"api_key": {"key": CALLER_KEY_HEADER, "value": key} if key is not None else
                         {"key": JOB_HEADER, "value": job_id}},
        opts=ctx.opts(),
    )
    destination = aws.cloudwatch.EventApiDestination(
        job_id,
        name=ctx.name("api-destination", job_id),
        connection_arn=connection.arn,
        http_method="POST",
        invocation_endpoint=cron_url(ctx.env, job),
        invocation_rate_limit_per_second=1,
        opts=ctx.opts(),
    )
    role = aws.iam.Role(
        logical,
        name=ctx.name("role", cron_role(job_id)),
        assume_role_policy=service_principal_trust("events.amazonaws.com"),
        tags=ctx.labels(cron_role(job_id)),
        opts=ctx.opts(),
    )
    aws.iam.RolePolicy(logical, name=ctx.name("policy", cron_role(job_id)), role=role.id, policy=policy_document({
        "Effect": "Allow", "Action": "events:InvokeApiDestination", "Resource": destination.arn}),
        opts=ctx.opts())
    dead_letters = encrypted_queue(ctx, f"{logical}.dead-letter", cron_dead_letter_queue(job_id), fifo=False,
                                   retention=MAX_RETENTION_SECONDS)
    rules = []
    for expression, (rule_logical, rule_name) in zip(schedule_expressions(job), schedule_names(job_id, job, JOIN),
                                                         strict=True):
        rule = aws.cloudwatch.EventRule(
            rule_logical,
            name=ctx.name("schedule-rule", rule_name),
            description=job.title or job_id,
            schedule_expression=expression,
            tags=ctx.labels(rule_name),
            opts=ctx.opts(),
        )
        aws.cloudwatch.EventTarget(rule_logical, rule=rule.name, arn=destination.arn, role_arn=role.arn,
                                   input="{}", http_target={"header_parameters": {JOB_HEADER: job_id}},
                                   retry_policy=RETRY_POLICY, dead_letter_config={"arn": dead_letters.arn},
                                   opts=ctx.opts())
        rules.append(rule.arn)
    aws.sqs.QueuePolicy(f"{logical}.dead-letter", queue_url=dead_letters.url, policy=policy_document({
        "Sid": "AllowRules", "Effect": "Allow", "Principal": {"Service": "events.amazonaws.com"},
        "Action": "sqs:SendMessage", "Resource": dead_letters.arn,
        "Condition": {"ArnEquals": {"aws:SourceArn": rules}},
    }), opts=ctx.part())
