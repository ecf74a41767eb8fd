"""Five public Encore applications as deployer specs (tests/encore/apps/: the uptime monitor, the AI chat
bot, the file upload and Polar file sharing examples of github.com/encoredev/examples at commit
5dc3750767a00052d2288b65ff77756dc27b5382, and Encore's own end-to-end app e2e-tests/testdata/echo of
github.com/encoredev/encore at commit 8540756279abc5b93d02fc5ac5d14a243464efba), each with its services in
one deployment and its own names: each validates, plans on AWS and GCP, and exports per deployment an
Encore config that Encore's decoders accept (infra_config.schema.json, see test_encore_config.py; the
fields a deployment adds, `hosted_services` and `metadata.base_url`, are as config.go and infracfg.rs
define them up to encoredev/encore commit 2b626e8c70c5ff9cbc24611ef424d6d2520eb0bb).
Their SQL databases (eight in four apps) are in `sql_servers`, each under the app's name for it."""

import json
from functools import cache
from pathlib import Path

import pytest
import yaml
from support.encore_schema import encore_errors

pytestmark = pytest.mark.slow  # each app planned for AWS and GCP: seconds
APPS = Path(__file__).parent / "apps"
UNKNOWN = "(known after deploy)"
ENVS = {"prod": "aws", "staging": "gcp"}


@pytest.fixture(scope="module")
def outputs(deployer):
    """`deployer outputs --planned` of APP's ENV with OPTIONS, as a user runs it."""
    @cache
    def planned(app: str, env: str, *options: str) -> dict:
        result = deployer("--spec", str(APPS / app), "outputs", "-e", env, "--planned", *options)
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    return planned


@pytest.fixture(scope="module")
def plan(deployer):
    """`deployer plan --format json` of APP's ENV (its outputs hold the mock account's ARNs)."""
    @cache
    def planned(app: str, env: str) -> dict:
        result = deployer("--spec", str(APPS / app), "plan", "-e", env, "--format", "json")
        assert result.exit_code == 0, result.stderr
        return json.loads(result.stdout)

    return planned


def spec(app: str) -> dict:
    return yaml.safe_load((APPS / app / "infra.yaml").read_text())


@pytest.mark.parametrize("env", ENVS)
@pytest.mark.parametrize("app", sorted(p.name for p in APPS.iterdir()))
def test_an_app_exports_per_deployment_an_encore_config_encore_accepts(app, env, deployer, outputs):
    assert deployer("--spec", str(APPS / app), "validate").exit_code == 0
    declared = spec(app)
    ((deployment, unit),) = declared["deployments"].items()
    config = outputs(app, env, "--format", "encore", "--deployment", deployment)
    assert encore_errors(config) == []
    assert config["hosted_services"] == unit["services"]
    assert config["metadata"] == {"app_id": declared["app"], "env_name": env, "cloud": ENVS[env],
                                  "env_type": "production" if env == "prod" else "development",
                                  "base_url": unit["url"]}
    assert "service_discovery" not in config  # every service of the app runs in the one container
    topics = config["pubsub"][0]["topics"] if "pubsub" in config else {}
    assert sorted(topics) == sorted(declared.get("topics", {}))  # keyed by the app's own names
    for name, topic in topics.items():
        assert set(topic["subscriptions"]) == set(declared["topics"][name]["subscriptions"])
    assert sorted(config.get("secrets", {})) == sorted(declared.get("secrets", []))
    servers = config.get("sql_servers", [])
    assert sorted(db for server in servers for db in server["databases"]) == sorted(declared.get("databases", {}))
    assert len(servers) == len(declared.get("databases", {}))  # a server each, its host known or not


@pytest.mark.parametrize("env", ENVS)
def test_a_deployment_has_one_identity_holding_its_services_grants(env, plan):
    services = plan("ai-chat", env)["outputs"]["services"]
    identities = {service["identity"] for service in services.values()}
    assert len(identities) == 1
    (identity,) = identities
    assert identity.endswith(":role/ai-chat-prod-ai-chat" if env == "prod"
                             else "ai-chat-staging-ai-chat@ai-chat-1234.iam.gserviceaccount.com")


def test_the_one_role_is_granted_the_union_of_the_services_uses(plan):
    resources = plan("ai-chat", "prod")["resources"]
    roles = [r["name"] for r in resources if r["type"] == "aws:iam/role:Role"]
    assert roles == ["ai-chat"]  # not one per service: the container assumes one role
    (policy,) = [r["inputs"]["policy"] for r in resources if r["type"] == "aws:iam/rolePolicy:RolePolicy"]
    statements = json.loads(policy)["Statement"]
    granted = {action: resource for s in statements for action in s["Action"] for resource in s["Resource"]}
    publish = [s for s in statements if s["Action"] == ["sns:Publish"]]
    # the three topics, each once: slack publishes provider-message, chat llm-tasks, claude and openai llm-response
    assert len(publish) == 1 and len(publish[0]["Resource"]) == 3
    assert "sqs:ReceiveMessage" in granted  # chat's and llm's queues
    reads = [s for s in statements if s["Action"] == ["secretsmanager:GetSecretValue"]]
    # bot's, slack's, claude's and openai's secrets, and the passwords of bot's and chat's databases
    assert len(reads[0]["Resource"]) == 7
    assert sum("-database-password-" in arn for arn in reads[0]["Resource"]) == 2


@pytest.mark.parametrize("env", ENVS)
def test_two_subscriptions_of_one_name_on_two_topics_are_both_in_every_output(env, deployer, outputs, plan):
    chat = plan("ai-chat", env)["outputs"]["services"]["chat"]["subscriptions"]
    assert sorted(chat) == ["llm-response", "provider-message"] and all("handler" in t for t in chat.values())
    assert chat["llm-response"]["handler"] != chat["provider-message"]["handler"]
    result = deployer("--spec", str(APPS / "ai-chat"), "outputs", "-e", env, "--planned", "--format", "env")
    assert "CHAT_SUBSCRIPTIONS_LLM_RESPONSE_HANDLER_" in result.stdout
    assert "CHAT_SUBSCRIPTIONS_PROVIDER_MESSAGE_HANDLER_" in result.stdout
    topics = outputs("ai-chat", env, "--format", "encore")["pubsub"][0]["topics"]
    assert all("handler" in topics[topic]["subscriptions"] for topic in ("llm-response", "provider-message"))


def test_an_app_s_dotted_topic_keeps_its_name_and_gets_a_physical_name_each_cloud_takes(outputs, plan):
    (pubsub,) = outputs("uptime", "staging", "--format", "encore", "--deployment", "uptime")["pubsub"]
    assert pubsub["topics"]["site.added"]["name"] == "uptime-staging-site-added"
    assert pubsub["topics"]["site.added"]["subscriptions"]["check-site"] == {
        "name": "uptime-staging-site-added_check-site"}
    site = plan("uptime", "prod")["outputs"]["services"]["site"]
    assert site["topics"]["site.added"]["id"].endswith(":uptime-prod-site-added")


def test_the_base_url_is_the_deployment_s_and_a_service_s_url_defaults_to_it(outputs, plan):
    config = outputs("file-upload", "prod", "--format", "encore", "--deployment", "upload")
    assert config["metadata"]["base_url"] == "https://files.example.com"  # appMeta().apiBaseUrl
    assert config["object_storage"][0]["buckets"]["profile-files"]["public_base_url"] == UNKNOWN  # a CloudFront domain
    # uptime's monitor sets no url: its cron job calls it at its deployment's
    (destination,) = [r["inputs"] for r in plan("uptime", "prod")["resources"]
                      if r["type"] == "aws:cloudwatch/eventApiDestination:EventApiDestination"]
    assert destination["invocationEndpoint"] == "https://uptime.example.com/check-all"
    (job,) = [r["inputs"] for r in plan("uptime", "staging")["resources"] if r["type"] == "gcp:cloudscheduler/job:Job"]
    assert job["httpTarget"]["uri"] == "https://uptime.example.com/check-all"
    assert job["httpTarget"]["oidcToken"]["audience"] == "https://uptime.example.com"


def test_without_deployments_each_service_is_a_deployment_of_its_own(deployer):
    shop = Path(__file__).resolve().parents[2] / "examples/shop-yaml"
    result = deployer("--spec", str(shop), "outputs", "-e", "prod", "--planned", "--format", "encore",
                      "--deployment", "email")
    assert result.exit_code == 0, result.stderr
    config = json.loads(result.stdout)
    assert config["hosted_services"] == ["email"]
    assert config["metadata"]["base_url"] == "https://email.internal.shop.example.com"
    assert "email" not in config["service_discovery"] and "storefront" in config["service_discovery"]
    assert config["secrets"] == {"SendGridToken": {"$env": "SendGridToken"}}  # only what email uses
    assert "redis" not in config and "object_storage" not in config


def test_the_image_s_services_are_said_as_encore_s_build_takes_them(deployer):
    result = deployer("--spec", str(APPS / "polar-file-sharing"), "outputs", "-e", "prod", "--planned",
                      "--format", "encore", "--deployment", "polar-files")
    assert ("note: build its image with `encore build docker --services auth,files,payments` (and `--gateways` "
            "where it takes public traffic)") in result.stderr


def test_an_unknown_deployment_is_a_usage_error(deployer):
    result = deployer("--spec", str(APPS / "uptime"), "outputs", "-e", "prod", "--planned", "--deployment", "uptim")
    assert result.exit_code == 2
    assert 'unknown deployment "uptim"; did you mean "uptime"?' in result.stderr


def test_the_container_gets_every_variable_its_encore_config_reads_from_the_cloud_s_secrets(outputs):
    ecs = outputs("echo", "prod", "--format", "container")
    (container,) = ecs["containerDefinitions"]
    # the cache's AUTH token, which the Encore config reads as {"$env": "CACHE_CLUSTER_AUTH"}, and di's cron key
    assert [s["name"] for s in container["secrets"]] == ["CACHE_CLUSTER_AUTH", "DEPLOYER_KEY_DI"]
    config = outputs("echo", "prod", "--format", "encore", "--deployment", "echo")
    assert config["redis"]["cluster"]["auth"]["auth_string"] == {"$env": "CACHE_CLUSTER_AUTH"}
    run = outputs("uptime", "staging", "--format", "container")["template"]
    assert run["serviceAccount"] == "uptime-staging-uptime@uptime-1234.iam.gserviceaccount.com"
    # the databases' passwords, which the Encore config reads as {"$env": "DATABASE_NAME_PASSWORD"}, and the secret
    assert run["containers"][0]["env"] == [
        {"name": name, "valueSource": {"secretKeyRef": {"secret": f"projects/uptime-1234/secrets/{secret}",
                                                        "version": "latest"}}}
        for name, secret in (("DATABASE_SITE_PASSWORD", "uptime-staging-site-database-password"),
                             ("DATABASE_MONITOR_PASSWORD", "uptime-staging-monitor-database-password"),
                             ("SlackWebhookURL", "uptime-staging-SlackWebhookURL"))]
    config = outputs("uptime", "staging", "--format", "encore", "--deployment", "uptime")
    assert {db["password"]["$env"] for server in config["sql_servers"] for db in server["databases"].values()} == {
        "DATABASE_SITE_PASSWORD", "DATABASE_MONITOR_PASSWORD"}


def test_a_container_of_several_deployments_must_be_named(deployer):
    shop = Path(__file__).resolve().parents[2] / "examples/shop-yaml"
    result = deployer("--spec", str(shop), "outputs", "-e", "prod", "--planned", "--format", "container")
    assert result.exit_code == 2 and "--deployment (storefront, email, crm, fulfilment, billing)" in result.stderr


def test_a_keyspace_repeating_its_key_is_in_the_outputs_as_written(plan):
    cache = plan("echo", "prod")["outputs"]["services"]["cache"]["caches"]["cluster"]
    assert cache["keyspaces"]["lists"]["pattern"] == "list/:key/foo/:key"


def env_references(value: object) -> set[str]:
    """Every `{"$env": NAME}` of an Encore config."""
    if isinstance(value, dict):
        if set(value) == {"$env"}:
            return {value["$env"]}
        return {n for item in value.values() for n in env_references(item)}
    return {n for item in value for n in env_references(item)} if isinstance(value, list) else set()


def container_names(document: dict) -> set[str]:
    if "containerDefinitions" in document:  # ECS
        return {s["name"] for s in document["containerDefinitions"][0]["secrets"]}
    return {e["name"] for e in document["template"]["containers"][0]["env"]}  # Cloud Run


@pytest.mark.parametrize("env", ENVS)
def test_the_container_fills_every_variable_the_encore_config_reads(env, spec_file, deployer):
    with_databases = spec_file((APPS / "uptime" / "infra.yaml").read_text()
                               .replace("# databases: monitor", "databases: {monitor: {}, site: {}}\n# monitor")
                               .replace("site.added: [publish]}}", "site.added: [publish]}, databases: [site]}")
                               .replace("uptime-transition: [publish]}}",
                                        "uptime-transition: [publish]}, databases: [monitor]}"))
    for path in [*APPS.iterdir(), with_databases]:
        (deployment,) = yaml.safe_load(Path(path, "infra.yaml" if path.is_dir() else "").read_text())["deployments"]
        run = [deployer("--spec", str(path), "outputs", "-e", env, "--planned", "--format", fmt,
                        "--deployment", deployment) for fmt in ("encore", "container")]
        assert all(r.exit_code == 0 for r in run), [r.stderr for r in run]
        config, container = (json.loads(r.stdout) for r in run)
        assert env_references(config) <= container_names(container), path
    assert {"DATABASE_SITE_PASSWORD", "DATABASE_MONITOR_PASSWORD"} <= env_references(config)
