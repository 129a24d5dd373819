"""The LED-billboard situation model and its alarm rules (violation, offline), headless
(no Qt), and the panel as a view of the model's view.

Times derive from a fixed epoch (09:00 in Huế, 23 Nov 2026); nothing reads the wall
clock."""
from __future__ import annotations

from datetime import datetime

import pytest

from ioc_desktop.alarms import (NORMAL, RTN_UNACKNOWLEDGED, UNACKNOWLEDGED, AlarmEngine,
                                alarm_id_for)
from ioc_desktop.interop import VN_TZ
from ioc_desktop.situation import evaluate_model
from ioc_desktop.store.batch import TopicChanges
from plugins.ads import AdsPlugin, schema
from plugins.ads.model import DETAIL_CHARS, AdsModel
from plugins.ads.rules import OFFLINE, OFFLINE_AFTER_S, PLUGIN, VIOLATION, ads_rules

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ).timestamp()
PROHIBITED = {"kind": "prohibited_content", "detail": "Quảng cáo thuốc lá",
              "time": "2026-11-23T08:50:00+07:00", "content_id": "QC-X-THUOCLA"}


def when(t: float) -> str:
    return datetime.fromtimestamp(t, VN_TZ).isoformat(timespec="seconds")


def screen(sid: str, online: bool = True, violation=None, name: str | None = None,
           content: str | None = "TT-HOTLINE", since: float | None = NOW - 3600) -> dict:
    d = {"screen_id": sid, "name": name or f"Screen {sid}", "lat": 16.46, "long": 107.60,
         "online": online, "content_id": content if online else None, "violation": violation}
    if since is not None:
        d["since"] = when(since)
    return schema.validate(d)


class Situated:
    """The model with its rules in an engine: what the situation layer runs."""

    def __init__(self):
        self.model = AdsModel()
        self.engine = AlarmEngine()
        self.engine.add_rules(PLUGIN, ads_rules())

    def show(self, state: dict, now: float = NOW):
        self.model.reset(state, now=now)
        return self.evaluate(now)

    def change(self, *upserts: dict, deletes=(), now: float = NOW):
        self.model.apply_changes(TopicChanges(upserts={d["screen_id"]: d for d in upserts},
                                              deletes=set(deletes)), now=now)
        return self.evaluate(now)

    def evaluate(self, now: float = NOW):
        return [(t.alarm_id, t.event, t.to_state)
                for t in evaluate_model(self.engine, PLUGIN, self.model, now)]

    def alarm(self, rule: str, key: str):
        return self.engine.get(alarm_id_for(rule, key))


# --------------------------------------------------------------------------- the plugin
def test_the_plugin_declares_the_model_and_the_rules():
    plugin = AdsPlugin()
    assert isinstance(plugin.create_model(), AdsModel)
    assert [(r.id, r.priority, r.on_delay_s, r.off_delay_s, r.deadband, r.latching, r.source)
            for r in plugin.alarm_rules()] == [
        (VIOLATION, 3, 0.0, 0.0, 0.0, False, ("ads", None)),
        (OFFLINE, 4, 0.0, 0.0, 0.0, False, ("ads", None))]


# --------------------------------------------------------------------------- the model
def test_the_view_counts_screens_and_lists_the_violations_by_name():
    model = AdsModel()
    model.reset({"A": screen("A"), "B": screen("B", online=False),
                 "C": screen("C", violation=PROHIBITED, name="Zeta"),
                 "D": screen("D", violation="Phát sai giờ " + "x" * 300, name="Alpha")}, now=NOW)
    view = model.view(NOW)
    assert view["screens"] == {"total": 4, "online": 3, "offline": 1, "violations": 2}
    assert [v["key"] for v in view["violations"]] == ["D", "C"]
    assert view["violations"][1] == {"key": "C", "name": "Zeta", "kind": "prohibited_content",
                                     "detail": "Quảng cáo thuốc lá"}
    assert view["violations"][0]["kind"] == "other"
    assert len(view["violations"][0]["detail"]) == DETAIL_CHARS
    model.apply_changes(TopicChanges(upserts={"C": screen("C", name="Zeta")}, deletes={"A"}), now=NOW)
    assert model.view()["screens"] == {"total": 3, "online": 2, "offline": 1, "violations": 1}


def test_offline_since_comes_from_the_report_or_from_when_it_was_first_seen_dark():
    model = AdsModel()
    model.reset({"A": screen("A", online=False, since=NOW - 600),
                 "B": screen("B", online=False, since=None), "C": screen("C")}, now=NOW)
    assert model.offline_since == {"A": NOW - 600, "B": NOW}        # B: at least since now
    model.apply_changes(TopicChanges(upserts={"B": screen("B", online=False, since=None)}),
                        now=NOW + 60)
    assert model.offline_since["B"] == NOW                           # still dark: kept
    model.apply_changes(TopicChanges(upserts={"C": screen("C", online=False, since=None)}),
                        now=NOW + 90)
    assert model.offline_since["C"] == NOW + 90                      # went dark now
    model.apply_changes(TopicChanges(upserts={"A": screen("A")}, deletes={"B"}), now=NOW + 120)
    assert model.offline_since == {"C": NOW + 90}


# --------------------------------------------------------------------------- violation
@pytest.mark.parametrize("violation, text", [
    (PROHIBITED, "Billboard Screen C: prohibited content — QC-X-THUOCLA"),
    ({"kind": "unlicensed_content", "content_id": "QC-9"}, "Billboard Screen C: unlicensed content — QC-X"),
    ({"kind": "schedule_breach"}, "Billboard Screen C: schedule breach — QC-X"),
    ("Phát sai giờ", "Billboard Screen C: violation — QC-X"),
    ({"kind": "brightness_breach", "lux": 9000}, "Billboard Screen C: violation (brightness breach) — QC-X"),
])
def test_a_violation_raises_with_its_kind_and_what_is_on_screen(violation, text):
    s = Situated()
    content = None if violation is PROHIBITED else "QC-X"
    state = {"C": screen("C", violation=violation, content=content)}
    if violation is PROHIBITED:
        state["C"]["content_id"] = None              # the violation names the content
    assert s.show(state) == [(alarm_id_for(VIOLATION, "C"), "raise", UNACKNOWLEDGED)]
    alarm = s.alarm(VIOLATION, "C")
    assert alarm.text == text and alarm.priority == 3
    assert alarm.value == schema.violation_info(state["C"])[0]
    assert (alarm.source_topic, alarm.source_key) == ("ads", "C")


def test_a_violation_without_content_names_its_detail_and_clears_when_it_ends():
    s = Situated()
    s.show({"C": screen("C", violation={"kind": "schedule_breach", "detail": "22:30 " + "y" * 200},
                        content=None)})
    text = s.alarm(VIOLATION, "C").text
    assert text.startswith("Billboard Screen C: schedule breach — 22:30 y") and text.endswith("…")
    assert s.change(screen("C")) == [(alarm_id_for(VIOLATION, "C"), "clear", RTN_UNACKNOWLEDGED)]
    s.change(screen("C", violation="again"))
    s.engine.acknowledge(alarm_id_for(VIOLATION, "C"), user="an.nguyen", now=NOW)
    assert s.change(deletes={"C"}) == [(alarm_id_for(VIOLATION, "C"), "clear", NORMAL)]


# --------------------------------------------------------------------------- offline
def test_a_dark_screen_is_an_alarm_after_two_minutes_with_its_live_duration():
    s = Situated()
    went_dark = NOW - 100
    offline = alarm_id_for(OFFLINE, "B")
    assert s.show({"B": screen("B", online=False, since=went_dark)}) == []          # 100 s
    assert s.evaluate(went_dark + OFFLINE_AFTER_S - 1) == []
    assert s.evaluate(went_dark + OFFLINE_AFTER_S) == [(offline, "raise", UNACKNOWLEDGED)]
    alarm = s.alarm(OFFLINE, "B")
    assert (alarm.priority, alarm.value) == (4, 2.0)
    assert alarm.text == "Billboard Screen B offline since 23/11 08:58 (2 min)"
    assert s.evaluate(went_dark + 47 * 60 + 30) == []                              # the value grows
    assert s.alarm(OFFLINE, "B").value == 47.0 and "(47 min)" in s.alarm(OFFLINE, "B").text
    assert s.change(screen("B"), now=went_dark + 3000) == [(offline, "clear", RTN_UNACKNOWLEDGED)]


def test_a_short_outage_and_a_dark_screen_without_since():
    s = Situated()
    s.show({"A": screen("A"), "B": screen("B")})
    assert s.change(screen("A", online=False, since=NOW + 10), now=NOW + 10) == []
    assert s.change(screen("A", since=NOW + 60), now=NOW + 60) == []               # back in 50 s
    assert s.alarm(OFFLINE, "A") is None
    # no since: counted from when the model saw it dark
    assert s.change(screen("B", online=False, since=None), now=NOW + 100) == []
    assert s.evaluate(NOW + 100 + OFFLINE_AFTER_S) == [
        (alarm_id_for(OFFLINE, "B"), "raise", UNACKNOWLEDGED)]
    # an offline report from the screen's own future (clock skew) is not yet an alarm
    s.change(screen("A", online=False, since=NOW + 900), now=NOW + 300)
    assert s.alarm(OFFLINE, "A") is None


def test_no_clock_no_offline_verdict():
    engine = AlarmEngine()
    engine.add_rules(PLUGIN, ads_rules())
    model = AdsModel()
    model.reset({"B": screen("B", online=False)})
    assert engine.evaluate(PLUGIN, model, NOW) == []


# --------------------------------------------------------------------------- the panel
def test_the_panel_renders_the_models_view(qtbot):
    from plugins.ads.gui import AdsGui
    from widgets.plugin_gui import AppContext
    from widgets.theme import STATE_COLORS

    gui = AdsGui(AdsPlugin(), AppContext(map=None))
    qtbot.addWidget(gui.panel)
    state = {"A": screen("A"), "B": screen("B", online=False),
             "C": screen("C", violation=PROHIBITED), "D": screen("D", violation="Phát sai giờ")}
    gui.on_reset({"ads": state})
    assert gui.kpis() == []                            # no view yet
    s = Situated()
    s.show(state)
    gui.apply_view(s.model.view(), full=True)
    online, violations = gui.kpis()
    assert (online.value, online.tooltip, violations.value, violations.abnormal) == (
        "3/4", "1 offline", "2", 2)
    figures = gui.panel.figures
    assert figures["online"].text() == "3/4 online" and STATE_COLORS["warn"] in figures["online"].styleSheet()
    assert figures["violations"].text() == "2 violation(s)"
    details = gui.panel.details.text().splitlines()
    assert details == ["Screen C: prohibited content — Quảng cáo thuốc lá",
                       "Screen D: violation — Phát sai giờ"]
    # a delta: the violations are over
    s.change(screen("C"), screen("D"))
    view = s.model.view()
    gui.apply_view({"screens": view["screens"], "violations": view["violations"]})
    assert gui.kpis()[1].abnormal == 0 and figures["online"].text() == "3/4 online"
    assert gui.panel.details.text() == "No violation. Select a screen for its details."
