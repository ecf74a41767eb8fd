"""Work done in a forked copy of this process (its modules imported, its data read), beside the work
this process goes on with: where a command waits on two independent computations, two cores serve it."""

import multiprocessing
from collections.abc import Callable
from typing import TypeVar

from deployer.errors import DeployerError

T = TypeVar("T")


def forked(work: Callable[[], T]) -> Callable[[], T]:
    """Start `work` in a forked process and return what waits for its result (or raises its
    DeployerError); where processes cannot fork, `work` itself, run when waited for."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return work
    receiving, sending = multiprocessing.Pipe(duplex=False)

    def child() -> None:
        try:
            sending.send((work(), None))
        except DeployerError as err:
            sending.send((None, err))

    process = multiprocessing.get_context("fork").Process(target=child, daemon=True)
    process.start()
    sending.close()

    def result() -> T:
        try:
            value, failure = receiving.recv()
        except EOFError:
            raise DeployerError("a forked computation ended without its result") from None
        finally:
            process.join()
        if failure:
            raise failure
        return value

    return result
