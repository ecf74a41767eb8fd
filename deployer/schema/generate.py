"""Every schema format `deployer schema` prints, and the files kept in the repository that are generated
from the model (the JSON Schema, the documentation's spec reference)."""

import json
from pathlib import Path

from deployer.schema.cue_definitions import cue_definitions
from deployer.schema.json_schema import json_schema
from deployer.schema.reference import PAGE, page_with_reference, reference_markdown

JSON_SCHEMA_FILE = Path(__file__).with_name("infra.schema.json")
FORMATS = ("json-schema", "cue", "markdown")


def render(fmt: str, package: str | None = None) -> str:
    """The JSON Schema, the CUE definitions (with `package` as their package clause) or the reference."""
    if fmt == "json-schema":
        return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "cue":
        return cue_definitions(package)
    return reference_markdown()


def generated_files() -> dict[Path, str]:
    """Each file kept in the repository that is generated from the model, with its up-to-date text."""
    return {JSON_SCHEMA_FILE: render("json-schema"), PAGE: page_with_reference(PAGE.read_text())}
