"""Likely duplicates of a citizen report: same category, still open, within about 50 m.

The supervisor merges a duplicate with one action (``merge``); this finds the
candidates.  One SQL query over the ``(service_code, lat, long)`` index selects the
reports in a latitude/longitude box around the report, then the exact great-circle
distance keeps those within the radius.  Pure Python, no Qt; runs on a reader
connection (off the GUI thread).
"""
from __future__ import annotations

import math

from .queue_query import TABLE
from .workflow import FINISHED

EARTH_RADIUS_M = 6_371_008.8          # mean radius (IUGG)


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def box(lat: float, lon: float, radius_m: float) -> tuple[float, float, float, float]:
    """``(lat_min, lat_max, lon_min, lon_max)`` holding every point within ``radius_m``
    (a little wider: the exact test follows).  Not for the poles or the antimeridian."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M) * 1.01
    dlon = dlat / max(math.cos(math.radians(min(abs(lat) + dlat, 89.9))), 1e-9)
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def suggest_duplicates(conn, data: dict, radius_m: float = 50.0, limit: int = 5, *,
                       table: str = TABLE) -> list[tuple[str, float]]:
    """``[(key, distance_m), …]``, nearest first (then by key): the reports with the same
    ``service_code`` as ``data``, still open (not closed or rejected, not merged into
    another), within ``radius_m`` metres of it, itself excluded.  A report without a
    position or category has none."""
    lat, lon, code = data.get("lat"), data.get("long"), data.get("service_code")
    if not isinstance(lat, (int, float)) or not isinstance(lon, (int, float)) or not code:
        return []
    lat_min, lat_max, lon_min, lon_max = box(lat, lon, radius_m)
    finished = ", ".join("?" * len(FINISHED))
    rows = conn.execute(
        f"SELECT key, lat, long FROM {table} WHERE service_code = ? "
        f"AND lat BETWEEN ? AND ? AND long BETWEEN ? AND ? "
        f"AND ioc_status NOT IN ({finished}) AND merged_into IS NULL AND key IS NOT ?",
        (code, lat_min, lat_max, lon_min, lon_max, *FINISHED,
         data.get("service_request_id"))).fetchall()
    found = [(key, haversine_m(lat, lon, la, lo)) for key, la, lo in rows]
    found = sorted((k, d) for k, d in found if d <= radius_m)
    found.sort(key=lambda kd: kd[1])
    return found[:max(0, limit)]
