"""The engine's events, shown live (resource, operation, status) and kept for the preview's diff."""

from dataclasses import dataclass, field

from pulumi import automation as auto

from deployer.console import Output

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

    def as_dict(self) -> dict:
        return {"op": self.op, "urn": self.urn, "type": self.type, "name": self.name, "fields": self.fields}


@dataclass
class EventDisplay:
    """An `on_event` callback: prints each resource step as it starts and ends, on stderr."""

    output: Output
    steps: list[Step] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def __call__(self, event: auto.EngineEvent) -> None:
        if event.resource_pre_event:
            step = _step(event.resource_pre_event.metadata)
            if (step.op in UNCHANGED and not step.fields) or step.type == "pulumi:pulumi:Stack":
                return
            self.steps.append(step)
            if not event.resource_pre_event.planning:
                self.output.info(f"  {step.op:<10} {step.type}  {step.name} …")
        elif event.res_outputs_event and not event.res_outputs_event.planning:
            step = _step(event.res_outputs_event.metadata)
            if step.op not in UNCHANGED and step.type != "pulumi:pulumi:Stack":
                self.output.info(f"  {step.op:<10} {step.type}  {step.name} done")
        elif event.res_op_failed_event:
            step = _step(event.res_op_failed_event.metadata)
            self.failed.append(step.urn)
            self.output.error(f"  {step.op:<10} {step.type}  {step.name} FAILED")
        elif event.diagnostic_event and event.diagnostic_event.severity == "error":
            self.output.error(event.diagnostic_event.message.rstrip())


def _step(metadata: auto.events.StepEventMetadata) -> Step:
    fields = sorted((metadata.detailed_diff or {}).keys() or (metadata.diffs or []))
    return Step(op=metadata.op.value, urn=metadata.urn, type=metadata.type, fields=fields)


def step_rows(steps: list[Step]) -> list[list[str]]:
    return [[s.op, s.name, s.type, ", ".join(s.fields)] for s in steps]


def steps_summary(steps: list[Step]) -> str:
    counts: dict[str, int] = {}
    for step in steps:
        counts[step.op] = counts.get(step.op, 0) + 1
    return ", ".join(f"{n} to {op}" for op, n in sorted(counts.items())) or "no changes"


def steps_markdown(env: str, steps: list[Step]) -> str:
    """A pull-request comment: the counts first, the steps folded."""
    lines = [f"**{env}** (Pulumi preview): {steps_summary(steps)}."]
    if steps:
        lines += ["", "<details><summary>Details</summary>", "", "| op | resource | type | changed inputs |",
                  "|---|---|---|---|"]
        lines += ["| " + " | ".join(f"`{cell}`" if cell else "" for cell in row) + " |" for row in step_rows(steps)]
        lines += ["", "</details>"]
    return "\n".join(lines)
