"""The e-tickets' situation model (no Qt): today's figures per site and in total, the
busiest sites' hourly trend, and which validators went silent.

Fed by the situation layer with the ``ecard`` topic (see :mod:`plugins.ecard.schema`:
one record is one site's running tally for one counting period, an hour or a day).

**Today** is the local date in Huế (+07:00) of the model's ``now`` (never the wall
clock: review at a past time shows that day).  A site's figures today are the sums over
its periods of that date (visitors = ``used``); a site that reports whole days has its
day record counted alone (its hours, if any, would count twice).  ``now_used`` ("this
hour") is the ``used`` of the site's newest period when that is an hour of today.

**Periods**.  The state holds only each site's newest period, so the model keeps every
tally it is handed (:meth:`on_event`: a period's last tally counts even when a later one
followed it in the same batch), and at start the day's earlier periods come from the
events log: :meth:`read_history` (SQL, on a reader or the writer's connection) then
:meth:`load_history`.  Periods ending more than :data:`KEEP_S` before ``now`` are
forgotten, and at most :data:`MAX_PERIODS` are kept per site.

**Silent validators**.  A site's last report is its newest ``updated`` (else the
model's ``now`` when the record came).  A site is silent when its last report is more
than :data:`SILENT_AFTER_S` older than the newest report of any site: its validator
stopped while the others go on.  (When the whole feed stops, nobody is silent: the topic
goes stale instead, which the status bar shows.)  A report dated more than
:data:`CLOCK_AHEAD_S` after ``now`` (a validator whose clock is far ahead) does not set
"the newest report", so it cannot make the others look silent; this is why silence
depends on ``now`` and is evaluated again on the situation layer's timer.

**Trend**: for the :data:`TOP_SITES` sites with most visitors today, the visitors of each
finished hour (plotted at the hour's middle) and, for the hour under way once
:data:`RATE_AFTER_S` of it have been counted, the rate so far (visitors × 3600 / seconds
counted) at the time of the site's last report.  Day-period feeds have no hourly trend.

``view(now)`` (what the panel draws; plain values)::

    now       the model's clock (epoch s): what "last report" ages are measured against
    today     "YYYY-MM-DD" (Huế), or None before any clock
    totals    {"visitors", "issued", "revenue", "sites"} over the sites in the state
    sites     {site_id: {"visitors", "issued", "revenue", "now_used" (int or None),
               "seen" (epoch of its last report, or None), "silent" (bool)}}
    busiest   [site_id, visitors] of the busiest site today, or None
    silent    sorted site ids of the silent validators
    trend     [[site_id, [[t, visitors per hour], …]], …] busiest first
"""
from __future__ import annotations

import math
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable, Mapping

from ioc_desktop.feed_time import epoch_of
from ioc_desktop.interop import VN_TZ
from ioc_desktop.topic_model import TopicModel

from .schema import DAY, HISTORY_INDEX, HOUR, PERIOD_OF_DATA, TOPIC, parse_period

#: A site whose last report is this much older than the newest of any site is silent.
SILENT_AFTER_S = 300.0
#: Reports dated further than this after ``now`` do not decide "the newest report".
CLOCK_AHEAD_S = 3600.0
TOP_SITES = 3
#: The hour under way is plotted once this much of it is counted.
RATE_AFTER_S = 900.0
#: Periods ending this long before ``now`` are forgotten.
KEEP_S = 2 * 86400.0
#: Periods kept per site at most (the oldest go first).
MAX_PERIODS = 200
#: Events read back (the newest) from the log at start, for today's earlier periods.
HISTORY_EVENTS = 200_000
HISTORY_SPAN_S = 26 * 3600      # ... and at most this far back (today's periods)
DAY_S = 86400.0


def _newest_per_period_by_index(conn, after_seq: int, until_seq: int,
                                from_period: str = "") -> list[tuple[str, str]]:
    """``read_history``'s rows (the newest upsert of each (site, period) with a seq in
    ``(after_seq, until_seq]``) by seeks on the schema's :data:`HISTORY_INDEX`: each
    site, each of its periods in the log, its newest tally up to ``until_seq``.  The
    GROUP BY over the stretch decodes every tally of a day (0.2-0.4 s at 10 events/s);
    this is a few seeks per (site, period) the log holds, whatever the stretch, and
    needs no order of arrival (a late tally of an earlier hour is still found).
    ``from_period``: the periods whose text sorts below it are passed over (at 7 days
    of log, most of a site's periods are older than what a model keeps)."""
    # main.events: in review ``events`` is a view of the log cut at T (``until_seq`` is
    # that cut already), and an index is named on a table
    where = f"FROM main.events INDEXED BY {HISTORY_INDEX} WHERE topic = '{TOPIC}' AND op = 'upsert'"
    next_key = f"SELECT key {where} AND key > ? ORDER BY key LIMIT 1"
    # a site's periods one after the other (a skip-scan of the index, as a recursive
    # query: one statement per site, not two per period), each with its newest seq
    next_period = (f"SELECT {PERIOD_OF_DATA} {where} AND key = :key AND {PERIOD_OF_DATA} > {{after}} "
                   f"ORDER BY {PERIOD_OF_DATA} LIMIT 1")
    newest_per_period = (
        f"WITH RECURSIVE periods(period) AS ("
        f" SELECT ({next_period.format(after=':since')})"
        f" UNION ALL SELECT ({next_period.format(after='periods.period')}) FROM periods"
        f" WHERE periods.period IS NOT NULL)"
        f" SELECT (SELECT seq {where} AND key = :key AND {PERIOD_OF_DATA} = periods.period"
        f" AND seq <= :until ORDER BY seq DESC LIMIT 1) FROM periods WHERE period IS NOT NULL")
    seqs: list[int] = []
    key = ""
    while (row := conn.execute(next_key, (key,)).fetchone()) is not None:
        key = row[0]
        # periods are text: "" is below them all
        for (seq,) in conn.execute(newest_per_period, {"key": key, "since": from_period,
                                                       "until": until_seq}):
            if seq is not None and seq > after_seq:
                seqs.append(seq)
    seqs.sort()
    rows: list[tuple[str, str]] = []
    for i in range(0, len(seqs), 500):
        part = seqs[i:i + 500]
        rows += conn.execute(f"SELECT key, data FROM main.events WHERE topic = '{TOPIC}' AND seq IN "
                             f"({', '.join('?' * len(part))})", part).fetchall()
    return rows


@dataclass(frozen=True)
class Period:
    """A period text parsed once: kind, start/end (epoch s), local date."""

    kind: str
    t0: float
    t1: float
    date: str


def _period_of(text: Any) -> Period | None:
    if not isinstance(text, str):
        return None
    try:
        kind, start = parse_period(text)
    except ValueError:
        return None
    t0 = start.timestamp()
    day = text if kind == DAY else start.astimezone(VN_TZ).date().isoformat()
    return Period(kind, t0, t0 + (86400.0 if kind == DAY else 3600.0), day)


def local_date(t: float) -> str:
    """The date in Huế (+07:00) at epoch ``t``."""
    return datetime.fromtimestamp(t, VN_TZ).date().isoformat()


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(value):
        return 0
    return value


@dataclass
class SiteToday:
    visitors: int = 0
    issued: int = 0
    revenue: float = 0.0
    now_used: int | None = None       # the site's newest period, if it is an hour of today


class EcardModel(TopicModel):
    """See the module docstring.  Owned by one thread; not locked."""

    def __init__(self) -> None:
        super().__init__()
        self.periods: dict[str, dict[str, dict]] = {}   # site -> period text -> newest data
        self.seen: dict[str, float] = {}                # site -> epoch of its last report
        self._pcache: dict[str, Period | None] = {}
        self._today: dict[str, SiteToday] = {}          # cached sums, for _today_date
        self._today_date: str | None = None

    # ------------------------------------------------------------ feeding
    def on_reset(self) -> None:
        self.periods, self.seen, self._today = {}, {}, {}
        for key, data in self.items.items():
            self._ingest(key, data)

    def apply_changes(self, changes: Any, *, now: float | None = None) -> None:
        if getattr(changes, "snapshot", False):
            # a snapshot in a live feed: the newest period of each site is the state's,
            # but the earlier periods it had still happened
            old_periods, old_seen = self.periods, self.seen
            super().apply_changes(changes, now=now)
            self._merge(old_periods, old_seen)
            return
        super().apply_changes(changes, now=now)

    def on_event(self, event: Any) -> None:
        if getattr(event, "op", None) == "upsert" and isinstance(event.data, dict):
            self._ingest(event.key, event.data)

    def on_upsert(self, key: str, data: dict, old: dict | None) -> None:
        self._ingest(key, data)      # usually already taken as an event: then a no-op

    def on_delete(self, key: str, old: dict) -> None:
        self.periods.pop(key, None)
        self.seen.pop(key, None)
        self._today.pop(key, None)

    # ------------------------------------------------------------ history
    @staticmethod
    def read_history(conn, *, topic: str = TOPIC, limit: int = HISTORY_EVENTS,
                     until_seq: int | None = None) -> list[tuple[str, str]]:
        """The newest logged tally of each (site, period) among the last ``limit``
        events of the topic (up to ``until_seq``: review at a past time):
        ``[(key, data JSON)]``.  Plain SQL on a connection to the cache (a reader's, or
        the writer's at start), touching nothing of a model: the model's thread then
        hands the rows to :meth:`load_history`."""
        top = conn.execute("SELECT max(seq) FROM events WHERE topic = ?", (topic,)).fetchone()[0]
        if top is None:
            return []
        if until_seq is not None:
            top = min(top, until_seq)
        # no further back than a day and a bit before the newest event (today's periods,
        # in any time zone): found on the primary key, not by scanning the log
        from ioc_desktop.review.state_at import cut_at
        newest = conn.execute("SELECT received_at FROM main.events WHERE topic = ? AND seq = ?",
                              (topic, top)).fetchone()
        from_period = ""
        if newest is not None and newest[0]:
            day_before, _ = cut_at(conn, topic, max(0, top - limit), top, newest[0] - HISTORY_SPAN_S)
            limit = min(limit, top - day_before)
            # what the history is for is the periods of today (the view counts nothing
            # else): a period's text begins with its date in its own offset (a day at
            # most from UTC's), so one starting a day before the span sorts below this
            # date's.  (A late tally of an older period, had it been the site's newest,
            # is its item in the state.)  Was KEEP_S + 2 days back: the index's skip-
            # scan then walked twice the periods (bench/time_travel.py: 25 -> 15 ms)
            oldest = datetime.fromtimestamp(newest[0] - HISTORY_SPAN_S - DAY_S, timezone.utc)
            from_period = oldest.strftime("%Y-%m-%d")
        if topic == TOPIC:
            try:
                return _newest_per_period_by_index(conn, top - limit, top, from_period)
            except sqlite3.OperationalError:
                pass        # no index (a reader opened before the writer made it)
        return conn.execute(
            "SELECT key, data FROM events WHERE topic = ? AND seq IN ("
            " SELECT max(seq) FROM events WHERE topic = ? AND op = 'upsert' AND seq > ?"
            " AND seq <= ? GROUP BY key, json_extract(data, '$.period'))",
            (topic, topic, top - limit, top)).fetchall()

    def load_history(self, rows: Iterable[tuple[str, Any]]) -> int:
        """Earlier periods from the log (:meth:`read_history`'s rows; ``data`` as JSON
        text or a dict) for the sites in the state; a period already held keeps its
        newer tally.  Returns how many rows were taken."""
        import json
        taken = 0
        for key, data in rows:
            if key not in self.items:
                continue
            if isinstance(data, (str, bytes, bytearray)):
                try:
                    data = json.loads(data)
                except ValueError:
                    continue
            if isinstance(data, dict):
                self._ingest(key, data, only_newer=True)
                taken += 1
        return taken

    # ------------------------------------------------------------ internals
    def _period(self, text: str) -> Period | None:
        try:
            return self._pcache[text]
        except KeyError:
            if len(self._pcache) > 10_000:
                self._pcache.clear()
            p = self._pcache[text] = _period_of(text)
            return p

    def _ingest(self, key: str, data: dict, *, only_newer: bool = False) -> None:
        """One tally of a site.  ``only_newer``: a period already held is replaced only
        by a later ``updated`` (history read back, or a batch's coalesced upsert)."""
        text = data.get("period")
        if key is None or self._period(text) is None:
            return
        per = self.periods.setdefault(key, {})
        if per.get(text) is data:
            return
        t = epoch_of(data.get("updated"))
        if only_newer and text in per:
            have = epoch_of(per[text].get("updated"))
            if have is not None and (t is None or t <= have):
                return
        per[text] = data
        if t is None and not only_newer:
            t = self.now                 # no report time: when it came
        if t is not None and t > self.seen.get(key, -math.inf):
            self.seen[key] = t
        if len(per) > MAX_PERIODS:
            for old in sorted(per, key=lambda p: self._period(p).t0)[:len(per) - MAX_PERIODS]:
                del per[old]
        self._today.pop(key, None)

    def _merge(self, periods: Mapping[str, dict[str, dict]], seen: Mapping[str, float]) -> None:
        for key, per in periods.items():
            if key not in self.items:
                continue
            for data in per.values():
                self._ingest(key, data, only_newer=True)
            if key in seen and seen[key] > self.seen.get(key, -math.inf):
                self.seen[key] = seen[key]

    def _prune(self, now: float) -> None:
        horizon = now - KEEP_S
        for key, per in self.periods.items():
            old = [text for text in per if self._period(text).t1 < horizon]
            for text in old:
                del per[text]
            if old:
                self._today.pop(key, None)

    # ------------------------------------------------------------ figures
    def today(self) -> str | None:
        return None if self.now is None else local_date(self.now)

    def site_today(self, key: str) -> SiteToday:
        """A site's figures today (see the module docstring)."""
        today = self.today()
        if today != self._today_date:
            self._today, self._today_date = {}, today
            if self.now is not None:
                self._prune(self.now)
        agg = self._today.get(key)
        if agg is not None:
            return agg
        agg = SiteToday()
        per = self.periods.get(key) or {}
        parsed = [(self._period(text), d) for text, d in per.items()]
        whole_day = any(p.kind == DAY and p.date == today for p, _ in parsed)
        latest = max(parsed, key=lambda pd: pd[0].t0, default=None)
        for p, d in parsed:
            if p.date != today or (whole_day and p.kind == HOUR):
                continue
            agg.visitors += int(_number(d.get("used")))
            agg.issued += int(_number(d.get("issued")))
            agg.revenue += float(_number(d.get("revenue_vnd")))
        if latest is not None and latest[0].kind == HOUR and latest[0].date == today:
            agg.now_used = int(_number(latest[1].get("used")))
        self._today[key] = agg
        return agg

    def newest_report(self) -> float | None:
        """The newest report of any site, leaving out those dated more than
        :data:`CLOCK_AHEAD_S` after ``now``."""
        if not self.seen:
            return None
        if self.now is None:
            return max(self.seen.values())
        limit = self.now + CLOCK_AHEAD_S
        plausible = [t for t in self.seen.values() if t <= limit]
        return max(plausible) if plausible else None

    def silent(self) -> list[str]:
        """The sites whose validator went silent (sorted)."""
        newest = self.newest_report()
        if newest is None:
            return []
        return sorted(k for k, t in self.seen.items()
                      if k in self.items and newest - t > SILENT_AFTER_S)

    def totals(self) -> tuple[int, int, float]:
        """Today's ``(visitors, issued, revenue)`` over the sites in the state."""
        aggs = [self.site_today(k) for k in self.items]
        return (sum(a.visitors for a in aggs), sum(a.issued for a in aggs),
                sum(a.revenue for a in aggs))

    def busiest(self) -> tuple[str, int] | None:
        return max(((k, self.site_today(k).visitors) for k in self.items),
                   key=lambda kv: (kv[1], kv[0]), default=None)

    def top_sites(self, n: int = TOP_SITES) -> list[str]:
        ranked = sorted(((self.site_today(k).visitors, k) for k in self.items), reverse=True)
        return [k for visitors, k in ranked[:n] if visitors]

    def hourly(self, key: str) -> list[list[float]]:
        """``[[t, visitors per hour], …]`` of a site today, by time (module docstring)."""
        today = self.today()
        last_seen = self.seen.get(key)
        points = []
        for text, d in (self.periods.get(key) or {}).items():
            p = self._period(text)
            if p.kind != HOUR or p.date != today:
                continue
            used = float(_number(d.get("used")))
            counted = (last_seen if last_seen is not None else p.t1) - p.t0
            updated = epoch_of(d.get("updated"))
            if counted >= 3600.0 or (updated is not None and updated >= p.t1):
                points.append([p.t0 + 1800.0, used])
            elif counted >= RATE_AFTER_S:
                points.append([p.t0 + counted, used * 3600.0 / counted])
        points.sort()
        return points

    # ------------------------------------------------------------ the panel
    def view(self, now: float | None = None) -> dict:
        self.set_now(now)
        silent = self.silent()
        sites = {}
        for key in self.items:
            agg = self.site_today(key)
            sites[key] = {"visitors": agg.visitors, "issued": agg.issued, "revenue": agg.revenue,
                          "now_used": agg.now_used, "seen": self.seen.get(key),
                          "silent": key in silent}
        visitors, issued, revenue = self.totals()
        best = self.busiest()
        return {
            "now": self.now,
            "today": self.today(),
            "totals": {"visitors": visitors, "issued": issued, "revenue": revenue,
                       "sites": len(self.items)},
            "sites": sites,
            "busiest": list(best) if best is not None else None,
            "silent": silent,
            "trend": [[k, self.hourly(k)] for k in self.top_sites()],
        }


__all__ = ["CLOCK_AHEAD_S", "EcardModel", "HISTORY_EVENTS", "KEEP_S", "MAX_PERIODS", "Period",
           "RATE_AFTER_S", "SILENT_AFTER_S", "SiteToday", "TOP_SITES", "local_date"]
