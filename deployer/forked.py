"""Work done in a forked copy of this process (its modules imported, its data read), beside the work
this process goes on with: where a command waits on two independent computations, two cores serve it."""

import gc
import os
import pickle
import select
import struct
import traceback
from collections.abc import Callable, Sequence
from typing import TypeVar

from deployer.errors import DeployerError

T = TypeVar("T")
Item = TypeVar("Item")
_INDEX = struct.Struct("I")
MAX_SHARED = select.PIPE_BUF // _INDEX.size  # their indices written at once, before either process reads
_in_fork = False  # this process is a forked one


def forked(work: Callable[[], T]) -> Callable[[], T]:
    """Start `work` in a forked process and return what waits for its result (or raises its error);
    where processes cannot fork, or in a forked process already (diff's base plan, whose plan would
    fork again), `work` itself, run when waited for. The forked process never collects cycles and
    ends without freeing what it made: the kernel takes its memory back at once."""
    global _in_fork
    if _in_fork or not hasattr(os, "fork"):
        return work
    readable, writable = os.pipe()
    child = os.fork()
    if child == 0:
        try:
            os.close(readable)
            gc.disable()
            _in_fork = True
            with open(writable, "wb") as pipe:
                pipe.write(_outcome(work))
        finally:
            # Gone without flushing streams: a thread of the parent (a spinner) may have held their lock at the fork.
            os._exit(0)
    os.close(writable)

    def result() -> T:
        try:
            with open(readable, "rb") as pipe:
                pickled = pipe.read()
        finally:
            os.waitpid(child, 0)
        if not pickled:
            raise DeployerError("a forked computation ended without its result")
        value, failure = pickle.loads(pickled)
        if failure:
            raise failure
        return value

    return result


def _outcome(work: Callable[[], T]) -> bytes:
    """(what `work` returned, None) or (None, what it raised), pickled: the parent raises it as if it
    had done the work itself (an unexpected error with the forked process's traceback as a note)."""
    try:
        outcome = (work(), None)
    except Exception as err:  # noqa: BLE001 - raised again in the parent
        if not isinstance(err, DeployerError):  # a message to its user, never shown with a traceback
            err.add_note("".join(traceback.format_exception(err)))
        outcome = (None, err)
    try:
        pickled = pickle.dumps(outcome)
        if outcome[1] is not None:
            pickle.loads(pickled)  # an exception its class cannot rebuild from its arguments fails here, not there
    except Exception:  # noqa: BLE001 - its text and traceback instead
        text = "".join(traceback.format_exception(outcome[1])) if outcome[1] else "the result does not pickle"
        pickled = pickle.dumps((None, RuntimeError(text)))
    return pickled


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
