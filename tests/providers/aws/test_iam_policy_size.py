"""IAM's policy size quotas: a role's inline policies hold 10,240 characters in all, a customer managed
policy 6,144, and a role takes 10 managed policies by default; IAM counts no white space.
https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html"""

import json

import pytest

from deployer.providers.aws.naming import cron_called
from deployer.providers.aws.permissions import (
    INLINE_LIMIT,
    MANAGED_LIMIT,
    longest_arn,
    most_per_target,
    service_grants,
    size,
    split,
    surely_fitting,
)
from deployer.speclang.load import load_spec, resolve

ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
MANAGED_POLICY = "aws:iam/policy:Policy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"


def many(buckets: int = 0, topics: int = 0, subscriptions: int = 0, secrets: int = 0) -> str:
    """A spec body: service `api` uses that many buckets, topics, pull subscriptions and secrets."""
    names = [f"{n:03d}" for n in range(max(buckets, topics, subscriptions, secrets))]
    sections = {
        "buckets": [f"  files-{n}: {{}}" for n in names[:buckets]] or ["  {}"],
        "topics": [*(f"  events-{n}: {{}}" for n in names[:topics]),
                   *(f"  feed-{n}: {{subscriptions: {{copy: {{service: api}}}}}}" for n in names[:subscriptions])]
                  or ["  {}"],
        "secrets": [f"  - Key{n}" for n in names[:secrets]] or ["  []"],
    }
    return "\n".join([
        *(line for section, lines in sections.items() for line in [f"{section}:", *lines]),
        "services:", "  api:", "    uses:",
        "      buckets: {" + ", ".join(f"files-{n}: [download, upload, list]" for n in names[:buckets]) + "}",
        "      topics: {" + ", ".join(f"events-{n}: [publish]" for n in names[:topics]) + "}",
        "      secrets: [" + ", ".join(f"Key{n}" for n in names[:secrets]) + "]"]) + "\n"


def characters(document: str) -> int:
    """The size IAM counts: the document without white space."""
    return len(json.dumps(json.loads(document), separators=(",", ":")))


def granted(documents: list[str]) -> list[str]:
    return [resource for document in documents for statement in json.loads(document)["Statement"]
            for resource in statement["Resource"]]


def test_a_role_of_25_buckets_topics_subscriptions_and_secrets_fits_one_inline_policy(aws_plan):
    plan = aws_plan(many(buckets=25, topics=25, subscriptions=25, secrets=25))
    [policy] = plan.all(ROLE_POLICY)
    document = policy["inputs"]["policy"]
    # granted per resource: each bucket's ARN once for its objects and once for itself, not once per action
    # (grouped by action, the same role took 13,720 characters)
    resources = granted([document])
    assert len(resources) == len(set(resources)) == 25 * 2 + 25 + 25 + 25
    assert characters(document) <= INLINE_LIMIT
    assert plan.all(MANAGED_POLICY) == []


def test_beyond_the_inline_limit_the_role_takes_managed_policies_of_at_most_6144_characters(aws_plan):
    plan = aws_plan(many(secrets=120))
    assert plan.all(ROLE_POLICY) == []
    policies = plan.all(MANAGED_POLICY)
    assert [p["name"] for p in policies] == ["api.1", "api.2"]
    assert all(characters(p["inputs"]["policy"]) <= MANAGED_LIMIT for p in policies)
    resources = granted([p["inputs"]["policy"] for p in policies])
    assert len(resources) == len(set(resources)) == 120  # every secret once, none lost at the split
    attachments = {a["name"]: a for a in plan.all(ATTACHMENT)}
    assert sorted(attachments) == ["api.1", "api.2"]
    role = plan.one("aws:iam/role:Role", "api")
    for name in attachments:
        assert attachments[name]["inputs"] == {"role": role["inputs"]["name"], "policyArn":
                                               f"arn:aws:iam::000000000000:policy/shop-prod-api_{name[-1]}"}


def test_a_role_beyond_ten_managed_policies_is_refused_with_its_counts(deployer, spec_file):
    path = spec_file("app: shop\nprovider: aws\naws: {region: eu-west-1}\nenvironments: {prod: {type: prod}}\n"
                     + many(secrets=800))
    run = deployer("--spec", str(path), "validate")
    assert run.exit_code == 1
    [problem] = [line for line in run.stderr.splitlines() if line.startswith(str(path))]
    line = 4 + 4 + 800 + 3 + 1  # `uses:` of the service, after the buckets, topics and secrets sections
    assert problem.startswith(f"{path}:{line}: services.api.uses: the role's permissions (800 resources) take up "
                              "to 68,913 ")
    assert ("characters of IAM policy (measured with the longest ARNs these resources can have), in 12 managed "
            "policies of at most 6,144: a role takes 10,240 characters of inline policies or 10 managed policies "
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html); split the service"
            ) in problem


def test_no_target_adds_more_than_validate_assumes_of_the_roles_it_does_not_measure(spec_file):
    """validate measures only the roles that `surely_fits` cannot tell: its bound per target must hold for
    the longest names there are (each cut to its kind's limit), a bucket counted as its objects and itself."""
    long = "x" * 600
    path = spec_file(f"""
        app: shop
        aws: {{region: ap-southeast-4}}
        environments: {{production-environment: {{type: production}}}}
        buckets: {{b{long}: {{}}}}
        caches: {{c{long}: {{}}}}
        secrets: [S{long}]
        topics:
          t{long}: {{}}
          f{long}: {{orderingAttribute: key, subscriptions: {{s{long}: {{service: api}}}}}}
        cron: {{nightly: {{every: 24h, endpoint: {{service: api, path: /cron}}}}}}
        services:
          api:
            url: https://api.example.com
            uses:
              buckets: {{b{long}: [download, upload, list, remove]}}
              topics: {{t{long}: [publish]}}
              caches: [c{long}]
              secrets: [S{long}]
    """)
    env = resolve(load_spec(path), "production-environment")
    grants = service_grants(env.spec, ["api"], [(f"f{long}", f"s{long}")], called=["api"])
    targets = sum(len(grant.targets) for grant in grants)
    assert targets == 7
    assert split(grants, longest_arn(env.spec, env.name)).characters <= size([]) + targets * most_per_target(env.spec)
    assert surely_fitting(env.spec) == 65


def test_a_local_environment_has_no_role_to_refuse(deployer, spec_file):
    path = spec_file("app: shop\nprovider: aws\naws: {region: eu-west-1}\nenvironments: {dev: {type: local}}\n"
                     + many(secrets=800))
    assert deployer("--spec", str(path), "validate", "--env", "dev").exit_code == 0
    assert deployer("--spec", str(path), "validate", "--env", "pr-1").exit_code == 1  # a preview has one


@pytest.mark.parametrize(("example", "env"), [(x, e) for x in ("shop", "shop-yaml") for e in ("prod", "dev", "pr-42")])
def test_every_example_role_fits_and_the_estimate_is_an_upper_bound(example_plan, example_env, example, env):
    plan, resolved = example_plan(example, env), example_env(example, env)
    documents = {p["name"]: p["inputs"]["policy"] for p in plan["resources"] if p["type"] == ROLE_POLICY}
    assert documents
    spec = resolved.spec
    for service in spec.services:
        own = [(topic, sub) for topic, t in spec.topics.items() for sub, s in t.subscriptions.items()
               if s.service == service]
        grants = service_grants(spec, [service], own, [s for s in cron_called(spec) if s == service])
        estimate = split(grants, longest_arn(spec, resolved.name)).characters
        if service in documents:
            assert characters(documents[service]) <= min(estimate, INLINE_LIMIT), service


def test_a_deployment_s_one_role_is_measured_with_all_its_services_grants(deployer, spec_file):
    names = [f"Key{n:03d}" for n in range(800)]
    services = (f"services:\n  api: {{uses: {{secrets: [{', '.join(names[:400])}]}}}}\n"
                f"  worker: {{uses: {{secrets: [{', '.join(names[400:])}]}}}}\n")
    head = ("app: shop\naws: {region: eu-west-1}\nenvironments: {prod: {type: prod}}\n"
            f"secrets: [{', '.join(names)}]\n")
    assert deployer("--spec", str(spec_file(head + services)), "validate").exit_code == 0  # a role each: they fit
    path = spec_file(head + services + "deployments:\n  both: {services: [api, worker]}\n")
    run = deployer("--spec", str(path), "validate")
    assert run.exit_code == 1
    assert f"{path}:9: deployments.both: the role's permissions (800 resources) take up to" in run.stderr
    assert "split the deployment" in run.stderr
