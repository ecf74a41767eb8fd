"""The checker of every example plan (examples/shop and examples/shop-yaml, every deployable environment,
both clouds): no two resources share a URN or a physical name, every physical name is the one the
cloud's naming module gives (`Cloud.resource_names`, which `validate` checks), and none breaks the
cloud's naming rules (each rule's documentation address is in its cloud's naming.py)."""

from collections import Counter

import pytest

from deployer.clouds import cloud
from deployer.speclang.load import load_spec
from deployer.speclang.naming import owner_suffix

EXAMPLE_ENVS = [(example, name) for example in ("shop", "shop-yaml")
                for name, env in load_spec(f"examples/{example}").environments().items() if env.deployable]
# The input holding a resource's physical name, where it is not `name`.
NAME_INPUTS = {"aws:s3/bucket:Bucket": "bucket", "aws:elasticache/replicationGroup:ReplicationGroup": "replicationGroupId",
               "gcp:serviceaccount/account:Account": "accountId", "gcp:secretmanager/secret:Secret": "secretId"}
# Names unique only within their parent: an inline policy's within its role.
PARENT_SCOPED = {"aws:iam/rolePolicy:RolePolicy"}
STAND_IN = ("-ACCOUNTHASH", owner_suffix("000000000000"))  # validate's AWS account hash; the mock runtime's account


def physical_names(plan: dict) -> dict[str, str]:
    """URN (type::logical name) -> physical name, of every planned resource that has one."""
    names = {}
    for resource in plan["resources"]:
        value = resource["inputs"].get(NAME_INPUTS.get(resource["type"], "name"))
        if isinstance(value, str) and resource["type"] not in PARENT_SCOPED:
            names[f"{resource['type']}::{resource['name']}"] = value
    return names


def test_the_examples_cover_both_clouds(example_env):
    assert {example_env(*case).provider for case in EXAMPLE_ENVS} == {"aws", "gcp"}


@pytest.mark.parametrize("example, env", EXAMPLE_ENVS)
def test_names_are_unique_the_naming_modules_and_within_the_clouds_rules(example_plan, example_env, example, env):
    plan = example_plan(example, env)
    urns = Counter(resource["urn"] for resource in plan["resources"])
    assert [urn for urn, count in urns.items() if count > 1] == []
    planned = physical_names(plan)
    by_type = Counter((urn.split("::")[0], name) for urn, name in planned.items())
    assert [key for key, count in by_type.items() if count > 1] == []
    resolved = example_env(example, env)
    named = {n.urn: n for n in cloud(resolved.provider).resource_names(resolved.spec, resolved.name) if n.urn}
    assert {urn: n.physical.replace(*STAND_IN) for urn, n in named.items() if n.physical} == planned
    # generated values (random passwords and suffixes) have no physical name, but a URN the check knows
    generated = {f"{r['type']}::{r['name']}" for r in plan["resources"] if r["type"].startswith("random:")}
    assert generated <= set(named)
    assert [(n.urn, n.problem) for n in named.values() if n.problem] == []
