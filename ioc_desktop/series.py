"""Time series kept in memory for live graphs: a sorted numpy ring buffer.

No Qt here: a :class:`SeriesBuffer` is filled by a model on the GUI thread and read by
a view (``widgets.timeseries_plot``), which skips redraws while :attr:`SeriesBuffer.version`
has not changed.  It is not thread-safe: use it from one thread.
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

__all__ = ["SeriesBuffer", "downsample_minmax"]


class SeriesBuffer:
    """The newest ``capacity`` samples ``(t, v)`` of one series, always sorted by ``t``.

    ``t`` is epoch seconds (float), ``v`` a finite float.  Rules:

    * In-order samples (``t`` later than the newest) are appended in O(1); when full,
      the oldest sample is dropped.
    * A late sample (e.g. re-sent after a resync) is inserted at its place, so the
      arrays never go back in time and a graph never draws a zig-zag.  A late sample
      older than everything kept in a full buffer is dropped (it would be evicted at once).
    * A sample whose ``t`` equals a kept sample's ``t`` replaces its value (last write
      wins), so a re-sent sample is not stored twice.
    * NaN or infinite ``t`` or ``v`` raise :class:`ValueError` and change nothing.

    :attr:`version` increments on every change, so a view redraws only when needed.
    """

    def __init__(self, capacity: int) -> None:
        capacity = int(capacity)
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity}")
        self._capacity = capacity
        self._t = np.empty(capacity, dtype=np.float64)
        self._v = np.empty(capacity, dtype=np.float64)
        self._start = 0  # index of the oldest sample
        self._len = 0
        self._version = 0

    # ------------------------------------------------------------------ reading
    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def version(self) -> int:
        """Increments on every change (append, extend, clear)."""
        return self._version

    def __len__(self) -> int:
        return self._len

    def __repr__(self) -> str:
        return f"SeriesBuffer(capacity={self._capacity}, len={self._len}, version={self._version})"

    def last(self) -> tuple[float, float] | None:
        """The newest sample, or None when empty."""
        if self._len == 0:
            return None
        i = (self._start + self._len - 1) % self._capacity
        return float(self._t[i]), float(self._v[i])

    def first(self) -> tuple[float, float] | None:
        """The oldest sample kept, or None when empty."""
        if self._len == 0:
            return None
        return float(self._t[self._start]), float(self._v[self._start])

    def arrays(self) -> tuple[np.ndarray, np.ndarray]:
        """``(t, v)`` in time order, as **new arrays** (copies).

        Copies, because the ring is overwritten in place by later appends while a plot
        may still hold the arrays it was given.
        """
        if self._len == 0:
            return np.empty(0, dtype=np.float64), np.empty(0, dtype=np.float64)
        end = self._start + self._len
        if end <= self._capacity:
            return self._t[self._start:end].copy(), self._v[self._start:end].copy()
        wrap = end - self._capacity
        return (
            np.concatenate((self._t[self._start:], self._t[:wrap])),
            np.concatenate((self._v[self._start:], self._v[:wrap])),
        )

    # ------------------------------------------------------------------ writing
    def clear(self) -> None:
        self._start = 0
        self._len = 0
        self._version += 1

    def append(self, t: float, v: float) -> None:
        """Add one sample; see the class docstring for late and duplicate samples."""
        t = float(t)
        v = float(v)
        if not (math.isfinite(t) and math.isfinite(v)):
            raise ValueError(f"refusing non-finite sample t={t!r} v={v!r}")
        if self._len:
            last_i = (self._start + self._len - 1) % self._capacity
            last_t = self._t[last_i]
            if t == last_t:
                self._v[last_i] = v
                self._version += 1
                return
            if t < last_t:
                self._insert_late(t, v)
                return
        self._push(t, v)
        self._version += 1

    def extend(self, ts: Iterable[float], vs: Iterable[float]) -> None:
        """Add many samples at once (all or nothing: one bad value refuses the batch)."""
        ts = np.asarray(ts, dtype=np.float64).ravel()
        vs = np.asarray(vs, dtype=np.float64).ravel()
        if ts.shape != vs.shape:
            raise ValueError(f"ts and vs differ in length: {ts.size} != {vs.size}")
        if ts.size == 0:
            return
        if not (np.isfinite(ts).all() and np.isfinite(vs).all()):
            raise ValueError("refusing a batch with NaN or infinite samples")
        last = self.last()
        in_order = (last is None or ts[0] > last[0]) and bool(np.all(np.diff(ts) > 0))
        if in_order:
            self._bulk_push(ts, vs)
        else:
            old_t, old_v = self.arrays()
            self._rebuild(np.concatenate((old_t, ts)), np.concatenate((old_v, vs)))
        self._version += 1

    # ------------------------------------------------------------------ internals
    def _push(self, t: float, v: float) -> None:
        if self._len < self._capacity:
            i = (self._start + self._len) % self._capacity
            self._len += 1
        else:  # full: overwrite the oldest
            i = self._start
            self._start = (self._start + 1) % self._capacity
        self._t[i] = t
        self._v[i] = v

    def _bulk_push(self, ts: np.ndarray, vs: np.ndarray) -> None:
        cap = self._capacity
        if ts.size >= cap:  # the batch alone fills the buffer
            self._t[:] = ts[-cap:]
            self._v[:] = vs[-cap:]
            self._start, self._len = 0, cap
            return
        n = ts.size
        write = (self._start + self._len) % cap
        first = min(n, cap - write)
        self._t[write:write + first] = ts[:first]
        self._v[write:write + first] = vs[:first]
        if first < n:
            self._t[:n - first] = ts[first:]
            self._v[:n - first] = vs[first:]
        overflow = self._len + n - cap
        if overflow > 0:
            self._start = (self._start + overflow) % cap
            self._len = cap
        else:
            self._len += n

    def _insert_late(self, t: float, v: float) -> None:
        self._linearize()
        n = self._len
        t_view = self._t[:n]
        i = int(np.searchsorted(t_view, t, side="left"))
        if i < n and t_view[i] == t:  # same instant: replace
            self._v[i] = v
            self._version += 1
            return
        if n == self._capacity:
            if i == 0:  # older than everything kept: it would be dropped at once
                return
            # Drop the oldest to make room; the insert point moves one left.
            self._t[:i - 1] = self._t[1:i]
            self._v[:i - 1] = self._v[1:i]
            i -= 1
        else:
            self._t[i + 1:n + 1] = self._t[i:n]
            self._v[i + 1:n + 1] = self._v[i:n]
            self._len += 1
        self._t[i] = t
        self._v[i] = v
        self._version += 1

    def _linearize(self) -> None:
        """Move the samples to indices 0..len-1 (O(n); only on the rare late path)."""
        if self._start == 0:
            return
        t, v = self.arrays()
        self._t[:self._len] = t
        self._v[:self._len] = v
        self._start = 0

    def _rebuild(self, ts: np.ndarray, vs: np.ndarray) -> None:
        """Sort, keep the last write per instant, keep the newest ``capacity``."""
        order = np.argsort(ts, kind="stable")
        ts, vs = ts[order], vs[order]
        # After a stable sort equal instants keep arrival order: keep the last of each.
        keep = np.ones(ts.size, dtype=bool)
        keep[:-1] = ts[1:] != ts[:-1]
        ts, vs = ts[keep][-self._capacity:], vs[keep][-self._capacity:]
        n = ts.size
        self._t[:n] = ts
        self._v[:n] = vs
        self._start, self._len = 0, n


def downsample_minmax(
    t: np.ndarray, v: np.ndarray, n_buckets: int
) -> tuple[np.ndarray, np.ndarray]:
    """Reduce ``(t, v)`` to at most ``2 * n_buckets`` points keeping each bucket's extremes.

    The samples are cut into ``n_buckets`` runs of (nearly) equal count; from each run
    the minimum and the maximum sample are kept, in time order, so peaks (a flood
    crest) survive however long the history is.  Input must be sorted by ``t`` and
    finite (a :class:`SeriesBuffer` guarantees both).  Returns new arrays; input with
    no more than ``2 * n_buckets`` samples is returned as copies, unchanged.
    """
    t = np.asarray(t, dtype=np.float64).ravel()
    v = np.asarray(v, dtype=np.float64).ravel()
    if t.shape != v.shape:
        raise ValueError(f"t and v differ in length: {t.size} != {v.size}")
    n_buckets = int(n_buckets)
    if n_buckets < 1:
        raise ValueError(f"n_buckets must be >= 1, got {n_buckets}")
    n = t.size
    if n <= 2 * n_buckets:
        return t.copy(), v.copy()
    # Bucket edges as indices; every bucket holds >= 2 samples since n > 2 * n_buckets.
    edges = np.linspace(0, n, n_buckets + 1).astype(np.intp)
    starts = edges[:-1]
    idx_min = np.empty(n_buckets, dtype=np.intp)
    idx_max = np.empty(n_buckets, dtype=np.intp)
    size = np.diff(edges)
    # Buckets come in at most two sizes (k and k+1): vectorise per size.
    for k in np.unique(size):
        sel = np.nonzero(size == k)[0]
        rows = starts[sel][:, None] + np.arange(k)[None, :]
        block = v[rows]
        idx_min[sel] = rows[np.arange(sel.size), block.argmin(axis=1)]
        idx_max[sel] = rows[np.arange(sel.size), block.argmax(axis=1)]
    keep = np.unique(np.concatenate((idx_min, idx_max)))  # sorted = time order
    return t[keep], v[keep]
