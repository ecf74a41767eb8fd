"""Databases under `deployer dev`: one local PostgreSQL holding every database, which a real psycopg
client writes to and reads back after a restart, whatever the environment's cloud."""

import sys

import pytest
from support.local_dev import leftovers, read_json, run_deployer, write_client

SPEC = """
app: shop
provider: PROVIDER
aws: {region: eu-west-1}
gcp: {project: shop-123456, region: europe-west1}
databases: {orders: {}, user-accounts: {}}
services:
  api: {uses: {databases: [orders, user-accounts]}}
environments:
  local: {type: local, basePort: BASE_PORT}
"""

WRITE = """
import json, os, sys
import psycopg
db = json.load(open(os.environ["DEPLOYER_OUTPUTS"]))["services"]["api"]["databases"]["orders"]
with psycopg.connect(host=db["host"], port=db["port"], dbname=db["database"], user=db["user"],
                     password=db["password"]) as connection:
    connection.execute("CREATE TABLE IF NOT EXISTS orders (id int PRIMARY KEY, item text)")
    connection.execute("INSERT INTO orders VALUES (1, 'tea')")
json.dump(db, open(sys.argv[1], "w"))
"""

READ = """
import json, os, sys
import psycopg
databases = json.load(open(os.environ["DEPLOYER_OUTPUTS"]))["services"]["api"]["databases"]
rows = {}
for name, db in databases.items():
    with psycopg.connect(host=db["host"], port=db["port"], dbname=db["database"], user=db["user"],
                         password=db["password"]) as connection:
        rows[name] = connection.execute(
            "SELECT item FROM orders" if name == "orders" else "SELECT current_database()").fetchall()
json.dump(rows, open(sys.argv[1], "w"))
"""


@pytest.mark.slow
@pytest.mark.parametrize("provider", ["aws", "gcp"])
def test_a_row_written_to_a_local_database_is_read_back_after_a_restart(tmp_path, base_port, provider):
    spec = tmp_path / "infra.yaml"
    spec.write_text(SPEC.replace("PROVIDER", provider).replace("BASE_PORT", str(base_port)))
    write = write_client(tmp_path, "write.py", WRITE)
    first = run_deployer(spec, "dev", "--", sys.executable, str(write), str(tmp_path / "first.json"), timeout=120)
    assert first.returncode == 0, first.stderr
    orders = read_json(tmp_path / "first.json")
    assert (orders["host"], orders["port"], orders["database"], orders["user"]) == (
        "127.0.0.1", base_port + 9, "orders", "orders")
    assert leftovers(base_port) == []

    read = write_client(tmp_path, "read.py", READ)
    second = run_deployer(spec, "dev", "--", sys.executable, str(read), str(tmp_path / "second.json"), timeout=120)
    assert second.returncode == 0, second.stderr
    assert read_json(tmp_path / "second.json") == {"orders": [["tea"]], "user-accounts": [["user_accounts"]]}
    assert leftovers(base_port) == []
