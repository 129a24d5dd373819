"""The environment's situation model (no Qt): every station's newest observation, and
what it means — the flood warning level each river station has reached (BĐ1/BĐ2/BĐ3),
each air station's VN_AQI band, each reservoir releasing flood water.

Fed by the situation layer with the ``environment`` topic's validated observations
(key ``station_id/quantity``, see :mod:`plugins.environment.schema`).

Hysteresis.  A level, once reached, is kept until the value falls below it by a
deadband: :data:`LEVEL_DEADBAND_M` for the river levels, :data:`AQI_DEADBAND` for the
AQI bands, :data:`DISCHARGE_DEADBAND` (a share of the threshold) for the releases.  The
reached levels are updated with every observation (not with every evaluation), so the
panels (flood-level column, colours, KPIs) and the alarm rules
(:mod:`plugins.environment.rules`) always agree: a gauge wobbling a centimetre around
BĐ2 neither flickers on the wall nor chatters in the alarm list.  After a reset (start,
a snapshot, review at a past time) the levels start again from the values alone.

Flood warning levels come with the data (``thresholds``: ``BD1``/``BD2``/``BD3``,
QĐ 05/2020/QĐ-TTg; DOMAIN.md), so do reservoirs' flood-release levels: an ``outflow``
observation whose ``thresholds`` has ``discharge`` (m³/s).  Stations without them are
shown, never judged.

There is no wall clock here: :attr:`now` is the caller's.
"""
from __future__ import annotations

import math

from ioc_desktop.topic_model import TopicModel

from .schema import AQI_BANDS

LEVELS = ("BD1", "BD2", "BD3")
#: A flood warning level is left once the water is this far below it (m).
LEVEL_DEADBAND_M = 0.05
#: An AQI band (Kém and up) is left once the index is this far below its floor.
AQI_DEADBAND = 5.0
#: The name of a reservoir outflow's flood-release threshold (m³/s) in ``thresholds``.
DISCHARGE = "discharge"
#: A release is over once the outflow is this share below its threshold.
DISCHARGE_DEADBAND = 0.05
#: The AQI band from which the air is in alarm: Kém (101–150), band index 2.
POOR_AQI_BAND = 2


def _number(value) -> float | None:
    if value.__class__ not in (int, float) or isinstance(value, bool) or not math.isfinite(value):
        return None
    return float(value)


def flood_level(value: float | None, thresholds: dict | None, previous: int = 0,
                deadband: float = LEVEL_DEADBAND_M) -> int:
    """0 below BĐ1, else 1…3 for the highest of BĐ1/BĐ2/BĐ3 reached: at or above it,
    or within ``deadband`` below it when ``previous`` was that level or higher."""
    if value is None or not thresholds:
        return 0
    for rank in (3, 2, 1):
        limit = thresholds.get(LEVELS[rank - 1])
        if limit is None:
            continue
        if value >= limit or (previous >= rank and value >= limit - deadband):
            return rank
    return 0


def aqi_band_index(value: float | None, previous: int = 0,
                   deadband: float = AQI_DEADBAND) -> int:
    """The VN_AQI band (0 Tốt … 5 Nguy hại, :data:`~plugins.environment.schema.AQI_BANDS`)
    of ``value``; a band of Kém or worse is kept while the index stays within
    ``deadband`` of its floor (``previous``: the band before)."""
    if value is None:
        return 0
    for band in range(len(AQI_BANDS) - 1, 0, -1):
        floor = AQI_BANDS[band - 1][0]            # the band starts above the one below
        margin = deadband if previous >= band and band >= POOR_AQI_BAND else 0.0
        if value > floor - margin:
            return band
    return 0


class EnvironmentModel(TopicModel):
    """See the module docstring."""

    #: review: the state at T by the difference from the last jump (ioc_desktop.review.snapshot)
    review_incremental = True

    def __init__(self) -> None:
        super().__init__()
        self._flood: dict[str, int] = {}        # river key -> 1..3 (0: not kept)
        self._aqi: dict[str, int] = {}          # aqi key -> band (0..5)
        self._discharge: dict[str, bool] = {}   # outflow key -> releasing

    # ------------------------------------------------------------ hooks
    def on_reset(self) -> None:
        self._flood.clear()
        self._aqi.clear()
        self._discharge.clear()
        for key, data in self.items.items():
            self._judge(key, data)

    def on_upsert(self, key: str, data: dict, old: dict | None) -> None:
        self._judge(key, data)

    def on_delete(self, key: str, old: dict) -> None:
        self._flood.pop(key, None)
        self._aqi.pop(key, None)
        self._discharge.pop(key, None)

    def _judge(self, key: str, data: dict) -> None:
        quantity = data.get("quantity")
        value = _number(data.get("value"))
        thresholds = data.get("thresholds") if isinstance(data.get("thresholds"), dict) else None
        if quantity == "water_level":
            rank = flood_level(value, thresholds, self._flood.get(key, 0))
            self._set(self._flood, key, rank)
        elif quantity == "aqi":
            self._set(self._aqi, key, aqi_band_index(value, self._aqi.get(key, 0)))
        elif quantity == "outflow":
            limit = _number((thresholds or {}).get(DISCHARGE))
            was = self._discharge.get(key, False)
            on = value is not None and limit is not None and limit > 0 and (
                value >= limit or (was and value >= limit * (1.0 - DISCHARGE_DEADBAND)))
            self._set(self._discharge, key, on)

    @staticmethod
    def _set(table: dict, key: str, value) -> None:
        if value:
            table[key] = value
        else:
            table.pop(key, None)

    # ------------------------------------------------------------ queries (rules, view)
    @staticmethod
    def name_of(data: dict) -> str:
        return data.get("station_name") or data.get("station_id") or ""

    def flood_level(self, key: str) -> int:
        """The flood warning level (0…3) the river station ``key`` has reached."""
        return self._flood.get(key, 0)

    def flooded(self):
        """``(key, data, level 1…3)`` for every river station at or above BĐ1."""
        for key, rank in sorted(self._flood.items()):
            data = self.items.get(key)
            if data is not None:
                yield key, data, rank

    def aqi_band(self, key: str) -> int:
        return self._aqi.get(key, 0)

    def poor_air(self):
        """``(key, data, band)`` for every AQI at Kém (band 2) or worse."""
        for key, band in sorted(self._aqi.items()):
            data = self.items.get(key)
            if data is not None and band >= POOR_AQI_BAND:
                yield key, data, band

    def discharging(self):
        """``(key, data, threshold)`` for every reservoir outflow at its flood release."""
        for key in sorted(self._discharge):
            data = self.items.get(key)
            if data is not None:
                yield key, data, float(data["thresholds"][DISCHARGE])

    # ------------------------------------------------------------ the panels
    def view(self, now: float | None = None) -> dict:
        """``rivers``: every river station with flood lines, worst first (``key``,
        ``name``, ``value``, ``unit``, ``level``: "BD1"… or None); ``rivers_above``:
        how many are at BĐ1 or more; ``aqi_max``: the highest AQI (None: no air
        station); ``aqi_poor``: air stations at Kém or worse; ``discharging``: the
        reservoirs releasing flood water (``key``, ``name``, ``value``, ``threshold``)."""
        rivers = []
        aqi = []
        for key, data in self.items.items():
            quantity = data.get("quantity")
            if quantity == "water_level" and data.get("thresholds"):
                rank = self._flood.get(key, 0)
                rivers.append({"key": key, "name": self.name_of(data),
                               "value": _number(data.get("value")), "unit": data.get("unit") or "m",
                               "level": LEVELS[rank - 1] if rank else None, "rank": rank})
            elif quantity == "aqi" and _number(data.get("value")) is not None:
                aqi.append(float(data["value"]))
        rivers.sort(key=lambda r: (-r["rank"], r["name"], r["key"]))
        return {
            "rivers": rivers,
            "rivers_above": sum(1 for r in rivers if r["rank"]),
            "aqi_max": max(aqi) if aqi else None,
            "aqi_poor": sum(1 for band in self._aqi.values() if band >= POOR_AQI_BAND),
            "discharging": [{"key": key, "name": self.name_of(data), "value": data.get("value"),
                             "threshold": limit} for key, data, limit in self.discharging()],
        }


__all__ = ["AQI_DEADBAND", "DISCHARGE", "DISCHARGE_DEADBAND", "EnvironmentModel", "LEVELS",
           "LEVEL_DEADBAND_M", "POOR_AQI_BAND", "aqi_band_index", "flood_level"]
