"""`deployer doctor`: what this machine has and lacks for each command, each missing piece with the
command that installs it. The clouds checked are those of the spec's environments (every known cloud
where no spec is found or it cannot be read)."""

import os
import shutil
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version

from deployer.clouds import Cloud, registered
from deployer.engine.preflight import PULUMI_HINT
from deployer.errors import DeployerError
from deployer.extras import LOCAL, absent, install_command
from deployer.primitives import PRIMITIVES
from deployer.speclang.cue_evaluator import INSTALL_HINT, describe

DEPLOYING = "preview, up, destroy, refresh, outputs"


@dataclass(frozen=True)
class Check:
    part: str
    needed_by: str  # the commands (or the spec's feature) that need it
    found: str | None  # what was found, or None: missing
    fix: str  # how to get it where missing

    def as_dict(self) -> dict:
        return {"part": self.part, "neededBy": self.needed_by, "found": self.found, "fix": self.fix}


def checks(spec_clouds: set[str] | None) -> list[Check]:
    """Every check, for the clouds named in SPEC_CLOUDS (None: every known cloud)."""
    clouds = [c for name, c in sorted(registered().items()) if spec_clouds is None or name in spec_clouds]
    found = [
        Check("CUE evaluator", "every command, for an infra.cue spec", describe(), INSTALL_HINT),
        Check("Pulumi CLI", DEPLOYING, shutil.which("pulumi"), f"the Pulumi CLI: {PULUMI_HINT}"),
        *(Check(part, f"dev of specs with {primitive.section}", where, fix) for primitive in PRIMITIVES
          if primitive.local_program for part, where, fix in [primitive.local_program()]),
    ]
    for cloud in clouds:
        found += _cloud_checks(cloud)
    return found


def _cloud_checks(cloud: Cloud) -> list[Check]:
    title = cloud.title
    return [
        _modules(f"{title} SDK", f"plan, diff, eject, {DEPLOYING} of {title} environments; secretStore: "
                 f"{cloud.name}", cloud.sdk_modules, cloud.extra),
        Check(f"{title} credentials", f"{DEPLOYING} of {title} environments; secretStore: {cloud.name}",
              "found" if cloud.has_credentials(os.environ) else None, cloud.credentials_hint),
        _modules(f"{title} local servers", f"dev of {title}-shaped local environments", cloud.local_modules, LOCAL),
        *(Check(f"{title} {serves}", f"dev of {title}-shaped local environments with them", where, how)
          for serves, (where, how) in cloud.local_programs().items()),
    ]


def _modules(part: str, needed_by: str, modules: tuple[str, ...], extra: str) -> Check:
    missing = absent(modules)
    found = None if missing else ", ".join(" ".join(filter(None, (m, _version(m)))) for m in modules)
    return Check(f"{part} ({', '.join(modules)})", needed_by, found, install_command(extra))


def _version(module: str) -> str:
    """The installed version of the distribution that provides MODULE, where its name is the module's."""
    for name in (module.split(".")[0], module.replace(".", "-").replace("_", "-")):
        try:
            return version(name)
        except PackageNotFoundError:
            continue
    return ""


def spec_clouds(spec) -> set[str] | None:
    """The clouds of the spec's environments, or None where the spec cannot be read."""
    try:
        return {env.provider for env in spec.environments().values()}
    except DeployerError:
        return None
