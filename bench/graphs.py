"""Frame time of one graph of 100 series × 7 days at 1 Hz (the cache's retention),
offscreen, 1600×900: the app's TimeSeriesPlot (min/max pyramid per series, only the
visible part decimated to ~2 points a pixel column, all curves and the grid filled into
one image by numpy: widgets/curve_raster.py) next to a bare pyqtgraph PlotWidget
given the same arrays (setData of the full arrays, its own clipToView and peak
autoDownsample, pen 3 px as the app drew before), measured in the same run.

    python bench/graphs.py [--series 100] [--days 7] [--reps 3]

A frame is the change (a range change, or one new sample per series) plus a forced,
synchronous paint of the plot's viewport (``viewport().repaint()``), the same on both
sides; median of ``--reps`` frames, each a real change (the ranges alternate).
Scenarios: full range (7 days); a zoom (the last 6 hours); a pan (that 6-hour window
moved back one hour: the plot's review end time); a live frame at the full range
(a sample appended to each series; the old code copied each buffer and setData'd it;
the bare baseline setData's the grown arrays).  Goal: ≤ 33 ms a frame (30 fps).
Memory per series: bytes held for the retention (SeriesBuffer with the river graphs'
value type and its pyramid), next to two float64 arrays of the same samples.
Both sides run under the app's allocator policy (ioc_desktop.malloc_policy: freed
arrays reused, not faulted in again; ``IOC_MALLOC_POLICY=0`` measures without).  The "pen 1"
column is the same app plot with 1 px curves (the console draws 2 px, the wall 3 px).
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6 import QtWidgets  # noqa: E402

from ioc_desktop import malloc_policy  # noqa: E402
from ioc_desktop.series import SeriesBuffer  # noqa: E402
from plugins.environment.gui import SERIES_DTYPE  # noqa: E402  (what the river graphs keep)
from widgets import theme  # noqa: E402
from widgets import timeseries_plot as tsp  # noqa: E402

GOAL_MS = 33.0
W, H = 1600, 900
HOUR = 3600.0
T_END = 1_764_000_000.0
COLORS = ["#4aa3ff", "#ffb74d", "#81c784", "#e57373", "#ba68c8", "#4dd0e1", "#fff176"]


def make_data(n_series: int, n: int, seed: int = 7):
    rng = np.random.default_rng(seed)
    t = T_END - n + 1 + np.arange(n, dtype=np.float64)
    vs = []
    base = np.sin(np.arange(n) / 20_000.0)
    for i in range(n_series):
        walk = np.cumsum(rng.normal(0, 0.002, n))
        v = 1.0 + 0.8 * base * (1 + i / n_series) + walk
        v[rng.integers(0, n, 3)] += 2.0              # a few one-sample crests
        vs.append(v)
    return t, vs


def paint(app, widget) -> None:
    widget.viewport().repaint()


def timed(app, widget, change) -> float:
    app.processEvents()
    s = time.perf_counter()
    change()
    paint(app, widget)
    return (time.perf_counter() - s) * 1000


def median_of(app, widget, changes, reps) -> float:
    out = []
    for i in range(reps):
        out.append(timed(app, widget, changes[i % len(changes)]))
    return statistics.median(out)


def bench_bare(app, t, vs, reps):
    pw = pg.PlotWidget(background=theme.BACKGROUND)
    pw.resize(W, H)
    pw.show()
    curves = []
    for i, v in enumerate(vs):
        c = pw.plot(pen=pg.mkPen(COLORS[i % len(COLORS)], width=3))
        c.setDownsampling(auto=True, method="peak")
        c.setClipToView(True)
        c.setSkipFiniteCheck(True)
        c.setData(t, v)
        curves.append(c)
    vb = pw.getPlotItem().getViewBox()
    vb.disableAutoRange()
    full = (t[0], t[-1])
    zoom = (t[-1] - 6 * HOUR, t[-1])
    pw.setXRange(*zoom, padding=0)
    paint(app, pw)
    out = {}

    def xr(a, b):
        return lambda: pw.setXRange(a, b, padding=0)

    out["full"] = median_of(app, pw, [xr(*full), xr(full[0] + 1, full[1])], reps)
    out["zoom"] = median_of(app, pw, [xr(*zoom), xr(zoom[0] + 1, zoom[1])], reps)
    pan = [xr(zoom[0] - k * HOUR, zoom[1] - k * HOUR) for k in (1, 2, 3)]
    out["pan"] = median_of(app, pw, pan, reps)
    pw.setXRange(*full, padding=0)
    paint(app, pw)
    state = {"t": t, "vs": list(vs)}

    def live():
        tt = np.append(state["t"], state["t"][-1] + 1.0)   # one more sample, arrays regrown
        state["t"] = tt
        for i, c in enumerate(curves):
            state["vs"][i] = np.append(state["vs"][i], state["vs"][i][-1])
            c.setData(tt, state["vs"][i])
        pw.setXRange(tt[0], tt[-1], padding=0)

    out["live"] = median_of(app, pw, [live], reps)
    pw.close()
    pw.deleteLater()
    app.processEvents()
    return out


def bench_app(app, t, vs, reps, pen_width):
    tsp.CONSOLE_PEN_WIDTH = pen_width
    plot = tsp.TimeSeriesPlot("Water level", "m")
    plot.resize(W, H)
    plot.show()
    bufs = []
    for i, v in enumerate(vs):
        buf = SeriesBuffer(t.size + 10, value_dtype=SERIES_DTYPE)
        buf.extend(t, v)
        bufs.append(buf)
        plot.add_series(f"S{i}", buf, COLORS[i % len(COLORS)])
    plot.set_thresholds({"BĐ1": 2.0, "BĐ2": 3.0, "BĐ3": 4.0})
    plot.set_time_window(6 * HOUR)
    app.processEvents()
    plot.redraw_now()
    pw = plot.plot_widget
    paint(app, pw)
    out = {}

    def window(seconds, end=None):
        def change():
            plot.set_time_window(seconds)
            plot.set_end_time(end)
            plot.redraw_now()
        return change

    full_s = t[-1] - t[0]
    out["full"] = median_of(app, pw, [window(None), window(full_s - 1)], reps)
    out["zoom"] = median_of(app, pw, [window(6 * HOUR), window(6 * HOUR - 1)], reps)
    out["pan"] = median_of(app, pw, [window(6 * HOUR, t[-1] - k * HOUR) for k in (1, 2, 3)], reps)
    window(None)()
    paint(app, pw)
    state = {"t": t[-1]}

    def live():
        state["t"] += 1.0
        for b in bufs:
            b.append(state["t"], b.last()[1])
        plot.redraw_now()

    out["live"] = median_of(app, pw, [live], reps)
    # points given to the curves at the full range (the ~2 a column check)
    out["points"] = max(plot.curve_data(name)[0].size for name in plot.series_names())
    out["columns"] = int(pw.getPlotItem().getViewBox().width())
    out["nbytes"] = bufs[0].nbytes
    plot.close()
    plot.deleteLater()
    app.processEvents()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--series", type=int, default=100)
    parser.add_argument("--days", type=float, default=7.0)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    # the allocator as the app's process sets it (its service does at start); the
    # bare baseline runs in this process too, so under the same allocator
    malloc_policy.apply()
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    theme.apply_dark_theme(app)
    n = int(args.days * 24 * 3600)
    t, vs = make_data(args.series, n)
    bare = bench_bare(app, t, vs, args.reps)
    ours = bench_app(app, t, vs, args.reps, tsp.CONSOLE_PEN_WIDTH)
    ours1 = bench_app(app, t, vs, args.reps, 1)
    print(f"{args.series} series × {args.days:g} days at 1 Hz ({n:,} samples each), "
          f"{W}×{H} offscreen, median of {args.reps} frames (change + forced repaint)")
    print(f"{'frame':<26}{'bare pyqtgraph ms':>19}{'app (pen 2) ms':>16}{'app pen 1 ms':>14}"
          f"{'goal ms':>9}{'speed-up':>10}")
    names = {"full": "full range (7 d)", "zoom": "zoom (last 6 h)",
             "pan": "pan (6 h, 1 h back)", "live": "live append (full range)"}
    for key, label in names.items():
        ok = "ok" if ours[key] <= GOAL_MS else "MISSED"
        print(f"{label:<26}{bare[key]:>19.1f}{ours[key]:>16.1f}{ours1[key]:>14.1f}"
              f"{'≤' + format(GOAL_MS, 'g'):>9}{bare[key] / ours[key]:>9.0f}× {ok}")
    raw = n * 2 * 8
    print(f"points per curve at the full range: {ours['points']} for {ours['columns']} px columns")
    print(f"memory per series for {args.days:g} days: app {ours['nbytes'] / 1e6:.1f} MB "
          f"(t, v {np.dtype(SERIES_DTYPE).name} + pyramid) vs two float64 arrays {raw / 1e6:.1f} MB; "
          f"× {args.series} series: {ours['nbytes'] * args.series / 1e9:.2f} GB vs "
          f"{raw * args.series / 1e9:.2f} GB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
