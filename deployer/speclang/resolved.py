"""One environment's spec, merged and defaulted: all a cloud's program reads (no loading of CUE or
YAML here, so a program and an ejected project need only the model)."""

from dataclasses import dataclass
from pathlib import Path

from deployer.speclang.environments import EnvInfo
from deployer.speclang.model import Infra
from deployer.speclang.naming import full_name


@dataclass(frozen=True)
class ResolvedEnv:
    """Immutable."""

    info: EnvInfo
    spec: Infra
    spec_file: Path

    @property
    def name(self) -> str:
        return self.info.name

    @property
    def type(self) -> str:
        return self.info.type

    @property
    def provider(self) -> str:
        return self.info.provider

    @property
    def app(self) -> str:
        return self.spec.app

    @property
    def stack(self) -> str:
        return f"{self.spec.app}-{self.info.name}"

    @property
    def protect(self) -> bool:
        """Production keeps its stateful resources: deletion protection and retention."""
        return self.info.type == "production"

    def full_name(self, name: str) -> str:
        return full_name(self.spec.app, self.info.name, name)
