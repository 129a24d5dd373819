"""Command-line messages in the user's language, without Qt.

The headless commands (``sync``, ``serve-demo``) and the checks ``main.py`` makes
before any window or thread exists tell the user what is wrong in ONE line on stderr,
in the user's language (Vietnamese by default, ``--lang en`` for English), and exit
with one of the documented codes below.  Never a traceback.

The English templates are declared here as data with ``QT_TRANSLATE_NOOP("CommandLine",
"…")``, so ``python -m ioc_desktop.i18n update`` extracts them into
``resources/i18n/ioc_<lang>.ts`` with every other string.  At run time they are looked
up in that ``.ts`` file through :mod:`ioc_desktop.ts_catalog`, the Qt-free half of the
translations, because these commands must not need Qt.  Templates use
named ``str.format`` fields (``{option}``, ``{path}``, …): a translation must keep them.
A translation that can't be read or filled falls back to the English template.
"""
from __future__ import annotations

import errno
import logging
import sys
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Mapping

from ioc_desktop.ts_catalog import (QT_TRANSLATE_NOOP, SOURCE_LANGUAGE, available_languages,
                                    parse_ts, primary_language, ts_path_for)

log = logging.getLogger(__name__)

PROG = "ioc-desktop"
CONTEXT = "CommandLine"           # the .ts context of every string here

# ------------------------------------------------------------------------ exit codes
EXIT_OK = 0
EXIT_INTERNAL = 1        # an unexpected error (a bug): one line, details with -v
EXIT_USAGE = 2           # a bad option, value or command line
EXIT_UNAUTHORISED = 3    # sync: the backend refused the token
EXIT_NEVER_CONNECTED = 4  # sync: never went live (the message names server and reason)
EXIT_FILE = 5            # a file it must write can't be used: the cache, the
                         # screenshot's directory, serve-demo's --log
EXIT_LISTEN = 6          # serve-demo: can't listen on --host/--port

EXIT_CODES_HELP = """\
exit codes:
  0  done
  1  unexpected error (a bug; -v shows the details)
  2  bad option, value or command line
  3  not authorised (sync: check --token or IOC_TOKEN)
  4  never connected (sync: the message names the server and the last reason)
  5  a file can't be used: the cache (--cache), the screenshot's directory,
     serve-demo's --log
  6  serve-demo can't listen on --host/--port (address in use, unknown host)"""




# ------------------------------------------------------------------------ templates
# Options and values
BAD_FEED_URL = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: not a feed address; use wss://HOST/feed (or ws:// on this computer)")
PLAIN_WS_REMOTE = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: plain ws:// is allowed only to this computer (loopback: 127.0.0.1, localhost); use wss://")
BAD_TILE_URL = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: not a tile address; use {example}")
BAD_MEDIA_ORIGIN = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: not a media origin; use http(s)://HOST[:PORT]")
BAD_TOKEN = QT_TRANSLATE_NOOP("CommandLine", "{option}: the token is empty or contains characters a token can't have (spaces, control or non-ASCII characters)")
BAD_LANGUAGE = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: no such language; available: {languages}")
BAD_MOMENT = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: must be a date and time like 2026-10-14T02:40 (Huế time unless it has an offset) or epoch seconds")
BAD_SECONDS = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: must be a number of seconds greater than 0 (at most {max})")
BAD_NUMBER = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: must be a number from {min} to {max}")
BAD_INTEGER = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: must be a whole number from {min} to {max}")
BAD_IMAGE_NAME = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: the file name must end in {suffixes}")
# Files
PATH_IS_DIRECTORY = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: is a directory; name a file in it, e.g. {example}")
PATH_NOT_REGULAR = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: not a regular file")
PATH_BAD_NAME = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: not a usable file name")
PARENT_IS_FILE = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: {parent} is a file, not a directory")
CANNOT_CREATE_DIRECTORY = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: cannot create the directory {directory}: {reason}")
CANNOT_WRITE_DIRECTORY = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: cannot write in the directory {directory}: {reason}")
CANNOT_WRITE_FILE = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: cannot open the file for writing: {reason}")
CACHE_UNUSABLE = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: the cache cannot be opened or written: {reason}")
LOG_UNUSABLE = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: the demo backend's log cannot be used: {reason}")
# The video wall's configuration (--wall FILE, wall init): "{path}: {key}: {problem}"
WALL_UNREADABLE = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: the wall configuration cannot be read: {reason}")
WALL_NOT_TOML = QT_TRANSLATE_NOOP("CommandLine", "{path}: not a valid TOML file: {reason}")
WALL_BAD = QT_TRANSLATE_NOOP("CommandLine", "{path}: {key}: {problem}")
WALL_EXISTS = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: the file exists; add --force to replace it")
WALL_WRITTEN = QT_TRANSLATE_NOOP("CommandLine", "wrote {path}: {n} screen(s): {names}; edit it, then start with --wall {path}")
WALL_UNKNOWN_KEY = QT_TRANSLATE_NOOP("CommandLine", "unknown key; expected one of: {expected}")
WALL_MISSING = QT_TRANSLATE_NOOP("CommandLine", "missing; it is required")
WALL_NOT_NUMBER = QT_TRANSLATE_NOOP("CommandLine", "{value}: must be a number from {min} to {max}")
WALL_NOT_POSITIVE = QT_TRANSLATE_NOOP("CommandLine", "{value}: must be a number greater than {min}, at most {max}")
WALL_NOT_INTEGER = QT_TRANSLATE_NOOP("CommandLine", "{value}: must be a whole number from {min} to {max}")
WALL_NOT_TEXT = QT_TRANSLATE_NOOP("CommandLine", "{value}: must be a text")
WALL_NOT_TEXTS = QT_TRANSLATE_NOOP("CommandLine", "{value}: must be a list of texts")
WALL_NOT_TABLE = QT_TRANSLATE_NOOP("CommandLine", "must be a table ({example})")
WALL_NOT_TABLES = QT_TRANSLATE_NOOP("CommandLine", "must be a list of tables ({example})")
WALL_EMPTY = QT_TRANSLATE_NOOP("CommandLine", "must not be empty")
WALL_BAD_KIND = QT_TRANSLATE_NOOP("CommandLine", "{value}: no such panel kind; kinds: {kinds}")
WALL_BAD_CENTER = QT_TRANSLATE_NOOP("CommandLine", "{value}: must be [latitude, longitude] in degrees")
WALL_CELL_OUTSIDE = QT_TRANSLATE_NOOP("CommandLine", "the cell does not fit the layout's {rows} × {cols} grid (rows and columns count from 0)")
WALL_CELL_OVERLAP = QT_TRANSLATE_NOOP("CommandLine", "the cell overlaps cells[{other}]")
WALL_PANEL_OR_PANELS = QT_TRANSLATE_NOOP("CommandLine", "give a cell either panel (one panel) or panels (panels that rotate), not both")
WALL_NO_PANEL = QT_TRANSLATE_NOOP("CommandLine", "a cell needs panel (one panel) or panels (panels that rotate)")
WALL_NO_SCREEN = QT_TRANSLATE_NOOP("CommandLine", "{value}: no such screen; screens: {screens}")
WALL_NO_LAYOUT = QT_TRANSLATE_NOOP("CommandLine", "{value}: screen {screen} has no such layout; its layouts: {layouts}")
WALL_NO_PRESET = QT_TRANSLATE_NOOP("CommandLine", "{value}: no such preset; presets: {presets}")
WALL_PRESET_EMPTY = QT_TRANSLATE_NOOP("CommandLine", "the preset switches no screen: name a layout for a screen, or give a screen a layout named {value}")
WALL_DUPLICATE_SCREEN = QT_TRANSLATE_NOOP("CommandLine", "{value}: two screens have this name")
WALL_BAD_CHORD = QT_TRANSLATE_NOOP("CommandLine", "{value}: not a key chord, e.g. Ctrl+Alt+Shift+Q (modifiers Ctrl, Alt, Shift, Meta and a key)")
# The command line itself (argparse)
UNKNOWN_ARGUMENTS = QT_TRANSLATE_NOOP("CommandLine", "unknown option or argument: {arguments} (see --help)")
MISSING_VALUE = QT_TRANSLATE_NOOP("CommandLine", "{option} needs a value")
MISSING_OPTION = QT_TRANSLATE_NOOP("CommandLine", "{options} is required")
UNKNOWN_COMMAND = QT_TRANSLATE_NOOP("CommandLine", "unknown command {value}; commands: {choices}")
AMBIGUOUS_OPTION = QT_TRANSLATE_NOOP("CommandLine", "{option} is ambiguous: it could be {matches}")
BAD_COMMAND_LINE = QT_TRANSLATE_NOOP("CommandLine", "bad command line: {message}")
INTERNAL_ERROR = QT_TRANSLATE_NOOP("CommandLine", "unexpected error: {error} (run with -v for the details)")
# serve-demo and sync
PLUGIN_DISABLED = QT_TRANSLATE_NOOP("CommandLine", "plugin {name} disabled: {error}")
CANNOT_LISTEN = QT_TRANSLATE_NOOP("CommandLine", "cannot listen on {host}:{port}: {reason}")
CACHE_RECOVERED = QT_TRANSLATE_NOOP("CommandLine", "the cache file {path} was damaged; it was moved aside to {moved} and a new cache started")
CACHE_ROTATED = QT_TRANSLATE_NOOP("CommandLine", "the backend started a new event log; the previous cache is kept at {path}")
NOT_AUTHORISED = QT_TRANSLATE_NOOP("CommandLine", "not authorised by {server}: check --token (or IOC_TOKEN)")
NEVER_CONNECTED = QT_TRANSLATE_NOOP("CommandLine", "never connected to {server}: {reason}")
NO_ANSWER = QT_TRANSLATE_NOOP("CommandLine", "no answer within {seconds} s")
DELIVERED_ONE = QT_TRANSLATE_NOOP("CommandLine", "delivered 1 queued action")
DELIVERED_MANY = QT_TRANSLATE_NOOP("CommandLine", "delivered {n} queued actions")
DELIVERED_REFUSED = QT_TRANSLATE_NOOP("CommandLine", "({n} refused: {reasons})")
STILL_QUEUED = QT_TRANSLATE_NOOP("CommandLine", "{n} queued action(s) not acknowledged yet: they stay queued for the next connection")

#: FeedState.reason codes (ioc_desktop.feed.client.Reason values) worded for a line;
#: their args come from FeedState.reason_args.  Others: the state's technical detail.
FEED_REASONS = {
    "connect_failed": QT_TRANSLATE_NOOP("CommandLine", "cannot reach {host}:{port}"),
    "http_status": QT_TRANSLATE_NOOP("CommandLine", "the server answered HTTP {code} instead of opening the feed"),
    "closed_by_server": QT_TRANSLATE_NOOP("CommandLine", "the server closed the connection (code {code})"),
    "closed_by_server:bare": QT_TRANSLATE_NOOP("CommandLine", "the server closed the connection"),
    "connection_lost": QT_TRANSLATE_NOOP("CommandLine", "the connection was lost"),
    "protocol_error": QT_TRANSLATE_NOOP("CommandLine", "the server does not follow the feed protocol"),
}

#: OSError reasons worded in the user's language (others: the system's own text).
OS_REASONS = {
    errno.EACCES: QT_TRANSLATE_NOOP("CommandLine", "permission denied"),
    errno.EPERM: QT_TRANSLATE_NOOP("CommandLine", "permission denied"),
    errno.EROFS: QT_TRANSLATE_NOOP("CommandLine", "read-only file system"),
    errno.ENOSPC: QT_TRANSLATE_NOOP("CommandLine", "no space left on the device"),
    errno.ENOENT: QT_TRANSLATE_NOOP("CommandLine", "no such file or directory"),
    errno.ENOTDIR: QT_TRANSLATE_NOOP("CommandLine", "a part of the path is a file, not a directory"),
    errno.EISDIR: QT_TRANSLATE_NOOP("CommandLine", "is a directory"),
    errno.EADDRINUSE: QT_TRANSLATE_NOOP("CommandLine", "the address is already in use"),
}


# ------------------------------------------------------------------------ languages
def languages() -> list[str]:
    """English plus every ``resources/i18n/ioc_<lang>.ts``."""
    try:
        return available_languages()
    except OSError:
        return [SOURCE_LANGUAGE]


def ts_translations(path: str | Path, context: str | None = None) -> dict[tuple[str, str], str]:
    """``{(context, source): translation}`` from a ``.ts`` file, as the run-time
    translator loads it: finished and non-empty unfinished translations; obsolete,
    vanished, empty, plural (numerus) and disambiguated messages are left out (the
    command line uses none of those)."""
    return {(m.context, m.source): m.translation for m in parse_ts(path).messages
            if (context is None or m.context == context) and not m.numerus and not m.comment
            and m.translation and m.is_active}


class _Catalog:
    language = SOURCE_LANGUAGE
    table: dict[tuple[str, str], str] = {}


_catalog = _Catalog()
_loaded = False


def set_language(lang: str | None) -> str:
    """Speak ``lang`` from now on (an unknown one: the default language); returns the
    language used."""
    global _loaded
    from ioc_desktop.config import DEFAULT_LANG   # config imports this module

    code = primary_language(lang) if lang else DEFAULT_LANG
    if code not in languages():
        code = primary_language(DEFAULT_LANG)
    table: dict[tuple[str, str], str] = {}
    if code != SOURCE_LANGUAGE:
        try:
            table = ts_translations(ts_path_for(code), CONTEXT)
        except (OSError, ValueError, SyntaxError) as exc:   # English rather than nothing
            log.debug("translations for %s unreadable: %s", code, exc)
    _catalog.language, _catalog.table = code, table
    _loaded = True
    return code


def language() -> str:
    if not _loaded:
        set_language(None)
    return _catalog.language


def language_from_argv(argv: Iterable[str]) -> str | None:
    """The value of the last ``--lang X`` / ``--lang=X`` in ``argv`` (before argparse
    runs, so that its errors are worded in that language), or None."""
    found = None
    args = list(argv)
    for i, a in enumerate(args):
        if a == "--":
            break
        if a == "--lang" and i + 1 < len(args):
            found = args[i + 1]
        elif a.startswith("--lang="):
            found = a.split("=", 1)[1]
    return found


# ------------------------------------------------------------------------ wording
def _one_line(value: Any) -> str:
    """A value shown in a message: on one line, control characters escaped."""
    text = str(value)
    if text == "":
        return '""'
    return "".join(c if unicodedata.category(c)[0] != "C"
                   else c.encode("unicode_escape", "backslashreplace").decode("ascii")
                   for c in text)


def translate(template: str) -> str:
    """The user's language's text for an English ``template`` of this module."""
    language()
    return _catalog.table.get((CONTEXT, template), template)


def say(template: str, **args: Any) -> str:
    """``template`` in the user's language, filled with ``args`` (each kept on one
    line).  A translation that doesn't fit its fields falls back to English."""
    safe = {k: _one_line(v) for k, v in args.items()}
    text = translate(template)
    try:
        return text.format(**safe)
    except (KeyError, IndexError, ValueError):
        log.debug("translation of %r doesn't fit its fields", template)
        return template.format(**safe)


def os_reason(exc: BaseException) -> str:
    """Why an OSError happened, in the user's language when it's a common reason."""
    code = getattr(exc, "errno", None)
    if code in OS_REASONS:
        return translate(OS_REASONS[code])
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def feed_reason(state: Any) -> str:
    """The last reason of a ``FeedState`` as words (its technical detail otherwise)."""
    reason = getattr(state, "reason", None)
    code = str(getattr(reason, "value", reason) or "")
    args = getattr(state, "reason_args", None) or {}
    args = dict(args) if isinstance(args, Mapping) else {}
    for template in (FEED_REASONS.get(code), FEED_REASONS.get(code + ":bare")):
        if template is None:
            continue
        try:
            template.format(**args)        # the English fields must all be there
        except (KeyError, IndexError, ValueError):
            continue
        return say(template, **args)
    return _one_line(getattr(state, "detail", "") or code)


class CliError(Exception):
    """A problem to tell the user in one line, then exit with ``exit_code``."""

    def __init__(self, exit_code: int, template: str, **args: Any):
        super().__init__(template)
        self.exit_code = exit_code
        self.template = template
        self.args_ = args

    @property
    def message(self) -> str:
        return say(self.template, **self.args_)

    def __str__(self) -> str:
        return self.message


def emit(text: str, stream=None) -> None:
    """Print one message line (``ioc-desktop: …``) on stderr."""
    stream = stream or sys.stderr
    print(f"{PROG}: {text}", file=stream, flush=True)
