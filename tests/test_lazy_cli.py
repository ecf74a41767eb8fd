"""`deployer --help` loads neither the model (pydantic), CUE, the spec loader nor a cloud SDK: help
comes at the speed of click."""

import subprocess
import sys

PRINT_HELP_AND_MODULES = """
import sys
from deployer.cli import main
sys.argv = ["deployer", "--help"]
try:
    main()
except SystemExit:
    pass
print(" ".join(sys.modules), file=sys.stderr)
"""


def test_help_imports_no_model_cue_or_cloud():
    result = subprocess.run([sys.executable, "-c", PRINT_HELP_AND_MODULES], capture_output=True, text=True,
                            check=True)
    assert "Usage: deployer" in result.stdout
    loaded = set(result.stderr.split())
    heavy = {"pydantic", "pulumi", "pulumi_aws", "pulumi_gcp", "boto3", "yaml", "deployer.speclang.load",
             "deployer.speclang.cue", "deployer.speclang.model", "deployer.clouds"}
    assert loaded & heavy == set()
