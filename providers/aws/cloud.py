"""AWS as deployer knows it, without its SDK: limits, rules, defaults, configuration, credentials."""

import re
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from deployer.clouds import Cloud, MockCall, MockState, Program
from deployer.encore_values import NotInEncore
from deployer.providers.aws.naming import NAME_LIMITS, resource_names
from deployer.providers.aws.replacements import CHANGES_NOTED, HOLDS_DATA, REPLACED_ON
from deployer.providers.aws.rules import aws_rules
from deployer.speclang.environments import EnvInfo
from deployer.speclang.model import Infra
from deployer.speclang.resolved import ResolvedEnv

PRODUCTION_CACHE = {"nodeType": "cache.r7g.large", "replicas": 1, "snapshotRetentionDays": 7}
SMALL_CACHE = {"nodeType": "cache.t4g.micro", "replicas": 0, "snapshotRetentionDays": 0}
# A name already taken in AWS: by a resource that production retained (retainOnDelete) when it left the
# spec or the stack, or by a secret still being deleted (a force-deleted one goes asynchronously).
ALREADY_EXISTS = re.compile(r"AlreadyExists|AlreadyOwnedByYou|ResourceExistsException|InvalidGroup\.Duplicate|"
                            r"already exists")
BEING_DELETED = re.compile(r"scheduled for deletion")
NAMED = re.compile(r"creating [^(\n]*\(([^)\n]+)\)")  # the provider's `creating SQS Queue (NAME)`
# Production: a standby in another zone, a week of point-in-time recovery; else the smallest instance, no backups.
PRODUCTION_DATABASE = {"instanceClass": "db.m7g.large", "storageGb": 100, "multiAz": True, "backupRetentionDays": 7}
SMALL_DATABASE = {"instanceClass": "db.t4g.micro", "storageGb": 20, "multiAz": False, "backupRetentionDays": 0}
CREDENTIAL_VARIABLES = ("AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                        "AWS_CONTAINER_CREDENTIALS_FULL_URI")


class Aws(Cloud):
    name = "aws"
    primitives = frozenset({"caches", "databases", "buckets", "topics"})
    title = "AWS"
    name_limits = NAME_LIMITS
    required_settings: ClassVar[dict[str, str]] = {"region": "us-east-1"}
    store_settings: ClassVar[dict[str, str]] = {"region": "us-east-1"}
    replaced_on = REPLACED_ON
    extra = "aws"
    sdk_modules = ("pulumi_aws", "boto3")
    local_modules = ("moto", "boto3")
    holds_data = HOLDS_DATA
    changes_noted = CHANGES_NOTED
    # SecretString: "Maximum length of 65536"
    max_secret_bytes = (65536, "https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html")
    credentials_hint = ("no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE, "
                        "or run `aws configure` / `aws sso login` (in GitHub Actions: "
                        "aws-actions/configure-aws-credentials)")

    def rules(self, spec: Infra, env: EnvInfo):
        return aws_rules(spec, env)

    def resource_names(self, spec: Infra, env_name: str):
        return resource_names(spec, env_name)

    def failure_hint(self, env: ResolvedEnv, message: str) -> str | None:
        named = NAMED.search(message)
        name = named[1] if named else "NAME"
        again = f"`deployer up --env {env.name}`"
        if BEING_DELETED.search(message):
            return (f"a secret named {name} is still being deleted (Secrets Manager deletes even a secret removed "
                    f"at once asynchronously): run {again} again in a minute; a production secret waits out its "
                    f"recovery window unless deleted now with `aws secretsmanager delete-secret --secret-id {name} "
                    "--force-delete-without-recovery`")
        if ALREADY_EXISTS.search(message):
            return (f"{name} already exists in AWS: production resources stay there when they leave the spec or "
                    "the stack (retainOnDelete), so adding one back finds the old one. Adopt it into the stack with "
                    f"`pulumi import --stack {env.stack} TYPE LOGICAL-NAME {name}` (the type and logical name the "
                    f"error shows), or delete it in AWS if its data is not needed; then run {again} again")
        return None

    def type_defaults(self, env_type: str) -> dict:
        production = env_type == "production"
        return {"caches": {"aws": PRODUCTION_CACHE if production else SMALL_CACHE},
                "databases": {"aws": PRODUCTION_DATABASE if production else SMALL_DATABASE}}

    def stack_config(self, env: ResolvedEnv) -> dict[str, str]:
        return {"aws:region": env.spec.aws.region or ""}

    def has_credentials(self, environ: Mapping[str, str]) -> bool:
        if environ.get("AWS_ACCESS_KEY_ID") and environ.get("AWS_SECRET_ACCESS_KEY"):
            return True
        if any(environ.get(variable) for variable in CREDENTIAL_VARIABLES):
            return True
        home = Path(environ.get("HOME", "~")).expanduser()
        files = [environ.get("AWS_SHARED_CREDENTIALS_FILE", home / ".aws/credentials"),
                 environ.get("AWS_CONFIG_FILE", home / ".aws/config")]
        return any(Path(f).is_file() for f in files)

    def program(self) -> Program:
        self.require_sdk()
        from deployer.providers.aws.program import program

        return program

    def mocks(self) -> tuple[MockState, MockCall]:
        from deployer.providers.aws.mocks import mock_answers

        return mock_answers()

    def shown_planned(self, planned: str) -> str:
        from deployer.providers.aws.mocks import shown_planned

        return shown_planned(planned)

    def secret_store(self, spec: Infra):
        self.require_sdk()
        from deployer.providers.aws.secret_store import AwsStore

        return AwsStore(spec.app, spec.aws.region)

    def local(self, env: ResolvedEnv, base_port: int, data: Path):
        self.require_local()
        from deployer.providers.aws.local import AwsLocalStack

        return AwsLocalStack(env, base_port, data)

    def encore_pubsub(self, env: ResolvedEnv) -> dict:
        return {"type": "aws_sns_sqs"}

    def encore_topic(self, outputs: dict) -> dict:
        return {"arn": outputs["id"]}

    def encore_subscription(self, outputs: dict, service: dict) -> dict:
        if "queueUrl" not in outputs:
            raise NotInEncore(f"it is an SNS HTTPS push to {outputs['endpoint']}, and Encore's AWS "
                              "subscriptions are SQS queues its runtime receives from")
        # The queue URL twice: Go's decoder validates `url`; Rust's (infracfg.rs) reads `arn` and
        # receives from it as the queue URL.
        return {"url": outputs["queueUrl"], "arn": outputs["queueUrl"]}

    def encore_storage(self, env: ResolvedEnv) -> dict:
        return {"type": "s3", "region": env.spec.aws.region}

    def container_secrets(self, identity: str, variables: Mapping[str, str]) -> dict:
        """An ECS task definition's part: the task role, and the container's `secrets` from Secrets Manager
        (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html;
        ECS reads them with the task execution role, which needs secretsmanager:GetSecretValue on them)."""
        return {"taskRoleArn": identity, "containerDefinitions": [
            {"secrets": [{"name": name, "valueFrom": arn} for name, arn in variables.items()]}]}


CLOUD = Aws()
