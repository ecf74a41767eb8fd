"""The `deployer` command line (CLI.md): options and output only; the work happens in the core."""

import os
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import click

from deployer.completion import complete_environments
from deployer.console import Output
from deployer.errors import EXIT_DEPLOY_FAILED, DeployerError, SpecInvalid
from deployer.speclang.load import Spec, load_spec
from deployer.speclang.load import validate as validate_spec


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
    return click.option("--env", "env", required=required, metavar="ENV", shell_complete=complete_environments,
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
    if no_color:
        os.environ["NO_COLOR"] = "1"  # errors, printed after the command, honour it too
    ctx.obj = Context(spec_option, Output(quiet=quiet))


@cli.command()
@click.option("--yaml", "as_yaml", is_flag=True, help="write infra.yaml instead of infra.cue")
@click.option("--force", is_flag=True, help="overwrite an existing spec")
@pass_context
def init(ctx: Context, as_yaml: bool, force: bool) -> None:
    """Write a commented starter spec in the current folder (or --spec folder).

    Example: deployer init --yaml
    """
    from deployer.speclang.starter import write_starter

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
    """Set, list and remove secret values (kept in the spec's secret store, never shown).

    Example: deployer secret list --env prod
    """


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
    """Who can read the values of the file store (age public keys).

    Example: deployer secret recipients add age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
    """


@secret_recipients.command("add")
@click.argument("key")
@pass_context
def secret_recipients_add(ctx: Context, key: str) -> None:
    """Add an age public key and re-encrypt every value for it (needs your own key).

    Example: deployer secret recipients add age1ql3z7hjy54pw3hyww5ayyfg7zqgvc7w3j2elw8zmrj2kg5sfn9aqmcac8p
    """
    from deployer.secrets.commands import add_recipient

    add_recipient(ctx.spec, key, ctx.output)


# --- reviewing and deploying (the engine path: deployer/engine, deployer/plan/diff.py) ------------


@cli.command()
@env_option()
@format_option("table", "json", "markdown")
@pass_context
def plan(ctx: Context, env: str, fmt: str) -> None:
    """Every resource `up` would manage in ENV, computed offline (no cloud, no Pulumi CLI).

    Example: deployer plan --env prod --format json
    """
    from deployer.engine.preflight import deployable_env
    from deployer.plan import render
    from deployer.plan.document import build_plan
    from deployer.speclang.load import resolve

    deployable_env(ctx.spec, env)
    with ctx.output.progress(f"planning {env}"):
        document = build_plan(resolve(ctx.spec, env))
    if fmt == "json":
        ctx.output.json(document)
    elif fmt == "markdown":
        ctx.output.text(render.markdown(document))
    else:
        ctx.output.table(render.COLUMNS, render.rows(document))
        ctx.output.info(render.summary_line(document))


@cli.command()
@env_option()
@click.option("--base", "base_ref", required=True, metavar="GIT_REF",
              help="git ref whose spec is the starting point (e.g. origin/main)")
@format_option("table", "json", "markdown")
@pass_context
def diff(ctx: Context, env: str, base_ref: str, fmt: str) -> None:
    """What a change of the spec does to ENV: the plan at GIT_REF against the working tree's.

    Example: deployer diff --env prod --base origin/main --format markdown
    """
    from deployer.engine.preflight import deployable_env
    from deployer.plan.diff import diff_environment, markdown, rows, summary_line

    deployable_env(ctx.spec, env)
    with ctx.output.progress(f"planning {env} at {base_ref} and in the working tree"):
        changes = diff_environment(ctx.spec, env, base_ref)
    if fmt == "json":
        ctx.output.json(changes.as_dict())
    elif fmt == "markdown":
        ctx.output.text(markdown(changes))
    else:
        if not changes.empty:
            ctx.output.table(["", "resource", "field", "old", "new"], rows(changes))
        ctx.output.info(summary_line(changes))


def wait_option(command):
    return click.option("--wait-for-lock", "wait_for_lock", is_flag=False, flag_value="10m", default=None,
                        metavar="[DURATION]",
                        help="if another update holds the stack's lock, wait for it (default 10m)")(command)


def open_engine(ctx: Context, env: str, wait_for_lock: str | None = None, runs_program: bool = True):
    """The preflight (exit 4 with the fix on failure), then the environment's engine."""
    from deployer.engine.operations import Engine
    from deployer.engine.preflight import preflight
    from deployer.errors import UsageError
    from deployer.speclang.durations import parse_duration

    try:
        wait = parse_duration(wait_for_lock) if wait_for_lock else None
    except ValueError as err:
        raise UsageError(f"--wait-for-lock: {err}") from None
    return Engine(preflight(ctx.spec, env, runs_program), ctx.output, wait)


def confirmation(ctx: Context, yes: bool, question: str):
    """Ask on a terminal before changing anything, unless --yes; never where no one can answer."""
    from deployer.engine.progress import step_rows

    if yes or not sys.stdin.isatty():
        return None

    def ask(steps) -> bool:
        if steps:
            ctx.output.table(["op", "resource", "type", "changed inputs"], step_rows(steps))
        return click.confirm(question, default=False, err=True)

    return ask


@cli.command()
@env_option()
@wait_option
@format_option("table", "json", "markdown")
@pass_context
def preview(ctx: Context, env: str, wait_for_lock: str | None, fmt: str) -> None:
    """The Pulumi preview of ENV against its real state: each change with the inputs that differ.

    Example: deployer preview --env prod
    """
    from deployer.engine.progress import step_rows, steps_markdown, steps_summary

    steps = open_engine(ctx, env, wait_for_lock).preview()
    if fmt == "json":
        ctx.output.json({"env": env, "steps": [s.as_dict() for s in steps]})
    elif fmt == "markdown":
        ctx.output.text(steps_markdown(env, steps))
    else:
        ctx.output.table(["op", "resource", "type", "changed inputs"], step_rows(steps))
        ctx.output.info(f"{env}: {steps_summary(steps)}")


@cli.command()
@env_option()
@click.option("--yes", "-y", is_flag=True, help="deploy without asking")
@click.option("--only", type=click.Choice(["secrets"]), help="update only the secret values (a rotation)")
@wait_option
@format_option("table", "json")
@pass_context
def up(ctx: Context, env: str, yes: bool, only: str | None, wait_for_lock: str | None, fmt: str) -> None:
    """Deploy ENV (asks first on a terminal unless --yes). pr-<N> stacks are created on the way.

    Example: deployer up --env pr-42 --yes
    """
    engine = open_engine(ctx, env, wait_for_lock)
    outputs = engine.up(confirmation(ctx, yes, f"deploy these changes to {env}?"), only_secrets=only == "secrets")
    if outputs is None:
        raise click.Abort()
    if fmt == "json":
        ctx.output.json(outputs)
    else:
        ctx.output.info(f"deployed {env} (stack {engine.env.stack}); `deployer outputs --env {env}` shows its outputs")


@cli.command()
@env_option()
@click.option("--yes", "-y", is_flag=True, help="destroy without asking")
@click.option("--force-protected", is_flag=True,
              help="also remove protected (production) resources; retained ones stay in the cloud")
@wait_option
@pass_context
def destroy(ctx: Context, env: str, yes: bool, force_protected: bool, wait_for_lock: str | None) -> None:
    """Remove ENV's resources; a pr-<N> environment's stack goes too.

    Example: deployer destroy --env pr-42 --yes
    """
    engine = open_engine(ctx, env, wait_for_lock, runs_program=False)
    if not engine.destroy(confirmation(ctx, yes, f"destroy every resource of {env}?"), force_protected):
        raise click.Abort()
    ctx.output.info(f"destroyed {env}")


@cli.command()
@env_option()
@wait_option
@format_option("table", "json")
@pass_context
def refresh(ctx: Context, env: str, wait_for_lock: str | None, fmt: str) -> None:
    """Read ENV's real state back into its stack; shows what drifted.

    Example: deployer refresh --env prod
    """
    from deployer.engine.progress import step_rows

    steps = open_engine(ctx, env, wait_for_lock, runs_program=False).refresh()
    if fmt == "json":
        ctx.output.json({"env": env, "drifted": [s.as_dict() for s in steps]})
    else:
        ctx.output.table(["op", "resource", "type", "drifted inputs"], step_rows(steps))
        ctx.output.info(f"{env}: {len(steps)} resources drifted")


@cli.command()
@env_option()
@format_option("json", "encore")
@click.option("--out", "out_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="write the document to FILE instead of standard output")
@pass_context
def outputs(ctx: Context, env: str, fmt: str, out_file: str | None) -> None:
    """What the services of ENV need to connect, from its stack's state; `--format encore` is
    Encore's self-hosting infra.config.json (secrets as {"$env": NAME} references).

    Example: deployer outputs --env prod --format encore --out infra.config.json
    """
    import json

    from deployer.encore import encore_config
    from deployer.engine.operations import Engine
    from deployer.engine.preflight import state_preflight

    resolved = state_preflight(ctx.spec, env)
    document = Engine(resolved, ctx.output).outputs()
    if fmt == "encore":
        document = encore_config(resolved, document)
    if out_file:
        Path(out_file).write_text(json.dumps(document, indent=2) + "\n")
        ctx.output.info(f"wrote {out_file}")
    else:
        ctx.output.json(document)


@cli.command()
@env_option()
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="folder of the Pulumi project to write (created; must be empty)")
@pass_context
def eject(ctx: Context, env: str, out_dir: str) -> None:
    """Write a standalone Pulumi Python project for ENV that `pulumi up` runs without deployer.

    Example: deployer eject --env prod --out ./infra-prod
    """
    from deployer.eject import eject_environment
    from deployer.engine.preflight import deployable_env
    from deployer.speclang.load import resolve

    deployable_env(ctx.spec, env)
    written = eject_environment(resolve(ctx.spec, env), Path(out_dir))
    ctx.output.info(f"wrote the Pulumi project {written}; run it with `pulumi up` there "
                    "(see its README.md)")


@cli.command()
@format_option("json-schema", "cue", "markdown")
@click.option("--package", metavar="NAME", help="package clause of the CUE definitions (e.g. infra)")
@pass_context
def schema(ctx: Context, fmt: str, package: str | None) -> None:
    """Print the spec's JSON Schema, CUE definitions (#Infra) or field reference, from deployer's model.

    Example: deployer schema --format cue --package infra > infra_schema.cue
    """
    from deployer.schema.generate import render

    ctx.output.write(render(fmt, package))


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
