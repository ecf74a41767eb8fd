"""`preview`, `up`, `destroy`, `refresh` and `outputs` of one environment, through the engine."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from deployer.console import Console
from deployer.engine.progress import EventDisplay, Step
from deployer.engine.stack import (
    engine_errors,
    masked_outputs,
    open_stack,
    protected_resources,
    secret_version_urns,
    unprotect_all,
    with_lock_wait,
)
from deployer.errors import UsageError
from deployer.speclang.resolved import ResolvedEnv

# Asked before a change is made: the steps the preview found -> go ahead?
Confirm = Callable[[list[Step]], bool]


@dataclass
class Engine:
    env: ResolvedEnv
    console: Console
    wait_for_lock: timedelta | None = None

    def _run(self, verb: str, operation: Callable[[], object], display: EventDisplay | None = None) -> object:
        with engine_errors(self.env), self.console.progress(f"{verb} {self.env.stack}") as status:
            if display:
                display.status = lambda counts: status(f"{verb} {self.env.stack}: {counts}")
            return with_lock_wait(operation, self.wait_for_lock)

    def preview(self, targets: list[str] | None = None) -> list[Step]:
        """Every change `up` would make, with the inputs that differ."""
        stack = open_stack(self.env, secret_values(self.env))
        display = EventDisplay(self.console)
        self._run("previewing", lambda: stack.preview(diff=True, target=targets, on_event=display, color="never"))
        return display.steps

    def up(self, confirm: Confirm | None, only_secrets: bool = False) -> dict | None:
        """Deploy (only the secret values where `only_secrets`); the outputs, or None if declined."""
        targets = self._secret_targets() if only_secrets else None
        if confirm is not None:
            steps = self.preview(targets)
            if not steps:
                self.console.info(f"{self.env.stack} is up to date")
                return masked_outputs(open_stack(self.env, create=False).outputs())
            if not confirm(steps):
                return None
        stack = open_stack(self.env, secret_values(self.env))
        display = EventDisplay(self.console)
        result = self._run("deploying", lambda: stack.up(target=targets, on_event=display, color="never"), display)
        return masked_outputs(result.outputs)

    def _secret_targets(self) -> list[str]:
        from deployer.plan.document import build_plan

        targets = secret_version_urns(build_plan(self.env))
        if not targets:
            raise UsageError(f"no service of {self.env.name} uses a secret: there is no secret value to update")
        return targets

    def destroy(self, confirm: Confirm | None, force_protected: bool = False) -> bool:
        """Remove every resource (a preview environment's stack too); False if declined."""
        stack = open_stack(self.env, create=False)
        protected = protected_resources(stack)
        if protected and not force_protected:
            names = ", ".join(urn.rsplit("::", 1)[-1] for urn in protected[:5])
            more = f" and {len(protected) - 5} more" if len(protected) > 5 else ""
            raise UsageError(f"{self.env.name} has {len(protected)} protected resources ({names}{more}); "
                             "destroy refuses them unless --force-protected (retained resources stay in "
                             "the cloud even then)")
        if confirm is not None and not confirm([]):
            return False
        display = EventDisplay(self.console)

        def destroy() -> None:
            if protected:
                unprotect_all(stack)
            stack.destroy(on_event=display, color="never")
            if self.env.type == "preview":
                stack.workspace.remove_stack(self.env.stack)

        self._run("destroying", destroy, display)
        return True

    def refresh(self) -> list[Step]:
        """Read the real state back; the resources whose state drifted."""
        stack = open_stack(self.env, create=False)
        display = EventDisplay(self.console)
        self._run("refreshing", lambda: stack.refresh(on_event=display, color="never"))
        return display.steps

    def outputs(self) -> dict:
        stack = open_stack(self.env, create=False)
        return self._run("reading", lambda: masked_outputs(stack.outputs()))


def secret_values(env: ResolvedEnv) -> dict[str, str]:
    from deployer.secrets.resolution import resolve_secret_values

    return dict(resolve_secret_values(env, env.spec_file))
