"""One name, one resource: the physical names and URNs a cloud gives an environment's resources
(`Cloud.resource_names`) must each be unique, and each physical name one the cloud accepts. Within an
environment (one stack) and across the environments of a spec on one cloud (one account or project)."""

from collections.abc import Callable, Iterable, Iterator

from deployer.clouds import Cloud
from deployer.errors import Finding, SpecPath, quoted
from deployer.speclang.model import Infra
from deployer.speclang.naming import ResourceName


def name_findings(cloud: Cloud, spec: Infra, env_name: str) -> Iterator[Finding]:
    """The names the cloud would refuse, and every name or URN two resources of ENV_NAME would share
    (located at the later one, naming the other)."""
    physical: dict[tuple[str, str, str], ResourceName] = {}
    urns: dict[str, ResourceName] = {}
    for named in cloud.resource_names(spec, env_name):
        if named.problem:
            yield named.at, f"its {named.what} name {quoted(named.physical)} is refused: {named.problem}"
        first = physical.setdefault((named.kind, named.scope, named.physical), named)
        if first is not named:
            yield named.at, (f"its {named.what} {quoted(named.physical)} is also the {first.what} of "
                             f"{_dotted(first.at)}: rename one of them")
        first = urns.setdefault(named.urn, named)
        if first is not named and first.physical != named.physical:
            yield named.at, (f"its {named.what} is the Pulumi resource {named.urn}, as is the {first.what} of "
                             f"{_dotted(first.at)} (one URN, one resource in a stack): rename one of them")


def across_environments(envs: Iterable[tuple[str, Cloud, Infra]],
                        written: Callable[[str, SpecPath], SpecPath]) -> Iterator[tuple[str, Finding]]:
    """Physical names that two environments (name, cloud, spec) on one cloud would both give, e.g.
    `dev` with bucket `eu-uploads` and `dev-eu` with bucket `uploads`: (environment, finding),
    located in the later environment; `written(env, path)` is where ENV's value at PATH is written."""
    seen: dict[tuple[str, str, str, str], tuple[str, ResourceName]] = {}
    for env_name, cloud, spec in envs:
        for named in cloud.resource_names(spec, env_name):
            other_env, first = seen.setdefault((cloud.name, named.kind, named.scope, named.physical),
                                               (env_name, named))
            if other_env != env_name:
                yield env_name, (named.at, (
                    f"its {named.what} {quoted(named.physical)} in environment {quoted(env_name)} is also the "
                    f"{first.what} of {_dotted(written(other_env, first.at))} in environment {quoted(other_env)}: rename one of them"
                    + (" (pin a bucket's name per environment, in its overrides)" if named.at[-1] == "name" else "")))


def _dotted(path: tuple) -> str:
    return ".".join(map(str, path))
