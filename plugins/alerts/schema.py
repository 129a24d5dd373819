"""The ``alerts`` topic: warnings as OASIS CAP 1.2 messages (one message per key).

Key: ``identifier``.  Field names are CAP's; see :mod:`ioc_desktop.interop.cap` for the
shapes (repeatable elements are lists).  Rules (a ValidationError names the field,
e.g. ``data.info[0].area[1].polygon[0]: …``):

* ``identifier``, ``sender``: non-empty text ≤256 without whitespace, ',' '<' or '&'.
* ``sent``: RFC 3339 with offset.  ``status`` Actual/Exercise/System/Test/Draft,
  ``msgType`` Alert/Update/Cancel/Ack/Error, ``scope`` Public/Restricted/Private.
* ``references``: optional, "sender,identifier,sent" triples separated by whitespace.
  ``code``: text or list of text (normalised to a list).
* ``info``: a list (≤32) of objects; at least one for ``Alert`` and ``Update``.
  Each: ``category`` (CAP's 12, text or list -> list, ≥1), ``event`` (≤500),
  ``urgency`` Immediate/Expected/Future/Past/Unknown, ``severity``
  Extreme/Severe/Moderate/Minor/Unknown, ``certainty`` Observed/Likely/Possible/
  Unlikely/Unknown, optional ``responseType`` (CAP's, -> list), ``effective``/``onset``/
  ``expires`` (times), ``headline`` (≤500), ``description``/``instruction`` (≤20000),
  ``language``, ``senderName``, ``web``, ``contact``, ``audience`` (text);
  ``eventCode``/``parameter``: lists of ``{valueName, value}`` text pairs;
  ``resource``: list of objects; ``area``: list (≤64) of objects.
* ``area``: ``areaDesc`` required (≤2000); ``polygon``/``circle``: a text or a list of
  texts (normalised to lists, ≤100 each), every one parsed by
  :func:`~ioc_desktop.interop.cap.parse_polygon` / ``parse_circle``; ``geocode`` like
  ``parameter``; ``altitude``/``ceiling`` numbers (``ceiling`` needs ``altitude``).
* Times are accepted as any RFC 3339 with offset (CAP itself forbids "Z" and fractions;
  real feeds send them).  Hostile text is valid text.  Unknown fields are kept.
"""
from __future__ import annotations

import re

from ioc_desktop.interop import to_local_time
from ioc_desktop.interop.cap import parse_circle, parse_polygon, parse_references
from ioc_desktop.plugin_api import (TopicSpec, ValidationError, as_list, as_number, as_payload,
                                   as_str, as_time)

TOPIC = "alerts"
KEY_FIELD = "identifier"

STATUSES = ("Actual", "Exercise", "System", "Test", "Draft")
MSG_TYPES = ("Alert", "Update", "Cancel", "Ack", "Error")
SCOPES = ("Public", "Restricted", "Private")
CATEGORIES = ("Geo", "Met", "Safety", "Security", "Rescue", "Fire", "Health", "Env",
              "Transport", "Infra", "CBRNE", "Other")
RESPONSE_TYPES = ("Shelter", "Evacuate", "Prepare", "Execute", "Avoid", "Monitor", "Assess",
                  "AllClear", "None")
#: Most to least: used to pick the headline figures of a message.
URGENCIES = ("Immediate", "Expected", "Future", "Past", "Unknown")
SEVERITIES = ("Extreme", "Severe", "Moderate", "Minor", "Unknown")
CERTAINTIES = ("Observed", "Likely", "Possible", "Unlikely", "Unknown")

MAX_INFOS, MAX_AREAS, MAX_SHAPES = 32, 64, 100
MAX_SHAPE_TEXT = 200_000
_CAP_ID = re.compile(r"[^\s,<&]{1,256}")
_PAIR_LIST_FIELDS = ("eventCode", "parameter")
_TEXT_FIELDS = {"language": 35, "senderName": 500, "headline": 500, "description": 20_000,
                "instruction": 20_000, "web": 2_000, "contact": 500, "audience": 500}


class _At:
    """Prefix the reasons raised inside a nested object with its path."""

    def __init__(self, path: str):
        self.path = path

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is ValidationError:
            text = str(exc)
            if text.startswith("data."):
                text = "." + text[len("data."):]
            elif text.startswith("data"):
                text = text[len("data"):]
            raise ValidationError(f"{self.path}{text}") from None
        return False


def _cap_id(data: dict, name: str) -> str:
    value = as_str(data, name, max_len=256)
    if not _CAP_ID.fullmatch(value):
        raise ValidationError(f"data.{name}: {value[:40]!r} must be non-empty without spaces, "
                              "commas, '<' or '&'")
    return value


def _text_list(data: dict, name: str, *, choices=None, required=False, max_items=MAX_SHAPES,
               max_len=MAX_SHAPE_TEXT) -> list[str] | None:
    """A CAP repeatable text element given as one text or a list of texts -> list."""
    value = data.get(name)
    if value is None:
        if required:
            raise ValidationError(f"data.{name}: required field missing")
        return None
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise ValidationError(f"data.{name}: expected text or a list of texts, "
                              f"got {type(value).__name__}")
    if required and not items:
        raise ValidationError(f"data.{name}: empty list")
    if len(items) > max_items:
        raise ValidationError(f"data.{name}: more than {max_items} items")
    for i, item in enumerate(items):
        if not isinstance(item, str):
            raise ValidationError(f"data.{name}[{i}]: expected text, got {type(item).__name__}")
        if len(item) > max_len:
            raise ValidationError(f"data.{name}[{i}]: text longer than {max_len} characters")
        if choices is not None and item not in choices:
            raise ValidationError(f"data.{name}[{i}]: {item[:40]!r} is not one of {sorted(choices)}")
    return list(items)


def _pairs(data: dict, name: str) -> None:
    items = as_list(data, name, required=False, max_items=1_000)
    for i, item in enumerate(items or ()):
        if not isinstance(item, dict):
            raise ValidationError(f"data.{name}[{i}]: expected an object, got {type(item).__name__}")
        for part in ("valueName", "value"):
            if not isinstance(item.get(part), str):
                raise ValidationError(f"data.{name}[{i}].{part}: expected text")


def _area(area) -> dict:
    if not isinstance(area, dict):
        raise ValidationError(f"data: expected an object, got {type(area).__name__}")
    out = dict(area)
    as_str(area, "areaDesc", max_len=2_000)
    for name, parse in (("polygon", parse_polygon), ("circle", parse_circle)):
        shapes = _text_list(area, name)
        if shapes is None:
            continue
        for i, text in enumerate(shapes):
            try:
                parse(text)
            except ValueError as exc:
                raise ValidationError(f"data.{name}[{i}]: {exc}") from None
        out[name] = shapes
    _pairs(area, "geocode")
    altitude = as_number(area, "altitude", required=False)
    ceiling = as_number(area, "ceiling", required=False)
    if ceiling is not None and altitude is None:
        raise ValidationError("data.ceiling: given without altitude")
    if altitude is not None:
        out["altitude"] = altitude
    if ceiling is not None:
        out["ceiling"] = ceiling
    return out


def _info(info) -> dict:
    if not isinstance(info, dict):
        raise ValidationError(f"data: expected an object, got {type(info).__name__}")
    out = dict(info)
    out["category"] = _text_list(info, "category", choices=CATEGORIES, required=True,
                                 max_items=len(CATEGORIES), max_len=16)
    as_str(info, "event", max_len=500)
    rt = _text_list(info, "responseType", choices=RESPONSE_TYPES, max_items=len(RESPONSE_TYPES),
                    max_len=16)
    if rt is not None:
        out["responseType"] = rt
    as_str(info, "urgency", choices=URGENCIES)
    as_str(info, "severity", choices=SEVERITIES)
    as_str(info, "certainty", choices=CERTAINTIES)
    for name in ("effective", "onset", "expires"):
        as_time(info, name, required=False)
    for name, max_len in _TEXT_FIELDS.items():
        as_str(info, name, required=False, max_len=max_len)
    for name in _PAIR_LIST_FIELDS:
        _pairs(info, name)
    resources = as_list(info, "resource", required=False, max_items=100)
    for i, res in enumerate(resources or ()):
        if not isinstance(res, dict):
            raise ValidationError(f"data.resource[{i}]: expected an object, got {type(res).__name__}")
    areas = as_list(info, "area", required=False, max_items=MAX_AREAS)
    if areas is not None:
        new_areas = []
        for i, area in enumerate(areas):
            with _At(f"data.area[{i}]"):
                new_areas.append(_area(area))
        out["area"] = new_areas
    return out


def validate(data: dict) -> dict:
    """A normalised copy of a CAP message, or ValidationError with the reason."""
    out = as_payload(data)
    _cap_id(data, "identifier")
    _cap_id(data, "sender")
    as_time(data, "sent")
    as_str(data, "status", choices=STATUSES)
    msg_type = as_str(data, "msgType", choices=MSG_TYPES)
    as_str(data, "scope", choices=SCOPES)
    for name in ("source", "restriction", "addresses", "note", "incidents"):
        as_str(data, name, required=False, max_len=10_000)
    refs = as_str(data, "references", required=False, max_len=100_000)
    if refs is not None:
        try:
            parse_references(refs)
        except ValueError as exc:
            raise ValidationError(f"data.references: {exc}") from None
    code = _text_list(data, "code", max_items=100, max_len=500)
    if code is not None:
        out["code"] = code
    infos = as_list(data, "info", required=False, max_items=MAX_INFOS)
    if infos is None or not infos:
        if msg_type in ("Alert", "Update"):
            raise ValidationError(f"data.info: a {msg_type} message needs at least one info block")
        infos = infos or []
    new_infos = []
    for i, info in enumerate(infos):
        with _At(f"data.info[{i}]"):
            new_infos.append(_info(info))
    if "info" in data:
        out["info"] = new_infos
    return out


def key_of(data: dict) -> str:
    return data[KEY_FIELD]


def _rank(values: tuple[str, ...], value: str | None) -> int:
    return values.index(value) if value in values else len(values)


def main_info(data: dict) -> dict | None:
    """The info block that speaks for the message: the most severe, Vietnamese first."""
    infos = data.get("info") or []
    if not infos:
        return None
    return min(infos, key=lambda i: (_rank(SEVERITIES, i.get("severity")),
                                     0 if str(i.get("language", "")).lower().startswith("vi") else 1))


def expires_of(data: dict) -> str | None:
    """The latest ``expires`` over the infos (local time), None when none has one."""
    times = [to_local_time(i["expires"]) for i in data.get("info") or () if i.get("expires")]
    return max(times) if times else None


COLUMNS: dict[str, type] = {
    "sender": str, "sent": str, "status": str, "msgType": str, "scope": str,
    "severity": str, "urgency": str, "certainty": str, "event": str, "headline": str,
    "effective": str, "expires": str, "area_desc": str, "references": str,
}
INDEXES: list[tuple[str, ...]] = [("status", "msgType"), ("severity",), ("sent",), ("expires",)]
AREA_DESC_COLUMN_LEN = 500


def to_row(key: str, data: dict) -> dict:
    """Columns of a validated message.

    ``severity``/``urgency``/``certainty`` are the highest over the infos; ``event`` and
    ``headline`` come from :func:`main_info`; ``effective`` is the earliest and
    ``expires`` the latest over the infos; ``area_desc`` joins the distinct areaDescs.
    """
    infos = data.get("info") or []
    main = main_info(data) or {}
    severity = min((i.get("severity") for i in infos), key=lambda v: _rank(SEVERITIES, v), default=None)
    urgency = min((i.get("urgency") for i in infos), key=lambda v: _rank(URGENCIES, v), default=None)
    certainty = min((i.get("certainty") for i in infos), key=lambda v: _rank(CERTAINTIES, v),
                    default=None)
    effective = [to_local_time(i["effective"]) for i in infos if i.get("effective")]
    descs: list[str] = []
    for info in infos:
        for area in info.get("area") or ():
            desc = area.get("areaDesc")
            if desc and desc not in descs:
                descs.append(desc)
    area_desc = "; ".join(descs)[:AREA_DESC_COLUMN_LEN] if descs else None
    return {
        "sender": data.get("sender"), "sent": to_local_time(data.get("sent")),
        "status": data.get("status"), "msgType": data.get("msgType"), "scope": data.get("scope"),
        "severity": severity, "urgency": urgency, "certainty": certainty,
        "event": main.get("event"), "headline": main.get("headline"),
        "effective": min(effective) if effective else None, "expires": expires_of(data),
        "area_desc": area_desc, "references": data.get("references"),
    }


SPEC = TopicSpec(
    name=TOPIC,
    key_field=KEY_FIELD,
    validate=validate,
    columns=COLUMNS,
    to_row=to_row,
    indexes=INDEXES,
    # Warnings are rare: a quiet alerts feed is normal for hours.
    stale_after_s=6 * 3600.0,
)
