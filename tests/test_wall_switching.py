"""The wall's auto-switch and rotation (Qt-free: ioc_desktop/wall/switching.py and
rotation.py), driven by a real alarm engine over the real environment and cameras
models: Kim Long rising above BĐ2 switches the wall to the flood preset and says why;
it comes back once the alarm is cleared AND acknowledged; the operator's choice and
the lock win; a cell's rotation stops on the panel an unacknowledged alarm comes from.
Times are fixed epochs (nothing depends on today's date)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ioc_desktop.alarms import (ACKNOWLEDGED, NORMAL, RTN_UNACKNOWLEDGED, UNACKNOWLEDGED,
                                AlarmEngine, alarm_id_for)
from ioc_desktop.situation import evaluate_model
from ioc_desktop.wall.config import (AutoSwitchRule, PanelSpec, default_wall_config,
                                     parse_wall_config)
from ioc_desktop.wall.rotation import Rotation, panel_topics
from ioc_desktop.wall.switching import AutoSwitch, WallDecision, rule_matches
from plugins.cameras import schema as camera_schema
from plugins.cameras.model import CamerasModel
from plugins.cameras.rules import OFFLINE, OFFLINE_ON_DELAY_S, camera_rules
from plugins.environment import schema as env_schema
from plugins.environment.model import EnvironmentModel
from plugins.environment.rules import ON_DELAY_S, RIVER_BD1, RIVER_BD2, environment_rules

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc).timestamp()      # 09:00 in Huế
BD = {"BD1": 1.0, "BD2": 2.0, "BD3": 3.5}
KL = "kim_long/water_level"
PO = "phu_oc/water_level"
KL_BD2 = alarm_id_for(RIVER_BD2, KL)
PO_BD2 = alarm_id_for(RIVER_BD2, PO)


def when(t: float) -> str:
    return datetime.fromtimestamp(t, timezone(timedelta(hours=7))).isoformat(timespec="seconds")


def level(value: float, t: float, station="kim_long", name="Kim Long") -> dict:
    return env_schema.validate({
        "station_id": station, "station_name": name, "quantity": "water_level", "value": value,
        "phenomenonTime": when(t), "lat": 16.47, "long": 107.57, "kind": "river_station",
        "river": "Hương", "thresholds": dict(BD)})


def camera(online: bool, t: float) -> dict:
    return camera_schema.validate({"camera_id": "CAM-02", "name": "Chợ Đông Ba", "lat": 16.4733,
                                   "long": 107.5882, "online": online, "last_seen": when(t)})


class River:
    """The environment plugin's model and rules in a real engine; time is ours."""

    def __init__(self):
        self.engine = AlarmEngine()
        self.engine.add_rules("environment", environment_rules())
        self.model = EnvironmentModel()
        self.levels: dict[str, dict] = {}
        self.now = T0

    def set(self, t: float, **levels: float) -> list:
        """Stations at these levels from ``t``; returns the annunciated alarms then."""
        self.now = t
        names = {"kim_long": "Kim Long", "phu_oc": "Phú Ốc"}
        for station, value in levels.items():
            self.levels[f"{station}/water_level"] = level(value, t, station, names[station])
        self.model.reset(dict(self.levels), now=t)
        evaluate_model(self.engine, "environment", self.model, t)
        return self.engine.summary().active

    def at(self, t: float) -> list:
        self.now = t
        evaluate_model(self.engine, "environment", self.model, t)
        return self.engine.summary().active

    def ack(self, alarm_id: str, t: float) -> list:
        self.engine.acknowledge(alarm_id, user="op", now=t)
        return self.engine.summary().active

    def state(self, alarm_id: str) -> str:
        return next((a.state for a in self.engine.alarms() if a.id == alarm_id), NORMAL)


@pytest.fixture
def wall():
    return default_wall_config(3)


# ------------------------------------------------------------------ auto-switch
def test_kim_long_above_bd2_switches_the_wall_to_flood_and_back_after_clear_and_ack(wall):
    river, auto = River(), AutoSwitch(wall)
    first = auto.update(river.set(T0, kim_long=1.2), T0)          # BĐ1: priority 3, no switch
    assert first == WallDecision(preset="normal", changed=True, base="normal")
    assert [a.rule for a in river.at(T0 + ON_DELAY_S + 1)] == [RIVER_BD1]
    assert auto.update(river.engine.summary().active, T0 + 61).changed is False

    t = T0 + 120
    river.set(t, kim_long=2.3)                                      # above BĐ2 ...
    assert auto.update(river.engine.summary().active, t).preset == "normal"   # ... on-delay
    t += ON_DELAY_S + 1
    d = auto.update(river.at(t), t)
    assert river.state(KL_BD2) == UNACKNOWLEDGED
    assert d.preset == "flood" and d.changed and d.reason == KL_BD2 and d.base == "normal"
    assert d.priority == 2 and d.since == t and not d.locked
    assert d.reason_text == "Kim Long: water level 2.30 m, at flood warning level BĐ2 (2.00 m)"
    assert d.reason_message[1] == "{0}: water level {1:.2f} m, at flood warning level {2} ({3:.2f} m)"
    assert d.screens == ("0", "1", "2")                            # every screen has a flood layout
    assert [auto.preset_for(s) for s in wall.screens] == ["flood"] * 3
    assert wall.layout_for(wall.screens[2], auto.preset_for(wall.screens[2])).name == "flood"
    switched_at = t

    # acknowledged, still above BĐ2: stays
    t += 30
    d = auto.update(river.ack(KL_BD2, t), t)
    assert river.state(KL_BD2) == ACKNOWLEDGED and d.preset == "flood" and not d.changed
    # rising to BĐ3: priority 1, annunciated again; same switch, its live text
    t += 30
    d = auto.update(river.set(t, kim_long=3.6), t)
    assert river.state(KL_BD2) == UNACKNOWLEDGED and d.priority == 1
    assert d.preset == "flood" and d.since == switched_at and "3.60 m" in d.reason_text
    assert "BĐ3" in d.reason_text
    # back under BĐ2 but not acknowledged: the wall stays switched
    t += 30
    river.set(t, kim_long=1.2)
    d = auto.update(river.at(t + 1), t + 1)
    assert river.state(KL_BD2) == RTN_UNACKNOWLEDGED
    assert d.preset == "flood" and d.reason == KL_BD2
    # cleared AND acknowledged: back to the operator's preset
    t += 60
    d = auto.update(river.ack(KL_BD2, t), t)
    assert river.state(KL_BD2) == NORMAL
    assert d == WallDecision(preset="normal", changed=True, base="normal")
    assert [auto.preset_for(s) for s in wall.screens] == ["normal"] * 3


def test_another_station_still_flooded_keeps_the_wall_switched(wall):
    river, auto = River(), AutoSwitch(wall)
    t = T0
    river.set(t, kim_long=2.4, phu_oc=1.0)
    t += ON_DELAY_S + 1
    assert auto.update(river.at(t), t).reason == KL_BD2
    river.set(t, kim_long=2.4, phu_oc=3.2)                          # Phú Ốc's BĐ2 is 3.0
    t += ON_DELAY_S + 1
    d = auto.update(river.at(t), t)
    assert d.reason == KL_BD2                                       # the first one stays the reason
    since = d.since
    river.set(t, kim_long=1.0, phu_oc=3.2)
    river.at(t + 1)
    d = auto.update(river.ack(KL_BD2, t + 2), t + 2)
    assert river.state(KL_BD2) == NORMAL
    assert d.preset == "flood" and d.reason == PO_BD2 and d.changed and d.since == since
    assert "Phú Ốc" in d.reason_text


def test_the_operators_choice_and_the_lock_win_over_the_switch(wall):
    river, auto = River(), AutoSwitch(wall)
    t = T0
    river.set(t, kim_long=2.4)
    t += ON_DELAY_S + 1
    assert auto.update(river.at(t), t).preset == "flood"
    # the operator chooses storm: the switch is dismissed for this alarm
    d = auto.set_base("storm")
    assert d.preset == "storm" and d.base == "storm" and d.reason is None and d.changed
    assert auto.update(river.at(t + 10), t + 10).preset == "storm"
    # ... until its priority rises (BĐ3: annunciated again)
    d = auto.update(river.set(t + 20, kim_long=3.6), t + 20)
    assert d.preset == "flood" and d.reason == KL_BD2 and d.base == "storm"
    # locked: the operator's preset, no switching, until unlocked
    d = auto.lock(True)
    assert d.locked and d.preset == "storm" and d.reason is None
    assert auto.update(river.at(t + 30), t + 30).preset == "storm"
    assert [auto.preset_for(s) for s in wall.screens] == ["storm"] * 3
    d = auto.lock(False)
    assert not d.locked and d.preset == "storm"
    d = auto.update(river.at(t + 40), t + 40)
    assert d.preset == "flood" and d.reason == KL_BD2
    # cleared and acknowledged: back to the operator's storm
    river.set(t + 50, kim_long=1.0)
    river.at(t + 51)
    d = auto.update(river.ack(KL_BD2, t + 52), t + 52)
    assert d.preset == "storm" and d.reason is None
    with pytest.raises(KeyError):
        auto.set_base("typhoon")


def test_a_rule_switches_only_its_screens_and_only_at_its_priority():
    text = """
[[auto_switch]]
preset = "flood"
min_priority = 1
rules = ["environment.river_bd2/kim_long"]
screens = ["right"]
"""
    screens = ""
    for name in ("left", "right"):
        screens += f"""
[[screens]]
name = "{name}"
distance_m = 5
[screens.layouts.normal]
[[screens.layouts.normal.cells]]
panel = {{ kind = "alarms" }}
[screens.layouts.flood]
[[screens.layouts.flood.cells]]
panel = {{ kind = "river" }}
"""
    config = parse_wall_config(text + screens, "w.toml")
    river, auto = River(), AutoSwitch(config)
    river.set(T0, kim_long=2.4, phu_oc=4.6)                         # Phú Ốc at BĐ3: priority 1
    t = T0 + ON_DELAY_S + 1
    d = auto.update(river.at(t), t)
    assert d.preset == "normal" and d.reason is None                # Kim Long at BĐ2 is priority 2
    d = auto.update(river.set(t + 1, kim_long=3.6), t + 1)          # BĐ3: priority 1
    assert d.preset == "flood" and d.screens == ("right",)
    assert [auto.preset_for(s) for s in config.screens] == ["normal", "flood"]
    assert auto.preset_for("right") == "flood" and auto.preset_for("left") == "normal"


def test_shelved_alarms_do_not_switch_and_rules_match_at_boundaries(wall):
    river, auto = River(), AutoSwitch(wall)
    river.set(T0, kim_long=2.4)
    t = T0 + ON_DELAY_S + 1
    river.at(t)
    river.engine.shelve(KL_BD2, until=t + 3600, reason="sensor drifting", user="op", now=t)
    assert auto.update(river.engine.summary().active, t).preset == "normal"
    assert auto.update(river.engine.alarms(), t).preset == "normal"   # all alarms: the same
    alarm = river.engine.alarms()[0]
    assert rule_matches((), alarm)
    assert rule_matches(("environment",), alarm)
    assert rule_matches(("environment.",), alarm)
    assert rule_matches(("environment.river_bd2",), alarm)
    assert rule_matches(("environment.river_bd2/kim_long",), alarm)
    assert rule_matches((KL_BD2,), alarm)
    assert not rule_matches(("environment.river_bd",), alarm)
    assert not rule_matches(("environment.river_bd2/kim",), alarm)
    assert not rule_matches(("vessels",), alarm)


def test_a_more_urgent_alarm_for_another_preset_takes_over(wall):
    wall.auto_switch.insert(0, AutoSwitchRule("storm", 1, ("environment.river_bd2/phu_oc",)))
    river, auto = River(), AutoSwitch(wall)
    river.set(T0, kim_long=2.4, phu_oc=1.0)
    t = T0 + ON_DELAY_S + 1
    assert auto.update(river.at(t), t).preset == "flood"
    river.set(t, kim_long=2.4, phu_oc=3.2)                          # priority 2: not urgent enough
    assert auto.update(river.at(t + 61), t + 61).preset == "flood"
    d = auto.update(river.set(t + 62, kim_long=2.4, phu_oc=4.6), t + 62)   # BĐ3: priority 1
    assert d.preset == "storm" and d.reason == PO_BD2 and d.since == t + 62


# ------------------------------------------------------------------ rotation
def test_panel_topics():
    topics = {"environment": ["environment"], "vessels": ["vessels", "vessel_tracks"],
              "cameras": ["cameras"]}
    assert panel_topics(PanelSpec("river", {})) == {"environment"}
    assert panel_topics(PanelSpec("vessels", {}), topics) == {"vessels", "vessel_tracks"}
    assert panel_topics(PanelSpec("warnings", {})) == {"alerts"}
    assert panel_topics(PanelSpec("reports_attention", {})) == {"reports"}
    assert panel_topics(PanelSpec("service", {"plugin": "vessels"}), topics) == {"vessels",
                                                                                 "vessel_tracks"}
    assert panel_topics(PanelSpec("service", {"plugin": "press", "panel": "feed"})) == {"press"}
    assert panel_topics(PanelSpec("map", {"layers": ["cameras", "alerts"]})) == {"cameras", "alerts"}
    assert panel_topics(PanelSpec("map", {"layers": []}), topics) == {
        "environment", "vessels", "vessel_tracks", "cameras"}
    assert panel_topics(PanelSpec("alarms", {})) == set()
    assert panel_topics(PanelSpec("overview", {})) == set()


def test_a_cell_rotates_every_n_seconds():
    rot = Rotation([PanelSpec("river"), PanelSpec("cameras"), PanelSpec("vessels")], 20.0)
    seen = [rot.current(T0 + s) for s in (0, 5, 19.9, 20, 39, 40, 61, 95)]
    assert seen == [0, 0, 0, 1, 1, 2, 0, 1]
    assert rot.next_change_s(T0 + 95) == pytest.approx(5.0)
    assert rot.current(T0 + 10) == 1                     # the clock went back: the period restarts
    assert rot.current(T0 + 29) == 1 and rot.current(T0 + 30) == 2
    assert Rotation([PanelSpec("map")], None).current(T0 + 1000) == 0


def test_rotation_stops_on_the_panel_of_an_unacknowledged_alarm_until_acknowledged():
    engine = AlarmEngine()
    engine.add_rules("cameras", camera_rules())
    cams = CamerasModel()
    cams.reset({"CAM-02": camera(False, T0)}, now=T0)
    rot = Rotation([PanelSpec("river"), PanelSpec("cameras", {"cols": 2, "rows": 2}),
                    PanelSpec("vessels")], 20.0)
    evaluate_model(engine, "cameras", cams, T0)
    assert rot.current(T0, engine.summary().active) == 0
    t = T0 + OFFLINE_ON_DELAY_S + 1                                  # the camera offline alarm
    evaluate_model(engine, "cameras", cams, t)
    alarms = engine.summary().active
    offline = alarm_id_for(OFFLINE, "CAM-02")
    assert [(a.id, a.state, a.source_topic) for a in alarms] == [(offline, UNACKNOWLEDGED, "cameras")]
    assert rot.current(t, alarms) == 1 and rot.held and rot.held_by == offline
    for s in (20, 40, 60, 200):                                      # it stays
        assert rot.current(t + s, alarms) == 1
    assert rot.next_change_s(t + 200) is None
    # acknowledged (still offline): rotating again, the camera panel first gets a period
    engine.acknowledge(offline, user="op", now=t + 300)
    alarms = engine.summary().active
    assert alarms[0].state == ACKNOWLEDGED
    assert rot.current(t + 301, alarms) == 1 and not rot.held
    assert rot.current(t + 319, alarms) == 1
    assert rot.current(t + 321, alarms) == 2


def test_without_a_panel_showing_its_source_an_alarm_stops_the_rotation_on_the_summary():
    river = River()
    river.set(T0, kim_long=2.4)
    t = T0 + ON_DELAY_S + 1
    alarms = river.at(t)
    rot = Rotation([PanelSpec("overview"), PanelSpec("alarms"), PanelSpec("cameras")], 10.0)
    assert rot.current(t, alarms) == 1 and rot.held_by == KL_BD2
    # a cell showing the river: stops there rather than on the summary
    rot = Rotation([PanelSpec("alarms"), PanelSpec("vessels"), PanelSpec("river")], 10.0)
    assert rot.current(t, alarms) == 2
    # no panel for it: it rotates
    rot = Rotation([PanelSpec("vessels"), PanelSpec("cameras")], 10.0)
    assert [rot.current(t + s, alarms) for s in (0, 10, 20)] == [0, 1, 0]
    # acknowledged: the summary rotates on
    river.ack(KL_BD2, t + 1)
    rot = Rotation([PanelSpec("overview"), PanelSpec("alarms")], 10.0)
    assert [rot.current(t + s, river.engine.summary().active) for s in (2, 12, 22)] == [0, 1, 0]
