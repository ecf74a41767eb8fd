"""ElastiCache Redis: engine versions with their parameter group families, and node types.

The families AWS accepts (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/
API_CreateCacheParameterGroup.html): `redis5.0`, `redis6.x`, `redis7`, … — not a pattern of the version.
"""

import re

from deployer.errors import quoted

# A supported engine version, as ElastiCache names them, -> its family: Redis 7 is written with its
# minor version (7.0, 7.1), only 6 may leave it out (6.x, the latest 6), 5 is written whole (5.0.6)
# (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/supported-engine-versions.html).
FAMILIES = ((re.compile(r"5\.0\.[03456]"), "redis5.0"), (re.compile(r"6\.[02x]"), "redis6.x"),
            (re.compile(r"7\.[01]"), "redis7"))
SUPPORTED = "5.0.0 or 5.0.3 to 5.0.6 (redis5.0), 6.x, 6.0 or 6.2 (redis6.x), 7.0 or 7.1 (redis7)"

# Node types (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html)
NODE_TYPES_DOC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/CacheNodes.SupportedTypes.html"
NODE_TYPE = re.compile(r"cache\.([a-z0-9]+)\.(micro|small|medium|large|[0-9]*xlarge)")
CURRENT_FAMILIES = ("t3", "t4g", "m4", "m5", "m6g", "m7g", "r4", "r5", "r6g", "r6gd", "r7g", "c7gn")
# No new cluster can use these: T2 moved to the previous generation, and T1, M1, M2, M3, C1, R3 before it.
PREVIOUS_FAMILIES = ("t1", "t2", "m1", "m2", "m3", "c1", "r3")
# The Graviton2 families M6g, T4g and R6g run Redis 5.0.6 onward.
FROM_5_0_6 = ("m6g", "t4g", "r6g")
# r6gd nodes tier data to SSD: ElastiCache requires data tiering on for them, from Redis 6.2.
DATA_TIERING = "r6gd"
DATA_TIERING_DOC = "https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/data-tiering.html"
_LARGE = ("large", "xlarge", "2xlarge", "4xlarge", "8xlarge", "12xlarge", "16xlarge")
_BURSTABLE = ("micro", "small", "medium")
# Regions that offer only some node types: Asia Pacific (Thailand) and Mexico (Central).
_SOME_NODE_TYPES = {"m7g": _LARGE, "r7g": _LARGE, "t3": _BURSTABLE, "t4g": _BURSTABLE}
REGIONAL_NODE_TYPES = {"ap-southeast-7": _SOME_NODE_TYPES, "mx-central-1": _SOME_NODE_TYPES}


def parameter_family(engine_version: str) -> str | None:
    """The parameter group family of an engine version; None for a version deployer does not support."""
    return next((family for version, family in FAMILIES if version.fullmatch(engine_version)), None)


def family_suffix(family: str) -> str:
    """The family as a name part (parameter group names take letters, digits and single hyphens)."""
    return "-" + family.replace(".", "-")


def node_family(node_type: str) -> tuple[str, str] | None:
    """The family and size of a node type of the `cache.FAMILY.SIZE` shape; None for another shape."""
    match = NODE_TYPE.fullmatch(node_type)
    return (match[1], match[2]) if match else None


def data_tiering(node_type: str | None) -> bool:
    """Whether NODE_TYPE's nodes tier data (ElastiCache requires it on for them)."""
    return (node_family(node_type or "") or ("", ""))[0] == DATA_TIERING


def node_type_problem(node_type: str, version: str, region: str | None) -> str | None:
    """Why ElastiCache would refuse a new cluster of NODE_TYPE running Redis VERSION in REGION."""
    if (shape := node_family(node_type)) is None:
        return (f"{quoted(node_type)} is not an ElastiCache node type: they are written cache.FAMILY.SIZE, "
                "e.g. cache.t4g.micro or cache.r7g.large")
    family, size = shape
    if family in PREVIOUS_FAMILIES:
        return (f"{family.upper()} is a previous-generation node family, in which ElastiCache creates no new "
                "cluster: use a current one, e.g. cache.t4g or cache.t3 in place of cache.t2")
    if family not in CURRENT_FAMILIES:
        return (f"ElastiCache has no node family {quoted(family)}: the current ones are "
                f"{', '.join(CURRENT_FAMILIES)}")
    if family in FROM_5_0_6 and version.startswith("5.0.") and version != "5.0.6":
        return f"{family.upper()} nodes run Redis 5.0.6 onward, not {version}"
    if family == DATA_TIERING and (version == "6.0" or version.startswith("5.")):
        return (f"{family} nodes tier data to SSD, which ElastiCache requires on and offers from Redis 6.2: "
                f"use engineVersion 6.2 or later, not {version} ({DATA_TIERING_DOC})")
    offered = REGIONAL_NODE_TYPES.get(region or "")
    if offered is not None and size not in offered.get(family, ()):
        kinds = "; ".join(f"{f}: {', '.join(sizes)}" for f, sizes in offered.items())
        return f"{region} offers only these node types: {kinds}"
    return None
