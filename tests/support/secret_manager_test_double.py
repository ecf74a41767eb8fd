"""A local TEST DOUBLE of the GCP Secret Manager API: an in-memory gRPC server on 127.0.0.1 that speaks
the real wire protocol (the google-cloud-secret-manager client's own messages), for the methods the
gcp store calls. Not Google's service: it keeps no IAM, replication or quotas."""

from concurrent import futures

import grpc
from google.cloud.secretmanager_v1 import types
from google.protobuf import empty_pb2

SERVICE = "google.cloud.secretmanager.v1.SecretManagerService"


class SecretManagerTestDouble:
    def __init__(self) -> None:
        self.secrets: dict[str, types.Secret] = {}
        self.versions: dict[str, list[bytes]] = {}
        self.fail_next_add = False  # the next AddSecretVersion fails, as an outage would
        methods = {
            "CreateSecret": (self.create_secret, types.CreateSecretRequest, types.Secret),
            "ListSecrets": (self.list_secrets, types.ListSecretsRequest, types.ListSecretsResponse),
            "AddSecretVersion": (self.add_secret_version, types.AddSecretVersionRequest, types.SecretVersion),
            "AccessSecretVersion": (self.access_secret_version, types.AccessSecretVersionRequest,
                                    types.AccessSecretVersionResponse),
            "DeleteSecret": (self.delete_secret, types.DeleteSecretRequest, None),
        }
        handlers = {
            name: grpc.unary_unary_rpc_method_handler(
                function, request_deserializer=request.deserialize,
                response_serializer=response.serialize if response else empty_pb2.Empty.SerializeToString)
            for name, (function, request, response) in methods.items()
        }
        self.server = grpc.server(futures.ThreadPoolExecutor(max_workers=2))
        self.server.add_generic_rpc_handlers([grpc.method_handlers_generic_handler(SERVICE, handlers)])
        self.port = self.server.add_insecure_port("127.0.0.1:0")

    def __enter__(self):
        self.server.start()
        return self

    def __exit__(self, *_) -> None:
        self.server.stop(grace=None)

    def client(self):
        """The real client library, talking to this double."""
        from google.cloud.secretmanager_v1 import SecretManagerServiceClient
        from google.cloud.secretmanager_v1.services.secret_manager_service.transports import (
            SecretManagerServiceGrpcTransport,
        )

        channel = grpc.insecure_channel(f"127.0.0.1:{self.port}")
        return SecretManagerServiceClient(transport=SecretManagerServiceGrpcTransport(channel=channel))

    # --- the methods ------------------------------------------------------------------------------

    def create_secret(self, request, context):
        name = f"{request.parent}/secrets/{request.secret_id}"
        if name in self.secrets:
            context.abort(grpc.StatusCode.ALREADY_EXISTS, f"Secret [{name}] already exists.")
        self.secrets[name] = types.Secret(name=name, labels=dict(request.secret.labels),
                                          replication=request.secret.replication)
        self.versions[name] = []
        return self.secrets[name]

    def list_secrets(self, request, context):
        prefix = f"{request.parent}/secrets/"
        return types.ListSecretsResponse(secrets=[s for n, s in self.secrets.items() if n.startswith(prefix)],
                                         total_size=len(self.secrets))

    def add_secret_version(self, request, context):
        if self.fail_next_add:
            self.fail_next_add = False
            context.abort(grpc.StatusCode.INTERNAL, "simulated outage")
        self._secret(request.parent, context)
        self.versions[request.parent].append(request.payload.data)
        number = len(self.versions[request.parent])
        return types.SecretVersion(name=f"{request.parent}/versions/{number}",
                                   state=types.SecretVersion.State.ENABLED)

    def access_secret_version(self, request, context):
        secret, _, version = request.name.rpartition("/versions/")
        self._secret(secret, context)
        versions = self.versions[secret]
        index = len(versions) if version == "latest" else int(version)
        if not 1 <= index <= len(versions):
            context.abort(grpc.StatusCode.NOT_FOUND, f"Secret Version [{request.name}] not found.")
        return types.AccessSecretVersionResponse(name=f"{secret}/versions/{index}",
                                                 payload=types.SecretPayload(data=versions[index - 1]))

    def delete_secret(self, request, context):
        self._secret(request.name, context)
        del self.secrets[request.name], self.versions[request.name]
        return empty_pb2.Empty()

    def _secret(self, name: str, context) -> types.Secret:
        if name not in self.secrets:
            context.abort(grpc.StatusCode.NOT_FOUND, f"Secret [{name}] not found or has no versions.")
        return self.secrets[name]
