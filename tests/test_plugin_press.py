"""The press plugin (giám sát thông tin báo chí): validator and state rows, the demo
simulator (deterministic, valid, budget-driven, negative during the flood, spiking with
the floods), and the panel live and offscreen.  The model, the negative-spike rule at
its boundaries and the panel as a view of the model are in tests/test_model_press.py."""
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
from plugins.press import PressPlugin
from plugins.press import schema
from plugins.press.gui import PressGui, PressPanel, sentiment_text
from plugins.press.model import PressModel
from plugins.press.rules import NEGATIVE_SPIKE, SPIKE_KEY
from plugins.press.simulator import PressSimulator, flood_factor
from plugins.press.spike import SpikeDetector
from pluginrig import live_plugin, table_count
from qthelpers import distinct_colors
from widgets.plugin_gui import AppContext

HOSTILE = "<img src=x onerror=alert(1)> '; DROP TABLE press;-- \u202e {{7*7}}"
START = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)      # 09:00 in Huế
SPEC = schema.SPEC

ITEM = {
    "item_id": "BC-0000123",
    "source": "Báo Thừa Thiên Huế",
    "title": "Lũ lên nhanh, hàng trăm hộ dân ở Kim Long phải sơ tán",
    "url": "https://baothuathienhue.vn.example/lu-len-nhanh-123.html",
    "published": "2026-11-23T02:15:00Z",
    "topic": "thien_tai",
    "sentiment": -0.75,
    "comments": 12,
    "shares": 30,
    "x_vendor": {"kept": [1, 2]},
}


def changed(**changes) -> dict:
    return schemakit.changed(ITEM, DROP, **changes)


DROP = schemakit.DROP


def reject(data, *fragments: str) -> str:
    return assert_rejected(SPEC, data, *fragments)


# --------------------------------------------------------------------------- plugin
def test_plugin_declaration():
    plugin = PressPlugin()
    assert isinstance(plugin, Plugin)
    assert (plugin.name, plugin.order) == ("press", 60)
    assert plugin.title == "Press monitoring" and plugin.title.isascii()
    assert [s.name for s in plugin.topics] == ["press"] and SPEC.key_field == "item_id"
    for index in SPEC.indexes:
        assert set(index) <= set(SPEC.columns), index
    assert not set(SPEC.columns) & {"key", "seq", "time", "data"}
    assert 600 <= SPEC.stale_after_s <= 3600
    assert plugin.simulator() is not plugin.simulator()


# --------------------------------------------------------------------------- validator
def test_good_item_passes_unchanged_and_maps_onto_the_columns():
    before = copy.deepcopy(ITEM)
    out = SPEC.validate(ITEM)
    assert out == before and ITEM == before          # unknown fields kept, input untouched
    row = SPEC.row("BC-0000123", out)
    assert set(row) == set(SPEC.columns)
    assert row["published"] == "2026-11-23T09:15:00+07:00"     # normalised to Huế time
    assert row["sentiment"] == -0.75 and row["tone"] == "negative"
    assert row["topic"] == "thien_tai" and row["interactions"] == 42
    assert row["url"] == ITEM["url"] and row["source"] == "Báo Thừa Thiên Huế"


def test_optional_fields_may_be_absent():
    data = changed(comments=DROP, shares=DROP)
    row = SPEC.row("k", SPEC.validate(data))
    assert row["interactions"] is None
    assert SPEC.row("k", SPEC.validate(changed(shares=DROP)))["interactions"] == 12
    for url in ("http://tuoitre.vn/a", "HTTPS://VNEXPRESS.NET/x?a=1#b", "https://[2001:db8::1]:8443/p",
                "https://trt.com.vn"):
        SPEC.validate(changed(url=url))
    for s in (-1, 1, 0, -1.0, 1.0):
        SPEC.validate(changed(sentiment=s))


@pytest.mark.parametrize("sentiment, tone", [
    (-1.0, "negative"), (-0.5, "negative"), (-0.49, "leaning_negative"), (-0.15, "leaning_negative"),
    (-0.14, "neutral"), (0.15, "neutral"), (0.16, "positive"), (1.0, "positive")])
def test_tone_bands(sentiment, tone):
    assert schema.tone_of(sentiment) == tone


@pytest.mark.parametrize("changes, fragment", [
    ({"item_id": DROP}, "data.item_id: required"),
    ({"item_id": "  "}, "data.item_id: must not be empty"),
    ({"item_id": 5}, "data.item_id: expected text"),
    ({"source": DROP}, "data.source: required"),
    ({"source": ""}, "data.source: must not be empty"),
    ({"title": DROP}, "data.title: required"),
    ({"title": ["a"]}, "data.title: expected text"),
    ({"title": "x" * 1001}, "data.title: text longer than 1000"),
    ({"url": DROP}, "data.url: required"),
    ({"url": "javascript:alert(1)"}, "data.url"),
    ({"url": "ftp://tuoitre.vn/a"}, "not an http(s) address"),
    ({"url": "data:text/html,<script>alert(1)</script>"}, "data.url"),
    ({"url": "file:///etc/passwd"}, "data.url"),
    ({"url": "//tuoitre.vn/a"}, "data.url"),
    ({"url": "/tin-tuc/a.html"}, "data.url"),
    ({"url": "https://"}, "data.url: 'https://' has no host"),
    ({"url": "https://tuoi tre.vn/"}, "data.url: contains spaces"),
    ({"url": "https://tuoitre.vn/\nx"}, "data.url: contains spaces or control"),
    ({"url": "https://" + "a" * 2050}, "data.url: text longer"),
    ({"published": DROP}, "data.published: required"),
    ({"published": "2026-11-23 09:15"}, "data.published: '2026-11-23 09:15' has no UTC offset"),
    ({"published": "yesterday"}, "data.published: 'yesterday' is not an RFC 3339"),
    ({"published": 1763860000}, "data.published: expected text"),
    ({"topic": DROP}, "data.topic: required"),
    ({"topic": ""}, "data.topic: must not be empty"),
    ({"topic": "x" * 61}, "data.topic: text longer than 60"),
    ({"sentiment": DROP}, "data.sentiment: required"),
    ({"sentiment": "-0.5"}, "data.sentiment: expected a number"),
    ({"sentiment": True}, "data.sentiment: expected a number"),
    ({"sentiment": -1.01}, "data.sentiment: -1.01 below -1"),
    ({"sentiment": 1.5}, "data.sentiment: 1.5 above 1"),
    ({"sentiment": float("nan")}, "data.sentiment: not a finite number"),
    ({"comments": -1}, "data.comments: -1 below 0"),
    ({"shares": 2.5}, "data.shares: expected a whole number"),
    ({"shares": "many"}, "data.shares: expected a number"),
    ({"summary": 7}, "data.summary: expected text"),
])
def test_bad_items_are_rejected_with_the_field_named(changes, fragment):
    reject(changed(**changes), fragment)


def test_not_an_object():
    reject(["x"], "data: expected an object")


def test_hostile_text_passes_unchanged():
    data = changed(title=HOSTILE, source="<script>alert(2)</script>", topic="<b>topic</b>",
                   summary=HOSTILE, url="https://x.example/?q=<script>alert(1)</script>&a='\"")
    out = SPEC.validate(copy.deepcopy(data))
    assert out == data
    row = SPEC.row("k", out)
    assert row["title"] == HOSTILE and row["topic"] == "<b>topic</b>"


# --------------------------------------------------------------------------- simulator
def run(seed: int, ticks: int, budget: int, tick: timedelta = timedelta(milliseconds=100),
        sim: PressSimulator | None = None):
    sim = sim or PressSimulator()
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
    a, b, c = (dump(flat(run(seed, 200, 5))) for seed in (7, 7, 8))
    assert len(a) > 500 and a == b and a != c


@pytest.mark.parametrize("budget", [0, 7, 300])
def test_every_event_validates(budget):
    events = flat(run(3, 100 if budget >= 100 else 600, budget, sim=PressSimulator(keep=500)))
    ops = Counter()
    for e in events:
        assert e.topic == "press"
        ops[e.op] += 1
        if e.op == "delete":
            assert e.data is None
            continue
        data = SPEC.validate(e.data)
        assert data["item_id"] == e.key
        assert set(SPEC.row(e.key, data)) == set(SPEC.columns)
        assert data["url"].startswith("https://") and ".example/" in data["url"]
    assert ops["upsert"] > 50
    if budget == 300:
        assert ops["delete"] > 1000         # keep=500 bounds the state


def test_initial_items_span_the_last_hours_and_outlets():
    events = PressSimulator().start(random.Random(1), START)
    assert len(events) == 80
    times = [datetime.fromisoformat(e.data["published"]) for e in events]
    assert times == sorted(times) and START - timedelta(hours=12) <= times[0] < START - timedelta(hours=6)
    assert len({e.data["source"] for e in events}) >= 6
    assert len({e.data["topic"] for e in events}) >= 8


def test_budget_is_respected_and_zero_trickles():
    counts = [len(ev) for ev in run(11, 50, 100)[1:]]
    assert all(c == 100 for c in counts), counts
    counts = [len(ev) for ev in run(11, 600, 0)[1:]]
    assert 1 <= sum(counts) < 100 and max(counts) <= 1


def test_state_stays_bounded_by_keep():
    live: dict[str, dict] = {}
    for e in flat(run(5, 300, 50, sim=PressSimulator(keep=100))):
        if e.op == "delete":
            live.pop(e.key)
        else:
            live[e.key] = e.data
    assert len(live) <= 101
    # interaction updates only touch items still in the state
    with pytest.raises(ValueError):
        PressSimulator(keep=0)


def test_news_turns_negative_with_the_flood():
    sim = PressSimulator()
    sim.start(random.Random(1), START)
    rng = random.Random(2)
    assert flood_factor(1.0) == 0.0 and flood_factor(3.5) == 1.0
    calm = [sim._item(rng, "t", 0.5)["sentiment"] for _ in range(4000)]
    flood = [sim._item(rng, "t", 3.2)["sentiment"] for _ in range(4000)]
    share = lambda xs: sum(s <= -0.5 for s in xs) / len(xs)  # noqa: E731
    assert 0.05 < share(calm) < 0.2          # an ordinary day: about one item in eight
    assert share(flood) > 0.5                 # near BĐ3: most news is bad news
    assert sum(calm) / len(calm) > 0.15 > sum(flood) / len(flood)


def test_the_spike_rule_raises_and_clears_with_the_demo_floods():
    sim = PressSimulator()
    rng = random.Random(4)
    sim.start(rng, START)
    detector = SpikeDetector()
    items: dict[str, tuple] = {}
    t0 = START.timestamp()
    transitions, state = [], False
    for k in range(1, 2 * 3600, 2):              # two hours, a tick every 2 s, ~0.7 items/s
        for e in sim.step(rng, START + timedelta(seconds=k), 2):
            if e.data:
                items[e.key] = (t0 + k, e.data["sentiment"], e.data["topic"])
        if k % 20 == 1 and detector.decide(detector.stats(items.values(), t0 + k), state) != state:
            state = not state
            transitions.append((k, state, sim.scenario.level_at("kim_long", k)))
    raised = [t for t in transitions if t[1]]
    cleared = [t for t in transitions if not t[1]]
    assert len(raised) >= 2 and len(cleared) >= 2, transitions
    assert all(level > 1.5 for _, _, level in raised), transitions     # the flood is up


def test_simulator_is_cheap():
    sim = PressSimulator()
    rng = random.Random(1)
    sim.start(rng, START)
    n, k = 0, 0
    t0 = time.perf_counter()
    while n < 50_000:
        k += 1
        n += len(sim.step(rng, START + k * timedelta(milliseconds=100), 1000))
    per_event = (time.perf_counter() - t0) / n
    assert per_event < 25e-6, f"{per_event * 1e6:.1f} µs/event"   # ~3 µs here


# --------------------------------------------------------------------------- GUI, offscreen
def news(n: int, sentiment: float, now: float, prefix: str, topic: str = "y_te", age: float = 30.0):
    text = rfc3339_local(datetime.fromtimestamp(now - age, timezone.utc))
    return {f"{prefix}-{i}": changed(item_id=f"{prefix}-{i}", sentiment=sentiment, topic=topic,
                                     published=text) for i in range(n)}


def test_gui_topic_summary_shows_hostile_topics_as_text(qtbot):
    gui = PressGui(PressPlugin(), AppContext(run_read=lambda fn, cb: cb(None)))
    qtbot.addWidget(gui.panel)
    now = START.timestamp()
    odd = "<img src=x onerror=alert(1)>"
    model = PressModel()
    model.reset({**news(2, -0.7, now, "x", odd), **news(3, 0.5, now, "y", "du_lich")}, now=now)
    gui.apply_view(model.view(), full=True)
    summary = gui.panel.topic_summary.source
    texts = {summary.data(summary.index(r, 0)) for r in range(summary.rowCount())}
    assert texts == {odd, "tourism"}
    assert sentiment_text(-0.72) == "▼ −0.72 negative" and sentiment_text(0.4) == "▲ +0.40 positive"
    assert sentiment_text(0.0) == "● +0.00 neutral"
    # no label of the panel can render HTML or open a link by itself
    for label in gui.panel.findChildren(QtWidgets.QLabel):
        assert label.textFormat() == QtCore.Qt.TextFormat.PlainText, label.objectName()
        assert not label.openExternalLinks()


# --------------------------------------------------------------------------- live
#: A panel with data shows many more colours than an empty one (see the test).
MIN_COLORS = 200


def test_live_data_reaches_the_cache_the_feed_and_the_summary(qtbot, tmp_path):
    with live_plugin(qtbot, tmp_path, PressPlugin(), rate=40) as (service, window, backend):
        gui = window.guis["press"]
        panel = gui.panel
        qtbot.waitUntil(lambda: panel.model.rowCount() > 80, timeout=15000)
        assert table_count(service, "press") >= panel.model.rowCount() > 80
        # the last-hour figures follow the published times as they come in (a loaded
        # machine may deliver the live items a moment after the backdated history); the
        # model computes them off the GUI thread and sends its view
        qtbot.waitUntil(lambda: panel.counts.value("hour").isdigit()
                        and int(panel.counts.value("hour")) > 0, timeout=15000)
        assert panel.counts.value("negative").endswith("%")
        assert panel.topic_summary.source.rowCount() >= 3

        # newest first, exactly as the cache orders them
        backend.paused = True
        time.sleep(0.5)
        conn = sqlite3.connect(service.config.cache)
        newest = conn.execute("SELECT key FROM press ORDER BY published DESC, key DESC LIMIT 1").fetchone()[0]
        conn.close()
        panel.model.refresh()
        qtbot.waitUntil(lambda: panel.model.key_at(0) == newest, timeout=5000)

        # a hostile item is shown literally, its tooltip escaped
        hostile = changed(item_id="BC-XSS", title=HOSTILE, source="<b>bold</b>",
                          published=rfc3339_local(datetime.now(timezone.utc) + timedelta(seconds=5)))
        backend.publish("press", "BC-XSS", hostile)
        qtbot.waitUntil(lambda: panel.model.key_at(0) == "BC-XSS", timeout=10000)
        texts = [panel.model.data(panel.model.index(0, c)) for c in range(panel.model.columnCount())]
        assert HOSTILE in texts and "<b>bold</b>" in texts
        tip = panel.model.data(panel.model.index(0, 2), QtCore.Qt.ItemDataRole.ToolTipRole)
        assert "&lt;img src=x onerror=alert(1)&gt;" in tip and "<img" not in tip
        gui.select("press", "BC-XSS")
        qtbot.waitUntil(lambda: panel.feed.currentIndex().row() == 0, timeout=5000)
        assert HOSTILE in panel.detail.text()

        # a burst of negative news through the real server raises the engine's alarm,
        # which the wall banner shows
        n = max(SpikeDetector.MIN_NEGATIVE, 2 * gui.view["spike"]["total"])
        stamp = rfc3339_local(datetime.now(timezone.utc))
        for i in range(n):
            key = f"BC-NEG-{i}"
            backend.publish("press", key, changed(item_id=key, sentiment=-0.9, published=stamp))
        spike = ("press", alarm_id_for(NEGATIVE_SPIKE, SPIKE_KEY))
        qtbot.waitUntil(lambda: table_count(service, "press") >= panel.model.rowCount() and
                        spike in window.banner.alarms, timeout=10000)
        assert window.banner.isVisible() and "negative press spike" in window.banner.label.text().lower()
        qtbot.waitUntil(lambda: gui.view["spike"]["active"], timeout=5000)
        kpis = gui.kpis()
        assert kpis[2].abnormal == gui.view["spike"]["negative"] >= n
        assert "NEGATIVE SPIKE" in panel.spike.text()
        # the banner brings the feed forward (the alarm's source is the press topic)
        window.banner.activated.emit(*spike)

        # the hour's count agrees with the cache
        since = rfc3339_local(datetime.now(timezone.utc) - timedelta(seconds=3600) + timedelta(seconds=2))
        conn = sqlite3.connect(service.config.cache)
        in_hour = conn.execute("SELECT count(*) FROM press WHERE published >= ?", (since,)).fetchone()[0]
        conn.close()
        assert abs(int(kpis[1].value) - in_hour) <= 3


def test_panel_renders_with_data_and_not_when_empty(qtbot, tmp_path):
    empty = PressPanel(lambda fn, cb: cb(None))
    qtbot.addWidget(empty)
    empty.resize(700, 650)
    empty.show()
    qtbot.wait(50)
    blank = distinct_colors(empty.grab().toImage())
    assert blank < MIN_COLORS, blank          # the check below can fail
    with live_plugin(qtbot, tmp_path, PressPlugin(), rate=40) as (service, window, backend):
        gui = window.guis["press"]
        qtbot.waitUntil(lambda: gui.panel.model.rowCount() > 60, timeout=15000)
        qtbot.waitUntil(lambda: gui.panel.topic_summary.source.rowCount() > 0, timeout=15000)
        window.docks["press/feed"].raise_()
        qtbot.wait(300)
        image = gui.panel.grab().toImage()
        assert image.width() > 300 and image.height() > 300
        colors = distinct_colors(image)
        assert colors > MIN_COLORS, colors
        image.save(str(tmp_path / "press_panel.png"))
