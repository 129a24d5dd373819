"""The cyber plugin (giám sát an toàn thông tin mạng): validator and state rows, the
demo simulator (deterministic, valid, budget-driven, ≤ 5 % critical, statuses moving
forward in time), the panel drawing the model's counts, the engine's alarm on the banner,
and the panel live and offscreen.  The model and the rule: tests/test_model_cyber.py."""
from __future__ import annotations

import copy
import json
import random
import sqlite3
import time
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

import schemakit
from schemakit import assert_rejected
from PySide6 import QtCore, QtWidgets

from ioc_desktop.alarms import alarm_id_for
from ioc_desktop.interop import rfc3339_local
from ioc_desktop.plugin_api import Plugin, ValidationError
from ioc_desktop.store.batch import CommittedBatch, TopicChanges
from plugins.cyber import CyberPlugin
from plugins.cyber import schema
from plugins.cyber.gui import SEVERITY_COLORS, CyberGui, CyberPanel
from plugins.cyber.model import CyberModel
from plugins.cyber.rules import SERIOUS_EVENT
from plugins.cyber.simulator import CyberSimulator
from pluginrig import live_plugin, table_count
from qthelpers import distinct_colors, has_color
from widgets.alarm_banner import AlarmBanner
from widgets.plugin_gui import AppContext

HOSTILE = "<img src=x onerror=alert(1)> '; DROP TABLE cyber;-- \u202e {{7*7}}"
START = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)
SPEC = schema.SPEC
ORDER = {"new": 0, "investigating": 1, "contained": 2, "resolved": 3, "false_positive": 3}

EVENT = {
    "event_id": "ATTT-000123",
    "time": "2026-11-23T02:15:00Z",
    "severity": "high",
    "category": "brute_force",
    "source_ip": "203.0.113.77",
    "target_system": "Cổng dịch vụ công tỉnh",
    "status": "investigating",
    "count": 14,
    "last_seen": "2026-11-23T09:20:00+07:00",
    "dest_port": 22,
    "description": "Đăng nhập sai mật khẩu liên tiếp",
    "x_vendor": {"rule": 4711},
}


def changed(**changes) -> dict:
    return schemakit.changed(EVENT, DROP, **changes)


DROP = schemakit.DROP


def reject(data, *fragments: str) -> str:
    return assert_rejected(SPEC, data, *fragments)


# --------------------------------------------------------------------------- plugin
def test_plugin_declaration():
    plugin = CyberPlugin()
    assert isinstance(plugin, Plugin)
    assert (plugin.name, plugin.order) == ("cyber", 100)
    assert plugin.title == "Cyber security" and plugin.title.isascii()
    assert [s.name for s in plugin.topics] == ["cyber"] and SPEC.key_field == "event_id"
    for index in SPEC.indexes:
        assert set(index) <= set(SPEC.columns), index
    assert not set(SPEC.columns) & {"key", "seq", "time", "data"}
    assert 60 <= SPEC.stale_after_s <= 1800
    assert plugin.simulator() is not plugin.simulator()


# --------------------------------------------------------------------------- validator
def test_good_event_passes_and_maps_onto_the_columns():
    before = copy.deepcopy(EVENT)
    out = SPEC.validate(EVENT)
    assert out == before and EVENT == before
    row = SPEC.row("ATTT-000123", out)
    assert set(row) == set(SPEC.columns)
    assert row == {"event_time": "2026-11-23T09:15:00+07:00", "severity": "high", "severity_rank": 3,
                   "category": "brute_force", "source_ip": "203.0.113.77",
                   "target_system": "Cổng dịch vụ công tỉnh", "status": "investigating", "open": 1,
                   "count": 14}


@pytest.mark.parametrize("status, open_", [("new", 1), ("investigating", 1), ("contained", 0),
                                           ("resolved", 0), ("false_positive", 0)])
def test_open_means_not_yet_contained(status, open_):
    assert SPEC.row("k", SPEC.validate(changed(status=status)))["open"] == open_


@pytest.mark.parametrize("ip, canonical", [
    ("10.52.3.4", "10.52.3.4"), ("2001:DB8:0:0::1", "2001:db8::1"), ("::1", "::1"),
    ("2001:db8:0000:0000:0000:0000:0000:00ff", "2001:db8::ff"), (" 198.51.100.7 ", "198.51.100.7")])
def test_addresses_are_checked_and_normalised(ip, canonical):
    data = changed(source_ip=ip)
    out = SPEC.validate(data)
    assert out["source_ip"] == canonical and data["source_ip"] == ip   # the input is not changed
    assert SPEC.row("k", out)["source_ip"] == canonical


def test_optional_fields_and_unknown_categories():
    out = SPEC.validate(changed(count=DROP, last_seen=DROP, dest_port=DROP, description=DROP,
                                category="cryptojacking", severity="critical", status="new"))
    row = SPEC.row("k", out)
    assert row["count"] is None and row["category"] == "cryptojacking" and row["severity_rank"] == 4
    for category in schema.CATEGORIES + ("sql-injection", "x1"):
        SPEC.validate(changed(category=category))


@pytest.mark.parametrize("changes, fragment", [
    ({"event_id": DROP}, "data.event_id: required"),
    ({"event_id": " "}, "data.event_id: must not be empty"),
    ({"time": DROP}, "data.time: required"),
    ({"time": "23/11/2026 09:15"}, "data.time: '23/11/2026 09:15' is not an RFC 3339"),
    ({"time": "2026-11-23T09:15:00"}, "data.time: '2026-11-23T09:15:00' has no UTC offset"),
    ({"severity": DROP}, "data.severity: required"),
    ({"severity": "severe"}, "data.severity: 'severe' is not one of"),
    ({"severity": "CRITICAL"}, "data.severity"),
    ({"severity": 4}, "data.severity: expected text"),
    ({"category": DROP}, "data.category: required"),
    ({"category": "Malware"}, "data.category: 'Malware' is not an identifier"),
    ({"category": "brute force"}, "data.category: 'brute force' is not an identifier"),
    ({"category": "1malware"}, "data.category"),
    ({"category": "x" * 41}, "data.category: text longer than 40"),
    ({"source_ip": DROP}, "data.source_ip: required"),
    ({"source_ip": "203.0.113.256"}, "data.source_ip: '203.0.113.256' is not an IPv4 or IPv6"),
    ({"source_ip": "1.2.3"}, "data.source_ip"),
    ({"source_ip": "2001:db8::1::2"}, "data.source_ip"),
    ({"source_ip": "hue.gov.vn"}, "data.source_ip"),
    ({"source_ip": "203.0.113.7/24"}, "data.source_ip"),
    ({"source_ip": 3405803777}, "data.source_ip: expected text"),
    ({"target_system": DROP}, "data.target_system: required"),
    ({"target_system": ""}, "data.target_system: must not be empty"),
    ({"target_system": "x" * 201}, "data.target_system: text longer than 200"),
    ({"status": DROP}, "data.status: required"),
    ({"status": "closed"}, "data.status: 'closed' is not one of"),
    ({"count": 0}, "data.count: 0 below 1"),
    ({"count": 1.5}, "data.count: expected a whole number"),
    ({"count": "3"}, "data.count: expected a number"),
    ({"dest_port": 70000}, "data.dest_port: 70000 above 65535"),
    ({"dest_port": 22.5}, "data.dest_port: expected a whole number"),
    ({"last_seen": "now"}, "data.last_seen"),
    ({"description": ["x"]}, "data.description: expected text"),
])
def test_bad_events_are_rejected_with_the_field_named(changes, fragment):
    reject(changed(**changes), fragment)


def test_not_an_object():
    reject("event", "data: expected an object")


def test_hostile_text_passes_unchanged():
    data = changed(target_system=HOSTILE, description="<script>alert(2)</script>",
                   detector="<b>IDS</b>")
    out = SPEC.validate(copy.deepcopy(data))
    assert out == data and SPEC.row("k", out)["target_system"] == HOSTILE


# --------------------------------------------------------------------------- simulator
def run(seed: int, ticks: int, budget: int, tick: timedelta = timedelta(milliseconds=100),
        sim: CyberSimulator | None = None):
    sim = sim or CyberSimulator()
    rng = random.Random(seed)
    out = [sim.start(rng, START)]
    for k in range(1, ticks + 1):
        out.append(sim.step(rng, START + k * tick, budget))
    return out


def flat(per_tick):
    return [e for events in per_tick for e in events]


def dump(events) -> list[str]:
    return [json.dumps([e.topic, e.key, e.op, e.data], sort_keys=True, ensure_ascii=False) for e in events]


def test_simulator_is_deterministic_per_seed():
    a, b, c = (dump(flat(run(seed, 300, 3, timedelta(seconds=1)))) for seed in (7, 7, 8))
    assert len(a) > 500 and a == b and a != c


@pytest.mark.parametrize("budget", [0, 7, 300])
def test_every_event_validates(budget):
    sim = CyberSimulator(max_active=300, keep_closed=200)
    events = flat(run(3, 100 if budget >= 100 else 600, budget, timedelta(seconds=1), sim=sim))
    ops = Counter()
    for e in events:
        assert e.topic == "cyber"
        ops[e.op] += 1
        if e.op == "delete":
            assert e.data is None
            continue
        data = SPEC.validate(e.data)
        assert data["event_id"] == e.key and data == e.data      # the demo sends canonical addresses
        assert set(SPEC.row(e.key, data)) == set(SPEC.columns)
    assert ops["upsert"] >= 40
    assert len(sim._active) <= 300


def test_budget_is_respected_and_zero_trickles():
    per_tick = run(11, 50, 100)[1:]
    counts = [len(ev) for ev in per_tick]
    assert all(100 <= c <= 110 for c in counts), counts     # + the status steps that fell due
    counts = [len(ev) for ev in run(11, 600, 0)[1:]]
    assert 1 <= sum(counts) < 100 and max(counts) <= 3


def test_severity_mix_is_believable_and_critical_is_rare():
    sim = CyberSimulator(max_active=100_000)
    rng = random.Random(5)
    sim.start(rng, START)
    severities = Counter(sim._new_event(rng, "t")["severity"] for _ in range(20_000))
    share = {s: n / 20_000 for s, n in severities.items()}
    assert share["low"] > share["medium"] > share["high"] > share["critical"]
    assert share["low"] + share["medium"] > 0.75
    assert 0.01 < share["critical"] <= 0.05           # ISA-18.2: ≤ 5 % critical


def test_statuses_move_forward_and_critical_events_are_handled_fast():
    sim = CyberSimulator()
    rng = random.Random(9)
    first: dict[str, datetime] = {}
    contained: dict[str, float] = {}
    last: dict[str, dict] = {}
    per_tick = [sim.start(rng, START)]
    for k in range(1, 4 * 3600, 2):
        per_tick.append(sim.step(rng, START + timedelta(seconds=k), 1))
    statuses = Counter()
    for events in per_tick:
        for e in events:
            if e.data is None:
                continue
            old = last.get(e.key)
            if old is not None:
                assert ORDER[e.data["status"]] >= ORDER[old["status"]], (old, e.data)
                assert e.data["count"] >= old["count"] and e.data["time"] == old["time"]
            last[e.key] = e.data
            statuses[e.data["status"]] += 1
            first.setdefault(e.key, datetime.fromisoformat(e.data["time"]))
            if e.data["severity"] == "critical" and e.data["status"] not in schema.OPEN_STATUSES:
                contained.setdefault(e.key, (datetime.fromisoformat(e.data["updated"]) -
                                             first[e.key]).total_seconds())
    assert set(statuses) == set(schema.STATUSES)
    assert contained and max(contained.values()) <= 60 + 240 + 2     # triage + containment
    final = Counter(d["status"] for d in last.values())
    assert final["resolved"] > final["false_positive"] > 0


def test_state_stays_bounded():
    sim = CyberSimulator(max_active=50, keep_closed=30)
    live: dict[str, dict] = {}
    for e in flat(run(5, 3000, 20, timedelta(seconds=1), sim=sim)):
        if e.op == "delete":
            live.pop(e.key)
        else:
            live[e.key] = e.data
    assert len(live) <= 50 + 31
    with pytest.raises(ValueError):
        CyberSimulator(max_active=0)


def test_simulator_is_cheap():
    sim = CyberSimulator()
    rng = random.Random(1)
    sim.start(rng, START)
    n, k = 0, 0
    t0 = time.perf_counter()
    while n < 50_000:
        k += 1
        n += len(sim.step(rng, START + k * timedelta(milliseconds=100), 1000))
    per_event = (time.perf_counter() - t0) / n
    assert per_event < 25e-6, f"{per_event * 1e6:.1f} µs/event"   # ~1.5 µs here


# --------------------------------------------------------------------------- GUI, offscreen
def fake_context():
    banner = AlarmBanner()
    return AppContext(banner=banner, run_read=lambda fn, cb: cb(None)), banner


def batch_of(items: dict[str, dict], deletes=()) -> CommittedBatch:
    return CommittedBatch(topics={"cyber": TopicChanges(upserts=items, deletes=set(deletes))})


def ev(key: str, severity: str, status: str, **more) -> dict:
    return changed(event_id=key, severity=severity, status=status, **more)


def feed(gui, model, state=None, batch=None, now: float = 0.0):
    """What the app does: the GUI gets the rows, the situation layer's model the same
    data, and the GUI draws the model's view."""
    if state is not None:
        gui.on_reset(state)
        model.reset(state["cyber"], now=now)
    if batch is not None:
        gui.on_batch(batch)
        model.apply_changes(batch.topics["cyber"], now=now)
    gui.apply_view(model.view(now), full=True)


def test_gui_shows_the_models_counts_and_raises_no_alarm_itself(qtbot):
    context, banner = fake_context()
    gui = CyberGui(CyberPlugin(), context)
    qtbot.addWidget(gui.panel)
    assert gui.kpis()[0].value == "0" and gui.panel.summary.text() == ""
    model = CyberModel()
    feed(gui, model, state={"cyber": {
        "a": ev("a", "low", "new"), "b": ev("b", "low", "investigating"), "c": ev("c", "medium", "new"),
        "d": ev("d", "high", "investigating"), "e": ev("e", "high", "contained"),
        "f": ev("f", "critical", "resolved"), "g": ev("g", "low", "false_positive"),
        "h": ev("h", "critical", "new", category="ransomware", target_system=HOSTILE)}})
    assert gui.open_by_severity == {"low": 2, "medium": 1, "high": 1, "critical": 1}
    counts = gui.panel.counts
    assert [counts.value(s) for s in ("critical", "high", "medium", "low")] == ["1", "1", "1", "2"]
    assert counts.cells["critical"].is_active() and not counts.cells["low"].is_active()
    assert gui.panel.summary.text() == "5 open · 1 contained · 2 closed"
    kpis = gui.kpis()
    assert [(k.value, k.abnormal) for k in kpis] == [("5", 0), ("2", 2)]
    assert kpis[1].tooltip == "1 critical, 1 high"

    feed(gui, model, batch=batch_of({"h": ev("h", "critical", "investigating"),
                                     "i": ev("i", "critical", "new")}))
    assert gui.kpis()[1].abnormal == 3
    feed(gui, model, batch=batch_of({"h": ev("h", "critical", "contained")}, deletes=["i"]))
    assert gui.kpis()[1].abnormal == 1 and gui.panel.counts.value("critical") == "0"
    assert not gui.panel.counts.cells["critical"].is_active()
    assert gui.panel.summary.text() == "4 open · 2 contained · 2 closed"
    # the figures are the view's: a view with other numbers shows them
    gui.apply_view({"open_by_severity": {"low": 0, "medium": 0, "high": 7, "critical": 2},
                    "open": 9, "serious": 9, "contained": 0, "finished": 0})
    assert [(k.value, k.abnormal) for k in gui.kpis()] == [("9", 0), ("9", 9)]
    assert gui.panel.counts.value("high") == "7"
    assert banner.alarms == {}          # the engine's alarms reach the banner through the core


def test_panel_labels_are_plain_text(qtbot):
    panel = CyberPanel(lambda fn, cb: cb(None))
    qtbot.addWidget(panel)
    for label in panel.findChildren(QtWidgets.QLabel):
        assert label.textFormat() == QtCore.Qt.TextFormat.PlainText, label.objectName()


# --------------------------------------------------------------------------- live
MIN_COLORS = 200


def test_live_events_reach_the_cache_the_list_the_counts_and_the_banner(qtbot, tmp_path):
    with live_plugin(qtbot, tmp_path, CyberPlugin(), rate=60) as (service, window, backend):
        gui = window.guis["cyber"]
        panel = gui.panel
        qtbot.waitUntil(lambda: panel.model.rowCount() >= 40, timeout=15000)
        assert table_count(service, "cyber") >= panel.model.rowCount()
        qtbot.waitUntil(lambda: panel.summary.text() != "", timeout=5000)
        backend.paused = True
        time.sleep(0.5)
        conn = sqlite3.connect(service.config.cache)
        open_ = dict(conn.execute("SELECT severity, count(*) FROM cyber WHERE open = 1 GROUP BY severity"))
        newest = conn.execute("SELECT key FROM cyber ORDER BY event_time DESC, key DESC LIMIT 1").fetchone()[0]
        conn.close()
        qtbot.waitUntil(lambda: gui.open_by_severity == {s: open_.get(s, 0) for s in schema.SEVERITIES},
                        timeout=5000)
        kpis = gui.kpis()
        assert kpis[0].value == str(sum(open_.values()))
        assert kpis[1].abnormal == open_.get("high", 0) + open_.get("critical", 0)
        panel.model.refresh()
        qtbot.waitUntil(lambda: panel.model.key_at(0) == newest, timeout=5000)

        # a critical event through the real server: banner until contained
        now = rfc3339_local(datetime.now(timezone.utc) + timedelta(seconds=5))
        crit = ev("ATTT-XSS", "critical", "new", time=now, target_system=HOSTILE, category="data_leak")
        backend.publish("cyber", "ATTT-XSS", crit)
        alarm_key = ("cyber", alarm_id_for(SERIOUS_EVENT, "ATTT-XSS"))
        qtbot.waitUntil(lambda: alarm_key in window.banner.alarms, timeout=10000)
        assert window.banner.alarms[alarm_key].severity == "critical"      # priority 1
        assert window.banner.isVisible() and HOSTILE in window.banner.label.text()
        qtbot.waitUntil(lambda: panel.model.key_at(0) == "ATTT-XSS", timeout=5000)
        texts = [panel.model.data(panel.model.index(0, c)) for c in range(panel.model.columnCount())]
        assert "CRITICAL" in texts and "new" in texts and HOSTILE[:59] + "…" in texts
        tip = panel.model.data(panel.model.index(0, 3), QtCore.Qt.ItemDataRole.ToolTipRole)
        assert "&lt;img src=x onerror=alert(1)&gt;" in tip and "<img" not in tip
        qtbot.waitUntil(lambda: panel.counts.cells["critical"].is_active(), timeout=5000)
        window.banner.activated.emit(*alarm_key)          # click on the banner: the summary
        assert window.alarms.summary.show_source()        # … and Enter there: the event
        qtbot.waitUntil(lambda: panel.view.currentIndex().row() == 0, timeout=5000)

        # contained: the alarm returns to normal, listed until it is acknowledged
        backend.publish("cyber", "ATTT-XSS", dict(crit, status="contained"))
        engine_alarm = lambda: window._engine_alarms.get(alarm_key[1])   # noqa: E731
        qtbot.waitUntil(lambda: engine_alarm() is not None and not engine_alarm().active, timeout=10000)
        window.banner.acknowledged.emit(*alarm_key)
        qtbot.waitUntil(lambda: alarm_key not in window.banner.alarms, timeout=10000)

        # the filter shows open events only, in SQL
        panel.open_only.setChecked(True)
        qtbot.waitUntil(lambda: panel.model.rowCount() == sum(open_.values()), timeout=5000)


def test_panel_renders_with_data_and_not_when_empty(qtbot, tmp_path):
    empty = CyberPanel(lambda fn, cb: cb(None))
    qtbot.addWidget(empty)
    empty.show()
    with live_plugin(qtbot, tmp_path, CyberPlugin(), rate=60) as (service, window, backend):
        gui = window.guis["cyber"]
        qtbot.waitUntil(lambda: gui.panel.model.rowCount() >= 40, timeout=15000)
        backend.publish("cyber", "ATTT-C1", ev("ATTT-C1", "critical", "new",
                                               time=rfc3339_local(datetime.now(timezone.utc))))
        qtbot.waitUntil(lambda: gui.panel.counts.cells["critical"].is_active(), timeout=10000)
        for dock in getattr(window, "alarm_docks", {}).values():
            dock.hide()                    # the alarm views (not under test) leave it room
        window.docks["cyber/events"].raise_()
        # The empty panel at the live one's size (the docks decide it) is the baseline:
        # an absolute count of colours depends on that size and on the rows' texts.
        empty.resize(gui.panel.size())
        qtbot.wait(50)
        blank = distinct_colors(empty.grab().toImage())
        assert blank < MIN_COLORS / 2, blank       # the check below can fail
        # painted once the rows are in (a loaded machine may need a few frames)
        qtbot.waitUntil(lambda: distinct_colors(gui.panel.grab().toImage()) > 2 * blank + 40,
                        timeout=5000)
        image = gui.panel.grab().toImage()
        assert distinct_colors(image) > 2 * blank + 40
        assert has_color(image, SEVERITY_COLORS["critical"])        # the filled critical cell
        image.save(str(tmp_path / "cyber_panel.png"))
