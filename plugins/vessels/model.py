"""The vessels' situation model (no Qt): the fleet's newest reports, each vessel's last two
fixes, which monitored areas each vessel is in, and the area transitions, with the time
of each crossing estimated on the segment between two fixes.

Fed by the situation layer with the plugin's validated payloads (the dicts the
``vessels`` state table holds: ``vessel_id``, ``name``, ``registration``, ``lat``,
``long``, ``sog``, ``cog``, ``time`` (of the fix), ``length_m``, ``status`` …):

* :meth:`VesselsModel.apply` ``(upserts, deletes)``: a committed batch, coalesced (the
  newest report per vessel).  Fixes in between are not seen, so a crossing between two
  of them can be missed: prefer
* :meth:`VesselsModel.apply_events` / :meth:`VesselsModel.apply_changes`: every event of
  the batch in seq order (``TopicChanges.events``), so every segment is tested.
* :meth:`VesselsModel.reset` ``(state)``: the topic's whole state (startup, a snapshot,
  review at a past time).  A reset is a discontinuity: no crossing is inferred across it;
  a vessel found inside an area is inside "since at least" its fix.

There is no wall clock here: :attr:`VesselsModel.now` is set by the caller
(:meth:`set_now`, or ``now=`` on the feeding calls), so review can replay the past.

Fixes.  A report is a new fix when its ``time`` is later than the vessel's newest fix (or
equal with another position).  An older report (out of order) and a repeat of the same
fix (the backend's ``lost_signal`` mark repeats the last fix) update the vessel's data
but not its track.  Between two fixes the track is the straight segment
(:func:`plugins.vessels.geofence.segment_crossings`); a crossing's time is interpolated
on it, at constant speed.  When the fixes are more than :attr:`max_gap_s` apart (6 h:
the signal was lost, the path is unknown) or the segment spans the antimeridian, only
the states at the two fixes are compared, and a change is dated at the new fix
(``AreaEvent.estimated`` is False).

Transitions.  Each enter/leave is an :class:`AreaEvent` (kept in a bounded history,
:attr:`events`) and is *pending* until :meth:`settle` is called: the alarm rules report
pending events, so a crossing between two fixes (entered and left again) is seen by one
evaluation at least, however the batches were coalesced.  The situation layer calls
``settle()`` after each evaluation (``plugins.vessels.rules.evaluate`` does it).
"""
from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from types import MappingProxyType
from typing import Any, Iterable, Iterator, Mapping

from .geofence import Area, load_areas

ENTER, LEAVE = "enter", "leave"

#: Fixes further apart than this: the straight segment is a guess, compare the ends only.
MAX_SEGMENT_GAP_S = 6 * 3600.0
#: Area transitions kept in :attr:`VesselsModel.events`.
HISTORY = 1000
#: DOMAIN.md: a position at least every 2 h (a fix older than this is late) …
LATE_AFTER_S = 2 * 3600.0
#: … and no position for over 6 h is abnormal (lost signal).
LOST_AFTER_S = 6 * 3600.0


@dataclass(frozen=True)
class Fix:
    """A position at a time (epoch seconds); ``time`` is the report's text."""

    t: float
    lat: float
    lon: float
    time: str


@dataclass(frozen=True)
class Stay:
    """A vessel inside an area since ``since`` (epoch s): its entry's time when
    ``entry_seen`` (interpolated on the segment when ``estimated``, else the fix that
    found it inside after a long gap), else its first fix inside (reset or first report:
    a lower bound)."""

    since: float
    entry_seen: bool
    estimated: bool = False


@dataclass(frozen=True)
class AreaEvent:
    """A vessel entered or left an area.

    ``at``/``lat``/``lon``: where and when the segment met the boundary (``estimated``:
    interpolated between the fixes ``from_t`` and ``to_t``; otherwise ``at`` is the new
    fix's time).  For a leave, ``since``/``entry_seen`` describe the stay that ended.
    """

    seq: int
    vessel: str
    area: str
    kind: str                        # ENTER | LEAVE
    at: float
    lat: float
    lon: float
    estimated: bool
    from_t: float
    to_t: float
    since: float | None = None
    entry_seen: bool = False


class VesselsModel:
    """See the module docstring.  Owned by one thread; not locked."""

    def __init__(self, areas: Iterable[Area] | None = None, *,
                 max_gap_s: float = MAX_SEGMENT_GAP_S, history: int = HISTORY):
        self.areas: tuple[Area, ...] = tuple(load_areas() if areas is None else areas)
        ids = [a.id for a in self.areas]
        if len(set(ids)) != len(ids):
            raise ValueError("area ids must be unique")
        self._areas = {a.id: a for a in self.areas}
        self.max_gap_s = float(max_gap_s)
        self.now: float | None = None
        self._data: dict[str, dict] = {}
        self._last: dict[str, Fix] = {}
        self._prev: dict[str, Fix] = {}
        self._inside: dict[str, dict[str, Stay]] = {}
        self._events: deque[AreaEvent] = deque(maxlen=history)
        self._pending: dict[tuple[str, str, str], AreaEvent] = {}   # (kind, area, vessel)
        self._seq = 0
        self._times: dict[str, float | None] = {}
        self.ignored_reports = 0          # no usable position or time (should not happen)

    # ------------------------------------------------------------ feeding
    def set_now(self, now: float | None) -> None:
        self.now = now

    def reset(self, state: Mapping[str, dict], *, now: float | None = None,
              keep_transitions: bool = False) -> None:
        """The topic's whole state: fixes and area stays start again from it.  The
        transitions (history and pending) are cleared too, unless ``keep_transitions``
        (a snapshot in a live feed: what was recorded before still happened)."""
        if now is not None:
            self.now = now
        self._data.clear()
        self._last.clear()
        self._prev.clear()
        self._inside.clear()
        if not keep_transitions:
            self._pending.clear()
            self._events.clear()
        for key, data in state.items():
            self._upsert(key, data)

    def apply(self, upserts: Mapping[str, dict], deletes: Iterable[str] = (), *,
              now: float | None = None) -> None:
        """A committed batch, coalesced: the newest report per vessel, and deletions."""
        if now is not None:
            self.now = now
        for key in deletes:
            self.drop(key)
        for key, data in upserts.items():
            self._upsert(key, data)

    def apply_events(self, events: Iterable[Any], *, now: float | None = None) -> None:
        """Every event of a batch, in seq order: objects with ``op``, ``key``, ``data``
        (the store's ``EventRecord``) or ``(op, key, data)`` tuples.  ``op`` is
        ``upsert``, ``delete`` or ``snapshot`` (``data``: the list of every report)."""
        if now is not None:
            self.now = now
        for ev in events:
            if isinstance(ev, tuple):
                op, key, data = ev
            else:
                op, key, data = ev.op, ev.key, ev.data
            if op == "upsert":
                self._upsert(key, data)
            elif op == "delete":
                self.drop(key)
            elif op == "snapshot":
                self.reset({d["vessel_id"]: d for d in data or ()
                            if isinstance(d, dict) and d.get("vessel_id") is not None},
                           keep_transitions=True)

    def apply_changes(self, changes: Any, *, now: float | None = None) -> None:
        """A ``TopicChanges`` (``upserts``, ``deletes``, ``snapshot``, ``events``): its
        events when it has them, else its coalesced upserts and deletes."""
        if now is not None:
            self.now = now
        events = getattr(changes, "events", None)
        if events:
            if changes.snapshot and not any(getattr(e, "op", None) == "snapshot"
                                            for e in events):
                self.reset(changes.upserts, keep_transitions=True)
            else:
                self.apply_events(events)
        elif changes.snapshot:
            self.reset(changes.upserts, keep_transitions=True)
        else:
            self.apply(changes.upserts, changes.deletes)

    def drop(self, key: str) -> None:
        """The vessel is gone from the state (its pending transitions stay reported)."""
        self._data.pop(key, None)
        self._last.pop(key, None)
        self._prev.pop(key, None)
        self._inside.pop(key, None)

    # ------------------------------------------------------------ transitions
    def pending_events(self) -> list[AreaEvent]:
        """Transitions not yet settled, in the order they were recorded (the newest per
        vessel, area and kind)."""
        return sorted(self._pending.values(), key=lambda e: e.seq)

    def pending(self, kind: str, area_id: str, key: str) -> AreaEvent | None:
        return self._pending.get((kind, area_id, key))

    def settle(self) -> list[AreaEvent]:
        """Mark the pending transitions as reported (after an alarm evaluation)."""
        out = self.pending_events()
        self._pending.clear()
        return out

    @property
    def events(self) -> tuple[AreaEvent, ...]:
        """Recent transitions (at most ``history``), oldest first."""
        return tuple(self._events)

    # ------------------------------------------------------------ queries
    @property
    def vessels(self) -> Mapping[str, dict]:
        """The newest report of every vessel (read-only view)."""
        return MappingProxyType(self._data)

    def get(self, key: str) -> dict | None:
        return self._data.get(key)

    def area(self, area_id: str) -> Area | None:
        return self._areas.get(area_id)

    def last_fix(self, key: str) -> Fix | None:
        return self._last.get(key)

    def previous_fix(self, key: str) -> Fix | None:
        return self._prev.get(key)

    def last_fixes(self) -> Iterator[tuple[str, Fix]]:
        return iter(self._last.items())

    def signal_age(self, key: str, now: float | None = None) -> float | None:
        """Seconds since the vessel's newest fix, at ``now`` (default :attr:`now`)."""
        now = self.now if now is None else now
        fix = self._last.get(key)
        return None if fix is None or now is None else now - fix.t

    def inside(self, key: str) -> frozenset[str]:
        """Ids of the areas the vessel is in (at its newest fix)."""
        return frozenset(self._inside.get(key, ()))

    def stay(self, area_id: str, key: str) -> Stay | None:
        return self._inside.get(key, {}).get(area_id)

    def stays(self) -> Iterator[tuple[str, str, Stay]]:
        """(vessel, area id, stay) for every vessel inside an area."""
        for key, stays in self._inside.items():
            for area_id, stay in stays.items():
                yield key, area_id, stay

    def occupants(self, area_id: str) -> list[str]:
        return sorted(k for k, stays in self._inside.items() if area_id in stays)

    # ------------------------------------------------------------ the panels
    def is_lost(self, key: str, now: float | None = None) -> bool:
        """Reported as ``lost_signal``, or no fix for over :data:`LOST_AFTER_S` (any
        length: what the panels show; the alarm is for vessels that must carry VMS)."""
        data = self._data.get(key) or {}
        age = self.signal_age(key, now)
        return data.get("status") == "lost_signal" or (age is not None and age > LOST_AFTER_S)

    def view(self, now: float | None = None) -> dict:
        """What the panels show at ``now`` (default :attr:`now`):

        ``at_sea``: vessels not in port and not lost; ``lost``: how many are lost
        (:meth:`is_lost`); ``lost_keys`` / ``late_keys``: the ids of the lost vessels
        and of those whose newest fix is over :data:`LATE_AFTER_S` old (sorted lists,
        for the fleet table and the map); ``areas``: the monitored areas (``id``,
        ``name``, ``kind``, ``priority``, ``polygon`` as ``[lat, lon]`` pairs,
        ``inside``: vessels in it now)."""
        now = self.now if now is None else now
        lost, late, at_sea = [], [], 0
        for key, data in self._data.items():
            age = self.signal_age(key, now)
            if self.is_lost(key, now):
                lost.append(key)
            elif data.get("status") != "in_port":
                at_sea += 1
            if age is not None and age > LATE_AFTER_S:
                late.append(key)
        counts: dict[str, int] = {}
        for stays in self._inside.values():
            for area_id in stays:
                counts[area_id] = counts.get(area_id, 0) + 1
        return {
            "at_sea": at_sea,
            "lost": len(lost),
            "lost_keys": sorted(lost),
            "late_keys": sorted(late),
            "areas": [{"id": a.id, "name": a.name, "kind": a.kind, "priority": a.priority,
                       "polygon": [[lat, lon] for lat, lon in a.polygon],
                       "inside": counts.get(a.id, 0)} for a in self.areas],
        }

    # ------------------------------------------------------------ internals
    def _epoch(self, text: Any) -> float | None:
        if text.__class__ is not str:
            return None
        t = self._times.get(text, 0.0)
        if t == 0.0:
            try:
                parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
                t = parsed.timestamp() if parsed.tzinfo is not None else None
            except (ValueError, OverflowError):
                t = None
            if len(self._times) >= 4096:
                self._times.clear()
            self._times[text] = t
        return t

    def _upsert(self, key: str, data: dict) -> None:
        self._data[key] = data
        t = self._epoch(data.get("time"))
        lat, lon = data.get("lat"), data.get("long")
        if (t is None or not isinstance(lat, (int, float)) or not isinstance(lon, (int, float))
                or isinstance(lat, bool) or isinstance(lon, bool)
                or not (math.isfinite(lat) and math.isfinite(lon))):
            self.ignored_reports += 1
            return
        last = self._last.get(key)
        if last is not None and (t < last.t or (t == last.t and lat == last.lat
                                                 and lon == last.lon)):
            return                          # out of order, or the same fix again
        fix = Fix(t, float(lat), float(lon), data["time"])
        stays = self._inside.setdefault(key, {})
        for area in self.areas:
            if last is None:
                if area.contains(fix.lat, fix.lon):
                    stays[area.id] = Stay(fix.t, False)
                continue
            self._segment(key, area, last, fix, stays)
        if not stays:
            del self._inside[key]
        if last is not None:
            self._prev[key] = last
        self._last[key] = fix

    def _segment(self, key: str, area: Area, a: Fix, b: Fix, stays: dict[str, Stay]) -> None:
        was = area.id in stays
        crossings: list[tuple[float, float, float]] | None = None      # (at, lat, lon)
        if b.t - a.t <= self.max_gap_s:
            try:
                found = area.crossings((a.lat, a.lon), (b.lat, b.lon), inside_a=was)
            except ValueError:              # across the antimeridian: ends only
                found = None
            if found is not None:
                crossings = [(a.t + c.t * (b.t - a.t), c.lat, c.lon) for c in found]
                estimated = True
        if crossings is None:               # long gap: compare the states at the fixes
            estimated = False
            crossings = [(b.t, b.lat, b.lon)] if area.contains(b.lat, b.lon) != was else []
        for at, lat, lon in crossings:
            self._seq += 1
            if area.id in stays:
                stay = stays.pop(area.id)
                ev = AreaEvent(self._seq, key, area.id, LEAVE, at, lat, lon, estimated,
                               a.t, b.t, stay.since, stay.entry_seen)
            else:
                stays[area.id] = Stay(at, True, estimated)
                ev = AreaEvent(self._seq, key, area.id, ENTER, at, lat, lon, estimated,
                               a.t, b.t)
            self._events.append(ev)
            self._pending[(ev.kind, area.id, key)] = ev


__all__ = ["AreaEvent", "ENTER", "Fix", "HISTORY", "LATE_AFTER_S", "LEAVE", "LOST_AFTER_S",
           "MAX_SEGMENT_GAP_S", "Stay", "VesselsModel"]
