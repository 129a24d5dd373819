"""The four headless topics' validators and state-table rows (reports, environment,
vessels, alerts): good payloads pass and map onto the columns; bad ones are refused
with a reason that names the field; hostile text passes unchanged."""
from __future__ import annotations

import copy
import math

import pytest

from ioc_desktop.plugin_api import Plugin, TopicSpec, ValidationError
from plugins.alerts import AlertsPlugin
from plugins.alerts import schema as alerts
from plugins.environment import EnvironmentPlugin
from plugins.environment import schema as env
from plugins.reports import ReportsPlugin
from plugins.reports import schema as reports
from plugins.vessels import VesselsPlugin
from plugins.vessels import schema as vessels

HOSTILE = "<img src=x onerror=alert(1)> '; DROP TABLE reports;-- \u202e\u0000 {{7*7}}"


def reject(spec: TopicSpec, data, *fragments: str) -> str:
    with pytest.raises(ValidationError) as info:
        spec.validate(data)
    reason = str(info.value)
    for fragment in fragments:
        assert fragment in reason, f"{fragment!r} not in {reason!r}"
    return reason


def changed(base: dict, **changes) -> dict:
    out = copy.deepcopy(base)
    for name, value in changes.items():
        if value is _DROP:
            out.pop(name, None)
        else:
            out[name] = value
    return out


_DROP = object()


# --------------------------------------------------------------------------- plugins
@pytest.mark.parametrize("cls,name,order,topic", [
    (ReportsPlugin, "reports", 10, "reports"),
    (EnvironmentPlugin, "environment", 20, "environment"),
    (VesselsPlugin, "vessels", 30, "vessels"),
    (AlertsPlugin, "alerts", 40, "alerts"),
])
def test_plugin_declarations(cls, name, order, topic):
    plugin = cls()
    assert isinstance(plugin, Plugin)
    assert (plugin.name, plugin.order) == (name, order)
    assert plugin.title and plugin.title.isascii()
    assert [s.name for s in plugin.topics] == [topic]
    spec = plugin.topics[0]
    assert spec.columns and spec.to_row is not None
    for index in spec.indexes:
        # the key may end an index (a unique tiebreaker of the queue's orders)
        assert set(index) <= set(spec.columns) | {"key"}, index
    assert not set(spec.columns) & {"key", "seq", "time", "data"}, "shadows a state-table column"
    sim1, sim2 = plugin.simulator(), plugin.simulator()
    assert sim1 is not sim2 and hasattr(sim1, "step")


# --------------------------------------------------------------------------- reports
REPORT = {
    "service_request_id": "PA-2026-000123",
    "service_code": "VSMT",
    "service_name": "vệ sinh môi trường",
    "description": "Rác thải tập kết không đúng nơi quy định tại kiệt 12 đường Lê Lợi.",
    "status": "open",
    "ioc_status": "assigned",
    "lat": 16.4637,
    "long": 107.5909,
    "address": "24 Lê Lợi, Phú Hội, Phường Thuận Hóa",
    "requested_datetime": "2026-11-23T09:15:02+07:00",
    "updated_datetime": "2026-11-23T02:20:00Z",
    "expected_datetime": "2026-11-25T17:00:00+07:00",
    "agency_responsible": "UBND phường Phú Hội",
    "status_notes": "Đã chuyển UBND phường Phú Hội xử lý.",
    "media_url": "https://hue-s.example/media/PA-2026-000123.jpg",
    "channel": "hue_s",
    "priority": "high",
    "commune": "Phường Thuận Hóa",
    "legacy_district": "Thuận Hóa",
    "reporter": {"name": "Nguyễn Văn A", "phone": "09xx xxx 123"},
    "x_vendor": {"kept": [1, 2, 3]},
}


def test_report_good_and_row():
    before = copy.deepcopy(REPORT)
    out = reports.SPEC.validate(REPORT)
    assert REPORT == before, "validate must not change its input"
    assert out == REPORT and out is not REPORT
    assert out["x_vendor"] == {"kept": [1, 2, 3]}
    row = reports.SPEC.row("PA-2026-000123", out)
    assert set(row) == set(reports.SPEC.columns)
    assert "reporter" not in row and all("Nguyễn Văn A" != v for v in row.values())
    assert row["ioc_status"] == "assigned" and row["priority"] == "high"
    assert (row["lat"], row["long"]) == (16.4637, 107.5909)
    # times in the columns: one offset (+07:00), whole seconds -> text order is time order
    assert row["updated_datetime"] == "2026-11-23T09:20:00+07:00"
    assert row["requested_datetime"] == "2026-11-23T09:15:02+07:00"
    assert reports.key_of(out) == "PA-2026-000123"


def test_report_description_column_is_short_copy():
    out = reports.SPEC.validate(changed(REPORT, description="x" * 5000))
    assert len(out["description"]) == 5000
    assert len(reports.to_row("k", out)["description"]) == reports.DESCRIPTION_COLUMN_LEN


def test_report_open311_without_ioc_fields_is_derived():
    minimal = {"service_request_id": "638349", "service_code": "006", "status": "open",
               "requested_datetime": "2010-04-19T06:37:38-08:00", "address": "8TH AVE and JUDAH ST"}
    out = reports.SPEC.validate(minimal)
    assert out["ioc_status"] == "received" and out["priority"] == "normal"
    assert "lat" not in out                        # an address alone is enough
    assigned = reports.SPEC.validate(changed(minimal, agency_responsible="DPW"))
    assert assigned["ioc_status"] == "assigned"
    closed = reports.SPEC.validate(changed(minimal, status="closed"))
    assert closed["ioc_status"] == "closed"
    # the other way round: status from ioc_status
    only_ioc = reports.SPEC.validate(changed(minimal, status=_DROP, ioc_status="rejected"))
    assert only_ioc["status"] == "closed"
    assert reports.SPEC.validate(changed(minimal, status=_DROP, ioc_status="resolved"))["status"] == "open"


@pytest.mark.parametrize("status,ioc_status", [("closed", "assigned"), ("closed", "resolved"),
                                               ("open", "closed"), ("open", "rejected")])
def test_report_status_must_agree(status, ioc_status):
    reject(reports.SPEC, changed(REPORT, status=status, ioc_status=ioc_status), "data.ioc_status",
           "contradicts")


@pytest.mark.parametrize("changes,fragment", [
    ({"service_request_id": _DROP}, "data.service_request_id"),
    ({"service_request_id": "   "}, "data.service_request_id"),
    ({"service_request_id": 123}, "data.service_request_id"),
    ({"service_code": _DROP}, "data.service_code"),
    ({"service_code": 6}, "data.service_code"),
    ({"status": _DROP, "ioc_status": _DROP}, "data.status"),
    ({"requested_datetime": _DROP}, "data.requested_datetime"),
    ({"requested_datetime": "2026-11-23T09:15:02"}, "data.requested_datetime"),
    ({"requested_datetime": "yesterday"}, "data.requested_datetime"),
    ({"expected_datetime": "2026-13-01T00:00:00+07:00"}, "data.expected_datetime"),
    ({"lat": "16.4"}, "data.lat"),
    ({"lat": 91.0}, "data.lat"),
    ({"long": 200.0}, "data.long"),
    ({"lat": 0, "long": 0}, "0,0"),
    ({"lat": math.nan}, "data.lat"),
    ({"long": math.inf}, "data.long"),
    ({"lat": True}, "data.lat"),
    ({"long": _DROP}, "both coordinates"),
    ({"status": "pending"}, "data.status"),
    ({"ioc_status": "done"}, "data.ioc_status"),
    ({"priority": "critical"}, "data.priority"),
    ({"channel": "x" * 41}, "data.channel"),
    ({"description": "x" * 10_001}, "data.description"),
    ({"address": "x" * 501}, "data.address"),
    ({"agency_responsible": ["UBND"]}, "data.agency_responsible"),
    ({"media_url": "javascript:alert(1)"}, "data.media_url"),
    ({"reporter": "Nguyễn Văn A"}, "data.reporter"),
    ({"reporter": {"name": "A", "phone": 912345678}}, "data.reporter.phone"),
    ({"reporter": {"name": "A" * 201}}, "data.reporter.name"),
])
def test_report_bad(changes, fragment):
    reject(reports.SPEC, changed(REPORT, **changes), fragment)


def test_report_not_an_object():
    reject(reports.SPEC, ["not", "a", "dict"], "data")


def test_report_hostile_text_passes_unchanged():
    data = changed(REPORT, description=HOSTILE, address=HOSTILE[:500], status_notes=HOSTILE,
                   channel="<b>x</b>", commune=HOSTILE[:100],
                   reporter={"name": HOSTILE[:200], "phone": "<script>"})
    out = reports.SPEC.validate(data)
    for name in ("description", "address", "status_notes", "channel", "commune", "reporter"):
        assert out[name] == data[name]
    assert reports.to_row("k", out)["description"] == HOSTILE[:reports.DESCRIPTION_COLUMN_LEN]


# --------------------------------------------------------------------------- reports: dispatch fields
HISTORY = [
    {"action": "verify", "by": "Ca trực IOC", "at": "2026-11-23T09:40:00+07:00",
     "from": "received", "to": "verified"},
    {"action": "assign", "by": "Ca trực IOC", "at": "2026-11-23T10:00:00+07:00",
     "from": "verified", "to": "assigned", "agency": "UBND phường Phú Hội",
     "due": "2026-11-25T17:00:00+07:00"},
    {"action": "note", "by": "Ca trực IOC", "at": "2026-11-23T10:05:00+07:00", "from": "assigned",
     "to": "assigned", "note": "Gọi lại cho người phản ánh", "x_count": 2, "x_flag": True},
]
DISPATCHED = changed(REPORT, history=HISTORY, process="timed", merged_from=["PA-2026-000120"])


def test_report_dispatch_fields_pass_and_stay_out_of_the_columns():
    out = reports.SPEC.validate(DISPATCHED)
    assert out["history"] == HISTORY and out["process"] == "timed"
    row = reports.to_row("PA-2026-000123", out)
    assert set(row) == set(reports.SPEC.columns)
    # the SLA clocks from the history: done times and dues (VSMT timed: 4 h, 8 h)
    assert row["verified_at"] == "2026-11-23T09:40:00+07:00"
    assert row["assigned_at"] == "2026-11-23T10:00:00+07:00"
    assert row["resolved_at"] is None
    assert row["verify_due"] == "2026-11-23T13:15:02+07:00"        # received + 4 h
    assert row["assign_due"] == "2026-11-23T17:40:00+07:00"        # verified + 8 h
    assert row["expected_datetime"] == "2026-11-25T17:00:00+07:00"   # the resolve due
    assert row["sla_due"] == "2026-11-25T17:00:00.000000+07:00"      # only resolve runs
    assert row["process"] == "timed" and row["merged_into"] is None
    assert row["priority_rank"] == 1
    # the reporter is confidential: in no column, not even a search word
    for value in row.values():
        assert "nguyen" not in str(value).lower() and "Nguyễn" not in str(value)
    words = row["search_text"].split()
    assert {"pa", "2026", "000123", "rac", "thai", "le", "loi", "ubnd", "phu", "hoi"} <= set(words)
    assert row["search_text"].startswith(" ") and row["search_text"] == row["search_text"].lower()


def test_report_without_history_gets_default_deadlines():
    fresh = changed(REPORT, ioc_status="received", expected_datetime=_DROP,
                    agency_responsible=_DROP, status_notes=_DROP)
    row = reports.to_row("k", reports.SPEC.validate(fresh))
    assert row["verify_due"] == "2026-11-23T13:15:02+07:00"
    assert row["assign_due"] == "2026-11-23T17:15:02+07:00"
    assert row["expected_datetime"] == "2026-11-25T09:15:02+07:00"   # VSMT resolve: 2 days
    assert row["sla_due"] == "2026-11-23T13:15:02.000000+07:00"      # the verify clock
    # finished: no clock runs
    closed = reports.to_row("k", reports.SPEC.validate(changed(REPORT, status="closed",
                                                                ioc_status="closed")))
    assert closed["sla_due"] == closed["sla_soon"] == "9999-12-31T23:59:59.999999+07:00"


@pytest.mark.parametrize("changes,fragment", [
    ({"history": {"action": "verify"}}, "data.history"),
    ({"history": ["verify"]}, "data.history[0]"),
    ({"history": [{"by": "x", "at": "2026-11-23T09:40:00+07:00"}]}, "data.history[0].action"),
    ({"history": [{"action": "verify", "at": "2026-11-23T09:40:00+07:00"}]}, "data.history[0].by"),
    ({"history": [{"action": "verify", "by": "x", "at": "tomorrow"}]}, "data.history[0].at"),
    ({"history": [{"action": "verify", "by": "x", "at": "1850-01-01T00:00:00+07:00"}]},
     "data.history[0].at: '1850-01-01T00:00:00+07:00' is outside the years 1900-2199"),
    ({"history": [{"action": "verify", "by": 7, "at": "2026-11-23T09:40:00+07:00"}]},
     "data.history[0].by"),
    ({"history": [*HISTORY, {"action": "note", "by": "x", "at": "2026-11-23T09:40:00+07:00",
                             "note": "x" * 4001}]}, "data.history[3].note"),
    ({"history": [{"action": "note", "by": "x", "at": "2026-11-23T09:40:00+07:00",
                   "note": {"nested": 1}}]}, "data.history[0].note"),
    ({"history": [{"action": "note", "by": "x", "at": "2026-11-23T09:40:00+07:00",
                   "reporter": {"name": 5}}]}, "data.history[0].reporter.name"),
    ({"history": [HISTORY[0]] * (reports.MAX_HISTORY + 1)}, "data.history"),
    ({"merged_into": "PA-2026-000123"}, "data.merged_into"),
    ({"merged_into": "  "}, "data.merged_into"),
    ({"merged_into": 5}, "data.merged_into"),
    ({"merged_from": "PA-1"}, "data.merged_from"),
    ({"merged_from": ["PA-1", ""]}, "data.merged_from[1]"),
    ({"merged_from": ["x" * 65]}, "data.merged_from[0]"),
    ({"process": "urgent"}, "data.process"),
    ({"requested_datetime": "9999-12-31T23:00:00-05:00"}, "data.requested_datetime"),
    ({"expected_datetime": "0001-01-01T00:00:00+07:00"}, "data.expected_datetime"),
])
def test_report_dispatch_fields_bad(changes, fragment):
    reject(reports.SPEC, changed(DISPATCHED, **changes), fragment)


# --------------------------------------------------------------------------- environment
OBS = {
    "station_id": "kim_long", "station_name": "Kim Long", "quantity": "water_level",
    "value": 2.34, "unit": "m", "phenomenonTime": "2026-11-23T09:15:00+07:00",
    "lat": 16.47, "long": 107.57, "kind": "river_station", "river": "Hương",
    "thresholds": {"BD1": 1.0, "BD2": 2.0, "BD3": 3.5},
}


def test_environment_good_and_row():
    before = copy.deepcopy(OBS)
    out = env.SPEC.validate(OBS)
    assert OBS == before and out == OBS
    assert env.key_of(out) == "kim_long/water_level"
    row = env.SPEC.row(env.key_of(out), out)
    assert set(row) == set(env.SPEC.columns)
    assert row["value"] == 2.34 and row["threshold"] == "BD2"
    assert env.to_row("k", changed(out, value=0.4))["threshold"] is None
    assert env.to_row("k", changed(out, value=3.5))["threshold"] == "BD3"     # reached = ≥


def test_environment_defaults_and_integers():
    out = env.SPEC.validate({"station_id": "ho_ta_trach", "quantity": "inflow", "value": 1200,
                             "phenomenonTime": "2026-11-23T02:15:00Z"})
    assert out["unit"] == "m³/s" and isinstance(out["value"], float)
    assert "lat" not in out                           # position is optional
    other = env.SPEC.validate({"station_id": "x1", "quantity": "no2", "value": -3.0,
                               "phenomenonTime": "2026-11-23T02:15:00Z", "extra": {"a": 1}})
    assert other["extra"] == {"a": 1} and "unit" not in other


@pytest.mark.parametrize("changes,fragment", [
    ({"station_id": _DROP}, "data.station_id"),
    ({"station_id": "kim/long"}, "data.station_id"),
    ({"station_id": "kim long"}, "data.station_id"),
    ({"station_id": 7}, "data.station_id"),
    ({"quantity": _DROP}, "data.quantity"),
    ({"quantity": "Water Level"}, "data.quantity"),
    ({"quantity": "x" * 41}, "data.quantity"),
    ({"value": _DROP}, "data.value"),
    ({"value": True}, "data.value"),
    ({"value": "2.3"}, "data.value"),
    ({"value": math.nan}, "data.value"),
    ({"value": 50.5}, "data.value"),
    ({"value": -5.5}, "data.value"),
    ({"quantity": "aqi", "value": 501}, "data.value"),
    ({"quantity": "rainfall", "value": -0.1}, "data.value"),
    ({"quantity": "pm25", "value": 2000.5}, "data.value"),
    ({"quantity": "reservoir_level", "value": 1000.1}, "data.value"),
    ({"quantity": "outflow", "value": 100_001}, "data.value"),
    ({"phenomenonTime": _DROP}, "data.phenomenonTime"),
    ({"phenomenonTime": "2026-11-23 09:15"}, "data.phenomenonTime"),
    ({"phenomenonTime": "2026-11-23T09:15:00"}, "data.phenomenonTime"),
    ({"lat": 91}, "data.lat"),
    ({"long": -180.5}, "data.long"),
    ({"lat": 0.0, "long": 0.0}, "0,0"),
    ({"lat": "16.47"}, "data.lat"),
    ({"thresholds": [1, 2, 3]}, "data.thresholds"),
    ({"thresholds": {"BD1": "1.0"}}, "data.thresholds.BD1"),
    ({"thresholds": {"BD1": math.inf}}, "data.thresholds.BD1"),
    ({"thresholds": {"BD1": 2.0, "BD2": 1.0}}, "data.thresholds.BD2"),
    ({"thresholds": {"": 1.0}}, "data.thresholds"),
    ({"kind": "River Station"}, "data.kind"),
    ({"unit": "m" * 33}, "data.unit"),
    ({"station_name": "x" * 201}, "data.station_name"),
])
def test_environment_bad(changes, fragment):
    reject(env.SPEC, changed(OBS, **changes), fragment)


def test_environment_hostile_text():
    data = changed(OBS, station_name=HOSTILE, river=HOSTILE[:100], unit="<i>m</i>")
    out = env.SPEC.validate(data)
    assert (out["station_name"], out["river"], out["unit"]) == (HOSTILE, HOSTILE[:100], "<i>m</i>")


@pytest.mark.parametrize("pm,aqi", [
    (0, 0), (25, 50), (50, 100), (80, 150), (150, 200), (250, 300), (350, 400), (500, 500),
    (12.5, 25), (37.5, 75), (65, 125), (115, 175), (200, 250), (300, 350), (425, 450),
    (24.9, 50), (1999, 500),
])
def test_vn_aqi_from_pm25(pm, aqi):
    assert env.aqi_from_pm25(pm) == aqi


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf, "12", True, None])
def test_vn_aqi_refuses_bad_input(bad):
    with pytest.raises(ValueError):
        env.aqi_from_pm25(bad)


@pytest.mark.parametrize("aqi,index,name,rgb", [
    (0, 0, "Tốt", (0, 228, 0)), (50, 0, "Tốt", (0, 228, 0)), (51, 1, "Trung bình", (255, 255, 0)),
    (150, 2, "Kém", (255, 126, 0)), (151, 3, "Xấu", (255, 0, 0)),
    (201, 4, "Rất xấu", (143, 63, 151)), (301, 5, "Nguy hại", (126, 0, 35)),
    (500, 5, "Nguy hại", (126, 0, 35)),
])
def test_vn_aqi_bands(aqi, index, name, rgb):
    assert env.aqi_band(aqi) == (index, name, rgb)


def test_nowcast():
    assert env.nowcast([30.0] * 12) == pytest.approx(30.0)
    # w* = 10/40 < 0.5 -> w = 0.5: (40 + 0.5*10) / 1.5 = 30
    assert env.nowcast([40.0, 10.0]) == pytest.approx(30.0)
    # w* = 30/40 = 0.75: (40 + 0.75*30) / 1.75
    assert env.nowcast([40.0, 30.0]) == pytest.approx((40 + 0.75 * 30) / 1.75)
    # a missing hour is skipped, its weight too
    assert env.nowcast([40.0, None, 40.0]) == pytest.approx(40.0)
    # fewer than two of the three latest hours -> no value
    assert env.nowcast([None, None, 40.0, 40.0]) is None
    assert env.nowcast([]) is None
    # only the last 12 hours count
    assert env.nowcast([10.0] * 12 + [1000.0]) == pytest.approx(10.0)


# --------------------------------------------------------------------------- vessels
VESSEL = {
    "vessel_id": "574100001", "name": "TTH 90123 TS", "registration": "TTH-90123-TS",
    "lat": 16.85, "long": 107.9, "sog": 8.5, "cog": 47.3,
    "time": "2026-11-23T09:15:02.250+07:00", "length_m": 18.0, "home_port": "Thuận An",
    "status": "underway",
}


def test_vessel_good_and_row():
    before = copy.deepcopy(VESSEL)
    out = vessels.SPEC.validate(VESSEL)
    assert VESSEL == before and out == VESSEL
    row = vessels.SPEC.row("574100001", out)
    assert set(row) == set(vessels.SPEC.columns)
    assert row["zone"] == "offshore" and row["fix_time"] == "2026-11-23T09:15:02+07:00"
    assert vessels.to_row("k", changed(out, length_m=13.0))["zone"] == "inshore"
    assert vessels.to_row("k", changed(out, length_m=11.9))["zone"] == "coastal"
    assert vessels.to_row("k", changed(out, length_m=None))["zone"] is None


def test_vessel_optional_and_not_available():
    out = vessels.SPEC.validate({"vessel_id": "x", "lat": 16.9, "long": 108.0,
                                 "time": "2026-11-23T02:00:00Z", "registration": None,
                                 "status": "some new status", "cog": 360})
    assert out["cog"] is None          # AIS "not available"
    assert out["registration"] is None and out["status"] == "some new status"
    assert vessels.SPEC.validate(changed(VESSEL, cog=359.9))["cog"] == 359.9
    assert vessels.SPEC.validate(changed(VESSEL, cog=0))["cog"] == 0.0


@pytest.mark.parametrize("changes,fragment", [
    ({"vessel_id": _DROP}, "data.vessel_id"),
    ({"vessel_id": ""}, "data.vessel_id"),
    ({"vessel_id": 574100001}, "data.vessel_id"),
    ({"lat": _DROP}, "data.lat"),
    ({"lat": "16.4"}, "data.lat"),
    ({"lat": 91}, "data.lat"),
    ({"long": 200}, "data.long"),
    ({"lat": 0, "long": 0}, "0,0"),
    ({"lat": math.nan}, "data.lat"),
    ({"time": _DROP}, "data.time"),
    ({"time": "2026-11-23T09:15:02"}, "data.time"),
    ({"time": 1732330502}, "data.time"),
    ({"sog": 60.1}, "data.sog"),
    ({"sog": -0.1}, "data.sog"),
    ({"sog": True}, "data.sog"),
    ({"cog": 360.1}, "data.cog"),
    ({"cog": -1}, "data.cog"),
    ({"cog": math.inf}, "data.cog"),
    ({"length_m": 0.5}, "data.length_m"),
    ({"length_m": 201}, "data.length_m"),
    ({"registration": "TTH90123TS"}, "data.registration"),
    ({"registration": "tth-90123-ts"}, "data.registration"),
    ({"registration": "TTH-90123-TSX"}, "data.registration"),
    ({"name": "x" * 101}, "data.name"),
    ({"status": "x" * 41}, "data.status"),
    ({"home_port": 5}, "data.home_port"),
])
def test_vessel_bad(changes, fragment):
    reject(vessels.SPEC, changed(VESSEL, **changes), fragment)


def test_vessel_hostile_text():
    out = vessels.SPEC.validate(changed(VESSEL, name=HOSTILE[:100], home_port="<svg onload=x>"))
    assert out["name"] == HOSTILE[:100] and out["home_port"] == "<svg onload=x>"


# --------------------------------------------------------------------------- alerts
POLY = "16.430,107.530 16.475,107.520 16.530,107.555 16.580,107.615 16.565,107.680 16.430,107.530"


def make_alert(**changes):
    alert = {
        "identifier": "HUE-IOC-20261123-00003", "sender": "ioc@hue.gov.vn",
        "sent": "2026-11-23T09:03:06+07:00", "status": "Actual", "msgType": "Alert",
        "scope": "Public",
        "info": [
            {"language": "vi-VN", "category": "Met", "event": "Lũ trên sông Hương",
             "urgency": "Expected", "severity": "Moderate", "certainty": "Likely",
             "headline": "Tin lũ", "expires": "2026-11-23T11:00:00+07:00",
             "effective": "2026-11-23T09:03:06+07:00",
             "area": [{"areaDesc": "Vùng trũng ven sông Hương", "polygon": POLY}]},
            {"language": "vi-VN", "category": ["Met", "Safety"], "event": "Lũ khẩn cấp",
             "urgency": "Immediate", "severity": "Severe", "certainty": "Observed",
             "headline": "Cảnh báo lũ trên BĐ2", "expires": "2026-11-23T03:30:00Z",
             "responseType": "Evacuate",
             "parameter": [{"valueName": "station", "value": "Kim Long"}],
             "area": [{"areaDesc": "Phường Kim Long", "circle": ["16.466,107.556 2.5"]},
                      {"areaDesc": "Vùng trũng ven sông Hương", "polygon": [POLY, POLY],
                       "geocode": [{"valueName": "commune", "value": "Kim Long"}],
                       "altitude": 0, "ceiling": 10}]},
        ],
    }
    for name, value in changes.items():
        if value is _DROP:
            alert.pop(name, None)
        else:
            alert[name] = value
    return alert


def test_alert_good_normalised_and_row():
    data = make_alert()
    before = copy.deepcopy(data)
    out = alerts.SPEC.validate(data)
    assert data == before, "validate must not change its input"
    info0, info1 = out["info"]
    assert info0["category"] == ["Met"] and info1["category"] == ["Met", "Safety"]
    assert info0["area"][0]["polygon"] == [POLY]                 # one text -> list
    assert info1["area"][1]["polygon"] == [POLY, POLY]
    assert info1["responseType"] == ["Evacuate"]
    assert info1["area"][1]["altitude"] == 0.0
    row = alerts.SPEC.row(out["identifier"], out)
    assert set(row) == set(alerts.SPEC.columns)
    assert row["severity"] == "Severe" and row["urgency"] == "Immediate"
    assert row["certainty"] == "Observed"
    assert (row["event"], row["headline"]) == ("Lũ khẩn cấp", "Cảnh báo lũ trên BĐ2")
    assert row["expires"] == "2026-11-23T11:00:00+07:00"        # the latest of the two
    assert row["effective"] == "2026-11-23T09:03:06+07:00"
    assert row["sent"] == "2026-11-23T09:03:06+07:00"
    assert row["area_desc"] == "Vùng trũng ven sông Hương; Phường Kim Long"
    assert alerts.key_of(out) == "HUE-IOC-20261123-00003"


def test_alert_cancel_without_info_and_references():
    out = alerts.SPEC.validate(make_alert(
        msgType="Cancel", info=_DROP,
        references="ioc@hue.gov.vn,HUE-IOC-20261123-00003,2026-11-23T09:03:06+07:00"))
    row = alerts.to_row("k", out)
    assert row["severity"] is None and row["event"] is None and row["area_desc"] is None
    assert out["references"].startswith("ioc@hue.gov.vn,HUE-IOC")
    assert alerts.SPEC.validate(make_alert(msgType="Ack", info=[]))["info"] == []


@pytest.mark.parametrize("mutate,fragments", [
    (lambda a: a.pop("identifier"), ["data.identifier"]),
    (lambda a: a.update(identifier="HUE IOC 1"), ["data.identifier"]),
    (lambda a: a.update(identifier="a,b"), ["data.identifier"]),
    (lambda a: a.update(sender="<x>&y"), ["data.sender"]),
    (lambda a: a.pop("sent"), ["data.sent"]),
    (lambda a: a.update(sent="2026-11-23T09:03:06"), ["data.sent"]),
    (lambda a: a.update(status="Real"), ["data.status"]),
    (lambda a: a.update(msgType="Warning"), ["data.msgType"]),
    (lambda a: a.update(scope="Everyone"), ["data.scope"]),
    (lambda a: a.update(references="ioc@hue.gov.vn,HUE-1"), ["data.references"]),
    (lambda a: a.update(references="a,b,not-a-time"), ["data.references"]),
    (lambda a: a.pop("info"), ["data.info", "at least one"]),
    (lambda a: a.update(info=[]), ["data.info", "at least one"]),
    (lambda a: a.update(info=a["info"][0]), ["data.info", "expected a list"]),
    (lambda a: a.update(info=["Lũ"]), ["data.info[0]", "object"]),
    (lambda a: a["info"][1].update(severity="High"), ["data.info[1].severity"]),
    (lambda a: a["info"][1].pop("urgency"), ["data.info[1].urgency"]),
    (lambda a: a["info"][0].update(certainty="Very Likely"), ["data.info[0].certainty"]),
    (lambda a: a["info"][0].update(category="Weather"), ["data.info[0].category[0]"]),
    (lambda a: a["info"][0].update(category=[]), ["data.info[0].category"]),
    (lambda a: a["info"][0].pop("category"), ["data.info[0].category"]),
    (lambda a: a["info"][0].pop("event"), ["data.info[0].event"]),
    (lambda a: a["info"][1].update(responseType="Run"), ["data.info[1].responseType[0]"]),
    (lambda a: a["info"][0].update(expires="tomorrow"), ["data.info[0].expires"]),
    (lambda a: a["info"][0].update(headline="x" * 501), ["data.info[0].headline"]),
    (lambda a: a["info"][0].update(area={"areaDesc": "x"}), ["data.info[0].area", "list"]),
    (lambda a: a["info"][0]["area"][0].pop("areaDesc"), ["data.info[0].area[0].areaDesc"]),
    (lambda a: a["info"][1].update(parameter=[{"valueName": "x", "value": 1}]),
     ["data.info[1].parameter[0].value"]),
    # CAP polygons
    (lambda a: a["info"][0]["area"][0].update(
        polygon="16.43,107.53 16.47,107.52 16.53,107.55 16.58,107.61"),
     ["data.info[0].area[0].polygon[0]", "not closed"]),
    (lambda a: a["info"][0]["area"][0].update(
        polygon="16.43,107.53 16.47 107.52 16.53,107.55 16.43,107.53"),
     ["data.info[0].area[0].polygon[0]", "pair 2"]),
    (lambda a: a["info"][0]["area"][0].update(
        polygon="16.43,107.53,5 16.47,107.52 16.53,107.55 16.43,107.53,5"),
     ["data.info[0].area[0].polygon[0]", "pair 1"]),
    (lambda a: a["info"][0]["area"][0].update(polygon="16.43,107.53 16.47,107.52 16.43,107.53"),
     ["data.info[0].area[0].polygon[0]", "3 coordinate pairs"]),
    (lambda a: a["info"][0]["area"][0].update(
        polygon="91.0,107.53 16.47,107.52 16.53,107.55 91.0,107.53"),
     ["data.info[0].area[0].polygon[0]", "latitude"]),
    (lambda a: a["info"][0]["area"][0].update(
        polygon="16.43,nan 16.47,107.52 16.53,107.55 16.43,nan"),
     ["data.info[0].area[0].polygon[0]", "finite"]),
    (lambda a: a["info"][0]["area"][0].update(polygon=[POLY, 5]),
     ["data.info[0].area[0].polygon[1]"]),
    (lambda a: a["info"][0]["area"][0].update(polygon={"ring": POLY}),
     ["data.info[0].area[0].polygon"]),
    # CAP circles
    (lambda a: a["info"][1]["area"][0].update(circle="16.466,107.556"),
     ["data.info[1].area[0].circle[0]"]),
    (lambda a: a["info"][1]["area"][0].update(circle="16.466,107.556 -1"),
     ["data.info[1].area[0].circle[0]", "radius"]),
    (lambda a: a["info"][1]["area"][0].update(circle="16.466,200 1"),
     ["data.info[1].area[0].circle[0]", "longitude"]),
    (lambda a: a["info"][1]["area"][1].pop("altitude"), ["data.info[1].area[1].ceiling"]),
])
def test_alert_bad(mutate, fragments):
    data = make_alert()
    mutate(data)
    reject(alerts.SPEC, data, *fragments)


def test_alert_hostile_text_passes_unchanged():
    data = make_alert()
    data["info"][0].update(headline=HOSTILE, description=HOSTILE, instruction=HOSTILE)
    data["info"][0]["area"][0]["areaDesc"] = HOSTILE
    out = alerts.SPEC.validate(data)
    assert out["info"][0]["headline"] == HOSTILE
    assert out["info"][0]["description"] == HOSTILE
    assert out["info"][0]["area"][0]["areaDesc"] == HOSTILE


def test_alert_main_info_prefers_vietnamese():
    data = make_alert()
    english = copy.deepcopy(data["info"][1])
    english.update(language="en-US", headline="Flood warning")
    data["info"] = [english, data["info"][1]]
    out = alerts.SPEC.validate(data)
    assert alerts.to_row("k", out)["headline"] == "Cảnh báo lũ trên BĐ2"
