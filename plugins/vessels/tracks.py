"""Vessel tracks (no Qt): the recent positions of every vessel, rebuilt from the cache's
event log and extended by committed batches.

The map draws each vessel's track as a line through its last :data:`TRACK_POINTS`
positions.  They are not in the state tables (which hold the newest report only), so
they are read back from the event log (:func:`read_tracks`, on the cache's reader
thread): at start (the tracks survive a restart) and in review, where the reader's
``events`` is the log cut at the moment shown (:mod:`ioc_desktop.review.reader_tables`),
so a track ends where the vessel was at that moment.

:class:`Tracks` keeps them and merges a read with the batches that arrived while it was
in flight: every point carries the ``seq`` of its event, so a position both read and
received in a batch is kept once, and none received during the read is lost.
"""
from __future__ import annotations

import json
import sqlite3
from collections import deque
from typing import Any, Iterable, Mapping

from .schema import TOPIC

#: Positions kept per vessel for its track line.
TRACK_POINTS = 30

#: One query for every vessel's last ``limit`` positions, whatever the length of the log.
#: The seqs come from the events' (topic, key) index alone (a WITHOUT ROWID table's
#: index carries its primary key, so it is (topic, key, seq)): per vessel (CROSS JOIN:
#: the keys drive, never a scan of the topic) its ``limit``-th newest event, then the
#: range from there.  Only those rows are then read, by primary key, from ``main.events``
#: (the seqs already went through ``events``: in review, the view that cuts the log at
#: the moment shown).  SQLite, without statistics, would scan the whole topic for a
#: query that needs a column the index lacks (``op``, ``data``) and reads a virtual
#: table's ``value`` with NUMERIC affinity: hence the two steps and the CAST.
_TRACKS_SQL = """
SELECT e.key, e.seq, e.op, json_extract(e.data, '$.lat'), json_extract(e.data, '$.long')
FROM main.events AS e
WHERE e.topic = ?1 AND e.seq IN (
  SELECT x.seq FROM json_each(?2) AS k CROSS JOIN events AS x
    ON x.topic = ?1 AND x.key = CAST(k.value AS TEXT) AND x.seq >= coalesce(
      (SELECT y.seq FROM events AS y WHERE y.topic = ?1 AND y.key = CAST(k.value AS TEXT)
       ORDER BY y.seq DESC LIMIT 1 OFFSET ?3), 0))
ORDER BY e.seq
"""

Point = tuple[int, float, float]          # (seq, lat, lon)


def _position(lat: Any, lon: Any) -> tuple[float, float] | None:
    if (lat.__class__ in (int, float) and lon.__class__ in (int, float)
            and lat == lat and lon == lon):          # not NaN
        return float(lat), float(lon)
    return None


def read_tracks(conn: sqlite3.Connection, keys: Iterable[str], *, topic: str = TOPIC,
                limit: int = TRACK_POINTS) -> dict[str, list[Point]]:
    """The last ``limit`` positions (``(seq, lat, lon)``, oldest first; a position
    repeated by the next report once, as a live track keeps them) of each vessel in
    ``keys`` from ``conn``'s ``events`` (on the reader's thread: in review, the log as
    cut at the moment shown): among its last ``2 * limit`` events (room for repeats),
    those after its last deletion (a live track starts again then).  A vessel without
    any position there is left out."""
    keys = sorted({str(k) for k in keys})
    out: dict[str, list[Point]] = {}
    if not keys or limit < 1:
        return out
    rows = conn.execute(_TRACKS_SQL, (topic, json.dumps(keys), 2 * int(limit) - 1))
    for key, seq, op, lat, lon in rows:
        if op == "delete":
            out.pop(key, None)
            continue
        pos = _position(lat, lon) if op == "upsert" else None
        if pos is None:
            continue
        track = out.setdefault(key, [])
        if not track or (track[-1][1], track[-1][2]) != pos:
            track.append((int(seq), pos[0], pos[1]))
    return {key: track[-limit:] for key, track in out.items()}


class Tracks:
    """Every vessel's recent positions (see the module docstring).  One thread (the GUI's).

    * :meth:`reset` — the topic's state: each vessel starts with its newest position
      (a placeholder, without seq, until the log is read) and a new read is expected;
      returns its token.
    * :meth:`add` — a position from a committed batch (every event, in seq order).
    * :meth:`load` — a read's result (:func:`read_tracks`) for the token it was asked
      with; an older read (a later reset came first) is ignored.
    """

    def __init__(self, limit: int = TRACK_POINTS):
        self.limit = int(limit)
        self._tracks: dict[str, deque[Point]] = {}
        self._token = 0
        #: vessel -> the seq of its deletion since the reset: a read older than it must
        #: not bring back what came before (inf: a deletion whose seq is unknown)
        self._deleted: dict[str, float] = {}

    def reset(self, items: Mapping[str, dict]) -> int:
        self._token += 1
        self._tracks = {}
        self._deleted = {}
        for key, data in items.items():
            pos = _position(data.get("lat"), data.get("long")) if isinstance(data, dict) else None
            track = self._tracks[key] = deque(maxlen=self.limit)
            if pos is not None:
                track.append((-1, pos[0], pos[1]))          # -1: not from the log yet
        return self._token

    @property
    def token(self) -> int:
        """The token of the newest reset (the read it expects)."""
        return self._token

    def add(self, key: str, seq: int, data: Any) -> bool:
        """A position from a batch; False when it has none or repeats the newest point."""
        pos = _position(data.get("lat"), data.get("long")) if isinstance(data, dict) else None
        if pos is None:
            return False
        track = self._tracks.get(key)
        if track is None:
            track = self._tracks[key] = deque(maxlen=self.limit)
        if track and track[-1][0] == -1:
            track.pop()             # the state's newest position: this one follows it
        if track and (track[-1][1], track[-1][2]) == pos:
            return False
        track.append((int(seq), pos[0], pos[1]))
        return True

    def drop(self, key: str, seq: int | None = None) -> None:
        """The vessel was deleted (by the event ``seq``): its track starts again."""
        self._tracks.pop(key, None)
        cut = float("inf") if seq is None else float(seq)
        self._deleted[key] = max(self._deleted.get(key, cut), cut)

    def load(self, token: int, history: Mapping[str, list[Point]] | None) -> list[str]:
        """Merge a read made for ``token``: per vessel, the read's positions and those
        received since (by seq, each once), the newest :attr:`limit` kept.  Returns the
        keys whose track changed ([] for a stale or failed read)."""
        if token != self._token or not history:
            return []
        changed = []
        for key, track in list(self._tracks.items()):
            read = history.get(key)
            if key in self._deleted:            # deleted after the read was asked
                read = [p for p in read or () if p[0] > self._deleted[key]]
            if not read:
                continue
            points = {p[0]: p for p in read}
            for p in track:
                if p[0] != -1:
                    points[p[0]] = p
            merged: list[Point] = []
            for p in sorted(points.values()):
                if not merged or (merged[-1][1], merged[-1][2]) != (p[1], p[2]):
                    merged.append(p)
            if track and track[-1][0] == -1 and (track[-1][1], track[-1][2]) != (merged[-1][1], merged[-1][2]):
                merged.append(track[-1])    # the state's position is newer than the log's
            new = deque(merged[-self.limit:], maxlen=self.limit)
            if new != track:
                self._tracks[key] = new
                changed.append(key)
        return changed

    def coords(self, key: str) -> list[list[float]]:
        """``[[lat, lon], …]`` oldest first (what the map's polyline takes)."""
        return [[lat, lon] for _, lat, lon in self._tracks.get(key, ())]

    def __contains__(self, key: str) -> bool:
        return key in self._tracks

    def __len__(self) -> int:
        return len(self._tracks)

    def keys(self):
        return self._tracks.keys()


__all__ = ["TRACK_POINTS", "Tracks", "read_tracks"]
