"""Alarm-system health (EEMUA 191 / ISA-18.2 performance), from the cache's alarm journal.

No Qt, no wall clock: the period is passed in (``since``/``until``, epoch seconds), or
``now`` (the panel passes the current time), or it defaults to the journal's last day.
Everything is computed from ``alarm_events`` (so any past period is measured as it was),
with SQL doing the counting; only the operators' shelve and out-of-service actions,
which are few, are walked in Python.  ``alarms`` (the current rows) only adds the
current text of the stale alarms.

The figures (``../shared/DOMAIN.md`` benchmarks; see :class:`HealthReport`):

* **The period** is half-open, ``[since, until)``.  By default it is the 24 hours
  ending with the clock-aligned 10-minute slot of the journal's last event (``until`` =
  the end of that slot), i.e. 144 whole slots; with ``now``: ``[now - 24 h, now)``;
  with only ``until``, ``since`` is 24 h before; with only ``since``, ``until`` is
  ``now`` or as by default (``since`` + 24 h if the journal ends before ``since``).
* **An alarm** (a raise) is an annunciation: a ``raise`` event whose ``to_state`` is
  ``unacknowledged``.  That includes a priority escalation of an acknowledged alarm (it
  is annunciated again), and excludes raises under a shelve, a suppression by design or
  out of service (the operator isn't shown them), and alarms re-annunciated when such
  an overlay lifts (not a new alarm).
* **Per 10 minutes**: the raises are counted in clock-aligned 10-minute slots
  (``CAST(at / 600 AS INTEGER)``), every slot that overlaps the period, including
  empty ones.  *Average* = raises x 600 / the period's length; *peak* = the largest
  slot; a slot is *in flood* with more than 10 raises; the *flood share* = flood slots
  / slots.
* **Per day** = raises x 86,400 / the period's length, and per operator (``operators``,
  default 1) against the benchmark of 150.
* **Top 10**: the alarms (rule, key) raised most often in the period (ties: by alarm
  id), each with its highest priority and share of the raises.
* **Chattering**: an alarm with at least 3 *transitions* (condition changes: ``raise``
  and ``clear`` events, under an overlay too, escalations excluded: the engine's own
  measure) within any 60 s, both ends included, inside the period.  Listed with its
  transitions in the period, the most in any 60 s, and when it first reached 3.
* **Stale**: an alarm whose condition is active at ``until`` and has been since more
  than 24 h before it (strictly), in whatever state at ``until`` (acknowledged,
  shelved, out of service…; shown), found from the whole journal up to ``until``.
* **Shelved / out of service**: intervals from ``shelve`` to ``unshelve``/``expire``
  (or ``out_of_service``, which replaces a shelve; a shelve while shelved extends the
  same interval), and from ``out_of_service`` to ``return_to_service``.  The intervals
  that overlap the period are counted; durations are the time inside the period (one
  begun before ``since`` counts from ``since``; one still open at ``until`` counts to
  ``until``).
* **Priorities**: the raises per priority 1-4, and priority 1's share against the
  <= 5 % critical target (no raise: no share, target met).
"""
from __future__ import annotations

import math
import sqlite3
import unicodedata
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from typing import Iterable

from ioc_desktop.alarms.engine import (CHATTER_TRANSITIONS, CHATTER_WINDOW_S, PRIORITIES,
                                       UNACKNOWLEDGED)

SLOT_S = 600                         # 10 minutes
FLOOD_ABOVE = 10                     # a flood: more than 10 alarms in 10 minutes
STALE_AFTER_S = 24 * 3600            # stale: active more than 24 h
DAY_S = 24 * 3600
DEFAULT_PERIOD_S = DAY_S
TOP_N = 10
CRITICAL_TARGET = 0.05               # <= 5 % of the alarms at priority 1
PER_OPERATOR_DAY_TARGET = 150        # <= 150 alarms per operator per day

_OVERLAY_EVENTS = ("shelve", "unshelve", "expire", "out_of_service", "return_to_service")


class NoAlarmJournal(LookupError):
    """The database has no ``alarm_events`` table (not a cache, or alarms never recorded)."""


# ---------------------------------------------------------------- the report
@dataclass(frozen=True)
class AlarmCount:
    """One of the most frequent alarms."""

    alarm_id: str
    rule: str
    key: str
    count: int
    priority: int | None          # the highest (smallest number) it was raised with
    share: float                  # of all the raises in the period


@dataclass(frozen=True)
class ChatteringAlarm:
    alarm_id: str
    rule: str
    key: str
    transitions: int              # raises and clears in the period
    peak_60s: int                 # the most in any 60 s (>= 3)
    first_at: float               # when it first reached 3 in 60 s (the 3rd transition)


@dataclass(frozen=True)
class StaleAlarm:
    alarm_id: str
    rule: str
    key: str
    priority: int | None          # as last journaled
    state: str | None             # at ``until``, as last journaled
    active_since: float
    age_s: float                  # until - active_since (> 24 h)
    text: str | None = None       # the current text (``alarms`` table), if any


@dataclass(frozen=True)
class OverlayInterval:
    """One shelve or out-of-service interval overlapping the period."""

    alarm_id: str
    rule: str
    key: str
    start: float                  # as journaled (may be before ``since``)
    end: float | None             # None: still open at ``until``
    duration_s: float             # inside the period
    by: str | None
    reason: str | None
    planned_until: float | None = None   # a shelve's expiry as set (the latest)


@dataclass(frozen=True)
class OverlaySummary:
    count: int                    # intervals overlapping the period
    alarms: int                   # distinct alarms
    open: int                     # still open at ``until``
    total_s: float                # time inside the period, all intervals together
    longest_s: float              # the longest one inside the period
    items: list[OverlayInterval] = field(default_factory=list)   # by start


@dataclass(frozen=True)
class HealthReport:
    """The figures over ``[since, until)`` (see the module's docstring).  ``since`` and
    ``until`` are None only for an empty journal with no period given."""

    since: float | None
    until: float | None
    journal_events: int           # every journal event in the period
    raises: int                   # annunciated alarms in the period
    slots: int                    # 10-minute slots overlapping the period
    per_10min_average: float | None
    per_10min_peak: int
    peak_slot_start: float | None  # the first slot with the peak (None: no raise)
    flood_slots: int
    flood_share: float | None
    per_day: float | None
    operators: int
    per_operator_day: float | None
    per_operator_day_target: int
    per_operator_day_met: bool
    priorities: dict[int, int]    # priority -> raises
    critical_share: float | None
    critical_target: float
    critical_met: bool
    top: list[AlarmCount]
    chattering: list[ChatteringAlarm]
    stale: list[StaleAlarm]
    active_at_until: int          # alarms whose condition is active at ``until``
    shelved: OverlaySummary
    out_of_service: OverlaySummary

    # ------------------------------------------------------------ JSON
    def to_dict(self) -> dict:
        """JSON-ready: times in epoch seconds (plus the period in RFC 3339, UTC),
        durations in seconds, shares as fractions (0-1); priorities keyed "1".."4"."""
        data = asdict(self)
        data["priorities"] = {str(p): n for p, n in self.priorities.items()}
        data["since_utc"] = _rfc3339(self.since, timezone.utc)
        data["until_utc"] = _rfc3339(self.until, timezone.utc)
        data["benchmarks"] = {
            "slot_s": SLOT_S, "flood_above": FLOOD_ABOVE, "stale_after_s": STALE_AFTER_S,
            "chatter_transitions": CHATTER_TRANSITIONS, "chatter_window_s": CHATTER_WINDOW_S,
            "critical_target": CRITICAL_TARGET,
            "per_operator_day_target": PER_OPERATOR_DAY_TARGET}
        return data

    # ------------------------------------------------------------ text
    def lines(self, lang: str = "en", tz: tzinfo | None = timezone.utc) -> list[str]:
        """The report as a plain table for a terminal.  English only for now (any
        ``lang`` gets English).  Times in ``tz`` (None: this computer's zone)."""
        del lang                  # one language so far; the parameter keeps the API
        t = lambda at: _rfc3339(at, tz) if at is not None else "-"   # noqa: E731
        if self.since is None or self.until is None:
            return ["Alarm-system health: the alarm journal is empty."]
        out = [f"Alarm-system health, {t(self.since)} to {t(self.until)} "
               f"({_duration(self.until - self.since)})", ""]
        met = lambda ok: "met" if ok else "NOT MET"   # noqa: E731
        rows: list[tuple[str, str, str]] = [
            ("alarms (annunciated raises)", f"{self.raises}", ""),
            ("journal events", f"{self.journal_events}", ""),
            ("alarms per 10 min, average", _num(self.per_10min_average, 2), ""),
            ("alarms per 10 min, peak",
             f"{self.per_10min_peak}" + (f" at {t(self.peak_slot_start)}"
                                         if self.peak_slot_start is not None else ""),
             f"<= {FLOOD_ABOVE}: {met(self.per_10min_peak <= FLOOD_ABOVE)}"),
            (f"10-min periods in flood (> {FLOOD_ABOVE})",
             f"{self.flood_slots} of {self.slots} ({_pct(self.flood_share)})", ""),
            ("alarms per day", _num(self.per_day, 1), ""),
            (f"alarms per operator per day ({self.operators} operator"
             f"{'' if self.operators == 1 else 's'})", _num(self.per_operator_day, 1),
             f"<= {self.per_operator_day_target}: {met(self.per_operator_day_met)}"),
            ("priority 1 (critical) share", _pct(self.critical_share),
             f"<= {_pct(self.critical_target)}: {met(self.critical_met)}"),
            *[(f"  priority {p}", f"{n} ({_pct(n / self.raises if self.raises else None)})", "")
              for p, n in self.priorities.items()],
            (f"chattering alarms (>= {CHATTER_TRANSITIONS} in {CHATTER_WINDOW_S:g} s)",
             f"{len(self.chattering)}", ""),
            (f"stale alarms (active > {STALE_AFTER_S // 3600} h)", f"{len(self.stale)}", ""),
            ("alarms active at the end", f"{self.active_at_until}", ""),
            ("shelved", _overlay(self.shelved), ""),
            ("out of service", _overlay(self.out_of_service), ""),
        ]
        out += _table(("figure", "value", "target"), rows)
        if self.top:
            out += ["", f"Top {TOP_N} most frequent alarms"]
            out += _table(("#", "alarms", "share", "P", "rule", "key"),
                          [(f"{i}", f"{a.count}", _pct(a.share), _num(a.priority), a.rule, a.key)
                           for i, a in enumerate(self.top, 1)], right=(0, 1, 2))
        if self.chattering:
            out += ["", "Chattering alarms"]
            out += _table(("rule", "key", "transitions", "most in 60 s", "first at"),
                          [(a.rule, a.key, f"{a.transitions}", f"{a.peak_60s}", t(a.first_at))
                           for a in self.chattering], right=(2, 3))
        if self.stale:
            out += ["", "Stale alarms"]
            out += _table(("rule", "key", "P", "state", "active since", "for"),
                          [(a.rule, a.key, _num(a.priority), a.state or "-", t(a.active_since),
                            _duration(a.age_s)) for a in self.stale])
        for title, summary in (("Shelved", self.shelved), ("Out of service", self.out_of_service)):
            if summary.items:
                out += ["", title]
                out += _table(("rule", "key", "by", "reason", "from", "to", "in period"),
                              [(i.rule, i.key, i.by or "-", i.reason or "-", t(i.start),
                                t(i.end) if i.end is not None else "(open)",
                                _duration(i.duration_s)) for i in summary.items])
        return out

    def text(self, lang: str = "en", tz: tzinfo | None = timezone.utc) -> str:
        return "\n".join(self.lines(lang, tz))


# ---------------------------------------------------------------- computing
def has_journal(conn: sqlite3.Connection) -> bool:
    return _has_table(conn, "alarm_events")


def alarm_health(conn: sqlite3.Connection, *, since: float | None = None,
                 until: float | None = None, now: float | None = None,
                 operators: int = 1) -> HealthReport:
    """The health figures of the journal in ``conn`` over ``[since, until)`` (see the
    module's docstring for the default period).  Read-only: works on a ``mode=ro``
    connection.  Raises :class:`NoAlarmJournal` without ``alarm_events``, ValueError
    for an empty period or ``operators`` < 1."""
    if operators < 1:
        raise ValueError("operators must be at least 1")
    if not has_journal(conn):
        raise NoAlarmJournal("no alarm_events table")
    since, until = _period(conn, since, until, now)
    if since is None or until is None:
        return _empty_report(operators)
    if not since < until:
        raise ValueError(f"the period is empty: since {since!r} is not before until {until!r}")
    span = until - since
    period = {"since": since, "until": until}

    journal_events = conn.execute(
        "SELECT COUNT(*) FROM alarm_events WHERE at >= :since AND at < :until",
        period).fetchone()[0]

    # raises per 10-minute slot and priority: a few hundred rows at most
    per_slot: dict[int, int] = {}
    priorities = {p: 0 for p in PRIORITIES}
    for slot, priority, n in conn.execute(
            f"""SELECT CAST(at / {SLOT_S} AS INTEGER) AS slot, priority, COUNT(*)
                FROM alarm_events
                WHERE at >= :since AND at < :until AND event = 'raise'
                  AND to_state = '{UNACKNOWLEDGED}'
                GROUP BY slot, priority""", period):
        per_slot[slot] = per_slot.get(slot, 0) + n
        priorities[priority] = priorities.get(priority, 0) + n
    raises = sum(per_slot.values())
    slots = math.ceil(until / SLOT_S) - math.floor(since / SLOT_S)
    peak = max(per_slot.values(), default=0)
    peak_slot = min((s for s, n in per_slot.items() if n == peak), default=None)
    flood_slots = sum(1 for n in per_slot.values() if n > FLOOD_ABOVE)
    per_day = raises * DAY_S / span
    critical_share = priorities.get(1, 0) / raises if raises else None

    top = [AlarmCount(a_id, rule, key, n, prio, n / raises) for a_id, rule, key, n, prio in
           conn.execute(
               f"""SELECT alarm_id, MIN(rule), MIN(key), COUNT(*) AS n, MIN(priority)
                   FROM alarm_events
                   WHERE at >= :since AND at < :until AND event = 'raise'
                     AND to_state = '{UNACKNOWLEDGED}'
                   GROUP BY alarm_id ORDER BY n DESC, alarm_id LIMIT {TOP_N}""", period)]

    stale, active = _stale(conn, since, until)
    return HealthReport(
        since=since, until=until, journal_events=journal_events, raises=raises, slots=slots,
        per_10min_average=raises * SLOT_S / span, per_10min_peak=peak,
        peak_slot_start=float(peak_slot * SLOT_S) if peak_slot is not None else None,
        flood_slots=flood_slots, flood_share=flood_slots / slots, per_day=per_day,
        operators=operators, per_operator_day=per_day / operators,
        per_operator_day_target=PER_OPERATOR_DAY_TARGET,
        per_operator_day_met=per_day / operators <= PER_OPERATOR_DAY_TARGET,
        priorities=priorities, critical_share=critical_share, critical_target=CRITICAL_TARGET,
        critical_met=critical_share is None or critical_share <= CRITICAL_TARGET,
        top=top, chattering=_chattering(conn, since, until), stale=stale,
        active_at_until=active, **_overlays(conn, since, until))


def _period(conn: sqlite3.Connection, since: float | None, until: float | None,
            now: float | None) -> tuple[float | None, float | None]:
    if since is not None and until is not None:
        return float(since), float(until)
    if until is None:
        if now is not None:
            until = now
        else:
            last = conn.execute("SELECT MAX(at) FROM alarm_events").fetchone()[0]
            if last is None:
                if since is None:
                    return None, None
                until = since + DEFAULT_PERIOD_S
            else:
                until = (math.floor(last / SLOT_S) + 1) * SLOT_S   # the end of its slot
                if since is not None and until <= since:   # the journal ends before it
                    until = since + DEFAULT_PERIOD_S
    if since is None:
        since = until - DEFAULT_PERIOD_S
    return float(since), float(until)


def _empty_report(operators: int) -> HealthReport:
    nothing = OverlaySummary(0, 0, 0, 0.0, 0.0, [])
    return HealthReport(
        since=None, until=None, journal_events=0, raises=0, slots=0, per_10min_average=None,
        per_10min_peak=0, peak_slot_start=None, flood_slots=0, flood_share=None, per_day=None,
        operators=operators, per_operator_day=None,
        per_operator_day_target=PER_OPERATOR_DAY_TARGET, per_operator_day_met=True,
        priorities={p: 0 for p in PRIORITIES}, critical_share=None,
        critical_target=CRITICAL_TARGET, critical_met=True, top=[], chattering=[], stale=[],
        active_at_until=0, shelved=nothing, out_of_service=nothing)


def _chattering(conn: sqlite3.Connection, since: float, until: float) -> list[ChatteringAlarm]:
    """Condition transitions (raise, clear; not escalations) counted in a sliding 60 s
    window per alarm by an SQL window function; then the few chattering alarms' totals."""
    transition = ("alarm_id IS NOT NULL AND at >= ? AND at < ? AND (event = 'clear' OR "
                  "(event = 'raise' AND COALESCE(from_state, '') <> 'acknowledged'))")
    peaks = conn.execute(
        f"""WITH w AS (
                SELECT alarm_id, at,
                       COUNT(*) OVER (PARTITION BY alarm_id ORDER BY at
                                      RANGE BETWEEN {float(CHATTER_WINDOW_S)!r} PRECEDING
                                      AND CURRENT ROW) AS n
                FROM alarm_events WHERE {transition})
            SELECT alarm_id, MAX(n), MIN(at) FROM w
            WHERE n >= {CHATTER_TRANSITIONS} GROUP BY alarm_id""", (since, until)).fetchall()
    if not peaks:
        return []
    totals_sql = ("SELECT alarm_id, MIN(rule), MIN(key), COUNT(*) FROM alarm_events "
                  "WHERE {} " + transition + " GROUP BY alarm_id")
    if len(peaks) <= 200:        # the usual case: a few, by the (alarm_id, seq) index
        rows = _in_chunks(conn, totals_sql.format("alarm_id IN ({}) AND"),
                          [a_id for a_id, _, _ in peaks], after=(since, until))
    else:                        # many: one pass over the period is cheaper
        rows = conn.execute(totals_sql.format(""), (since, until)).fetchall()
    totals = {a_id: (rule, key, n) for a_id, rule, key, n in rows}
    found = [ChatteringAlarm(a_id, totals[a_id][0], totals[a_id][1], totals[a_id][2], peak,
                             first) for a_id, peak, first in peaks]
    found.sort(key=lambda a: (-a.peak_60s, -a.transitions, a.alarm_id))
    return found


def _stale(conn: sqlite3.Connection, since: float,
           until: float) -> tuple[list[StaleAlarm], int]:
    """The alarms active at ``until`` (from the whole journal before it): how many, and
    those active for more than 24 h."""
    rows = conn.execute(
        """WITH rc AS (
               SELECT alarm_id, seq, at, event FROM alarm_events
               WHERE at < :until AND alarm_id IS NOT NULL AND event IN ('raise', 'clear')),
           last_clear AS (
               SELECT alarm_id, MAX(seq) AS cseq FROM rc WHERE event = 'clear'
               GROUP BY alarm_id)
           SELECT rc.alarm_id, MIN(rc.at) FROM rc
           LEFT JOIN last_clear lc ON lc.alarm_id = rc.alarm_id
           WHERE rc.event = 'raise' AND rc.seq > COALESCE(lc.cseq, -1)
           GROUP BY rc.alarm_id""", {"until": until}).fetchall()
    old = {a_id: at for a_id, at in rows if until - at > STALE_AFTER_S}
    stale: list[StaleAlarm] = []
    if old:
        texts: dict[str, str | None] = {}
        if _has_table(conn, "alarms"):
            texts = dict(_in_chunks(conn, "SELECT id, text FROM alarms WHERE id IN ({})",
                                    list(old)))
        last = _in_chunks(
            conn, """SELECT e.alarm_id, e.rule, e.key, e.priority, e.to_state
                     FROM alarm_events e JOIN (
                         SELECT alarm_id, MAX(seq) AS s FROM alarm_events
                         WHERE at < ? AND alarm_id IN ({}) GROUP BY alarm_id) m
                     ON e.seq = m.s""", list(old), before=(until,))
        for a_id, rule, key, priority, state in last:
            stale.append(StaleAlarm(a_id, rule, key, priority, state, old[a_id],
                                    until - old[a_id], texts.get(a_id)))
        stale.sort(key=lambda a: (a.active_since, a.alarm_id))
    return stale, len(rows)


def _overlays(conn: sqlite3.Connection, since: float, until: float) -> dict:
    """Shelve and out-of-service intervals from the operators' actions before ``until``
    (few rows: walked in Python)."""
    shelves: list[dict] = []
    services: list[dict] = []
    open_shelf: dict[str, dict] = {}
    open_oos: dict[str, dict] = {}
    for at, a_id, rule, key, event, user, reason, planned in conn.execute(
            f"""SELECT at, alarm_id, rule, key, event, user, reason, until FROM alarm_events
                WHERE at < ? AND alarm_id IS NOT NULL
                  AND event IN ({', '.join(repr(e) for e in _OVERLAY_EVENTS)})
                ORDER BY seq""", (until,)):
        if event == "shelve":
            current = open_shelf.get(a_id)
            if current is None:
                current = open_shelf[a_id] = {"alarm_id": a_id, "rule": rule, "key": key,
                                              "start": at, "end": None}
                shelves.append(current)
            current.update(by=user, reason=reason, planned_until=planned)
        elif event in ("unshelve", "expire"):
            if a_id in open_shelf:
                open_shelf.pop(a_id)["end"] = at
        elif event == "out_of_service":
            if a_id in open_shelf:                      # out of service replaces a shelve
                open_shelf.pop(a_id)["end"] = at
            if a_id not in open_oos:
                open_oos[a_id] = {"alarm_id": a_id, "rule": rule, "key": key, "start": at,
                                  "end": None, "by": user, "reason": reason,
                                  "planned_until": None}
                services.append(open_oos[a_id])
        elif event == "return_to_service":
            if a_id in open_oos:
                open_oos.pop(a_id)["end"] = at
    return {"shelved": _summarise(shelves, since, until),
            "out_of_service": _summarise(services, since, until)}


def _summarise(intervals: Iterable[dict], since: float, until: float) -> OverlaySummary:
    items = []
    for i in intervals:
        end = i["end"] if i["end"] is not None else until
        if i["start"] >= until or (end <= since and i["start"] < since):
            continue                                    # not in the period
        items.append(OverlayInterval(
            i["alarm_id"], i["rule"], i["key"], i["start"], i["end"],
            max(0.0, min(end, until) - max(i["start"], since)), i.get("by"), i.get("reason"),
            i.get("planned_until")))
    items.sort(key=lambda i: (i.start, i.alarm_id))
    return OverlaySummary(count=len(items), alarms=len({i.alarm_id for i in items}),
                          open=sum(1 for i in items if i.end is None),
                          total_s=sum(i.duration_s for i in items),
                          longest_s=max((i.duration_s for i in items), default=0.0),
                          items=items)


# ---------------------------------------------------------------- helpers
def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (name,)).fetchone() is not None


def _in_chunks(conn: sqlite3.Connection, sql: str, ids: list, before: tuple = (),
               after: tuple = (), size: int = 500) -> list[tuple]:
    """``sql`` with ``IN ({})`` run over ``ids`` in chunks (SQLite's variable limit);
    ``before``/``after``: the other parameters, around the ids."""
    out: list[tuple] = []
    for i in range(0, len(ids), size):
        chunk = ids[i:i + size]
        out += conn.execute(sql.format(", ".join("?" * len(chunk))),
                            (*before, *chunk, *after)).fetchall()
    return out


def _rfc3339(at: float | None, tz: tzinfo | None) -> str | None:
    if at is None:
        return None
    moment = datetime.fromtimestamp(at, timezone.utc)
    moment = moment.astimezone(tz) if tz is not None else moment.astimezone()
    text = moment.isoformat(timespec="seconds" if at == int(at) else "milliseconds")
    return text.replace("+00:00", "Z") if moment.utcoffset() == timedelta(0) else text


def _duration(seconds: float) -> str:
    seconds = int(round(seconds))
    if seconds < 60:
        return f"{seconds} s"
    days, rest = divmod(seconds, DAY_S)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [f"{days} d" if days else "", f"{hours} h" if hours else "",
             f"{minutes} min" if minutes else "", f"{secs} s" if secs and not days else ""]
    return " ".join(p for p in parts if p)


def _num(value: float | int | None, digits: int = 0) -> str:
    if value is None:
        return "-"
    return f"{value:.{digits}f}" if digits else f"{value}"


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.1f} %"


def _overlay(s: OverlaySummary) -> str:
    return (f"{s.count} ({s.alarms} alarm{'' if s.alarms == 1 else 's'}, {s.open} open), "
            f"total {_duration(s.total_s)}, longest {_duration(s.longest_s)}")


def _clean(text: str) -> str:
    """A cell on one line: control characters escaped."""
    return "".join(c if unicodedata.category(c)[0] != "C"
                   else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for c in str(text))


def _table(header: tuple[str, ...], rows: list[tuple[str, ...]],
           right: tuple[int, ...] = ()) -> list[str]:
    cells = [tuple(_clean(c) for c in row) for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]

    def fmt(row):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(row, widths))).rstrip()
    return [fmt(cells[0]), "  ".join("-" * w for w in widths), *(fmt(r) for r in cells[1:])]
