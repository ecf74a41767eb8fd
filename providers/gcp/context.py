"""What every GCP module reads: the environment with its project, region, labels and names."""

from dataclasses import dataclass
from functools import cached_property

from deployer.spec.load import ResolvedEnv
from providers.shared import base_labels


@dataclass(frozen=True)
class GcpEnv:
    env: ResolvedEnv

    @property
    def project(self) -> str:
        return self.env.spec.gcp.project

    @property
    def region(self) -> str:
        return self.env.spec.gcp.region

    @cached_property
    def labels(self) -> dict[str, str]:
        """`gcp.labels` of the spec, then app, env and managed-by (which the spec cannot change)."""
        return {**self.env.spec.gcp.labels, **base_labels(self.env)}

    def name(self, kind: str, name: str, suffix: str = "") -> str:
        return self.env.physical_name(kind, name, suffix)
