"""Time travel: the cost of one review jump to any moment of a week of history, next to
a naive replay from the start measured in the same run.

    .venv/bin/python bench/time_travel.py [--days 7] [--rate 10] [--quick] [--jumps 20]
                                          [--seed 5] [--cache-dir DIR] [--rebuild]
                                          [--replay-events 500000]

The cache: ``--days`` of the demo backend's simulators (no network) at ``--rate`` events/s
(7 days at 10 ev/s: ~6 M events), their frames of 25 events received 2.5 s apart on a
made-up 2023 clock, validated as the feed does and written by the real ``Store.apply``,
which makes its checkpoints as live (every 20,000 events or 1800 s); the writer's
batches are 250 s of feed here (to build faster: a checkpoint falls at most one batch
later than live).  The situation layer runs on every batch as the app's does (the
plugins' models, their alarm rules, the engine's timers) and journals its transitions
into the same file, so that a jump has alarms to restore.  Building takes minutes (the
simulators run in a child process; progress is printed to stderr); the file is kept in
``--cache-dir`` (default ``~/.cache/ioc-bench``) under a name made of its parameters and
reused by later runs (``--rebuild``: build it again).  ``--quick`` is one day.

Measured over ``--jumps`` moments drawn at random across the cache (seeded), on a
reader's connection as the app's review does, in a process whose garbage collector is
set as the app's (``ioc_desktop.gcpolicy``: its thresholds, start-up frozen): one jump =
``snapshot.build(conn, plugins, T, models=...)`` — the state at T, the reader's temp
tables, every plugin's model brought to T (reset, or by the difference of states where
the model allows it) with its view, the alarms at T and their
summary — with its parts timed by wrapping the functions ``build`` calls (``state_at``,
``reader_tables.install``, each plugin's model, ``journal.alarms_at``; "other" is the
rest: bounds, alarm summary, the next/previous event).  Inside the reader tables, the
rows made by the plugins' ``row()`` (the typed columns of items that differ from the
live table) are timed per topic; the reports model's reset and view are also timed
alone on the same state after each jump.  Figures are wall time (what the user waits),
with the process's CPU time next to them (the "cpu ms" column: on a shared machine the
wall time also counts the other processes' turns; the load average is printed).

Raw baselines, in the same run, on the same cache: a fresh client's naive replay of the
log from its start (every event received by T read in received order, decoded and
applied by a new ``Store``, then its ``load_state()``), and the least any replay does
(read, decode, a dict set per event).  A full replay to a moment days in would take
minutes per moment: each is measured once over the first ``--replay-events`` events of
the log, and its rate is used to extrapolate the time to each jump's moment ("extrap."
in the table).  Goal: at most 200 ms per jump, whatever the moment.
"""
from __future__ import annotations

import argparse
import heapq
import json
import multiprocessing
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import orjson  # noqa: E402

from demo_batches import plugins  # noqa: E402
from ioc_desktop import gcpolicy, malloc_policy  # noqa: E402
from ioc_desktop.alarms import journal  # noqa: E402
from ioc_desktop.alarms.engine import AlarmEngine  # noqa: E402
from ioc_desktop.plugin_api import TopicSpec, topic_map  # noqa: E402
from ioc_desktop.review import reader_tables, snapshot  # noqa: E402
from ioc_desktop.review.state_at import bounds, state_at  # noqa: E402
from ioc_desktop.situation import evaluate_model, model_view  # noqa: E402
from ioc_desktop.store.batch import EventRecord  # noqa: E402
from ioc_desktop.store.store import Store, open_reader  # noqa: E402

T0 = 1_690_000_000.0          # 2023-07-22: a fixed, made-up clock
FRAME = 25                    # events per frame, as the feed delivers them
BATCH_S = 250.0               # seconds of feed per Store.apply while building
GOAL_MS = 200.0
STEP_S = 60.0                 # a step forward by a minute (F11)
BUILD_VERSION = 5             # bump when what the cache holds changes (2: checkpoint_rows,
                              # 3: their rows hold the texts, 4: laid out by column,
                              # 5: checkpoints are database images)
#: the topics the app's GUIs read through SQL (their ``state_in_cache``: the reports'):
#: a jump leaves them undecoded and decodes the others, as the app's review does
READ_IN_CACHE = ("reports",)
DAY = 86_400.0
MB = 1e6


# ---------------------------------------------------------------- building the cache
def _generate(days: float, rate: float, seed: int, out) -> None:
    """The simulators' frames, validated, as the feed hands them to the writer: lists of
    event tuples, one list per BATCH_S of feed, put on ``out`` (None at the end).  Run in
    a child process."""
    from demo_backend.server import DemoBackend

    ps = plugins()
    specs = topic_map(ps)
    tick = FRAME / rate                   # one frame of FRAME events per simulator tick
    backend = DemoBackend(ps, seed=seed, rate=0, tick=tick,
                          start=datetime.fromtimestamp(T0, timezone.utc))
    backend.retain = 10 ** 9              # drained below after every tick
    loads = orjson.loads
    steps = int(days * DAY / tick)
    per_batch = max(1, int(BATCH_S / tick))
    batch: list[tuple] = []

    def drain(received_at: float) -> None:
        for name, tl in backend.topics.items():
            spec = specs.get(name)
            for frame in tl.frames:
                msg = loads(frame)
                data = msg.get("data")
                if msg["op"] == "upsert" and spec is not None:
                    data = spec.validate(data)
                batch.append((name, msg["seq"], msg["time"], msg["op"], msg["key"], data,
                              received_at))
            tl.frames.clear()

    drain(T0)                             # the simulators' first state
    for step in range(1, steps + 1):
        backend.preload(FRAME, per_step=FRAME)
        drain(T0 + step * tick + 0.05)    # received 50 ms after the simulated tick
        if step % per_batch == 0 or step == steps:
            out.put(batch)
            batch = []
    out.put(None)


def _batches(days: float, rate: float, seed: int):
    """The generator's batches, made in a child process when fork is available."""
    try:
        ctx = multiprocessing.get_context("fork")
    except ValueError:
        ctx = None
    if ctx is None:
        class _List(list):
            put = list.append
        out = _List()
        _generate(days, rate, seed, out)
        yield from (b for b in out if b is not None)
        return
    queue = ctx.Queue(maxsize=8)
    child = ctx.Process(target=_generate, args=(days, rate, seed, queue), daemon=True)
    child.start()
    try:
        while True:
            batch = queue.get()
            if batch is None:
                break
            yield batch
    finally:
        child.join(timeout=5)
        if child.is_alive():
            child.terminate()


class _Situation:
    """The situation layer's work per committed batch (models, rules, timers, journal),
    as ``ioc_desktop.situation`` does it, without its thread."""

    def __init__(self, ps, store: Store):
        self.engine = AlarmEngine()
        self.models = {}
        for plugin in ps:
            model = plugin.create_model()
            if model is None or not plugin.topics:
                continue
            self.engine.add_rules(plugin.name, plugin.alarm_rules())
            model.reset({}, now=T0)
            self.models[plugin.name] = (plugin.topics[0].name, model)
        self.store = store
        with store._tx():
            journal.ensure_schema(store.conn)

    def batch(self, committed, now: float) -> None:
        transitions = []
        for name, (topic, model) in self.models.items():
            changes = committed.topics.get(topic)
            if changes is None:
                continue
            model.apply_changes(changes, now=now)
            transitions += evaluate_model(self.engine, name, model, now)
        transitions += self.engine.tick(now)
        changed = self.engine.take_changed()
        if transitions or changed:
            with self.store._tx():
                journal.record(self.store.conn, transitions, changed)


def build_cache(path: Path, days: float, rate: float, seed: int) -> None:
    ps = plugins()
    tmp = path.with_name(path.name + ".building")
    for suffix in ("", "-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    store = Store(tmp, list(topic_map(ps).values()))
    situation = _Situation(ps, store)
    made, started, shown = 0, time.perf_counter(), 0.0
    for tuples in _batches(days, rate, seed):
        records = [EventRecord(*t) for t in tuples]
        committed = store.apply(records)
        situation.batch(committed, records[-1].received_at)
        made += len(records)
        spent = time.perf_counter() - started
        done = records[-1].received_at - T0
        if spent - shown >= 15 or done >= days * DAY:
            shown = spent
            eta = spent / max(done, 1.0) * (days * DAY - done)
            print(f"  building: day {done / DAY:5.2f} of {days:g}, {made / 1e6:6.2f} M events, "
                  f"{spent:6.0f} s, about {eta:5.0f} s to go", file=sys.stderr, flush=True)
    store.set_meta(bench_complete="1", bench_params=json.dumps(
        {"days": days, "rate": rate, "seed": seed, "version": BUILD_VERSION}))
    store.close()
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)


def cache_path(cache_dir: Path, days: float, rate: float, seed: int) -> Path:
    return cache_dir / f"time-travel-{days:g}d-{rate:g}eps-seed{seed}-v{BUILD_VERSION}.sqlite"


def complete(path: Path) -> bool:
    if not path.exists():
        return False
    try:
        conn = open_reader(path)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'bench_complete'").fetchone()
        finally:
            conn.close()
    except Exception:
        return False
    return bool(row and row[0] == "1")


# ---------------------------------------------------------------- what the cache holds
def describe(conn, path: Path) -> dict:
    size = sum(os.path.getsize(str(path) + s) for s in ("", "-wal")
               if os.path.exists(str(path) + s))
    events = conn.execute("SELECT count(*) FROM main.events").fetchone()[0]
    n_cp, = conn.execute("SELECT count(*) FROM checkpoints").fetchone()
    cp_bytes, cp_items = conn.execute(
        "SELECT coalesce(sum(length(state)), 0), coalesce(sum(items), 0) FROM checkpoint_state"
    ).fetchone()
    try:          # the typed rows (with the texts: the state blobs are then empty)
        cp_bytes += conn.execute("SELECT coalesce(sum(length(rows)), 0) FROM checkpoint_rows").fetchone()[0]
    except Exception:
        pass                      # a cache made before them
    try:          # the database images (the texts and rows: no typed rows then)
        cp_bytes += conn.execute("SELECT coalesce(sum(length(image)), 0) FROM checkpoint_image").fetchone()[0]
    except Exception:
        pass                      # a cache made before them
    cp_pages = None
    try:
        cp_pages = conn.execute("SELECT sum(pgsize) FROM dbstat WHERE name IN "
                                "('checkpoints', 'checkpoint_state', 'checkpoint_rows', "
                                "'checkpoint_image')").fetchone()[0]
    except Exception:
        pass                      # SQLite without dbstat
    try:
        journal_rows = conn.execute("SELECT count(*) FROM alarm_events").fetchone()[0]
        alarms = conn.execute("SELECT count(*) FROM alarms").fetchone()[0]
    except Exception:
        journal_rows = alarms = 0
    return {"size": size, "events": events, "checkpoints": n_cp, "cp_bytes": cp_bytes,
            "cp_items": cp_items, "cp_pages": cp_pages, "journal": journal_rows,
            "alarms": alarms}


# ---------------------------------------------------------------- timing the jumps
def _now() -> tuple[float, float]:
    """(wall, this process's CPU) seconds: the machine may be shared, and CPU time is
    what the jump itself costs, wall time what the user waits."""
    return time.perf_counter(), time.process_time()


def _add(into: dict, key: str, since: tuple[float, float]) -> None:
    wall, cpu = _now()
    spent = into.setdefault(key, [0.0, 0.0])
    spent[0] += wall - since[0]
    spent[1] += cpu - since[1]


class Timers:
    """Wrap what ``snapshot.build`` calls, to time its parts (restored by ``close``):
    label -> [wall, cpu] seconds; ``rows``: topic -> [calls, wall, cpu] of ``row()``."""

    def __init__(self):
        self.parts: dict[str, list] = {}
        self.rows: dict[str, list] = {}
        self.fill: dict[str, list] = {}           # state table -> its temp table's filling
        self._undo = []
        self._wrap(snapshot, "state_at", "state_at", self.parts)
        self._wrap(reader_tables, "install_tables", "reader tables", self.parts)
        self._wrap(journal, "alarms_at", "alarms_at", self.parts)
        if hasattr(reader_tables, "_fill"):       # per table, when the module has it
            original = reader_tables._fill
            fill = self.fill

            def timed_fill(conn, spec, *args, **kwargs):
                since = _now()
                try:
                    return original(conn, spec, *args, **kwargs)
                finally:
                    _add(fill, spec.table, since)
            reader_tables._fill = timed_fill
            self._undo.append((reader_tables, "_fill", original))
        original_row = TopicSpec.row
        rows = self.rows

        def timed_row(spec, key, data):
            since = _now()
            try:
                return original_row(spec, key, data)
            finally:
                wall, cpu = _now()
                entry = rows.setdefault(spec.name, [0, 0.0, 0.0])
                entry[0] += 1
                entry[1] += wall - since[0]
                entry[2] += cpu - since[1]
        TopicSpec.row = timed_row
        self._undo.append((TopicSpec, "row", original_row))

    def _wrap(self, module, name: str, label: str, into: dict) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            since = _now()
            try:
                return original(*args, **kwargs)
            finally:
                _add(into, label, since)
        setattr(module, name, timed)
        self._undo.append((module, name, original))

    def clear(self) -> None:
        for d in (self.parts, self.rows, self.fill):
            d.clear()

    def close(self) -> None:
        for owner, name, original in reversed(self._undo):
            setattr(owner, name, original)


class TimedModels(snapshot.ReviewModels):
    """The review's models, each plugin's reset + history + view timed."""

    def __init__(self):
        super().__init__()
        self.spent: dict[str, list] = {}

    def view_at(self, conn, plugin, *args, **kwargs):
        since = _now()
        try:
            return super().view_at(conn, plugin, *args, **kwargs)
        finally:
            _add(self.spent, plugin.name, since)


def measure_jumps(conn, ps, moments: list[float]) -> list[dict]:
    """One record per jump: ``total``, ``parts``, ``models``, ``fill`` as [wall, cpu]."""
    timers = Timers()
    models = TimedModels()
    reports = next((p for p in ps if p.name == "reports"), None)
    out = []
    try:
        for at in moments:
            timers.clear()
            models.spent.clear()
            # as the app does it: the views' half, then the SQL tables on the same reader
            total: dict = {}
            since = _now()
            snap = snapshot.build(conn, ps, at, models=models, tables=False,
                                  read_in_cache=READ_IN_CACHE)
            _add(total, "views", since)
            since = _now()
            snapshot.fill_tables(conn, ps, snap)
            _add(total, "tables", since)
            total["jump"] = [total["views"][0] + total["tables"][0],
                             total["views"][1] + total["tables"][1]]
            rec = {"at": snap.at, "total": total["jump"], "views": tuple(total["views"]),
                   "parts": {k: tuple(v) for k, v in timers.parts.items()},
                   "models": {k: tuple(v) for k, v in models.spent.items()},
                   "fill": {k: tuple(v) for k, v in timers.fill.items()},
                   "rows": {k: tuple(v) for k, v in timers.rows.items()},
                   "items": {t: len(v) for t, v in snap.review.state.items()},
                   "events_read": snap.review.events_read, "alarms": len(snap.alarms),
                   "failed": list(snap.failed)}
            if reports is not None:           # the reports model alone, on the same state
                state = snap.review.state.get(reports.topics[0].name, {})
                model = reports.create_model()
                alone: dict = {}
                since = _now()
                model.reset(state, now=snap.at)
                _add(alone, "reset", since)
                since = _now()
                model_view(model, snap.at)
                _add(alone, "view", since)
                rec["reports_alone"] = alone
            out.append(rec)
        snapshot.leave(conn)
    finally:
        timers.close()
    return out


# ---------------------------------------------------------------- the raw baselines
def _merged_log(conn, cuts: dict[str, int]):
    """Every event up to the cuts, in received order (as a fresh client got them)."""
    cursors = [conn.execute("SELECT received_at, topic, seq, time, op, key, data FROM main.events "
                            "WHERE topic = ? AND seq <= ? ORDER BY seq", (t, c))
               for t, c in cuts.items() if c]
    return heapq.merge(*cursors, key=lambda r: (r[0], r[1], r[2]))


def replay_store(conn, cuts: dict[str, int], specs, where: Path) -> tuple[int, list]:
    """A fresh client's naive replay into a new Store: (events, [wall, cpu] seconds)."""
    path = where / "replay.sqlite"
    spent: dict = {}
    since = _now()
    store = Store(path, specs)
    loads = orjson.loads
    batch, n = [], 0
    for received_at, topic, seq, when, op, key, data in _merged_log(conn, cuts):
        batch.append(EventRecord(topic, seq, when, op, key,
                                 loads(data) if data is not None else None, received_at,
                                 text=data.encode() if data is not None else None))
        if len(batch) >= 1000:
            store.apply(batch)
            n += len(batch)
            batch = []
    if batch:
        store.apply(batch)
        n += len(batch)
    store.load_state()
    _add(spent, "replay", since)
    store.close()
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    return n, spent["replay"]


def replay_dict(conn, cuts: dict[str, int]) -> tuple[int, list]:
    """The least a replay does: read, decode, a dict set or delete per event."""
    spent: dict = {}
    since = _now()
    loads = orjson.loads
    state: dict[str, dict] = {}
    n = 0
    for _, topic, _, _, op, key, data in _merged_log(conn, cuts):
        n += 1
        items = state.setdefault(topic, {})
        if op == "delete":
            items.pop(key, None)
        elif op == "snapshot":
            state[topic] = {it["key"]: it["data"] for it in loads(data)}
        elif data is not None:
            items[key] = loads(data)
    _add(spent, "replay", since)
    return n, spent["replay"]


# ---------------------------------------------------------------- the table
def _ms(x: float) -> str:
    return f"{x * 1e3:,.1f}"


def _load() -> str:
    try:
        return "load average " + " ".join(f"{x:.1f}" for x in os.getloadavg()) + \
            f" on {os.cpu_count()} cores"
    except OSError:
        return "load average unknown"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=float, default=7.0, help="days of history (default 7)")
    parser.add_argument("--rate", type=float, default=10.0, help="events/s (default 10)")
    parser.add_argument("--quick", action="store_true", help="one day (a fast check)")
    parser.add_argument("--jumps", type=int, default=20, help="random moments (default 20)")
    parser.add_argument("--seed", type=int, default=5, help="simulators' and moments' seed")
    parser.add_argument("--cache-dir", type=Path, default=Path.home() / ".cache" / "ioc-bench")
    parser.add_argument("--rebuild", action="store_true", help="build the cache again")
    parser.add_argument("--replay-events", type=int, default=500_000,
                        help="events the raw replays run over (default 500,000; at most "
                             "a quarter of the log)")
    args = parser.parse_args()
    days = 1.0 if args.quick else args.days
    ps = plugins()
    specs = list(topic_map(ps).values())
    topics = [s.name for s in specs]

    args.cache_dir.mkdir(parents=True, exist_ok=True)
    path = cache_path(args.cache_dir, days, args.rate, args.seed)
    built_in = None
    if args.rebuild or not complete(path):
        print(f"building {path} ({days:g} days at {args.rate:g} ev/s, "
              f"~{days * DAY * args.rate / 1e6:.1f} M events) ...", file=sys.stderr, flush=True)
        s = time.perf_counter()
        build_cache(path, days, args.rate, args.seed)
        built_in = time.perf_counter() - s
    else:
        # a cache built by an earlier version: its schema brought up to date (indexes the
        # plugins and the journal declare since) as the app's writer does at start
        Store(path, list(topic_map(plugins()).values())).close()
    conn = open_reader(path)
    info = describe(conn, path)
    first, last = bounds(conn)
    rng = random.Random(args.seed)
    moments = sorted(rng.uniform(first, last) for _ in range(args.jumps))
    warm_up = rng.uniform(first, last)      # imports the models' modules: not counted

    load_before = _load()
    print(f"measuring {len(moments)} jumps ({load_before}) ...", file=sys.stderr, flush=True)
    # the collector as the app's process has it: the service's thresholds, and what
    # start-up made frozen out of full collections (ioc_desktop.gcpolicy); a jump
    # itself holds the collector off (snapshot.build)
    gcpolicy.apply()
    gcpolicy.freeze_after_start()
    malloc_policy.apply()       # (the app's service sets it at start, as the thresholds)
    measure_jumps(conn, ps, [warm_up])
    # each jump followed by a step of a minute forward (F11, a play tick at 60x): that
    # one starts from the state just shown (state_at's ``since``), not a checkpoint
    both = measure_jumps(conn, ps, [x for at in moments for x in (at, at + STEP_S)])
    jumps, steps = both[0::2], both[1::2]
    load_after = _load()

    # raw baselines: over the first --replay-events events, extrapolated to each moment
    want = max(1, min(args.replay_events, info["events"] // 4))
    head = state_at(conn, topics, first + want / args.rate)
    print(f"raw baselines: replaying {sum(head.cuts.values()):,} events twice ...",
          file=sys.stderr, flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        n_store, t_store = replay_store(conn, head.cuts, specs, Path(tmp))
    n_dict, t_dict = replay_dict(conn, head.cuts)
    cursors = dict(conn.execute("SELECT topic, seq FROM cursors"))
    gapless = sum(cursors.values()) == info["events"]
    received = []
    for j in jumps:
        cuts = state_at(conn, topics, j["at"]).cuts
        received.append(sum(cuts.values()) if gapless else sum(
            conn.execute("SELECT count(*) FROM main.events WHERE topic = ? AND seq <= ?",
                         (t, c)).fetchone()[0] for t, c in cuts.items()))
    conn.close()

    # ------------------------------------------------------------ print
    W, C = 0, 1                                   # wall, cpu

    def med(values):
        return statistics.median(values)

    totals = [j["total"] for j in jumps]
    med_total = med([t[W] for t in totals])
    # extrapolated from the measured rates (events per second of wall / of CPU)
    replay = [[n / n_store * t_store[k] for n in received] for k in (W, C)]
    floor = [[n / n_dict * t_dict[k] for n in received] for k in (W, C)]
    print(f"\ntime travel: {days:g} days at {args.rate:g} ev/s — {info['events']:,} events, "
          f"cache {info['size'] / MB:,.0f} MB"
          + (f" (built in {built_in:,.0f} s)" if built_in else " (reused)"))
    cp_mb = info["cp_bytes"] / MB
    print(f"checkpoints: {info['checkpoints']} ({cp_mb:,.1f} MB compressed state"
          + (f", {info['cp_pages'] / MB:,.1f} MB of pages" if info["cp_pages"] else "")
          + f", {cp_mb / max(info['checkpoints'], 1):,.2f} MB and "
          f"{info['cp_items'] / max(info['checkpoints'], 1):,.0f} items each; "
          f"{(info['cp_pages'] or info['cp_bytes']) / info['size']:.1%} of the file); "
          f"alarm journal {info['journal']:,} transitions, {info['alarms']:,} alarms")
    print(f"{len(jumps)} jumps at random moments (seed {args.seed}, after one warm-up jump); "
          f"one jump = snapshot.build(conn, plugins, T, models=...); "
          f"{load_before} before, {load_after[len('load average '):]} after\n")
    w = 33
    print(f"{'part of a jump':<{w}}{'median ms':>11}{'max ms':>10}{'cpu ms':>9}{'share':>7}"
          f"{'raw: replay ms, extrap.':>26}{'goal ms':>9}")
    views = [j["views"] for j in jumps]
    print(f"{'jump: every view shows T':<{w}}{_ms(med([v[W] for v in views])):>11}"
          f"{_ms(max(v[W] for v in views)):>10}{_ms(med([v[C] for v in views])):>9}"
          f"{med([v[W] for v in views]) / med_total:>7.0%}"
          f"{_ms(med(replay[W])) + ' med':>26}{'≤' + format(GOAL_MS, 'g'):>9}")
    print(f"{'jump + the SQL lists (queue…)':<{w}}{_ms(med_total):>11}{_ms(max(t[W] for t in totals)):>10}"
          f"{_ms(med([t[C] for t in totals])):>9}{'100%':>7}")
    sv, st = [j["views"] for j in steps], [j["total"] for j in steps]
    print(f"{'step +1 min: every view shows it':<{w}}{_ms(med([v[W] for v in sv])):>11}"
          f"{_ms(max(v[W] for v in sv)):>10}{_ms(med([v[C] for v in sv])):>9}{'':>7}{'':>26}"
          f"{'≤' + format(GOAL_MS, 'g'):>9}")
    print(f"{'step +1 min + the SQL lists':<{w}}{_ms(med([t[W] for t in st])):>11}"
          f"{_ms(max(t[W] for t in st)):>10}{_ms(med([t[C] for t in st])):>9}")
    print(f"{'':<{w}}{'':>11}{'':>10}{'':>9}{'':>7}{_ms(max(replay[W])) + ' max':>26}")
    print(f"{'':<{w}}{'':>11}{'':>10}{'':>9}{'':>7}{_ms(med(replay[C])) + ' cpu':>26}")

    zero = (0.0, 0.0)

    def part(name):
        return [j["parts"].get(name, zero) for j in jumps]

    rows = [("state_at", part("state_at")), ("reader_tables.install_tables", part("reader tables"))]
    tables = sorted({t for j in jumps for t in j["fill"]})
    fill_rows = [(f"  table {t}", [j["fill"].get(t, zero) for j in jumps]) for t in tables]
    fill_rows.sort(key=lambda r: -med([x[W] for x in r[1]]))
    rows += fill_rows[:3]
    row_topics = sorted({t for j in jumps for t in j["rows"]},
                        key=lambda t: -sum(j["rows"].get(t, (0, 0.0, 0.0))[1] for j in jumps))
    for t in row_topics[:3]:
        rows.append((f"  {t} row() (typed columns)",
                     [j["rows"].get(t, (0, 0.0, 0.0))[1:] for j in jumps]))
    names = sorted({n for j in jumps for n in j["models"]},
                   key=lambda n: -med([j["models"].get(n, zero)[W] for j in jumps]))
    rows.append(("models (reset + history + view)",
                 [tuple(sum(v[k] for v in j["models"].values()) for k in (W, C)) for j in jumps]))
    rows += [(f"  {n}", [j["models"].get(n, zero) for j in jumps]) for n in names]
    rows.append(("alarms_at", part("alarms_at")))
    rows.append(("other (bounds, summary, steps)",
                 [tuple(j["total"][k] - sum(j["parts"].get(p, zero)[k] for p in
                                             ("state_at", "reader tables", "alarms_at"))
                        - sum(v[k] for v in j["models"].values()) for k in (W, C))
                  for j in jumps]))
    for label, values in rows:
        m = med([v[W] for v in values])
        print(f"{label:<{w}}{_ms(m):>11}{_ms(max(v[W] for v in values)):>10}"
              f"{_ms(med([v[C] for v in values])):>9}{m / med_total:>7.0%}")

    print(f"\nraw baselines, same run, on the first {n_store:,} events of the log: a fresh "
          f"Store's replay took {t_store[W]:,.1f} s ({n_store / t_store[W]:,.0f} ev/s; "
          f"{t_store[C]:,.1f} s of CPU); read + decode + a dict, {t_dict[W]:,.1f} s "
          f"({n_dict / t_dict[W]:,.0f} ev/s).  Extrap. to the {med(received):,.0f} events "
          f"(median; max {max(received):,}) received by each moment: naive replay "
          f"{_ms(med(replay[W]))} ms median, {_ms(max(replay[W]))} ms max; dict replay "
          f"{_ms(med(floor[W]))} ms median, {_ms(max(floor[W]))} ms max.")
    ev_read = [j["events_read"] for j in jumps]
    print(f"a step of a minute forward read {med([j['events_read'] for j in steps]):,.0f} events "
          f"(median) after the state it started from.")
    print(f"state_at read {med(ev_read):,.0f} events (median; max {max(ev_read):,}) after its "
          f"checkpoint; the state at T holds {med([sum(j['items'].values()) for j in jumps]):,.0f} "
          f"items (reports {med([j['items'].get('reports', 0) for j in jumps]):,.0f}); "
          f"{med([j['alarms'] for j in jumps]):,.0f} alarms at T (median).")
    for t in row_topics[:3]:
        calls = [j["rows"].get(t, (0, 0.0, 0.0))[0] for j in jumps]
        wall = sum(j["rows"].get(t, (0, 0.0, 0.0))[1] for j in jumps)
        cpu = sum(j["rows"].get(t, (0, 0.0, 0.0))[2] for j in jumps)
        print(f"{t} row(): {med(calls):,.0f} rows made per jump (median; max {max(calls):,}), "
              f"{wall / max(sum(calls), 1) * 1e3:.3f} ms per row ({cpu / max(sum(calls), 1) * 1e3:.3f}"
              f" of CPU); the other rows were the checkpoint's typed rows, copied from the live table or remembered.")
    if "reports_alone" in jumps[0]:
        r = [j["reports_alone"]["reset"] for j in jumps]
        v = [j["reports_alone"]["view"] for j in jumps]
        print(f"reports model alone on the state at T: reset {_ms(med([x[W] for x in r]))} ms "
              f"median ({_ms(max(x[W] for x in r))} max, {_ms(med([x[C] for x in r]))} of CPU), "
              f"view {_ms(med([x[W] for x in v]))} ms median.")
    failed = sorted({n for j in jumps for n in j["failed"]})
    if failed:
        print(f"models that failed at some T: {', '.join(failed)}")
    worst = max(jumps, key=lambda j: j["total"][W])
    print(f"slowest jump: T = {datetime.fromtimestamp(worst['at'], timezone.utc):%Y-%m-%d %H:%M:%S}Z, "
          f"{_ms(worst['total'][W])} ms; jumps within the goal: "
          f"{sum(1 for v in views if v[W] * 1e3 <= GOAL_MS)}/{len(views)} for every view, "
          f"{sum(1 for t in totals if t[W] * 1e3 <= GOAL_MS)}/{len(totals)} with the SQL lists")
    return 0


if __name__ == "__main__":
    sys.exit(main())
