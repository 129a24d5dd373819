"""The map's fast path for points: typed-array diffs, one canvas per layer drawn from
them, counted circles where markers would overlap, clicks hit-tested on what was drawn.

Pixels are read from a grab of the widget, as the other map tests do.
"""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
from PySide6 import QtCore, QtGui
from PySide6.QtTest import QTest

from qthelpers import js
from widgets.map_layer import MapLayer
from widgets.map_view import MapView

READY_TIMEOUT_MS = 20000
MAGENTA = "#ff00ff"
GREEN = "#00c000"
SELECT = "#00e5ff"      # ioc_map.js SELECT_COLOR
CITY = (16.4637, 107.5909)


@pytest.fixture
def view(qtbot) -> MapView:
    v = MapView(center=CITY, zoom=12, tiles=False)
    qtbot.addWidget(v)
    v.resize(800, 600)
    v.show()
    qtbot.waitUntil(lambda: v.is_ready, timeout=READY_TIMEOUT_MS)
    return v


def dot(key, lat, lon, fill=MAGENTA, radius=7, **extra):
    return {"key": key, "kind": "point", "lat": lat, "lon": lon, "radius": radius, "color": fill,
            "fill": fill, "fill_opacity": 1.0, "weight": 1, "title": f"title {key}", **extra}


def sent_scripts(view, monkeypatch) -> list[str]:
    scripts: list[str] = []
    real = view.web_page.runJavaScript

    def spy(script, *args):
        scripts.append(script)
        return real(script, *args)
    monkeypatch.setattr(view.web_page, "runJavaScript", spy)
    return scripts


def drawn(view, qtbot) -> None:
    """Wait until the page has drawn everything sent so far."""
    view.run_js("0")                      # flushes what is pending
    target = view.sent_seq
    qtbot.waitUntil(lambda: view.drawn_seq >= target, timeout=5000)


def colour_at(view, x, y) -> QtGui.QColor:
    return view.grab().toImage().pixelColor(round(x), round(y))


def near(c: QtGui.QColor, hex_colour: str, tol: int = 10) -> bool:
    t = QtGui.QColor(hex_colour)
    return abs(c.red() - t.red()) <= tol and abs(c.green() - t.green()) <= tol and abs(c.blue() - t.blue()) <= tol


def wait_colour(qtbot, view, xy, hex_colour, present=True, timeout=8000, tol=10):
    qtbot.waitUntil(lambda: near(colour_at(view, *xy), hex_colour, tol) is present, timeout=timeout)


def hover(view, x, y) -> None:
    """Move the mouse to (x, y), from elsewhere: Qt sends no move to where it already is."""
    target = view.web_view.focusProxy()
    QTest.mouseMove(target, QtCore.QPoint(round(x) + 25, round(y) + 25))
    QTest.mouseMove(target, QtCore.QPoint(round(x), round(y)))


def point_xy(view, qtbot, layer, key):
    return js(view, qtbot, f"ioc.containerPoint({json.dumps(layer)}, {json.dumps(key)})")


# ---- drawn, moved, removed ---------------------------------------------------------

def test_points_are_drawn_moved_and_removed(view, qtbot):
    view.add_layer("p", "Points", 5)
    view.apply_diff("p", [dot("a", 16.47, 107.57), dot("b", 16.45, 107.62, fill=GREEN)])
    drawn(view, qtbot)
    a = point_xy(view, qtbot, "p", "a")
    b = point_xy(view, qtbot, "p", "b")
    wait_colour(qtbot, view, a, MAGENTA)
    wait_colour(qtbot, view, b, GREEN)

    view.apply_diff("p", [dot("a", 16.49, 107.55)])           # moved
    drawn(view, qtbot)
    a2 = point_xy(view, qtbot, "p", "a")
    assert math.dist(a, a2) > 30
    wait_colour(qtbot, view, a2, MAGENTA)
    wait_colour(qtbot, view, a, MAGENTA, present=False)
    assert js(view, qtbot, "ioc.latLng('p', 'a')") == [16.49, 107.55]

    view.apply_diff("p", [], removes=["b"])                    # removed
    drawn(view, qtbot)
    wait_colour(qtbot, view, b, GREEN, present=False)
    assert js(view, qtbot, "ioc.keys('p')") == ["a"]
    assert not list(view.js_errors)


def test_a_move_sends_positions_only_and_changes_send_only_what_changed(view, qtbot, monkeypatch):
    view.add_layer("p", "Points")
    feats = [dot(f"k{i}", 16.40 + i * 1e-4, 107.50 + i * 1e-4, fields=[["Status", "new"]]) for i in range(5000)]
    view.apply_diff("p", feats)
    drawn(view, qtbot)
    scripts = sent_scripts(view, monkeypatch)

    view.apply_diff("p", [dict(f, lat=f["lat"] + 0.001) for f in feats])
    drawn(view, qtbot)
    move = next(s for s in scripts if "ioc.points(" in s)
    assert '"plat"' in move and '"meta"' not in move and '"sv"' not in move and '"add"' not in move
    assert "title" not in move and "k4999" not in move
    assert len(move) < 5000 * 12            # 8 bytes a point, base64: < 11 characters
    assert js(view, qtbot, "ioc.latLng('p', 'k4999')") == pytest.approx([feats[-1]["lat"] + 0.001, feats[-1]["lon"]])

    scripts.clear()
    view.apply_diff("p", [dict(feats[7], lat=feats[7]["lat"] + 0.001, fill=GREEN, color=GREEN)])   # a new look
    drawn(view, qtbot)
    change = next(s for s in scripts if "ioc.points(" in s)
    assert '"sv"' in change and '"st"' in change and '"meta"' not in change

    scripts.clear()
    view.apply_diff("p", [dict(feats[8], lat=feats[8]["lat"] + 0.001, title="renamed")])          # a new text
    drawn(view, qtbot)
    change = next(s for s in scripts if "ioc.points(" in s)
    assert '"meta"' in change and "renamed" in change and '"sv"' not in change
    assert js(view, qtbot, "ioc.tooltipText('p', 'k8')") == "renamed"
    assert js(view, qtbot, "ioc.count('p')") == 5000


def test_popup_fields_stay_in_python_until_a_popup_shows_them(view, qtbot, monkeypatch):
    view.add_layer("p", "Points")
    scripts = sent_scripts(view, monkeypatch)
    view.apply_diff("p", [dot("a", 16.46, 107.59, fields=[["Status", "new report text"]])])
    drawn(view, qtbot)
    assert not any("new report text" in s for s in scripts)      # a reset of thousands stays small
    qtbot.waitUntil(lambda: "new report text" in js(view, qtbot, "ioc.popupHtml('p', 'a')"), timeout=3000)
    # other fields: the page forgets those it had and asks again
    view.apply_diff("p", [dot("a", 16.46, 107.59, fields=[["Status", "verified"]])])
    drawn(view, qtbot)
    qtbot.waitUntil(lambda: "verified" in js(view, qtbot, "ioc.popupHtml('p', 'a')"), timeout=3000)
    assert "new report text" not in js(view, qtbot, "ioc.popupHtml('p', 'a')")


def test_lazy_popup_fields_are_made_only_when_a_popup_shows_them(view, qtbot, monkeypatch):
    """A report pin's fields (widgets.map_layer.PopupFields) are formatted when its
    popup opens, not when thousands of pins are built; equal data is no change, and a
    pin that can't be a point (bad position) goes whole, its fields made for it."""
    from widgets.map_layer import PopupFields

    made = []

    def fields(data):
        made.append(data["text"])
        return [["Status", data["text"]]]

    view.add_layer("p", "Points")
    scripts = sent_scripts(view, monkeypatch)
    view.apply_diff("p", [dot(f"k{i}", 16.46, 107.5 + i * 1e-4,
                              fields=PopupFields(fields, {"text": f"text {i}"})) for i in range(500)])
    drawn(view, qtbot)
    assert made == [] and not any("text 7" in s for s in scripts)
    qtbot.waitUntil(lambda: "text 7" in js(view, qtbot, "ioc.popupHtml('p', 'k7')"), timeout=3000)
    assert made == ["text 7"]
    # the same data again: no change sent (the page keeps the fields it has)
    scripts.clear()
    view.apply_diff("p", [dot("k7", 16.46, 107.5 + 7e-4, fields=PopupFields(fields, {"text": "text 7"}))])
    view.apply_diff("p", [dot("k8", 16.46, 107.5 + 8e-4, fields=PopupFields(fields, {"text": "changed"}))])
    drawn(view, qtbot)
    change = "".join(s for s in scripts if "ioc.points(" in s)
    assert "k8" in change and "k7" not in change
    qtbot.waitUntil(lambda: "changed" in js(view, qtbot, "ioc.popupHtml('p', 'k8')"), timeout=3000)
    # not a point (latitude out of range): sent as a feature, its fields written out
    view.apply_diff("p", [dot("bad", 123.0, 107.5, fields=PopupFields(fields, {"text": "<b>odd</b>"}))])
    drawn(view, qtbot)
    whole = "".join(s for s in scripts if "odd" in s)
    assert "PopupFields" not in whole and "\\u003cb>odd" in whole


def test_move_points_takes_arrays(view, qtbot):
    view.add_layer("v", "Vessels")
    view.apply_diff("v", [dot(f"v{i}", 16.5, 107.5 + i * 0.01) for i in range(10)])
    keys = [f"v{i}" for i in range(10)] + ["unknown"]
    lat = np.full(11, 16.6)
    lon = np.linspace(107.0, 107.1, 11)
    lat[3] = np.nan                                         # skipped, stays where it was
    skipped = js(view, qtbot, "ioc.skipped")
    assert view.move_points("v", keys, lat, lon) == 9
    lat[0] = 0.0                                            # the caller's array is not kept
    assert js(view, qtbot, "ioc.latLng('v', 'v0')") == [16.6, 107.0]
    assert js(view, qtbot, "ioc.latLng('v', 'v3')") == [16.5, 107.53]
    assert js(view, qtbot, "ioc.skipped") == skipped + 1
    snap = view.layer_snapshot()["v"]["features"]
    assert (snap["v0"]["lat"], snap["v0"]["lon"]) == (16.6, 107.0)
    assert snap["v3"]["lat"] == 16.5
    assert snap["v9"]["title"] == "title v9"
    with pytest.raises(ValueError):
        view.move_points("v", ["v1", "v2"], [16.5], [107.5])
    # a feature update after typed moves starts from the moved position
    view.apply_diff("v", [dot("v1", 16.61, 107.01)])
    assert js(view, qtbot, "ioc.latLng('v', 'v1')") == [16.61, 107.01]


def test_ids_are_reused_only_after_the_page_knows(view, qtbot):
    view.add_layer("p", "Points")
    view.apply_diff("p", [dot(f"k{i}", 16.4 + i * 0.01, 107.5) for i in range(20)])
    view.apply_diff("p", [dot("k20", 16.7, 107.5)], removes=["k3", "k4"])    # same flush
    drawn(view, qtbot)
    assert js(view, qtbot, "ioc.count('p')") == 19
    view.apply_diff("p", [dot("n1", 16.71, 107.6), dot("n2", 16.72, 107.6)])  # reuse k3's and k4's ids
    view.apply_diff("p", [], removes=["n1"])
    view.apply_diff("p", [dot("n1", 16.73, 107.6)])                          # and back, in one flush
    drawn(view, qtbot)
    keys = set(js(view, qtbot, "ioc.keys('p')"))
    assert keys == {f"k{i}" for i in range(21) if i not in (3, 4)} | {"n1", "n2"}
    assert js(view, qtbot, "ioc.latLng('p', 'n1')") == [16.73, 107.6]
    assert js(view, qtbot, "ioc.tooltipText('p', 'n2')") == "title n2"
    # a key that changes kind moves between the two stores
    view.apply_diff("p", [{"key": "k5", "kind": "polygon", "coords": [[16.4, 107.5], [16.5, 107.6], [16.4, 107.6]],
                           "color": GREEN, "title": "now an area"}])
    assert js(view, qtbot, "ioc.count('p')") == 21
    assert js(view, qtbot, "ioc.pointId('p', 'k5')") is None
    assert js(view, qtbot, "ioc.tooltipText('p', 'k5')") == "now an area"
    view.apply_diff("p", [dot("k5", 16.45, 107.55)])
    assert js(view, qtbot, "ioc.pointId('p', 'k5')") is not None
    assert js(view, qtbot, "ioc.count('p')") == 21
    # a bad position, then a good one, in one flush: skipped, then moved; no twin
    skipped = js(view, qtbot, "ioc.skipped")
    view.apply_diff("p", [dot("k6", float("nan"), 107.5)])
    view.apply_diff("p", [dot("k6", 16.66, 107.66)])
    assert js(view, qtbot, "ioc.latLng('p', 'k6')") == [16.66, 107.66]
    assert js(view, qtbot, "ioc.skipped") == skipped + 1
    assert js(view, qtbot, "ioc.count('p')") == 21
    view.reload()
    qtbot.waitUntil(lambda: view.is_ready, timeout=READY_TIMEOUT_MS)
    assert set(js(view, qtbot, "ioc.keys('p')")) == keys
    assert not list(view.js_errors)


# ---- aggregation -------------------------------------------------------------------

def test_overlapping_markers_are_counted_circles_at_low_zoom_and_separate_when_zoomed(view, qtbot):
    view.add_layer("r", "Reports", 5)
    # 60 reports within ~300 m of the citadel, and one far away
    pts = [dot(f"r{i}", CITY[0] + 0.0025 * math.cos(i), CITY[1] + 0.0025 * math.sin(i * 1.7)) for i in range(60)]
    pts.append(dot("far", 16.43, 107.64, fill=GREEN))
    view.apply_diff("r", pts)
    drawn(view, qtbot)
    stats = js(view, qtbot, "ioc.drawStats('r')")
    assert sum(c[2] for c in stats["clusters"]) == 60 and stats["points"] == 1, stats
    assert len(stats["clusters"]) <= 4
    x, y, _ = max(stats["clusters"], key=lambda c: c[2])
    wait_colour(qtbot, view, (x, y + 11), MAGENTA, tol=30)  # the circle has the markers' colour (92 % opaque)
    # hover: what the circle stands for, as text
    hover(view, x, y)
    qtbot.waitUntil(lambda: "markers here" in (js(view, qtbot, "(document.querySelector('.ioc-tooltip') || {})"
                                                            ".textContent") or ""), timeout=3000)

    view.run_js(f"ioc.setView({CITY[0]}, {CITY[1]}, 17)")
    drawn(view, qtbot)
    qtbot.waitUntil(lambda: (js(view, qtbot, "ioc.drawStats('r')") or {}).get("clusters") == [], timeout=3000)
    stats = js(view, qtbot, "ioc.drawStats('r')")
    assert stats["points"] == 60                           # one by one (the far one is off screen now)
    for key in ("r0", "r31"):
        wait_colour(qtbot, view, point_xy(view, qtbot, "r", key), MAGENTA)


def test_clicking_a_counted_circle_zooms_in(view, qtbot):
    view.add_layer("r", "Reports", 5)
    view.apply_diff("r", [dot(f"r{i}", CITY[0] + 0.002 * (i % 5), CITY[1] + 0.002 * (i // 5)) for i in range(25)])
    drawn(view, qtbot)
    view.run_js(f"ioc.setView({CITY[0]}, {CITY[1]}, 11)")
    drawn(view, qtbot)
    stats = js(view, qtbot, "ioc.drawStats('r')")
    assert stats["clusters"], stats
    x, y, _ = stats["clusters"][0]
    qtbot.wait(200)
    target = view.web_view.focusProxy()
    QTest.mouseClick(target, QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier,
                     QtCore.QPoint(round(x), round(y)))
    qtbot.waitUntil(lambda: js(view, qtbot, "ioc.view().zoom") >= 15, timeout=5000)


def test_a_layer_without_aggregation_draws_every_marker(view, qtbot):
    view.add_layer("all", "All", cluster=False)
    view.apply_diff("all", [dot(f"r{i}", CITY[0] + 1e-4 * i, CITY[1]) for i in range(40)])
    drawn(view, qtbot)
    assert js(view, qtbot, "ioc.drawStats('all')") == {"points": 40, "clusters": [], "cellPx": 0}


# ---- interaction -------------------------------------------------------------------

def test_a_real_click_reaches_python_with_the_right_key(view, qtbot):
    view.add_layer("low", "Low", 1)
    view.add_layer("p", "Points", 5)
    view.apply_diff("low", [{"key": "zone", "kind": "polygon", "color": GREEN, "title": "zone",
                             "coords": [[16.40, 107.50], [16.52, 107.50], [16.52, 107.68], [16.40, 107.68]]}])
    view.apply_diff("p", [dot("west", 16.46, 107.585), dot("east", 16.46, 107.597),
                          dot("top", 16.46003, 107.59703, fill=GREEN)])       # over "east", drawn later
    view.run_js(f"ioc.setView({CITY[0]}, {CITY[1]}, 16)")
    drawn(view, qtbot)
    target = view.web_view.focusProxy()
    qtbot.wait(200)
    for key, expected in (("west", "west"), ("top", "top")):
        x, y = point_xy(view, qtbot, "p", key)
        with qtbot.waitSignal(view.markerClicked, timeout=5000) as blocker:
            QTest.mouseClick(target, QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier,
                             QtCore.QPoint(round(x), round(y)))
        assert blocker.args == ["p", expected]
        qtbot.waitUntil(lambda: js(view, qtbot, "(document.querySelector('.ioc-popup-title') || {}).textContent")
                        == f"title {expected}", timeout=3000)
    # beside every point: the area under them gets the click
    x, y = point_xy(view, qtbot, "p", "west")
    with qtbot.waitSignal(view.markerClicked, timeout=5000) as blocker:
        QTest.mouseClick(target, QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier,
                         QtCore.QPoint(round(x) + 40, round(y)))
    assert blocker.args == ["low", "zone"]
    # the stand-in object still answers fire('click') (the app's tests use it)
    with qtbot.waitSignal(view.markerClicked, timeout=5000) as blocker:
        view.run_js("ioc.feature('p', 'east').fire('click')")
    assert blocker.args == ["p", "east"]


def test_select_draws_the_point_on_top_even_inside_a_circle(view, qtbot):
    view.add_layer("r", "Reports", 5)
    view.apply_diff("r", [dot(f"r{i}", CITY[0] + 1e-4 * i, CITY[1] + 1e-4 * i) for i in range(30)])
    view.run_js(f"ioc.setView({CITY[0]}, {CITY[1]}, 11)")
    view.select("r", "r12")
    drawn(view, qtbot)
    # select pans there (animated): wait for the map to come to rest, i.e. the point
    # near the centre and no longer moving between two reads
    last: list = [None]

    def at_rest() -> bool:
        xy = point_xy(view, qtbot, "r", "r12")
        still, last[0] = xy == last[0], xy
        return still and xy == pytest.approx([400, 300], abs=1.5)
    qtbot.waitUntil(at_rest, timeout=5000)
    drawn(view, qtbot)
    stats = js(view, qtbot, "ioc.drawStats('r')")
    assert stats["points"] == 1 and sum(c[2] for c in stats["clusters"]) == 29, stats
    assert js(view, qtbot, "ioc.feature('r', 'r12').options.color") == SELECT
    ring = js(view, qtbot, "ioc.feature('r', 'r12').options.radius") + 1

    def ring_drawn() -> bool:
        # read where the point is at each try: a late frame of the pan moves it
        x, y = point_xy(view, qtbot, "r", "r12")
        return near(colour_at(view, x + ring, y), SELECT)
    qtbot.waitUntil(ring_drawn, timeout=8000)


def test_a_hidden_layer_draws_nothing_and_takes_no_click(view, qtbot):
    view.add_layer("p", "Points", 5)
    view.apply_diff("p", [dot("a", 16.47, 107.57)])
    drawn(view, qtbot)
    xy = point_xy(view, qtbot, "p", "a")
    wait_colour(qtbot, view, xy, MAGENTA)
    view.set_layer_visible("p", False)
    wait_colour(qtbot, view, xy, MAGENTA, present=False)
    clicks: list = []
    view.markerClicked.connect(lambda *a: clicks.append(a))
    QTest.mouseClick(view.web_view.focusProxy(), QtCore.Qt.MouseButton.LeftButton,
                     QtCore.Qt.KeyboardModifier.NoModifier, QtCore.QPoint(round(xy[0]), round(xy[1])))
    qtbot.wait(300)
    assert clicks == []
    view.set_layer_visible("p", True)
    wait_colour(qtbot, view, xy, MAGENTA)


# ---- untrusted text ----------------------------------------------------------------

def test_hostile_text_in_points_stays_text(view, qtbot):
    title = "<img src=x onerror=alert(1)>\u2028</script><script>window.pwned=1</script>"
    view.run_js("window.alerted = false; window.alert = function () { window.alerted = true; };")
    view.add_layer("evil", "<b>layer</b>", 5)
    view.apply_diff("evil", [dot("<k>", 16.46, 107.59, title=title,
                                 fields=[["<i>field</i>", "<img src=y onerror=alert(2)>"]])])
    view.run_js(f"ioc.setView({CITY[0]}, {CITY[1]}, 16)")
    drawn(view, qtbot)
    assert js(view, qtbot, "ioc.keys('evil')") == ["<k>"]
    assert js(view, qtbot, "ioc.tooltipText('evil', '<k>')") == title
    # a point's fields reach the page when its popup first shows them
    qtbot.waitUntil(lambda: "<table" in js(view, qtbot, "ioc.popupHtml('evil', '<k>')"), timeout=3000)
    popup = js(view, qtbot, "ioc.popupHtml('evil', '<k>')")
    assert "&lt;img src=x" in popup and "&lt;i&gt;field" in popup and "<img" not in popup
    x, y = point_xy(view, qtbot, "evil", "<k>")
    target = view.web_view.focusProxy()
    hover(view, x, y)
    qtbot.waitUntil(lambda: js(view, qtbot, "(document.querySelector('.ioc-tooltip') || {}).textContent") == title,
                    timeout=3000)
    with qtbot.waitSignal(view.markerClicked, timeout=5000) as blocker:
        QTest.mouseClick(target, QtCore.Qt.MouseButton.LeftButton, QtCore.Qt.KeyboardModifier.NoModifier,
                         QtCore.QPoint(round(x), round(y)))
    assert blocker.args == ["evil", "<k>"]
    qtbot.waitUntil(lambda: js(view, qtbot, "(document.querySelector('.ioc-popup-title') || {}).textContent") == title,
                    timeout=3000)
    assert js(view, qtbot, "document.querySelectorAll('img').length") == 0
    assert js(view, qtbot, "document.querySelectorAll('.leaflet-popup-content i, .leaflet-popup-content script')"
                           ".length") == 0
    qtbot.wait(200)
    assert js(view, qtbot, "[window.alerted, typeof window.pwned]") == [False, "undefined"]


# ---- flow --------------------------------------------------------------------------

def test_one_diff_in_flight_the_rest_coalesced(view, qtbot, monkeypatch):
    view.add_layer("p", "Points")
    view.apply_diff("p", [dot(f"k{i}", 16.4, 107.5 + i * 0.001) for i in range(100)])
    drawn(view, qtbot)
    scripts = sent_scripts(view, monkeypatch)
    view.apply_diff("p", [dot("k0", 16.41, 107.5)])
    qtbot.waitUntil(lambda: len(scripts) == 1, timeout=3000)          # sent on the next turn of the loop
    first = view.sent_seq
    for i in range(1, 6):                                             # while the page draws it
        view.apply_diff("p", [dot(f"k{i}", 16.41, 107.5 + i * 0.001)])
    assert len(scripts) == 1 or view.drawn_seq >= first
    qtbot.waitUntil(lambda: view.drawn_seq >= first + 1, timeout=5000)
    assert len(scripts) == 2                                          # the five in one
    assert js(view, qtbot, "ioc.latLng('p', 'k5')") == [16.41, 107.505]


def test_map_layer_passes_aggregation_through(view, qtbot):
    layer = MapLayer(view, "tracks", "Tracks", lambda key, data: [dot(key, data["lat"], data["lon"])], z=3,
                     cluster=False)
    layer.reset({f"t{i}": {"lat": CITY[0] + 1e-4 * i, "lon": CITY[1]} for i in range(10)})
    drawn(view, qtbot)
    assert js(view, qtbot, "ioc.drawStats('tracks')")["points"] == 10


def test_a_hidden_map_still_answers_so_diffs_keep_flowing(view, qtbot):
    """No animation frames in a hidden page: it says "drawn" at once and draws when shown."""
    view.add_layer("p", "Points", 5)
    view.apply_diff("p", [dot("a", 16.47, 107.57)])
    drawn(view, qtbot)
    view.hide()
    qtbot.waitUntil(lambda: js(view, qtbot, "document.hidden") is True, timeout=5000)
    for i in range(5):                                  # each waits for the last one's answer
        view.apply_diff("p", [dot("a", 16.47 + 0.001 * i, 107.57)])
        target = view.sent_seq + 1
        qtbot.waitUntil(lambda: view.drawn_seq >= target, timeout=800)   # well under ACK_TIMEOUT_MS
    view.show()
    xy = point_xy(view, qtbot, "p", "a")
    wait_colour(qtbot, view, xy, MAGENTA)
