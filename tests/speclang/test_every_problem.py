"""`validate` reports every problem in one run (CLI.md), in deployer's words: the references and rules
run on what the model accepted, even where it refused other values of the same section."""

import json

import pytest

SIX_MISTAKES = """\
app: shop
provider: aws
aws: {region: eu-west-1}
caches:
  sessions:
    evictionPolicy: allkeys-lur
buckets:
  avatars:
    versioned: maybe
topics:
  signups:
    subscriptions:
      welcome:
        service: emial
services:
  api:
    url: https://api.example.com
    uses:
      buckets: {avatars: [download, uplod]}
      caches: [sesions]
  email:
    url: https://email.example.com
cron:
  digest:
    schedule: "0 25 * * *"
    endpoint: {service: email, path: /digest}
"""


def test_a_spec_with_six_mistakes_gives_six_located_problems(deployer, tmp_path):
    (tmp_path / "infra.yaml").write_text(SIX_MISTAKES)
    run = deployer("--spec", str(tmp_path), "validate")
    assert run.exit_code == 1
    lines = [line.split("infra.yaml:", 1)[1] for line in run.stderr.splitlines()]
    assert lines == [
        '6: caches.sessions.evictionPolicy: "allkeys-lur" is not allowed; did you mean "allkeys-lru"?',
        '9: buckets.avatars.versioned: expected true or false, not "maybe"',
        '14: topics.signups.subscriptions.welcome.service: unknown service "emial"; did you mean "email"?',
        '19: services.api.uses.buckets.avatars.1: "uplod" is not allowed; did you mean "upload"?',
        '20: services.api.uses.caches.0: unknown cache "sesions"; did you mean "sessions"?',
        '25: cron.digest.schedule: schedule "0 25 * * *": hour "25" is outside 0-23',
    ]


def test_a_reference_to_an_entry_the_model_refused_is_not_reported_as_unknown(deployer, tmp_path):
    spec = SIX_MISTAKES.replace("  email:\n    url: https://email.example.com\n",
                                "  email:\n    url: 42\n").replace("service: emial", "service: email")
    (tmp_path / "infra.yaml").write_text(spec)
    run = deployer("--spec", str(tmp_path), "validate", "--format", "json")
    paths = [problem["path"] for problem in json.loads(run.stdout)["problems"]]
    assert "services.email.url" in paths
    assert not any(path.startswith(("topics.", "cron.digest.endpoint")) for path in paths), paths


@pytest.mark.parametrize(("value", "message"), [
    ("versioned: 3", "expected true or false, not 3"),
    ("lifecycle: {expireAfterDays: 5}", "expected a list, not a mapping"),
    ("lifecycle: [{expireAfterDays: soon}]", 'expected a whole number, not "soon"'),
    ("lifecycle: [{expireAfterDays: 0}]", "expected 1 or more, not 0"),
    ("cors: [{origins: https://a.example, methods: [GET]}]", 'expected a list, not "https://a.example"'),
])
def test_a_wrong_type_is_said_in_the_specs_words(deployer, tmp_path, value, message):
    (tmp_path / "infra.yaml").write_text(f"app: shop\naws: {{region: eu-west-1}}\nbuckets:\n  b: {{{value}}}\n")
    run = deployer("--spec", str(tmp_path), "validate")
    assert run.exit_code == 1 and message in run.stderr, run.stderr
    assert "Input should" not in run.stderr and "valid" not in run.stderr
