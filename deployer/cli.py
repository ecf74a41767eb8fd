"""The `deployer` command line (CLI.md): options and output only; the work happens in the core."""

import os
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import click

from deployer.errors import EXIT_DEPLOY_FAILED, DeployerError, SpecInvalid
from deployer.output import Output
from deployer.spec.load import Spec, load_spec
from deployer.spec.load import validate as validate_spec


@dataclass
class Context:
    spec_option: str | None
    output: Output

    @cached_property
    def spec(self) -> Spec:
        return load_spec(self.spec_option)


pass_context = click.make_pass_decorator(Context)


def format_option(*choices: str):
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0],
                        show_default=True, help="output format")


def env_option(required: bool = True):
    return click.option("--env", "env", required=required, metavar="ENV",
                        help="environment name (prod, dev, pr-42, …)")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--spec", "spec_option", metavar="PATH", envvar="DEPLOYER_SPEC",
              help="spec file, or a folder holding infra.cue / infra.yaml (default: current folder)")
@click.option("--quiet", "-q", is_flag=True, help="print results only, no progress or notes")
@click.option("--no-color", is_flag=True, help="no colours (NO_COLOR is honoured too)")
@click.version_option(package_name="deployer")
@click.pass_context
def cli(ctx: click.Context, spec_option: str | None, quiet: bool, no_color: bool) -> None:
    """Declarative deployments of caches, buckets, pub/sub, cron and secrets to AWS and GCP.

    Example: deployer plan --env prod
    """
    ctx.obj = Context(spec_option, Output(quiet=quiet, color=False if no_color else None))


@cli.command()
@click.option("--yaml", "as_yaml", is_flag=True, help="write infra.yaml instead of infra.cue")
@click.option("--force", is_flag=True, help="overwrite an existing spec")
@pass_context
def init(ctx: Context, as_yaml: bool, force: bool) -> None:
    """Write a commented starter spec in the current folder (or --spec folder).

    Example: deployer init --yaml
    """
    from deployer.spec.starter import write_starter

    written = write_starter(Path(ctx.spec_option or "."), as_yaml=as_yaml, force=force)
    ctx.output.info(f"wrote {written}; check it with `deployer validate`")


@cli.command()
@env_option(required=False)
@format_option("table", "json")
@pass_context
def validate(ctx: Context, env: str | None, fmt: str) -> None:
    """Load and check the spec, for every environment or one.

    Example: deployer validate --env prod
    """
    with ctx.output.progress("validating"):
        problems = validate_spec(ctx.spec, env)
    if fmt == "json":
        ctx.output.json({"valid": not problems, "problems": [p.as_dict() for p in problems]})
        if problems:
            sys.exit(1)
        return
    if problems:
        raise SpecInvalid(problems)
    scope = f"environment {env}" if env else f"{len(ctx.spec.environments())} environments"
    ctx.output.info(f"{ctx.spec.file.name} is valid ({scope})")


@cli.command()
@format_option("table", "json")
@pass_context
def envs(ctx: Context, fmt: str) -> None:
    """List the environments: name, type, provider, stack name.

    Example: deployer envs --format json
    """
    app = resolve_app(ctx.spec)
    rows = [
        {"name": e.name, "type": e.type, "provider": e.provider, "stack": f"{app}-{e.name}",
         "deployable": e.deployable}
        for e in ctx.spec.environments().values()
    ]
    if fmt == "json":
        ctx.output.json(rows)
        return
    ctx.output.table(["name", "type", "provider", "stack"],
                     [[r["name"], r["type"], r["provider"], r["stack"]] for r in rows])
    ctx.output.info("pr-<number> environments are previews of pull requests")


@cli.group()
def secret() -> None:
    """Set, list and remove secret values (kept in the spec's secret store, never shown)."""


def secret_target_options(command):
    command = click.option("--type", "types", metavar="T[,T…]",
                           help="environment types: production|prod, development|dev, preview|pr, local")(command)
    return env_option(required=False)(command)


@secret.command("set")
@secret_target_options
@click.argument("name")
@pass_context
def secret_set(ctx: Context, types: str | None, env: str | None, name: str) -> None:
    """Store the value of NAME, read from standard input or a hidden prompt (never an argument).

    Example: deployer secret set --type prod,dev StripeAPIKey < key.txt
    """
    from deployer.secrets.commands import set_value

    set_value(ctx.spec, name, types, env, ctx.output)


@secret.command("list")
@env_option(required=False)
@format_option("table", "json")
@pass_context
def secret_list(ctx: Context, env: str | None, fmt: str) -> None:
    """Which secrets have values where, and which value ENV gets (never the values).

    Example: deployer secret list --env prod
    """
    from deployer.secrets.commands import list_values

    list_values(ctx.spec, env, fmt, ctx.output)


@secret.command("unset")
@secret_target_options
@click.argument("name")
@pass_context
def secret_unset(ctx: Context, types: str | None, env: str | None, name: str) -> None:
    """Remove the values of NAME for the types or the environment given.

    Example: deployer secret unset --env pr-42 StripeAPIKey
    """
    from deployer.secrets.commands import unset_value

    unset_value(ctx.spec, name, types, env, ctx.output)


@secret.group("recipients")
def secret_recipients() -> None:
    """Who can read the values of the file store (age public keys)."""


@secret_recipients.command("add")
@click.argument("key")
@pass_context
def secret_recipients_add(ctx: Context, key: str) -> None:
    """Add an age public key and re-encrypt every value for it (needs your own key).

    Example: deployer secret recipients add age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
    """
    from deployer.secrets.commands import add_recipient

    add_recipient(ctx.spec, key, ctx.output)


def resolve_app(spec: Spec) -> str:
    data = spec.data()
    return str(data.get("app", "?")) if isinstance(data, dict) else "?"


def main() -> None:
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        sys.stderr.write("aborted\n")
        sys.exit(1)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except DeployerError as err:
        Output().error(str(err))
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as err:  # a bug of ours, never the user's input: say so, without a traceback
        if os.environ.get("DEPLOYER_DEBUG"):
            raise
        Output().error(f"internal error: {type(err).__name__} (run with DEPLOYER_DEBUG=1 for details)")
        sys.exit(EXIT_DEPLOY_FAILED)
