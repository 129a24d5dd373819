"""Ingest end to end: events/s from a websocket backend on loopback through the feed
client (decode, validate) and the store writer into a real SQLite cache, batched frames,
next to raw baselines measured in the same run on the same events.

    python bench/ingest.py [--events 200000] [--runs 3] [--before REV]

The backend is the demo backend (``main.py serve-demo --rate 0 --preload N``): N events
of every service, sent as ``events`` batch frames.  Each end-to-end run is a fresh
process and a fresh cache, timed from ``FeedClient.start()`` to the commit of the last
event (connect, subscribe and the decoding process's start-up included).  Rows (median
of ``--runs`` runs):

- raw websockets receive: a bare websockets client receiving the same frames (no
  decoding, no validation, no disk): the ceiling the network layer allows;
- raw sqlite3.executemany: the same event rows inserted in one transaction into a bare
  table with the same primary key: the ceiling the disk layer allows;
- end to end: FeedClient + StoreWriter as the app wires them (frames decoded and
  validated in the decoding process, the single writer in this one);
- the same with decoding on the feed thread (``decoder="thread"``): one process;
- the same with a commit listener that reads every event's ``data`` (the situation
  layer reads most of them: the payloads are decoded again in this process only when
  read, see ``LazyEventRecord``);
- before: the client and writer of ``git archive REV`` (default: HEAD, the committed
  code), same backend, same events, in the same run.

CPU is the client's own (its process and the decoding process), per event.
Goal: >= 50,000 events/s end to end.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from benchkit import archive, insert_rows_raw, start_preloaded_server as start_server

ROOT = Path(__file__).resolve().parents[1]
GOAL = 50_000


# ---------------------------------------------------------------------- the probe
def probe(args) -> int:
    """One end-to-end run in this process, on the tree ``--tree`` (first on sys.path)."""
    sys.path.insert(0, args.tree)
    import ioc_desktop
    from ioc_desktop.feed.client import FeedClient
    from ioc_desktop.plugin_api import load_plugins, topic_map
    from ioc_desktop.store.writer import StoreWriter

    topics = topic_map([lp.plugin for lp in load_plugins() if lp.plugin])
    writer = StoreWriter(args.cache, topics.values())
    done = threading.Event()
    committed = [0]
    read = args.variant == "read-data"

    def on_commit(batch):
        for ch in batch.topics.values():
            committed[0] += len(ch.events)
            if read:
                for ev in ch.events:
                    ev.data
        if committed[0] >= args.total:
            done.set()

    writer.add_listener(on_commit)
    kwargs = {"decoder": "thread"} if args.variant == "thread" else {}
    client = FeedClient(args.url, args.token, writer, topics, **kwargs)
    start = time.perf_counter()
    client.start()
    ok = done.wait(args.timeout)
    elapsed = time.perf_counter() - start
    decoder = getattr(client, "_decoder", None)
    answered = getattr(decoder, "answered", None) if decoder is not None else None
    client.stop()
    writer.close()
    print(json.dumps({"seconds": elapsed, "committed": committed[0], "ok": ok,
                      "rejected": client.counters.rejected, "tree": ioc_desktop.__file__,
                      "frames_by_process": answered, "frames": client.counters.frames}))
    return 0


def run_probe(tree: Path, url: str, token: str, total: int, cache: Path, variant: str,
              timeout: float) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run([sys.executable, __file__, "--probe", "--tree", str(tree), "--url", url,
                          "--token", token, "--total", str(total), "--cache", str(cache),
                          "--variant", variant, "--timeout", str(timeout)],
                         capture_output=True, text=True, timeout=timeout + 120)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if out.returncode != 0:
        raise RuntimeError(f"probe ({variant}, {tree}) failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if not result["ok"] or result["rejected"]:
        raise RuntimeError(f"probe ({variant}): {result}")
    result["cpu"] = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return result


# ---------------------------------------------------------------------- baselines
def server_heads(log_path: Path) -> dict[str, int]:
    conn = sqlite3.connect(log_path)
    try:
        return dict(conn.execute("SELECT topic, max(seq) FROM events GROUP BY topic"))
    finally:
        conn.close()


async def raw_receive(url: str, token: str, topics, total: int, batches: bool = True) -> float:
    """Seconds for a bare websockets client to receive every event (batched frames)."""
    sys.path.insert(0, str(ROOT))
    from websockets.asyncio.client import connect

    from ioc_desktop import protocol
    async with connect(url, additional_headers={"Authorization": f"Bearer {token}"},
                       max_size=protocol.MAX_FRAME_BYTES, compression=None) as ws:
        await ws.send(protocol.hello((protocol.BATCH_EXTENSION,) if batches else ()))
        await ws.recv()                                   # welcome
        start = time.perf_counter()
        await ws.send(protocol.subscribe({t: 0 for t in topics}))
        got = 0
        while got < total:
            frame = await ws.recv(decode=False)
            got += frame.count(b'"type":"event"')
        return time.perf_counter() - start


def raw_executemany(log_path: Path, path: Path) -> tuple[float, int]:
    """Seconds to insert the backend's events as rows (the client's table shape) in one
    transaction into a bare table with the same key; and how many."""
    import orjson
    conn = sqlite3.connect(log_path)
    rows = []
    for topic, seq, frame in conn.execute("SELECT topic, seq, frame FROM events ORDER BY rowid"):
        m = orjson.loads(frame)
        data = m.get("data")
        rows.append((topic, seq, m.get("time"), m["op"], m["key"],
                     orjson.dumps(data).decode() if data is not None else None, 0.0))
    conn.close()
    return insert_rows_raw(rows, path), len(rows)


# ---------------------------------------------------------------------- main
def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before", default="HEAD",
                        help="git revision to compare with (default HEAD; '' to skip)")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--tree", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--token", help=argparse.SUPPRESS)
    parser.add_argument("--total", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    parser.add_argument("--variant", default="default", help=argparse.SUPPRESS)
    parser.add_argument("--timeout", type=float, default=600.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        return probe(args)

    sys.path.insert(0, str(ROOT))
    from ioc_desktop.config import DEMO_TOKEN

    tmp = Path(tempfile.mkdtemp(prefix="ioc-bench-ingest-"))
    before = archive(args.before, tmp / "before") if args.before else None
    t0 = time.perf_counter()
    proc, port, total = start_server(args.events, tmp / "server-log.sqlite")
    url = f"ws://127.0.0.1:{port}/feed"
    print(f"demo backend: {total} events preloaded in {time.perf_counter() - t0:.1f} s", flush=True)
    variants = [("end to end (decoding process)", ROOT, "default"),
                ("end to end, decoding on the feed thread", ROOT, "thread"),
                ("end to end, listener reads every payload", ROOT, "read-data")]
    if before is not None:
        variants.append((f"end to end, before ({args.before})", before, "default"))
    results: dict[str, list] = {name: [] for name, _, _ in variants}
    raw_ws: list[float] = []
    raw_sql: list[float] = []
    try:
        heads = server_heads(tmp / "server-log.sqlite")
        total = sum(heads.values())
        for run in range(args.runs):
            raw_ws.append(total / asyncio.run(raw_receive(url, DEMO_TOKEN, heads, total)))
            seconds, n = raw_executemany(tmp / "server-log.sqlite", tmp / f"raw-{run}.sqlite")
            raw_sql.append(n / seconds)
            for name, tree, variant in variants:
                cache = tmp / f"cache-{run}-{variant}-{len(results[name])}.sqlite"
                r = run_probe(tree, url, DEMO_TOKEN, total, cache, variant, 600.0)
                r["rate"] = total / r["seconds"]
                results[name].append(r)
                print(f"  run {run + 1}: {name}: {r['rate']:,.0f} events/s "
                      f"({r['seconds']:.2f} s, CPU {r['cpu'] / total * 1e6:.1f} µs/event"
                      + (f", {r['frames_by_process']} of {r['frames']} frames decoded in the "
                         "decoding process" if r.get("frames_by_process") is not None else "")
                      + ")", flush=True)
                for suffix in ("", "-wal", "-shm"):
                    Path(str(cache) + suffix).unlink(missing_ok=True)
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)

    med_ws, med_sql = statistics.median(raw_ws), statistics.median(raw_sql)
    rows = [("raw websockets receive, batched frames", med_ws, raw_ws, None, "baseline: network"),
            ("raw sqlite3.executemany, one transaction", med_sql, raw_sql, None, "baseline: disk")]
    for name, _, _ in variants:
        rates = [r["rate"] for r in results[name]]
        cpu = statistics.median(r["cpu"] for r in results[name]) / total * 1e6
        rows.append((name, statistics.median(rates), rates, cpu, f"goal >= {GOAL:,}"))
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'measure':<{width}}  {'events/s':>9}  {'runs':<26}  {'CPU µs/ev':>9}  "
          f"{'vs network':>10}  {'vs disk':>7}  goal / note")
    print(f"{'-' * width}  {'-' * 9}  {'-' * 26}  {'-' * 9}  {'-' * 10}  {'-' * 7}  {'-' * 12}")
    for name, med, rates, cpu, note in rows:
        runs = ", ".join(f"{r / 1000:,.1f}k" for r in rates)
        met = ""
        if note.startswith("goal"):
            met = "  MET" if med >= GOAL else "  missed"
        print(f"{name:<{width}}  {med:>9,.0f}  {runs:<26}  "
              f"{(f'{cpu:.1f}' if cpu is not None else ''):>9}  {med / med_ws:>9.0%}  "
              f"{med / med_sql:>6.0%}  {note}{met}")
    print(f"\n{total:,} events ({len(heads)} topics), median of {args.runs} runs, "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}, "
          f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
