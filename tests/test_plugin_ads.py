"""The LED-billboard plugin: validator, simulator, live data through the real server
(its alarms on the wall's banner), the panel and its order.  The model, the violation and
offline rules and the KPIs from the view are in tests/test_model_ads.py."""
from __future__ import annotations

import copy
import json
import random
import time
from datetime import datetime, timedelta, timezone

import pytest

import schemakit
from schemakit import assert_rejected
from PySide6 import QtCore

from ioc_desktop.plugin_api import Plugin, ValidationError
from ioc_desktop.store.batch import CommittedBatch, EventRecord, TopicChanges
from plugins.ads import AdsPlugin
from plugins.ads import schema
from plugins.ads.model import AdsModel
from plugins.ads.rules import VIOLATION as VIOLATION_RULE
from plugins.ads.simulator import CATALOGUE, PROHIBITED_ITEMS, SITES, AdsSimulator
from pluginrig import live_plugin, table_count
from qthelpers import distinct_colors, js
from widgets.plugin_gui import AppContext
from widgets.theme import ALARM

SPEC = schema.SPEC
HOSTILE = "<img src=x onerror=alert(1)> '; DROP TABLE ads;-- \u202e {{7*7}}"
START = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)      # 09:00 in Huế
VIOLATION = {"kind": "prohibited_content", "detail": "Quảng cáo thuốc lá", "time": "2026-11-23T09:10:00+07:00",
             "content_id": "QC-X-THUOCLA"}
GOOD = {"screen_id": "LED-01", "name": "Ngã sáu Hùng Vương – Lê Lợi", "lat": 16.4640, "long": 107.5966,
        "online": True, "content_id": "QC-X-THUOCLA", "content_title": "Thuốc lá điếu",
        "since": "2026-11-22T08:00:00+07:00", "violation": VIOLATION}
#: A panel grab with data has far more colours than this; a blank one far fewer.
PANEL_COLORS = 180


def reject(data, *fragments: str) -> str:
    return assert_rejected(SPEC, data, *fragments)


def changed(**changes) -> dict:
    return schemakit.changed(GOOD, ..., **changes)


def viol(**changes) -> dict:
    v = dict(VIOLATION)
    for name, value in changes.items():
        if value is ...:
            v.pop(name, None)
        else:
            v[name] = value
    return v


# --------------------------------------------------------------------------- (a) validator
def test_plugin_declaration():
    plugin = AdsPlugin()
    assert isinstance(plugin, Plugin)
    assert (plugin.name, plugin.order, plugin.title) == ("ads", 80, "LED billboards")
    assert [s.name for s in plugin.topics] == ["ads"] and SPEC.key_field == "screen_id"
    assert not {"key", "seq", "time", "data"} & set(SPEC.columns)
    assert 60 <= SPEC.stale_after_s <= 900


def test_good_payloads_pass_and_map_onto_columns():
    out = SPEC.validate(GOOD)
    assert out == GOOD and out is not GOOD
    row = SPEC.row("LED-01", out)
    assert set(row) == set(SPEC.columns)
    assert row == {"name": "Ngã sáu Hùng Vương – Lê Lợi", "lat": 16.4640, "long": 107.5966, "online": 1,
                   "content_id": "QC-X-THUOCLA", "since": "2026-11-22T08:00:00+07:00",
                   "violation_kind": "prohibited_content", "violation_time": "2026-11-23T09:10:00+07:00"}
    for col in SPEC.indexes:
        assert set(col) <= set(SPEC.columns)
    quiet = SPEC.validate(changed(violation=None, online=False, content_id=None, content_title=..., since=...,
                                  name=...))
    assert SPEC.row("x", quiet)["violation_kind"] is None and SPEC.row("x", quiet)["online"] == 0
    text = SPEC.validate(changed(violation="Nội dung chưa được cấp phép"))
    assert SPEC.row("x", text)["violation_kind"] == "other" and SPEC.row("x", text)["violation_time"] is None
    assert schema.violation_info(text) == ("other", "Nội dung chưa được cấp phép", None)
    minimal = SPEC.validate(changed(violation={"kind": "brightness_breach", "lux": 9000}, vendor=[1]))
    assert minimal["violation"]["lux"] == 9000 and minimal["vendor"] == [1]
    assert SPEC.row("x", minimal)["violation_kind"] == "brightness_breach"
    assert SPEC.row("x", changed(violation=viol(time="2026-11-23T02:10:00Z")))["violation_time"] \
        == "2026-11-23T09:10:00+07:00"


def test_malformed_payloads_are_rejected_with_the_field_named():
    reject(changed(screen_id=...), "data.screen_id", "missing")
    reject(changed(screen_id=""), "data.screen_id", "empty")
    reject(changed(screen_id=12), "data.screen_id", "expected text")
    reject(changed(name=1), "data.name", "expected text")
    reject(changed(lat=...), "data.lat", "missing")
    reject(changed(lat=-91), "data.lat: -91 below -90")
    reject(changed(long=181), "data.long: 181 above 180")
    reject(changed(lat=0, long=0), "0,0")
    reject(changed(online=...), "data.online", "missing")
    reject(changed(online="false"), "data.online", "expected true/false")
    reject(changed(content_id=5), "data.content_id", "expected text")
    reject(changed(content_id="x" * 65), "data.content_id", "longer than 64")
    reject(changed(since="last week"), "data.since", "RFC 3339")
    reject(changed(since="2026-11-22T08:00:00"), "data.since", "offset")
    reject(changed(violation=""), "data.violation", "empty")
    reject(changed(violation="   "), "data.violation", "empty")
    reject(changed(violation="x" * 2001), "data.violation", "longer")
    reject(changed(violation=True), "data.violation", "expected null, text or an object")
    reject(changed(violation=["unlicensed_content"]), "data.violation", "expected null, text or an object")
    reject(changed(violation=viol(kind=...)), "data.violation.kind", "missing")
    reject(changed(violation=viol(kind="Unlicensed!")), "data.violation.kind", "identifier")
    reject(changed(violation=viol(detail=7)), "data.violation.detail", "expected text")
    reject(changed(violation=viol(time="soon")), "data.violation.time", "RFC 3339")
    reject(changed(violation=viol(content_id=["a"])), "data.violation.content_id", "expected text")
    reject("LED-01", "data: expected an object")


def test_hostile_text_is_valid_data_and_passes_unchanged():
    out = SPEC.validate(changed(name=HOSTILE, content_id=HOSTILE[:60], content_title=HOSTILE,
                                violation=viol(detail=HOSTILE)))
    assert out["name"] == HOSTILE and out["content_title"] == HOSTILE and out["violation"]["detail"] == HOSTILE
    assert SPEC.validate(changed(violation=HOSTILE))["violation"] == HOSTILE


# --------------------------------------------------------------------------- (b) simulator
def run(seed: int, ticks: int, budget: int, tick: timedelta = timedelta(milliseconds=100)):
    sim = AdsSimulator()
    rng = random.Random(seed)
    out = [sim.start(rng, START)]
    for k in range(1, ticks + 1):
        out.append(sim.step(rng, START + k * tick, budget))
    return sim, out


def dump(per_tick) -> list[str]:
    return [json.dumps([e.topic, e.key, e.op, e.data], sort_keys=True, ensure_ascii=False)
            for events in per_tick for e in events]


def test_simulator_is_deterministic_per_seed():
    a = dump(run(7, 600, 3, timedelta(seconds=1))[1])
    b = dump(run(7, 600, 3, timedelta(seconds=1))[1])
    c = dump(run(8, 600, 3, timedelta(seconds=1))[1])
    assert len(a) > 1000 and a == b and a != c


@pytest.mark.parametrize("budget", [0, 7, 300])
def test_every_event_validates_and_the_budget_is_respected(budget):
    sim, per_tick = run(3, 300, budget)
    assert len(per_tick[0]) == len(SITES)
    for events in per_tick:
        for e in events:
            assert e.topic == "ads" and e.op == "upsert"
            assert e.key == SPEC.validate(e.data)["screen_id"]
    steps = per_tick[1:]
    total = sum(len(ev) for ev in steps)
    if budget:
        assert budget * len(steps) <= total <= budget * len(steps) * 1.05 + 30   # + changes of item
    else:
        assert 0.3 * len(steps) <= total <= 0.9 * len(steps)


def test_screens_rotate_content_go_dark_and_violate_now_and_then():
    assert 10 <= len(SITES) <= 20
    for s in SITES:
        assert 16.38 <= s.lat <= 16.50 and 107.55 <= s.lon <= 107.72, s
    sim, per_tick = run(5, 3600, 1, timedelta(seconds=1))     # one simulated hour
    events = [e for evs in per_tick for e in evs]
    by_screen: dict[str, list] = {}
    for e in events:
        by_screen.setdefault(e.key, []).append(e.data)
    # rotation: every screen shows several licensed items over the hour
    for key, datas in by_screen.items():
        shown = {d["content_id"] for d in datas if d["online"] and not d["violation"]}
        assert len(shown) >= 3 and shown <= set(CATALOGUE), key
    # outages come and go; an offline screen shows nothing
    assert any(not d["online"] for d in (e.data for e in events))
    assert all(d["content_id"] is None for d in (e.data for e in events) if not d["online"])
    # violations of every kind, each cleared after a while, at most two at once
    kinds = {e.data["violation"]["kind"] for e in events if e.data["violation"]}
    assert kinds == {"unlicensed_content", "prohibited_content", "schedule_breach"}
    prohibited = {c for c, _t, _w in PROHIBITED_ITEMS}
    for e in events:
        v = e.data["violation"]
        if v:
            assert v["content_id"] == e.data["content_id"] and v["detail"]
            if v["kind"] == "unlicensed_content":
                assert v["content_id"] not in CATALOGUE
            if v["kind"] == "prohibited_content":
                assert v["content_id"] in prohibited
    # each violation lasts 2–6 minutes, unless the screen goes dark first
    spans: dict[tuple, list] = {}
    for k, evs in enumerate(per_tick):
        for e in evs:
            for (key, _t), span in spans.items():
                if key == e.key and len(span) == 1 and not e.data["violation"]:
                    span.append((k, e.data["online"]))
            v = e.data["violation"]
            if v:
                spans.setdefault((e.key, v["time"]), [k])
    assert 4 <= len(spans) <= 30
    ended_by_clearing = [span[1][0] - span[0] for span in spans.values() if len(span) == 2 and span[1][1]]
    assert len(ended_by_clearing) >= 3
    assert all(115 <= d <= 365 for d in ended_by_clearing), ended_by_clearing
    state = {}
    worst = 0
    for e in events:
        state[e.key] = bool(e.data["violation"])
        worst = max(worst, sum(state.values()))
    assert worst <= sim.max_violations


def test_simulator_is_cheap_per_event():
    sim, _ = run(1, 1, 0)
    rng = random.Random(2)
    t0 = time.perf_counter()
    n = 0
    for k in range(2, 42):
        n += len(sim.step(rng, START + timedelta(milliseconds=100 * k), 5000))
    per_event = (time.perf_counter() - t0) / n
    assert per_event < 10e-6, f"{per_event * 1e6:.1f} µs per event"


# --------------------------------------------------------------------------- GUI
def make_gui():
    from plugins.ads.gui import AdsGui
    return AdsGui(AdsPlugin(), AppContext(map=None))


def view_of(items: dict) -> dict:
    model = AdsModel()
    model.reset(items, now=START.timestamp())
    return model.view()


def screen(sid: str, online=True, violation=None, name=None, content="TT-HOTLINE") -> dict:
    return {"screen_id": sid, "name": name or f"Screen {sid}", "lat": 16.46, "long": 107.60, "online": online,
            "content_id": content if online else None, "since": "2026-11-23T08:00:00+07:00",
            "violation": violation}


def batch(*items: dict) -> CommittedBatch:
    ch = TopicChanges()
    for i, d in enumerate(items):
        ch.events.append(EventRecord("ads", 50 + i, "2026-11-23T09:20:00+07:00", "upsert", d["screen_id"], d))
        ch.upserts[d["screen_id"]] = d
    return CommittedBatch(topics={"ads": ch})


def test_kpis_order_and_map(qtbot):
    gui = make_gui()
    qtbot.addWidget(gui.panel)
    items = {"A": screen("A"), "B": screen("B", online=False), "C": screen("C", violation=VIOLATION),
             "D": screen("D", violation="Phát sai giờ")}
    gui.on_reset({"ads": items})
    gui.apply_view(view_of(items), full=True)
    online, violations = gui.kpis()
    assert online.value == "3/4" and online.abnormal == 0
    assert violations.value == "2" and violations.abnormal == 2
    # the list: violations first, then offline screens, then the rest
    proxy = gui.table.proxy
    keys = [proxy.data(proxy.index(r, 0), gui.model.KEY_ROLE) for r in range(proxy.rowCount())]
    assert keys == ["C", "D", "B", "A"]
    # nothing selected: the details name the violations in force
    assert "Screen C" in gui.panel.details.text() and "Quảng cáo thuốc lá" in gui.panel.details.text()
    from plugins.ads.gui import screen_features
    assert screen_features("C", items["C"])[0]["fill"] == ALARM
    assert screen_features("B", items["B"])[0]["fill"] != screen_features("A", items["A"])[0]["fill"]
    # a violation cleared, another screen dark: the rows follow the batch, the figures the view
    gui.on_batch(batch(screen("C"), screen("A", online=False)))
    items.update(C=screen("C"), A=screen("A", online=False))
    assert gui.model.item("C")["violation"] is None
    gui.apply_view(view_of(items))
    online, violations = gui.kpis()
    assert online.value == "2/4" and violations.abnormal == 1
    keys = [proxy.data(proxy.index(r, 0), gui.model.KEY_ROLE) for r in range(proxy.rowCount())]
    assert keys == ["D", "A", "B", "C"]
    # a deleted screen leaves the list
    ch = TopicChanges(deletes={"D"})
    gui.on_batch(CommittedBatch(topics={"ads": ch}))
    del items["D"]
    gui.apply_view(view_of(items))
    assert gui.model.row_of("D") is None and gui.kpis()[0].value == "1/3"


def test_hostile_text_shows_literally(qtbot):
    gui = make_gui()
    qtbot.addWidget(gui.panel)
    items = {"X": screen("X", name=HOSTILE, content=HOSTILE[:60], violation=HOSTILE)}
    gui.on_reset({"ads": items})
    gui.apply_view(view_of(items), full=True)
    assert gui.panel.details.text() == f"{HOSTILE}: violation — {HOSTILE}"     # the summary
    gui.select("ads", "X")
    proxy = gui.table.proxy
    assert proxy.data(proxy.index(0, 0)) == HOSTILE
    tip = proxy.data(proxy.index(0, 0), QtCore.Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img" in tip and "<img" not in tip
    assert HOSTILE in gui.panel.details.text()
    assert gui.panel.details.textFormat() == QtCore.Qt.TextFormat.PlainText


# --------------------------------------------------------------------------- (c)+(d) live and rendered
def test_live_demo_data_reaches_table_and_panel(qtbot, tmp_path):
    with live_plugin(qtbot, tmp_path, AdsPlugin(), rate=60, with_map=True) as (service, window, backend):
        gui = window.guis["ads"]
        qtbot.waitUntil(lambda: table_count(service, "ads") >= len(SITES), timeout=15000)
        qtbot.waitUntil(lambda: gui.model.rowCount() >= len(SITES), timeout=10000)
        # the simulator starts with one violation: the engine's alarm is on the banner,
        # and the model's view counts it
        qtbot.waitUntil(lambda: any(src == "ads" and key.startswith(VIOLATION_RULE + "/")
                                    for src, key in window.banner.alarms), timeout=10000)
        qtbot.waitUntil(lambda: gui.kpis() and gui.kpis()[1].abnormal >= 1, timeout=5000)
        assert gui.kpis()[0].value.endswith(f"/{len(SITES)}")
        assert gui.layer.count() == len(SITES)            # one map point per screen
        qtbot.waitUntil(lambda: window.map.is_ready, timeout=20000)
        qtbot.waitUntil(lambda: (js(window.map, qtbot, "ioc.count('ads')") or 0) == len(SITES), timeout=10000)
        window.resizeDocks([window.docks["ads/screens"]], [700], QtCore.Qt.Orientation.Horizontal)
        qtbot.wait(200)
        image = gui.panel.grab().toImage()
        image.save(str(tmp_path / "ads_panel.png"))
        assert distinct_colors(image) > PANEL_COLORS


def test_an_empty_panel_fails_the_render_check(qtbot):
    gui = make_gui()
    qtbot.addWidget(gui.panel)
    gui.panel.resize(700, 800)
    gui.on_reset({"ads": {}})
    assert distinct_colors(gui.panel.grab().toImage()) < PANEL_COLORS
