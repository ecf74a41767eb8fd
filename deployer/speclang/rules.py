"""The rules of SPEC.md that a type cannot say: references, cron, each primitive's own rules; and the
rules of the environment's cloud (what it cannot honour), which the cloud itself knows."""

from collections.abc import Iterable

from deployer.clouds import Cloud, registered
from deployer.errors import Finding, quoted
from deployer.primitive import Refused
from deployer.primitives import PRIMITIVES
from deployer.speclang import cronexpr
from deployer.speclang.environments import PREVIEW_ENV, PREVIEW_TYPE, EnvInfo
from deployer.speclang.model import FILE_STORE, Infra
from deployer.speclang.references import not_allowed, unknown

STATE_BACKENDS = ("file://", "s3://", "gs://", "azblob://", "https://")  # https: Pulumi Cloud
MAX_PORT = 65535


def check_base(spec: Infra) -> list[Finding]:
    """The rules for the spec as written, before any environment applies."""
    findings = []
    if spec.environments == {}:
        findings.append((("environments",),
                         "declares no environment: declare one, or leave the block out for prod, dev and local"))
    for name, environment in (spec.environments or {}).items():
        if PREVIEW_ENV.fullmatch(name) and environment.type != PREVIEW_TYPE:
            findings.append((("environments", name, "type"),
                             (f"pr-<number> is always a preview (a pull request's environment never gets "
                              f"{environment.type} values): declare it with type: preview, or rename it")))
    if spec.state is not None and not spec.state.startswith(STATE_BACKENDS):
        backends = ", ".join(b + "…" for b in STATE_BACKENDS)
        findings.append((("state",), f"{quoted(spec.state)} is not a Pulumi backend URL: use one of {backends}"))
    return findings


def check(spec: Infra, env: EnvInfo, refused: Refused = ()) -> list[Finding]:
    """Every rule for the spec as environment `env` deploys it: SPEC.md's, each primitive's, then its
    cloud's. `refused`: the entries (section, name) holding a value the model refused, which `spec`
    lacks or has with a default there: what a reference to one would check is not checked."""
    clouds = registered()
    target = clouds.get(env.provider)
    findings = [*_cloud_settings(spec, env.provider, clouds),
                *(finding for primitive in PRIMITIVES for finding in primitive.rules(spec, refused)),
                *_cron(spec, refused), *_services(spec, refused), *_deployments(spec, refused)]
    if target is not None:
        findings += _implemented(spec, target)
        findings += target.rules(spec, env)
    return findings


def _cloud_settings(spec: Infra, provider: str, clouds: dict[str, Cloud]) -> Iterable[Finding]:
    """A known cloud, with the settings it needs; a known secret store, with the settings it needs."""
    target = clouds.get(provider)
    if target is None:
        yield ("provider",), not_allowed(provider, clouds)
    else:
        settings = getattr(spec, target.name, None)
        for field, example in target.required_settings.items():
            if not getattr(settings, field, None):
                yield (target.name, field), f"required: an environment targets {target.name} (e.g. {field}: {example})"
    if spec.secret_store == FILE_STORE or spec.secret_store == provider:
        return
    store = clouds.get(spec.secret_store)
    if store is None or not store.store_settings:
        if store is None:
            yield ("secretStore",), not_allowed(spec.secret_store, [FILE_STORE, *clouds])
        return
    settings = getattr(spec, store.name, None)
    for field, example in store.store_settings.items():
        if not getattr(settings, field, None):
            yield ("secretStore",), (f"secrets kept in {store.title} need {store.name}.{field} "
                                     f"(e.g. {store.name}: {{{field}: {example}}})")


def local_ports(spec: Infra, env: EnvInfo, base: Infra | None) -> list[Finding]:
    """ENV's local servers of each primitive (SPEC: as ENV resolves) take ports from the basePort its
    declaration in BASE gives, plus the primitive's offset: the last one must be a port."""
    declared = (base.environments or {}).get(env.name) if base else None
    if not declared or not declared.base_port:
        return []
    findings = []
    for primitive in PRIMITIVES:
        entries = len(getattr(spec, primitive.section)) if primitive.local else 0
        count = entries if primitive.local_each else min(entries, 1)
        first = declared.base_port + primitive.local_port
        if (last := first + count - 1) > MAX_PORT:
            findings.append((("environments", env.name, "basePort"), (
                f"the local servers of {entries} {primitive.section} take ports {first}-{last} from basePort "
                f"{declared.base_port} (the {primitive.section}' from basePort + {primitive.local_port}), past "
                f"{MAX_PORT}: lower basePort to at most {MAX_PORT - primitive.local_port - count + 1}")))
    return findings


def _implemented(spec: Infra, target: Cloud) -> Iterable[Finding]:
    """A section the environment's cloud has no resources for."""
    for primitive in PRIMITIVES:
        if getattr(spec, primitive.section) and primitive.section not in target.primitives:
            yield (primitive.section,), (f"{target.title} has no {primitive.section} in deployer (it implements "
                                         f"{', '.join(sorted(target.primitives)) or 'none'}): use another "
                                         "provider for this environment, or leave them out of it in its overrides")


def _cron(spec: Infra, refused: Refused) -> Iterable[Finding]:
    for job_id, job in spec.cron.items():
        at = ("cron", job_id)
        if (job.every is None) == (job.schedule is None):
            yield at, "give exactly one of every or schedule"
        if job.every is not None and (problem := cronexpr.every_problem(job.every)):
            yield (*at, "every"), problem
        if job.schedule is not None and (problem := cronexpr.schedule_problem(job.schedule)):
            yield (*at, "schedule"), problem
        endpoint = job.endpoint
        if isinstance(endpoint, str) or ("services", endpoint.service) in refused:
            continue
        if endpoint.service not in spec.services:
            yield (*at, "endpoint", "service"), unknown("service", endpoint.service, spec.services)
        elif not spec.services[endpoint.service].url:
            yield (*at, "endpoint", "service"), f"service {quoted(endpoint.service)} has no url to call"


def _services(spec: Infra, refused: Refused) -> Iterable[Finding]:
    for name, service in spec.services.items():
        at = ("services", name, "uses")
        for primitive in PRIMITIVES:
            declared = getattr(spec, primitive.section)
            used = getattr(service.uses, primitive.section)
            for index, (entry, permissions) in enumerate(used.items() if isinstance(used, dict) else
                                                         ((entry, None) for entry in used)):
                where = (*at, primitive.section, entry if isinstance(used, dict) else index)
                if (primitive.section, entry) in refused:
                    continue
                if entry not in declared:
                    yield where, unknown(primitive.kind, entry, declared)
                elif problem := primitive.use_problem(entry, declared[entry], permissions):
                    yield where, problem
        for index, secret in enumerate(service.uses.secrets):
            if secret not in spec.secrets and ("secrets", secret) not in refused:
                yield (*at, "secrets", index), unknown("secret", secret, spec.secrets)


def _deployments(spec: Infra, refused: Refused) -> Iterable[Finding]:
    """Known services, each in one deployment at most (one process, one identity)."""
    deployed: dict[str, str] = {}
    for name, deployment in spec.deployments.items():
        for index, service in enumerate(deployment.services):
            at = ("deployments", name, "services", index)
            if service not in spec.services:
                if ("services", service) not in refused:
                    yield at, unknown("service", service, spec.services)
            elif deployed.setdefault(service, name) != name:
                yield at, (f"service {quoted(service)} is already in deployment {quoted(deployed[service])}: a "
                           "service runs in one deployment (one container, one identity)")
            elif deployment.services.index(service) != index:
                yield at, f"service {quoted(service)} is listed twice"
