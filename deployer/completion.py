"""Shell completion beyond click's own: the environment names of the spec for `--env`."""

import click
from click.shell_completion import CompletionItem


def complete_environments(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """The spec's environments starting with `incomplete`, each with its type and provider as help."""
    from deployer.speclang.load import load_spec  # not for the help of every command

    try:
        spec = load_spec(ctx.find_root().params.get("spec_option"))
        environments = spec.environments()
    # A completion runs inside the user's shell: whatever goes wrong (no spec, a broken spec, no CUE),
    # it offers nothing rather than printing an error into the command line being typed.
    except Exception:  # noqa: BLE001
        return []
    return [
        CompletionItem(name, help=f"{info.type}, {info.provider}")
        for name, info in environments.items()
        if name.startswith(incomplete)
    ]
