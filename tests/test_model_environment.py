"""The environment's model (headless: no Qt), its alarm rules over a real engine, the
flooded-street suppression across plugins, and the GUI drawing the model's view.

Times are fixed epochs (nothing depends on today's date)."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from ioc_desktop.alarms import (ACKNOWLEDGED, NORMAL, RTN_UNACKNOWLEDGED, SUPPRESSED,
                                UNACKNOWLEDGED, AlarmEngine, alarm_id_for)
from ioc_desktop.situation import evaluate_model
from ioc_desktop.store.batch import EventRecord, TopicChanges
from plugins.environment import EnvironmentPlugin, schema
from plugins.environment.model import (AQI_DEADBAND, DISCHARGE, LEVEL_DEADBAND_M,
                                       EnvironmentModel, aqi_band_index, flood_level)
from plugins.environment.rules import (AIR_QUALITY, FLOODED_STREET, ON_DELAY_S,
                                       RESERVOIR_DISCHARGE, RIVER_BD1, RIVER_BD2,
                                       environment_rules)

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc).timestamp()      # 09:00 in Huế
KL = "kim_long/water_level"
PO = "phu_oc/water_level"
AIR = "kk_le_loi/aqi"
OUT = "ho_ta_trach/outflow"
BD = {"BD1": 1.0, "BD2": 2.0, "BD3": 3.5}


def when(t: float) -> str:
    return datetime.fromtimestamp(t, timezone(timedelta(hours=7))).isoformat(timespec="seconds")


def river(value: float, t: float = T0, station="kim_long", name="Kim Long", thresholds=BD) -> dict:
    data = {"station_id": station, "station_name": name, "quantity": "water_level",
            "value": value, "phenomenonTime": when(t), "lat": 16.47, "long": 107.57,
            "kind": "river_station", "river": "Hương"}
    if thresholds:
        data["thresholds"] = dict(thresholds)
    return schema.validate(data)


def aqi(value: float, t: float = T0) -> dict:
    return schema.validate({"station_id": "kk_le_loi", "station_name": "Lê Lợi", "quantity": "aqi",
                            "value": float(value), "phenomenonTime": when(t), "lat": 16.465,
                            "long": 107.592, "kind": "air_station"})


def outflow(value: float, t: float = T0, threshold: float | None = 210.0) -> dict:
    data = {"station_id": "ho_ta_trach", "station_name": "Hồ Tả Trạch", "quantity": "outflow",
            "value": float(value), "phenomenonTime": when(t), "lat": 16.31, "long": 107.61,
            "kind": "reservoir"}
    if threshold is not None:
        data["thresholds"] = {DISCHARGE: threshold}
    return schema.validate(data)


def changes(*items: dict, deletes=()) -> TopicChanges:
    ch = TopicChanges(deletes=set(deletes))
    for seq, data in enumerate(items, 1):
        key = schema.key_of(data)
        ch.events.append(EventRecord("environment", seq, data["phenomenonTime"], "upsert", key, data))
        ch.upserts[key] = data
    return ch


class Rig:
    """The environment's model and rules in an engine; ``feed`` applies a batch and
    evaluates at ``t`` (what the situation layer does)."""

    def __init__(self, extra_rules=None):
        self.model = EnvironmentModel()
        self.engine = AlarmEngine()
        self.engine.add_rules("environment", environment_rules())
        if extra_rules:
            for plugin, rules in extra_rules.items():
                self.engine.add_rules(plugin, rules)

    def feed(self, t: float, *items: dict) -> list:
        self.model.apply_changes(changes(*items), now=t)
        return evaluate_model(self.engine, "environment", self.model, t)

    def alarm(self, rule: str, key: str):
        return self.engine.get(alarm_id_for(rule, key))

    def state(self, rule: str, key: str) -> str:
        alarm = self.alarm(rule, key)
        return NORMAL if alarm is None else alarm.state


# ---------------------------------------------------------------- the model
def test_flood_levels_and_aqi_bands_keep_their_deadband():
    assert [flood_level(v, BD) for v in (0.99, 1.0, 1.99, 2.0, 3.49, 3.5, 6.0)] == [0, 1, 1, 2, 2, 3, 3]
    assert flood_level(1.96, BD, previous=2) == 2           # within the 5 cm deadband
    assert flood_level(2.0 - LEVEL_DEADBAND_M - 0.01, BD, previous=2) == 1
    assert flood_level(3.47, BD, previous=3) == 3 and flood_level(3.44, BD, previous=3) == 2
    assert flood_level(1.5, None) == 0 and flood_level(None, BD) == 0
    assert flood_level(5.0, {"BD1": 1.5}) == 1               # only the lines it has
    # VN_AQI bands (DOMAIN.md): 0–50 Tốt, 51–100 TB, 101–150 Kém, 151–200 Xấu, 201–300 Rất xấu
    assert [aqi_band_index(v) for v in (50, 51, 100, 101, 150, 151, 200, 201, 301, 500)] == \
        [0, 1, 1, 2, 2, 3, 3, 4, 5, 5]
    assert aqi_band_index(100 - AQI_DEADBAND + 1, previous=2) == 2
    assert aqi_band_index(100 - AQI_DEADBAND, previous=2) == 1
    assert aqi_band_index(148, previous=3) == 3 and aqi_band_index(48, previous=1) == 0


def test_model_reset_changes_and_view():
    model = EnvironmentModel()
    assert isinstance(EnvironmentPlugin().create_model(), EnvironmentModel)
    model.reset({KL: river(2.31), PO: river(0.8, station="phu_oc", name="Phú Ốc",
                                            thresholds={"BD1": 1.5, "BD2": 3.0, "BD3": 4.5}),
                 AIR: aqi(96), OUT: outflow(120.0),
                 "cau_truoi/water_level": river(0.4, station="cau_truoi", name="Cầu Truồi",
                                                thresholds=None)}, now=T0)
    view = model.view(T0)
    assert [(r["key"], r["level"], r["value"]) for r in view["rivers"]] == [
        (KL, "BD2", 2.31), (PO, None, 0.8)]                     # worst first; no lines: not listed
    assert (view["rivers_above"], view["aqi_max"], view["aqi_poor"], view["discharging"]) == \
        (1, 96.0, 0, [])
    model.apply_changes(changes(aqi(163, T0 + 60), outflow(640.0, T0 + 60),
                                river(1.97, T0 + 60)), now=T0 + 60)
    view = model.view(T0 + 60)
    assert view["rivers"][0]["level"] == "BD2"                  # 1.97: still BĐ2 (deadband)
    assert (view["aqi_max"], view["aqi_poor"]) == (163.0, 1)
    assert view["discharging"] == [{"key": OUT, "name": "Hồ Tả Trạch", "value": 640.0,
                                    "threshold": 210.0}]
    model.apply_changes(changes(river(1.94, T0 + 120), outflow(201.0, T0 + 120)), now=T0 + 120)
    view = model.view(T0 + 120)
    assert view["rivers"][0]["level"] == "BD1"
    assert view["discharging"] and view["discharging"][0]["value"] == 201.0   # 5 % deadband
    model.apply_changes(changes(outflow(199.0, T0 + 180), deletes=[KL]), now=T0 + 180)
    view = model.view(T0 + 180)
    assert [r["key"] for r in view["rivers"]] == [PO] and view["rivers_above"] == 0
    assert view["discharging"] == []
    # a reset starts from the values alone (review of the past)
    model.reset({KL: river(1.97)})
    assert model.flood_level(KL) == 1 and model.view(T0)["aqi_max"] is None


# ---------------------------------------------------------------- the rules
def test_river_alarms_rise_with_the_level_with_on_delay_deadband_and_live_text():
    rig = Rig()
    assert rig.feed(T0, river(0.9)) == []
    rig.feed(T0 + 10, river(1.05, T0 + 10))
    assert rig.state(RIVER_BD1, KL) == NORMAL                    # on-delay running
    rig.feed(T0 + 10 + ON_DELAY_S - 1, river(1.08, T0 + 60))
    assert rig.state(RIVER_BD1, KL) == NORMAL
    rig.feed(T0 + 10 + ON_DELAY_S, river(1.12, T0 + 70))
    alarm = rig.alarm(RIVER_BD1, KL)
    assert (alarm.state, alarm.priority, alarm.value) == (UNACKNOWLEDGED, 3, 1.12)
    assert alarm.text == "Kim Long: water level 1.12 m, at flood warning level BĐ1 (1.00 m)"
    assert alarm.message[:2] == ["environment", "{0}: water level {1:.2f} m, at flood warning level {2} ({3:.2f} m)"]
    assert (alarm.source_topic, alarm.source_key) == ("environment", KL)
    rig.feed(T0 + 200, river(1.31, T0 + 200))
    assert "1.31 m" in rig.alarm(RIVER_BD1, KL).text            # the live value
    # BĐ2: the BĐ1 alarm returns to normal, the BĐ2 one takes over (priority 2)
    rig.feed(T0 + 300, river(2.05, T0 + 300))
    rig.feed(T0 + 300 + ON_DELAY_S, river(2.08, T0 + 360))
    assert rig.state(RIVER_BD1, KL) == RTN_UNACKNOWLEDGED
    bd2 = rig.alarm(RIVER_BD2, KL)
    assert (bd2.state, bd2.priority) == (UNACKNOWLEDGED, 2) and "BĐ2 (2.00 m)" in bd2.text
    rig.engine.acknowledge(bd2.id, user="op1", now=T0 + 400)
    # a gauge wobbling around BĐ2 does not chatter: the deadband holds it
    for i, v in enumerate((1.99, 1.97, 2.01, 1.96, 2.0)):
        assert rig.feed(T0 + 420 + i, river(v, T0 + 420 + i)) == []
    assert rig.state(RIVER_BD2, KL) == ACKNOWLEDGED
    # BĐ3: the same alarm, priority 1, annunciated again
    rig.feed(T0 + 500, river(3.6, T0 + 500))
    bd2 = rig.alarm(RIVER_BD2, KL)
    assert (bd2.state, bd2.priority) == (UNACKNOWLEDGED, 1) and "BĐ3 (3.50 m)" in bd2.text
    rig.feed(T0 + 510, river(3.47, T0 + 510))                   # deadband: still BĐ3
    assert rig.alarm(RIVER_BD2, KL).priority == 1
    rig.feed(T0 + 520, river(3.2, T0 + 520))
    assert rig.alarm(RIVER_BD2, KL).priority == 2
    # the water goes down: cleared below BĐ2 minus the deadband
    rig.feed(T0 + 600, river(1.94, T0 + 600))
    assert rig.state(RIVER_BD2, KL) == RTN_UNACKNOWLEDGED
    rig.feed(T0 + 700, river(0.5, T0 + 700))
    assert rig.engine.active() and all(a.rule in (RIVER_BD1, RIVER_BD2) and not a.active
                                       for a in rig.engine.active())


def test_a_stray_reading_raises_nothing():
    rig = Rig()
    rig.feed(T0, river(2.4))                                    # a spike …
    rig.feed(T0 + 30, river(0.8, T0 + 30))                      # … gone before the on-delay
    rig.feed(T0 + 200, river(0.8, T0 + 200))
    assert rig.engine.alarms() == []


def test_air_quality_from_kem_with_priority_by_band():
    rig = Rig()
    rig.feed(T0, aqi(100))
    rig.feed(T0 + ON_DELAY_S, aqi(100, T0 + 60))
    assert rig.engine.alarms() == []                              # Trung bình: no alarm
    rig.feed(T0 + 100, aqi(120, T0 + 100))
    rig.feed(T0 + 100 + ON_DELAY_S, aqi(123, T0 + 160))
    alarm = rig.alarm(AIR_QUALITY, AIR)
    assert (alarm.state, alarm.priority, alarm.value) == (UNACKNOWLEDGED, 3, 123.0)
    assert alarm.text == "Lê Lợi: AQI 123, poor air quality"
    for value, priority, words in ((176, 2, "bad air quality"), (240, 1, "very bad"),
                                   (320, 1, "hazardous air quality")):
        rig.feed(T0 + 300 + value, aqi(value, T0 + 300 + value))
        alarm = rig.alarm(AIR_QUALITY, AIR)
        assert (alarm.priority, alarm.value) == (priority, float(value)) and words in alarm.text
    rig.feed(T0 + 1000, aqi(97, T0 + 1000))                        # within 5 of Kém: held
    assert rig.alarm(AIR_QUALITY, AIR).active and rig.alarm(AIR_QUALITY, AIR).priority == 3
    rig.feed(T0 + 1100, aqi(95, T0 + 1100))
    assert not rig.alarm(AIR_QUALITY, AIR).active


def test_reservoir_discharge_from_the_threshold_in_the_data():
    rig = Rig()
    rig.feed(T0, outflow(900.0, threshold=None))                  # no threshold: not judged
    rig.feed(T0 + ON_DELAY_S, outflow(900.0, T0 + 60, threshold=None))
    assert rig.engine.alarms() == []
    rig.feed(T0 + 100, outflow(250.0, T0 + 100))
    rig.feed(T0 + 100 + ON_DELAY_S, outflow(412.4, T0 + 160))
    alarm = rig.alarm(RESERVOIR_DISCHARGE, OUT)
    assert (alarm.state, alarm.priority, alarm.value) == (UNACKNOWLEDGED, 3, 412.4)
    assert alarm.text == "Hồ Tả Trạch: releasing 412 m³/s, above its flood-release level (210 m³/s)"
    rig.feed(T0 + 300, outflow(150.0, T0 + 300))
    assert rig.state(RESERVOIR_DISCHARGE, OUT) == RTN_UNACKNOWLEDGED


def test_the_simulator_gives_reservoirs_a_flood_release_level():
    from plugins.environment.simulator import EnvironmentSimulator
    sim = EnvironmentSimulator()
    events = sim.start(random.Random(1), datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc))
    outflows = [e.data for e in events if e.data["quantity"] == "outflow"]
    assert len(outflows) == 5 and all(d["thresholds"][DISCHARGE] > 0 for d in outflows)
    for d in outflows:
        schema.validate(d)


# ---------------------------------------------------------------- suppression by design
def test_flooded_street_alarms_are_suppressed_under_the_rivers_bd2_alarm():
    """Both plugins' rules in one engine: the river's BĐ2 alarm suppresses the cameras'
    flooded streets (and only BĐ2 and above does)."""
    from plugins.cameras.model import CamerasModel
    from plugins.cameras.rules import FLOODED, camera_rules

    assert FLOODED == FLOODED_STREET
    rig = Rig({"cameras": camera_rules()})
    cams = CamerasModel()
    street = {"camera_id": "CAM-02", "name": "Chợ Đông Ba", "lat": 16.47, "long": 107.59,
              "online": True, "detection": {"kind": "flooded_street", "confidence": 0.9,
                                            "time": when(T0)}}
    cams.reset({"CAM-02": street}, now=T0)
    flood = alarm_id_for(FLOODED, "CAM-02")

    def both(t, *items):
        rig.feed(t, *items)
        evaluate_model(rig.engine, "cameras", cams, t)

    both(T0, river(1.5))
    both(T0 + ON_DELAY_S, river(1.6, T0 + 60))
    assert rig.state(RIVER_BD1, KL) == UNACKNOWLEDGED
    assert rig.engine.get(flood).state == UNACKNOWLEDGED        # BĐ1 suppresses nothing
    both(T0 + 100, river(2.2, T0 + 100))
    both(T0 + 100 + ON_DELAY_S, river(2.3, T0 + 160))
    alarm = rig.engine.get(flood)
    bd2 = alarm_id_for(RIVER_BD2, KL)
    assert (alarm.state, alarm.suppressed_by) == (SUPPRESSED, bd2)
    summary = rig.engine.summary()
    assert [a.id for a in summary.suppressed[bd2]] == [flood]
    assert flood not in [a.id for a in summary.active]
    # the river falls below BĐ2: the street, still flooded, is annunciated again
    both(T0 + 400, river(1.9, T0 + 400))
    assert rig.engine.get(flood).state == UNACKNOWLEDGED


# ---------------------------------------------------------------- the view
def test_the_gui_draws_the_models_view(qtbot):
    from PySide6 import QtCore
    from widgets.plugin_gui import AppContext
    gui = EnvironmentPlugin().create_gui(AppContext(map=None))
    qtbot.addWidget(gui.table)
    items = {KL: river(1.97), AIR: aqi(163), OUT: outflow(640.0)}
    gui.on_reset({"environment": items})
    assert gui.kpis() == []                                      # nothing until the view
    model = EnvironmentModel()
    model.reset(items, now=T0)
    model.apply_changes(changes(river(2.1, T0 + 1)), now=T0 + 1)
    model.apply_changes(changes(river(1.97, T0 + 2)), now=T0 + 2)   # BĐ2, in the deadband
    gui.on_batch(type("B", (), {"topics": {"environment": changes(river(1.97, T0 + 2))}})())
    gui.apply_view(model.view(T0 + 2), full=True)
    level, air = gui.kpis()
    assert (level.label, level.value, level.abnormal, level.tooltip) == ("Kim Long", "1.97 m", 1, "BĐ2")
    assert (air.label, air.value, air.abnormal) == ("AQI", "163", 1)
    col = {gui.model.headerData(c, QtCore.Qt.Orientation.Horizontal): c
           for c in range(gui.model.columnCount())}

    def cell(key, name):
        return gui.model.data(gui.model.index(gui.model.row_of(key), col[name]))
    # the flood level is the model's (BĐ2 held at 1.97 m), not recomputed from the value
    assert cell(KL, "Flood level") == "BĐ2" and cell(OUT, "Flood level") == "flood release"
    gui.apply_view({"rivers": [{**model.view(T0)["rivers"][0], "level": None, "rank": 0}],
                    "rivers_above": 0, "discharging": []})
    assert cell(KL, "Flood level") == "" and cell(OUT, "Flood level") == ""
    assert gui.kpis()[0].abnormal == 0
