"""Time series kept in memory for live graphs: a sorted numpy ring buffer with a
min/max pyramid, so a graph draws about two points per pixel column whatever the range.

No Qt here: a :class:`SeriesBuffer` is filled by a model on the GUI thread and read by
a view (``widgets.timeseries_plot``), which skips redraws while :attr:`SeriesBuffer.version`
has not changed.  It is not thread-safe: use it from one thread.

The pyramid (:meth:`SeriesBuffer.decimated`): every sample has an *absolute index* (its
rank since the buffer was made; evicting the oldest does not renumber the others).  Level
``k`` holds the minimum and the maximum of each run of ``2**k`` absolute indices
(``k >= PYRAMID_K0``; finer runs are cut from the samples themselves), in rings as long
as the buffer's capacity allows.  A change marks the levels dirty from its absolute index
on; a level is brought up to date when a query needs it, from the level below: the
samples appended since cost O(new samples) on the first level and O(new / 2**k + 1) on
the others, so appends are O(1) amortised and a frame after one new sample touches one
bucket a level.  A query slices only the visible part: the whole runs inside it come
from the level whose runs give at most ``columns`` of them, the partial runs at its ends
from the samples.
"""
from __future__ import annotations

import math
from typing import Iterable

import numpy as np

__all__ = ["PYRAMID_K0", "SeriesBuffer", "downsample_minmax"]

#: The pyramid's first stored level: runs of 2**3 = 8 samples (finer ones are computed
#: from the samples at query time: at most 8 samples a pixel column).  Its memory is
#: then a quarter of the values' (2 arrays of capacity / 8 + capacity / 16 + ...).
PYRAMID_K0 = 3
#: up to this many stale runs in a level are recomputed one by one (see _sync_runs)
SMALL_SYNC_RUNS = 8


class SeriesBuffer:
    """The newest ``capacity`` samples ``(t, v)`` of one series, always sorted by ``t``.

    ``t`` is epoch seconds (float64), ``v`` a finite float (stored as ``value_dtype``:
    float64 by default; float32 halves the values' memory for long graphs, ~7 significant
    digits).  Rules:

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

    def __init__(self, capacity: int, value_dtype=np.float64) -> None:
        capacity = int(capacity)
        if capacity < 1:
            raise ValueError(f"capacity must be >= 1, got {capacity}")
        self._capacity = capacity
        self._t = np.empty(capacity, dtype=np.float64)
        self._v = np.empty(capacity, dtype=value_dtype)
        self._start = 0  # ring index of the oldest sample
        self._len = 0
        self._base = 0   # absolute index of the oldest sample
        self._version = 0
        # the pyramid, made on the first query: per level (mins, maxs) rings, and the
        # absolute index from which each level must be recomputed
        self._levels: list[tuple[np.ndarray, np.ndarray]] | None = None
        self._dirty: list[int] = []
        #: buckets (and first-level samples) the pyramid recomputed, for tests/profiling
        self.pyramid_work = 0

    # ------------------------------------------------------------------ reading
    @property
    def capacity(self) -> int:
        return self._capacity

    @property
    def version(self) -> int:
        """Increments on every change (append, extend, clear)."""
        return self._version

    @property
    def nbytes(self) -> int:
        """Memory held by the samples and the pyramid (allocated; pages never written
        are not resident)."""
        n = self._t.nbytes + self._v.nbytes
        if self._levels is None:
            n += self._pyramid_nbytes()
        else:
            n += sum(a.nbytes + b.nbytes for a, b in self._levels)
        return n

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
        may still hold the arrays it was given.  O(n): a graph uses :meth:`decimated`.
        """
        return self._slice(0, self._len)

    def index(self, t: float, side: str = "left") -> int:
        """Where ``t`` would go among the samples in time order (``numpy.searchsorted``)."""
        if self._len == 0:
            return 0
        end = self._start + self._len
        if end <= self._capacity:
            return int(np.searchsorted(self._t[self._start:end], t, side=side))
        seg1 = self._t[self._start:]
        tail = seg1[-1]
        if t < tail or (side == "left" and t == tail):
            return int(np.searchsorted(seg1, t, side=side))
        return seg1.size + int(np.searchsorted(self._t[:end - self._capacity], t, side=side))

    def decimated(self, t0: float, t1: float, columns: int
                  ) -> tuple[np.ndarray, np.ndarray]:
        """The samples from ``t0`` to ``t1`` (and the one just outside each end, so a line
        reaches the edges), reduced to about two points per column: ``(x, y)`` new arrays.

        With no more than ``2 * columns`` samples there, the samples themselves.  Else
        the range is cut into runs of ``2**k`` samples (the smallest ``k`` giving at most
        ``columns`` whole runs), aligned on the absolute index, so panning or appending
        does not move the other runs; each run gives its minimum then its maximum, both
        at the time of its first sample, and the newest sample ends the line.  Every
        run's true extremes are in ``y``.
        """
        i0 = max(self.index(t0, "left") - 1, 0)
        i1 = min(self.index(t1, "right") + 1, self._len)
        return self.decimate_range(i0, i1, columns)

    def value_range(self, t0: float, t1: float) -> tuple[float, float] | None:
        """The lowest and the highest value from ``t0`` to ``t1`` (None: no sample there)."""
        i0, i1 = self.index(t0, "left"), self.index(t1, "right")
        if i1 <= i0:
            return None
        a0, a1 = self._base + i0, self._base + i1
        k = math.ceil(math.log2(max((i1 - i0) / 64, 1)))   # at most ~64 whole runs
        if k < PYRAMID_K0:
            v = self._vrange(a0, a1)
            return float(v.min()), float(v.max())
        mins, maxs, *_ = self._runs(a0, a1, k)
        return float(mins.min()), float(maxs.max())

    def decimate_range(self, i0: int, i1: int, columns: int
                       ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`decimated` of the samples ``i0 .. i1 - 1`` (in time order)."""
        i0, i1 = max(int(i0), 0), min(int(i1), self._len)
        n = i1 - i0
        columns = max(int(columns), 1)
        if n <= 2 * columns:
            t, v = self._slice(i0, i1)
            return t, v.astype(np.float64, copy=False)
        k = max(1, math.ceil(math.log2(n / columns)))
        size = 1 << k
        a0, a1 = self._base + i0, self._base + i1
        if k < PYRAMID_K0:                                 # fine runs: from the samples
            b0 = a0 >> k
            lo = (b0 << k)
            v = self._vrange(a0, a1)
            v = np.pad(v, (a0 - lo, (-(a1 - lo)) % size), mode="edge").reshape(-1, size)
            mins, maxs = v.min(axis=1), v.max(axis=1)
            starts = np.arange(b0, b0 + mins.size, dtype=np.int64) << k
            starts[0] = a0
        else:
            mins, maxs, fb0, whole, head, tail = self._runs(a0, a1, k)
            starts = None
        m = mins.size
        x = np.empty(2 * m + 1, dtype=np.float64)
        y = np.empty(2 * m + 1, dtype=np.float64)
        if starts is not None:
            ts = self._t[self._pos(starts)]
        else:
            # each run is drawn at its first sample's time: the whole runs' are every
            # 2**k-th sample, a strided view of the ring unless it wraps
            ts = np.empty(m, dtype=np.float64)
            if head:
                ts[0] = self._t[self._pos(a0)]
            if whole:
                p0 = self._pos(fb0 << k)
                if p0 + (whole - 1) * size < self._capacity:
                    ts[head:head + whole] = self._t[p0:p0 + whole * size:size]
                else:
                    ts[head:head + whole] = self._t[(p0 + np.arange(whole) * size) % self._capacity]
            if tail:
                ts[-1] = self._t[self._pos((fb0 + whole) << k)]
        x[0:2 * m:2] = ts
        x[1:2 * m:2] = ts
        y[0:2 * m:2] = mins
        y[1:2 * m:2] = maxs
        last = (self._start + i1 - 1) % self._capacity      # the line ends at the newest
        x[-1] = self._t[last]
        y[-1] = self._v[last]
        return x, y

    # ------------------------------------------------------------------ writing
    def clear(self) -> None:
        self._base += self._len
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
                self._touch(self._base + self._len - 1)
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
    def _pos(self, absolute):
        """Ring index of an absolute index (or an array of them)."""
        return (self._start + (absolute - self._base)) % self._capacity

    def _slice(self, i0: int, i1: int) -> tuple[np.ndarray, np.ndarray]:
        n = i1 - i0
        if n <= 0:
            return np.empty(0, dtype=np.float64), np.empty(0, dtype=self._v.dtype)
        p0 = (self._start + i0) % self._capacity
        if p0 + n <= self._capacity:
            return self._t[p0:p0 + n].copy(), self._v[p0:p0 + n].copy()
        wrap = p0 + n - self._capacity
        return (np.concatenate((self._t[p0:], self._t[:wrap])),
                np.concatenate((self._v[p0:], self._v[:wrap])))

    def _vrange(self, a0: int, a1: int) -> np.ndarray:
        """Values of the absolute indices ``a0 .. a1 - 1`` (a view when not wrapped)."""
        n = a1 - a0
        p0 = self._pos(a0)
        if p0 + n <= self._capacity:
            return self._v[p0:p0 + n]
        return np.concatenate((self._v[p0:], self._v[:p0 + n - self._capacity]))

    def _runs(self, a0: int, a1: int, k: int):
        """The minimum and maximum of each run of ``2**k`` absolute indices from ``a0``
        to ``a1`` (``k >= PYRAMID_K0``): a partial run at each end from the samples, the
        whole ones from the pyramid.  Returns ``(mins, maxs, fb0, whole, head, tail)``:
        the whole runs are ``fb0 .. fb0 + whole - 1``; ``head``/``tail`` say whether a
        partial run starts/ends the arrays."""
        level = k - PYRAMID_K0
        self._sync(level)
        ring_min, ring_max = self._levels[level]
        size = 1 << k
        fb0, fb1 = (a0 + size - 1) >> k, a1 >> k          # whole runs: fb0 .. fb1 - 1
        whole = max(fb1 - fb0, 0)
        head_end = min(fb0 << k, a1)
        head = head_end > a0
        tail = a1 > (fb1 << k) and fb1 >= fb0
        m = whole + head + tail
        mins = np.empty(m, dtype=self._v.dtype)
        maxs = np.empty(m, dtype=self._v.dtype)
        if head:
            v = self._vrange(a0, head_end)
            mins[0], maxs[0] = v.min(), v.max()
        if whole:
            mins[head:head + whole] = _ring_slice(ring_min, fb0, whole)
            maxs[head:head + whole] = _ring_slice(ring_max, fb0, whole)
        if tail:
            v = self._vrange(fb1 << k, a1)
            mins[-1], maxs[-1] = v.min(), v.max()
        return mins, maxs, fb0, whole, int(head), int(tail)

    def _touch(self, absolute: int) -> None:
        """The samples from ``absolute`` on changed: their pyramid runs are stale."""
        dirty = self._dirty
        for i, d in enumerate(dirty):
            if absolute < d:
                dirty[i] = absolute

    def _pyramid_nbytes(self) -> int:
        n, k = 0, PYRAMID_K0
        while True:
            n += 2 * (-(-self._capacity // (1 << k)) + 1) * self._v.itemsize
            if (1 << k) >= self._capacity:
                return n
            k += 1

    def _make_pyramid(self) -> None:
        self._levels, self._dirty = [], []
        k = PYRAMID_K0
        while True:
            nb = -(-self._capacity // (1 << k)) + 1     # runs the kept samples touch
            self._levels.append((np.empty(nb, dtype=self._v.dtype),
                                 np.empty(nb, dtype=self._v.dtype)))
            self._dirty.append(self._base)
            if (1 << k) >= self._capacity:
                break
            k += 1

    def _sync(self, level: int) -> None:
        """Bring the pyramid's levels 0 .. ``level`` up to date."""
        if self._levels is None:
            self._make_pyramid()
        level = min(level, len(self._levels) - 1)
        end = self._base + self._len
        for lv in range(level + 1):
            d = max(self._dirty[lv], self._base)
            if d >= end:
                self._dirty[lv] = end
                continue
            k = PYRAMID_K0 + lv
            b0, b1 = d >> k, (end - 1) >> k                # runs b0 .. b1 to recompute
            if b1 - b0 < SMALL_SYNC_RUNS:
                # a live append touches one run a level: scalar work, not the padded
                # arrays below (their fixed cost was ~0.1 ms a level, a series, a frame)
                self._sync_runs(lv, b0, b1, end)
                self._dirty[lv] = end
                continue
            if lv == 0:
                lo = max(b0 << k, self._base)
                v = self._vrange(lo, end)
                v = np.pad(v, (lo - (b0 << k), ((b1 + 1) << k) - end), mode="edge")
                v = v.reshape(-1, 1 << k)
                mins, maxs = v.min(axis=1), v.max(axis=1)
                self.pyramid_work += end - lo
            else:
                cmin, cmax = self._levels[lv - 1]
                c0 = max(2 * b0, self._base >> (k - 1))
                c1 = (end - 1) >> (k - 1)                   # child runs c0 .. c1
                pos = np.arange(c0, c1 + 1, dtype=np.int64) % cmin.size
                pad = (c0 - 2 * b0, 2 * b1 + 1 - c1)
                mins = np.pad(cmin[pos], pad, mode="edge").reshape(-1, 2).min(axis=1)
                maxs = np.pad(cmax[pos], pad, mode="edge").reshape(-1, 2).max(axis=1)
                self.pyramid_work += c1 - c0 + 1
            rmin, rmax = self._levels[lv]
            pos = np.arange(b0, b1 + 1, dtype=np.int64) % rmin.size
            rmin[pos] = mins
            rmax[pos] = maxs
            self._dirty[lv] = end

    def _sync_runs(self, lv: int, b0: int, b1: int, end: int) -> None:
        """Level ``lv``'s runs ``b0 .. b1`` from the samples (level 0) or from the level
        below, one run at a time; what :meth:`_sync` does with arrays for many runs.
        Runs cut by the kept range's ends use the samples/children they have."""
        k = PYRAMID_K0 + lv
        rmin, rmax = self._levels[lv]
        size = rmin.size
        if lv == 0:
            for b in range(b0, b1 + 1):
                v = self._vrange(max(b << k, self._base), min((b + 1) << k, end))
                rmin[b % size], rmax[b % size] = v.min(), v.max()
            self.pyramid_work += end - max(b0 << k, self._base)
            return
        cmin, cmax = self._levels[lv - 1]
        csize = cmin.size
        c0 = max(2 * b0, self._base >> (k - 1))
        c1 = (end - 1) >> (k - 1)
        for b in range(b0, b1 + 1):
            i, j = max(2 * b, c0) % csize, min(2 * b + 1, c1) % csize
            rmin[b % size] = min(cmin[i], cmin[j])
            rmax[b % size] = max(cmax[i], cmax[j])
        self.pyramid_work += c1 - c0 + 1

    def _push(self, t: float, v: float) -> None:
        if self._len < self._capacity:
            i = (self._start + self._len) % self._capacity
            self._len += 1
        else:  # full: overwrite the oldest
            i = self._start
            self._start = (self._start + 1) % self._capacity
            self._base += 1
        self._t[i] = t
        self._v[i] = v

    def _bulk_push(self, ts: np.ndarray, vs: np.ndarray) -> None:
        cap = self._capacity
        old_end = self._base + self._len
        self._touch(old_end)
        if ts.size >= cap:  # the batch alone fills the buffer
            self._t[:] = ts[-cap:]
            self._v[:] = vs[-cap:]
            self._base = old_end + ts.size - cap
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
            self._base += overflow
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
            self._touch(self._base + i)
            self._version += 1
            return
        if n == self._capacity:
            if i == 0:  # older than everything kept: it would be dropped at once
                return
            # Drop the oldest to make room; the insert point moves one left.  (The
            # samples before it keep their absolute index, those after it move one on.)
            self._touch(self._base + i)
            self._t[:i - 1] = self._t[1:i]
            self._v[:i - 1] = self._v[1:i]
            self._base += 1
            i -= 1
        else:
            self._touch(self._base + i)
            self._t[i + 1:n + 1] = self._t[i:n]
            self._v[i + 1:n + 1] = self._v[i:n]
            self._len += 1
        self._t[i] = t
        self._v[i] = v
        self._version += 1

    def _linearize(self) -> None:
        """Move the samples to indices 0..len-1 (O(n); only on the rare late path).
        Absolute indices do not change: the pyramid stays valid."""
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
        self._base += self._len          # new numbering: the whole pyramid is stale
        self._touch(self._base)
        self._start, self._len = 0, n


def _ring_slice(ring: np.ndarray, b0: int, count: int) -> np.ndarray:
    """``count`` entries of a ring from absolute run ``b0`` (a view unless it wraps)."""
    p = b0 % ring.size
    if p + count <= ring.size:
        return ring[p:p + count]
    return np.concatenate((ring[p:], ring[:p + count - ring.size]))


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
