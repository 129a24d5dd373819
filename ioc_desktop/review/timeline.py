"""What the review's time bar draws under its cursor (no Qt): alarm density and
incidents over the cache's span, from the alarm journal."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field


@dataclass
class TimelineMarks:
    start: float
    end: float
    #: raises per bucket (``len(density)`` equal buckets from start to end)
    density: list[int]
    #: the highest-priority raises: (at, alarm id, priority, text), oldest first
    incidents: list[tuple[float, str, int, str]] = field(default_factory=list)


def timeline_marks(conn: sqlite3.Connection, start: float, end: float, buckets: int = 240,
                   *, incident_priority: int = 1, max_incidents: int = 500) -> TimelineMarks:
    """Alarm raises per bucket between ``start`` and ``end``, and the raises of
    ``incident_priority`` or higher (lower number) as incidents."""
    buckets = max(1, int(buckets))
    span = max(end - start, 1e-9)
    density = [0] * buckets
    try:
        rows = conn.execute(
            "SELECT CAST((at - ?) * ? / ? AS INTEGER) AS b, count(*) FROM alarm_events "
            "WHERE event = 'raise' AND at >= ? AND at <= ? GROUP BY b",
            (start, buckets, span, start, end)).fetchall()
        incidents = conn.execute(
            "SELECT e.at, e.alarm_id, e.priority, coalesce(a.text, e.rule) FROM alarm_events e "
            "LEFT JOIN alarms a ON a.id = e.alarm_id WHERE e.event = 'raise' AND e.priority <= ? "
            "AND e.at >= ? AND e.at <= ? ORDER BY e.at LIMIT ?",
            (incident_priority, start, end, max_incidents)).fetchall()
    except sqlite3.OperationalError:      # no alarm journal in this cache yet
        rows, incidents = [], []
    for b, n in rows:
        if b is not None:
            density[min(max(int(b), 0), buckets - 1)] += n
    return TimelineMarks(start, end, density,
                         [(at, str(i), int(p), str(t or "")) for at, i, p, t in incidents])


__all__ = ["TimelineMarks", "timeline_marks"]
