"""The GCP provider: a resolved environment as Pulumi resources of pulumi-gcp."""

from providers import ProviderProgram
from providers.gcp.mocks import mock_call, mock_state
from providers.gcp.program import program

PROVIDER = ProviderProgram(program=program, mock_state=mock_state, mock_call=mock_call)
