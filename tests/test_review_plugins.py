"""Plugin panels in review and over the cache's history: vessel tracks read back from the
event log (after a restart, as of a moment T, merged with batches arriving meanwhile),
the environment graphs' window ending at T and coming back to live, long windows read
downsampled on the reader thread, stale reads dropped.

A real cache file (``Store``) and its reader's connection (``open_reader``); review
installs the reader tables (``reader_tables.install``) on that connection, as the app
does.  ``run_read`` runs on it synchronously, or is held to answer later (a read in
flight)."""
from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest

from ioc_desktop.plugin_api import topic_map
from ioc_desktop.review import reader_tables
from ioc_desktop.review.state_at import state_at
from ioc_desktop.store.batch import EventRecord
from ioc_desktop.store.store import Store, open_reader
from review_log import plugins, recorded_log
from widgets.plugin_gui import AppContext

VN = timezone(timedelta(hours=7))


# --------------------------------------------------------------------------- helpers
class Reads:
    """``run_read`` on a reader connection: at once (``hold=False``) or held until
    :meth:`run` (a read in flight while batches arrive)."""

    def __init__(self, conn, hold: bool = False):
        self.conn = conn
        self.hold = hold
        self.jobs: list = []
        self.calls = 0

    def __call__(self, fn, callback):
        self.calls += 1
        if self.hold:
            self.jobs.append((fn, callback))
        else:
            callback(fn(self.conn))

    def run(self):
        jobs, self.jobs = self.jobs, []
        for fn, callback in jobs:
            callback(fn(self.conn))


@pytest.fixture(scope="module")
def specs():
    return topic_map(plugins())


@pytest.fixture(scope="module")
def frames():
    return recorded_log(12_000)


def vessel_gui(qtbot, run_read=None):
    from plugins.vessels import VesselsPlugin
    from plugins.vessels.gui import VesselsGui
    gui = VesselsGui(VesselsPlugin(), AppContext(map=None, run_read=run_read, lang="en"))
    qtbot.addWidget(gui.table)
    return gui


def env_gui(qtbot, run_read=None):
    from plugins.environment import EnvironmentPlugin
    from plugins.environment.gui import EnvironmentGui
    gui = EnvironmentGui(EnvironmentPlugin(), AppContext(map=None, run_read=run_read, lang="en"))
    qtbot.addWidget(gui.graphs)
    qtbot.addWidget(gui.table)
    return gui


def expected_tracks(frames, *, until: float | None = None, limit: int = 30) -> dict[str, list]:
    """Each vessel's track as the log has it: among its last ``2 * limit`` events received
    by ``until``, the last ``limit`` positions after its last deletion (a repeated
    position once)."""
    events: dict[str, list] = {}
    for at, records in frames:
        if until is not None and at > until:
            break
        for r in records:
            if r.topic == "vessels" and r.key is not None:
                events.setdefault(r.key, []).append(r)
    out = {}
    for key, evs in events.items():
        points = []
        for r in evs[-2 * limit:]:
            if r.op == "delete":
                points = []
            elif r.op == "upsert":
                p = [r.data["lat"], r.data["long"]]
                if not points or points[-1] != p:
                    points.append(p)
        out[key] = points[-limit:]
    return out


# --------------------------------------------------------------------------- vessels
def test_vessel_tracks_are_rebuilt_from_the_log_after_a_restart(qtbot, tmp_path, specs, frames):
    path = tmp_path / "cache.sqlite"
    store = Store(path, specs.values())
    reader = open_reader(path)
    live = vessel_gui(qtbot, Reads(reader))
    live.on_reset({"vessels": {}})
    for _at, records in frames:                       # the live session: every batch
        live.on_batch(store.apply(records))
    state = store.load_state()
    store.close()

    # "restart": a new GUI on the same cache, its tracks only from the log
    reads = Reads(open_reader(path))
    gui = vessel_gui(qtbot, reads)
    gui.on_reset({"vessels": state["vessels"]})
    assert reads.calls == 1                            # one read for every vessel
    want = expected_tracks(frames)
    # a live track starts again at a deletion (or a resync that left the vessel out);
    # the read sees only those among the vessel's last events
    deleted = {r.key for _at, records in frames for r in records
               if r.topic == "vessels" and r.op == "delete"}
    seen: set = set()
    for _at, records in frames:
        for r in records:
            if r.topic == "vessels" and r.op == "snapshot":
                deleted |= seen - {it["key"] for it in r.data}
            elif r.topic == "vessels":
                seen.add(r.key)
    vessels = state["vessels"]
    assert len(vessels) > 10
    longest = 0
    for key, data in vessels.items():
        coords = gui.tracks.coords(key)
        assert coords == want[key], key
        assert coords[-1] == [data["lat"], data["long"]]      # it ends at the vessel
        assert len(coords) <= 30
        longest = max(longest, len(coords))
        # the live session's track is the same
        if key not in deleted:
            assert live.tracks.coords(key) == coords, key
        feats = gui._track_features(key, data)
        assert (feats[0]["coords"] if feats else []) == (coords if len(coords) >= 2 else [])
    assert longest == 30                                # bounded by TRACK_POINTS


def test_vessel_tracks_in_review_hold_only_positions_received_by_then(qtbot, tmp_path, specs, frames):
    path = tmp_path / "cache.sqlite"
    store = Store(path, specs.values())
    for _at, records in frames:
        store.apply(records)
    live_state = store.load_state()
    store.close()
    reader = open_reader(path)
    gui = vessel_gui(qtbot, Reads(reader))

    T = frames[len(frames) * 2 // 3][0]
    review = state_at(reader, list(specs), T)
    reader_tables.install(reader, specs.values(), review)   # what review does to the reader
    gui.on_review(T)
    gui.on_reset({"vessels": review.state["vessels"]})
    want = expected_tracks(frames, until=T)
    received: dict[str, set] = {}
    for at, records in frames:
        if at <= T:
            for r in records:
                if r.topic == "vessels" and r.op == "upsert":
                    received.setdefault(r.key, set()).add((r.data["lat"], r.data["long"]))
    assert review.state["vessels"]
    for key, data in review.state["vessels"].items():
        coords = gui.tracks.coords(key)
        assert coords == want[key], key
        assert all((lat, lon) in received[key] for lat, lon in coords)
        assert coords[-1] == [data["lat"], data["long"]]       # where it was at T

    # back to live: the whole log again
    reader_tables.remove(reader)
    gui.on_review(None)
    gui.on_reset({"vessels": live_state["vessels"]})
    want = expected_tracks(frames)
    for key in live_state["vessels"]:
        assert gui.tracks.coords(key) == want[key]


@pytest.mark.parametrize("read_first", [False, True])
def test_batches_during_a_track_read_are_neither_lost_nor_doubled(qtbot, tmp_path, specs, frames,
                                                                  read_first):
    """The read is asked at a reset; batches arrive before its answer.  Either the read
    ran before they were committed (it lacks them) or after (it has them too)."""
    path = tmp_path / "cache.sqlite"
    store = Store(path, specs.values())
    # after the log's resync snapshot (a reset of its own, not this test's matter)
    half = 2 + next(i for i, (_at, records) in enumerate(frames)
                    if any(r.op == "snapshot" for r in records))
    assert half + 40 <= len(frames)
    for _at, records in frames[:half]:
        store.apply(records)
    state = store.load_state()
    reads = Reads(open_reader(path), hold=True)
    gui = vessel_gui(qtbot, reads)
    gui.on_reset({"vessels": state["vessels"]})
    (fn, callback), = reads.jobs
    reads.jobs.clear()
    answer = fn(reads.conn) if read_first else None
    for _at, records in frames[half:half + 40]:          # meanwhile, live batches
        gui.on_batch(store.apply(records))
    callback(answer if read_first else fn(reads.conn))
    store.close()
    assert reads.jobs == []
    want = expected_tracks(frames[:half + 40])
    whole = expected_tracks(frames[:half + 40], limit=10 ** 9)       # every position
    for key in state["vessels"]:
        if key not in gui.tracks:
            continue                                       # deleted meanwhile
        coords = gui.tracks.coords(key)
        # in order, none doubled, none lost: the end of the vessel's whole path
        assert coords == whole[key][-len(coords):], key
        assert len(want[key]) <= len(coords) <= 30, key


def test_a_track_read_answered_after_a_newer_reset_is_dropped(qtbot, tmp_path, specs, frames):
    path = tmp_path / "cache.sqlite"
    store = Store(path, specs.values())
    for _at, records in frames:
        store.apply(records)
    state = store.load_state()
    store.close()
    reads = Reads(open_reader(path), hold=True)
    gui = vessel_gui(qtbot, reads)
    gui.on_reset({"vessels": state["vessels"]})
    first = reads.jobs.pop()
    gui.on_reset({"vessels": state["vessels"]})          # e.g. a second review jump
    first[1](first[0](reads.conn))                        # the first answer comes late
    assert all(len(gui.tracks.coords(k)) == 1 for k in state["vessels"])
    reads.run()
    assert max(len(gui.tracks.coords(k)) for k in state["vessels"]) == 30


def test_the_track_query_is_bounded_on_a_long_log(tmp_path, specs):
    """The plan: the keys drive, each vessel's rows by the (topic, key) index, the rows
    by primary key; never a scan of the topic."""
    from plugins.vessels.tracks import _TRACKS_SQL, read_tracks
    path = tmp_path / "cache.sqlite"
    store = Store(path, specs.values())
    seq = 0
    for r in range(200):
        records = []
        for v in range(20):
            seq += 1
            data = {"vessel_id": f"V{v}", "lat": 16.5 + r * 1e-4, "long": 107.6 + v * 1e-3,
                    "time": "2026-01-01T00:00:00+07:00"}
            records.append(EventRecord("vessels", seq, data["time"], "upsert", f"V{v}", data,
                                       received_at=1_690_000_000.0 + r))
        store.apply(records)
    store.close()
    conn = open_reader(path)
    plan = " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + _TRACKS_SQL,
                                                      ("vessels", '["V1"]', 29)))
    assert "COVERING INDEX idx_events_topic_key (topic=? AND key=? AND seq>?)" in plan, plan
    assert "PRIMARY KEY (topic=? AND seq=?)" in plan, plan
    assert "SCAN x" not in plan and "SCAN e" not in plan
    tracks = read_tracks(conn, [f"V{v}" for v in range(20)] + ["nobody"])
    assert set(tracks) == {f"V{v}" for v in range(20)}
    assert all(len(t) == 30 for t in tracks.values())
    assert tracks["V3"][-1] == (seq - 16, 16.5 + 199e-4, 107.603)
    # in review (the events view cut at T) the same plan holds
    review = state_at(conn, list(specs), 1_690_000_000.0 + 100)
    reader_tables.install(conn, specs.values(), review)
    plan = " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + _TRACKS_SQL,
                                                      ("vessels", '["V1"]', 29)))
    assert "COVERING INDEX idx_events_topic_key (topic=? AND key=? AND seq>? AND seq<?)" in plan, plan
    tracks = read_tracks(conn, ["V3"])
    assert tracks["V3"][-1][1] == pytest.approx(16.5 + 100e-4)


# --------------------------------------------------------------------------- environment
T0 = 1_690_000_000.0
KEY = "kim_long/water_level"


def level(i: int) -> float:
    return round(1.0 + 0.8 * math.sin(i / 300.0), 3)


def env_frames(n: int, step_s: float, *, spike_at: int | None = None, per_frame: int = 60,
               latency_s: float = 5.0):
    """``n`` observations of Kim Long every ``step_s`` from T0, received ``latency_s``
    after their time, in frames of ``per_frame``; a rain gauge now and then."""
    frames, seq = [], 0
    for start in range(0, n, per_frame):
        records = []
        for i in range(start, min(n, start + per_frame)):
            t = T0 + i * step_s
            seq += 1
            value = 4.2 if i == spike_at else level(i)
            data = {"station_id": "kim_long", "station_name": "Kim Long", "quantity": "water_level",
                    "value": value, "unit": "m", "lat": 16.47, "long": 107.57, "kind": "river_station",
                    "phenomenonTime": datetime.fromtimestamp(t, VN).isoformat(timespec="milliseconds"),
                    "thresholds": {"BD1": 1.0, "BD2": 2.0, "BD3": 3.5}}
            records.append(EventRecord("environment", seq, data["phenomenonTime"], "upsert", KEY, data))
            if i % 50 == 0:
                seq += 1
                rain = dict(data, station_id="a_luoi", quantity="rainfall", unit="mm", value=2.0)
                del rain["thresholds"]
                records.append(EventRecord("environment", seq, data["phenomenonTime"], "upsert",
                                           "a_luoi/rainfall", rain))
        at = T0 + (min(n, start + per_frame) - 1) * step_s + latency_s
        for r in records:
            r.received_at = at
        frames.append((at, records))
    return frames


def env_cache(tmp_path, specs, frames):
    path = tmp_path / "cache.sqlite"
    store = Store(path, specs.values())
    for _at, records in frames:
        store.apply(records)
    state = store.load_state()
    store.close()
    return path, state


def test_the_river_graph_ends_at_T_in_review_and_comes_back_to_live(qtbot, tmp_path, specs):
    frames = env_frames(3000, 60.0)                    # a reading a minute, ~50 h
    path, live_state = env_cache(tmp_path, specs, frames)
    reader = open_reader(path)
    gui = env_gui(qtbot, Reads(reader))
    gui.on_reset({"environment": live_state["environment"]})
    plot, buf = gui.graphs.plots[KEY], gui.graphs.buffers[KEY]
    plot.redraw_now()
    newest = T0 + 2999 * 60.0
    assert buf.last() == (newest, level(2999))
    x0, x1 = plot._visible_x()
    assert x1 == newest and x0 == newest - 6 * 3600
    assert plot.current_value_text(KEY) == f"{level(2999):.2f} m"

    T = frames[20][0] + 30.0                             # between two frames
    review = state_at(reader, list(specs), T)
    reader_tables.install(reader, specs.values(), review)
    gui.on_review(T)
    gui.on_reset({"environment": review.state["environment"]})
    plot.redraw_now()
    last_i = 21 * 60 - 1                                  # the last reading received by T
    t, v = buf.arrays()
    assert t[-1] == T0 + last_i * 60.0 < T
    x0, x1 = plot._visible_x()
    assert x1 == T and 0 <= x0 - (T - 6 * 3600) < 60     # the window ends at T
    assert 0 <= t[0] - (T - 6 * 3600) < 60                # and the history read fills it
    assert plot.end_time() == T
    assert plot.current_value_text(KEY) == f"{level(last_i):.2f} m"       # the value at T
    (vx0, vx1), _ = plot.plot_widget.getPlotItem().getViewBox().viewRange()
    assert vx0 < T - 6 * 3600 + 600 and T < vx1 < T + 6 * 3600   # (+ room for the tag)

    # back to live: the live window, the newest value
    reader_tables.remove(reader)
    gui.on_review(None)
    gui.on_reset({"environment": live_state["environment"]})
    plot.redraw_now()
    assert plot.end_time() is None
    assert plot._visible_x() == (newest - 6 * 3600, newest)
    assert plot.current_value_text(KEY) == f"{level(2999):.2f} m"
    assert buf.last() == (newest, level(2999))


def test_a_long_window_reads_a_bounded_number_of_points_with_the_peaks(qtbot, tmp_path, specs):
    from plugins.environment.history import HISTORY_BUCKETS
    step = 10.0
    n = int(7 * 86400 / step)                          # 7 days, a reading every 10 s
    spike = n // 3
    frames = env_frames(n, step, spike_at=spike, per_frame=2000)
    path, state = env_cache(tmp_path, specs, frames)
    reads = Reads(open_reader(path), hold=True)
    gui = env_gui(qtbot, reads)
    gui.on_reset({"environment": state["environment"]})
    reads.run()
    buf = gui.graphs.buffers[KEY]
    assert 0 < len(buf) <= 2 * HISTORY_BUCKETS                     # 6 h: 2,160 readings
    assert buf.first()[0] >= T0 + (n - 1) * step - 6 * 3600

    # the user picks 7 days: its history is read again, downsampled on the reader
    box = gui.graphs.window_box
    i = box.findData(7 * 86400.0)
    assert i >= 0 and box.itemText(i) == "Last 7 days"
    box.setCurrentIndex(i)
    box.activated.emit(i)
    assert gui.graphs.window_s == 7 * 86400.0
    assert gui.graphs.plots[KEY].time_window() == 7 * 86400.0
    (fn, callback), = reads.jobs                      # one read per graphed station
    history = fn(reads.conn)                           # what crosses to the GUI thread
    ts, vs = history[KEY]
    assert n > 50_000 and len(ts) <= 2 * HISTORY_BUCKETS              # not 60,480
    assert ts[0] <= T0 + 3600 and ts[-1] == T0 + (n - 1) * step       # the whole week
    assert max(vs) == 4.2 and T0 + spike * step in set(ts)           # the crest kept
    assert all(b > a for a, b in zip(ts, ts[1:]))
    callback(history)
    assert len(buf) == len(ts)
    # live observations go on being appended to the long window
    last = T0 + (n - 1) * step
    gui.graphs.add(KEY, {**state["environment"][KEY], "value": 1.5,
                         "phenomenonTime": datetime.fromtimestamp(last + 10, VN).isoformat()})
    assert buf.last() == (last + 10, 1.5) and len(buf) == len(ts) + 1


def test_a_graph_read_answered_after_a_newer_one_was_asked_is_dropped(qtbot, tmp_path, specs):
    frames = env_frames(600, 60.0)
    path, state = env_cache(tmp_path, specs, frames)
    reader = open_reader(path)
    reads = Reads(reader, hold=True)
    gui = env_gui(qtbot, reads)
    gui.on_reset({"environment": state["environment"]})          # live read, held
    live_job = reads.jobs.pop()
    T = frames[3][0]
    review = state_at(reader, list(specs), T)
    reader_tables.install(reader, specs.values(), review)
    gui.on_review(T)
    gui.on_reset({"environment": review.state["environment"]})    # review read
    reads.run()
    at_t = gui.graphs.buffers[KEY].last()
    assert at_t[0] <= T
    live_job[1](live_job[0](reader))                 # the live answer, late: ignored
    assert gui.graphs.buffers[KEY].last() == at_t


def test_live_observations_during_the_history_read_are_kept_once(qtbot, tmp_path, specs):
    frames = env_frames(600, 60.0)
    path = tmp_path / "cache.sqlite"
    store = Store(path, specs.values())
    for _at, records in frames[:5]:
        store.apply(records)
    reads = Reads(open_reader(path), hold=True)
    gui = env_gui(qtbot, reads)
    gui.on_reset({"environment": store.load_state()["environment"]})
    for _at, records in frames[5:8]:                       # batches before the answer
        gui.on_batch(store.apply(records))
    reads.run()                                             # the read has them too
    store.close()
    t, _v = gui.graphs.buffers[KEY].arrays()
    assert list(t) == [T0 + i * 60.0 for i in range(119, 480)]     # 6 h of minutes, once each


# --------------------------------------------------------------------------- the plot
def test_plot_window_ends_at_the_time_set_and_at_the_newest_sample_again(qtbot):
    from ioc_desktop.series import SeriesBuffer
    from widgets.timeseries_plot import TimeSeriesPlot
    plot = TimeSeriesPlot("Kim Long", "m")
    qtbot.addWidget(plot)
    buf = SeriesBuffer(1000)
    buf.extend([T0 + i * 60 for i in range(100)], [1.0 + i / 100 for i in range(100)])
    plot.add_series("k", buf, "#4aa3ff")
    plot.set_time_window(3600)
    plot.redraw_now()
    assert plot._visible_x() == (T0 + 99 * 60 - 3600, T0 + 99 * 60)
    plot.set_end_time(T0 + 99 * 60 + 1800)        # review: half an hour after the last reading
    plot.redraw_now()
    assert plot._visible_x() == (T0 + 99 * 60 + 1800 - 3600, T0 + 99 * 60 + 1800)
    assert plot.current_value_text("k") == "1.99 m"
    plot.set_end_time(T0 + 10 * 60)               # a sample after the end (a clock ahead) stays in view
    plot.redraw_now()
    assert plot._visible_x()[1] == T0 + 99 * 60
    plot.set_end_time(T0 + 500 * 3600)            # nothing in the window: it still moves there
    plot.redraw_now()
    (vx0, vx1), _ = plot.plot_widget.getPlotItem().getViewBox().viewRange()
    assert vx0 > T0 + 400 * 3600
    plot.set_end_time(None)
    plot.redraw_now()
    assert plot._visible_x() == (T0 + 99 * 60 - 3600, T0 + 99 * 60)


# --------------------------------------------------------------------------- cameras, e-card
def test_camera_detections_read_for_an_older_moment_are_dropped(qtbot):
    from plugins.cameras import CamerasPlugin
    from plugins.cameras.gui import CamerasGui
    jobs = []
    gui = CamerasGui(CamerasPlugin(), AppContext(map=None, run_read=lambda fn, cb: jobs.append(cb)))
    qtbot.addWidget(gui.panel)
    cam = {"camera_id": "A", "name": "Camera A", "lat": 16.46, "long": 107.59, "online": True,
           "snapshot_url": "/media/cameras/A.png", "detection": None}
    gui.on_reset({"cameras": {"A": cam}})
    gui.on_reset({"cameras": {"A": cam}})               # a second jump before the first answer
    old, new = jobs
    old([("A", "Camera A", "crowd", 0.6, "2026-11-23T09:16:00+07:00", "2026-11-23T09:24:00+07:00")])
    assert gui.detections.items() == {}
    new([("A", "Camera A", "flooded_street", 0.9, "2026-11-23T08:00:00+07:00", "2026-11-23T08:30:00+07:00")])
    assert [r["kind"] for r in gui.detections.items().values()] == ["flooded_street"]


def test_ecard_trend_in_review_is_the_models_at_T(qtbot, tmp_path, specs, frames):
    """The e-card trend is the model's (rebuilt at T from the log cut there by the review
    snapshot): the panel plots the view it is given, nothing read from now."""
    from ioc_desktop.review import snapshot
    from plugins.ecard import EcardPlugin
    from plugins.ecard.gui import EcardGui
    path = tmp_path / "cache.sqlite"
    store = Store(path, specs.values())
    for _at, records in frames:
        store.apply(records)
    store.close()
    reader = open_reader(path)
    T = frames[len(frames) // 2][0]
    snap = snapshot.build(reader, plugins(), T)
    gui = EcardGui(EcardPlugin(), AppContext(map=None, lang="en", run_read=Reads(reader)))
    qtbot.addWidget(gui.widget)
    gui.on_review(T)
    gui.on_reset({"ecard": snap.state.get("ecard", {})})
    gui.apply_view(snap.views["ecard"], full=True)
    trend = snap.views["ecard"].get("trend") or []
    for key, points in trend[:3]:
        buf = gui.trend_buffers[key]
        assert len(buf) == len(points)
        if points:
            assert buf.last() == (float(points[-1][0]), float(points[-1][1]))
            assert buf.last()[0] <= T + 3600            # hourly buckets: none after T's hour
