"""``ioc-desktop tiles seed|info`` and the app's ``--tiles`` option, without Qt.

* ``tiles seed --url TEMPLATE --bbox W,S,E,N --zoom 8-15 --out FILE.mbtiles`` fills an
  MBTiles file from a tile server (:mod:`.seed`; the server's due: :mod:`.policy`);
* ``tiles info FILE`` describes one: its metadata, tiles per zoom, what the tiles
  cover, its size (``--json`` for a machine); the file is opened read-only.

Problems are told in one line on stderr in the user's language
(:mod:`ioc_desktop.cli_messages`, templates declared here in context ``CommandLine``)
with its exit codes: 2 a bad option (a bbox, a zoom above 19, OpenStreetMap's own
servers, which forbid seeding); 4 the tile server can't be reached, refuses the
requests or asks to wait too long (what was fetched is kept: run again to resume);
5 the file can't be used; 130 interrupted (what was fetched is kept).
"""
from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

from ioc_desktop.cli_messages import (EXIT_FILE, EXIT_NEVER_CONNECTED, EXIT_OK, EXIT_USAGE,
                                      CliError, emit, os_reason, say)
from ioc_desktop.tiles import policy
from ioc_desktop.tiles.mbtiles import MAX_WEB_MERCATOR_LAT, MBTiles, MBTilesError, count_tiles
from ioc_desktop.tiles.seed import Progress, SeedError, SeedPlan, Seeder, SeedResult
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

#: ``tiles seed`` refuses more than this many tiles at once (about 6 days at 2/s).
MAX_SEED_TILES = 1_000_000
DEFAULT_TILES_NAME = "tiles.mbtiles"        # beside the cache: the app's default --tiles

# ------------------------------------------------------------------------ templates
BAD_BBOX = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: not a bounding box; use WEST,SOUTH,EAST,NORTH in degrees, west < east and south < north (e.g. 107.4,16.2,107.9,16.8)")
BAD_ZOOM = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: not a zoom range; use MIN-MAX (e.g. 8-15) or one zoom level, from 0 to {max}")
ZOOM_TOO_DEEP = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: zoom {zoom} is deeper than {max}; tile servers' usage policies don't allow seeding that deep")
TOO_MANY_TILES = QT_TRANSLATE_NOOP("CommandLine", "{count} tiles is more than {max} for one seed; narrow --bbox or --zoom")
BULK_FORBIDDEN = QT_TRANSLATE_NOOP("CommandLine", "{host}: OpenStreetMap's tile usage policy forbids bulk downloading (seeding) from its servers ({policy}); use a tile server of your own, or one whose terms allow offline use")
BAD_CONTACT = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: not a contact; give an e-mail address or a URL, in plain ASCII")
NO_CONTACT = QT_TRANSLATE_NOOP("CommandLine", "warning: no --contact (or IOC_TILES_CONTACT): {host} can't tell whom to contact about these requests; add your e-mail address or URL")
TILES_UNUSABLE = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: not a usable MBTiles file: {reason}")
TILES_DEFAULT_UNUSABLE = QT_TRANSLATE_NOOP("CommandLine", "warning: {path} is not a usable MBTiles file ({reason}); the map shows its basemap only")
NO_SUCH_FILE = QT_TRANSLATE_NOOP("CommandLine", "no such file")
SEED_PLAN = QT_TRANSLATE_NOOP("CommandLine", "{total} tiles of zoom {zooms} from {host} into {path}: {already} already there, {todo} to fetch at {rate} tiles/s (about {eta})")
SEED_PROGRESS = QT_TRANSLATE_NOOP("CommandLine", "tiles: {done}/{total} ({percent} %): {fetched} fetched, {already} already there, {missing} missing, {failed} failed")
SEED_WAIT = QT_TRANSLATE_NOOP("CommandLine", "{host} asks to wait {seconds} s (HTTP {status}); slowing down to {rate} tiles/s")
SEED_DONE = QT_TRANSLATE_NOOP("CommandLine", "done: {fetched} tiles fetched ({size}), {already} already there, {missing} missing on the server, {failed} failed; {path} holds {tiles} tiles")
SEED_FAILURES = QT_TRANSLATE_NOOP("CommandLine", "failed tiles (the first ones): {failures}")
SEED_INTERRUPTED = QT_TRANSLATE_NOOP("CommandLine", "interrupted: {fetched} tiles fetched are kept in {path}; run the same command again to resume")
SEED_UNREACHABLE = QT_TRANSLATE_NOOP("CommandLine", "cannot reach {host}: {reason}; the {fetched} tiles fetched are kept in {path} (run again to resume)")
SEED_REFUSED = QT_TRANSLATE_NOOP("CommandLine", "{host} refused the tiles (HTTP {status}); stopped; the {fetched} tiles fetched are kept in {path}")
SEED_THROTTLED = QT_TRANSLATE_NOOP("CommandLine", "{host} asks to wait {seconds} s (HTTP {status}); stopped; the {fetched} tiles fetched are kept in {path}: run again later to resume")
INFO_HEAD = QT_TRANSLATE_NOOP("CommandLine", "{path}: {size}, {tiles} tiles")
INFO_METADATA = QT_TRANSLATE_NOOP("CommandLine", "metadata:")
INFO_ZOOMS = QT_TRANSLATE_NOOP("CommandLine", "tiles per zoom level:")
INFO_ZOOM_LINE = QT_TRANSLATE_NOOP("CommandLine", "zoom {zoom}: {tiles} tiles")
INFO_COVER = QT_TRANSLATE_NOOP("CommandLine", "the tiles of zoom {zoom} cover {bounds} (west, south, east, north)")
INFO_EMPTY = QT_TRANSLATE_NOOP("CommandLine", "no tiles yet")
INFO_VIEW = QT_TRANSLATE_NOOP("CommandLine", "its tiles are a view (a deduplicated file): this program reads it but never adds to it")
DURATION_S = QT_TRANSLATE_NOOP("CommandLine", "{n} s")
DURATION_MIN = QT_TRANSLATE_NOOP("CommandLine", "{n} min")
DURATION_H = QT_TRANSLATE_NOOP("CommandLine", "{h} h {m} min")


# ------------------------------------------------------------------------ options
def parse_bbox(value: str, option: str = "--bbox") -> tuple[float, float, float, float]:
    try:
        parts = [float(v) for v in str(value).split(",")]
    except ValueError:
        parts = []
    ok = (len(parts) == 4 and all(math.isfinite(v) for v in parts))
    if ok:
        west, south, east, north = parts
        ok = (-180 <= west < east <= 180 and -90 <= south < north <= 90
              and north > -MAX_WEB_MERCATOR_LAT and south < MAX_WEB_MERCATOR_LAT)
    if not ok:
        raise CliError(EXIT_USAGE, BAD_BBOX, option=option, value=value)
    return tuple(parts)  # type: ignore[return-value]


def parse_zooms(value: str, option: str = "--zoom") -> range:
    text = str(value).strip()
    low, sep, high = text.partition("-")
    try:
        a = int(low.strip(), 10)
        b = int(high.strip(), 10) if sep else a
    except ValueError:
        raise CliError(EXIT_USAGE, BAD_ZOOM, option=option, value=value, max=policy.MAX_ZOOM) from None
    if a < 0 or b < a:
        raise CliError(EXIT_USAGE, BAD_ZOOM, option=option, value=value, max=policy.MAX_ZOOM)
    if b > policy.MAX_ZOOM:
        raise CliError(EXIT_USAGE, ZOOM_TOO_DEEP, option=option, value=value, zoom=b, max=policy.MAX_ZOOM)
    return range(a, b + 1)


def parse_contact(value: str | None, option: str = "--contact") -> str | None:
    if value is None:
        return policy.contact_from_env()
    try:
        return policy.check_contact(value)
    except ValueError:
        raise CliError(EXIT_USAGE, BAD_CONTACT, option=option, value=value) from None


def _open_checked(path: Path, option: str) -> MBTiles:
    try:
        return MBTiles(path, readonly=True)
    except MBTilesError as exc:
        reason = say(NO_SUCH_FILE) if str(exc) == "no such file" else str(exc)
        raise CliError(EXIT_FILE, TILES_UNUSABLE, option=option, path=path, reason=reason) from None


def resolve_app_tiles(value: str | None, cache: Path, tile_url: str | None, offline: bool) -> Path | None:
    """The app's MBTiles file: ``--tiles FILE`` (it must be an MBTiles file, or, with a
    tile server to read through, a file that can be created: exit 5 otherwise), else
    ``tiles.mbtiles`` beside the cache when it exists (one that isn't usable: a warning
    and no tiles), or when there is a tile server to read through (it is created)."""
    from ioc_desktop.config import check_writable_file

    read_through = bool(tile_url) and not offline
    if value is not None:
        path = Path(os.path.expanduser(str(value)))
        if path.exists() or not read_through:
            _open_checked(path, "--tiles").close()
            return path
        return check_writable_file(path, "--tiles", example_name=DEFAULT_TILES_NAME)
    path = Path(cache).parent / DEFAULT_TILES_NAME
    if path.exists():
        try:
            _open_checked(path, "--tiles").close()
        except CliError as problem:
            emit(say(TILES_DEFAULT_UNUSABLE, path=path, reason=problem.args_.get("reason", "")))
            return None
        return path
    return path if read_through else None


# ------------------------------------------------------------------------ wording
def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB"):
        if size < 1024 or unit == "GiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def duration(seconds: float) -> str:
    seconds = max(0, int(math.ceil(seconds)))
    if seconds < 120:
        return say(DURATION_S, n=seconds)
    minutes = int(math.ceil(seconds / 60))
    if minutes < 120:
        return say(DURATION_MIN, n=minutes)
    return say(DURATION_H, h=minutes // 60, m=minutes % 60)


def _zooms_text(zooms: range) -> str:
    return str(zooms[0]) if len(zooms) == 1 else f"{zooms[0]}–{zooms[-1]}"


def _rate_text(rate: float) -> str:
    return f"{rate:g}"


def _is_loopback(host: str) -> bool:
    import ipaddress
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ------------------------------------------------------------------------ commands
def tiles_seed(url: str, bbox: tuple[float, float, float, float], zooms: range, out: Path, *,
               rate: float = policy.DEFAULT_RATE, contact: str | None = None, name: str | None = None,
               attribution: str | None = None, quiet: bool = False, stderr=None,
               session=None) -> int:
    """Seed ``out`` (options already checked by main.py); returns the exit code."""
    stderr = stderr or sys.stderr
    host = urlsplit(url).hostname or url
    if policy.bulk_download_forbidden(url):
        raise CliError(EXIT_USAGE, BULK_FORBIDDEN, host=host, policy=policy.OSM_POLICY_URL)
    total = count_tiles(bbox, zooms)
    if total > MAX_SEED_TILES:
        raise CliError(EXIT_USAGE, TOO_MANY_TILES, count=total, max=MAX_SEED_TILES)
    if contact is None and not _is_loopback(host):
        emit(say(NO_CONTACT, host=host), stderr)
    plan = SeedPlan(url, bbox, zooms, out, rate=rate, contact=contact, name=name, attribution=attribution)

    def line(result: SeedResult) -> str:
        percent = 100 * result.done // result.total if result.total else 100
        return say(SEED_PROGRESS, done=result.done, total=result.total, percent=percent,
                   fetched=result.fetched, already=result.already, missing=result.missing,
                   failed=result.failed)

    progress = Progress(line, stderr, quiet)
    announced = []

    def on_progress(result: SeedResult) -> None:
        if not announced:
            announced.append(True)
            todo = result.total - result.already
            if not quiet:
                emit(say(SEED_PLAN, total=result.total, zooms=_zooms_text(zooms), host=host, path=out,
                         already=result.already, todo=todo, rate=_rate_text(rate),
                         eta=duration(todo / rate)), stderr)
        progress.update(result)

    def on_wait(seconds: float, status: int, new_rate: float) -> None:
        progress.note(f"ioc-desktop: {say(SEED_WAIT, host=host, seconds=math.ceil(seconds), status=status, rate=_rate_text(new_rate))}")

    seeder = Seeder(plan, session=session, on_progress=on_progress, on_wait=on_wait)
    try:
        result = seeder.run()
    except KeyboardInterrupt:
        progress.end()
        emit(say(SEED_INTERRUPTED, fetched=seeder.result.fetched, path=out), stderr)
        return 130
    except SeedError as exc:
        progress.end()
        fetched = seeder.result.fetched
        if exc.kind == "file":
            raise CliError(EXIT_FILE, TILES_UNUSABLE, option="--out", path=out,
                           reason=exc.details.get("reason", "")) from None
        if exc.kind == "unreachable":
            raise CliError(EXIT_NEVER_CONNECTED, SEED_UNREACHABLE, host=host, path=out, fetched=fetched,
                           reason=exc.details.get("reason", "")) from None
        if exc.kind == "throttled":
            raise CliError(EXIT_NEVER_CONNECTED, SEED_THROTTLED, host=host, path=out, fetched=fetched,
                           seconds=exc.details["seconds"], status=exc.details["status"]) from None
        raise CliError(EXIT_NEVER_CONNECTED, SEED_REFUSED, host=host, path=out, fetched=fetched,
                       status=exc.details.get("status")) from None
    progress.update(result, force=True)
    progress.end()
    try:
        with MBTiles(out, readonly=True) as mb:
            held = mb.info().tiles
    except MBTilesError:
        held = result.already + result.fetched
    emit(say(SEED_DONE, fetched=result.fetched, size=human_size(result.fetched_bytes),
             already=result.already, missing=result.missing, failed=result.failed, path=out,
             tiles=held), stderr)
    if result.failures:
        emit(say(SEED_FAILURES, failures="; ".join(result.failures)), stderr)
    return EXIT_OK


def tiles_info(path: Path, *, as_json: bool = False, stdout=None) -> int:
    stdout = stdout or sys.stdout
    mb = _open_checked(Path(path), "tiles info")
    try:
        info = mb.info()
    except Exception as exc:     # a damaged file found while reading it
        raise CliError(EXIT_FILE, TILES_UNUSABLE, option="tiles info", path=path,
                       reason=os_reason(exc) if isinstance(exc, OSError) else str(exc)) from None
    finally:
        mb.close()
    if as_json:
        print(json.dumps(info.as_dict(), ensure_ascii=False, indent=2), file=stdout)
        stdout.flush()
        return EXIT_OK
    lines = [say(INFO_HEAD, path=path, size=human_size(info.size), tiles=info.tiles)]
    if info.metadata:
        lines.append(say(INFO_METADATA))
        width = max(len(k) for k in info.metadata)
        for key in sorted(info.metadata):
            value = info.metadata[key]
            if len(value) > 200:
                value = value[:200] + "…"
            lines.append(f"  {key.ljust(width)}  {say('{v}', v=value)}")
    if info.zooms:
        lines.append(say(INFO_ZOOMS))
        for zoom, n in sorted(info.zooms.items()):
            lines.append("  " + say(INFO_ZOOM_LINE, zoom=zoom, tiles=n))
        lines.append(say(INFO_COVER, zoom=max(info.zooms),
                         bounds=",".join(f"{v:g}" for v in info.tile_bounds)))
    else:
        lines.append(say(INFO_EMPTY))
    if info.tiles_is_view:
        lines.append(say(INFO_VIEW))
    print("\n".join(lines), file=stdout)
    stdout.flush()
    return EXIT_OK
