"""OASIS CAP 1.2: geometry parsers and the XML message adapter.

* :func:`parse_polygon` / :func:`parse_circle` read CAP's ``<polygon>`` and ``<circle>``
  texts; the ``alerts`` validator and the map both use them, so that what validates
  is exactly what can be drawn.
* :func:`parse_references` reads ``<references>`` ("sender,identifier,sent" triples).
* :func:`alert_from_xml` maps one CAP 1.2 ``<alert>`` document onto ``alerts`` data.

Shapes of the mapped data (the ``alerts`` topic's conventions):
repeatable CAP elements are lists (``info``, ``category``, ``responseType``, ``code``,
``eventCode``, ``parameter``, ``resource``, ``area``, ``polygon``, ``circle``,
``geocode``); ``eventCode``/``parameter``/``geocode`` items are ``{"valueName", "value"}``;
``altitude``/``ceiling`` and ``resource.size`` are numbers; every other value is text,
stripped of surrounding whitespace.  Empty elements are left out.  An XML-DSig
``<Signature>`` (or anything else outside the CAP namespace) is ignored.
"""
from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET

from . import element_text, local_name, namespace, parse_time, safe_fromstring

CAP_NS_12 = "urn:oasis:names:tc:emergency:cap:1.2"
#: CAP 1.1 documents have the same shape for every element used here.
CAP_NAMESPACES = (CAP_NS_12, "urn:oasis:names:tc:emergency:cap:1.1")

#: Largest circle radius accepted, km (half of the Earth's circumference).
MAX_RADIUS_KM = 20_037.5

# "38.47, -120.14" (a space after the comma) is a common real-world slip: the comma
# binds the pair, whitespace separates pairs.
_COMMA_SPACES = re.compile(r"\s*,\s*")


def _coord(text: str, what: str, lo: float, hi: float) -> float:
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{what} {text[:20]!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{what} {text[:20]!r} is not a finite number")
    if not lo <= value <= hi:
        raise ValueError(f"{what} {value} outside {lo}…{hi}")
    return value


def _pair(text: str, index: int) -> tuple[float, float]:
    parts = text.split(",")
    if len(parts) != 2:
        raise ValueError(f"pair {index + 1} {text[:40]!r}: expected 'lat,lon'")
    return (_coord(parts[0], f"pair {index + 1} latitude", -90.0, 90.0),
            _coord(parts[1], f"pair {index + 1} longitude", -180.0, 180.0))


def parse_polygon(text: str) -> list[tuple[float, float]]:
    """A CAP polygon ("lat,lon lat,lon …", WGS 84) as a list of ``(lat, lon)``.

    CAP 1.2: at least four pairs, the first and the last the same (a closed ring).
    A ring whose points are all the same is refused too.  ValueError says why.
    """
    if not isinstance(text, str):
        raise ValueError(f"polygon must be text, got {type(text).__name__}")
    items = _COMMA_SPACES.sub(",", text.strip()).split()
    if not items:
        raise ValueError("polygon is empty")
    points = [_pair(item, i) for i, item in enumerate(items)]
    if len(points) < 4:
        raise ValueError(f"polygon has {len(points)} coordinate pairs; a CAP polygon needs at "
                         "least 4 (a closed ring)")
    if points[0] != points[-1]:
        raise ValueError(f"polygon ring is not closed: first pair {items[0]!r} differs from "
                         f"last pair {items[-1]!r}")
    if len(set(points)) < 3:
        raise ValueError("polygon ring is degenerate: fewer than 3 distinct points")
    return points


def parse_circle(text: str) -> tuple[float, float, float]:
    """A CAP circle ("lat,lon radius", radius in km) as ``(lat, lon, radius_km)``."""
    if not isinstance(text, str):
        raise ValueError(f"circle must be text, got {type(text).__name__}")
    items = _COMMA_SPACES.sub(",", text.strip()).split()
    if len(items) != 2:
        raise ValueError(f"circle {text[:60]!r}: expected 'lat,lon radius'")
    lat, lon = _pair(items[0], 0)
    radius = _coord(items[1], "radius", 0.0, MAX_RADIUS_KM)
    return lat, lon, radius


def parse_references(text: str) -> list[tuple[str, str, str]]:
    """CAP ``references``: whitespace-separated "sender,identifier,sent" triples."""
    if not isinstance(text, str):
        raise ValueError(f"references must be text, got {type(text).__name__}")
    out = []
    for i, item in enumerate(text.split()):
        parts = item.split(",")
        if len(parts) != 3 or not parts[0] or not parts[1]:
            raise ValueError(f"reference {i + 1} {item[:60]!r}: expected 'sender,identifier,sent'")
        try:
            parse_time(parts[2])
        except ValueError:
            raise ValueError(f"reference {i + 1}: {parts[2][:40]!r} is not a time with offset") from None
        out.append((parts[0], parts[1], parts[2]))
    return out


def format_references(messages) -> str:
    """The ``references`` text for earlier messages given as (sender, identifier, sent)."""
    return " ".join(f"{s},{i},{t}" for s, i, t in messages)


# --------------------------------------------------------------------------- XML -> data
_ALERT_LISTS = {"code"}
_INFO_LISTS = {"category", "responseType"}
_PAIR_ELEMENTS = {"eventCode", "parameter", "geocode"}


def _pair_element(el: ET.Element) -> dict:
    out = {}
    for child in el:
        name = local_name(child.tag)
        if name in ("valueName", "value"):
            out[name] = element_text(child)
    return out


def _number(text: str, what: str) -> float | int:
    try:
        value = int(text) if re.fullmatch(r"[+-]?\d+", text) else float(text)
    except ValueError:
        raise ValueError(f"{what} {text[:20]!r} is not a number") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{what} {text[:20]!r} is not a finite number")
    return value


def _is_cap(el: ET.Element, ns: str) -> bool:
    return namespace(el.tag) == ns


def _resource(el: ET.Element, ns: str) -> dict:
    out: dict = {}
    for child in el:
        if not _is_cap(child, ns):
            continue
        name, text = local_name(child.tag), element_text(child)
        if text:
            out[name] = _number(text, "resource size") if name == "size" else text
    return out


def _area(el: ET.Element, ns: str) -> dict:
    out: dict = {}
    for child in el:
        if not _is_cap(child, ns):
            continue
        name = local_name(child.tag)
        if name == "geocode":
            out.setdefault("geocode", []).append(_pair_element(child))
        elif name in ("polygon", "circle"):
            text = element_text(child)
            if text:
                out.setdefault(name, []).append(text)
        elif name in ("altitude", "ceiling"):
            text = element_text(child)
            if text:
                out[name] = float(_number(text, name))
        else:
            text = element_text(child)
            if text:
                out[name] = text
    return out


def _info(el: ET.Element, ns: str) -> dict:
    out: dict = {}
    for child in el:
        if not _is_cap(child, ns):
            continue
        name = local_name(child.tag)
        if name in _PAIR_ELEMENTS:
            out.setdefault(name, []).append(_pair_element(child))
        elif name == "resource":
            out.setdefault("resource", []).append(_resource(child, ns))
        elif name == "area":
            out.setdefault("area", []).append(_area(child, ns))
        else:
            text = element_text(child)
            if not text:
                continue
            if name in _INFO_LISTS:
                out.setdefault(name, []).append(text)
            else:
                out[name] = text
    return out


def alert_from_xml(text: str | bytes) -> dict:
    """Map one CAP 1.2 (or 1.1) ``<alert>`` document onto ``alerts`` data.

    Refuses DTDs/entities (see :func:`ioc_desktop.interop.safe_fromstring`).  Does not
    validate the values: pass the result through the ``alerts`` topic's validator.
    Raises ValueError when the document is not a CAP alert.
    """
    root = safe_fromstring(text)
    ns = namespace(root.tag)
    if local_name(root.tag) != "alert" or ns not in CAP_NAMESPACES:
        raise ValueError(f"not a CAP 1.2 alert: root element is {root.tag[:80]!r}")
    out: dict = {}
    for child in root:
        if not _is_cap(child, ns):      # ds:Signature and other extensions are ignored
            continue
        name = local_name(child.tag)
        if name == "info":
            out.setdefault("info", []).append(_info(child, ns))
            continue
        value = element_text(child)
        if not value:
            continue
        if name in _ALERT_LISTS:
            out.setdefault(name, []).append(value)
        else:
            out[name] = value
    return out


__all__ = ["CAP_NS_12", "CAP_NAMESPACES", "MAX_RADIUS_KM", "parse_polygon", "parse_circle",
           "parse_references", "format_references", "alert_from_xml"]
