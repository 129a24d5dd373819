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

import sqlite3
from typing import Iterable

from ioc_desktop import jsonfast
from ioc_desktop.plugin_api import TopicSpec
from ioc_desktop.review import checkpoints
from ioc_desktop.review.items import TextItems
from ioc_desktop.review.state_at import ReviewState

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
    through SQL).  After :func:`install_cuts` of the same review."""
    specs = list(specs)

    def fill():
        held = _HELD.setdefault(id(conn), {})
        for spec in specs:
            table = spec.table
            if table not in held:
                main_cols = [r[1] for r in conn.execute(f"PRAGMA main.table_info({_quoted(table)})")]
                if not main_cols:
                    held[table] = None
                    continue      # no such table in this cache: nothing to shadow
                # No secondary index: a few thousand rows sort in memory in
                # milliseconds, and each index would cost every row a b-tree insert.
                conn.execute(f"CREATE TEMP TABLE {_quoted(table)} AS SELECT * FROM main.{_quoted(table)} WHERE 0")
                conn.execute(f"CREATE UNIQUE INDEX temp.{_quoted(f'review_{table}_key')} ON "
                             f"{_quoted(table)}(key)")
                held[table] = {}
            if held[table] is None:
                continue
            held[table] = _fill(conn, spec, held[table], review.state.get(spec.name, {}),
                                review.cuts.get(spec.name, 0),
                                lambda spec=spec: _checkpoint_rows(conn, review, spec.name))
    _write(conn, fill)


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
    copied = set()
    if rest:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS review_items (key TEXT PRIMARY KEY, data TEXT)")
        conn.execute("DELETE FROM temp.review_items")
        conn.executemany("INSERT INTO temp.review_items VALUES (?, ?)", rest.items())
        before = conn.total_changes
        conn.execute(f"INSERT INTO temp.{table} SELECT m.* FROM main.{table} m "
                     f"JOIN temp.review_items r ON r.key = m.key AND r.data = m.data")
        if conn.total_changes != before:
            copied = {k for (k,) in conn.execute(
                f"SELECT r.key FROM temp.review_items r JOIN main.{table} m "
                f"ON r.key = m.key AND r.data = m.data")}
    if len(_ROWS) > _ROWS_MAX:
        _ROWS.clear()
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
    if rows:
        conn.executemany(f"INSERT INTO temp.{table} VALUES ({', '.join('?' * len(cols))})", rows)
    return texts


def remove(conn: sqlite3.Connection) -> None:
    """Back to the live cache."""
    _HELD.pop(id(conn), None)
    for where in [w for w in _CHECKPOINT_ROWS if w[0] == id(conn)]:
        del _CHECKPOINT_ROWS[where]
    conn.execute("PRAGMA query_only = 0")
    try:
        _drop(conn)
    finally:
        conn.execute("PRAGMA query_only = 1")


def _drop(conn: sqlite3.Connection) -> None:
    for kind, name in conn.execute("SELECT type, name FROM temp.sqlite_master "
                                   "WHERE type IN ('table', 'view')").fetchall():
        conn.execute(f"DROP {kind.upper()} IF EXISTS temp.{_quoted(name)}")


__all__ = ["install", "installed", "remove"]
