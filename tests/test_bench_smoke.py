"""The benchmarks still run (issue 11, item 6): ``bench/all.py --quick`` runs every bench
in bench/ in its smoke mode (tiny sizes, one run, temporary caches), three at a time,
and each must exit 0 and print its table.  No figure is checked: the point is that a
bench can't rot unnoticed (an API it uses renamed, an option gone).  About 45-60 s on
2 cores; a bench added to bench/ but not to bench/all.py's list fails here too."""
from __future__ import annotations

import importlib.util
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ALL = ROOT / "bench" / "all.py"


def _bench_all():
    spec = importlib.util.spec_from_file_location("bench_all", ALL)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module             # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


def test_every_bench_is_listed():
    bench_all = _bench_all()
    assert bench_all.unlisted() == []
    for b in bench_all.BENCHES:
        assert (ROOT / "bench" / f"{b.name}.py").exists(), b.name


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_every_bench_runs_quick():
    bench_all = _bench_all()
    proc = subprocess.Popen([sys.executable, str(ALL), "--quick", "--jobs", "3",
                             "--timeout", "150"], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, errors="replace")
    try:
        out, _ = proc.communicate(timeout=200)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGTERM)         # all.py stops its benches' process groups
        out, _ = proc.communicate(timeout=30)
        pytest.fail(f"bench/all.py --quick did not finish in 200 s:\n{out[-4000:]}")
    summary = out[out.rfind("bench summary"):]
    assert "bench summary" in out, out[-4000:]
    for b in bench_all.BENCHES:
        # its own section, with its table's header
        section = re.search(rf"^===== {b.name}: .*?^----- {b.name}: exit (\S+?),", out,
                            re.M | re.S)
        assert section, f"{b.name}: no output section\n{out[-3000:]}"
        text = section.group(0)
        assert section.group(1) == "0", f"{b.name} exited {section.group(1)}:\n{text[-3000:]}"
        assert b.table in text, f"{b.name}: no table ({b.table!r}):\n{text[-3000:]}"
        row = re.search(rf"^{b.name}\s+(\S+)\s+\S+\s+(\S+)\s+(\S+)", summary, re.M)
        assert row and row.groups() == ("0", "yes", "ok"), f"{b.name}: {row and row.group(0)}"
    assert proc.returncode == 0, summary
