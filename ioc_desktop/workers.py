"""Worker threads that can die visibly and be started again (no Qt).

Every long-lived thread of the client (feed, store writer, cache reader, media) runs in
a :class:`Worker`.  A worker that ends without being asked to — an exception nobody
caught, a bug — keeps the reason in :attr:`Worker.failure`; a :class:`Supervisor`
notices it, reports it (the app shows FAILED, never LIVE over a dead thread) and starts
it again with a growing delay.
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

log = logging.getLogger(__name__)


class Worker:
    """A named daemon thread running ``target()``; restartable after it ended."""

    def __init__(self, name: str, target: Callable[[], None]):
        self.name = name
        self.target = target
        self.failure: str | None = None      # why the last run ended unasked
        self.stopping = False                 # set by the owner before a normal stop
        self.runs = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self.failure = None
        self.stopping = False
        self.runs += 1
        self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self.target()
        except BaseException as exc:  # noqa: BLE001 — whatever ends the thread is reported
            log.exception("worker %s died", self.name)
            self.failure = f"{type(exc).__name__}: {exc}"[:500]
            return
        if not self.stopping:
            self.failure = "ended unexpectedly"

    def is_alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def is_current(self) -> bool:
        return self._thread is threading.current_thread()

    def dead(self) -> bool:
        """Started, not running, and not stopped on purpose."""
        return (self._thread is not None and not self._thread.is_alive()
                and not self.stopping)

    def join(self, timeout: float | None = None) -> None:
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)


@dataclass
class _Watched:
    name: str
    dead: Callable[[], bool]
    reason: Callable[[], str]
    restart: Callable[[], None]
    failures: int = 0                 # restarts since it last ran for a minute
    down_since: float | None = None
    up_since: float = 0.0
    next_try: float = 0.0


@dataclass
class Supervisor:
    """Watches workers from its own thread; reports deaths and restarts them.

    ``on_failed(name, reason)`` runs once per death, ``on_restarted(name)`` once the
    restart call returned and the worker runs again.  A worker that keeps dying is
    restarted after 0.5, 1, 2 … 30 s, never in a tight loop.
    """

    on_failed: Callable[[str, str], None]
    on_restarted: Callable[[str], None]
    interval: float = 0.25
    _watched: list[_Watched] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def watch(self, name: str, worker: Worker, restart: Callable[[], None]) -> None:
        self._watched.append(_Watched(name, worker.dead, lambda: worker.failure or "stopped",
                                      restart))

    def watch_fn(self, name: str, dead: Callable[[], bool], reason: Callable[[], str],
                 restart: Callable[[], None]) -> None:
        self._watched.append(_Watched(name, dead, reason, restart))

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="ioc-supervisor", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def check(self) -> None:
        """One round (the thread calls it; tests may too)."""
        now = time.monotonic()
        for w in self._watched:
            if self._stop.is_set():
                return
            try:
                dead = w.dead()
            except Exception:
                log.exception("supervisor: cannot tell whether %s runs", w.name)
                continue
            if not dead:
                if w.down_since is not None:
                    w.down_since = None
                    w.up_since = now
                    self._call(self.on_restarted, w.name)
                elif w.failures and now - w.up_since > 60:
                    w.failures = 0          # it ran a minute: the next death starts over
                continue
            if w.down_since is None:
                w.down_since = now
                self._call(self.on_failed, w.name, w.reason())
            if now >= w.next_try:
                w.failures += 1
                w.next_try = now + min(30.0, 0.5 * 2 ** (w.failures - 1))
                try:
                    w.restart()
                except Exception as exc:
                    log.exception("supervisor: restarting %s failed", w.name)
                    self._call(self.on_failed, w.name,
                               f"restart failed: {type(exc).__name__}: {exc}"[:500])

    def _call(self, fn, *args) -> None:
        try:
            fn(*args)
        except Exception:
            log.exception("supervisor listener failed")

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.check()
