"""Values the clouds or deployer's own rules refuse, refused by `deployer validate` at their line
(issue 15, point 9), and a `pr-<N>` environment that is always a preview (point 6)."""

import pytest

from deployer.errors import EXIT_INVALID, EXIT_USAGE

BASE = """\
app: shop
aws:
  region: eu-west-1
gcp:
  project: shop-1
  region: europe-west1
services:
  api:
    url: https://api.example.com
cron:
  nightly:
    schedule: "0 4 * * *"
    endpoint: {service: api, path: /cron}
"""


def spec_with(old: str, new: str) -> str:
    assert BASE.count(old) == 1
    return BASE.replace(old, new)


CASES = {
    # S3 lifecycle days, CORS MaxAgeSeconds and SQS maxReceiveCount are 32-bit integers
    # (https://docs.aws.amazon.com/AmazonS3/latest/API/API_LifecycleExpiration.html).
    "an integer beyond 32 bits": (
        spec_with("app: shop\n", "app: shop\nbuckets:\n  b:\n    lifecycle: [{expireAfterDays: 99999999999999999999999}]\n"),
        "infra.yaml:4: buckets.b.lifecycle.0.expireAfterDays: expected 2147483647 or less, not 99999999999999999999999"),
    "arabic-indic digits in a duration": (
        spec_with('schedule: "0 4 * * *"', "every: ٣h"),
        "infra.yaml:12: cron.nightly.every: '٣h' is not a duration"),
    "arabic-indic digits in a cron field": (
        spec_with('"0 4 * * *"', '"0 */٣ * * *"'),
        'infra.yaml:12: cron.nightly.schedule: schedule "0 */٣ * * *": hour field "*/٣" is not valid'),
    # https://cloud.google.com/scheduler/docs/configuring/cron-job-schedules (a step within the field)
    "a cron step beyond the field's range": (
        spec_with('"0 4 * * *"', '"*/100 * * * *"'),
        'infra.yaml:12: cron.nightly.schedule: schedule "*/100 * * * *": minute step 100 is beyond 0-59'),
    "a cron day that never occurs in its month": (
        spec_with('"0 4 * * *"', '"0 0 31 2 *"'),
        'infra.yaml:12: cron.nightly.schedule: schedule "0 0 31 2 *": day-of-month "31" never occurs in month "2"'),
    # EventBridge rule descriptions: 512 characters
    # (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html); Cloud Scheduler
    # job descriptions: 500 (https://cloud.google.com/scheduler/docs/reference/rest/v1/projects.locations.jobs).
    "a 600-character cron title": (
        spec_with("    schedule:", f"    title: {'t' * 600}\n    schedule:"),
        "infra.yaml:12: cron.nightly.title: expected at most 500 characters, not 600"),
    # https://docs.aws.amazon.com/global-infrastructure/latest/regions/aws-regions.html
    "an AWS region with a line break": (
        spec_with("region: eu-west-1", 'region: "eu-west-1\\naws:skipCredentialsValidation: true"'),
        "infra.yaml:3: aws.region: control character U+000A is not allowed"),
    "an AWS region *": (
        spec_with("region: eu-west-1", "region: '*'"),
        'infra.yaml:3: aws.region: "*" is not an AWS region such as eu-west-1'),
    "an AWS region with YAML in it": (
        spec_with("region: eu-west-1", "region: 'eu-west-1 #: {x: y}'"),
        'infra.yaml:3: aws.region: "eu-west-1 #: {x: y}" is not an AWS region such as eu-west-1'),
    # https://cloud.google.com/compute/docs/regions-zones
    "a GCP region *": (
        spec_with("region: europe-west1", "region: '*'"),
        'infra.yaml:6: gcp.region: "*" is not a GCP region such as europe-west1'),
    # A service principal names a service: NAME.amazonaws.com
    # (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html#principal-services)
    "a trust of *": (
        spec_with("    url: https://api.example.com\n", "    url: https://api.example.com\n    aws: {trust: ['*']}\n"),
        'infra.yaml:10: services.api.aws.trust: "*" is not an AWS service principal such as lambda.amazonaws.com'),
    "a service URL without a host": (
        spec_with("url: https://api.example.com", "url: https://"),
        'infra.yaml:9: services.api.url: "https://" does not match'),
    "a cron endpoint URL without a host": (
        spec_with("endpoint: {service: api, path: /cron}", "endpoint: https:///cron"),
        'infra.yaml:13: cron.nightly.endpoint: "https:///cron" does not match'),
    "a pull request's environment declared as production": (
        spec_with("app: shop\n", "app: shop\nenvironments:\n  prod: {type: production}\n"
                  "  pr-42:\n    type: production\n    overrides: {state: s3://elsewhere}\n"),
        "infra.yaml:5: environments.pr-42.type: pr-<number> is always a preview"),
}


@pytest.mark.parametrize("spec, expected", CASES.values(), ids=CASES.keys())
def test_validate_refuses_at_the_line(spec, expected, spec_file, deployer):
    result = deployer("--spec", str(spec_file(spec)), "validate")

    assert result.exit_code == EXIT_INVALID
    assert expected in result.stdout + result.stderr


def test_the_base_spec_is_valid(spec_file, deployer):
    result = deployer("--spec", str(spec_file(BASE)), "validate")

    assert result.exit_code == 0, result.stderr


@pytest.mark.parametrize("env", ["pr-1\n", "pr-٣", "prod\n"])
def test_an_env_that_only_looks_like_one_is_a_usage_error(env, spec_file, deployer, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    path = str(spec_file(BASE.replace("app: shop\n", "app: shop\nsecrets: [Token]\n")))

    for args in (("validate", "--env", env), ("plan", "--env", env), ("secret", "set", "--env", env, "Token")):
        result = deployer("--spec", path, *args, stdin="value")

        assert result.exit_code == EXIT_USAGE, (args, result.stderr)
        assert "unknown environment" in result.stderr
    assert not (tmp_path / "infra.secrets.yaml").exists()
