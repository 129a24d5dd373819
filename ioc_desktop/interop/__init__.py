"""Headless adapters between real standard payloads and the feed topics' data.

* :mod:`ioc_desktop.interop.open311` — Open311 GeoReport v2 (JSON and XML) onto ``reports``.
* :mod:`ioc_desktop.interop.cap` — OASIS CAP 1.2 (XML) onto ``alerts``, and the CAP
  ``polygon`` / ``circle`` parsers that the validators and the map share.

This package also holds the few helpers the plugins' schemas and the demo simulators
share (local time, safe XML parsing), so that no plugin copies another's code.
No Qt here.
"""
from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import datetime, timedelta, timezone

#: Asia/Ho_Chi_Minh has had no daylight saving since 1975: a fixed +07:00 offset.
VN_TZ = timezone(timedelta(hours=7), "ICT")

#: Largest XML document the adapters accept (a CAP message or an Open311 page).
MAX_XML_BYTES = 8 * 1024 * 1024


def rfc3339_local(dt: datetime, timespec: str = "seconds") -> str:
    """``dt`` (aware) as RFC 3339 text in Huế local time, e.g. ``2026-11-23T09:15:02+07:00``."""
    return dt.astimezone(VN_TZ).isoformat(timespec=timespec)


def parse_time(text: str) -> datetime:
    """An RFC 3339 timestamp with offset (``Z`` accepted) as an aware datetime; ValueError otherwise."""
    parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError(f"{text[:40]!r} has no UTC offset")
    return parsed


def to_local_time(text: str | None) -> str | None:
    """Normalise an (already validated) RFC 3339 text to ``YYYY-MM-DDTHH:MM:SS+07:00``.

    Used for state-table columns: with one fixed offset and one precision, text order is
    time order (so ``expected_datetime < now`` works in SQL), and the value is already
    in the time zone the client shows.  ``None`` stays ``None``.
    """
    if text is None:
        return None
    if len(text) == 25 and text[19:] == "+07:00":     # already in that form (the usual case)
        return text
    return parse_time(text).astimezone(VN_TZ).isoformat(timespec="seconds")


def local_name(tag: str) -> str:
    """``{namespace}name`` -> ``name``."""
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def namespace(tag: str) -> str:
    """``{namespace}name`` -> ``namespace`` ('' when none)."""
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def safe_fromstring(text: str | bytes, *, max_bytes: int = MAX_XML_BYTES) -> ET.Element:
    """Parse untrusted XML with the standard library, refusing what makes that unsafe.

    ``defusedxml`` is not available, so any document type declaration or entity
    declaration is refused outright (billion laughs, external entities): real CAP and
    Open311 documents never need one.  Bytes must be UTF-8 (a BOM is allowed); they
    are decoded here so that the check cannot be dodged with another encoding.
    Raises ValueError with the reason.
    """
    if isinstance(text, (bytes, bytearray)):
        if len(text) > max_bytes:
            raise ValueError(f"XML document larger than {max_bytes} bytes")
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ValueError(f"XML bytes are not UTF-8: {exc}") from None
    if not isinstance(text, str):
        raise ValueError(f"expected XML text, got {type(text).__name__}")
    if len(text) > max_bytes:
        raise ValueError(f"XML document larger than {max_bytes} characters")
    upper = text.upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise ValueError("XML with a DOCTYPE or ENTITY declaration is refused (entity expansion)")
    text = text.lstrip("\ufeff")
    # A str that still declares another encoding ("UTF-16") makes expat refuse it; the
    # text is already decoded, so drop the declaration's encoding.
    if text.startswith("<?xml"):
        end = text.find("?>")
        if end > 0:
            text = text[end + 2:]
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise ValueError(f"malformed XML: {exc}") from None


def element_text(el: ET.Element | None) -> str:
    """The element's text stripped of surrounding whitespace ('' when empty or absent)."""
    if el is None or el.text is None:
        return ""
    return el.text.strip()


__all__ = [
    "VN_TZ", "MAX_XML_BYTES", "rfc3339_local", "parse_time", "to_local_time",
    "local_name", "namespace", "safe_fromstring", "element_text",
]
