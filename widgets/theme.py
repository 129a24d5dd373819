"""Dark control-room theme, readable on a video wall from 3–8 m.

``apply_dark_theme(app)`` sets the Fusion style, a dark palette, a large base font, the
QSS from ``resources/theme/dark.qss`` and pyqtgraph's colours.  The colour constants
below are the single source of truth: the QSS is a :class:`string.Template` whose
``${NAME}`` placeholders are filled from :data:`QSS_COLORS`, so widgets drawing by hand
(plots, map layers) and the stylesheet always agree.
"""
from __future__ import annotations

import importlib.resources
from dataclasses import dataclass
from string import Template

from PySide6 import QtGui, QtWidgets

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

# --- surfaces and text -------------------------------------------------------------
BACKGROUND = "#111417"  # plot and window background (near black, not pure black: less glare)
SURFACE = "#1a1f24"  # panels, table base
SURFACE_ALT = "#232a31"  # alternating rows, raised elements
BORDER = "#3a444e"
TEXT = "#e6e9ec"  # primary text: ~15:1 contrast on BACKGROUND
TEXT_MUTED = "#a3acb5"  # secondary text, still > 7:1 on BACKGROUND
HIGHLIGHT = "#1f6fd1"  # selection background (white text on it: > 4.5:1)

# --- semantic state colours (reuse these, don't invent new reds) ----------------------
OK = "#2fd07a"
WARN = "#ffb000"
ALARM = "#ff2d2d"
STALE = "#7d8790"  # greyed "not live" — deliberately colourless
INFO = "#4aa3ff"

# Threshold lines by rank (1st, 2nd, 3rd…; beyond the 3rd stays red), e.g. flood BĐ1–BĐ3.
THRESHOLD_COLORS = ("#ffd400", "#ff7e00", "#ff2d2d")

STATE_COLORS = {"ok": OK, "warn": WARN, "alarm": ALARM, "stale": STALE, "info": INFO}

BASE_FONT_PT = 12  # >= 11 pt: the console minimum; wall widgets set larger fonts themselves


def threshold_color(rank: int) -> str:
    """Colour of the threshold of 0-based ``rank`` (lowest level = rank 0)."""
    return THRESHOLD_COLORS[min(max(rank, 0), len(THRESHOLD_COLORS) - 1)]


# --- VN_AQI bands (QĐ 1459/QĐ-TCMT 2019) ----------------------------------------------
@dataclass(frozen=True)
class AqiBand:
    low: int
    high: int
    name: str  # English source text; show with QCoreApplication.translate("AqiBand", name)
    color: str


AQI_BANDS: tuple[AqiBand, ...] = (
    AqiBand(0, 50, QT_TRANSLATE_NOOP("AqiBand", "Good"), "#00e400"),  # Tốt (0,228,0)
    AqiBand(51, 100, QT_TRANSLATE_NOOP("AqiBand", "Moderate"), "#ffff00"),  # Trung bình
    AqiBand(101, 150, QT_TRANSLATE_NOOP("AqiBand", "Poor"), "#ff7e00"),  # Kém
    AqiBand(151, 200, QT_TRANSLATE_NOOP("AqiBand", "Bad"), "#ff0000"),  # Xấu
    AqiBand(201, 300, QT_TRANSLATE_NOOP("AqiBand", "Very bad"), "#8f3f97"),  # Rất xấu (143,63,151)
    AqiBand(301, 500, QT_TRANSLATE_NOOP("AqiBand", "Hazardous"), "#7e0023"),  # Nguy hại (126,0,35)
)


def aqi_band(aqi: float) -> AqiBand:
    """The band of an AQI value; above 500 stays "Hazardous", below 0 is refused."""
    if not aqi >= 0:  # also catches NaN
        raise ValueError(f"AQI must be >= 0, got {aqi!r}")
    for band in AQI_BANDS:
        # Bands are integer ranges; a fractional AQI like 50.4 belongs to the lower band.
        if aqi < band.high + 1:
            return band
    return AQI_BANDS[-1]


def aqi_color(aqi: float) -> str:
    return aqi_band(aqi).color


# --- application -------------------------------------------------------------------
QSS_COLORS = {
    "BACKGROUND": BACKGROUND,
    "SURFACE": SURFACE,
    "SURFACE_ALT": SURFACE_ALT,
    "BORDER": BORDER,
    "TEXT": TEXT,
    "TEXT_MUTED": TEXT_MUTED,
    "HIGHLIGHT": HIGHLIGHT,
    "OK": OK,
    "WARN": WARN,
    "ALARM": ALARM,
    "STALE": STALE,
    "INFO": INFO,
}


def load_qss(name: str = "dark.qss") -> str:
    """The stylesheet from ``resources/theme/`` with its colour placeholders filled.

    An unknown ``${NAME}`` raises KeyError: a typo must not silently drop a colour.
    """
    text = importlib.resources.files("resources").joinpath("theme", name).read_text("utf-8")
    return Template(text).substitute(QSS_COLORS)


def dark_palette() -> QtGui.QPalette:
    C = QtGui.QColor
    R = QtGui.QPalette.ColorRole
    G = QtGui.QPalette.ColorGroup
    pal = QtGui.QPalette()
    for role, color in (
        (R.Window, BACKGROUND),
        (R.WindowText, TEXT),
        (R.Base, SURFACE),
        (R.AlternateBase, SURFACE_ALT),
        (R.ToolTipBase, SURFACE_ALT),
        (R.ToolTipText, TEXT),
        (R.PlaceholderText, TEXT_MUTED),
        (R.Text, TEXT),
        (R.Button, SURFACE_ALT),
        (R.ButtonText, TEXT),
        (R.BrightText, "#ffffff"),
        (R.Highlight, HIGHLIGHT),
        (R.HighlightedText, "#ffffff"),
        (R.Link, INFO),
        (R.LinkVisited, "#b48cff"),
        (R.Light, "#3a444e"),
        (R.Midlight, "#2c343c"),
        (R.Mid, "#262d34"),
        (R.Dark, "#0b0d0f"),
        (R.Shadow, "#000000"),
    ):
        pal.setColor(role, C(color))
    for role in (R.WindowText, R.Text, R.ButtonText):
        pal.setColor(G.Disabled, role, C(STALE))
    return pal


def apply_dark_theme(app: QtWidgets.QApplication, base_font_pt: int = BASE_FONT_PT) -> None:
    """Make ``app`` dark and large.  Call before creating plots (pyqtgraph reads its
    colours when a PlotWidget is built)."""
    import pyqtgraph as pg  # local: importing pyqtgraph is slow and only plots need it

    app.setStyle("Fusion")  # the native styles ignore parts of the palette
    app.setPalette(dark_palette())
    font = app.font()
    font.setPointSize(max(int(base_font_pt), 11))
    app.setFont(font)
    app.setStyleSheet(load_qss())
    pg.setConfigOptions(background=BACKGROUND, foreground=TEXT)


def repolish(widget: QtWidgets.QWidget) -> None:
    """Re-apply the stylesheet after a dynamic property changed (QSS doesn't do it itself)."""
    style = widget.style()
    for w in [widget, *widget.findChildren(QtWidgets.QWidget)]:
        style.unpolish(w)
        style.polish(w)
        w.update()


def to_qcolor(color: str, alpha: int | None = None) -> QtGui.QColor:
    c = QtGui.QColor(color)
    if alpha is not None:
        c.setAlpha(alpha)
    return c


__all__ = [
    "ALARM", "AQI_BANDS", "AqiBand", "BACKGROUND", "BASE_FONT_PT", "BORDER", "HIGHLIGHT",
    "INFO", "OK", "QSS_COLORS", "STALE", "STATE_COLORS", "SURFACE", "SURFACE_ALT", "TEXT",
    "TEXT_MUTED", "THRESHOLD_COLORS", "WARN", "apply_dark_theme", "aqi_band", "aqi_color",
    "dark_palette", "load_qss", "repolish", "threshold_color", "to_qcolor",
]
