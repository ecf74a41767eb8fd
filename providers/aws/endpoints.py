"""The URLs AWS calls (SNS HTTPS pushes, EventBridge API destinations) and what AWS requires of them."""

import re
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from deployer.errors import Finding, SpecPath, quoted
from deployer.primitives.topics import subscriptions
from deployer.speclang.fields import private_host
from deployer.speclang.model import Infra

SNS_HTTPS_DOC = "https://docs.aws.amazon.com/sns/latest/dg/sns-http-https-endpoint-as-subscriber.html"
API_DESTINATION_DOC = "https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_CreateApiDestination.html"
# CreateApiDestination's InvocationEndpoint: at most 2,048 of these characters (no `[ ] { } #`, no space).
INVOCATION_ENDPOINT = re.compile(r"((%[0-9A-Fa-f]{2}|[-()_.!~*';/?:@&=+$,A-Za-z0-9])+)([).!';/?:,])?")
ENDPOINT_CHARACTER = re.compile(r"[-()_.!~*';/?:@&=+$,A-Za-z0-9%]")
MAX_INVOCATION_ENDPOINT = 2048


class Call(NamedTuple):
    """A URL AWS calls: by whom, where the spec writes its host (the service's url, or the job's
    endpoint), and the cron job whose API destination it is."""

    caller: str  # e.g. `push subscription signups.welcome (SNS)`
    url: str
    at: SpecPath
    job: str | None = None


def calls(spec: Infra) -> Iterator[Call]:
    """Every URL AWS calls in SPEC: each push subscription's and each cron job's."""
    for at, sub in subscriptions(spec):
        if sub.endpoint and (url := _service_url(spec, sub.service)):
            yield Call(f"push subscription {at[1]}.{at[3]} (SNS)", url + sub.endpoint, ("services", sub.service, "url"))
    for job_id, job in spec.cron.items():
        caller = f"cron job {job_id} (EventBridge)"
        if isinstance(job.endpoint, str):
            yield Call(caller, job.endpoint, ("cron", job_id, "endpoint"), job_id)
        elif url := _service_url(spec, job.endpoint.service):
            yield Call(caller, url + job.endpoint.path, ("services", job.endpoint.service, "url"), job_id)


def _service_url(spec: Infra, service: str) -> str | None:
    declared = spec.services.get(service)
    return declared.url.rstrip("/") if declared and declared.url else None


def endpoint_rules(spec: Infra) -> Iterable[Finding]:
    """In a deployed environment: HTTPS only, public hosts only, and API destinations' characters."""
    plain: dict[SpecPath, list[str]] = {}
    private: dict[SpecPath, str] = {}
    for call in calls(spec):
        if not call.url.startswith("https://"):
            plain.setdefault(call.at, []).append(call.caller)
        elif (host := private_host(call.url)) is not None:
            private[call.at] = host
        elif call.job and (problem := _invocation_endpoint_problem(call.url)):
            yield ("cron", call.job, "endpoint"), f"{problem} ({API_DESTINATION_DOC})"
    for at, callers in plain.items():
        yield at, (f"AWS calls {', '.join(callers)} over HTTPS only: give an https:// url (http:// is for local "
                   "environments)")
    for at, host in private.items():
        yield at, (f"SNS pushes and EventBridge API destinations call from the public internet, which cannot reach "
                   f"{quoted(host)} (a private or loopback address): an SNS subscription is never confirmed and "
                   "every call ends in the dead-letter queue; give a public URL, or use a pull subscription "
                   f"({SNS_HTTPS_DOC}, {API_DESTINATION_DOC})")


def _invocation_endpoint_problem(url: str) -> str | None:
    if len(url) > MAX_INVOCATION_ENDPOINT:
        return f"EventBridge API destination endpoints are at most {MAX_INVOCATION_ENDPOINT:,} characters"
    if INVOCATION_ENDPOINT.fullmatch(url):
        return None
    refused = sorted({c for c in url if not ENDPOINT_CHARACTER.fullmatch(c)})
    return (f"EventBridge API destination endpoints take letters, digits, %XX escapes and `-()_.!~*';/?:@&=+$,` "
            f"only: {quoted(url)} has {', '.join(quoted(c) for c in refused) or 'a stray %'}")
