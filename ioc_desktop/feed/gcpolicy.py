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
The feed client calls it when it starts; a composition root may call it earlier.
:func:`freeze_after_start` then keeps full collections short (the app calls it once its
state is loaded).
"""
from __future__ import annotations

import gc
import os
import threading

DEFAULT = (700, 10, 10)          # CPython's own
FEED = (20_000, 10, 10)

_lock = threading.Lock()
_applied = False
_frozen = False


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
