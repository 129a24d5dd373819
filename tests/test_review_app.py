"""Review in the whole app, against a real demo backend on loopback: jump to a past
moment, see it as it was (queue, alarms, map, banner), come back to live."""
from __future__ import annotations

import time

import pytest

from demo_backend.server import DemoBackend
from ioc_desktop.config import ClientConfig
from ioc_desktop.feed.client import FeedStatus
from ioc_desktop.plugin_api import load_plugins
from ioc_desktop.review import checkpoints
from ioc_desktop.review.items import TextItems
from ioc_desktop.review.state_at import state_at
from ioc_desktop.store.store import open_reader
from qthelpers import running_window

PLUGINS = [lp.plugin for lp in load_plugins() if lp.plugin]


@pytest.fixture
def app(qtbot, tmp_path, monkeypatch):
    # checkpoints every few seconds of the demo: the moments reviewed are replayed from
    # one (the reports then come as typed rows, read by the GUIs through SQL)
    monkeypatch.setattr(checkpoints, "CHECKPOINT_EVENTS", 300)
    backend = DemoBackend(PLUGINS, seed=5, rate=120)
    backend.start_in_thread()
    config = ClientConfig(server=backend.url(), cache=tmp_path / "cache.sqlite", lang="en")
    try:
        with running_window(qtbot, config) as (service, window):
            qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
            yield service, window, backend, config
    finally:
        backend.stop()


def _reports_rows(conn, topic_table="reports"):
    return conn.execute(f"SELECT count(*) FROM main.{topic_table}").fetchone()[0]


def test_jump_shows_the_past_everywhere_and_live_comes_back(app, qtbot, tmp_path):
    service, window, backend, config = app
    export_dir = tmp_path / "moment"
    review = window.review
    reports = window.guis["reports"]
    # some history, a moment T in it, then more history after T
    qtbot.waitUntil(lambda: service.writer.events_committed > 400, timeout=20000)
    time.sleep(0.3)
    moment = time.time()
    time.sleep(0.3)
    committed = service.writer.events_committed
    qtbot.waitUntil(lambda: service.writer.events_committed > committed + 400, timeout=20000)
    service.writer.flush()
    conn = open_reader(config.cache)
    want = state_at(conn, [t.name for p in PLUGINS for t in p.topics], moment)
    live_reports = _reports_rows(conn)
    assert len(want.state["reports"]) != live_reports, "the demo changed nothing after T"

    review.jump(moment)
    qtbot.waitUntil(lambda: review.at is not None, timeout=10000)
    assert review.at == pytest.approx(moment)
    # nobody can take it for live: the band, the panels' markers, the time bar
    assert window.review_banner.isVisible() and window.review_banner.height() >= 30
    assert window.review_banner.mapTo(window, window.review_banner.rect().topLeft()).y() < 80
    assert "REVIEW" in window.review_banner.text()
    assert all(f.is_stale() and "REVIEW" in f.stale_text() for f in window.panel_frames.values())
    assert window.time_bar.mode.text() == "REVIEW"
    # replayed from a checkpoint: the reports (read through SQL by their GUIs) left as
    # typed rows, every other topic decoded on the reader's thread, not by a GUI
    state = review.snapshot.state
    assert review.snapshot.review.base_checkpoint is not None
    assert isinstance(state["reports"], TextItems)
    lazy = {t for t, items in state.items() if isinstance(items, TextItems)}
    assert {t: state[t].decoded for t in lazy - {"reports"}} == {t: len(state[t]) for t in lazy - {"reports"}}
    assert len(lazy) > 3
    # the queue holds the reports as they were at T (its SQL reads the state at T)
    qtbot.waitUntil(lambda: reports.queue.model.rowCount() == len(want.state["reports"]),
                    timeout=5000)
    # the map's report markers too
    if window.map is not None:
        drawn = window.map.layer_snapshot()["reports"]["features"]
        expected = {f["key"] for k, d in want.state["reports"].items()
                    for f in reports.layer._build(k, d)}
        assert set(drawn) == expected
    # export the moment: a picture of the window, the map's layers as GeoJSON and CSV
    import json as _json
    done = []
    window.export_moment(str(export_dir), done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=15000)
    result = done[0]
    assert result.ok, result.errors
    names = sorted(p.name for p in result)
    assert any(n.startswith("console-") and n.endswith(".png") for n in names)
    geojson = next(p for p in result if p.suffix == ".geojson")
    layers = _json.loads(geojson.read_text(encoding="utf-8"))
    report_keys = {f["properties"]["key"] for f in layers["features"]
                   if f["properties"]["layer"] == "reports"}
    assert report_keys == expected if window.map is not None else True
    # the alarms as the journal had them at T
    from ioc_desktop.alarms import journal
    at_t = {a.id for a in journal.alarms_at(conn, moment) if a.state != "normal"}
    data = window.alarms.summary_data
    shown = set(window.alarms.summary.model.ids()) | {a.id for a in data.shelved} \
        | {a.id for a in data.out_of_service}
    assert at_t, "the demo raised no alarm before T: nothing to compare"
    assert shown == at_t
    # actions are refused on a past moment, with the reason
    from widgets.alarm_center import ReviewRefusal
    with pytest.raises(ReviewRefusal):
        window.alarms.act("acknowledge", sorted(at_t)[0], user="op")
    # step by an event: the next moment something arrived
    snap = review.snapshot
    assert snap.next_event is not None and snap.next_event > moment
    review.step_event(1)
    qtbot.waitUntil(lambda: review.at == pytest.approx(snap.next_event), timeout=5000)
    # live batches keep landing in the cache underneath, but not in the views
    before = service.writer.events_committed
    qtbot.waitUntil(lambda: service.writer.events_committed > before + 100, timeout=20000)
    assert review.at == pytest.approx(moment)
    # a row of the alarm history brings its moment
    history = window.alarms.history
    history.refresh()
    qtbot.waitUntil(lambda: bool(history.page is not None and history.page.rows), timeout=5000)
    row = history.page.rows[-1]
    history._review_row(history.model.index(len(history.page.rows) - 1, 0))
    qtbot.waitUntil(lambda: review.at == pytest.approx(row.at), timeout=5000)
    # play at 600×: T moves on by itself, the band says so
    start = review.at
    review.play(600)
    qtbot.waitUntil(lambda: review.at > start + 60 or review.at >= review.bounds[1] - 1, timeout=5000)
    assert "playing 600×" in window.review_banner.text() or review.speed == 0
    review.pause()
    # back to live
    review.live()
    qtbot.waitUntil(lambda: not window.review_banner.isVisible(), timeout=5000)
    assert window.time_bar.mode.text() == "LIVE"
    assert not any(f.is_stale() and "REVIEW" in f.stale_text() for f in window.panel_frames.values())
    # the queue and the alarms are live again: the cache's state now
    service.writer.flush()
    qtbot.waitUntil(lambda: reports.queue.model.rowCount() >= live_reports, timeout=5000)
    live_alarms = {a.id for a in service.situation.engine.alarms() if a.state != "normal"}
    qtbot.waitUntil(lambda: live_alarms <= (set(window.alarms.summary.model.ids())
                                            | {a.id for a in window.alarms.summary_data.shelved}
                                            | {a.id for a in window.alarms.summary_data.out_of_service}),
                    timeout=5000)
    conn.close()


def test_timeline_marks_count_raises_and_incidents(tmp_path):
    import sqlite3

    from ioc_desktop.alarms import journal
    from ioc_desktop.alarms.engine import Alarm, Transition
    from ioc_desktop.review.timeline import timeline_marks

    conn = sqlite3.connect(tmp_path / "j.sqlite")
    journal.ensure_schema(conn)
    t0 = 1_690_000_000.0          # a fixed clock
    raises = [(t0 + 10, 3), (t0 + 20, 1), (t0 + 30, 3), (t0 + 590, 2)]
    for i, (at, prio) in enumerate(raises):
        a = Alarm(id=f"r/{i}", rule="r", key=str(i), priority=prio, text=f"alarm {i}",
                  active=True, acked=False, raised_at=at)
        journal.record(conn, [Transition(alarm_id=a.id, rule="r", key=a.key, event="raise",
                                         from_state="normal", to_state="unacknowledged", at=at,
                                         priority=prio)], [a])
    marks = timeline_marks(conn, t0, t0 + 600, buckets=10)
    assert marks.density == [3, 0, 0, 0, 0, 0, 0, 0, 0, 1]
    assert [(i, p) for _, i, p, _ in marks.incidents] == [("r/1", 1)]
    assert marks.incidents[0][3] == "alarm 1"


def test_at_option_opens_the_app_in_review_and_pictures_that_moment(tmp_path):
    """``--offline --at T --screenshot``: a script's picture of an incident."""
    import subprocess
    import sys
    from pathlib import Path

    from PySide6 import QtGui
    from review_log import recorded_log

    from ioc_desktop.plugin_api import topic_map
    from ioc_desktop.store.store import Store

    cache = tmp_path / "c.sqlite"
    store = Store(cache, topic_map(PLUGINS).values())
    frames = recorded_log(3000)
    for _, records in frames:
        store.apply(records)
    store.close()
    at = frames[len(frames) // 2][0]
    shot = tmp_path / "review.png"
    repo = Path(__file__).resolve().parents[1]
    proc = subprocess.run([sys.executable, str(repo / "main.py"), "--lang", "en", "--offline",
                           "--cache", str(cache), "--at", str(at), "--screenshot", str(shot),
                           "--run-for", "8", "--no-wall"],
                          cwd=repo, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    image = QtGui.QImage(str(shot))
    assert not image.isNull()
    # the violet REVIEW band across the top of the window
    from widgets.review.banner import REVIEW
    band = QtGui.QColor(REVIEW)
    row = [image.pixelColor(x, 40) for x in range(0, image.width(), 40)]
    hits = [y for y in range(0, 120) if image.pixelColor(image.width() // 2, y) == band]
    assert hits, "no REVIEW band at the top of the picture"
