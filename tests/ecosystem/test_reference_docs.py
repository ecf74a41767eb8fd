"""The documentation's spec reference is generated from the model, and a test fails when it is stale."""

import subprocess
import sys

from pydantic import BaseModel
from support.ecosystem import ROOT

from deployer.schema.reference import BEGIN, END, PAGE, page_with_reference, reference_markdown
from deployer.speclang.model import Infra


def model_types(model: type[BaseModel] = Infra, found: dict | None = None) -> dict[str, type[BaseModel]]:
    """Every model class the spec is made of, found through the field annotations themselves."""
    found = {} if found is None else found
    found[model.__name__] = model
    for field in model.model_fields.values():
        for inner in _classes(field.annotation):
            if inner.__name__ not in found:
                model_types(inner, found)
    return found


def _classes(annotation) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [c for arg in getattr(annotation, "__args__", ()) for c in _classes(arg)]


def test_the_reference_page_is_up_to_date():
    text = PAGE.read_text()
    assert page_with_reference(text) == text, "docs/reference.md is stale: run `python -m deployer.schema`"


def test_the_check_command_reports_no_stale_file():
    result = subprocess.run([sys.executable, "-m", "deployer.schema", "--check"], cwd=ROOT, check=False,
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr) == (0, "")


def test_every_field_of_every_type_is_in_the_reference_with_its_default():
    reference = reference_markdown()
    for name, model in model_types().items():
        section = reference.split(f"\n### {name}\n", 1)[1].split("\n### ", 1)[0]
        for field in model.model_fields.values():
            row = next((line for line in section.splitlines() if line.startswith(f"| `{field.alias}` |")), None)
            assert row, f"{name}.{field.alias} is missing from the reference"
            if field.is_required():
                assert "**required**" in row
            elif isinstance(field.default, (str, int)) and not isinstance(field.default, bool):
                assert f"`{field.default}`" in row, row


def test_the_reference_gives_the_defaults_of_each_environment_type():
    reference = reference_markdown()
    assert "| `production` | `prod` | yes | yes | yes |" in reference
    # local: not protected, its cron jobs run under `deployer dev`, never deployed
    assert "| `local` |  | no | yes | no |" in reference
    caches = reference.split("#### Sizing of a cache by environment type")[1].split("####")[0]
    assert ('| `production` | `nodeType: "cache.r7g.large"`, `replicas: 1`, `snapshotRetentionDays: 7` '
            '| `memorySizeGb: 5`, `tier: "STANDARD_HA"` |') in caches
    databases = reference.split("#### Sizing of a database by environment type")[1]
    assert '| `production` | `instanceClass: "db.m7g.large"`, `storageGb: 100`, `multiAz: true`' in databases


def test_a_stale_reference_is_replaced_and_the_rest_of_the_page_kept():
    stale = f"# app\n\nintro\n\n## Fields\n\nhand-written\n\n{BEGIN}\nold table\n{END}\n\n## After\ntext\n"
    fresh = page_with_reference(stale)
    assert fresh == stale.replace("old table\n", reference_markdown())
    assert page_with_reference(fresh) == fresh


def test_a_page_without_the_block_gets_it_under_its_fields_heading():
    fresh = page_with_reference("# app\n\n## Fields\n\n## After\n")
    assert fresh.startswith(f"# app\n\n## Fields\n\n{BEGIN}\n")
    assert fresh.endswith(f"{END}\n\n## After\n")


def test_deployer_schema_prints_the_same_reference(deployer):
    run = deployer("schema", "--format", "markdown")
    assert (run.exit_code, run.stdout) == (0, reference_markdown())
