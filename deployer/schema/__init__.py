"""The spec's schemas and reference, generated from its pydantic model (deployer/speclang/model.py)."""
