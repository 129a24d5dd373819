"""Demo source of e-ticket / e-card counts at Huế's visitor sites.

Nine sites (:data:`SITES`: the Imperial City, the tombs of Tự Đức, Khải Định, Minh
Mạng and Gia Long, Thiên Mụ pagoda, the museum of royal antiquities, Hổ Quyền arena,
An Định palace), each with a demo daily attendance and ticket prices (≈ public adult /
child prices, VND; Thiên Mụ is free: its passes are counted, no revenue).  Positions
are ≈ map readings.

Counting periods are **hours** (``period`` = the hour's start, local time).  Visitors
arrive along a day-shaped curve (sites open 07:00–17:30; a morning peak about 09:00, a
lull at noon, an afternoon peak about 15:00; weekends busier; each site's day a little
busier or quieter, from ``rng``).  At the start of each hour some tickets for it have
already been sold online (``issued`` before anybody enters); an arriving visitor either
shows an online ticket or buys one at the gate (about one in ten a child's ticket), and
the gate validates it (``used``).  Online no-shows leave ``issued`` a little above
``used``.

At start the day so far is filled in: one final record per site and past opening hour
(the trend has history at once), then each site's current hour so far.  Each event is
a validator report: the site's current hour tally, counted up to the report's time
(``updated``); when a report falls in a new hour the site first sends the final tally
of the hour(s) it left.

Anomalies (all randomness from ``rng``):

* a site's validator goes silent for 6–15 minutes (the first a few minutes after
  start, then one at a time, about :attr:`EcardSimulator.silence_every_s` after the
  previous one came back); visitors still come, and when it is back it reports what
  it counted meanwhile;
* opt-in (``EcardSimulator(glitch_every_s=600)``): now and then a report with
  ``used > issued`` (a double-counting gate) that the client must **refuse**.  Off by
  default, so that every demo event validates (the feed benchmark and the generic
  simulator tests count on that); the rejection path is shown by the tests.

Rates: each tick emits ``budget`` reports round-robin over the sites that are not
silent (plus the rare hour-final and glitch records); when the budget exceeds the
sites, later passes get later (millisecond) ``updated`` times within the tick.  At
budget 0 one report with probability :attr:`EcardSimulator.trickle`.
"""
from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime

from demo_backend.scenario import events_for_budget, round_times
from ioc_desktop.figures import poisson
from ioc_desktop.interop import VN_TZ, rfc3339_local
from ioc_desktop.plugin_api import SimEvent, Simulator

from .schema import TOPIC

_UTC_OFFSET_S = 7 * 3600
OPEN_H, CLOSE_H = 7.0, 17.5
ONLINE_SHARE = 0.3          # tickets bought online before the visit (demo value)
NO_SHOW = 0.05              # online tickets never used (demo value)
CHILD_SHARE = 0.1
WEEKEND_FACTOR = 1.25


@dataclass(frozen=True)
class Site:
    site_id: str
    name: str
    lat: float
    lon: float
    per_day: float        # visitors on an ordinary weekday (demo value)
    price: int            # adult ticket, VND (≈)
    child_price: int      # child ticket (7–12 years), VND (≈)


SITES: tuple[Site, ...] = (
    Site("dai_noi", "Đại Nội Huế (Hoàng thành)", 16.4698, 107.5786, 4200, 200_000, 40_000),
    Site("lang_tu_duc", "Lăng Tự Đức", 16.4336, 107.5637, 1300, 150_000, 30_000),
    Site("lang_khai_dinh", "Lăng Khải Định", 16.3990, 107.5906, 1500, 150_000, 30_000),
    Site("lang_minh_mang", "Lăng Minh Mạng", 16.3889, 107.5706, 900, 150_000, 30_000),
    Site("chua_thien_mu", "Chùa Thiên Mụ", 16.4535, 107.5447, 2200, 0, 0),
    Site("bao_tang_co_vat", "Bảo tàng Cổ vật Cung đình Huế", 16.4721, 107.5838, 600, 50_000, 10_000),
    Site("ho_quyen", "Hổ Quyền", 16.4399, 107.5524, 150, 20_000, 10_000),
    Site("cung_an_dinh", "Cung An Định", 16.4597, 107.5960, 400, 50_000, 10_000),
    Site("lang_gia_long", "Lăng Gia Long", 16.3540, 107.6060, 200, 150_000, 30_000),
)


def _shape(hour: float) -> float:
    """The day's visitor curve (unnormalised): 0 while closed."""
    if not OPEN_H <= hour < CLOSE_H:
        return 0.0
    return (0.25 + math.exp(-((hour - 9.2) / 1.6) ** 2)
            + 0.75 * math.exp(-((hour - 14.8) / 1.8) ** 2))


#: The curve per minute of the day, normalised so that it integrates to 1 over a day
#: (per hour of time): visitors/s = per_day * _CURVE[minute] / 3600.
_CURVE = [_shape(m / 60.0 + 1 / 120.0) for m in range(1440)]
_Z = sum(_CURVE) / 60.0
_CURVE = [c / _Z for c in _CURVE]


def curve_at(epoch: float) -> float:
    """Share of the day's visitors per hour at ``epoch`` (local time of day)."""
    return _CURVE[int(((epoch + _UTC_OFFSET_S) % 86400.0) // 60.0)]


def _local_day(epoch: float) -> int:
    return int((epoch + _UTC_OFFSET_S) // 86400.0)


def _text(epoch: float) -> str:
    return datetime.fromtimestamp(epoch, VN_TZ).isoformat(timespec="seconds")


class _SiteState:
    __slots__ = ("s", "hour0", "period", "issued", "used", "presold", "revenue", "last",
                 "day", "factor", "silent_until")

    def __init__(self, site: Site):
        self.s = site
        self.hour0 = 0.0          # epoch of the current period's start
        self.period = ""
        self.issued = self.used = self.presold = 0
        self.revenue = 0
        self.last = 0.0           # epoch counted up to
        self.day = -1
        self.factor = 1.0
        self.silent_until = 0.0   # sim seconds; 0 = reporting


class EcardSimulator(Simulator):
    """E-ticket counts for the demo backend (see the module docstring)."""

    trickle = 0.5
    #: Mean simulated seconds between two validators going silent.
    silence_every_s = 1200.0
    #: Mean simulated seconds between two ``used > issued`` glitch reports (0: none).
    glitch_every_s = 0.0

    def __init__(self, sites: tuple[Site, ...] = SITES, glitch_every_s: float | None = None):
        self.sites = sites
        if glitch_every_s is not None:
            self.glitch_every_s = glitch_every_s
        self._states: list[_SiteState] = []
        self._pos = 0
        self._start: datetime | None = None
        self._t0 = 0.0
        self._last_s = 0.0
        self._next_silence = 0.0

    # -- counting
    def _day_factor(self, rng: random.Random, st: _SiteState, epoch: float) -> None:
        day = _local_day(epoch)
        if day != st.day:
            st.day = day
            weekday = datetime.fromtimestamp(epoch, VN_TZ).weekday()
            st.factor = rng.uniform(0.85, 1.15) * (WEEKEND_FACTOR if weekday >= 5 else 1.0)

    def _open_period(self, rng: random.Random, st: _SiteState, hour0: float) -> None:
        self._day_factor(rng, st, hour0)
        site = st.s
        st.hour0, st.period = hour0, _text(hour0)
        st.used = 0
        expected = site.per_day * st.factor * sum(_CURVE[int(((hour0 + _UTC_OFFSET_S) % 86400) // 60) + m]
                                                  for m in range(60)) / 60.0
        st.presold = poisson(rng, expected * ONLINE_SHARE)
        st.issued = st.presold
        st.revenue = st.presold * site.price

    def _count(self, rng: random.Random, st: _SiteState, t1: float) -> None:
        """Visitors through the gate from ``st.last`` to ``t1`` (same period)."""
        t0 = st.last
        st.last = t1
        if t1 <= t0:
            return
        site = st.s
        k = poisson(rng, site.per_day * st.factor * curve_at((t0 + t1) * 0.5) * (t1 - t0) / 3600.0)
        for _ in range(k):
            if st.presold and rng.random() < ONLINE_SHARE * (1.0 - NO_SHOW):
                st.presold -= 1                      # shows a ticket bought online
            else:
                st.issued += 1                       # buys one at the gate
                st.revenue += site.child_price if rng.random() < CHILD_SHARE else site.price
            st.used += 1

    def _record(self, st: _SiteState, updated: str, used: int | None = None) -> SimEvent:
        site = st.s
        return SimEvent(TOPIC, site.site_id, {
            "site_id": site.site_id, "site": site.name, "period": st.period,
            "issued": st.issued, "used": st.used if used is None else used,
            "revenue_vnd": st.revenue, "lat": site.lat, "long": site.lon, "updated": updated,
        })

    def _advance(self, rng: random.Random, st: _SiteState, t: float, out: list) -> None:
        """Count up to ``t``; a new hour first closes the one(s) left (their finals)."""
        while t >= st.hour0 + 3600.0:
            end = st.hour0 + 3600.0
            self._count(rng, st, end)
            out.append(self._record(st, _text(end)))
            self._open_period(rng, st, end)
        self._count(rng, st, t)

    # -- Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        self._start = now
        self._t0 = now.timestamp()
        self._last_s = 0.0
        self._pos = 0
        self._next_silence = rng.uniform(150.0, 300.0)
        t = self._t0
        day0 = (_local_day(t) * 86400.0) - _UTC_OFFSET_S          # local midnight, epoch
        hour_now = t - (t + _UTC_OFFSET_S) % 3600.0
        events: list[SimEvent] = []
        self._states = []
        for site in self.sites:
            st = _SiteState(site)
            self._states.append(st)
            h = day0
            while h < hour_now:          # the day's past opening hours
                if curve_at(h) or curve_at(h + 3599.0):
                    self._open_period(rng, st, h)
                    st.last = h
                    self._count(rng, st, h + 3600.0)
                    events.append(self._record(st, _text(h + 3600.0)))
                h += 3600.0
            self._open_period(rng, st, hour_now)
            st.last = hour_now
            self._count(rng, st, t)
            events.append(self._record(st, rfc3339_local(now)))
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        s = (now - self._start).total_seconds()
        prev, self._last_s = self._last_s, s
        events: list[SimEvent] = []
        states = self._states
        for st in states:
            if st.silent_until and s >= st.silent_until:
                st.silent_until = 0.0
        if s >= self._next_silence and not any(st.silent_until for st in states):
            quiet = states[int(rng.random() * len(states))]
            quiet.silent_until = s + rng.uniform(360.0, 900.0)
            self._next_silence = quiet.silent_until + rng.expovariate(1.0 / self.silence_every_s)
        if self.glitch_every_s > 0 and s > prev and rng.random() < (s - prev) / self.glitch_every_s:
            st = states[int(rng.random() * len(states))]
            if not st.silent_until:
                events.append(self._record(st, rfc3339_local(now),
                                           used=st.issued + 5 + int(rng.random() * 50)))
        n = events_for_budget(rng, budget, self.trickle)
        size = len(states)
        active = size - sum(1 for st in states if st.silent_until)
        if n == 0 or active == 0:
            return events
        rounds = -(-n // active)
        times = round_times(self._start, prev, s, rounds)
        t0 = self._t0
        pos, emitted = self._pos, 0
        append = events.append
        for _ in range(n + (size - active) * (rounds + 1)):
            st = states[pos]
            pos = pos + 1 if pos + 1 < size else 0
            if st.silent_until:
                continue
            sr, text = times[emitted // active]
            self._advance(rng, st, t0 + sr, events)
            append(self._record(st, text))
            emitted += 1
            if emitted == n:
                break
        self._pos = pos
        return events
