"""RDS for PostgreSQL under the mock runtime, production against development, and the limits AWS
puts on a database (each test names its source)."""

import json

import pytest
from support.plans import PlanView

from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

SPEC = """
app: shop
aws: {region: eu-west-1}
caches: {orders: {}}
databases: {orders: {}, user-accounts: {version: "16"}}
services:
  api: {uses: {databases: [orders], caches: [orders]}}
  billing: {uses: {databases: [user-accounts]}}
environments: {prod: {type: production}, dev: {type: development}}
"""
INSTANCE = "aws:rds/instance:Instance"


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    path = tmp_path_factory.mktemp("shop") / "infra.yaml"
    path.write_text(SPEC)
    spec = load_spec(path)
    return {name: PlanView(build_plan(resolve(spec, name))) for name in ("prod", "dev")}


def test_production_keeps_its_data_highly_available_and_recoverable(plans):
    instance = plans["prod"].one(INSTANCE, "database.orders")
    inputs = instance["inputs"]
    assert instance["protect"] is True
    assert (inputs["multiAz"], inputs["backupRetentionPeriod"], inputs["deletionProtection"]) == (True, 7, True)
    assert (inputs["skipFinalSnapshot"], inputs["finalSnapshotIdentifier"]) == (False, "shop-prod-orders-final")
    assert (inputs["storageEncrypted"], inputs["publiclyAccessible"], inputs["engine"]) == (True, False, "postgres")


def test_development_gets_the_smallest_instance_and_keeps_nothing(plans):
    instance = plans["dev"].one(INSTANCE, "database.orders")
    inputs = instance["inputs"]
    assert instance["protect"] is False
    assert (inputs["instanceClass"], inputs["allocatedStorage"], inputs["multiAz"]) == ("db.t4g.micro", 20, False)
    assert (inputs["backupRetentionPeriod"], inputs["deletionProtection"], inputs["skipFinalSnapshot"]) == (0, False, True)


def test_tls_is_forced_by_a_parameter_group_of_the_major_version(plans):
    # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html
    group = plans["prod"].inputs("aws:rds/parameterGroup:ParameterGroup", "database.user-accounts")
    assert (group["name"], group["family"]) == ("shop-prod-user-accounts-postgres16", "postgres16")
    assert group["parameters"] == [{"name": "rds.force_ssl", "value": "1"}]
    assert plans["prod"].inputs(INSTANCE, "database.user-accounts")["parameterGroupName"] == group["name"]


def test_only_the_databases_clients_reach_its_port_in_the_apps_network(plans):
    group = plans["prod"].inputs("aws:ec2/securityGroup:SecurityGroup", "database.orders")
    assert group["name"] == "shop-prod-orders-database"
    assert [(rule["fromPort"], rule["toPort"], rule["cidrBlocks"]) for rule in group["ingress"]] == [
        (5432, 5432, ["172.31.0.0/16"])]


def test_a_cache_and_a_database_of_one_name_share_no_pulumi_name(plans):
    urns = [r["urn"] for r in plans["prod"].resources]
    assert len(urns) == len(set(urns))
    assert {"orders", "database.orders"} <= plans["prod"].names("aws:ec2/securityGroup:SecurityGroup")
    assert {"orders", "database.orders"} <= plans["prod"].names("random:index/randomPassword:RandomPassword")


def test_only_the_services_that_use_a_database_read_its_password(plans):
    view = plans["prod"]
    password = view.services["api"]["databases"]["orders"]["passwordSecret"]
    api = json.dumps(view.policy("aws:iam/rolePolicy:RolePolicy", "api"))
    billing = json.dumps(view.policy("aws:iam/rolePolicy:RolePolicy", "billing"))
    assert password in api and password not in billing
    assert view.services["billing"]["databases"]["user-accounts"]["passwordSecret"] in billing


def test_outputs_give_what_a_client_needs_and_never_the_password(plans):
    orders = plans["prod"].services["api"]["databases"]["orders"]
    assert orders["host"].endswith(".eu-west-1.rds.amazonaws.com")
    assert (orders["port"], orders["database"], orders["user"], orders["tls"]) == (5432, "orders", "owner", True)
    assert orders["caCertUrl"] == "https://truststore.pki.rds.amazonaws.com/eu-west-1/eu-west-1-bundle.pem"
    assert "password" not in orders
    assert plans["prod"].services["billing"]["databases"]["user-accounts"]["database"] == "user_accounts"


HEAD = "app: shop\naws: {region: eu-west-1}\n"



def test_rds_creates_the_postgresql_major_versions_in_standard_support(problems):
    # https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html
    assert problems(HEAD + 'databases: {orders: {version: "12"}}\n') == [(
        "3: databases.orders.version: RDS for PostgreSQL creates major versions 13, 14, 15, 16, 17 "
        "(https://docs.aws.amazon.com/AmazonRDS/latest/PostgreSQLReleaseNotes/postgresql-release-calendar.html)")]


def test_rds_instance_classes_storage_and_backups_as_create_db_instance_takes_them(problems):
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html: gp3 storage
    # "Must be an integer from 20 to 65536", BackupRetentionPeriod "from 0 to 35";
    # https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.DBInstanceClass.html: db.CLASS.SIZE
    found = problems(HEAD + "databases:\n  orders:\n    aws: {instanceClass: m7g.large, storageGb: 19, backupRetentionDays: 36}\n")
    assert [line.split(": ", 2)[1] for line in found] == [
        "databases.orders.aws.backupRetentionDays", "databases.orders.aws.instanceClass", "databases.orders.aws.storageGb"]
    assert "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html" in found[0]


def test_rds_instance_identifiers_have_no_two_hyphens_in_a_row(problems):
    # https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html: "Can't end with a
    # hyphen or contain two consecutive hyphens"
    found = problems(HEAD + "databases: {order--lines: {}}\n")
    assert any("RDS DB instance identifiers are 1 to 63 letters" in line for line in found), found
