"""Real Open311 and CAP 1.2 payloads (shared/fixtures, outside the repository) map onto
the topics' data and pass their validators; the CAP geometry parsers and the XML
safety rules hold."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ioc_desktop.interop import safe_fromstring, to_local_time
from ioc_desktop.interop import cap, open311
from plugins.alerts import schema as alerts
from plugins.reports import schema as reports

FIXTURES = Path(__file__).parents[1].parent / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(
    not FIXTURES.is_dir(),
    reason=f"shared fixtures not found at {FIXTURES} (they live beside the repository, "
           "not in it)")


def fixture(name: str) -> Path:
    path = FIXTURES / name
    assert path.is_file(), f"fixture {name} missing from {FIXTURES}"
    return path


# --------------------------------------------------------------------------- all fixtures
@needs_fixtures
def test_every_fixture_is_covered_and_validates():
    """Every open311_* and cap12_* fixture parses; requests and alerts validate."""
    seen = 0
    for path in sorted(FIXTURES.glob("open311_*")):
        seen += 1
        if path.suffix == ".json":
            records = open311.requests_from_json(path.read_text(encoding="utf-8"))
        elif "services" in path.name:
            assert open311.services_from_xml(path.read_bytes())
            continue
        elif "service_definition" in path.name:
            assert open311.service_definition_from_xml(path.read_bytes())["attributes"]
            continue
        else:
            records = open311.requests_from_xml(path.read_bytes())
        assert records, path.name
        for record in records:
            data = reports.SPEC.validate(record)
            row = reports.SPEC.row(data["service_request_id"], data)
            assert set(row) == set(reports.SPEC.columns)
    for path in sorted(FIXTURES.glob("cap12_*.xml")):
        seen += 1
        data = alerts.SPEC.validate(cap.alert_from_xml(path.read_bytes()))
        assert set(alerts.SPEC.row(data["identifier"], data)) == set(alerts.SPEC.columns)
    assert seen >= 8, f"expected the 8 Open311/CAP fixtures, found {seen}"


# --------------------------------------------------------------------------- Open311
@needs_fixtures
def test_open311_sf_requests_xml():
    records = open311.requests_from_xml(fixture("open311_service_requests.xml").read_bytes())
    assert [r["service_request_id"] for r in records] == ["638344", "638349"]
    first, second = (reports.SPEC.validate(r) for r in records)
    assert (first["status"], first["ioc_status"]) == ("closed", "closed")
    assert (second["status"], second["ioc_status"]) == ("open", "received")
    assert first["lat"] == pytest.approx(37.762221815) and first["long"] == pytest.approx(-122.4651145)
    assert isinstance(first["lat"], float)
    assert first["service_code"] == "006" and first["status_notes"] == "Duplicate request."
    # the real feed's trailing space is gone; empty elements are left out; extras kept
    assert first["media_url"] == "http://open311.city.gov.s3.amazonaws.com/requests/media/638344.rss"
    assert "description" not in first and "service_notice" not in first
    assert first["zipcode"] == "94122" and first["address_id"] == "545483"
    assert reports.to_row("638344", first)["requested_datetime"] == "2010-04-14T21:37:38+07:00"


@needs_fixtures
def test_open311_chicago_extended_json():
    raw = json.loads(fixture("open311_chicago_requests_extended.json").read_text(encoding="utf-8"))
    records = open311.requests_from_json(raw)
    assert len(records) == 50
    data = [reports.SPEC.validate(r) for r in records]
    assert data[0]["service_request_id"] == "14-00684314"
    assert data[0]["service_name"] == "Pothole in Street"
    assert data[0]["channel"] == "hotline"                  # extended_attributes.channel "phone"
    assert data[0]["extended_attributes"]["ward"] == "21"
    assert len(data[0]["notes"]) == 7 and data[0]["notes"][-1]["type"] == "closed"
    statuses = [d["status"] for d in data]
    assert statuses.count("closed") == 49 and statuses.count("open") == 1
    assert all(d["ioc_status"] == ("closed" if d["status"] == "closed" else "assigned")
               for d in data)                               # Chicago always names an agency
    assert len({d["service_request_id"] for d in data}) == 50


@needs_fixtures
def test_open311_sf_extended_attributes_json():
    (record,) = open311.requests_from_json(
        fixture("open311_sf_extended_attributes_example.json").read_text(encoding="utf-8"))
    data = reports.SPEC.validate(record)
    assert data["service_request_id"] == "4944710"
    assert data["channel"] == "android"                      # foreign channel kept as text
    assert data["extended_attributes"]["photos"][0]["width"] == 864
    assert data["attributes"][0]["code"] == "Other_loose_garbage_debris_yard_waste"
    assert data["ioc_status"] == "received"
    assert (data["lat"], data["long"]) == (37.7797, -122.42)


@needs_fixtures
def test_open311_services_xml_with_soap_namespaces():
    services = open311.services_from_xml(fixture("open311_services_sf311.xml").read_text(encoding="utf-8"))
    assert len(services) == 36
    first = services[0]
    assert first["service_code"] == "001" and first["service_name"] == "Cans_Left_Out_24x7"
    assert first["metadata"] is False and first["type"] == "realtime"
    assert first["keywords"] == [] and first["group"] == "Litter Receptacles"
    assert first["description"].startswith("Garbage or recycling cans")
    assert len({s["service_code"] for s in services}) == 36


@needs_fixtures
def test_open311_service_definition_attribute_directly_under_root():
    text = fixture("open311_service_definition.xml").read_text(encoding="utf-8")
    definition = open311.service_definition_from_xml(text)
    assert definition["service_code"] == "DMV66"
    (attr,) = definition["attributes"]
    assert attr["code"] == "WHISHETN" and attr["datatype"] == "singlevaluelist"
    assert attr["variable"] is True and attr["required"] is True and attr["order"] == 1
    assert attr["values"] == [{"key": "123", "name": "Ford"}, {"key": "124", "name": "Chrysler"}]
    # the spec's own shape (<attributes> wrapper) gives the same
    start, end = text.index("<attribute>"), text.rindex("</attribute>") + len("</attribute>")
    wrapped = text[:start] + "<attributes>" + text[start:end] + "</attributes>" + text[end:]
    assert open311.service_definition_from_xml(wrapped) == definition


def test_open311_json_quirks():
    records = open311.requests_from_json({"service_requests": [
        {"service_request_id": 17, "service_code": 6, "status": "Open", "lat": "16.46",
         "long": "107.59", "requested_datetime": "2026-11-23T09:00:00+07:00",
         "description": "  ", "agency_responsible": ""},
        {"service_request_id": "18", "service_code": "x", "status": "closed", "lat": 0, "long": 0,
         "requested_datetime": "2026-11-23T09:00:00+07:00", "expected_datetime": ""},
    ]})
    a, b = (reports.SPEC.validate(r) for r in records)
    assert (a["service_request_id"], a["service_code"], a["status"]) == ("17", "6", "open")
    assert (a["lat"], a["long"]) == (16.46, 107.59)
    assert "description" not in a and a["ioc_status"] == "received"
    assert "lat" not in b and "expected_datetime" not in b     # 0,0 and "" mean "none"
    assert open311.requests_from_json({"service_request_id": "1", "status": "open"})[0]["ioc_status"] \
        == "received"
    with pytest.raises(ValueError, match="service_request_id"):
        open311.requests_from_json([{"status": "open"}])
    with pytest.raises(ValueError, match="lat"):
        open311.requests_from_json([{"service_request_id": "1", "lat": "north"}])
    with pytest.raises(ValueError):
        open311.requests_from_json({"unrelated": True})
    with pytest.raises(ValueError):
        open311.requests_from_json("42")


def test_open311_wrong_documents():
    with pytest.raises(ValueError, match="not an Open311"):
        open311.requests_from_xml("<services/>")
    with pytest.raises(ValueError, match="not an Open311"):
        open311.services_from_xml("<service_requests/>")
    with pytest.raises(ValueError, match="true/false"):
        open311.services_from_xml("<services><service><metadata>maybe</metadata></service></services>")


# --------------------------------------------------------------------------- CAP
@needs_fixtures
def test_cap_a2_polygon():
    data = alerts.SPEC.validate(cap.alert_from_xml(
        fixture("cap12_spec_A2_severe_thunderstorm_polygon.xml").read_bytes()))
    assert data["identifier"] == "KSTO1055887203" and data["msgType"] == "Alert"
    (info,) = data["info"]
    assert info["category"] == ["Met"] and info["responseType"] == ["Shelter"]
    assert info["eventCode"] == [{"valueName": "SAME", "value": "SVR"}]
    (area,) = info["area"]
    (polygon,) = area["polygon"]
    points = cap.parse_polygon(polygon)
    assert len(points) == 5 and points[0] == points[-1] == (38.47, -120.14)
    assert [g["value"] for g in area["geocode"]] == ["006109", "006009", "006003"]
    row = alerts.to_row(data["identifier"], data)
    assert (row["severity"], row["urgency"], row["event"]) == ("Severe", "Immediate", "SEVERE THUNDERSTORM")
    assert row["expires"] == to_local_time("2003-06-17T16:00:00-07:00")
    assert row["area_desc"].startswith("EXTREME NORTH CENTRAL TUOLUMNE COUNTY")


@needs_fixtures
def test_cap_a3_update_circle():
    data = alerts.SPEC.validate(cap.alert_from_xml(
        fixture("cap12_spec_A3_earthquake_update_circle.xml").read_text(encoding="utf-8")))
    assert data["msgType"] == "Update"
    assert cap.parse_references(data["references"]) == [
        ("trinet@caltech.edu", "TRI13970876.1", "2003-06-11T20:30:00-07:00")]
    (info,) = data["info"]
    assert cap.parse_circle(info["area"][0]["circle"][0]) == (32.9525, -115.5527, 0.0)
    assert [p["valueName"] for p in info["parameter"]] == ["EventID", "Version", "Magnitude",
                                                           "Depth", "Quality"]


@needs_fixtures
def test_cap_real_noaa_tsunami_update():
    data = alerts.SPEC.validate(cap.alert_from_xml(
        fixture("cap12_real_noaa_tsunami_cancellation_circle.xml").read_bytes()))
    assert data["identifier"] == "PAAQ-4-mg5a94" and data["msgType"] == "Update"
    assert data["code"] == ["IPAWSv1.0"] and data["incidents"] == "mg5a94"
    assert "Signature" not in data                          # XML-DSig ignored
    refs = cap.parse_references(data["references"])
    assert [r[1] for r in refs] == ["PAAQ-1-mg5a94", "PAAQ-2-mg5a94", "PAAQ-3-mg5a94"]
    (info,) = data["info"]
    assert info["event"] == "Tsunami Cancellation"
    assert info["resource"][0]["mimeType"] == "application/json"
    assert info["area"][0]["circle"] == ["55.3,-134.9 0.0"]
    assert cap.parse_circle(info["area"][0]["circle"][0]) == (55.3, -134.9, 0.0)
    row = alerts.to_row(data["identifier"], data)
    assert (row["severity"], row["urgency"], row["certainty"]) == ("Unknown", "Past", "Unlikely")
    assert row["sent"] == "2013-01-05T17:58:23+07:00"


# --------------------------------------------------------------------------- CAP geometry
def test_parse_polygon_good_and_tolerant():
    ring = "38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89 38.47,-120.14"
    points = cap.parse_polygon(ring)
    assert len(points) == 5 and points[1] == (38.34, -119.95)
    # a space after the comma, newlines between pairs, different spellings of one number
    assert cap.parse_polygon("38.47, -120.14\n 38.34,-119.95 38.52,-119.74 38.470,-120.140") \
        == [(38.47, -120.14), (38.34, -119.95), (38.52, -119.74), (38.47, -120.14)]


@pytest.mark.parametrize("text,fragment", [
    ("", "empty"),
    ("38.47,-120.14 38.34,-119.95 38.52,-119.74 38.62,-119.89", "not closed"),
    ("38.47,-120.14 38.34,-119.95 38.47,-120.14", "3 coordinate pairs"),
    ("38.47 -120.14 38.34 -119.95 38.52 -119.74 38.47 -120.14", "expected 'lat,lon'"),
    ("38.47,-120.14,0 38.34,-119.95 38.52,-119.74 38.47,-120.14,0", "pair 1"),
    ("38.47,-120.14 38.34,abc 38.52,-119.74 38.47,-120.14", "pair 2 longitude"),
    ("38.47,-120.14 95,-119.95 38.52,-119.74 38.47,-120.14", "pair 2 latitude"),
    ("38.47,-190 38.34,-119.95 38.52,-119.74 38.47,-190", "pair 1 longitude"),
    ("38.47,inf 38.34,-119.95 38.52,-119.74 38.47,inf", "finite"),
    ("1,1 1,1 1,1 1,1", "degenerate"),
])
def test_parse_polygon_errors(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        cap.parse_polygon(text)


def test_parse_polygon_not_text():
    with pytest.raises(ValueError, match="text"):
        cap.parse_polygon([(1, 2)])


@pytest.mark.parametrize("text,expected", [
    ("32.9525,-115.5527 0", (32.9525, -115.5527, 0.0)),
    ("16.466, 107.556 2.5", (16.466, 107.556, 2.5)),
])
def test_parse_circle(text, expected):
    assert cap.parse_circle(text) == expected


@pytest.mark.parametrize("text,fragment", [
    ("32.9525,-115.5527", "expected 'lat,lon radius'"),
    ("32.9525,-115.5527 1 2", "expected 'lat,lon radius'"),
    ("32.9525,-115.5527 -1", "radius"),
    ("32.9525,-115.5527 nan", "radius"),
    ("32.9525,-115.5527 30000", "radius"),
    ("32.9525 -115.5527", "lat,lon"),
    ("-95,10 1", "latitude"),
])
def test_parse_circle_errors(text, fragment):
    with pytest.raises(ValueError, match=fragment):
        cap.parse_circle(text)


def test_references_round_trip():
    refs = [("a@b", "ID-1", "2026-11-23T09:00:00+07:00"), ("a@b", "ID-2", "2026-11-23T09:05:00+07:00")]
    assert cap.parse_references(cap.format_references(refs)) == refs
    assert cap.parse_references("") == []
    with pytest.raises(ValueError, match="reference 1"):
        cap.parse_references("a@b,ID-1")


# --------------------------------------------------------------------------- XML safety
BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"><identifier>&lol2;</identifier></alert>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!doctype r [<!entity x SYSTEM "file:///etc/passwd">]><service_requests>&x;</service_requests>"""


@pytest.mark.parametrize("parse", [cap.alert_from_xml, open311.requests_from_xml,
                                   open311.services_from_xml, open311.service_definition_from_xml])
@pytest.mark.parametrize("doc", [BILLION_LAUGHS, EXTERNAL_ENTITY, BILLION_LAUGHS.encode()])
def test_xml_with_dtd_or_entities_is_refused(parse, doc):
    with pytest.raises(ValueError, match="DOCTYPE or ENTITY"):
        parse(doc)


def test_xml_other_refusals():
    with pytest.raises(ValueError, match="malformed"):
        safe_fromstring("<alert><info></alert>")
    with pytest.raises(ValueError, match="UTF-8"):
        safe_fromstring('<?xml version="1.0" encoding="UTF-16"?><a/>'.encode("utf-16"))
    with pytest.raises(ValueError, match="larger"):
        safe_fromstring("<a>" + "x" * 100 + "</a>", max_bytes=50)
    with pytest.raises(ValueError, match="not a CAP 1.2 alert"):
        cap.alert_from_xml("<alert><identifier>x</identifier></alert>")   # no CAP namespace
    with pytest.raises(ValueError, match="not a CAP 1.2 alert"):
        cap.alert_from_xml('<feed xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>')
    # a UTF-8 BOM and a declaration are fine
    assert safe_fromstring('\ufeff<?xml version="1.0" encoding="UTF-8"?><a>é</a>'.encode("utf-8")).text == "é"


def test_cap_single_texts_and_empty_elements():
    doc = """<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">
      <identifier>X-1</identifier><sender>s@x</sender><sent>2026-11-23T09:00:00+07:00</sent>
      <status>Exercise</status><msgType>Alert</msgType><scope>Public</scope><note/>
      <info><category>Met</category><category>Safety</category><event>Lũ</event>
        <urgency>Immediate</urgency><severity>Severe</severity><certainty>Likely</certainty>
        <area><areaDesc>  Huế  </areaDesc><circle>16.46,107.59 5</circle><altitude>10</altitude></area>
      </info></alert>"""
    data = alerts.SPEC.validate(cap.alert_from_xml(doc))
    assert "note" not in data
    assert data["info"][0]["category"] == ["Met", "Safety"]
    assert data["info"][0]["area"][0] == {"areaDesc": "Huế", "circle": ["16.46,107.59 5"],
                                          "altitude": 10.0}
