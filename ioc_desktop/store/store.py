"""The local cache: one SQLite file (WAL) per backend log, written by one writer.

Schema (also in the README):

- ``meta(key, value)``: ``schema_version``, ``server_url``, ``epoch``, ``created_at``.
- ``events(topic, seq, time, op, key, data, received_at)``: the append-only log,
  unique on ``(topic, seq)``; ``data`` is JSON (for ``op = 'snapshot'`` a list of
  ``{"key", "data"}`` items: the whole state of the topic as of ``seq``).
- ``cursors(topic, seq, updated_at)``: the last committed seq per topic.
- ``rejected(id, received_at, topic, seq, reason, raw, size)``: every refused frame.
- one state table per topic (named by the plugin): ``key`` primary key, the plugin's
  typed columns, ``seq``, ``time`` and ``data`` (JSON).

Only :class:`Store` writes, always in one transaction per batch.  Readers open their
own connections (:func:`open_reader`).
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import time
from pathlib import Path
from typing import Iterable

import sqlite_utils

from ioc_desktop import jsonfast
from ioc_desktop.plugin_api import TopicSpec
from ioc_desktop.store.batch import CommittedBatch, EventRecord, RejectedRecord, TopicChanges

SCHEMA_VERSION = 1
RAW_KEEP = 4096  # bytes of a rejected frame kept for the record


class CacheCorrupt(Exception):
    """The cache file is not a usable SQLite database (it is moved aside, not deleted)."""


_TYPES = {str: "TEXT", float: "REAL", int: "INTEGER"}
_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def _ident(name: str) -> str:
    if not _IDENT.match(name):
        raise ValueError(f"not a safe SQL identifier: {name!r}")
    return name


_dumps = jsonfast.dumps


def open_reader(path: str | os.PathLike) -> sqlite3.Connection:
    """A read-only connection for queries off the writer thread."""
    uri = Path(path).absolute().as_uri() + "?mode=ro"
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.execute("PRAGMA query_only = 1")
    conn.execute("PRAGMA busy_timeout = 5000")
    return conn


class Store:
    """The single writer of one cache file."""

    def __init__(self, path: str | os.PathLike, topics: Iterable[TopicSpec]):
        self.path = Path(path)
        self.topics: dict[str, TopicSpec] = {t.name: t for t in topics}
        self.recovered_from: Path | None = None  # set when a corrupt file was moved aside
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._open()
        except (sqlite3.DatabaseError, CacheCorrupt) as exc:
            self.recovered_from = self._move_aside("corrupt")
            self.corrupt_reason = str(exc)
            self._open()
        self._commit_id = 0
        self._rejected_total = self.conn.execute("SELECT count(*) FROM rejected").fetchone()[0]

    # ------------------------------------------------------------------ opening
    def _open(self) -> None:
        conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA busy_timeout = 5000")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise CacheCorrupt(f"cannot switch to WAL (got {mode})")
            check = conn.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise CacheCorrupt(f"quick_check: {check}")
            # NORMAL is durable in WAL mode across application crashes; only a power cut
            # can lose the last transactions, which the backend resends (resume).
            conn.execute("PRAGMA synchronous = NORMAL")
            self.conn = conn
            self.db = sqlite_utils.Database(conn)
            self._create_schema()
        except BaseException:
            conn.close()
            raise

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
            if not db["media"].exists():
                # newest copy of each media URL (snapshots, photos) for offline review
                db["media"].create({"url": str, "content_type": str, "data": bytes,
                                    "fetched_at": float, "size": int}, pk="url")
            for spec in self.topics.values():
                self._create_state_table(spec)

    def _create_state_table(self, spec: TopicSpec) -> None:
        table = _ident(spec.table)
        if self.db[table].exists():
            return
        cols: dict[str, type] = {"key": str}
        for name, typ in spec.columns.items():
            cols[_ident(name)] = typ
        cols.update({"seq": int, "time": str, "data": str})
        self.db[table].create(cols, pk="key")
        for index in spec.indexes:
            self.db[table].create_index([_ident(c) for c in index], if_not_exists=True)

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
        return archived

    def close(self) -> None:
        try:
            self.conn.execute("PRAGMA optimize")
        except sqlite3.Error:
            pass
        self.conn.close()

    # ------------------------------------------------------------------ writing
    def apply(self, items: Iterable[EventRecord | RejectedRecord]) -> CommittedBatch:
        """Log, materialise and commit one batch in ONE transaction.

        Events at or below a topic's committed cursor are dropped (duplicates), so a
        batch can be replayed safely.
        """
        batch = CommittedBatch()
        cursors = self.cursors()
        event_rows: list[tuple] = []
        rejected_rows: list[tuple] = []
        cursor_updates: dict[str, tuple[int, float]] = {}
        texts: dict[tuple[str, str], str] = {}
        for item in items:
            if isinstance(item, RejectedRecord):
                raw = item.raw if len(item.raw) <= RAW_KEEP else item.raw[:RAW_KEEP]
                rejected_rows.append((item.received_at, item.topic, item.seq, item.reason,
                                      raw, len(item.raw)))
                batch.rejected.append(item)
                # A rejected event with a sound envelope still consumes its seq: the next
                # event is not a gap, and a resubscribe won't fetch the bad one again.
                if item.topic and item.seq is not None and item.seq > cursors.get(item.topic, 0):
                    cursors[item.topic] = item.seq
                    cursor_updates[item.topic] = (item.seq, item.received_at)
                continue
            ev = item
            if ev.seq <= cursors.get(ev.topic, 0) and ev.op != "snapshot":
                continue  # duplicate
            if ev.op == "snapshot" and ev.seq < cursors.get(ev.topic, 0):
                continue
            cursors[ev.topic] = ev.seq
            cursor_updates[ev.topic] = (ev.seq, ev.received_at)
            text = None if ev.data is None else _dumps(ev.data)
            event_rows.append((ev.topic, ev.seq, ev.time, ev.op, ev.key, text, ev.received_at))
            ch = batch.topics.get(ev.topic)
            if ch is None:
                ch = batch.topics[ev.topic] = TopicChanges()
            ch.events.append(ev)
            if text is not None and ev.op == "upsert":
                texts[(ev.topic, ev.key)] = text   # the state row reuses the log's JSON
            ch.last_seq = ev.seq
            ch.received_at = ev.received_at
            if ev.time:
                ch.last_time = ev.time
            if ev.op == "snapshot":
                ch.snapshot = True
                ch.upserts = {it["key"]: it["data"] for it in ev.data}
                ch.deletes = set()
            elif ev.op == "delete":
                ch.upserts.pop(ev.key, None)
                ch.deletes.add(ev.key)
            else:
                ch.deletes.discard(ev.key)
                ch.upserts[ev.key] = ev.data

        with self._tx():
            if event_rows:
                self.conn.executemany(
                    "INSERT OR IGNORE INTO events(topic, seq, time, op, key, data, received_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)", event_rows)
            if rejected_rows:
                self.conn.executemany(
                    "INSERT INTO rejected(received_at, topic, seq, reason, raw, size) "
                    "VALUES (?, ?, ?, ?, ?, ?)", rejected_rows)
                self._rejected_total += len(rejected_rows)
            for topic, ch in batch.topics.items():
                self._materialise(topic, ch, texts)
            if cursor_updates:
                self.conn.executemany(
                    "INSERT INTO cursors(topic, seq, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT(topic) DO UPDATE SET seq = excluded.seq, "
                    "updated_at = excluded.updated_at",
                    [(t, s, r) for t, (s, r) in cursor_updates.items()])
        self._commit_id += 1
        batch.commit_id = self._commit_id
        batch.rejected_total = self._rejected_total
        return batch

    def _materialise(self, topic: str, ch: TopicChanges, texts: dict) -> None:
        spec = self.topics.get(topic)
        if spec is None:
            return  # logged only: a topic no plugin materialises
        table = _ident(spec.table)
        if ch.snapshot:
            self.conn.execute(f"DELETE FROM {table}")
        if ch.deletes:
            self.conn.executemany(f"DELETE FROM {table} WHERE key = ?",
                                  [(k,) for k in ch.deletes])
        if not ch.upserts:
            return
        # seq/time of each key's newest event, for the state row
        newest: dict[str, EventRecord] = {}
        for ev in ch.events:
            if ev.op == "upsert":
                newest[ev.key] = ev
        cols = list(spec.columns)
        # quoted: a standard's field name may be an SQL keyword (CAP's "references")
        names = [f'"{n}"' for n in ("key", *cols, "seq", "time", "data")]
        sql = (f"INSERT INTO {table}({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
               f"ON CONFLICT(key) DO UPDATE SET "
               + ", ".join(f"{n} = excluded.{n}" for n in names[1:]))
        rows = []
        for key, data in ch.upserts.items():
            row = spec.row(key, data)
            ev = newest.get(key)
            rows.append((key, *[row.get(c) for c in cols],
                         ev.seq if ev else ch.last_seq, ev.time if ev else ch.last_time,
                         texts.get((topic, key)) or _dumps(data)))
        self.conn.executemany(sql, rows)

    # ------------------------------------------------------------------ media
    def put_media(self, url: str, content_type: str, data: bytes, fetched_at: float) -> None:
        with self._tx():
            self.conn.execute(
                "INSERT INTO media(url, content_type, data, fetched_at, size) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(url) DO UPDATE SET content_type = excluded.content_type, "
                "data = excluded.data, fetched_at = excluded.fetched_at, size = excluded.size",
                (url, content_type, data, fetched_at, len(data)))

    def get_media(self, url: str) -> tuple[str, bytes, float] | None:
        return self.conn.execute("SELECT content_type, data, fetched_at FROM media WHERE url = ?",
                                 (url,)).fetchone()

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


def _now_iso() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
