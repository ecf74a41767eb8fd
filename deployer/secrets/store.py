"""The one small interface every secret store has, and the store a spec chooses (`secretStore`)."""

from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from deployer.secrets.scopes import Scope

Notify = Callable[[str], None]


class SecretStore(ABC):
    """Values by secret name and scope. Reading which values exist never needs to decrypt them."""

    label: str  # where the values are kept, as messages name it

    @abstractmethod
    def locations(self) -> dict[str, set[Scope]]:
        """Every secret name that has a value, with the scopes it has one for."""

    @abstractmethod
    def read(self, name: str, scope: Scope) -> str | None:
        """The value of NAME for SCOPE, or None."""

    @abstractmethod
    def write(self, name: str, scopes: Sequence[Scope], value: str) -> None:
        """Set NAME to VALUE for each scope; a failure leaves the previous values readable."""

    @abstractmethod
    def remove(self, name: str, scopes: Sequence[Scope]) -> list[Scope]:
        """Remove the values of NAME for SCOPES; the scopes that had one."""


@dataclass(frozen=True)
class CloudSecretIds:
    """How a cloud store names its one secret per value: PREFIX KIND SEP SCOPE SEP NAME."""

    prefix: str
    separator: str

    def id(self, name: str, scope: Scope) -> str:
        return f"{self.prefix}{scope.kind}{self.separator}{scope.name}{self.separator}{name}"

    def locations(self, secret_ids: Iterable[str]) -> dict[str, set[Scope]]:
        """The names and scopes of the ids that are this store's (others are left out)."""
        found: dict[str, set[Scope]] = {}
        for secret_id in secret_ids:
            if not secret_id.startswith(self.prefix):
                continue
            parts = secret_id.removeprefix(self.prefix).split(self.separator, 2)
            if len(parts) == 3 and parts[0] in ("type", "env"):
                found.setdefault(parts[2], set()).add(Scope(parts[0], parts[1]))
        return found
