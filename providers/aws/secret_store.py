"""AWS Secrets Manager as the store: one secret per value, `deployer/APP/KIND/SCOPE/NAME`.

A write is a new version of the secret (the service's own versioning), so a failed one leaves the
previous value current. `unset` schedules the deletion with the 7-day recovery window; setting the
value again within that window restores the secret.
"""

from collections.abc import Sequence

from deployer.errors import DeploymentFailed, PreconditionMissing, quoted
from deployer.secrets.scopes import Scope
from deployer.secrets.store import CloudSecretIds, SecretStore

RECOVERY_DAYS = 7


class AwsStore(SecretStore):
    def __init__(self, app: str, region: str | None, client=None):
        import boto3
        import botocore.exceptions

        self._errors = botocore.exceptions
        self.ids = CloudSecretIds(f"deployer/{app}/", "/")
        try:
            self.client = client or boto3.client("secretsmanager", region_name=region)
        except botocore.exceptions.NoRegionError:
            raise PreconditionMissing("secretStore aws needs a region: set aws.region in the spec "
                                      "(or AWS_REGION)") from None
        except botocore.exceptions.ProfileNotFound as err:
            raise PreconditionMissing(f"AWS_PROFILE names the profile {quoted(err.kwargs['profile'])}, which the AWS "
                                      "config files do not hold: set it to a profile of `aws configure list-profiles`, "
                                      "or unset it") from None
        self.label = f"AWS Secrets Manager ({self.client.meta.region_name}, {self.ids.prefix}…)"
        self.tags = [{"Key": "app", "Value": app}, {"Key": "managed-by", "Value": "deployer"}]

    def locations(self) -> dict[str, set[Scope]]:
        pages = self._call(lambda: list(self.client.get_paginator("list_secrets").paginate(
            Filters=[{"Key": "name", "Values": [self.ids.prefix]}])))
        return self.ids.locations(secret["Name"] for page in pages for secret in page["SecretList"])

    def read(self, name: str, scope: Scope) -> str | None:
        def get() -> str | None:
            try:
                return self.client.get_secret_value(SecretId=self.ids.id(name, scope))["SecretString"]
            except self._errors.ClientError as err:
                if _code(err) in ("ResourceNotFoundException", "InvalidRequestException"):
                    return None  # absent, or scheduled for deletion
                raise

        return self._call(get)

    def write(self, name: str, scopes: Sequence[Scope], value: str) -> None:
        for scope in scopes:
            self._call(self._put, self.ids.id(name, scope), value)

    def remove(self, name: str, scopes: Sequence[Scope]) -> list[Scope]:
        present = self.locations().get(name, set())
        removed = [scope for scope in scopes if scope in present]
        for scope in removed:
            self._call(self.client.delete_secret, SecretId=self.ids.id(name, scope),
                       RecoveryWindowInDays=RECOVERY_DAYS)
        return removed

    def _put(self, secret_id: str, value: str) -> None:
        try:
            self.client.create_secret(Name=secret_id, SecretString=value, Tags=self.tags)
            return
        except self._errors.ClientError as err:
            if _code(err) not in ("ResourceExistsException", "InvalidRequestException"):
                raise
        if "DeletedDate" in self.client.describe_secret(SecretId=secret_id):  # unset before
            self.client.restore_secret(SecretId=secret_id)
        self.client.put_secret_value(SecretId=secret_id, SecretString=value)

    def _call(self, function, *args, **kwargs):
        """Run a Secrets Manager call; credentials and service failures become deployer errors."""
        try:
            return function(*args, **kwargs)
        except (self._errors.NoCredentialsError, self._errors.PartialCredentialsError):
            raise PreconditionMissing("no AWS credentials for Secrets Manager (secretStore aws): "
                                      "configure a profile or AWS_ACCESS_KEY_ID") from None
        except self._errors.ClientError as err:
            # the service's message names the operation and resource, never the value sent
            raise DeploymentFailed(f"{self.label}: {err}") from None


def _code(err) -> str:
    return err.response.get("Error", {}).get("Code", "")
