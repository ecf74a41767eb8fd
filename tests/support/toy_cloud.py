"""A third cloud, registered from outside deployer's core: buckets, and queues where the toy primitive
is registered (toy_primitive.py); its own name limit, a capability rule, defaults, stack config, mocks
and Encore mapping."""

from collections.abc import Iterable, Mapping

import pulumi

from deployer.clouds import Cloud
from deployer.errors import Finding
from deployer.speclang.environments import EnvInfo
from deployer.speclang.model import Infra
from deployer.speclang.naming import physical_name
from deployer.speclang.resolved import ResolvedEnv

NAME_LIMITS = {"bucket": 24}


class ToyQueue(pulumi.CustomResource):
    def __init__(self, name: str, queue_name: str, retention_days: int, opts: pulumi.ResourceOptions | None = None):
        super().__init__("toy:messaging:Queue", name, {"queueName": queue_name, "retentionDays": retention_days}, opts)


class ToyBucket(pulumi.CustomResource):
    bucketName: pulumi.Output[str]  # the engine sets outputs by their wire names
    url: pulumi.Output[str]

    def __init__(self, name: str, bucket_name: str, opts: pulumi.ResourceOptions | None = None):
        super().__init__("toy:storage:Bucket", name, {"bucketName": bucket_name, "url": None}, opts)


def program(env: ResolvedEnv, secrets: Mapping[str, pulumi.Input[str]]) -> None:
    buckets = {}
    for name in env.spec.buckets:
        bucket = ToyBucket(name, physical_name(env.app, env.name, name, NAME_LIMITS["bucket"]),
                           pulumi.ResourceOptions(protect=env.protect))
        buckets[name] = {"name": bucket.bucketName, "url": bucket.url}
    for name, queue in getattr(env.spec, "queues", {}).items():
        ToyQueue(name, physical_name(env.app, env.name, name, NAME_LIMITS["bucket"]), queue.retention_days)
    pulumi.export("app", env.app)
    pulumi.export("env", env.name)
    pulumi.export("provider", env.provider)
    pulumi.export("services", {
        name: {"buckets": {b: {**buckets[b], "permissions": permissions} for b, permissions in service.uses.buckets.items()}}
        for name, service in env.spec.services.items()})


def mock_answers() -> tuple:
    def state(type_: str, name: str, inputs: dict) -> tuple[str, dict]:
        if type_ == "toy:messaging:Queue":
            return inputs["queueName"], {}
        return inputs["bucketName"], {"url": f"toy://{inputs['bucketName']}"}

    return state, lambda token, args: {}


class Toy(Cloud):
    name = "toy"
    primitives = frozenset({"buckets", "queues"})
    title = "Toy Cloud"
    name_limits = NAME_LIMITS

    def rules(self, spec: Infra, env: EnvInfo) -> Iterable[Finding]:
        for name, bucket in spec.buckets.items():
            if bucket.versioned:
                yield ("buckets", name, "versioned"), "Toy Cloud keeps one version of an object"

    def stack_config(self, env: ResolvedEnv) -> dict[str, str]:
        return {"toy:zone": f"{env.name}-zone"}

    def has_credentials(self, environ: Mapping[str, str]) -> bool:
        return "TOY_TOKEN" in environ

    def program(self):
        return program

    def mocks(self):
        return mock_answers()

    def encore_storage(self, env: ResolvedEnv) -> dict:
        return {"type": "toy"}


CLOUD = Toy()
