"""The cache's size per day at the demo's rate, and what retention keeps on disk.

    .venv/bin/python bench/cache_size.py [--minutes 20] [--keep FILE]

Fills a real cache file (a new one: 8 KiB pages, WAL, incremental auto-vacuum) with
``--minutes`` of the demo backend's events at its default rate of 50 events/s (made by
its simulators without a network, ``bench/demo_batches.py``), through ``Store.apply``
in the frames of 25 the feed delivers, half a second apart on a made-up clock, so the
store writes its checkpoints as it would (every 20,000 events or 30 min).  Then it
measures the file, the events table and its index, and the checkpoints (SQLite's
``dbstat``: the pages each one takes), and prints:

- bytes per event of the log (table + its (topic, key) index), next to a raw baseline
  measured in the same run on the same events: each as one JSON line (what the feed
  sent, with its received time) and those lines gzipped;
- the projected growth per day at 10 and at 50 events/s, and the 7-day size (the
  default ``--retention-days``), with the checkpoints' share: a checkpoint is the whole
  state, so its size depends on the state, not on the rate; they come every 20,000
  events or 30 min (at 50 ev/s every 400 s, 216 a day; at 10 ev/s every 30 min, 48);
- what a compaction step costs on the writer thread (chunks of the writer's size).

The state tables are not projected: they hold the newest item per key and stop
growing with the number of items.  The checkpoint size is measured on the state at the
end of the run; a state that grows later (a day's reports) makes later ones larger.
"""
from __future__ import annotations

import argparse
import gzip
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import orjson  # noqa: E402

from demo_batches import demo_batches, plugins  # noqa: E402
from ioc_desktop.plugin_api import topic_map  # noqa: E402
from ioc_desktop.review import checkpoints  # noqa: E402
from ioc_desktop.store import retention  # noqa: E402
from ioc_desktop.store.store import Store  # noqa: E402
from ioc_desktop.store.writer import COMPACT_CHUNK  # noqa: E402

DEMO_RATE = 50.0         # events/s: the embedded demo backend's default (--rate)
FRAME = 25               # events per frame, as the feed batches them
T0 = 1_690_000_000.0     # a fixed, made-up clock (2023)
DAY = 86_400
KEEP_DAYS = 7            # the default --retention-days
MB = 1e6


def events_of(minutes: float):
    """The demo's events for ``minutes`` at DEMO_RATE, in frames, with received times."""
    n = int(minutes * 60 * DEMO_RATE)
    initial, _state, batches = demo_batches(FRAME, max(1, n // FRAME))
    frames = [initial] if initial else []
    for batch in batches:
        records = []
        for ch in batch.topics.values():
            records.extend(ch.events)
        frames.append(records)
    at = T0
    for records in frames:
        for r in records:
            r.received_at = at
        at += FRAME / DEMO_RATE
    return frames


def btree_sizes(conn) -> dict[str, int]:
    return dict(conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name"))


def checkpoints_per_day(rate: float) -> float:
    every = min(checkpoints.CHECKPOINT_EVENTS / rate, checkpoints.CHECKPOINT_MAX_S)
    return DAY / every


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=20.0,
                        help="simulated minutes of the demo feed at 50 events/s (default 20)")
    parser.add_argument("--keep", default=None, help="keep the cache file here")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    frames = events_of(args.minutes)
    n_events = sum(len(f) for f in frames)
    made = time.perf_counter() - started

    workdir = Path(tempfile.mkdtemp(prefix="ioc-cache-size-"))
    path = Path(args.keep) if args.keep else workdir / "cache.sqlite"
    for suffix in ("", "-wal", "-shm"):
        if Path(str(path) + suffix).exists():
            os.remove(str(path) + suffix)
    store = Store(path, topic_map(plugins()).values())
    t = time.perf_counter()
    for records in frames:
        store.apply(records)
    applied = time.perf_counter() - t
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    # the raw baseline: the same events as JSON lines (what the feed sent), and gzipped
    lines = bytearray()
    for records in frames:
        for r in records:
            lines += orjson.dumps({"topic": r.topic, "seq": r.seq, "time": r.time, "op": r.op,
                                   "key": r.key, "data": r.data, "received_at": r.received_at})
            lines += b"\n"
    raw_bytes = len(lines)
    gz_bytes = len(gzip.compress(bytes(lines), 6))

    conn = store.conn
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    sizes = btree_sizes(conn)
    file_bytes = path.stat().st_size
    events_rows = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    index_names = [n for (n,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'")]
    events_bytes = sizes.get("events", 0) + sum(sizes.get(n, 0) for n in index_names)
    n_checkpoints = conn.execute("SELECT count(*) FROM checkpoints").fetchone()[0]
    cp_bytes = (sizes.get("checkpoints", 0) + sizes.get("checkpoint_state", 0)
                + sizes.get("checkpoint_rows", 0) + sizes.get("checkpoint_image", 0)
                + sizes.get("checkpoints_at", 0))
    cp_payload = conn.execute("SELECT coalesce(sum(length(state)), 0) FROM checkpoint_state "
                              "WHERE checkpoint_id = (SELECT max(id) FROM checkpoints)").fetchone()[0]
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'checkpoint_rows'").fetchone():
        cp_payload += conn.execute("SELECT coalesce(sum(length(rows)), 0) FROM checkpoint_rows "
                                   "WHERE checkpoint_id = (SELECT max(id) FROM checkpoints)").fetchone()[0]
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'checkpoint_image'").fetchone():
        cp_payload += conn.execute("SELECT coalesce(sum(length(image)), 0) FROM checkpoint_image "
                                   "WHERE checkpoint_id = (SELECT max(id) FROM checkpoints)").fetchone()[0]
    # one checkpoint's size: its compressed states plus the b-tree's share (the pages of
    # the table hold only these few rows, so the payload is what matters)
    per_checkpoint = cp_bytes / n_checkpoints if n_checkpoints else float(cp_payload)
    state_bytes = file_bytes - events_bytes - cp_bytes
    per_event = events_bytes / events_rows

    # a compaction: keep the last 5 minutes, in the writer's chunk size
    newest = frames[-1][0].received_at if frames and frames[-1] else T0
    t = time.perf_counter()
    job = retention.Compaction(store, 5 / 1440, newest, chunk=COMPACT_CHUNK)
    longest = {"events": 0.0, "checkpoints": 0.0, "vacuum": 0.0}
    more = not job.done
    while more:
        r = job.result
        seen = (r.events_deleted, r.checkpoints_deleted, r.pages_released)
        step_t = time.perf_counter()
        more = job.step()
        step_s = time.perf_counter() - step_t
        for name, before, after in zip(longest, seen, (r.events_deleted, r.checkpoints_deleted,
                                                        r.pages_released)):
            if after != before:
                longest[name] = max(longest[name], step_s)
    result = job.result
    compact_s = time.perf_counter() - t
    store.close()

    print(f"cache: {path}")
    print(f"{n_events} demo events ({args.minutes:g} simulated minutes at {DEMO_RATE:g} ev/s), "
          f"made in {made:.1f} s, stored in {applied:.1f} s "
          f"({n_events / applied:,.0f} events/s through Store.apply)")
    print(f"file {file_bytes / MB:.1f} MB: events + index {events_bytes / MB:.1f} MB, "
          f"{n_checkpoints} checkpoints {cp_bytes / MB:.2f} MB "
          f"(the newest: {cp_payload / 1e3:.0f} kB compressed), "
          f"state tables and the rest {state_bytes / MB:.1f} MB (do not grow with time)")
    print()
    head = ("", "bytes/event", "MB/day @10 ev/s", "MB/day @50 ev/s", f"{KEEP_DAYS} days @10", f"{KEEP_DAYS} days @50")
    rows = []

    def row(name, per_ev, cp_per_day=(0.0, 0.0)):
        cells = [name, f"{per_ev:,.0f}" if per_ev else "-"]
        days = []
        for rate, cp in zip((10.0, 50.0), cp_per_day):
            days.append(per_ev * rate * DAY + cp)
        cells += [f"{d / MB:,.0f}" for d in days]
        cells += [f"{d * KEEP_DAYS / 1e9:,.2f} GB" for d in days]
        rows.append(cells)
        return days

    cp_day = tuple(per_checkpoint * checkpoints_per_day(r) for r in (10.0, 50.0))
    row("cache: event log (table + index)", per_event)
    row("cache: checkpoints", 0.0, cp_day)
    total = row("cache: log + checkpoints", per_event, cp_day)
    row("raw: JSON lines", raw_bytes / n_events)
    row("raw: JSON lines, gzip -6", gz_bytes / n_events)
    widths = [max(len(str(c)) for c in col) for col in zip(head, *rows)]
    print("  ".join(h.ljust(w) if i == 0 else h.rjust(w) for i, (h, w) in enumerate(zip(head, widths))))
    print("  ".join("-" * w for w in widths))
    for cells in rows:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths))))
    print()
    for rate, cp, tot in zip((10, 50), cp_day, total):
        print(f"at {rate} ev/s: {checkpoints_per_day(rate):.0f} checkpoints a day, "
              f"{cp / tot:.1%} of the daily growth; the cache is {per_event * rate * DAY / (raw_bytes / n_events * rate * DAY):.2f}x "
              f"the raw JSON lines")
    print(f"retention ({KEEP_DAYS} days): the file stops at about {total[0] * (KEEP_DAYS + 1 / 24) / 1e9:.2f} GB at 10 ev/s, "
          f"{total[1] * (KEEP_DAYS + 1 / 24) / 1e9:.2f} GB at 50 ev/s (plus the state tables; an hour's "
          f"compaction interval of slack)")
    if result.nothing_to_do:
        print(f"compaction of this cache to its last 5 minutes: nothing to do ({result.reason}; "
              f"run more --minutes)")
    else:
        print(f"compaction of this cache to its last 5 minutes: {result.events_deleted} events, "
              f"{result.checkpoints_deleted} checkpoints deleted in {result.steps} transactions of "
              f"at most {COMPACT_CHUNK} rows, {compact_s:.2f} s; "
              f"{result.pages_released * page_size / MB:.1f} MB given back to the file system; longest "
              f"step {result.longest_step_s * 1000:.0f} ms (deleting events "
              f"{longest['events'] * 1000:.0f} ms, checkpoints {longest['checkpoints'] * 1000:.0f} ms, "
              f"incremental vacuum {longest['vacuum'] * 1000:.0f} ms)")
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"({time.perf_counter() - started:.0f} s in all)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
