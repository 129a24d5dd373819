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
  JSON only, never a column (nor a word of ``search_text``).
* Dispatch fields (:mod:`plugins.reports.workflow` writes them): ``history`` a list
  (≤ :data:`MAX_HISTORY`) of objects with ``action`` (≤64), ``by`` (≤200) and ``at``
  (RFC 3339) text, whose other values are text (≤4,000), numbers, booleans or null (a
  ``reporter`` in an entry is checked like the report's); ``merged_into`` a report key
  (not its own); ``merged_from`` a list of keys; ``process`` ``timed``/``immediate``.
* Times (the report's and the history's) lie between the years 1900 and 9000, so that
  deadlines computed from them exist.
* Text lengths: see :data:`MAX_LEN`.  Hostile text is valid text: escaping is the
  views' job.  Unknown fields are kept.
"""
from __future__ import annotations


from ioc_desktop.interop import to_local_time
from ioc_desktop.interop.open311 import CLOSED_IOC_STATUSES, derive_ioc_status
from ioc_desktop.plugin_api import (TopicSpec, ValidationError, as_latlon, as_list, as_object,
                                   as_payload, as_str, as_time)

from . import workflow
from .queue_query import dispatch_columns, install_search_index

TOPIC = "reports"
KEY_FIELD = "service_request_id"

STATUSES = ("open", "closed")
IOC_STATUSES = ("received", "verified", "assigned", "in_progress", "resolved", "closed", "rejected")
PRIORITIES = ("normal", "high", "urgent")
PROCESSES = ("timed", "immediate")
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
    "merged_into": 64, "history.action": 64, "history.by": 200, "history.text": 4_000,
}
#: Entries of ``history`` / keys of ``merged_from`` at most.
MAX_HISTORY = 5_000
#: Length of the description copy in the state table (the whole text is in ``data``).
DESCRIPTION_COLUMN_LEN = 200


def _nonempty(data: dict, name: str) -> str:
    value = as_str(data, name, max_len=MAX_LEN[name])
    if not value.strip():
        raise ValidationError(f"data.{name}: must not be empty")
    return value


def _in(path: str, check, *args, **kwargs):
    """``check(*args, **kwargs)`` with its reasons naming ``path`` rather than ``data``."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        if path == "data":
            raise
        raise ValidationError(str(exc).replace("data.", f"{path}.", 1)) from None


def _time(data: dict, name: str, *, required: bool = True, path: str = "data") -> None:
    _in(path, as_time, data, name, required=required)     # as_time checks the year range


def _reporter(data: dict, path: str) -> None:
    reporter = as_object(data, "reporter", required=False)
    if reporter is None:
        return
    for name in ("name", "phone"):
        value = reporter.get(name)
        if value is not None and not isinstance(value, str):
            raise ValidationError(f"{path}.reporter.{name}: expected text, got {type(value).__name__}")
        if value is not None and len(value) > MAX_LEN[f"reporter.{name}"]:
            raise ValidationError(f"{path}.reporter.{name}: text longer than "
                                  f"{MAX_LEN['reporter.' + name]} characters")


def _history(data: dict) -> None:
    history = as_list(data, "history", required=False, max_items=MAX_HISTORY)
    for i, entry in enumerate(history or ()):
        path = f"data.history[{i}]"
        if not isinstance(entry, dict):
            raise ValidationError(f"{path}: expected an object, got {type(entry).__name__}")
        _in(path, as_str, entry, "action", max_len=MAX_LEN["history.action"])
        _in(path, as_str, entry, "by", max_len=MAX_LEN["history.by"])
        _time(entry, "at", path=path)
        for name, value in entry.items():
            if name == "reporter":
                _reporter(entry, path)
            elif isinstance(value, str):
                if len(value) > MAX_LEN["history.text"]:
                    raise ValidationError(f"{path}.{name}: text longer than "
                                          f"{MAX_LEN['history.text']} characters")
            elif value is not None and not isinstance(value, (bool, int, float)):
                raise ValidationError(f"{path}.{name}: expected text, a number or a boolean, "
                                      f"got {type(value).__name__}")


def _merge_links(data: dict) -> None:
    into = as_str(data, "merged_into", required=False, max_len=MAX_LEN["merged_into"])
    if into is not None and (not into.strip() or into == data.get(KEY_FIELD)):
        raise ValidationError("data.merged_into: must be another report's key")
    merged_from = as_list(data, "merged_from", required=False, max_items=MAX_HISTORY)
    for i, key in enumerate(merged_from or ()):
        if not isinstance(key, str) or not key.strip() or len(key) > MAX_LEN[KEY_FIELD]:
            raise ValidationError(f"data.merged_from[{i}]: expected a report key "
                                  f"(text of 1 to {MAX_LEN[KEY_FIELD]} characters)")


def validate(data: dict) -> dict:
    """A normalised copy of a report, or ValidationError with the reason."""
    out = as_payload(data)
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

    _time(data, "requested_datetime")
    _time(data, "updated_datetime", required=False)
    _time(data, "expected_datetime", required=False)

    url = as_str(data, "media_url", required=False, max_len=MAX_LEN["media_url"])
    if url and not url.strip().lower().startswith(("http://", "https://")):
        raise ValidationError(f"data.media_url: {url[:40]!r} is not an http(s) address")
    as_str(data, "channel", required=False, max_len=MAX_LEN["channel"])
    if as_str(data, "priority", required=False, choices=PRIORITIES) is None:
        out["priority"] = "normal"

    _reporter(data, "data")
    as_str(data, "process", required=False, choices=PROCESSES)
    _merge_links(data)
    _history(data)
    return out


def key_of(data: dict) -> str:
    return data[KEY_FIELD]


COLUMNS: dict[str, type] = {
    "service_code": str, "service_name": str, "status": str, "ioc_status": str, "priority": str,
    "lat": float, "long": float, "address": str, "commune": str, "legacy_district": str,
    "agency_responsible": str, "requested_datetime": str, "updated_datetime": str,
    "expected_datetime": str, "channel": str, "description": str,
    # the dispatch queue's (plugins.reports.queue_query.dispatch_columns)
    "search_text": str, "process": str, "verify_due": str, "assign_due": str,
    "verified_at": str, "assigned_at": str, "resolved_at": str, "merged_into": str,
    "sla_due": str, "sla_soon": str, "priority_rank": int,
}

#: The queue's filters and sorts, at a million reports (bench/queue_scale.py):
#: each filter column leads an index that continues with the default order
#: (requested_datetime, key), so "filter = x ORDER BY newest LIMIT 200" reads 200 index
#: entries, and ends with the other filter columns, so that a combination
#: (category + commune, status + agency…) is tested and counted in the index without
#: reading the table's rows (a report's row is ~2.5 KB: one per page).  The sorts of
#: queue_query.SORTS each have theirs; the SLA states are ranges of sla_due / sla_soon;
#: (service_code, lat, long) is the duplicate finder's box.
FILTER_COLUMNS = ("ioc_status", "service_code", "commune", "agency_responsible", "priority_rank")
_ORDER = ("requested_datetime", "key")
INDEXES: list[tuple[str, ...]] = [
    _ORDER,
    *[(c, *_ORDER, *(o for o in FILTER_COLUMNS if o != c)) for c in FILTER_COLUMNS],
    ("sla_due", *_ORDER),
    ("sla_soon", "sla_due"),
    ("service_code", "lat", "long"),
]


def to_row(key: str, data: dict) -> dict:
    """State-table columns of a validated report.

    Times are normalised to ``…+07:00`` at whole seconds (text order = time order); the
    description is a short copy; the reporter is never a column.  The dispatch columns
    (SLA clocks, search words…) come from
    :func:`plugins.reports.queue_query.dispatch_columns`; ``expected_datetime`` is
    the resolve clock's due: the report's own, or when it has none (not yet assigned)
    the default deadline of its category and process.
    """
    get = data.get
    description = get("description")
    row = {
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
    row.update(dispatch_columns(data))
    return row


SPEC = TopicSpec(
    name=TOPIC,
    key_field=KEY_FIELD,
    validate=validate,
    columns=COLUMNS,
    to_row=to_row,
    indexes=INDEXES,
    # free text in the queue goes through an FTS5 index of search_text (1M reports:
    # ~20 ms instead of ~1.3 s with LIKE; bench/queue_scale.py)
    setup=install_search_index,
    # Reports come when citizens send them: a quarter of an hour of quiet can be normal.
    stale_after_s=900.0,
    # the dispatch workflow: applied by the backend, checked before queuing; agencies
    # never see the reporter
    actions=workflow.TOPIC_ACTIONS,
)
