"""The queue of citizen reports as SQL: the derived columns it reads, the filter, the
sorts, the SLA counts and the filter bar's facets.  Pure Python, no Qt.

The queue is a window onto the ``reports`` state table (``widgets.sql_table``): filter,
order, count and page all happen in SQLite, so a cache of a million reports costs what
a page costs.  For that, everything the queue filters or sorts on is a column, computed
once per report by :func:`dispatch_columns` (the plugin's ``to_row`` calls it):

``search_text``
    The folded words of the key, description, address, category name, commune, former
    district and agency (:func:`workflow.fold`: lower case, no diacritics, so "ngap"
    finds "ngập"), as ``" w1 w2 w3"``: a word is a run of letters or digits, each one
    preceded by a space.  The reporter is never part of it.
``process``, ``merged_into``, ``priority_rank`` (normal 0, high 1, urgent 2)
``verify_due``, ``assign_due``, ``expected_datetime`` (the resolve due), ``verified_at``,
``assigned_at``, ``resolved_at``
    The SLA clocks of :func:`workflow.sla_clocks` (computed with ``DEFAULT_CONFIG``),
    RFC 3339 ``+07:00`` at whole seconds, for display and sorting.
``sla_due``, ``sla_soon``
    The earliest due, and the earliest "due soon" threshold (``due - (due - start) *
    due_soon_share``), of the clocks still running; :data:`NO_DUE` when none runs (a
    finished report, or every step done).  Exact to the microsecond, fixed width
    (:func:`sql_time`), so that text order is time order.

**The SLA rule in SQL** (:func:`sla_clause`), for ``now`` as :func:`sql_time`::

    overdue   sla_due <  now
    due_soon  sla_due >= now AND sla_soon <= now
    ok        sla_due >= now AND sla_soon >  now

This is :func:`workflow.sla_state` exactly: a report is overdue when some running
clock's due has passed (``now > due``), that is when the earliest due has; otherwise it
is due soon when some running clock has reached its threshold (``now >= threshold``),
that is when the earliest threshold has; finished reports have no running clock.  The
columns don't depend on ``now``, so each state is an index range.

**Free text** (:func:`build_where`): the folded words of the query, each of which must
begin a word of ``search_text`` (AND): ``search_text LIKE '% ngap%'``.  With the FTS5
index of :func:`install_search_index` (``fts=True``) the same test runs as the prefix
query ``"ngap"*``: the index tokenises ``search_text`` on its spaces (``ascii``
tokenizer; the text holds no other separator), so both give the same rows.  LIKE reads
every row (seconds at a million reports); the index answers in milliseconds.

**Using it** (on a reader connection, off the GUI thread)::

    p = plan(conn, QueueFilter(states=("received",), text="ngập"), now)
    count = conn.execute(p.count_sql, p.count_params).fetchone()[0]
    rows = conn.execute(f"SELECT … FROM reports WHERE {p.where} "
                        f"ORDER BY {SORTS['newest']} LIMIT 200 OFFSET 0", p.params)

:func:`plan` is :func:`build_where` with the choices that keep a filter under 100 ms at a
million reports (bench/queue_scale.py): the search index when there is one, how to
combine it with the sort, and the index's own count for a text-only filter.
``now`` matters for the SLA filter only; re-plan when it moves on (the SLA states
change with time, not only with data).
"""
from __future__ import annotations

import functools
import re
import sqlite3
from dataclasses import dataclass, replace
from datetime import datetime, timezone

from . import workflow
from .workflow import (DEFAULT_CONFIG, DUE_SOON, FINISHED, OK, OVERDUE, PRIORITIES, STATES,
                       WorkflowConfig)

TABLE = "reports"

#: ``sla_due``/``sla_soon`` of a report with no running clock: after every real time.
NO_DUE = "9999-12-31T23:59:59.999999+07:00"
PRIORITY_RANK = {"normal": 0, "high": 1, "urgent": 2}
SLA_STATES = (OK, DUE_SOON, OVERDUE)
#: The fields whose words the free text searches (never the reporter).
SEARCH_FIELDS = ("service_request_id", "description", "address", "service_name", "commune",
                 "legacy_district", "agency_responsible")
#: Words of a query beyond this are ignored (each one is a condition).
MAX_WORDS = 12

_WORD = re.compile(r"[^\W_]+")


# --------------------------------------------------------------------------- columns
@functools.lru_cache(maxsize=65_536)       # the same dues recur in a report's versions
def sql_time(dt: datetime) -> str:
    """``YYYY-MM-DDTHH:MM:SS.ffffff+07:00``: fixed width, so text order is time order
    (a naive time is taken as UTC, as :func:`workflow.parse_time` does)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.astimezone(workflow.VN_TZ).isoformat(timespec="microseconds")


def search_words(text: str | None) -> list[str]:
    """The folded words of a text: runs of letters or digits ('Ngập-lụt!' -> ngap, lut)."""
    return _WORD.findall(workflow.fold(text))


def _words_text(text: str) -> str:
    return "".join(" " + w for w in search_words(text))


# fields repeat (a report's every version; commune and agency names): fold each once
# (a review's jump meets thousands of reports: 4,096 entries thrashed; ~0.5 KB each)
_cached_words_text = functools.lru_cache(maxsize=16_384)(_words_text)


def search_text(data: dict) -> str:
    """The ``search_text`` column: ``" w1 w2 …"`` (each word after a space)."""
    return "".join((_cached_words_text if len(v) <= 1000 else _words_text)(v)
                   for v in (data.get(k) for k in SEARCH_FIELDS) if isinstance(v, str) and v)


def _iso(dt: datetime | None) -> str | None:
    return workflow.iso(dt) if dt is not None else None


def dispatch_columns(data: dict, config: WorkflowConfig = DEFAULT_CONFIG) -> dict:
    """The state-table columns the queue filters and sorts on (module docstring)."""
    process = workflow.process_class(data, config)
    if data.get("process") != process:      # decided once (it folds the description)
        data = {**data, "process": process}
    clocks = {c.step: c for c in workflow.sla_clocks(data, config)}
    running = [] if workflow.ioc_state(data) in FINISHED else \
        [c for c in clocks.values() if c.done is None]
    share = config.due_soon_share
    # the same expressions as workflow.Clock.state
    due = min((c.due for c in running), default=None)
    soon = min((c.due - (c.due - c.started) * share for c in running), default=None)
    verify, assign, resolve = clocks.get("verify"), clocks.get("assign"), clocks.get("resolve")
    merged_into = data.get("merged_into")
    return {
        "process": process,
        "verify_due": _iso(verify.due) if verify else None,
        "assign_due": _iso(assign.due) if assign else None,
        "expected_datetime": _iso(resolve.due) if resolve else None,
        "verified_at": _iso(verify.done) if verify else None,
        "assigned_at": _iso(assign.done) if assign else None,
        "resolved_at": _iso(resolve.done) if resolve else None,
        "sla_due": sql_time(due) if due is not None else NO_DUE,
        "sla_soon": sql_time(soon) if soon is not None else NO_DUE,
        "merged_into": merged_into if isinstance(merged_into, str) else None,
        "priority_rank": PRIORITY_RANK.get(data.get("priority"), 0),
        "search_text": search_text(data),
    }


# --------------------------------------------------------------------------- filter
@dataclass(frozen=True)
class QueueFilter:
    """What the filter bar selected; an empty tuple means "any"."""

    states: tuple[str, ...] = ()          # ioc_status values
    categories: tuple[str, ...] = ()      # service_code values
    communes: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()        # agency_responsible values
    priorities: tuple[str, ...] = ()      # normal / high / urgent
    sla: str | None = None                # ok / due_soon / overdue
    text: str = ""                        # free text, any case, with or without diacritics


def sla_clause(state: str, now: datetime) -> tuple[str, tuple]:
    """The SQL test of one SLA state at ``now`` (module docstring)."""
    t = sql_time(now)
    # unlikely(): few reports are late or nearly so; it tells SQLite's planner (which
    # has no statistics on a fresh cache) to use the sla index, not the order's.
    if state == OVERDUE:
        return "unlikely(sla_due < ?)", (t,)
    if state == DUE_SOON:
        return "sla_due >= ? AND unlikely(sla_soon <= ?)", (t, t)
    if state == OK:
        return "sla_soon > ? AND sla_due >= ?", (t, t)
    raise ValueError(f"SLA state must be one of {list(SLA_STATES)}, not {state!r}")


def _unique_text(values) -> tuple[str, ...]:
    return tuple(dict.fromkeys(v for v in values if isinstance(v, str)))


def fts_query(words: list[str]) -> str:
    """The FTS5 MATCH text for words (each a run of letters/digits: no quoting needed)."""
    return " AND ".join(f'"{w}"*' for w in words)


def fts_table(table: str = TABLE) -> str:
    """The name of the search index of ``table``."""
    return f"{table}_fts"


def build_where(f: QueueFilter, now: datetime, *, fts: bool = False, table: str = TABLE,
                many_matches: bool = False) -> tuple[str, tuple]:
    """``(where_sql, params)`` for ``f`` at ``now`` ("" when nothing is filtered).

    Only placeholders carry values.  ``fts=True`` runs the free text through the FTS5
    index (:func:`install_search_index`); the rows are the same as without it.
    ``many_matches`` (with ``fts``): the text matches many reports, so SQLite should
    walk the sort order's index and keep the matching rows (a first page after a few
    hundred entries) rather than fetch every match and sort them: :func:`plan` decides.
    """
    clauses: list[str] = []
    params: list = []

    def one_of(column: str, values) -> None:
        values = _unique_text(values)
        if values:
            clauses.append(f"{column} IN ({', '.join('?' * len(values))})")
            params.extend(values)

    one_of("ioc_status", f.states)
    one_of("service_code", f.categories)
    one_of("commune", f.communes)
    one_of("agency_responsible", f.agencies)
    if f.priorities:
        ranks = tuple(dict.fromkeys(PRIORITY_RANK[p] for p in f.priorities if p in PRIORITY_RANK))
        if ranks:
            clauses.append(f"priority_rank IN ({', '.join('?' * len(ranks))})")
            params.extend(ranks)
        else:
            clauses.append("0")            # only unknown priorities: nothing matches
    if f.sla is not None:
        sql, values = sla_clause(f.sla, now)
        clauses.append(sql)
        params.extend(values)
    words = text_words(f)
    if words and fts:
        index = fts_table(table)
        # "+rowid": not an index lookup by rowid but a test of each row the plan reads
        rowid = "+rowid" if many_matches else "rowid"
        clauses.append(f"{rowid} IN (SELECT rowid FROM {index} WHERE {index} MATCH ?)")
        params.append(fts_query(words))
    else:
        for w in words:
            clauses.append("search_text LIKE ?")
            params.append(f"% {w}%")
    return " AND ".join(clauses), tuple(params)


def text_words(f: QueueFilter) -> list[str]:
    """The distinct folded words of the free text (each one must match)."""
    return list(dict.fromkeys(search_words(f.text)))[:MAX_WORDS]


#: Above this many text matches, :func:`plan` walks the sort order instead of sorting.
MANY_MATCHES = 2_000


@dataclass(frozen=True)
class QueuePlan:
    """The SQL of one queue view: the WHERE of its pages and the query of its count."""

    where: str
    params: tuple
    count_sql: str
    count_params: tuple


def plan(conn, f: QueueFilter, now: datetime, *, table: str = TABLE) -> QueuePlan:
    """The fastest SQL for ``f`` on this cache (run it on a reader connection).

    Free text goes through the FTS5 index when the cache has one; when the text matches
    more than :data:`MANY_MATCHES` reports the pages walk the sort order
    (``many_matches``), and when the text is the only filter the count is the index's
    own (the same number, without touching the reports' rows).  Same rows as
    :func:`build_where` without the index.
    """
    fts = has_search_index(conn, table=table)
    words = text_words(f)
    matches = None
    if fts and words:
        index = fts_table(table)
        matches = conn.execute(f"SELECT count(*) FROM {index} WHERE {index} MATCH ?",
                               (fts_query(words),)).fetchone()[0]
    where, params = build_where(f, now, fts=fts, table=table,
                                many_matches=matches is not None and matches > MANY_MATCHES)
    if matches is not None and replace(f, text="") == QueueFilter():
        index = fts_table(table)
        return QueuePlan(where, params, f"SELECT count(*) FROM {index} WHERE {index} MATCH ?",
                         (fts_query(words),))
    return QueuePlan(where, params,
                     f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else ""),
                     params)


#: Sort name -> ORDER BY (each ends with the key: a total order, stable pages).  Each has
#: an index that gives it without sorting (schema.INDEXES).  ``due_first``: the earliest
#: due of the running clocks first (overdue at the top), then reports with none, oldest
#: first; ``priority_first``: urgent, high, normal, newest first within each.
SORTS: dict[str, str] = {
    "newest": "requested_datetime DESC, key DESC",
    "oldest": "requested_datetime ASC, key ASC",
    "due_first": "sla_due ASC, requested_datetime ASC, key ASC",
    "priority_first": "priority_rank DESC, requested_datetime DESC, key DESC",
}


# --------------------------------------------------------------------------- reads
def _count(conn, table: str, where: str, params: tuple) -> int:
    sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
    return conn.execute(sql, params).fetchone()[0]


def count_by_sla(conn, f: QueueFilter, now: datetime, *, table: str = TABLE,
                 fts: bool | None = None) -> dict[str, int]:
    """``{"ok", "due_soon", "overdue"}``: the reports ``f`` selects (its ``sla`` aside),
    counted per SLA state at ``now``: "overdue" and "due soon" are ranges of the sla
    indexes, "ok" is the rest.  ``fts=None``: as :func:`plan` (the search index when the
    cache has one); ``fts=False``: LIKE."""
    base = replace(f, sla=None)
    if fts is False:
        where, params = build_where(base, now, table=table)
        count_sql = f"SELECT count(*) FROM {table}" + (f" WHERE {where}" if where else "")
        count_params = params
    else:
        p = plan(conn, base, now, table=table)
        where, params, count_sql, count_params = p.where, p.params, p.count_sql, p.count_params
    counts = {}
    for state in (OVERDUE, DUE_SOON):
        sql, values = sla_clause(state, now)
        counts[state] = _count(conn, table, f"{where} AND {sql}" if where else sql,
                               params + values)
    total = conn.execute(count_sql, count_params).fetchone()[0]
    return {OK: total - counts[OVERDUE] - counts[DUE_SOON], DUE_SOON: counts[DUE_SOON],
            OVERDUE: counts[OVERDUE]}


def distinct_values(conn, column: str, *, table: str = TABLE) -> list[str]:
    """Distinct non-null values of an indexed column, in index order, by skipping
    through the index (one seek per value, not a scan of every row)."""
    sql = (f"WITH RECURSIVE v(x) AS (SELECT min({column}) FROM {table} UNION ALL "
           f"SELECT (SELECT min({column}) FROM {table} WHERE {column} > v.x) FROM v "
           f"WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL")
    try:
        return [r[0] for r in conn.execute(sql)]
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc):
            return []
        raise


def facets(conn, *, table: str = TABLE) -> dict[str, list[str]]:
    """What the filter bar offers: the categories (service codes), communes and agencies
    present in the cache, plus the workflow's states and priorities."""
    return {
        "categories": distinct_values(conn, "service_code", table=table),
        "communes": distinct_values(conn, "commune", table=table),
        "agencies": distinct_values(conn, "agency_responsible", table=table),
        "states": list(STATES),
        "priorities": list(PRIORITIES),
    }


# --------------------------------------------------------------------------- search index
def install_search_index(conn, *, table: str = TABLE) -> bool:
    """Create the FTS5 index of ``search_text`` and the triggers that keep it in step
    with the state table (on the WRITER's connection, e.g. through
    ``StoreWriter.call``); fills it from the table when new.  Returns True when it was
    created now.  Needs the state table with its ``search_text`` column."""
    if has_search_index(conn, table=table):
        return False
    fts = fts_table(table)
    statements = [
        # detail=none: no positions (one-word prefix queries need none): a far smaller
        # index; ascii: the words of search_text are separated by spaces only.
        f"CREATE VIRTUAL TABLE {fts} USING fts5(search_text, content='{table}', "
        f"content_rowid='rowid', tokenize='ascii', detail='none', columnsize=0, "
        f"prefix='2 3')",
        f"CREATE TRIGGER {fts}_ai AFTER INSERT ON {table} BEGIN "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.rowid, new.search_text); END",
        f"CREATE TRIGGER {fts}_ad AFTER DELETE ON {table} BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); END",
        f"CREATE TRIGGER {fts}_au AFTER UPDATE OF search_text ON {table} "
        f"WHEN old.search_text IS NOT new.search_text BEGIN "
        f"INSERT INTO {fts}({fts}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text); "
        f"INSERT INTO {fts}(rowid, search_text) VALUES (new.rowid, new.search_text); END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]
    in_tx = conn.in_transaction
    if not in_tx:
        conn.execute("BEGIN IMMEDIATE")
    try:
        for sql in statements:
            conn.execute(sql)
    except BaseException:
        if not in_tx:
            conn.execute("ROLLBACK")
        raise
    if not in_tx:
        conn.execute("COMMIT")
    return True


def has_search_index(conn, *, table: str = TABLE) -> bool:
    if conn.execute("SELECT 1 FROM temp.sqlite_master WHERE type = 'table' AND name = ?",
                    (table,)).fetchone() is not None:
        return False   # review: a temporary copy of the table as of T, not indexed (LIKE)
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                        (fts_table(table),)).fetchone() is not None
