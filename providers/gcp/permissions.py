"""What each bucket permission of the spec needs from Cloud Storage, and the roles that grant it: read
by the program (bucket.py), and by the names check and `deployer up`'s count of the custom roles an
environment makes."""

from collections.abc import Iterable, Iterator

from deployer.errors import SpecPath
from deployer.providers.shared import deployment_uses
from deployer.speclang.model import Infra

OBJECTS = "objects"  # the kind of resource the buckets' custom roles grant on

# An upload through the XML API's multipart uploads also starts, aborts and lists the parts of one
# (a resumable upload needs `storage.objects.create` alone).
MULTIPART_UPLOAD = frozenset({"storage.multipartUploads.create", "storage.multipartUploads.abort",
                              "storage.multipartUploads.listParts"})
# What each bucket permission of the spec needs from Cloud Storage. `attrs` reads metadata, which
# `storage.objects.get` covers; `public-url` needs nothing (the bucket is public).
BUCKET_PERMISSIONS: dict[str, frozenset[str]] = {
    "download": frozenset({"storage.objects.get"}),
    "upload": frozenset({"storage.objects.create"}) | MULTIPART_UPLOAD,
    "list": frozenset({"storage.objects.list"}),
    "remove": frozenset({"storage.objects.delete"}),
    "attrs": frozenset({"storage.objects.get"}),
    "public-url": frozenset(),
}
# Predefined roles by the object and multipart-upload permissions they grant; one is used only when
# it grants exactly what the service lists, otherwise a custom role does (identity.py).
PREDEFINED_BUCKET_ROLES: dict[frozenset[str], str] = {
    frozenset({"storage.objects.get"}): "roles/storage.legacyObjectReader",
    frozenset({"storage.objects.get", "storage.objects.list"}): "roles/storage.objectViewer",
    BUCKET_PERMISSIONS["upload"]: "roles/storage.objectCreator",
}


def needed_permissions(permissions: Iterable[str]) -> frozenset[str]:
    return frozenset().union(*(BUCKET_PERMISSIONS[permission] for permission in permissions))


def custom_roles(uses: Iterable[list[str]]) -> set[frozenset[str]]:
    """The permissions of each custom role the buckets' grants of USES (each service's permissions on
    one bucket) make: one per set that no predefined role grants exactly (identity.CustomRole)."""
    needed = {needed_permissions(permissions) for permissions in uses}
    return {permissions for permissions in needed if permissions and permissions not in PREDEFINED_BUCKET_ROLES}


def object_verbs(permissions: frozenset[str]) -> tuple[str, ...]:
    """`get`, `create`, … of the object permissions among PERMISSIONS, which name a custom role."""
    return tuple(sorted(p.rsplit(".", 1)[1] for p in permissions if p.startswith("storage.objects.")))


def role_logical_name(kind: str, verbs: tuple[str, ...]) -> str:
    return f"{kind}.{'-'.join(verbs)}"


def identity_bucket_uses(spec: Infra) -> Iterator[tuple[SpecPath, list[str]]]:
    """Each identity's permissions on each bucket it uses (a deployment's: the union of its services'), at
    the grant's spec path: a service's `uses` entry, or the deployment."""
    for at, services in spec.identities():
        for bucket, used in deployment_uses(spec, services).get("buckets", {}).items():
            yield ((*at, "uses", "buckets", bucket) if at[0] == "services" else at), used
