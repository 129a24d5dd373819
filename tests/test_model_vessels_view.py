"""The vessels' view (headless: no Qt): at sea, lost and late vessels, the monitored areas
with their occupants; the translatable alarm texts; and the GUI drawing the view — KPIs,
the fleet table's flags and the monitored areas as map polygons (on a real map too).

(The model's geometry and the rules' transitions: tests/test_vessel_geofence.py.)
Times are fixed epochs (nothing depends on today's date)."""
from __future__ import annotations

from datetime import datetime

from ioc_desktop.alarms import AlarmEngine, alarm_id_for
from ioc_desktop.interop import VN_TZ
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from plugins.vessels import VesselsPlugin, schema
from plugins.vessels.geofence import areas_from_config
from plugins.vessels.model import LATE_AFTER_S, LOST_AFTER_S, VesselsModel
from plugins.vessels.rules import AREA_ENTRY, LOST_SIGNAL, area_key, evaluate, vessel_rules

T0 = 1_700_000_000.0             # 2023-11-14T22:13:20Z
H = 3600.0
AREAS = areas_from_config({"areas": [
    {"id": "zone", "name": "Vùng hạn chế (thử)", "kind": "restricted",
     "polygon": [[16.60, 107.70], [16.64, 107.70], [16.64, 107.74], [16.60, 107.74]]},
    {"id": "reef", "name": "Khu bảo vệ (thử)", "kind": "protected",
     "polygon": [[16.30, 108.00], [16.34, 108.00], [16.34, 108.04]]},
]})


def report(vid: str, lat: float, lon: float, t: float, status="fishing", length=18.0,
           registration: str | None = "TTH-9000{vid}-TS") -> dict:
    data = {"vessel_id": vid, "name": f"TTH {vid} TS", "lat": lat, "long": lon, "sog": 6.0,
            "cog": 45.0, "time": datetime.fromtimestamp(t, VN_TZ).isoformat(timespec="seconds"),
            "length_m": length, "home_port": "Thuận An", "status": status}
    if registration:
        data["registration"] = registration.format(vid=vid)
    return schema.validate(data)


def fleet(model: VesselsModel) -> None:
    model.reset({
        "1": report("1", 16.62, 107.72, T0),                       # in the zone, fresh
        "2": report("2", 16.70, 107.90, T0 - 3 * H),               # late (> 2 h)
        "3": report("3", 16.80, 107.95, T0 - 7 * H),               # lost (> 6 h)
        "4": report("4", 16.56, 107.63, T0, status="in_port"),
        "5": report("5", 16.90, 108.10, T0, status="lost_signal"),  # reported lost
    }, now=T0)


def test_the_view_at_sea_lost_late_and_the_areas():
    model = VesselsModel(AREAS)
    fleet(model)
    view = model.view(T0)
    assert (view["at_sea"], view["lost"]) == (2, 2)
    assert (view["lost_keys"], view["late_keys"]) == (["3", "5"], ["2", "3"])
    assert view["areas"] == [
        {"id": "zone", "name": "Vùng hạn chế (thử)", "kind": "restricted", "priority": 2,
         "polygon": [[16.60, 107.70], [16.64, 107.70], [16.64, 107.74], [16.60, 107.74]],
         "inside": 1},
        {"id": "reef", "name": "Khu bảo vệ (thử)", "kind": "protected", "priority": 3,
         "polygon": [[16.30, 108.00], [16.34, 108.00], [16.34, 108.04]], "inside": 0}]
    # time alone: the late one is lost too; the view follows the clock it is given
    later = model.view(T0 + LOST_AFTER_S - 3 * H + 1)
    assert later["lost_keys"] == ["2", "3", "5"] and later["at_sea"] == 1
    assert model.view(T0 + LATE_AFTER_S + 1)["late_keys"] == ["1", "2", "3", "4", "5"]
    # the vessel leaves the zone: no one inside
    model.apply({"1": report("1", 16.62, 107.80, T0 + 600)}, set(), now=T0 + 600)
    assert [a["inside"] for a in model.view(T0 + 600)["areas"]] == [0, 0]
    assert VesselsModel().view(T0)["areas"]                       # the shipped areas
    assert VesselsModel().view(None)["lost"] == 0                 # no clock: nothing judged


def test_alarm_texts_are_translatable_templates_with_the_live_value():
    model, engine = VesselsModel(AREAS), AlarmEngine()
    engine.add_rules("vessels", vessel_rules())
    fleet(model)
    evaluate(engine, model, T0 + 60)
    lost = engine.get(alarm_id_for(LOST_SIGNAL, "3"))
    context, template, args = lost.message
    assert context == "vessels" and template == QT_TRANSLATE_NOOP(
        "vessels", "{0}: no position for {1:.1f} h (over {2:g} h is abnormal); last fix {3} at {4:.4f} N, {5:.4f} E")
    assert template.format(*args) == lost.text == (
        "TTH 3 TS (TTH-90003-TS): no position for 7.0 h (over 6 h is abnormal); last fix 14/11 22:13 "
        "at 16.8000 N, 107.9500 E")
    inside = engine.get(alarm_id_for(AREA_ENTRY, area_key("zone", "1")))
    assert inside.message[2] == ["TTH 1 TS (TTH-90001-TS)", "Vùng hạn chế (thử)", "15/11 05:13", 1.0]
    assert inside.text == ("TTH 1 TS (TTH-90001-TS) is inside area “Vùng hạn chế (thử)” (first fix "
                           "there 15/11 05:13); inside for at least 1 min")
    # no registration: the name alone (no English words in a data argument)
    model.apply({"9": report("9", 16.80, 107.95, T0 - 7 * H, registration=None)}, set())
    evaluate(engine, model, T0 + 120)
    assert engine.get(alarm_id_for(LOST_SIGNAL, "9")).message[2][0] == "TTH 9 TS"


def test_the_gui_draws_the_view_kpis_flags_and_areas(qtbot):
    from PySide6 import QtCore
    from widgets.plugin_gui import AppContext
    from widgets.theme import STATE_COLORS

    gui = VesselsPlugin().create_gui(AppContext(map=None))
    qtbot.addWidget(gui.table)
    model = VesselsModel(AREAS)
    fleet(model)
    gui.on_reset({"vessels": dict(model.vessels)})
    assert [k.value for k in gui.kpis()] == ["0", "0"] and gui.area_layer.count() == 0
    gui.apply_view(model.view(T0), full=True)
    at_sea, lost = gui.kpis()
    assert (at_sea.value, lost.value, lost.abnormal) == ("2", "2", 2)
    col = [gui.model.headerData(c, QtCore.Qt.Orientation.Horizontal) for c in range(gui.model.columnCount())]
    status = col.index("Status")

    def cell(key, role=QtCore.Qt.ItemDataRole.DisplayRole):
        return gui.model.data(gui.model.index(gui.model.row_of(key), status), role)
    assert cell("3") == "lost signal" and cell("2") == "fishing"   # the model's verdict
    # the areas: polygons named by the area, the restricted one in the warning colour
    feats = {f["key"]: f for key in ("zone", "reef")
             for f in gui.area_layer._build(key, next(a for a in gui.view["areas"] if a["id"] == key))}
    zone, reef = feats["zone"], feats["reef"]
    assert (zone["kind"], zone["title"], zone["color"]) == ("polygon", "Vùng hạn chế (thử)", STATE_COLORS["warn"])
    assert zone["coords"][0] == [16.60, 107.70] and len(zone["coords"]) == 4
    assert reef["color"] != zone["color"]
    assert ["Area", "restricted area"] in zone["fields"] and ["Vessels inside", "1"] in zone["fields"]
    assert gui.area_layer.count() == 2
    # a view that says otherwise is drawn as it says: nothing is recomputed here
    gui.apply_view({"lost_keys": [], "lost": 0})
    assert cell("3") == "fishing" and gui.kpis()[1].value == "0"


def test_the_areas_are_drawn_on_the_real_map(qtbot):
    from qthelpers import js
    from widgets.map_view import MapView
    from widgets.plugin_gui import AppContext

    view = MapView()
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitUntil(lambda: view.is_ready, timeout=20000)
    gui = VesselsPlugin().create_gui(AppContext(map=view))
    qtbot.addWidget(gui.table)
    model = VesselsModel(AREAS)
    fleet(model)
    gui.on_reset({"vessels": dict(model.vessels)})
    gui.apply_view(model.view(T0), full=True)
    qtbot.waitUntil(lambda: js(view, qtbot, "ioc.count('vessel-areas')") == 2, timeout=10000)
    assert js(view, qtbot, "ioc.tooltipText('vessel-areas', 'zone')") == "Vùng hạn chế (thử)"
    assert js(view, qtbot, "ioc.count('vessels')") == 5
