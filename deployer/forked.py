"""Work done in a forked copy of this process (its modules imported, its data read), beside the work
this process goes on with: where a command waits on two independent computations, two cores serve it.
The forked process never outlives this one: it dies on Ctrl-C, with this process (even a killed one),
and when this process stops waiting for it."""

import gc
import os
import pickle
import select
import signal
import struct
import traceback
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

from deployer.children import dying_with_deployer
from deployer.errors import EXIT_DEPLOY_FAILED, DeployerError

T = TypeVar("T")
Item = TypeVar("Item")
_INDEX = struct.Struct("I")
MAX_SHARED = select.PIPE_BUF // _INDEX.size  # their indices written at once, before either process reads
_in_fork = False  # this process is a forked one
# Signals that end the forked process at once (a terminal's Ctrl-C reaches both processes; this one
# reports it), rather than through this process's handlers, which it inherits.
_ENDING = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Forked(Generic[T]):
    """What waits for a forked process's result: called, its result (or its error raised); as a
    context, the forked process is killed on leaving it uncalled, or on anything interrupting the wait."""

    def __init__(self, work: Callable[[], T]):
        self._work, self._child, self._readable, self._running = work, 0, None, False
        if _in_fork or not hasattr(os, "fork"):
            return
        dying = dying_with_deployer(signal.SIGKILL)  # made here: it checks that this process is the parent
        readable, writable = os.pipe()
        self._child = os.fork()
        if self._child == 0:
            _run_forked(work, readable, writable, dying)
        os.close(writable)
        self._readable, self._running = readable, True

    def __enter__(self) -> "Forked[T]":
        return self

    def __exit__(self, *_) -> None:
        self.stop()

    def __call__(self) -> T:
        if not self._child:
            return self._work()
        try:
            with open(self._readable, "rb", closefd=False) as pipe:
                pickled = pipe.read()
            _, status = os.waitpid(self._child, 0)
            self._running = False
        finally:
            self.stop()
        if not pickled:
            raise _lost(status)
        value, failure = pickle.loads(pickled)
        if failure:
            raise failure
        return value

    def stop(self) -> None:
        """Kill the forked process if it runs, and reap it (a no-op once its result is in)."""
        if self._readable is not None:
            os.close(self._readable)
            self._readable = None
        if self._running:
            os.kill(self._child, signal.SIGKILL)
            os.waitpid(self._child, 0)
            self._running = False


def forked(work: Callable[[], T]) -> Forked[T]:
    """Start `work` in a forked process and return what waits for its result (or raises its error);
    where processes cannot fork, or in a forked process already (diff's base plan, whose plan would
    fork again), `work` itself, run when waited for. The forked process never collects cycles and
    ends without freeing what it made: the kernel takes its memory back at once."""
    return Forked(work)


def _run_forked(work: Callable[[], T], readable: int, writable: int, dying: Callable[[], None] | None) -> None:
    global _in_fork
    try:
        for signum in _ENDING:
            signal.signal(signum, signal.SIG_DFL)
        if dying:
            dying()  # dies at once where the parent is gone already
        os.close(readable)
        gc.disable()
        _in_fork = True
        with open(writable, "wb") as pipe:
            pipe.write(_outcome(work))
    finally:
        # Gone without flushing streams: a thread of the parent (a spinner) may have held their lock at the fork.
        os._exit(0)


def _lost(status: int) -> BaseException:
    """What the forked process's end without a result means here: Ctrl-C, or a failure naming its cause."""
    if os.WIFSIGNALED(status):
        signum = os.WTERMSIG(status)
        if signum == signal.SIGINT:
            return KeyboardInterrupt()
        return DeployerError(f"the forked process computing this was killed by {signal.Signals(signum).name} "
                             "(the out-of-memory killer sends SIGKILL: see `dmesg`)", EXIT_DEPLOY_FAILED)
    return DeployerError(f"the forked process computing this ended with status {os.waitstatus_to_exitcode(status)} "
                         "without its result", EXIT_DEPLOY_FAILED)


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
        with forked(share) as theirs:
            results = {**share(), **theirs()}
    finally:
        os.close(readable)
    return [results[index] for index in range(len(items))]
