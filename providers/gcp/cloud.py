"""GCP as deployer knows it, without its SDK: limits, rules, defaults, configuration, credentials."""

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import ClassVar

from deployer.clouds import Cloud, MockCall, MockState, Program
from deployer.providers.gcp.naming import NAME_LIMITS, gcp_name, resource_names
from deployer.providers.gcp.network import DEFAULT_NETWORK
from deployer.providers.gcp.preflight import PRIVATE_SERVICE_ACCESS_DOC, notes, refusal_hint
from deployer.providers.gcp.replacements import CHANGES_NOTED, HOLDS_DATA, REPLACED_ON
from deployer.providers.gcp.rules import gcp_rules
from deployer.speclang.environments import EnvInfo
from deployer.speclang.model import Infra
from deployer.speclang.resolved import ResolvedEnv

PRODUCTION_CACHE = {"memorySizeGb": 5, "tier": "STANDARD_HA"}
SMALL_CACHE = {"memorySizeGb": 1, "tier": "BASIC"}
# Production: a standby in another zone, a week of point-in-time recovery; else the smallest shared-core
# instance, no backups.
PRODUCTION_DATABASE = {"tier": "db-custom-2-7680", "availability": "REGIONAL", "diskSizeGb": 100,
                       "backupRetentionDays": 7}
SMALL_DATABASE = {"tier": "db-f1-micro", "availability": "ZONAL", "diskSizeGb": 10, "backupRetentionDays": 0}
# The APIs the program calls; deployer does not switch a project's APIs on or off. Cloud Resource
# Manager answers `organizations.getProject` (the project number in the Pub/Sub service agent's address).
REQUIRED_APIS = ("cloudresourcemanager.googleapis.com", "iam.googleapis.com", "storage.googleapis.com",
                 "pubsub.googleapis.com", "redis.googleapis.com", "secretmanager.googleapis.com",
                 "cloudscheduler.googleapis.com", "compute.googleapis.com", "sqladmin.googleapis.com",
                 "servicenetworking.googleapis.com")
# Google's answer to a call to a switched-off API: "… API has not been used in project N before or it is
# disabled. Enable it by visiting https://console.developers.google.com/apis/api/NAME/overview?project=N …"
DISABLED_API = re.compile(r"has not been used in project \S+ before or it is disabled|SERVICE_DISABLED")
# Cloud SQL's answer where the network has no Private Service Access connection.
NO_PRIVATE_SERVICE_ACCESS = re.compile(r"(?i)service networking connection|SERVICE_NETWORKING_NOT_ENABLED|"
                                       r"network .* is not peered|private services access")
API_NAME = re.compile(r"/apis/api/([a-z0-9.-]+\.googleapis\.com)/")


class Gcp(Cloud):
    name = "gcp"
    primitives = frozenset({"caches", "databases", "buckets", "topics"})
    title = "GCP"
    name_limits = NAME_LIMITS
    required_settings: ClassVar[dict[str, str]] = {"project": "my-project-id", "region": "us-central1"}
    store_settings: ClassVar[dict[str, str]] = {"project": "my-project-id"}
    replaced_on = REPLACED_ON
    extra = "gcp"
    sdk_modules = ("pulumi_gcp", "google.cloud.secretmanager_v1")
    local_modules = ("gcp_storage_emulator", "google.cloud.storage", "google.cloud.pubsub_v1")
    holds_data = HOLDS_DATA
    changes_noted = CHANGES_NOTED
    # "Maximum size of a secret payload: 64 KiB"
    max_secret_bytes = (64 * 1024, "https://cloud.google.com/secret-manager/quotas#content_limits")
    credentials_hint = ("no GCP credentials found: run `gcloud auth application-default login`, or set "
                        "GOOGLE_APPLICATION_CREDENTIALS to a service account key file (in GitHub Actions: "
                        "google-github-actions/auth)")

    def physical_name(self, kind: str, app: str, env: str, name: str, suffix: str = "") -> str:
        return gcp_name(kind, app, env, name, suffix)

    def rules(self, spec: Infra, env: EnvInfo):
        return gcp_rules(spec, env)

    def resource_names(self, spec: Infra, env_name: str):
        return resource_names(spec, env_name)

    def failure_hint(self, env: ResolvedEnv, message: str) -> str | None:
        if NO_PRIVATE_SERVICE_ACCESS.search(message):
            network = env.spec.gcp.network or DEFAULT_NETWORK
            return (f"Cloud SQL's private IP needs Private Service Access on network {network} (once per network, "
                    "shared by every environment on it): `gcloud compute addresses create google-managed-services-"
                    f"{network} --global --purpose=VPC_PEERING --prefix-length=16 --network={network} --project "
                    f"{env.spec.gcp.project}` and `gcloud services vpc-peerings connect --service=servicenetworking."
                    f"googleapis.com --ranges=google-managed-services-{network} --network={network} --project "
                    f"{env.spec.gcp.project}` ({PRIVATE_SERVICE_ACCESS_DOC}), then run again")
        if not DISABLED_API.search(message):
            return refusal_hint(env, message)
        project = env.spec.gcp.project
        named = API_NAME.search(message)
        which = f"the API {named[1]} is" if named else "an API deployer needs is"
        return (f"{which} switched off in project {project}: enable every API deployer calls with "
                f"`gcloud services enable {' '.join(REQUIRED_APIS)} --project {project}`, wait a few minutes, "
                "and run again")

    def notes(self, env: ResolvedEnv, neighbours: Iterable[ResolvedEnv]) -> Iterable[str]:
        return notes(env, neighbours)

    def type_defaults(self, env_type: str) -> dict:
        production = env_type == "production"
        return {"caches": {"gcp": PRODUCTION_CACHE if production else SMALL_CACHE},
                "databases": {"gcp": PRODUCTION_DATABASE if production else SMALL_DATABASE}}

    def stack_config(self, env: ResolvedEnv) -> dict[str, str]:
        return {"gcp:project": env.spec.gcp.project or "", "gcp:region": env.spec.gcp.region or ""}

    def has_credentials(self, environ: Mapping[str, str]) -> bool:
        if environ.get("GOOGLE_CREDENTIALS") or environ.get("GOOGLE_OAUTH_ACCESS_TOKEN"):
            return True
        if key_file := environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
            return Path(key_file).is_file()
        home = Path(environ.get("HOME", "~")).expanduser()
        gcloud = Path(environ.get("CLOUDSDK_CONFIG", home / ".config/gcloud"))
        return (gcloud / "application_default_credentials.json").is_file()

    def program(self) -> Program:
        self.require_sdk()
        from deployer.providers.gcp.program import program

        return program

    def mocks(self) -> tuple[MockState, MockCall]:
        from deployer.providers.gcp.mocks import mock_answers

        return mock_answers()

    def shown_planned(self, planned: str) -> str:
        from deployer.providers.gcp.mocks import shown_planned

        return shown_planned(planned)

    def secret_store(self, spec: Infra):
        self.require_sdk()
        from deployer.providers.gcp.secret_store import GcpStore

        return GcpStore(spec.app, spec.gcp.project)

    def local(self, env: ResolvedEnv, base_port: int, data: Path):
        self.require_local()
        from deployer.providers.gcp.local import GcpLocalStack

        return GcpLocalStack(env, base_port, data)

    # Memorystore's server certificate names the instance by its IP address in the CN alone, not in a
    # subjectAltName, which TLS clients do not match (https://github.com/envoyproxy/ratelimit/pull/409);
    # Cloud SQL's names the instance (`PROJECT:INSTANCE`, in the CN), not the IP address clients connect to
    # (Google's connector checks the CN itself: github.com/GoogleCloudPlatform/cloud-sql-nodejs-connector,
    # src/socket.ts, validateCertificate).
    encore_tls_hostname_unverifiable = True

    def local_programs(self) -> dict[str, tuple[str | None, str]]:
        from deployer.providers.gcp.local import NO_PUBSUB_EMULATOR, find_pubsub_emulator

        return {"topics (Google's Pub/Sub emulator)": (find_pubsub_emulator(), NO_PUBSUB_EMULATOR)}

    def encore_pubsub(self, env: ResolvedEnv) -> dict:
        return {"type": "gcp_pubsub", "project_id": env.spec.gcp.project}

    def encore_topic(self, outputs: dict) -> dict:
        return {"name": _resource_name(outputs["id"])}

    def encore_subscription(self, outputs: dict, service: dict) -> dict:
        subscription = {"name": _resource_name(outputs["id"])}
        if "endpoint" in outputs:
            # Encore's runtime takes a push at /__encore/pubsub/push/ID by the ID of its push_config, and
            # checks the OIDC token's e-mail and audience: those the service's callers have.
            callers = service["callers"]
            subscription["push_config"] = {"id": _resource_name(outputs["endpoint"].rstrip("/")),
                                           "service_account": callers["email"],
                                           "jwt_audience": callers["audience"]}
        return subscription

    def encore_storage(self, env: ResolvedEnv) -> dict:
        return {"type": "gcs"}

    def container_secrets(self, identity: str, variables: Mapping[str, str]) -> dict:
        """A Cloud Run service's part: its service account, and the container's environment variables from
        Secret Manager (https://cloud.google.com/run/docs/reference/rest/v2/Container#EnvVar; the account
        reads them: it is granted secretAccessor on each)."""
        return {"template": {"serviceAccount": identity, "containers": [{"env": [
            {"name": name, "valueSource": {"secretKeyRef": {"secret": secret, "version": "latest"}}}
            for name, secret in variables.items()]}]}}


def _resource_name(gcp_id: str) -> str:
    """`projects/P/subscriptions/NAME` -> `NAME` (the last segment of a path or URL)."""
    return gcp_id.rsplit("/", 1)[-1]


CLOUD = Gcp()
