"""Child processes that die with deployer, even a killed one: Linux's prctl(PR_SET_PDEATHSIG)."""

import ctypes
import os
import sys
from collections.abc import Callable

PR_SET_PDEATHSIG = 1
# Found before any fork: loading a library in a forked child of a threaded process may deadlock.
_prctl = ctypes.CDLL(None, use_errno=True).prctl if sys.platform == "linux" else None


def dying_with_deployer(signum: int) -> Callable[[], None] | None:
    """A `preexec_fn` for subprocess.Popen: the child gets SIGNUM when the deployer thread that started
    it dies (None where the system has no such call)."""
    parent = os.getpid()

    def arm() -> None:
        _prctl(PR_SET_PDEATHSIG, signum)
        if os.getppid() != parent:  # deployer died between the fork and the call: no signal would come
            os.kill(os.getpid(), signum)

    return arm if _prctl else None
