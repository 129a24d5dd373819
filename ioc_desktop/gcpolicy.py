"""The cyclic garbage collector's thresholds for a process that ingests a feed.

A feed makes and drops a stream of small objects (frames, records, rows) that
reference counting frees; almost none are cycles.  With CPython's default thresholds
(700, 10, 10) the youngest generation is collected every few hundred events, and each
collection walks every young container — the writer's lists of row values, the batches
waiting for it — while holding the GIL, which stops every other thread of the process
(the store writer's SQLite work included).  Measured on ``ioc-desktop sync`` of 200,000
events (bench/catch_up.py, 2 cores): about a fifth of the wall time.

:func:`apply` raises the youngest generation's threshold, once per process, unless the
process already chose its own thresholds: collections then come every 20,000 net new
objects, still often enough for what cycles a GUI makes (Qt closures, tracebacks).
The app's service calls it when it starts (offline too), the feed client when it
starts (for a process without the service).
:func:`freeze_after_start` then keeps full collections short (the app calls it a few
seconds after its state is loaded, once the first live frame is drawn).  :func:`paused`
holds collections off while a thread builds a large set of new objects that holds no
cycle (a store batch, a review jump).
"""
from __future__ import annotations

import gc
import os
import threading
from contextlib import contextmanager
from typing import Iterator

DEFAULT = (700, 10, 10)          # CPython's own
FEED = (20_000, 10, 10)

_lock = threading.RLock()       # (a finalizer run by paused()'s collection may pause)
_applied = False
_frozen = False
_pauses = 0                      # threads inside paused()
_resume = False                  # whether the first of them found the collector on


def apply() -> bool:
    """Set :data:`FEED` unless the thresholds are not CPython's default (someone chose
    them); True if they were set now."""
    global _applied
    with _lock:
        if _applied:
            return False
        _applied = True
        if gc.get_threshold() != DEFAULT:
            return False
        gc.set_threshold(*FEED)
        return True


def freeze_after_start() -> bool:
    """Move every object alive once the app has started (modules, Qt wrappers, plugin
    tables, the state loaded) into the collector's permanent generation, after one
    collection: a full (generation 2) collection then walks only what came since, not
    the whole start-up heap again (each one paused every thread of the process for
    up to 0.2 s, bench/gui_gaps.py prints them).  Once per process; True if done now.
    ``IOC_GC_FREEZE=0`` in the environment leaves it out (to measure the difference)."""
    global _frozen
    with _lock:
        if _frozen or os.environ.get("IOC_GC_FREEZE") == "0":
            return False
        _frozen = True
    gc.collect()
    gc.freeze()
    return True


@contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection while the block runs (reference counting still frees
    everything else): for a block that makes tens of thousands of objects and no
    cycle, which every young collection would walk again, and an old one with the
    whole heap (bench/time_travel.py, one run of 12 jumps with the app's thresholds:
    the views' half of a review jump 292 -> 215 ms, the collector having walked the
    decoded alarms and models the review keeps).

    Process-wide, like the collector: counted, so that the writer's batch and the
    reader's jump may overlap (the collector comes back when the last one ends, and
    only if it was on when the first began).  Leaving runs the young collection that
    is due at once, in the thread that made the objects, instead of leaving it to
    whichever thread (the GUI's) allocates next."""
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                # before enabling, if one is due: else the next allocation runs it; not
                # otherwise (a young collection after every store batch was a tenth
                # of the writer's time in a catch-up)
                if gc.get_count()[0] > gc.get_threshold()[0]:
                    gc.collect(0)
                gc.enable()
