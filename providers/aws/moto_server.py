"""moto's server for `deployer dev`, usable with the session's credentials only: any user of the
machine can reach 127.0.0.1, so every request must be signed with the access key `deployer dev`
writes on this process's standard input (never on its command line). moto's IAM checks the
signatures once INITIAL_NO_AUTH_ACTION_COUNT is 0; its `/moto-api` routes (a dump of every
resource, secrets included, and a reset) check none, so they are closed. The objects of the buckets
the spec declares public are served to anonymous GETs, as S3 serves them.

Usage: python -m deployer.providers.aws.moto_server PORT [PUBLIC_BUCKET…] < "ACCESS_KEY_ID SECRET"
"""

import json
import sys

from moto import settings
from moto.core import DEFAULT_ACCOUNT_ID
from moto.iam.models import iam_backends
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from moto.s3.models import s3_backends
from werkzeug.serving import run_simple

USER = "deployer-dev"
EVERYTHING = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}


def admit(key_id: str, secret: str) -> None:
    """The one user whose requests moto serves: KEY_ID and SECRET, allowed every action."""
    iam = iam_backends[DEFAULT_ACCOUNT_ID]["aws"]
    iam.create_user("us-east-1", USER)
    key = iam.create_access_key(USER)
    del iam.access_keys[key.physical_resource_id]
    key.access_key_id, key.secret_access_key = key_id, secret
    iam.access_keys[key.physical_resource_id] = key
    iam.put_user_policy(USER, "everything", json.dumps(EVERYTHING))
    settings.INITIAL_NO_AUTH_ACTION_COUNT = 0


def guarded(app, public: set[str]):
    def serve(environ, start_response):
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD")
        if path.startswith("/moto-api"):
            start_response("403 Forbidden", [("Content-Type", "text/plain")])
            return [b"closed under deployer dev\n"]
        bucket, _, key = path.lstrip("/").partition("/")
        if method in ("GET", "HEAD") and bucket in public and key and "HTTP_AUTHORIZATION" not in environ:
            return _public_object(bucket, key, method, start_response)
        return app(environ, start_response)

    return serve


def _public_object(bucket: str, key: str, method: str, start_response):
    try:
        stored = s3_backends[DEFAULT_ACCOUNT_ID]["aws"].get_object(bucket, key)
    except Exception:  # noqa: BLE001 (moto's missing-bucket and missing-key errors)
        stored = None
    if stored is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"no such object\n"]
    headers = [("Content-Type", stored.metadata.get("content-type", "binary/octet-stream")),
               ("Content-Length", str(stored.size))]
    start_response("200 OK", headers)
    return [] if method == "HEAD" else [stored.value]


def main() -> None:
    port, public = int(sys.argv[1]), set(sys.argv[2:])
    admit(*sys.stdin.read().split())
    run_simple("127.0.0.1", port, guarded(DomainDispatcherApplication(create_backend_app), public),
               threaded=True, request_handler=MotoRequestHandler)


if __name__ == "__main__":
    main()
