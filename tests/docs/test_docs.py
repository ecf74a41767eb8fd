"""The documentation: the README a newcomer reads on the repository's page, and the site in docs/
(mkdocs), built with --strict so that no link or anchor breaks."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text()
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_the_readme_links_only_to_files_of_the_repository():
    assert not re.search(r"https?://", README), "the README links outside the repository"
    targets = LINK.findall(README)
    assert targets
    for target in targets:
        path = (ROOT / target.split("#")[0]).resolve()
        assert path.is_relative_to(ROOT) and path.exists(), target


def test_the_readmes_development_section_holds_the_two_commands_ci_runs():
    development = README.split("\n## Development\n", 1)[1].split("\n## ", 1)[0]
    block = development.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.splitlines()]
    assert commands == ["./setup.sh", ".venv/bin/python -m pytest"]
    ci = (ROOT / ".ci/run").read_text()
    assert all(command in ci for command in commands)


def test_the_readme_has_what_deployer_is_install_a_quickstart_and_links_into_the_docs():
    headings = re.findall(r"^## (.+)$", README, re.MULTILINE)
    assert headings[:2] == ["Install", "Quickstart"] and "Development" in headings
    quickstart = README.split("\n## Quickstart\n", 1)[1].split("\n## ", 1)[0]
    steps = re.findall(r"^deployer (\w+)", quickstart, re.MULTILINE)
    assert steps == ["init", "validate", "plan", "dev", "diff"]
    assert {target.split("/")[0] for target in LINK.findall(README)} >= {"docs"}


@pytest.mark.slow
def test_the_site_builds_strictly_with_every_page(tmp_path):
    mkdocs = shutil.which("mkdocs", path=str(Path(sys.executable).parent))
    if mkdocs is None:
        pytest.skip("mkdocs is not installed (the test extras install it)")
    site = tmp_path / "site"
    build = subprocess.run([mkdocs, "build", "--strict", "--site-dir", str(site)], cwd=ROOT,
                           capture_output=True, text=True, check=False, timeout=120)
    assert build.returncode == 0, build.stderr
    pages = [page.relative_to(ROOT / "docs").with_suffix("") for page in (ROOT / "docs").rglob("*.md")]
    for page in pages:  # each one built, whether the nav of mkdocs.yml lists it or not
        built = site / ("index.html" if page.name == "index" else page / "index.html")
        assert built.is_file(), page
    assert not (site / "nav.py").exists()  # the nav's hook is no page


def test_the_commands_page_has_a_section_for_every_command_and_subcommand(deployer):
    import click

    from deployer.cli import cli

    page = (ROOT / "docs/commands.md").read_text()

    def paths(group: click.Group, prefix: str):
        for name, command in group.commands.items():
            yield f"{prefix} {name}"
            if isinstance(command, click.Group):
                yield from paths(command, f"{prefix} {name}")

    for path in paths(cli, "deployer"):
        assert f"### `{path}`" in page, path
        usage = deployer(*path.split()[1:], "--help").stdout.splitlines()[0]
        arguments = usage.split(path.removeprefix("deployer"), 1)[1]  # after the program's name, as run here
        assert f"Usage: {path}{arguments}\n" in page, usage


@pytest.mark.slow
def test_the_readmes_quickstart_runs_as_written(tmp_path):
    """Each line of the README's Quickstart in a shell, in a new git repository; but `deployer dev`, whose
    servers take fixed ports (tests/local runs it)."""
    quickstart = README.split("\n## Quickstart\n", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
                   "GIT_AUTHOR_NAME": "a", "GIT_AUTHOR_EMAIL": "a@example.com", "GIT_COMMITTER_NAME": "a",
                   "GIT_COMMITTER_EMAIL": "a@example.com", "NO_COLOR": "1"}
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    outputs = {}
    for line in quickstart.splitlines():
        command = line.split("  #")[0].strip()
        if command.startswith("deployer dev"):
            continue
        if command.startswith("deployer diff"):  # the change the comment before it asks for
            spec = tmp_path / "infra.yaml"
            spec.write_text(spec.read_text().replace("uploads: {versioned: false}", "uploads: {versioned: true}"))
        run = subprocess.run(["bash", "-c", command], cwd=tmp_path, env=environment, capture_output=True, text=True,
                             timeout=120, check=False)
        assert run.returncode == 0, (command, run.stderr)
        outputs[command.split()[1] if command.startswith("deployer") else command] = run
    assert "is valid" in outputs["validate"].stderr
    assert "BucketVersioning" in outputs["diff"].stdout and "1 to add" in outputs["diff"].stderr
    tracked = subprocess.run(["git", "ls-files"], cwd=tmp_path, capture_output=True, text=True).stdout.split()
    assert ".secrets.local.yaml" not in tracked and "infra.yaml" in tracked
