"""What every AWS module needs: the environment, the explicit provider, names, tags and options."""

import json
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pulumi
import pulumi_aws as aws

from deployer.providers.aws.naming import MAX_TAG_VALUE, NAME_LIMITS, TAGGING_SESSIONS
from deployer.providers.shared import base_labels, stateful_options
from deployer.speclang.naming import physical_name
from deployer.speclang.resolved import ResolvedEnv

if TYPE_CHECKING:
    from deployer.providers.aws.network import Network


@dataclass(frozen=True)
class Context:
    env: ResolvedEnv
    provider: aws.Provider

    @classmethod
    def create(cls, env: ResolvedEnv) -> "Context":
        # An explicit provider: the program carries its region, so it runs the same without stack config.
        return cls(env, aws.Provider("aws", region=env.spec.aws.region))

    def name(self, kind: str, name: str, suffix: str = "") -> str:
        return physical_name(self.env.app, self.env.name, name, NAME_LIMITS[kind], suffix)

    @cached_property
    def account(self) -> pulumi.Output[str]:
        """The id of the account the program deploys to (the caller's)."""
        return aws.get_caller_identity_output(opts=self.invoke()).account_id

    @cached_property
    def network(self) -> "Network":
        """Where the environment's caches and databases are placed (looked up once)."""
        from deployer.providers.aws.network import app_network

        return app_network(self)

    def labels(self, name: str) -> dict[str, str]:
        """The tags of resource NAME: `aws.tags`, then app, env, managed-by, and `deployer-name`: its
        full name (shortened with a hash past a tag value's limit, still unique)."""
        own_name = physical_name(self.env.app, self.env.name, name, MAX_TAG_VALUE)
        return {**self.env.spec.aws.tags, **base_labels(self.env), "deployer-name": own_name}

    def opts(self, **options: Any) -> pulumi.ResourceOptions:
        return pulumi.ResourceOptions(provider=self.provider, **options)

    def part(self, **options: Any) -> pulumi.ResourceOptions:
        """A part a stateful resource needs (its network, policy, configuration): retained on destroy
        where the resource is, so that `destroy --force-protected` leaves it as it was."""
        return self.opts(retain_on_delete=self.env.protect, **options)

    def stateful(self) -> pulumi.ResourceOptions:
        return stateful_options(self.env, provider=self.provider)

    def invoke(self) -> pulumi.InvokeOptions:
        return pulumi.InvokeOptions(provider=self.provider)


def policy_document(*statements: dict) -> pulumi.Output[str]:
    """An IAM policy document from statements whose values may be Outputs (ARNs), resolved together
    in one step (one Output.all: Output.from_input on the nested statements makes an Output per
    value and plans markedly slower); a list of resources keeps one of each."""
    pending: list[pulumi.Output] = []

    def collect(value: Any) -> None:
        if isinstance(value, pulumi.Output):
            pending.append(value)
        elif isinstance(value, dict):
            for item in value.values():
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    def render(resolved: list) -> str:
        values = iter(resolved)

        def fill(value: Any) -> Any:
            if isinstance(value, pulumi.Output):
                return next(values)
            if isinstance(value, dict):
                return {key: fill(item) for key, item in value.items()}
            if isinstance(value, list):
                items = [fill(item) for item in value]
                return list(dict.fromkeys(items)) if all(isinstance(i, str) for i in items) else items
            return value

        return json.dumps({"Version": "2012-10-17", "Statement": fill(list(statements))})

    collect(list(statements))
    return pulumi.Output.all(*pending).apply(render)


def service_principal_trust(*services: str) -> str:
    """A trust policy letting SERVICES assume the role; those that tag the session may tag it."""
    assuming = sorted(s for s in services if s.removesuffix(".cn") not in TAGGING_SESSIONS)
    tagging = sorted(s for s in services if s.removesuffix(".cn") in TAGGING_SESSIONS)
    statements = [{"Effect": "Allow", "Principal": {"Service": assuming}, "Action": "sts:AssumeRole"}] if assuming else []
    if tagging:
        statements.append({"Effect": "Allow", "Principal": {"Service": tagging},
                           "Action": ["sts:AssumeRole", "sts:TagSession"]})
    return json.dumps({"Version": "2012-10-17", "Statement": statements})
