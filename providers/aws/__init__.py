"""The AWS provider (pulumi-aws v7)."""

from providers import ProviderProgram
from providers.aws.mocks import mock_call, mock_state
from providers.aws.program import program

PROVIDER = ProviderProgram(program=program, mock_state=mock_state, mock_call=mock_call)
