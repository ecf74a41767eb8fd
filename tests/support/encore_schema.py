"""Encore's own definitions of infra.config.json (infra_config.schema.json in tests/encore, derived
field by field from encoredev/encore's Go and Rust decoders: see tests/encore/test_encore_config.py)."""

import json
from pathlib import Path

import jsonschema

SCHEMA = Path(__file__).resolve().parents[1] / "encore" / "infra_config.schema.json"
ENCORE = jsonschema.Draft202012Validator(json.loads(SCHEMA.read_text()),
                                         format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)


def encore_errors(config: dict) -> list[str]:
    return sorted(f"{'.'.join(map(str, error.absolute_path))}: {error.message}"
                  for error in ENCORE.iter_errors(config))
