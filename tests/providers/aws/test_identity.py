"""Every IAM policy document in the plans of all examples: parliament finds nothing, nothing is a wildcard,
and each service holds exactly the permissions its `uses` lists, on the exact ARNs."""

import json
from pathlib import Path

import pytest
from parliament import analyze_policy_string

from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

POLICY_FIELDS = ("policy", "assumeRolePolicy")
# parliament reads every document as an identity or resource policy; a role's trust policy has no
# Resource by definition, so that one structural finding is not a finding for trust policies.
TRUST_POLICY_STRUCTURE = ("MALFORMED", "Statement contains neither Resource nor NotResource")

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
CUE_EXAMPLE = EXAMPLES / "shop/infra.cue"
YAML_EXAMPLE = EXAMPLES / "shop-yaml/infra.yaml"


def aws_plans() -> list[tuple[str, dict]]:
    plans = []
    for example in (CUE_EXAMPLE, YAML_EXAMPLE):
        spec = load_spec(example)
        names = [n for n, e in spec.environments().items() if e.provider == "aws" and e.deployable] + ["pr-42"]
        plans += [(f"{example.parent.name}:{name}", build_plan(resolve(spec, name))) for name in names]
    return plans


@pytest.fixture(scope="module")
def plans() -> list[tuple[str, dict]]:
    return aws_plans()


def policy_documents(plans) -> list[tuple[tuple[str, str, str], str]]:
    """((plan, resource, field), document) for every policy in the plans."""
    return [((where, f"{r['type']} {r['name']}", field_), r["inputs"][field_])
            for where, plan in plans for r in plan["resources"]
            for field_ in POLICY_FIELDS if r["inputs"].get(field_)]


def test_the_examples_plan_every_aws_environment(plans):
    assert sorted(where for where, _ in plans) == sorted(
        f"{ex}:{env}" for ex in ("shop", "shop-yaml") for env in ("prod", "dev", "pr-42"))


def test_parliament_finds_nothing_in_any_policy(plans):
    documents = policy_documents(plans)
    assert len(documents) > 50
    findings = {}
    for key, text in documents:
        found = [(f.issue, f.detail) for f in
                 analyze_policy_string(text, include_community_auditors=True).findings]
        if key[2] == "assumeRolePolicy":
            found = [f for f in found if f != TRUST_POLICY_STRUCTURE]
        if found:
            findings[key] = found
    assert findings == {}


def test_no_wildcard_action_or_resource_is_granted(plans):
    for key, text in policy_documents(plans):
        for statement in json.loads(text)["Statement"]:
            actions = _listed(statement.get("Action"))
            assert "*" not in actions, key
            assert "*" not in _listed(statement.get("Resource")), key
            if statement["Effect"] == "Allow":
                assert not any("*" in a for a in actions), (key, actions)


def _listed(value) -> list:
    return value if isinstance(value, list) else [value] if value else []


def grants(plan: dict, service: str) -> dict[str, set[str]]:
    """action -> resources the service's role policy allows."""
    policy = next(r for r in plan["resources"]
                  if r["type"] == "aws:iam/rolePolicy:RolePolicy" and r["name"] == service)
    result: dict[str, set[str]] = {}
    for statement in json.loads(policy["inputs"]["policy"])["Statement"]:
        assert statement["Effect"] == "Allow"
        for action in _listed(statement["Action"]):
            result.setdefault(action, set()).update(_listed(statement["Resource"]))
    return result


def test_each_service_holds_exactly_what_it_uses(plans):
    plan = dict(plans)["shop-yaml:prod"]
    secret = {r["name"]: f"arn:aws:secretsmanager:eu-west-1:000000000000:secret:{r['inputs']['name']}"
              for r in plan["resources"] if r["type"] == "aws:secretsmanager/secret:Secret"}

    def secret_arns(*names):
        return {a for a in _secret_arns(plan) if any(a.startswith(secret[n] + "-") for n in names)}

    assert grants(plan, "billing") == {
        "s3:GetObject": {"arn:aws:s3:::shop-prod-invoices-f7b11509/*"},
        "s3:PutObject": {"arn:aws:s3:::shop-prod-invoices-f7b11509/*"},
        "s3:ListBucket": {"arn:aws:s3:::shop-prod-invoices-f7b11509"},
        "s3:DeleteObject": {"arn:aws:s3:::shop-prod-invoices-f7b11509/*"},
        # and the key its cron job's calls carry (X-Deployer-Key), to check them
        "secretsmanager:GetSecretValue": secret_arns("StripeAPIKey", "billing.caller-key"),
    }
    assert grants(plan, "crm") == {
        "sqs:ReceiveMessage": {"arn:aws:sqs:eu-west-1:000000000000:shop-prod-signups_crm-sync"},
        "sqs:DeleteMessage": {"arn:aws:sqs:eu-west-1:000000000000:shop-prod-signups_crm-sync"},
        "sqs:ChangeMessageVisibility": {"arn:aws:sqs:eu-west-1:000000000000:shop-prod-signups_crm-sync"},
        "secretsmanager:GetSecretValue": secret_arns("CRMToken"),
    }
    storefront = grants(plan, "storefront")
    assert storefront["sns:Publish"] == {"arn:aws:sns:eu-west-1:000000000000:shop-prod-signups",
                                         "arn:aws:sns:eu-west-1:000000000000:shop-prod-orders.fifo"}
    assert storefront["s3:GetObject"] == {"arn:aws:s3:::shop-prod-avatars-f7b11509/*", "arn:aws:s3:::shop-prod-public-assets-f7b11509/*"}
    assert storefront["s3:ListBucket"] == {"arn:aws:s3:::shop-prod-avatars-f7b11509"}
    assert storefront["secretsmanager:GetSecretValue"] == secret_arns(
        "StripeAPIKey", "sessions.auth-token", "catalog.auth-token")
    assert grants(plan, "fulfilment")["secretsmanager:GetSecretValue"] == secret_arns("catalog.auth-token")


def _secret_arns(plan: dict) -> set[str]:
    """Every secret the outputs name: the services' own, the caches' AUTH tokens, the callers' keys."""
    return {arn for service in plan["outputs"]["services"].values()
            for arn in [*service["secrets"].values(), *(c["authSecret"] for c in service["caches"].values()),
                        *([service["callers"]["keySecret"]] if "keySecret" in service.get("callers", {}) else [])]}


def test_service_roles_trust_ecs_and_lambda_by_default_and_the_spec_where_given(aws_plan):
    plan = aws_plan("""
    services:
      api: {}
      batch: {aws: {trust: [batch.amazonaws.com]}}
    """)
    trust = {r["name"]: json.loads(r["inputs"]["assumeRolePolicy"])["Statement"][0]["Principal"]["Service"]
             for r in plan.all("aws:iam/role:Role")}
    assert trust == {"api": ["ecs-tasks.amazonaws.com", "lambda.amazonaws.com"], "batch": ["batch.amazonaws.com"]}
    assert plan.all("aws:iam/rolePolicy:RolePolicy") == []  # nothing used, nothing granted
