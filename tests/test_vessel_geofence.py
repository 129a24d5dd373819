"""Vessels' monitored areas and alarm rules (Qt-free): point-in-polygon, the crossing test
on the segment between two fixes, the shipped demo areas, and the rules through a real
AlarmEngine.  Fixed epoch times only: nothing here depends on today's date."""
from __future__ import annotations

import json
from datetime import datetime

import pytest

from ioc_desktop.alarms import (ACKNOWLEDGED, LATCHED, NORMAL, RTN_UNACKNOWLEDGED,
                                UNACKNOWLEDGED, AlarmEngine, alarm_id_for)
from ioc_desktop.interop import VN_TZ
from ioc_desktop.store.batch import EventRecord, TopicChanges
from plugins.vessels import geofence, schema
from plugins.vessels.geofence import (Area, AreaConfigError, area_from_config,
                                      areas_from_config, load_areas, point_in_polygon,
                                      polygon_problems, segment_crossings)
from plugins.vessels.model import ENTER, LEAVE, VesselsModel
from plugins.vessels.rules import (AREA_ENTRY, AREA_EXIT, LOST_SIGNAL, PLUGIN, area_key,
                                   evaluate, vessel_of, vessel_rules)

T0 = 1_700_000_000.0          # 15/11/2023 05:13:20 +07:00
H = 3600.0

# A square off Thuận An, 16.60-16.64 N, 107.70-107.74 E (test data).
SQUARE = ((16.60, 107.70), (16.60, 107.74), (16.64, 107.74), (16.64, 107.70))
# A U open to the north: two arms (107.70-107.72 and 107.74-107.76) on a base
# (16.60-16.62); the notch (16.62-16.66 N, 107.72-107.74 E) is outside.
U_SHAPE = ((16.60, 107.70), (16.60, 107.76), (16.66, 107.76), (16.66, 107.74),
           (16.62, 107.74), (16.62, 107.72), (16.66, 107.72), (16.66, 107.70))
# A diamond whose left and right vertices lie on the rays of points level with them.
DIAMOND = ((16.60, 107.72), (16.62, 107.74), (16.64, 107.72), (16.62, 107.70))

ZONE = Area("test_zone", "Test restricted zone", "restricted", SQUARE, priority=2)
BAY = Area("test_bay", "Test bay", "restricted", U_SHAPE, priority=2)


# ------------------------------------------------------------------ point in polygon
@pytest.mark.parametrize("point, inside", [
    ((16.62, 107.72), True),                  # the middle
    ((16.65, 107.72), False), ((16.62, 107.69), False), ((16.62, 107.75), False),
    ((16.60, 107.72), True), ((16.64, 107.73), True),       # on the south, north edges
    ((16.61, 107.70), True), ((16.63, 107.74), True),       # on the west, east edges
    ((16.60, 107.70), True), ((16.64, 107.74), True),       # on vertices
    ((16.60 - 1 / 111_195, 107.72), False),                 # 1 m south of the edge
    ((16.62, 107.74 + 1 / 106_500), False),                 # 1 m east of the edge
    ((16.60, 107.68), False), ((16.64, 107.76), False),     # level with horizontal edges
])
def test_point_in_square_including_edges_and_vertices(point, inside):
    assert point_in_polygon(*point, SQUARE) is inside
    assert point_in_polygon(*point, SQUARE + (SQUARE[0],)) is inside    # closed ring
    assert point_in_polygon(*point, SQUARE[::-1]) is inside            # either orientation


@pytest.mark.parametrize("point, inside", [
    ((16.62, 107.72), True),
    ((16.62, 107.69), False), ((16.62, 107.75), False),     # the ray meets a vertex
    ((16.62, 107.70), True), ((16.64, 107.72), True),       # vertices
    ((16.61, 107.73), True),                                # on a sloping edge
])
def test_point_in_diamond_when_the_ray_passes_through_vertices(point, inside):
    assert point_in_polygon(*point, DIAMOND) is inside


@pytest.mark.parametrize("point, inside", [
    ((16.64, 107.71), True), ((16.64, 107.75), True),       # the arms
    ((16.61, 107.73), True),                                # the base
    ((16.64, 107.73), False), ((16.63, 107.73), False),     # the notch
    ((16.66, 107.73), False),                               # its mouth, level with vertices
    ((16.62, 107.705), True),                               # ray along the notch's floor
    ((16.62, 107.73), True),                                # on the notch's floor
    ((16.66, 107.71), True),                                # on an arm's top edge
    ((16.67, 107.73), False),
])
def test_point_in_a_non_convex_polygon(point, inside):
    assert point_in_polygon(*point, U_SHAPE) is inside


# ------------------------------------------------------------------ segments
def kinds(crossings) -> list[str]:
    return [c.kind for c in crossings]


def test_a_segment_through_the_area_with_both_ends_outside_enters_and_leaves():
    a, b = (16.62, 107.68), (16.62, 107.76)
    assert not point_in_polygon(*a, SQUARE) and not point_in_polygon(*b, SQUARE)
    out = segment_crossings(a, b, SQUARE)
    assert kinds(out) == [ENTER, LEAVE]
    assert [round(c.t, 6) for c in out] == [0.25, 0.75]
    assert (round(out[0].lat, 6), round(out[0].lon, 6)) == (16.62, 107.70)
    assert (round(out[1].lat, 6), round(out[1].lon, 6)) == (16.62, 107.74)
    assert kinds(segment_crossings(b, a, SQUARE)) == [ENTER, LEAVE]    # either way
    # diagonal, clipping a corner; through the corner vertex only: a touch, no crossing
    assert kinds(segment_crossings((16.625, 107.69), (16.655, 107.72), SQUARE)) == [
        ENTER, LEAVE]
    assert segment_crossings((16.63, 107.69), (16.65, 107.71), SQUARE) == []


def test_segment_ends_in_or_out():
    assert kinds(segment_crossings((16.62, 107.68), (16.62, 107.72), SQUARE)) == [ENTER]
    assert kinds(segment_crossings((16.62, 107.72), (16.62, 107.68), SQUARE)) == [LEAVE]
    assert segment_crossings((16.61, 107.71), (16.63, 107.73), SQUARE) == []   # inside
    assert segment_crossings((16.70, 107.60), (16.70, 107.80), SQUARE) == []   # far away
    # from a fix on the boundary (inside) out: leaves at once
    out = segment_crossings((16.62, 107.70), (16.62, 107.68), SQUARE)
    assert kinds(out) == [LEAVE] and out[0].t == 0.0
    # the caller's known state at the first fix wins
    assert kinds(segment_crossings((16.62, 107.68), (16.62, 107.69), SQUARE,
                                   inside_a=True)) == [LEAVE]


def test_touching_the_boundary_at_one_point_is_no_crossing_but_sailing_along_it_is():
    # tangent at the diamond's top vertex
    assert segment_crossings((16.64, 107.70), (16.64, 107.74), DIAMOND) == []
    # along the square's south edge from outside to outside
    out = segment_crossings((16.60, 107.68), (16.60, 107.76), SQUARE)
    assert kinds(out) == [ENTER, LEAVE] and [round(c.t, 6) for c in out] == [0.25, 0.75]


def test_a_segment_across_the_bay_of_a_non_convex_area_leaves_and_comes_back():
    a, b = (16.64, 107.71), (16.64, 107.75)          # both in the arms
    assert point_in_polygon(*a, U_SHAPE) and point_in_polygon(*b, U_SHAPE)
    out = segment_crossings(a, b, U_SHAPE)
    assert kinds(out) == [LEAVE, ENTER] and [round(c.t, 6) for c in out] == [0.25, 0.75]
    # through the notch from outside: in and out of each arm
    assert kinds(segment_crossings((16.64, 107.68), (16.64, 107.78), U_SHAPE)) == [
        ENTER, LEAVE, ENTER, LEAVE]
    # down the notch onto its floor: stays outside, then on the boundary (inside)
    assert kinds(segment_crossings((16.67, 107.73), (16.62, 107.73), U_SHAPE)) == [ENTER]


def test_the_antimeridian_is_refused():
    with pytest.raises(ValueError, match="antimeridian"):
        segment_crossings((0.5, 179.9), (0.5, -179.9), SQUARE)
    assert polygon_problems([(0, 179), (1, 179), (1, -179), (0, -179)]) == [
        "spans the antimeridian (not supported)"]


# ------------------------------------------------------------------ polygons and configuration
def test_polygon_validity():
    assert polygon_problems(SQUARE) == [] and polygon_problems(U_SHAPE) == []
    assert polygon_problems(SQUARE + (SQUARE[0],)) == []                 # closed: fine
    bow_tie = ((16.60, 107.70), (16.64, 107.74), (16.60, 107.74), (16.64, 107.70))
    assert any("intersect" in p for p in polygon_problems(bow_tie))
    # a vertex touching another edge: not simple either
    touching = ((16.60, 107.70), (16.60, 107.76), (16.64, 107.76), (16.60, 107.73),
                (16.64, 107.70))
    assert any("intersect" in p for p in polygon_problems(touching))
    spike = ((16.60, 107.70), (16.60, 107.74), (16.64, 107.74), (16.64, 107.72),
             (16.64, 107.76))
    assert polygon_problems(spike)
    assert polygon_problems(SQUARE[:2]) == ["fewer than 3 distinct points"]
    assert polygon_problems(SQUARE[:2] + (SQUARE[0],)) == ["fewer than 3 distinct points"]
    assert any("fold back" in p for p in polygon_problems(
        ((16.6, 107.7), (16.61, 107.71), (16.62, 107.72))))                # collinear
    assert polygon_problems(((16.6, 107.7), (16.6, 107.700005), (16.600005, 107.7))) == [
        "encloses no area"]                                               # 0.1 m²
    assert "repeats" in polygon_problems(SQUARE[:2] + (SQUARE[1],) + SQUARE[2:])[0]
    assert "[lat, lon]" in polygon_problems([(lon, lat) for lat, lon in SQUARE])[0]
    assert "pair of numbers" in polygon_problems([(16.6, "107.7"), (16.7, 107.7), (16.7, 107.8)])[0]


def test_area_configuration_is_checked():
    good = {"id": "z1", "name": "Zone", "kind": "restricted",
            "polygon": [list(p) for p in SQUARE]}
    area = area_from_config(good)
    assert (area.priority, area.polygon, area.bbox) == (2, SQUARE, (16.60, 16.64, 107.70, 107.74))
    assert area_from_config({**good, "kind": "protected"}).priority == 3
    assert area_from_config({**good, "priority": 1}).priority == 1
    for bad, why in [({**good, "id": "a:b"}, "id"), ({**good, "name": ""}, "name"),
                     ({**good, "priority": 5}, "priority"), ({**good, "kind": "No Go"}, "kind"),
                     ({**good, "polygon": [[107.7, 16.6], [107.7, 16.7], [107.8, 16.7]]},
                      "lat, lon")]:
        with pytest.raises(AreaConfigError, match=why):
            area_from_config(bad)
    with pytest.raises(AreaConfigError, match="twice"):
        areas_from_config({"areas": [good, good]})


def test_areas_load_from_a_json_file(tmp_path):
    path = tmp_path / "areas.json"
    path.write_text(json.dumps({"areas": [{"id": "bay", "name": "Bay", "kind": "monitored",
                                           "polygon": [list(p) for p in U_SHAPE]}]}))
    [area] = load_areas(path)
    assert (area.id, area.kind, area.priority, area.polygon) == ("bay", "monitored", 3, U_SHAPE)
    path.write_text("{not json")
    with pytest.raises(AreaConfigError, match="areas.json"):
        load_areas(path)


def test_the_shipped_demo_areas_load_and_are_valid():
    from demo_backend.scenario import coast_lat

    raw = json.loads(geofence.DEFAULT_AREAS_FILE.read_text(encoding="utf-8"))
    assert raw["demo"] is True and "DEMO DATA" in raw["note"]
    areas = load_areas()
    assert [a.id for a in areas] == [item["id"] for item in raw["areas"]]
    assert any(a.kind == "restricted" and a.priority == 2 for a in areas)
    for item, area in zip(raw["areas"], areas):
        points = item["polygon"]
        closable = points[:-1] if points[0] == points[-1] else points
        assert len(set(map(tuple, closable))) >= 3
        assert polygon_problems(points) == [], area.id          # not self-intersecting …
        assert area.demo and "(demo)" in area.name
        for lat, lon in area.polygon:                          # at sea off Huế
            assert 16.2 <= lat <= 16.7 and lon > 107.6, area.id
            assert lat > coast_lat(lon), area.id
        lat0, lat1, lon0, lon1 = area.bbox
        assert not area.contains(lat1 + 0.01, lon1 + 0.01)


# ------------------------------------------------------------------ the model and the rules
def iso(t: float) -> str:
    return datetime.fromtimestamp(t, VN_TZ).isoformat(timespec="seconds")


def report(lat: float, lon: float, t: float, *, vid: str = "90123", length: float | None = 18.0,
           status: str = "fishing") -> dict:
    """A validated ``vessels`` payload, as the state table holds it."""
    return schema.validate({
        "vessel_id": vid, "name": f"TTH {vid} TS", "registration": f"TTH-{vid}-TS",
        "lat": lat, "long": lon, "sog": 8.0, "cog": 90.0, "time": iso(t),
        "length_m": length, "home_port": "Thuận An", "status": status})


def setup(*areas: Area) -> tuple[VesselsModel, AlarmEngine]:
    engine = AlarmEngine()
    engine.add_rules(PLUGIN, vessel_rules())
    return VesselsModel(areas), engine


def transitions(out) -> list[tuple[str, str, str]]:
    return [(t.rule, t.event, t.to_state) for t in out]


ENTRY = alarm_id_for(AREA_ENTRY, area_key("test_zone", "90123"))
EXIT = alarm_id_for(AREA_EXIT, area_key("test_zone", "90123"))


def test_a_crossing_between_two_fixes_both_outside_raises_the_area_alarms():
    model, engine = setup(ZONE)
    model.apply({"90123": report(16.62, 107.68, T0)}, set())
    assert evaluate(engine, model, T0 + 1) == []
    # the next fix is already out on the other side: only the segment shows the crossing
    model.apply({"90123": report(16.62, 107.76, T0 + 3200)}, set())
    assert model.inside("90123") == frozenset()
    out = evaluate(engine, model, T0 + 3210)
    assert transitions(out) == [(AREA_ENTRY, "raise", UNACKNOWLEDGED),
                                (AREA_EXIT, "raise", UNACKNOWLEDGED)]
    enter, leave = model.events
    assert (enter.kind, leave.kind) == (ENTER, LEAVE) and enter.estimated
    assert (round(enter.at), round(leave.at)) == (T0 + 800, T0 + 2400)   # on the segment
    entry, exit_ = engine.get(ENTRY), engine.get(EXIT)
    assert entry.priority == 2 and exit_.priority == 2
    for alarm in (entry, exit_):
        assert "TTH 90123 TS (TTH-90123-TS)" in alarm.text
        assert "area “Test restricted zone”" in alarm.text
        assert alarm.message[0] == "vessels" and alarm.message[1].startswith("{0} ")   # translatable
        assert (alarm.source_topic, alarm.source_key) == ("vessels", "90123")
    assert entry.value == 26.0 and "26 min inside" in entry.text            # 1600 s inside
    assert entry.text == ("TTH 90123 TS (TTH-90123-TS) entered area “Test restricted zone” at about "
                          "15/11 05:26 and left it at about 15/11 05:53 (26 min inside)")
    assert exit_.text == ("TTH 90123 TS (TTH-90123-TS) left area “Test restricted zone” at about "
                          "15/11 05:53 after 26 min inside") and exit_.value == 26.0
    # nothing new: the conditions are gone, but latching keeps both for the operator
    out = evaluate(engine, model, T0 + 3300)
    assert transitions(out) == [(AREA_ENTRY, "clear", LATCHED), (AREA_EXIT, "clear", LATCHED)]
    engine.acknowledge(ENTRY, user="op1", now=T0 + 3400)
    engine.acknowledge(EXIT, user="op1", now=T0 + 3400)
    assert engine.get(ENTRY).state == engine.get(EXIT).state == NORMAL
    assert evaluate(engine, model, T0 + 3500) == []


def test_a_crossing_is_not_lost_when_evaluations_are_coalesced():
    # several batches before one evaluation: the pending transition is still reported
    model, engine = setup(ZONE)
    model.apply({"90123": report(16.62, 107.68, T0)}, set())
    model.apply({"90123": report(16.62, 107.76, T0 + 3200)}, set())
    model.apply({"90123": report(16.62, 107.80, T0 + 4800)}, set())
    assert transitions(evaluate(engine, model, T0 + 4801)) == [
        (AREA_ENTRY, "raise", UNACKNOWLEDGED), (AREA_EXIT, "raise", UNACKNOWLEDGED)]
    assert model.pending_events() == []                       # settled by evaluate()


def test_every_fix_of_a_committed_batch_is_tested_not_only_the_newest():
    # in and out again within one batch: the chord from the first fix to the newest one
    # misses the area, the segments between the batch's fixes do not
    fixes = [report(16.62, 107.72, T0 + 600), report(16.66, 107.76, T0 + 1200)]
    changes = TopicChanges(
        upserts={"90123": fixes[-1]},
        events=[EventRecord("vessels", seq, f["time"], "upsert", "90123", f)
                for seq, f in enumerate(fixes, 1)])
    assert segment_crossings((16.66, 107.68), (16.66, 107.76), SQUARE) == []
    coalesced = VesselsModel([ZONE])
    coalesced.reset({"90123": report(16.66, 107.68, T0)})
    coalesced.apply(changes.upserts, changes.deletes)
    assert coalesced.events == ()                          # why apply_changes uses events
    model, engine = setup(ZONE)
    model.reset({"90123": report(16.66, 107.68, T0)})
    model.apply_changes(changes)
    assert [e.kind for e in model.events] == [ENTER, LEAVE]
    assert model.previous_fix("90123").t == T0 + 600
    assert {t.rule for t in evaluate(engine, model, T0 + 1201)} == {AREA_ENTRY, AREA_EXIT}
    # a snapshot resets the model (no crossing inferred across it)
    model.apply_changes(TopicChanges(upserts={"90123": report(16.62, 107.72, T0 + 1800)},
                                     snapshot=True))
    assert model.inside("90123") == {"test_zone"} and len(model.events) == 2


def test_entering_and_staying_keeps_one_alarm_with_the_live_time_inside():
    model, engine = setup(ZONE)
    model.apply({"90123": report(16.62, 107.68, T0)}, set())
    model.apply({"90123": report(16.62, 107.72, T0 + 1200)}, set())     # in at T0 + 600
    assert transitions(evaluate(engine, model, T0 + 1201)) == [
        (AREA_ENTRY, "raise", UNACKNOWLEDGED)]
    alarm = engine.get(ENTRY)
    assert alarm.value == 10.0 and "inside for 10 min" in alarm.text
    assert "entered area “Test restricted zone” at about 15/11 05:23" in alarm.text
    engine.acknowledge(ENTRY, user="op1", now=T0 + 1300)
    model.apply({"90123": report(16.625, 107.73, T0 + 2400)}, set())    # still inside
    assert evaluate(engine, model, T0 + 2401) == []
    assert evaluate(engine, model, T0 + 600 + 1.5 * H) == []            # no fix, time goes on
    alarm = engine.get(ENTRY)
    assert (alarm.state, alarm.value) == (ACKNOWLEDGED, 90.0)
    assert "inside for 90 min" in alarm.text         # the live value, in its unit
    assert engine.get(EXIT) is None and model.inside("90123") == {"test_zone"}


def test_leaving_raises_the_exit_alarm_and_latches_the_entry():
    model, engine = setup(ZONE)
    model.reset({"90123": report(16.62, 107.72, T0)})       # found inside: entry unknown
    assert transitions(evaluate(engine, model, T0 + 60)) == [(AREA_ENTRY, "raise",
                                                              UNACKNOWLEDGED)]
    assert engine.get(ENTRY).text == ("TTH 90123 TS (TTH-90123-TS) is inside area “Test restricted "
                                      "zone” (first fix there 15/11 05:13); inside for at least 1 min")
    assert model.events == ()                               # a reset invents no crossing
    engine.acknowledge(ENTRY, user="op1", now=T0 + 120)
    model.apply({"90123": report(16.62, 107.78, T0 + 1800)}, set())     # out at T0 + 600
    out = evaluate(engine, model, T0 + 1801)
    assert transitions(out) == [(AREA_ENTRY, "clear", LATCHED),
                                (AREA_EXIT, "raise", UNACKNOWLEDGED)]
    exit_ = engine.get(EXIT)
    assert "left area “Test restricted zone” at about 15/11 05:23" in exit_.text
    assert "after at least 10 min inside" in exit_.text and exit_.value == 10.0
    assert transitions(evaluate(engine, model, T0 + 1900)) == [(AREA_EXIT, "clear", LATCHED)]
    assert engine.acknowledge(EXIT, user="op1", now=T0 + 2000)[0].to_state == NORMAL


def test_leaving_and_coming_back_across_the_bay_of_a_non_convex_area():
    model, engine = setup(BAY)
    entry = alarm_id_for(AREA_ENTRY, area_key("test_bay", "90123"))
    exit_ = alarm_id_for(AREA_EXIT, area_key("test_bay", "90123"))
    model.apply({"90123": report(16.64, 107.71, T0)}, set())            # in the west arm
    evaluate(engine, model, T0 + 1)
    engine.acknowledge(entry, user="op1", now=T0 + 2)
    model.apply({"90123": report(16.64, 107.75, T0 + 1200)}, set())     # in the east arm
    assert model.inside("90123") == {"test_bay"}
    assert [(e.kind, round(e.at)) for e in model.events] == [(LEAVE, T0 + 300),
                                                             (ENTER, T0 + 900)]
    out = evaluate(engine, model, T0 + 1201)
    assert transitions(out) == [(AREA_EXIT, "raise", UNACKNOWLEDGED)]
    assert engine.get(exit_).text == ("TTH 90123 TS (TTH-90123-TS) left area “Test bay” at about "
                                      "15/11 05:18 and came back in at about 15/11 05:28")
    assert "entered area “Test bay” at about 15/11 05:28" in engine.get(entry).text


def test_a_long_gap_compares_the_fixes_only():
    model, engine = setup(ZONE)
    model.apply({"90123": report(16.62, 107.68, T0)}, set())
    model.apply({"90123": report(16.62, 107.76, T0 + 8 * H)}, set())    # 8 h: path unknown
    assert model.events == ()
    model.apply({"90123": report(16.62, 107.72, T0 + 16 * H)}, set())
    [enter] = model.events
    assert (enter.kind, enter.at, enter.estimated) == (ENTER, T0 + 16 * H, False)
    evaluate(engine, model, T0 + 16 * H + 1)
    assert "entered area “Test restricted zone” by 15/11 21:13" in engine.get(ENTRY).text


def test_repeated_old_and_out_of_order_reports_do_not_move_the_track():
    model = VesselsModel([ZONE])
    first, second = report(16.62, 107.68, T0), report(16.62, 107.69, T0 + 600)
    model.apply({"90123": first}, set())
    model.apply({"90123": second}, set())
    # the backend's lost_signal mark repeats the last fix; a late report is older
    model.apply({"90123": {**second, "status": "lost_signal"}}, set())
    model.apply({"90123": report(16.62, 107.72, T0 + 300)}, set())
    assert (model.last_fix("90123").t, model.previous_fix("90123").t) == (T0 + 600, T0)
    assert model.events == () and model.inside("90123") == frozenset()
    assert model.get("90123")["long"] == 107.72        # the data is the table's
    model.apply({}, {"90123"})
    assert model.last_fix("90123") is None and model.vessels == {}


def test_lost_signal_over_six_hours_for_vessels_that_must_carry_vms():
    model, engine = setup(ZONE)
    model.apply({"big": report(16.70, 107.68, T0, vid="90123"),
                 "small": report(16.70, 107.68, T0, vid="90124", length=12.0),
                 "unknown": report(16.70, 107.68, T0, vid="90125", length=None)}, set())
    lost = alarm_id_for(LOST_SIGNAL, "big")
    assert evaluate(engine, model, T0 + 2 * H) == []
    assert evaluate(engine, model, T0 + 6 * H) == []                    # not over 6 h yet
    out = evaluate(engine, model, T0 + 6 * H + 60)
    assert transitions(out) == [(LOST_SIGNAL, "raise", UNACKNOWLEDGED)]
    alarm = engine.get(lost)
    assert (alarm.priority, alarm.value, alarm.source_key) == (2, 6.0, "big")
    assert alarm.text == ("TTH 90123 TS (TTH-90123-TS): no position for 6.0 h (over 6 h is "
                          "abnormal); last fix 15/11 05:13 at 16.7000 N, 107.6800 E")
    assert evaluate(engine, model, T0 + 7.5 * H) == []
    assert engine.get(lost).value == 7.5 and "7.5 h" in engine.get(lost).text   # live
    assert [a.key for a in engine.alarms()] == ["big"]      # < 15 m and unknown length: no
    model.apply({"big": report(16.72, 107.70, T0 + 8 * H)}, set())
    assert transitions(evaluate(engine, model, T0 + 8 * H + 1)) == [
        (LOST_SIGNAL, "clear", RTN_UNACKNOWLEDGED)]
    model.set_now(None)                                     # no clock, no verdict
    assert list(vessel_rules()[0].condition(model, None)) == []


def test_a_failed_evaluation_does_not_settle_the_transitions(monkeypatch):
    model, engine = setup(ZONE)
    model.apply({"90123": report(16.62, 107.68, T0)}, set())
    model.apply({"90123": report(16.62, 107.76, T0 + 3200)}, set())

    def broken():
        raise RuntimeError("a bug")
    monkeypatch.setattr(model, "stays", broken)            # area_entry fails
    assert transitions(evaluate(engine, model, T0 + 3201)) == [
        (AREA_EXIT, "raise", UNACKNOWLEDGED)]
    assert engine.rule_failures[AREA_ENTRY] == 1 and len(model.pending_events()) == 2
    monkeypatch.undo()
    assert transitions(evaluate(engine, model, T0 + 3202)) == [
        (AREA_ENTRY, "raise", UNACKNOWLEDGED)]              # reported late, not lost
    assert model.pending_events() == []


def test_alarm_keys_map_back_to_the_vessel():
    assert vessel_of(area_key("thuan_an_restricted", "574100001")) == "574100001"
    assert vessel_of(area_key("z", "a:b")) == "a:b"


def test_the_shipped_areas_with_the_demo_fleet():
    # the demo simulator's reports, fed to the model with the shipped areas and evaluated
    # every simulated minute for 6 h: no rule fails, every transition names a known area
    import random
    from datetime import timedelta

    from plugins.vessels.simulator import VesselsSimulator
    sim, rng = VesselsSimulator(n_vessels=40), random.Random(7)
    start = datetime.fromtimestamp(T0, VN_TZ)
    model, engine = VesselsModel(), AlarmEngine()
    engine.add_rules(PLUGIN, vessel_rules())
    model.reset({ev.key: schema.validate(ev.data) for ev in sim.start(rng, start)})
    for minute in range(1, 6 * 60):
        now = start + timedelta(minutes=minute)
        model.apply_events(("upsert", ev.key, schema.validate(ev.data))
                           for ev in sim.step(rng, now, 40))
        evaluate(engine, model, now.timestamp())
    assert model.ignored_reports == 0
    assert not engine.rule_failures and not engine.bad_conditions
    assert {e.area for e in model.events} <= {a.id for a in model.areas}
    assert {a.rule for a in engine.alarms()} <= {AREA_ENTRY, AREA_EXIT}
