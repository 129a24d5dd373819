"""The situation layer's cost per committed batch: every plugin's model fed the batch,
its alarm rules evaluated by the engine, the changed views computed — what the
``ioc-situation`` thread does for each batch — at the demo rate and at 20,000 events/s,
next to raw baselines measured in the same run on the same batches.

    python bench/situation_cost.py [--seconds 20]

Rows, per scenario (the writer commits about ten batches a second under load; at the
demo rate of 50 events/s a batch holds about 5 events):
- raw: a dict update per event (the least any model must do with a batch);
- store commit: ``Store.apply`` of the same batch into a real SQLite file (what the
  batch already cost the writer thread before the situation layer saw it);
- situation layer: models + rules + views for the batch (mean and 99th percentile);
- with the journal: the same plus writing the transitions and changed alarms to the
  cache (``alarms``/``alarm_events``), as the service hands them to the writer.
The share of one core is the situation layer's time per second of feed at that rate.
Goal: under 10 % of one core at 20,000 events/s, and well under a millisecond per batch
at the demo rate.
"""
from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from demo_batches import demo_batches, plugins  # noqa: E402
from ioc_desktop.alarms import AlarmEngine, journal  # noqa: E402
from ioc_desktop.plugin_api import topic_map  # noqa: E402
from ioc_desktop.situation import evaluate_model, model_view, view_changes  # noqa: E402
from ioc_desktop.store.store import Store  # noqa: E402

BATCHES_PER_S = 10
GOAL_SHARE = 0.10


class Situation:
    """The service's per-batch work, without its thread (same functions it calls)."""

    def __init__(self, state, now):
        self.engine = AlarmEngine()
        self.models = {}
        for plugin in plugins():
            model = plugin.create_model()
            if model is None or not plugin.topics:
                continue
            self.engine.add_rules(plugin.name, plugin.alarm_rules())
            model.reset(state.get(plugin.topics[0].name, {}), now=now)
            self.models[plugin.name] = (plugin.topics[0].name, model)
        self.views = {}

    def batch(self, batch, now):
        transitions = []
        for name, (topic, model) in self.models.items():
            changes = batch.topics.get(topic)
            if changes is None:
                continue
            model.apply_changes(changes, now=now)
            transitions += evaluate_model(self.engine, name, model, now)
            view = model_view(model, now)
            if view is not None:
                view_changes(self.views.get(name), view)
                self.views[name] = view
        return transitions, self.engine.take_changed()


def percentile(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]


def scenario(label, rate, seconds, tmp: Path):
    per_batch = max(1, round(rate / BATCHES_PER_S))
    n = max(20, int(seconds * BATCHES_PER_S))
    initial, state, batches = demo_batches(per_batch, n)
    t0 = time.time()

    # raw baseline: a dict update per event
    raw = []
    sink: dict = {}
    for b in batches:
        s = time.perf_counter()
        for ch in b.topics.values():
            for ev in ch.events:
                sink[ev.key] = ev.data
        raw.append(time.perf_counter() - s)

    # the store's commit of the same batches
    store = Store(tmp / f"{label}.sqlite", list(topic_map(plugins()).values()))
    store.apply(initial)
    commits = []
    for b in batches:
        records = [ev for ch in b.topics.values() for ev in ch.events]
        s = time.perf_counter()
        committed = store.apply(records)
        commits.append(time.perf_counter() - s)
        assert sum(len(ch.events) for ch in committed.topics.values()) == len(records), \
            "the store refused events of the benchmark's batches"

    situation = Situation(state, t0)
    conn = sqlite3.connect(tmp / f"{label}-journal.sqlite")
    journal.ensure_schema(conn)
    costs, with_journal, raised = [], [], 0
    for i, b in enumerate(batches):
        now = t0 + i / BATCHES_PER_S
        s = time.perf_counter()
        transitions, changed = situation.batch(b, now)
        mid = time.perf_counter()
        with conn:
            journal.record(conn, transitions, changed)
        end = time.perf_counter()
        costs.append(mid - s)
        with_journal.append(end - s)
        raised += sum(1 for t in transitions if t.event == "raise")
    conn.close()
    events = sum(len(ch.events) for b in batches for ch in b.topics.values())
    return {"label": label, "rate": rate, "batch": per_batch, "batches": len(batches),
            "events": events, "raw": statistics.mean(raw), "commit": statistics.mean(commits),
            "mean": statistics.mean(costs), "p99": percentile(costs, 0.99),
            "journal": statistics.mean(with_journal), "raised": raised,
            "alarms": len(situation.engine.alarms())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=20.0,
                        help="seconds of feed simulated per scenario (default 20)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        rows = [scenario("demo", 50, args.seconds, Path(tmp)),
                scenario("20k", 20_000, args.seconds, Path(tmp))]
    print(f"{'scenario':<18}{'ev/batch':>9}{'batches':>9}{'raw µs':>10}{'commit µs':>11}"
          f"{'situation µs':>14}{'p99 µs':>10}{'+journal µs':>13}{'core %':>8}{'goal':>8}")
    for r in rows:
        share = r["journal"] * BATCHES_PER_S
        goal = f"<{GOAL_SHARE:.0%}"
        print(f"{r['label'] + ' ' + format(r['rate'], ',') + ' ev/s':<18}{r['batch']:>9}"
              f"{r['batches']:>9}{r['raw'] * 1e6:>10.0f}{r['commit'] * 1e6:>11.0f}"
              f"{r['mean'] * 1e6:>14.0f}{r['p99'] * 1e6:>10.0f}{r['journal'] * 1e6:>13.0f}"
              f"{share:>8.1%}{goal:>8}")
    for r in rows:
        print(f"{r['label']}: {r['events']} events, {r['raised']} alarms raised, "
              f"{r['alarms']} alarms held by the engine at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
