"""The demo backend's shared, deterministic Huế world: places and a flood scenario.

Everything here is **demonstration data**.  Coordinates are approximate (≈, ±2 km,
from shared/DOMAIN.md where it gives them, else rough map readings); the commune a
place belongs to after the 1 Jul 2025 reorganisation is an approximate demo mapping.
Where a fact matters in production it comes from configuration, not from this module.

:class:`FloodScenario` is a pure function of ``(seed, start)``: every simulator that
builds one with the same seed and start time sees the same flood, so the river level
the environment plugin plots, the alert the alerts plugin issues and the urgent
reports the reports plugin files agree.  **The flood is accelerated for
demonstration**: a real flood on the Hương rises over 12–48 hours; here a wave rises
past BĐ1 and BĐ2 within about 3–4 minutes of simulated time, peaks a little below BĐ3
(or briefly above it), recedes over about 15 minutes, rests a few minutes and comes
again with other heights and durations.  No Qt here.
"""
from __future__ import annotations

import bisect
import math
import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import lru_cache

from ioc_desktop.interop import VN_TZ, rfc3339_local

#: Seed of the flood scenario when the demo server gives none.  The scenario must not
#: take its seed from a simulator's ``rng``: every simulator has to see the same flood.
DEFAULT_SEED = 2025


# --------------------------------------------------------------------------- places
@dataclass(frozen=True)
class Place:
    """A named place where citizen reports happen (≈ centre, jittered by the simulator)."""

    name: str               # neighbourhood / former ward or former district seat
    lat: float
    lon: float
    commune: str            # current commune-level unit (≈ demo mapping, 2025 reform)
    legacy_district: str    # former district (records before Jul 2025 name it)
    urban: bool = True      # True: a city ward (tight jitter, city streets)


#: Huế city neighbourhoods (former wards; ≈ centres) — most reports happen here.
CITY_PLACES: tuple[Place, ...] = (
    Place("Phú Hội", 16.4640, 107.5960, "Phường Thuận Hóa", "Thuận Hóa"),
    Place("Vĩnh Ninh", 16.4610, 107.5860, "Phường Thuận Hóa", "Thuận Hóa"),
    Place("Xuân Phú", 16.4600, 107.6090, "Phường Vỹ Dạ", "Thuận Hóa"),
    Place("Vỹ Dạ", 16.4740, 107.6080, "Phường Vỹ Dạ", "Thuận Hóa"),
    Place("An Cựu", 16.4510, 107.6010, "Phường An Cựu", "Thuận Hóa"),
    Place("Đông Ba", 16.4730, 107.5890, "Phường Phú Xuân", "Phú Xuân"),
    Place("Thuận Hòa", 16.4720, 107.5750, "Phường Phú Xuân", "Phú Xuân"),
    Place("Kim Long", 16.4660, 107.5560, "Phường Kim Long", "Phú Xuân"),
)

#: Former district seats (DOMAIN.md, ≈ ±2 km) — reports from the rest of the city.
DISTRICT_PLACES: tuple[Place, ...] = (
    Place("Phú Xuân", 16.470, 107.579, "Phường Phú Xuân", "Phú Xuân"),
    Place("Thuận Hóa", 16.462, 107.596, "Phường Thuận Hóa", "Thuận Hóa"),
    Place("Phú Bài", 16.405, 107.700, "Phường Phú Bài", "Hương Thủy", urban=False),
    Place("Tứ Hạ", 16.530, 107.465, "Phường Hương Trà", "Hương Trà", urban=False),
    Place("Phong Điền", 16.585, 107.355, "Phường Phong Điền", "Phong Điền", urban=False),
    Place("Sịa", 16.585, 107.508, "Xã Quảng Điền", "Quảng Điền", urban=False),
    Place("Phú Đa", 16.432, 107.712, "Xã Phú Vang", "Phú Vang", urban=False),
    Place("Phú Lộc", 16.290, 107.876, "Xã Phú Lộc", "Phú Lộc", urban=False),
    Place("Khe Tre", 16.172, 107.722, "Xã Khe Tre", "Nam Đông", urban=False),
    Place("A Lưới", 16.273, 107.233, "Xã A Lưới 2", "A Lưới", urban=False),
)

PLACES: tuple[Place, ...] = CITY_PLACES + DISTRICT_PLACES

#: City streets used in demo addresses and report texts.
STREETS: tuple[str, ...] = (
    "Lê Lợi", "Hùng Vương", "Trần Hưng Đạo", "Nguyễn Huệ", "Điện Biên Phủ", "Bà Triệu",
    "Đinh Tiên Hoàng", "Chi Lăng", "Lê Duẩn", "Nguyễn Trãi", "Phan Đình Phùng",
    "Trần Phú", "Nguyễn Sinh Cung", "Mai Thúc Loan", "Huỳnh Thúc Kháng", "Đống Đa",
)


# --------------------------------------------------------------------------- stations
@dataclass(frozen=True)
class RiverStation:
    station_id: str
    name: str
    river: str
    lat: float
    lon: float
    thresholds: tuple[tuple[str, float], ...] | None   # (("BD1", 1.0), …) or None


#: Hydrological stations (DOMAIN.md; Phong Bình and Cầu Truồi positions are ≈ map readings).
RIVER_STATIONS: tuple[RiverStation, ...] = (
    RiverStation("kim_long", "Kim Long", "Hương", 16.47, 107.57,
                 (("BD1", 1.0), ("BD2", 2.0), ("BD3", 3.5))),
    RiverStation("phu_oc", "Phú Ốc", "Bồ", 16.55, 107.47,
                 (("BD1", 1.5), ("BD2", 3.0), ("BD3", 4.5))),
    RiverStation("phong_binh", "Phong Bình", "Ô Lâu", 16.64, 107.35, None),
    RiverStation("cau_truoi", "Cầu Truồi", "Truồi", 16.33, 107.77, None),
)
STATIONS_BY_ID = {s.station_id: s for s in RIVER_STATIONS}


@dataclass(frozen=True)
class Reservoir:
    station_id: str
    name: str
    lat: float
    lon: float
    normal_level: float      # ≈ normal water level, m above sea level (demo value)
    base_inflow: float       # ≈ dry-weather inflow, m³/s (demo value)


#: Reservoirs of the Hương–Bồ basin (DOMAIN.md positions ≈; levels and flows are demo values).
RESERVOIRS: tuple[Reservoir, ...] = (
    Reservoir("ho_ta_trach", "Hồ Tả Trạch", 16.31, 107.61, 45.0, 60.0),
    Reservoir("ho_binh_dien", "Hồ Bình Điền", 16.35, 107.55, 85.0, 45.0),
    Reservoir("ho_huong_dien", "Hồ Hương Điền", 16.46, 107.42, 58.0, 50.0),
    Reservoir("ho_a_luoi", "Hồ A Lưới", 16.25, 107.25, 553.0, 15.0),
    Reservoir("ho_thuong_nhat", "Hồ Thượng Nhật", 16.11, 107.69, 530.0, 8.0),
)

#: Rain gauges (≈): id, name, lat, lon, how strongly the flood's rain falls there.
RAIN_GAUGES: tuple[tuple[str, str, float, float, float], ...] = (
    ("mua_a_luoi", "A Lưới", 16.273, 107.233, 1.4),
    ("mua_nam_dong", "Nam Đông", 16.172, 107.722, 1.3),
    ("mua_hue", "TP Huế", 16.462, 107.596, 1.0),
    ("mua_phong_dien", "Phong Điền", 16.585, 107.355, 0.9),
    ("mua_phu_loc", "Phú Lộc", 16.290, 107.876, 1.1),
    ("mua_ta_trach", "Tả Trạch", 16.31, 107.61, 1.2),
)

#: Air-quality stations in the city (≈): id, name, lat, lon, typical PM2.5 µg/m³.
AIR_STATIONS: tuple[tuple[str, str, float, float, float], ...] = (
    ("kk_le_loi", "Lê Lợi", 16.4650, 107.5920, 28.0),
    ("kk_dai_noi", "Đại Nội", 16.4690, 107.5780, 22.0),
    ("kk_an_cuu", "An Cựu", 16.4510, 107.6010, 34.0),
    ("kk_vy_da", "Vỹ Dạ", 16.4740, 107.6080, 26.0),
    ("kk_phu_bai", "Phú Bài", 16.4050, 107.7000, 38.0),
)


# --------------------------------------------------------------------------- sea
@dataclass(frozen=True)
class Port:
    name: str
    lat: float
    lon: float
    mouth_lat: float          # a point just outside the harbour mouth, on the sea side
    mouth_lon: float
    grounds: tuple[float, float, float, float]   # fishing grounds box: lat0, lat1, lon0, lon1


#: Fishing ports (DOMAIN.md ≈) with their harbour mouths and offshore grounds (demo).
PORTS: tuple[Port, ...] = (
    Port("Thuận An", 16.56, 107.63, 16.585, 107.655, (16.75, 17.30, 107.60, 108.30)),
    Port("Tư Hiền", 16.31, 107.93, 16.345, 107.955, (16.45, 16.90, 108.00, 108.60)),
)

#: The coast, coarsely (lat, lon), NW -> SE; the sea is on its north-east side.
COASTLINE: tuple[tuple[float, float], ...] = ((16.80, 107.18), (16.56, 107.63), (16.20, 108.10))

#: The province's waters for the demo: lat0, lat1, lon0, lon1.
PROVINCE_WATERS = (15.8, 17.8, 107.0, 109.0)

#: Harbour zone radius (km) around a port: inside it a vessel may be on the coastline.
HARBOUR_RADIUS_KM = 6.0

_C0, _C1, _C2 = COASTLINE
_SLOPE1 = (_C1[0] - _C0[0]) / (_C1[1] - _C0[1])
_SLOPE2 = (_C2[0] - _C1[0]) / (_C2[1] - _C1[1])


def coast_lat(lon: float) -> float:
    """Latitude of the (coarse) coastline at ``lon``; extended straight beyond its ends."""
    if lon <= _C1[1]:
        return _C1[0] + (lon - _C1[1]) * _SLOPE1
    return _C1[0] + (lon - _C1[1]) * _SLOPE2


def on_sea_side(lat: float, lon: float, margin: float = 0.0) -> bool:
    """True when ``(lat, lon)`` is north-east of the coastline (by ``margin`` degrees).

    Equivalent to a positive cross product against the NW->SE polyline: the coast is a
    function of longitude, so "sea side" is "north of it".
    """
    return lat > coast_lat(lon) + margin


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Equirectangular distance (plenty for a few tens of km at 16° N)."""
    k = math.cos(math.radians((lat1 + lat2) * 0.5))
    return 111.195 * math.hypot(lat2 - lat1, (lon2 - lon1) * k)


# --------------------------------------------------------------------------- alert areas
#: Low-lying land along the Hương around the city (≈, demo), a closed (lat, lon) ring.
HUONG_FLOOD_AREA: tuple[tuple[float, float], ...] = (
    (16.430, 107.530), (16.475, 107.520), (16.530, 107.555), (16.580, 107.615),
    (16.565, 107.680), (16.495, 107.675), (16.440, 107.615), (16.430, 107.530),
)
HUONG_FLOOD_AREA_DESC = ("Vùng trũng thấp ven sông Hương: các phường Kim Long, Phú Xuân, "
                         "Thuận Hóa, Vỹ Dạ và vùng hạ du (≈)")


def cap_polygon(ring) -> str:
    """A (lat, lon) ring as CAP polygon text."""
    return " ".join(f"{lat:.3f},{lon:.3f}" for lat, lon in ring)


# --------------------------------------------------------------------------- flood
def _smoothstep(x: float) -> float:
    return x * x * (3.0 - 2.0 * x)


@dataclass(frozen=True)
class FloodCycle:
    """One flood wave; times in seconds since the scenario's start."""

    index: int
    t0: float          # wave starts rising
    rise: float        # seconds from t0 to the peak
    fall: float        # seconds from the peak back to base
    quiet: float       # seconds at base before the next wave
    bases: dict        # station_id -> base level (m)
    peaks: dict        # station_id -> peak level (m)

    @property
    def peak_time(self) -> float:
        return self.t0 + self.rise

    @property
    def end(self) -> float:
        return self.t0 + self.rise + self.fall + self.quiet


#: Per station: lag of its wave behind Kim Long's (s), base range, peak range (m).
_STATION_WAVES = {
    "kim_long": (0.0, (0.6, 1.0), (3.0, 3.9)),
    "phu_oc": (40.0, (1.0, 1.35), (3.4, 4.8)),
    "phong_binh": (20.0, (0.35, 0.6), (1.8, 2.8)),
    "cau_truoi": (-30.0, (0.3, 0.5), (1.4, 2.4)),
}


class FloodScenario:
    """A repeating, accelerated flood on the Hương–Bồ basin (see the module docstring).

    ``level(station_id, t)`` is the noiseless water level (m) of a river station at
    the aware datetime ``t``; :meth:`level_at` takes seconds since ``start`` (cheaper,
    for hot loops).  ``intensity_at(s)`` is the wave's shape (0 at base, 1 at the peak)
    for rain and reservoir flows.  Cycle parameters come from ``random.Random(seed)``
    in order, so the scenario is the same however it is queried.
    """

    LEAD_IN = (20.0, 40.0)        # s at base before the first wave
    RISE = (330.0, 390.0)         # s from base to peak: BĐ2 is passed after ~3–4 min
    FALL = (780.0, 1020.0)        # s from peak back to base (~15 min)
    QUIET = (120.0, 240.0)        # s at base between waves

    def __init__(self, seed: int = DEFAULT_SEED, start: datetime | None = None):
        if start is None:
            start = datetime(2026, 11, 20, tzinfo=timezone.utc)
        if start.tzinfo is None:
            raise ValueError("FloodScenario.start must be an aware datetime")
        self.seed = seed
        self.start = start
        self._rng = random.Random(seed)
        self._cycles: list[FloodCycle] = []
        self._t0s: list[float] = []
        self._last: FloodCycle | None = None
        self._lead_in = self._rng.uniform(*self.LEAD_IN)
        self._extend(self._lead_in)

    @classmethod
    @lru_cache(maxsize=16)
    def shared(cls, seed: int, start: datetime) -> "FloodScenario":
        """One scenario per ``(seed, start)`` in this process (it is a pure function of them)."""
        return cls(seed, start)

    # -- cycles
    def _new_cycle(self, t0: float) -> FloodCycle:
        r = self._rng
        bases, peaks = {}, {}
        for sid, (_lag, base_range, peak_range) in _STATION_WAVES.items():
            bases[sid] = r.uniform(*base_range)
            peaks[sid] = r.uniform(*peak_range)
        cycle = FloodCycle(len(self._cycles), t0, r.uniform(*self.RISE), r.uniform(*self.FALL),
                           r.uniform(*self.QUIET), bases, peaks)
        self._cycles.append(cycle)
        self._t0s.append(t0)
        return cycle

    def _extend(self, first_t0: float | None = None) -> None:
        t0 = first_t0 if first_t0 is not None else self._cycles[-1].end
        self._new_cycle(t0)

    def cycle_at(self, s: float) -> FloodCycle:
        """The wave under way ``s`` seconds after start (the first one before it begins)."""
        last = self._last
        if last is not None and last.t0 <= s < last.end:   # hot path: same wave as last time
            return last
        while self._cycles[-1].end <= s + 120.0:   # keep one wave ahead (quiet-phase blend)
            self._extend()
        i = bisect.bisect_right(self._t0s, s) - 1
        cycle = self._cycles[max(i, 0)]
        if cycle.t0 <= s < cycle.end and cycle.index + 1 < len(self._cycles):
            self._last = cycle
        return cycle

    def seconds(self, t: datetime) -> float:
        return (t - self.start).total_seconds()

    # -- shape and levels
    def _shape(self, cycle: FloodCycle, x: float) -> float:
        """0…1 at ``x`` seconds after ``cycle.t0`` (negative: before the wave)."""
        if x <= 0.0:
            return 0.0
        if x < cycle.rise:
            return _smoothstep(x / cycle.rise)
        x -= cycle.rise
        if x < cycle.fall:
            return 1.0 - _smoothstep(x / cycle.fall)
        return 0.0

    def intensity_at(self, s: float, lead: float = 0.0) -> float:
        """The wave's shape ``lead`` seconds ahead of the river (rain comes first)."""
        s += lead
        cycle = self.cycle_at(s)
        return self._shape(cycle, s - cycle.t0)

    def level_at(self, station_id: str, s: float) -> float:
        """Noiseless level (m) of a river station ``s`` seconds after start."""
        try:
            lag = _STATION_WAVES[station_id][0]
        except KeyError:
            raise KeyError(f"no river station {station_id!r} in the flood scenario") from None
        s -= lag
        cycle = self.cycle_at(s)
        x = s - cycle.t0
        base, peak = cycle.bases[station_id], cycle.peaks[station_id]
        if x < 0.0:                 # before the first wave
            return base
        if x >= cycle.rise + cycle.fall:
            # quiet: drift from this wave's base to the next one's
            nxt = self._cycles[cycle.index + 1] if cycle.index + 1 < len(self._cycles) \
                else self.cycle_at(cycle.end)
            f = min(1.0, (x - cycle.rise - cycle.fall) / cycle.quiet)
            return base + (nxt.bases[station_id] - base) * f
        return base + (peak - base) * self._shape(cycle, x)

    def level(self, station_id: str, t: datetime) -> float:
        return self.level_at(station_id, self.seconds(t))

    def kim_long_above_bd2(self, t: datetime) -> bool:
        """Kim Long at or above BĐ2 (2.0 m): the rule that triggers the flood alert."""
        return self.level_at("kim_long", self.seconds(t)) >= 2.0

    def peak_level(self, station_id: str, t: datetime) -> float:
        """The peak level of the wave under way at ``t`` (for forecasts in alerts)."""
        return self.cycle_at(self.seconds(t) - _STATION_WAVES[station_id][0]).peaks[station_id]

    def thresholds(self, station_id: str) -> dict[str, float] | None:
        st = STATIONS_BY_ID[station_id]
        return dict(st.thresholds) if st.thresholds else None


# --------------------------------------------------------------------------- tick helpers
# Shared by the simulators: how many events a tick emits, and their timestamps.

def events_for_budget(rng: random.Random, budget: int, trickle: float) -> int:
    """``budget`` when positive; at budget 0 one event with probability ``trickle``
    (so that a low-rate demo still moves), else none."""
    if budget > 0:
        return budget
    return 1 if rng.random() < trickle else 0


def round_robin(items: list, pos: int, n: int, event) -> tuple[list, int]:
    """``n`` re-reports of ``items`` in turn from ``pos`` (``event(item)`` makes each):
    how a simulator spends its budget on objects whose state didn't change.  Returns the
    events and the next position."""
    size = len(items)
    if not n or not size:
        return [], pos
    out = []
    append = out.append
    for _ in range(n):
        append(event(items[pos]))
        pos += 1
        if pos == size:
            pos = 0
    return out, pos


def round_times(start: datetime, prev_s: float, s: float, rounds: int) -> list[tuple[float, str]]:
    """Timestamps for ``rounds`` passes over a simulator's objects within one tick.

    Returns ``(seconds since start, RFC 3339 local text)`` per round, evenly spread over
    ``(prev_s, s]``: one round -> the tick's own time at whole seconds; several rounds
    (a budget larger than the number of objects) -> millisecond times, so that the same
    object never reports twice at the same instant.  Costs one formatting per round,
    not per event.
    """
    if rounds <= 1 or s <= prev_s:
        return [(s, rfc3339_local(start + timedelta(seconds=s)))]
    step = (s - prev_s) / rounds
    out = []
    for r in range(1, rounds + 1):
        sr = prev_s + step * r
        out.append((sr, rfc3339_local(start + timedelta(seconds=sr), "milliseconds")))
    return out


__all__ = [
    "DEFAULT_SEED", "Place", "CITY_PLACES", "DISTRICT_PLACES", "PLACES", "STREETS",
    "RiverStation", "RIVER_STATIONS", "STATIONS_BY_ID", "Reservoir", "RESERVOIRS",
    "RAIN_GAUGES", "AIR_STATIONS", "Port", "PORTS", "COASTLINE", "PROVINCE_WATERS",
    "HARBOUR_RADIUS_KM", "coast_lat", "on_sea_side", "distance_km", "HUONG_FLOOD_AREA",
    "HUONG_FLOOD_AREA_DESC", "cap_polygon", "FloodCycle", "FloodScenario",
    "events_for_budget", "round_times", "VN_TZ", "rfc3339_local",
]
