"""The COMMAND's environment under `deployer dev`: the outputs file, the cloud SDKs' variables, and
each secret the environment resolves, under its own name (as the Encore config's `{"$env": NAME}`)."""

import os
from collections.abc import Mapping
from pathlib import Path

from deployer.children import without_keys
from deployer.errors import DeployerError


def command_environment(outputs_file: Path, sdk: Mapping[str, str], secrets: Mapping[str, str],
                        env_name: str) -> dict[str, str]:
    own = {**sdk, "DEPLOYER_OUTPUTS": str(outputs_file), "DEPLOYER_ENV": env_name}
    if clashes := sorted(set(secrets) & set(own)):  # the COMMAND would get deployer's value, not the secret's
        raise DeployerError("\n".join(f"secret {name}: `deployer dev` sets {name} for the COMMAND itself "
                                      "(rename the secret)" for name in clashes))
    return {**without_keys(os.environ), **secrets, **own}
