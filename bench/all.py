"""Every benchmark in bench/, one after the other, each in its own process with its own
command; each one's table as it finishes, then a summary: bench, exit status, seconds,
whether its table was printed.

    .venv/bin/python bench/all.py [--quick] [--only NAME,NAME] [--jobs N] [--timeout S]

Without ``--quick`` each bench runs with its defaults, as its own docstring describes
(the real measurements: some build large caches once and the whole takes hours).
``--quick`` is a smoke run of each one, a minute or two in all: the smallest options that
still go through the bench's whole path and print its table (a few thousand events,
one run, no comparison with a git revision, temporary caches) — its figures mean
nothing, it shows that the bench still runs.  ``tests/test_bench_smoke.py`` runs it.

``--jobs N`` runs N benches at once (for ``--quick``; the measurements want the machine
to themselves: keep 1 for them).  A file in bench/ that is neither listed here nor a
helper fails the run: a new bench is added to BENCHES, with its smoke options.
Exit status: 0 if every bench exited 0 and printed its table, 1 otherwise.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
HELPERS = {"all.py", "benchkit.py", "demo_batches.py"}       # not benchmarks


@dataclass
class Bench:
    name: str
    quick: list[str]                    # smoke options; "{tmp}": a temporary directory
    table: str                          # a header fragment its table prints
    full: list[str] = field(default_factory=list)


# Heaviest first: with --jobs the long ones start early.
BENCHES = [
    Bench("soak", ["--quick"], "warm-up end"),
    Bench("map_update", ["--quick"], "→drawn ms"),
    Bench("gui_gaps", ["--rates", "2000", "--seconds", "1", "--warmup", "3", "--runs", "1"],
          "s in gaps>50ms"),
    Bench("feed_throughput", ["--events", "2000"], "END TO END"),
    Bench("cold_start", ["--size-gb", "0.01", "--runs", "1"], "first live frame"),
    Bench("gui_thread", ["--seconds", "0.5", "--before", ""], "now/before"),
    Bench("ingest", ["--events", "2000", "--runs", "1", "--before", ""], "goal / note"),
    Bench("catch_up", ["--events", "2000", "--runs", "1", "--before", ""], "goal / note"),
    Bench("situation_cost", ["--seconds", "1"], "situation µs"),
    Bench("queue_scale", ["--rows", "2000", "--runs", "1", "--proxy-runs", "1",
                          "--cache", "{tmp}/queue_scale.sqlite"], "proxy ms"),
    Bench("time_travel", ["--days", "0.02", "--jumps", "2", "--replay-events", "5000",
                          "--cache-dir", "{tmp}/time_travel"], "part of a jump"),
    Bench("graphs", ["--series", "2", "--days", "0.01", "--reps", "1"], "bare pyqtgraph ms"),
    Bench("cache_size", ["--minutes", "1"], "bytes/event"),
]


def unlisted() -> list[str]:
    known = {b.name + ".py" for b in BENCHES} | HELPERS
    return sorted(p.name for p in BENCH.glob("*.py") if p.name not in known)


def _env(tmp: Path) -> dict:
    env = dict(os.environ)
    env["TMPDIR"] = str(tmp)            # what a bench leaves in its temp files goes with ours
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
    env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Run:
    def __init__(self, bench: Bench, args: list[str], stream: bool, tmp: Path):
        self.bench = bench
        self.cmd = [sys.executable, str(BENCH / f"{bench.name}.py"), *args]
        self.stream = stream
        self.lines: list[str] = []
        self.started = time.monotonic()
        self.seconds = 0.0
        self.code: int | None = None
        self.timed_out = False
        self.proc = subprocess.Popen(self.cmd, cwd=ROOT, env=_env(tmp), stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True, errors="replace",
                                     start_new_session=True)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.append(line)
            if self.stream:
                sys.stdout.write(line)
                sys.stdout.flush()

    def poll(self, timeout: float | None) -> bool:
        """True once finished (killed after ``timeout`` s)."""
        if self.code is not None:
            return True
        if self.proc.poll() is None:
            if timeout is None or time.monotonic() - self.started < timeout:
                return False
            self.timed_out = True
            self.kill()
        self.proc.wait()
        self.reader.join(5)
        self.seconds = time.monotonic() - self.started
        self.code = self.proc.returncode
        return True

    def kill(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.proc.pid, sig)
            except (ProcessLookupError, PermissionError):
                return
            try:
                self.proc.wait(5)
                return
            except subprocess.TimeoutExpired:
                continue

    @property
    def table(self) -> bool:
        return any(self.bench.table in line for line in self.lines)

    @property
    def ok(self) -> bool:
        return self.code == 0 and self.table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a smoke run of each bench")
    parser.add_argument("--only", default="", help="comma-separated bench names (default: all)")
    parser.add_argument("--jobs", type=int, default=1, help="benches run at once (default 1)")
    parser.add_argument("--timeout", type=float, default=None,
                        help="seconds per bench before it is killed (default: none; --quick 240)")
    args = parser.parse_args(argv)
    timeout = args.timeout if args.timeout is not None else (240.0 if args.quick else None)
    names = [n for n in args.only.split(",") if n]
    unknown = [n for n in names if n not in {b.name for b in BENCHES}]
    if unknown:
        parser.error(f"unknown bench: {', '.join(unknown)}")
    todo = [b for b in BENCHES if not names or b.name in names]
    strays = unlisted() if not names else []

    def on_term(signum, frame):         # stopped (a test's timeout): stop the benches too
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, on_term)

    tmp = Path(tempfile.mkdtemp(prefix="ioc-bench-all-"))
    jobs = max(1, args.jobs)
    stream = jobs == 1
    runs: list[Run] = []
    running: list[Run] = []
    t0 = time.monotonic()
    try:
        queue = list(todo)
        while queue or running:
            while queue and len(running) < jobs:
                b = queue.pop(0)
                opts = [a.replace("{tmp}", str(tmp)) for a in (b.quick if args.quick else b.full)]
                if stream:
                    print(f"\n===== {b.name}: {' '.join(['bench/' + b.name + '.py', *opts])}",
                          flush=True)
                run = Run(b, opts, stream, tmp)
                runs.append(run)
                running.append(run)
            for run in [r for r in running if r.poll(timeout)]:
                running.remove(run)
                if not stream:
                    print(f"\n===== {run.bench.name}: "
                          f"{' '.join(['bench/' + run.bench.name + '.py', *run.cmd[2:]])}")
                    sys.stdout.write("".join(run.lines))
                note = " (timed out)" if run.timed_out else ""
                print(f"----- {run.bench.name}: exit {run.code}{note}, {run.seconds:.1f} s",
                      flush=True)
            time.sleep(0.05)
    except KeyboardInterrupt:
        for run in running:
            run.kill()
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        for run in running:
            run.kill()
        shutil.rmtree(tmp, ignore_errors=True)

    total = time.monotonic() - t0
    print(f"\nbench summary ({'--quick, ' if args.quick else ''}{jobs} at a time, "
          f"{total:.0f} s in all)")
    print(f"{'bench':<18}{'exit':>6}{'seconds':>9}  table  result")
    for run in runs:
        code = "kill" if run.timed_out else str(run.code)
        print(f"{run.bench.name:<18}{code:>6}{run.seconds:>9.1f}  "
              f"{'yes' if run.table else 'NO':<5}  {'ok' if run.ok else 'FAILED'}")
    for name in strays:
        print(f"{name[:-3]:<18}{'-':>6}{'-':>9}  {'-':<5}  FAILED: not in bench/all.py's BENCHES")
    failed = [r.bench.name for r in runs if not r.ok] + [n[:-3] for n in strays]
    print(f"{len(runs) - len([r for r in runs if not r.ok])} of {len(runs) + len(strays)} ok"
          + (f"; failed: {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
