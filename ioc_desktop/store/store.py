"""The local cache: one SQLite file (WAL) per backend log, written by one writer.

Schema (also in the README):

- ``meta(key, value)``: ``schema_version``, ``server_url``, ``epoch``, ``created_at``.
- ``events(topic, seq, time, op, key, data, received_at)``: the append-only log,
  unique on ``(topic, seq)``; ``data`` is JSON (for ``op = 'snapshot'`` a list of
  ``{"key", "data"}`` items: the whole state of the topic as of ``seq``).
- ``cursors(topic, seq, updated_at)``: the last committed seq per topic.
- ``rejected(id, received_at, topic, seq, reason, raw, size)``: every refused frame.
- ``media(key, url, origin, path, kind, content_type, data, fetched_at, size)``: the
  newest copy of each snapshot or photo, keyed by something that outlives the backend's
  address: the backend-relative path (``/media/cameras/x.png?v=3``, ``kind = 'backend'``)
  for the backend's own media, the full URL for another origin's (``kind = 'origin'``).
  A cache of schema 1 (keyed by the absolute URL) is migrated in place: its rows keep
  their URL as key, ``kind = 'legacy'`` (those of its last backend become ``'backend'``).
- ``checkpoints``, ``checkpoint_state``: the whole state every so many events, for
  review at a past moment (:mod:`ioc_desktop.review.checkpoints`).
- one state table per topic (named by the plugin): ``key`` primary key, the plugin's
  typed columns, ``seq``, ``time`` and ``data`` (JSON).

Only :class:`Store` writes, always in one transaction per batch.  Readers open their
own connections (:func:`open_reader`).
"""
from __future__ import annotations

import json
import os
import logging
import re
import sqlite3
import threading
import time
from pathlib import Path
from typing import Iterable

import orjson
import sqlite_utils

from ioc_desktop import jsonfast
from ioc_desktop.plugin_api import TopicSpec
from ioc_desktop.review import checkpoints
from ioc_desktop.store.batch import (RAW_KEEP, CommittedBatch, EventRecord, LazyEventRecord,
                                     RejectedRecord, TopicChanges)

SCHEMA_VERSION = 3   # 2: media keyed by backend path / URL (schema 1 migrated)
                     # 3: checkpoints of the state for review (older caches gain them)
PAGE_SIZE = 8192   # bytes, for new cache files


class CacheCorrupt(Exception):
    """The cache file is not a usable SQLite database (it is moved aside, not deleted)."""


_TYPES = {str: "TEXT", float: "REAL", int: "INTEGER"}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return name


_dumps = jsonfast.dumps

# Rows per multi-row INSERT (largest first; the rest of a batch goes in smaller ones, so
# that a few statement texts serve every size and stay in the statement cache).
_CHUNKS = (4096, 512, 64, 8, 1)

#: A state table with this many indexes besides its key, or triggers, has its existing
#: rows updated in the columns that changed only (Store._update_changed).
CHANGED_COLUMNS_FROM = 1
_KEYS_PER_SELECT = 200         # keys per SELECT of a batch's current rows (≤ 999 variables)
_UPDATE_FROM = sqlite3.sqlite_version_info >= (3, 33, 0)     # UPDATE … FROM (VALUES …)

# The writer's connection, set before its first batch (and again after a rotation):
# a page cache that holds the hot pages of the log, its (topic, key) index and the
# state tables' indexes across batches (SQLite's default is 2 MiB), and checkpoints of
# the WAL into the file every 8192 pages instead of 1000, which writes a page changed
# by several batches once instead of once per checkpoint (a feed rewrites the same
# index and state pages all the time); the WAL file is cut back to its limit after each.
WRITER_PRAGMAS = ("PRAGMA cache_size = -65536",          # KiB: 64 MiB
                  "PRAGMA wal_autocheckpoint = 8192",    # pages
                  "PRAGMA journal_size_limit = 67108864")


def _max_variables(conn: sqlite3.Connection) -> int:
    """The connection's limit on ``?`` parameters in one statement (999 before 3.32)."""
    try:
        return conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    except (AttributeError, sqlite3.Error):     # Python < 3.11
        return 999


def _insert_rows(conn: sqlite3.Connection, cache: dict, head: str, row: str, tail: str,
                 ncols: int, flat: list) -> None:
    """``head VALUES row, row, … tail`` for the rows in ``flat`` (``ncols`` values each,
    row after row): the same rows as ``executemany(head VALUES row tail)``, in the same
    order, with the same per-row conflict handling.

    One statement step per chunk of up to 4096 rows instead of one per row: sqlite3
    releases the GIL around each step, and taking it back waits for whichever thread
    holds it (up to the switch interval) — per row, that stalls the writer whenever the
    network thread is busy decoding.  Here the GIL is released once per chunk, for all
    of its rows.
    """
    total = len(flat) // ncols
    limit = cache.get(("max variables",))
    if limit is None:
        limit = cache[("max variables",)] = _max_variables(conn)
    limit //= ncols
    done = 0
    for size in _CHUNKS:
        if size > limit and size > 1:
            continue
        if total - done < size:
            continue
        key = (head, tail, size)
        sql = cache.get(key)
        if sql is None:
            sql = cache[key] = f"{head} VALUES {', '.join([row] * size)}{tail}"
        while total - done >= size:
            conn.execute(sql, flat[done * ncols:(done + size) * ncols])
            done += size


def open_reader(path: str | os.PathLike) -> sqlite3.Connection:
    """A read-only connection for queries off the writer thread."""
    uri = Path(path).absolute().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = 1")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


log = logging.getLogger(__name__)
SQLITE_HEADER = b"SQLite format 3\x00"
#: Seconds after the cache is open before its ``PRAGMA quick_check`` starts (on its own
#: thread and connection, at a low priority): start-up doesn't wait for it, nor share
#: the CPU with it.
INTEGRITY_DELAY_S = 2.0


class IntegrityCheck:
    """``PRAGMA quick_check`` of an open cache file, in the background.

    Opening only reads the file's header and schema (a file that isn't SQLite, or whose
    schema is unreadable, fails there at once).  The full check — every page of a file
    that may hold gigabytes: 0.8 s per 1.5 GB — runs on its own thread and read-only
    connection.  ``error`` is None when it passed (or could not run: a locked or
    vanished file is not a damaged one), else why; :meth:`when_done` calls back (on the
    check's thread, or at once if it is over) — the owner then calls
    :meth:`Store.recover_if_corrupt` on its own thread.
    """

    def __init__(self, path: Path | None, delay: float = 0.0):
        self.path = path
        self.delay = delay
        self.error: str | None = None
        self.seconds: float | None = None    # how long the check took
        self.done = threading.Event()
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._callbacks: list = []
        self._thread: threading.Thread | None = None
        if path is None:                     # nothing to check (a new, empty file)
            self.done.set()

    def start(self) -> "IntegrityCheck":
        if not self.done.is_set() and self._thread is None:
            self._thread = threading.Thread(target=self._run, name="ioc-cache-check", daemon=True)
            self._thread.start()
        return self

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self, timeout: float | None = None) -> bool:
        return self.done.wait(timeout)

    @property
    def failed(self) -> bool:
        return self.done.is_set() and self.error is not None

    def when_done(self, fn) -> None:
        """``fn(check)`` once the check is over (at once if it is)."""
        with self._lock:
            if not self.done.is_set():
                self._callbacks.append(fn)
                return
        fn(self)

    def _run(self) -> None:
        if self._cancel.wait(self.delay):
            return
        try:        # this thread only (Linux): the GUI and the feed go first
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
        except (AttributeError, OSError):
            pass
        t0 = time.perf_counter()
        error = None
        try:
            conn = open_reader(self.path)
            try:
                rows = [r[0] for r in conn.execute("PRAGMA quick_check")]
            finally:
                conn.close()
            if rows != ["ok"]:
                error = "quick_check: " + "; ".join(str(r) for r in rows[:5])
        except sqlite3.OperationalError as exc:   # busy, gone, unreadable: not damage
            log.warning("cache check of %s could not run: %s", self.path, exc)
        except sqlite3.DatabaseError as exc:      # malformed, not a database
            error = f"quick_check: {exc}"
        self.seconds = time.perf_counter() - t0
        if self._cancel.is_set():
            return
        if error:
            log.error("the cache %s is damaged (%s)", self.path, error)
        with self._lock:
            self.error = error
            self.done.set()
            callbacks, self._callbacks = self._callbacks, []
        for fn in callbacks:
            try:
                fn(self)
            except Exception:
                log.exception("cache check callback failed")


class Store:
    """The single writer of one cache file."""

    def __init__(self, path: str | os.PathLike, topics: Iterable[TopicSpec]):
        self.path = Path(path)
        self.topics: dict[str, TopicSpec] = {t.name: t for t in topics}
        self.recovered_from: Path | None = None  # set when a corrupt file was moved aside
        self.corrupt_reason: str | None = None
        # the full check of the file, in the background (see IntegrityCheck)
        self.integrity = IntegrityCheck(None)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open()
        except (sqlite3.DatabaseError, CacheCorrupt) as exc:
            self.recovered_from = self._move_aside("corrupt")
            self.corrupt_reason = str(exc)
            self._open()
        self._commit_id = 0
        self.gaps_dropped = 0          # events refused for a missing seq before them
        self._sql_cache: dict[tuple, object] = {}   # statement texts, the variable limit
        self._rejected_total = self.conn.execute("SELECT count(*) FROM rejected").fetchone()[0]
        self._reset_checkpoint_clock()

    def _reset_checkpoint_clock(self) -> None:
        """Events and time since the last checkpoint (a restart counts from it)."""
        row = self.conn.execute("SELECT max(at) FROM checkpoints").fetchone()
        self._checkpoint_at: float | None = row[0] if row else None
        self._events_since_checkpoint = 0
        self._newest_received: float = 0.0

    # ------------------------------------------------------------------ opening
    def _open(self) -> None:
        """Open the file with a cheap check (its header, its schema read), and start the
        full ``quick_check`` in the background (:class:`IntegrityCheck`): a damaged
        file found there is recovered by :meth:`recover_if_corrupt`."""
        try:
            with open(self.path, "rb") as f:
                head = f.read(len(SQLITE_HEADER))
        except FileNotFoundError:
            head = b""
        if head and head != SQLITE_HEADER:
            raise CacheCorrupt("not an SQLite file (bad header)")
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            # Before anything is written: larger pages than SQLite's 4 KiB halve the
            # page writes and checkpoint I/O of the feed's bulk inserts (rows of ~0.5 to
            # 1 KiB of JSON).  Only a new, empty file takes it; an existing cache keeps
            # its own.
            conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            # Also only for a new, empty file: pages freed by retention can be given back
            # to the file system (ioc_desktop.store.retention); an existing cache keeps
            # its mode (NONE: SQLite reuses its free pages, the file just doesn't shrink).
            fresh = conn.execute("PRAGMA page_count").fetchone()[0] == 0
            if fresh:
                conn.execute("PRAGMA auto_vacuum = INCREMENTAL")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise CacheCorrupt(f"cannot switch to WAL (got {mode})")
            # the schema, read at once (a damaged one fails here); the pages are
            # checked in the background
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            # NORMAL is durable in WAL mode across application crashes; only a power cut
            # can lose the last transactions, which the backend resends (resume).
            conn.execute("PRAGMA synchronous = NORMAL")
            self.conn = conn
            self.db = sqlite_utils.Database(conn)
            self._create_schema()
        except BaseException:
            conn.close()
            raise
        self.integrity.cancel()
        self.integrity = IntegrityCheck(None if fresh else self.path, INTEGRITY_DELAY_S).start()

    def recover_if_corrupt(self) -> Path | None:
        """After the background check found the file damaged: move it aside as
        ``<name>.corrupt-<time>.sqlite`` and start a new one in its place, as at
        opening (``recovered_from``, ``corrupt_reason``).  Call it on the thread that
        uses this store (the writer's).  The path it was moved to, or None (the check
        passed, or is not over)."""
        check = self.integrity
        if not check.failed:
            return None
        try:
            self.conn.close()
        except sqlite3.Error:
            pass
        self.recovered_from = self._move_aside("corrupt")
        self.corrupt_reason = check.error
        self._open()
        self._rejected_total = 0
        self._reset_checkpoint_clock()
        return self.recovered_from

    def _move_aside(self, why: str) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.{why}-{stamp}{self.path.suffix}")
        n = 1
        while target.exists():
            target = self.path.with_name(f"{self.path.stem}.{why}-{stamp}-{n}{self.path.suffix}")
            n += 1
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                os.replace(src, Path(str(target) + suffix))
        return target

    def _create_schema(self) -> None:
        db = self.db
        with self._tx():
            if not db["meta"].exists():
                db["meta"].create({"key": str, "value": str}, pk="key")
                db["meta"].insert_all([
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "created_at", "value": _now_iso()},
                ])
            if not db["events"].exists():
                # WITHOUT ROWID: the (topic, seq) key is the table itself, one b-tree
                # insert per event instead of two (the feed's hottest write).
                self.conn.execute(
                    "CREATE TABLE events (topic TEXT NOT NULL, seq INTEGER NOT NULL, time TEXT, "
                    "op TEXT NOT NULL, key TEXT, data TEXT, received_at REAL, "
                    "PRIMARY KEY (topic, seq)) WITHOUT ROWID")
                db["events"].create_index(["topic", "key"], if_not_exists=True)
            if not db["cursors"].exists():
                db["cursors"].create({"topic": str, "seq": int, "updated_at": float}, pk="topic")
            if not db["rejected"].exists():
                db["rejected"].create(
                    {"id": int, "received_at": float, "topic": str, "seq": int,
                     "reason": str, "raw": str, "size": int},
                    pk="id",
                )
            self._create_media_table()
            checkpoints.ensure_schema(self.conn)
            self._set_schema_version()
            for spec in self.topics.values():
                self._create_state_table(spec)

    def _create_media_table(self) -> None:
        """The newest copy of each snapshot or photo, for offline review (see the
        module docstring); a schema-1 table is migrated (same transaction)."""
        columns = {c.name for c in self.db["media"].columns} if self.db["media"].exists() else set()
        if "key" in columns:
            return
        if columns:
            self.conn.execute("ALTER TABLE media RENAME TO media_v1")
        self.conn.execute(
            "CREATE TABLE media (key TEXT PRIMARY KEY, url TEXT NOT NULL, origin TEXT NOT NULL, "
            "path TEXT NOT NULL, kind TEXT NOT NULL, content_type TEXT, data BLOB, "
            "fetched_at REAL, size INTEGER)")
        self.conn.execute("CREATE INDEX media_url ON media(url)")
        self.conn.execute("CREATE INDEX media_path ON media(path)")
        if columns:
            self._migrate_media_v1()

    def _set_schema_version(self) -> None:
        self.conn.execute("INSERT INTO meta(key, value) VALUES ('schema_version', ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                          (str(SCHEMA_VERSION),))

    def _migrate_media_v1(self) -> None:
        """Schema 1 keyed media by the absolute URL they were fetched from, which names
        the backend's host and port (the embedded backend's port changes at every run).
        The blobs are copied in SQL (never through Python); each row's origin and path
        are computed from its URL.  Rows from the cache's last backend (meta
        ``server_url``) become backend rows keyed by their path; the others stay keyed
        by their URL as ``legacy`` rows, which a backend path still finds by their path
        (schema 1 only ever stored media of the backend or of a configured origin)."""
        from urllib.parse import urlsplit, urlunsplit

        self.conn.execute(
            "INSERT INTO media(key, url, origin, path, kind, content_type, data, fetched_at, size) "
            "SELECT url, url, '', '', 'legacy', content_type, data, fetched_at, size "
            "FROM media_v1 WHERE url IS NOT NULL")
        self.conn.execute("DROP TABLE media_v1")
        server = self.conn.execute("SELECT value FROM meta WHERE key = 'server_url'").fetchone()
        backend = None
        if server and server[0]:
            parts = urlsplit(server[0])
            scheme = {"ws": "http", "wss": "https"}.get(parts.scheme)
            if scheme:
                backend = _origin_text(scheme, parts.netloc.rpartition("@")[2])
        updates = []
        for (url,) in self.conn.execute("SELECT url FROM media").fetchall():
            try:
                parts = urlsplit(url)
                origin = _origin_text(parts.scheme, parts.netloc)
            except ValueError:
                continue
            path = urlunsplit(("", "", parts.path or "/", parts.query, ""))
            if backend is not None and origin == backend:
                updates.append((path, origin, path, "backend", url))
            else:
                updates.append((url, origin, path, "legacy", url))
        self.conn.executemany("UPDATE media SET key = ?, origin = ?, path = ?, kind = ? WHERE url = ?",
                              updates)

    def _create_state_table(self, spec: TopicSpec) -> None:
        table = _ident(spec.table)
        if not self.db[table].exists():
            cols: dict[str, type] = {"key": str}
            for name, typ in spec.columns.items():
                cols[_ident(name)] = typ
            cols.update({"seq": int, "time": str, "data": str})
            self.db[table].create(cols, pk="key")
        else:
            self._migrate_state_table(spec)
        for index in spec.indexes:
            self.db[table].create_index([_ident(c) for c in index], if_not_exists=True)
        if spec.setup is not None:
            spec.setup(self.conn)

    def _migrate_state_table(self, spec: TopicSpec) -> None:
        """A cache written by an older version of the plugin: add the new columns and
        recompute every row from its stored ``data`` (nothing a feed sent is lost)."""
        table = _ident(spec.table)
        existing = {c.name for c in self.db[table].columns}
        missing = [name for name in spec.columns if name not in existing]
        if not missing:
            return
        for name in missing:
            self.db[table].add_column(_ident(name), spec.columns[name])
        cols = list(spec.columns)
        sql = (f"UPDATE {table} SET " + ", ".join(f'"{_ident(c)}" = ?' for c in cols)
               + " WHERE key = ?")
        rows = []
        for key, text in self.conn.execute(f"SELECT key, data FROM {table}"):
            row = spec.row(key, jsonfast.loads(text))
            rows.append((*[row.get(c) for c in cols], key))
        self.conn.executemany(sql, rows)

    def add_topics(self, topics: Iterable[TopicSpec]) -> None:
        with self._tx():
            for spec in topics:
                self.topics[spec.name] = spec
                self._create_state_table(spec)

    class _Tx:
        def __init__(self, conn: sqlite3.Connection):
            self.conn = conn

        def __enter__(self):
            self.conn.execute("BEGIN IMMEDIATE")

        def __exit__(self, exc_type, exc, tb):
            self.conn.execute("COMMIT" if exc_type is None else "ROLLBACK")
            return False

    def _tx(self) -> "_Tx":
        return Store._Tx(self.conn)

    # ------------------------------------------------------------------ meta
    def meta(self, key: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, **values: str | None) -> None:
        with self._tx():
            for key, value in values.items():
                if value is None:
                    self.conn.execute("DELETE FROM meta WHERE key = ?", (key,))
                else:
                    self.conn.execute(
                        "INSERT INTO meta(key, value) VALUES (?, ?) "
                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))

    def cursors(self) -> dict[str, int]:
        return dict(self.conn.execute("SELECT topic, seq FROM cursors"))

    def has_data(self) -> bool:
        return self.conn.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None

    def rotate(self, reason: str) -> Path | None:
        """Start an empty cache in this file's place; the old file stays for review.

        Used when the backend's epoch changes: two logs are never mixed.
        """
        if not self.has_data():
            return None
        self.conn.close()
        archived = self._move_aside(reason)
        self._open()
        self._rejected_total = 0
        self._reset_checkpoint_clock()
        return archived

    def close(self) -> None:
        self.integrity.cancel()
        try:
            self.conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        self.conn.close()

    # ------------------------------------------------------------------ writing
    def apply(self, items: Iterable[EventRecord | RejectedRecord | tuple]) -> CommittedBatch:
        """Log, materialise and commit one batch in ONE transaction.

        ``items``: records, or upserts and deletes as the plain tuples ``(topic, seq,
        time, op, key, text, received_at, row)`` of :class:`LazyEventRecord`.

        Events at or below a topic's committed cursor are dropped (duplicates), so a
        batch can be replayed safely; so are events past a gap (seq > cursor + 1): a
        topic's log is contiguous up to its cursor, always.
        """
        if getattr(self, "_tuned_conn", None) is not self.conn:
            for pragma in WRITER_PRAGMAS:
                self.conn.execute(pragma)
            self._tuned_conn = self.conn
        batch = CommittedBatch()
        changes = batch.topics
        cursors = self.cursors()
        event_rows: list = []                 # 7 values per event, row after row
        add_row = event_rows.extend
        rejected_rows: list[tuple] = []
        cursor_updates: dict[str, tuple[int, float]] = {}
        # per topic: key -> the JSON of its newest data; key -> its newest upsert event
        texts: dict[str, dict[str, str]] = {}
        newest: dict[str, dict[str, EventRecord]] = {}
        dumps = orjson.dumps
        # The topic whose run of events is being read, and its state in locals (a batch
        # is mostly long runs of one topic: a frame's events, a writer's drain).
        topic = None
        ch = cursor = events = upserts = deletes = topic_texts = topic_newest = last = None
        last_time = None

        for item in items:
            if item.__class__ is tuple:
                # an upsert or a delete as the feed's decoding process sends it
                # (ioc_desktop.feed.decoder): made a record here, when it is committed,
                # not while it waits in the writer's queue
                item = LazyEventRecord(*item)
            elif item.__class__ is not EventRecord and isinstance(item, RejectedRecord):
                if topic is not None:     # leave the run: its cursor may move below
                    cursors[topic] = cursor
                    if last is not None:
                        ch.last_seq, ch.received_at, ch.last_time = last.seq, last.received_at, last_time
                        cursor_updates[topic] = (last.seq, last.received_at)
                    topic = None
                raw = item.raw if len(item.raw) <= RAW_KEEP else item.raw[:RAW_KEEP]
                rejected_rows.append((item.received_at, item.topic, item.seq, item.reason,
                                      raw, len(item.raw) if item.size is None else item.size))
                batch.rejected.append(item)
                # A rejected event with a sound envelope still consumes its seq: the next
                # event is not a gap, and a resubscribe won't fetch the bad one again.
                if item.topic and item.seq is not None and item.seq == cursors.get(item.topic, 0) + 1:
                    cursors[item.topic] = item.seq
                    cursor_updates[item.topic] = (item.seq, item.received_at)
                continue
            ev = item
            if ev.topic != topic:
                if topic is not None:
                    cursors[topic] = cursor
                    if last is not None:
                        ch.last_seq, ch.received_at, ch.last_time = last.seq, last.received_at, last_time
                        cursor_updates[topic] = (last.seq, last.received_at)
                topic = ev.topic
                cursor = cursors.get(topic, 0)
                ch = changes.get(topic)
                last = None
                if ch is None:
                    events = upserts = deletes = topic_texts = topic_newest = None
                    last_time = None
                else:
                    events, upserts, deletes = ch.events, ch.upserts, ch.deletes
                    topic_texts, topic_newest = texts[topic], newest[topic]
                    last_time = ch.last_time
            seq = ev.seq
            op = ev.op
            if seq != cursor + 1 and op != "snapshot":
                if seq > cursor:
                    # A gap: never commit past a missing seq (a writer that died lost a
                    # batch, say); the feed resubscribes from the committed cursor.
                    self.gaps_dropped += 1
                continue  # else a duplicate
            if op == "snapshot" and seq < cursor:
                continue  # an older snapshot (one may restate the cursor's own seq)
            if ch is None:
                ch = changes[topic] = TopicChanges()
                events, upserts, deletes = ch.events, ch.upserts, ch.deletes
                topic_texts = texts[topic] = {}
                topic_newest = newest[topic] = {}
            cursor = seq
            last = ev
            # UTF-8, stored as TEXT by the statement's CAST: no decoding to str and
            # encoding back for SQLite.  A bytearray: sqlite3 binds it directly, where
            # bytes (like None) first goes through its adapter lookup.  (``data`` is
            # not read when the JSON is there: a LazyEventRecord decodes it only for
            # whoever reads it, see below.)
            text = ev.text
            if text is None:
                data = ev.data
                if data is not None:
                    text = bytearray(dumps(data))
            add_row((topic, seq, ev.time, op, ev.key, text, ev.received_at))
            events.append(ev)
            if ev.time:
                last_time = ev.time
            key = ev.key
            if op == "upsert":
                if deletes:
                    deletes.discard(key)
                upserts[key] = ev             # its data once the batch is read (below)
                if text is not None:
                    topic_texts[key] = text   # the state row reuses the log's JSON
                topic_newest[key] = ev
            elif op == "delete":
                upserts.pop(key, None)
                deletes.add(key)
            elif op == "snapshot":
                # the whole state as of seq: what came before it in the batch is replaced
                ch.snapshot = True
                upserts = ch.upserts = {it["key"]: it["data"] for it in ev.data}
                deletes = ch.deletes = set()
                topic_texts.clear()
                topic_newest.clear()
            else:
                # not an op the log knows: logged, as before, and treated as an upsert
                if deletes:
                    deletes.discard(key)
                upserts[key] = ev.data
        if topic is not None:
            cursors[topic] = cursor
            if last is not None:
                ch.last_seq, ch.received_at, ch.last_time = last.seq, last.received_at, last_time
                cursor_updates[topic] = (last.seq, last.received_at)
        # Each key's newest upsert gives its data: read once, for the newest only (an
        # event superseded within the batch is never decoded here).
        for ch in changes.values():
            upserts = ch.upserts
            for key, value in upserts.items():
                if isinstance(value, EventRecord):
                    upserts[key] = value.data

        with self._tx():
            if event_rows:
                _insert_rows(self.conn, self._sql_cache,
                             "INSERT OR IGNORE INTO events(topic, seq, time, op, key, data, "
                             "received_at)", "(?, ?, ?, ?, ?, CAST(? AS TEXT), ?)", "",
                             7, event_rows)
            if rejected_rows:
                self.conn.executemany(
                    "INSERT INTO rejected(received_at, topic, seq, reason, raw, size) "
                    "VALUES (?, ?, ?, ?, ?, ?)", rejected_rows)
            for name, ch in changes.items():
                self._materialise(name, ch, texts[name], newest[name])
            if cursor_updates:
                self.conn.executemany(
                    "INSERT INTO cursors(topic, seq, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(topic) DO UPDATE SET seq = excluded.seq, "
                    "updated_at = excluded.updated_at",
                    [(t, s, r) for t, (s, r) in cursor_updates.items()])
            self._rejected_total += len(rejected_rows)
        self._commit_id += 1
        batch.commit_id = self._commit_id
        batch.rejected_total = self._rejected_total
        if cursor_updates:
            self._events_since_checkpoint += len(event_rows) // 7
            self._newest_received = max(self._newest_received,
                                        max(r for _, r in cursor_updates.values()) or 0.0)
            self._maybe_checkpoint()
        return batch

    def _maybe_checkpoint(self) -> None:
        """A checkpoint of the whole state every CHECKPOINT_EVENTS events or
        CHECKPOINT_MAX_S seconds of events (review jumps read at most that much of the
        log), in its own transaction right after the batch's."""
        due = self._events_since_checkpoint >= checkpoints.CHECKPOINT_EVENTS
        if not due and self._events_since_checkpoint:
            if self._checkpoint_at is None:
                self._checkpoint_at = self._newest_received   # the clock starts here
            due = self._newest_received - self._checkpoint_at >= checkpoints.CHECKPOINT_MAX_S
        if due:
            self.checkpoint()

    def checkpoint(self) -> int | None:
        """Save the whole state now (see :mod:`ioc_desktop.review.checkpoints`)."""
        at = self._newest_received or None
        if at is None:
            return None
        tables = {n: _ident(s.table) for n, s in self.topics.items()}
        # the image first, outside the transaction (nothing writes in between: this is
        # the only writer), then the checkpoint's rows in one
        image = checkpoints.make_image(self.conn, tables)
        with self._tx():
            cp_id = checkpoints.write(self.conn, at, tables, self.cursors(), image=image)
        self._checkpoint_at, self._events_since_checkpoint = at, 0
        return cp_id

    def _upsert_sql(self, spec: TopicSpec) -> tuple:
        """(spec, (head, row, tail) of its state table's upsert, its columns), cached."""
        sql = self._sql_cache.get(("upsert", spec.name))
        if sql is None or sql[0] is not spec or sql[2] != tuple(spec.columns):
            table = _ident(spec.table)
            # quoted: a standard's field name may be an SQL keyword (CAP's "references")
            names = [f'"{n}"' for n in ("key", *spec.columns, "seq", "time", "data")]
            values = ["?"] * (len(names) - 1) + ["CAST(? AS TEXT)"]   # data: JSON as UTF-8
            head = f"INSERT INTO {table}({', '.join(names)})"
            row = f"({', '.join(values)})"
            tail = (" ON CONFLICT(key) DO UPDATE SET "
                    + ", ".join(f"{n} = excluded.{n}" for n in names[1:]))
            sql = self._sql_cache[("upsert", spec.name)] = (spec, (head, row, tail),
                                                            tuple(spec.columns))
        return sql

    def _materialise(self, topic: str, ch: TopicChanges, texts: dict[str, str],
                     newest: dict[str, EventRecord] | None = None) -> None:
        """Write one topic's changes to its state table.  ``texts``: key -> the JSON of
        its newest data when already made (for the log); ``newest``: key -> its newest
        upsert event (found in ``ch.events`` when not given)."""
        spec = self.topics.get(topic)
        if spec is None:
            return  # logged only: a topic no plugin materialises
        if newest is None:
            newest = {ev.key: ev for ev in ch.events if ev.op == "upsert"}
        table = _ident(spec.table)
        if ch.snapshot:
            self.conn.execute(f"DELETE FROM {table}")
        if ch.deletes:
            self.conn.executemany(f"DELETE FROM {table} WHERE key = ?",
                                  [(k,) for k in ch.deletes])
        if not ch.upserts:
            return
        _, (head, row_sql, tail), cols = self._upsert_sql(spec)
        row_of = spec.row
        ncols = len(cols)
        last_seq, last_time = ch.last_seq, ch.last_time
        rows: list = []                       # (key, values in column order, seq, time, JSON)
        add = rows.append
        for key, data in ch.upserts.items():
            ev = newest.get(key)   # seq/time of the key's newest event, for the state row
            row = ev.row if ev is not None else None
            if row is None:
                row = row_of(key, data)
            text = texts.get(key)
            if row.__class__ is tuple and len(row) == ncols:   # already in column order
                add((key, row, ev.seq, ev.time, text if text else _dumps(data)))
                continue
            if row.__class__ is tuple:    # not this spec's columns: made again
                row = row_of(key, data)
            add((key, tuple(map(row.get, cols)),
                 ev.seq if ev else last_seq, ev.time if ev else last_time,
                 text if text else _dumps(data)))
        if not ch.snapshot and self._indexed(table):
            rows = self._update_changed(table, cols, rows)     # the rows that are new
        if rows:
            flat: list = []                   # row after row, len(cols) + 4 values each
            add = flat.extend
            for key, values, seq, when, text in rows:
                add((key, *values, seq, when, text))
            _insert_rows(self.conn, self._sql_cache, head, row_sql, tail, ncols + 4, flat)

    def _indexed(self, table: str) -> bool:
        """Whether ``table`` has indexes besides its key, or triggers: then a row that
        exists is updated in the columns that changed only (:meth:`_update_changed`)."""
        key = ("indexed", table)
        found = self._sql_cache.get(key)
        if found is None or found[0] is not self.conn:
            n = self.conn.execute(
                "SELECT count(*) FROM sqlite_master WHERE tbl_name = ? AND "
                "(type = 'trigger' OR (type = 'index' AND sql IS NOT NULL))", (table,)).fetchone()[0]
            found = self._sql_cache[key] = (self.conn, n >= CHANGED_COLUMNS_FROM)
        return found[1]

    def _update_changed(self, table: str, cols: tuple[str, ...], rows: list) -> list:
        """Update the rows whose key exists in the columns whose value changed (and
        ``seq``, ``time``, ``data``); the rows that don't exist yet are returned.

        The table's rows for the batch's keys are read first, in this transaction.  An
        UPDATE of a column rewrites every index on it, and fires ``UPDATE OF`` triggers,
        whether its value changed or not: a state row that changes in two columns of
        thirty no longer rewrites all the table's indexes (the reports' nine, and their
        full-text index).  The row left is the same: a value is left as it is only when
        it equals the new one (``==``, which the column's type conversion keeps equal).
        """
        conn = self.conn
        cache = self._sql_cache
        quoted = ", ".join(f'"{c}"' for c in cols)
        select = cache.get(("current", table, cols))
        if select is None:
            select = cache[("current", table, cols)] = (
                f"SELECT key, {quoted} FROM {table} WHERE key IN "
                f"({', '.join('?' * _KEYS_PER_SELECT)})")
        keys = [r[0] for r in rows]
        current: dict = {}
        for i in range(0, len(keys), _KEYS_PER_SELECT):
            chunk = keys[i:i + _KEYS_PER_SELECT]
            chunk += [chunk[0]] * (_KEYS_PER_SELECT - len(chunk))   # one statement text
            for found in conn.execute(select, chunk):
                current[found[0]] = found[1:]
        if not current:
            return rows
        new: list = []
        updates: dict[tuple, list] = {}
        for key, values, seq, when, text in rows:
            old = current.get(key)
            if old is None:
                new.append((key, values, seq, when, text))
                continue
            if old == values:
                changed = ()
            else:
                changed = tuple(i for i, (a, b) in enumerate(zip(old, values)) if a != b)
            params = updates.get(changed)
            if params is None:
                params = updates[changed] = []
            params.append((*[values[i] for i in changed], seq, when, text, key))
        for changed, params in updates.items():
            sql = cache.get(("update", table, cols, changed))
            if sql is None:
                n = len(changed)
                if _UPDATE_FROM:
                    # one statement for many rows (the GIL released once per chunk, as
                    # for the INSERTs), through _insert_rows' chunks of VALUES
                    sets = [f'"{cols[i]}" = v.column{j}' for j, i in enumerate(changed, 1)]
                    sets += [f"seq = v.column{n + 1}", f"time = v.column{n + 2}",
                             f"data = v.column{n + 3}"]
                    sql = (f"UPDATE {table} SET {', '.join(sets)} FROM (",
                           "(" + "?, " * (n + 2) + "CAST(? AS TEXT), ?)",
                           f") AS v WHERE {table}.key = v.column{n + 4}")
                else:
                    sets = [f'"{cols[i]}" = ?' for i in changed] + ["seq = ?", "time = ?"]
                    sql = (f"UPDATE {table} SET {', '.join(sets)}, data = CAST(? AS TEXT) "
                           "WHERE key = ?")
                if len(cache) < 4096:        # (a few sets of columns change together)
                    cache[("update", table, cols, changed)] = sql
            if _UPDATE_FROM:
                head, row, tail = sql
                _insert_rows(conn, cache, head, row, tail, len(changed) + 4,
                             [value for p in params for value in p])
            else:
                conn.executemany(sql, params)
        return new

    # ------------------------------------------------------------------ media
    def put_media(self, key: str, url: str, origin: str, path: str, kind: str,
                  content_type: str, data: bytes, fetched_at: float) -> None:
        """Keep the newest copy of one medium: ``key`` is what finds it again (the
        backend-relative ``path`` for ``kind = 'backend'``, the URL for ``'origin'``),
        ``url`` the absolute URL it came from this time (see :mod:`ioc_desktop.media`)."""
        with self._tx():
            self.conn.execute(
                "INSERT INTO media(key, url, origin, path, kind, content_type, data, fetched_at, size) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT(key) DO UPDATE SET url = excluded.url, origin = excluded.origin, "
                "path = excluded.path, kind = excluded.kind, content_type = excluded.content_type, "
                "data = excluded.data, fetched_at = excluded.fetched_at, size = excluded.size",
                (key, url, origin, path, kind, content_type, data, fetched_at, len(data)))

    def get_media(self, key: str, *, url: str | None = None,
                  legacy_path: str | None = None) -> tuple[str, bytes, float] | None:
        """The cached copy of a medium: by ``key``; else the copy last fetched from
        exactly ``url``; else (a backend path) the newest schema-1 copy with that path."""
        row = self.conn.execute("SELECT content_type, data, fetched_at FROM media WHERE key = ?",
                                (key,)).fetchone()
        if row is None and url is not None:
            row = self.conn.execute(
                "SELECT content_type, data, fetched_at FROM media WHERE url = ? "
                "ORDER BY fetched_at DESC LIMIT 1", (url,)).fetchone()
        if row is None and legacy_path is not None:
            row = self.conn.execute(
                "SELECT content_type, data, fetched_at FROM media WHERE path = ? AND kind = 'legacy' "
                "ORDER BY fetched_at DESC LIMIT 1", (legacy_path,)).fetchone()
        return row

    # ------------------------------------------------------------------ reading
    def load_state(self) -> dict[str, dict[str, dict]]:
        """The whole materialised state: topic -> key -> data."""
        out: dict[str, dict[str, dict]] = {}
        for name, spec in self.topics.items():
            rows = self.conn.execute(f"SELECT key, data FROM {_ident(spec.table)}")
            out[name] = {k: jsonfast.loads(d) for k, d in rows}
        return out


def load_state(conn: sqlite3.Connection, topics: Iterable[TopicSpec]) -> dict[str, dict[str, dict]]:
    """Same as :meth:`Store.load_state`, on a reader connection."""
    out: dict[str, dict[str, dict]] = {}
    for spec in topics:
        try:
            rows = conn.execute(f"SELECT key, data FROM {_ident(spec.table)}").fetchall()
        except sqlite3.OperationalError:
            rows = []  # table not there yet (new plugin, fresh cache)
        out[spec.name] = {k: jsonfast.loads(d) for k, d in rows}
    return out


def _origin_text(scheme: str, netloc: str) -> str:
    """``scheme://host[:port]`` as :class:`ioc_desktop.media.Origin` writes it (lower
    case, default port left out, IPv6 compressed); ValueError for a bad netloc."""
    import ipaddress
    from urllib.parse import urlsplit

    scheme = scheme.lower()
    parts = urlsplit(f"{scheme}://{netloc}/")
    host = (parts.hostname or "").lower()
    try:
        host = ipaddress.ip_address(host).compressed
    except ValueError:
        pass
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}" if port in (None, default) else f"{scheme}://{shown}:{port}"


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
