"""The ``ads`` topic: one LED billboard's status, what it shows, and compliance violations.

Key: ``screen_id``.  Rules (a ValidationError names the field):

* ``screen_id``: non-empty text ≤64.  ``name``: optional text ≤200.
* ``lat``/``long``: required, WGS 84, not 0,0.  ``online``: required true/false.
* ``content_id``: the item on screen now, text ≤64, or null (blank / offline / unknown).
  ``content_title``: optional text ≤300 (what the item is, for the operator).
* ``since``: optional RFC 3339 with offset: when the screen went online or offline.
* ``violation``: null (compliant) or

  - an object ``{kind, detail, time, content_id}``: ``kind`` an identifier
    ``^[a-z][a-z0-9_]{0,39}$`` (known: :data:`VIOLATION_KINDS`: ``unlicensed_content``
    — not in the licensed catalogue; ``prohibited_content`` — a product or message the
    Advertising Law bans; ``schedule_breach`` — shown outside its licensed hours or
    over its licensed share of air time; others accepted), ``detail`` optional text
    ≤2000, ``time`` optional RFC 3339 (when the breach was first seen), ``content_id``
    optional text ≤64; extra fields kept;
  - or a plain, non-blank text ≤2000 (a gateway that only says what is wrong).

* Unknown fields are kept.
"""
from __future__ import annotations

import re

from ioc_desktop.interop import to_local_time
from ioc_desktop.plugin_api import (TopicSpec, ValidationError, as_bool, as_id, as_latlon,
                                   as_payload, as_str, as_time)

TOPIC = "ads"
KEY_FIELD = "screen_id"

UNLICENSED, PROHIBITED, SCHEDULE = "unlicensed_content", "prohibited_content", "schedule_breach"
VIOLATION_KINDS = (UNLICENSED, PROHIBITED, SCHEDULE)
#: The kind a plain-text violation is shown under.
OTHER = "other"

_KIND = re.compile(r"[a-z][a-z0-9_]{0,39}")


def _nested(path: str, fn, *args, **kwargs):
    """Run a plugin_api accessor on a nested object, naming the nested field on failure."""
    try:
        return fn(*args, **kwargs)
    except ValidationError as exc:
        raise ValidationError(str(exc).replace("data.", f"data.{path}.", 1)) from None


def validate_violation(value):
    if value is None:
        return None
    if isinstance(value, str):
        if not value.strip():
            raise ValidationError("data.violation: empty text (use null for no violation)")
        if len(value) > 2000:
            raise ValidationError("data.violation: text longer than 2000 characters")
        return value
    if not isinstance(value, dict):
        raise ValidationError(f"data.violation: expected null, text or an object, "
                              f"got {type(value).__name__}")
    kind = _nested("violation", as_str, value, "kind", max_len=40)
    if not _KIND.fullmatch(kind):
        raise ValidationError(f"data.violation.kind: {kind[:40]!r} is not an identifier "
                              f"(known: {', '.join(VIOLATION_KINDS)})")
    _nested("violation", as_str, value, "detail", required=False, max_len=2000)
    _nested("violation", as_time, value, "time", required=False)
    _nested("violation", as_str, value, "content_id", required=False, max_len=64)
    return dict(value)


def validate(data: dict) -> dict:
    """A normalised copy of a screen report, or ValidationError with the reason."""
    out = as_payload(data)
    screen_id = as_id(data, "screen_id")
    as_str(data, "name", required=False, max_len=200)
    out["lat"], out["long"] = as_latlon(data)
    as_bool(data, "online")
    as_str(data, "content_id", required=False, max_len=64)
    as_str(data, "content_title", required=False, max_len=300)
    as_time(data, "since", required=False)
    if "violation" in data:
        out["violation"] = validate_violation(data["violation"])
    return out


def key_of(data: dict) -> str:
    return data[KEY_FIELD]


def violation_info(data: dict) -> tuple[str, str, str | None] | None:
    """``(kind, detail, time)`` of the screen's violation (a text one is kind ``other``),
    or None when it is compliant."""
    v = data.get("violation")
    if v is None:
        return None
    if isinstance(v, str):
        return OTHER, v, None
    if isinstance(v, dict):
        return str(v.get("kind") or OTHER), str(v.get("detail") or ""), v.get("time")
    return None


COLUMNS: dict[str, type] = {
    "name": str, "lat": float, "long": float, "online": int, "content_id": str,
    "since": str, "violation_kind": str, "violation_time": str,
}
INDEXES: list[tuple[str, ...]] = [("online",), ("violation_kind",), ("content_id",)]


def to_row(key: str, data: dict) -> dict:
    info = violation_info(data)
    return {
        "name": data.get("name"), "lat": data.get("lat"), "long": data.get("long"),
        "online": 1 if data.get("online") else 0, "content_id": data.get("content_id"),
        "since": to_local_time(data.get("since")),
        "violation_kind": info[0] if info else None,
        "violation_time": to_local_time(info[2]) if info else None,
    }


SPEC = TopicSpec(
    name=TOPIC,
    key_field=KEY_FIELD,
    validate=validate,
    columns=COLUMNS,
    to_row=to_row,
    indexes=INDEXES,
    # Screen controllers report at every content change (tens of seconds) or heartbeat.
    stale_after_s=300.0,
)
