"""Physical names: `APP-ENV-NAME`, shortened with a stable hash where a cloud's limit would be exceeded
(each cloud knows its limits: deployer.clouds)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from deployer.errors import SpecPath
from deployer.speclang.cronexpr import cron_expressions, every_problem

if TYPE_CHECKING:
    from deployer.speclang.model import CronJob

HASH_LENGTH = 8


def full_name(app: str, env: str, name: str) -> str:
    """`app-env-name`: a resource's physical name before any provider limit shortens it."""
    return f"{app}-{env}-{name}"


def physical_name(app: str, env: str, name: str, limit: int, suffix: str = "") -> str:
    """`app-env-name` plus `suffix`, at most `limit` characters, each `.` of an app's own name (topic
    `site.added`) a `-`, which every cloud's names take (a name that then meets another's is refused by
    the names check); a longer one is cut and given a hash of the full name, so the same input always
    gives the same, still unique, name."""
    full = full_name(app, env, name).replace(".", "-")
    if len(full) + len(suffix) <= limit:
        return full + suffix
    keep = limit - len(suffix) - HASH_LENGTH - 1
    digest = hashlib.sha256(full.encode()).hexdigest()[:HASH_LENGTH]
    return f"{full[:keep].rstrip('-_')}-{digest}{suffix}"


def owner_suffix(owner: str) -> str:
    """`-` and a stable 8-hex hash of OWNER (an account or project id): makes a name of a global
    namespace (bucket names) unique beyond `app-env-name` without showing the id itself."""
    return "-" + hashlib.sha256(owner.encode()).hexdigest()[:HASH_LENGTH]


class ResourceName(NamedTuple):
    """One resource an environment's program creates, as the names checks see it (Cloud.resource_names)."""

    what: str  # what it is, as messages say it: "dead-letter queue", "cron role"
    kind: str  # the cloud's kind of name (a key of its limits and rules): "queue", "role"
    physical: str  # its physical name; "" for what has none (a generated password)
    scope: str  # where the physical name must be unique beside `kind`: "" for everywhere, a region, a project
    urn: str  # Pulumi type and logical name: unique in a stack ("" for a name no resource has, e.g. a domain)
    at: SpecPath  # the spec entry that makes it
    problem: str | None = None  # why the cloud would refuse its physical name (NameRule.problem)


@dataclass(frozen=True)
class NameRule:
    """A cloud's rule for one kind of name, as its documentation states it."""

    names: str  # whose rule, as messages say it: "S3 bucket names"
    pattern: str  # the whole name, lengths included, as a regular expression
    says: str  # the pattern in words
    source: str  # the documentation's address
    refused: tuple[tuple[str, str], ...] = ()  # (a regular expression searched in the name, what the rule says)

    def problem(self, name: str) -> str | None:
        """What the rule says that NAME breaks, with its source; None when NAME keeps it."""
        whole, any_refused, refused = self._compiled
        if not whole.fullmatch(name):
            broken = self.says
        elif any_refused and any_refused.search(name):
            broken = next(says for expression, says in refused if expression.search(name))
        else:
            return None
        return f"{self.names} {broken} ({self.source})"

    @cached_property
    def _compiled(self) -> tuple[re.Pattern, re.Pattern | None, list[tuple[re.Pattern, str]]]:
        # validate checks every name of every environment: compiled once, the kept names matched twice at most
        any_refused = re.compile("|".join(f"(?:{expression})" for expression, _ in self.refused)) if self.refused else None
        return (re.compile(self.pattern), any_refused,
                [(re.compile(expression), says) for expression, says in self.refused])


def schedule_names(job_id: str, job: CronJob, join: str) -> list[tuple[str, str]]:
    """(logical name, name) of each schedule of a cron job: one per cron expression, numbered after
    `join` (a character no spec name holds) where there are several: `digest_1` never meets job `digest-1`."""
    valid_every = job.schedule is None and job.every is not None and every_problem(job.every) is None
    count = len(cron_expressions(job)) if valid_every else 1  # the rules refuse any other job
    if count == 1:
        return [(job_id, job_id)]
    return [(f"{job_id}.{n}", f"{job_id}{join}{n}") for n in range(1, count + 1)]
