"""The ``ecard`` topic: e-card / e-ticket counts per visitor site (the Imperial City,
the royal tombs, …) from the ticket validators.

Key: ``site_id``.  One record is one site's running tally for one counting period;
a site re-reports it (at least every minute, a heartbeat even when nothing changed)
while the period lasts, then moves on to the next period.  The state holds each
site's newest period; earlier periods stay in the events log (the model,
:mod:`plugins.ecard.model`, reads today's back from it for its totals and trend).

Rules (a ValidationError names the field):

* ``site_id``: non-empty text ≤64; ``site``: the site's name, text ≤200.
* ``period``: the counting period, either a **day** ``YYYY-MM-DD`` (local date) or an
  **hour** given by its start, an RFC 3339 time with offset on the hour
  (``2026-11-23T09:00:00+07:00``; ``…T09:00+07:00`` without seconds is accepted too).
* ``issued``: e-tickets / e-cards issued *for entry in* the period (sold at the
  counter or online, free passes included); ``used``: of those, validated at the gate.
  Whole numbers ≥ 0 and **used ≤ issued**: a ticket cannot be used before it exists,
  so ``used > issued`` is a counting glitch and the record is refused
  ("data.used: 130 is more than issued (120)").  Visitors = ``used``.
* ``revenue_vnd``: money taken for the period's tickets, đồng, a number ≥ 0.
* Optional ``lat``/``long`` (WGS 84, both or neither, not 0,0) and ``updated``
  (RFC 3339 with offset: when the validator reported; a site whose reports stop
  raises the silent-validator alarm, :mod:`plugins.ecard.rules`).  Unknown fields are kept; text is stored as sent.
"""
from __future__ import annotations

import re
from datetime import date, datetime

from ioc_desktop.figures import as_count, not_more_than
from ioc_desktop.interop import VN_TZ, to_local_time
from ioc_desktop.plugin_api import (TopicSpec, ValidationError, as_id, as_latlon, as_number,
                                   as_payload, as_str, as_time)

TOPIC = "ecard"
KEY_FIELD = "site_id"

MAX_REVENUE_VND = 1e13
DAY, HOUR = "day", "hour"
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_period(text: str) -> tuple[str, datetime]:
    """``(DAY or HOUR, start as an aware datetime)`` of a period text; ValueError if
    it is neither a date nor an RFC 3339 time with offset on the hour."""
    if _DAY.fullmatch(text):
        d = date.fromisoformat(text)
        return DAY, datetime(d.year, d.month, d.day, tzinfo=VN_TZ)
    if len(text) < 16 or text[10] not in "Tt":
        raise ValueError("not a date or a time")
    start = datetime.fromisoformat(text.replace("Z", "+00:00").replace("t", "T"))
    if start.tzinfo is None:
        raise ValueError("no UTC offset")
    if start.minute or start.second or start.microsecond:
        raise ValueError("not on the hour")
    return HOUR, start


def period_span(kind: str, start: datetime) -> tuple[float, float]:
    """``(start, end)`` of a period, epoch seconds."""
    t0 = start.timestamp()
    return t0, t0 + (86400.0 if kind == DAY else 3600.0)


def validate(data: dict) -> dict:
    """A normalised copy of a site's tally, or ValidationError with the reason."""
    out = as_payload(data)
    site_id = as_id(data, "site_id")
    as_str(data, "site", max_len=200)
    period = as_str(data, "period", max_len=64)
    try:
        parse_period(period)
    except ValueError as exc:
        raise ValidationError(f"data.period: {period[:40]!r} is not a day (YYYY-MM-DD) or an "
                              f"hour start (RFC 3339 on the hour): {exc}") from None
    issued = out["issued"] = as_count(data, "issued")
    used = out["used"] = as_count(data, "used")
    not_more_than("used", used, "issued", issued)
    out["revenue_vnd"] = as_number(data, "revenue_vnd", lo=0.0, hi=MAX_REVENUE_VND)
    position = as_latlon(data, required=False)
    if position is not None:
        out["lat"], out["long"] = position
    as_time(data, "updated", required=False)
    return out


def key_of(data: dict) -> str:
    return data[KEY_FIELD]


# --------------------------------------------------------------------------- rows
#: ``period_kind`` is "day" or "hour"; ``period_start`` the period's start as local
#: RFC 3339 text (sortable), ``period`` as sent.
COLUMNS: dict[str, type] = {
    "site": str, "period": str, "period_kind": str, "period_start": str, "issued": int,
    "used": int, "revenue_vnd": float, "lat": float, "long": float, "updated": str,
}
INDEXES: list[tuple[str, ...]] = [("period_start",), ("site",)]


def to_row(key: str, data: dict) -> dict:
    get = data.get
    kind, start = parse_period(get("period"))
    return {
        "site": get("site"), "period": get("period"), "period_kind": kind,
        "period_start": start.astimezone(VN_TZ).isoformat(timespec="seconds"),
        "issued": get("issued"), "used": get("used"), "revenue_vnd": get("revenue_vnd"),
        "lat": get("lat"), "long": get("long"), "updated": to_local_time(get("updated")),
    }


#: The log's index of each site's tallies by counting period (a partial index: the
#: e-tickets' upserts only), so that the model's history at start and at any review
#: moment is a few thousand index seeks rather than a day of the log decoded
#: (:meth:`plugins.ecard.model.EcardModel.read_history`).
HISTORY_INDEX = "events_ecard_period"
PERIOD_OF_DATA = "json_extract(data, '$.period')"


def install_history_index(conn) -> None:
    """Idempotent; on a cache made before it, built once (about 2 s per 100,000 tallies
    in the log, in the writer's schema transaction)."""
    conn.execute(f"CREATE INDEX IF NOT EXISTS {HISTORY_INDEX} ON events(key, {PERIOD_OF_DATA}, seq) "
                 f"WHERE topic = '{TOPIC}' AND op = 'upsert'")


SPEC = TopicSpec(
    name=TOPIC,
    key_field=KEY_FIELD,
    validate=validate,
    columns=COLUMNS,
    to_row=to_row,
    indexes=INDEXES,
    setup=install_history_index,
    # Validators report at least every minute (a heartbeat when nobody comes through):
    # five minutes without any site reporting is stale.
    stale_after_s=300.0,
)

__all__ = ["TOPIC", "KEY_FIELD", "SPEC", "HISTORY_INDEX", "PERIOD_OF_DATA", "install_history_index", "validate", "key_of", "parse_period", "period_span",
           "DAY", "HOUR"]
