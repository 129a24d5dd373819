"""Demo simulators and the shared flood scenario: deterministic from the seed, every
event valid, the world believable (vessels at sea, the flood alert when Kim Long
passes BĐ2), the budget respected, and cheap enough for the benchmark."""
from __future__ import annotations

import dataclasses
import json
import math
import random
import re
import time
from collections import Counter, defaultdict
from datetime import datetime, timedelta, timezone

import pytest

from demo_backend.scenario import (AIR_STATIONS, COASTLINE, DEFAULT_SEED, HARBOUR_RADIUS_KM,
                                   PORTS, PROVINCE_WATERS, FloodScenario)
from ioc_desktop.interop import parse_time
from ioc_desktop.interop.cap import parse_circle, parse_polygon, parse_references
from plugins.alerts import AlertsPlugin
from plugins.alerts.simulator import FLOOD_EVENT
from plugins.environment import EnvironmentPlugin
from plugins.environment import schema as env_schema
from plugins.reports import ReportsPlugin, workflow
from plugins.vessels import VesselsPlugin
from plugins.vessels.simulator import VesselsSimulator

START = datetime(2026, 11, 23, 2, 0, tzinfo=timezone.utc)      # 09:00 in Huế
TICK = timedelta(milliseconds=100)
PLUGINS = {"reports": ReportsPlugin, "environment": EnvironmentPlugin,
           "vessels": VesselsPlugin, "alerts": AlertsPlugin}
KEY_OF = {"reports": lambda d: d["service_request_id"], "vessels": lambda d: d["vessel_id"],
          "alerts": lambda d: d["identifier"], "environment": env_schema.key_of}


def run(name: str, seed: int, ticks: int, budget: int, tick: timedelta = TICK, sim=None):
    """Events per tick (index 0 = start) of one simulator."""
    sim = sim or PLUGINS[name]().simulator()
    rng = random.Random(seed)
    out = [sim.start(rng, START)]
    for k in range(1, ticks + 1):
        out.append(sim.step(rng, START + k * tick, budget))
    return out


def flat(per_tick):
    return [e for events in per_tick for e in events]


def dump(events) -> list[str]:
    return [json.dumps([e.topic, e.key, e.op, e.data], sort_keys=True, ensure_ascii=False)
            for e in events]


# Alerts are rare: give them simulated time (3 s ticks) to say something.
RUN_ARGS = {"reports": (200, 20, TICK), "environment": (200, 20, TICK),
            "vessels": (200, 20, TICK), "alerts": (2000, 0, timedelta(seconds=3))}


# --------------------------------------------------------------------------- determinism
@pytest.mark.parametrize("name", PLUGINS)
def test_same_seed_same_stream_other_seed_other_stream(name):
    ticks, budget, tick = RUN_ARGS[name]
    a = dump(flat(run(name, 7, ticks, budget, tick)))
    b = dump(flat(run(name, 7, ticks, budget, tick)))
    c = dump(flat(run(name, 8, ticks, budget, tick)))
    assert len(a) > 10
    assert a == b
    assert a != c


# --------------------------------------------------------------------------- validity
@pytest.mark.parametrize("budget", [0, 7, 300])
@pytest.mark.parametrize("name", PLUGINS)
def test_every_event_validates(name, budget):
    spec = PLUGINS[name]().topics[0]
    tick = timedelta(seconds=2) if name == "alerts" else TICK
    ticks = 1500 if name == "alerts" else 100 if budget >= 100 else 300
    events = flat(run(name, 3, ticks, budget, tick))
    assert events
    ops = Counter()
    for e in events:
        assert e.topic == name
        ops[e.op] += 1
        if e.op == "delete":
            assert e.data is None
            continue
        assert e.op == "upsert"
        data = spec.validate(e.data)
        assert KEY_OF[name](data) == e.key
        row = spec.row(e.key, data)
        assert set(row) == set(spec.columns)
    if name in ("environment", "vessels"):
        assert ops["delete"] == 0


# --------------------------------------------------------------------------- budget
@pytest.mark.parametrize("name", ["reports", "environment", "vessels"])
def test_budget_is_respected(name):
    per_tick = run(name, 11, 50, 100)[1:]
    counts = [len(events) for events in per_tick]
    assert all(50 <= c <= 150 for c in counts), counts
    assert 90 <= sum(counts) / len(counts) <= 110


def test_closed_reports_leave_the_state_beyond_keep_closed():
    from plugins.reports.simulator import ReportsSimulator
    per_tick = run("reports", 5, 400, 50, sim=ReportsSimulator(keep_closed=100))
    live: dict[str, dict] = {}
    deletes = 0
    for e in flat(per_tick):
        if e.op == "delete":
            deletes += 1
            live.pop(e.key)
        else:
            live[e.key] = e.data
    closed = sum(d["status"] == "closed" for d in live.values())
    assert deletes > 1000 and closed <= 101
    assert len(live) <= 2000 + 101


@pytest.mark.parametrize("name", ["reports", "environment", "vessels"])
def test_budget_zero_still_trickles(name):
    counts = [len(events) for events in run(name, 11, 600, 0)[1:]]
    assert 1 <= sum(counts) < 600 and max(counts) <= 3


def test_alerts_are_bursty_and_ignore_budget():
    counts = [len(events) for events in run("alerts", 5, 600, 100, timedelta(seconds=2))[1:]]
    assert sum(counts) >= 3 and max(counts) <= 6


# --------------------------------------------------------------------------- flood scenario
def crossings(scn: FloodScenario, station: str, level: float, until_s: float, step: float = 1.0):
    """Times (s) at which the station's level rises through ``level``."""
    out, prev = [], scn.level_at(station, 0.0)
    s = step
    while s <= until_s:
        cur = scn.level_at(station, s)
        if prev < level <= cur:
            out.append(s)
        prev, s = cur, s + step
    return out


@pytest.mark.parametrize("seed", range(1, 16))
def test_flood_wave_shape(seed):
    scn = FloodScenario(seed, START)
    assert 0.6 <= scn.level_at("kim_long", 0.0) <= 1.0
    bd1 = crossings(scn, "kim_long", 1.0, 600)
    bd2 = crossings(scn, "kim_long", 2.0, 600)
    assert bd1 and bd2 and bd1[0] < bd2[0]
    assert 150 <= bd2[0] <= 4.5 * 60, f"BĐ2 passed after {bd2[0]} s"
    levels = [scn.level_at("kim_long", s) for s in range(0, 1500)]
    peak = max(levels)
    assert 3.0 <= peak <= 3.9
    peak_s = levels.index(peak)
    # recedes over ~15 minutes: back under BĐ1 between 10 and 20 minutes after the peak
    below = next(s for s in range(peak_s, 1500) if levels[s] < 1.0)
    assert 10 * 60 <= below - peak_s <= 20 * 60
    # Phú Ốc follows with its own thresholds
    assert crossings(scn, "phu_oc", 3.0, 900)


def test_flood_repeats_continuously_and_is_pure():
    scn = FloodScenario(4, START)
    three_hours = 3 * 3600
    assert len(crossings(scn, "kim_long", 2.0, three_hours)) >= 5
    for station in ("kim_long", "phu_oc", "phong_binh", "cau_truoi"):
        prev = scn.level_at(station, 0.0)
        for s in range(1, three_hours):
            cur = scn.level_at(station, float(s))
            assert abs(cur - prev) < 0.03, (station, s, prev, cur)   # no jumps between waves
            prev = cur
    # a pure function of (seed, start): query order does not matter
    other = FloodScenario(4, START)
    times = [random.Random(1).uniform(0, three_hours) for _ in range(200)]
    assert [other.level_at("kim_long", s) for s in reversed(times)][::-1] == \
        [scn.level_at("kim_long", s) for s in times]
    assert FloodScenario(5, START).level_at("kim_long", 200.0) != scn.level_at("kim_long", 200.0)
    t = START + timedelta(seconds=crossings(scn, "kim_long", 2.0, 600)[0])
    assert scn.kim_long_above_bd2(t) and not scn.kim_long_above_bd2(t - timedelta(seconds=2))
    assert scn.thresholds("kim_long") == {"BD1": 1.0, "BD2": 2.0, "BD3": 3.5}
    assert scn.thresholds("phu_oc") == {"BD1": 1.5, "BD2": 3.0, "BD3": 4.5}


# --------------------------------------------------------------------------- alerts
def test_flood_alert_when_kim_long_passes_bd2():
    tick = timedelta(seconds=1)
    per_tick = run("alerts", 1, 40 * 60, 0, tick)
    scn = FloodScenario.shared(DEFAULT_SEED, START)   # the simulators' default scenario
    first_bd2 = next(k for k in range(len(per_tick))
                     if scn.level("kim_long", START + k * tick) >= 2.0)
    flood = [(k, e) for k, events in enumerate(per_tick) for e in events
             if e.op == "upsert" and e.data["info"] and e.data["info"][0]["event"] == FLOOD_EVENT]
    assert flood, "no flood alert"
    k_alert, alert = flood[0]
    assert k_alert == first_bd2
    assert alert.data["msgType"] == "Alert"
    assert parse_time(alert.data["sent"]) == START + first_bd2 * tick
    (info,) = alert.data["info"]
    assert (info["severity"], info["urgency"], info["certainty"]) == ("Severe", "Immediate", "Observed")
    assert info["headline"] and info["description"] and info["instruction"]
    assert "Kim Long" in info["headline"]
    (area,) = info["area"]
    assert area["areaDesc"]
    points = parse_polygon(area["polygon"][0])
    assert len(set(points)) >= 5 and points[0] == points[-1]
    assert all(16.43 <= lat <= 16.58 and 107.52 <= lon <= 107.68 for lat, lon in points)
    # then an Update (peak or BĐ3) and a Cancel below BĐ2, each referencing the one before
    kinds = [e.data["msgType"] for _k, e in flood[:3]]
    assert kinds == ["Alert", "Update", "Cancel"]
    (_k1, update), (k2, cancel) = flood[1], flood[2]
    assert parse_references(update.data["references"])[0][1] == alert.key
    assert parse_references(cancel.data["references"])[0][1] == update.key
    assert scn.level("kim_long", START + k2 * tick) < 2.0
    deleted = {e.key for e in flat(per_tick) if e.op == "delete"}
    assert alert.key in deleted and update.key in deleted


def test_other_warnings_appear_with_valid_geometry():
    events = flat(run("alerts", 9, 3000, 0, timedelta(seconds=5)))
    events = [e for e in events if e.op == "upsert"]
    kinds = Counter(e.data["info"][0]["category"][0] for e in events if e.data.get("info"))
    assert kinds["Health"] >= 1 and kinds["Met"] >= 3
    circles = [c for e in events for i in e.data.get("info", []) for a in i.get("area", [])
               for c in a.get("circle", [])]
    assert circles
    for text in circles:
        lat, lon, radius = parse_circle(text)
        assert 15.5 <= lat <= 18.0 and 107.0 <= lon <= 109.5 and radius > 0
    assert len({e.key for e in events}) == len(events)          # one message, one identifier


def test_environment_and_alerts_share_the_flood():
    tick = timedelta(seconds=1)
    alerts = run("alerts", 2, 400, 0, tick)
    k_alert = next(k for k, events in enumerate(alerts) for e in events
                   if e.op == "upsert" and e.data["msgType"] == "Alert"
                   and e.data["info"][0]["event"] == FLOOD_EVENT)
    env = run("environment", 2, 400, 40, tick)
    kim_long = [(k, e.data["value"]) for k, events in enumerate(env) for e in events
                if e.key == "kim_long/water_level"]
    before = [v for k, v in kim_long if k < k_alert - 3]
    after = [v for k, v in kim_long if k_alert + 3 <= k <= k_alert + 30]
    assert before and after and max(before) < 2.02 and min(after) > 1.98


# --------------------------------------------------------------------------- environment
def test_environment_series_and_values():
    per_tick = run("environment", 4, 3000, 10, timedelta(seconds=1))
    events = flat(per_tick)
    keys = {e.key for e in events}
    for sid in ("kim_long", "phu_oc", "phong_binh", "cau_truoi"):
        assert f"{sid}/water_level" in keys
    for res in ("ho_ta_trach", "ho_binh_dien", "ho_huong_dien", "ho_a_luoi", "ho_thuong_nhat"):
        assert {f"{res}/reservoir_level", f"{res}/inflow", f"{res}/outflow"} <= keys
    by_key = defaultdict(list)
    for e in events:
        by_key[e.key].append(e.data)
    assert by_key["kim_long/water_level"][0]["thresholds"] == {"BD1": 1.0, "BD2": 2.0, "BD3": 3.5}
    assert by_key["phu_oc/water_level"][0]["thresholds"] == {"BD1": 1.5, "BD2": 3.0, "BD3": 4.5}
    assert "thresholds" not in by_key["phong_binh/water_level"][0]
    scn = FloodScenario.shared(DEFAULT_SEED, START)
    for d in by_key["kim_long/water_level"]:
        expected = scn.level("kim_long", parse_time(d["phenomenonTime"]))
        assert abs(d["value"] - expected) <= 0.021     # ±1.5 cm noise, rounded to cm
    assert max(d["value"] for d in by_key["kim_long/water_level"]) > 2.0
    # the flood shows in the reservoirs' releases
    outflow = [d["value"] for d in by_key["ho_ta_trach/outflow"]]
    assert max(outflow) > 5 * min(outflow)
    # AQI is VN_AQI of the station's smoothed PM2.5: between the AQIs of its extremes
    for station, _n, _la, _lo, base in AIR_STATIONS:
        pm = [base] + [d["value"] for d in by_key[f"{station}/pm25"]]
        aqi = [d["value"] for d in by_key[f"{station}/aqi"]]
        assert aqi and all(v == int(v) for v in aqi)
        lo, hi = env_schema.aqi_from_pm25(min(pm)), env_schema.aqi_from_pm25(max(pm))
        assert all(lo <= v <= hi for v in aqi)


def test_environment_high_budget_gives_distinct_times():
    per_tick = run("environment", 4, 5, 200)
    for events in per_tick[1:]:
        seen = Counter((e.key, e.data["phenomenonTime"]) for e in events)
        assert max(seen.values()) == 1          # one series never reports twice at one instant


# --------------------------------------------------------------------------- reports
ALLOWED_STEPS = {"received": {"verified", "rejected"}, "verified": {"assigned"},
                 "assigned": {"in_progress"}, "in_progress": {"resolved"}, "resolved": {"closed"}}


def test_report_ids_unique_and_lifecycle_forward():
    per_tick = run("reports", 5, 600, 50)
    state: dict[str, dict] = {}      # every report ever seen, in its last state
    deleted: set[str] = set()
    created = 0
    for events in per_tick:
        for e in events:
            assert re.fullmatch(r"PA-\d{4}-\d{6}", e.key)
            assert e.key not in deleted, "an id came back after its delete"
            old = state.get(e.key)
            if e.op == "delete":
                # only closed reports leave the state
                assert old is not None and old["ioc_status"] in ("closed", "rejected")
                deleted.add(e.key)
                continue
            d = e.data
            if old is None:
                created += 1
            else:
                # the same id is the same report: never reused for another one
                assert d["requested_datetime"] == old["requested_datetime"]
                assert d["description"] == old["description"]
                assert old["ioc_status"] not in ("closed", "rejected"), "event after the end"
                assert d["ioc_status"] in ALLOWED_STEPS[old["ioc_status"]]
            state[e.key] = d
    assert created == len(state) and created > 1000
    statuses = Counter(d["ioc_status"] for d in state.values())
    assert set(statuses) == {"received", "verified", "assigned", "in_progress", "resolved",
                             "closed", "rejected"}
    channels = Counter(d["channel"] for d in state.values())
    assert set(channels) == {"hue_s", "web", "facebook", "hotline"}
    assigned = [d for d in state.values() if d.get("agency_responsible")]
    assert assigned and all(d.get("expected_datetime") for d in assigned)
    # the initial state holds a week of reports, some overdue (deadline passed, still open)
    initial = [e.data for e in per_tick[0]]
    assert len(initial) == 150
    overdue = [d for d in initial if d["status"] == "open" and d.get("expected_datetime")
               and parse_time(d["expected_datetime"]) < START]
    assert 5 <= len(overdue) <= 100
    assert all(parse_time(d["requested_datetime"]) >= START - timedelta(days=7) for d in initial)
    for d in state.values():
        assert re.fullmatch(r"09xx xxx \d{3}", d["reporter"]["phone"])


def test_reports_become_urgent_in_the_flood():
    tick = timedelta(seconds=1)
    per_tick = run("reports", 6, 8 * 60, 3, tick)
    scn = FloodScenario.shared(DEFAULT_SEED, START)
    flood_words = ("ngập", "lũ", "Lũ", "sạt lở", "Sạt lở", "nước dâng", "Cống thoát nước")
    urgent_flood = 0
    for k, events in enumerate(per_tick[1:], start=1):
        level = scn.level("kim_long", START + k * tick)
        for e in events:
            d = e.data
            if d is None or d["ioc_status"] != "received" \
                    or d["requested_datetime"] != d["updated_datetime"]:
                continue
            is_flood = any(w in d["description"] for w in flood_words)
            if level < 1.0:
                assert not is_flood
            if is_flood and level >= 2.0:
                assert d["priority"] == "urgent"
                urgent_flood += 1
    assert urgent_flood >= 5


def _report_steps(per_tick):
    """(old, new) for every upsert of a report seen before, in order."""
    last: dict[str, dict] = {}
    for e in flat(per_tick):
        if e.op == "delete":
            last.pop(e.key, None)
            continue
        if e.key in last:
            yield last[e.key], e.data
        last[e.key] = e.data


def test_report_steps_are_workflow_actions_with_history():
    from plugins.reports import simulator as rs
    steps = 0
    by_action = Counter()
    initial_history = [h for e in run("reports", 4, 0, 0)[0] for h in e.data.get("history", [])]
    for old, new in _report_steps(run("reports", 4, 400, 30)):
        steps += 1
        added = new["history"][len(old.get("history") or []):]
        assert new["history"][:len(old.get("history") or [])] == (old.get("history") or [])
        assert len(added) == 1, added
        h = added[0]
        assert (h["from"], h["to"]) == (old["ioc_status"], new["ioc_status"])
        assert h["at"] == new["updated_datetime"]
        if h["action"] in ("start", "resolve"):
            assert h["by"] == old["agency_responsible"]       # the agency itself
        else:
            assert h["by"] == rs.COLLEAGUE and h["action"] in ("verify", "reject", "assign", "close")
        if h["action"] == "assign":
            assert new["expected_datetime"] == h["due"] and h["agency"] == new["agency_responsible"]
        if h["action"] == "reject":
            assert h["reason"] in workflow.REJECT_REASONS
        by_action[h["action"]] += 1
    assert steps > 1000 and set(by_action) == {"verify", "reject", "assign", "start", "resolve", "close"}
    # the initial week of reports has its history too
    assert {h["action"] for h in initial_history} >= {"verify", "assign", "start", "resolve", "close"}


def test_colleague_waits_for_reports_left_untouched():
    from plugins.reports import simulator as rs
    # room for every report: no step is forced by a full queue
    sim = rs.ReportsSimulator(max_open=1_000_000)
    tick = timedelta(seconds=5)
    per_tick = run("reports", 8, 600, 3, tick, sim=sim)
    waited = Counter()
    for old, new in _report_steps(per_tick):
        h = new["history"][-1]
        gap = parse_time(h["at"]) - parse_time(old["updated_datetime"])
        assert gap >= timedelta(seconds=rs.WAIT_S[old["ioc_status"]]), (h, old["updated_datetime"])
        waited[h["by"] == rs.COLLEAGUE] += 1
    assert waited[True] > 100 and waited[False] > 100
    # meanwhile newer reports wait for a live supervisor
    received = [d for d in sim._open if d["ioc_status"] == "received"]
    assert len(received) > 50


def test_wait_is_measured_whatever_the_time_format():
    from plugins.reports import simulator as rs
    sim = rs.ReportsSimulator()
    now = START + timedelta(seconds=0.5)                      # 09:00:00.5 in Huế
    wait = rs.WAIT_S["received"]
    for touched, done in [("2026-11-23T08:50:00+07:00", True),          # 10 min 0.5 s
                          ("2026-11-23T08:50:01+07:00", False),
                          ("2026-11-23T01:50:00Z", True), ("2026-11-23T01:50:01Z", False),
                          ("2026-11-23T01:50:00.5Z", True), ("2026-11-23T01:50:00.6Z", False)]:
        report = {"ioc_status": "received", "updated_datetime": touched}
        assert sim._waited(report, now) is done, touched
        assert (now - parse_time(touched)).total_seconds() >= wait if done else True
    assert not sim._waited({"ioc_status": "closed", "updated_datetime": "2020-01-01T00:00:00Z"}, now)


def test_lean_apply_is_the_workflows_apply():
    from plugins.reports import simulator as rs
    sim = rs.ReportsSimulator()
    rng = random.Random(2)
    t = START
    for _ in range(100):
        data = sim._new_report(rng, t, t.isoformat(), 2.5)
        for name, args, by, roles in [
                ("verify", {}, rs.COLLEAGUE, rs.SUPERVISOR_ROLES),
                ("assign", {"agency": "Sở Xây dựng"}, rs.COLLEAGUE, rs.SUPERVISOR_ROLES),
                ("start", {}, "Sở Xây dựng", rs.AGENCY_ROLES),
                ("resolve", {"result": rs.RESULT}, "Sở Xây dựng", rs.AGENCY_ROLES),
                ("close", {}, rs.COLLEAGUE, rs.SUPERVISOR_ROLES)]:
            t += timedelta(minutes=17)
            lean = rs._apply(data, name, args, by, roles, t)
            full = workflow.apply_action(data, name, args, user=by, roles=roles, now=t)
            assert lean == full[data["service_request_id"]]
            data = lean
        rejected = rs._apply(sim._new_report(rng, t, t.isoformat(), 0.0), "reject",
                             {"reason": "invalid", "note": "x"}, rs.COLLEAGUE,
                             rs.SUPERVISOR_ROLES, t)
        assert rejected["ioc_status"] == "rejected" and rejected["history"][-1]["note"] == "x"


def test_users_actions_are_never_overwritten():
    from plugins.reports import simulator as rs
    import copy
    sim = rs.ReportsSimulator(max_open=300)
    rng = random.Random(6)
    sup = (workflow.SUPERVISOR,)
    events = sim.start(rng, START)
    latest = {e.key: e.data for e in events}
    mine: dict[str, list] = {}                 # key -> the history the user made
    rejected, reopened = set(), set()
    t = START
    for k in range(1, 400):
        t = START + k * timedelta(seconds=2)
        for e in sim.step(rng, t, 20):
            if e.op == "delete":
                assert e.key not in reopened, "a reopened report was deleted"
                latest.pop(e.key, None)
                continue
            assert e.key not in rejected, "the simulator moved a report the user rejected"
            if e.key in mine:                  # continues from the user's version
                assert e.data["history"][:len(mine[e.key])] == mine[e.key]
            latest[e.key] = e.data
        if k % 10:
            continue
        # a user acts on a few reports, as the backend would tell the simulator
        for key in random.Random(k).sample(sorted(latest), 40):   # not the simulator's rng
            data = latest[key]
            state = data["ioc_status"]
            name, args = {"received": ("verify", {}), "verified": ("reject", {"reason": "invalid"}),
                          "closed": ("reopen", {"reason": "chưa xong"})}.get(state, ("note", {"text": "đã xem"}))
            if key in rejected or state == "rejected":
                continue
            before = rng.getstate()
            new = workflow.apply_action(data, name, args, user="Ca trực", roles=sup, now=t)[key]
            sim.external_update("reports", key, copy.deepcopy(new))
            assert rng.getstate() == before             # no draw: a replay stays the same
            latest[key] = new
            mine[key] = new["history"]
            if name == "reject":
                rejected.add(key)
            if name == "reopen":
                reopened.add(key)
                assert key in sim._pos                  # open again for the simulator
    assert rejected and reopened and len(mine) > 50
    sim.external_update("other_topic", "x", {"ioc_status": "received"})
    gone = next(iter(reopened))
    sim.external_update("reports", gone, None)
    assert gone not in sim._pos and gone not in sim._closed_set


def test_report_events_are_cheap():
    sim = PLUGINS["reports"]().simulator()
    rng = random.Random(1)
    sim.start(rng, START)
    n, k = 0, 0
    t0 = time.perf_counter()
    while n < 20_000:
        k += 1
        n += len(sim.step(rng, START + k * TICK, 200))
    elapsed = time.perf_counter() - t0
    print(f"\nreports: {n} events in {elapsed:.3f} s = {n / elapsed:,.0f} events/s")
    assert elapsed < 10.0     # ~1 s here; generous so that a loaded CI machine passes


# --------------------------------------------------------------------------- vessels
def _sea_side(lat: float, lon: float) -> bool:
    """Independent check: positive cross product against the coast segment for ``lon``."""
    (a_lat, a_lon), (b_lat, b_lon) = (COASTLINE[0], COASTLINE[1]) if lon <= COASTLINE[1][1] \
        else (COASTLINE[1], COASTLINE[2])
    cross = (b_lon - a_lon) * (lat - a_lat) - (b_lat - a_lat) * (lon - a_lon)
    return cross > 0


def _km(lat1, lon1, lat2, lon2):
    return 6371.0 * math.radians(1) * math.hypot(lat2 - lat1, (lon2 - lon1) * math.cos(math.radians(lat1)))


def test_cross_product_check_itself():
    assert _sea_side(17.0, 107.8) and _sea_side(16.5, 108.2)
    assert not _sea_side(16.45, 107.58) and not _sea_side(16.0, 107.9)   # Huế city, the hills


def test_vessels_stay_at_sea_in_province_waters():
    sim = VesselsSimulator(n_vessels=60)
    tick = timedelta(seconds=10)
    per_tick = run("vessels", 12, 2000, 60, tick, sim=sim)      # 5.5 simulated hours
    lat0, lat1, lon0, lon1 = PROVINCE_WATERS
    ports = {p.name: p for p in PORTS}
    statuses = Counter()
    last: dict[str, dict] = {}
    ids = set()
    for events in per_tick:
        for e in events:
            d = e.data
            ids.add(e.key)
            statuses[d["status"]] += 1
            lat, lon = d["lat"], d["long"]
            assert lat0 <= lat <= lat1 and lon0 <= lon <= lon1, d
            port = ports[d["home_port"]]
            if _km(lat, lon, port.lat, port.lon) > HARBOUR_RADIUS_KM:
                assert _sea_side(lat, lon), f"ashore: {d}"
            else:
                assert d["status"] in ("in_port", "underway", "lost_signal"), d
            assert 10.0 <= d["length_m"] <= 24.0
            assert re.fullmatch(r"TTH-9\d{4}-TS", d["registration"])
            assert d["name"] == d["registration"].replace("-", " ")
            prev = last.get(e.key)
            if prev is not None:
                dt = (parse_time(d["time"]) - parse_time(prev["time"])).total_seconds()
                if d["status"] == "lost_signal":
                    # the backend's mark: the last fix again, unchanged
                    assert dt == 0 and (lat, lon) == (prev["lat"], prev["long"])
                else:
                    assert dt > 0
                    # no teleporting: at most 12 kn between two fixes (+ rounding)
                    assert _km(lat, lon, prev["lat"], prev["long"]) <= 12 * 1.852 * dt / 3600 + 0.05
            last[e.key] = d
    assert len(ids) == 60
    assert {"in_port", "underway", "fishing", "lost_signal"} <= set(statuses)


def test_vessel_heading_for_the_coast_is_kept_at_sea():
    """White-box: a vessel fishing right off the coast and heading for the beach."""
    from demo_backend.scenario import coast_lat
    from plugins.vessels import simulator as vsim
    sim = VesselsSimulator(n_vessels=1)
    rng = random.Random(3)
    sim.start(rng, START)
    v = sim._fleet[0]
    v.mode, v.sog, v.cog, v.until = vsim.FISHING, 4.0, 225.0, 1e9
    v.lon = 107.80
    v.lat = coast_lat(v.lon) + 0.025
    # "grounds" on land: it keeps steering ashore
    v.port = dataclasses.replace(PORTS[0], grounds=(15.0, 16.0, 107.0, 107.5))
    for k in range(1, 500):
        for e in sim.step(rng, START + k * timedelta(seconds=30), 1):
            assert _sea_side(e.data["lat"], e.data["long"]), e.data


def test_vessel_fleet_size_is_configurable():
    events = VesselsSimulator(n_vessels=500).start(random.Random(1), START)
    assert len({e.key for e in events}) == 500
    with pytest.raises(ValueError):
        VesselsSimulator(n_vessels=0)


def test_vessel_events_are_cheap():
    sim = VesselsSimulator()
    rng = random.Random(1)
    sim.start(rng, START)
    n = 0
    t0 = time.perf_counter()
    k = 0
    while n < 100_000:
        k += 1
        n += len(sim.step(rng, START + k * TICK, 1000))
    elapsed = time.perf_counter() - t0
    print(f"\nvessels: {n} events in {elapsed:.3f} s = {n / elapsed:,.0f} events/s "
          f"({elapsed / n * 1e6:.2f} µs/event)")
    assert elapsed < 6.0     # ~0.4 s here; generous so that a loaded CI machine passes
