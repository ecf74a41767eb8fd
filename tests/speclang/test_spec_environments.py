"""Environment resolution on the shop examples: CUE and YAML agree, overrides and type defaults apply,
`pr-42` is an implicit preview, unknown names are usage errors."""

from datetime import timedelta
from pathlib import Path

import pydantic
import pytest

from deployer.clouds import cloud
from deployer.errors import EXIT_USAGE, SpecInvalid, UsageError
from deployer.speclang.environments import deep_merge
from deployer.speclang.load import load_spec, resolve, validate

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CUE_EXAMPLE, YAML_EXAMPLE = EXAMPLES / "shop/infra.cue", EXAMPLES / "shop-yaml/infra.yaml"

ENVIRONMENTS = ("prod", "dev", "staging", "local", "pr-42")


@pytest.fixture(scope="module")
def yaml_spec():
    return load_spec(YAML_EXAMPLE)


@pytest.fixture(scope="module")
def cue_spec():
    return load_spec(CUE_EXAMPLE)


@pytest.fixture(scope="module")
def shop(yaml_spec):
    return {name: resolve(yaml_spec, name) for name in ENVIRONMENTS}


@pytest.mark.parametrize("env", ENVIRONMENTS)
def test_the_cue_and_yaml_examples_resolve_to_equal_models(cue_spec, yaml_spec, env):
    from_cue, from_yaml = resolve(cue_spec, env), resolve(yaml_spec, env)
    assert from_cue.info == from_yaml.info
    assert from_cue.spec.model_dump() == from_yaml.spec.model_dump()


def test_the_cue_example_branches_on_the_injected_env_type(cue_spec):
    # infra.cue writes `if envType == "preview" {messageRetention: "1d"}`: only previews see it.
    retention = {
        env: resolve(cue_spec, env).spec.topics["signups"].subscriptions["send-welcome-email"].message_retention
        for env in ("pr-42", "dev")
    }
    assert retention == {"pr-42": timedelta(days=1), "dev": timedelta(days=7)}


def test_the_injected_tag_fields_are_not_spec_fields(cue_spec):
    # the example declares `env: string @tag(env)`; resolving it (above) would report `env` otherwise
    assert "env" not in cue_spec.data() and "envType" not in cue_spec.data()


def test_the_examples_declare_their_environments(yaml_spec):
    envs = {e.name: (e.type, e.provider) for e in yaml_spec.environments().values()}
    assert envs == {"prod": ("production", "aws"), "dev": ("development", "aws"),
                    "staging": ("development", "gcp"), "local": ("local", "aws")}


def test_pr_42_is_an_implicit_preview_environment(shop):
    preview = shop["pr-42"]
    assert (preview.type, preview.provider, preview.stack) == ("preview", "aws", "shop-pr-42")
    assert not preview.info.declared and not preview.protect
    assert cloud(preview.provider).physical_name("bucket", preview.app, preview.name, "avatars") == "shop-pr-42-avatars"


def test_an_environment_override_merges_into_the_base(shop):
    assert shop["prod"].spec.caches["sessions"].aws.replicas == 2  # environments.prod.overrides
    assert shop["prod"].spec.caches["sessions"].eviction_policy == "volatile-lru"  # kept from the base
    assert shop["dev"].spec.caches["sessions"].aws.replicas == 0


def test_a_type_override_applies_to_every_environment_of_the_type(shop):
    policies = {env: shop[env].spec.caches["catalog"].eviction_policy for env in ENVIRONMENTS}
    assert policies == {"prod": "allkeys-lfu", "dev": "allkeys-lru", "staging": "allkeys-lru",
                        "local": "allkeys-lfu", "pr-42": "allkeys-lfu"}
    retention = shop["pr-42"].spec.topics["signups"].subscriptions["send-welcome-email"].message_retention
    assert retention == timedelta(days=1)


def test_lists_and_scalars_in_overrides_replace(shop):
    invoices = shop["staging"].spec.buckets["invoices"]
    assert invoices.versioned is False
    assert [(r.prefix, r.expire_after_days) for r in invoices.lifecycle] == [("tmp/", 1)]
    assert len(shop["prod"].spec.buckets["invoices"].lifecycle) == 3


def test_production_gets_high_availability_and_protection(shop):
    prod = shop["prod"]
    catalog = prod.spec.caches["catalog"]
    assert (catalog.aws.node_type, catalog.aws.replicas, catalog.aws.snapshot_retention_days) == \
        ("cache.r7g.large", 1, 7)
    assert (catalog.gcp.tier, catalog.gcp.memory_size_gb) == ("STANDARD_HA", 5)
    assert prod.protect


@pytest.mark.parametrize("env", ["dev", "staging", "local", "pr-42"])
def test_other_types_get_the_smallest_sizes_and_no_protection(shop, env):
    catalog = shop[env].spec.caches["catalog"]
    assert (catalog.aws.node_type, catalog.aws.replicas, catalog.aws.snapshot_retention_days) == \
        ("cache.t4g.micro", 0, 0)
    assert (catalog.gcp.tier, catalog.gcp.memory_size_gb) == ("BASIC", 1)
    assert not shop[env].protect


def test_a_size_the_spec_sets_wins_over_the_type_default(spec_file):
    spec = load_spec(spec_file("""
        app: shop
        aws: {region: eu-west-1}
        caches: {sessions: {aws: {nodeType: cache.m7g.large}}}
        """))
    sessions = resolve(spec, "prod").spec.caches["sessions"].aws
    assert (sessions.node_type, sessions.replicas) == ("cache.m7g.large", 1)


def test_cron_is_left_out_of_preview_environments(shop):
    jobs = {env: sorted(shop[env].spec.cron) for env in ENVIRONMENTS}
    assert jobs == {"prod": ["monthly-invoices", "send-digest"], "dev": ["monthly-invoices", "send-digest"],
                    "staging": ["monthly-invoices", "send-digest"], "local": ["monthly-invoices", "send-digest"],
                    "pr-42": []}


def test_an_environment_deploys_to_its_own_provider(shop):
    assert {env: shop[env].provider for env in ENVIRONMENTS} == \
        {"prod": "aws", "dev": "aws", "staging": "gcp", "local": "aws", "pr-42": "aws"}
    assert shop["staging"].spec.provider == "gcp"
    staging = shop["staging"]
    assert cloud(staging.provider).physical_name("service-account", staging.app, staging.name,
                                                 "fulfilment") == "shop-staging-fulfilment"


def test_a_resolved_environment_is_immutable(shop):
    prod = shop["prod"]
    with pytest.raises(pydantic.ValidationError):
        prod.spec.app = "other"
    with pytest.raises(pydantic.ValidationError):
        prod.spec.caches["sessions"].aws.replicas = 5
    with pytest.raises(AttributeError):
        prod.info = None


def test_without_an_environments_block_prod_dev_and_local_exist(spec_file):
    spec = load_spec(spec_file("app: shop\naws: {region: eu-west-1}\n"))
    assert {n: e.type for n, e in spec.environments().items()} == \
        {"prod": "production", "dev": "development", "local": "local"}
    assert not spec.environment("local").deployable


def test_type_aliases_name_the_same_types(spec_file):
    spec = load_spec(spec_file("""
        app: shop
        aws: {region: eu-west-1}
        caches: {sessions: {}}
        environments: {live: {type: prod}, test: {type: dev}, review: {type: pr}}
        envTypes: {dev: {overrides: {caches: {sessions: {evictionPolicy: noneviction}}}}}
        """))
    assert {n: e.type for n, e in spec.environments().items()} == \
        {"live": "production", "test": "development", "review": "preview"}
    # the alias `dev` in envTypes reaches environment `test`: its misspelled override is reported there
    [problem] = validate(spec)
    assert (problem.path, problem.line) == ("envTypes.dev.overrides.caches.sessions.evictionPolicy", 5)
    assert 'did you mean "noeviction"?' in problem.message


def test_an_unknown_environment_is_a_usage_error_with_the_closest_name(yaml_spec):
    with pytest.raises(UsageError) as raised:
        resolve(yaml_spec, "prdo")
    assert raised.value.exit_code == EXIT_USAGE
    assert 'unknown environment "prdo"; did you mean "prod"?' in str(raised.value)
    with pytest.raises(UsageError, match="pr-<number> is a preview"):
        resolve(yaml_spec, "pr-four")


def test_resolving_an_invalid_environment_lists_its_problems(spec_file):
    spec = load_spec(spec_file("""
        app: shop
        aws: {region: eu-west-1}
        environments:
          prod: {type: prod, overrides: {buckets: {Bad_Name: {}}}}
          dev: {type: dev}
        """))
    resolve(spec, "dev")
    with pytest.raises(SpecInvalid) as raised:
        resolve(spec, "prod")
    [problem] = raised.value.problems
    assert (problem.line, problem.path) == (4, "environments.prod.overrides.buckets.Bad_Name")


def test_deep_merge_merges_maps_and_replaces_scalars_and_lists():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 1}
    merged = deep_merge(base, {"a": {"y": [3], "z": {"k": 1}}, "b": {"now": "a map"}})
    assert merged == {"a": {"x": 1, "y": [3], "z": {"k": 1}}, "b": {"now": "a map"}}
    assert base == {"a": {"x": 1, "y": [1, 2]}, "b": 1}


def test_the_example_spec_is_valid_for_every_environment_at_once(yaml_spec):
    assert validate(yaml_spec) == []
