"""`python -m deployer`: the `deployer` command."""

from deployer.cli import main

main()
