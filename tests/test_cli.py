"""The headless commands, as a user runs them: serve-demo and sync in their own processes."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from feedkit import free_port

REPO = Path(__file__).resolve().parents[1]
MAIN = [sys.executable, str(REPO / "main.py")]


@pytest.fixture
def demo_server():
    port = free_port()
    proc = subprocess.Popen(MAIN + ["serve-demo", "--port", str(port), "--rate", "200", "--seed", "4"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = json.loads(proc.stdout.readline())
    assert json.loads(proc.stdout.readline())["port"] == port
    yield port, first
    proc.terminate()
    proc.wait(10)


def test_sync_fills_a_cache_with_the_default_demo_token(demo_server, tmp_path):
    port, info = demo_server
    assert info["token"] == "hue-ioc-demo"
    cache = tmp_path / "laptop.sqlite"
    # no --token: the client's default is the documented demo token
    proc = subprocess.run(MAIN + ["sync", "--server", f"ws://127.0.0.1:{port}/feed", "--cache", str(cache),
                                  "--run-for", "3", "--quiet"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["rejected"] == 0 and summary["gaps"] == 0
    conn = sqlite3.connect(cache)
    counts = dict(conn.execute("SELECT topic, count(*) FROM events GROUP BY topic"))
    cursors = dict(conn.execute("SELECT topic, seq FROM cursors"))
    epoch = conn.execute("SELECT value FROM meta WHERE key = 'epoch'").fetchone()[0]
    for table in ("reports", "environment", "vessels"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
    conn.close()
    assert set(counts) >= {"reports", "environment", "vessels", "alerts"}
    assert cursors == summary["cursors"]
    assert epoch == info["epoch"]
    # a second sync resumes: it adds only newer events, none twice
    proc = subprocess.run(MAIN + ["sync", "--server", f"ws://127.0.0.1:{port}/feed", "--cache", str(cache),
                                  "--run-for", "2", "--quiet"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    conn = sqlite3.connect(cache)
    for topic, seq in conn.execute("SELECT topic, seq FROM cursors").fetchall():
        n, lo, hi = conn.execute("SELECT count(*), min(seq), max(seq) FROM events WHERE topic = ?",
                                 (topic,)).fetchone()
        assert (n, lo, hi) == (seq, 1, seq), topic
    conn.close()


def test_sync_with_a_wrong_token_says_not_authorised_and_stops(demo_server, tmp_path):
    port, _ = demo_server
    url = f"ws://127.0.0.1:{port}/feed"
    proc = subprocess.run(MAIN + ["sync", "--server", url, "--token", "nope",
                                  "--cache", str(tmp_path / "c.sqlite"), "--run-for", "30",
                                  "--lang", "en"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 3
    assert proc.stderr.splitlines()[-1] == (f"ioc-desktop: not authorised by {url}: "
                                            "check --token (or IOC_TOKEN)")
    assert json.loads(proc.stdout.strip().splitlines()[-1])["status"] == "unauthorised"


def test_sync_refuses_plain_ws_to_a_remote_host(tmp_path):
    proc = subprocess.run(MAIN + ["sync", "--server", "ws://10.1.2.3/feed", "--cache", str(tmp_path / "c.sqlite"),
                                  "--run-for", "1"], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    (line,) = proc.stderr.splitlines()
    assert "--server ws://10.1.2.3/feed" in line and "loopback" in line
    assert not (tmp_path / "c.sqlite").exists()
