"""Pausing Python's cyclic garbage collector around work that allocates many objects and frees few
of them: reading a large spec, running a plan under Pulumi's mocks."""

import gc
from contextlib import contextmanager


@contextmanager
def without_cycle_collection():
    """Every collection would only rescan the objects the work keeps, over and over: more of them
    each time (reading a 1,000-service spec took twice as long, planning it three times). Once the
    work is done, what it made joins the oldest generation untraced (gc.freeze, then gc.unfreeze):
    left young, the first collection after a 1,000-service validate traced all of it for 0.19 s and
    freed nothing. Its cycles are collected with that generation."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
