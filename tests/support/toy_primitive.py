"""A fifth primitive, registered from outside deployer's core: queues, which only the toy cloud
implements. It imports nothing of the spec's model, which is composed after it is registered."""

from pydantic import Field

from deployer.primitive import Primitive
from deployer.speclang.fields import Model


class Queue(Model):
    """A toy queue."""

    retention_days: int = Field(1, ge=1, le=14, description="days a message is kept")


QUEUES = Primitive("queues", "queue", Queue, "toy queues by name", list[str], "queues the service reads")
