"""Committed batches handed to the plugin GUIs a few at a time, within a frame budget.

The feed service hands the GUI one merged batch every 100 ms; giving it to every plugin
GUI in one slot made one long slice of GUI-thread work per batch (hundreds of ms under
load, bench/gui_gaps.py), during which nothing is painted and no key is handled.  The
pump delivers it GUI by GUI, in event-loop turns of at most :data:`BUDGET_MS`, so input
and paints get their turn in between.  A GUI whose turn has not come when the next
batch arrives gets both, merged (in commit order), in one go: a slow panel lags, it
never queues up work.  :meth:`flush` delivers everything at once: before a reset of the
panels' state (a load, a review jump), so that nothing older lands after it.  The
models' view deltas (the situation layer's, several a second) go through a pump of
their own, merged by :func:`merge_view_changes`, all in one turn after the one that
received them (paced GUI by GUI, they lagged behind for a second at start-up).
"""
from __future__ import annotations

import time
from typing import Callable, Iterable

from PySide6 import QtCore

from ioc_desktop.store.batch import merge_batches

#: GUI-thread time per event-loop turn spent delivering (a 60 Hz frame is 16 ms).  A
#: turn ends after the delivery that crossed it, so a turn is this plus one panel's
#: batch: at 8 ms the turns that overran made the GUI-gaps bench's p99 at 2,000 events/s
#: 9.1-9.8 ms (two runs), at 4 ms 8.6-8.8 ms; at 20,000 events/s the two were the same
#: within the runs' noise (p99 ~50 ms either way), and so was the cold start to a live
#: frame (which waits for the pump to be empty: 1.44 s at 4 ms, 1.47 s at 8 ms).
BUDGET_MS = 4.0


class BatchPump(QtCore.QObject):
    """``deliver(name, batch)`` is called for each named receiver with its batches."""

    def __init__(self, deliver: Callable[[str, object], None], parent=None, *,
                 merge: Callable[[list], object] = merge_batches, budget_ms: float = BUDGET_MS):
        """``merge``: what a receiver is given for the items queued for it (oldest
        first): by default the committed batches merged in commit order.
        ``budget_ms``: GUI-thread time a turn may spend (inf: everything queued)."""
        super().__init__(parent)
        self._deliver = deliver
        self._merge = merge
        self._budget_ms = budget_ms
        self._pending: dict[str, list] = {}      # receiver -> its batches, oldest first
        self._timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._timer.timeout.connect(self._turn)

    @property
    def pending(self) -> bool:
        return bool(self._pending)

    def push(self, names: Iterable[str], batch) -> None:
        for name in names:
            self._pending.setdefault(name, []).append(batch)
        if self._pending and not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        self._timer.stop()
        while self._pending:
            self._one()

    def _one(self) -> None:
        name = next(iter(self._pending))
        batches = self._pending.pop(name)
        self._deliver(name, self._merge(batches))

    def _turn(self) -> None:
        start = time.perf_counter()
        while self._pending:
            self._one()
            if (time.perf_counter() - start) * 1000 >= self._budget_ms:
                break
        if self._pending:
            self._timer.start()


def merge_view_changes(items: list[tuple[dict, bool]]) -> tuple[dict, bool]:
    """View deltas ``(changes, full)`` queued for one GUI, as one: a whole view
    restarts it, later changes update it (what applying them one by one would leave)."""
    changes: dict = {}
    full = False
    for item_changes, item_full in items:
        if item_full:
            changes, full = dict(item_changes), True
        else:
            changes.update(item_changes)
    return changes, full


__all__ = ["BUDGET_MS", "BatchPump", "merge_view_changes"]
