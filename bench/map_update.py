"""The live map's cost of moving markers: 5,000 and 20,000 points moved, from the Python
call to the page reporting it has drawn them, and the bytes sent, next to a bare
Leaflet canvas page given the same moves as plain JSON (built here, measured in the
same run) and, when git can give it, the code before (``git archive <rev>``).

    python bench/map_update.py [--before HEAD] [--runs 3] [--quick]

Each row is a fresh page in its own process (offscreen, software rendering, as the
tests run), 1280×800 px at zoom 10 over Huế, markers spread over the province like
report pins (title, status colour, popup fields).  A run moves every marker by a new
random offset; the figure is the median of ``--runs`` runs after three warm-up runs (a
map on a wall runs for hours: the page's JIT has compiled its loops), for every row.

- call → drawn: from before the call (``apply_diff`` of prebuilt feature dicts, as
  every plugin's MapLayer does; ``move_points`` of arrays; the baseline's
  ``json.dumps`` + ``runJavaScript``) to the page's report, sent from the first
  animation frame in which the moved markers are drawn (``MapView.drawn``; for the
  baseline and the old code a ``requestAnimationFrame`` callback registered after the
  update, reporting through a console message).  Split into the call itself, what
  follows until ``runJavaScript`` is issued (the flush timer and the encoding), and
  from there until the page's report (IPC, parse, apply, frame wait, draw).
- sent: the characters of every ``runJavaScript`` script of the update.
- "aggregated": the default: markers that would overlap are drawn as counted circles
  (at zoom 10 most of them are); "every marker drawn": the layer made with
  ``cluster=False``, the same work as the baseline's canvas.
Goal: ≤ 25 ms at 5,000 markers, ≤ 50 ms at 20,000.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchkit import archive

ROOT = Path(__file__).resolve().parents[1]
SIZES = (5_000, 20_000)
QUICK_SIZES = (1_000,)          # --quick: a smoke run, no goal
GOALS = {5_000: 25.0, 20_000: 50.0}
CENTER = (16.46, 107.59)
ZOOM = 10
VIEW = (1280, 800)
COLORS = ("#4aa3ff", "#f2c94c", "#eb5757", "#27ae60", "#9b51e0")
LAYER = "bench"
WARM_UP = 3        # runs before the timed ones: the page's JIT has compiled the hot loops, as in use


# ---- the data ----------------------------------------------------------------------

def base_positions(n: int, seed: int = 7) -> list[tuple[float, float]]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):       # denser around the city, like reports; the rest over the province
        if rnd.random() < 0.6:
            out.append((rnd.gauss(16.462, 0.05), rnd.gauss(107.59, 0.06)))
        else:
            out.append((rnd.uniform(16.0, 16.75), rnd.uniform(107.0, 108.15)))
    return out


def feature(i: int, lat: float, lon: float) -> dict:
    key = f"PA-{i:06d}"
    status = COLORS[i % len(COLORS)]
    return {"key": key, "kind": "point", "lat": lat, "lon": lon, "radius": 6, "color": "#0b0e11",
            "fill": status, "weight": 1, "title": f"{key} · Vệ sinh môi trường",
            "fields": [["Trạng thái", "Đã tiếp nhận"], ["Ưu tiên", "Bình thường"],
                       ["Mô tả", "Rác thải tập kết sai nơi quy định, cần thu gom"],
                       ["Địa chỉ", f"{i % 200} Lê Lợi, phường Vĩnh Ninh"]]}


def moved(base: list[tuple[float, float]], run: int) -> list[tuple[float, float]]:
    rnd = random.Random(1000 + run)
    return [(lat + rnd.uniform(-0.004, 0.004), lon + rnd.uniform(-0.004, 0.004)) for lat, lon in base]


# ---- the probe (runs in a child process, in the tree under test) ---------------------

BARE_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8">
<link rel="stylesheet" href="{css}"><script src="{js}"></script>
<style>html,body,#map{{margin:0;height:100%;width:100%}}</style></head>
<body><div id="map"></div><script>
var map = L.map('map', {{preferCanvas: true}}).setView([{lat}, {lon}], {zoom});
var renderer = L.canvas(), markers = new Map();
function load(rows) {{
  for (var i = 0; i < rows.length; i++) {{
    var r = rows[i];
    markers.set(r[0], L.circleMarker([r[1], r[2]], {{renderer: renderer, radius: 6, color: '#0b0e11',
      weight: 1, fillColor: r[3], fillOpacity: 0.85}}).addTo(map));
  }}
  drawn();
}}
function move(rows) {{
  for (var i = 0; i < rows.length; i++) {{ markers.get(rows[i][0]).setLatLng([rows[i][1], rows[i][2]]); }}
  drawn();
}}
function drawn() {{ requestAnimationFrame(function () {{ console.log('bench-drawn'); }}); }}
</script></body></html>
"""

HOOK_OLD = ("(function(){var o=ioc.applyDiff;ioc.applyDiff=function(d){var r=o(d);"
            "requestAnimationFrame(function(){console.log('bench-drawn');});return r;};})()")


def probe(mode: str, runs: int) -> dict:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
    from PySide6 import QtCore, QtWidgets
    import PySide6.QtWebEngineWidgets  # noqa: F401  (before the QApplication)

    QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    results = {}
    for n in SIZES:
        if mode == "bare":
            results[n] = _probe_bare(app, n, runs)
        else:
            results[n] = _probe_mapview(app, mode, n, runs)
    return results


class _Waiter:
    """Runs the event loop until a condition holds; the handlers that make it hold call
    :meth:`wake` (no busy polling: the page's renderer shares the two cores)."""

    def __init__(self) -> None:
        self.loop = None

    def wake(self, *_args) -> None:
        if self.loop is not None:
            self.loop.quit()

    def __call__(self, app, done, timeout_s: float = 60.0) -> None:
        from PySide6 import QtCore
        deadline = time.perf_counter() + timeout_s
        while not done():
            if time.perf_counter() > deadline:
                raise TimeoutError("the page did not answer")
            self.loop = QtCore.QEventLoop()
            QtCore.QTimer.singleShot(100, self.loop.quit)       # look again now and then anyway
            self.loop.exec()
            self.loop = None


_wait = _Waiter()


def _spy_sends(page) -> list:
    """Record (time, characters) of every runJavaScript the page is given."""
    sends: list = []
    real = page.runJavaScript

    def spy(script, *args):
        sends.append((time.perf_counter(), len(script)))
        return real(script, *args)
    page.runJavaScript = spy
    return sends


def _console_marks(view) -> list:
    """Times of the page's "bench-drawn" console messages (MapView routes its page's
    console to ``_on_console``; the old code too)."""
    marks: list = []
    old = view._page._on_console

    def on_console(level, message, line, source):
        if message == "bench-drawn":
            marks.append(time.perf_counter())
            _wait.wake()
        else:
            old(level, message, line, source)
    view._page._on_console = on_console
    return marks


def _probe_bare(app, n: int, runs: int) -> dict:
    import xstatic.pkg.leaflet as xstatic_leaflet
    from PySide6.QtCore import QUrl
    from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile
    from PySide6.QtWebEngineWidgets import QWebEngineView

    leaflet = Path(xstatic_leaflet.BASE_DIR)
    tmp = tempfile.TemporaryDirectory(prefix="bench-map-")
    page_file = Path(tmp.name) / "bare.html"
    page_file.write_text(BARE_PAGE.format(css=(leaflet / "leaflet.css").as_uri(), js=(leaflet / "leaflet.js").as_uri(),
                                          lat=CENTER[0], lon=CENTER[1], zoom=ZOOM), encoding="utf-8")

    class Page(QWebEnginePage):
        marks: list = []

        def javaScriptConsoleMessage(self, level, message, line, source):  # noqa: N802
            if message == "bench-drawn":
                self.marks.append(time.perf_counter())
                _wait.wake()

    view = QWebEngineView()
    profile = QWebEngineProfile()
    page = Page(profile, view)
    view.setPage(page)
    view.resize(*VIEW)
    view.show()
    loaded: list = []
    page.loadFinished.connect(lambda ok: (loaded.append(ok), _wait.wake()))
    view.load(QUrl.fromLocalFile(str(page_file)))
    _wait(app, lambda: loaded)
    base = base_positions(n)
    rows = [[f"PA-{i:06d}", lat, lon, COLORS[i % len(COLORS)]] for i, (lat, lon) in enumerate(base)]
    page.runJavaScript("load(" + json.dumps(rows) + ")")
    _wait(app, lambda: page.marks)
    sends = _spy_sends(page)
    out = []
    for run in range(runs + WARM_UP):
        pos = moved(base, run)
        keys = [r[0] for r in rows]
        page.marks.clear()
        sends.clear()
        app.processEvents()
        t0 = time.perf_counter()
        script = "move(" + json.dumps([[k, lat, lon] for k, (lat, lon) in zip(keys, pos)]) + ")"
        t_call = time.perf_counter()
        page.runJavaScript(script)
        _wait(app, lambda: page.marks)
        t1 = page.marks[0]
        out.append({"total": t1 - t0, "call": t_call - t0, "to_send": sends[0][0] - t_call,
                    "page": t1 - sends[0][0], "chars": sum(c for _, c in sends)})
        app.processEvents()
    view.close()
    page.deleteLater()
    view.deleteLater()
    app.processEvents()
    return _summary(out[WARM_UP:])


def _probe_mapview(app, mode: str, n: int, runs: int) -> dict:
    from widgets.map_view import MapView

    view = MapView(center=CENTER, zoom=ZOOM, tiles=False)
    view.resize(*VIEW)
    view.ready.connect(_wait.wake)
    view.show()
    _wait(app, lambda: view.is_ready)
    new = hasattr(view, "move_points")
    if new:
        view.add_layer(LAYER, "Bench", 10, cluster=(mode != "every"))
    else:
        view.add_layer(LAYER, "Bench", 10)
    marks = _console_marks(view)
    base = base_positions(n)
    view.apply_diff(LAYER, [feature(i, lat, lon) for i, (lat, lon) in enumerate(base)])
    count: list = []
    view.run_js(f"ioc.count('{LAYER}')", lambda r: (count.append(r), _wait.wake()))
    _wait(app, lambda: count)
    assert count[0] == n, count
    if not new:
        view.run_js(HOOK_OLD)
    end = time.perf_counter() + 0.5
    _wait(app, lambda: time.perf_counter() > end)          # the first draw, sprites made...
    sends = _spy_sends(view.web_page)
    drawn_at: dict[int, float] = {}
    if new:
        view.drawn.connect(lambda seq: (drawn_at.setdefault(seq, time.perf_counter()), _wait.wake()))
    keys = [f"PA-{i:06d}" for i in range(n)]
    out = []
    for run in range(runs + WARM_UP):
        pos = moved(base, run)
        if mode == "move":
            import numpy as np
            lat = np.array([p[0] for p in pos])
            lon = np.array([p[1] for p in pos])
        else:
            feats = [feature(i, la, lo) for i, (la, lo) in enumerate(pos)]
        marks.clear()
        sends.clear()
        app.processEvents()
        target = view.sent_seq + 1 if new else None
        t0 = time.perf_counter()
        if mode == "move":
            view.move_points(LAYER, keys, lat, lon)
        else:
            view.apply_diff(LAYER, feats)
        t_call = time.perf_counter()
        if new:
            _wait(app, lambda: any(s >= target for s in drawn_at))
            t1 = min(t for s, t in drawn_at.items() if s >= target)
        else:
            _wait(app, lambda: marks)
            t1 = marks[0]
        sent = [t for t, _ in sends]
        row = {"total": t1 - t0, "call": t_call - t0, "to_send": sent[0] - t_call, "page": t1 - sent[0],
               "chars": sum(c for _, c in sends)}
        stats: list = []
        view.run_js("JSON.stringify([ioc.lastApplyMs, ioc.lastDrawMs || null, ioc.lastFrameWaitMs || null, "
                    f"ioc.drawStats ? ioc.drawStats('{LAYER}') : null, ioc.latLng('{LAYER}', 'PA-000000'), "
                    f"ioc.debugLayer ? ioc.debugLayer('{LAYER}').view.stats.ms : null])",
                    lambda r: (stats.append(r), _wait.wake()))
        _wait(app, lambda: stats)
        apply_ms, draw_ms, wait_ms, drawn_stats, first, parts = json.loads(stats[0])
        assert abs(first[0] - pos[0][0]) < 1e-6, (first, pos[0])        # the page has the new positions
        row.update(apply=apply_ms / 1e3, draw=(draw_ms or 0) / 1e3, wait=(wait_ms or 0) / 1e3,
                   parts=parts, singles=drawn_stats["points"] if drawn_stats else None,
                   clusters=len(drawn_stats["clusters"]) if drawn_stats else None)
        out.append(row)
    view.close()
    view.deleteLater()
    app.processEvents()
    return _summary(out[WARM_UP:])


def _summary(rows: list[dict]) -> dict:
    order = sorted(rows, key=lambda r: r["total"])
    mid = order[len(order) // 2]                  # the median run, whole
    out = dict(mid)
    out["total"] = statistics.median(r["total"] for r in rows)
    out["runs"] = [r["total"] for r in rows]
    return out


# ---- the driver --------------------------------------------------------------------

def run_probe(tree: Path, mode: str, runs: int) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(tree))
    env.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
    env.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--probe", mode, "--runs", str(runs)]
                          + (["--quick"] if SIZES == QUICK_SIZES else []),
                          cwd=tree, env=env, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"{mode} in {tree}: {proc.stderr[-3000:]}")
    data = json.loads(proc.stdout.strip().splitlines()[-1])
    return {int(k): v for k, v in data.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default="HEAD", help="the revision to compare (default HEAD)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per row (default 3; median)")
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 1,000 markers, one run, no 'before'")
    parser.add_argument("--probe", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.quick:
        global SIZES
        SIZES, args.runs, args.before = QUICK_SIZES, 1, ""
    if args.probe:
        print(json.dumps(probe(args.probe, args.runs)))
        return 0
    rows = [("bare", "bare Leaflet canvas, JSON (baseline)", ROOT)]
    with tempfile.TemporaryDirectory() as tmp:
        old = archive(args.before, Path(tmp) / "before") if args.before else None
        if old is not None:
            rows.append(("before", f"before ({args.before}): apply_diff, JSON", old))
        rows += [("diff", "apply_diff, features (aggregated)", ROOT),
                 ("move", "move_points, arrays (aggregated)", ROOT),
                 ("every", "apply_diff, features, every marker drawn", ROOT)]
        measured = {}
        for mode, label, tree in rows:
            try:
                measured[mode] = run_probe(tree, mode, args.runs)
            except Exception as exc:          # the old tree may not run: say so in its row
                measured[mode] = exc
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"map update: markers moved, call → drawn (median of {args.runs}), "
          f"{VIEW[0]}×{VIEW[1]} px at zoom {ZOOM}, offscreen software rendering; "
          f"{os.cpu_count()} cores, load average {load}\n")
    print(f"{'markers':>8}  {'path':<42}{'→drawn ms':>10}{'vs bare':>8}{'sent MB':>9}{'call ms':>9}{'→sent ms':>9}"
          f"{'→page ms':>9}{'apply':>7}{'frame':>7}{'draw':>7}{'drawn':>13}{'goal':>7}")
    for n in SIZES:
        bare = measured.get("bare")
        for mode, label, _ in rows:
            r = measured.get(mode)
            if isinstance(r, Exception):
                print(f"{n:>8,}  {label:<42}{'did not run: ' + str(r).splitlines()[0][:60]}")
                continue
            r = r[n]
            goal = ""
            if mode in ("diff", "move", "every") and n in GOALS:
                goal = f"≤{GOALS[n]:.0f}" + (" ✓" if r["total"] * 1e3 <= GOALS[n] else " ✗")
            apply_ms = f"{r['apply'] * 1e3:>7.1f}" if "apply" in r else f"{'':>7}"
            draw_ms = f"{r['draw'] * 1e3:>7.1f}" if r.get("draw") else f"{'':>7}"
            wait_ms = f"{r['wait'] * 1e3:>7.1f}" if r.get("wait") else f"{'':>7}"
            if r.get("singles") is not None:
                drawn = f"{r['singles']:,}+{r['clusters']}○"
            else:
                drawn = "all" if mode in ("bare", "before") else ""
            ratio = (f"{bare[n]['total'] / r['total']:>7.1f}×" if isinstance(bare, dict) and mode != "bare"
                     else f"{'':>8}")
            print(f"{n:>8,}  {label:<42}{r['total'] * 1e3:>10.1f}{ratio}{r['chars'] / 1e6:>9.2f}"
                  f"{r['call'] * 1e3:>9.1f}{r['to_send'] * 1e3:>9.1f}{r['page'] * 1e3:>9.1f}"
                  f"{apply_ms}{wait_ms}{draw_ms}{drawn:>13}{goal:>7}")
        if not isinstance(bare, Exception) and bare:
            print(f"{'':>10}(baseline runs ms: {', '.join(f'{t * 1e3:.0f}' for t in bare[n]['runs'])})")
    print("\nvs bare: how many times faster than the bare Leaflet page; call: the Python call; →sent: until"
          " runJavaScript is issued (flush timer, encoding);\n→page: from there until the page reports"
          " the frame drawn (IPC, parse, apply, frame wait, draw, report); apply, frame, draw: the page's"
          " own time\napplying the diff, waiting for the animation frame, drawing (ioc.lastApplyMs,"
          " lastFrameWaitMs, lastDrawMs); drawn: markers drawn one by one + counted circles.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
