"""Running a provider's Pulumi program under Pulumi's mock runtime: every resource, offline."""

import asyncio
import contextvars
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
from pulumi.runtime import mocks as pulumi_mocks
from pulumi.runtime import rpc, settings
from pulumi.runtime.stack import Stack, run_pulumi_func

from deployer.cycles import without_cycle_collection
from deployer.forked import forked

SECRET = "[secret]"


@dataclass(frozen=True)
class PlannedResource:
    urn: str
    type: str
    name: str
    inputs: dict
    depends_on: list[str]
    protect: bool
    parent: str | None
    retain_on_delete: bool = False


@dataclass
class OfflineRun:
    resources: list[PlannedResource] = field(default_factory=list)
    outputs: dict = field(default_factory=dict)


class PlaceholderMocks(pulumi_mocks.Mocks):
    """Mock engine answers: a provider supplies `state(type, name, inputs) -> (id, outputs)`
    and `call(token, args) -> result` that fill IDs, ARNs and URLs in its own formats."""

    def __init__(self, state: Callable[[str, str, dict], tuple[str, dict]],
                 call: Callable[[str, dict], dict]):
        self._state = state
        self._call = call

    def new_resource(self, args: pulumi_mocks.MockResourceArgs) -> tuple[str, dict]:
        resource_id, extra = self._state(args.typ, args.name, args.inputs)
        return resource_id, {**args.inputs, **extra}

    def call(self, args: pulumi_mocks.MockCallArgs) -> dict:
        return self._call(args.token, args.args)


class _RecordingMonitor(pulumi_mocks.MockMonitor):
    """The mock monitor, also keeping what `plan` reports: dependencies, protection, parents."""

    def __init__(self, mocks: pulumi_mocks.Mocks, run: OfflineRun):
        super().__init__(mocks)
        self.run = run

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        # As the real engine: children of the stack carry no parent type in their URN.
        return super().make_urn("" if "pulumi:pulumi:Stack" in parent else parent, type_, name)

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        if request.type == "pulumi:pulumi:Stack":
            return response
        inputs = rpc.deserialize_properties(request.object)
        self.run.resources.append(PlannedResource(
            urn=response.urn,
            type=request.type,
            name=request.name,
            inputs=mask_secrets(inputs),
            depends_on=sorted(set(request.dependencies)),
            protect=bool(request.protect),
            parent=request.parent if request.parent and "pulumi:pulumi:Stack" not in request.parent else None,
            retain_on_delete=bool(request.retainOnDelete),
        ))
        return response


def mask_secrets(value: Any) -> Any:
    """A value as the plan shows it: every secret in it replaced by "[secret]"."""
    if rpc.is_rpc_secret(value):
        return SECRET
    if isinstance(value, dict):
        return {k: mask_secrets(v) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_secrets(v) for v in value]
    if isinstance(value, float) and value.is_integer():  # the wire has no integers
        return int(value)
    return value


def run_offline(program: Callable[[], None], mocks: pulumi_mocks.Mocks,
                project: str, stack: str, in_fork: bool = False) -> OfflineRun:
    """Run `program` as `pulumi up` would, against mocks instead of a cloud, with the cycle collector
    paused: the SDK keeps every resource, output and task it makes until the end, so each collection
    would rescan more of them. `in_fork`: in a forked copy of this process, which sends back what it
    recorded and ends without freeing those objects (5 million in cycles at 1,000 services: collecting
    them took a quarter of the plan's time)."""
    def run() -> OfflineRun:
        with without_cycle_collection():
            return contextvars.copy_context().run(_run, program, mocks, project, stack)

    return forked(run)() if in_fork else run()


def _run(program: Callable[[], None], mocks: pulumi_mocks.Mocks, project: str, stack: str) -> OfflineRun:
    run = OfflineRun()
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        settings.ROOT.set(None)
        settings.SETTINGS.rpc_manager.clear()
        settings.SETTINGS.outputs.clear()
        pulumi_mocks.set_mocks(mocks, project=project, stack=stack, preview=False,
                               monitor=_RecordingMonitor(mocks, run))
        root: Stack = settings.get_root_resource()

        async def body() -> None:
            program()
            root._finish()

        loop.run_until_complete(run_pulumi_func(body))
        resolved = loop.run_until_complete(_resolve_outputs(root.outputs))
        run.outputs = resolved
    finally:
        # What a failed program leaves pending ends here, and the SDK's globals let go of this run's
        # objects: none lingers to be collected (and reported by asyncio) in some later work.
        pending = asyncio.all_tasks(loop)
        for task in pending:
            task.cancel()
        loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        settings.SETTINGS.rpc_manager.clear()
        settings.SETTINGS.outputs.clear()
        loop.close()
        asyncio.set_event_loop(None)
    return run


async def _resolve_outputs(outputs: dict) -> dict:
    resolved = {}
    for name, value in outputs.items():
        output = pulumi.Output.from_input(value)
        resolved[name] = SECRET if await output.is_secret() else await output.future()
    return resolved
