"""The two ways the demo backend runs, both wired by the composition root (``main.py``):

* :func:`serve_demo` — ``ioc-desktop serve-demo``: on its own, headless (no Qt at all),
  until stopped; main.py has checked every option before calling it.  What goes wrong
  at run time (a log SQLite can't open, a port in use) is told in one line on stderr in
  the user's language, as a :class:`~ioc_desktop.cli_messages.CliError`.
* :func:`start_embedded` — the app's default when it is given no ``--server``: started
  by the client's feed service on its start thread
  (``FeedService(embedded_backend=start_embedded)``), so the client's core never
  imports the demo backend.
"""
from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
from pathlib import Path

from ioc_desktop.cli_messages import (CANNOT_LISTEN, EXIT_FILE, EXIT_LISTEN, EXIT_OK, LOG_UNUSABLE,
                                      CliError)
from ioc_desktop.config import DEMO_TOKEN, ClientConfig
from ioc_desktop.headless import plugins_or_report, reason_of
from ioc_desktop.plugin_api import Plugin

from .server import DemoBackend


# ------------------------------------------------------------------------ serve-demo
def serve_demo(host: str, port: int, seed: int, rate: float, log_path: str | None,
               retain: int, preload: int, run_for: float | None) -> int:
    plugins = plugins_or_report()
    try:
        backend = DemoBackend(plugins, seed=seed, rate=rate, retain=retain, log_path=log_path)
    except (sqlite3.Error, OSError, ValueError) as exc:
        if log_path is None:
            raise
        # not SQLite, not writable, or written with another --seed
        raise CliError(EXIT_FILE, LOG_UNUSABLE, option="--log", path=log_path,
                       reason=reason_of(exc)) from None
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
        if task.done():                 # it could not listen (address in use, bad host)
            exc = task.exception()
            raise CliError(EXIT_LISTEN, CANNOT_LISTEN, host=host, port=port,
                           reason=reason_of(exc) if exc else "?")
        print(json.dumps({"port": backend.port}), flush=True)
        await stop.wait()
        backend._stopped.set()
        await task

    asyncio.run(main())
    return EXIT_OK


# ------------------------------------------------------------------------ embedded
def start_embedded(config: ClientConfig, plugins: list[Plugin]) -> DemoBackend:
    """The app's own backend on loopback (any free port), logged beside the cache."""
    # one log per seed: a log is the replay of one seed's simulation
    seed = config.seed
    log_path = Path(config.cache).with_name(
        "demo-backend-log.sqlite" if seed == 1 else f"demo-backend-log-seed{seed}.sqlite")
    backend = DemoBackend(plugins, seed=seed, rate=config.rate, log_path=log_path)
    backend.start_in_thread()
    return backend
