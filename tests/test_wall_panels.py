"""The wall's panels (widgets.wall.panels.build_panel): every kind builds, shows live
data from a real demo backend through the real cache, says why when it can't, greys
with its data's age when stale, and lets go of everything when disposed; the wall
rendering (fewer columns, larger rows, words and shapes besides colours) leaves the
console's rendering as it was."""
from __future__ import annotations

import pytest
import shiboken6
from PySide6 import QtCore, QtWidgets

from ioc_desktop.wall.config import PanelSpec
from wallpanelrig import WALL_PX, close_window, flush_deletes, live_wall_data, settle, wait_until
from widgets.plugin_gui import AppContext
from widgets.wall import readability_probe as probe
from widgets.wall.panels import KIND_PANELS, WallContext, WallPanel, build_panel
from widgets.wall_style import WALL_DONE, WallStyle


@pytest.fixture(scope="module")
def live_rig(tmp_path_factory, qapp):
    from widgets import theme
    theme.apply_dark_theme(qapp)
    with live_wall_data(tmp_path_factory.mktemp("wallpanels")) as rig:
        yield rig


@pytest.fixture
def live(live_rig):
    """The live rig; whatever a test leaves fed (a failed assertion) is disposed of."""
    yield live_rig
    live_rig.dispose()
    flush_deletes()


def grid_window(panels, cols: int, size=(1920, 1080)) -> QtWidgets.QWidget:
    win = QtWidgets.QWidget()
    grid = QtWidgets.QGridLayout(win)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(4)
    for i, panel in enumerate(panels):
        grid.addWidget(panel, i // cols, i % cols)
    win.resize(*size)
    win.show()
    return win


def gui_of(panel, plugin: str):
    return next(g for g in panel.guis if type(g).__module__ == f"plugins.{plugin}.gui")


def visible_columns(view) -> list[int]:
    return [c for c in range(view.model().columnCount()) if not view.isColumnHidden(c)]


# ---------------------------------------------------------------------------- every kind
def test_every_kind_builds_shows_its_data_and_disposes(live):
    specs = [PanelSpec("alarms"), PanelSpec("overview"), PanelSpec("river", {"hours": 24.0}),
             PanelSpec("cameras", {"cols": 2, "rows": 2}), PanelSpec("vessels"),
             PanelSpec("warnings"), PanelSpec("reports_attention"),
             PanelSpec("service", {"plugin": "press"}),
             PanelSpec("service", {"plugin": "environment", "panel": "stations"})]
    panels = [live.build(spec) for spec in specs]
    assert all(isinstance(p, WallPanel) and p.error is None for p in panels), [p.error for p in panels]
    win = grid_window(panels, 3)
    alarms, overview, river, cameras, vessels, warnings, attention, press, stations = panels

    # titles for the cells' strips; topics for staleness and rotation
    assert river.title == "River levels" and press.title == "Press monitoring"
    assert river.topics == {"environment"} and vessels.topics == {"vessels"}
    assert alarms.topics == set() and alarms.alarm_view is not None and overview.overview is not None

    wait_until(lambda: alarms.alarm_view.rows(), 30, "alarms on the wall")
    wait_until(lambda: len(overview.overview.tiles) >= 10, 10, "a tile per service")
    graphs = gui_of(river, "environment").graphs
    wait_until(lambda: {"kim_long/water_level", "phu_oc/water_level"} <= set(graphs.plots)
               and all(len(b) for b in graphs.buffers.values()), 20, "the river graphs")
    grid = gui_of(cameras, "cameras").panel.grid
    wait_until(lambda: len(grid.shown_tiles()) == 4, 20, "four cameras")
    fleet = gui_of(vessels, "vessels").table
    wait_until(lambda: fleet.model().rowCount() > 0, 20, "vessels")
    view = gui_of(attention, "reports").attention
    wait_until(lambda: view.rows, 20, "reports needing attention")
    feed = gui_of(press, "press").panel.feed
    wait_until(lambda: feed.model().rowCount() > 0, 20, "press items")

    # the wall rendering: a few columns, every one of them at the wall's size
    assert visible_columns(fleet) == [0, 2, 4]
    assert visible_columns(gui_of(warnings, "alerts").table) == [0, 1, 3]
    assert visible_columns(feed) == [0, 1, 2]
    assert visible_columns(gui_of(stations, "environment").table) == [0, 2, 3]
    assert grid.fixed_grid() == (2, 2)
    assert gui_of(river, "environment").graphs.plots["kim_long/water_level"].show_all_thresholds
    assert not gui_of(cameras, "cameras").table.isVisibleTo(cameras)        # detections: console only
    assert not gui_of(press, "press").panel.detail.isVisibleTo(press)          # details: console only
    # reports: the most pressing first (overdue before the rest), from SQL off the GUI thread
    states = [view._sla(r)[0] for r in view.rows]
    overdue = [s == "overdue" for s in states]
    assert overdue == sorted(overdue, reverse=True)
    assert "overdue" in view.counts.text() and "urgent" in view.counts.text()
    small = probe.too_small(win, WALL_PX)
    assert not small, probe.report(small)

    # disposed: the panels, their GUIs' widgets and timers go
    refs = [river, fleet, view, grid, feed]
    live.dispose(*panels)
    assert all(not p.guis for p in panels)
    flush_deletes()
    assert all(not shiboken6.isValid(w) for w in refs)
    close_window(win)


def test_the_console_rendering_is_left_as_it_was(live):
    """The console's GUIs (AppContext without wall_text_px) keep every column, their
    point-size fonts and their controls."""
    fleet = live.console.guis["vessels"].table
    assert not any(fleet.isColumnHidden(c) for c in range(fleet.model().columnCount()))
    assert not fleet.property(WALL_DONE) and fleet.font().pixelSize() == -1
    cams = live.console.guis["cameras"]
    assert cams.wall is None and cams.panel.grid.fixed_grid() is None
    assert live.console.guis["reports"].queue is not None and live.console.guis["reports"].attention is None
    tile = live.console.overview.tiles["reports"]
    assert not tile.is_wall() and type(tile._label).__name__ == "QLabel"


# ---------------------------------------------------------------------------- options
def test_the_river_shows_the_stations_asked_for_over_the_hours_asked_for(live):
    panel = live.build(PanelSpec("river", {"stations": ["Kim Long"], "hours": 48.0}))
    win = grid_window([panel], 1, size=(960, 1010))
    graphs = gui_of(panel, "environment").graphs
    wait_until(lambda: "kim_long/water_level" in graphs.plots
               and len(graphs.buffers["kim_long/water_level"]) > 0, 20, "Kim Long")
    assert list(graphs.plots) == ["kim_long/water_level"]          # Phú Ốc left out
    plot = graphs.plots["kim_long/water_level"]
    assert plot.time_window() == 48 * 3600 and plot.title() == "Kim Long"
    plot.redraw_now()
    wait_until(lambda: plot.plot_widget.getPlotItem().getViewBox().viewRange()[1][1] >= 3.5, 5,
               "BĐ3 in view")
    plot.redraw_now()
    # every flood line drawn and labelled, the labels clear of each other and of the tag
    assert [n for n, _, _ in plot.thresholds()] == ["BĐ1", "BĐ2", "BĐ3"]
    assert all(line.label.isVisible() for *_, line in plot._thresholds)
    assert probe.overlapping_text(win) == []
    small = probe.too_small(win, WALL_PX)
    assert not small, probe.report(small)
    live.dispose(panel)
    close_window(win)


def test_a_panel_that_cannot_be_shown_says_why(qapp):
    from ioc_desktop.plugin_api import load_plugins
    ctx = WallContext(load_plugins(), AppContext(lang="en"), lang="en", min_text_px=WALL_PX)
    cases = {
        "nope": PanelSpec("service", {"plugin": "nope"}),
        "queue": PanelSpec("service", {"plugin": "reports", "panel": "queue"}),
        "map": PanelSpec("map", {"zoom": 12}),
    }
    texts = {}
    for name, spec in cases.items():
        panel = build_panel(spec, ctx)                 # never raises
        assert panel.error and isinstance(panel.widget, QtWidgets.QLabel)
        texts[name] = panel.widget.text()
        assert panel.widget.font().pixelSize() == WallStyle(WALL_PX).pixel_size()
        panel.dispose()
    assert "nope service is not installed" in texts["nope"]
    assert "no panel queue on the wall (it has: attention)" in texts["queue"]
    assert "the map is off" in texts["map"]
    flush_deletes()


def test_a_stale_panel_shows_the_age_of_its_data_and_greys(live):
    panel = live.build(PanelSpec("river"))
    win = grid_window([panel], 1, size=(1920, 540))
    graphs = gui_of(panel, "environment").graphs
    wait_until(lambda: graphs.plots, 20, "a graph")
    panel.set_stale("NOT CURRENT · data from 14:05")
    assert panel.is_stale() and panel.strip.isVisible() and panel.strip.text() == "NOT CURRENT · data from 14:05"
    assert all(p.is_stale() for p in graphs.plots.values())
    assert panel.property("stale") is True
    small = probe.too_small(win, WALL_PX)
    assert not small, probe.report(small)
    panel.set_stale(None)
    assert not panel.is_stale() and not panel.strip.isVisible()
    assert not any(p.is_stale() for p in graphs.plots.values())
    live.dispose(panel)
    close_window(win)


def test_colour_is_never_the_only_signal(live):
    alarms, overview, attention, cameras = (live.build(PanelSpec(k, o)) for k, o in (
        ("alarms", {}), ("overview", {}), ("reports_attention", {}), ("cameras", {"cols": 3, "rows": 2})))
    win = grid_window([alarms, overview, attention, cameras], 2)
    view = alarms.alarm_view
    wait_until(lambda: view.rows(), 30, "alarms")
    model = view.proxy
    for row in range(model.rowCount()):
        alarm = model.index(row, 0).data(QtCore.Qt.ItemDataRole.UserRole + 1)
        priority = model.index(row, 0).data()
        state = model.index(row, 1).data()
        assert priority == str(alarm.priority)                    # the number, not only a colour
        assert state and any(ch.isalpha() for ch in state)        # a word
        shown = view.view.itemDelegate().display_text(model.index(row, 1))
        if alarm.state == "unacknowledged":                        # drawn in red: a shape too
            assert shown == "▲ " + state
        assert not view.view.itemDelegate().display_text(model.index(row, 0)).startswith("▲")
    # the overview: abnormal counts carry a shape
    wait_until(lambda: any(t.abnormal() for t in overview.overview.tiles.values()), 20, "an abnormal count")
    for tile in overview.overview.tiles.values():
        if tile.abnormal():
            assert tile._badge.text().startswith("▲ ")
    # reports: the SLA cell says it in words, urgent ones carry "▲"
    rows = gui_of(attention, "reports").attention
    wait_until(lambda: rows.rows, 20, "reports")
    for r in rows.rows:
        text = rows._sla_cell(r)
        state = rows._sla(r)[0]
        if state == "overdue":
            assert text.replace("▲ ", "").startswith("OVERDUE")
        if r["priority"] == "urgent":
            assert text.startswith("▲ ")
            # on this list because it is urgent: never the on-time green, whatever its clock
            assert rows._sla_colors(r)[1] != "#2fd07a"
    # cameras: a detection's badge says what and how sure, the figure first
    cams = gui_of(cameras, "cameras")
    wait_until(lambda: any(t.badge() for t in cams.tiles.values()), 20, "a detection")
    for tile in cams.tiles.values():
        if tile.badge():
            assert tile.badge()[0].isdigit() and "%" in tile.badge()
    live.dispose(alarms, overview, attention, cameras)
    close_window(win)


def test_every_kind_that_shows_a_plugin_panel_names_one_the_plugin_has_on_the_wall(live):
    for kind, (plugin, panel_id) in KIND_PANELS.items():
        lp = next(lp for lp in live.loaded if lp.name == plugin)
        gui = lp.plugin.create_gui(AppContext(lang="en", run_read=live.service.run_read,
                                              wall_text_px=WALL_PX, wall_options={}))
        assert panel_id in [p.panel_id for p in gui.panels], kind
        for p in gui.panels:
            p.widget.deleteLater()
    flush_deletes()


def test_a_wall_map_has_the_layers_asked_for_and_wall_sized_text(live, qtbot):
    from widgets.map_view import MapView

    def factory(center, zoom):
        return MapView(center=center, zoom=zoom)
    panel = live.build(PanelSpec("map", {"layers": ["environment", "alerts"], "center": [16.462, 107.565],
                                         "zoom": 14}), map_factory=factory)
    assert panel.error is None and isinstance(panel.map, MapView) and panel.widget is panel.map
    assert {type(g).__module__ for g in panel.guis} == {"plugins.environment.gui", "plugins.alerts.gui"}
    assert panel.topics == {"environment", "alerts"}
    assert set(panel.map.layers()) == {"environment", "alerts"}           # no vessels, no cameras…
    win = grid_window([panel], 1, size=(1920, 1080))
    qtbot.waitUntil(lambda: panel.map.is_ready, timeout=30000)
    qtbot.waitUntil(lambda: bool(panel.map._features.get("environment")), timeout=20000)
    box: list = []
    panel.map.wall_text_check(box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=10000)
    assert box[0] and all(t["cap"] >= WALL_PX for t in box[0]), box[0]
    hidden: list = []
    panel.map.run_js("getComputedStyle(document.querySelector('.leaflet-control-layers')).display",
                     hidden.append)
    qtbot.waitUntil(lambda: bool(hidden), timeout=10000)
    assert hidden[0] == "none"                      # no controls to handle on a wall
    map_view = panel.map
    live.dispose(panel)
    close_window(win)
    assert not shiboken6.isValid(map_view)
    settle()
