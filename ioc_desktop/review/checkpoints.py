"""Checkpoints of the materialised state, for review (see :mod:`ioc_desktop.review`).

Tables (created by :func:`ensure_schema`, in the writer's transaction):

- ``checkpoints(id, at, cursors, events)``: ``at`` is the newest ``received_at`` of the
  events it holds (epoch seconds, the review axis); ``cursors`` a JSON object topic ->
  seq (every event of the topic up to that seq is in it); ``events`` how many events
  the log held when it was made (for reports).
- ``checkpoint_state(checkpoint_id, topic, items, state)``: one topic's whole state at
  that checkpoint, as the zlib-compressed UTF-8 JSON object key -> data.  The JSON is
  put together from the state table's stored texts, never decoded and encoded again.

- ``checkpoint_rows(checkpoint_id, topic, columns, rows)``: the same state as the state
  table's typed rows, ``data`` (the item's JSON text) included: ``columns`` a JSON
  list of its column names, ``rows`` the rows laid out by column, each column a
  zlib-compressed JSON list (:data:`COLUMNAR`).  A topic saved this way has an empty
  ``state`` blob in ``checkpoint_state`` (its ``items`` still counted there): the
  texts are in the rows.  A review's jump reads them as they are
  (:class:`~ioc_desktop.review.items.TextItems`), each column only when asked for:
  the reports model makes its records from 7 small columns, the reader's tables take
  the whole rows, and only the values someone reads are decoded (decoding the
  reports' 10 MB of JSON was ~140 ms of every jump, computing their rows with the
  plugin's ``row()`` ~0.5 s).

  Older caches: one made before ``checkpoint_rows`` has only the ``state`` blobs; one
  made by this table's first version has both, its rows without ``data`` (row-major:
  one zlib-compressed JSON ``[columns, rows]``).  Both are read as they were written.

- ``checkpoint_image(checkpoint_id, tables, image)``: since version 5 of the bench's
  cache, what a checkpoint is written as.  ``image`` is an SQLite database image (the
  bytes of ``sqlite3.Connection.serialize``), zstd-compressed, holding every topic's
  state table as it was (the live table's definition, its rows with ``data``, no
  secondary index); ``tables`` a JSON object topic -> table name.  Its topics have
  empty ``state`` blobs and no ``checkpoint_rows``.  Why a database: a review's
  jump then gets the panels' SQL tables at the checkpoint by decompressing and
  deserialising it (~15 ms for the reports' 7,000 rows of 31 columns, ~21 MB of
  pages), where filling temporary tables row by row from the columns cost ~0.1 s;
  and writing one (a copy of each table into an in-memory database, then zstd) costs
  the writer half of what the columns' JSON and zlib did.  The jump's models read its
  columns through SQL (:class:`ImageRowStore`).

Only the store's writer writes here (:func:`write`), in its own transaction right after
a batch's (the state tables then match the cursors exactly).
"""
from __future__ import annotations

import sqlite3
import threading
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Iterable, Mapping, MutableMapping

import orjson

from ioc_desktop import jsonfast
from ioc_desktop.review.items import RowStore, TextItems

try:        # a wheel on every platform we ship; without it checkpoints are columns
    import zstandard
except ImportError:      # pragma: no cover
    zstandard = None

#: A checkpoint every this many events ...
CHECKPOINT_EVENTS = 20_000
#: ... or after this many seconds with at least one event since the last one.
CHECKPOINT_MAX_S = 1800.0
ZLIB_LEVEL = 1      # the fastest: a checkpoint is written on the feed's writer thread

SCHEMA = [
    "CREATE TABLE IF NOT EXISTS checkpoints (id INTEGER PRIMARY KEY, at REAL NOT NULL, "
    "cursors TEXT NOT NULL, events INTEGER)",
    "CREATE INDEX IF NOT EXISTS checkpoints_at ON checkpoints(at)",
    "CREATE TABLE IF NOT EXISTS checkpoint_state (checkpoint_id INTEGER NOT NULL, "
    "topic TEXT NOT NULL, items INTEGER NOT NULL, state BLOB NOT NULL, "
    "PRIMARY KEY (checkpoint_id, topic)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS checkpoint_rows (checkpoint_id INTEGER NOT NULL, "
    "topic TEXT NOT NULL, columns TEXT NOT NULL, rows BLOB NOT NULL, "
    "PRIMARY KEY (checkpoint_id, topic)) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS checkpoint_image (checkpoint_id INTEGER PRIMARY KEY, "
    "tables TEXT NOT NULL, image BLOB NOT NULL)",
]
#: The tables a checkpoint writes (retention deletes from each).
STATE_TABLES = ("checkpoint_state", "checkpoint_rows", "checkpoint_image")
#: Write checkpoints as database images (False: as typed rows by column, the previous
#: format; tests make caches of it).  Needs zstandard and ``Connection.serialize``.
WRITE_IMAGES = zstandard is not None and hasattr(sqlite3.Connection, "serialize")
ZSTD_LEVEL = 3          # ~21 MB of pages -> ~2.1 MB in ~35 ms; decompressed in ~10 ms
#: The image's page size: a report's row (~2.5 KB) fills half a page of 8 KB, most of
#: one of 4 KB (fewer pages to copy and deserialise)
IMAGE_PAGE_SIZE = 8192


@dataclass(frozen=True)
class Checkpoint:
    id: int
    at: float
    cursors: dict[str, int]


def ensure_schema(conn: sqlite3.Connection) -> None:
    for statement in SCHEMA:
        conn.execute(statement)


def _state_blob(conn: sqlite3.Connection, table: str) -> tuple[int, bytes]:
    """(items, compressed JSON object key -> data) of one state table."""
    parts = []
    dumps = orjson.dumps
    for key, text in conn.execute(f"SELECT key, data FROM {table}"):
        if text is None:
            continue
        parts.append(dumps(key) + b":" + (text.encode() if isinstance(text, str) else bytes(text)))
    return len(parts), zlib.compress(b"{" + b",".join(parts) + b"}", ZLIB_LEVEL)


#: The start of a ``checkpoint_rows`` blob laid out by column (a zlib stream, the
#: first version's row-major layout, starts with 0x78): then the length of a JSON list
#: of each column's compressed size (4 bytes, big-endian), that list, and the columns'
#: zlib-compressed JSON lists one after the other.
COLUMNAR = b"IOCcols1"


def _rows_blob(conn: sqlite3.Connection, table: str) -> tuple[int, str, bytes] | None:
    """(items, JSON column names, the rows by column) of one state table; None when a
    value is not JSON (a BLOB column): that table is then saved as a ``state`` blob."""
    cur = conn.execute(f"SELECT * FROM {table}")
    columns = [d[0] for d in cur.description]
    if "data" not in columns or "key" not in columns:
        return None
    at = columns.index("data")
    rows = [row for row in cur if row[at] is not None]
    # by column in one transposition (zip), not a Python list per column (~10,000 rows
    # x 31 columns, on the writer's thread; the JSON and zlib of the columns cost more)
    by_column = list(zip(*rows)) if rows else [()] * len(columns)
    try:
        parts = [zlib.compress(orjson.dumps(values), ZLIB_LEVEL) for values in by_column]
    except TypeError:
        return None
    header = orjson.dumps([len(part) for part in parts])
    blob = b"".join([COLUMNAR, len(header).to_bytes(4, "big"), header, *parts])
    return len(rows), jsonfast.dumps(columns), blob


def _store_of(columns: list[str], blob: bytes) -> RowStore:
    """The rows of a ``checkpoint_rows`` blob, either layout."""
    if blob.startswith(COLUMNAR):
        start = len(COLUMNAR) + 4
        end = start + int.from_bytes(blob[len(COLUMNAR):start], "big")
        parts, at = [], end
        for size in orjson.loads(blob[start:end]):
            parts.append(blob[at:at + size])
            at += size
        return RowStore(columns, parts)
    names, rows = orjson.loads(zlib.decompress(blob))      # row-major (the first version)
    return RowStore.of_rows(names, rows)


def write(conn: sqlite3.Connection, at: float, tables: Mapping[str, str],
          cursors: Mapping[str, int], events: int | None = None, *,
          image: tuple[dict[str, int], dict[str, str], bytes] | None = None) -> int:
    """Save the state tables (topic -> table name) as one checkpoint at ``at``, in the
    caller's transaction; its id.  ``cursors``: the committed cursor of every topic.
    ``image``: the tables' image made just before by :func:`make_image` (nothing
    written in between: it can't be made inside the transaction); without one the
    checkpoint is saved as typed rows by column, the previous format."""
    cur = conn.execute("INSERT INTO checkpoints(at, cursors, events) VALUES (?, ?, ?)",
                       (at, jsonfast.dumps(dict(cursors)), events))
    cp_id = cur.lastrowid
    if image is not None:
        counts, names, blob = image
        conn.executemany("INSERT INTO checkpoint_state(checkpoint_id, topic, items, state) "
                         "VALUES (?, ?, ?, ?)", [(cp_id, t, n, b"") for t, n in counts.items()])
        conn.execute("INSERT INTO checkpoint_image(checkpoint_id, tables, image) VALUES (?, ?, ?)",
                     (cp_id, jsonfast.dumps(names), blob))
        return cp_id
    with_rows = has_rows_table(conn)        # a caller that made only the older tables: none
    states, typed = [], []
    for topic, table in tables.items():
        found = _rows_blob(conn, table) if with_rows else None
        if found is not None:
            items, columns, blob = found
            states.append((cp_id, topic, items, b""))       # the texts are in the rows
            typed.append((cp_id, topic, columns, blob))
        else:
            states.append((cp_id, topic, *_state_blob(conn, table)))
    conn.executemany("INSERT INTO checkpoint_state(checkpoint_id, topic, items, state) "
                     "VALUES (?, ?, ?, ?)", states)
    if typed:
        conn.executemany("INSERT INTO checkpoint_rows(checkpoint_id, topic, columns, rows) "
                         "VALUES (?, ?, ?, ?)", typed)
    return cp_id


#: The schema :func:`make_image` attaches to the writer's connection for a moment.
_PAGES = "checkpoint_pages"


def make_image(conn: sqlite3.Connection,
               tables: Mapping[str, str]) -> tuple[dict[str, int], dict[str, str], bytes] | None:
    """The image of the state tables (topic -> table) for :func:`write`: (topic -> rows,
    topic -> table, the compressed image); None when checkpoints are not written as
    images, or ``conn`` is inside a transaction (ATTACH is refused there: :func:`write`
    then saves typed rows by column).  Each table is copied by one INSERT … SELECT
    into an in-memory database attached for the while: SQLite copies the rows, the GIL
    released, where reading them into Python and back held it (~0.1 s a checkpoint)."""
    if not WRITE_IMAGES or conn.in_transaction or not has_table(conn, "checkpoint_image"):
        return None
    conn.execute(f"ATTACH DATABASE ':memory:' AS {_PAGES}")
    try:
        conn.execute(f"PRAGMA {_PAGES}.page_size = {IMAGE_PAGE_SIZE}")
        conn.execute("BEGIN")
        try:
            counts, names = {}, {}
            for topic, table in tables.items():
                found = conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'table' "
                                     "AND name = ?", (table,)).fetchall()
                if not found:
                    counts[topic] = 0
                    continue
                # the live table's own definition, made in the attached schema
                conn.execute(found[0][0].replace("CREATE TABLE ", f"CREATE TABLE {_PAGES}.", 1))
                before = conn.total_changes
                conn.execute(f'INSERT INTO {_PAGES}."{table}" SELECT * FROM main."{table}" '
                             "WHERE data IS NOT NULL")
                counts[topic], names[topic] = conn.total_changes - before, table
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        raw = conn.serialize(name=_PAGES)
    finally:
        conn.execute(f"DETACH DATABASE {_PAGES}")
    return counts, names, zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(raw)


class CheckpointImage:
    """A checkpoint's image, decompressed: its bytes (for the reader's tables,
    :mod:`~ioc_desktop.review.reader_tables`) and a private in-memory connection on a
    copy of them, made when first read, for its topics' :class:`ImageRowStore` (the
    reader's own copy is changed to show T; this one stays the checkpoint's).  Read on
    one thread at a time (the lock: a store handed to another thread read-only)."""

    def __init__(self, checkpoint_id: int, tables: dict[str, str], raw: bytes):
        self.checkpoint_id, self.tables, self.raw = checkpoint_id, tables, raw
        self._conn: sqlite3.Connection | None = None
        self._lock = threading.Lock()

    def query(self, sql: str) -> list[tuple]:
        with self._lock:
            if self._conn is None:
                conn = sqlite3.connect(":memory:", check_same_thread=False)
                conn.deserialize(self.raw)
                self._conn = conn
            return self._conn.execute(sql).fetchall()

    def store(self, topic: str) -> "ImageRowStore | None":
        table = self.tables.get(topic)
        return None if table is None else ImageRowStore(self, table)


class ImageRowStore(RowStore):
    """A :class:`RowStore` read from a checkpoint's image, in rowid order (the order
    the writer copied the rows in).  The columns asked for together are read in one
    scan (a scan of the reports walks ~21 MB of pages: one per column cost ~3-6 ms);
    the keys come with their seqs (both are read at every jump)."""

    __slots__ = ("_image", "_table")

    def __init__(self, image: CheckpointImage, table: str) -> None:
        self._image, self._table = image, table
        names = [r[1] for r in image.query(f'PRAGMA table_info("{table}")')]
        super().__init__(names, [b""] * len(names))

    def column(self, name: str) -> list:
        values = self._columns.get(name)
        if values is None:
            wanted = [name]
            if name == "key" and "seq" in self.names and "seq" not in self._columns:
                wanted.append("seq")
            values = self.columns(wanted)[0]
        return values

    def columns(self, names: Iterable[str]) -> list[list]:
        names = list(names)
        missing = [n for n in dict.fromkeys(names) if n not in self._columns]
        if missing:
            if any(n not in self.names for n in missing):
                raise ValueError(f"no columns {missing!r}")
            listed = ", ".join(f'"{n}"' for n in missing)
            rows = self._image.query(f'SELECT {listed} FROM "{self._table}" ORDER BY rowid')
            for name, values in zip(missing, zip(*rows) if rows else [()] * len(missing)):
                self._columns[name] = list(values)
        return [self._columns[n] for n in names]

    def row(self, i: int) -> tuple:
        if self._rows is None:
            self._rows = self._image.query(f'SELECT * FROM "{self._table}" ORDER BY rowid')
        return self._rows[i]


def load_image(conn: sqlite3.Connection, checkpoint_id: int) -> CheckpointImage | None:
    """A checkpoint's image (None: it was written otherwise, or is unreadable)."""
    found = _image_row(conn, checkpoint_id)
    return None if found is None else _decompressed(checkpoint_id, *found)


def prefetch_image(conn: sqlite3.Connection, checkpoint_id: int) -> "Future[CheckpointImage | None]":
    """:func:`load_image` with its decompression (~10 ms, the GIL released) on a
    worker thread: the blob is read here, on ``conn``'s thread."""
    found = _image_row(conn, checkpoint_id)
    if found is None:
        done: Future = Future()
        done.set_result(None)
        return done
    global _PREFETCH
    if _PREFETCH is None:
        _PREFETCH = ThreadPoolExecutor(max_workers=1, thread_name_prefix="checkpoint-image")
    return _PREFETCH.submit(_decompressed, checkpoint_id, *found)


_PREFETCH: ThreadPoolExecutor | None = None


def _image_row(conn: sqlite3.Connection, checkpoint_id: int) -> tuple[str, bytes] | None:
    if zstandard is None or not has_table(conn, "checkpoint_image"):
        return None
    return conn.execute("SELECT tables, image FROM checkpoint_image WHERE checkpoint_id = ?",
                        (checkpoint_id,)).fetchone()


def _decompressed(checkpoint_id: int, tables: str, blob: bytes) -> CheckpointImage | None:
    try:
        names = {str(k): str(v) for k, v in orjson.loads(tables).items()}
        raw = zstandard.ZstdDecompressor().decompress(blob)
    except (ValueError, TypeError, AttributeError, zstandard.ZstdError):
        return None
    if not raw.startswith(b"SQLite format 3\x00"):
        return None
    return CheckpointImage(checkpoint_id, names, raw)


def _row(row) -> Checkpoint | None:
    if row is None:
        return None
    return Checkpoint(row[0], row[1], {str(k): int(v) for k, v in jsonfast.loads(row[2]).items()})


def has_schema(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = 'checkpoints'").fetchone() is not None


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' "
                        "AND name = ?", (name,)).fetchone() is not None


def has_rows_table(conn: sqlite3.Connection) -> bool:
    return has_table(conn, "checkpoint_rows")


def load_store(conn: sqlite3.Connection, checkpoint_id: int, topic: str) -> RowStore | None:
    """A topic's typed rows at a checkpoint (see :class:`RowStore`); None when the
    checkpoint has none (an older cache, a table with BLOBs) or they are damaged."""
    image = load_image(conn, checkpoint_id)
    if image is not None:
        return _readable(image.store(topic))
    if not has_rows_table(conn):
        return None
    found = conn.execute("SELECT columns, rows FROM checkpoint_rows WHERE checkpoint_id = ? "
                         "AND topic = ?", (checkpoint_id, topic)).fetchone()
    return None if found is None else _readable_store(*found)


def _readable_store(columns: str, blob: bytes) -> RowStore | None:
    try:
        return _readable(_store_of(orjson.loads(columns), blob))
    except (ValueError, TypeError, zlib.error, IndexError):
        return None


def _readable(store: RowStore | None) -> RowStore | None:
    try:
        if store is not None:
            store.index            # the keys readable: the rest is checked when read
        return store
    except (ValueError, TypeError, zlib.error, IndexError, sqlite3.Error):
        return None


def _stores(conn: sqlite3.Connection, checkpoint_id: int, topics: set[str]) -> dict[str, RowStore | None]:
    """:func:`load_store` of several topics in one statement: the table is keyed by
    (checkpoint, topic) WITHOUT ROWID and its rows are large (MBs), so each lookup
    walked a deep b-tree of them (1-5 ms per topic at a random checkpoint of the
    7-day bench cache); one range over the checkpoint's rows walks it once."""
    if not topics or not has_rows_table(conn):
        return {}
    return {topic: _readable_store(columns, blob) for topic, columns, blob in conn.execute(
        "SELECT topic, columns, rows FROM checkpoint_rows WHERE checkpoint_id = ?",
        (checkpoint_id,)) if topic in topics}


def load_rows(conn: sqlite3.Connection, checkpoint_id: int,
              topic: str) -> tuple[list[str], dict[str, tuple]] | None:
    """A topic's typed rows at a checkpoint: (column names, key -> row); None when the
    checkpoint has none (an older cache, a table with BLOBs).  A row's ``data`` is its
    JSON text, or None in a cache made by this table's first version."""
    store = load_store(conn, checkpoint_id, topic)
    if store is None:
        return None
    try:
        return store.names, {key: store.row(i) for key, i in store.index.items()}
    except (ValueError, TypeError, zlib.error, IndexError):
        return None         # damaged: the rows are computed instead (or refused, below)


def at_or_before(conn: sqlite3.Connection, at: float) -> Checkpoint | None:
    """The newest checkpoint made at or before ``at`` (None: none, or no table)."""
    if not has_schema(conn):
        return None
    return _row(conn.execute("SELECT id, at, cursors FROM checkpoints WHERE at <= ? "
                             "ORDER BY at DESC, id DESC LIMIT 1", (at,)).fetchone())


def after(conn: sqlite3.Connection, at: float) -> Checkpoint | None:
    """The oldest checkpoint made after ``at``: its cursors bound what was received by
    ``at`` (the log is in seq order per topic, and received in that order)."""
    if not has_schema(conn):
        return None
    return _row(conn.execute("SELECT id, at, cursors FROM checkpoints WHERE at > ? "
                             "ORDER BY at, id LIMIT 1", (at,)).fetchone())


def oldest(conn: sqlite3.Connection) -> Checkpoint | None:
    if not has_schema(conn):
        return None
    return _row(conn.execute("SELECT id, at, cursors FROM checkpoints "
                             "ORDER BY at, id LIMIT 1").fetchone())


def load_state(conn: sqlite3.Connection, checkpoint_id: int, topics: Iterable[str], *,
               lazy: bool = False, image: CheckpointImage | None = None) -> dict[str, MutableMapping]:
    """``topics``' states at a checkpoint: topic -> key -> data (a topic not in it is
    empty: it had no state table then).  A topic saved as typed rows is a
    :class:`~ioc_desktop.review.items.TextItems`; ``lazy=False`` decodes it at once into
    a dict.  Raises ``ValueError`` when a topic's saved state can't be read."""
    out: dict[str, MutableMapping] = {t: {} for t in topics}
    if not out:
        return out
    marks = ", ".join("?" * len(out))
    saved = conn.execute(f"SELECT topic, state FROM checkpoint_state WHERE checkpoint_id = ? "
                         f"AND topic IN ({marks})", (checkpoint_id, *out)).fetchall()
    wanted = {topic for topic, blob in saved if not blob}
    if image is None and wanted:
        image = load_image(conn, checkpoint_id)
    if image is not None and image.checkpoint_id == checkpoint_id:
        stores = {topic: _readable(image.store(topic)) for topic in wanted}
    else:
        stores = _stores(conn, checkpoint_id, wanted)
    for topic, blob in saved:
        if blob:
            out[topic] = orjson.loads(zlib.decompress(blob))
            continue
        store = stores.get(topic)
        if store is None:
            raise ValueError(f"checkpoint {checkpoint_id}: the state of {topic!r} is unreadable")
        items = TextItems(store)
        out[topic] = items if lazy else dict(items.items())
    return out


__all__ = ["CHECKPOINT_EVENTS", "CHECKPOINT_MAX_S", "STATE_TABLES", "Checkpoint",
           "CheckpointImage", "ImageRowStore", "after", "at_or_before", "ensure_schema",
           "has_rows_table", "has_schema", "has_table", "load_image", "load_rows", "load_store",
           "load_state", "make_image", "oldest", "prefetch_image", "write"]
