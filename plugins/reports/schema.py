"""The ``reports`` topic: citizen field reports (phản ánh hiện trường).

Fields are Open311 GeoReport v2's, plus the IOC's own (``ioc_status``, ``channel``,
``priority``, ``commune``, ``legacy_district``, ``reporter``).  Key: ``service_request_id``.

Rules (a ValidationError names the field):

* ``service_request_id`` (≤64) and ``service_code`` (≤64): non-empty text.
* ``status`` ``open``/``closed`` and ``ioc_status`` (:data:`IOC_STATUSES`): at least one
  is needed; a missing one is derived from the other (an Open311 feed has no
  ``ioc_status``: ``closed`` -> ``closed``, ``open`` -> ``assigned`` when an agency is
  responsible, else ``received``).  They must agree: ``status`` is ``closed`` exactly
  when ``ioc_status`` is ``closed`` or ``rejected``.  ``resolved`` is still *open*: the
  agency reported a result that the IOC has not yet published and closed.
* ``lat``/``long`` optional (a report may carry only an address), but both or neither,
  WGS 84, not 0,0.
* ``requested_datetime`` required; ``updated_datetime``/``expected_datetime`` optional;
  all RFC 3339 with offset.
* ``priority`` ``normal``/``high``/``urgent`` (``normal`` when absent); ``channel`` one of
  :data:`CHANNELS` or any other short text (≤40; e.g. "android" from a foreign feed).
* ``media_url``: http(s) only (a view may open it).
* ``reporter``: optional ``{"name", "phone"}`` (text); confidential — kept in the data
  JSON only, never a column.
* Text lengths: see :data:`MAX_LEN`.  Hostile text is valid text: escaping is the
  views' job.  Unknown fields are kept.
"""
from __future__ import annotations

from ioc_desktop.interop import to_local_time
from ioc_desktop.interop.open311 import CLOSED_IOC_STATUSES, derive_ioc_status
from ioc_desktop.plugin_api import (TopicSpec, ValidationError, as_latlon, as_object, as_str,
                                    as_time)

TOPIC = "reports"
KEY_FIELD = "service_request_id"

STATUSES = ("open", "closed")
IOC_STATUSES = ("received", "verified", "assigned", "in_progress", "resolved", "closed", "rejected")
PRIORITIES = ("normal", "high", "urgent")
CHANNELS = ("hue_s", "web", "facebook", "hotline")

#: The IOC's report categories: service_code -> service_name.
CATEGORIES: dict[str, str] = {
    "TTXD": "trật tự xây dựng",
    "VSMT": "vệ sinh môi trường",
    "HTGT": "hạ tầng giao thông",
    "HTDT": "hạ tầng đô thị",
    "ANTT": "an ninh trật tự",
    "DVDL": "dịch vụ du lịch",
}

MAX_LEN = {
    "service_request_id": 64, "service_code": 64, "service_name": 200, "description": 10_000,
    "address": 500, "agency_responsible": 200, "status_notes": 4_000, "media_url": 2_000,
    "channel": 40, "commune": 100, "legacy_district": 100,
    "reporter.name": 200, "reporter.phone": 40,
}
#: Length of the description copy in the state table (the whole text is in ``data``).
DESCRIPTION_COLUMN_LEN = 200


def _nonempty(data: dict, name: str) -> str:
    value = as_str(data, name, max_len=MAX_LEN[name])
    if not value.strip():
        raise ValidationError(f"data.{name}: must not be empty")
    return value


def validate(data: dict) -> dict:
    """A normalised copy of a report, or ValidationError with the reason."""
    if not isinstance(data, dict):
        raise ValidationError(f"data: expected an object, got {type(data).__name__}")
    out = dict(data)
    _nonempty(data, "service_request_id")
    _nonempty(data, "service_code")
    for name in ("service_name", "description", "address", "agency_responsible",
                 "status_notes", "commune", "legacy_district"):
        as_str(data, name, required=False, max_len=MAX_LEN[name])

    status = as_str(data, "status", required=False, choices=STATUSES)
    ioc_status = as_str(data, "ioc_status", required=False, choices=IOC_STATUSES)
    if status is None and ioc_status is None:
        raise ValidationError("data.status: required field missing (status or ioc_status)")
    if ioc_status is None:
        ioc_status = derive_ioc_status(status, data.get("agency_responsible"))
        out["ioc_status"] = ioc_status
    if status is None:
        status = "closed" if ioc_status in CLOSED_IOC_STATUSES else "open"
        out["status"] = status
    if (status == "closed") != (ioc_status in CLOSED_IOC_STATUSES):
        raise ValidationError(f"data.ioc_status: {ioc_status!r} contradicts status {status!r} "
                              "(closed exactly when ioc_status is closed or rejected)")

    position = as_latlon(data, required=False)
    if position is not None:
        out["lat"], out["long"] = position

    as_time(data, "requested_datetime")
    as_time(data, "updated_datetime", required=False)
    as_time(data, "expected_datetime", required=False)

    url = as_str(data, "media_url", required=False, max_len=MAX_LEN["media_url"])
    if url and not url.strip().lower().startswith(("http://", "https://")):
        raise ValidationError(f"data.media_url: {url[:40]!r} is not an http(s) address")
    as_str(data, "channel", required=False, max_len=MAX_LEN["channel"])
    if as_str(data, "priority", required=False, choices=PRIORITIES) is None:
        out["priority"] = "normal"

    reporter = as_object(data, "reporter", required=False)
    if reporter is not None:
        for name in ("name", "phone"):
            value = reporter.get(name)
            if value is not None and not isinstance(value, str):
                raise ValidationError(f"data.reporter.{name}: expected text, got {type(value).__name__}")
            if value is not None and len(value) > MAX_LEN[f"reporter.{name}"]:
                raise ValidationError(f"data.reporter.{name}: text longer than "
                                      f"{MAX_LEN['reporter.' + name]} characters")
    return out


def key_of(data: dict) -> str:
    return data[KEY_FIELD]


COLUMNS: dict[str, type] = {
    "service_code": str, "service_name": str, "status": str, "ioc_status": str, "priority": str,
    "lat": float, "long": float, "address": str, "commune": str, "legacy_district": str,
    "agency_responsible": str, "requested_datetime": str, "updated_datetime": str,
    "expected_datetime": str, "channel": str, "description": str,
}

INDEXES: list[tuple[str, ...]] = [
    ("ioc_status",), ("status", "expected_datetime"), ("service_code",), ("priority",),
    ("commune",), ("agency_responsible",), ("requested_datetime",), ("channel",),
]


def to_row(key: str, data: dict) -> dict:
    """State-table columns of a validated report.

    Times are normalised to ``…+07:00`` at whole seconds (text order = time order); the
    description is a short copy; the reporter is never a column.
    """
    get = data.get
    description = get("description")
    return {
        "service_code": get("service_code"), "service_name": get("service_name"),
        "status": get("status"), "ioc_status": get("ioc_status"), "priority": get("priority"),
        "lat": get("lat"), "long": get("long"), "address": get("address"),
        "commune": get("commune"), "legacy_district": get("legacy_district"),
        "agency_responsible": get("agency_responsible"),
        "requested_datetime": to_local_time(get("requested_datetime")),
        "updated_datetime": to_local_time(get("updated_datetime")),
        "expected_datetime": to_local_time(get("expected_datetime")),
        "channel": get("channel"),
        "description": description[:DESCRIPTION_COLUMN_LEN] if description else description,
    }


SPEC = TopicSpec(
    name=TOPIC,
    key_field=KEY_FIELD,
    validate=validate,
    columns=COLUMNS,
    to_row=to_row,
    indexes=INDEXES,
    # Reports come when citizens send them: a quarter of an hour of quiet can be normal.
    stale_after_s=900.0,
)
