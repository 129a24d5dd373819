"""Committed batches as the app receives them, made from the demo backend's simulators
(shared by the situation and GUI-thread benchmarks; it uses only APIs that the older
revisions the GUI benchmark compares against also have).

``demo_batches(events_per_batch, n_batches)`` returns ``(initial, state, batches)``: the
backend's first step as records (a fresh cache takes these first: the feed has no gap),
the state every topic starts from, and ``CommittedBatch`` es of validated
``EventRecord`` s with coalesced upserts, as the store writer hands them out.
"""
from __future__ import annotations

import json

from demo_backend.server import DemoBackend
from ioc_desktop.plugin_api import load_plugins, topic_map
from ioc_desktop.store.batch import CommittedBatch, EventRecord, TopicChanges


def plugins():
    return [lp.plugin for lp in load_plugins() if lp.plugin is not None]


def demo_batches(events_per_batch: int, n_batches: int, *, seed: int = 7):
    backend = DemoBackend(plugins(), seed=seed, rate=0)
    specs = topic_map(plugins())
    start = {name: len(tl.frames) for name, tl in backend.topics.items()}
    state = {name: {k: specs[name].validate(d) for k, d in tl.state.items()}
             for name, tl in backend.topics.items()}
    backend.retain = 10 ** 9
    backend.preload(events_per_batch * n_batches, per_step=events_per_batch)
    initial: list[EventRecord] = []
    records: list[EventRecord] = []
    for name, tl in backend.topics.items():
        for i, frame in enumerate(tl.frames):
            msg = json.loads(frame)
            data = msg.get("data")
            if msg["op"] == "upsert":
                data = specs[name].validate(data)
            (initial if i < start[name] else records).append(
                EventRecord(name, msg["seq"], msg["time"], msg["op"], msg["key"], data))
    # the simulators interleave topics within a step: order by step as the feed would
    records.sort(key=lambda r: (r.time or "", r.topic, r.seq))
    batches = []
    for i in range(0, len(records), events_per_batch):
        batch = CommittedBatch(commit_id=len(batches) + 1)
        for r in records[i:i + events_per_batch]:
            ch = batch.topics.setdefault(r.topic, TopicChanges())
            ch.events.append(r)
            ch.last_seq = r.seq
            if r.op == "upsert":
                ch.upserts[r.key] = r.data
                ch.deletes.discard(r.key)
            else:
                ch.upserts.pop(r.key, None)
                ch.deletes.add(r.key)
        batches.append(batch)
    return initial, state, batches
