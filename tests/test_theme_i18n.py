"""Dark theme, KpiTile states, and translations read from .ts files (no .qm build)."""
from __future__ import annotations

import textwrap
from pathlib import Path

import numpy as np
import pytest
from PySide6 import QtCore, QtGui, QtWidgets

from ioc_desktop import i18n
from ioc_desktop.i18n import TsTranslator, available_languages, install_translator, parse_ts


# ======================================================================== fixtures
@pytest.fixture
def english(qapp):
    """Whatever a test installs, leave the app in English (the source language)."""
    yield qapp
    install_translator(qapp, "en")


def _pixels(widget) -> np.ndarray:
    img = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB888)
    w, h = img.width(), img.height()
    arr = np.frombuffer(img.constBits(), dtype=np.uint8, count=img.sizeInBytes())
    return arr.reshape(h, img.bytesPerLine())[:, : w * 3].reshape(h, w, 3).copy()


def _count_color(pixels: np.ndarray, color: str, tol: int = 30) -> int:
    c = QtGui.QColor(color)
    diff = np.abs(pixels.astype(int) - np.array([c.red(), c.green(), c.blue()])).max(axis=2)
    return int((diff <= tol).sum())


# ========================================================================== theme
def test_theme_makes_the_app_dark_large_and_styled(themed_app):
    import pyqtgraph as pg

    from widgets import theme

    pal = themed_app.palette()
    window = pal.color(QtGui.QPalette.ColorRole.Window)
    text = pal.color(QtGui.QPalette.ColorRole.WindowText)
    assert window.lightness() < 40, window.name()
    assert text.lightness() > 200, text.name()
    assert pal.color(QtGui.QPalette.ColorRole.Base).lightness() < 50
    assert themed_app.font().pointSize() >= 11
    qss = themed_app.styleSheet()
    assert "KpiTile[state=\"alarm\"]" in qss and "QDockWidget::title" in qss
    assert theme.ALARM in qss and "${" not in qss  # placeholders filled from the constants
    assert QtGui.QColor(pg.getConfigOption("background")).name() == "#111417"
    assert QtGui.QColor(pg.getConfigOption("foreground")).lightness() > 200


def test_themed_widgets_paint_dark(qtbot, themed_app):
    win = QtWidgets.QMainWindow()
    qtbot.addWidget(win)
    table = QtWidgets.QTableWidget(5, 3)
    table.setAlternatingRowColors(True)
    win.setCentralWidget(table)
    win.statusBar().showMessage("ok")
    win.resize(400, 300)
    win.show()
    qtbot.waitExposed(win)
    pixels = _pixels(win)
    assert pixels.mean() < 60  # mostly dark


def test_semantic_and_aqi_colours():
    from widgets import theme

    assert set(theme.STATE_COLORS) >= {"ok", "warn", "alarm", "stale", "info"}
    for c in (theme.OK, theme.WARN, theme.ALARM, theme.STALE, theme.INFO):
        assert QtGui.QColor(c).isValid()
    # VN_AQI (QĐ 1459/QĐ-TCMT): band edges and official RGB colours.
    rgb = lambda c: QtGui.QColor(c).getRgb()[:3]  # noqa: E731
    assert [b.high for b in theme.AQI_BANDS] == [50, 100, 150, 200, 300, 500]
    assert [rgb(b.color) for b in theme.AQI_BANDS] == [
        (0, 228, 0), (255, 255, 0), (255, 126, 0), (255, 0, 0), (143, 63, 151), (126, 0, 35)]
    assert theme.aqi_band(0).name == "Good"
    assert theme.aqi_band(50).name == "Good"
    assert theme.aqi_band(50.4).name == "Good"
    assert theme.aqi_band(51).name == "Moderate"
    assert theme.aqi_band(301).name == "Hazardous"
    assert theme.aqi_band(720).name == "Hazardous"
    assert theme.aqi_color(175) == "#ff0000"
    with pytest.raises(ValueError):
        theme.aqi_band(-1)
    with pytest.raises(ValueError):
        theme.aqi_band(float("nan"))


# ========================================================================= KpiTile
@pytest.fixture
def tile(qtbot):
    from widgets.kpi_tile import KpiTile

    t = KpiTile("Overdue reports", "7")
    qtbot.addWidget(t)
    t.resize(320, 200)
    t.show()
    qtbot.waitExposed(t)
    return t


def test_kpi_tile_renders_its_texts(qtbot, tile):
    tile.set_sub("since 07:00")
    assert (tile.label(), tile.value(), tile.sub()) == ("Overdue reports", "7", "since 07:00")
    before = _pixels(tile)
    tile.set_value("1234")
    qtbot.wait(20)
    after = _pixels(tile)
    assert (before != after).any()  # the value is really painted
    assert tile._value.font().pointSize() >= 36  # big enough for the wall
    tile.set_value("<b>x</b>")  # untrusted text is shown as text, not HTML
    assert tile._value.textFormat() == QtCore.Qt.TextFormat.PlainText


def test_kpi_tile_states_change_colour(qtbot, themed_app, tile):
    from widgets import theme

    tile.set_state("ok")
    qtbot.wait(20)
    ok = _pixels(tile)
    assert tile.property("state") == "ok"
    tile.set_state("alarm")
    qtbot.wait(20)
    alarm = _pixels(tile)
    assert tile.state() == "alarm" and tile.property("state") == "alarm"
    assert _count_color(alarm, theme.ALARM) > 500 > _count_color(ok, theme.ALARM)
    with pytest.raises(ValueError):
        tile.set_state("purple")


def test_kpi_tile_stale_is_grey_with_age_and_returns_to_live_state(qtbot, themed_app, tile):
    from widgets import theme

    tile.set_state("alarm")
    tile.set_stale(True, "updated 12 min ago")
    qtbot.wait(20)
    stale = _pixels(tile)
    assert tile.is_stale() and tile.state() == "stale" and tile.age_text() == "updated 12 min ago"
    assert tile._age.isVisible()
    assert _count_color(stale, theme.ALARM) < 50  # no live alarm colour on stale data
    assert _count_color(stale, theme.STALE) > 300
    tile.set_state("warn")  # new live state arrives while stale: applied when live again
    assert tile.state() == "stale"
    tile.set_stale(False)
    assert tile.state() == "warn" and not tile._age.isVisible()


def test_kpi_tile_badge_counts_abnormal(qtbot, themed_app, tile):
    from widgets import theme

    tile.set_abnormal(0)
    qtbot.wait(20)
    quiet = _pixels(tile)
    assert tile._badge.text() == "0" and tile._badge.property("active") == "false"
    tile.set_abnormal(3)
    qtbot.wait(20)
    assert tile.abnormal() == 3 and tile._badge.text() == "3"
    assert tile._badge.property("active") == "true"
    assert _count_color(_pixels(tile), theme.ALARM) > _count_color(quiet, theme.ALARM) + 100
    assert tile._badge.toolTip() == "3 item(s) need attention"


def test_kpi_tile_click_and_keyboard_emit_clicked(qtbot, tile):
    with qtbot.waitSignal(tile.clicked, timeout=1000):
        qtbot.mouseClick(tile, QtCore.Qt.MouseButton.LeftButton)
    tile.setFocus()
    with qtbot.waitSignal(tile.clicked, timeout=1000):
        qtbot.keyClick(tile, QtCore.Qt.Key.Key_Space)
    with qtbot.assertNotEmitted(tile.clicked):
        qtbot.mouseClick(tile, QtCore.Qt.MouseButton.RightButton)


# ===================================================================== translator
SAMPLE_TS = textwrap.dedent("""\
    <?xml version="1.0" encoding="utf-8"?>
    <!DOCTYPE TS>
    <TS version="2.1" language="vi_VN" sourcelanguage="en">
    <context>
        <name>ctx</name>
        <message>
            <source>text</source>
            <translation>văn bản</translation>
        </message>
        <message>
            <source>Open</source>
            <comment>verb</comment>
            <translation>Mở</translation>
        </message>
        <message>
            <source>Open</source>
            <translation>Đang mở</translation>
        </message>
        <message>
            <source>empty unfinished</source>
            <translation type="unfinished"></translation>
        </message>
        <message>
            <source>guessed</source>
            <translation type="unfinished">đoán</translation>
        </message>
        <message>
            <source>old</source>
            <translation type="obsolete">cũ</translation>
        </message>
        <message>
            <source>gone</source>
            <translation type="vanished">mất</translation>
        </message>
        <message numerus="yes">
            <source>%n alarm(s)</source>
            <translation>
                <numerusform>%n cảnh báo</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>Station</name>
        <message>
            <source>Water level</source>
            <translation>Mực nước</translation>
        </message>
        <message numerus="yes">
            <source>%n alarm(s)</source>
            <translation>
                <numerusform>%n cảnh báo</numerusform>
            </translation>
        </message>
    </context>
    </TS>
    """)


class Station(QtCore.QObject):
    def title(self) -> str:
        return self.tr("Water level")

    def alarms(self, n: int) -> str:
        return self.tr("%n alarm(s)", "", n)


class RiverStation(Station):
    """A subclass: PySide6's tr() asks "RiverStation" first, then walks to "Station"."""


@pytest.fixture
def sample_ts(tmp_path) -> Path:
    path = tmp_path / "sample_vi.ts"
    path.write_text(SAMPLE_TS, encoding="utf-8")
    return path


def test_translator_answers_from_a_ts_file(sample_ts):
    tr = TsTranslator(sample_ts)
    assert tr.language() == "vi_VN" and not tr.isEmpty()
    assert tr.translate("ctx", "text") == "văn bản"
    assert tr.translate("ctx", "Open", "verb") == "Mở"
    assert tr.translate("ctx", "Open") == "Đang mở"
    assert tr.translate("ctx", "Open", "unknown comment") == "Đang mở"  # like QTranslator
    assert tr.translate("ctx", "guessed") == "đoán"  # unfinished but filled: used, as lrelease
    for missing in ("empty unfinished", "old", "gone", "not there"):
        assert tr.translate("ctx", missing) is None  # None: Qt falls back to the source
    assert tr.translate("other", "text") is None
    assert tr.translate("ctx", "%n alarm(s)", None, 5) == "%n cảnh báo"


def test_installed_translator_serves_translate_and_tr(english, sample_ts):
    app = english
    translator = TsTranslator(sample_ts, parent=app)
    app.installTranslator(translator)
    try:
        assert QtCore.QCoreApplication.translate("ctx", "text") == "văn bản"
        assert QtCore.QCoreApplication.translate("ctx", "Open", "verb") == "Mở"
        assert QtCore.QCoreApplication.translate("ctx", "not there") == "not there"
        assert QtCore.QCoreApplication.translate("ctx", "%n alarm(s)", None, 3) == "3 cảnh báo"
        assert Station().title() == "Mực nước"  # self.tr(): context = class name
        assert Station().alarms(2) == "2 cảnh báo"  # numerus, %n filled by Qt
        # The call-style quirk this project relies on: a subclass's tr() falls back
        # to the base class context when the translator answers None.
        assert RiverStation().title() == "Mực nước"
    finally:
        app.removeTranslator(translator)
    assert Station().title() == "Water level"


def test_real_vietnamese_file_parses():
    # Completeness is `python -m ioc_desktop.i18n check`'s job (run it in CI), not this test's.
    path = i18n.ts_path_for("vi")
    catalog = parse_ts(path)
    assert catalog.language == "vi_VN"
    assert any(m.is_active and m.is_translated for m in catalog.messages)
    tr = TsTranslator(path)
    assert tr.translate("TimeSeriesPlot", "STALE") == "DỮ LIỆU CŨ"
    assert tr.translate("TimeSeriesPlot", "Water level") == "Mực nước"
    assert tr.translate("AqiBand", "Very bad") == "Rất xấu"


def test_install_vi_then_back_to_en_retranslates_widgets(qtbot, english):
    from widgets.kpi_tile import KpiTile
    from widgets.timeseries_plot import TimeSeriesPlot

    app = english
    plot = TimeSeriesPlot("x", "m")
    tile = KpiTile("x", "1")
    qtbot.addWidget(plot)
    qtbot.addWidget(tile)
    plot.set_stale(True)  # default text: the translated "STALE"
    tile.set_abnormal(2)
    assert plot.overlay_text() == "STALE"

    translator = install_translator(app, "vi")
    assert isinstance(translator, TsTranslator) and translator.parent() is app
    assert QtCore.QCoreApplication.translate("TimeSeriesPlot", "STALE") == "DỮ LIỆU CŨ"
    qtbot.waitUntil(lambda: plot.overlay_text() == "DỮ LIỆU CŨ", timeout=2000)
    qtbot.waitUntil(lambda: tile._badge.toolTip() == "2 mục cần xử lý", timeout=2000)
    again = install_translator(app, "vi_VN")  # switching replaces, never stacks
    assert app.findChildren(TsTranslator) == [again]

    assert install_translator(app, "en") is None
    assert app.findChildren(TsTranslator) == []
    assert QtCore.QCoreApplication.translate("TimeSeriesPlot", "STALE") == "STALE"
    qtbot.waitUntil(lambda: plot.overlay_text() == "STALE", timeout=2000)


def test_unknown_language_is_refused_with_the_choices(english):
    assert available_languages() == ["en", "vi"]
    with pytest.raises(ValueError, match="en, vi"):
        install_translator(english, "fr")


def test_noop_marker_returns_the_source():
    assert i18n.QT_TRANSLATE_NOOP("AqiBand", "Good") == "Good"


# ============================================================= update / check CLI
SOURCE = textwrap.dedent("""\
    from PySide6 import QtCore, QtGui
    from ioc_desktop.i18n import QT_TRANSLATE_NOOP

    NAMES = [QT_TRANSLATE_NOOP("Levels", "Flood level")]


    class Panel(QtCore.QObject):
        def title(self):
            return self.tr("Hello")


    def footer():
        t = QtGui.QTransform()
        t.translate(1 + 2, 3 * 4)  # not a translation: must not be flagged
        return QtCore.QCoreApplication.translate("Footer", "Goodbye")
    """)


def _project(tmp_path: Path, source: str = SOURCE) -> Path:
    (tmp_path / "widgets").mkdir()
    (tmp_path / "widgets" / "panel.py").write_text(source, encoding="utf-8")
    return tmp_path / "ioc_vi.ts"


def _run(args, capsys):
    code = i18n.main(args)
    out = capsys.readouterr()
    return code, out.out + out.err


def test_check_reports_missing_translations(tmp_path, capsys):
    ts = _project(tmp_path)
    code, out = _run(["check", "--root", str(tmp_path), "--ts", str(ts), "widgets"], capsys)
    assert code == 1, out
    assert "Panel: 'Hello'" in out and "Footer: 'Goodbye'" in out
    assert "Levels: 'Flood level'" in out
    assert "widgets/panel.py:9" in out  # where it is
    assert "built at run time" not in out  # QTransform.translate(1 + 2, ...) is not flagged
    assert not ts.exists()  # check never writes the .ts


def test_update_then_translate_then_check_passes_and_update_keeps_translations(tmp_path, capsys):
    ts = _project(tmp_path)
    code, out = _run(["update", "--root", str(tmp_path), "--ts", str(ts), "widgets"], capsys)
    assert code == 0, out
    catalog = parse_ts(ts)
    assert catalog.language == "vi_VN"
    assert {(m.context, m.source) for m in catalog.messages} == {
        ("Panel", "Hello"), ("Footer", "Goodbye"), ("Levels", "Flood level")}
    assert all(m.type == "unfinished" for m in catalog.messages)

    # A translator fills them in (what Qt Linguist would write).
    text = ts.read_text("utf-8")
    for src, vi in (("Hello", "Xin chào"), ("Goodbye", "Tạm biệt"), ("Flood level", "Mức lũ")):
        text = text.replace(f"<source>{src}</source>\n        <translation type=\"unfinished\"></translation>",
                            f"<source>{src}</source>\n        <translation>{vi}</translation>")
    ts.write_text(text, "utf-8")
    code, out = _run(["check", "--root", str(tmp_path), "--ts", str(ts), "widgets"], capsys)
    assert code == 0, out + text

    # A new string appears; update keeps the old translations and adds it untranslated.
    src = tmp_path / "widgets" / "panel.py"
    src.write_text(SOURCE.replace('self.tr("Hello")', 'self.tr("Hello") + self.tr("Welcome")'), "utf-8")
    code, out = _run(["update", "--root", str(tmp_path), "--ts", str(ts), "widgets"], capsys)
    assert code == 0, out
    tr = TsTranslator(ts)
    assert tr.translate("Panel", "Hello") == "Xin chào"
    assert tr.translate("Panel", "Welcome") is None
    code, out = _run(["check", "--root", str(tmp_path), "--ts", str(ts), "widgets"], capsys)
    assert code == 1 and "Panel: 'Welcome'" in out and "Hello" not in out


@pytest.mark.parametrize("bad, expected", [
    ('self.tr(f"Hello {self}")', "built at run time"),
    ('self.tr("Hello " + str(self))', "built at run time"),
    ('QtCore.QCoreApplication.translate(CTX, "Hello")', "not a string literal"),
    ('QT_TRANSLATE_NOOP(CTX, "Hello")', "not a string literal"),
    ('tr("Hello")\n\n\ndef tr(text):\n    return text', "defines tr()"),
    ('tr("Hello")\n\n\ntr = QtCore.QCoreApplication.translate', "assigns tr"),
])
def test_check_flags_calls_lupdate_would_get_wrong(tmp_path, capsys, bad, expected):
    source = "CTX = 'Panel'\n" + SOURCE.replace('return self.tr("Hello")', f"return {bad}")
    ts = _project(tmp_path, source)
    problems = i18n.lint_sources(tmp_path, ["widgets"])
    assert len(problems) == 1 and expected in problems[0], problems
    assert problems[0].startswith("widgets/panel.py:")
    code, out = _run(["check", "--root", str(tmp_path), "--ts", str(ts), "widgets"], capsys)
    assert code == 1 and expected in out


def test_lint_accepts_the_recommended_styles(tmp_path):
    _project(tmp_path, SOURCE + textwrap.dedent("""\
        CTX = "Levels"


        def shown(name):
            return QtCore.QCoreApplication.translate("Levels", name)  # display half of NOOP


        def shown_var_ctx(name):
            return QtCore.QCoreApplication.translate(CTX, name)
        """))
    assert i18n.lint_sources(tmp_path, ["widgets"]) == []


def test_lupdate_ships_with_pyside6():
    exe = i18n.find_lupdate()
    assert exe.is_file()
