"""The graphs' history read back from the cache's event log (no Qt; on the reader thread).

A graph plots a station's observations by their own time (``phenomenonTime``, epoch
seconds on x) over a window of ``window_s`` seconds that ends at its newest
observation, or, in review, at the moment shown (the reader's ``events`` is then the
log cut there, :mod:`ioc_desktop.review.reader_tables`).  The window may be as long as
the cache's retention (7 days): at 1 Hz that is 600,000 observations of one station,
which must never all reach the GUI thread.  :func:`read_series` therefore reads at
most ``2 * buckets`` points per station, downsampled in SQL: the window is cut into
``buckets`` equal spans of time and each span gives its lowest and its highest
observation (real samples, at their own time), so a flood crest survives however long
the window is; a span with one or two observations gives them all.

Reads are bounded whatever the length of the log:

* the station's rows are found on the events' (topic, key) index (a WITHOUT ROWID
  table's index carries the seq);
* the first seq inside the window is found by a binary search over the station's seqs
  (its observations are logged in time order, give or take a late one), so a short
  window never decodes the days before it;
* each row's JSON is decoded once, in SQLite.

Times are rounded to the millisecond, here and by :func:`epoch` (what the GUI uses for
the live observations), so an observation both read back and received live is one
sample in a :class:`~ioc_desktop.series.SeriesBuffer`, not two.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Iterable

import numpy as np

from ioc_desktop.series import downsample_minmax

from .schema import TOPIC

#: Spans of time a window is cut into: at most twice as many points per graph.
HISTORY_BUCKETS = 2000

#: A station's rows from ``?3`` (a seq) on.  Two ways, the cheaper one chosen by how
#: much of the topic's log is this station's (:func:`_series_sql`): its seqs from the
#: (topic, key) index, then its rows by primary key from ``main.events`` (those seqs went
#: through ``events``, which in review is the log cut at T); or the topic's range of the
#: log from ``?3``, every other station's rows skipped on their key (no JSON read), when
#: the station is a good part of it.  (Without statistics SQLite scans the whole topic
#: for a query that needs a column the index lacks, whence the explicit plans: ``+``
#: keeps it off the index where the range is meant.)
_ROWS_BY_KEY = """
SELECT json_extract(e.data, '$.phenomenonTime') AS pt, json_extract(e.data, '$.value') AS v
FROM main.events AS e
WHERE e.topic = ?1 AND e.op = 'upsert'
  AND e.seq IN (SELECT x.seq FROM events AS x WHERE x.topic = ?1 AND x.key = ?2 AND x.seq >= ?3)
"""
_ROWS_BY_RANGE = """
SELECT json_extract(e.data, '$.phenomenonTime') AS pt, json_extract(e.data, '$.value') AS v
FROM events AS e
WHERE e.topic = ?1 AND e.seq >= ?3 AND +e.key = ?2 AND e.op = 'upsert'
"""
#: Rows of the topic per row of the station above which its index is used.
RANGE_SCAN_MAX_RATIO = 40

#: The window's observations, the lowest and the highest of each span (``?4``: the
#: window's start, ``?5``: a span's length, ``?6``: the last span, which takes the
#: window's end); an observation whose time SQLite cannot read
#: comes back raw (t NULL, its text in ``pt``) to be read in Python.
_SERIES = """
WITH r AS MATERIALIZED (
  SELECT pt, round((julianday(pt) - 2440587.5) * 86400.0, 3) AS t, v FROM ({rows})
  WHERE typeof(v) IN ('integer', 'real')),
w AS (SELECT t, v, min(CAST((t - ?4) / ?5 AS INTEGER), ?6) AS b FROM r WHERE t >= ?4)
SELECT t, min(v), NULL FROM w GROUP BY b
UNION ALL
SELECT t, max(v), NULL FROM w GROUP BY b
UNION ALL
SELECT NULL, v, pt FROM r WHERE t IS NULL AND pt IS NOT NULL
"""
_SERIES_BY_KEY = _SERIES.format(rows=_ROWS_BY_KEY)
_SERIES_BY_RANGE = _SERIES.format(rows=_ROWS_BY_RANGE)


def _series_sql(conn: sqlite3.Connection, key: str, first: int) -> str:
    """The cheaper way to the station's rows from ``first`` (see ``_ROWS_BY_KEY``): the
    topic's rows in the range (its seqs are contiguous) against the station's."""
    row = conn.execute("SELECT seq FROM events WHERE topic = ? ORDER BY seq DESC LIMIT 1",
                       (TOPIC,)).fetchone()
    if row is None:
        return _SERIES_BY_KEY
    span = row[0] - first + 1
    mine = conn.execute("SELECT count(*) FROM events WHERE topic = ? AND key = ? AND seq >= ?",
                        (TOPIC, key, first)).fetchone()[0]
    return _SERIES_BY_RANGE if span <= RANGE_SCAN_MAX_RATIO * max(mine, 1) else _SERIES_BY_KEY


def epoch(text) -> float | None:
    """An observation's time (RFC 3339 text) as epoch seconds, to the millisecond."""
    if text.__class__ is not str or not text:
        return None
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return round(dt.timestamp(), 3)


def _time_at(conn: sqlite3.Connection, seq: int) -> float | None:
    row = conn.execute("SELECT json_extract(data, '$.phenomenonTime') FROM main.events "
                       "WHERE topic = ? AND seq = ?", (TOPIC, seq)).fetchone()
    return epoch(row[0]) if row else None


def _next_seq(conn: sqlite3.Connection, key: str, seq: int) -> int | None:
    row = conn.execute("SELECT seq FROM events WHERE topic = ? AND key = ? AND seq >= ? "
                       "ORDER BY seq LIMIT 1", (TOPIC, key, seq)).fetchone()
    return row[0] if row else None


def newest_time(conn: sqlite3.Connection, key: str) -> float | None:
    """The time of the station's newest observation in ``events`` (None: none)."""
    rows = conn.execute("SELECT seq FROM events WHERE topic = ? AND key = ? "
                        "ORDER BY seq DESC LIMIT 8", (TOPIC, key)).fetchall()
    for (seq,) in rows:               # the newest upsert (a delete has no time)
        t = _time_at(conn, seq)
        if t is not None:
            return t
    return None


def first_seq_from(conn: sqlite3.Connection, key: str, start: float) -> int | None:
    """The station's first seq whose observation is at ``start`` or later (its events
    are in time order: a binary search over its seqs, a few index steps each); None
    when it has no events."""
    # (two queries: SQLite reads one min() or max() off the index, not both at once)
    first = conn.execute("SELECT min(seq) FROM events WHERE topic = ? AND key = ?",
                         (TOPIC, key)).fetchone()[0]
    last = conn.execute("SELECT max(seq) FROM events WHERE topic = ? AND key = ?",
                        (TOPIC, key)).fetchone()[0]
    if first is None or last is None:
        return None
    lo, hi = first, last + 1
    while lo < hi:
        mid = (lo + hi) // 2
        seq = _next_seq(conn, key, mid)
        if seq is None:
            hi = mid
            continue
        t = _time_at(conn, seq)
        if t is not None and t >= start:
            hi = mid
        else:                             # before the window (or no time): skip past it
            lo = seq + 1
    return lo


def read_series(conn: sqlite3.Connection, keys: Iterable[str], window_s: float, *,
                end: float | None = None, buckets: int = HISTORY_BUCKETS
                ) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Each station's observations in the window (``(t, v)`` arrays in time order, at
    most ``2 * buckets`` points, see the module docstring).  The window ends at the
    station's newest observation, or at ``end`` (review) when that is later."""
    out: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    window_s = float(window_s)
    buckets = max(1, int(buckets))
    for key in dict.fromkeys(keys):
        newest = newest_time(conn, key)
        if newest is None:
            continue
        stop = newest if end is None else max(float(end), newest)
        start = stop - window_s
        first = first_seq_from(conn, key, start)
        if first is None:
            continue
        ts: list[float] = []
        vs: list[float] = []
        raw_t: list[float] = []
        raw_v: list[float] = []
        sql = _series_sql(conn, key, first)
        for t, v, text in conn.execute(sql, (TOPIC, key, first, start, window_s / buckets,
                                              buckets - 1)):
            if t is not None:
                ts.append(t)
                vs.append(float(v))
            else:                          # a time SQLite cannot read: Python can
                rt = epoch(text)
                if rt is not None and rt >= start:
                    raw_t.append(rt)
                    raw_v.append(float(v))
        t_arr = np.asarray(ts + raw_t, dtype=np.float64)
        v_arr = np.asarray(vs + raw_v, dtype=np.float64)
        ok = np.isfinite(t_arr) & np.isfinite(v_arr)
        t_arr, v_arr = t_arr[ok], v_arr[ok]
        order = np.argsort(t_arr, kind="stable")
        t_arr, v_arr = t_arr[order], v_arr[order]
        if t_arr.size:                      # a span's min and max may be one sample
            keep = np.ones(t_arr.size, dtype=bool)
            keep[1:] = t_arr[1:] != t_arr[:-1]
            t_arr, v_arr = t_arr[keep], v_arr[keep]
        if raw_t and t_arr.size > 2 * buckets:
            t_arr, v_arr = downsample_minmax(t_arr, v_arr, buckets)
        out[key] = (t_arr, v_arr)
    return out


__all__ = ["HISTORY_BUCKETS", "epoch", "first_seq_from", "newest_time", "read_series"]
