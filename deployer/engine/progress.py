"""The engine's events, shown live (resource, operation, status) and kept for the preview's diff."""

from collections.abc import Callable
from dataclasses import dataclass, field

from pulumi import automation as auto

from deployer.console import Console

UNCHANGED = {"same", "read", "refresh"}


@dataclass
class Step:
    op: str
    urn: str
    type: str
    fields: list[str]     # the inputs that differ (never their values: they may be secret)

    @property
    def name(self) -> str:
        return self.urn.rsplit("::", 1)[-1]


@dataclass
class EventDisplay:
    """An `on_event` callback: prints each resource step as it starts and ends, on stderr, and gives
    STATUS the counts (`12 done, 3 in progress`)."""

    console: Console
    steps: list[Step] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    status: Callable[[str], None] = lambda _counts: None
    done: int = 0

    def __call__(self, event: auto.EngineEvent) -> None:
        if event.resource_pre_event:
            step = _step(event.resource_pre_event.metadata)
            if (step.op in UNCHANGED and not step.fields) or step.type == "pulumi:pulumi:Stack":
                return
            self.steps.append(step)
            if not event.resource_pre_event.planning:
                self.console.info(f"  {step.op:<10} {step.type}  {step.name} …")
                self._counts()
        elif event.res_outputs_event and not event.res_outputs_event.planning:
            step = _step(event.res_outputs_event.metadata)
            if step.op not in UNCHANGED and step.type != "pulumi:pulumi:Stack":
                self.console.info(f"  {step.op:<10} {step.type}  {step.name} done")
                self.done += 1
                self._counts()
        elif event.res_op_failed_event:
            step = _step(event.res_op_failed_event.metadata)
            self.failed.append(step.urn)
            self.console.error(f"  {step.op:<10} {step.type}  {step.name} FAILED")
            self._counts()
        elif event.diagnostic_event and event.diagnostic_event.severity == "error":
            self.console.error(event.diagnostic_event.message.rstrip())


    def _counts(self) -> None:
        failed = f", {len(self.failed)} failed" if self.failed else ""
        self.status(f"{self.done} done, {len(self.steps) - self.done - len(self.failed)} in progress{failed}")


def _step(metadata: auto.events.StepEventMetadata) -> Step:
    fields = sorted((metadata.detailed_diff or {}).keys() or (metadata.diffs or []))
    return Step(op=metadata.op.value, urn=metadata.urn, type=metadata.type, fields=fields)
