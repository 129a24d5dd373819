"""What several benches share (not a bench itself): an older revision's source tree,
to measure "before" in the same run, and the demo backend in its own process."""
from __future__ import annotations

import json
import subprocess
import sys
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
