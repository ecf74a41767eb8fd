"""`python -m deployer.schema [--check]`: rewrite (or only check) the files generated from the model and
the command line."""

import sys

from deployer.cli import HELP_SECTIONS, cli
from deployer.errors import display_path
from deployer.schema.commands import PAGE, commands_markdown
from deployer.schema.generate import generated_files


def main(argv: list[str]) -> int:
    files = {**generated_files(), PAGE: commands_markdown(cli, HELP_SECTIONS)}
    stale = [path for path, text in files.items() if not path.is_file() or path.read_text() != text]
    if "--check" in argv:
        for path in stale:
            print(f"{display_path(path)} is stale: run `python -m deployer.schema`", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(files[path])
        print(f"wrote {display_path(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
