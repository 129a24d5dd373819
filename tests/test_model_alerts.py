"""The warnings' model (headless: no Qt), its alarm rule over a real engine, and the GUI
drawing the model's view.  Times are fixed epochs (nothing depends on today's date)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ioc_desktop.alarms import (NORMAL, RTN_UNACKNOWLEDGED, UNACKNOWLEDGED, AlarmEngine,
                                alarm_id_for)
from ioc_desktop.interop.cap import format_references
from ioc_desktop.situation import evaluate_model
from ioc_desktop.store.batch import EventRecord, TopicChanges
from plugins.alerts import AlertsPlugin, schema
from plugins.alerts.model import CANCELLED, ENDED, IN_FORCE, UPCOMING, AlertsModel
from plugins.alerts.rules import IN_FORCE as RULE, alert_rules

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc).timestamp()      # 09:00 in Huế
H = 3600.0
VN = timezone(timedelta(hours=7))
SENDER = "ioc@hue.gov.vn"


def at(t: float) -> str:
    return datetime.fromtimestamp(t, VN).isoformat(timespec="seconds")


def cap(identifier: str, *, sent: float = T0, msg_type="Alert", status="Actual",
        severity="Severe", effective: float | None = None, expires: float | None = T0 + 2 * H,
        headline="Cảnh báo lũ sông Hương", references: list[tuple[str, float]] = ()) -> dict:
    info = {"category": ["Met"], "event": "Lũ", "urgency": "Immediate", "severity": severity,
            "certainty": "Observed", "headline": headline, "language": "vi-VN",
            "area": [{"areaDesc": "Huế", "circle": ["16.46,107.59 5"]}]}
    if effective is not None:
        info["effective"] = at(effective)
    if expires is not None:
        info["expires"] = at(expires)
    data = {"identifier": identifier, "sender": SENDER, "sent": at(sent), "status": status,
            "msgType": msg_type, "scope": "Public", "info": [info]}
    if references:
        data["references"] = format_references((SENDER, i, at(t)) for i, t in references)
    return schema.validate(data)


def changes(*items: dict, deletes=()) -> TopicChanges:
    ch = TopicChanges(deletes=set(deletes))
    for seq, data in enumerate(items, 1):
        ch.events.append(EventRecord("alerts", seq, data["sent"], "upsert", data["identifier"], data))
        ch.upserts[data["identifier"]] = data
    return ch


# ---------------------------------------------------------------- the model
def test_which_warnings_are_in_force_and_the_view():
    model = AlertsModel()
    assert isinstance(AlertsPlugin().create_model(), AlertsModel)
    model.reset({
        "A": cap("A"),                                              # in force until T0 + 2 h
        "B": cap("B", severity="Moderate", expires=None),           # until cancelled
        "C": cap("C", effective=T0 + H),                            # not yet
        "D": cap("D", expires=T0 - 60),                             # expired
        "E": cap("E", status="Exercise"),                           # not an actual warning
        "F": cap("F", severity="Extreme"),
    }, now=T0)
    assert model.view(T0) == {
        "states": {"A": IN_FORCE, "B": IN_FORCE, "C": UPCOMING, "D": ENDED, "E": ENDED,
                   "F": IN_FORCE},
        "in_force": 3, "serious": 2}
    # an Update supersedes F, a Cancel cancels B: both ended, the Update in force
    model.apply_changes(changes(cap("F2", msg_type="Update", severity="Severe", references=[("F", T0)]),
                                cap("B2", msg_type="Cancel", severity="Minor",
                                    references=[("B", T0)])), now=T0 + 60)
    states = model.view(T0 + 60)["states"]
    assert (states["F"], states["F2"], states["B"], states["B2"]) == (ENDED, IN_FORCE, CANCELLED, CANCELLED)
    # time alone moves the states: C comes into force, A ends (effective ≤ now < expires)
    view = model.view(T0 + H)
    assert (view["states"]["C"], view["states"]["A"]) == (IN_FORCE, IN_FORCE)
    view = model.view(T0 + 2 * H)
    assert (view["states"]["A"], view["states"]["C"]) == (ENDED, ENDED)
    # the superseding message deleted: the one it updated counts again (it is what is held)
    model.apply_changes(changes(deletes=["F2"]), now=T0 + 120)
    assert model.state("F") == IN_FORCE and model.state("nope") is None


# ---------------------------------------------------------------- the rule
def test_a_warning_in_force_raises_by_severity_and_clears_when_it_ends():
    model, engine = AlertsModel(), AlarmEngine()
    engine.add_rules("alerts", alert_rules())

    def step(t, ch=None):
        if ch is not None:
            model.apply_changes(ch, now=t)
        return evaluate_model(engine, "alerts", model, t)

    model.reset({}, now=T0)
    step(T0, changes(cap("A", severity="Extreme"), cap("M", severity="Minor", expires=None,
                                                      headline="Tin sốt xuất huyết"),
                     cap("C", effective=T0 + 600, severity="Moderate")))
    a, m = engine.get(alarm_id_for(RULE, "A")), engine.get(alarm_id_for(RULE, "M"))
    assert (a.state, a.priority, a.value) == (UNACKNOWLEDGED, 1, "Extreme")
    assert a.text == "Warning in force: Cảnh báo lũ sông Hương (until 23/11 11:00)"
    assert a.message == ["alerts", "Warning in force: {0} (until {1})",
                         ["Cảnh báo lũ sông Hương", "23/11 11:00"]]
    assert (m.priority, m.text) == (4, "Warning in force: Tin sốt xuất huyết")
    assert engine.get(alarm_id_for(RULE, "C")) is None                  # not yet effective
    assert (a.source_topic, a.source_key) == ("alerts", "A")
    step(T0 + 600)                                                       # the clock alone
    assert engine.get(alarm_id_for(RULE, "C")).priority == 3
    # expiry: cleared with no new message
    step(T0 + 2 * H)
    assert engine.get(a.id).state == RTN_UNACKNOWLEDGED
    # a Cancel ends M; an Update replaces C with a severer message
    step(T0 + 2 * H + 60, changes(cap("M2", msg_type="Cancel", severity="Minor", references=[("M", T0)]),
                                  cap("C2", msg_type="Update", severity="Severe",
                                      references=[("C", T0)], expires=T0 + 5 * H)))
    assert engine.get(m.id).state == RTN_UNACKNOWLEDGED
    assert engine.get(alarm_id_for(RULE, "C")).state == RTN_UNACKNOWLEDGED
    c2 = engine.get(alarm_id_for(RULE, "C2"))
    assert (c2.state, c2.priority) == (UNACKNOWLEDGED, 2)
    assert engine.get(alarm_id_for(RULE, "M2")) is None                  # a Cancel is no warning
    engine.acknowledge(a.id, user="op1", now=T0 + 3 * H)
    assert engine.get(a.id).state == NORMAL


# ---------------------------------------------------------------- the view
def test_the_gui_draws_the_models_view(qtbot):
    from PySide6 import QtCore
    from widgets.plugin_gui import AppContext

    gui = AlertsPlugin().create_gui(AppContext(map=None))
    qtbot.addWidget(gui.table)
    items = {"A": cap("A", severity="Extreme"), "B": cap("B", expires=T0 - 60),
             "C": cap("C", effective=T0 + H, severity="Minor")}
    gui.on_reset({"alerts": items})
    assert gui.layer.count() == 0 and gui.kpis()[0].value == "0"     # nothing until the view
    model = AlertsModel()
    model.reset(items, now=T0)
    gui.apply_view(model.view(T0), full=True)
    [kpi] = gui.kpis()
    assert (kpi.label, kpi.value, kpi.abnormal) == ("in force", "1", 1)
    col = [gui.model.headerData(c, QtCore.Qt.Orientation.Horizontal) for c in range(gui.model.columnCount())]

    def state(key):
        return gui.model.data(gui.model.index(gui.model.row_of(key), col.index("State")))
    assert (state("A"), state("B"), state("C")) == ("in force", "ended", "upcoming")
    # only warnings in force have areas on the map
    assert gui.layer._drawn["A"] and not gui.layer._drawn["B"] and not gui.layer._drawn["C"]
    gui.apply_view(model.view(T0 + H))                         # C now in force too
    assert state("C") == "in force" and gui.kpis()[0].value == "2"
    assert gui.layer._drawn["C"] and not gui.layer._drawn.get("B")
