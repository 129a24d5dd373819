"""Demo source of administrative-dossier tallies per agency in Huế.

Seventeen agencies (:data:`AGENCIES`): provincial departments (Sở), commune-level
People's Committees (UBND phường) and the public-administration service centre, each
with its own demo workload (dossiers a working day), processing time, online
level 3 / level 4 habits, lateness and citizens' satisfaction.  Sở Tài nguyên và Môi
trường and UBND phường Thuận Hòa have a markedly worse overdue record; Sở Y tế a
middling one.  (Names as the demo brief lists them; since 2025 several Sở were merged.)

Each record is the agency's running tally for the **current month** (``period``
``"YYYY-MM"``).  At start the month so far is filled in (the dossiers carried over
from last month plus the working days elapsed, Mon–Fri, 07:00–11:30 and 13:30–17:00
local time, and the part of today already worked).  Then, in simulated (= real) time:

* during working hours dossiers arrive at counters and online, and pending ones are
  resolved (faster when the backlog is above normal); now and then a pending dossier
  passes its deadline (more often at the worse agencies) and is later resolved late;
  a third of the resolved dossiers get a rating (satisfied or not);
* out of hours only online submissions (level 3 / 4) trickle in;
* at the turn of the month the tallies restart with the pending dossiers carried over.

Activity follows real rates (a few changes a minute over all agencies at office
hours), scaled by ``speed`` for livelier demos.  Rates: each tick emits ``budget``
records, the agencies that changed first, then round-robin (the gateway re-sending
unchanged tallies, the same dict object: cheap); at budget 0 one record with
probability :attr:`PublicAdminSimulator.trickle`.  ``updated`` is the time the
agency's figures last changed.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from ioc_desktop.figures import poisson
from ioc_desktop.interop import VN_TZ, rfc3339_local
from demo_backend.scenario import events_for_budget
from ioc_desktop.plugin_api import SimEvent, Simulator

from .schema import TOPIC

#: Office hours (local, hours since midnight) of a working day.
WORK_SPANS = ((7.0, 11.5), (13.5, 17.0))
WORK_S_PER_DAY = sum(b - a for a, b in WORK_SPANS) * 3600.0
#: Share of online dossiers submitted out of office hours.
AFTER_HOURS_ONLINE = 0.2
RATED_SHARE = 0.35


@dataclass(frozen=True)
class Agency:
    agency_id: str
    name: str
    kind: str
    per_day: float        # dossiers a working day (demo value)
    days: float           # typical processing time, working days (demo value)
    level3: float         # share submitted online at level 3 ("một phần")
    level4: float         # share submitted online at level 4 ("toàn trình")
    late: float           # share of dossiers that pass their deadline
    satisfied: float      # share of ratings that are "satisfied"


AGENCIES: tuple[Agency, ...] = (
    Agency("so_xd", "Sở Xây dựng", "department", 35, 12, 0.35, 0.40, 0.015, 0.93),
    Agency("so_tnmt", "Sở Tài nguyên và Môi trường", "department", 55, 15, 0.40, 0.25, 0.14, 0.82),
    Agency("so_khdt", "Sở Kế hoạch và Đầu tư", "department", 45, 4, 0.15, 0.80, 0.004, 0.97),
    Agency("so_gtvt", "Sở Giao thông vận tải", "department", 140, 5, 0.20, 0.70, 0.006, 0.96),
    Agency("so_yt", "Sở Y tế", "department", 30, 10, 0.40, 0.35, 0.045, 0.92),
    Agency("so_gddt", "Sở Giáo dục và Đào tạo", "department", 25, 7, 0.30, 0.45, 0.008, 0.96),
    Agency("so_tp", "Sở Tư pháp", "department", 90, 8, 0.20, 0.65, 0.01, 0.95),
    Agency("so_ldtbxh", "Sở Lao động - Thương binh và Xã hội", "department", 40, 9, 0.35, 0.40,
           0.02, 0.94),
    Agency("ubnd_phu_hoi", "UBND phường Phú Hội", "commune", 35, 3, 0.45, 0.25, 0.01, 0.97),
    Agency("ubnd_vinh_ninh", "UBND phường Vĩnh Ninh", "commune", 30, 3, 0.45, 0.20, 0.012, 0.96),
    Agency("ubnd_thuan_hoa", "UBND phường Thuận Hòa", "commune", 40, 4, 0.40, 0.20, 0.12, 0.86),
    Agency("ubnd_kim_long", "UBND phường Kim Long", "commune", 30, 3, 0.40, 0.25, 0.01, 0.97),
    Agency("ubnd_an_cuu", "UBND phường An Cựu", "commune", 45, 3, 0.45, 0.30, 0.015, 0.95),
    Agency("ubnd_phu_xuan", "UBND phường Phú Xuân", "commune", 50, 3, 0.45, 0.30, 0.01, 0.96),
    Agency("ubnd_huong_thuy", "UBND phường Hương Thủy", "commune", 40, 4, 0.40, 0.20, 0.02, 0.95),
    Agency("ubnd_phong_dien", "UBND phường Phong Điền", "commune", 35, 4, 0.35, 0.15, 0.02, 0.94),
    Agency("ttpvhcc", "Trung tâm Phục vụ hành chính công thành phố Huế", "service_center", 60, 2,
           0.30, 0.55, 0.003, 0.98),
)


def work_seconds_today(local: datetime) -> float:
    """Office seconds of ``local``'s day already worked (0 at weekends)."""
    if local.weekday() >= 5:
        return 0.0
    h = local.hour + local.minute / 60.0 + local.second / 3600.0
    return sum(max(0.0, min(h, b) - a) for a, b in WORK_SPANS) * 3600.0


def working_days_before(local: datetime) -> int:
    """Mon–Fri days of ``local``'s month before its day."""
    first = local.replace(day=1)
    return sum(1 for d in range(local.day - 1) if (first + timedelta(days=d)).weekday() < 5)


def in_office_hours(local: datetime) -> bool:
    if local.weekday() >= 5:
        return False
    h = local.hour + local.minute / 60.0
    return any(a <= h < b for a, b in WORK_SPANS)


class _Tally:
    """One agency's running figures and the record last built from them."""

    __slots__ = ("a", "received", "resolved", "on_time", "late", "pending_overdue", "l3", "l4",
                 "ratings", "satisfied", "period", "updated", "record")

    def __init__(self, agency: Agency):
        self.a = agency
        self.received = self.resolved = self.on_time = self.late = 0
        self.pending_overdue = self.l3 = self.l4 = self.ratings = self.satisfied = 0
        self.period = ""
        self.updated = ""
        self.record: dict | None = None

    @property
    def pending(self) -> int:
        return self.received - self.resolved

    def build(self) -> dict:
        a = self.a
        received = self.received
        self.record = {
            "agency_id": a.agency_id, "agency": a.name, "kind": a.kind, "period": self.period,
            "received": received, "resolved": self.resolved, "on_time": self.on_time,
            "overdue": self.late + self.pending_overdue,
            "online_level3": round(self.l3 / received, 4) if received else 0.0,
            "online_level4": round(self.l4 / received, 4) if received else 0.0,
            "satisfaction": round(self.satisfied / self.ratings, 4) if self.ratings else None,
            "updated": self.updated,
        }
        return self.record


class PublicAdminSimulator(Simulator):
    """Dossier tallies for the demo backend (see the module docstring)."""

    trickle = 0.5

    def __init__(self, speed: float = 1.0, agencies: tuple[Agency, ...] = AGENCIES):
        if speed <= 0:
            raise ValueError("speed must be > 0")
        self.speed = speed
        self.agencies = agencies
        self._tallies: list[_Tally] = []
        self._dirty: list[_Tally] = []
        self._pos = 0
        self._start: datetime | None = None
        self._last_s = 0.0

    # -- the month so far
    def _fill_month(self, rng: random.Random, t: _Tally, local: datetime) -> None:
        a = t.a
        days = working_days_before(local) + work_seconds_today(local) / WORK_S_PER_DAY
        carried = int(a.per_day * a.days * rng.uniform(0.4, 0.7))
        new = int(a.per_day * days * rng.uniform(0.85, 1.15))
        t.received = carried + new
        pending = min(t.received, int(a.per_day * a.days * rng.uniform(0.5, 0.8)))
        t.resolved = t.received - pending
        t.late = min(t.resolved, int(t.resolved * a.late * rng.uniform(0.8, 1.2) + 0.5))
        t.on_time = t.resolved - t.late
        t.pending_overdue = min(pending, int(pending * a.late * 1.5 * rng.uniform(0.7, 1.3) + 0.5))
        t.l3 = int(t.received * a.level3 * rng.uniform(0.9, 1.1))
        t.l4 = min(int(t.received * 0.98) - t.l3, int(t.received * a.level4 * rng.uniform(0.9, 1.1)))
        t.ratings = int(t.resolved * RATED_SHARE)
        t.satisfied = min(t.ratings, int(t.ratings * a.satisfied * rng.uniform(0.97, 1.03) + 0.5))
        t.period = f"{local.year:04d}-{local.month:02d}"

    def _new_month(self, t: _Tally, period: str) -> None:
        """The turn of the month: the pending dossiers are carried over."""
        pending = t.pending
        share3 = t.l3 / t.received if t.received else 0.0
        share4 = t.l4 / t.received if t.received else 0.0
        t.received, t.resolved, t.on_time, t.late = pending, 0, 0, 0
        t.l3 = int(pending * share3)
        t.l4 = min(pending - t.l3, int(pending * share4))
        t.ratings = t.satisfied = 0
        t.period = period

    # -- one interval of activity
    def _activity(self, rng: random.Random, t: _Tally, dt: float, office: bool) -> bool:
        a = t.a
        rate = a.per_day / WORK_S_PER_DAY * dt * self.speed
        changed = False
        online = a.level3 + a.level4
        if office:
            arrivals = poisson(rng, rate)
        else:   # out of hours: online submissions only
            arrivals = poisson(rng, a.per_day * online * AFTER_HOURS_ONLINE / (86400.0 - WORK_S_PER_DAY)
                               * dt * self.speed)
        for _ in range(arrivals):
            r = rng.random() * (1.0 if office else online)
            if r < a.level4:
                t.l4 += 1
            elif r < a.level4 + a.level3:
                t.l3 += 1
            t.received += 1
            changed = True
        if not office:
            return changed
        target = a.per_day * a.days * 0.65
        backlog = min(2.0, max(0.3, t.pending / target)) if target else 1.0
        for _ in range(min(t.pending, poisson(rng, rate * backlog))):
            t.resolved += 1
            if t.pending_overdue and rng.random() * (t.pending + 1) < t.pending_overdue:
                t.pending_overdue -= 1     # an overdue one, resolved late
                t.late += 1
            else:
                t.on_time += 1
            if rng.random() < RATED_SHARE:
                t.ratings += 1
                if rng.random() < a.satisfied:
                    t.satisfied += 1
            changed = True
        if t.pending_overdue < t.pending and poisson(rng, rate * a.late * 1.2):
            t.pending_overdue += 1       # a pending dossier passed its deadline
            changed = True
        return changed

    # -- Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        self._start = now
        self._last_s = 0.0
        self._pos = 0
        self._dirty = []
        local = now.astimezone(VN_TZ)
        text = rfc3339_local(now)
        self._tallies = []
        events = []
        for agency in self.agencies:
            t = _Tally(agency)
            self._fill_month(rng, t, local)
            t.updated = text
            self._tallies.append(t)
            events.append(SimEvent(TOPIC, agency.agency_id, t.build()))
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        s = (now - self._start).total_seconds()
        dt, self._last_s = s - self._last_s, s
        if dt > 0:
            local = now.astimezone(VN_TZ)
            office = in_office_hours(local)
            period = f"{local.year:04d}-{local.month:02d}"
            text = None
            for t in self._tallies:
                changed = False
                if t.period != period:
                    self._new_month(t, period)
                    changed = True
                if self._activity(rng, t, dt, office) or changed:
                    t.updated = text = text or rfc3339_local(now)
                    t.build()
                    if t not in self._dirty:
                        self._dirty.append(t)
        n = events_for_budget(rng, budget, self.trickle)
        if n == 0:
            return []
        events = []
        dirty = self._dirty
        while dirty and len(events) < n:
            t = dirty.pop(0)
            events.append(SimEvent(TOPIC, t.a.agency_id, t.record))
        tallies, pos, size = self._tallies, self._pos, len(self._tallies)
        for _ in range(n - len(events)):
            t = tallies[pos]
            pos = pos + 1 if pos + 1 < size else 0
            events.append(SimEvent(TOPIC, t.a.agency_id, t.record))
        self._pos = pos
        return events
