"""Duplicate suggestions (same category, still open, within 50 m: at 40 m yes, at 80 m
no) and the agency export (its reports only; the reporter's identity nowhere, not even
quoted in a note, in any spelling the module promises)."""
from __future__ import annotations

import csv
import io
import json
import math

import pytest

from ioc_desktop.store.batch import EventRecord
from ioc_desktop.store.store import Store
from plugins.reports import schema, workflow
from plugins.reports.duplicates import EARTH_RADIUS_M, haversine_m, suggest_duplicates
from plugins.reports.export import REDACTED, Redactor, export_for_agency

LAT, LON = 16.4637, 107.5909
M_PER_DEG = math.radians(1) * EARTH_RADIUS_M


def north(m: float) -> tuple[float, float]:
    return LAT + m / M_PER_DEG, LON


def east(m: float) -> tuple[float, float]:
    return LAT, LON + m / (M_PER_DEG * math.cos(math.radians(LAT)))


def report(key: str, at: tuple[float, float] | None = (LAT, LON), **fields) -> dict:
    data = {"service_request_id": key, "service_code": "HTGT", "status": "open",
            "ioc_status": "received", "requested_datetime": "2026-11-23T08:00:00+07:00",
            "description": "Ổ gà lớn trên đường Lê Lợi."}
    if at is not None:
        data["lat"], data["long"] = at
    data.update(fields)
    return schema.SPEC.validate(data)


@pytest.fixture
def store(tmp_path):
    s = Store(tmp_path / "cache.sqlite", [schema.SPEC])
    s.seq = 0

    def put(*reports):
        events = []
        for d in reports:
            s.seq += 1
            events.append(EventRecord("reports", s.seq, None, "upsert", d["service_request_id"], d))
        s.apply(events)

    s.put = put
    yield s
    s.close()


# --------------------------------------------------------------------------- duplicates
def test_haversine_matches_the_metre_per_degree():
    assert haversine_m(LAT, LON, *north(40)) == pytest.approx(40, abs=1e-6)
    assert haversine_m(LAT, LON, *east(80)) == pytest.approx(80, abs=1e-3)


def test_duplicates_at_40_m_not_at_80_m(store):
    new = report("NEW")
    store.put(new,
              report("N40", north(40)), report("E30", east(30)),
              report("N80", north(80)), report("E80", east(80)),
              report("N49", north(49.9)), report("N51", north(50.1)))
    found = suggest_duplicates(store.conn, new)
    assert [k for k, _ in found] == ["E30", "N40", "N49"]
    assert [round(d, 1) for _, d in found] == [30.0, 40.0, 49.9]
    # a wider radius finds the others, nearest first; limit cuts
    wide = [k for k, _ in suggest_duplicates(store.conn, new, radius_m=100, limit=10)]
    assert wide[:4] == ["E30", "N40", "N49", "N51"] and sorted(wide[4:]) == ["E80", "N80"]
    assert [k for k, _ in suggest_duplicates(store.conn, new, radius_m=100, limit=2)] == ["E30", "N40"]


@pytest.mark.parametrize("fields", [
    {"service_code": "VSMT"},                                   # another category
    {"status": "closed", "ioc_status": "closed"},
    {"status": "closed", "ioc_status": "rejected"},
    {"status": "closed", "ioc_status": "rejected", "merged_into": "OTHER"},
    {"merged_into": "OTHER"},                                   # merged, even if open
])
def test_not_duplicates(store, fields):
    new = report("NEW")
    store.put(new, report("OLD", north(20), **fields))
    assert suggest_duplicates(store.conn, new) == []


@pytest.mark.parametrize("state", ["received", "verified", "assigned", "in_progress", "resolved"])
def test_open_states_are_candidates(store, state):
    new = report("NEW")
    store.put(new, report("OLD", north(20), ioc_status=state,
                          agency_responsible="Sở Xây dựng" if state != "received" else None))
    assert [k for k, _ in suggest_duplicates(store.conn, new)] == ["OLD"]


def test_no_position_no_suggestion(store):
    store.put(report("OLD"))
    assert suggest_duplicates(store.conn, report("NEW", at=None, address="Lê Lợi")) == []
    # a report is not its own duplicate
    assert suggest_duplicates(store.conn, report("OLD")) == []


# --------------------------------------------------------------------------- export
NAME, PHONE = "Nguyễn Thị Hoa", "0912 345 678"
AGENCY = "UBND phường Phú Hội"
NOTES = (f"Đã gọi lại cho chị {NAME} lúc 9 giờ",
         "nguyen thi hoa xác nhận vị trí",               # no diacritics, lower case
         "NGUYỄN THỊ HOA gửi thêm ảnh",                   # upper case
         "liên hệ Nguyễn  Thị-Hoa",                        # other spacing, punctuation
         "SĐT 0912.345.678 hoặc (091) 234-5678",          # other punctuation
         "gọi +84 912 345 678",                            # international form
         f"=HYPERLINK(\"http://x\"; \"{PHONE}\")")          # a formula, with the phone


def dispatched(key: str, *, agency: str = AGENCY, reporter: dict | None = None, **fields) -> dict:
    data = report(key, reporter=reporter or {"name": NAME, "phone": PHONE}, **fields)
    t = workflow.parse_time("2026-11-23T08:10:00+07:00")
    sup = (workflow.SUPERVISOR,)
    data = workflow.apply_action(data, "verify", {}, user="Ca trực", roles=sup, now=t)[key]
    data = workflow.apply_action(data, "assign", {"agency": agency}, user="Ca trực", roles=sup,
                                 now=t)[key]
    for note in NOTES:
        data = workflow.apply_action(data, "note", {"text": note}, user="Ca trực", roles=sup,
                                     now=t)[key]
    data["history"][-1]["reporter"] = {"name": "Trần Văn Bình", "phone": "0987654321"}
    data["status_notes"] = f"Cảm ơn {NAME}!"
    data["x_vendor"] = {NAME: PHONE, "contact": [PHONE]}
    return schema.SPEC.validate(data)


IDENTITIES = ("Nguyễn Thị Hoa", "nguyen thi hoa", "NGUYỄN THỊ HOA", "Nguyễn  Thị-Hoa", "Hoa",
              "0912 345 678", "0912.345.678", "(091) 234-5678", "912 345 678", "345",
              "Trần Văn Bình", "0987654321")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_has_the_agencys_reports_without_the_reporter(store, fmt):
    store.put(dispatched("A1"), dispatched("A2"),
              dispatched("OTHER", agency="Sở Xây dựng"), report("NEW"))
    out = export_for_agency(store.conn, AGENCY, fmt)
    for identity in IDENTITIES:
        assert identity.lower() not in out.lower(), identity
    assert workflow.fold("nguyen thi hoa") not in workflow.fold(out)
    assert out.count(REDACTED) >= 2 * 8
    if fmt == "json":
        body = json.loads(out)
        assert body["agency"] == AGENCY
        reports = body["reports"]
        assert [r["service_request_id"] for r in reports] == ["A1", "A2"]
        assert all("reporter" not in r for r in reports)
        assert all("reporter" not in h for r in reports for h in r["history"])
        notes = [h.get("note") for h in reports[0]["history"] if h["action"] == "note"]
        assert notes[0] == f"Đã gọi lại cho chị {REDACTED} lúc 9 giờ"
        assert notes[4] == f"SĐT {REDACTED} hoặc {REDACTED}"
        assert notes[5] == f"gọi {REDACTED}"
        assert reports[0]["description"] == "Ổ gà lớn trên đường Lê Lợi."   # the rest kept
    else:
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0][0] == "service_request_id" and [r[0] for r in rows[1:]] == ["A1", "A2"]
        history = json.loads(rows[1][rows[0].index("history")])
        assert [h["action"] for h in history][:2] == ["verify", "assign"]
        # a cell a spreadsheet would run is quoted
        assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_export_hides_the_reporters_of_merged_reports(store):
    first = dispatched("A1")
    other = report("B1", reporter={"name": "Lê Văn Tám", "phone": "0905111222"})
    store.put(other)
    merged = workflow.apply_action(other, "merge", {"into": "A1"}, user="Ca trực",
                                   roles=(workflow.SUPERVISOR,), now=workflow.parse_time(
                                       "2026-11-23T09:00:00+07:00"), lookup={"A1": first}.get)
    target = dict(merged["A1"])
    target = workflow.apply_action(target, "note", {"text": "Ông Lê Văn Tám (0905 111 222) "
                                                            "cũng phản ánh"},
                                   user="Ca trực", roles=(workflow.SUPERVISOR,),
                                   now=workflow.parse_time("2026-11-23T09:01:00+07:00"))["A1"]
    store.put(schema.SPEC.validate(target), schema.SPEC.validate(merged["B1"]))
    out = export_for_agency(store.conn, AGENCY, "json")
    assert "Tám" not in out and "0905 111 222" not in out and "B1" in out


def test_export_of_an_agency_with_nothing(store):
    store.put(dispatched("A1"))
    assert json.loads(export_for_agency(store.conn, "Công an phường Vỹ Dạ", "json"))["reports"] == []
    assert export_for_agency(store.conn, "Công an phường Vỹ Dạ", "csv").count("\n") == 1
    with pytest.raises(ValueError):
        export_for_agency(store.conn, AGENCY, "xml")


@pytest.mark.parametrize("text,expected", [
    ("anh Nguyễn Văn A đến", f"anh {REDACTED} đến"),
    ("NGUYEN VAN A", REDACTED),
    ("Nguyễn Văn An", "Nguyễn Văn An"),                 # another name: whole words only
    ("Nguye\u0302\u0303n Va\u0306n A!", f"{REDACTED}!"),    # decomposed diacritics
    ("0912345678 và 0912 34 56 78", f"{REDACTED} và {REDACTED}"),
    ("09123456789", "09123456789"),                     # a longer number is another
    ("ÑguyenVanA", REDACTED),                          # Ñ folds to n
    ("Nguyễn Văn Anh", "Nguyễn Văn Anh"),
    ("nguyenvana", REDACTED),
])
def test_redactor_spellings(text, expected):
    assert Redactor(["Nguyễn Văn A"], ["0912 345 678"]).text(text) == expected
