"""What a cloud gives `deployer dev` (Cloud.local): the servers that speak its protocols, how to create
the environment's resources in them, the variables its SDKs read, and its outputs with local values."""

import signal
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from deployer.primitives.topics import RetryPolicy

LOCALHOST = "127.0.0.1"


@dataclass(frozen=True)
class Local:
    """A resource's outputs, as the program's `Created…` values give them."""

    values: object
    subscriptions: dict[str, "Local"] = field(default_factory=dict)

    def outputs(self):
        return self.values


@dataclass(frozen=True)
class Server:
    """A local server process; it is ready when its port accepts connections."""

    name: str  # for the table and its log file: `moto`, `redis sessions`
    serves: str  # what it stands for: `S3, SNS, SQS`
    argv: list[str]
    port: int
    environ: Mapping[str, str] = field(default_factory=dict)  # added to deployer's own environment
    startup_seconds: float = 15  # how long it may take to accept connections
    stop_signal: int = signal.SIGTERM  # what asks it to end (also sent when deployer dies)
    scheme: str = "http"
    stdin: str = ""  # written to its standard input at start: the session's credentials, never on its command line

    @property
    def url(self) -> str:
        return f"{self.scheme}://{LOCALHOST}:{self.port}"


@dataclass(frozen=True)
class Delivery:
    """One message to push to a service, in the cloud's push format."""

    message_id: str
    body: bytes
    headers: Mapping[str, str]
    receipt: object  # what the queue needs to settle it


@dataclass(frozen=True)
class PushDelivery:
    """A push subscription under `deployer dev`: NAME (`topic.subscription`), the QUEUE its messages wait
    in, the URL they are POSTed to and the RETRY_POLICY of failed deliveries."""

    name: str
    queue: "PushQueue"
    url: str
    retry_policy: "RetryPolicy"


class PushQueue(ABC):
    """Where a push subscription's messages wait for `deployer dev` to POST them."""

    @abstractmethod
    def receive(self) -> list[Delivery]:
        """The next messages, waiting a second at most."""

    @abstractmethod
    def acknowledge(self, delivery: Delivery) -> None:
        """Delivered: never again."""

    @abstractmethod
    def retry_after(self, delivery: Delivery, seconds: float) -> None:
        """Failed: offer it again after SECONDS."""

    @abstractmethod
    def dead_letter(self, delivery: Delivery) -> None:
        """Failed for the last time: move it to the subscription's dead letters."""


class LocalStack(ABC):
    """One local environment on one cloud's local servers."""

    def __init__(self, env, base_port: int, data: Path):
        self.env = env  # ResolvedEnv
        self.base_port = base_port  # this cloud's servers take ports from here on (at most 10)
        self.data = data  # .deployer/local/ENV: what must survive a restart lives below

    @abstractmethod
    def servers(self) -> list[Server]:
        """The servers the environment's spec needs, and only those."""

    def prepare(self) -> None:
        """What `provision` needs that the servers do not (the SDK's clients): made while they boot."""

    @abstractmethod
    def provision(self, secrets: Mapping[str, str], report: Callable[[str], None]) -> None:
        """Create the buckets, topics, queues, subscriptions (and secrets, where the cloud's server keeps
        them) in the running servers, and put back what `save` kept (REPORT says what could not be).
        SECRETS: each used secret's value."""

    def save(self, report: Callable[[str], None]) -> None:
        """Keep under `data` what the servers hold in memory only (before they stop); REPORT says what
        could not be kept."""

    @abstractmethod
    def sdk_environment(self) -> dict[str, str]:
        """The variables that point the cloud's SDKs at the local servers (endpoints, dummy credentials)."""

    @abstractmethod
    def service_outputs(self, served: Mapping[str, Mapping[str, dict]]) -> dict[str, dict]:
        """Per service, its outputs in the cloud's shape with local values; SERVED gives, by section, the
        outputs of the entries deployer's own local servers serve (`Primitive.local`)."""

    @abstractmethod
    def push_deliveries(self) -> list[PushDelivery]:
        """Every push subscription's queue, with where and how `deployer dev` delivers its messages."""
