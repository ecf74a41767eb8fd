"""What every GCP module needs: the environment with its project, region, names, labels and options,
and the invoker account."""

import re
from dataclasses import dataclass
from functools import cached_property

import pulumi
import pulumi_gcp as gcp

from deployer.providers.gcp.naming import INVOKER, INVOKER_LOGICAL_NAME, gcp_name
from deployer.providers.shared import base_labels, stateful_options
from deployer.speclang.resolved import ResolvedEnv

LABEL_VALUE = re.compile(r"[a-z0-9_-]{1,63}")
# https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts#ServiceAccount.FIELDS.display_name
DISPLAY_NAME_BYTES = 100


@dataclass(frozen=True)
class Context:
    env: ResolvedEnv

    @classmethod
    def create(cls, env: ResolvedEnv) -> "Context":
        return cls(env)

    @property
    def project(self) -> str:
        return self.env.spec.gcp.project

    @property
    def region(self) -> str:
        return self.env.spec.gcp.region

    def name(self, kind: str, name: str, suffix: str = "") -> str:
        return gcp_name(kind, self.env.app, self.env.name, name, suffix)

    def labels(self, name: str) -> dict[str, str]:
        """`gcp.labels`, then app, env and managed-by (which the spec cannot change), and `deployer-name`:
        the resource's name in the spec, which with app and env gives its full name where a limit
        shortened the physical one (when it is a valid label value)."""
        labels = {**self.env.spec.gcp.labels, **base_labels(self.env)}
        if LABEL_VALUE.fullmatch(name):
            labels["deployer-name"] = name
        return labels

    def stateful(self) -> pulumi.ResourceOptions:
        return stateful_options(self.env)

    def service_account(self, logical_name: str, name: str, purpose: str) -> gcp.serviceaccount.Account:
        return gcp.serviceaccount.Account(
            logical_name,
            account_id=self.name("service-account", name),
            display_name=display_name(f"{self.env.app} {self.env.name}: {purpose}"),
            project=self.project,
        )

    @cached_property
    def invoker(self) -> gcp.serviceaccount.Account:
        """The identity whose OIDC token authenticates push deliveries and cron calls to the services;
        made when first asked for, so only an environment that pushes or calls has one."""
        return self.service_account(INVOKER_LOGICAL_NAME, INVOKER, "Pub/Sub push and Cloud Scheduler calls")


def display_name(text: str) -> str:
    """TEXT within the 100 bytes IAM allows a display name (cut at a whole character, ending in `…`):
    it only describes the account, whose id is what grants and tokens name."""
    if len(text.encode()) <= DISPLAY_NAME_BYTES:
        return text
    ellipsis = "…"
    kept = text.encode()[:DISPLAY_NAME_BYTES - len(ellipsis.encode())].decode(errors="ignore")
    return kept + ellipsis
