"""`deployer eject`: the written project runs without deployer and creates what `plan` shows."""

import json
from pathlib import Path

from support.ejected import cloud_mocks_file, run_ejected

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SECRETS = {"StripeAPIKey": "sk_live_abc123", "SendGridToken": "SG.xyz789", "CRMToken": "crm-token-42"}

def without_secrets(inputs: dict, plan_inputs: dict) -> dict:
    """The ejected run's inputs, with the values `plan` masks replaced by the mask."""
    return {k: "[secret]" if plan_inputs.get(k) == "[secret]" else v for k, v in inputs.items()}


def test_the_ejected_project_creates_what_plan_shows(deployer, tmp_path, example_env, example_plan):
    # AWS only: importing pulumi_gcp alone takes seconds; both providers share the ejection code
    spec, env_name = EXAMPLES / "shop-yaml/infra.yaml", "prod"
    out = tmp_path / "ejected"
    result = deployer("--spec", str(spec), "eject", "--env", env_name, "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert {p.name for p in out.iterdir()} >= {"Pulumi.yaml", "__main__.py", "requirements.txt", "environment.json"}

    env, plan = example_env("shop-yaml", env_name), example_plan("shop-yaml", env_name)  # secrets masked either way
    ejected = run_ejected(out, env.app, env.stack, cloud_mocks_file(env.provider), SECRETS)

    assert all(Path(f).is_relative_to(out) for f in ejected["loaded"]), "deployer was imported from outside"
    planned = {(r["type"], r["name"]): r["inputs"] for r in plan["resources"]}
    created = {(r["type"], r["name"]): r["inputs"] for r in ejected["resources"]}
    assert created.keys() == planned.keys()
    for key, inputs in planned.items():
        assert json.loads(json.dumps(without_secrets(created[key], inputs))) == inputs, key


def test_secret_values_are_never_written(deployer, tmp_path):
    out = tmp_path / "ejected"
    assert deployer("--spec", str(EXAMPLES / "shop-yaml"), "eject", "--env", "prod", "--out", str(out)).exit_code == 0
    written = "".join(p.read_text() for p in out.rglob("*") if p.is_file())
    assert "secrets:StripeAPIKey" in (out / "README.md").read_text()
    assert not any(value in written for value in SECRETS.values())


def test_refuses_a_folder_in_use_and_a_local_environment(deployer, tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    busy = deployer("--spec", str(EXAMPLES / "shop-yaml"), "eject", "--env", "prod", "--out", str(tmp_path))
    assert busy.exit_code == 2 and "is not empty" in busy.stderr
    local = deployer("--spec", str(EXAMPLES / "shop-yaml"), "eject", "--env", "local", "--out", str(tmp_path / "x"))
    assert local.exit_code == 2 and "never deployed to a cloud" in local.stderr
