"""Catch-up: ``ioc-desktop sync`` of a backend's whole log into an empty cache, time from
launch until the cache holds every event (its cursors at the backend's head), next to
a raw baseline measured in the same run on the same frames.

    python bench/catch_up.py [--events 600000 | --quick] [--runs 3] [--before REV]

The backend is the demo backend (``main.py serve-demo --rate 0 --preload N``; the
pre-generation is not timed).  Each run launches ``main.py sync --server … --cache
<fresh file>`` as a user would, and polls the cache (read-only) until every topic's
cursor has reached the backend's head; then the sync is interrupted.  Rows (median of
``--runs`` runs):

- raw websockets receive: a bare websockets client receiving the same frames from the
  same backend (no decoding, no validation, no disk): the ceiling the network allows;
- sync: launch to caught up (start-up included: the interpreter, the plugins, the
  cache, the situation layer that follows the sync), and apart from it the start-up
  alone (launch to the first events committed);
- before: the same with ``main.py`` of ``git archive REV`` (default HEAD, the committed
  code), same backend, same events, in the same run.

CPU is the sync process's and its decoding process's, for the whole run.
Goal: <= 10 s for 600,000 events.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from ingest import archive, raw_receive, server_heads, start_server  # noqa: E402

GOAL_S = 10.0
GOAL_EVENTS = 600_000
QUICK_EVENTS = 60_000


def cursors(cache: Path) -> dict[str, int]:
    try:
        conn = sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=1)
        try:
            return dict(conn.execute("SELECT topic, seq FROM cursors"))
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


def run_sync(tree: Path, url: str, token: str, cache: Path, heads: dict[str, int],
             timeout: float) -> dict:
    """Launch ``main.py sync`` of ``tree``; seconds to the first commit and to caught up."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, str(tree / "main.py"), "sync", "--server", url,
                             "--token", token, "--cache", str(cache), "--run-for", str(timeout),
                             "--lang", "en"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    lines: list[tuple[float, str]] = []

    def read_err():
        for line in proc.stderr:
            lines.append((time.perf_counter() - start, line.rstrip()))
    reader = threading.Thread(target=read_err, daemon=True)
    reader.start()
    first = done = None
    deadline = start + timeout
    while time.perf_counter() < deadline and proc.poll() is None:
        time.sleep(0.02)
        if not cache.exists():
            continue
        now = cursors(cache)
        if now and first is None:
            first = time.perf_counter() - start
        if all(now.get(t, 0) >= seq for t, seq in heads.items()):
            done = time.perf_counter() - start
            break
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    reader.join(5)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done is None:
        tail = "\n".join(text for _, text in lines[-20:])
        raise RuntimeError(f"sync ({tree}) did not catch up in {timeout:g} s "
                           f"(cursors {cursors(cache)}, heads {heads}):\n{tail}")
    live = next((t for t, text in lines if "] live" in text), None)
    return {"seconds": done, "first_commit": first, "live": live,
            "cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=None,
                        help=f"events in the backend's log (default {GOAL_EVENTS:,})")
    parser.add_argument("--quick", action="store_true",
                        help=f"a smoke run: {QUICK_EVENTS:,} events, one run")
    parser.add_argument("--runs", type=int, default=None, help="runs (default 3; --quick: 1)")
    parser.add_argument("--before", default="HEAD",
                        help="git revision to compare with (default HEAD; '' to skip)")
    args = parser.parse_args()
    n = args.events or (QUICK_EVENTS if args.quick else GOAL_EVENTS)
    runs = args.runs or (1 if args.quick else 3)

    from ioc_desktop.config import DEMO_TOKEN

    tmp = Path(tempfile.mkdtemp(prefix="ioc-bench-catch-up-"))
    before = archive(args.before, tmp / "before") if args.before else None
    t0 = time.perf_counter()
    proc, port, _ = start_server(n, tmp / "server-log.sqlite")
    url = f"ws://127.0.0.1:{port}/feed"
    heads = server_heads(tmp / "server-log.sqlite")
    total = sum(heads.values())
    print(f"demo backend: {total:,} events preloaded in {time.perf_counter() - t0:.1f} s",
          flush=True)
    variants = [("ioc-desktop sync", ROOT)]
    if before is not None:
        variants.append((f"ioc-desktop sync, before ({args.before})", before))
    results: dict[str, list[dict]] = {name: [] for name, _ in variants}
    raw: list[float] = []
    try:
        for run in range(runs):
            raw.append(asyncio.run(raw_receive(url, DEMO_TOKEN, heads, total)))
            print(f"  run {run + 1}: raw websockets receive: {raw[-1]:.2f} s", flush=True)
            for name, tree in variants:
                cache = tmp / f"cache-{run}-{len(results[name])}-{tree.name}.sqlite"
                r = run_sync(tree, url, DEMO_TOKEN, cache, heads, timeout=max(120.0, n / 2000))
                results[name].append(r)
                print(f"  run {run + 1}: {name}: caught up in {r['seconds']:.2f} s (first "
                      f"commit at {r['first_commit']:.2f} s, LIVE at "
                      f"{r['live'] if r['live'] is None else round(r['live'], 2)} s; CPU "
                      f"{r['cpu']:.1f} s)", flush=True)
                for p in tmp.glob(cache.name + "*"):
                    p.unlink(missing_ok=True)
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)

    med_raw = statistics.median(raw)
    at_goal_size = abs(total - GOAL_EVENTS) <= GOAL_EVENTS // 100
    goal_note = (f"goal <= {GOAL_S:g} s" if at_goal_size else
                 f"(the goal, <= {GOAL_S:g} s, is for {GOAL_EVENTS:,} events)")
    rows = [("raw websockets receive, batched frames", med_raw, raw, None, "baseline: network")]
    for name, _ in variants:
        rs = results[name]
        rows.append((name, statistics.median(r["seconds"] for r in rs),
                     [r["seconds"] for r in rs], statistics.median(r["cpu"] for r in rs),
                     goal_note))
        rows.append(("  of which start-up (launch to first commit)",
                     statistics.median(r["first_commit"] for r in rs),
                     [r["first_commit"] for r in rs], None, ""))
    width = max(len(r[0]) for r in rows)
    print()
    print(f"{'measure':<{width}}  {'seconds':>7}  {'runs':<22}  {'events/s':>9}  "
          f"{'CPU s':>6}  {'x raw':>6}  goal / note")
    print(f"{'-' * width}  {'-' * 7}  {'-' * 22}  {'-' * 9}  {'-' * 6}  {'-' * 6}  {'-' * 12}")
    for name, med, values, cpu, note in rows:
        runs_text = ", ".join(f"{v:.2f}" for v in values)
        met = ("  MET" if med <= GOAL_S else "  missed") if note.startswith("goal") else ""
        rate = f"{total / med:>9,.0f}" if not name.startswith("  ") else " " * 9
        print(f"{name:<{width}}  {med:>7.2f}  {runs_text:<22}  {rate}  "
              f"{(f'{cpu:.1f}' if cpu is not None else ''):>6}  {med / med_raw:>5.1f}x  "
              f"{note}{met}")
    print(f"\n{total:,} events ({len(heads)} topics), median of {runs} runs, {os.cpu_count()} "
          f"cores, load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
