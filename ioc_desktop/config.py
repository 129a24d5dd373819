"""Run-time configuration: defaults, environment and command line, no Qt."""
from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ioc_desktop.cli_messages import (BAD_FEED_URL, BAD_IMAGE_NAME, BAD_INTEGER, BAD_LANGUAGE,
                                      BAD_MEDIA_ORIGIN,
                                      BAD_NUMBER, BAD_SECONDS, BAD_TILE_URL, BAD_TOKEN,
                                      CANNOT_CREATE_DIRECTORY, CANNOT_WRITE_DIRECTORY,
                                      CANNOT_WRITE_FILE, EXIT_FILE, EXIT_USAGE, PARENT_IS_FILE,
                                      PATH_BAD_NAME, PATH_IS_DIRECTORY, PATH_NOT_REGULAR,
                                      PLAIN_WS_REMOTE, CliError, languages, os_reason,
                                      primary_language)
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

# The demo backend's token, documented in the README; the client's default token too,
# so that `ioc-desktop sync` against `ioc-desktop serve-demo` works without naming it.
DEMO_TOKEN = "hue-ioc-demo"
DEFAULT_LANG = "vi"
# `sync`: after --run-for, how long it waits more for the acks of the queued actions it
# sent (documented in its --help and the README).
ACK_GRACE = 5.0


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "ioc-desktop"


def default_cache_path() -> Path:
    return default_cache_dir() / "cache.sqlite"


@dataclass
class ClientConfig:
    server: str | None = None          # None: start the embedded demo backend
    token: str = DEMO_TOKEN
    cache: Path = default_cache_path()
    lang: str = DEFAULT_LANG
    offline: bool = False              # review the cache, don't connect
    tile_url: str | None = None        # e.g. a local MBTiles server; None: offline basemap
    # the map's MBTiles file (--tiles; default <cache dir>/tiles.mbtiles if it exists, or
    # if tile_url is read through into it); None: no tiles, the offline basemap
    tiles: Path | None = None
    # other origins (scheme://host:port) camera snapshots and photos may come from; the
    # backend's own origin is always allowed, and only it ever gets the token
    media_origins: tuple[str, ...] = ()
    seed: int = 1                      # embedded demo backend
    rate: float = 50.0                 # embedded demo backend, events/s
    # days of history the cache keeps (--retention-days; ioc_desktop.store.retention):
    # older events are folded into a checkpoint, and the file stops growing
    retention_days: float = 7.0


# --------------------------------------------------------------- checking the options
# Everything the user gives on the command line is checked here before any window,
# thread or connection exists; a bad value raises CliError (one line in the user's
# language, a documented exit code: see ioc_desktop.cli_messages).

#: --run-for's upper bound: Qt's timers take at most 2**31 ms (24.8 days).
MAX_SECONDS = 2_000_000
MAX_RATE = 1_000_000              # demo backend events/s
MAX_COUNT = 1_000_000_000         # --retain, --preload
MAX_SEED = 2 ** 32 - 1
MAX_RETENTION_DAYS = 3650         # --retention-days: ten years
BAD_DAYS = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: must be a number of days greater than 0 (at most {max})")
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp")
TILE_URL_EXAMPLE = "http(s)://HOST/…/{z}/{x}/{y}.png"
_TOKEN_CHARS = frozenset(chr(c) for c in range(0x21, 0x7F))   # visible ASCII


def check_server(value: str, option: str = "--server") -> str:
    """A feed URL: ``wss://`` anywhere, ``ws://`` only on loopback, a valid port."""
    from urllib.parse import urlsplit

    from ioc_desktop.protocol import check_feed_url, is_loopback_url

    try:
        urlsplit(value).port          # ValueError on a port out of range or not a number
        return check_feed_url(value)
    except ValueError:
        pass
    try:
        parts = urlsplit(value)
        parts.port
        plain_ws = (parts.scheme == "ws" and bool(parts.hostname)
                    and not is_loopback_url(value))
    except ValueError:
        plain_ws = False
    raise CliError(EXIT_USAGE, PLAIN_WS_REMOTE if plain_ws else BAD_FEED_URL,
                   option=option, value=value)


def check_media_origin(value: str, option: str = "--media-origin") -> str:
    """``http(s)://HOST[:PORT]``, the rule the media downloader applies."""
    from ioc_desktop.media import media_origin
    try:
        media_origin(value)
    except ValueError:
        raise CliError(EXIT_USAGE, BAD_MEDIA_ORIGIN, option=option, value=value) from None
    return value


def check_tile_url(value: str, option: str = "--tile-url") -> str:
    """A tile server template: ``http(s)://HOST/…{z}…{x}…{y}…``."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
        ok = (parts.scheme in ("http", "https") and bool(parts.hostname)
              and all(f"{{{c}}}" in value for c in "zxy"))
        parts.port                                  # ValueError on a bad port
    except ValueError:
        ok = False
    if not ok:
        raise CliError(EXIT_USAGE, BAD_TILE_URL, option=option, value=value,
                       example=TILE_URL_EXAMPLE)
    return value


def check_token(value: str, option: str = "--token") -> str:
    """A bearer token goes into an HTTP header: visible ASCII, no spaces."""
    if not value or not set(value) <= _TOKEN_CHARS:
        raise CliError(EXIT_USAGE, BAD_TOKEN, option=option)
    return value


def check_lang(value: str, option: str = "--lang") -> str:
    """A language the app has (``vi``, ``en``; ``vi_VN`` means ``vi``); its code."""
    code = primary_language(value or "")
    available = languages()
    if code not in available:
        raise CliError(EXIT_USAGE, BAD_LANGUAGE, option=option, value=value,
                       languages=", ".join(available))
    return code


def _number(value) -> float | None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        try:
            number = float(str(value).strip())
        except ValueError:
            return None
    return number if math.isfinite(number) else None


def parse_seconds(value, option: str) -> float:
    """A duration: a number of seconds, > 0 and at most :data:`MAX_SECONDS`."""
    number = _number(value)
    if number is None or not 0 < number <= MAX_SECONDS:
        raise CliError(EXIT_USAGE, BAD_SECONDS, option=option, value=value, max=MAX_SECONDS)
    return number


def parse_retention_days(value, option: str = "--retention-days") -> float:
    """Days of history the cache keeps: a number > 0 (fractions too: 0.5 is 12 h), at
    most :data:`MAX_RETENTION_DAYS`."""
    number = _number(value)
    if number is None or not 0 < number <= MAX_RETENTION_DAYS:
        raise CliError(EXIT_USAGE, BAD_DAYS, option=option, value=value, max=MAX_RETENTION_DAYS)
    return number


def parse_number(value, option: str, low: float, high: float) -> float:
    number = _number(value)
    if number is None or not low <= number <= high:
        raise CliError(EXIT_USAGE, BAD_NUMBER, option=option, value=value, min=low, max=high)
    return number


def parse_integer(value, option: str, low: int, high: int) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    else:
        try:
            number = int(str(value).strip(), 10)
        except ValueError:
            number = None
    if number is None or not low <= number <= high:
        raise CliError(EXIT_USAGE, BAD_INTEGER, option=option, value=value, min=low, max=high)
    return number


def check_writable_file(path, option: str, *, example_name: str,
                        exit_code: int = EXIT_FILE) -> Path:
    """A file this program will create or rewrite (the cache, a screenshot, a log):
    not a directory nor a device, in a directory that exists or can be made and can be
    written (probed with a temporary file: permissions alone say nothing to root, nor
    about read-only or virtual file systems); an existing file must open for writing.
    Creates the missing directories, as the program would a moment later.  Returns
    the path with ``~`` expanded."""
    raw = str(path)
    try:
        p = Path(os.path.expanduser(raw))
        if p.is_dir():
            raise CliError(exit_code, PATH_IS_DIRECTORY, option=option, path=raw,
                           example=p / example_name)
        if p.exists() and not p.is_file():
            raise CliError(exit_code, PATH_NOT_REGULAR, option=option, path=raw)
        directory = p.absolute().parent
        existing = directory
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if not existing.is_dir():
            raise CliError(exit_code, PARENT_IS_FILE, option=option, path=raw, parent=existing)
    except (ValueError, OSError):   # a NUL in the name, a name too long, …
        raise CliError(exit_code, PATH_BAD_NAME, option=option, path=raw) from None
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(exit_code, CANNOT_CREATE_DIRECTORY, option=option, path=raw,
                       directory=directory, reason=os_reason(exc)) from None
    try:
        fd, probe = tempfile.mkstemp(prefix=".ioc-write-test-", dir=directory)
        os.close(fd)
        os.unlink(probe)
    except OSError as exc:
        raise CliError(exit_code, CANNOT_WRITE_DIRECTORY, option=option, path=raw,
                       directory=directory, reason=os_reason(exc)) from None
    if p.exists():
        try:
            os.close(os.open(p, os.O_RDWR))
        except OSError as exc:
            raise CliError(exit_code, CANNOT_WRITE_FILE, option=option, path=raw,
                           reason=os_reason(exc)) from None
    return p


def check_image_path(path, option: str = "--screenshot") -> Path:
    """Where to save a screenshot: an image name Qt can write, in a writable directory."""
    if Path(str(path)).suffix.lower() not in IMAGE_SUFFIXES:
        raise CliError(EXIT_USAGE, BAD_IMAGE_NAME, option=option, path=path,
                       suffixes=", ".join(IMAGE_SUFFIXES))
    return check_writable_file(path, option, example_name="shot.png")
