"""The headless commands: ``serve-demo`` and ``sync`` (no Qt at all)."""
from __future__ import annotations

import asyncio
import json
import logging
import signal
import sys
import threading
import time
from pathlib import Path

from ioc_desktop.config import DEMO_TOKEN
from ioc_desktop.feed.client import FeedClient, FeedState, FeedStatus
from ioc_desktop.plugin_api import load_plugins, topic_map
from ioc_desktop.store.writer import StoreWriter

log = logging.getLogger(__name__)


def _plugins_or_report():
    loaded = load_plugins()
    for lp in loaded:
        if lp.error:
            print(f"plugin {lp.name} disabled: {lp.error}", file=sys.stderr)
    return [lp.plugin for lp in loaded if lp.plugin]


def serve_demo(host: str, port: int, seed: int, rate: float, log_path: str | None,
               retain: int, preload: int, run_for: float | None) -> int:
    from ioc_desktop.demo.server import DemoBackend

    backend = DemoBackend(_plugins_or_report(), seed=seed, rate=rate, retain=retain,
                          log_path=log_path)
    n = backend.preload(preload) if preload else 0
    print(json.dumps({"listening": f"ws://{host}:{port or '?'}/feed", "epoch": backend.epoch,
                      "token": DEMO_TOKEN, "preloaded": n}), flush=True)

    async def main():
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        if run_for:
            loop.call_later(run_for, stop.set)
        task = asyncio.create_task(backend.run(host, port))
        while backend.port is None and not task.done():
            await asyncio.sleep(0.01)
        print(json.dumps({"port": backend.port}), flush=True)
        await stop.wait()
        backend._stopped.set()
        await task

    asyncio.run(main())
    return 0


def sync(server: str, token: str, cache: Path, run_for: float, quiet: bool = False) -> int:
    """Fill a cache from a backend for ``run_for`` seconds (preparing a laptop for offline)."""
    from ioc_desktop.protocol import check_feed_url
    try:
        check_feed_url(server)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    plugins = _plugins_or_report()
    topics = topic_map(plugins)
    writer = StoreWriter(cache, topics.values())
    if writer.recovered_from:
        print(f"cache was corrupt; moved aside to {writer.recovered_from}", file=sys.stderr)
    states: list[FeedState] = []
    went_live = threading.Event()
    unauthorised = threading.Event()

    def on_status(state: FeedState):
        states.append(state)
        if state.status == FeedStatus.LIVE:
            went_live.set()
        elif state.status == FeedStatus.UNAUTHORISED:
            unauthorised.set()
        if not quiet:
            print(f"[{time.strftime('%H:%M:%S')}] {state.status.value} {state.detail}",
                  file=sys.stderr, flush=True)

    client = FeedClient(server, token, writer, topics, on_status=on_status,
                        on_rotated=lambda p: print(f"backend log changed; old cache kept at {p}",
                                                   file=sys.stderr))
    client.start()
    deadline = time.monotonic() + run_for
    while time.monotonic() < deadline and not unauthorised.is_set():
        time.sleep(0.05)
    client.stop()
    writer.flush()
    cursors = writer.call(lambda s: s.cursors()).result()
    summary = {"server": server, "cache": str(cache), "cursors": cursors,
               "events": writer.events_committed, "rejected": client.counters.rejected,
               "duplicates": client.counters.duplicates, "gaps": client.counters.gaps,
               "status": states[-1].status.value if states else "none"}
    writer.close()
    print(json.dumps(summary, ensure_ascii=False))
    if unauthorised.is_set():
        print("not authorised: check --token", file=sys.stderr)
        return 3
    return 0 if went_live.is_set() else 4
