"""The wall rendering's knobs, in one place: fonts, row heights, column subsets.

A panel on a wall window is read from 3–8 m (DESIGN.md): no capital letter may be
smaller than the screen's minimum (``ioc_desktop.wall.readability.min_text_px``, about
37 device px on a 55-inch 1080p display at 5 m).  :class:`WallStyle` turns that
minimum into fonts, measured (``QFontMetricsF.capHeight``), not guessed; every wall
rendering (the widgets' ``set_wall_style`` hooks, the plugins' wall panels) takes its
fonts and row heights from it, so none repeats the arithmetic.

:func:`wallify` gives any panel its wall rendering: the console's controls (filter
bars, buttons, search fields, check boxes) go, since a wall is watched, not handled;
tables keep the columns their view names in its ``wallColumns`` property, in large
rows; labels, tab bars and headers get wall fonts; a widget with a
``set_wall_style(style)`` method (KPI tiles, plots, picture tiles, counters) does its
own; a widget whose ``wallHidden`` property is true is hidden.  The console rendering
is never touched: a GUI is built for the wall (``AppContext.wall_text_px``) or for
the console, never both.

GUI thread only.  Knows no service.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Iterable

from PySide6 import QtCore, QtGui, QtWidgets

from widgets.table_base import fit_columns

Qt = QtCore.Qt

#: Item views: the columns (model indexes) kept on the wall, e.g. ``(0, 2, 4)``.
WALL_COLUMNS = "wallColumns"
#: Item views: the column that takes the width left (default: the last one kept).
WALL_STRETCH = "wallStretch"
#: Any widget: hidden on the wall (details panes, help, secondary figures).
WALL_HIDDEN = "wallHidden"
#: Any widget: left alone by :func:`wallify` (it was given its wall rendering already).
WALL_DONE = "wallDone"
#: Item views: columns whose colour is itself spelled out (a priority's number on its
#: colour): no MARK there.
WALL_NO_MARK = "wallNoMark"

ROW_PAD = 0.30          # a table row: the font's height plus this share of it
HEADING_SCALE = 1.0     # headers and titles: the minimum too (width is scarce)
FIGURE_SCALE = 1.6      # the big figure of a tile: room allowing


@dataclass
class WallStyle:
    """Fonts for text whose capitals are at least ``min_cap_px`` device pixels high
    on a screen of ``device_pixel_ratio`` (device px per logical px)."""

    min_cap_px: float
    device_pixel_ratio: float = 1.0
    _sizes: dict = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.min_cap_px > 0:
            raise ValueError(f"min_cap_px must be > 0, got {self.min_cap_px!r}")
        if not self.device_pixel_ratio > 0:
            self.device_pixel_ratio = 1.0

    # ------------------------------------------------------------------ fonts
    def pixel_size(self, scale: float = 1.0, *, bold: bool = False,
                   base: QtGui.QFont | None = None) -> int:
        """The smallest pixel size (logical px) whose capitals reach ``min_cap_px ×
        scale`` device px in ``base``'s family (default: the application's)."""
        base = QtGui.QFont(base if base is not None else QtGui.QGuiApplication.font())
        target = self.min_cap_px * max(scale, 1.0) / self.device_pixel_ratio
        key = (base.family(), bold, round(target, 3))
        size = self._sizes.get(key)
        if size is not None:
            return size
        font = QtGui.QFont(base)
        font.setBold(bold)

        def cap(px: int) -> float:
            font.setPixelSize(px)
            return QtGui.QFontMetricsF(font).capHeight()

        px = max(2, int(math.ceil(target / 0.72)))
        while cap(px) < target and px < 2000:
            px += 1
        while px > 2 and cap(px - 1) >= target:
            px -= 1
        self._sizes[key] = px
        return px

    def font(self, scale: float = 1.0, *, bold: bool = False,
             base: QtGui.QFont | None = None) -> QtGui.QFont:
        """A wall font: capitals ≥ the minimum × ``scale`` (never below the minimum)."""
        font = QtGui.QFont(base if base is not None else QtGui.QGuiApplication.font())
        font.setBold(bold)
        font.setPixelSize(self.pixel_size(scale, bold=bold, base=base))
        return font

    def heading(self) -> QtGui.QFont:
        return self.font(HEADING_SCALE, bold=True)

    def line_height(self, font: QtGui.QFont | None = None) -> int:
        return int(math.ceil(QtGui.QFontMetricsF(font or self.font()).height()))

    def row_height(self, font: QtGui.QFont | None = None) -> int:
        """A table row for ``font``: its line and some air, never clipping it."""
        h = self.line_height(font)
        return h + int(math.ceil(h * ROW_PAD))

    def css_px(self, scale: float = 1.0, *, bold: bool = False) -> int:
        """The pixel size for a font given as CSS (pyqtgraph labels, HTML)."""
        return self.pixel_size(scale, bold=bold)

    def qss_font(self, scale: float = 1.0, *, bold: bool = False) -> str:
        """The same font as :meth:`font` as stylesheet declarations.  For widgets whose
        style is re-polished (dynamic properties): a stylesheet's font is applied at
        every polish, where one given with setFont() may be put back to the font the
        widget had when it was first polished."""
        font = self.font(scale, bold=bold)
        family = font.family().replace('"', "")
        return (f'font-family: "{family}"; font-size: {font.pixelSize()}px;'
                f" font-weight: {'bold' if bold else 'normal'};")


def style_for(context) -> WallStyle | None:
    """The wall style of an ``AppContext`` (None: the console)."""
    px = getattr(context, "wall_text_px", None)
    if not px:
        return None
    return WallStyle(float(px), float(getattr(context, "wall_device_pixel_ratio", 1.0) or 1.0))


# ---------------------------------------------------------------------- declarations
def wall_columns(view: QtWidgets.QAbstractItemView, columns: Iterable[int],
                 stretch: int | None = None) -> None:
    """Declare the columns ``view`` keeps on the wall (and the one that stretches)."""
    view.setProperty(WALL_COLUMNS, [int(c) for c in columns])
    if stretch is not None:
        view.setProperty(WALL_STRETCH, int(stretch))


def wall_hidden(*widgets: QtWidgets.QWidget) -> None:
    """Declare widgets that the wall rendering leaves out."""
    for w in widgets:
        w.setProperty(WALL_HIDDEN, True)


# ---------------------------------------------------------------------- applying
#: Where Qt's stylesheet style keeps a widget's own font across re-polishing (Qt
#: internal, stable since Qt 4.x): a widget polished under the app's stylesheet, then
#: given a font with setFont(), gets its *earlier* font back when it is reparented
#: (a panel put into a wall cell) unless this property holds the new one too.
_QSS_FONT_PROPERTY = "_q_styleSheetWidgetFont"


def set_wall_font(widget: QtWidgets.QWidget, font: QtGui.QFont) -> None:
    """``widget.setFont(font)``, kept when the widget is reparented or re-polished."""
    widget.setFont(font)
    widget.setProperty(_QSS_FONT_PROPERTY, font)


#: Cells drawn in an alarm or warning colour (text or background) carry a shape too on
#: the wall ("▲ lost signal", "▲ 2.35 m"): colour is never the only signal.
MARK = "▲ "


def _marked_colors() -> frozenset[str]:
    from widgets.theme import ALARM, THRESHOLD_COLORS, WARN
    return frozenset(c.lower() for c in (ALARM, WARN, *THRESHOLD_COLORS))


def _color_name(value) -> str | None:
    if isinstance(value, QtGui.QBrush):
        value = value.color()
    if isinstance(value, QtGui.QColor):
        return value.name().lower()
    if isinstance(value, str):
        return QtGui.QColor(value).name().lower()
    return None


class WallItemDelegate(QtWidgets.QStyledItemDelegate):
    """Draws every cell in the wall font (bold kept from the model's FontRole), one
    line, elided at the right: a model's own small FontRole fonts can't shrink a wall
    table's text.  :meth:`display_font` is what the readability probe measures.  A row
    cut by the bottom of the view is not drawn at all (:attr:`whole_rows_only`): a
    half-shown figure could be misread."""

    whole_rows_only = True
    #: the alarm and warning colours that bring a shape with them (see MARK)
    marked_colors = frozenset()

    def __init__(self, style: WallStyle, parent=None):
        super().__init__(parent)
        self.style_ = style
        self._plain = style.font()
        self._bold = style.font(bold=True)
        self.marked_colors = _marked_colors()

    def marked(self, index: QtCore.QModelIndex) -> bool:
        """Is this cell in an alarm or warning colour (then it shows :data:`MARK`)?"""
        view = self.parent()
        if isinstance(view, QtWidgets.QAbstractItemView) and index.column() in (view.property(WALL_NO_MARK) or ()):
            return False
        for role in (Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.BackgroundRole):
            if _color_name(index.data(role)) in self.marked_colors:
                return True
        return False

    def display_text(self, index: QtCore.QModelIndex) -> str:
        """The text the cell shows (the model's, with :data:`MARK` when coloured)."""
        text = index.data(Qt.ItemDataRole.DisplayRole)
        text = "" if text is None else str(text)
        return MARK + text if text and self.marked(index) and not text.startswith(MARK) else text

    def display_font(self, index: QtCore.QModelIndex) -> QtGui.QFont:
        own = index.data(Qt.ItemDataRole.FontRole)
        return self._bold if isinstance(own, QtGui.QFont) and own.bold() else self._plain

    def initStyleOption(self, option, index) -> None:  # noqa: N802 (Qt API)
        super().initStyleOption(option, index)
        if option.text:
            option.text = self.display_text(index)
        option.font = self.display_font(index)
        option.fontMetrics = QtGui.QFontMetrics(option.font)
        option.textElideMode = Qt.TextElideMode.ElideRight

    def paint(self, painter, option, index) -> None:
        view = self.parent()
        viewport = view.viewport() if isinstance(view, QtWidgets.QAbstractItemView) else None
        if viewport is not None and option.rect.bottom() > viewport.height():
            return
        super().paint(painter, option, index)

    def sizeHint(self, option, index) -> QtCore.QSize:  # noqa: N802
        hint = super().sizeHint(option, index)
        return QtCore.QSize(hint.width(), max(hint.height(), self.style_.row_height()))


def wall_table(view: QtWidgets.QAbstractItemView, style: WallStyle,
               columns: Iterable[int] | None = None, stretch: int | None = None) -> None:
    """A table in its wall rendering: the wall font, rows that hold it, only
    ``columns`` (default: its ``wallColumns`` property, else all), no scroll bars, the
    ``stretch`` column (default: its ``wallStretch``, else the last kept) taking the
    width left, the others sized to their contents."""
    font = style.font()
    set_wall_font(view, font)
    delegate = WallItemDelegate(style, view)
    view.setItemDelegate(delegate)
    view._wall_delegate = delegate            # keep it (Qt does not own delegates)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setProperty(WALL_DONE, True)
    if not isinstance(view, QtWidgets.QTableView):
        return
    view.setWordWrap(False)
    vheader = view.verticalHeader()
    vheader.setMinimumSectionSize(style.row_height())
    vheader.setDefaultSectionSize(style.row_height())
    vheader.setSectionResizeMode(QtWidgets.QHeaderView.ResizeMode.Fixed)
    header = view.horizontalHeader()
    heading = style.heading()
    set_wall_font(header, heading)
    # a header's own font does not survive reparenting under the app's stylesheet (its
    # ::section rule): say it in a stylesheet of its own, which every polish re-applies
    header.setStyleSheet(f"QHeaderView {{ {style.qss_font(HEADING_SCALE, bold=True)} }}")
    header.setMinimumHeight(style.row_height(style.heading()))
    header.setProperty(WALL_DONE, True)
    model = view.model()
    n = model.columnCount() if model is not None else 0
    keep = list(columns) if columns is not None else view.property(WALL_COLUMNS)
    keep = [c for c in (keep if keep else range(n)) if 0 <= c < n]
    if stretch is None:
        stretch = view.property(WALL_STRETCH)
    if stretch is None or stretch not in keep:
        stretch = keep[-1] if keep else None
    header.setStretchLastSection(False)
    for col in range(n):
        view.setColumnHidden(col, col not in keep)
        if col == stretch:
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.Stretch)
    fit_columns(view, [c for c in keep if c != stretch])


def wall_label(label: QtWidgets.QLabel, style: WallStyle, scale: float = 1.0) -> None:
    """A label in the wall font (bold kept), its text's height respected."""
    set_wall_font(label, style.font(scale, bold=label.font().bold()))
    label.setMinimumHeight(0)
    label.setProperty(WALL_DONE, True)


INPUTS = (QtWidgets.QLineEdit, QtWidgets.QComboBox, QtWidgets.QAbstractButton,
          QtWidgets.QToolBar, QtWidgets.QAbstractSpinBox, QtWidgets.QAbstractSlider,
          QtWidgets.QMenuBar)


def _in_done(widget: QtWidgets.QWidget, root: QtWidgets.QWidget) -> bool:
    """Inside a widget that already has its wall rendering (below ``root``)."""
    w = widget.parentWidget()
    while w is not None and w is not root:
        if w.property(WALL_DONE) or w.property(WALL_HIDDEN):
            return True
        w = w.parentWidget()
    return False


def wallify(root: QtWidgets.QWidget, style: WallStyle) -> QtWidgets.QWidget:
    """Give ``root`` and everything in it its wall rendering (module docstring).
    Returns ``root``."""
    widgets = [root, *root.findChildren(QtWidgets.QWidget)]
    # the widgets with their own wall rendering first: their children are theirs
    for w in widgets:
        if w.property(WALL_HIDDEN) or w.property(WALL_DONE):
            continue
        hook = getattr(w, "set_wall_style", None)
        if callable(hook) and not _in_done(w, root):
            hook(style)
            w.setProperty(WALL_DONE, True)
    for w in widgets:
        if w.property(WALL_DONE) and w is not root:
            continue
        if _in_done(w, root):
            continue
        if w.property(WALL_HIDDEN):
            w.hide()
            continue
        if isinstance(w, QtWidgets.QScrollBar):
            continue                               # their views turn them off
        if isinstance(w, QtWidgets.QHeaderView):
            continue                               # with their table
        if isinstance(w, INPUTS) or type(w).__name__ == "FilterBar":
            w.hide()
            w.setProperty(WALL_HIDDEN, True)
            continue
        if isinstance(w, QtWidgets.QAbstractItemView):
            wall_table(w, style)
        elif isinstance(w, QtWidgets.QLabel):
            wall_label(w, style)
        elif isinstance(w, QtWidgets.QTabBar):
            set_wall_font(w, style.heading())
        elif isinstance(w, QtWidgets.QAbstractScrollArea):
            w.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            w.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        elif isinstance(w, QtWidgets.QSplitter):
            w.setHandleWidth(2)
    root.setProperty(WALL_DONE, True)
    return root


__all__ = ["MARK", "set_wall_font", "WALL_COLUMNS", "WALL_DONE", "WALL_NO_MARK", "WALL_HIDDEN", "WALL_STRETCH", "WallItemDelegate",
           "WallStyle", "style_for", "wall_columns", "wall_hidden", "wall_label", "wall_table",
           "wallify"]
