"""Demo source of fishing-vessel positions off Huế.

A fleet (``n_vessels``, default 40; names like "TTH 90123 TS", registrations
``TTH-9xxxx-TS``, 10–24 m) based at Thuận An and Tư Hiền.  Each vessel cycles:
in port -> out through the harbour mouth -> steams (7–10 kn) to a spot in its port's
fishing grounds north-east of the coast -> fishes (0–4 kn, wandering, now and then
anchored) -> steams home -> in port.  Speeds are real: a trip out takes hours of
simulated time, so the fleet starts spread over every phase.  Outside the harbour
zones vessels are kept on the sea side of the coastline polyline and inside the
province's waters (:mod:`demo_backend.scenario`).

Now and then a vessel at sea goes silent (VMS signal lost) for 5–25 minutes; after
:attr:`VesselsSimulator.lost_after_s` of silence the backend marks it once with status
``lost_signal`` and its last fix (same position, same ``time``); when its signal
returns it reports again from where dead reckoning put it.

Rates: each tick emits ``budget`` reports, round-robin over the vessels that are not
silent, each moving by the time since its own previous report (cheap arithmetic, no
copies); when the budget exceeds the fleet, later passes get later (millisecond)
timestamps within the tick.  At budget 0 one report with probability
:attr:`VesselsSimulator.trickle`.
"""
from __future__ import annotations

import math
import random
from datetime import datetime

from demo_backend.scenario import (PORTS, PROVINCE_WATERS, Port, coast_lat, events_for_budget,
                                   round_times)
from ioc_desktop.plugin_api import SimEvent, Simulator

from .schema import TOPIC

# 1 knot = 1 nautical mile per hour = 1/60 degree of latitude per hour.
_DEG_PER_KNOT_SECOND = 1.0 / 216_000.0
_RAD = math.pi / 180.0

IN_PORT, TO_MOUTH, OUTBOUND, FISHING, RETURNING, INBOUND = range(6)
_STATUS = ("in_port", "underway", "underway", "fishing", "underway", "underway")

#: Keep this far (degrees) on the sea side of the coastline outside the harbour zones.
SEA_MARGIN = 0.02
#: Where vessels are kept (inside PROVINCE_WATERS, with a margin).
_LAT0, _LAT1 = PROVINCE_WATERS[0] + 0.2, PROVINCE_WATERS[1] - 0.2
_LON0, _LON1 = PROVINCE_WATERS[2] + 0.1, PROVINCE_WATERS[3] - 0.1


class _Vessel:
    __slots__ = ("vid", "name", "reg", "length", "port", "lat", "lon", "sog", "cog", "mode",
                 "tlat", "tlon", "until", "last_s", "last_time", "silent_until", "lost_sent")

    def __init__(self, vid: str, name: str, reg: str, length: float, port: Port):
        self.vid, self.name, self.reg, self.length, self.port = vid, name, reg, length, port
        self.lat, self.lon = port.lat, port.lon
        self.sog, self.cog = 0.0, 0.0
        self.mode = IN_PORT
        self.tlat, self.tlon = port.lat, port.lon
        self.until = 0.0
        self.last_s = 0.0
        self.last_time = ""
        self.silent_until = 0.0
        self.lost_sent = False


class VesselsSimulator(Simulator):
    """Fishing-vessel positions for the demo backend (see the module docstring)."""

    trickle = 0.5
    #: Mean simulated seconds between two vessels losing their signal.
    lost_every_s = 240.0
    #: Silence after which the backend marks a vessel ``lost_signal``.
    lost_after_s = 120.0
    #: At most this share of the fleet silent at once.
    max_silent_share = 0.1

    def __init__(self, n_vessels: int = 40):
        if n_vessels < 1:
            raise ValueError("n_vessels must be at least 1")
        self.n_vessels = n_vessels
        self._fleet: list[_Vessel] = []
        self._silent: list[_Vessel] = []
        self._pos = 0
        self._last_s = 0.0
        self._start: datetime | None = None

    # -- fleet
    def _make_fleet(self, rng: random.Random) -> None:
        fleet, numbers = [], set()
        while len(numbers) < self.n_vessels:
            numbers.add(rng.randrange(90000, 100000) if self.n_vessels <= 5000
                        else rng.randrange(100, 1_000_000))
        for i, num in enumerate(sorted(numbers)):
            port = PORTS[0] if rng.random() < 0.7 else PORTS[1]
            length = round(10.0 + 14.0 * rng.random() ** 1.5, 1)
            vid = f"574{100000 + i:06d}"   # MMSI-like, Vietnam's MID 574 (demo)
            fleet.append(_Vessel(vid, f"TTH {num} TS", f"TTH-{num}-TS", length, port))
        self._fleet = fleet

    @staticmethod
    def _ground_point(rng: random.Random, port: Port) -> tuple[float, float]:
        lat0, lat1, lon0, lon1 = port.grounds
        return lat0 + (lat1 - lat0) * rng.random(), lon0 + (lon1 - lon0) * rng.random()

    def _set_mode(self, v: _Vessel, mode: int, rng: random.Random, s: float) -> None:
        v.mode = mode
        port = v.port
        if mode == IN_PORT:
            v.lat, v.lon, v.sog = port.lat, port.lon, 0.0
            v.until = s + rng.uniform(300.0, 1800.0)
        elif mode == TO_MOUTH:
            v.tlat, v.tlon, v.sog = port.mouth_lat, port.mouth_lon, 5.0
        elif mode == OUTBOUND:
            v.tlat, v.tlon = self._ground_point(rng, port)
            v.sog = round(7.0 + 3.0 * rng.random(), 1)
        elif mode == FISHING:
            v.sog = round(1.0 + 3.0 * rng.random(), 1)
            v.cog = 360.0 * rng.random()
            v.until = s + rng.uniform(600.0, 3 * 3600.0)
        elif mode == RETURNING:
            v.tlat, v.tlon = port.mouth_lat, port.mouth_lon
            v.sog = round(7.0 + 3.0 * rng.random(), 1)
        else:  # INBOUND
            v.tlat, v.tlon, v.sog = port.lat, port.lon, 4.0

    def _place(self, v: _Vessel, rng: random.Random, s: float) -> None:
        """Initial state: the fleet spread over every phase of a trip."""
        x = rng.random()
        if x < 0.15:
            self._set_mode(v, IN_PORT, rng, s)
            v.until = s + rng.uniform(0.0, 1800.0)
            return
        glat, glon = self._ground_point(rng, v.port)
        if x < 0.75:
            v.lat, v.lon = glat, glon
            self._set_mode(v, FISHING, rng, s)
            return
        f = rng.random()
        v.lat = v.port.mouth_lat + (glat - v.port.mouth_lat) * f
        v.lon = v.port.mouth_lon + (glon - v.port.mouth_lon) * f
        if x < 0.87:
            self._set_mode(v, OUTBOUND, rng, s)
            v.tlat, v.tlon = glat, glon
        else:
            self._set_mode(v, RETURNING, rng, s)
        v.cog = math.degrees(math.atan2((v.tlon - v.lon) * math.cos(v.lat * _RAD),
                                        v.tlat - v.lat)) % 360.0

    def _move(self, v: _Vessel, s: float, rng: random.Random) -> None:
        dt = s - v.last_s
        v.last_s = s
        if dt <= 0.0:
            return
        mode = v.mode
        if mode == IN_PORT:
            if s >= v.until:
                self._set_mode(v, TO_MOUTH, rng, s)
            return
        coslat = math.cos(v.lat * _RAD)
        step = v.sog * dt * _DEG_PER_KNOT_SECOND
        if mode == FISHING:
            if s >= v.until:
                self._set_mode(v, RETURNING, rng, s)
                return
            lat0, lat1, lon0, lon1 = v.port.grounds
            if lat0 <= v.lat <= lat1 and lon0 <= v.lon <= lon1:
                v.cog = (v.cog + (rng.random() - 0.5) * 40.0) % 360.0
            else:   # wandered off the grounds: head back to their middle
                v.cog = math.degrees(math.atan2(((lon0 + lon1) * 0.5 - v.lon) * coslat,
                                                (lat0 + lat1) * 0.5 - v.lat)) % 360.0
            if rng.random() < 0.02:
                v.sog = 0.0 if rng.random() < 0.3 else round(1.0 + 3.0 * rng.random(), 1)
            c = v.cog * _RAD
            v.lat += math.cos(c) * step
            v.lon += math.sin(c) * step / coslat
        else:
            dy = v.tlat - v.lat
            dx = (v.tlon - v.lon) * coslat
            dist = math.hypot(dy, dx)
            if dist <= step:
                v.lat, v.lon = v.tlat, v.tlon
                self._set_mode(v, (OUTBOUND, FISHING, None, INBOUND, IN_PORT)[mode - 1], rng, s)
                return
            v.lat += dy / dist * step
            v.lon += dx / dist * step / coslat
            v.cog = math.degrees(math.atan2(dx, dy)) % 360.0
        if mode in (OUTBOUND, FISHING, RETURNING):
            # never ashore: outside the harbour legs stay north-east of the coastline
            floor = coast_lat(v.lon) + SEA_MARGIN
            if v.lat < floor:
                v.lat = floor
                if mode == FISHING:
                    v.cog = 45.0
        if v.lat < _LAT0:
            v.lat = _LAT0
        elif v.lat > _LAT1:
            v.lat = _LAT1
        if v.lon < _LON0:
            v.lon = _LON0
        elif v.lon > _LON1:
            v.lon = _LON1

    def _report(self, v: _Vessel, time_text: str, status: str | None = None) -> SimEvent:
        cog = round(v.cog, 1)
        if cog >= 360.0:
            cog = 0.0
        if status is None:
            status = _STATUS[v.mode]
            if v.mode == FISHING and v.sog == 0.0:
                status = "anchored"
        return SimEvent(TOPIC, v.vid, {
            "vessel_id": v.vid, "name": v.name, "registration": v.reg,
            "lat": round(v.lat, 5), "long": round(v.lon, 5),
            "sog": v.sog, "cog": None if v.mode == IN_PORT else cog,
            "time": time_text, "length_m": v.length, "home_port": v.port.name,
            "status": status,
        })

    # -- Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        self._start = now
        self._make_fleet(rng)
        self._silent = []
        self._pos = 0
        self._last_s = 0.0
        (_s, text), = round_times(now, 0.0, 0.0, 1)
        events = []
        for v in self._fleet:
            self._place(v, rng, 0.0)
            v.last_s, v.last_time = 0.0, text
            events.append(self._report(v, text))
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        s = (now - self._start).total_seconds()
        prev, self._last_s = self._last_s, s
        events: list[SimEvent] = []
        self._signal_losses(rng, s, prev, events)
        n = events_for_budget(rng, budget, self.trickle)
        fleet = self._fleet
        size = len(fleet)
        active = size - len(self._silent)
        if n == 0 or active == 0:
            return events
        rounds = -(-n // active)
        times = round_times(self._start, prev, s, rounds)
        pos = self._pos
        emitted = 0
        append = events.append
        move = self._move
        report = self._report
        # bounded: each pass over the fleet skips each silent vessel once
        for _ in range(n + len(self._silent) * (rounds + 1)):
            v = fleet[pos]
            pos += 1
            if pos == size:
                pos = 0
            if v.silent_until:
                continue
            sr, text = times[emitted // active]
            move(v, sr, rng)
            v.last_time = text
            append(report(v, text))
            emitted += 1
            if emitted == n:
                break
        self._pos = pos
        return events

    def _signal_losses(self, rng: random.Random, s: float, prev: float, events: list) -> None:
        """Start, mark and end signal losses (events for the ``lost_signal`` marks)."""
        still = []
        for v in self._silent:
            if s >= v.silent_until:
                v.silent_until = 0.0          # back: reports again from the next round
            else:
                if not v.lost_sent and s - v.last_s >= self.lost_after_s:
                    v.lost_sent = True
                    events.append(self._report(v, v.last_time, "lost_signal"))
                still.append(v)
        self._silent = still
        dt = s - prev
        if dt > 0 and rng.random() < dt / self.lost_every_s \
                and len(self._silent) < max(1, int(self.max_silent_share * len(self._fleet))):
            v = self._fleet[rng.randrange(len(self._fleet))]
            if v.mode not in (IN_PORT, TO_MOUTH, INBOUND) and not v.silent_until:
                v.silent_until = s + rng.uniform(300.0, 1500.0)
                v.lost_sent = False
                self._silent.append(v)
