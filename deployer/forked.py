"""Work done in a forked copy of this process (its modules imported, its data read), beside the work
this process goes on with: where a command waits on two independent computations, two cores serve it."""

import multiprocessing
import os
import select
import struct
from collections.abc import Callable, Sequence
from typing import TypeVar

from deployer.errors import DeployerError

T = TypeVar("T")
Item = TypeVar("Item")
_INDEX = struct.Struct("I")
MAX_SHARED = select.PIPE_BUF // _INDEX.size  # their indices written at once, before either process reads


def forked(work: Callable[[], T]) -> Callable[[], T]:
    """Start `work` in a forked process and return what waits for its result (or raises its error);
    where processes cannot fork, `work` itself, run when waited for."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return work
    receiving, sending = multiprocessing.Pipe(duplex=False)

    def child() -> None:
        try:
            outcome = (work(), None)
        except Exception as err:  # noqa: BLE001 - the parent reports it, as if it had done the work itself
            outcome = (None, err)
        try:
            sending.send(outcome)
        except Exception as err:  # noqa: BLE001 - an error that does not pickle
            sending.send((None, RuntimeError(f"{type(err).__name__} in a forked process: {err}")))
        # Gone without flushing streams: a thread of the parent (a spinner) may have held their lock at the fork.
        os._exit(0)

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


def each_in_two_processes(work: Callable[[Item], T], items: Sequence[Item]) -> list[T]:
    """`[work(item) for item in items]`, this process and a forked one each taking the next item that
    neither has taken until none is left (items that take long do not leave one process idle)."""
    if not 1 < len(items) <= MAX_SHARED:
        return [work(item) for item in items]
    readable, writable = os.pipe()  # the items' indices, each read by one process only
    os.write(writable, b"".join(_INDEX.pack(index) for index in range(len(items))))
    os.close(writable)

    def share() -> dict[int, T]:
        done = {}
        while taken := os.read(readable, _INDEX.size):
            (index,) = _INDEX.unpack(taken)
            done[index] = work(items[index])
        return done

    try:
        theirs = forked(share)
        results = {**share(), **theirs()}
    finally:
        os.close(readable)
    return [results[index] for index in range(len(items))]
