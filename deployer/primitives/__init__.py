"""The primitives: each kind of resource the spec declares and services use is one `Primitive`, in one
module of this package (its section's model, how services use it, its own rules). The core loops over
`PRIMITIVES` and names no section; each cloud declares which primitives it implements
(`Cloud.primitives`) and adds its own block to an entry's model (its `settings.py`)."""

from deployer.primitives.buckets import BUCKETS
from deployer.primitives.caches import CACHES
from deployer.primitives.databases import DATABASES
from deployer.primitive import Primitive
from deployer.primitives.topics import TOPICS

PRIMITIVES: tuple[Primitive, ...] = (CACHES, DATABASES, BUCKETS, TOPICS)
SECTIONS: tuple[str, ...] = tuple(p.section for p in PRIMITIVES)
