"""Which entry of the spec each resource of a plan is for: `plan` and `diff` show resources under it.

A cloud names a resource after its entry (`avatars`, `signups.crm-sync`), the entry's kind or section
and name (`database.orders`, `cron.send-digest`), or one of those and a part (`signups.crm-sync.dead-letter`,
`sessions.auth-token`): the entry is the longest dotted prefix of the name that names one. Where two
sections hold that name (a cache and a service `catalog`), the section of the data-holding type of the
resource's module wins (`aws:s3/bucketPolicy` goes with `aws:s3/bucket`), else the first of `sections()`.
"""

from collections.abc import Iterable, Mapping

from deployer.primitives import PRIMITIVES
from deployer.speclang.model import Infra

# The spec's sections of named entries besides the primitives', and what one entry is called.
OTHER_SECTIONS = {"secrets": "secret", "services": "service", "cron": "cron job"}
ENVIRONMENT = ("environment", "")  # what no entry owns (the cloud's provider, shared roles)

Entry = tuple[str, str]  # (kind, name): ("subscription", "signups.crm-sync")


class Entries:
    """The entries of one or more versions of a spec (a diff's base and head)."""

    def __init__(self, specs: Iterable[Infra], holds_data: Mapping[str, tuple[str, str]]):
        self._named: dict[str, list[Entry]] = {}
        for spec in specs:
            for section, kind in sections().items():
                for name in getattr(spec, section):
                    for alias in (name, f"{kind}.{name}", f"{section}.{name}"):
                        self._add(alias, (kind, name))
            for topic, entry in spec.topics.items():
                for sub in entry.subscriptions:
                    self._add(f"{topic}.{sub}", ("subscription", f"{topic}.{sub}"))
        self._module_kind = {_module(token): noun for token, (noun, _) in holds_data.items()}

    def _add(self, resource_name: str, entry: Entry) -> None:
        if entry not in (named := self._named.setdefault(resource_name, [])):
            named.append(entry)

    def of(self, resource: Mapping) -> Entry:
        parts = resource["name"].split(".")
        for end in range(len(parts), 0, -1):
            if candidates := self._named.get(".".join(parts[:end])):
                kind = self._module_kind.get(_module(resource["type"]))
                return next((c for c in candidates if c[0] == kind), candidates[0])
        return ENVIRONMENT


def sections() -> dict[str, str]:
    """Each section of named entries (the primitives', then the others), and what one entry is called."""
    return {**{primitive.section: primitive.kind for primitive in PRIMITIVES}, **OTHER_SECTIONS}


def _module(token: str) -> str:
    return token.split("/", 1)[0]


def shown(entry: Entry) -> str:
    """`cache sessions`, for a heading; `environment` for what no entry owns."""
    kind, name = entry
    return f"{kind} {name}" if name else kind


def counted(spec: Infra) -> str:
    """`412 spec entries`: what a progress display says is being planned."""
    subscriptions = sum(len(topic.subscriptions) for topic in spec.topics.values())
    return f"{sum(len(getattr(spec, section)) for section in sections()) + subscriptions} spec entries"
