"""A tiny service for feed tests: one topic `ticks`, a counter per key.

Kept apart from the real plugins so that protocol tests don't move when a service's
rules change.
"""
from __future__ import annotations

import random
import socket
import time
from datetime import datetime

from ioc_desktop.plugin_api import Plugin, SimEvent, Simulator, TopicSpec, as_number, as_str


def _validate(data: dict) -> dict:
    as_str(data, "name", max_len=200)
    as_number(data, "n", lo=0)
    return data


TICKS = TopicSpec(name="ticks", key_field="name", validate=_validate,
                  columns={"name": str, "n": float},
                  to_row=lambda key, d: {"name": d["name"], "n": d["n"]})


class TickSim(Simulator):
    def __init__(self):
        self.n = 0

    def start(self, rng: random.Random, now: datetime):
        return [SimEvent("ticks", f"k{i}", {"name": f"k{i}", "n": 0}) for i in range(5)]

    def step(self, rng, now, budget):
        out = []
        for _ in range(budget):
            self.n += 1
            k = f"k{rng.randrange(20)}"
            out.append(SimEvent("ticks", k, {"name": k, "n": self.n}))
        return out


class TicksPlugin(Plugin):
    name = "ticks"
    title = "Ticks"
    topics = [TICKS]

    def simulator(self):
        return TickSim()


def wait_for(pred, timeout=10.0, interval=0.02, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if pred():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
