"""The ``environment`` topic: one observation per station and quantity.

Modelled on an OGC SensorThings *Observation* (``phenomenonTime``, result ``value``)
with the Thing/Location folded in (``station_id``, ``station_name``, ``lat``, ``long``).
Key: ``station_id + "/" + quantity`` (:func:`key_of`).

Rules (a ValidationError names the field):

* ``station_id``: 1–64 characters, no "/" and no whitespace (it is half of the key).
* ``quantity``: one of :data:`QUANTITIES` or any identifier ``^[a-z0-9_]{1,40}$``.
* ``value``: a finite number (not true/false), within :data:`RANGES` for the known
  quantities (units as in :data:`UNITS`); other quantities: any finite number.
* ``unit``: optional text ≤32; filled in from :data:`UNITS` for a known quantity.
* ``phenomenonTime``: RFC 3339 with offset, required.
* ``lat``/``long``: optional (an observation may come without its station's
  position), both or neither, WGS 84, not 0,0.
* ``thresholds``: optional object of up to 16 name (≤16 chars) -> finite number;
  ``BD1 ≤ BD2 ≤ BD3`` where given.
* ``kind``: optional, one of :data:`KINDS` or an identifier; ``river``,
  ``station_name``: optional text.  Unknown fields are kept.

Also here: the VN_AQI computation from PM2.5 (QĐ 1459/QĐ-TCMT 2019).
"""
from __future__ import annotations

import math
import re

from ioc_desktop.interop import to_local_time
from ioc_desktop.plugin_api import (GOOD_TIMES, TopicSpec, ValidationError, as_latlon,
                                   as_number, as_object, as_payload, as_str, as_time)

TOPIC = "environment"
#: Documentary: the key is two fields joined by "/", see :func:`key_of`.
KEY_FIELD = "station_id/quantity"

QUANTITIES = ("water_level", "rainfall", "pm25", "aqi", "reservoir_level", "inflow", "outflow")
KINDS = ("river_station", "reservoir", "rain_gauge", "air_station")

#: Sanity ranges (inclusive) of the known quantities, in :data:`UNITS`.
RANGES: dict[str, tuple[float, float]] = {
    "water_level": (-5.0, 50.0),          # m, gauge datum
    "reservoir_level": (0.0, 1000.0),     # m above sea level
    "rainfall": (0.0, 2000.0),            # mm
    "pm25": (0.0, 2000.0),                # µg/m³
    "aqi": (0.0, 500.0),                  # VN_AQI index
    "inflow": (0.0, 100_000.0),           # m³/s
    "outflow": (0.0, 100_000.0),          # m³/s
}
UNITS: dict[str, str] = {
    "water_level": "m", "reservoir_level": "m", "rainfall": "mm", "pm25": "µg/m³",
    "aqi": "AQI", "inflow": "m³/s", "outflow": "m³/s",
}

_IDENT = re.compile(r"[a-z0-9_]{1,40}")
_STATION_ID = re.compile(r"[^/\s]{1,64}")
_ORDERED_THRESHOLDS = ("BD1", "BD2", "BD3")


def key_of(data: dict) -> str:
    return f"{data['station_id']}/{data['quantity']}"


def validate(data: dict) -> dict:
    """A normalised copy of an observation, or ValidationError with the reason.

    Every field is checked in the order of the rules above.  The common well-formed case
    is accepted inline (exact types, in range); anything else goes to the shared helper
    of that field (``as_str``, ``as_number``, …), which gives the verdict and the reason,
    so the rules and messages are the helpers'.
    """
    out = as_payload(data)
    get = data.get
    station_id = get("station_id")
    if station_id.__class__ is not str or len(station_id) > 64:
        station_id = as_str(data, "station_id", max_len=64)
    if not _STATION_ID.fullmatch(station_id):
        raise ValidationError(f"data.station_id: {station_id[:40]!r} must be 1–64 characters "
                              "without '/' or whitespace")
    quantity = get("quantity")
    if quantity.__class__ is not str or quantity not in RANGES:   # the known ones are identifiers
        quantity = as_str(data, "quantity", max_len=40)
        if not _IDENT.fullmatch(quantity):
            raise ValidationError(f"data.quantity: {quantity[:40]!r} is not a quantity identifier "
                                  f"(one of {list(QUANTITIES)} or [a-z0-9_]{{1,40}})")
    lo, hi = RANGES.get(quantity, (None, None))
    value = get("value")
    if not (value.__class__ is float and lo is not None and lo <= value <= hi):
        out["value"] = as_number(data, "value", lo=lo, hi=hi)
    unit = get("unit")
    if unit is None:
        if quantity in UNITS:
            out["unit"] = UNITS[quantity]
    elif unit.__class__ is not str or len(unit) > 32:
        as_str(data, "unit", required=False, max_len=32)
    when = get("phenomenonTime")
    if when.__class__ is not str or when not in GOOD_TIMES:
        as_time(data, "phenomenonTime")
    lat, lon = get("lat"), get("long")
    if (lat is not None or lon is not None) and not (
            lat.__class__ is float and lon.__class__ is float and -90.0 <= lat <= 90.0
            and -180.0 <= lon <= 180.0 and (lat != 0 or lon != 0)):
        position = as_latlon(data, required=False)
        if position is not None:
            out["lat"], out["long"] = position
    for name, max_len in _TEXTS:
        text = get(name)
        if text is not None and (text.__class__ is not str or len(text) > max_len):
            as_str(data, name, required=False, max_len=max_len)
    kind = get("kind")
    if kind is not None and (kind.__class__ is not str or kind not in _KNOWN_KINDS):
        kind = as_str(data, "kind", required=False, max_len=40)
        if not _IDENT.fullmatch(kind):
            raise ValidationError(f"data.kind: {kind[:40]!r} is not a station kind "
                                  f"(one of {list(KINDS)} or [a-z0-9_]{{1,40}})")
    thresholds = get("thresholds")
    if thresholds is not None:
        if thresholds.__class__ is not dict:
            thresholds = as_object(data, "thresholds", required=False)
        out["thresholds"] = _thresholds(thresholds)
    return out


_TEXTS = (("station_name", 200), ("river", 100))
_KNOWN_KINDS = frozenset(KINDS)    # identifiers: the pattern accepts them


def _thresholds(raw: dict) -> dict:
    if len(raw) > 16:
        raise ValidationError("data.thresholds: more than 16 thresholds")
    out = {}
    for name, value in raw.items():
        if not isinstance(name, str) or not 1 <= len(name) <= 16:
            raise ValidationError(f"data.thresholds: name {str(name)[:20]!r} must be 1–16 characters")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise ValidationError(f"data.thresholds.{name}: expected a finite number, "
                                  f"got {type(value).__name__}")
        out[name] = float(value)
    given = [(n, out[n]) for n in _ORDERED_THRESHOLDS if n in out]
    for (n1, v1), (n2, v2) in zip(given, given[1:]):
        if v2 < v1:
            raise ValidationError(f"data.thresholds.{n2}: {v2} is below {n1} ({v1})")
    return out


def threshold_reached(value: float, thresholds: dict | None) -> str | None:
    """The name of the highest threshold that ``value`` reaches (≥), or None."""
    if not thresholds:
        return None
    best_name, best = None, -math.inf
    for name, limit in thresholds.items():
        if value >= limit and limit > best:
            best_name, best = name, limit
    return best_name


# --------------------------------------------------------------------------- VN_AQI
#: PM2.5 breakpoints (µg/m³) for AQI 0/50/100/150/200/300/400/500 (QĐ 1459/QĐ-TCMT 2019).
PM25_BREAKPOINTS = (0.0, 25.0, 50.0, 80.0, 150.0, 250.0, 350.0, 500.0)
AQI_BREAKPOINTS = (0, 50, 100, 150, 200, 300, 400, 500)

#: (upper AQI of the band, Vietnamese name, (r, g, b)).
AQI_BANDS = (
    (50, "Tốt", (0, 228, 0)),
    (100, "Trung bình", (255, 255, 0)),
    (150, "Kém", (255, 126, 0)),
    (200, "Xấu", (255, 0, 0)),
    (300, "Rất xấu", (143, 63, 151)),
    (500, "Nguy hại", (126, 0, 35)),
)


def aqi_from_pm25(pm25: float) -> int:
    """VN_AQI of a PM2.5 concentration (µg/m³): linear between breakpoints, rounded.

    Above the last breakpoint (500 µg/m³) the index stays at 500, the top of the scale.
    """
    if isinstance(pm25, bool) or not isinstance(pm25, (int, float)) or not math.isfinite(pm25):
        raise ValueError(f"PM2.5 must be a finite number, got {pm25!r}")
    if pm25 < 0:
        raise ValueError(f"PM2.5 {pm25} is negative")
    bp = PM25_BREAKPOINTS
    if pm25 >= bp[-1]:
        return AQI_BREAKPOINTS[-1]
    i = 0
    while pm25 >= bp[i + 1]:
        i += 1
    i_lo, i_hi = AQI_BREAKPOINTS[i], AQI_BREAKPOINTS[i + 1]
    return int(math.floor(i_lo + (i_hi - i_lo) * (pm25 - bp[i]) / (bp[i + 1] - bp[i]) + 0.5))


def aqi_band(aqi: float) -> tuple[int, str, tuple[int, int, int]]:
    """``(band index 0…5, Vietnamese name, RGB colour)`` of an AQI value."""
    for i, (upper, name, rgb) in enumerate(AQI_BANDS):
        if aqi <= upper:
            return i, name, rgb
    return len(AQI_BANDS) - 1, AQI_BANDS[-1][1], AQI_BANDS[-1][2]


def nowcast(hourly: list[float | None]) -> float | None:
    """NowCast PM concentration from hourly means, newest first (up to 12 used).

    ``w* = min/max`` of the 12 hours, ``w = max(w*, 0.5)``;
    ``NowCast = Σ wⁱ⁻¹·cᵢ / Σ wⁱ⁻¹`` over the hours with data.  None when fewer than
    two of the three most recent hours have data (the rule's minimum).
    """
    values = list(hourly[:12])
    if sum(v is not None for v in values[:3]) < 2:
        return None
    present = [v for v in values if v is not None]
    c_max, c_min = max(present), min(present)
    w = 1.0 if c_max <= 0 else max(c_min / c_max, 0.5)
    num = den = 0.0
    for i, v in enumerate(values):
        if v is not None:
            f = w ** i
            num += f * v
            den += f
    return num / den


# --------------------------------------------------------------------------- rows
COLUMNS: dict[str, type] = {
    "station_id": str, "station_name": str, "quantity": str, "value": float, "unit": str,
    "phenomenonTime": str, "lat": float, "long": float, "kind": str, "river": str,
    "threshold": str,
}
INDEXES: list[tuple[str, ...]] = [("station_id",), ("quantity",), ("kind",), ("threshold",)]


def to_row(key: str, data: dict) -> dict:
    """Columns of a validated observation.  ``threshold`` is the highest one reached."""
    get = data.get
    return {
        "station_id": get("station_id"), "station_name": get("station_name"),
        "quantity": get("quantity"), "value": get("value"), "unit": get("unit"),
        "phenomenonTime": to_local_time(get("phenomenonTime")),
        "lat": get("lat"), "long": get("long"), "kind": get("kind"), "river": get("river"),
        "threshold": threshold_reached(get("value"), get("thresholds")),
    }


SPEC = TopicSpec(
    name=TOPIC,
    key_field=KEY_FIELD,
    validate=validate,
    columns=COLUMNS,
    to_row=to_row,
    indexes=INDEXES,
    stale_after_s=300.0,
)
