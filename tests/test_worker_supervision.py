"""A worker thread that dies is shown (FAILED, with the worker and the reason) and
restarted; never LIVE over a dead thread, and nothing the feed sent is lost.

Real parts: a demo backend on loopback, a real cache, the app's FeedService; the fault
is a BaseException raised inside the worker, which no handler of ours catches (as a
bug would).
"""
from __future__ import annotations

import pytest

from demo_backend.server import DemoBackend
from feedkit import TicksPlugin, assert_contiguous
from ioc_desktop.config import ClientConfig
from ioc_desktop.feed.client import FeedStatus, Reason
from ioc_desktop.qt_bridge import FeedService


class Fatal(BaseException):
    """What no `except Exception` catches: the worker's thread ends."""


@pytest.fixture
def running(qtbot, tmp_path):
    backend = DemoBackend([TicksPlugin()], seed=2, rate=300)
    backend.start_in_thread()
    service = FeedService(ClientConfig(server=backend.url(), cache=tmp_path / "c.sqlite", lang="en"),
                          [TicksPlugin()])
    log: list = []
    service.statusChanged.connect(lambda s: log.append(("state", s)))
    service.workerFailed.connect(lambda name, why: log.append(("failed", name, why)))
    service.workerRestarted.connect(lambda name: log.append(("restarted", name)))
    service.start()
    qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
    yield service, backend, log
    service.stop()
    backend.stop()


def _between(log, start_kind, end_kind):
    start = next(i for i, e in enumerate(log) if e[0] == start_kind)
    end = next(i for i, e in enumerate(log) if e[0] == end_kind and i > start)
    return log[start:end]


def _contiguous(service, backend, qtbot):
    assert_contiguous(service.config.cache, backend,
                      wait=lambda pred, t: qtbot.waitUntil(pred, timeout=int(t * 1000)), timeout=15.0)


def test_a_dead_writer_shows_failed_is_restarted_and_loses_nothing(running, qtbot):
    service, backend, log = running

    def boom(items):
        raise Fatal("disk controller on fire")
    service.writer.store.apply = boom          # the next transaction kills the thread
    qtbot.waitUntil(lambda: any(e[0] == "failed" for e in log), timeout=10000)
    failed = next(e for e in log if e[0] == "failed")
    assert failed[1] == "writer" and "Fatal: disk controller on fire" in failed[2]
    qtbot.waitUntil(lambda: any(e[0] == "restarted" for e in log), timeout=10000)
    down = _between(log, "failed", "restarted")
    states = [e[1] for e in down if e[0] == "state"]
    assert states and all(s.status == FeedStatus.FAILED for s in states)    # never LIVE meanwhile
    assert states[0].reason == Reason.WORKER_DIED and states[0].reason_args == {"worker": "writer"}
    qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
    assert service.writer.lost_batches == 1
    _contiguous(service, backend, qtbot)       # the lost batch was fetched again


def test_a_dead_feed_thread_shows_failed_and_is_restarted(running, qtbot):
    service, backend, log = running
    client = service.client
    original = client._session
    calls = []

    async def dies_once(ws):
        calls.append(1)
        if len(calls) == 1:
            raise Fatal("feed bug")
        return await original(ws)
    client._session = dies_once
    client.resync()                              # a new session: the patched one
    qtbot.waitUntil(lambda: any(e[0] == "restarted" for e in log), timeout=15000)
    failed = next(e for e in log if e[0] == "failed")
    assert failed[1] == "feed" and "Fatal: feed bug" in failed[2]
    states = [e[1] for e in _between(log, "failed", "restarted") if e[0] == "state"]
    assert states and all(s.status == FeedStatus.FAILED for s in states)
    qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
    assert client.worker.runs == 2
    _contiguous(service, backend, qtbot)


def test_a_dead_reader_is_restarted_and_queries_work_again(running, qtbot):
    service, backend, log = running

    def kill(conn):
        raise Fatal("reader bug")
    service.run_read(kill, lambda result: None)
    qtbot.waitUntil(lambda: any(e[0] == "restarted" and e[1] == "reader" for e in log), timeout=10000)
    assert any(e[0] == "failed" and e[1] == "reader" for e in log)
    answers = []
    service.query("SELECT count(*) FROM events", (), answers.append)
    qtbot.waitUntil(lambda: bool(answers), timeout=5000)
    assert answers[0][0][0] > 0
    qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=5000)


def test_a_dead_media_worker_is_restarted_and_fetches_again(running, qtbot):
    service, backend, log = running

    def kill(result):
        raise Fatal("media bug")
    service.media.fetch("/media/none.png", kill)
    qtbot.waitUntil(lambda: any(e[0] == "restarted" and e[1] == "media" for e in log), timeout=10000)
    assert any(e[0] == "failed" and e[1] == "media" and "media bug" in e[2] for e in log)
    results = []
    service.fetch_media("/media/none.png", results.append)
    qtbot.waitUntil(lambda: bool(results), timeout=10000)
    assert results[0].error            # answered (a 404 here), by the restarted worker
