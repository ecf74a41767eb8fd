"""The COMMAND's environment under `deployer dev`: the outputs file, the cloud SDKs' variables, and
each secret the environment resolves, under its own name (as the Encore config's `{"$env": NAME}`)."""

import os
from collections.abc import Mapping
from pathlib import Path

from deployer.children import without_keys


def command_environment(outputs_file: Path, sdk: Mapping[str, str], secrets: Mapping[str, str],
                        env_name: str) -> dict[str, str]:
    return {**without_keys(os.environ), **secrets, **sdk, "DEPLOYER_OUTPUTS": str(outputs_file), "DEPLOYER_ENV": env_name}
