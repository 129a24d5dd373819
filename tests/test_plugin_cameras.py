"""The cameras plugin: validator, simulator (and its snapshots), live data through the
real server, the panel drawing the model's view, the engine's alarm on the banner and
snapshot fetching.  The model and rules themselves: tests/test_model_cameras.py."""
from __future__ import annotations

import copy
import json
import random
import time
from datetime import datetime, timedelta, timezone

import pytest

import schemakit
from schemakit import assert_rejected
from PySide6 import QtCore, QtGui

from ioc_desktop.media import MediaResult
from ioc_desktop.plugin_api import Plugin, ValidationError
from ioc_desktop.store.batch import CommittedBatch, EventRecord, TopicChanges
from plugins.cameras import CamerasPlugin
from plugins.cameras import schema
from plugins.cameras.simulator import SITES, CamerasSimulator
from pluginrig import live_plugin, table_count
from qthelpers import distinct_colors, has_color, js
from widgets.plugin_gui import AppContext
from widgets.theme import ALARM

SPEC = schema.SPEC
HOSTILE = "<img src=x onerror=alert(1)> '; DROP TABLE cameras;-- \u202e {{7*7}}"
START = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)      # 09:00 in Huế
GOOD = {"camera_id": "CAM-01", "name": "Cầu Trường Tiền", "lat": 16.4686, "long": 107.5935,
        "online": True, "snapshot_url": "/media/cameras/CAM-01.png?v=3",
        "detection": {"kind": "flooded_street", "confidence": 0.82, "time": "2026-11-23T09:15:02+07:00"}}
#: A panel grab with data has far more colours than this; a blank one far fewer.
PANEL_COLORS = 250


def reject(data, *fragments: str) -> str:
    return assert_rejected(SPEC, data, *fragments)


def changed(**changes) -> dict:
    return schemakit.changed(GOOD, ..., **changes)


def det(**changes) -> dict:
    d = dict(GOOD["detection"])
    for name, value in changes.items():
        if value is ...:
            d.pop(name, None)
        else:
            d[name] = value
    return d


# --------------------------------------------------------------------------- (a) validator
def test_plugin_declaration():
    plugin = CamerasPlugin()
    assert isinstance(plugin, Plugin)
    assert (plugin.name, plugin.order, plugin.title) == ("cameras", 50, "City cameras")
    assert [s.name for s in plugin.topics] == ["cameras"] and SPEC.key_field == "camera_id"
    assert not {"key", "seq", "time", "data"} & set(SPEC.columns)
    assert 60 <= SPEC.stale_after_s <= 600


def test_good_payloads_pass_and_map_onto_columns():
    out = SPEC.validate(GOOD)
    assert out == GOOD and out is not GOOD
    row = SPEC.row("CAM-01", out)
    assert set(row) == set(SPEC.columns)
    assert row == {"name": "Cầu Trường Tiền", "lat": 16.4686, "long": 107.5935, "online": 1,
                   "snapshot_url": "/media/cameras/CAM-01.png?v=3", "detection_kind": "flooded_street",
                   "detection_confidence": 0.82, "detection_time": "2026-11-23T09:15:02+07:00"}
    for col in SPEC.indexes:
        assert set(col) <= set(SPEC.columns)
    # no detection, offline, no snapshot, no name; other detection kinds; UTC times; extras kept
    quiet = SPEC.validate(changed(detection=None, online=False, snapshot_url=..., name=...))
    assert SPEC.row("CAM-01", quiet)["detection_kind"] is None and SPEC.row("CAM-01", quiet)["online"] == 0
    other = SPEC.validate(changed(detection=det(kind="smoke_fire", confidence=1, time="2026-11-23T02:15:02Z",
                                                bbox=[1, 2, 3, 4]), vendor={"x": 1}))
    assert other["detection"]["bbox"] == [1, 2, 3, 4] and other["vendor"] == {"x": 1}
    assert SPEC.row("CAM-01", other)["detection_time"] == "2026-11-23T09:15:02+07:00"
    assert SPEC.validate(changed(snapshot_url="https://cams.hue.gov.vn/a.jpg?x=1"))


def test_malformed_payloads_are_rejected_with_the_field_named():
    reject(changed(camera_id=...), "data.camera_id", "missing")
    reject(changed(camera_id="  "), "data.camera_id", "empty")
    reject(changed(camera_id=7), "data.camera_id", "expected text")
    reject(changed(name=["x"]), "data.name", "expected text")
    reject(changed(lat=...), "data.lat", "missing")
    reject(changed(lat=91), "data.lat: 91 above 90")
    reject(changed(long="107.5"), "data.long", "expected a number")
    reject(changed(lat=0, long=0), "0,0")
    reject(changed(online=...), "data.online", "missing")
    reject(changed(online="yes"), "data.online", "expected true/false")
    reject(changed(online=1), "data.online", "expected true/false")
    reject(changed(snapshot_url="javascript:alert(1)"), "data.snapshot_url", "scheme")
    reject(changed(snapshot_url="file:///etc/passwd"), "data.snapshot_url", "scheme")
    reject(changed(snapshot_url="/media/a b.png"), "data.snapshot_url", "spaces")
    reject(changed(snapshot_url="media/x.png"), "data.snapshot_url", "path")
    reject(changed(snapshot_url="//evil.example/x.png"), "data.snapshot_url")
    reject(changed(snapshot_url=""), "data.snapshot_url", "empty")
    reject(changed(detection=[1]), "data.detection", "expected an object")
    reject(changed(detection="flood"), "data.detection", "expected an object")
    reject(changed(detection=det(kind=...)), "data.detection.kind", "missing")
    reject(changed(detection=det(kind="Flooded Street")), "data.detection.kind", "identifier")
    reject(changed(detection=det(confidence=...)), "data.detection.confidence", "missing")
    reject(changed(detection=det(confidence=1.5)), "data.detection.confidence: 1.5 above 1.0")
    reject(changed(detection=det(confidence=-0.1)), "data.detection.confidence", "below")
    reject(changed(detection=det(confidence=True)), "data.detection.confidence", "expected a number")
    reject(changed(detection=det(confidence=float("nan"))), "data.detection.confidence", "finite")
    reject(changed(detection=det(time="yesterday")), "data.detection.time", "RFC 3339")
    reject(changed(detection=det(time="2026-11-23T09:15:02")), "data.detection.time", "offset")
    reject(changed(detection=det(time=...)), "data.detection.time", "missing")
    reject([GOOD], "data: expected an object")


def test_hostile_text_is_valid_data_and_passes_unchanged():
    data = changed(camera_id=HOSTILE[:60], name=HOSTILE, extra=HOSTILE,
                   detection=det(kind="crowd", note=HOSTILE))
    out = SPEC.validate(data)
    assert out["name"] == HOSTILE and out["extra"] == HOSTILE and out["detection"]["note"] == HOSTILE
    assert SPEC.row("k", out)["name"] == HOSTILE


# --------------------------------------------------------------------------- (b) simulator
def run(seed: int, ticks: int, budget: int, tick: timedelta = timedelta(milliseconds=100), sim=None):
    sim = sim or CamerasSimulator()
    rng = random.Random(seed)
    out = [sim.start(rng, START)]
    for k in range(1, ticks + 1):
        out.append(sim.step(rng, START + k * tick, budget))
    return sim, out


def dump(per_tick) -> list[str]:
    return [json.dumps([e.topic, e.key, e.op, e.data], sort_keys=True, ensure_ascii=False)
            for events in per_tick for e in events]


def test_simulator_is_deterministic_per_seed():
    a = dump(run(7, 600, 5, timedelta(seconds=1))[1])
    b = dump(run(7, 600, 5, timedelta(seconds=1))[1])
    c = dump(run(8, 600, 5, timedelta(seconds=1))[1])
    assert len(a) > 1000 and a == b and a != c


@pytest.mark.parametrize("budget", [0, 7, 300])
def test_every_event_validates_and_the_budget_is_respected(budget):
    sim, per_tick = run(3, 300, budget)
    assert len(per_tick[0]) == len(SITES)
    for events in per_tick:
        for e in events:
            assert e.topic == "cameras" and e.op == "upsert"
            out = SPEC.validate(e.data)
            assert e.key == out["camera_id"]
    steps = per_tick[1:]
    total = sum(len(ev) for ev in steps)
    if budget:
        assert budget * len(steps) <= total <= budget * len(steps) * 1.05 + 20   # + status changes
        assert all(len(ev) >= budget for ev in steps)
    else:
        assert 0.3 * len(steps) <= total <= 0.8 * len(steps)                    # the trickle


def test_cameras_stand_at_real_places_in_hue():
    ids = [s.camera_id for s in SITES]
    assert 16 <= len(SITES) <= 24 and len(set(ids)) == len(ids)
    for s in SITES:
        assert 16.38 <= s.lat <= 16.60 and 107.52 <= s.lon <= 107.72, s
    names = " ".join(s.name for s in SITES)
    for place in ("Trường Tiền", "Đông Ba", "Ngọ Môn", "Thượng Tứ", "Thuận An", "Kim Long", "An Cựu",
                  "Vỹ Dạ", "Phú Bài"):
        assert place in names
    ngo_mon = next(s for s in SITES if "Ngọ Môn" in s.name)
    assert abs(ngo_mon.lat - 16.4679) < 0.002 and abs(ngo_mon.lon - 107.5787) < 0.002


def test_outages_detections_and_floods_follow_the_flood_scenario():
    sim, per_tick = run(5, 2400, 2, timedelta(seconds=1))      # 40 simulated minutes
    events = [e for evs in per_tick for e in evs]
    offline = {e.key for e in events if not e.data["online"]}
    assert offline
    # outages end: every camera that went offline reported online again later
    last = {}
    for e in events:
        last[e.key] = e.data["online"]
    assert sum(1 for k in offline if last[k]) >= len(offline) - sim.max_offline
    kinds = {e.data["detection"]["kind"] for e in events if e.data["detection"]}
    assert kinds == {"flooded_street", "crowd", "traffic_violation"}
    scn = sim.scenario
    confident = [e for e in events if e.data["detection"] and e.data["detection"]["kind"] == "flooded_street"
                 and e.data["detection"]["confidence"] >= schema.FLOOD_ALARM_CONFIDENCE]
    assert confident
    for e in confident:    # a sure flood only while Kim Long is above BĐ2
        t = datetime.fromisoformat(e.data["detection"]["time"])
        assert scn.level("kim_long", t) >= 2.0
    # offline cameras show no detection; a new detection comes with a new picture
    assert all(e.data["detection"] is None for e in events if not e.data["online"])
    seen_url = {}
    for e in events:
        d = e.data["detection"]
        if d is not None:
            seen_url.setdefault((e.key, d["time"]), e.data["snapshot_url"])
    assert len(set(seen_url.values())) == len(seen_url)


def test_snapshots_are_pngs_showing_the_state():
    sim, _ = run(3, 10, 0)
    cam = sim.camera("CAM-02")
    content_type, png = sim.media("CAM-02.png")
    assert content_type == "image/png" and sim.media("CAM-02.png")[1] is png   # cached per version
    image = QtGui.QImage.fromData(png)
    assert (image.width(), image.height()) == (320, 180)
    assert distinct_colors(image, step=4) > 20
    assert sim.media("nope.png") is None and sim.media("../etc/passwd") is None
    # a flooded street puts murky water over the road; a violation a red box
    sim._detect(cam, "flooded_street", 0.9, 1.0, START, 100.0, random.Random(1))
    flooded = QtGui.QImage.fromData(sim.media("CAM-02.png")[1])
    assert has_color(flooded, "#7a6848", tolerance=4) and not has_color(image, "#7a6848", tolerance=4)
    sim._clear(cam, 2.0, START, random.Random(1))
    sim._detect(cam, "traffic_violation", 0.9, 3.0, START, 100.0, random.Random(1))
    boxed = QtGui.QImage.fromData(sim.media("CAM-02.png")[1])
    assert has_color(boxed, "#ff1e1e", tolerance=2) and not has_color(flooded, "#ff1e1e", tolerance=2)


def test_simulator_is_cheap_per_event():
    sim, _ = run(1, 1, 0)
    rng = random.Random(2)
    t0 = time.perf_counter()
    n = 0
    for k in range(2, 42):
        n += len(sim.step(rng, START + timedelta(milliseconds=100 * k), 5000))
    per_event = (time.perf_counter() - t0) / n
    assert per_event < 10e-6, f"{per_event * 1e6:.1f} µs per event"


# --------------------------------------------------------------------------- GUI helpers
def make_gui(fetch=None):
    from plugins.cameras.gui import CamerasGui
    return CamerasGui(CamerasPlugin(), AppContext(map=None, fetch_media=fetch))


def cam(cid: str, online=True, detection=None, v=1, name=None) -> dict:
    return {"camera_id": cid, "name": name or f"Camera {cid}", "lat": 16.46, "long": 107.59, "online": online,
            "snapshot_url": f"/media/cameras/{cid}.png?v={v}", "detection": detection}


def batch(*items: dict, when: str = "2026-11-23T09:20:00+07:00") -> CommittedBatch:
    ch = TopicChanges()
    for i, d in enumerate(items):
        ch.events.append(EventRecord("cameras", 100 + i, when, "upsert", d["camera_id"], d))
        ch.upserts[d["camera_id"]] = d
    return CommittedBatch(topics={"cameras": ch})


FLOOD = {"kind": "flooded_street", "confidence": 0.86, "time": "2026-11-23T09:15:00+07:00"}
CROWD = {"kind": "crowd", "confidence": 0.6, "time": "2026-11-23T09:16:00+07:00"}


def png_bytes(color=(30, 120, 200)) -> bytes:
    from demo_backend.png import Canvas
    c = Canvas(64, 36, color)
    c.rect(10, 10, 30, 20, (250, 240, 0))
    return c.png()


# --------------------------------------------------------------------------- (e) KPIs, order, colours
def feed(gui, model, *batches, reset=None, now=None):
    """What the app does: the batch to the GUI and to the model (the situation layer),
    then the model's view to the GUI."""
    if reset is not None:
        gui.on_reset({"cameras": reset})
        model.reset(reset, now=now)
    for b in batches:
        gui.on_batch(b)
        model.apply_changes(b.topics["cameras"], now=now)
    gui.apply_view(model.view(now), full=True)


def test_kpis_order_and_map_colours_come_from_the_models_view(qtbot):
    from plugins.cameras.model import CamerasModel
    gui, model = make_gui(), CamerasModel()
    qtbot.addWidget(gui.panel)
    items = {"A": cam("A"), "B": cam("B", online=False), "C": cam("C", detection=CROWD),
             "D": cam("D", detection=FLOOD), "E": cam("E", detection={**FLOOD, "confidence": 0.6})}
    feed(gui, model, reset=items)
    head, dets = gui.kpis()
    assert head.value == "4/5" and head.abnormal == 1 + 3 and dets.value == "3"
    assert gui.panel.figures["flood"].text() == "1 flooded"
    # the grid: the flood alarm first, then other detections (by confidence), offline, the rest
    assert [t.objectName() for t in gui.panel.grid.order()] == ["camera-D", "camera-C", "camera-E",
                                                                "camera-B", "camera-A"]
    assert gui.tiles["B"].status() == "OFFLINE" and gui.tiles["B"].is_dimmed()
    assert gui.tiles["D"].badge().startswith("FLOODED STREET") and "86%" in gui.tiles["D"].badge()
    from plugins.cameras.gui import camera_features
    colours = {k: camera_features(k, d, gui._rank(k))[0]["fill"] for k, d in items.items()}
    assert colours["D"] == ALARM and colours["B"] != colours["A"] and colours["C"] not in (ALARM, colours["A"])
    # a second flooded street: it moves up the grid
    feed(gui, model, batch(cam("E", detection=FLOOD)))
    assert [t.objectName() for t in gui.panel.grid.order()][:2] == ["camera-D", "camera-E"]
    feed(gui, model, batch(cam("E", detection={**FLOOD, "confidence": 0.6})))
    # the flood ends, a camera goes down: KPIs follow
    feed(gui, model, batch(cam("D"), cam("A", online=False)))
    head, dets = gui.kpis()
    assert head.value == "3/5" and head.abnormal == 2 + 2
    assert gui.tiles["A"].note() == "offline since 09:20:00"
    # the detections list keeps the ended flood, marked ended
    rows = gui.detections.items()
    flood_row = next(r for r in rows.values() if r["camera_id"] == "D")
    assert flood_row["active"] is False and flood_row["ended"] == "2026-11-23T09:20:00+07:00"
    assert sum(1 for r in rows.values() if r["active"]) == 2
    # the GUI draws what it is given, computes none of it: a view says otherwise, it shows that
    gui.apply_view({"total": 9, "offline": 0, "detections": 0, "flooded": 0, "attention": {}})
    assert gui.kpis()[0].value == "9/9" and gui.tiles["B"].badge() == ""


def test_snapshots_are_fetched_once_per_url_and_cached_images_are_marked(qtbot):
    calls = []
    gui = make_gui(fetch=lambda url, cb: calls.append((url, cb)))
    qtbot.addWidget(gui.panel)
    gui.on_reset({"cameras": {k: cam(k) for k in "ABCDE"}})
    from plugins.cameras.gui import MAX_IN_FLIGHT
    assert len(calls) == MAX_IN_FLIGHT               # bounded, the rest queue
    while calls:
        url, cb = calls.pop(0)
        cb(MediaResult(url, png_bytes(), "image/png", time.time()))
    assert len(gui.snapshots) == 5 and all(t.image() is not None for t in gui.tiles.values())
    gui.on_batch(batch(cam("A")))                      # same picture: nothing fetched
    assert calls == []
    gui.on_batch(batch(cam("A", v=2)))                 # a new picture: fetched again
    assert [u for u, _ in calls] == ["/media/cameras/A.png?v=2"]
    url, cb = calls.pop()
    cb(MediaResult(url, png_bytes((200, 30, 30)), "image/png", 1_763_864_100.0, from_cache=True, error="down"))
    assert gui.tiles["A"].note().startswith("cached image from ")
    gui.on_batch(batch(cam("B", v=2)))
    url, cb = calls.pop()
    cb(MediaResult(url, error="HTTP 404"))             # a failure keeps the old picture, no hammering
    assert gui.tiles["B"].image() is not None
    gui.on_batch(batch(cam("B", v=2, name="renamed")))
    assert calls == []


def test_hostile_names_show_literally(qtbot):
    gui = make_gui()
    qtbot.addWidget(gui.panel)
    gui.on_reset({"cameras": {"X": cam("X", name=HOSTILE, detection={**CROWD, "kind": "<b>k</b>"})}})
    tile = gui.tiles["X"]
    assert tile.caption() == HOSTILE
    assert "&lt;img" in tile.toolTip() and "<img" not in tile.toolTip()
    assert "<B>K</B>" in tile.badge()


def test_past_detections_are_read_back_from_the_cache(qtbot):
    import sqlite3
    from plugins.cameras.gui import _read_history
    from plugins.cameras.model import CamerasModel
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE events (topic TEXT, seq INTEGER, time TEXT, op TEXT, key TEXT, data TEXT, "
                 "received_at REAL)")
    rows = [("A", cam("A", detection=CROWD)), ("B", cam("B", detection=FLOOD)), ("A", cam("A", detection=CROWD)),
            ("A", cam("A")), ("C", cam("C", detection=CROWD))]
    for seq, (key, data) in enumerate(rows, 1):
        conn.execute("INSERT INTO events VALUES ('cameras', ?, ?, 'upsert', ?, ?, 0)",
                     (seq, f"2026-11-23T09:2{seq}:00+07:00", key, json.dumps(data)))
    conn.execute("INSERT INTO events VALUES ('other', 9, 't', 'upsert', 'A', '{}', 0)")
    history = _read_history(conn)
    # only the ended detection (A's crowd, ended when A reported without it); B and C go on
    assert history == [("A", "Camera A", "crowd", 0.6, CROWD["time"], "2026-11-23T09:24:00+07:00")]
    gui, model = make_gui(), CamerasModel()
    qtbot.addWidget(gui.panel)
    feed(gui, model, reset={"B": cam("B", detection=FLOOD)})
    gui._on_history(history)
    states = sorted((r["camera_id"], r["active"]) for r in gui.detections.items().values())
    assert states == [("A", False), ("B", True)]
    feed(gui, model, batch(cam("B")))                     # the model's episodes and the past
    states = sorted((r["camera_id"], r["active"]) for r in gui.detections.items().values())
    assert states == [("A", False), ("B", False)]


# --------------------------------------------------------------------------- (c)+(d) live and rendered
def test_live_demo_data_reaches_table_panel_and_snapshots(qtbot, tmp_path):
    with live_plugin(qtbot, tmp_path, CamerasPlugin(), rate=60, with_map=True) as (service, window, backend):
        gui = window.guis["cameras"]
        qtbot.waitUntil(lambda: table_count(service, "cameras") >= len(SITES), timeout=15000)
        qtbot.waitUntil(lambda: len(gui.tiles) == len(SITES), timeout=10000)
        qtbot.waitUntil(lambda: len(gui.snapshots) >= len(SITES) - 2, timeout=20000)
        snap = next(iter(gui.snapshots.values()))
        assert (snap.image.width(), snap.image.height()) == (320, 180) and not snap.from_cache
        head = gui.kpis()[0]
        assert head.value.endswith(f"/{len(SITES)}")
        assert gui.layer.count() == len(SITES)            # one map point per camera
        qtbot.waitUntil(lambda: window.map.is_ready, timeout=20000)
        qtbot.waitUntil(lambda: (js(window.map, qtbot, "ioc.count('cameras')") or 0) == len(SITES), timeout=10000)
        # an injected flood reaches the banner (the engine's alarm, with the live value), and clears
        backend.publish("cameras", "CAM-99", {**cam("CAM-99"), "detection": FLOOD})
        flooded = ("cameras", "cameras.flooded_street/CAM-99")
        qtbot.waitUntil(lambda: flooded in window.banner.alarms, timeout=10000)
        assert window.banner.alarms[flooded].text.startswith(
            f"{cam('CAM-99')['name']}: flooded street seen (86% confidence)")
        qtbot.waitUntil(lambda: gui.kpis()[0].value.endswith(f"/{len(SITES) + 1}"), timeout=10000)
        backend.publish("cameras", "CAM-99", cam("CAM-99"))
        qtbot.waitUntil(lambda: service.situation.engine.get(flooded[1]).active is False
                        and "CAM-99" not in gui.view.get("attention", {}), timeout=10000)
        window.resizeDocks([window.docks["cameras/grid"]], [700], QtCore.Qt.Orientation.Horizontal)
        qtbot.wait(200)
        image = gui.panel.grab().toImage()
        image.save(str(tmp_path / "cameras_panel.png"))
        assert distinct_colors(image) > PANEL_COLORS


def test_an_empty_panel_fails_the_render_check(qtbot):
    gui = make_gui()
    qtbot.addWidget(gui.panel)
    gui.panel.resize(700, 800)
    gui.on_reset({"cameras": {}})
    assert distinct_colors(gui.panel.grab().toImage()) < PANEL_COLORS
