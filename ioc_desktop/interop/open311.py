"""Open311 GeoReport v2 onto the ``reports`` topic.

Real feeds differ from the spec in small ways; what these adapters tolerate:

* ``requests.json`` as a bare list (the spec), wrapped in ``{"service_requests": […]}``,
  or one request object; ``extensions=true`` records keep ``attributes``,
  ``extended_attributes`` and ``notes`` as extra fields (the topic keeps unknown fields).
* numbers where the spec says text (ids, codes) become text; ``lat``/``long`` given as
  text become numbers; ``0,0`` (what some feeds send for "no location") becomes no
  location; surrounding whitespace is stripped (SF's ``<media_url>`` ends in a space);
  empty values are left out (``<description></description>``).
* ``status`` is lower-cased; ``ioc_status`` is derived when absent
  (see :func:`derive_ioc_status`); ``channel`` is taken from
  ``extended_attributes.channel`` when the record has none ("phone" -> "hotline").
* XML: namespaces are ignored (SF's services.xml carries SOAP ones); a service
  definition's ``<attribute>`` elements are found directly under
  ``<service_definition>`` as well as inside ``<attributes>``.

The results are not validated here: pass them through the topic's validator.
"""
from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from typing import Any

from . import element_text, local_name, safe_fromstring

#: IOC statuses that close a request (Open311 ``status`` "closed"); every other is "open".
CLOSED_IOC_STATUSES = frozenset({"closed", "rejected"})

_CHANNEL_ALIASES = {
    "phone": "hotline", "hotline": "hotline", "call": "hotline", "telephone": "hotline",
    "web": "web", "website": "web", "internet": "web", "portal": "web",
    "facebook": "facebook", "fb": "facebook",
    "hue_s": "hue_s", "hue-s": "hue_s", "hues": "hue_s",
}


def derive_ioc_status(status: str | None, agency_responsible: str | None = None) -> str | None:
    """The IOC status an Open311 record implies when it carries none.

    ``closed`` -> ``closed``; ``open`` -> ``assigned`` when an agency is responsible,
    else ``received``; anything else -> None (the validator then reports the status).
    """
    if status == "closed":
        return "closed"
    if status == "open":
        return "assigned" if agency_responsible else "received"
    return None


def _text_id(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


def _coordinate(value: Any, name: str, index: int) -> Any:
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            raise ValueError(f"request {index}: {name} {value[:30]!r} is not a number") from None
    return value


def map_request(record: dict, index: int = 0) -> dict:
    """One Open311 service request (already decoded from JSON or XML) as ``reports`` data."""
    if not isinstance(record, dict):
        raise ValueError(f"request {index}: expected an object, got {type(record).__name__}")
    out: dict = {}
    for name, value in record.items():
        if isinstance(value, str):
            value = value.strip()
            if not value:
                continue
        elif value is None:
            continue
        out[name] = value
    for name in ("service_request_id", "service_code"):
        if name in out:
            out[name] = _text_id(out[name])
    if "service_request_id" not in out:
        raise ValueError(f"request {index}: no service_request_id")
    if isinstance(out.get("status"), str):
        out["status"] = out["status"].lower()
    for name in ("lat", "long"):
        if name in out:
            out[name] = _coordinate(out[name], name, index)
    if out.get("lat") == 0 and out.get("long") == 0:
        del out["lat"], out["long"]
    if "channel" not in out:
        ext = out.get("extended_attributes")
        raw = ext.get("channel") if isinstance(ext, dict) else None
        if isinstance(raw, str) and raw.strip():
            raw = raw.strip()
            out["channel"] = _CHANNEL_ALIASES.get(raw.lower(), raw[:40])
    if "ioc_status" not in out:
        derived = derive_ioc_status(out.get("status"), out.get("agency_responsible"))
        if derived is not None:
            out["ioc_status"] = derived
    return out


def requests_from_json(obj: Any) -> list[dict]:
    """``GET requests.json`` (decoded, or its text) as a list of ``reports`` data."""
    if isinstance(obj, (str, bytes, bytearray)):
        obj = json.loads(obj)
    if isinstance(obj, dict):
        if isinstance(obj.get("service_requests"), list):
            obj = obj["service_requests"]
        elif isinstance(obj.get("requests"), list):
            obj = obj["requests"]
        elif "service_request_id" in obj:
            obj = [obj]
        else:
            raise ValueError("not an Open311 request list: object without service_requests")
    if not isinstance(obj, list):
        raise ValueError(f"not an Open311 request list: got {type(obj).__name__}")
    return [map_request(record, i) for i, record in enumerate(obj)]


def _element_value(el: ET.Element) -> Any:
    """Leaf -> stripped text; element with children -> dict (a repeated name -> list)."""
    children = list(el)
    if not children:
        return element_text(el)
    names = [local_name(child.tag) for child in children]
    repeated = {n for n in names if names.count(n) > 1}
    out: dict = {}
    for name, child in zip(names, children):
        value = _element_value(child)
        if name in repeated:
            out.setdefault(name, []).append(value)
        else:
            out[name] = value
    return out


def _children(root: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in root if local_name(child.tag) == name]


def requests_from_xml(text: str | bytes) -> list[dict]:
    """``GET requests.xml`` (``<service_requests><request>…``) as a list of ``reports`` data."""
    root = safe_fromstring(text)
    if local_name(root.tag) == "request":
        records = [root]
    elif local_name(root.tag) == "service_requests":
        records = _children(root, "request")
    else:
        raise ValueError(f"not an Open311 request list: root element is {root.tag[:60]!r}")
    out = []
    for i, el in enumerate(records):
        value = _element_value(el)
        out.append(map_request(value if isinstance(value, dict) else {}, i))
    return out


def _bool(text: str, what: str) -> bool | None:
    low = text.strip().lower()
    if low in ("true", "1", "yes"):
        return True
    if low in ("false", "0", "no"):
        return False
    if low == "":
        return None
    raise ValueError(f"{what} {text[:20]!r} is not true/false")


def services_from_xml(text: str | bytes) -> list[dict]:
    """``GET services.xml`` as a list of services.

    Each: ``service_code``, ``service_name``, ``description``, ``metadata`` (bool),
    ``type``, ``keywords`` (list), ``group``; other elements kept as text.
    """
    root = safe_fromstring(text)
    if local_name(root.tag) != "services":
        raise ValueError(f"not an Open311 service list: root element is {root.tag[:60]!r}")
    out = []
    for el in _children(root, "service"):
        service: dict = {}
        for child in el:
            name, value = local_name(child.tag), element_text(child)
            if name == "metadata":
                service[name] = _bool(value, "metadata")
            elif name == "keywords":
                service[name] = [k.strip() for k in value.split(",") if k.strip()]
            else:
                service[name] = value
        out.append(service)
    return out


def _attribute(el: ET.Element) -> dict:
    attr: dict = {}
    for child in el:
        name, value = local_name(child.tag), element_text(child)
        if name in ("variable", "required"):
            attr[name] = _bool(value, name)
        elif name == "order":
            try:
                attr[name] = int(value)
            except ValueError:
                raise ValueError(f"attribute order {value[:20]!r} is not an integer") from None
        elif name == "values":
            attr["values"] = [{local_name(c.tag): element_text(c) for c in v}
                              for v in child if local_name(v.tag) == "value"]
        else:
            attr[name] = value
    return attr


def service_definition_from_xml(text: str | bytes) -> dict:
    """``GET services/{code}.xml`` as ``{"service_code", "attributes": [...]}``.

    Attributes: ``variable``/``required`` (bool), ``code``, ``datatype``,
    ``datatype_description``, ``order`` (int), ``description``, ``values``
    (list of ``{key, name}``), sorted by ``order``.
    """
    root = safe_fromstring(text)
    if local_name(root.tag) != "service_definition":
        raise ValueError(f"not an Open311 service definition: root element is {root.tag[:60]!r}")
    attributes = [_attribute(a) for a in _children(root, "attribute")]
    for wrapper in _children(root, "attributes"):
        attributes.extend(_attribute(a) for a in _children(wrapper, "attribute"))
    attributes.sort(key=lambda a: a.get("order") if isinstance(a.get("order"), int) else 1 << 30)
    return {"service_code": element_text(next(iter(_children(root, "service_code")), None)),
            "attributes": attributes}


__all__ = ["CLOSED_IOC_STATUSES", "derive_ioc_status", "map_request", "requests_from_json",
           "requests_from_xml", "services_from_xml", "service_definition_from_xml"]
