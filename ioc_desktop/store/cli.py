"""``ioc-desktop cache info``: what a cache holds and what it costs on disk, without Qt.

``cache info [--cache FILE] [--json]`` opens the cache read-only (it can run beside the
app, on a copy, on a read-only medium) and prints: the file's size (and its write-ahead
log's), the schema version, its pages (free ones, the auto-vacuum mode), the history it
holds (retained from, newest; Huế time, UTC+7), its events and their bytes per day
(grouped by the day they were received, Huế time), its checkpoints, its rejected
frames, and the rows and size of its state tables and of the other tables (the alarm
journal, the outbox …).

Sizes are measured with SQLite's ``dbstat`` table when this SQLite has it (the pages of
each table and its indexes; the events' size is apportioned to the days by the bytes of
their rows), otherwise estimated from the bytes of the rows (said so in the output).
It reads the whole events table once (and, with dbstat, every page once).

Problems are told in one line on stderr in the user's language (templates declared
here, context ``CommandLine``): exit 5 for a cache that is missing, unreadable, not a
database or not a cache of this program.
"""
from __future__ import annotations

import json
import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path

from ioc_desktop.cli_messages import EXIT_FILE, EXIT_OK, CliError, emit, say
from ioc_desktop.interop import VN_TZ
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

# ------------------------------------------------------------------------ templates
NOT_A_CACHE = QT_TRANSLATE_NOOP("CommandLine", "{option} {path}: not a cache of this program (it has no events table)")
INFO_HEAD = QT_TRANSLATE_NOOP("CommandLine", "{path}: {size} (write-ahead log {wal}), schema version {schema}")
INFO_PAGES = QT_TRANSLATE_NOOP("CommandLine", "pages: {pages} of {page_size}, {free} free (reused before the file grows); auto-vacuum: {vacuum}")
INFO_HISTORY = QT_TRANSLATE_NOOP("CommandLine", "history (Huế time, UTC+7): from {first} to {last}, {days} days")
INFO_RETAINED = QT_TRANSLATE_NOOP("CommandLine", "older events were folded into a checkpoint (retention): review starts at {first}")
INFO_NO_HISTORY = QT_TRANSLATE_NOOP("CommandLine", "history: no events yet")
INFO_EVENTS = QT_TRANSLATE_NOOP("CommandLine", "events: {events}, {size} (the log and its index), {per_event} per event")
INFO_DAYS = QT_TRANSLATE_NOOP("CommandLine", "events per day (received, Huế time):")
INFO_DAY_LINE = QT_TRANSLATE_NOOP("CommandLine", "{day}  {events} events  {size}")
INFO_NO_DAY = QT_TRANSLATE_NOOP("CommandLine", "no time")
INFO_CHECKPOINTS = QT_TRANSLATE_NOOP("CommandLine", "checkpoints: {count}, {size}, from {first} to {last}")
INFO_NO_CHECKPOINTS = QT_TRANSLATE_NOOP("CommandLine", "checkpoints: none yet")
INFO_REJECTED = QT_TRANSLATE_NOOP("CommandLine", "rejected frames: {n}")
INFO_STATE_TABLES = QT_TRANSLATE_NOOP("CommandLine", "state tables:")
INFO_OTHER_TABLES = QT_TRANSLATE_NOOP("CommandLine", "other tables:")
INFO_TABLE_LINE = QT_TRANSLATE_NOOP("CommandLine", "{name}  {rows} rows  {size}")
INFO_ESTIMATED = QT_TRANSLATE_NOOP("CommandLine", "sizes are estimated from the rows' bytes (this SQLite has no dbstat table)")

#: Tables of the store itself (``ioc_desktop.store.store``), shown on their own lines.
CORE_TABLES = ("meta", "events", "cursors", "rejected", "checkpoints", "checkpoint_state",
               "checkpoint_rows", "checkpoint_image")
#: Columns every state table has (besides the plugin's).
STATE_COLUMNS = {"key", "seq", "time", "data"}
#: Bytes per event row besides its data, when estimating without dbstat: the other
#: columns, the record header, the cell pointer and the (topic, key) index entry.
ROW_OVERHEAD = 64
HUE_OFFSET_S = 7 * 3600
VACUUM_MODES = {0: "none", 1: "full", 2: "incremental"}


# ------------------------------------------------------------------------ wording
def human_size(n: float) -> str:
    size = float(n)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(size) < 1024 or unit == "TiB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{n} B"


def _local(epoch: float | None, fmt: str | None = None) -> str | None:
    """Huế time: RFC 3339 (``fmt`` None) or ``fmt``."""
    if epoch is None:
        return None
    try:
        moment = datetime.fromtimestamp(epoch, VN_TZ)
    except (ValueError, OverflowError, OSError):
        return None
    return moment.isoformat(timespec="seconds") if fmt is None else moment.strftime(fmt)


def _days_text(days: float) -> str:
    return f"{days:.1f}" if days >= 1 else f"{days:.2g}"


def _text_time(epoch: float | None) -> str:
    return _local(epoch, "%Y-%m-%d %H:%M:%S") or "-"


def _day_of(day_number: int | None) -> str | None:
    """A day number (days since 1970-01-01 in Huế time) as YYYY-MM-DD."""
    if day_number is None:
        return None
    return datetime.fromtimestamp(day_number * 86400, timezone.utc).strftime("%Y-%m-%d")


# ------------------------------------------------------------------------ reading
def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _dbstat(conn: sqlite3.Connection) -> dict[str, int] | None:
    """Bytes of every b-tree (table or index) by name, None without dbstat."""
    try:
        return {name: int(size or 0) for name, size in
                conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name")}
    except sqlite3.DatabaseError:
        return None


def read_info(conn: sqlite3.Connection, path: Path) -> dict:
    """Everything ``cache info`` shows, as a JSON-ready dict."""
    from ioc_desktop.review.state_at import bounds

    master = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master").fetchall()
    tables = {name: sql or "" for kind, name, _, sql in master if kind == "table"}
    if "events" not in tables or "meta" not in tables:
        raise CliError(EXIT_FILE, NOT_A_CACHE, option="--cache", path=path)
    wal = Path(str(path) + "-wal")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    meta = dict(conn.execute("SELECT key, value FROM meta"))
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    vacuum = conn.execute("PRAGMA auto_vacuum").fetchone()[0]
    stat = _dbstat(conn)

    def btree_bytes(table: str) -> int | None:
        """The table's pages and its indexes' (and a virtual table's shadow tables')."""
        if stat is None:
            return None
        names = {table} | {name for kind, name, tbl, _ in master
                           if kind == "index" and tbl == table}
        if tables.get(table, "").upper().startswith("CREATE VIRTUAL"):
            names |= {t for t in tables if t.startswith(table + "_")}
        return sum(stat.get(n, 0) for n in names)

    # the events, per day of reception (Huế time)
    days = []
    total_events = total_weight = 0
    for day, n, weight in conn.execute(
            "SELECT CAST((received_at + ?) / 86400 AS INTEGER) AS day, count(*), "
            "sum(coalesce(length(CAST(data AS BLOB)), 0)) FROM events GROUP BY day ORDER BY day",
            (HUE_OFFSET_S,)):
        weight = (weight or 0) + n * ROW_OVERHEAD
        days.append({"day": _day_of(day), "events": n, "weight": weight})
        total_events += n
        total_weight += weight
    events_bytes = btree_bytes("events")
    if events_bytes is None:
        events_bytes = total_weight
    for d in days:
        d["bytes"] = round(events_bytes * d.pop("weight") / total_weight) if total_weight else 0

    found = bounds(conn)
    first, last = (found if found is not None else (None, None))
    retained_by_compaction = bool(meta.get("retained_from"))

    # checkpoints
    checkpoint_info = {"count": 0, "bytes": 0, "first": None, "last": None}
    if "checkpoints" in tables:
        count, cp_first, cp_last = conn.execute(
            "SELECT count(*), min(at), max(at) FROM checkpoints").fetchone()
        if stat is not None:
            size = sum(btree_bytes(t) for t in ("checkpoints", "checkpoint_state", "checkpoint_rows",
                                                "checkpoint_image") if t in tables)
        else:
            size = conn.execute("SELECT coalesce(sum(length(state)), 0) + count(*) * 32 "
                                "FROM checkpoint_state").fetchone()[0]
            if "checkpoint_rows" in tables:     # the typed rows, with the texts
                size += conn.execute("SELECT coalesce(sum(length(rows)), 0) "
                                     "FROM checkpoint_rows").fetchone()[0]
            if "checkpoint_image" in tables:    # the database images
                size += conn.execute("SELECT coalesce(sum(length(image)), 0) "
                                     "FROM checkpoint_image").fetchone()[0]
        checkpoint_info = {"count": count, "bytes": size, "first": _local(cp_first),
                           "last": _local(cp_last), "first_epoch": cp_first, "last_epoch": cp_last}
    rejected = conn.execute("SELECT count(*) FROM rejected").fetchone()[0] if "rejected" in tables else 0

    # the other tables: state tables (key, …, seq, time, data), then the rest
    shadow = {t for v, sql in tables.items() if sql.upper().startswith("CREATE VIRTUAL")
              for t in tables if t.startswith(v + "_")}
    state_tables, other_tables = [], []
    for name in sorted(tables):
        if name in CORE_TABLES or name.startswith("sqlite_") or name in shadow:
            continue
        try:
            rows = conn.execute(f"SELECT count(*) FROM {_ident(name)}").fetchone()[0]
        except sqlite3.DatabaseError:
            rows = None        # a virtual table of a module this SQLite lacks
        entry = {"name": name, "rows": rows, "bytes": btree_bytes(name)}   # None: no dbstat
        columns = {r[1] for r in conn.execute(f"PRAGMA table_info({_ident(name)})")}
        (state_tables if STATE_COLUMNS <= columns else other_tables).append(entry)

    size = path.stat().st_size
    return {
        "path": str(path),
        "size": size,
        "wal_size": wal.stat().st_size if wal.exists() else 0,
        "schema_version": meta.get("schema_version"),
        "page_size": page_size,
        "pages": pages,
        "free_pages": free,
        "auto_vacuum": VACUUM_MODES.get(vacuum, str(vacuum)),
        "retained_from": _local(first),
        "retained_from_epoch": first,
        "retained_by_compaction": retained_by_compaction,
        "newest": _local(last),
        "newest_epoch": last,
        "history_days": (last - first) / 86400 if found is not None else None,
        "events": total_events,
        "events_bytes": events_bytes,
        "days": days,
        "checkpoints": checkpoint_info,
        "rejected": rejected,
        "state_tables": state_tables,
        "other_tables": other_tables,
        "sizes": "dbstat" if stat is not None else "estimated",
    }


# ------------------------------------------------------------------------ wording it
def _table_lines(entries: list[dict]) -> list[str]:
    width = max(len(e["name"]) for e in entries)
    rows = [("-" if e["rows"] is None else str(e["rows"])) for e in entries]
    rwidth = max(len(r) for r in rows)
    out = []
    for e, r in zip(entries, rows):
        size = "-" if e["bytes"] is None else human_size(e["bytes"])
        out.append("  " + say(INFO_TABLE_LINE, name=e["name"].ljust(width), rows=r.rjust(rwidth),
                              size=size.rjust(10)))
    return out


def info_lines(info: dict) -> list[str]:
    lines = [say(INFO_HEAD, path=info["path"], size=human_size(info["size"]),
                 wal=human_size(info["wal_size"]), schema=info["schema_version"] or "-"),
             say(INFO_PAGES, pages=info["pages"], page_size=human_size(info["page_size"]),
                 free=human_size(info["free_pages"] * info["page_size"]),
                 vacuum=info["auto_vacuum"])]
    if info["newest_epoch"] is None:
        lines.append(say(INFO_NO_HISTORY))
    else:
        lines.append(say(INFO_HISTORY, first=_text_time(info["retained_from_epoch"]),
                         last=_text_time(info["newest_epoch"]),
                         days=_days_text(info["history_days"])))
        if info["retained_by_compaction"]:
            lines.append(say(INFO_RETAINED, first=_text_time(info["retained_from_epoch"])))
    per_event = human_size(info["events_bytes"] / info["events"]) if info["events"] else "-"
    lines.append(say(INFO_EVENTS, events=info["events"], size=human_size(info["events_bytes"]),
                     per_event=per_event))
    if info["days"]:
        lines.append(say(INFO_DAYS))
        nwidth = max(len(str(d["events"])) for d in info["days"])
        for d in info["days"]:
            lines.append("  " + say(INFO_DAY_LINE, day=d["day"] or say(INFO_NO_DAY),
                                    events=str(d["events"]).rjust(nwidth),
                                    size=human_size(d["bytes"]).rjust(10)))
    cp = info["checkpoints"]
    if cp["count"]:
        lines.append(say(INFO_CHECKPOINTS, count=cp["count"], size=human_size(cp["bytes"]),
                         first=_text_time(cp.get("first_epoch")), last=_text_time(cp.get("last_epoch"))))
    else:
        lines.append(say(INFO_NO_CHECKPOINTS))
    lines.append(say(INFO_REJECTED, n=info["rejected"]))
    if info["state_tables"]:
        lines.append(say(INFO_STATE_TABLES))
        lines.extend(_table_lines(info["state_tables"]))
    if info["other_tables"]:
        lines.append(say(INFO_OTHER_TABLES))
        lines.extend(_table_lines(info["other_tables"]))
    if info["sizes"] != "dbstat":
        lines.append(say(INFO_ESTIMATED))
    return lines


# ------------------------------------------------------------------------ the command
def cache_info(path: Path, *, as_json: bool = False, stdout=None) -> int:
    """Print what ``path`` holds (text, or JSON with ``as_json``); the file is opened
    read-only and never changed.  Returns the exit code; a problem is one line on
    stderr."""
    from ioc_desktop.alarms.cli import CACHE_UNREADABLE, _db_reason, open_read_only

    stdout = stdout or sys.stdout
    path = Path(path)
    try:
        conn = open_read_only(path, "--cache")
        try:
            info = read_info(conn, path)
        except sqlite3.DatabaseError as exc:
            raise CliError(EXIT_FILE, CACHE_UNREADABLE, option="--cache", path=path,
                           reason=_db_reason(exc)) from None
        finally:
            conn.close()
    except CliError as problem:
        emit(problem.message)
        return problem.exit_code
    if as_json:
        print(json.dumps(info, ensure_ascii=False, indent=2), file=stdout)
    else:
        print("\n".join(info_lines(info)), file=stdout)
    stdout.flush()
    return EXIT_OK


__all__ = ["cache_info", "human_size", "info_lines", "read_info"]
