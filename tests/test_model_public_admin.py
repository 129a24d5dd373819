"""The public-administration situation model and its overdue alarm rule, headless (no
Qt), and the agency panel as a view of the model's view.

The tallies have no clock; evaluations use a fixed epoch (09:00 in Huế, 23 Nov 2026)."""
from __future__ import annotations

from datetime import datetime

import pytest

from ioc_desktop.alarms import (ACKNOWLEDGED, NORMAL, RTN_UNACKNOWLEDGED, UNACKNOWLEDGED,
                                AlarmEngine, alarm_id_for)
from ioc_desktop.interop import VN_TZ
from ioc_desktop.situation import evaluate_model
from ioc_desktop.store.batch import TopicChanges
from plugins.public_admin import PublicAdminPlugin, schema
from plugins.public_admin.model import PublicAdminModel
from plugins.public_admin.rules import AGENCY_OVERDUE, PLUGIN, public_admin_rules

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ).timestamp()
HOSTILE = "<img src=x onerror=alert(1)> '; DROP TABLE public_admin;-- \u202e {{7*7}}"


def tally(key: str, received: int, resolved: int, overdue: int, on_time: int | None = None,
          **extra) -> dict:
    """A valid tally; ``on_time=False``: the agency does not report it."""
    d = {"agency_id": key, "agency": extra.pop("agency", f"UBND phường {key}"), "period": "2026-11",
         "received": received, "resolved": resolved, "overdue": overdue,
         "on_time": resolved - min(overdue, resolved) if on_time is None else on_time,
         "online_level3": 0.3, "online_level4": 0.5, "satisfaction": 0.9, **extra}
    if on_time is False:
        del d["on_time"]
    return schema.validate(d)


def alarm_id(key: str) -> str:
    return alarm_id_for(AGENCY_OVERDUE, key)


class Situated:
    """The model with its rule in an engine: what the situation layer runs."""

    def __init__(self):
        self.model = PublicAdminModel()
        self.engine = AlarmEngine()
        self.engine.add_rules(PLUGIN, public_admin_rules())
        self.now = NOW

    def show(self, state: dict):
        self.model.reset(state, now=self.now)
        return self.evaluate()

    def change(self, upserts: dict = (), deletes=()):
        self.model.apply_changes(TopicChanges(upserts=dict(upserts), deletes=set(deletes)),
                                 now=self.now)
        return self.evaluate()

    def evaluate(self):
        self.now += 10
        return [(t.key, t.event, t.to_state)
                for t in evaluate_model(self.engine, PLUGIN, self.model, self.now)]

    def alarm(self, key: str):
        return self.engine.get(alarm_id(key))


# --------------------------------------------------------------------------- the plugin
def test_the_plugin_declares_the_model_and_the_rule():
    plugin = PublicAdminPlugin()
    assert isinstance(plugin.create_model(), PublicAdminModel)
    [rule] = plugin.alarm_rules()
    assert (rule.id, rule.priority, rule.deadband, rule.on_delay_s, rule.off_delay_s,
            rule.latching, rule.suppresses) == (AGENCY_OVERDUE, 3, 2.0, 0.0, 0.0, False, ())
    assert rule.source == ("public_admin", None)


# --------------------------------------------------------------------------- the model
def test_totals_leave_out_an_older_period_and_weigh_the_shares():
    model = PublicAdminModel()
    model.reset({
        "a": tally("a", 100, 80, 12, satisfaction=0.8),
        "b": tally("b", 300, 200, 10, online_level3=0.1, online_level4=0.2),
        "c": tally("c", 50, 40, 4, on_time=False, satisfaction=None),
        "old": tally("old", 5000, 4000, 900, period="2026-10"),
    })
    t = model.view()["totals"]
    assert (t["count"], t["period"], t["received"], t["resolved"], t["overdue"]) == (
        3, "2026-11", 450, 320, 26)
    # on time over the agencies reporting it (a and b): (68 + 190) / (80 + 200)
    assert (t["on_time"], t["on_time_base"]) == (258, 280)
    assert t["on_time_rate"] == pytest.approx(258 / 280) and t["on_time_low"] is True
    assert t["online_level3"] == pytest.approx((0.3 * 100 + 0.1 * 300 + 0.3 * 50) / 450)
    assert t["online_level4"] == pytest.approx((0.5 * 100 + 0.2 * 300 + 0.5 * 50) / 450)
    assert t["online_share"] == pytest.approx(t["online_level3"] + t["online_level4"])
    assert t["satisfaction"] == pytest.approx((0.8 * 80 + 0.9 * 200) / 280)       # c: no ratings
    assert t["satisfaction_low"] is True                               # 87 % < 90 %


def test_totals_of_nothing():
    model = PublicAdminModel()
    model.reset({})
    t = model.view()["totals"]
    assert (t["count"], t["received"], t["on_time_rate"], t["online_share"], t["satisfaction"],
            t["period"]) == (0, 0, None, None, None, None)
    assert model.view()["levels"] == {} and model.view()["alarmed"] == []


def test_levels_colour_what_the_rows_show():
    model = PublicAdminModel()
    model.reset({"watch": tally("watch", 100, 90, 3),                       # 3 %: amber
                 "fine": tally("fine", 100, 90, 2, satisfaction=0.95),        # 2 %, on time 97.8 %
                 "late": tally("late", 400, 90, 10, on_time=80),              # 2.5 %, on time 88.9 %
                 "unhappy": tally("unhappy", 100, 90, 0, satisfaction=0.0),   # 0 % satisfied: amber
                 "zero": tally("zero", 100, 90, 90, on_time=0),               # 0 % on time: amber
                 "old": tally("old", 100, 90, 1, period="2026-10")})
    levels = model.view()["levels"]
    assert levels["watch"] == {"overdue": "warn"}
    assert "fine" not in levels
    assert levels["late"] == {"on_time": "warn"}
    assert levels["unhappy"] == {"satisfaction": "warn"}
    assert levels["zero"] == {"overdue": "warn", "on_time": "warn"}      # 90 %: no rule ran
    assert levels["old"] == {"stale": True}


# --------------------------------------------------------------------------- the rule
def test_an_agency_over_the_limit_raises_with_its_live_share_and_no_small_agency_does():
    s = Situated()
    raised = s.show({"a": tally("a", 100, 80, 12),          # 12 %, 12 dossiers
                     "b": tally("b", 1000, 900, 20),        # 2 %
                     "c": tally("c", 40, 30, 4)})           # 10 %, only 4 dossiers
    assert raised == [("a", "raise", UNACKNOWLEDGED)]
    alarm = s.alarm("a")
    assert (alarm.priority, alarm.value, alarm.source_topic, alarm.source_key) == (
        3, 12.0, "public_admin", "a")
    assert alarm.text == "UBND phường a: 12 overdue dossiers, 12.0 % of the 100 received (limit 10 %)"
    assert alarm.message[:2] == ["public_admin", "{0}: {1} overdue dossiers, {2:.1f} % of the {3} "
                                                 "received (limit {4:g} %)"]
    view = s.model.view()
    assert view["alarmed"] == ["a"] and view["levels"]["a"]["overdue"] == "alarm"
    # the share moves: the same alarm, with the live figures
    assert s.change({"a": tally("a", 200, 160, 30)}) == []
    assert s.alarm("a").value == 15.0 and "30 overdue dossiers, 15.0 % of the 200" in s.alarm("a").text


def test_the_deadband_keeps_an_agency_at_the_line_from_chattering():
    s = Situated()
    assert s.show({"a": tally("a", 100, 0, 10)}) == [("a", "raise", UNACKNOWLEDGED)]   # 10.0 %
    # hovering between 8 % and 10 % holds the alarm: no clear, no raise again
    for received in (101, 100, 105, 111, 125):                  # 9.9, 10.0, 9.5, 9.0, 8.0 %
        assert s.change({"a": tally("a", received, 0, 10)}) == []
    assert s.alarm("a").state == UNACKNOWLEDGED and s.alarm("a").value == 8.0
    assert "10 overdue dossiers, 8.0 % of the 125 received" in s.alarm("a").text
    assert s.model.view()["levels"]["a"]["overdue"] == "alarm"  # still red in the panel
    assert s.change({"a": tally("a", 126, 0, 10)}) == [("a", "clear", RTN_UNACKNOWLEDGED)]  # 7.9 %
    assert s.model.view()["levels"]["a"] == {"overdue": "warn"}
    assert s.change({"a": tally("a", 111, 0, 10)}) == []       # 9.0 %: not raised again
    assert s.change({"a": tally("a", 100, 0, 10)}) == [("a", "raise", UNACKNOWLEDGED)]


def test_too_few_overdue_dossiers_clear_it_and_a_deleted_agency_takes_its_alarm():
    s = Situated()
    s.show({"a": tally("a", 60, 40, 7), "b": tally("b", 60, 40, 7)})
    s.engine.acknowledge(alarm_id("b"), user="an.nguyen", now=s.now)
    assert s.change({"a": tally("a", 40, 30, 4)}) == [("a", "clear", RTN_UNACKNOWLEDGED)]   # 10 %, 4
    assert s.change(deletes={"b"}) == [("b", "clear", NORMAL)]
    assert s.model.view()["alarmed"] == [] and s.model.alarmed == frozenset()


def test_the_deadband_survives_a_restart():
    s = Situated()
    s.show({"a": tally("a", 100, 80, 12)})
    s.engine.acknowledge(alarm_id("a"), user="an.nguyen", now=s.now)
    again = Situated()
    again.engine.restore(s.engine.alarms())
    assert again.show({"a": tally("a", 111, 80, 10)}) == []    # 9 %: the restored alarm holds
    assert again.alarm("a").state == ACKNOWLEDGED
    assert again.model.view()["alarmed"] == ["a"]


def test_the_alarm_text_carries_the_agency_name_as_text():
    s = Situated()
    s.show({"x": tally("x", 100, 50, 20, agency=HOSTILE), "y": tally("y", 100, 50, 20, agency=" ")})
    assert s.alarm("x").text == f"{HOSTILE}: 20 overdue dossiers, 20.0 % of the 100 received (limit 10 %)"
    assert s.alarm("y").text.startswith("y: 20 overdue")       # no name: the agency id


# --------------------------------------------------------------------------- the panel
def test_the_panel_renders_the_models_view(qtbot):
    from plugins.public_admin.gui import OVERDUE_COLUMN, TOTAL_KEY, PublicAdminGui
    from widgets.plugin_gui import AppContext
    from widgets.theme import ALARM, STALE, WARN

    gui = PublicAdminGui(PublicAdminPlugin(), AppContext(map=None, lang="en"))
    qtbot.addWidget(gui.widget)
    state = {"a": tally("a", 100, 80, 12), "b": tally("b", 1000, 900, 20),
             "old": tally("old", 5000, 4000, 90, period="2026-10")}
    gui.on_reset({"public_admin": state})
    assert gui.kpis() == [] and gui.tile_on_time.value() == "—"      # no view yet
    s = Situated()
    s.show(state)
    gui.apply_view(s.model.view(), full=True)
    m = gui.model
    total = m.item(TOTAL_KEY)
    assert total["agency"] == "All agencies (2)" and total["received"] == 1100
    head, overdue = gui.kpis()
    assert head.value == "96.7%" and head.abnormal == 1 and "UBND phường a" in head.tooltip
    assert overdue.value == "32"
    assert gui.tile_overdue.abnormal() == 1 and gui.tile_overdue.state() == "alarm"
    assert gui.tile_on_time.state() == "ok" and gui.tile_online.value() == "80%"

    def cell(key, col, role):
        return m.data(m.index(m.row_of(key), col), role)

    from PySide6.QtCore import Qt
    assert cell("a", OVERDUE_COLUMN, Qt.ItemDataRole.BackgroundRole).color().name() == ALARM
    assert cell("old", 0, Qt.ItemDataRole.ForegroundRole).color().name() == STALE
    # the alarm clears (7 %): the next view turns the cell amber and the badge off
    s.change({"a": tally("a", 300, 260, 21)})
    view = s.model.view()
    gui.apply_view({k: view[k] for k in ("levels", "alarmed")})
    assert cell("a", OVERDUE_COLUMN, Qt.ItemDataRole.BackgroundRole) is None
    assert cell("a", OVERDUE_COLUMN, Qt.ItemDataRole.ForegroundRole).color().name() == WARN.lower()
    assert gui.kpis()[0].abnormal == 0 and gui.tile_overdue.state() == "ok"
