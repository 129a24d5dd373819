"""Review through SQL: the reader's connection sees the cache as of T (no Qt).

Panels that page through the cache in SQL (the reports queue, the press, cyber, the
e-ticket history …) run unchanged in review: :func:`install` creates, on the reader's
own connection, TEMP tables named like the state tables and holding the state at T
(SQLite resolves an unqualified name in ``temp`` before ``main``), and a TEMP view
``events`` that is the log cut at each topic's seq at T.  :func:`remove` drops them:
the same queries see the live cache again.  The cache file itself is never written
(the connection is read-only; only its temporary schema changes).
"""
from __future__ import annotations

import logging
import sqlite3
from typing import Iterable

from ioc_desktop import jsonfast
from ioc_desktop.plugin_api import TopicSpec
from ioc_desktop.review import checkpoints
from ioc_desktop.review.items import TextItems
from ioc_desktop.review.state_at import ReviewState

log = logging.getLogger(__name__)

_CUTS = "review_cuts"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def installed(conn: sqlite3.Connection) -> bool:
    return conn.execute("SELECT 1 FROM temp.sqlite_master WHERE name = ?",
                        (_CUTS,)).fetchone() is not None


# What the temp tables of each connection hold: id(conn) -> table -> key -> JSON text.
# A jump then writes only the rows that differ from the moment shown before.
_HELD: dict[int, dict[str, dict[str, str]]] = {}


def install(conn: sqlite3.Connection, specs: Iterable[TopicSpec], review: ReviewState) -> None:
    """Make ``conn``'s unqualified state tables and ``events`` show ``review``'s moment
    (replacing an earlier moment's: only the rows that differ are written)."""
    install_cuts(conn, review)
    install_tables(conn, specs, review)


def install_cuts(conn: sqlite3.Connection, review: ReviewState) -> None:
    """The first half, cheap: ``events`` cut at the review's moment (what the models'
    history reads need)."""
    _write(conn, lambda: _cuts(conn, review))


def install_tables(conn: sqlite3.Connection, specs: Iterable[TopicSpec], review: ReviewState) -> None:
    """The second half: the state tables as of the moment (the panels that page
    through SQL).  After :func:`install_cuts` of the same review.

    From a checkpoint written as a database image (``review.image``) the tables are
    that image, deserialised into the schema :data:`IMAGE_SCHEMA` attached to ``conn``
    (temp views named like the state tables read it), with the keys the replay
    touched after the checkpoint deleted and written again; otherwise temp tables,
    filled row by row (:func:`_fill`)."""
    specs = list(specs)
    image = review.image if review.image is not None \
        and review.image.checkpoint_id == review.base_checkpoint else None
    if image is not None and not _deserialise(conn, image):
        image = None
    following = _following(conn, review) if image is not None else None

    def fill():
        held = _HELD.setdefault(id(conn), {})
        for spec in specs:
            table = spec.table
            if table not in held:
                main_cols = [r[1] for r in conn.execute(f"PRAGMA main.table_info({_quoted(table)})")]
                if not main_cols:
                    held[table] = None
                    continue      # no such table in this cache: nothing to shadow
            elif held[table] is None:
                continue
            if image is not None and _image_fits(conn, spec, image):
                held[table] = _from_image(conn, spec, held.get(table), image, review,
                                          following)
                continue
            if held.get(table) is None or held[table] is _VIEW:
                _drop_object(conn, table)
                # No secondary index: a few thousand rows sort in memory in
                # milliseconds, and each index would cost every row a b-tree insert.
                conn.execute(f"CREATE TEMP TABLE {_quoted(table)} AS SELECT * FROM main.{_quoted(table)} WHERE 0")
                conn.execute(f"CREATE UNIQUE INDEX temp.{_quoted(f'review_{table}_key')} ON "
                             f"{_quoted(table)}(key)")
                held[table] = {}
            held[table] = _fill(conn, spec, held[table], review.state.get(spec.name, {}),
                                review.cuts.get(spec.name, 0),
                                lambda spec=spec: _checkpoint_rows(conn, review, spec.name))
    _write(conn, fill)


#: The schema, attached to a reader's connection, that holds a checkpoint's image
#: brought to the review's moment.
IMAGE_SCHEMA = "review_at"
#: ... and the one that holds the image of the checkpoint after the moment
NEXT_SCHEMA = "review_next"
#: which checkpoint NEXT_SCHEMA holds, per connection (steps within one interval
#: deserialise it once)
_NEXT_HELD: dict[int, int] = {}
#: _HELD's mark of a state table shown by a view of the image (no texts held)
_VIEW = object()


def _attached(conn: sqlite3.Connection, schema: str) -> bool:
    return conn.execute("SELECT 1 FROM pragma_database_list WHERE name = ?",
                        (schema,)).fetchone() is not None


def _deserialise(conn: sqlite3.Connection, image, schema: str = IMAGE_SCHEMA) -> bool:
    """Put the image's bytes in ``schema`` (attached when first needed; both outside
    a transaction).  False when SQLite refuses (an old SQLite, a statement still open
    on the connection): the temp tables are filled instead."""
    if not hasattr(conn, "deserialize"):
        return False
    conn.execute("PRAGMA query_only = 0")
    try:
        if not _attached(conn, schema):
            conn.execute(f"ATTACH DATABASE ':memory:' AS {schema}")
        conn.deserialize(image.raw, name=schema)
        return True
    except sqlite3.Error:
        log.warning("review: the checkpoint's image could not be read into SQLite; "
                    "filling tables instead", exc_info=True)
        return False
    finally:
        conn.execute("PRAGMA query_only = 1")


def _following(conn: sqlite3.Connection, review: ReviewState) -> set[str]:
    """The tables of the checkpoint after the moment, deserialised in
    :data:`NEXT_SCHEMA` (empty: none, or not an image).  A key the replay touched,
    whose version at T is still the one that checkpoint holds, takes its row from it:
    the rows of a plugin's ``row()`` (the reports': ~0.05 ms each, ~1,000 at a jump
    far from its checkpoint) are already made there."""
    cp_id = review.next_checkpoint
    if cp_id is None:
        return set()
    # (ids are reused: a connection closed without remove() left its entry behind)
    if _NEXT_HELD.get(id(conn)) != cp_id or not _attached(conn, NEXT_SCHEMA):
        _NEXT_HELD.pop(id(conn), None)
        fetching = _PREFETCHED.pop(id(conn), None)
        image = fetching[1].result() if fetching is not None and fetching[0] == cp_id \
            else checkpoints.load_image(conn, cp_id)
        if image is None or not _deserialise(conn, image, NEXT_SCHEMA):
            return set()
        _NEXT_HELD[id(conn)] = cp_id
    return {name for (name,) in conn.execute(
        f"SELECT name FROM {NEXT_SCHEMA}.sqlite_master WHERE type = 'table'")}


# The next checkpoint's image being decompressed, per connection: (id, future).
_PREFETCHED: dict[int, tuple[int, object]] = {}


def prefetch(conn: sqlite3.Connection, review: ReviewState) -> None:
    """Start decompressing the image of the checkpoint after the review's moment on a
    worker thread (the GIL released), while the views' half of the jump runs: the
    tables' half then finds it ready.  Nothing when this connection holds it already
    (a step within one interval) or the base checkpoint is not an image."""
    cp_id = review.next_checkpoint
    if cp_id is None or review.image is None or _NEXT_HELD.get(id(conn)) == cp_id:
        return
    held = _PREFETCHED.get(id(conn))
    if held is None or held[0] != cp_id:
        _PREFETCHED[id(conn)] = (cp_id, checkpoints.prefetch_image(conn, cp_id))


def _image_fits(conn: sqlite3.Connection, spec: TopicSpec, image) -> bool:
    """Whether the image's table has the live table's columns (not an older schema's:
    the plugin added columns since), or is missing (made empty by _from_image)."""
    if image.tables.get(spec.name) != spec.table:
        return True
    table = _quoted(spec.table)
    return [r[1] for r in conn.execute(f"PRAGMA {IMAGE_SCHEMA}.table_info({table})")] == \
        [r[1] for r in conn.execute(f"PRAGMA main.table_info({table})")]


def _from_image(conn: sqlite3.Connection, spec: TopicSpec, held, image,
                review: ReviewState, following: set[str]) -> object:
    """Show ``spec``'s table at the review's moment from the deserialised image: the
    checkpoint's rows, less the keys touched after it, plus their rows at T."""
    table = _quoted(spec.table)
    target = f"{IMAGE_SCHEMA}.{table}"
    if image.tables.get(spec.name) != spec.table:
        # a table made after the checkpoint: empty in the image, every item is new
        conn.execute(f"DROP TABLE IF EXISTS {target}")
        conn.execute(f"CREATE TABLE {target} AS SELECT * FROM main.{table} WHERE 0")
    if held is not _VIEW:
        _drop_object(conn, spec.table)
        conn.execute(f"CREATE TEMP VIEW {table} AS SELECT * FROM {target}")
    items = review.state.get(spec.name, {})
    touched = review.touched.get(spec.name)
    lazy = isinstance(items, TextItems)
    replaced = touched is None
    if replaced:                 # a snapshot replaced the checkpoint's state
        conn.execute(f"DELETE FROM {target}")
        touched = items.keys()
    elif touched:
        # the keys touched, with their version at T (None: deleted by T, or not known),
        # in one temp table: deleted from the image, and matched with the next one
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS review_touched (key TEXT PRIMARY KEY, seq INTEGER)")
        conn.execute("DELETE FROM temp.review_touched")
        version = items.version if lazy else (lambda key: None)
        conn.executemany("INSERT INTO temp.review_touched VALUES (?, ?)",
                         [(k, version(k) if k in items else None) for k in touched])
        conn.execute(f"DELETE FROM {target} WHERE key IN (SELECT key FROM temp.review_touched)")
    rest = {key: (items.text(key) if lazy else jsonfast.dumps(items[key]))
            for key in touched if key in items}
    if rest:
        cols = [r[1] for r in conn.execute(f"PRAGMA {IMAGE_SCHEMA}.table_info({table})")]
        if lazy and not replaced and spec.table in following and "seq" in cols:
            rest = _from_following(conn, spec, target, cols, rest)
        rows = _made_rows(conn, spec, target, cols, rest, items, review.cuts.get(spec.name, 0))
        if rows:
            conn.executemany(f"INSERT INTO {target} VALUES ({', '.join('?' * len(cols))})", rows)
    return _VIEW


def _from_following(conn: sqlite3.Connection, spec: TopicSpec, target: str, cols: list[str],
                    rest: dict[str, str]) -> dict[str, str]:
    """Copy into ``target`` the rows of :data:`NEXT_SCHEMA` whose key and seq are a
    touched key's and its version at T (``temp.review_touched``): the same event, so
    the same row; returns the keys of ``rest`` left."""
    table = _quoted(spec.table)
    nxt = f"{NEXT_SCHEMA}.{table}"
    if [r[1] for r in conn.execute(f"PRAGMA {NEXT_SCHEMA}.table_info({table})")] != cols:
        return rest                   # another schema's rows
    listed = ", ".join(f"n.{_quoted(c)}" for c in cols)
    before = conn.total_changes
    # CROSS JOIN: the touched keys drive, each a lookup in the next image's key index
    # (SQLite chose to scan the image's ~7,000 rows: ~10 ms)
    conn.execute(f"INSERT INTO {target} SELECT {listed} FROM temp.review_touched v "
                 f"CROSS JOIN {nxt} n ON n.key = v.key AND n.seq = v.seq")
    if conn.total_changes == before:
        return rest
    taken = {k for (k,) in conn.execute(
        f"SELECT key FROM {target} WHERE key IN (SELECT key FROM temp.review_touched)")}
    return {k: t for k, t in rest.items() if k not in taken}


def _drop_object(conn: sqlite3.Connection, name: str) -> None:
    found = conn.execute("SELECT type FROM temp.sqlite_master WHERE name = ? AND type IN "
                         "('table', 'view')", (name,)).fetchone()
    if found is not None:
        conn.execute(f"DROP {found[0].upper()} temp.{_quoted(name)}")


def _cuts(conn: sqlite3.Connection, review: ReviewState) -> None:
    if _HELD.get(id(conn)) is None or not installed(conn):
        _drop(conn)
        _HELD[id(conn)] = {}
        conn.execute(f"CREATE TEMP TABLE {_CUTS} (topic TEXT PRIMARY KEY, seq INTEGER NOT NULL)")
        conn.execute(f"CREATE TEMP VIEW events AS SELECT * FROM main.events WHERE seq <= "
                     f"coalesce((SELECT c.seq FROM temp.{_CUTS} c WHERE c.topic = main.events.topic), 0)")
    conn.execute(f"DELETE FROM temp.{_CUTS}")
    conn.executemany(f"INSERT INTO temp.{_CUTS} VALUES (?, ?)", list(review.cuts.items()))


def _write(conn: sqlite3.Connection, work) -> None:
    """``work()`` in one transaction of the temp schema (the file is opened read-only)."""
    if id(conn) not in _HELD:
        conn.execute("PRAGMA temp_store = MEMORY")     # outside a transaction only
    conn.execute("PRAGMA query_only = 0")
    try:
        conn.execute("BEGIN")
        work()
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        _HELD.pop(id(conn), None)
        raise
    finally:
        conn.execute("PRAGMA query_only = 1")


# Typed rows already computed on this (reader) thread: (table, key, JSON) -> row.  A
# plugin's ``row()`` can cost ~0.1 ms (the queue's SLA columns); playback and repeated
# jumps mostly meet the same items again.
_ROWS: dict[tuple[str, str, str], tuple] = {}
_ROWS_MAX = 200_000


# The typed rows of the last checkpoint read, per (connection, log, topic): (checkpoint
# id, columns, key -> row).  Steps and play ticks within one interval read it once.
_CHECKPOINT_ROWS: dict[tuple, tuple[int, list[str], dict[str, tuple]]] = {}


def _checkpoint_rows(conn: sqlite3.Connection, review: ReviewState,
                     topic: str) -> tuple[list[str], dict[str, tuple], set[str]] | None:
    """(columns, key -> typed row, keys whose row is not the checkpoint's) for the
    review's topic, None when the checkpoint has no rows for it (or the replay after
    it is not known key by key: a snapshot)."""
    cp_id, touched = review.base_checkpoint, review.touched.get(topic)
    if cp_id is None or touched is None:
        return None
    where = (id(conn), review.log_identity, topic)
    held = _CHECKPOINT_ROWS.get(where)
    if held is None or held[0] != cp_id:
        found = checkpoints.load_rows(conn, cp_id, topic)
        if found is None:
            return None
        held = _CHECKPOINT_ROWS[where] = (cp_id, *found)
    return held[1], held[2], touched


def _fill(conn: sqlite3.Connection, spec: TopicSpec, old: dict[str, str], items: dict,
          cut: int, checkpoint_rows=lambda: None) -> dict[str, str]:
    """Bring the temp table of ``spec`` from ``old`` (key -> JSON it holds) to ``items``;
    returns what it holds now.  A key the replay did not touch after the review's
    checkpoint takes that checkpoint's typed row (held by ``items`` when it is a
    :class:`TextItems`, else ``checkpoint_rows()``, see :func:`_checkpoint_rows`: a
    cache whose rows have no ``data``); of the others, a row whose JSON equals the live row's is
    copied from the live table in SQL (a moment near now costs little), and the rest
    are made by the plugin's ``row()``, remembered for the next jump."""
    table = _quoted(spec.table)
    lazy = isinstance(items, TextItems)
    if lazy:        # the texts as stored, and the typed rows with them: nothing decoded
        text_of = items.text
        texts = {key: text_of(key) for key in items}
    else:
        texts = {key: jsonfast.dumps(data) for key, data in items.items()}
    gone = [(k,) for k in old if k not in texts]
    changed = {k: t for k, t in texts.items() if old.get(k) != t}
    if gone:
        conn.executemany(f"DELETE FROM temp.{table} WHERE key = ?", gone)
    if not changed:
        return texts
    conn.executemany(f"DELETE FROM temp.{table} WHERE key = ?", [(k,) for k in changed if k in old])
    cols = [r[1] for r in conn.execute(f"PRAGMA temp.table_info({table})")]
    rows = []
    # first the checkpoint's rows (no SQL, no row()): then only the keys touched since
    # are looked up in the live table, instead of every changed JSON text
    rest = changed
    base = None if lazy else checkpoint_rows()
    if lazy and items.columns == cols:     # not a newer schema's
        rest = {}
        for key, text in changed.items():
            row = items.typed_row(key)
            if row is None:
                rest[key] = text
            else:
                rows.append(row)
    elif base is not None and base[0] == cols and "data" in cols:   # not a newer schema's
        data_at, typed, touched = cols.index("data"), base[1], base[2]
        rest = {}
        for key, text in changed.items():
            row = typed.get(key) if key not in touched else None
            if row is None:
                rest[key] = text
            else:
                rows.append(row[:data_at] + (text,) + row[data_at + 1:])
    rows += _made_rows(conn, spec, f"temp.{table}", cols, rest, items, cut)
    if rows:
        conn.executemany(f"INSERT INTO temp.{table} VALUES ({', '.join('?' * len(cols))})", rows)
    return texts


def _made_rows(conn: sqlite3.Connection, spec: TopicSpec, target: str, cols: list[str],
               rest: dict[str, str], items, cut: int) -> list[tuple]:
    """The rows of ``rest`` (key -> JSON text at T) not in ``target`` yet: a row whose
    JSON equals the live row's is copied from the live table into ``target`` in SQL
    (a moment near now costs little); the others are returned, made by the plugin's
    ``row()`` (remembered for the next jump)."""
    if not rest:
        return []
    table = _quoted(spec.table)
    copied = set()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS review_items (key TEXT PRIMARY KEY, data TEXT)")
    conn.execute("DELETE FROM temp.review_items")
    conn.executemany("INSERT INTO temp.review_items VALUES (?, ?)", rest.items())
    before = conn.total_changes
    conn.execute(f"INSERT INTO {target} SELECT m.* FROM main.{table} m "
                 f"JOIN temp.review_items r ON r.key = m.key AND r.data = m.data")
    if conn.total_changes != before:
        copied = {k for (k,) in conn.execute(
            f"SELECT r.key FROM temp.review_items r JOIN main.{table} m "
            f"ON r.key = m.key AND r.data = m.data")}
    if len(_ROWS) > _ROWS_MAX:
        _ROWS.clear()
    rows = []
    for key, text in rest.items():
        if key in copied:
            continue
        cache_key = (spec.table, key, text)
        row = _ROWS.get(cache_key)
        if row is None:
            values = {**spec.row(key, items[key]), "key": key, "seq": cut, "time": None,
                      "data": text}
            row = _ROWS[cache_key] = tuple(values.get(c) for c in cols)
        rows.append(row)
    return rows


def remove(conn: sqlite3.Connection) -> None:
    """Back to the live cache (the image's schema detached: its ~30 MB freed)."""
    _HELD.pop(id(conn), None)
    _NEXT_HELD.pop(id(conn), None)
    _PREFETCHED.pop(id(conn), None)
    for where in [w for w in _CHECKPOINT_ROWS if w[0] == id(conn)]:
        del _CHECKPOINT_ROWS[where]
    conn.execute("PRAGMA query_only = 0")
    try:
        _drop(conn)
        for schema in (IMAGE_SCHEMA, NEXT_SCHEMA):
            if _attached(conn, schema):
                conn.execute(f"DETACH DATABASE {schema}")
    finally:
        conn.execute("PRAGMA query_only = 1")


def _drop(conn: sqlite3.Connection) -> None:
    for kind, name in conn.execute("SELECT type, name FROM temp.sqlite_master "
                                   "WHERE type IN ('table', 'view')").fetchall():
        conn.execute(f"DROP {kind.upper()} IF EXISTS temp.{_quoted(name)}")


__all__ = ["install", "installed", "remove"]
