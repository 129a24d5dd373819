"""The public-administration plugin (giám sát hành chính công): validator and state rows,
the demo simulator (deterministic, valid, budget-driven, office hours, month turn), the
agency table with its pinned totals line and coloured cells, and the panel live through
the real server and offscreen.  The model (totals, levels), the overdue alarm rule with
its deadband and the KPIs from the view are in tests/test_model_public_admin.py."""
from __future__ import annotations

import copy
import json
import os
import random
import sqlite3
import time
from datetime import datetime, timedelta, timezone

import pytest

import schemakit
from schemakit import assert_rejected
from PySide6 import QtCore

from ioc_desktop.alarms import AlarmEngine, alarm_id_for
from ioc_desktop.figures import fmt_number, fmt_percent, fmt_vnd, poisson
from ioc_desktop.interop import VN_TZ
from ioc_desktop.plugin_api import Plugin, ValidationError
from ioc_desktop.situation import evaluate_model
from plugins.public_admin import PublicAdminPlugin
from plugins.public_admin import schema
from plugins.public_admin.gui import OVERDUE_COLUMN, TOTAL_KEY, PublicAdminGui, short_name
from plugins.public_admin.model import PublicAdminModel
from plugins.public_admin.rules import AGENCY_OVERDUE, PLUGIN, public_admin_rules
from plugins.public_admin.simulator import AGENCIES, PublicAdminSimulator, in_office_hours
from pluginrig import live_plugin, table_count
from qthelpers import distinct_colors, has_color
from widgets.keyed_table import KeyedTableModel
from widgets.plugin_gui import AppContext
from widgets.theme import ALARM, STALE

HOSTILE = "<img src=x onerror=alert(1)> '; DROP TABLE public_admin;-- \u202e {{7*7}}"
START = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)      # Monday 09:00 in Huế
TICK = timedelta(milliseconds=100)
SPEC = schema.SPEC

TALLY = {
    "agency_id": "so_tnmt",
    "agency": "Sở Tài nguyên và Môi trường",
    "kind": "department",
    "period": "2026-11",
    "received": 1000,
    "resolved": 700,
    "on_time": 600,
    "overdue": 150,          # 100 resolved late + 50 pending past due (of 300 pending)
    "online_level3": 0.4,
    "online_level4": 0.25,
    "satisfaction": 0.82,
    "updated": "2026-11-23T09:15:00+07:00",
    "x_vendor": {"kept": [1, 2]},
}
DROP = schemakit.DROP


def changed(base: dict = TALLY, **changes) -> dict:
    return schemakit.changed(base, DROP, **changes)


def reject(data, *fragments: str) -> str:
    return assert_rejected(SPEC, data, *fragments)


# --------------------------------------------------------------------------- plugin
def test_plugin_declaration():
    plugin = PublicAdminPlugin()
    assert isinstance(plugin, Plugin)
    assert (plugin.name, plugin.order) == ("public_admin", 70)
    assert plugin.title == "Public administration" and plugin.title.isascii()
    assert [s.name for s in plugin.topics] == ["public_admin"] and SPEC.key_field == "agency_id"
    for index in SPEC.indexes:
        assert set(index) <= set(SPEC.columns), index
    assert not set(SPEC.columns) & {"key", "seq", "time", "data"}
    assert 300 <= SPEC.stale_after_s <= 3600
    assert isinstance(plugin.simulator(), PublicAdminSimulator)


# --------------------------------------------------------------------------- validator
def test_good_tally_and_row():
    data = SPEC.validate(TALLY)
    assert data == TALLY and data is not TALLY           # unknown fields kept, input untouched
    row = SPEC.row("so_tnmt", data)
    assert set(row) == set(SPEC.columns)
    assert row["pending"] == 300 and row["received"] == 1000 and row["overdue"] == 150
    assert row["on_time_rate"] == pytest.approx(600 / 700)
    assert row["overdue_rate"] == pytest.approx(0.15)
    assert row["online_share"] == pytest.approx(0.65)
    assert row["updated"] == "2026-11-23T09:15:00+07:00" and row["period"] == "2026-11"


def test_optional_fields_whole_floats_and_null_satisfaction():
    data = SPEC.validate(changed(on_time=DROP, period=DROP, kind=DROP, updated=DROP,
                                 received=1000.0, satisfaction=None))
    assert data["received"] == 1000 and isinstance(data["received"], int)
    assert data["satisfaction"] is None
    row = SPEC.row("so_tnmt", data)
    assert row["on_time_rate"] is None and row["period"] is None and row["updated"] is None
    empty = SPEC.validate(changed(received=0, resolved=0, on_time=0, overdue=0, online_level3=0,
                                  online_level4=0))
    assert SPEC.row("x", empty)["overdue_rate"] is None          # nothing received: no rate
    for period in ("2026", "2026-11", "2026-11-23", "2024-02-29"):
        assert SPEC.validate(changed(period=period))["period"] == period
    assert SPEC.validate(changed(online_level3=0.6, online_level4=0.4))     # exactly 1 is fine
    assert SPEC.validate(changed(updated="2026-11-23T02:15:00Z"))


@pytest.mark.parametrize("changes,fragment", [
    ({"agency_id": DROP}, "data.agency_id: required field missing"),
    ({"agency_id": "  "}, "data.agency_id: must not be empty"),
    ({"agency_id": 17}, "data.agency_id: expected text, got int"),
    ({"agency_id": "x" * 65}, "data.agency_id: text longer than 64"),
    ({"agency": DROP}, "data.agency: required field missing"),
    ({"agency": ["Sở"]}, "data.agency: expected text, got list"),
    ({"received": DROP}, "data.received: required field missing"),
    ({"received": "1000"}, "data.received: expected a number, got str"),
    ({"received": True}, "data.received: expected a number, got bool"),
    ({"received": -1}, "data.received: -1 below 0"),
    ({"received": 1000.5}, "data.received: 1000.5 is not a whole number"),
    ({"received": float("nan")}, "data.received: not a finite number"),
    ({"resolved": DROP}, "data.resolved: required field missing"),
    ({"resolved": 1001, "on_time": DROP}, "data.resolved: 1001 is more than received (1000)"),
    ({"overdue": DROP}, "data.overdue: required field missing"),
    ({"overdue": 1001, "on_time": DROP}, "data.overdue: 1001 is more than received (1000)"),
    ({"on_time": 701}, "data.on_time: 701 is more than resolved (700)"),
    ({"on_time": 2.5}, "data.on_time: 2.5 is not a whole number"),
    ({"overdue": 99}, "data.overdue: 99 is less than the dossiers resolved late"),
    ({"overdue": 401}, "data.overdue: 401 would be 100 resolved late + 301 pending past due"),
    ({"online_level3": DROP}, "data.online_level3: required field missing"),
    ({"online_level3": 45}, "data.online_level3: 45 above 1"),
    ({"online_level4": -0.1}, "data.online_level4: -0.1 below 0"),
    ({"online_level4": "25%"}, "data.online_level4: expected a number, got str"),
    ({"online_level3": 0.7, "online_level4": 0.4}, "data.online_level4: online_level3 + online_level4"),
    ({"satisfaction": DROP}, "data.satisfaction: required field missing"),
    ({"satisfaction": 94}, "data.satisfaction: 94 above 1"),
    ({"satisfaction": "high"}, "data.satisfaction: expected a number, got str"),
    ({"period": "Nov 2026"}, "data.period: 'Nov 2026' is not YYYY, YYYY-MM or YYYY-MM-DD"),
    ({"period": "2026-13"}, "data.period: '2026-13'"),
    ({"period": "2026-02-30"}, "data.period: '2026-02-30'"),
    ({"period": 202611}, "data.period: expected text, got int"),
    ({"kind": 3}, "data.kind: expected text, got int"),
    ({"updated": "hôm qua"}, "data.updated: 'hôm qua' is not an RFC 3339 time"),
    ({"updated": "2026-11-23T09:15:00"}, "data.updated: '2026-11-23T09:15:00' has no UTC offset"),
])
def test_bad_tallies_are_refused_with_the_field(changes, fragment):
    reject(changed(**changes), fragment)


def test_not_an_object():
    reject(["so_tnmt"], "data: expected an object, got list")


def test_hostile_text_passes_unchanged():
    data = SPEC.validate(changed(agency_id=HOSTILE[:64], agency=HOSTILE, kind=HOSTILE[:40],
                                 note=HOSTILE))
    assert data["agency"] == HOSTILE and data["note"] == HOSTILE and data["agency_id"] == HOSTILE[:64]
    assert SPEC.row(HOSTILE[:64], data)["agency"] == HOSTILE


def test_shared_figures_helpers():
    assert fmt_number(1234567.3, "vi", 1) == "1.234.567,3"
    assert fmt_number(1234567, "en") == "1,234,567" and fmt_number(None, "en") == "—"
    assert fmt_percent(0.974, "vi") == "97,4%" and fmt_percent(0.974, "en") == "97.4%"
    assert fmt_vnd(850_000, "vi") == "850.000 ₫"
    assert fmt_vnd(412_500_000, "en") == "412.5 million ₫"
    assert fmt_vnd(1_240_000_000, "vi") == "1,24 billion ₫"      # untranslated here
    rng = random.Random(5)
    for lam in (0.001, 0.5, 4.0, 200.0):
        mean = sum(poisson(rng, lam) for _ in range(4000)) / 4000
        assert mean == pytest.approx(lam, rel=0.1, abs=0.003)
    assert poisson(rng, 0.0) == 0


# --------------------------------------------------------------------------- simulator
def run(seed: int, ticks: int, budget: int, tick: timedelta = TICK, start: datetime = START,
        sim: PublicAdminSimulator | None = None):
    sim = sim or PublicAdminSimulator()
    rng = random.Random(seed)
    out = [sim.start(rng, start)]
    for k in range(1, ticks + 1):
        out.append(sim.step(rng, start + k * tick, budget))
    return out


def dump(per_tick) -> list[str]:
    return [json.dumps([e.topic, e.key, e.op, e.data], sort_keys=True, ensure_ascii=False)
            for events in per_tick for e in events]


def test_simulator_is_deterministic_per_seed():
    a = dump(run(7, 300, 5, timedelta(seconds=2)))
    assert len(a) > 100
    assert a == dump(run(7, 300, 5, timedelta(seconds=2)))
    assert a != dump(run(8, 300, 5, timedelta(seconds=2)))


@pytest.mark.parametrize("budget", [0, 7, 300])
def test_every_event_validates_and_keys_match(budget):
    events = [e for tick in run(3, 200, budget, timedelta(seconds=5)) for e in tick]
    assert events
    for e in events:
        assert e.topic == "public_admin" and e.op == "upsert"
        data = SPEC.validate(e.data)
        assert data["agency_id"] == e.key
        assert set(SPEC.row(e.key, data)) == set(SPEC.columns)


def test_budget_is_respected_and_zero_trickles():
    counts = [len(t) for t in run(11, 50, 100)[1:]]
    assert all(c == 100 for c in counts), counts
    counts = [len(t) for t in run(11, 600, 0)[1:]]
    assert 150 <= sum(counts) <= 450 and max(counts) <= 1


def test_start_has_a_believable_month_and_two_worse_agencies():
    first = {e.key: SPEC.validate(e.data) for e in PublicAdminSimulator().start(random.Random(1), START)}
    assert len(first) == len(AGENCIES) == 17
    kinds = {d["kind"] for d in first.values()}
    assert kinds == {"department", "commune", "service_center"}
    rates = {k: schema.overdue_rate(d) for k, d in first.items()}
    worse = {k for k, r in rates.items() if r >= 0.10}
    assert worse == {"so_tnmt", "ubnd_thuan_hoa"}
    assert sum(r < 0.03 for r in rates.values()) >= 12
    assert all(d["period"] == "2026-11" and d["received"] > 300 for d in first.values())
    assert all(0.4 < schema.online_share(d) < 1.0 for d in first.values())


def test_counts_grow_in_office_hours_and_never_go_back():
    # 09:00–10:00 on a Monday, one-second ticks
    sim = PublicAdminSimulator()
    per_tick = run(4, 3600, 2, timedelta(seconds=1), sim=sim)
    last: dict[str, dict] = {}
    for events in per_tick:
        for e in events:
            d = e.data
            if e.key in last:
                for field in ("received", "resolved", "on_time", "overdue"):
                    assert d[field] >= last[e.key][field], (e.key, field)
            last[e.key] = d
    start = {e.key: e.data for e in per_tick[0]}
    grown = sum(last[k]["received"] - start[k]["received"] for k in last)
    resolved = sum(last[k]["resolved"] - start[k]["resolved"] for k in last)
    assert 60 <= grown <= 200 and 50 <= resolved <= 200        # ≈ 125 an office hour
    assert last["so_gtvt"]["received"] - start["so_gtvt"]["received"] > \
        last["ubnd_kim_long"]["received"] - start["ubnd_kim_long"]["received"]


def test_nights_bring_only_online_dossiers_and_the_month_turns():
    night = datetime(2026, 11, 30, 15, 0, tzinfo=timezone.utc)      # 22:00 on 30 Nov in Huế
    assert not in_office_hours(night.astimezone(VN_TZ))
    sim = PublicAdminSimulator(speed=20)
    per_tick = run(6, 240, 1, timedelta(seconds=30), start=night, sim=sim)   # to 00:00 on 1 Dec
    start = {e.key: e.data for e in per_tick[0]}
    before = {}
    for events in per_tick:
        for e in events:
            if e.data["period"] == "2026-11":
                before[e.key] = e.data
    assert sum(before[k]["received"] - start[k]["received"] for k in before) > 0   # online, at night
    assert all(before[k]["resolved"] == start[k]["resolved"] for k in before)       # nobody at work
    after = {t.a.agency_id: t.record for t in sim._tallies}
    for key, d in after.items():
        assert d["period"] == "2026-12"
        pending = before[key]["received"] - before[key]["resolved"]
        assert pending <= d["received"] <= pending + 5       # carried over (+ online after 00:00)
        assert d["resolved"] == 0 and SPEC.validate(d)


def test_simulator_events_are_cheap():
    sim = PublicAdminSimulator()
    rng = random.Random(1)
    sim.start(rng, START)
    n, t0 = 0, time.perf_counter()
    for k in range(1, 200):
        n += len(sim.step(rng, START + k * TICK, 1000))
    elapsed = time.perf_counter() - t0
    assert elapsed / n < 20e-6, elapsed / n        # ≈ 0.5 µs here


# --------------------------------------------------------------------------- GUI
@pytest.fixture
def gui(qtbot):
    g = PublicAdminGui(PublicAdminPlugin(), AppContext(map=None, lang="en"))
    qtbot.addWidget(g.widget)
    return g


def tally(key: str, received: int, resolved: int, overdue: int, on_time: int | None = None,
          **extra) -> dict:
    d = {"agency_id": key, "agency": extra.pop("agency", f"UBND phường {key}"), "period": "2026-11",
         "received": received, "resolved": resolved, "overdue": overdue,
         "on_time": resolved - min(overdue, resolved) if on_time is None else on_time,
         "online_level3": 0.3, "online_level4": 0.5, "satisfaction": 0.9, **extra}
    return SPEC.validate(d)


def show(g: PublicAdminGui, state: dict) -> None:
    """What the app does: the GUI gets the state, the situation layer's model and rule
    run over it and the GUI gets the model's view."""
    model, engine = PublicAdminModel(), AlarmEngine()
    engine.add_rules(PLUGIN, public_admin_rules())
    model.reset(state, now=START.timestamp())
    evaluate_model(engine, PLUGIN, model, START.timestamp())
    g.on_reset({"public_admin": state})
    g.apply_view(model.view(), full=True)


def rows(g) -> list[str]:
    view = g.table
    return [view.proxy.data(view.proxy.index(r, 0), KeyedTableModel.KEY_ROLE)
            for r in range(view.proxy.rowCount())]


def test_totals_line_stays_first_in_both_sort_orders(gui):
    state = {k: tally(k, 100 * (i + 1), 50 * (i + 1), i) for i, k in enumerate("pqrst")}
    show(gui, state)
    total = gui.model.item(TOTAL_KEY)
    assert total["received"] == 1500 and total["overdue"] == 10 and total["agency"] == "All agencies (5)"
    for column in range(len(gui.model.columns)):
        for order in (QtCore.Qt.SortOrder.AscendingOrder, QtCore.Qt.SortOrder.DescendingOrder):
            gui.table.sortByColumn(column, order)
            assert rows(gui)[0] == TOTAL_KEY, (column, order)
    gui.table.sortByColumn(OVERDUE_COLUMN, QtCore.Qt.SortOrder.DescendingOrder)
    assert rows(gui) == [TOTAL_KEY, "t", "s", "r", "q", "p"]
    gui.table.sortByColumn(OVERDUE_COLUMN, QtCore.Qt.SortOrder.AscendingOrder)
    assert rows(gui) == [TOTAL_KEY, "p", "q", "r", "s", "t"]


def test_cells_highlight_overdue_and_grey_an_older_period(gui):
    state = {"bad": tally("bad", 100, 80, 15), "watch": tally("watch", 100, 90, 4),
             "fine": tally("fine", 100, 90, 1), "old": tally("old", 5000, 4000, 900, period="2026-10")}
    show(gui, state)
    m = gui.model
    fg = QtCore.Qt.ItemDataRole.ForegroundRole
    bg = QtCore.Qt.ItemDataRole.BackgroundRole

    def cell(key, col, role=QtCore.Qt.ItemDataRole.DisplayRole):
        return m.data(m.index(m.row_of(key), col), role)

    assert cell("bad", OVERDUE_COLUMN) == "15 (15.0%)"
    assert cell("bad", OVERDUE_COLUMN, bg).color().name() == ALARM
    assert cell("watch", OVERDUE_COLUMN, fg).color().name() == "#ffb000"
    assert cell("fine", OVERDUE_COLUMN, fg) is None
    assert cell("old", 0, fg).color().name() == STALE           # older period: greyed …
    total = m.item(TOTAL_KEY)
    assert total["received"] == 300 and total["period"] == "2026-11"   # … and left out
    assert cell(TOTAL_KEY, 0, QtCore.Qt.ItemDataRole.FontRole).bold()
    assert cell("fine", 0, QtCore.Qt.ItemDataRole.FontRole) is None


def test_hostile_agency_is_plain_text_in_table_and_tooltip(gui):
    state = {"x": tally("x", 100, 50, 20, agency=HOSTILE)}
    show(gui, state)
    m = gui.model
    assert m.data(m.index(m.row_of("x"), 0)) == HOSTILE
    tip = m.data(m.index(m.row_of("x"), 0), QtCore.Qt.ItemDataRole.ToolTipRole)
    assert "<img" not in tip and "&lt;img src=x" in tip
    assert HOSTILE[:40] in gui.kpis()[0].tooltip       # the abnormal agencies, named as text
    assert short_name("UBND phường Phú Hội") == "UBND P. Phú Hội"


def test_panel_renders_offscreen_and_a_blank_panel_would_fail(gui, qtbot):
    w = gui.panels[0].widget
    w.resize(760, 820)
    w.show()
    qtbot.waitExposed(w)
    blank = distinct_colors(w.grab().toImage(), step=3)
    sim = PublicAdminSimulator()
    state = {e.key: SPEC.validate(e.data) for e in sim.start(random.Random(2), START)}
    show(gui, state)
    qtbot.wait(50)
    image = w.grab().toImage()
    full = distinct_colors(image, step=3)
    assert blank < 300 <= full, (blank, full)
    assert has_color(image, ALARM)                      # the worse agencies' overdue cells
    assert gui.model.rowCount() == 18


# --------------------------------------------------------------------------- live
def test_live_demo_reaches_the_cache_table_and_tiles(qtbot, tmp_path):
    with live_plugin(qtbot, tmp_path, PublicAdminPlugin(), rate=50) as (service, window, backend):
        gui = window.guis["public_admin"]
        qtbot.waitUntil(lambda: gui.model.rowCount() == 18, timeout=15000)
        assert table_count(service, "public_admin") == 17
        backend.paused = True
        time.sleep(0.5)
        conn = sqlite3.connect(service.config.cache)
        received, overdue = conn.execute("SELECT sum(received), sum(overdue) FROM public_admin").fetchone()
        worst = conn.execute("SELECT key FROM public_admin ORDER BY overdue_rate DESC LIMIT 1").fetchone()[0]
        conn.close()
        qtbot.waitUntil(lambda: gui.totals.get("received") == received, timeout=5000)
        assert gui.kpis()[1].value == fmt_number(overdue, gui.lang)
        assert gui.tile_on_time.value().endswith("%") and gui.kpis()[0].abnormal == 2
        # the engine's alarm is on the banner, with the live share
        banner_key = ("public_admin", alarm_id_for(AGENCY_OVERDUE, worst))
        qtbot.waitUntil(lambda: banner_key in window.banner.alarms, timeout=5000)
        assert worst in gui.alarmed and "overdue dossiers" in window.banner.alarms[banner_key].text
        window.select("public_admin", worst)
        assert gui.table.currentIndex().data(KeyedTableModel.KEY_ROLE) == worst
        shot = os.environ.get("IOC_PANEL_SHOTS")      # a directory: save a look at the panel
        if shot:
            from PySide6.QtWidgets import QApplication
            from widgets.theme import apply_dark_theme
            apply_dark_theme(QApplication.instance())
            window.resize(1920, 1080)
            qtbot.wait(500)
            window.docks["public_admin/agencies"].widget().grab().save(
                os.path.join(shot, "public_admin_panel.png"))
