"""An MBTiles 1.3 file: SQLite with ``metadata(name, value)`` and
``tiles(zoom_level, tile_column, tile_row, tile_data)``.

Rows are TMS: ``tile_row = 2**z - 1 - y`` for the XYZ ``y`` of tile URLs (the spec's
example: 11/327/791 is stored as row 1256).  Everything here speaks XYZ and flips at the
SQL boundary.  ``tiles`` may be a view (a deduplicating file): such a file is read, never
written.  New files get the spec's unique index and MBTiles' SQLite application id.
"""
from __future__ import annotations

import math
import os
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

APPLICATION_ID = 0x4D504258          # "MPBX": the id SQLite's magic.txt assigns to MBTiles
MAX_WEB_MERCATOR_LAT = 85.0511287798
FORMATS = {"png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "webp": "image/webp"}


class MBTilesError(Exception):
    """The file is not a usable MBTiles file (not SQLite, no tiles table, read-only…)."""


# ------------------------------------------------------------------------ tile maths
def tms_row(z: int, y: int) -> int:
    """XYZ ``y`` <-> TMS ``tile_row`` (the flip is its own inverse)."""
    return (1 << z) - 1 - y


def lonlat_to_tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The XYZ tile holding a point (Web Mercator; latitudes clamped to its range)."""
    n = 1 << z
    lat = max(-MAX_WEB_MERCATOR_LAT, min(MAX_WEB_MERCATOR_LAT, lat))
    x = int((lon + 180.0) / 360.0 * n)
    rad = math.radians(lat)
    y = int((1.0 - math.asinh(math.tan(rad)) / math.pi) / 2.0 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """``(west, south, east, north)`` of an XYZ tile, in degrees."""
    n = 1 << z

    def lat(yy: int) -> float:
        return math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * yy / n))))

    return x / n * 360.0 - 180.0, lat(y + 1), (x + 1) / n * 360.0 - 180.0, lat(y)


def tile_range(bbox: tuple[float, float, float, float], z: int) -> tuple[range, range]:
    """The XYZ columns and rows of zoom ``z`` covering ``bbox`` (west, south, east, north)."""
    west, south, east, north = bbox
    x0, y0 = lonlat_to_tile(west, north, z)
    x1, y1 = lonlat_to_tile(east, south, z)
    # an east or south edge exactly on a tile boundary does not take the next tile
    if x1 > x0 and tile_bounds(z, x1, y0)[0] >= east:
        x1 -= 1
    if y1 > y0 and tile_bounds(z, x0, y1)[3] <= south:
        y1 -= 1
    return range(x0, x1 + 1), range(y0, y1 + 1)


def count_tiles(bbox: tuple[float, float, float, float], zooms: Iterable[int]) -> int:
    total = 0
    for z in zooms:
        xs, ys = tile_range(bbox, z)
        total += len(xs) * len(ys)
    return total


def image_type(data: bytes) -> str | None:
    """``png``, ``jpg`` or ``webp`` from the first bytes, else None."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    return None


# ------------------------------------------------------------------------ the file
@dataclass
class TilesetInfo:
    """What ``tiles info`` tells about a file."""
    path: str
    size: int                                 # bytes, with its -wal file if any
    metadata: dict[str, str]
    zooms: dict[int, int] = field(default_factory=dict)        # zoom -> tiles
    tile_bytes: int = 0
    tile_bounds: tuple[float, float, float, float] | None = None   # of the tiles at the top zoom
    tiles_is_view: bool = False

    @property
    def tiles(self) -> int:
        return sum(self.zooms.values())

    def as_dict(self) -> dict:
        return {"path": self.path, "size": self.size, "metadata": self.metadata,
                "zooms": {str(z): n for z, n in sorted(self.zooms.items())},
                "tiles": self.tiles, "tile_bytes": self.tile_bytes,
                "tile_bounds": list(self.tile_bounds) if self.tile_bounds else None,
                "tiles_is_view": self.tiles_is_view}


class MBTiles:
    """One MBTiles file.  ``create``: make it (and its tables) if missing;
    ``readonly``: never write (opened ``mode=ro``).  Not thread-safe: one thread uses
    one instance (``check_same_thread`` is off so that it may be handed over)."""

    def __init__(self, path: str | os.PathLike, *, create: bool = False, readonly: bool = False,
                 timeout: float = 5.0):
        self.path = Path(path)
        self.readonly = readonly
        if not self.path.exists() and not create:
            raise MBTilesError("no such file")
        if self.path.exists() and not self.path.is_file():
            raise MBTilesError("not a regular file")
        try:
            if readonly:
                uri = self.path.absolute().as_uri() + "?mode=ro"
                self.conn = sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)
            else:
                self.conn = sqlite3.connect(self.path, timeout=timeout, check_same_thread=False)
        except sqlite3.Error as exc:
            raise MBTilesError(f"cannot open: {exc}") from None
        try:
            self._check(create)
        except sqlite3.DatabaseError as exc:
            self.conn.close()
            raise MBTilesError(f"not an SQLite database, or a damaged one ({exc})") from None
        except MBTilesError:
            self.conn.close()
            raise

    def _check(self, create: bool) -> None:
        kinds = dict(self.conn.execute(
            "SELECT name, type FROM sqlite_master WHERE name IN ('tiles', 'metadata')"))
        if not kinds and create and not self.readonly:
            with self.conn:
                self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                self.conn.execute("CREATE TABLE metadata (name text, value text)")
                self.conn.execute("CREATE UNIQUE INDEX name ON metadata (name)")
                self.conn.execute("CREATE TABLE tiles (zoom_level integer, tile_column integer, "
                                  "tile_row integer, tile_data blob)")
                self.conn.execute("CREATE UNIQUE INDEX tile_index ON tiles "
                                  "(zoom_level, tile_column, tile_row)")
            kinds = {"tiles": "table", "metadata": "table"}
        if "tiles" not in kinds:
            if self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                raise MBTilesError("not an MBTiles file (no tiles table)")
            raise MBTilesError("not an MBTiles file (an empty database)")
        columns = {row[1] for row in self.conn.execute("PRAGMA table_info(tiles)")}
        missing = {"zoom_level", "tile_column", "tile_row", "tile_data"} - columns
        if missing:
            raise MBTilesError(f"not an MBTiles file (tiles has no {', '.join(sorted(missing))})")
        self.tiles_is_view = kinds["tiles"] == "view"
        self.has_metadata = "metadata" in kinds
        self._unique = not self.tiles_is_view and any(
            row[2] and {c[2] for c in self.conn.execute(f"PRAGMA index_info('{row[1]}')")}
            == {"zoom_level", "tile_column", "tile_row"}
            for row in self.conn.execute("PRAGMA index_list(tiles)"))

    @property
    def writable(self) -> bool:
        return not self.readonly and not self.tiles_is_view and self.has_metadata

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> "MBTiles":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---------------------------------------------------------------- metadata
    def metadata(self) -> dict[str, str]:
        if not self.has_metadata:
            return {}
        return {str(k): "" if v is None else str(v)
                for k, v in self.conn.execute("SELECT name, value FROM metadata")}

    def set_metadata(self, values: dict[str, str | None]) -> None:
        """Set (None: remove) metadata rows; committed with the next :meth:`commit`."""
        self._need_writable()
        for name, value in values.items():
            self.conn.execute("DELETE FROM metadata WHERE name = ?", (name,))
            if value is not None:
                self.conn.execute("INSERT INTO metadata (name, value) VALUES (?, ?)", (name, str(value)))

    # ---------------------------------------------------------------- tiles
    def get(self, z: int, x: int, y: int) -> bytes | None:
        row = self.conn.execute(
            "SELECT tile_data FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            (z, x, tms_row(z, y))).fetchone()
        return bytes(row[0]) if row and row[0] is not None else None

    def has(self, z: int, x: int, y: int) -> bool:
        return self.conn.execute(
            "SELECT 1 FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
            (z, x, tms_row(z, y))).fetchone() is not None

    def existing(self, z: int, xs: range, ys: range) -> set[tuple[int, int]]:
        """The XYZ ``(x, y)`` of the tiles of zoom ``z`` in these ranges already here."""
        if not xs or not ys:
            return set()
        rows = self.conn.execute(
            "SELECT tile_column, tile_row FROM tiles WHERE zoom_level = ? AND tile_column BETWEEN ? AND ? "
            "AND tile_row BETWEEN ? AND ?",
            (z, xs[0], xs[-1], tms_row(z, ys[-1]), tms_row(z, ys[0])))
        return {(x, tms_row(z, row)) for x, row in rows}

    def put(self, z: int, x: int, y: int, data: bytes) -> None:
        """Store (or replace) a tile; committed with the next :meth:`commit`."""
        self._need_writable()
        row = tms_row(z, y)
        if not self._unique:         # a file made without the index: no duplicates anyway
            self.conn.execute("DELETE FROM tiles WHERE zoom_level = ? AND tile_column = ? AND tile_row = ?",
                              (z, x, row))
        self.conn.execute("INSERT OR REPLACE INTO tiles (zoom_level, tile_column, tile_row, tile_data) "
                          "VALUES (?, ?, ?, ?)", (z, x, row, sqlite3.Binary(data)))

    def commit(self) -> None:
        if not self.readonly:
            self.conn.commit()

    def _need_writable(self) -> None:
        if self.readonly:
            raise MBTilesError("opened read-only")
        if self.tiles_is_view:
            raise MBTilesError("its tiles are a view (a deduplicated file): it can be read, not added to")
        if not self.has_metadata:
            raise MBTilesError("not an MBTiles file (no metadata table)")

    # ---------------------------------------------------------------- describing
    def info(self) -> TilesetInfo:
        size = 0
        for suffix in ("", "-wal"):
            try:
                size += os.path.getsize(str(self.path) + suffix)
            except OSError:
                pass
        info = TilesetInfo(str(self.path), size, self.metadata(), tiles_is_view=self.tiles_is_view)
        for z, n, nbytes in self.conn.execute(
                "SELECT zoom_level, count(*), sum(length(tile_data)) FROM tiles GROUP BY zoom_level "
                "ORDER BY zoom_level"):
            if isinstance(z, int):
                info.zooms[z] = n
                info.tile_bytes += nbytes or 0
        if info.zooms:
            top = max(info.zooms)
            x0, x1, r0, r1 = self.conn.execute(
                "SELECT min(tile_column), max(tile_column), min(tile_row), max(tile_row) FROM tiles "
                "WHERE zoom_level = ?", (top,)).fetchone()
            west, _, _, north = tile_bounds(top, x0, tms_row(top, r1))
            _, south, east, _ = tile_bounds(top, x1, tms_row(top, r0))
            info.tile_bounds = (round(west, 6), round(south, 6), round(east, 6), round(north, 6))
        return info
