"""GUI-thread time per committed batch: every plugin's panels handed the same demo
batches, before the move to models (a revision from git, where each GUI computed its
figures and alarms itself) and now (the GUI applies the batch's rows and the models'
view deltas; models and rules run on the situation thread), in the same run.

    python bench/gui_thread.py [--before f4614c7] [--seconds 20]

Timed on the GUI thread, per batch: ``on_batch`` of every plugin GUI, plus what happens
at a slower pace amortised over the batches — the overview's ``kpis()`` once a second,
and (now) the view deltas, applied at most four times a second as the situation layer
sends them.  What the situation thread does is not counted here (see
bench/situation_cost.py).  The raw baseline is a dict update per event.

"before" runs in a subprocess on ``git archive <rev>`` of this repository (the same
Python, the same demo batches); without git history the row says so.
Goal: the GUI-thread time per batch at 20,000 events/s at most half of "before".
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchkit import archive

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
BATCHES_PER_S = 10
VIEWS_PER_S = 4
BEFORE = "f4614c7"        # the last revision whose GUIs computed figures and alarms


def probe(rate: int, seconds: float) -> dict:
    """Run in the tree first on sys.path: time the GUIs on the demo batches."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6 import QtWidgets

    from demo_batches import demo_batches, plugins
    from widgets.alarm_banner import AlarmBanner
    from widgets.plugin_gui import AppContext

    try:                                   # the situation layer's view functions, if any
        from ioc_desktop.situation import model_view, view_changes
    except ImportError:
        model_view = view_changes = None

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication([])
    per_batch = max(1, round(rate / BATCHES_PER_S))
    _initial, state, batches = demo_batches(per_batch, max(20, int(seconds * BATCHES_PER_S)))
    # no cache reader: queries (the reports queue) are dropped, in both revisions alike —
    # their work is on the reader thread anyway, not the GUI's
    context = AppContext(map=None, banner=AlarmBanner(), lang="en",
                         query=lambda sql, params, callback: None,
                         run_read=lambda fn, callback: None)
    guis, models, views = {}, {}, {}
    t0 = time.time()
    for plugin in plugins():
        gui = plugin.create_gui(context)
        if gui is None:
            continue
        gui.on_reset({t.name: state.get(t.name, {}) for t in plugin.topics})
        guis[plugin.name] = gui
        create_model = getattr(plugin, "create_model", None)
        model = create_model() if (create_model and model_view) else None
        if model is not None and plugin.topics:
            model.reset(state.get(plugin.topics[0].name, {}), now=t0)
            models[plugin.name] = (plugin.topics[0].name, model)
            gui.apply_view(model_view(model, t0) or {}, full=True)
    app.processEvents()

    raw, gui_time, per_plugin = 0.0, 0.0, {name: 0.0 for name in guis}
    pending: dict[str, dict] = {}
    sink: dict = {}
    views_every = max(1, BATCHES_PER_S // VIEWS_PER_S)
    for i, batch in enumerate(batches):
        now = t0 + i / BATCHES_PER_S
        s = time.perf_counter()
        for ch in batch.topics.values():
            for ev in ch.events:
                sink[ev.key] = ev.data
        raw += time.perf_counter() - s
        # the situation thread's share: not timed
        for name, (topic, model) in models.items():
            if topic in batch.topics:
                model.apply_changes(batch.topics[topic], now=now)
                view = model_view(model, now)
                if view is not None:
                    pending.setdefault(name, {}).update(view_changes(views.get(name), view))
                    views[name] = view
        for name, gui in guis.items():
            s = time.perf_counter()
            gui.on_batch(batch)
            if i % views_every == 0 and pending.get(name):
                gui.apply_view(pending.pop(name))
            if i % BATCHES_PER_S == 0:
                gui.kpis()
            spent = time.perf_counter() - s
            per_plugin[name] += spent
            gui_time += spent
        app.processEvents()
    n = len(batches)
    return {"batches": n, "per_batch": per_batch, "raw": raw / n, "gui": gui_time / n,
            "plugins": {k: v / n for k, v in per_plugin.items()}}


def run_probe(tree: Path, rate: int, seconds: float) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([str(tree), str(BENCH)]))
    proc = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--probe",
                           "--rate", str(rate), "--seconds", str(seconds)],
                          cwd=tree, env=env, capture_output=True, text=True, timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", default=BEFORE, help=f"the revision to compare (default {BEFORE})")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds of feed (default 20)")
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--rate", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        print(json.dumps(probe(args.rate, args.seconds)))
        return 0
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        old = archive(args.before, Path(tmp) / "before") if args.before else None
        for rate in (50, 20_000):
            now = run_probe(ROOT, rate, args.seconds)
            before = run_probe(old, rate, args.seconds) if old else None
            rows.append((rate, now, before))
    print(f"{'rate ev/s':>10}{'ev/batch':>9}{'raw µs':>9}{'before µs':>11}{'now µs':>9}"
          f"{'now/before':>12}{'goal':>8}")
    for rate, now, before in rows:
        b = f"{before['gui'] * 1e6:>11.0f}" if before else f"{'no git':>11}"
        ratio = f"{now['gui'] / before['gui']:>12.2f}" if before else f"{'—':>12}"
        print(f"{rate:>10,}{now['per_batch']:>9}{now['raw'] * 1e6:>9.0f}{b}"
              f"{now['gui'] * 1e6:>9.0f}{ratio}{'≤0.50':>8}")
    print("\nper plugin, µs per batch at 20,000 ev/s (before → now):")
    rate, now, before = rows[-1]
    for name, spent in sorted(now["plugins"].items(), key=lambda kv: -kv[1]):
        old = before["plugins"].get(name) if before else None
        print(f"  {name:<14}{'' if old is None else format(old * 1e6, '9.0f') + ' →'}"
              f"{spent * 1e6:9.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
