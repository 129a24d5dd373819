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
from ioc_desktop.plugin_api import TopicSpec, ValidationError, as_latlon, as_number, as_str, as_time

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
    """A normalised copy of a position report, or ValidationError with the reason."""
    if not isinstance(data, dict):
        raise ValidationError(f"data: expected an object, got {type(data).__name__}")
    out = dict(data)
    vessel_id = as_str(data, "vessel_id", max_len=64)
    if not vessel_id.strip():
        raise ValidationError("data.vessel_id: must not be empty")
    out["lat"], out["long"] = as_latlon(data)
    as_time(data, "time")
    sog = as_number(data, "sog", required=False, lo=0.0, hi=60.0)
    if sog is not None:
        out["sog"] = sog
    cog = as_number(data, "cog", required=False, lo=0.0, hi=360.0)
    if cog is not None:
        out["cog"] = None if cog == COG_NOT_AVAILABLE else cog
    length = as_number(data, "length_m", required=False, lo=1.0, hi=200.0)
    if length is not None:
        out["length_m"] = length
    registration = as_str(data, "registration", required=False, max_len=16)
    if registration is not None and not REGISTRATION.fullmatch(registration):
        raise ValidationError(f"data.registration: {registration!r} does not look like "
                              "'TTH-90123-TS' (AAA-99999-AA)")
    as_str(data, "name", required=False, max_len=100)
    as_str(data, "home_port", required=False, max_len=100)
    as_str(data, "status", required=False, max_len=40)
    return out


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
