"""ElastiCache Redis engine versions and their parameter group families.

The families AWS accepts (https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/
API_CreateCacheParameterGroup.html): `redis5.0`, `redis6.x`, `redis7`, … — not a pattern of the version.
"""

import re

# A supported engine version (as ElastiCache names them: 5.0.6, 6.0, 6.2, 7.0, 7.1) -> its family.
FAMILIES = ((re.compile(r"5\.0\.\d+"), "redis5.0"), (re.compile(r"6\.[02x]"), "redis6.x"),
            (re.compile(r"7\.[01x]"), "redis7"))
SUPPORTED = "5.0.x (redis5.0), 6.0 or 6.2 (redis6.x), 7.0 or 7.1 (redis7)"


def parameter_family(engine_version: str) -> str | None:
    """The parameter group family of an engine version; None for a version deployer does not support."""
    return next((family for version, family in FAMILIES if version.fullmatch(engine_version)), None)


def family_suffix(family: str) -> str:
    """The family as a name part (parameter group names take letters, digits and single hyphens)."""
    return "-" + family.replace(".", "-")
