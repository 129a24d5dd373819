"""What several benches share (not a bench itself): an older revision's source tree,
to measure "before" in the same run, and the demo backend in its own process."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def archive(rev: str, dest: Path) -> Path | None:
    """``git archive rev`` of this repository into ``dest``; None without git or rev."""
    try:
        data = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True,
                              capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    dest.mkdir(parents=True, exist_ok=True)
    subprocess.run(["tar", "-x", "-C", str(dest)], input=data, check=True)
    return dest


def start_demo_server(*options: str) -> tuple[subprocess.Popen, int, dict]:
    """``main.py serve-demo --port 0 *options`` in its own process, once it listens:
    (process, port, its first line: {"listening", "epoch", "token", "preloaded"})."""
    proc = subprocess.Popen([sys.executable, str(ROOT / "main.py"), "serve-demo", "--port", "0", *options],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first: dict = {}
    for line in proc.stdout:
        if not line.startswith("{"):
            continue
        data = json.loads(line)
        if "port" in data:
            return proc, int(data["port"]), first
        first = data
    proc.kill()
    raise RuntimeError("the demo backend did not start")


def start_preloaded_server(n_events: int, log_path: Path) -> tuple[subprocess.Popen, int, int]:
    """The demo backend with ``n_events`` of every service ready, no live rate:
    (process, port, events preloaded)."""
    proc, port, first = start_demo_server("--rate", "0", "--preload", str(n_events),
                                          "--retain", str(n_events * 2), "--log", str(log_path))
    return proc, port, first["preloaded"]


def insert_rows_raw(rows: list[tuple], path: Path) -> float:
    """The disk's ceiling: seconds to insert event rows ``(topic, seq, time, op, key,
    data, received_at)`` in one transaction into a bare table keyed as the cache's log
    is (WAL, synchronous NORMAL, as the store runs)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("CREATE TABLE events(topic TEXT NOT NULL, seq INTEGER NOT NULL, time TEXT, "
                     "op TEXT NOT NULL, key TEXT, data TEXT, received_at REAL, "
                     "PRIMARY KEY(topic, seq)) WITHOUT ROWID")
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
        return time.perf_counter() - start
    finally:
        conn.close()
