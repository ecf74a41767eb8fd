"""The primitives: each kind of resource the spec declares and services use is one `Primitive`
(deployer/primitive.py), in one module of this package (its section's model, how services use it, its
own rules). The core loops over `PRIMITIVES` and names no section; each cloud declares which primitives
it implements (`Cloud.primitives`) and adds its own block to an entry's model (its `settings.py`)."""

import sys

from deployer.primitive import Primitive
from deployer.primitives.buckets import BUCKETS
from deployer.primitives.caches import CACHES
from deployer.primitives.databases import DATABASES
from deployer.primitives.topics import TOPICS

PRIMITIVES: list[Primitive] = [CACHES, DATABASES, BUCKETS, TOPICS]


def register(primitive: Primitive) -> None:
    """Add a primitive beside the built-in ones: before the spec's model is composed from them."""
    if "deployer.speclang.model" in sys.modules:
        raise RuntimeError(f"primitive {primitive.section!r} registered after the spec's model was composed")
    PRIMITIVES.append(primitive)


def sections() -> list[str]:
    return [primitive.section for primitive in PRIMITIVES]
