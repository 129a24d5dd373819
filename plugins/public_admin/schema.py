"""The ``public_admin`` topic: administrative-procedure dossiers (hồ sơ thủ tục hành
chính) per agency, as the province's public-service portal sums them up.

Key: ``agency_id``.  One record is one agency's running tally for ``period`` (the
demo sends the month, e.g. ``"2026-11"``, growing through the day).

Counts (non-negative whole numbers; ``12.0`` is accepted as 12, ``12.5`` is not):

* ``received`` — dossiers the agency handles in the period: received in it plus those
  carried over from the period before (so everything below is "of ``received``").
* ``resolved`` — of them, resolved (result returned).  **resolved ≤ received.**
* ``on_time`` (optional) — of the resolved, resolved on or before their deadline.
  **on_time ≤ resolved.**
* ``overdue`` — of ``received``, dossiers that passed their deadline: resolved late
  *or* still pending past due (the portal's "quá hạn").  **overdue ≤ received.**
  When ``on_time`` is given the two must agree: every late resolution is overdue
  (**resolved − on_time ≤ overdue**), and the overdue ones still pending cannot
  outnumber the pending ones (**overdue − (resolved − on_time) ≤ received − resolved**).

Shares (numbers 0…1, **not** percentages: ``45`` is refused as "above 1"):

* ``online_level3``, ``online_level4`` — share of ``received`` submitted online at
  service level 3 / level 4 (since 2023 the portal says "một phần" / "toàn trình",
  partly / fully online).  A dossier is one or the other:
  **online_level3 + online_level4 ≤ 1**.
* ``satisfaction`` — share of citizens' ratings that were "satisfied"; the field must
  be present, ``null`` meaning "no ratings yet".

Optional: ``period`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``), ``kind``
(:data:`KINDS`, or any other text ≤40), ``updated`` (RFC 3339 with offset: when the
figures last changed).  ``agency_id`` non-empty text ≤64; ``agency`` text ≤200.
Unknown fields are kept; text is stored as sent (the GUI shows it as plain text).
"""
from __future__ import annotations

import re
from datetime import date

from ioc_desktop.figures import as_count, as_share, not_more_than, ratio
from ioc_desktop.interop import to_local_time
from ioc_desktop.plugin_api import (TopicSpec, ValidationError, as_id, as_number, as_payload,
                                   as_str, as_time)

TOPIC = "public_admin"
KEY_FIELD = "agency_id"

#: Known agency kinds: provincial departments (Sở), commune-level People's Committees
#: (UBND phường/xã) and the public-administration service centre.
KINDS = ("department", "commune", "service_center")

_PERIOD = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
#: Tolerance for the shares' sum (senders round each share).
_SHARE_EPS = 1e-6


def _period(value: str) -> str:
    m = _PERIOD.fullmatch(value)
    bad = ValidationError(f"data.period: {value[:40]!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    if m is None:
        raise bad
    year, month, day = m.groups()
    if month is not None and not 1 <= int(month) <= 12:
        raise bad
    if day is not None:
        try:
            date(int(year), int(month), int(day))
        except ValueError:
            raise bad from None
    return value


def validate(data: dict) -> dict:
    """A normalised copy of an agency's tally, or ValidationError with the reason."""
    out = as_payload(data)
    agency_id = as_id(data, "agency_id")
    as_str(data, "agency", max_len=200)
    received = out["received"] = as_count(data, "received")
    resolved = out["resolved"] = as_count(data, "resolved")
    overdue = out["overdue"] = as_count(data, "overdue")
    on_time = as_count(data, "on_time", required=False)
    not_more_than("resolved", resolved, "received", received)
    not_more_than("overdue", overdue, "received", received)
    if on_time is not None:
        out["on_time"] = on_time
        not_more_than("on_time", on_time, "resolved", resolved)
        late = resolved - on_time
        if late > overdue:
            raise ValidationError(f"data.overdue: {overdue} is less than the dossiers resolved "
                                  f"late (resolved − on_time = {late})")
        pending = received - resolved
        if overdue - late > pending:
            raise ValidationError(f"data.overdue: {overdue} would be {late} resolved late + "
                                  f"{overdue - late} pending past due, but only {pending} "
                                  "are pending (received − resolved)")
    l3 = out["online_level3"] = as_share(data, "online_level3")
    l4 = out["online_level4"] = as_share(data, "online_level4")
    if l3 + l4 > 1.0 + _SHARE_EPS:
        raise ValidationError(f"data.online_level4: online_level3 + online_level4 = "
                              f"{l3 + l4:g} above 1")
    if "satisfaction" not in data:
        raise ValidationError("data.satisfaction: required field missing (null: no ratings yet)")
    satisfaction = as_number(data, "satisfaction", required=False, lo=0, hi=1)
    out["satisfaction"] = satisfaction
    period = as_str(data, "period", required=False, max_len=10)
    if period is not None:
        _period(period)
    as_str(data, "kind", required=False, max_len=40)
    as_time(data, "updated", required=False)
    return out


def key_of(data: dict) -> str:
    return data[KEY_FIELD]


# --------------------------------------------------------------------------- derived
def on_time_rate(data: dict) -> float | None:
    """Share of the resolved dossiers resolved on time (None without ``on_time``)."""
    return ratio(data.get("on_time"), data.get("resolved"))


def overdue_rate(data: dict) -> float | None:
    """Share of ``received`` that is overdue (None when nothing was received)."""
    return ratio(data.get("overdue"), data.get("received"))


def online_share(data: dict) -> float:
    return (data.get("online_level3") or 0.0) + (data.get("online_level4") or 0.0)


# --------------------------------------------------------------------------- rows
COLUMNS: dict[str, type] = {
    "agency": str, "kind": str, "period": str, "received": int, "resolved": int,
    "on_time": int, "overdue": int, "pending": int, "online_level3": float,
    "online_level4": float, "online_share": float, "satisfaction": float,
    "on_time_rate": float, "overdue_rate": float, "updated": str,
}
INDEXES: list[tuple[str, ...]] = [("kind",), ("period",), ("overdue_rate",)]


def to_row(key: str, data: dict) -> dict:
    """Columns of a validated tally; ``pending`` and the rates are derived."""
    get = data.get
    return {
        "agency": get("agency"), "kind": get("kind"), "period": get("period"),
        "received": get("received"), "resolved": get("resolved"), "on_time": get("on_time"),
        "overdue": get("overdue"), "pending": get("received") - get("resolved"),
        "online_level3": get("online_level3"), "online_level4": get("online_level4"),
        "online_share": online_share(data), "satisfaction": get("satisfaction"),
        "on_time_rate": on_time_rate(data), "overdue_rate": overdue_rate(data),
        "updated": to_local_time(get("updated")),
    }


SPEC = TopicSpec(
    name=TOPIC,
    key_field=KEY_FIELD,
    validate=validate,
    columns=COLUMNS,
    to_row=to_row,
    indexes=INDEXES,
    # The portal's gateway syncs every few minutes (the demo re-sends continuously);
    # 15 minutes without any tally is three missed syncs: stale.
    stale_after_s=900.0,
)
