"""Cron jobs as EventBridge schedules: expressions aligned to midnight UTC, API destinations, no cron in previews."""

import json
from datetime import timedelta

import pytest

from deployer.errors import DeployerError
from deployer.providers.aws.cron import schedule_expression
from deployer.speclang.cronexpr import every_expressions

RULE = "aws:cloudwatch/eventRule:EventRule"
TARGET = "aws:cloudwatch/eventTarget:EventTarget"
DESTINATION = "aws:cloudwatch/eventApiDestination:EventApiDestination"
CONNECTION = "aws:cloudwatch/eventConnection:EventConnection"


@pytest.mark.parametrize(("every", "expressions"), [
    (timedelta(hours=2), ["cron(0 0/2 * * ? *)"]),
    (timedelta(hours=1), ["cron(0 * * * ? *)"]),
    (timedelta(hours=24), ["cron(0 0 * * ? *)"]),
    (timedelta(hours=8), ["cron(0 0/8 * * ? *)"]),
    (timedelta(minutes=15), ["cron(0/15 * * * ? *)"]),
    (timedelta(minutes=1), ["cron(* * * * ? *)"]),
    (timedelta(minutes=90), ["cron(0 0/3 * * ? *)", "cron(30 1/3 * * ? *)"]),
])
def test_every_becomes_cron_aligned_to_midnight(every, expressions):
    assert [schedule_expression(e) for e in every_expressions(every)] == expressions


@pytest.mark.parametrize("minutes", [m for m in range(1, 1441) if 1440 % m == 0])
def test_every_expression_fires_exactly_at_the_multiples_of_the_interval(minutes):
    fired = set()
    for expression in map(schedule_expression, every_expressions(timedelta(minutes=minutes))):
        minute_field, hour_field = expression.removeprefix("cron(").split()[:2]
        fired |= {h * 60 + m for h in _expand(hour_field, 24) for m in _expand(minute_field, 60)}
    assert fired == set(range(0, 1440, minutes))


def _expand(field: str, size: int) -> set[int]:
    if field == "*":
        return set(range(size))
    if "/" in field:
        start, step = map(int, field.split("/"))
        return set(range(start, size, step))
    return {int(v) for v in field.split(",")}


@pytest.mark.parametrize(("schedule", "expression"), [
    ("0 4 1 * *", "cron(0 4 1 * ? *)"),
    ("30 2 * * 1-5", "cron(30 2 ? * 2-6 *)"),
    ("0 9 * * 0", "cron(0 9 ? * 1 *)"),
    ("0 9 * * 7", "cron(0 9 ? * 1 *)"),
    ("0 9 * * 5-7", "cron(0 9 ? * 6-7,1 *)"),
    ("0 9 * * mon,fri", "cron(0 9 ? * MON,FRI *)"),
    ("*/10 * * * *", "cron(0/10 * * * ? *)"),
    ("0 */6 */2 * *", "cron(0 0/6 1/2 * ? *)"),
    ("0 12 * jan,jul */2", "cron(0 12 ? JAN,JUL 1,3,5,7 *)"),  # EventBridge takes no step in day-of-week
    ("0 0 * * *", "cron(0 0 * * ? *)"),
    # a range mixing a name and a number is numbered: EventBridge counts days from 1 (SUN) to 7 (SAT)
    ("0 9 * * 1-fri", "cron(0 9 ? * 2-6 *)"),
    ("0 9 * * mon-5", "cron(0 9 ? * 2-6 *)"),
    ("0 9 * * sun-3", "cron(0 9 ? * 1-4 *)"),
    ("0 9 * * 4-sat", "cron(0 9 ? * 5-7 *)"),
    ("0 9 * * mon-fri", "cron(0 9 ? * MON-FRI *)"),
])
def test_five_field_schedule_becomes_aws_six_field(schedule, expression):
    assert schedule_expression(schedule) == expression


CRON_SPEC = """
services:
  email: {url: "https://email.example.com"}
  billing: {url: "https://billing.example.com"}
cron:
  send-digest:
    title: Send the digest
    every: 2h
    endpoint: {service: email, path: /cron/send-digest}
  invoices:
    schedule: "0 4 1 * *"
    endpoint: https://hooks.example.com/invoices
  both-days:
    schedule: "0 4 1 * 1"
    endpoint: https://hooks.example.com/x
"""


def test_restricting_both_days_is_an_error_naming_the_job(aws_plan):
    with pytest.raises(DeployerError, match=r"cron.both-days.schedule: .*day-of-month and day-of-week"):
        aws_plan(CRON_SPEC)


@pytest.fixture
def plan(aws_plan):
    return aws_plan(CRON_SPEC.split("  both-days:")[0])


def test_rule_posts_to_the_job_endpoint_through_an_api_destination(plan):
    rule = plan.inputs(RULE, "send-digest")
    assert rule["scheduleExpression"] == "cron(0 0/2 * * ? *)"
    assert rule["name"] == "shop-prod-send-digest"
    assert rule["description"] == "Send the digest"
    destination = plan.one(DESTINATION, "send-digest")
    assert destination["inputs"]["httpMethod"] == "POST"
    assert destination["inputs"]["invocationEndpoint"] == "https://email.example.com/cron/send-digest"
    assert plan.one(CONNECTION, "send-digest")["urn"] in destination["dependsOn"]
    assert plan.inputs(DESTINATION, "invoices")["invocationEndpoint"] == "https://hooks.example.com/invoices"
    assert plan.inputs(RULE, "invoices")["scheduleExpression"] == "cron(0 4 1 * ? *)"


def test_target_invokes_the_destination_with_a_role_allowed_only_that(plan):
    target = plan.one(TARGET, "send-digest")
    destination_arn = target["inputs"]["arn"]
    assert destination_arn.startswith("arn:aws:events:eu-west-1:000000000000:api-destination/shop-prod-send-digest/")
    assert plan.one(RULE, "send-digest")["urn"] in target["dependsOn"]
    role = plan.inputs("aws:iam/role:Role", "cron.send-digest")
    assert json.loads(role["assumeRolePolicy"])["Statement"][0]["Principal"] == {"Service": ["events.amazonaws.com"]}
    assert plan.policy("aws:iam/rolePolicy:RolePolicy", "cron.send-digest")["Statement"] == [
        {"Effect": "Allow", "Action": "events:InvokeApiDestination", "Resource": destination_arn}]


def test_no_cron_in_preview_environments(aws_plan):
    preview = aws_plan(CRON_SPEC, env="pr-1")
    assert not [r for r in preview.resources if r["type"].startswith("aws:cloudwatch/")]


# https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html: day-of-week is 1-7
# (SUN-SAT) or SUN-SAT; a range mixing a name and a number is planned numbered, not a crash.
def test_a_weekday_range_mixing_a_name_and_a_number_plans(aws_plan):
    plan = aws_plan('cron: {weekdays: {schedule: "0 9 * * 1-fri", endpoint: "https://hooks.example.com/w"}}\n')
    assert plan.inputs(RULE, "weekdays")["scheduleExpression"] == "cron(0 9 ? * 2-6 *)"
