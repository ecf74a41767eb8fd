"""Cloud providers: each turns a resolved environment into Pulumi resources.

A provider package (`providers.aws`, `providers.gcp`) exposes `PROVIDER`, a `ProviderProgram`.
The core reaches providers only through `provider_program`, so it never imports a cloud SDK itself.
"""

import importlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pulumi

from deployer.spec.load import ResolvedEnv

# The program: creates every resource of the environment and exports its outputs.
# `secrets` maps each secret some service uses to its value (a Pulumi secret).
Program = Callable[[ResolvedEnv, Mapping[str, pulumi.Input[str]]], None]


@dataclass(frozen=True)
class ProviderProgram:
    program: Program
    # Mock runtime answers in the provider's own formats (ARNs, self links, URLs), used by `plan`.
    mock_state: Callable[[str, str, dict], tuple[str, dict]]
    mock_call: Callable[[str, dict], dict]


def provider_program(provider: str) -> ProviderProgram:
    return importlib.import_module(f"providers.{provider}").PROVIDER


def replacement_inputs(provider: str) -> Mapping[str, frozenset[str]]:
    """Per Pulumi type, the inputs whose change makes the cloud replace the resource (`diff`)."""
    return importlib.import_module(f"providers.{provider}.replacements").REPLACED_ON
