"""Databases in Encore's infra config (`sql_servers`), checked against Encore's own definitions
(infra_config.schema.json: runtimes/go/appruntime/exported/config/infra/config.go's SQLServer and
SQLDatabase at the commits named in test_encore_config.py)."""

import pytest
from support.encore_schema import encore_errors

from deployer.encore import encore_config
from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

SPEC = """
app: chat
aws: {region: eu-west-1}
gcp: {project: chat-123456, region: europe-west1}
databases: {chat: {}, user-accounts: {version: "16"}}
services:
  bot: {uses: {databases: [chat]}}
  users: {uses: {databases: [user-accounts, chat]}}
environments:
  prod: {type: production}
  staging: {type: development, provider: gcp}
"""

pytestmark = pytest.mark.slow  # two plans


@pytest.fixture(scope="module")
def configs(tmp_path_factory):
    spec = tmp_path_factory.mktemp("chat") / "infra.yaml"
    spec.write_text(SPEC)
    loaded = load_spec(spec)
    result = {}
    for name in ("prod", "staging"):
        env = resolve(loaded, name)
        outputs, gaps = build_plan(env)["outputs"], []
        result[name] = outputs, encore_config(env, outputs, gaps), gaps
    return result


def test_each_database_is_a_sql_server_encore_accepts_with_its_password_from_the_environment(configs):
    for name in ("prod", "staging"):
        outputs, config, _ = configs[name]
        assert encore_errors(config) == []
        by_database = {db: server for server in config["sql_servers"] for db in server["databases"]}
        assert set(by_database) == {"chat", "user-accounts"}
        chat = outputs["services"]["bot"]["databases"]["chat"]
        assert by_database["chat"]["host"] == f"{chat['host']}:5432"
        assert by_database["user-accounts"]["databases"]["user-accounts"] == {
            "name": "user_accounts", "username": "owner", "password": {"$env": "DATABASE_USER_ACCOUNTS_PASSWORD"}}


def test_a_cloud_sql_server_is_verified_against_its_own_ca_and_rds_against_the_bundle_the_image_trusts(configs):
    outputs, config, gaps = configs["staging"]
    ca = outputs["services"]["bot"]["databases"]["chat"]["caCert"]
    assert {server["tls_config"].get("ca") for server in config["sql_servers"]} == {ca}
    assert gaps == []
    _, config, gaps = configs["prod"]
    assert all("ca" not in server["tls_config"] and not server["tls_config"].get("disabled")
               for server in config["sql_servers"])
    assert gaps == [f"databases.{name}: its TLS certificate is verified against the container's trusted roots: add "
                    "its CA bundle (https://truststore.pki.rds.amazonaws.com/eu-west-1/eu-west-1-bundle.pem) to the "
                    "image's trust store" for name in ("chat", "user-accounts")]


def test_a_database_s_host_is_verified_where_its_certificate_names_it(configs):
    # RDS's certificate names its endpoint; Cloud SQL's names the instance in its CN, not the IP address the
    # outputs give (Google's own connector checks the CN: github.com/GoogleCloudPlatform/cloud-sql-nodejs-connector,
    # src/socket.ts, validateCertificate)
    aws, gcp = (configs[env][1]["sql_servers"] for env in ("prod", "staging"))
    assert all("disable_tls_hostname_verification" not in server["tls_config"] for server in aws)
    assert all(server["tls_config"]["disable_tls_hostname_verification"] for server in gcp)
