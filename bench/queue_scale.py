"""The dispatch queue at scale: filter, sort and scroll a cache of 1,000,000 reports in
SQL (what the app does), next to the same operations through a QSortFilterProxyModel
over the same rows loaded into an in-memory QAbstractTableModel, in the same run.

    QT_QPA_PLATFORM=offscreen python bench/queue_scale.py [--rows 1000000] [--runs 5]

The cache is built once and kept (``/tmp/ioc-queue-scale-<rows>.sqlite``; ``--rebuild``
makes it again).  Building it: the demo simulator makes reports over two years (the
workflow's own actions make their history: verified, assigned, started, resolved,
closed or rejected; the last two weeks' reports may stall, so some are open and
overdue), in worker processes, each materialising its share through the Store
(``Store._materialise``: the plugin's ``to_row``, so every column is the real one)
into a file of its own without indexes; the files are then copied into one cache,
whose indexes (``schema.INDEXES``) and search index are built at the end.

Each operation is timed as the queue runs it: a ``count(*)`` and the first page of
200 rows (the columns of plugins/reports/gui.py's queue) for a filter or sort; the
last page (``LIMIT 200 OFFSET count - …``) for a scroll to the end.  The baseline: the
same rows (the queue's columns plus ``search_text``/``sla_due``/``sla_soon`` that the
filters test) in a Python list behind a QAbstractTableModel, a QSortFilterProxyModel
over it (``filterAcceptsRow`` in Python for the filters, the proxy's own sort on a
column), and the same result asked of it: the row count and the first (or last) 200
rows' display texts.  Each figure is the median of ``--runs`` runs (the baseline's
sort of a million rows: ``--proxy-runs``).  Reported next to each other, with the goal
(≤ 100 ms per filter or sort on the SQL side).
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import multiprocessing as mp
import os
import random
import sqlite3
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ioc_desktop.interop import VN_TZ, rfc3339_local  # noqa: E402
from ioc_desktop.store.batch import TopicChanges  # noqa: E402
from ioc_desktop.store.store import Store, open_reader  # noqa: E402
from plugins.reports import queue_query as qq  # noqa: E402
from plugins.reports import schema  # noqa: E402
from plugins.reports.queue_query import QueueFilter  # noqa: E402
from plugins.reports.simulator import STAGE_HOURS, STALL_SHARE, ReportsSimulator  # noqa: E402

#: The bench's "now": fixed, so that a cached file gives the same overdue set.
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
SPAN = timedelta(days=730)
#: Reports younger than this may stall (stay open); older ones all ran their course.
STALL_WINDOW = timedelta(days=14)
#: Reports younger than this are simulated one by one; older ones (all finished: a
#: lifecycle lasts at most ~5 days) are copies of POOL simulated lifecycles, moved in time.
RECENT = timedelta(days=30)
POOL = 5_000
CHUNK = 20_000
PAGE = 200
GOAL_MS = 100.0
TABLE = schema.TOPIC

#: The queue's page query: plugins/reports/gui.py's columns.
PAGE_COLUMNS = ("priority", "ioc_status", "requested_datetime", "service_name", "description",
                "coalesce(commune, address)", "channel", "agency_responsible",
                "expected_datetime", "key")


# --------------------------------------------------------------------------- the cache
def _flood_level(t: datetime) -> float:
    """A flood season every year (October–November): flood reports then."""
    local = t.astimezone(VN_TZ)
    return 2.5 if local.month in (10, 11) and local.day % 10 < 4 else 0.0


def _lifecycle(sim: ReportsSimulator, rng: random.Random, t: datetime, level: float,
               may_stall: bool) -> dict:
    """A new report at ``t`` and its workflow steps up to NOW (as the simulator's start)."""
    report = sim._new_report(rng, t, rfc3339_local(t), level)
    tk, final = t, False
    while not final:
        lo, hi = STAGE_HOURS[report["ioc_status"]]
        tk = tk + timedelta(hours=rng.uniform(lo, hi))
        if tk >= NOW or (may_stall and rng.random() < STALL_SHARE):
            break
        report, final = sim._advance(rng, report, tk)
    return report


def _shift(text: str | None, by: timedelta) -> str | None:
    return rfc3339_local(datetime.fromisoformat(text) + by) if text else text


def _retimed(report: dict, by: timedelta, key: str) -> dict:
    """A copy of a finished report moved in time by ``by``, under another key."""
    new = dict(report)
    new["service_request_id"] = key
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        if name in new:
            new[name] = _shift(new[name], by)
    history = []
    for h in report.get("history") or ():
        h = dict(h)
        h["at"] = _shift(h["at"], by)
        if "due" in h:
            h["due"] = _shift(h["due"], by)
        history.append(h)
    new["history"] = history
    return new


def _pool(seed: int) -> list[dict]:
    """Finished lifecycles to copy (from a time long ago: they all ran their course)."""
    sim = ReportsSimulator(initial=0)
    rng = random.Random(seed)
    t = NOW - SPAN - timedelta(days=30)
    return [_lifecycle(sim, rng, t, 2.5 if rng.random() < 0.15 else 0.0, False)
            for _ in range(POOL)]


def _make(first: int, count: int, rows: int, seed: int, pool: list[dict]) -> list[dict]:
    """Reports ``first`` … ``first + count - 1`` of ``rows`` spread over SPAN up to NOW:
    the recent ones simulated (they may be open, stalled, overdue), the older ones copies
    of finished lifecycles from ``pool`` moved to their time."""
    sim = ReportsSimulator(initial=0)
    rng = random.Random(seed)
    step = SPAN / rows
    t0 = NOW - SPAN
    out = []
    for i in range(first, first + count):
        t = t0 + step * i
        year = t.astimezone(VN_TZ).year
        if NOW - t < RECENT:
            sim._counter = i            # the key: PA-<year>-<i+1>
            out.append(_lifecycle(sim, rng, t, _flood_level(t), NOW - t < STALL_WINDOW))
        else:
            src = pool[(i * 7919) % len(pool)]
            by = t - datetime.fromisoformat(src["requested_datetime"])
            out.append(_retimed(src, by, f"PA-{year}-{i + 1:06d}"))
    return out


def _drop_indexes(conn: sqlite3.Connection, table: str) -> None:
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND "
                                "tbl_name = ? AND sql IS NOT NULL", (table,)).fetchall():
        conn.execute(f"DROP INDEX {name}")


def _bulk(conn: sqlite3.Connection) -> None:
    """A file being built: no journal, no syncs (it is thrown away if this fails; the
    Store puts it back in WAL mode when it opens it)."""
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")


def _worker(args) -> tuple[str, int]:
    part, first, count, rows = args
    path = Path(f"{part}")
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    store = Store(path, [schema.SPEC])
    _drop_indexes(store.conn, TABLE)
    _bulk(store.conn)
    pool = _pool(seed=first)
    done = 0
    while done < count:
        n = min(CHUNK, count - done)
        reports = _make(first + done, n, rows, first + done, pool)
        ch = TopicChanges(upserts={r["service_request_id"]: r for r in reports}, last_seq=1)
        with store._tx():
            store._materialise(TABLE, ch, {})
        done += n
    store.conn.close()
    return str(path), done


def build_cache(path: Path, rows: int, workers: int) -> dict:
    """Make the cache file (see the module docstring); returns timings."""
    t_start = time.perf_counter()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    parts = max(1, workers)
    per = -(-rows // parts)
    jobs = [(f"{path}.part{k}", k * per, min(per, rows - k * per), rows)
            for k in range(parts) if k * per < rows]
    with mp.get_context("fork").Pool(len(jobs)) as pool:
        made = pool.map(_worker, jobs)
    t_made = time.perf_counter()
    store = Store(path, [schema.SPEC])
    conn = store.conn
    _drop_indexes(conn, TABLE)
    _bulk(conn)
    for part, _ in made:
        conn.execute("ATTACH DATABASE ? AS part", (part,))
        with store._tx():
            conn.execute(f"INSERT INTO main.{TABLE} SELECT * FROM part.{TABLE}")
        conn.execute("DETACH DATABASE part")
        for suffix in ("", "-wal", "-shm"):
            Path(part + suffix).unlink(missing_ok=True)
    t_copied = time.perf_counter()
    with store._tx():
        for index in schema.SPEC.indexes:         # as the Store makes them
            store.db[TABLE].create_index(list(index), if_not_exists=True)
    t_indexed = time.perf_counter()
    qq.install_search_index(conn)
    t_fts = time.perf_counter()
    conn.execute("PRAGMA journal_mode = WAL")
    store.set_meta(queue_scale=fingerprint(rows))
    store.close()
    return {"generate + to_row (workers)": t_made - t_start, "copy into one file": t_copied - t_made,
            "indexes": t_indexed - t_copied, "search index (FTS5)": t_fts - t_indexed,
            "total": time.perf_counter() - t_start}


def fingerprint(rows: int) -> str:
    """What the cache file was made with (columns, indexes, the generator): a file made
    otherwise is made again."""
    from plugins.reports import workflow
    from plugins.reports import simulator
    sources = [Path(m.__file__).read_text(encoding="utf-8")
               for m in (qq, workflow, schema, simulator)]
    what = (rows, NOW.isoformat(), SPAN, RECENT, POOL, sources,
            Path(__file__).read_text(encoding="utf-8").split("# ---")[1])
    return hashlib.sha256(repr(what).encode()).hexdigest()[:16]


def ensure_cache(path: Path, rows: int, rebuild: bool, workers: int) -> dict | None:
    if path.exists() and not rebuild:
        try:
            conn = open_reader(path)
            made = conn.execute("SELECT value FROM meta WHERE key = 'queue_scale'").fetchone()
            conn.close()
            if made and made[0] == fingerprint(rows):
                return None
        except sqlite3.Error:
            pass
    return build_cache(path, rows, workers)


# --------------------------------------------------------------------------- measuring
def median_ms(fn, runs: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(max(1, runs)):
        gc.collect()
        t = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


class SqlQueue:
    """What the queue runs (queue_query.plan, then SqlPagedModel's queries): a count,
    then a page.  ``planned=False``: plain build_where (LIKE for the free text)."""

    def __init__(self, conn: sqlite3.Connection, planned: bool = True):
        self.conn = conn
        self.planned = planned

    def _plan(self, f: QueueFilter) -> qq.QueuePlan:
        if self.planned:
            return qq.plan(self.conn, f, NOW)
        where, params = qq.build_where(f, NOW)
        return qq.QueuePlan(where, params, f"SELECT count(*) FROM {TABLE}"
                            + (f" WHERE {where}" if where else ""), params)

    def page(self, p: qq.QueuePlan, sort: str, offset: int) -> list[tuple]:
        where = f"WHERE {p.where}" if p.where else ""
        sql = (f"SELECT {', '.join(PAGE_COLUMNS)} FROM {TABLE} {where} "
               f"ORDER BY {qq.SORTS[sort]} LIMIT ? OFFSET ?")
        return self.conn.execute(sql, (*p.params, PAGE, offset)).fetchall()

    def show(self, f: QueueFilter, sort: str) -> tuple[int, list[tuple]]:
        """A new filter or sort: plan, count, first page."""
        p = self._plan(f)
        return self.conn.execute(p.count_sql, p.count_params).fetchone()[0], self.page(p, sort, 0)

    def last_page(self, f: QueueFilter, sort: str, count: int) -> list[tuple]:
        return self.page(self._plan(f), sort, max(0, (count - 1) // PAGE * PAGE))


# --------------------------------------------------------------------------- the baseline
#: The in-memory rows: the queue's columns, then what the filters and sorts test.
MEM_COLUMNS = PAGE_COLUMNS + ("service_code", "commune", "agency_responsible", "priority_rank",
                              "search_text", "sla_due", "sla_soon")
_C = {name: i for i, name in enumerate(MEM_COLUMNS)}


def _rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _predicate(f: QueueFilter):
    """The filter as a Python test of one in-memory row (what filterAcceptsRow runs),
    with the same meaning as queue_query.build_where."""
    tests = []
    now = qq.sql_time(NOW)
    for field, column in ((f.states, "ioc_status"), (f.categories, "service_code"),
                          (f.communes, "commune"), (f.agencies, "agency_responsible")):
        if field:
            i, values = _C[column], frozenset(field)
            tests.append(lambda r, i=i, values=values: r[i] in values)
    if f.priorities:
        ranks = frozenset(qq.PRIORITY_RANK[p] for p in f.priorities if p in qq.PRIORITY_RANK)
        tests.append(lambda r: r[_C["priority_rank"]] in ranks)
    if f.sla == "overdue":
        tests.append(lambda r: r[_C["sla_due"]] < now)
    elif f.sla == "due_soon":
        tests.append(lambda r: r[_C["sla_due"]] >= now and r[_C["sla_soon"]] <= now)
    elif f.sla == "ok":
        tests.append(lambda r: r[_C["sla_due"]] >= now and r[_C["sla_soon"]] > now)
    for w in dict.fromkeys(qq.search_words(f.text)):
        tests.append(lambda r, w=" " + w: w in (r[_C["search_text"]] or ""))
    return lambda r: all(t(r) for t in tests)


class ProxyBaseline:
    """A QAbstractTableModel over a Python list of the rows, a QSortFilterProxyModel
    over it (a view would ask the proxy for what is on screen)."""

    #: sort name -> (column, order) of the proxy's one-column sort (the SQL sorts have
    #: tiebreakers as well: the proxy's work is, if anything, less)
    SORTS = {"newest": ("requested_datetime", "desc"), "oldest": ("requested_datetime", "asc"),
             "due_first": ("sla_due", "asc"), "priority_first": ("priority_rank", "desc")}

    def __init__(self, conn: sqlite3.Connection):
        from PySide6 import QtCore
        self.QtCore = QtCore
        Qt = QtCore.Qt
        gc.collect()
        rss0 = _rss_mb()
        t = time.perf_counter()
        # newest first, as the queue opens (the proxy's own order until it is sorted)
        rows = conn.execute(f"SELECT {', '.join(MEM_COLUMNS)} FROM {TABLE} "
                            f"ORDER BY {qq.SORTS['newest']}").fetchall()

        class Model(QtCore.QAbstractTableModel):
            def rowCount(self, parent=QtCore.QModelIndex()):  # noqa: N802
                return 0 if parent.isValid() else len(rows)

            def columnCount(self, parent=QtCore.QModelIndex()):  # noqa: N802
                return 0 if parent.isValid() else len(MEM_COLUMNS)

            def data(self, index, role=Qt.ItemDataRole.DisplayRole):
                if role == Qt.ItemDataRole.DisplayRole:
                    return rows[index.row()][index.column()]
                return None

        class Proxy(QtCore.QSortFilterProxyModel):
            accept = None

            def filterAcceptsRow(self, row, parent):  # noqa: N802
                return self.accept is None or self.accept(rows[row])

        self.rows = rows
        self.model = Model()
        self.proxy = Proxy()
        self.proxy.setSourceModel(self.model)
        self.proxy.setDynamicSortFilter(False)
        self.proxy.rowCount()
        self.load_s = time.perf_counter() - t
        gc.collect()
        self.memory_mb = _rss_mb() - rss0

    def _first_page(self, first: int) -> list[list]:
        p, n = self.proxy, self.proxy.rowCount()
        return [[p.index(r, c).data() for c in range(len(PAGE_COLUMNS))]
                for r in range(first, min(n, first + PAGE))]

    def filter(self, f: QueueFilter) -> tuple[int, list]:
        """A new filter: the proxy tests every row again (and sorts what passes)."""
        self.proxy.accept = _predicate(f) if f != QueueFilter() else None
        self.proxy.invalidate()
        return self.proxy.rowCount(), self._first_page(0)

    def sort(self, name: str) -> tuple[int, list]:
        """A new order: the proxy sorts its rows (a stable sort on one column)."""
        Qt = self.QtCore.Qt
        column, order = self.SORTS[name]
        self.proxy.sort(_C[column], Qt.SortOrder.DescendingOrder if order == "desc"
                        else Qt.SortOrder.AscendingOrder)
        return self.proxy.rowCount(), self._first_page(0)

    def last_page(self) -> list:
        n = self.proxy.rowCount()
        return self._first_page(max(0, (n - 1) // PAGE * PAGE))


# --------------------------------------------------------------------------- the run
def _typical_commune(conn) -> str:
    row = conn.execute(f"SELECT commune FROM {TABLE} WHERE service_code = 'VSMT' AND commune "
                       f"IS NOT NULL GROUP BY commune ORDER BY count(*) DESC LIMIT 1").fetchone()
    return row[0] if row else ""


def operations(commune: str) -> list[tuple[str, str, QueueFilter, str]]:
    """(label, kind, filter, sort) in the order a user would do them; kind is
    ``filter`` / ``sort`` (count + first page) or ``end`` (the last page)."""
    f_text = QueueFilter(text="rac kiet")
    return [
        ("filter: status = received", "filter", QueueFilter(states=("received",)), "newest"),
        ("filter: open (5 states)", "filter", QueueFilter(states=("received", "verified",
                                                                  "assigned", "in_progress",
                                                                  "resolved")), "newest"),
        (f"filter: category VSMT + {commune}", "filter",
         QueueFilter(categories=("VSMT",), communes=(commune,)), "newest"),
        ("filter: overdue", "filter", QueueFilter(sla="overdue"), "newest"),
        ("filter: text 'ngập' (diacritics)", "filter", QueueFilter(text="ngập"), "newest"),
        ("filter: text 'ngap' (none)", "filter", QueueFilter(text="ngap"), "newest"),
        ("filter: text 'rac kiet' (2 words)", "filter", f_text, "newest"),
        ("scroll to end: text 'rac kiet'", "end", f_text, "newest"),
        ("filter: none (all reports)", "filter", QueueFilter(), "newest"),
        ("scroll to end: all, newest", "end", QueueFilter(), "newest"),
        ("sort: due first (all)", "sort", QueueFilter(), "due_first"),
        ("scroll to end: all, due first", "end", QueueFilter(), "due_first"),
        ("sort: priority first (all)", "sort", QueueFilter(), "priority_first"),
        ("sort: oldest first (all)", "sort", QueueFilter(), "oldest"),
    ]


def run_sql(conn, ops, runs: int) -> dict[str, tuple[float, int]]:
    q = SqlQueue(conn)
    out = {}
    counts: dict[tuple, int] = {}
    for label, kind, f, sort in ops:
        if kind == "end":
            n = counts.get((f, sort)) or q.show(f, sort)[0]
            q.last_page(f, sort, n)                        # warm, as a view would have
            ms, rows = median_ms(lambda: q.last_page(f, sort, n), runs)
            out[label] = (ms, len(rows))
        else:
            q.show(f, sort)
            ms, (n, _) = median_ms(lambda: q.show(f, sort), runs)
            counts[(f, sort)] = n
            out[label] = (ms, n)
    return out


def run_proxy(base: ProxyBaseline, ops, runs: int, sort_runs: int,
              sorts: bool) -> dict[str, tuple[float, int] | None]:
    out: dict[str, tuple[float, int] | None] = {}
    for label, kind, f, sort in ops:
        if kind == "end":
            ms, rows = median_ms(base.last_page, runs)
            out[label] = (ms, len(rows))
        elif kind == "sort":
            if not sorts:
                out[label] = None
                continue
            ms, (n, _) = median_ms(lambda: base.sort(sort), sort_runs)
            out[label] = (ms, n)
            if sort_runs and label.startswith("sort: due"):
                sorts = False                   # one sort of a million rows tells enough
        else:
            ms, (n, _) = median_ms(lambda: base.filter(f), runs)
            out[label] = (ms, n)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="runs per SQL figure (median)")
    parser.add_argument("--proxy-runs", type=int, default=3,
                        help="runs per baseline filter figure (median)")
    parser.add_argument("--proxy-sort-runs", type=int, default=1,
                        help="runs of the baseline's sort of all rows (0: skip it)")
    parser.add_argument("--cache", type=Path, help="cache file (default /tmp/ioc-queue-scale-<rows>.sqlite)")
    parser.add_argument("--rebuild", action="store_true", help="make the cache file again")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--no-baseline", action="store_true", help="SQL side only")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    path = args.cache or Path(f"/tmp/ioc-queue-scale-{args.rows}.sqlite")

    t = time.perf_counter()
    built = ensure_cache(path, args.rows, args.rebuild, args.workers)
    if built:
        print(f"built {path} ({args.rows:,} reports) in {built['total']:.0f} s: "
              + ", ".join(f"{k} {v:.0f} s" for k, v in built.items() if k != "total"), flush=True)
    else:
        print(f"reusing {path} ({args.rows:,} reports; --rebuild to make it again)", flush=True)
    conn = open_reader(path)                     # the app's reader connection, as it is
    fts = qq.has_search_index(conn)
    commune = _typical_commune(conn)
    ops = operations(commune)
    states = dict(conn.execute(f"SELECT ioc_status, count(*) FROM {TABLE} GROUP BY 1"))
    print(f"{path.stat().st_size / 2**30:.1f} GiB; states: "
          + ", ".join(f"{k} {v:,}" for k, v in sorted(states.items())), flush=True)

    sql = run_sql(conn, ops, args.runs)
    like = {label: median_ms(lambda f=f, s=s: SqlQueue(conn, planned=False).show(f, s), 1)[0]
            for label, kind, f, s in ops if kind == "filter" and f.text}
    print("SQL side measured", flush=True)

    proxy: dict = {}
    base = None
    if not args.no_baseline:
        from PySide6 import QtCore
        app = QtCore.QCoreApplication.instance() or QtCore.QCoreApplication([])  # noqa: F841
        base = ProxyBaseline(conn)
        proxy = run_proxy(base, ops, args.proxy_runs, args.proxy_sort_runs,
                          args.proxy_sort_runs > 0)

    width = max(len(label) for label, *_ in ops)
    print()
    print(f"{'operation':<{width}}  {'rows':>9}  {'SQL ms':>8}  {'proxy ms':>9}  {'× faster':>8}  "
          f"goal ≤{GOAL_MS:.0f} ms")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 8}  {'-' * 9}  {'-' * 8}  ----")
    for label, kind, f, _sort in ops:
        ms, n = sql[label]
        p = proxy.get(label)
        p_ms = f"{p[0]:9.0f}" if p else f"{'—':>9}"
        ratio = f"{p[0] / ms:8.0f}" if p and ms > 0 else f"{'—':>8}"
        goal = "ok" if ms <= GOAL_MS else "OVER"
        if kind == "end":
            goal = "(scroll)" if ms <= GOAL_MS else "(scroll) slow"
        print(f"{label:<{width}}  {n:>9,}  {ms:8.1f}  {p_ms}  {ratio}  {goal}")
        if p and p[1] != n:
            print(f"  !! the baseline found {p[1]:,} rows", flush=True)
    print()
    if like:
        print("free text without the FTS5 index (LIKE on search_text, one run): "
              + "; ".join(f"{k.split(': ', 1)[1]} {v:.0f} ms" for k, v in like.items()))
    if base is not None:
        print(f"baseline: {len(base.rows):,} rows loaded into the in-memory model in "
              f"{base.load_s:.1f} s, {base.memory_mb:,.0f} MB more resident memory; the proxy's "
              f"filter runs filterAcceptsRow (Python) on every row, its sort calls data() "
              f"(Python) twice per comparison; "
              + ("its sort figure is one run; the other sorts were not run (minutes each)"
                 if args.proxy_sort_runs else "its sorts were not run (--proxy-sort-runs 0)"))
    print(f"SQL: count(*) + first page of {PAGE} rows (a filter or sort), or the last page "
          f"(scroll to end), median of {args.runs}; search index: {'FTS5' if fts else 'none'}; "
          f"SQLite {sqlite3.sqlite_version}, {os.cpu_count()} cores, Python "
          f"{sys.version.split()[0]}; whole run {time.perf_counter() - t:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
