"""Feed throughput: events/s from the demo server into the committed cache, end to end,
next to raw baselines measured in the same run on the same events.

    python bench/feed_throughput.py [--events 200000]

Rows:
- raw websockets receive: a bare websockets client receiving the same frames (no
  decoding, no validation, no disk): the ceiling the network layer allows;
- raw sqlite3.executemany: the same event rows inserted in one transaction into a bare
  table with the same primary key: the ceiling the disk layer allows;
- decode + validate, Store.apply: the client's two stages alone, in-process (also the
  client's own frame handler on batch frames, and Store.apply at the writer's batch size);
- in-process pipeline: FeedClient's frame handler on one thread feeding the real
  StoreWriter, no network and no server: the two stages sharing the GIL;
- end to end: the real FeedClient + StoreWriter with the real plugins, from subscribe
  to the last event committed; once with the batch extension, once with one frame per
  event (protocol v1 as other backends speak it), both decoding in the client's
  decoding process (ioc_desktop.feed.decoder, its default); and once more batched with
  the frames decoded on the feed thread (``decoder="thread"``).  The client sets the
  collector's thresholds for a feed when it starts (ioc_desktop.gcpolicy): every
  row after the first end-to-end one runs with them.

bench/ingest.py is the benchmark of record for the end-to-end rate (fresh processes,
median of runs, the committed code in the same run); this one shows the stages.
"""
from __future__ import annotations

import argparse
import asyncio
import gc
import itertools
import json
import os
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ioc_desktop import protocol  # noqa: E402
from ioc_desktop.config import DEMO_TOKEN  # noqa: E402
from ioc_desktop.feed.client import FeedClient, FeedStatus  # noqa: E402
from ioc_desktop.plugin_api import load_plugins, topic_map  # noqa: E402
from ioc_desktop.store.batch import EventRecord  # noqa: E402
from ioc_desktop.store.store import Store  # noqa: E402
from ioc_desktop.store.writer import StoreWriter  # noqa: E402

from benchkit import insert_rows_raw, start_preloaded_server as start_server  # noqa: E402


async def raw_receive(url: str, total: int, batches: bool) -> float:
    from websockets.asyncio.client import connect
    async with connect(url, additional_headers={"Authorization": f"Bearer {DEMO_TOKEN}"},
                       max_size=protocol.MAX_FRAME_BYTES, compression=None) as ws:
        await ws.send(protocol.hello((protocol.BATCH_EXTENSION,) if batches else ()))
        welcome = json.loads(await ws.recv())
        topics = {t: 0 for t in TOPICS}
        start = time.perf_counter()
        await ws.send(protocol.subscribe(topics))
        got = 0
        while got < total:
            frame = await ws.recv()
            got += frame.count('"type":"event"')
        return time.perf_counter() - start


def end_to_end(url: str, total: int, batches: bool, cache: Path, decoder: str = "auto") -> float:
    writer = StoreWriter(cache, TOPICS.values())
    done = threading.Event()
    committed = [0]

    def on_commit(batch):
        committed[0] += sum(len(ch.events) for ch in batch.topics.values())
        if committed[0] >= total:
            done.set()

    writer.add_listener(on_commit)
    client = FeedClient(url, DEMO_TOKEN, writer, TOPICS, accept_batches=batches, decoder=decoder)
    start = time.perf_counter()
    client.start()
    if not done.wait(600):
        raise RuntimeError(f"only {committed[0]} of {total} events committed")
    elapsed = time.perf_counter() - start
    client.stop()
    assert client.counters.rejected == 0, client.counters
    writer.close()
    return elapsed


def read_log(log_path: Path) -> list[tuple]:
    conn = sqlite3.connect(log_path)
    rows = conn.execute("SELECT topic, seq, frame FROM events ORDER BY topic, seq").fetchall()
    conn.close()
    return rows


def decode_validate(frames: list[str]) -> tuple[float, list[EventRecord]]:
    start = time.perf_counter()
    out = []
    for text in frames:
        msg = protocol.decode(text)
        topic, seq = protocol.event_envelope(msg)
        op, key, when, data = protocol.event_body(msg, topic, seq)
        if op == "upsert":     # as the client: deletes carry no data to validate
            data = TOPICS[topic].validate(data)
        out.append(EventRecord(topic, seq, when, op, key, data if op == "upsert" else None, 0.0))
    return time.perf_counter() - start, out


def store_apply(records: list[EventRecord], path: Path, batch: int = 5000) -> float:
    store = Store(path, TOPICS.values())
    start = time.perf_counter()
    for i in range(0, len(records), batch):
        store.apply(records[i:i + batch])
    elapsed = time.perf_counter() - start
    store.close()
    return elapsed


def batch_frames(log_rows: list[tuple], per_frame: int = 1000) -> list[str]:
    """The log as ``events`` frames of one topic each (the shape the demo server sends)."""
    out = []
    for topic, group in itertools.groupby(log_rows, key=lambda r: r[0]):
        texts = [r[2] for r in group]
        for i in range(0, len(texts), per_frame):
            out.append('{"type":"events","topic":' + json.dumps(topic) + ',"events":['
                       + ",".join(texts[i:i + per_frame]) + "]}")
    return out


class _Collect:
    """A stand-in writer for the client stage alone."""

    def __init__(self):
        self.items = []

    def submit(self, items):
        self.items.extend(items)


def _client(writer) -> FeedClient:
    client = FeedClient("ws://127.0.0.1:9/feed", DEMO_TOKEN, writer, TOPICS)
    client._frames.begin({t: 0 for t in TOPICS}, TOPICS)   # as after subscribing from nothing
    return client


def client_handle(frames: list[str]) -> float:
    """The client's own frame handler (FeedClient._handle) on batch frames."""
    client = _client(_Collect())
    start = time.perf_counter()
    for text in frames:
        client._handle(text)
    elapsed = time.perf_counter() - start
    assert client.counters.rejected == 0, client.counters
    return elapsed


def pipeline(frames: list[str], total: int, cache: Path) -> float:
    """Frame handler on one thread, the real StoreWriter on its own: no network."""
    writer = StoreWriter(cache, TOPICS.values())
    done = threading.Event()
    committed = [0]

    def on_commit(batch):
        committed[0] += sum(len(ch.events) for ch in batch.topics.values())
        if committed[0] >= total:
            done.set()

    writer.add_listener(on_commit)
    client = _client(writer)

    def net():
        for text in frames:
            items = client._handle(text)
            if items:
                writer.submit(items)

    start = time.perf_counter()
    thread = threading.Thread(target=net)
    thread.start()
    if not done.wait(600):
        raise RuntimeError(f"only {committed[0]} of {total} events committed")
    elapsed = time.perf_counter() - start
    thread.join()
    writer.close()
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ioc-bench-"))
    proc, port, total = start_server(args.events, tmp / "server-log.sqlite")
    url = f"ws://127.0.0.1:{port}/feed"
    results: list[tuple[str, float, str]] = []
    try:
        log_rows = read_log(tmp / "server-log.sqlite")
        frames = [r[2] for r in log_rows]
        per_topic: dict[str, int] = {}
        for t, *_ in log_rows:
            per_topic[t] = per_topic.get(t, 0) + 1
        print(f"{total} events in the server's log: {per_topic}", flush=True)

        t = asyncio.run(raw_receive(url, total, batches=True))
        results.append(("raw websockets receive, batched frames", total / t, "baseline: network ceiling"))
        t = asyncio.run(raw_receive(url, total, batches=False))
        results.append(("raw websockets receive, one frame per event", total / t, "baseline"))
        rows = []
        for text in frames:
            m = json.loads(text)
            rows.append((m["topic"], m["seq"], m.get("time"), m["op"], m["key"],
                         json.dumps(m.get("data"), ensure_ascii=False, separators=(",", ":")), 0.0))
        t = insert_rows_raw(rows, tmp / "raw.sqlite")
        results.append(("raw sqlite3.executemany, one transaction", total / t, "baseline: disk ceiling"))
        t, records = decode_validate(frames)
        results.append(("client stage: decode + validate", total / t, "in-process"))
        t = client_handle(batch_frames(log_rows))
        results.append(("client stage: FeedClient frame handler, batch frames", total / t,
                        "in-process"))
        t = store_apply(records, tmp / "apply.sqlite")
        results.append(("client stage: Store.apply (log + state), 5k/tx", total / t, "in-process"))
        t = store_apply(records, tmp / "apply20k.sqlite", batch=20_000)
        results.append(("client stage: Store.apply (log + state), 20k/tx", total / t,
                        "in-process (the writer's MAX_BATCH)"))
        del records
        t = pipeline(batch_frames(log_rows), total, tmp / "pipeline.sqlite")
        results.append(("pipeline: frame handler thread -> StoreWriter", total / t,
                        "in-process, no network"))
        t = end_to_end(url, total, True, tmp / "e2e-batched.sqlite")
        results.append(("END TO END, batched frames (events-batch)", total / t, "goal >= 50,000"))
        t = end_to_end(url, total, False, tmp / "e2e-plain.sqlite")
        results.append(("END TO END, one frame per event (plain v1)", total / t, "goal >= 50,000"))
        t = end_to_end(url, total, True, tmp / "e2e-batched-thread.sqlite", decoder="thread")
        results.append(("END TO END, batched, decoding on the feed thread", total / t,
                        f"gc thresholds {gc.get_threshold()}"))
    finally:
        proc.terminate()
        proc.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)
    width = max(len(r[0]) for r in results)
    print()
    print(f"{'measure':<{width}}  {'events/s':>10}  note")
    print(f"{'-' * width}  {'-' * 10}  ----")
    for name, rate, note in results:
        print(f"{name:<{width}}  {rate:>10,.0f}  {note}")
    print(f"\n{total} events, {os.cpu_count()} cores, Python {sys.version.split()[0]}")
    return 0


TOPICS = topic_map(load_plugins())

if __name__ == "__main__":
    sys.exit(main())
