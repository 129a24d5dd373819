"""The cameras' model (headless: no Qt), its alarm rules over a real engine, and the GUI
drawing the model's view.  (The panel itself, snapshots and the live demo:
tests/test_plugin_cameras.py; the suppression under the river's BĐ2 alarm, with both
plugins' rules in one engine: tests/test_model_environment.py.)

Times are fixed epochs (nothing depends on today's date)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ioc_desktop.alarms import (NORMAL, RTN_UNACKNOWLEDGED, UNACKNOWLEDGED, AlarmEngine,
                                alarm_id_for)
from ioc_desktop.situation import evaluate_model
from ioc_desktop.store.batch import EventRecord, TopicChanges
from plugins.cameras import CamerasPlugin, schema
from plugins.cameras.model import CamerasModel, episode_key
from plugins.cameras.rules import (CROWDED, CROWD_ON_DELAY_S, FLOODED, OFFLINE,
                                   OFFLINE_ON_DELAY_S, camera_rules)

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc).timestamp()      # 09:00 in Huế
VN = timezone(timedelta(hours=7))


def at(t: float) -> str:
    return datetime.fromtimestamp(t, VN).isoformat(timespec="seconds")


def cam(cid: str, online=True, kind=None, confidence=0.86, since: float = T0, name=None) -> dict:
    det = None if kind is None else {"kind": kind, "confidence": confidence, "time": at(since)}
    return schema.validate({"camera_id": cid, "name": name or f"Camera {cid}", "lat": 16.46,
                            "long": 107.59, "online": online, "detection": det})


def changes(t: float, *items: dict, deletes=()) -> TopicChanges:
    """One batch: every report an event at ``t`` (seq order), the newest per camera."""
    ch = TopicChanges(deletes=set(deletes))
    for seq, data in enumerate(items, 1):
        ch.events.append(EventRecord("cameras", seq, at(t), "upsert", data["camera_id"], data))
        ch.upserts[data["camera_id"]] = data
    return ch


# ---------------------------------------------------------------- the model
def test_episodes_offline_times_order_and_view():
    model = CamerasModel(max_episodes=4)
    assert isinstance(CamerasPlugin().create_model(), CamerasModel)
    model.reset({"A": cam("A"), "B": cam("B", online=False), "C": cam("C", kind="crowd", confidence=0.6),
                 "D": cam("D", kind="flooded_street"), "E": cam("E", kind="flooded_street", confidence=0.6)},
                now=T0)
    view = model.view(T0)
    assert {k: view[k] for k in ("total", "online", "offline", "detections", "flooded")} == \
        {"total": 5, "online": 4, "offline": 1, "detections": 3, "flooded": 1}
    # floods first, then detections by confidence, offline, the rest
    assert view["order"] == ["D", "C", "E", "B", "A"]
    assert view["attention"] == {"D": 0, "C": 1, "E": 1, "B": 2}
    assert view["offline_since"] == {}                       # not known after a reset
    assert sorted(ep["camera_id"] for ep in view["episodes"].values() if ep["active"]) == ["C", "D", "E"]
    # one batch: D's flood ends, a crowd at A starts and ends inside it, A goes down
    model.apply_changes(changes(T0 + 60, cam("D"), cam("A", kind="crowd", since=T0 + 50),
                                cam("A", online=False)), now=T0 + 60)
    view = model.view(T0 + 60)
    assert view["offline_since"] == {"A": at(T0 + 60)}
    d_flood = episode_key("D", {"time": at(T0), "kind": "flooded_street"})
    a_crowd = episode_key("A", {"time": at(T0 + 50), "kind": "crowd"})
    assert (view["episodes"][a_crowd]["active"], view["episodes"][a_crowd]["ended"]) == (False, at(T0 + 60))
    assert (view["episodes"][d_flood]["active"], view["episodes"][d_flood]["ended"]) == (False, at(T0 + 60))
    assert (view["flooded"], view["offline"], view["detections"]) == (0, 2, 2)
    # one more: at most 4 episodes, the oldest ended one goes first
    model.apply_changes(changes(T0 + 90, cam("B", online=False, kind="crowd", since=T0 + 90)), now=T0 + 90)
    view = model.view(T0 + 90)
    assert len(view["episodes"]) == 4 and d_flood not in view["episodes"] and a_crowd in view["episodes"]
    model.apply_changes(changes(T0 + 120, cam("A")), now=T0 + 120)
    assert model.view(T0 + 120)["offline_since"] == {}
    model.apply_changes(changes(T0 + 180, deletes=["C"]), now=T0 + 180)
    view = model.view(T0 + 180)
    assert "C" not in view["order"] and not any(ep["active"] for ep in view["episodes"].values()
                                                if ep["camera_id"] == "C")


# ---------------------------------------------------------------- the rules
class Rig:
    def __init__(self):
        self.model, self.engine = CamerasModel(), AlarmEngine()
        self.engine.add_rules("cameras", camera_rules())
        self.model.reset({}, now=T0)

    def feed(self, t: float, *items: dict) -> list:
        if items:
            self.model.apply_changes(changes(t, *items), now=t)
        return evaluate_model(self.engine, "cameras", self.model, t)

    def get(self, rule: str, key: str):
        return self.engine.get(alarm_id_for(rule, key))


def test_a_flooded_street_raises_at_once_with_a_confidence_deadband():
    rig = Rig()
    rig.feed(T0, cam("X", kind="flooded_street", confidence=0.69))
    assert rig.get(FLOODED, "X") is None                      # below 70 %
    rig.feed(T0 + 10, cam("X", kind="flooded_street", confidence=0.72))
    alarm = rig.get(FLOODED, "X")
    assert (alarm.state, alarm.priority, alarm.value) == (UNACKNOWLEDGED, 2, 0.72)
    assert alarm.text == "Camera X: flooded street seen (72% confidence) since 23/11 09:00"
    assert alarm.message[:2] == ["cameras", "{0}: flooded street seen ({1:.0%} confidence) since {2}"]
    assert (alarm.source_topic, alarm.source_key) == ("cameras", "X")
    rig.feed(T0 + 20, cam("X", kind="flooded_street", confidence=0.66))   # within the deadband
    assert rig.get(FLOODED, "X").active and "66%" in rig.get(FLOODED, "X").text
    rig.feed(T0 + 30, cam("X", kind="flooded_street", confidence=0.64))
    assert rig.get(FLOODED, "X").state == RTN_UNACKNOWLEDGED


def test_a_crowd_raises_after_its_on_delay():
    rig = Rig()
    rig.feed(T0, cam("Y", kind="crowd", confidence=0.8))
    rig.feed(T0 + CROWD_ON_DELAY_S - 1)
    assert rig.get(CROWDED, "Y") is None
    rig.feed(T0 + CROWD_ON_DELAY_S)
    alarm = rig.get(CROWDED, "Y")
    assert (alarm.state, alarm.priority) == (UNACKNOWLEDGED, 3)
    assert alarm.text == "Camera Y: crowd seen (80% confidence) since 23/11 09:00"
    rig.feed(T0 + 300, cam("Y"))
    assert rig.get(CROWDED, "Y").state == RTN_UNACKNOWLEDGED
    rig.feed(T0 + 400, cam("Z", kind="crowd", confidence=0.6))              # doubtful: none
    rig.feed(T0 + 400 + CROWD_ON_DELAY_S)
    assert rig.get(CROWDED, "Z") is None


def test_an_offline_camera_raises_after_five_minutes_with_the_live_duration():
    rig = Rig()
    rig.feed(T0, cam("W", online=False))
    rig.feed(T0 + 120, cam("W", online=False))                # a reboot's blip: nothing yet
    assert rig.get(OFFLINE, "W") is None
    rig.feed(T0 + OFFLINE_ON_DELAY_S)
    alarm = rig.get(OFFLINE, "W")
    assert (alarm.state, alarm.priority, alarm.value) == (UNACKNOWLEDGED, 4, 5.0)
    assert alarm.text == "Camera W: camera offline for 5 min (since 23/11 09:00)"
    rig.feed(T0 + 1234)                                        # the clock alone: live value
    assert rig.get(OFFLINE, "W").value == 20.0 and "for 20 min" in rig.get(OFFLINE, "W").text
    rig.engine.acknowledge(alarm.id, user="op1", now=T0 + 1300)
    rig.feed(T0 + 1400, cam("W"))
    assert rig.get(OFFLINE, "W").state == NORMAL
    # found offline at a reset: since when is unknown, and the text says no more than it knows
    rig.model.reset({"V": cam("V", online=False)}, now=T0 + 2000)
    rig.feed(T0 + 2000)
    rig.feed(T0 + 2000 + OFFLINE_ON_DELAY_S)
    assert rig.get(OFFLINE, "V").text == "Camera V: camera offline"


# ---------------------------------------------------------------- the view
def test_the_gui_draws_the_models_view(qtbot):
    from widgets.plugin_gui import AppContext
    gui = CamerasPlugin().create_gui(AppContext(map=None))
    qtbot.addWidget(gui.panel)
    items = {"A": cam("A"), "B": cam("B", online=False), "D": cam("D", kind="flooded_street")}
    gui.on_reset({"cameras": items})
    assert gui.kpis()[0].value == "0/0"                        # nothing until the view
    model = CamerasModel()
    model.reset(items, now=T0)
    gui.apply_view(model.view(T0), full=True)
    head, dets = gui.kpis()
    assert (head.value, head.abnormal, dets.value) == ("2/3", 2, "1")
    assert [t.objectName() for t in gui.panel.grid.order()] == ["camera-D", "camera-B", "camera-A"]
    assert gui.panel.figures["flood"].text() == "1 flooded"
    assert [r["camera_id"] for r in gui.detections.items().values()] == ["D"]
