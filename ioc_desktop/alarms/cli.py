"""``ioc-desktop alarms report``: the alarm-system health of a cache, without a GUI.

The cache is opened read-only (SQLite ``mode=ro``): the report can run beside the app,
on a copy, or on a read-only medium, and never changes the file.  Problems are told in
one line on stderr in the user's language (:mod:`ioc_desktop.cli_messages`) with its
exit codes: 5 for a cache that is missing, unreadable, not a database or without an
alarm journal; 2 for a bad time or period.  The templates are declared here (context
``CommandLine``) for ``python -m ioc_desktop.i18n update``.
"""
from __future__ import annotations

import json
import math
import sqlite3
import sys
from datetime import datetime
from pathlib import Path

from ioc_desktop.alarms.health import NoAlarmJournal, alarm_health
from ioc_desktop.cli_messages import (EXIT_FILE, EXIT_OK, EXIT_USAGE, PATH_NOT_REGULAR,
                                      CliError, emit, language, os_reason, say)
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

# ------------------------------------------------------------------------ templates
NO_ALARM_JOURNAL = QT_TRANSLATE_NOOP("CommandLine", "no alarm journal in {path}: the cache has no alarm_events table (alarms were never recorded in it)")
CACHE_UNREADABLE = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: the cache cannot be read: {reason}")
NOT_A_DATABASE = QT_TRANSLATE_NOOP("CommandLine", "not an SQLite database, or a damaged one")
BAD_TIME = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: not a time; use RFC 3339 with a time zone (2025-10-27T08:00:00+07:00) or epoch seconds")
EMPTY_PERIOD = QT_TRANSLATE_NOOP("CommandLine", "--since {since} is not before --until {until}: the period is empty")

#: Epoch seconds accepted: 1970 to 9999.
MAX_EPOCH = 253_402_300_799.0


def parse_time(value: str | float | int, option: str) -> float:
    """Epoch seconds from an RFC 3339 date-time with its offset (``…T08:00:00+07:00``,
    ``…Z``; a space for the ``T`` too) or a number of epoch seconds.  A time without a
    zone is refused (whose 08:00?).  Raises :class:`CliError` (exit 2)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value).strip()
        try:
            number = float(text)
        except ValueError:
            number = None
        if number is None:
            moment = None
            if len(text) > 10 and text[10] in "Tt ":
                try:
                    moment = datetime.fromisoformat(text[:10] + "T" + text[11:]
                                                    .replace("z", "Z"))
                except ValueError:
                    moment = None
            if moment is None or moment.tzinfo is None:
                raise CliError(EXIT_USAGE, BAD_TIME, option=option, value=value)
            return moment.timestamp()
    if not math.isfinite(number) or not 0 <= number <= MAX_EPOCH:
        raise CliError(EXIT_USAGE, BAD_TIME, option=option, value=value)
    return number


def open_read_only(cache: Path, option: str = "--cache") -> sqlite3.Connection:
    """A read-only connection to an existing SQLite file (never creates one).  Raises
    :class:`CliError` (exit 5) naming the path."""
    path = Path(cache)
    try:
        if not path.exists():
            raise FileNotFoundError(2, "No such file or directory", str(path))
        if path.is_dir():
            raise IsADirectoryError(21, "Is a directory", str(path))
        if not path.is_file():
            raise CliError(EXIT_FILE, PATH_NOT_REGULAR, option=option, path=path)
        with open(path, "rb"):             # permission problems get the system's reason
            pass
    except OSError as exc:
        raise CliError(EXIT_FILE, CACHE_UNREADABLE, option=option, path=path,
                       reason=os_reason(exc)) from exc
    try:
        conn = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
        conn.execute("PRAGMA query_only = 1")
        conn.execute("PRAGMA busy_timeout = 5000")
        conn.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()   # is it a database?
    except sqlite3.DatabaseError as exc:
        raise CliError(EXIT_FILE, CACHE_UNREADABLE, option=option, path=path,
                       reason=_db_reason(exc)) from exc
    return conn


def alarms_report(cache: Path, *, since: str | float | None = None,
                  until: str | float | None = None, as_json: bool = False,
                  operators: int = 1, stdout=None) -> int:
    """Print the alarm-system health of ``cache`` (a table, or JSON with ``as_json``)
    over ``[since, until)`` (RFC 3339 or epoch seconds; default: the journal's last
    24 h, see :mod:`ioc_desktop.alarms.health`).  Returns the exit code; a problem is
    one line on stderr."""
    stdout = stdout or sys.stdout
    try:
        start = None if since is None else parse_time(since, "--since")
        end = None if until is None else parse_time(until, "--until")
        if start is not None and end is not None and not start < end:
            raise CliError(EXIT_USAGE, EMPTY_PERIOD, since=since, until=until)
        conn = open_read_only(Path(cache))
        try:
            try:
                report = alarm_health(conn, since=start, until=end, operators=operators)
            except NoAlarmJournal:
                raise CliError(EXIT_FILE, NO_ALARM_JOURNAL, path=cache) from None
            except sqlite3.DatabaseError as exc:
                raise CliError(EXIT_FILE, CACHE_UNREADABLE, option="--cache", path=cache,
                               reason=_db_reason(exc)) from exc
        finally:
            conn.close()
    except CliError as problem:
        emit(problem.message)
        return problem.exit_code
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), file=stdout)
    else:
        print("\n".join(report.lines(language(), tz=None)), file=stdout)
    stdout.flush()
    return EXIT_OK


def _db_reason(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return say(NOT_A_DATABASE)
    return text or type(exc).__name__
