"""The ``vessels`` topic: fishing-vessel position reports (AIS / VMS-like).

Key: ``vessel_id``.  Rules (a ValidationError names the field):

* ``vessel_id``: non-empty text ≤64 (an MMSI, a VMS terminal id, …).
* ``lat``/``long``: required, WGS 84, not 0,0.  ``time``: RFC 3339 with offset, required
  (the time of the fix).
* ``sog``: knots, 0…60, optional (absent/None = not available).
* ``cog``: degrees, 0 ≤ cog ≤ 360, optional.  **360 is AIS's "not available"** (AIS
  sends 3600 in 1/10°) and is normalised to None; a real course is 0 ≤ cog < 360.
* ``registration``: None or ``^[A-Z]{2,4}-\\d{3,6}-[A-Z]{2}$`` (e.g. ``TTH-90123-TS``).
* ``length_m``: 1…200, optional.  ``name`` ≤100, ``home_port`` ≤100, ``status`` ≤40: text
  (known statuses in :data:`STATUSES`; others accepted).  Unknown fields are kept.
"""
from __future__ import annotations

import re

from ioc_desktop.interop import to_local_time
from ioc_desktop.plugin_api import (GOOD_TIMES, TopicSpec, ValidationError, as_id, as_latlon,
                                   as_number, as_payload, as_str, as_time)

TOPIC = "vessels"
KEY_FIELD = "vessel_id"

STATUSES = ("fishing", "underway", "in_port", "anchored", "lost_signal")
REGISTRATION = re.compile(r"[A-Z]{2,4}-\d{3,6}-[A-Z]{2}")
COG_NOT_AVAILABLE = 360.0

#: Fishing zones by length (Vietnam's fisheries rules): ≥15 m offshore, 12–15 m
#: inshore, <12 m coastal.
ZONE_OFFSHORE, ZONE_INSHORE, ZONE_COASTAL = "offshore", "inshore", "coastal"


def zone_for_length(length_m: float | None) -> str | None:
    if length_m is None:
        return None
    if length_m >= 15.0:
        return ZONE_OFFSHORE
    if length_m >= 12.0:
        return ZONE_INSHORE
    return ZONE_COASTAL


def validate(data: dict) -> dict:
    """A normalised copy of a position report, or ValidationError with the reason.

    Every field is checked in the order of the rules above.  The common well-formed case
    is accepted inline (exact types, in range); anything else goes to the shared helper
    of that field (``as_str``, ``as_number``, …), which gives the verdict and the reason,
    so the rules and messages are the helpers'.
    """
    out = as_payload(data)
    get = data.get
    vessel_id = get("vessel_id")
    if vessel_id.__class__ is not str or len(vessel_id) > 64 or not vessel_id.strip():
        vessel_id = as_id(data, "vessel_id")   # the reason: wrong type, too long or blank
    lat, lon = get("lat"), get("long")
    if not (lat.__class__ is float and lon.__class__ is float and -90.0 <= lat <= 90.0
            and -180.0 <= lon <= 180.0 and (lat != 0 or lon != 0)):
        out["lat"], out["long"] = as_latlon(data)
    fix = get("time")
    if fix.__class__ is not str or fix not in GOOD_TIMES:
        as_time(data, "time")
    sog = get("sog")
    if sog is not None and not (sog.__class__ is float and 0.0 <= sog <= 60.0):
        out["sog"] = as_number(data, "sog", required=False, lo=0.0, hi=60.0)
    cog = get("cog")
    if cog is not None:
        if not (cog.__class__ is float and 0.0 <= cog <= 360.0):
            cog = as_number(data, "cog", required=False, lo=0.0, hi=360.0)
        out["cog"] = None if cog == COG_NOT_AVAILABLE else cog
    length = get("length_m")
    if length is not None and not (length.__class__ is float and 1.0 <= length <= 200.0):
        out["length_m"] = as_number(data, "length_m", required=False, lo=1.0, hi=200.0)
    registration = get("registration")
    if registration is not None:
        if registration.__class__ is not str or len(registration) > 16:
            registration = as_str(data, "registration", required=False, max_len=16)
        if not REGISTRATION.fullmatch(registration):
            raise ValidationError(f"data.registration: {registration!r} does not look like "
                                  "'TTH-90123-TS' (AAA-99999-AA)")
    for name, max_len in _TEXTS:
        value = get(name)
        if value is not None and (value.__class__ is not str or len(value) > max_len):
            as_str(data, name, required=False, max_len=max_len)
    return out


_TEXTS = (("name", 100), ("home_port", 100), ("status", 40))


def key_of(data: dict) -> str:
    return data[KEY_FIELD]


#: ``fix_time`` is the report's ``time`` (a state row's own ``time`` column is the event's).
COLUMNS: dict[str, type] = {
    "name": str, "registration": str, "lat": float, "long": float, "sog": float, "cog": float,
    "fix_time": str, "length_m": float, "home_port": str, "status": str, "zone": str,
}
INDEXES: list[tuple[str, ...]] = [("status",), ("home_port",), ("fix_time",), ("zone",)]


def to_row(key: str, data: dict) -> dict:
    """Columns of a validated report; ``zone`` is derived from ``length_m``."""
    get = data.get
    return {
        "name": get("name"), "registration": get("registration"),
        "lat": get("lat"), "long": get("long"), "sog": get("sog"), "cog": get("cog"),
        "fix_time": to_local_time(get("time")), "length_m": get("length_m"),
        "home_port": get("home_port"), "status": get("status"),
        "zone": zone_for_length(get("length_m")),
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
