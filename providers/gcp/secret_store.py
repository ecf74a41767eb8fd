"""GCP Secret Manager as the store: one secret per value, `deployer_APP_KIND_SCOPE_NAME`.

A write adds a version (the service's own versioning): a failed one leaves the previous version
the latest. App and scope names are kebab-case, so `_` separates the parts unambiguously.
"""

from collections.abc import Sequence

from deployer.errors import DeploymentFailed, PreconditionMissing
from deployer.secrets.scopes import Scope
from deployer.secrets.store import CloudSecretIds, SecretStore


class GcpStore(SecretStore):
    def __init__(self, app: str, project: str | None, client=None):
        from google.api_core import exceptions
        from google.auth.exceptions import DefaultCredentialsError
        from google.cloud import secretmanager_v1

        if not project:
            raise PreconditionMissing("secretStore gcp needs a project: set gcp.project in the spec")
        self._errors = exceptions
        self.app = app
        self.parent = f"projects/{project}"
        self.ids = CloudSecretIds(f"deployer_{app}_", "_")
        self.label = f"GCP Secret Manager ({project}, {self.ids.prefix}…)"
        try:
            self.client = client or secretmanager_v1.SecretManagerServiceClient()
        except DefaultCredentialsError:
            raise PreconditionMissing("no Google credentials for Secret Manager (secretStore gcp): run "
                                      "`gcloud auth application-default login`") from None

    def locations(self) -> dict[str, set[Scope]]:
        secrets = self._call(lambda: list(self.client.list_secrets(request={"parent": self.parent})))
        return self.ids.locations(secret.name.rsplit("/", 1)[-1] for secret in secrets)

    def read(self, name: str, scope: Scope) -> str | None:
        def access() -> str | None:
            try:
                response = self.client.access_secret_version(request={"name": f"{self._path(name, scope)}/versions/latest"})
            except (self._errors.NotFound, self._errors.FailedPrecondition):
                return None  # no secret, or no enabled version
            return response.payload.data.decode()

        return self._call(access)

    def write(self, name: str, scopes: Sequence[Scope], value: str) -> None:
        for scope in scopes:
            self._call(self._add_version, name, scope, value)

    def remove(self, name: str, scopes: Sequence[Scope]) -> list[Scope]:
        present = self.locations().get(name, set())
        removed = [scope for scope in scopes if scope in present]
        for scope in removed:
            self._call(self.client.delete_secret, request={"name": self._path(name, scope)})
        return removed

    def _add_version(self, name: str, scope: Scope, value: str) -> None:
        try:
            self.client.create_secret(request={
                "parent": self.parent, "secret_id": self.ids.id(name, scope),
                "secret": {"replication": {"automatic": {}},
                           "labels": {"app": self.app, "managed-by": "deployer"}},
            })
        except self._errors.AlreadyExists:
            pass
        self.client.add_secret_version(request={"parent": self._path(name, scope),
                                                "payload": {"data": value.encode()}})

    def _path(self, name: str, scope: Scope) -> str:
        return f"{self.parent}/secrets/{self.ids.id(name, scope)}"

    def _call(self, function, *args, **kwargs):
        """Run a Secret Manager call; service failures become deployer errors."""
        try:
            return function(*args, **kwargs)
        except self._errors.GoogleAPICallError as err:
            # the service's message names the operation and resource, never the payload sent
            raise DeploymentFailed(f"{self.label}: {err}") from None
