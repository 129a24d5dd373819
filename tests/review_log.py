"""A recorded demo log for the review tests: the demo backend's simulators run ahead
(no network, no wall clock), their events grouped in frames as the feed delivers them,
each frame stamped with a ``received_at`` on a fixed, made-up clock (2023: a fixed
epoch, not "recent").  A few deletes and a resync snapshot are mixed in, so a replay
must handle every op."""
from __future__ import annotations

import json
import random

from demo_backend.server import DemoBackend
from ioc_desktop.plugin_api import load_plugins, topic_map
from ioc_desktop.store.batch import EventRecord

T0 = 1_690_000_000.0     # 2023-07-22, a fixed clock


def plugins():
    return [lp.plugin for lp in load_plugins() if lp.plugin is not None]


def recorded_log(n_events: int, *, seed: int = 3, frame: int = 25, spacing_s: float = 1.0,
                 start: float = T0) -> list[tuple[float, list[EventRecord]]]:
    """``[(received_at, records)]`` in the order a client receives them."""
    backend = DemoBackend(plugins(), seed=seed, rate=0)
    specs = topic_map(plugins())
    backend.retain = 10 ** 9
    backend.preload(n_events, per_step=frame)
    records = []
    for name, tl in backend.topics.items():
        for frame_text in tl.frames:
            msg = json.loads(frame_text)
            data = msg.get("data")
            if msg["op"] == "upsert":
                data = specs[name].validate(data)
            records.append(EventRecord(name, msg["seq"], msg["time"], msg["op"], msg["key"], data))
    records.sort(key=lambda r: (r.time or "", r.topic, r.seq))
    rng = random.Random(seed)
    # renumber per topic after mixing in deletes and one snapshot per topic
    out: list[EventRecord] = []
    seqs: dict[str, int] = {}
    known: dict[str, dict[str, object]] = {}
    for i, r in enumerate(records):
        state = known.setdefault(r.topic, {})
        if state and rng.random() < 0.01:
            key = rng.choice(sorted(state))
            state.pop(key)
            seqs[r.topic] = seqs.get(r.topic, 0) + 1
            out.append(EventRecord(r.topic, seqs[r.topic], r.time, "delete", key, None))
        if i == len(records) // 2 and state:
            keep = dict(list(sorted(state.items()))[: max(1, len(state) // 2)])
            known[r.topic] = state = dict(keep)
            seqs[r.topic] = seqs.get(r.topic, 0) + 1
            out.append(EventRecord(r.topic, seqs[r.topic], r.time, "snapshot", None,
                                   [{"key": k, "data": d} for k, d in keep.items()]))
        seqs[r.topic] = seqs.get(r.topic, 0) + 1
        if r.op == "upsert":
            state[r.key] = r.data
        elif r.op == "delete":
            state.pop(r.key, None)
        out.append(EventRecord(r.topic, seqs[r.topic], r.time, r.op, r.key, r.data))
    frames = []
    for i in range(0, len(out), frame):
        at = start + len(frames) * spacing_s
        recs = out[i:i + frame]
        for r in recs:
            r.received_at = at
        frames.append((at, recs))
    return frames
