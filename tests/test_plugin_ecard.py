"""The e-ticket plugin (thẻ điện tử): validator and state rows, the demo simulator
(deterministic, valid apart from its deliberate used > issued glitches, budget-driven,
day-shaped, silent validators, hour finals), the panel drawing the model's views (tiles,
table, silent sites, trend, map features, KPIs), and the panel live through the real
server and offscreen.  The model and the alarm rule: tests/test_model_ecard.py."""
from __future__ import annotations

import json
import os
import random
import sqlite3
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

import pytest

import schemakit
from schemakit import assert_rejected
from PySide6 import QtCore

from ioc_desktop.figures import fmt_vnd
from ioc_desktop.interop import VN_TZ, rfc3339_local
from ioc_desktop.plugin_api import Plugin, ValidationError
from ioc_desktop.situation import view_changes
from ioc_desktop.store.batch import CommittedBatch, EventRecord, TopicChanges
from plugins.ecard import EcardPlugin
from plugins.ecard import schema
from plugins.ecard.gui import SILENT_AFTER_S, EcardGui, short_site, trend_label
from plugins.ecard.model import EcardModel
from plugins.ecard.simulator import SITES, EcardSimulator, curve_at
from pluginrig import live_plugin, table_count
from qthelpers import distinct_colors, has_color
from widgets.alarm_banner import AlarmBanner
from widgets.keyed_table import KeyedTableModel
from widgets.plugin_gui import AppContext
from widgets.theme import ALARM, STALE

HOSTILE = "<img src=x onerror=alert(1)> '; DROP TABLE ecard;-- \u202e {{7*7}}"
START = datetime(2026, 11, 23, 3, 0, tzinfo=timezone.utc)      # Monday 10:00 in Huế
TICK = timedelta(milliseconds=100)
SPEC = schema.SPEC

RECORD = {
    "site_id": "dai_noi",
    "site": "Đại Nội Huế (Hoàng thành)",
    "period": "2026-11-23T09:00:00+07:00",
    "issued": 812,
    "used": 760,
    "revenue_vnd": 158_400_000,
    "lat": 16.4698,
    "long": 107.5786,
    "updated": "2026-11-23T09:41:12+07:00",
    "x_vendor": {"gate": 3},
}
DROP = schemakit.DROP


def changed(base: dict = RECORD, **changes) -> dict:
    return schemakit.changed(base, DROP, **changes)


def reject(data, *fragments: str) -> str:
    return assert_rejected(SPEC, data, *fragments)


# --------------------------------------------------------------------------- plugin
def test_plugin_declaration():
    plugin = EcardPlugin()
    assert isinstance(plugin, Plugin)
    assert (plugin.name, plugin.order) == ("ecard", 90)
    assert plugin.title == "E-tickets" and plugin.title.isascii()
    assert [s.name for s in plugin.topics] == ["ecard"] and SPEC.key_field == "site_id"
    for index in SPEC.indexes:
        assert set(index) <= set(SPEC.columns), index
    assert not set(SPEC.columns) & {"key", "seq", "time", "data"}
    assert 120 <= SPEC.stale_after_s <= 900
    assert isinstance(plugin.simulator(), EcardSimulator)


# --------------------------------------------------------------------------- validator
def test_good_record_and_row():
    data = SPEC.validate(RECORD)
    assert data == RECORD and data is not RECORD
    row = SPEC.row("dai_noi", data)
    assert set(row) == set(SPEC.columns)
    assert row["period_kind"] == "hour" and row["period_start"] == "2026-11-23T09:00:00+07:00"
    assert (row["issued"], row["used"], row["revenue_vnd"]) == (812, 760, 158_400_000)
    assert row["updated"] == "2026-11-23T09:41:12+07:00"


@pytest.mark.parametrize("period,kind,start", [
    ("2026-11-23T09:00+07:00", "hour", "2026-11-23T09:00:00+07:00"),     # seconds left out
    ("2026-11-23T02:00:00Z", "hour", "2026-11-23T09:00:00+07:00"),        # UTC, shown local
    ("2026-11-23", "day", "2026-11-23T00:00:00+07:00"),
])
def test_periods_hour_or_day(period, kind, start):
    row = SPEC.row("x", SPEC.validate(changed(period=period)))
    assert (row["period_kind"], row["period_start"]) == (kind, start)


def test_optional_fields_and_whole_floats():
    data = SPEC.validate(changed(lat=DROP, long=DROP, updated=DROP, issued=812.0, used=0,
                                 revenue_vnd=0))
    assert data["issued"] == 812 and isinstance(data["issued"], int) and data["used"] == 0
    assert SPEC.row("x", data)["lat"] is None
    assert SPEC.validate(changed(used=812))                       # used == issued is fine


@pytest.mark.parametrize("changes,fragment", [
    ({"site_id": DROP}, "data.site_id: required field missing"),
    ({"site_id": " "}, "data.site_id: must not be empty"),
    ({"site_id": 7}, "data.site_id: expected text, got int"),
    ({"site": DROP}, "data.site: required field missing"),
    ({"period": DROP}, "data.period: required field missing"),
    ({"period": 2026}, "data.period: expected text, got int"),
    ({"period": "hôm nay"}, "data.period: 'hôm nay' is not a day"),
    ({"period": "2026-11-23T09:30:00+07:00"}, "not on the hour"),
    ({"period": "2026-11-23T09:00:00"}, "no UTC offset"),
    ({"period": "2026-11-31"}, "data.period: '2026-11-31'"),
    ({"issued": DROP}, "data.issued: required field missing"),
    ({"issued": -1}, "data.issued: -1 below 0"),
    ({"issued": 812.5}, "data.issued: 812.5 is not a whole number"),
    ({"issued": "812"}, "data.issued: expected a number, got str"),
    ({"used": True}, "data.used: expected a number, got bool"),
    ({"used": 813}, "data.used: 813 is more than issued (812)"),
    ({"revenue_vnd": DROP}, "data.revenue_vnd: required field missing"),
    ({"revenue_vnd": -5}, "data.revenue_vnd: -5 below 0"),
    ({"revenue_vnd": float("inf")}, "data.revenue_vnd: not a finite number"),
    ({"revenue_vnd": "nhiều"}, "data.revenue_vnd: expected a number, got str"),
    ({"lat": 91}, "data.lat: 91 above 90"),
    ({"long": -181}, "data.long: -181 below -180"),
    ({"long": DROP}, "data.lat/long: both coordinates are needed"),
    ({"lat": 0, "long": 0}, "data.lat/long: position 0,0"),
    ({"updated": "9h41"}, "data.updated: '9h41' is not an RFC 3339 time"),
])
def test_bad_records_are_refused_with_the_field(changes, fragment):
    reject(changed(**changes), fragment)


def test_not_an_object():
    reject("dai_noi", "data: expected an object, got str")


def test_hostile_text_passes_unchanged():
    data = SPEC.validate(changed(site=HOSTILE, site_id=HOSTILE[:64], note=HOSTILE))
    assert data["site"] == HOSTILE and data["note"] == HOSTILE
    assert SPEC.row(HOSTILE[:64], data)["site"] == HOSTILE


# --------------------------------------------------------------------------- simulator
def run(seed: int, ticks: int, budget: int, tick: timedelta = TICK, start: datetime = START,
        sim: EcardSimulator | None = None):
    sim = sim or EcardSimulator()
    rng = random.Random(seed)
    out = [sim.start(rng, start)]
    for k in range(1, ticks + 1):
        out.append(sim.step(rng, start + k * tick, budget))
    return out


def flat(per_tick):
    return [e for events in per_tick for e in events]


def dump(per_tick) -> list[str]:
    return [json.dumps([e.key, e.data], sort_keys=True, ensure_ascii=False) for e in flat(per_tick)]


def test_simulator_is_deterministic_per_seed():
    a = dump(run(7, 300, 5))
    assert len(a) > 1000
    assert a == dump(run(7, 300, 5))
    assert a != dump(run(8, 300, 5))


@pytest.mark.parametrize("budget", [0, 7, 300])
def test_every_event_validates_by_default(budget):
    events = flat(run(3, 150, budget, timedelta(seconds=2)))        # glitches are off by default
    assert events
    for e in events:
        assert e.topic == "ecard" and e.op == "upsert"
        data = SPEC.validate(e.data)
        assert data["site_id"] == e.key and set(SPEC.row(e.key, data)) == set(SPEC.columns)


def test_opt_in_glitches_are_the_only_invalid_events_and_rare():
    events = flat(run(5, 3600, 2, timedelta(seconds=1), sim=EcardSimulator(glitch_every_s=600)))  # an hour
    bad = Counter()
    for e in events:
        try:
            SPEC.validate(e.data)
        except ValidationError as exc:
            assert "data.used:" in str(exc) and "is more than issued" in str(exc)
            bad[e.key] += 1
    assert 1 <= sum(bad.values()) <= 20, bad


def test_budget_is_respected_and_zero_trickles():
    sim = EcardSimulator(glitch_every_s=0)
    counts = [len(t) for t in run(11, 50, 100, sim=sim)[1:]]
    assert all(95 <= c <= 110 for c in counts), counts
    counts = [len(t) for t in run(11, 600, 0, sim=EcardSimulator(glitch_every_s=0))[1:]]
    assert 150 <= sum(counts) <= 450 and max(counts) <= 3


def test_start_fills_the_day_so_far_and_the_day_has_its_shape():
    events = EcardSimulator().start(random.Random(1), START)        # 10:00
    by_site = defaultdict(list)
    for e in events:
        by_site[e.key].append(SPEC.validate(e.data))
    assert set(by_site) == {s.site_id for s in SITES} and len(SITES) == 9
    for site, records in by_site.items():
        assert [r["period"][11:16] for r in records] == ["07:00", "08:00", "09:00", "10:00"]
        assert all(r["used"] <= r["issued"] for r in records)
    dai_noi = by_site["dai_noi"]
    assert dai_noi[2]["used"] > dai_noi[0]["used"] > 0          # 09:00 busier than 07:00
    assert 400 <= dai_noi[2]["used"] <= 1100
    assert by_site["chua_thien_mu"][2]["revenue_vnd"] == 0      # free entry
    assert dai_noi[2]["revenue_vnd"] >= dai_noi[2]["issued"] * 40_000
    noon, nine, night = (curve_at(datetime(2026, 11, 23, h, 0, tzinfo=VN_TZ).timestamp())
                         for h in (12, 9, 2))
    assert night == 0 and 0 < noon < nine


def test_hours_close_with_a_final_and_silent_validators_come_back():
    sim = EcardSimulator(glitch_every_s=0)
    start = datetime(2026, 11, 23, 2, 40, tzinfo=timezone.utc)       # 09:40
    per_tick = run(9, 2400, 2, timedelta(seconds=1), start=start, sim=sim)   # to 10:20
    last_seen: dict[str, float] = {}
    gaps: dict[str, float] = defaultdict(float)
    finals = defaultdict(dict)
    for events in per_tick[1:]:
        for e in events:
            t = datetime.fromisoformat(e.data["updated"]).timestamp()
            if e.key in last_seen:
                gaps[e.key] = max(gaps[e.key], t - last_seen[e.key])
            last_seen[e.key] = t
            finals[e.key][e.data["period"]] = e.data
    # one validator went silent for longer than the GUI's limit, and reported again
    long = [k for k, g in gaps.items() if g > SILENT_AFTER_S]
    assert len(long) >= 1 and all(g < 1000 for g in gaps.values())
    for key in long:
        assert last_seen[key] > start.timestamp() + 2000
    for key, periods in finals.items():
        final9 = periods["2026-11-23T09:00:00+07:00"]
        assert final9["updated"] == "2026-11-23T10:00:00+07:00"     # the 09:00 hour's final
        assert "2026-11-23T10:00:00+07:00" in periods


def test_simulator_events_are_cheap():
    sim = EcardSimulator()
    rng = random.Random(1)
    sim.start(rng, START)
    n, t0 = 0, time.perf_counter()
    for k in range(1, 100):
        n += len(sim.step(rng, START + k * TICK, 1000))
    elapsed = time.perf_counter() - t0
    assert elapsed / n < 30e-6, elapsed / n        # ≈ 3 µs here


# --------------------------------------------------------------------------- GUI
# The figures are the model's (tests/test_model_ecard.py); here the panel draws the views
# the situation layer would send it: a model fed the same batches, its view's changes
# handed to the GUI as deltas.
class Rig:
    def __init__(self, gui):
        self.gui = gui
        self.model = EcardModel()
        self.sent: dict | None = None

    def feed(self, b: CommittedBatch, now: float) -> None:
        self.gui.on_batch(b)
        self.model.apply_changes(b.topics["ecard"], now=now)
        self.show(now)

    def show(self, now: float) -> None:
        view = self.model.view(now)
        if self.sent is None:
            self.gui.apply_view(view, full=True)
        else:
            self.gui.apply_view(view_changes(self.sent, view))
        self.sent = view


@pytest.fixture
def gui(qtbot):
    banner = AlarmBanner()
    qtbot.addWidget(banner)
    g = EcardGui(EcardPlugin(), AppContext(map=None, lang="en", banner=banner))
    qtbot.addWidget(g.widget)
    g.banner_widget = banner
    g.rig = Rig(g)
    return g


def rec(site: str, hour: int, used: int, issued: int | None = None, revenue: float | None = None,
        updated: str | None = None, period: str | None = None, **extra) -> dict:
    d = {"site_id": site, "site": extra.pop("name", f"Site {site}"),
         "period": period or f"2025-11-20T{hour:02d}:00:00+07:00",
         "issued": used + 5 if issued is None else issued, "used": used,
         "revenue_vnd": used * 100_000.0 if revenue is None else revenue,
         "lat": 16.46, "long": 107.58,
         "updated": updated or f"2025-11-20T{hour:02d}:59:00+07:00", **extra}
    return SPEC.validate(d)


def batch(records: list[dict], deletes=()) -> CommittedBatch:
    ch = TopicChanges(deletes=set(deletes))
    for i, d in enumerate(records):
        ch.events.append(EventRecord("ecard", i + 1, None, "upsert", d["site_id"], d))
        ch.upserts[d["site_id"]] = d
    return CommittedBatch(topics={"ecard": ch})


def local(text: str) -> float:
    return datetime.fromisoformat(text).timestamp()


def test_tiles_table_and_kpis_show_the_models_figures(gui):
    assert gui.kpis() == [] and gui.tile_visitors.value() == "—"
    gui.rig.feed(batch([rec("a", 8, 300), rec("b", 8, 100), rec("a", 9, 120, updated="2025-11-20T09:30:00+07:00"),
                        rec("b", 9, 50, updated="2025-11-20T09:30:00+07:00")]), local("2025-11-20T09:31:00+07:00"))
    head, revenue = gui.kpis()
    assert head.value == "570" and head.abnormal == 0
    assert revenue.value == fmt_vnd(57_000_000, "en") == "57.0 million ₫"
    assert gui.busiest() == ("a", 420)
    assert gui.tile_visitors.value() == "570" and gui.tile_visitors.sub() == "590 tickets issued"
    assert gui.tile_busiest.value() == "420" and gui.tile_busiest.sub() == "Site a"
    assert gui.tile_revenue.value() == "57.0"
    m = gui.model
    assert m.data(m.index(m.row_of("a"), 1)) == "420"          # visitors today
    assert m.data(m.index(m.row_of("a"), 3)) == "120"          # this hour
    assert m.data(m.index(m.row_of("a"), 5)) == fmt_vnd(42_000_000, "en")
    # a site that reports whole days: no "this hour"
    gui.rig.feed(batch([rec("d", 0, 40, period="2025-11-20", updated="2025-11-20T09:41:00+07:00")]),
                 local("2025-11-20T09:41:00+07:00"))
    assert gui.kpis()[0].value == "610" and m.data(m.index(m.row_of("d"), 3)) == "—"
    # the next day starts from zero when the model's clock passes Huế's midnight
    gui.rig.show(local("2025-11-21T00:00:00+07:00"))
    assert gui.kpis()[0].value == "0" and gui.tile_busiest.value() == "0"
    # the GUI never raises an alarm itself: the engine's reach the banner through the core
    assert not gui.banner_widget.alarms


def test_a_silent_site_is_abnormal_until_it_reports_again(gui):
    rig = gui.rig
    rig.feed(batch([rec("a", 9, 100, updated="2025-11-20T09:30:00+07:00"),
                    rec("b", 9, 100, updated="2025-11-20T09:30:00+07:00")]), local("2025-11-20T09:30:00+07:00"))
    assert gui.kpis()[0].abnormal == 0
    later = "2025-11-20T09:{0:02d}:00+07:00"
    rig.feed(batch([rec("a", 9, 110, updated=later.format(34))]), local(later.format(34)))   # 4 min: not yet
    assert gui.kpis()[0].abnormal == 0
    rig.feed(batch([rec("a", 9, 130, updated=later.format(36))]), local(later.format(36)))   # 6 min: silent
    head = gui.kpis()[0]
    assert head.abnormal == 1 and "Site b" in head.tooltip
    assert gui.tile_silent.value() == "1" and gui.tile_silent.state() == "alarm"
    assert gui.tile_silent.sub() == "Site b"
    m = gui.model
    assert m.data(m.index(m.row_of("b"), 2)) == "silent · 6 min"
    assert m.data(m.index(m.row_of("b"), 2), QtCore.Qt.ItemDataRole.ForegroundRole).color().name() == ALARM
    assert m.data(m.index(m.row_of("b"), 0), QtCore.Qt.ItemDataRole.ForegroundRole).color().name() == STALE
    feat = gui._features("b", m.item("b"))[0]
    assert feat["fill"] == STALE and feat["color"] == ALARM
    # the ages move with the model's clock (the situation layer's timer), no batch needed
    rig.show(local(later.format(39)))
    assert m.data(m.index(m.row_of("b"), 2)) == "silent · 9 min"
    rig.feed(batch([rec("b", 9, 140, updated=later.format(40))]), local(later.format(40)))
    assert gui.kpis()[0].abnormal == 0 and gui.tile_silent.state() == "ok"
    assert gui.tile_silent.sub() == "all sites reporting"
    assert not gui.banner_widget.alarms


def test_trend_plots_the_busiest_sites_points_from_the_view(gui):
    records = []
    for site, scale in (("a", 3), ("b", 2), ("c", 1), ("d", 0.5)):
        for h in (7, 8, 9):
            records.append(rec(site, h, int(100 * scale * (h - 6)), updated=f"2025-11-20T{h + 1:02d}:00:00+07:00"))
        records.append(rec(site, 10, int(50 * scale), updated="2025-11-20T10:15:00+07:00"))
    gui.rig.feed(batch(records), local("2025-11-20T10:16:00+07:00"))
    assert set(gui.trend_names) == {"a", "b", "c"}               # the three busiest
    buf = gui.trend_buffers["a"]
    base = datetime(2025, 11, 20, 7, 30, tzinfo=VN_TZ).timestamp()
    assert len(buf) == 4 and buf.last() == (datetime(2025, 11, 20, 10, 15, tzinfo=VN_TZ).timestamp(),
                                            pytest.approx(600.0))
    assert dict(gui.view["trend"])["a"][0] == [base, 300.0]
    # d overtakes c: the trend follows
    gui.rig.feed(batch([rec("d", 10, 2000, updated="2025-11-20T10:16:00+07:00")]), local("2025-11-20T10:17:00+07:00"))
    assert set(gui.trend_names) == {"a", "b", "d"} and set(gui.trend.series_names()) == {
        gui.trend_names[k] for k in "abd"}
    assert trend_label("Lăng Tự Đức") == "Tự Đức" and short_site("Đại Nội Huế (Hoàng thành)") == "Đại Nội Huế"


def test_map_features_grow_with_visitors_and_hostile_text_stays_text(gui):
    now = local("2025-11-20T10:00:00+07:00")
    gui.rig.feed(batch([rec("a", 9, 2500, name=HOSTILE), rec("b", 9, 20)]), now)
    big = gui._features("a", gui.model.item("a"))[0]
    small = gui._features("b", gui.model.item("b"))[0]
    assert big["radius"] > small["radius"] >= 6 and big["title"].startswith(HOSTILE)
    nowhere = rec("c", 9, 5)
    nowhere.pop("lat"), nowhere.pop("long")
    gui.rig.feed(batch([nowhere]), now)
    assert gui._features("c", gui.model.item("c")) == []
    m = gui.model
    assert m.data(m.index(m.row_of("a"), 0)) == HOSTILE
    tip = m.data(m.index(m.row_of("a"), 0), QtCore.Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img" in tip
    gui.rig.feed(batch([], deletes={"a"}), now)
    assert m.row_of("a") is None and gui.kpis()[0].value == "25"


def test_panel_renders_offscreen_and_a_blank_panel_would_fail(gui, qtbot):
    w = gui.panels[0].widget
    w.resize(760, 900)
    w.show()
    qtbot.waitExposed(w)
    blank = distinct_colors(w.grab().toImage(), step=3)
    blank_parts = [distinct_colors(x.grab().toImage(), step=3) for x in (gui.table, gui.trend, gui.tile_visitors)]
    sim = EcardSimulator(glitch_every_s=0)
    rng = random.Random(4)
    records = [SPEC.validate(e.data) for e in sim.start(rng, START)]
    for k in range(1, 1300):
        records.extend(SPEC.validate(e.data) for e in sim.step(rng, START + k * timedelta(seconds=1), 1))
    gui.rig.feed(batch(records), (START + timedelta(seconds=1300)).timestamp())
    gui.trend.redraw_now()
    qtbot.wait(50)
    image = w.grab().toImage()
    full = distinct_colors(image, step=3)
    full_parts = [distinct_colors(x.grab().toImage(), step=3) for x in (gui.table, gui.trend, gui.tile_visitors)]
    # whole panel, the table and the trend each: a blank one stays well below
    assert blank < 560 <= full, (blank, full)
    assert blank_parts[0] < 250 <= full_parts[0], (blank_parts, full_parts)
    assert blank_parts[1] < 320 <= full_parts[1], (blank_parts, full_parts)
    assert has_color(image, "#4aa3ff")                  # the busiest site's curve
    assert gui.model.rowCount() == 9


# --------------------------------------------------------------------------- live
def test_live_demo_reaches_the_cache_the_model_and_every_screens_panel(qtbot, tmp_path):
    with live_plugin(qtbot, tmp_path, EcardPlugin(), rate=60) as (service, window, backend):
        gui = window.guis["ecard"]
        qtbot.waitUntil(lambda: gui.model.rowCount() == 9, timeout=15000)
        qtbot.waitUntil(lambda: table_count(service, "ecard") == 9, timeout=5000)
        # the view is shown ("0" is a count: the sites are closed at night, local time)
        qtbot.waitUntil(lambda: gui.tile_visitors.value() != "—", timeout=10000)
        backend.paused = True
        time.sleep(0.5)
        # a tally of yesterday's same hour: kept by the model, not counted today
        now_period = datetime.fromisoformat(gui.model.item("dai_noi")["period"])
        old = rfc3339_local(now_period - timedelta(days=1))
        backend.publish("ecard", "lang_gia_long", {
            "site_id": "lang_gia_long", "site": "Lăng Gia Long", "period": old, "issued": 9, "used": 7,
            "revenue_vnd": 1_110_000, "updated": rfc3339_local(now_period - timedelta(days=1, seconds=-3599))})
        model = service.situation.models["ecard"].model
        qtbot.waitUntil(lambda: old in model.periods.get("lang_gia_long", {}), timeout=5000)
        conn = sqlite3.connect(service.config.cache)
        state = {k: json.loads(d) for k, d in conn.execute("SELECT key, data FROM ecard")}
        periods = conn.execute("SELECT count(DISTINCT key || json_extract(data, '$.period')) FROM events "
                               "WHERE topic = 'ecard'").fetchone()[0]
        conn.close()
        # every tally reached the model (the periods before a site's newest too)
        assert sum(len(p) for p in model.periods.values()) == periods
        qtbot.waitUntil(lambda: gui.view.get("totals") == service.situation.view("ecard")["totals"],
                        timeout=5000)
        assert gui.tile_visitors.value() == gui.kpis()[0].value != "—"
        # another screen's panel, made now, draws the same view
        later = EcardGui(EcardPlugin(), window.context)
        qtbot.addWidget(later.widget)
        later.on_reset({"ecard": state})
        later.apply_view(service.situation.view("ecard"), full=True)
        assert later.kpis()[0].value == gui.kpis()[0].value
        assert later.kpis()[1].value == gui.kpis()[1].value
        window.select("ecard", "dai_noi")
        assert gui.table.currentIndex().data(KeyedTableModel.KEY_ROLE) == "dai_noi"
        shot = os.environ.get("IOC_PANEL_SHOTS")      # a directory: save a look at the panel
        if shot:
            from PySide6.QtWidgets import QApplication
            from widgets.theme import apply_dark_theme
            apply_dark_theme(QApplication.instance())
            window.resize(1920, 1080)
            qtbot.wait(500)
            gui.trend.redraw_now()
            window.docks["ecard/sites"].widget().grab().save(os.path.join(shot, "ecard_panel.png"))
