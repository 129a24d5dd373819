"""Export the moment: the map's layers as they stood at T, as GeoJSON and CSV (no Qt).

For an incident report written from review mode.  Input is a plain snapshot of the map
(what ``widgets.map_view.MapView.layer_snapshot`` returns)::

    {layer_id: {"title": str, "topic": str | None, "features": {key: feature}}}

where a feature is a map feature dict as the plugins build them (widgets/map_view.py,
resources/map/ioc_map.js): ``kind`` ``point`` / ``circle`` (``lat``, ``lon``, a circle
also ``radius_m``), ``polygon`` / ``polyline`` (``coords``: ``[[lat, lon], ...]``), and
``title``, ``fields`` (``[[name, value], ...]``), ``color``, ``fill`` and style numbers.

Output:

* **GeoJSON** (RFC 7946): one FeatureCollection, one Feature per map feature.  Positions
  are ``[lon, lat]``; a point is a Point, a circle a Point with ``radius_m``, an area a
  Polygon (ring closed, exterior counter-clockwise), a track a LineString.  Properties:
  ``layer``, ``layer_title``, ``topic``, ``key``, ``kind`` (the map's kind), ``label``
  (the text the map's tooltip shows: the title, else the key), ``color``/``fill`` and
  any other scalar the feature carries (``severity``, ``status``...), ``fields`` (the
  popup's rows, ``[[name, value], ...]`` as text) and ``as_of`` (T in Huế time,
  ``2026-11-23T02:40:00+07:00``).  The collection also carries ``as_of`` and a
  ``layers`` list (id, title, topic, visible, features, skipped) as foreign members.
* **CSV**: ONE file for all layers, one row per feature, a ``layer`` column saying
  whose it is (so a spreadsheet filters or pivots by layer).  Columns:
  :data:`CSV_COLUMNS`, then every other scalar property any feature has (sorted).
  ``lat``/``lon`` are the point itself, a circle's centre, an area's centroid, a
  track's length-weighted centroid.  ``details`` is the popup's rows as
  ``name: value; name: value``.  Written as UTF-8 with a BOM (so that a spreadsheet
  reads Vietnamese right) and CRLF line ends; a text cell that a spreadsheet would run
  as a formula (starting with ``=`` ``+`` ``-`` ``@``, tab or CR) gets a leading ``'``.

Feed text stays text.  The map shows it with ``textContent`` (never as HTML), and the
export writes the same characters: neither format interprets markup, and stripping or
entity-escaping would make the report disagree with what the operator saw (and mangle
"mực nước < 2 m").  Control characters other than newline and tab are removed.  In the
GeoJSON file ``<``, ``>``, ``&``, U+2028/U+2029 are written as ``\\uXXXX`` escapes
(the same string for any JSON reader) so that the file stays inert even pasted into an
HTML page.

Features with a missing, non-finite or out-of-range coordinate (the checks the map
page itself applies), an unknown kind, or a circle with no positive radius are left
out and counted (:attr:`Moment.skipped`, :attr:`Moment.skipped_by_layer`).

Files are written atomically (a temporary file in the same directory, then
``os.replace``): a reader never sees half a file.
"""
from __future__ import annotations

import csv
import io
import json
import math
import numbers
import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable, Mapping

from ioc_desktop.interop import VN_TZ

#: The CSV's first columns, in order; other scalar properties follow, sorted.
CSV_COLUMNS = ("layer", "layer_title", "topic", "key", "kind", "lat", "lon", "label",
               "color", "fill", "radius_m", "details", "as_of")
#: The map's kinds (resources/map/ioc_map.js KINDS) and the GeoJSON type of each.
GEOMETRY_TYPES = {"point": "Point", "circle": "Point", "polygon": "Polygon",
                  "polyline": "LineString"}
#: Feature keys that are geometry or drawing detail, not properties of the thing shown.
NOT_PROPERTIES = frozenset({"key", "kind", "lat", "lon", "coords", "title", "fields",
                            "selected", "weight", "opacity", "fill_opacity", "radius"})
#: Properties the export sets itself (a feature's own value of the same name is dropped).
OWN_PROPERTIES = ("layer", "layer_title", "topic", "key", "kind", "label", "fields", "as_of")
DEFAULT_BASENAME = "map-layers"
#: Decimal places kept of a coordinate (1e-7 degree: about 1 cm).
COORD_DIGITS = 7

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_JSON_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026",
                "\u2028": "\\u2028", "\u2029": "\\u2029"}
_JSON_UNSAFE_RE = re.compile("[<>&\u2028\u2029]")


# --------------------------------------------------------------------------- text, time
def as_of(at: float) -> str:
    """``at`` (epoch seconds) as RFC 3339 in Huế time, ``2026-11-23T02:40:00+07:00``."""
    return _local(at).isoformat(timespec="seconds")


def stamp(at: float) -> str:
    """``at`` as Huế local ``YYYYMMDD-HHMMSS``, for file names."""
    return _local(at).strftime("%Y%m%d-%H%M%S")


def _local(at: float) -> datetime:
    if not _real(at):
        raise ValueError(f"not a moment: {at!r}")
    return datetime.fromtimestamp(at, VN_TZ)


def plain_text(value: Any) -> str:
    """``value`` as text (None: ""), control characters but newline and tab removed.
    Markup in it stays literal text (module docstring)."""
    if value is None:
        return ""
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    text = value if isinstance(value, str) else str(value)
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def csv_cell(value: Any) -> Any:
    """A CSV cell: numbers as numbers; text with a leading ``'`` when a spreadsheet
    would take it for a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value).lower()
    if isinstance(value, numbers.Real):
        return value if math.isfinite(value) else ""
    text = value if isinstance(value, str) else plain_text(value)
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


# --------------------------------------------------------------------------- geometry
def _real(v: Any) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and math.isfinite(v)


def _lat_lon(lat: Any, lon: Any) -> tuple[float, float] | None:
    if _real(lat) and _real(lon) and -90 <= lat <= 90 and -180 <= lon <= 180:
        return float(lat), float(lon)
    return None


def _position(lat: float, lon: float) -> list[float]:
    return [round(lon, COORD_DIGITS), round(lat, COORD_DIGITS)]


def _coords(raw: Any, min_points: int) -> list[tuple[float, float]] | None:
    if not isinstance(raw, (list, tuple)) or len(raw) < min_points:
        return None
    out = []
    for c in raw:
        if not isinstance(c, (list, tuple)) or len(c) < 2:
            return None
        ll = _lat_lon(c[0], c[1])
        if ll is None:
            return None
        out.append(ll)
    return out


def _ring_area(ring: list[tuple[float, float]]) -> float:
    """Signed area of an open ring of (lat, lon), in degrees² with x = lon, y = lat
    (> 0: counter-clockwise)."""
    s = 0.0
    n = len(ring)
    for i in range(n):
        y0, x0 = ring[i]
        y1, x1 = ring[(i + 1) % n]
        s += x0 * y1 - x1 * y0
    return s / 2


def _polygon_centroid(ring: list[tuple[float, float]]) -> tuple[float, float]:
    area = _ring_area(ring)
    if abs(area) < 1e-18:
        return _mean(ring)
    cx = cy = 0.0
    n = len(ring)
    for i in range(n):
        y0, x0 = ring[i]
        y1, x1 = ring[(i + 1) % n]
        cross = x0 * y1 - x1 * y0
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    return cy / (6 * area), cx / (6 * area)


def _line_centroid(line: list[tuple[float, float]]) -> tuple[float, float]:
    total = sx = sy = 0.0
    for (y0, x0), (y1, x1) in zip(line, line[1:]):
        length = math.hypot(x1 - x0, y1 - y0)
        total += length
        sx += (x0 + x1) / 2 * length
        sy += (y0 + y1) / 2 * length
    return (sy / total, sx / total) if total > 0 else _mean(line)


def _mean(points: list[tuple[float, float]]) -> tuple[float, float]:
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def feature_geometry(feature: Any) -> tuple[dict, tuple[float, float]] | None:
    """A map feature's GeoJSON geometry and its representative (lat, lon) (the point,
    a circle's centre, a centroid), or None when the map would not draw it either."""
    if not isinstance(feature, Mapping):
        return None
    kind = feature.get("kind")
    if kind in ("point", "circle"):
        ll = _lat_lon(feature.get("lat"), feature.get("lon"))
        if ll is None:
            return None
        if kind == "circle":
            radius = feature.get("radius_m")
            if not _real(radius) or radius <= 0:
                return None
        return {"type": "Point", "coordinates": _position(*ll)}, ll
    if kind == "polygon":
        ring = _coords(feature.get("coords"), 3)
        if ring is None:
            return None
        if ring[0] == ring[-1]:
            ring = ring[:-1]
        if len(set(ring)) < 3:
            return None                      # no area: an invalid GeoJSON ring
        if _ring_area(ring) < 0:             # RFC 7946: exterior rings counter-clockwise
            ring = ring[::-1]
        closed = [_position(*p) for p in ring]
        closed.append(list(closed[0]))
        return {"type": "Polygon", "coordinates": [closed]}, _polygon_centroid(ring)
    if kind == "polyline":
        line = _coords(feature.get("coords"), 2)
        if line is None:
            return None
        return ({"type": "LineString", "coordinates": [_position(*p) for p in line]},
                _line_centroid(line))
    return None


# --------------------------------------------------------------------------- properties
def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, (str, bool)) or isinstance(value, numbers.Real)


def _json_scalar(value: Any) -> Any:
    if isinstance(value, str):
        return plain_text(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, numbers.Real):
        if not math.isfinite(value):
            return None                       # JSON has no NaN/Infinity
        return value if isinstance(value, (int, float)) else float(value)
    return plain_text(value)


def _fields(feature: Mapping) -> list[list[str]]:
    rows = feature.get("fields")
    if callable(rows):            # made when needed (widgets.map_layer.PopupFields)
        rows = rows()
    if not isinstance(rows, (list, tuple)):
        return []
    out = []
    for row in rows:
        if isinstance(row, (list, tuple)) and row:
            out.append([plain_text(row[0]), plain_text(row[1] if len(row) > 1 else "")])
    return out


def feature_properties(layer_id: str, layer: Mapping, key: str, feature: Mapping,
                       at_text: str) -> dict[str, Any]:
    """The properties of one exported feature (module docstring)."""
    title = feature.get("title")
    props: dict[str, Any] = {
        "layer": plain_text(layer_id),
        "layer_title": plain_text(layer.get("title", layer_id)),
        "topic": None if layer.get("topic") is None else plain_text(layer.get("topic")),
        "key": plain_text(key),
        "kind": plain_text(feature.get("kind")),
        "label": plain_text(key if title is None else title),
    }
    for name, value in feature.items():
        if not isinstance(name, str) or name in NOT_PROPERTIES or name in OWN_PROPERTIES:
            continue
        if _scalar(value):
            props[plain_text(name)] = _json_scalar(value)
    props["fields"] = _fields(feature)
    props["as_of"] = at_text
    return props


# --------------------------------------------------------------------------- the moment
@dataclass
class Moment:
    """The layers at ``at`` in both export forms, and what was left out."""

    at: float
    as_of: str
    geojson: dict
    #: CSV header and rows (cells not yet neutralised: :func:`csv_text` does that)
    columns: list[str]
    rows: list[list[Any]]
    exported: int = 0
    skipped: int = 0
    skipped_by_layer: dict[str, int] = field(default_factory=dict)


def build_moment(layers: Mapping[str, Mapping], at: float) -> Moment:
    """Both forms of ``layers`` (module docstring) at ``at`` (epoch seconds)."""
    at_text = as_of(at)
    features: list[dict] = []
    records: list[dict[str, Any]] = []
    layer_info: list[dict] = []
    skipped_by_layer: dict[str, int] = {}
    for layer_id, layer in layers.items():
        layer = layer if isinstance(layer, Mapping) else {}
        feats = layer.get("features")
        feats = feats if isinstance(feats, Mapping) else {}
        done = skipped = 0
        for key, feature in feats.items():
            geom = feature_geometry(feature)
            if geom is None:
                skipped += 1
                continue
            geometry, (lat, lon) = geom
            props = feature_properties(str(layer_id), layer, str(key), feature, at_text)
            if feature.get("kind") == "circle":
                props["radius_m"] = _json_scalar(feature.get("radius_m"))
            features.append({"type": "Feature", "id": f"{props['layer']}/{props['key']}",
                             "geometry": geometry, "properties": props})
            records.append({**props, "lat": round(lat, COORD_DIGITS), "lon": round(lon, COORD_DIGITS)})
            done += 1
        if skipped:
            skipped_by_layer[str(layer_id)] = skipped
        layer_info.append({"id": plain_text(layer_id),
                           "title": plain_text(layer.get("title", layer_id)),
                           "topic": None if layer.get("topic") is None else plain_text(layer.get("topic")),
                           "visible": bool(layer.get("visible", True)),
                           "features": done, "skipped": skipped})
    collection = {"type": "FeatureCollection", "as_of": at_text, "layers": layer_info,
                  "features": features}
    extra = sorted({name for r in records for name in r
                    if name not in CSV_COLUMNS and name != "fields"})
    columns = list(CSV_COLUMNS) + extra
    rows = []
    for r in records:
        r["details"] = "; ".join(f"{name}: {value}" if name else value for name, value in r["fields"])
        rows.append([r.get(c) for c in columns])
    return Moment(at=at, as_of=at_text, geojson=collection, columns=columns, rows=rows,
                  exported=len(features), skipped=sum(skipped_by_layer.values()),
                  skipped_by_layer=skipped_by_layer)


def geojson_text(moment: Moment) -> str:
    """The FeatureCollection as JSON text, one feature a line, markup characters escaped."""
    def dump(value: Any) -> str:
        text = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        return _JSON_UNSAFE_RE.sub(lambda m: _JSON_UNSAFE[m.group(0)], text)

    head = {k: v for k, v in moment.geojson.items() if k != "features"}
    parts = [dump(f) for f in moment.geojson["features"]]
    body = ",\n".join(parts)
    return dump(head)[:-1] + ',"features":[' + ("\n" + body + "\n" if parts else "") + "]}\n"


def csv_text(moment: Moment) -> str:
    """The CSV (without the BOM), every cell through :func:`csv_cell`."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([csv_cell(c) for c in moment.columns])
    for row in moment.rows:
        writer.writerow([csv_cell(c) for c in row])
    return buf.getvalue()


def to_geojson(layers: Mapping[str, Mapping], at: float) -> dict:
    return build_moment(layers, at).geojson


def to_csv(layers: Mapping[str, Mapping], at: float) -> str:
    return csv_text(build_moment(layers, at))


# --------------------------------------------------------------------------- files
class MomentFiles(list):
    """The paths written (a ``list[Path]``), with the :class:`Moment` they came from."""

    def __init__(self, paths: Iterable[Path] = (), moment: Moment | None = None):
        super().__init__(paths)
        self.moment = moment


def atomic_write(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` through a temporary file in the same directory and
    ``os.replace``: ``path`` is either the old file or the whole new one."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:12]}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return path


def moment_paths(directory: str | os.PathLike, at: float, *,
                 basename: str = DEFAULT_BASENAME) -> tuple[Path, Path]:
    """Where :func:`write_moment` writes: ``<basename>-<stamp>.geojson`` and ``.csv``."""
    directory = Path(directory)
    name = f"{basename}-{stamp(at)}"
    return directory / f"{name}.geojson", directory / f"{name}.csv"


def write_moment_files(directory: str | os.PathLike, moment: Moment, *,
                       basename: str = DEFAULT_BASENAME) -> MomentFiles:
    """Write an already built :class:`Moment` (the directory is created if missing)."""
    geo_path, csv_path = moment_paths(directory, moment.at, basename=basename)
    geo_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(geo_path, geojson_text(moment).encode("utf-8"))
    atomic_write(csv_path, csv_text(moment).encode("utf-8-sig"))
    return MomentFiles([geo_path, csv_path], moment)


def write_moment(directory: str | os.PathLike, layers: Mapping[str, Mapping], at: float, *,
                 basename: str = DEFAULT_BASENAME) -> MomentFiles:
    """Write ``layers`` at ``at`` to ``directory`` as ``<basename>-<stamp>.geojson`` and
    ``.csv`` (stamp: Huế local ``YYYYMMDD-HHMMSS`` of ``at``); returns the two paths
    (with ``.moment``: counts of exported and skipped features).  OSError if a file
    cannot be written (an existing file is then left as it was)."""
    return write_moment_files(directory, build_moment(layers, at), basename=basename)


__all__ = ["CSV_COLUMNS", "DEFAULT_BASENAME", "Moment", "MomentFiles", "as_of", "atomic_write",
           "build_moment", "csv_cell", "csv_text", "feature_geometry", "feature_properties",
           "geojson_text", "moment_paths", "plain_text", "stamp", "to_csv", "to_geojson",
           "write_moment", "write_moment_files"]
