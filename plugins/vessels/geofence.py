"""Monitored sea areas for the vessels' alarms: polygons, point-in-polygon and the
crossing test on the segment between two fixes (pure Python: no Qt, no geometry library).

DOMAIN.md: entering or leaving a monitored area must raise an alarm, and a vessel can
cross an area and come back out between two fixes, so the *segment* between two
consecutive fixes is tested, not only its ends.

Areas
-----
An :class:`Area` has an ``id`` (``[a-z0-9][a-z0-9_.-]*``, no ``:`` or ``/``: it goes into
alarm keys), a ``name``, a ``kind`` (``restricted``, ``protected``, ``monitored`` … any
word), an alarm ``priority`` (from the kind, :data:`KIND_PRIORITY`, unless the area
gives one) and a ``polygon`` of WGS 84 ``(lat, lon)`` points — **latitude first**, not
GeoJSON's ``[lon, lat]``.  The configuration is a plain structure (what
:func:`areas_from_config` takes, and what ``areas.json`` next to this module holds)::

    {"areas": [
        {"id": "thuan_an_restricted", "name": "…", "kind": "restricted",
         "priority": 2,                          # optional: else KIND_PRIORITY[kind]
         "description": "…", "demo": true,       # optional
         "polygon": [[16.62, 107.70], [16.66, 107.70], …]}   # [lat, lon], >= 3 points
    ]}

A polygon is accepted if it has at least 3 distinct points, is closed or closable (a
last point equal to the first is dropped), has no repeated consecutive point, does not
intersect itself (no two edges cross or touch except neighbours at their shared
vertex), encloses a non-zero area and does not span the antimeridian.  A bad area is
refused as a whole with :class:`AreaConfigError` naming it: a monitored area that is
silently half-loaded would miss alarms.

Geometry
--------
* **Local planar approximation.**  Every test projects the few points it needs onto a
  local equirectangular plane (metres) centred on the point or segment tested:
  ``x = R·Δlon·cos(lat0)``, ``y = R·Δlat``.  With one ``lat0`` per test this is an
  affine map of (lon, lat), so straight lines stay straight and inside/outside and
  crossing results do not depend on the scale; the only approximations are (1) edges
  and tracks are straight in (lon, lat) rather than great-circle arcs, a difference of
  metres over the tens of kilometres of an area off Huế, and (2) the tolerances below
  are in metres at ``lat0``.  Fine for areas up to ~100 km across, far from the poles.
* **The boundary belongs to the area** (closed polygon): a fix within
  :data:`BOUNDARY_TOLERANCE_M` of an edge or vertex is inside.  Ray casting uses the
  half-open rule (an edge counts when one end is strictly above the ray and the other
  not), so a ray through a vertex or along a horizontal edge counts once.
* **Segment test.**  The segment A→B is cut at every point where it meets the boundary
  (proper crossings, touches, and both ends of a stretch along an edge); the state of
  each piece is the state of its midpoint.  A transition is reported where the state
  changes, with its fraction ``t`` along the segment (0 at A, 1 at B) and position.  So:
  both fixes outside but the segment passing through → ``enter`` then ``leave``; both
  inside a non-convex area but the segment cutting across a bay → ``leave`` then
  ``enter``; a segment that only touches the boundary at one point → nothing (a fix
  exactly on it is still inside); sailing along an edge counts as inside.
* **Antimeridian**: not handled (the province's waters are far from it).  Areas that
  span it are refused at load; :func:`segment_crossings` raises :class:`ValueError` for a
  segment whose longitudes differ by more than 180°.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

LatLon = tuple[float, float]

#: Mean Earth radius (IUGG), metres.
EARTH_RADIUS_M = 6_371_008.8
#: A point this close (metres) to an edge is on the boundary (so inside).
BOUNDARY_TOLERANCE_M = 0.01
#: Alarm priority (1 highest) for an area's entry/exit alarms, by kind; others: DEFAULT.
KIND_PRIORITY: dict[str, int] = {"restricted": 2}
DEFAULT_PRIORITY = 3
#: The shipped areas (demo data, see its "note").
DEFAULT_AREAS_FILE = Path(__file__).with_name("areas.json")

_ID = re.compile(r"[a-z0-9][a-z0-9_.-]{0,63}")
_KIND = re.compile(r"[a-z][a-z0-9_]{0,31}")
_RAD = math.pi / 180.0


class AreaConfigError(ValueError):
    """An area of the configuration is malformed (the message names it and why)."""


# ---------------------------------------------------------------- the local plane
class _Plane:
    """Equirectangular projection around (lat0, lon0), in metres."""

    __slots__ = ("lat0", "lon0", "kx", "ky")

    def __init__(self, lat0: float, lon0: float):
        self.lat0, self.lon0 = lat0, lon0
        self.ky = EARTH_RADIUS_M * _RAD
        self.kx = self.ky * math.cos(lat0 * _RAD)

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        return (lon - self.lon0) * self.kx, (lat - self.lat0) * self.ky

    def latlon(self, x: float, y: float) -> LatLon:
        return self.lat0 + y / self.ky, self.lon0 + x / self.kx


def _cross(ax: float, ay: float, bx: float, by: float) -> float:
    return ax * by - ay * bx


def _dist_to_segment(px: float, py: float, ax: float, ay: float, bx: float, by: float) -> float:
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    if length2 == 0.0:
        return math.hypot(px - ax, py - ay)
    u = ((px - ax) * dx + (py - ay) * dy) / length2
    u = 0.0 if u < 0.0 else 1.0 if u > 1.0 else u
    return math.hypot(px - (ax + u * dx), py - (ay + u * dy))


def _inside_xy(px: float, py: float, pts: Sequence[tuple[float, float]],
               tol: float = BOUNDARY_TOLERANCE_M) -> bool:
    """Closed-polygon test in the plane: on the boundary (within ``tol``) is inside."""
    n = len(pts)
    inside = False
    x1, y1 = pts[-1]
    for i in range(n):
        x2, y2 = pts[i]
        if _dist_to_segment(px, py, x1, y1, x2, y2) <= tol:
            return True
        # half-open rule: the edge counts if exactly one end is strictly above the ray
        if (y1 > py) != (y2 > py):
            x_at = x1 + (py - y1) * (x2 - x1) / (y2 - y1)
            if x_at > px:
                inside = not inside
        x1, y1 = x2, y2
    return inside


# ---------------------------------------------------------------- polygons
def point_in_polygon(lat: float, lon: float, polygon: Sequence[LatLon]) -> bool:
    """Is (lat, lon) inside ``polygon`` (``(lat, lon)`` points, open or closed ring)?

    Ray casting in a local plane around the point; a point on an edge or vertex (within
    :data:`BOUNDARY_TOLERANCE_M`) is inside.
    """
    plane = _Plane(lat, lon)
    return _inside_xy(0.0, 0.0, [plane.xy(a, b) for a, b in polygon])


@dataclass(frozen=True)
class Crossing:
    """Where a segment enters or leaves an area: ``t`` in [0, 1] along it (0: the first
    fix), and the position there."""

    t: float
    kind: str                 # "enter" | "leave"
    lat: float
    lon: float


def segment_crossings(a: LatLon, b: LatLon, polygon: Sequence[LatLon], *,
                      inside_a: bool | None = None) -> list[Crossing]:
    """The entries and exits of ``polygon`` along the straight segment ``a`` → ``b``.

    ``inside_a`` overrides the state at ``a`` (the caller's known state, so a chain of
    segments stays consistent); the state at ``b`` is always the geometric one.  The
    transitions alternate and are ordered by ``t``; the state at ``b`` is ``inside_a``
    flipped once per transition.  Raises ValueError for a segment across the
    antimeridian (not supported).
    """
    (alat, alon), (blat, blon) = a, b
    if abs(blon - alon) > 180.0:
        raise ValueError("segment spans the antimeridian: not supported")
    plane = _Plane((alat + blat) * 0.5, (alon + blon) * 0.5)
    pts = [plane.xy(p, q) for p, q in polygon]
    ax, ay = plane.xy(alat, alon)
    bx, by = plane.xy(blat, blon)
    dx, dy = bx - ax, by - ay
    length = math.hypot(dx, dy)
    tol = BOUNDARY_TOLERANCE_M
    state_a = _inside_xy(ax, ay, pts) if inside_a is None else bool(inside_a)
    if length <= tol:                      # not moved: at most a correction of the state
        state_b = _inside_xy(bx, by, pts)
        if state_b == state_a:
            return []
        return [Crossing(1.0, "enter" if state_b else "leave", blat, blon)]

    cuts = {0.0, 1.0}
    t_tol = tol / length
    n = len(pts)
    for i in range(n):
        px, py = pts[i - 1]
        qx, qy = pts[i]
        ex, ey = qx - px, qy - py
        elen = math.hypot(ex, ey)
        if elen == 0.0:
            continue
        wx, wy = px - ax, py - ay
        denom = _cross(dx, dy, ex, ey)
        if abs(denom) > 1e-12 * length * elen:
            t = _cross(wx, wy, ex, ey) / denom
            u = _cross(wx, wy, dx, dy) / denom
            if -t_tol <= t <= 1.0 + t_tol and -tol / elen <= u <= 1.0 + tol / elen:
                cuts.add(min(1.0, max(0.0, t)))
        elif abs(_cross(wx, wy, dx, dy)) / length <= tol:      # collinear: an overlap
            tp = (wx * dx + wy * dy) / (length * length)
            tq = ((qx - ax) * dx + (qy - ay) * dy) / (length * length)
            lo, hi = max(0.0, min(tp, tq)), min(1.0, max(tp, tq))
            if lo <= hi:
                cuts.update((lo, hi))
    ts: list[float] = []
    for t in sorted(cuts):                 # merge cuts closer than the tolerance
        if not ts or (t - ts[-1]) * length > tol:
            ts.append(t)
        elif t == 1.0:
            ts[-1] = 1.0
    if ts[0] != 0.0:
        ts.insert(0, 0.0)
    # states: at a, on each piece between consecutive cuts (its midpoint), at b
    states = [state_a]
    for t0, t1 in zip(ts, ts[1:]):
        tm = (t0 + t1) * 0.5
        states.append(_inside_xy(ax + tm * dx, ay + tm * dy, pts))
    states.append(_inside_xy(bx, by, pts))
    out: list[Crossing] = []
    for i, t in enumerate(ts):             # between states[i] and states[i + 1]
        before, after = states[i], states[i + 1]
        if before != after:
            lat, lon = plane.latlon(ax + t * dx, ay + t * dy)
            out.append(Crossing(t, "enter" if after else "leave", lat, lon))
    return out


def _segments_touch(p1, p2, q1, q2, tol: float) -> bool:
    """Do closed segments p1p2 and q1q2 (plane points) intersect or come within tol?"""
    d1 = _cross(p2[0] - p1[0], p2[1] - p1[1], q1[0] - p1[0], q1[1] - p1[1])
    d2 = _cross(p2[0] - p1[0], p2[1] - p1[1], q2[0] - p1[0], q2[1] - p1[1])
    d3 = _cross(q2[0] - q1[0], q2[1] - q1[1], p1[0] - q1[0], p1[1] - q1[1])
    d4 = _cross(q2[0] - q1[0], q2[1] - q1[1], p2[0] - q1[0], p2[1] - q1[1])
    if ((d1 > 0) != (d2 > 0)) and ((d3 > 0) != (d4 > 0)) and d1 and d2 and d3 and d4:
        return True                                        # a proper crossing
    return min(_dist_to_segment(*q1, *p1, *p2), _dist_to_segment(*q2, *p1, *p2),
               _dist_to_segment(*p1, *q1, *q2), _dist_to_segment(*p2, *q1, *q2)) <= tol


def polygon_problems(polygon: Sequence[Sequence[float]]) -> list[str]:
    """Why ``polygon`` (``(lat, lon)`` points) is not a valid area; ``[]`` when it is.

    Checks: numbers in range, at least 3 distinct points once a closing point equal to
    the first is dropped, no repeated consecutive point, no span across the
    antimeridian, a non-zero area, and no self-intersection (two non-neighbouring edges
    that cross or touch, or neighbouring edges that fold back over each other).
    """
    problems: list[str] = []
    pts: list[LatLon] = []
    for i, p in enumerate(polygon):
        if (not isinstance(p, (list, tuple)) or len(p) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                           and math.isfinite(v) for v in p)):
            return [f"point {i} is not a [lat, lon] pair of numbers: {p!r}"]
        lat, lon = float(p[0]), float(p[1])
        if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
            return [f"point {i} {[lat, lon]} is out of range (points are [lat, lon])"]
        pts.append((lat, lon))
    if len(pts) >= 2 and pts[0] == pts[-1]:
        pts.pop()                                          # closed ring: drop the closing point
    if len(set(pts)) < 3:
        return ["fewer than 3 distinct points"]
    for i in range(len(pts)):
        if pts[i] == pts[i - 1]:
            problems.append(f"point {i} repeats the point before it")
    lons = [lon for _, lon in pts]
    if max(lons) - min(lons) > 180.0:
        problems.append("spans the antimeridian (not supported)")
    if problems:
        return problems
    plane = _Plane(sum(p[0] for p in pts) / len(pts), sum(lons) / len(pts))
    xy = [plane.xy(*p) for p in pts]
    n = len(xy)
    edges = [(xy[i], xy[(i + 1) % n]) for i in range(n)]
    tol = BOUNDARY_TOLERANCE_M
    for i in range(n):
        for j in range(i + 1, n):
            (p1, p2), (q1, q2) = edges[i], edges[j]
            if j == i + 1 or (i == 0 and j == n - 1):     # neighbours share one vertex
                shared, a_end, b_end = (p2, p1, q2) if j == i + 1 else (p1, p2, q1)
                if (_dist_to_segment(*a_end, *q1, *q2) <= tol
                        or _dist_to_segment(*b_end, *p1, *p2) <= tol):
                    problems.append(f"edges {i} and {j} fold back over each other")
                continue
            if _segments_touch(p1, p2, q1, q2, tol):
                problems.append(f"edges {i} and {j} intersect (the polygon crosses itself)")
    if not problems and abs(sum(_cross(*xy[i - 1], *xy[i]) for i in range(n))) * 0.5 < 1.0:
        problems.append("encloses no area")              # < 1 m²: degenerate
    return problems


# ---------------------------------------------------------------- areas
@dataclass(frozen=True)
class Area:
    """A monitored area: an open ring of ``(lat, lon)`` points (validated)."""

    id: str
    name: str
    kind: str
    polygon: tuple[LatLon, ...]
    priority: int = DEFAULT_PRIORITY
    description: str = ""
    demo: bool = False
    #: lat_min, lat_max, lon_min, lon_max (derived)
    bbox: tuple[float, float, float, float] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        lats = [p[0] for p in self.polygon]
        lons = [p[1] for p in self.polygon]
        object.__setattr__(self, "bbox", (min(lats), max(lats), min(lons), max(lons)))

    def _box_misses(self, lat_lo: float, lat_hi: float, lon_lo: float, lon_hi: float) -> bool:
        lat0, lat1, lon0, lon1 = self.bbox
        m = _BOX_MARGIN_DEG
        return lat_hi < lat0 - m or lat_lo > lat1 + m or lon_hi < lon0 - m or lon_lo > lon1 + m

    def contains(self, lat: float, lon: float) -> bool:
        """:func:`point_in_polygon` (the boundary is inside)."""
        if self._box_misses(lat, lat, lon, lon):
            return False
        return point_in_polygon(lat, lon, self.polygon)

    def crossings(self, a: LatLon, b: LatLon, *, inside_a: bool | None = None
                  ) -> list[Crossing]:
        """:func:`segment_crossings`; ``[]`` at once when the segment's box misses the
        area's and ``a`` is not known to be inside."""
        if abs(b[1] - a[1]) > 180.0:
            raise ValueError("segment spans the antimeridian: not supported")
        if not inside_a and self._box_misses(min(a[0], b[0]), max(a[0], b[0]),
                                             min(a[1], b[1]), max(a[1], b[1])):
            return []
        return segment_crossings(a, b, self.polygon, inside_a=inside_a)


#: Margin of the bounding-box pre-test, degrees (≈ 0.1 m: above the boundary tolerance).
_BOX_MARGIN_DEG = 1e-6


def area_from_config(item: Mapping[str, Any]) -> Area:
    """One area from its configuration mapping (see the module docstring)."""
    if not isinstance(item, Mapping):
        raise AreaConfigError(f"an area must be a mapping, not {type(item).__name__}")
    area_id = item.get("id")
    if not isinstance(area_id, str) or not _ID.fullmatch(area_id):
        raise AreaConfigError(f"area id {area_id!r}: expected [a-z0-9][a-z0-9_.-]*, "
                              "at most 64 characters")
    where = f"area {area_id!r}"
    name = item.get("name")
    if not isinstance(name, str) or not name.strip() or len(name) > 100:
        raise AreaConfigError(f"{where}: name must be non-empty text of at most 100 characters")
    kind = item.get("kind", "monitored")
    if not isinstance(kind, str) or not _KIND.fullmatch(kind):
        raise AreaConfigError(f"{where}: kind must be a lower-case word, not {kind!r}")
    priority = item.get("priority", KIND_PRIORITY.get(kind, DEFAULT_PRIORITY))
    if priority not in (1, 2, 3, 4) or isinstance(priority, bool):
        raise AreaConfigError(f"{where}: priority must be 1-4, not {priority!r}")
    description = item.get("description", "")
    if not isinstance(description, str):
        raise AreaConfigError(f"{where}: description must be text")
    polygon = item.get("polygon")
    if not isinstance(polygon, (list, tuple)):
        raise AreaConfigError(f"{where}: polygon must be a list of [lat, lon] points")
    problems = polygon_problems(polygon)
    if problems:
        raise AreaConfigError(f"{where}: polygon " + "; ".join(problems))
    pts = [(float(p[0]), float(p[1])) for p in polygon]
    if pts[0] == pts[-1]:
        pts.pop()
    return Area(area_id, name.strip(), kind, tuple(pts), int(priority), description,
                bool(item.get("demo", False)))


def areas_from_config(config: Mapping[str, Any] | Iterable[Mapping[str, Any]]
                      ) -> tuple[Area, ...]:
    """Areas from ``{"areas": [...]}`` or a list of area mappings; ids must be unique."""
    items = config.get("areas") if isinstance(config, Mapping) else config
    if items is None or isinstance(items, (str, bytes)) or not isinstance(items, Iterable):
        raise AreaConfigError("expected {'areas': [...]} or a list of areas")
    areas = tuple(area_from_config(item) for item in items)
    seen: set[str] = set()
    for area in areas:
        if area.id in seen:
            raise AreaConfigError(f"area id {area.id!r} is used twice")
        seen.add(area.id)
    return areas


def load_areas(path: str | Path | None = None) -> tuple[Area, ...]:
    """Areas from a JSON file (default: the shipped ``areas.json``, demo data)."""
    path = Path(path) if path is not None else DEFAULT_AREAS_FILE
    try:
        config = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise AreaConfigError(f"{path}: {exc}") from None
    try:
        return areas_from_config(config)
    except AreaConfigError as exc:
        raise AreaConfigError(f"{path}: {exc}") from None


__all__ = [
    "Area", "AreaConfigError", "BOUNDARY_TOLERANCE_M", "Crossing", "DEFAULT_AREAS_FILE",
    "DEFAULT_PRIORITY", "KIND_PRIORITY", "LatLon", "area_from_config", "areas_from_config",
    "load_areas", "point_in_polygon", "polygon_problems", "segment_crossings",
]
