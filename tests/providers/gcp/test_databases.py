"""Cloud SQL for PostgreSQL under the mock runtime, production against development, and the limits GCP
puts on a database (each test names its source)."""

import pytest
from support.plans import PlanView

from deployer import clouds
from deployer.plan.document import build_plan
from deployer.speclang.load import load_spec, resolve

SPEC = """
app: shop
provider: gcp
gcp: {project: shop-123456, region: europe-west1}
caches: {orders: {}}
databases: {orders: {}}
services:
  api: {uses: {databases: [orders], caches: [orders]}}
  billing: {}
environments: {prod: {type: production}, dev: {type: development}}
"""
INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"


@pytest.fixture(scope="module")
def plans(tmp_path_factory):
    path = tmp_path_factory.mktemp("shop") / "infra.yaml"
    path.write_text(SPEC)
    spec = load_spec(path)
    return {name: PlanView(build_plan(resolve(spec, name))) for name in ("prod", "dev")}


def test_an_instance_is_reached_on_a_private_ip_only_and_over_tls_only(plans):
    # https://cloud.google.com/sql/docs/postgres/configure-ssl-instance (ENCRYPTED_ONLY);
    # https://cloud.google.com/sql/docs/postgres/configure-private-ip
    settings = plans["prod"].inputs(INSTANCE, "database.orders")["settings"]
    assert settings["ipConfiguration"] == {"ipv4Enabled": False, "sslMode": "ENCRYPTED_ONLY",
                                           "privateNetwork": "projects/shop-123456/global/networks/default"}


def test_production_is_regional_with_point_in_time_recovery_and_protected(plans):
    instance = plans["prod"].one(INSTANCE, "database.orders")
    settings = instance["inputs"]["settings"]
    assert instance["protect"] is True and instance["inputs"]["deletionProtection"] is True
    assert (settings["availabilityType"], settings["deletionProtectionEnabled"]) == ("REGIONAL", True)
    assert settings["backupConfiguration"] == {"enabled": True, "pointInTimeRecoveryEnabled": True,
                                               "backupRetentionSettings": {"retainedBackups": 7,
                                                                           "retentionUnit": "COUNT"}}
    assert plans["prod"].one("gcp:sql/database:Database", "database.orders")["inputs"]["deletionPolicy"] == "ABANDON"


def test_development_is_the_smallest_zonal_instance_with_nothing_kept(plans):
    instance = plans["dev"].one(INSTANCE, "database.orders")
    settings = instance["inputs"]["settings"]
    assert instance["protect"] is False and instance["inputs"]["deletionProtection"] is False
    assert (settings["tier"], settings["availabilityType"], settings["diskSize"]) == ("db-f1-micro", "ZONAL", 10)
    assert settings["backupConfiguration"] == {"enabled": False, "pointInTimeRecoveryEnabled": False}


def test_an_instance_name_takes_a_new_suffix_as_cloud_sql_keeps_deleted_names_for_a_week(plans):
    # https://cloud.google.com/sql/docs/postgres/delete-instance: the name of a deleted instance cannot be
    # reused for up to a week
    name = plans["dev"].inputs(INSTANCE, "database.orders")["name"]
    assert name.startswith("shop-dev-orders-") and len(name) == len("shop-dev-orders-") + 4
    assert plans["dev"].one("random:index/randomId:RandomId", "database.orders")


def test_only_the_services_that_use_a_database_read_its_password(plans):
    members = plans["prod"].all("gcp:secretmanager/secretIamMember:SecretIamMember")
    readers = {m["name"] for m in members if m["name"].startswith("database.orders.password.")}
    assert readers == {"database.orders.password.api"}
    orders = plans["prod"].services["api"]["databases"]["orders"]
    assert orders["passwordSecret"] == "projects/shop-123456/secrets/shop-prod-orders-database-password"
    assert (orders["port"], orders["database"], orders["user"], orders["tls"]) == (5432, "orders", "owner", True)
    assert orders["caCert"].startswith("-----BEGIN CERTIFICATE-----") and "password" not in orders


HEAD = "app: shop\nprovider: gcp\ngcp: {project: shop-123456, region: europe-west1}\n"



def test_cloud_sql_offers_the_postgresql_major_versions_it_lists(problems):
    # https://cloud.google.com/sql/docs/db-versions
    assert problems(HEAD + 'databases: {orders: {version: "9"}}\n') == [(
        "4: databases.orders.version: Cloud SQL for PostgreSQL offers major versions 10, 11, 12, 13, 14, 15, 16, 17 "
        "(https://cloud.google.com/sql/docs/db-versions)")]


def test_cloud_sql_tiers_disks_and_retained_backups(problems):
    # https://cloud.google.com/sql/docs/postgres/instance-settings: tiers db-custom-CPUS-MEMORY, db-f1-micro,
    # db-g1-small; SSD from 10 GB to 64 TB; https://cloud.google.com/sql/docs/postgres/backup-recovery/backups:
    # 1 to 365 retained backups
    found = problems(HEAD + "databases:\n  orders:\n    gcp: {tier: n1-standard-1, diskSizeGb: 9, backupRetentionDays: 366}\n")
    assert [line.split(": ", 2)[1] for line in found] == [
        "databases.orders.gcp.backupRetentionDays", "databases.orders.gcp.diskSizeGb", "databases.orders.gcp.tier"]


def test_a_missing_private_service_access_fails_with_the_two_commands_that_set_it_up(spec_file):
    # https://cloud.google.com/sql/docs/postgres/configure-private-services-access
    env = resolve(load_spec(spec_file(SPEC)), "prod")
    hint = clouds.cloud("gcp").failure_hint(
        env, "googleapi: Error 400: Invalid request: Incorrect Service Networking config for instance: "
             "shop-123456:shop-prod-orders-1a2b:SERVICE_NETWORKING_NOT_ENABLED.")
    assert ("`gcloud compute addresses create google-managed-services-default --global --purpose=VPC_PEERING "
            "--prefix-length=16 --network=default --project shop-123456`") in hint
    assert ("`gcloud services vpc-peerings connect --service=servicenetworking.googleapis.com "
            "--ranges=google-managed-services-default --network=default --project shop-123456`") in hint
