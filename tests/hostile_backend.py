"""A hostile backend on loopback: a real websockets server that speaks just enough of
PROTOCOL.md (welcome, subscribe/resume) to push a scripted stream of frames — valid
events of the `ticks` topic mixed with every kind of bad frame — at the feed client.

Used by tests/test_feed_hostile.py (a few thousand frames) and by tests/fuzz_feed.py
(the full 100,000, by hand: ``python tests/fuzz_feed.py --frames 100000``).

Every hostile frame that can carry text carries a unique marker ``H<n>``, so a test can
check that each one is in the cache's ``rejected`` table exactly once; the oversize
frames (refused before they are read) are counted by their reason instead.
"""
from __future__ import annotations

import asyncio
import collections
import random
import re
import threading
from dataclasses import dataclass, field

import orjson
from websockets.asyncio.server import serve
from websockets.exceptions import ConnectionClosed

TOPIC = "ticks"
OVERSIZE = 1024 * 1024 + 100
MARKER = re.compile(r"H\d{7}")


@dataclass
class Entry:
    frame: bytes                       # as sent (a text frame, unless binary)
    seq: int | None = None             # the seq it takes (valid or sound envelope)
    marker: str | None = None          # hostile: its marker, found in `rejected.raw`
    valid: dict | None = None          # valid event: its data, stored byte-identical
    key: str | None = None
    binary: bool = False
    oversize: bool = False


def _ev(seq, key, data, marker=None) -> dict:
    head = {"marker": marker} if marker else {}     # first: a cut frame still shows it
    return {**head, "type": "event", "topic": TOPIC, "seq": seq,
            "time": "2026-01-01T00:00:00+07:00", "op": "upsert", "key": key, "data": data}


def _deep(levels: int) -> str:
    return "[" * levels + "]" * levels


@dataclass
class Script:
    """The stream: ``make(n)`` frames, deterministic per seed."""

    seed: int = 1
    oversize_every: int = 0            # 0: a few oversize frames in all
    entries: list[Entry] = field(default_factory=list)
    seq: int = 0
    n_marker: int = 0

    def _marker(self) -> str:
        self.n_marker += 1
        return f"H{self.n_marker:07d}"

    def _valid(self, rng: random.Random) -> Entry:
        self.seq += 1
        key = f"k{rng.randrange(50)}"
        name = rng.choice([key, key + " '); DROP TABLE events; --", key + " \u202eRTL\u202c",
                           key + " zero\u200bwidth\ufeff", key + " Huế ĐƯỢC PHÉP"])
        data = {"name": name[:200], "n": self.seq}
        if rng.random() < 0.002:
            data["blob"] = "x" * 900_000             # a 900 KB string in a valid event
        if rng.random() < 0.05:
            data["extra"] = {"nested": [[[{"ok": True}]]], "sql": "1 OR 1=1"}
        return Entry(orjson.dumps(_ev(self.seq, key, data)), self.seq, valid=data, key=key)

    def _hostile(self, rng: random.Random, kind: str) -> Entry:
        m = self._marker()
        if kind == "truncated":
            text = orjson.dumps(_ev(self.seq + 1, "k1", {"name": "k1", "n": 1}, marker=m))
            return Entry(text[:rng.randrange(22, len(text) - 1)], marker=m)
        if kind == "nan":
            return Entry(b'{"type":"event","marker":"%s","topic":"ticks","seq":1,"data":{"n":NaN}}'
                         % m.encode(), marker=m)
        if kind == "infinity":
            return Entry(b'{"marker":"%s","type":"event","n":Infinity}' % m.encode(), marker=m)
        if kind == "deep":
            return Entry(('{"marker":"%s","a":' % m + _deep(10_000) + "}").encode(), marker=m)
        if kind == "array":
            return Entry(orjson.dumps([m, 1, 2]), marker=m)
        if kind == "string":
            return Entry(orjson.dumps(m), marker=m)
        if kind == "utf8":
            return Entry(b'{"marker":"%s","type":"event","x":"\xff\xfe\xc3"}' % m.encode(), marker=m)
        if kind == "empty":
            return Entry(b"", marker=None)
        if kind == "binary":
            return Entry(orjson.dumps({"marker": m, "type": "event"}), marker=m, binary=True)
        if kind == "seq0":
            return Entry(orjson.dumps(_ev(0, "k1", {"name": "k1", "n": 1}, marker=m)), marker=m)
        if kind == "seqneg":
            return Entry(orjson.dumps(_ev(-5, "k1", {"name": "k1", "n": 1}, marker=m)), marker=m)
        if kind == "seqhuge":
            return Entry(orjson.dumps(_ev(2 ** 60, "k1", {"name": "k1", "n": 1}, marker=m)), marker=m)
        if kind == "notype":
            return Entry(orjson.dumps({"marker": m, "topic": TOPIC}), marker=m)
        if kind == "unknown_topic":
            return Entry(orjson.dumps({**_ev(1, "k", {}), "topic": "nope", "marker": m}), marker=m)
        if kind == "batch_not_list":
            return Entry(orjson.dumps({"type": "events", "topic": TOPIC, "events": m}), marker=m)
        if kind == "snapshot_bad":
            return Entry(orjson.dumps({"type": "snapshot", "topic": TOPIC, "seq": self.seq,
                                       "items": m}), marker=m)
        if kind == "oversize":
            return Entry(b'{"type":"event","pad":"' + b"x" * OVERSIZE + b'"}', oversize=True)
        # ---- sound envelope, bad content: the seq is taken, the event refused
        self.seq += 1
        seq = self.seq
        if kind == "bad_type":
            data = {"name": 12345, "n": 1, "marker": m}
        elif kind == "out_of_range":
            data = {"name": "k1", "n": -1, "marker": m}
        elif kind == "sql_huge":
            data = {"name": "x" * 900_000 + "'; DROP TABLE rejected; --", "n": 1, "marker": m}
        elif kind == "year1":
            ev = _ev(seq, "k1", {"name": "k1", "n": 1}, marker=m)
            ev["time"] = "0001-01-01T00:00:00+14:00"     # valid RFC 3339, but no UTC for it
            return Entry(orjson.dumps(ev), seq, marker=m)
        elif kind == "deep_unknown_field":
            # valid but for an unknown field nested 300 deep: more than can be stored
            return Entry(orjson.dumps(_ev(seq, "k1", {"name": "k1", "n": 1}, marker=m))[:-2]
                         + b',"deep":' + _deep(300).encode() + b"}}", seq, marker=m)
        elif kind == "batch_deep_invalid":
            item = b'{"seq":%d,"op":"upsert","key":"k1","time":null,"data":{"name":7,"marker":"%s","d":%s}}' % (
                seq, m.encode(), _deep(400).encode())
            return Entry(b'{"type":"events","topic":"ticks","events":[' + item + b"]}", seq, marker=m)
        elif kind == "bad_op":
            ev = _ev(seq, "k1", {"name": "k1", "n": 1}, marker=m)
            ev["op"] = "explode"
            return Entry(orjson.dumps(ev), seq, marker=m)
        else:
            raise ValueError(kind)
        return Entry(orjson.dumps(_ev(seq, "k1", data, marker=m)), seq, marker=m)

    KINDS = ("truncated", "nan", "infinity", "deep", "array", "string", "utf8", "empty",
             "binary", "seq0", "seqneg", "seqhuge", "notype", "unknown_topic", "batch_not_list",
             "snapshot_bad", "bad_type", "out_of_range", "sql_huge", "year1", "deep_unknown_field",
             "batch_deep_invalid", "bad_op")

    def make(self, n: int, hostile_share: float = 0.3, oversize: int = 3) -> list[Entry]:
        rng = random.Random(self.seed)
        oversize_at = set(rng.sample(range(n // 10, n), oversize)) if oversize else set()
        kinds = list(self.KINDS)
        i = 0
        while len(self.entries) < n:
            if len(self.entries) in oversize_at:
                self.entries.append(self._hostile(rng, "oversize"))
            elif rng.random() < hostile_share:
                kind = kinds[i % len(kinds)]       # every kind, in turn
                i += 1
                self.entries.append(self._hostile(rng, kind))
            else:
                self.entries.append(self._valid(rng))
        return self.entries


class HostileBackend:
    """Serves a Script.  Resume: a new session starts at the first entry whose seq is
    above the client's ``after``, skipping seq-less frames it already sent (so every
    hostile frame reaches the client once)."""

    def __init__(self, entries: list[Entry], *, epoch: str = "hostile#1"):
        self.entries = entries
        self.epoch = epoch
        self.sent_upto = -1            # index of the newest entry sent so far
        self.sessions = 0
        self.port: int | None = None
        self._loop = None
        self._stop = None
        self._thread: threading.Thread | None = None
        self.done = threading.Event()   # the whole script was sent

    async def _handler(self, ws) -> None:
        self.sessions += 1
        try:
            await ws.recv()              # hello
            await ws.send(orjson.dumps({"type": "welcome", "protocol": 1, "server": "hostile",
                                        "epoch": self.epoch, "user": {"name": "x", "roles": []}}).decode())
            sub = orjson.loads(await ws.recv())
            after = sub["topics"].get(TOPIC, {}).get("after", 0)
            start = next((i for i, e in enumerate(self.entries) if e.seq is not None and e.seq > after),
                         len(self.entries))
            start = min(start, self.sent_upto + 1)
            for i in range(start, len(self.entries)):
                e = self.entries[i]
                if i <= self.sent_upto and e.seq is None:
                    continue              # seq-less and already sent once
                if e.binary:
                    await ws.send(e.frame)
                else:
                    await ws.send(e.frame, text=True)
                self.sent_upto = max(self.sent_upto, i)
                if e.oversize:
                    await ws.wait_closed()     # the client closes (1009)
                    return
                if i % 200 == 0:
                    await asyncio.sleep(0)
            self.done.set()
            await ws.wait_closed()
        except ConnectionClosed:
            pass

    async def _run(self, ready: threading.Event) -> None:
        self._loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        async with serve(self._handler, "127.0.0.1", 0, max_size=2 ** 22, compression=None) as server:
            self.port = server.sockets[0].getsockname()[1]
            ready.set()
            await self._stop.wait()

    def start(self) -> str:
        ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._run(ready)), daemon=True)
        self._thread.start()
        ready.wait(10)
        return f"ws://127.0.0.1:{self.port}/feed"

    def stop(self) -> None:
        if self._loop and self._stop:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread:
            self._thread.join(10)


# --------------------------------------------------------------------------- a fuzz run
def fuzz(cache, n: int, *, seed: int = 1, oversize: int = 3, timeout: float = 600) -> dict:
    """Run a FeedClient into ``cache`` against a HostileBackend serving ``n`` frames;
    returns what :func:`check_cache` found (``problems`` empty: all well)."""
    import time

    from feedkit import TicksPlugin, wait_for
    from ioc_desktop.feed.client import Backoff, FeedClient
    from ioc_desktop.plugin_api import topic_map
    from ioc_desktop.store.writer import StoreWriter

    entries = Script(seed=seed).make(n, oversize=oversize)
    backend = HostileBackend(entries)
    url = backend.start()
    topics = topic_map([TicksPlugin()])
    writer = StoreWriter(cache, topics.values())
    client = FeedClient(url, "t", writer, topics, backoff=Backoff(base=0.05, cap=0.3))
    started = time.monotonic()
    client.start()
    alive = True
    last_seq = max((e.seq for e in entries if e.seq), default=0)
    try:
        def finished():
            nonlocal alive
            alive = alive and client.worker.is_alive()
            return backend.done.is_set() and writer.call(
                lambda s: s.cursors().get(TOPIC, 0)).result(30) >= last_seq
        wait_for(finished, timeout, interval=0.2, what="the whole script to be stored")
        writer.flush()
        # the last seq-less frames may still be on their way: wait for their records
        expected = sum(1 for e in entries if e.marker or e.oversize or not e.frame)
        wait_for(lambda: writer.call(lambda s: s.conn.execute(
            "SELECT count(*) FROM rejected").fetchone()[0]).result(30) >= expected,
            30, what="every refusal to be recorded")
    finally:
        elapsed = time.monotonic() - started
        alive = alive and client.worker.is_alive()
        client.stop()
        writer.close()
        backend.stop()
    report = check_cache(cache, entries)
    report.update(frames=len(entries), seconds=round(elapsed, 1), sessions=backend.sessions,
                  client_alive=alive, internal_errors=client.counters.internal_errors)
    if not alive:
        report["problems"].append("the feed thread died")
    return report


def check_cache(cache, entries: list[Entry]) -> dict:
    import sqlite3

    problems: list[str] = []
    conn = sqlite3.connect(cache)
    try:
        stored = {seq: data for seq, data in conn.execute(
            "SELECT seq, data FROM events WHERE topic = ? ORDER BY seq", (TOPIC,))}
        valid = {e.seq: e for e in entries if e.valid is not None}
        if set(stored) != set(valid):
            problems.append(f"stored seqs differ from the valid ones: "
                            f"{sorted(set(stored) ^ set(valid))[:10]}")
        for seq, e in valid.items():
            if seq in stored and stored[seq] != orjson.dumps(e.valid).decode():
                problems.append(f"seq {seq} not stored byte-identical")
                break
        rows = conn.execute("SELECT reason, raw, seq FROM rejected").fetchall()
        # how many refusals show each marker (a row may show its marker twice)
        shown = collections.Counter(m for _, raw, _ in rows for m in set(MARKER.findall(raw or "")))
        for e in entries:
            if e.marker and shown[e.marker] != 1:
                problems.append(f"{e.marker} ({e.frame[:60]!r}) recorded {shown[e.marker]} times")
            if e.seq is not None and e.valid is None:
                if not any(s == e.seq for _, _, s in rows):
                    problems.append(f"hostile seq {e.seq} not recorded with its seq")
        n_empty = sum(1 for e in entries if not e.frame)
        n_over = sum(1 for e in entries if e.oversize)
        if sum(1 for reason, _, _ in rows if reason == "empty frame") != n_empty:
            problems.append("empty frames not recorded exactly once each")
        if sum(1 for reason, _, _ in rows if "1009" in reason) != n_over:
            problems.append("oversize frames not recorded exactly once each")
        hostile = sum(1 for e in entries if e.valid is None)
        if len(rows) != hostile:
            problems.append(f"{len(rows)} refusals recorded for {hostile} hostile frames")
        cursor = conn.execute("SELECT seq FROM cursors WHERE topic = ?", (TOPIC,)).fetchone()
        last = max((e.seq for e in entries if e.seq), default=0)
        if (cursor[0] if cursor else 0) != last:
            problems.append(f"cursor {cursor} is not the last seq {last}")
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        if integrity != "ok":
            problems.append(f"integrity_check: {integrity}")
    finally:
        conn.close()
    return {"problems": problems, "valid_events": len(valid), "refused": len(rows)}
