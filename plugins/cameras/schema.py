"""The ``cameras`` topic: one urban camera's status, latest snapshot and analytic detection.

Key: ``camera_id``.  Rules (a ValidationError names the field):

* ``camera_id``: non-empty text ≤64.  ``name``: optional text ≤200.
* ``lat``/``long``: required, WGS 84, not 0,0.  ``online``: required true/false.
* ``snapshot_url``: optional text ≤2000, a path on the backend (``/media/cameras/x.png?v=3``)
  or an ``http``/``https`` URL; other schemes (``javascript:``, ``file:``…), spaces and
  control characters are refused.  (Which host may be contacted is decided when the
  image is fetched: :mod:`ioc_desktop.media` only talks to the backend.)  A new ``?v=``
  means a new picture.
* ``detection``: null (nothing detected) or an object ``{kind, confidence, time}``:
  ``kind`` an identifier ``^[a-z][a-z0-9_]{0,39}$`` (known: :data:`KINDS`; others are
  accepted), ``confidence`` a number 0…1, ``time`` RFC 3339 with offset (when the
  detection started).  Extra detection fields (e.g. a bounding box) are kept.
* Unknown fields are kept.
"""
from __future__ import annotations

import re

from ioc_desktop.interop import to_local_time
from ioc_desktop.plugin_api import (TopicSpec, check_url, ValidationError, as_bool, as_id, as_latlon,
                                   as_number, as_object, as_payload, as_str, as_time)

TOPIC = "cameras"
KEY_FIELD = "camera_id"

FLOODED_STREET, CROWD, TRAFFIC_VIOLATION = "flooded_street", "crowd", "traffic_violation"
KINDS = (FLOODED_STREET, CROWD, TRAFFIC_VIOLATION)
#: A flooded street seen with at least this confidence raises the wall alarm.
FLOOD_ALARM_CONFIDENCE = 0.7

_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _nested(path: str, fn, *args, **kwargs):
    """Run a plugin_api accessor on a nested object, naming the nested field on failure."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        text = str(exc)
        raise ValidationError(text.replace("data.", f"data.{path}.", 1)) from None


def validate_detection(value) -> dict | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ValidationError(f"data.detection: expected an object or null, got {type(value).__name__}")
    kind = _nested("detection", as_str, value, "kind", max_len=40)
    if not _KIND.fullmatch(kind):
        raise ValidationError(f"data.detection.kind: {kind[:40]!r} is not an identifier "
                              f"(known: {', '.join(KINDS)})")
    out = dict(value)
    out["confidence"] = _nested("detection", as_number, value, "confidence", lo=0.0, hi=1.0)
    _nested("detection", as_time, value, "time")
    return out


def validate_snapshot_url(url: str) -> None:
    if not url.strip():
        raise ValidationError("data.snapshot_url: empty (leave it out when there is no snapshot)")
    check_url(url, "snapshot_url", backend_path=True)


def validate(data: dict) -> dict:
    """A normalised copy of a camera report, or ValidationError with the reason."""
    out = as_payload(data)
    camera_id = as_id(data, "camera_id")
    as_str(data, "name", required=False, max_len=200)
    out["lat"], out["long"] = as_latlon(data)
    as_bool(data, "online")
    url = as_str(data, "snapshot_url", required=False, max_len=2000)
    if url is not None:
        validate_snapshot_url(url)
    if "detection" in data:
        out["detection"] = validate_detection(data["detection"])
    return out


def key_of(data: dict) -> str:
    return data[KEY_FIELD]


def detection_of(data: dict) -> dict | None:
    """The camera's current detection (validated), or None."""
    det = data.get("detection")
    return det if isinstance(det, dict) else None


def is_flood_alarm(data: dict) -> bool:
    det = detection_of(data)
    return bool(det and det.get("kind") == FLOODED_STREET
                and (det.get("confidence") or 0.0) >= FLOOD_ALARM_CONFIDENCE)


COLUMNS: dict[str, type] = {
    "name": str, "lat": float, "long": float, "online": int, "snapshot_url": str,
    "detection_kind": str, "detection_confidence": float, "detection_time": str,
}
INDEXES: list[tuple[str, ...]] = [("online",), ("detection_kind",), ("detection_time",)]


def to_row(key: str, data: dict) -> dict:
    det = detection_of(data) or {}
    return {
        "name": data.get("name"), "lat": data.get("lat"), "long": data.get("long"),
        "online": 1 if data.get("online") else 0, "snapshot_url": data.get("snapshot_url"),
        "detection_kind": det.get("kind"), "detection_confidence": det.get("confidence"),
        "detection_time": to_local_time(det.get("time")),
    }


SPEC = TopicSpec(
    name=TOPIC,
    key_field=KEY_FIELD,
    validate=validate,
    columns=COLUMNS,
    to_row=to_row,
    indexes=INDEXES,
    # A camera gateway reports every camera's status at least once a minute or so.
    stale_after_s=180.0,
)
