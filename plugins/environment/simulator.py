"""Demo source of river, reservoir, rain and air-quality observations.

Series (one key each, ``station_id/quantity``):

* water levels of Kim Long (Hương) and Phú Ốc (Bồ) from the shared
  :class:`~demo_backend.scenario.FloodScenario` plus ±1.5 cm noise, with their
  BĐ1/BĐ2/BĐ3 thresholds in the data; Phong Bình (Ô Lâu) and Cầu Truồi (Truồi) plain;
* reservoirs Tả Trạch, Bình Điền, Hương Điền, A Lưới, Thượng Nhật: ``reservoir_level``,
  ``inflow`` (rises ahead of the river wave) and ``outflow`` (flood releases after it),
  the outflow with its flood-release level (``thresholds: {"discharge": m³/s}``);
* rain gauges: ``rainfall`` = mm over the last hour, heavy while the wave builds;
* city air stations: ``pm25`` (diurnal cycle, washed out by rain) and ``aqi`` computed
  with :func:`~plugins.environment.schema.aqi_from_pm25` from a smoothed PM2.5 (an
  instant index, not the 12-hour NowCast: the demo's hours are minutes).

Rates: each tick emits ``budget`` observations round-robin over the series, the two
flood-warning stations appearing :attr:`hot_weight` times per pass; when the budget
would make a series report twice in a tick, the tick's events get successive
(millisecond) timestamps within it.  At
budget 0 one observation with probability :attr:`trickle`.
"""
from __future__ import annotations

import math
import random
from datetime import datetime

from demo_backend.scenario import (AIR_STATIONS, DEFAULT_SEED, RAIN_GAUGES, RESERVOIRS,
                                   RIVER_STATIONS, VN_TZ, FloodScenario, events_for_budget,
                                   round_times)
from ioc_desktop.plugin_api import SimEvent, Simulator

from .model import DISCHARGE
from .schema import TOPIC, UNITS, aqi_from_pm25

_TAU = 2.0 * math.pi
#: A reservoir's flood-release threshold (``thresholds.discharge`` of its outflow), as a
#: multiple of its dry-weather inflow (demo figure).
DISCHARGE_FACTOR = 3.5


class EnvironmentSimulator(Simulator):
    """Observations for the demo backend (see the module docstring)."""

    trickle = 0.5
    #: How often Kim Long and Phú Ốc appear in one round-robin pass.
    hot_weight = 3

    def __init__(self, scenario: FloodScenario | None = None, scenario_seed: int = DEFAULT_SEED):
        self.scenario = scenario
        self.scenario_seed = scenario_seed
        self._series: list[tuple[str, dict, object]] = []
        self._order: list[int] = []
        self._min_gap = 1
        self._pos = 0
        self._last_s = 0.0
        self._pm: dict[str, float] = {}        # air station -> smoothed PM2.5

    # -- series
    def _build(self) -> None:
        scn = self.scenario
        series: list[tuple[str, dict, object]] = []
        hot: list[int] = []

        def add(station_id, name, quantity, lat, lon, kind, fn, **extra):
            template = {"station_id": station_id, "station_name": name, "quantity": quantity,
                        "unit": UNITS[quantity], "lat": lat, "long": lon, "kind": kind, **extra}
            series.append((f"{station_id}/{quantity}", template, fn))
            return len(series) - 1

        for st in RIVER_STATIONS:
            def level(s, rng, sid=st.station_id):
                return round(scn.level_at(sid, s) + (rng.random() - 0.5) * 0.03, 2)
            extra = {"river": st.river}
            if st.thresholds:
                extra["thresholds"] = dict(st.thresholds)
            i = add(st.station_id, st.name, "water_level", st.lat, st.lon, "river_station", level,
                    **extra)
            if st.thresholds:
                hot.append(i)

        for res in RESERVOIRS:
            def res_level(s, rng, r=res):
                u = scn.intensity_at(s, lead=-120.0)
                return round(r.normal_level - 1.2 + 1.8 * u + (rng.random() - 0.5) * 0.01, 2)

            def inflow(s, rng, r=res):
                u = scn.intensity_at(s, lead=60.0)
                return round(r.base_inflow * (1.0 + 25.0 * u) * (0.97 + 0.06 * rng.random()), 1)

            def outflow(s, rng, r=res):
                u = scn.intensity_at(s, lead=-60.0)
                return round(r.base_inflow * 0.9 * (1.0 + 18.0 * u) * (0.98 + 0.04 * rng.random()), 1)

            add(res.station_id, res.name, "reservoir_level", res.lat, res.lon, "reservoir",
                res_level)
            add(res.station_id, res.name, "inflow", res.lat, res.lon, "reservoir", inflow)
            # the flood-release (xả lũ) level: the outflow from which the reservoir is
            # discharging flood water (demo figure: 3.5× its dry-weather inflow)
            add(res.station_id, res.name, "outflow", res.lat, res.lon, "reservoir", outflow,
                thresholds={DISCHARGE: round(res.base_inflow * DISCHARGE_FACTOR, -1)})

        for gid, name, lat, lon, factor in RAIN_GAUGES:
            def rain(s, rng, f=factor):
                u = scn.intensity_at(s, lead=150.0)
                return round(max(0.0, f * (1.5 + 55.0 * u) * (0.8 + 0.4 * rng.random())), 1)
            add(gid, name, "rainfall", lat, lon, "rain_gauge", rain, period="PT1H")

        day0 = scn.start.astimezone(VN_TZ)
        day0_s = day0.hour * 3600 + day0.minute * 60 + day0.second
        for aid, name, lat, lon, base in AIR_STATIONS:
            self._pm[aid] = base

            def pm25(s, rng, aid=aid, base=base):
                # rush-hour peaks near 07:00 and 18:00, washed out by the flood's rain
                hour = ((day0_s + s) % 86400.0) / 3600.0
                diurnal = 1.0 + 0.25 * math.cos(_TAU * (hour - 7.0) / 12.0)
                wash = 1.0 - 0.5 * scn.intensity_at(s, lead=150.0)
                value = max(0.0, base * diurnal * wash * (0.85 + 0.3 * rng.random()))
                self._pm[aid] += (value - self._pm[aid]) * 0.2
                return round(value, 1)

            def aqi(s, rng, aid=aid):
                return float(aqi_from_pm25(self._pm[aid]))

            add(aid, name, "pm25", lat, lon, "air_station", pm25)
            add(aid, name, "aqi", lat, lon, "air_station", aqi)

        self._series = series
        # One pass: the hot series hot_weight times, spread between the others.
        others = [i for i in range(len(series)) if i not in hot]
        weight = max(1, self.hot_weight)
        chunk = -(-len(others) // weight)
        order: list[int] = []
        for k in range(weight):
            order.extend(hot)
            order.extend(others[k * chunk:(k + 1) * chunk])
        self._order = order
        # Fewest positions between two appearances of one series in the cyclic pass: a
        # tick's events get a new timestamp at least that often (see step()).
        gap = len(order)
        where: dict[int, list[int]] = {}
        for p, i in enumerate(order):
            where.setdefault(i, []).append(p)
        for positions in where.values():
            for a, b in zip(positions, positions[1:] + [positions[0] + len(order)]):
                if b > a:
                    gap = min(gap, b - a)
        self._min_gap = gap

    @property
    def series_keys(self) -> list[str]:
        return [key for key, _t, _f in self._series]

    # -- Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        if self.scenario is None:
            self.scenario = FloodScenario.shared(self.scenario_seed, now)
        self._build()
        self._pos = 0
        s = self.scenario.seconds(now)
        self._last_s = s
        (_s, text), = round_times(self.scenario.start, s, s, 1)
        events = []
        for key, template, fn in self._series:
            data = dict(template)
            data["value"] = fn(s, rng)
            data["phenomenonTime"] = text
            events.append(SimEvent(TOPIC, key, data))
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        s = self.scenario.seconds(now)
        n = events_for_budget(rng, budget, self.trickle)
        prev, self._last_s = self._last_s, s
        if n == 0:
            return []
        order, series = self._order, self._series
        length = len(order)
        # Time slots: a series appears again only after _min_gap events, so with slots no
        # wider than that it never reports twice at one instant within a tick.
        slots = -(-n // self._min_gap)
        times = round_times(self.scenario.start, prev, s, slots)
        pos = self._pos
        events = []
        append = events.append
        for i in range(n):
            key, template, fn = series[order[pos]]
            pos += 1
            if pos == length:
                pos = 0
            sr, text = times[i * slots // n]
            data = dict(template)
            data["value"] = fn(sr, rng)
            data["phenomenonTime"] = text
            append(SimEvent(TOPIC, key, data))
        self._pos = pos
        return events
