"""The alarms' place in the cache: current states and an append-only journal (SQLite).

Tables (created by :func:`ensure_schema` on the writer's connection):

- ``alarms(id, rule, key, state, priority, text, value, raised_at, acked_at, acked_by,
  shelved_by, shelved_until, shelve_reason, suppressed_by, oos_by, oos_reason,
  updated_at, data)``: one row per alarm, its latest state.  ``data`` is the whole
  :class:`~ioc_desktop.alarms.engine.Alarm` as JSON, what :func:`load` restores; the
  other columns are for queries (``alarms list``, the views).
- ``alarm_events(seq, at, alarm_id, rule, key, event, from_state, to_state, user,
  reason, value, priority, until, action_id, data)``: every transition, in order;
  ``data`` the alarm as it stood after it (JSON, on the last transition of an alarm in
  one record; older journals lack it), what review at a past moment restores
  (:func:`alarms_at`).
  Append-only: triggers abort any UPDATE or DELETE (as the outbox's ``audit``).
  A silence has no alarm: ``alarm_id``, ``rule``, ``key`` and the states are NULL,
  ``priority`` is the silenced priority (NULL: all).

:func:`record` writes in the caller's transaction (the store writer's); nothing here
commits.  ``value`` columns have no declared type, so a number stays a number and a
text stays text.
"""
from __future__ import annotations

import itertools
import logging
import sqlite3
from typing import Iterable

from ioc_desktop import jsonfast
from ioc_desktop.alarms.engine import EVENTS, STATES, Alarm, Transition
from ioc_desktop.store.append_only import append_only_triggers

log = logging.getLogger(__name__)



_SCHEMA = [
    f"""CREATE TABLE IF NOT EXISTS alarms (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        key TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN {STATES!r}),
        priority INTEGER NOT NULL,
        text TEXT,
        value,
        raised_at REAL,
        acked_at REAL,
        acked_by TEXT,
        shelved_by TEXT,
        shelved_until REAL,
        shelve_reason TEXT,
        suppressed_by TEXT,
        oos_by TEXT,
        oos_reason TEXT,
        updated_at REAL,
        data TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS alarms_state ON alarms(state, priority, raised_at)",
    f"""CREATE TABLE IF NOT EXISTS alarm_events (
        seq INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        alarm_id TEXT,
        rule TEXT,
        key TEXT,
        event TEXT NOT NULL CHECK (event IN {EVENTS!r}),
        from_state TEXT,
        to_state TEXT,
        user TEXT,
        reason TEXT,
        value,
        priority INTEGER,
        until REAL,
        action_id TEXT
    )""",
    "CREATE INDEX IF NOT EXISTS alarm_events_alarm ON alarm_events(alarm_id, seq)",
    "CREATE INDEX IF NOT EXISTS alarm_events_at ON alarm_events(at)",
    # review's "each alarm's newest transition by T" reads this index alone (it holds
    # the seq), not the journal's rows with their alarm texts: 4x faster at a week
    "CREATE INDEX IF NOT EXISTS alarm_events_alarm_at ON alarm_events(alarm_id, at)",
    "CREATE INDEX IF NOT EXISTS alarm_events_action ON alarm_events(action_id)",
    *append_only_triggers("alarm_events", "the alarm journal"),
]

_EVENT_COLS = ("at, alarm_id, rule, key, event, from_state, to_state, user, reason, value, "
               "priority, until, action_id")
_ALARM_COLS = ("id, rule, key, state, priority, text, value, raised_at, acked_at, acked_by, "
               "shelved_by, shelved_until, shelve_reason, suppressed_by, oos_by, oos_reason, "
               "updated_at, data")


def ensure_schema(conn: sqlite3.Connection) -> None:
    """Create ``alarms`` and ``alarm_events`` (with its guards) if missing; a journal
    from before review gains the ``data`` column (its old rows keep NULL)."""
    for statement in _SCHEMA:
        conn.execute(statement)
    columns = {row[1] for row in conn.execute("PRAGMA table_info(alarm_events)")}
    if "data" not in columns:
        conn.execute("ALTER TABLE alarm_events ADD COLUMN data TEXT")


def record(conn: sqlite3.Connection, transitions: Iterable[Transition],
           alarms: Iterable[Alarm]) -> None:
    """Append the transitions to the journal and write the alarms' current rows, in
    the caller's transaction (pass ``engine.take_changed()`` as ``alarms``)."""
    alarms = list(alarms)
    transitions = list(transitions)
    after = {a.id: jsonfast.dumps(a.to_dict()) for a in alarms}
    last = {t.alarm_id: i for i, t in enumerate(transitions) if t.alarm_id is not None}
    conn.executemany(
        f"INSERT INTO alarm_events ({_EVENT_COLS}, data) VALUES ({', '.join('?' * 14)})",
        [(t.at, t.alarm_id, t.rule, t.key, t.event, t.from_state, t.to_state, t.user,
          t.reason, t.value, t.priority, t.until, t.action_id,
          after.get(t.alarm_id) if last.get(t.alarm_id) == i else None)
         for i, t in enumerate(transitions)])
    conn.executemany(
        f"INSERT OR REPLACE INTO alarms ({_ALARM_COLS}) VALUES ({', '.join('?' * 18)})",
        [(a.id, a.rule, a.key, a.state, a.priority, a.text, a.value, a.raised_at, a.acked_at,
          a.acked_by, a.shelved_by, a.shelved_until, a.shelve_reason, a.suppressed_by,
          a.oos_by, a.oos_reason, a.updated_at, after[a.id])
         for a in alarms])


def load(conn: sqlite3.Connection) -> list[Alarm]:
    """Every alarm as last recorded, for ``AlarmEngine.restore`` after a restart.
    A row that can't be read is logged and skipped (the journal still has its story)."""
    alarms = []
    for alarm_id, data in conn.execute("SELECT id, data FROM alarms ORDER BY id"):
        try:
            alarms.append(Alarm.from_dict(jsonfast.loads(data)))
        except (ValueError, TypeError):
            log.warning("alarm %r: unreadable state in the cache, skipped", alarm_id)
    return alarms


#: Decoded journal entries a review keeps (:func:`alarms_at`'s ``decoded``): an alarm
#: that stood unchanged for days is the same entry at every jump into those days.
DECODED_KEPT = 20_000


def alarms_at(conn: sqlite3.Connection, at: float, *,
              decoded: dict | None = None) -> list[Alarm]:
    """Every alarm not normal at ``at``, as it stood then (review): the alarm recorded
    with its newest transition by then; for a journal entry without it (older caches,
    an earlier transition of the same evaluation) the alarm's current row with the
    state, value, priority and acknowledgement of that transition.

    ``decoded``: a dict the caller keeps from one call to the next (a review's jumps):
    the entries decoded before are copied from it instead of decoded again — and not
    even read: the newest entry of each alarm by ``at`` is found on an index first
    (its seq and time), and only the entries not kept are read whole (an alarm's
    entry is ~1 KB of JSON; most stand unchanged from one jump to the next).  An entry
    is known by its seq, alarm id and time (a journal is append-only; another file's
    seq is another key)."""
    from ioc_desktop.alarms import engine as e

    try:
        # one row per alarm, from the (alarm_id, at) index alone: a bare column beside
        # max() is taken from the row of the max (SQLite)
        heads = conn.execute(
            "SELECT alarm_id, max(seq), at FROM alarm_events WHERE at <= ? "
            "AND alarm_id IS NOT NULL GROUP BY alarm_id ORDER BY alarm_id", (at,)).fetchall()
        kept = decoded if decoded is not None else {}
        missing = [seq for alarm_id, seq, when in heads if (seq, alarm_id, when) not in kept]
        rows: dict[int, tuple] = {}
        for i in range(0, len(missing), 500):
            part = missing[i:i + 500]
            rows.update((row[-1], row) for row in conn.execute(
                "SELECT alarm_id, to_state, data, at, value, priority, event, user, seq "
                f"FROM alarm_events WHERE seq IN ({', '.join('?' * len(part))})", part))
    except sqlite3.OperationalError:
        return []            # no journal yet, or one from before review (no data column)
    current = None
    out = []
    for alarm_id, seq, when in heads:
        key = (seq, alarm_id, when)
        alarm = kept.get(key)
        if alarm is _NORMAL:
            continue
        if alarm is not None:
            out.append(_copy(alarm))        # the caller may change its own
            continue
        row = rows.get(seq)
        if row is None:
            continue
        _, to_state, data, _, value, priority, event, user, _ = row
        if to_state == e.NORMAL:
            if data and decoded is not None:
                _keep(decoded, key, _NORMAL)
            continue
        if data:
            alarm = _decoded(decoded, key, data)
        if alarm is None:
            if current is None:
                current = {a.id: a for a in load(conn)}
            alarm = current.get(alarm_id)
            if alarm is None:
                continue
            alarm = Alarm.from_dict(alarm.to_dict())
            if priority is not None:
                alarm.priority = priority
            alarm.value = value
            alarm.active = to_state in (e.UNACKNOWLEDGED, e.ACKNOWLEDGED)
            alarm.acked = to_state not in (e.UNACKNOWLEDGED, e.RTN_UNACKNOWLEDGED)
            alarm.latched = to_state == e.LATCHED
            alarm.shelved = to_state == e.SHELVED
            alarm.out_of_service = to_state == e.OUT_OF_SERVICE
            if to_state != e.SUPPRESSED:
                alarm.suppressed_by = None
            elif alarm.suppressed_by is None:
                alarm.suppressed_by = ""
            if event == "acknowledge":
                alarm.acked_at, alarm.acked_by = when, user
            alarm.updated_at = when
        out.append(alarm)
    return out


#: ``decoded``'s mark of an entry that returned its alarm to normal (in no view)
_NORMAL = object()


def _decoded(kept: dict | None, key: tuple, data: str) -> Alarm | None:
    """The alarm of a journal entry's ``data`` (None if unreadable), decoded (and a
    copy kept)."""
    try:
        alarm = Alarm.from_dict(jsonfast.loads(data))
    except (ValueError, TypeError):
        return None
    if kept is not None:
        _keep(kept, key, _copy(alarm))
    return alarm


def _keep(kept: dict, key: tuple, value) -> None:
    if len(kept) >= DECODED_KEPT:      # the oldest half goes
        for old in list(itertools.islice(kept, len(kept) // 2)):
            del kept[old]
    kept[key] = value


def _copy(alarm: Alarm) -> Alarm:
    """``copy.copy(alarm)`` (as shallow) without its reduce protocol: a third of the
    time, for the ~1,000 alarms of every review jump."""
    out = object.__new__(type(alarm))
    out.__dict__.update(alarm.__dict__)
    return out


def action_ids(conn: sqlite3.Connection, limit: int = 100_000) -> list[str]:
    """The newest journaled action ids (oldest first), for ``restore``: an action
    relayed again after a restart is still applied once."""
    rows = conn.execute("SELECT action_id FROM alarm_events WHERE action_id IS NOT NULL "
                        "ORDER BY seq DESC LIMIT ?", (limit,)).fetchall()
    return [r[0] for r in reversed(rows)]


def events(conn: sqlite3.Connection, *, after_seq: int = 0,
           alarm_id: str | None = None) -> list[tuple[int, Transition]]:
    """The journal in order, as ``(seq, transition)`` (the history view, review)."""
    sql = f"SELECT seq, {_EVENT_COLS} FROM alarm_events WHERE seq > ?"
    args: list = [after_seq]
    if alarm_id is not None:
        sql += " AND alarm_id = ?"
        args.append(alarm_id)
    rows = conn.execute(sql + " ORDER BY seq", args)
    return [(seq, Transition(alarm_id=a_id, rule=rule, key=key, event=event, from_state=fs,
                             to_state=ts, at=at, user=user, reason=reason, value=value,
                             priority=priority, until=until, action_id=action))
            for (seq, at, a_id, rule, key, event, fs, ts, user, reason, value, priority,
                 until, action) in rows]
