"""One name, one resource: the physical names and URNs a cloud gives an environment's resources
(`Cloud.resource_names`) must each be unique, and each physical name one the cloud accepts. Within an
environment (one stack) and across the environments of a spec on one cloud (one account or project)."""

from collections.abc import Callable, Iterable, Iterator

from deployer.clouds import registered
from deployer.errors import Finding, SpecPath, dotted, quoted
from deployer.speclang.environments import EnvInfo
from deployer.speclang.model import Infra
from deployer.speclang.naming import ResourceName

# How to give each environment its own value, by the field that is shared
PER_ENVIRONMENT = {"name": " (pin a bucket's name per environment, in its overrides)",
                   "domain": " (give each environment its own domain, in its overrides)"}


def environment_names(spec: Infra, env: EnvInfo) -> list[ResourceName]:
    """The names ENV's cloud gives its resources (none where the cloud is unknown: the rules say so)."""
    cloud = registered().get(env.provider)
    return list(cloud.resource_names(spec, env.name)) if cloud is not None else []


def name_findings(names: Iterable[ResourceName]) -> Iterator[Finding]:
    """The names the cloud would refuse, and every name or URN two resources of one environment would
    share (located at the later one, naming the other)."""
    physical: dict[tuple[str, str, str], ResourceName] = {}
    urns: dict[str, ResourceName] = {}
    for named in names:
        if named.problem:
            yield named.at, f"its {named.what} name {quoted(named.physical)} is refused: {named.problem}"
        first = physical.setdefault((named.kind, named.scope, named.physical), named) if named.physical else named
        if first is not named:
            yield named.at, (f"its {named.what} {quoted(named.physical)} is also the {first.what} of "
                             f"{dotted(first.at)}: rename one of them")
        first = urns.setdefault(named.urn, named) if named.urn else named
        if first is not named and (not named.physical or first.physical != named.physical):
            yield named.at, (f"its {named.what} is the Pulumi resource {named.urn}, as is the {first.what} of "
                             f"{dotted(first.at)} (one URN, one resource in a stack): rename one of them")


def across_environments(envs: Iterable[tuple[str, str, list[ResourceName]]],
                        written: Callable[[str, SpecPath], SpecPath]) -> Iterator[tuple[str, Finding]]:
    """Physical names that two environments (name, cloud name, its names) on one cloud would both give, e.g.
    `dev` with bucket `eu-uploads` and `dev-eu` with bucket `uploads`: (environment, finding),
    located in the later environment; `written(env, path)` is where ENV's value at PATH is written."""
    seen: dict[tuple[str, str, str, str], tuple[str, ResourceName]] = {}
    for env_name, cloud, names in envs:
        for named in filter(lambda named: named.physical, names):
            other_env, first = seen.setdefault((cloud, named.kind, named.scope, named.physical),
                                               (env_name, named))
            if other_env != env_name:
                yield env_name, (named.at, (
                    f"its {named.what} {quoted(named.physical)} in environment {quoted(env_name)} is also the "
                    f"{first.what} of {dotted(written(other_env, first.at))} in environment {quoted(other_env)}: rename one of them"
                    + PER_ENVIRONMENT.get(named.at[-1], "")))
