"""Readable at distance: on wall windows no text has capital letters under 16 arcminutes
at the screen's viewing distance (``ioc_desktop.wall.readability.min_text_px``: about
37 px on a 55-inch 1080p display at 5 m), no figure is cut, no plot label covers
another.  Measured by ``widgets.wall.readability_probe`` on live data:

* the built-in wall's layouts (every preset, every panel of a rotating cell) in
  1920 × 1080 wall-sized windows, in this process;
* the map page's own text (Leaflet: place labels, attribution, scale), which the probe
  can't see inside QtWebEngine: through the page's computed styles;
* the whole wall on three screens (Qt's offscreen platform with tests/screens3.json,
  the WallManager's windows), in a child pytest: the platform's screens are chosen
  before the QApplication exists.
"""
from __future__ import annotations

import os

import pytest

INNER = os.environ.get("IOC_WALL_READABILITY_THREE_SCREENS") == "1"


def assert_readable(window, min_px: float, where: str) -> int:
    """Nothing under ``min_px``, no figure cut, no overlapping plot labels; returns
    how many texts were measured."""
    from widgets.wall import readability_probe as probe
    samples = probe.smallest_text(window)
    small = [s for s in samples if s.cap_px < min_px]
    assert not small, f"{where}: text under {min_px:.1f} px\n" + probe.report(small)
    cut = [c for c in probe.clipped_text(window) if c.numeric]
    assert not cut, f"{where}: figures cut\n" + "\n".join(map(str, cut))
    overlaps = probe.overlapping_text(window)
    assert not overlaps, f"{where}: overlapping labels {overlaps}"
    return len(samples)


if not INNER:
    from PySide6 import QtWidgets

    from ioc_desktop.wall.config import default_wall_config
    from ioc_desktop.wall.readability import min_text_px
    from wallpanelrig import WALL_PX, flush_deletes, live_wall_data, settle, wait_until
    from widgets.wall import readability_probe as probe
    from widgets.wall_style import WallStyle

    # first: while the child runs, this process has nothing live of its own
    def test_the_whole_wall_on_three_screens():
        from offscreen_screens import run_on_three_screens
        run_on_three_screens(__file__, "IOC_WALL_READABILITY_THREE_SCREENS")

    @pytest.fixture(scope="module")
    def live(tmp_path_factory, qapp):
        from widgets import theme
        theme.apply_dark_theme(qapp)
        with live_wall_data(tmp_path_factory.mktemp("wallread")) as rig:
            yield rig

    def test_the_rule_and_the_wall_fonts_agree(qapp):
        # 55-inch 1080p seen from 5 m: about 37 px (ioc_desktop.wall.readability)
        assert 36 < WALL_PX < 37.5
        for distance in (3.0, 5.0, 8.0):
            px = min_text_px(distance, 1080, 1920)
            style = WallStyle(px)
            for bold in (False, True):
                font = style.font(bold=bold)
                assert probe.cap_px(font) >= px
                smaller = style.font(bold=bold)
                smaller.setPixelSize(font.pixelSize() - 1)
                assert probe.cap_px(smaller) < px          # the smallest that passes

    def _layout_window(layout, build, strip_px: int):
        """The cells of ``layout`` in a 1920 × 1080 window, each under a title strip of
        ``strip_px`` (as the wall window's); ``build(spec)`` makes each panel."""
        win = QtWidgets.QWidget()
        grid = QtWidgets.QGridLayout(win)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(6)
        for r in range(layout.rows):
            grid.setRowStretch(r, 1)
        for c in range(layout.cols):
            grid.setColumnStretch(c, 1)
        cells = []
        for cell in layout.cells:
            box = QtWidgets.QFrame()
            column = QtWidgets.QVBoxLayout(box)
            column.setContentsMargins(3, 3, 3, 3)
            column.setSpacing(0)
            column.addSpacing(strip_px)
            stack = QtWidgets.QStackedWidget()
            column.addWidget(stack, 1)
            grid.addWidget(box, cell.row, cell.col, cell.rowspan, cell.colspan)
            panels = [build(spec) for spec in cell.panels]
            for p in panels:
                stack.addWidget(p)
            cells.append((stack, panels))
        win.resize(1920, 1080)
        win.show()
        return win, cells

    @pytest.mark.parametrize("screen", [0, 2])
    def test_the_built_in_walls_panels_meet_the_minimum_in_wall_sized_windows(live, screen):
        """Every layout of the built-in three-screen wall's side screens (the middle one
        is the map), every panel of a rotating cell in turn, with live data."""
        config = default_wall_config(3)
        sc = config.screens[screen]
        strip = WallStyle(WALL_PX).row_height(WallStyle(WALL_PX).heading())
        measured = 0
        for name, layout in sc.layouts.items():
            built = []

            def build(spec):
                panel = live.build(spec)            # maps off here: the page is checked below
                built.append(panel)
                return panel
            win, cells = _layout_window(layout, build, strip)
            try:
                # data in every panel that shows some (the cache's state, then live batches)
                wait_until(lambda: all(p.error is not None or not p.guis or p.kind != "river"
                                       or any(g.graphs.plots for g in p.guis) for p in built), 20, "river data")
                wait_until(lambda: all(p.alarm_view is None or p.alarm_view.rows() for p in built), 30, "alarms")
                for stack, panels in cells:
                    for i, panel in enumerate(panels):
                        stack.setCurrentIndex(i)
                        QtWidgets.QApplication.processEvents()
                        for gui in panel.guis:               # plots draw on their frame timer
                            for plot in getattr(getattr(gui, "graphs", None), "plots", {}).values():
                                plot.redraw_now()
                        QtWidgets.QApplication.processEvents()
                        measured += assert_readable(win, WALL_PX, f"screen {screen} {name} {panel.kind}")
            finally:
                live.dispose(*built)
                win.close()
                win.deleteLater()
                flush_deletes()
            assert not live.feeder.panels
        assert measured > 100

    def test_the_map_pages_text_on_the_wall(qtbot, qapp):
        """Leaflet draws the map's text inside QtWebEngine, out of the probe's reach
        (it lists the view as unmeasured): the page measures it itself — each visible
        text's capitals (canvas measureText of "H" in its computed font)."""
        from widgets.map_view import MapView
        view = MapView(center=(16.4637, 107.5909), zoom=11)
        view.set_wall_text(WALL_PX)
        view.resize(1920, 1080)
        view.show()
        qtbot.waitUntil(lambda: view.is_ready, timeout=30000)
        view.set_stale("NOT CURRENT · data from 14:05", all_layers=True)
        box: list = []
        view.wall_text_check(box.append)
        qtbot.waitUntil(lambda: bool(box), timeout=10000)
        texts = box[0]
        assert texts, "no text measured in the page"
        kinds = " ".join(t["cls"] for t in texts)
        assert "ioc-label" in kinds and "attribution" in kinds and "ioc-stale-label" in kinds
        small = [t for t in texts if t["cap"] < WALL_PX]
        assert not small, small
        assert probe.unmeasured(view) == ["MapView/QWebEngineView"]
        view.close()
        view.deleteLater()
        settle()

# ====================================================================== the child session
if INNER:
    import time

    from PySide6 import QtWidgets

    from ioc_desktop.wall.config import load_wall_config
    from wallpanelrig import flush_deletes, live_wall_data, wait_until
    from widgets.wall.manager import WallManager

    NAMES = ["wall-1", "wall-2", "wall-3"]

    def test_no_text_on_any_wall_window_is_under_its_screens_minimum(qapp, tmp_path):
        from widgets import theme
        theme.apply_dark_theme(qapp)
        assert [s.name() for s in qapp.screens()] == NAMES
        with live_wall_data(tmp_path, rate=60) as live:
            manager = WallManager(live.service, live.loaded, load_wall_config(None, 3), live.console,
                                  lang="en", with_map=False)
            live.console.attach_wall(manager)
            manager.start()
            try:
                assert [w.screen().name() for w in manager.windows] == NAMES
                manager._rotation_timer.stop()       # the test turns the rotating cells
                measured = {}
                for preset in manager.presets:
                    manager.set_preset(preset)
                    wait_until(lambda: not manager._awaiting, 20, f"the {preset} panels' state")
                    t0 = time.monotonic()
                    wait_until(lambda: time.monotonic() - t0 > 2.0, 5)   # SQL reads, a frame or two
                    for run in manager.runs:
                        assert run.window.isFullScreen() or run.window.geometry() == run.qscreen.geometry()
                        for c in run.cells:
                            for i in range(len(c.panels)):
                                c.view.show_panel(i)
                                QtWidgets.QApplication.processEvents()
                                key = (run.name, preset, c.panels[i].kind if hasattr(c.panels[i], "kind") else i)
                                measured[key] = assert_readable(
                                    run.window, run.text_px, f"{run.name} {preset} cell {c.cell.row},{c.cell.col} #{i}")
                assert len({k[0] for k in measured}) == 3
                assert sum(measured.values()) > 300
            finally:
                manager.shutdown()
                flush_deletes()
