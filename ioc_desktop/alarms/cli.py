"""``ioc-desktop alarms …``: the alarms of a cache, without a GUI.

* ``alarms report`` — the alarm-system health of the journal;
* ``alarms list`` — every alarm that is not normal, with who shelved it or took it out
  of service, why and until when (a table, or ``--json``);
* ``alarms ack|shelve|unshelve|oos|restore ID…`` — an operator's action on alarms of
  the cache: applied to its alarm journal at once (so ``alarms list`` shows it) and
  queued in its outbox, with the same action id, in one transaction; the app or
  ``ioc-desktop sync`` delivers it at the next connection to a backend that shares
  alarm actions (:mod:`ioc_desktop.alarms.sharing`), which relays it to every console.

``report`` and ``list`` open the cache read-only (SQLite ``mode=ro``): they can run
beside the app, on a copy, or on a read-only medium, and never change the file.  The
actions write to it: run them on a cache the app isn't using (the app keeps its alarms
in memory and would not see them until it restarts).

Problems are told in one line on stderr in the user's language
(:mod:`ioc_desktop.cli_messages`) with its exit codes: 5 for a cache that is missing,
unreadable, not a database or without an alarm journal (or, for an action, can't be
written); 2 for a bad time or period, a missing ``--reason``/``--until``, an unknown
alarm id; 3 for an action the role may not take (``oos``/``restore`` need the role
supervisor; every action the role operator or supervisor).  The templates are declared
here (context ``CommandLine``) for ``python -m ioc_desktop.i18n update``.
"""
from __future__ import annotations

import getpass
import json
import math
import os
import sqlite3
import sys
import time
import uuid
from datetime import datetime
from pathlib import Path
from typing import Iterable, Sequence

from ioc_desktop import jsonfast
from ioc_desktop.alarms import journal, sharing
from ioc_desktop.alarms.engine import NORMAL, OUT_OF_SERVICE, SHELVED, Alarm, AlarmEngine
from ioc_desktop.alarms.health import NoAlarmJournal, alarm_health
from ioc_desktop.cli_messages import (CACHE_UNUSABLE, EXIT_FILE, EXIT_OK, EXIT_UNAUTHORISED,
                                      EXIT_USAGE, PATH_NOT_REGULAR, CliError, emit, language,
                                      os_reason, say)
from ioc_desktop.interop import VN_TZ
from ioc_desktop.plugin_api import ActionRefused
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

# ------------------------------------------------------------------------ templates
NO_ALARM_JOURNAL = QT_TRANSLATE_NOOP("CommandLine", "no alarm journal in {path}: the cache has no alarm_events table (alarms were never recorded in it)")
CACHE_UNREADABLE = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: the cache cannot be read: {reason}")
NOT_A_DATABASE = QT_TRANSLATE_NOOP("CommandLine", "not an SQLite database, or a damaged one")
BAD_TIME = QT_TRANSLATE_NOOP("CommandLine", "{option} {value}: not a time; use RFC 3339 with a time zone (2025-10-27T08:00:00+07:00) or epoch seconds")
EMPTY_PERIOD = QT_TRANSLATE_NOOP("CommandLine", "--since {since} is not before --until {until}: the period is empty")
UNKNOWN_ALARM = QT_TRANSLATE_NOOP("CommandLine", "{id}: no such alarm in {path} (ioc-desktop alarms list --cache {path} lists them)")
NEEDS_SUPERVISOR = QT_TRANSLATE_NOOP("CommandLine", "alarms {command}: only a supervisor may do this (--role supervisor); the roles given: {roles}")
NEEDS_OPERATOR = QT_TRANSLATE_NOOP("CommandLine", "alarms {command}: needs the role operator or supervisor (--role); the roles given: {roles}")
NEEDS_REASON = QT_TRANSLATE_NOOP("CommandLine", "alarms {command} needs --reason (why)")
NEEDS_UNTIL = QT_TRANSLATE_NOOP("CommandLine", "alarms {command} needs --until (when the shelve ends)")
UNTIL_NOT_FUTURE = QT_TRANSLATE_NOOP("CommandLine", "--until {value}: must be in the future")
BAD_REASON = QT_TRANSLATE_NOOP("CommandLine", "--reason: at most {max} characters, without control characters")

#: The commands that act on alarms, and the engine's action each one takes.
ACTION_COMMANDS = {"ack": "acknowledge", "shelve": "shelve", "unshelve": "unshelve",
                   "oos": "remove_from_service", "restore": "return_to_service"}

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
        report = read_journal(cache, lambda conn: alarm_health(
            conn, since=start, until=end, operators=operators))
    except CliError as problem:
        emit(problem.message)
        return problem.exit_code
    if as_json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), file=stdout)
    else:
        print("\n".join(report.lines(language(), tz=None)), file=stdout)
    stdout.flush()
    return EXIT_OK


def read_journal(cache: Path, read):
    """``read(conn)`` on ``cache`` opened read-only; :class:`CliError` (exit 5) when the
    cache has no alarm journal or can't be read."""
    conn = open_read_only(Path(cache))
    try:
        if not _has_alarm_tables(conn):
            raise CliError(EXIT_FILE, NO_ALARM_JOURNAL, path=cache)
        try:
            return read(conn)
        except NoAlarmJournal:
            raise CliError(EXIT_FILE, NO_ALARM_JOURNAL, path=cache) from None
        except sqlite3.DatabaseError as exc:
            raise CliError(EXIT_FILE, CACHE_UNREADABLE, option="--cache", path=cache,
                           reason=_db_reason(exc)) from exc
    finally:
        conn.close()


def _db_reason(exc: sqlite3.DatabaseError) -> str:
    text = str(exc)
    if "not a database" in text or "malformed" in text or "file is encrypted" in text:
        return say(NOT_A_DATABASE)
    return text or type(exc).__name__


# ------------------------------------------------------------------------ alarms list
def alarms_list(cache: Path, *, as_json: bool = False, stdout=None) -> int:
    """Print every alarm of ``cache`` that is not normal (a table, or JSON with
    ``as_json``): id, state, priority, text, value, since when, and who / why / until
    when for a shelved or out-of-service one.  Read-only.  Returns the exit code."""
    stdout = stdout or sys.stdout
    try:
        rows = read_journal(cache, listed_alarms)
    except CliError as problem:
        emit(problem.message)
        return problem.exit_code
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=stdout)
    else:
        print("\n".join(_list_lines(rows)), file=stdout)
    stdout.flush()
    return EXIT_OK


def listed_alarms(conn: sqlite3.Connection) -> list[dict]:
    """The alarms not normal, by priority then since when, as JSON-ready dicts (times
    RFC 3339 in Huế time)."""
    out = []
    for alarm_id, state, data in conn.execute(
            "SELECT id, state, data FROM alarms WHERE state != ? ORDER BY priority, id",
            (NORMAL,)):
        try:
            alarm = Alarm.from_dict(jsonfast.loads(data))
        except (ValueError, TypeError):
            alarm = Alarm(alarm_id, alarm_id.split("/", 1)[0], alarm_id.split("/", 1)[-1], 4)
        by = reason = until = None
        since = alarm.raised_at
        if state == SHELVED:
            by, reason, until, since = (alarm.shelved_by, alarm.shelve_reason,
                                        alarm.shelved_until, alarm.shelved_at or since)
        elif state == OUT_OF_SERVICE:
            by, reason, since = alarm.oos_by, alarm.oos_reason, alarm.oos_at or since
        out.append({"id": alarm_id, "rule": alarm.rule, "key": alarm.key, "state": state,
                    "priority": alarm.priority, "text": alarm.text, "value": alarm.value,
                    "since": _local(since), "acked_by": alarm.acked_by, "by": by,
                    "reason": reason, "until": _local(until)})
    out.sort(key=lambda r: (r["priority"], r["since"] or "", r["id"]))
    return out


def _has_alarm_tables(conn: sqlite3.Connection) -> bool:
    found = {r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN "
        "('alarms', 'alarm_events')")}
    return found == {"alarms", "alarm_events"}


def _local(epoch: float | None) -> str | None:
    if epoch is None:
        return None
    try:
        return datetime.fromtimestamp(epoch, VN_TZ).isoformat(timespec="seconds")
    except (ValueError, OverflowError, OSError):
        return None


def _list_lines(rows: list[dict]) -> list[str]:
    if not rows:
        return ["No alarm is active, shelved or out of service."]
    head = ("id", "state", "P", "since", "value", "text", "by", "reason", "until")
    table = [tuple("-" if v is None else _cell(v) for v in
                   (r["id"], r["state"], r["priority"], r["since"], r["value"], r["text"],
                    r["by"], r["reason"], r["until"])) for r in rows]
    widths = [max(len(h), *(len(row[i]) for row in table)) for i, h in enumerate(head)]
    line = lambda cells: "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return [line(head), line(tuple("-" * w for w in widths))] + [line(row) for row in table]


def _cell(value) -> str:
    """A value on one line of a table (text from a feed: control characters escaped)."""
    text = f"{value:g}" if isinstance(value, float) else str(value)
    text = "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii")
                   for c in text)
    return text if len(text) <= 60 else text[:59] + "…"


# ------------------------------------------------------------------------ alarms ack …
def alarms_act(command: str, ids: Sequence[str], cache: Path, *, reason: str | None = None,
               until: str | None = None, user: str | None = None,
               roles: Iterable[str] | None = None, plugins=None, stdout=None,
               clock=time.time) -> int:
    """``alarms ack|shelve|unshelve|oos|restore ID…``: apply the action to the cache's
    alarm journal and queue it in its outbox (one transaction, synced), for the app or
    ``sync`` to deliver.  ``user``/``roles`` default to the user the backend last
    announced in this cache for the token ``sync`` would use (``IOC_TOKEN`` or the
    demo token), else this computer's login name as an operator.  ``plugins``: whose
    alarm rules the engine knows (default: the installed plugins).  Returns the exit
    code; a problem is one line on stderr and changes nothing."""
    stdout = stdout or sys.stdout
    name = ACTION_COMMANDS[command]
    try:
        now = clock()
        until_t = None if until is None else parse_time(until, "--until")
        if name in sharing.NEEDS_REASON and not (reason or "").strip():
            raise CliError(EXIT_USAGE, NEEDS_REASON, command=command)
        if name in sharing.NEEDS_UNTIL and until_t is None:
            raise CliError(EXIT_USAGE, NEEDS_UNTIL, command=command)
        if until_t is not None and until_t <= now:
            raise CliError(EXIT_USAGE, UNTIL_NOT_FUTURE, value=until)
        if reason is not None and (len(reason) > sharing.MAX_REASON_LEN
                                   or sharing.text_problem(reason, sharing.MAX_REASON_LEN)):
            raise CliError(EXIT_USAGE, BAD_REASON, max=sharing.MAX_REASON_LEN)
        conn = open_read_only(Path(cache))           # exists, is a database: say so if not
        conn.close()
        conn = _open_for_update(Path(cache))
        try:
            results = _act_on(conn, name, command, list(dict.fromkeys(ids)), Path(cache),
                              now=now, reason=reason, until=until_t, user=user,
                              roles=roles, plugins=plugins)
        finally:
            conn.close()
    except CliError as problem:
        emit(problem.message)
        return problem.exit_code
    for alarm_id, state, action_id in results:
        print(f"{alarm_id}: {state}; {name} queued for the backend (action {action_id})",
              file=stdout)
    stdout.flush()
    return EXIT_OK


def _open_for_update(path: Path) -> sqlite3.Connection:
    try:
        conn = sqlite3.connect(path, isolation_level=None, timeout=10)
        conn.execute("PRAGMA busy_timeout = 10000")
    except sqlite3.Error as exc:
        raise CliError(EXIT_FILE, CACHE_UNUSABLE, option="--cache", path=path,
                       reason=_db_reason(exc)) from exc
    return conn


def _who(conn: sqlite3.Connection, user: str | None, roles) -> dict:
    from ioc_desktop.config import DEMO_TOKEN
    from ioc_desktop.dispatch.outbox import known_user
    try:
        known = known_user(conn, os.environ.get("IOC_TOKEN") or DEMO_TOKEN)
    except sqlite3.Error:
        known = None
    roles = [r for r in (roles or ()) if r]
    # the announced roles belong to the announced user: another --user is an operator
    # unless --role says otherwise
    same = known is not None and (not user or user == known["name"])
    if not roles:
        roles = list(known["roles"]) if same else [sharing.OPERATOR]
    if not user:
        user = known["name"] if known and known["name"] else None
    if not user:
        try:
            user = getpass.getuser()
        except Exception:           # no login name (a container): say who it isn't
            user = "local operator"
    return {"name": user, "roles": roles}


def _engine(conn: sqlite3.Connection, plugins) -> AlarmEngine:
    """The cache's alarms as the app's engine would restore them, with the plugins'
    rules (suppression by design needs them)."""
    if plugins is None:
        from ioc_desktop.headless import plugins_or_report
        plugins = plugins_or_report()
    engine = AlarmEngine()
    for plugin in plugins:
        try:
            rules = plugin.alarm_rules()
            if rules:
                engine.add_rules(plugin.name, rules)
        except Exception:            # as the situation layer: one plugin can't stop it
            continue
    engine.restore(journal.load(conn), journal.action_ids(conn))
    return engine


def _act_on(conn, name: str, command: str, ids: list[str], path: Path, *, now: float,
            reason, until, user, roles, plugins) -> list[tuple[str, str, str]]:
    from ioc_desktop.dispatch.outbox import create_tables, insert_action
    try:
        if not _has_alarm_tables(conn):
            raise CliError(EXIT_FILE, NO_ALARM_JOURNAL, path=path)
        who = _who(conn, user, roles)
        shown_roles = ", ".join(who["roles"]) or "-"
        requests = []
        for alarm_id in ids:
            key, args = sharing.request(name, alarm_id, at=now, until=until, reason=reason)
            try:
                sharing.check_action(name, key, args, who["roles"])
            except ActionRefused as refused:
                if refused.code == "forbidden":
                    raise CliError(EXIT_UNAUTHORISED, NEEDS_SUPERVISOR if name in
                                   sharing.SUPERVISOR_ONLY else NEEDS_OPERATOR,
                                   command=command, roles=shown_roles) from None
                raise CliError(EXIT_USAGE, UNKNOWN_ALARM, id=alarm_id, path=path) from None
            requests.append((alarm_id, key, args))
        engine = _engine(conn, plugins)
        for alarm_id in ids:
            if engine.get(alarm_id) is None:
                raise CliError(EXIT_USAGE, UNKNOWN_ALARM, id=alarm_id, path=path)
        results = []
        level = conn.execute("PRAGMA synchronous").fetchone()[0]
        conn.execute("PRAGMA synchronous = FULL")      # an operator's action: synced
        conn.execute("BEGIN IMMEDIATE")
        try:
            create_tables(conn)
            for alarm_id, key, args in requests:
                action_id = str(uuid.uuid4())
                kwargs = {"reason": reason}
                if name == "shelve":
                    kwargs["until"] = until
                transitions = getattr(engine, name)(alarm_id, user=who["name"], now=now,
                                                    action_id=action_id, **kwargs)
                journal.record(conn, transitions, engine.take_changed())
                insert_action(conn, action_id, now, sharing.TOPIC, name, key,
                              jsonfast.dumps(args), who)
                results.append((alarm_id, engine.get(alarm_id).state, action_id))
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        finally:
            conn.execute(f"PRAGMA synchronous = {int(level)}")
        return results
    except sqlite3.DatabaseError as exc:
        raise CliError(EXIT_FILE, CACHE_UNUSABLE, option="--cache", path=path,
                       reason=_db_reason(exc)) from exc
