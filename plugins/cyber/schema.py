"""The ``cyber`` topic: information-security events (giám sát an toàn thông tin mạng).

Key: ``event_id``.  Rules (a ValidationError names the field):

* ``event_id``: non-empty text ≤64.
* ``time``: RFC 3339 with offset, required (when the event was first detected).
* ``severity``: one of :data:`SEVERITIES` (``low``, ``medium``, ``high``, ``critical``).
* ``category``: an identifier, ``[a-z][a-z0-9_-]*`` up to 40 characters.  The known ones
  (:data:`CATEGORIES`: malware, phishing, ddos, intrusion_attempt, web_defacement,
  brute_force, data_leak, …) are labelled by the panel; other identifiers are accepted
  and shown as sent (a SOC adds categories over time).
* ``source_ip``: an IPv4 or IPv6 address (checked with :mod:`ipaddress`), normalised to
  its canonical text (``2001:DB8:0::1`` -> ``2001:db8::1``).
* ``target_system``: non-empty text ≤200 (the provincial system attacked).
* ``status``: one of :data:`STATUSES` (``new``, ``investigating``, ``contained``,
  ``resolved``, ``false_positive``).  **Open** = ``new`` or ``investigating``: not yet
  contained, what the panel counts and alarms on.
* Optional: ``last_seen``/``updated`` (RFC 3339), ``count`` (whole number ≥1: how many
  times the detector saw it), ``dest_port`` (0…65535), ``description`` (≤4000),
  ``detector`` (≤200).
* Hostile text is valid text (escaping is the views' job).  Unknown fields are kept.
"""
from __future__ import annotations

import ipaddress
import re
from functools import lru_cache

from ioc_desktop.interop import to_local_time
from ioc_desktop.plugin_api import TopicSpec, ValidationError, as_number, as_str, as_time

TOPIC = "cyber"
KEY_FIELD = "event_id"

SEVERITIES = ("low", "medium", "high", "critical")
SEVERITY_RANK = {s: i + 1 for i, s in enumerate(SEVERITIES)}
STATUSES = ("new", "investigating", "contained", "resolved", "false_positive")
OPEN_STATUSES = ("new", "investigating")
CATEGORIES = ("malware", "phishing", "ddos", "intrusion_attempt", "web_defacement",
              "brute_force", "data_leak", "ransomware", "unauthorized_access",
              "vulnerability_scan")
CATEGORY = re.compile(r"[a-z][a-z0-9_\-]{0,39}")

MAX_LEN = {"event_id": 64, "target_system": 200, "description": 4000, "detector": 200,
           "source_ip": 64}
MAX_COUNT = 1_000_000_000


def is_open(status: str | None) -> bool:
    return status in OPEN_STATUSES


def _nonempty(data: dict, name: str) -> str:
    value = as_str(data, name, max_len=MAX_LEN[name])
    if not value.strip():
        raise ValidationError(f"data.{name}: must not be empty")
    return value


@lru_cache(maxsize=8192)
def canonical_ip(text: str) -> str | None:
    """The canonical text of an IPv4/IPv6 address, or None.  Cached: the same attackers
    come back again and again, and parsing an IPv6 address costs ~10 µs."""
    try:
        return str(ipaddress.ip_address(text.strip()))
    except ValueError:
        return None


def _ip(data: dict, name: str) -> str:
    text = as_str(data, name, max_len=MAX_LEN[name])
    ip = canonical_ip(text)
    if ip is None:
        raise ValidationError(f"data.{name}: {text[:45]!r} is not an IPv4 or IPv6 address")
    return ip


def validate(data: dict) -> dict:
    """A normalised copy of a security event, or ValidationError with the reason."""
    if not isinstance(data, dict):
        raise ValidationError(f"data: expected an object, got {type(data).__name__}")
    _nonempty(data, "event_id")
    as_time(data, "time")
    as_str(data, "severity", max_len=20, choices=SEVERITIES)
    category = as_str(data, "category", max_len=40)
    if not CATEGORY.fullmatch(category):
        raise ValidationError(f"data.category: {category[:40]!r} is not an identifier "
                              "(lower-case letters, digits, _ or -, starting with a letter)")
    ip = _ip(data, "source_ip")
    _nonempty(data, "target_system")
    as_str(data, "status", max_len=20, choices=STATUSES)
    as_time(data, "last_seen", required=False)
    as_time(data, "updated", required=False)
    count = as_number(data, "count", required=False, lo=1, hi=MAX_COUNT)
    if count is not None and not count.is_integer():
        raise ValidationError(f"data.count: expected a whole number, got {count}")
    port = as_number(data, "dest_port", required=False, lo=0, hi=65535)
    if port is not None and not port.is_integer():
        raise ValidationError(f"data.dest_port: expected a whole number, got {port}")
    as_str(data, "description", required=False, max_len=MAX_LEN["description"])
    as_str(data, "detector", required=False, max_len=MAX_LEN["detector"])
    if ip != data["source_ip"]:
        data = dict(data)
        data["source_ip"] = ip
    return data


def key_of(data: dict) -> str:
    return data[KEY_FIELD]


#: ``event_time`` is the event's ``time`` (a state row's own ``time`` column is the feed
#: event's), normalised to ``YYYY-MM-DDTHH:MM:SS+07:00``; ``severity_rank`` 1…4 sorts by
#: severity; ``open`` is 1 for new/investigating events.
COLUMNS: dict[str, type] = {
    "event_time": str, "severity": str, "severity_rank": int, "category": str,
    "source_ip": str, "target_system": str, "status": str, "open": int, "count": int,
}
INDEXES: list[tuple[str, ...]] = [("event_time",), ("open", "severity_rank"), ("status",),
                                  ("category",), ("source_ip",)]


def to_row(key: str, data: dict) -> dict:
    get = data.get
    count = get("count")
    return {
        "event_time": to_local_time(get("time")), "severity": get("severity"),
        "severity_rank": SEVERITY_RANK.get(get("severity"), 0), "category": get("category"),
        "source_ip": get("source_ip"), "target_system": get("target_system"),
        "status": get("status"), "open": 1 if is_open(get("status")) else 0,
        "count": None if count is None else int(count),
    }


SPEC = TopicSpec(
    name=TOPIC,
    key_field=KEY_FIELD,
    validate=validate,
    columns=COLUMNS,
    to_row=to_row,
    indexes=INDEXES,
    # The SOC's sensors report (low-severity events, status changes) every few minutes;
    # ten quiet minutes mean the SIEM link is down.
    stale_after_s=600.0,
)
