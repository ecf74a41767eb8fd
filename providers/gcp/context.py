"""What every GCP module reads: the environment with its project, region, labels and names."""

import re
from dataclasses import dataclass

from deployer.providers.gcp.naming import gcp_name
from deployer.providers.shared import base_labels

from deployer.speclang.resolved import ResolvedEnv

LABEL_VALUE = re.compile(r"[a-z0-9_-]{1,63}")


@dataclass(frozen=True)
class GcpEnv:
    env: ResolvedEnv

    @property
    def project(self) -> str:
        return self.env.spec.gcp.project

    @property
    def region(self) -> str:
        return self.env.spec.gcp.region

    def labels(self, name: str) -> dict[str, str]:
        """`gcp.labels`, then app, env and managed-by (which the spec cannot change), and `deployer-name`:
        the resource's name in the spec, which with app and env gives its full name where a limit
        shortened the physical one (when it is a valid label value)."""
        labels = {**self.env.spec.gcp.labels, **base_labels(self.env)}
        if LABEL_VALUE.fullmatch(name):
            labels["deployer-name"] = name
        return labels

    def name(self, kind: str, name: str, suffix: str = "") -> str:
        return gcp_name(kind, self.env.app, self.env.name, name, suffix)
