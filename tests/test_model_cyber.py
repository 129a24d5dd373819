"""The cyber model and rule, headless (no Qt): open events counted by severity, contained
and finished apart, kept up to date through resets, upserts, status changes and deletes;
one alarm per open critical (priority 1) or high (priority 2) event, with its live status
and count in the text, escalated when a high event turns critical, cleared when the event
is contained; and the panel drawing a view it is handed."""
from __future__ import annotations

import pytest

from ioc_desktop.alarms import ACKNOWLEDGED, RTN_UNACKNOWLEDGED, UNACKNOWLEDGED, AlarmEngine, alarm_id_for
from ioc_desktop.situation import evaluate_model
from ioc_desktop.store.batch import TopicChanges
from plugins.cyber import CyberPlugin, schema
from plugins.cyber.model import CyberModel
from plugins.cyber.rules import PLUGIN, SERIOUS_EVENT, TEXTS, cyber_rules

T0 = 1_763_600_000.0          # 2025-11-20T08:53:20+07:00: a fixed clock
HOSTILE = "<img src=x onerror=alert(1)> '; DROP TABLE cyber;-- {{7*7}}"


def ev(key: str, severity: str, status: str, **more) -> dict:
    data = {"event_id": key, "time": "2025-11-20T08:00:00+07:00", "severity": severity,
            "category": "brute_force", "source_ip": "203.0.113.77",
            "target_system": "Cổng dịch vụ công", "status": status, **more}
    return schema.validate(data)


def changes(items: dict[str, dict], deletes=(), snapshot: bool = False) -> TopicChanges:
    return TopicChanges(upserts=items, deletes=set(deletes), snapshot=snapshot)


def aid(key: str) -> str:
    return alarm_id_for(SERIOUS_EVENT, key)


@pytest.fixture
def engine():
    e = AlarmEngine()
    e.add_rules(PLUGIN, cyber_rules())
    return e


def evaluate(engine, model, now=T0):
    return evaluate_model(engine, PLUGIN, model, now)


STATE = {
    "a": ev("a", "low", "new"), "b": ev("b", "low", "investigating"), "c": ev("c", "medium", "new"),
    "d": ev("d", "high", "investigating"), "e": ev("e", "high", "contained"),
    "f": ev("f", "critical", "resolved"), "g": ev("g", "low", "false_positive"),
    "h": ev("h", "critical", "new", category="ransomware", count=3)}


def test_counts_follow_resets_upserts_status_changes_and_deletes():
    model = CyberModel()
    assert model.view(T0) == {"open_by_severity": {"low": 0, "medium": 0, "high": 0, "critical": 0},
                              "open": 0, "serious": 0, "contained": 0, "finished": 0}
    model.reset(STATE, now=T0)
    assert model.view(T0) == {"open_by_severity": {"low": 2, "medium": 1, "high": 1, "critical": 1},
                              "open": 5, "serious": 2, "contained": 1, "finished": 2}
    # h is investigated, i comes in, a is resolved
    model.apply_changes(changes({"h": ev("h", "critical", "investigating"),
                                 "i": ev("i", "critical", "new"), "a": ev("a", "low", "resolved")}))
    view = model.view(T0)
    assert view["open_by_severity"] == {"low": 1, "medium": 1, "high": 1, "critical": 2}
    assert (view["open"], view["serious"], view["finished"]) == (5, 3, 3)
    # h contained, i deleted (the state keeps it no longer)
    model.apply_changes(changes({"h": ev("h", "critical", "contained")}, deletes={"i"}))
    view = model.view(T0)
    assert view["open_by_severity"] == {"low": 1, "medium": 1, "high": 1, "critical": 0}
    assert (view["open"], view["serious"], view["contained"], view["finished"]) == (3, 1, 2, 3)
    # a snapshot is the whole state again
    model.apply_changes(changes({"z": ev("z", "high", "new")}, snapshot=True))
    assert model.view(T0)["open"] == 1 and model.view(T0)["serious"] == 1
    assert set(model.serious()) == {"z"}


def test_counts_stay_right_over_many_changes_against_a_recount():
    import random
    rng = random.Random(5)
    model = CyberModel()
    model.reset({}, now=T0)
    state: dict[str, dict] = {}
    for _ in range(3000):
        key = f"e{rng.randrange(200)}"
        if rng.random() < 0.1:
            state.pop(key, None)
            model.apply_changes(changes({}, deletes={key}))
        else:
            state[key] = ev(key, rng.choice(schema.SEVERITIES), rng.choice(schema.STATUSES))
            model.apply_changes(changes({key: state[key]}))
    fresh = CyberModel()
    fresh.reset(state, now=T0)
    assert model.view(T0) == fresh.view(T0)
    assert set(model.serious()) == {k for k, d in state.items()
                                    if d["severity"] in ("high", "critical")
                                    and d["status"] in schema.OPEN_STATUSES}


def test_one_alarm_per_open_serious_event_critical_first(engine):
    model = CyberModel()
    model.reset(dict(STATE, h=ev("h", "critical", "new", category="ransomware", count=3,
                                 target_system=HOSTILE)), now=T0)
    out = evaluate(engine, model)
    assert sorted((t.alarm_id, t.event, t.to_state, t.priority) for t in out) == [
        (aid("d"), "raise", UNACKNOWLEDGED, 2), (aid("h"), "raise", UNACKNOWLEDGED, 1)]
    h = engine.get(aid("h"))
    assert h.text == f"Cyber: CRITICAL ransomware on {HOSTILE} from 203.0.113.77 (new, seen 3×)"
    assert h.value == 3.0 and (h.source_topic, h.source_key) == ("cyber", "h")
    assert h.message == ["cyber", TEXTS[("critical", "new")],
                         [{"ctx": "cyber", "text": "ransomware"}, HOSTILE, "203.0.113.77", 3]]
    d = engine.get(aid("d"))
    assert d.text == ("Cyber: HIGH brute force on Cổng dịch vụ công from 203.0.113.77 "
                      "(investigating, seen 1×)")
    # low, medium, contained, resolved: no alarm
    assert {a.key for a in engine.active()} == {"d", "h"}
    assert [a.key for a in engine.active()] == ["h", "d"]          # priority 1 first


def test_the_live_status_and_count_then_clear_when_contained(engine):
    model = CyberModel()
    model.reset({"h": ev("h", "critical", "new", count=3)}, now=T0)
    evaluate(engine, model)
    model.apply_changes(changes({"h": ev("h", "critical", "investigating", count=40)}))
    assert evaluate(engine, model, T0 + 10) == []                # still active: no transition
    h = engine.get(aid("h"))
    assert h.value == 40.0 and "(investigating, seen 40×)" in h.text
    model.apply_changes(changes({"h": ev("h", "critical", "contained", count=41)}))
    out = evaluate(engine, model, T0 + 20)
    assert [(t.event, t.to_state) for t in out] == [("clear", RTN_UNACKNOWLEDGED)]
    # a false positive or a deleted event clears the same way
    model.apply_changes(changes({"x": ev("x", "high", "new"), "y": ev("y", "high", "new")}))
    evaluate(engine, model, T0 + 30)
    model.apply_changes(changes({"x": ev("x", "high", "false_positive")}, deletes={"y"}))
    out = evaluate(engine, model, T0 + 40)
    assert sorted((t.alarm_id, t.event) for t in out) == [(aid("x"), "clear"), (aid("y"), "clear")]


def test_a_high_event_turned_critical_is_annunciated_again(engine):
    model = CyberModel()
    model.reset({"d": ev("d", "high", "new")}, now=T0)
    evaluate(engine, model)
    engine.acknowledge(aid("d"), user="soc", now=T0 + 1)
    assert engine.get(aid("d")).state == ACKNOWLEDGED
    model.apply_changes(changes({"d": ev("d", "critical", "new")}))
    evaluate(engine, model, T0 + 2)
    d = engine.get(aid("d"))
    assert d.priority == 1 and d.state == UNACKNOWLEDGED and d.text.startswith("Cyber: CRITICAL")


def test_the_plugin_declares_the_model_and_the_rule():
    plugin = CyberPlugin()
    assert isinstance(plugin.create_model(), CyberModel)
    rules = plugin.alarm_rules()
    assert [(r.id, r.priority, r.latching, r.on_delay_s, r.off_delay_s, r.deadband) for r in rules] == [
        (SERIOUS_EVENT, 2, False, 0.0, 0.0, 0.0)]
    assert rules[0].source == ("cyber", None)


def test_the_panel_draws_the_view_it_is_given(qtbot):
    from plugins.cyber.gui import CyberGui
    from widgets.plugin_gui import AppContext

    gui = CyberGui(CyberPlugin(), AppContext(run_read=lambda fn, cb: cb(None)))
    qtbot.addWidget(gui.panel)
    model = CyberModel()
    model.reset(STATE, now=T0)
    gui.apply_view(model.view(T0), full=True)
    assert [(k.value, k.abnormal) for k in gui.kpis()] == [("5", 0), ("2", 2)]
    assert gui.panel.summary.text() == "5 open · 1 contained · 2 closed"
    assert gui.panel.counts.value("critical") == "1" and gui.panel.counts.cells["critical"].is_active()
    gui.apply_view({"open_by_severity": {"low": 4, "medium": 0, "high": 0, "critical": 0},
                    "open": 4, "serious": 0})
    assert [(k.value, k.abnormal) for k in gui.kpis()] == [("4", 0), ("0", 0)]
    assert not gui.panel.counts.cells["critical"].is_active()
