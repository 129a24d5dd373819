"""The e-tickets' model and rule, headless (no Qt): today's figures per site and in total
(the day boundary is Huế's midnight of the model's clock), every tally of a batch
counted, the day's earlier periods read back from a real cache's log at start, the
trend's points, the silent-validator alarm raising and clearing with its live value and
depending on the clock; and the panel drawing a view (KPIs, tiles, rows, map) it is
handed, computing nothing itself."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest

from ioc_desktop.alarms import AlarmEngine, UNACKNOWLEDGED, alarm_id_for
from ioc_desktop.interop import VN_TZ
from ioc_desktop.situation import evaluate_model
from ioc_desktop.store.batch import EventRecord, TopicChanges
from ioc_desktop.store.store import Store
from plugins.ecard import EcardPlugin, schema
from plugins.ecard.model import CLOCK_AHEAD_S, SILENT_AFTER_S, EcardModel
from plugins.ecard.rules import PLUGIN, SILENT_TEXT, VALIDATOR_SILENT, ecard_rules

SPEC = schema.SPEC


def at(day: int, hour: int, minute: int = 0, second: int = 0) -> float:
    """Epoch seconds of a fixed Huế local time in November 2025."""
    return datetime(2025, 11, day, hour, minute, second, tzinfo=VN_TZ).timestamp()


def hhmm(day: int, hour: int, minute: int = 0) -> str:
    return datetime(2025, 11, day, hour, minute, tzinfo=VN_TZ).isoformat()


def rec(site: str, hour: int, used: int, *, day: int = 20, updated: str | None = None,
        period: str | None = None, name: str | None = None, **extra) -> dict:
    d = {"site_id": site, "site": name or f"Site {site}",
         "period": period or hhmm(day, hour),
         "issued": used + 5, "used": used, "revenue_vnd": used * 100_000.0,
         "lat": 16.46, "long": 107.58,
         "updated": updated or hhmm(day, hour, 59), **extra}
    if d["updated"] is None:
        del d["updated"]
    return SPEC.validate(d)


def changes(records: list[dict], deletes=(), snapshot: bool = False) -> TopicChanges:
    ch = TopicChanges(deletes=set(deletes), snapshot=snapshot)
    for i, d in enumerate(records):
        ch.events.append(EventRecord("ecard", i + 1, None, "upsert", d["site_id"], d))
        ch.upserts[d["site_id"]] = d
    return ch


@pytest.fixture
def model():
    return EcardModel()


@pytest.fixture
def engine():
    e = AlarmEngine()
    e.add_rules(PLUGIN, ecard_rules())
    return e


def evaluate(engine, model, now):
    """What the situation layer does: the model's clock set, the rules evaluated."""
    return evaluate_model(engine, PLUGIN, model, now)


def silent_id(site: str) -> str:
    return alarm_id_for(VALIDATOR_SILENT, site)


# --------------------------------------------------------------------------- figures
def test_every_tally_of_a_batch_counts_and_the_view_has_the_figures(model):
    assert model.view(at(20, 9, 40))["totals"] == {"visitors": 0, "issued": 0, "revenue": 0,
                                                   "sites": 0}
    # one batch carries a's 08:00 final and its 09:00 tally: both count
    model.apply_changes(changes([rec("a", 8, 300), rec("b", 8, 100),
                                 rec("a", 9, 120, updated=hhmm(20, 9, 30)),
                                 rec("b", 9, 50, updated=hhmm(20, 9, 30))]), now=at(20, 9, 40))
    view = model.view(at(20, 9, 40))
    assert view["today"] == "2025-11-20" and view["now"] == at(20, 9, 40)
    assert view["totals"] == {"visitors": 570, "issued": 590, "revenue": 57_000_000.0, "sites": 2}
    assert view["busiest"] == ["a", 420]
    assert view["sites"]["a"] == {"visitors": 420, "issued": 430, "revenue": 42_000_000.0,
                                  "now_used": 120, "seen": at(20, 9, 30), "silent": False}
    assert view["silent"] == []
    # a later tally of the same hour replaces it; yesterday's periods do not count
    model.apply_changes(changes([rec("b", 9, 80, updated=hhmm(20, 9, 40)),
                                 rec("b", 16, 999, day=19, updated=hhmm(19, 17))]),
                        now=at(20, 9, 41))
    assert model.view(at(20, 9, 41))["totals"]["visitors"] == 600
    # a site that reports whole days: its day record counts alone, it has no "this hour"
    model.apply_changes(changes([rec("d", 0, 40, period="2025-11-20", updated=hhmm(20, 9, 41)),
                                 rec("d", 9, 7, updated=hhmm(20, 9, 40))]), now=at(20, 9, 42))
    view = model.view(at(20, 9, 42))
    assert view["totals"]["visitors"] == 640 and view["sites"]["d"]["visitors"] == 40
    assert view["sites"]["d"]["now_used"] == 7          # its newest period is an hour
    # a deleted site leaves the totals
    model.apply_changes(changes([], deletes={"a"}), now=at(20, 9, 43))
    view = model.view(at(20, 9, 43))
    assert "a" not in view["sites"] and view["totals"]["visitors"] == 220
    assert view["busiest"] == ["b", 180]


def test_the_day_boundary_is_hue_midnight_of_the_models_clock(model):
    model.apply_changes(changes([rec("a", 23, 10, updated=hhmm(20, 23, 30))]), now=at(20, 23, 31))
    assert model.view(at(20, 23, 59, 59))["totals"]["visitors"] == 10
    # 00:00 in Huế is 17:00 UTC of the day before: the UTC date has not changed yet
    assert datetime.fromtimestamp(at(21, 0), timezone.utc).date() == date(2025, 11, 20)
    view = model.view(at(21, 0, 0, 0))
    assert view["today"] == "2025-11-21" and view["totals"]["visitors"] == 0
    assert view["sites"]["a"]["now_used"] is None            # yesterday's hour is not "this hour"
    model.apply_changes(changes([rec("a", 0, 3, day=21, updated=hhmm(21, 0, 20))]), now=at(21, 0, 21))
    assert model.view(at(21, 0, 21))["totals"]["visitors"] == 3
    # review of the past: the model's clock, not the wall's, decides the day
    assert model.view(at(20, 23, 40))["totals"]["visitors"] == 10


def test_a_reset_is_the_state_and_a_snapshot_keeps_the_days_earlier_periods(model):
    model.reset({"a": rec("a", 9, 100, updated=hhmm(20, 9, 30))}, now=at(20, 9, 31))
    model.apply_changes(changes([rec("a", 10, 20, updated=hhmm(20, 10, 5))]), now=at(20, 10, 6))
    assert model.view(at(20, 10, 6))["totals"]["visitors"] == 120
    # a snapshot in a live feed: the state's newest periods, the earlier ones still count
    model.apply_changes(changes([rec("a", 10, 25, updated=hhmm(20, 10, 7)),
                                 rec("b", 10, 5, updated=hhmm(20, 10, 7))], snapshot=True),
                        now=at(20, 10, 8))
    assert model.view(at(20, 10, 8))["sites"]["a"]["visitors"] == 125
    # a reset (review at another time, a new cache) starts over from the state given
    model.reset({"b": rec("b", 10, 5, updated=hhmm(20, 10, 7))}, now=at(20, 10, 8))
    view = model.view(at(20, 10, 8))
    assert set(view["sites"]) == {"b"} and view["totals"]["visitors"] == 5


def test_the_days_earlier_periods_come_back_from_a_real_caches_log(model, tmp_path):
    store = Store(tmp_path / "cache.sqlite", [SPEC])
    try:
        records = [rec("a", 9, 7, day=19, updated=hhmm(19, 9, 59)),     # yesterday's: apart
                   rec("a", 8, 300), rec("a", 9, 100, updated=hhmm(20, 9, 20)),
                   rec("b", 8, 40), rec("a", 9, 120, updated=hhmm(20, 9, 30)),
                   rec("b", 9, 50, updated=hhmm(20, 9, 30))]
        store.apply([EventRecord("ecard", i + 1, None, "upsert", d["site_id"], d)
                     for i, d in enumerate(records)])
        live = EcardModel()
        live.apply_changes(changes(records), now=at(20, 9, 40))
        # a restart: the state holds each site's newest period only …
        state = store.load_state()["ecard"]
        assert {k: d["period"][11:16] for k, d in state.items()} == {"a": "09:00", "b": "09:00"}
        model.reset(state, now=at(20, 9, 40))
        assert model.view(at(20, 9, 40))["totals"]["visitors"] == 170
        # … and the day's earlier periods are read back from the log
        rows = EcardModel.read_history(store.conn)
        assert len(rows) == 5                                  # (site, period) pairs, newest each
        assert model.load_history(rows) == 5
        assert model.view(at(20, 9, 40))["totals"] == live.view(at(20, 9, 40))["totals"]
        assert model.view(at(20, 9, 40))["totals"]["visitors"] == 510
        # the state's newer tally is not replaced by an older one from the log
        assert model.view(at(20, 9, 40))["sites"]["a"]["now_used"] == 120
        assert EcardModel.read_history(store.conn, topic="nothing") == []
        # review at a past time: the log up to that event only
        assert sorted(json.loads(d)["used"] for _, d in EcardModel.read_history(store.conn, until_seq=3)) == [
            7, 100, 300]
        assert len(EcardModel.read_history(store.conn, limit=2)) == 2
    finally:
        store.close()


def test_the_history_read_by_the_period_index_equals_the_logs_group_by(tmp_path):
    """read_history seeks the schema's partial index; what it finds equals the plain
    GROUP BY over the log (which it falls back to without the index), late tallies of
    an earlier hour, deletes and other topics' events in between included."""
    import random
    rnd = random.Random(7)
    store = Store(tmp_path / "cache.sqlite", [SPEC])
    try:
        events, seq = [], 0
        for step in range(600):
            site = rnd.choice("abcde")
            hour = min(23, step // 30)
            if rnd.random() < 0.1:
                hour = max(0, hour - rnd.randint(1, 3))       # late tally of an earlier hour
            seq += 1
            if rnd.random() < 0.03:
                events.append(EventRecord("ecard", seq, None, "delete", site, None))
            else:
                events.append(EventRecord("ecard", seq, None, "upsert", site,
                                          rec(site, hour, rnd.randint(0, 500), day=20,
                                              updated=hhmm(20, hour, rnd.randint(0, 59)))))
        store.apply(events)
        conn = store.conn
        plan = " ".join(str(r) for r in conn.execute(
            f"EXPLAIN QUERY PLAN SELECT seq FROM main.events INDEXED BY {schema.HISTORY_INDEX} "
            f"WHERE topic = 'ecard' AND op = 'upsert' AND key = 'a' AND {schema.PERIOD_OF_DATA} = 'x' "
            "AND seq <= 9 ORDER BY seq DESC LIMIT 1"))
        assert schema.HISTORY_INDEX in plan
        cases = [dict(), dict(until_seq=1), dict(until_seq=300), dict(until_seq=300, limit=50),
                 dict(limit=7), dict(until_seq=599, limit=400)]
        by_index = [sorted(EcardModel.read_history(conn, **c)) for c in cases]
        assert all(by_index[1:]) and len(by_index[0]) > 24           # many (site, hour) pairs
        conn.execute(f"DROP INDEX {schema.HISTORY_INDEX}")
        assert [sorted(EcardModel.read_history(conn, **c)) for c in cases] == by_index
    finally:
        store.close()


def test_the_trend_has_the_busiest_sites_hours_and_the_rate_so_far(model):
    records = []
    for site, scale in (("a", 3), ("b", 2), ("c", 1), ("d", 0.5)):
        for h in (7, 8, 9):
            records.append(rec(site, h, int(100 * scale * (h - 6)), updated=hhmm(20, h + 1)))
        records.append(rec(site, 10, int(50 * scale), updated=hhmm(20, 10, 15)))
    model.apply_changes(changes(records), now=at(20, 10, 16))
    trend = model.view(at(20, 10, 16))["trend"]
    assert [k for k, _ in trend] == ["a", "b", "c"]             # the three busiest, busiest first
    points = dict(trend)["a"]
    base = at(20, 7, 30)
    assert points[:3] == [[base, 300.0], [base + 3600, 600.0], [base + 7200, 900.0]]
    assert points[3] == [at(20, 10, 15), pytest.approx(150 * 4)]   # 150 in 15 min: 600 an hour
    # d overtakes c: the trend follows
    model.apply_changes(changes([rec("d", 10, 2000, updated=hhmm(20, 10, 16))]), now=at(20, 10, 17))
    assert [k for k, _ in model.view(at(20, 10, 17))["trend"]] == ["d", "a", "b"]
    # under 15 minutes of the hour under way: no point for it yet
    model.apply_changes(changes([rec("d", 11, 9, updated=hhmm(20, 11, 10))]), now=at(20, 11, 11))
    assert dict(model.view(at(20, 11, 11))["trend"])["d"][-1][0] == at(20, 10, 30)


# --------------------------------------------------------------------------- the rule
def test_silent_validator_raises_with_the_live_minutes_and_clears(model, engine):
    model.apply_changes(changes([rec("a", 9, 100, updated=hhmm(20, 9, 30)),
                                 rec("b", 9, 100, updated=hhmm(20, 9, 30), name="Lăng Tự Đức")]),
                        now=at(20, 9, 30))
    assert evaluate(engine, model, at(20, 9, 30)) == []
    model.apply_changes(changes([rec("a", 9, 110, updated=hhmm(20, 9, 34))]), now=at(20, 9, 34))
    assert evaluate(engine, model, at(20, 9, 34)) == []          # 4 min: not yet
    model.apply_changes(changes([rec("a", 9, 130, updated=hhmm(20, 9, 36))]), now=at(20, 9, 36))
    out = evaluate(engine, model, at(20, 9, 36))                 # 6 min: silent
    assert [(t.alarm_id, t.event, t.to_state) for t in out] == [(silent_id("b"), "raise", UNACKNOWLEDGED)]
    alarm = engine.get(silent_id("b"))
    assert alarm.priority == 3 and alarm.value == 6.0
    assert alarm.text == "Lăng Tự Đức: no e-ticket validator report since 09:30 (6 min)"
    assert alarm.message == ["ecard", SILENT_TEXT, ["Lăng Tự Đức", "09:30", 6.0]]
    assert (alarm.source_topic, alarm.source_key) == ("ecard", "b")
    assert model.view(at(20, 9, 36))["silent"] == ["b"]
    assert model.view(at(20, 9, 36))["sites"]["b"]["silent"] is True
    # the live value follows the clock, minute by minute
    model.apply_changes(changes([rec("a", 9, 140, updated=hhmm(20, 9, 41))]), now=at(20, 9, 41, 30))
    evaluate(engine, model, at(20, 9, 41, 30))
    alarm = engine.get(silent_id("b"))
    assert alarm.value == 11.0 and "(11 min)" in alarm.text
    # b reports again: cleared
    model.apply_changes(changes([rec("b", 9, 150, updated=hhmm(20, 9, 42))]), now=at(20, 9, 42))
    out = evaluate(engine, model, at(20, 9, 42))
    assert [(t.alarm_id, t.event) for t in out] == [(silent_id("b"), "clear")]
    assert not engine.get(silent_id("b")).active and model.view(at(20, 9, 42))["silent"] == []


def test_when_every_validator_stops_none_is_silent(model, engine):
    model.apply_changes(changes([rec("a", 9, 1, updated=hhmm(20, 9, 30)),
                                 rec("b", 9, 1, updated=hhmm(20, 9, 30))]), now=at(20, 9, 30))
    assert evaluate(engine, model, at(20, 12)) == []    # the topic goes stale instead


def test_silence_depends_on_the_clock_a_report_far_ahead_decides_nothing(model, engine):
    # c's validator clock is two hours ahead: its report does not make a and b silent …
    model.apply_changes(changes([rec("a", 9, 1, updated=hhmm(20, 9, 30)),
                                 rec("b", 9, 1, updated=hhmm(20, 9, 29)),
                                 rec("c", 11, 1, updated=hhmm(20, 11, 40))]), now=at(20, 9, 31))
    assert evaluate(engine, model, at(20, 9, 31)) == []
    assert at(20, 11, 40) - at(20, 9, 31) > CLOCK_AHEAD_S
    # … until the clock comes within an hour of it: then, with no new data (the timer's
    # evaluation), a and b are silent, c is not
    out = evaluate(engine, model, at(20, 10, 41))
    assert sorted(t.alarm_id for t in out if t.event == "raise") == [silent_id("a"), silent_id("b")]
    assert model.view(at(20, 10, 41))["silent"] == ["a", "b"]
    assert engine.get(silent_id("a")).value == 71.0           # 09:30 -> 10:41


def test_the_silence_limit_is_five_minutes_to_the_second(model, engine):
    model.apply_changes(changes([rec("a", 9, 1, updated=hhmm(20, 9, 30)),
                                 rec("b", 9, 1, updated=hhmm(20, 9, 35))]), now=at(20, 9, 35))
    assert SILENT_AFTER_S == 300
    assert evaluate(engine, model, at(20, 9, 35)) == []     # exactly 300 s: not yet
    model.apply_changes(changes([rec("b", 9, 2, updated=datetime(2025, 11, 20, 9, 35, 1,
                                                                 tzinfo=VN_TZ).isoformat())]),
                        now=at(20, 9, 35, 1))
    assert [t.event for t in evaluate(engine, model, at(20, 9, 35, 1))] == ["raise"]


def test_the_plugin_declares_the_model_and_the_rule():
    plugin = EcardPlugin()
    assert isinstance(plugin.create_model(), EcardModel)
    rules = plugin.alarm_rules()
    assert [(r.id, r.priority, r.latching, r.on_delay_s, r.off_delay_s) for r in rules] == [
        (VALIDATOR_SILENT, 3, False, 0.0, 0.0)]
    assert rules[0].source == ("ecard", None)


# --------------------------------------------------------------------------- the panel
def test_the_panel_draws_the_view_it_is_given(qtbot):
    from PySide6 import QtCore
    from plugins.ecard.gui import EcardGui
    from widgets.plugin_gui import AppContext
    from widgets.theme import ALARM, STALE

    gui = EcardGui(EcardPlugin(), AppContext(map=None, lang="en"))
    qtbot.addWidget(gui.widget)
    assert gui.kpis() == [] and gui.tile_visitors.value() == "—"
    items = {"a": rec("a", 9, 120, updated=hhmm(20, 9, 36)),
             "b": rec("b", 9, 50, updated=hhmm(20, 9, 30), name="Lăng Tự Đức")}
    gui.on_reset({"ecard": items})
    model = EcardModel()
    model.reset(items, now=at(20, 9, 37))
    view = model.view(at(20, 9, 37))
    # the figures are the view's, whatever the rows hold: a view with other numbers shows them
    view["totals"] = dict(view["totals"], visitors=12345, revenue=9_900_000.0)
    view["sites"]["a"] = dict(view["sites"]["a"], visitors=777)
    gui.apply_view(view, full=True)
    head, revenue = gui.kpis()
    assert head.value == "12,345" and head.abnormal == 1 and "Lăng Tự Đức" in head.tooltip
    assert revenue.value == "9.9 million ₫"
    assert gui.tile_visitors.value() == "12,345"
    assert gui.tile_silent.value() == "1" and gui.tile_silent.state() == "alarm"
    m = gui.model
    assert m.data(m.index(m.row_of("a"), 1)) == "777"
    assert m.data(m.index(m.row_of("a"), 2)) == "1 min"                 # 09:36 at 09:37
    cell = m.index(m.row_of("b"), 2)
    assert m.data(cell) == "silent · 7 min"
    assert m.data(cell, QtCore.Qt.ItemDataRole.ForegroundRole).color().name() == ALARM
    feature = gui._features("b", m.item("b"))[0]
    assert feature["fill"] == STALE and feature["color"] == ALARM
    assert gui._features("a", m.item("a"))[0]["title"] == "Site a: 777 visitors today"
    # a delta: b reported again
    gui.apply_view({"silent": [], "sites": dict(view["sites"], b=dict(view["sites"]["b"], silent=False))})
    assert gui.kpis()[0].abnormal == 0 and gui.tile_silent.state() == "ok"
    assert not m.data(m.index(m.row_of("b"), 2)).startswith("silent")


def test_a_silence_from_another_day_names_the_day(model, engine):
    model.apply_changes(changes([rec("a", 23, 1, day=19, updated=hhmm(19, 23, 50)),
                                 rec("b", 0, 1, day=20, updated=hhmm(20, 0, 30))]), now=at(20, 0, 30))
    evaluate(engine, model, at(20, 0, 30))
    assert engine.get(silent_id("a")).text == "Site a: no e-ticket validator report since 19/11 23:50 (40 min)"


def test_the_situation_layer_reads_the_days_history_at_its_start(tmp_path):
    # A restart of the app: the situation service resets the model from the state and
    # loads the day's earlier periods from the log (read_history/load_history), so the
    # panel's day total is the day's, not the newest hour's.
    from feedkit import wait_for
    from ioc_desktop.situation import SituationService
    from ioc_desktop.store.writer import StoreWriter
    records = [rec("a", 8, 300), rec("a", 9, 120, updated=hhmm(20, 9, 30)),
               rec("b", 8, 40), rec("b", 9, 50, updated=hhmm(20, 9, 30))]
    writer = StoreWriter(tmp_path / "cache.sqlite", [SPEC])
    writer.submit([EventRecord("ecard", i + 1, None, "upsert", d["site_id"], d)
                   for i, d in enumerate(records)])
    deltas: list = []
    service = SituationService(writer, [EcardPlugin()], on_delta=deltas.append,
                               clock=lambda: at(20, 9, 40), delta_interval_s=0.05)
    service.start()
    try:
        assert service.ready.wait(10)
        wait_for(lambda: any("ecard" in d.views for d in deltas), what="the ecard view")
        view = next(d.views["ecard"] for d in deltas if "ecard" in d.views)
        assert view["totals"]["visitors"] == 510          # 300 + 120 + 40 + 50
    finally:
        service.stop()
        writer.close()
