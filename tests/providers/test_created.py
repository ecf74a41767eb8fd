"""What a cloud's program creates for each primitive is typed: the primitives a cloud declares are the
ones its program creates, and each `Created…` value gives what the outputs and the cloud's identities
read of it (its protocol: AWS's `arn`, GCP's `grants`)."""

import importlib
import inspect
import typing
from pathlib import Path

import pytest

from deployer import clouds
from deployer.primitives import sections

PROTOCOLS = {"aws": "AwsCreated", "gcp": "GcpCreated"}


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_a_cloud_declares_exactly_the_primitives_its_program_creates(name):
    program = importlib.import_module(f"deployer.providers.{name}.program")
    assert set(program.PRIMITIVES) == clouds.cloud(name).primitives
    assert clouds.cloud(name).primitives <= set(sections())


@pytest.mark.parametrize("name", sorted(PROTOCOLS))
def test_every_created_value_gives_its_outputs_and_what_identities_need(name):
    program = importlib.import_module(f"deployer.providers.{name}.program")
    protocol = getattr(importlib.import_module(f"deployer.providers.{name}.identity"), PROTOCOLS[name])
    for section, create in program.PRIMITIVES.items():
        created = typing.get_args(typing.get_type_hints(create)["return"])[1]
        assert issubclass(created, protocol), f"{section}: {created.__name__} lacks {protocol.__name__}'s methods"
    # every other `Created…` value too (a topic's subscriptions, the secrets)
    folder = Path(program.__file__).parent
    for module in (importlib.import_module(f"deployer.providers.{name}.{path.stem}") for path in folder.glob("*.py")):
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls_name.startswith("Created") and cls.__module__ == module.__name__:
                assert issubclass(cls, protocol), f"{module.__name__}.{cls_name} lacks {protocol.__name__}'s methods"
