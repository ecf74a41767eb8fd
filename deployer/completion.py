"""Shell completion beyond click's own: the spec's environments for `--env` (without those the command
refuses), environment types for `secret … --type`, and the spec's secret names."""

import os

import click
from click.shell_completion import CompletionItem

LATE_SPEC = "deployer.spec"  # ctx.meta: a --spec given after the subcommand
# The longest a CUE evaluation may keep a Tab press waiting: then no completion (a cached one is at once).
CUE_SECONDS = 5


def _spec(ctx: click.Context):
    """The spec the command line names, or None. A completion runs inside the user's shell: whatever
    goes wrong (no spec, a broken spec, no CUE), it offers nothing rather than printing an error into
    the command line being typed."""
    from deployer.speclang.cue import TIMEOUT, limit
    from deployer.speclang.load import load_spec  # not for the help of every command

    try:
        os.environ[TIMEOUT[0]] = str(min(limit(TIMEOUT), CUE_SECONDS))  # this process only completes
        return load_spec(ctx.meta.get(LATE_SPEC) or ctx.find_root().params.get("spec_option"))
    except Exception:  # noqa: BLE001
        return None


def complete_environments(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The spec's environments starting with `incomplete`, each with its type and provider as help."""
    return _environments(ctx, incomplete, local=True)


def complete_deployable_environments(ctx: click.Context, param: click.Parameter,
                                     incomplete: str) -> list[CompletionItem]:
    """The same, without the local environments (which a command that deploys or plans refuses)."""
    return _environments(ctx, incomplete, local=False)


def _environments(ctx: click.Context, incomplete: str, local: bool) -> list[CompletionItem]:
    try:
        environments = spec.environments() if (spec := _spec(ctx)) else {}
    except Exception:  # noqa: BLE001 (as _spec)
        return []
    return [
        CompletionItem(name, help=f"{info.type}, {info.provider}")
        for name, info in environments.items()
        if name.startswith(incomplete) and (local or info.deployable)
    ]


def complete_env_types(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """`--type T[,T…]`: the environment types (and their short names) for the last of the list."""
    from deployer.speclang.model import ENV_TYPE_ALIASES, ENV_TYPES

    given, _, last = incomplete.rpartition(",")
    prefix = f"{given}," if given else ""
    names = {**{name: "" for name in ENV_TYPES}, **{alias: f"= {full}" for alias, full in ENV_TYPE_ALIASES.items()}}
    return [CompletionItem(prefix + name, help=help_) for name, help_ in names.items() if name.startswith(last)]


def complete_secret_names(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The secrets the spec declares, with their descriptions as help."""
    try:
        infra = spec.base[0] if (spec := _spec(ctx)) else None
    except Exception:  # noqa: BLE001 (as _spec)
        return []
    declared = infra.secrets if infra else {}
    # one line of help: zsh reads an item per three lines, fish a tab as the end of the value
    return [CompletionItem(name, help=" ".join((secret.description or "").split())) for name, secret in declared.items()
            if name.startswith(incomplete)]
