"""Measure the text a window shows: the height of its capital letters, in device pixels.

The wall's rule (``ioc_desktop.wall.readability``): no text on a wall window has
capitals under ``min_text_px``.  :func:`smallest_text` walks every visible widget of a
window and measures every text it draws, smallest first, as
``(cap_px, widget path, text)``:

* labels (plain text, and rich text fragment by fragment), buttons, line edits and
  combo boxes, tab bars;
* item views: the header sections shown and every cell in the viewport, in the font
  the cell is drawn with (a delegate's ``display_font(index)`` — see
  ``widgets.wall_style.WallItemDelegate`` — else the model's FontRole over the view's
  font);
* pyqtgraph scenes (any QGraphicsView): axis tick labels (the exact strings the axis
  draws, from ``generateDrawSpecs``), axis and plot labels, text items (value tags,
  threshold labels), with the item's scale on screen;
* widgets that paint their own text and say what they draw: a ``drawn_texts()``
  method returning ``[(text, QFont), …]`` (``widgets.image_tile.ImageTile``).

``QFontMetricsF(font, widget).capHeight()`` × the widget's device pixel ratio is the
measure: the font's own cap height as rasterised on that screen.

What it can't see: text inside a QWebEngineView (the map page: Chromium draws it; see
``widgets.map_view.MapView.wall_text_check`` for a check through the page's computed
styles), and text a widget paints with QPainter without declaring it in
``drawn_texts()``.  :func:`unmeasured` lists the web views so a test can check them
its own way.

:func:`clipped_text` finds text that doesn't fit where it is drawn (a label cut at
its bottom or right, a table row lower than its font, a number elided in a cell), and
:func:`overlapping_text` graphics texts that overlap on screen (threshold labels,
value tags).

GUI thread only.  Knows no service.
"""
from __future__ import annotations

import math
import re
from typing import Iterable, NamedTuple

from PySide6 import QtCore, QtGui, QtWidgets

Qt = QtCore.Qt
MAX_CELLS = 4000           # per item view: what a wall screen can show, with margin


class TextSample(NamedTuple):
    cap_px: float           # capital letters' height, device px
    path: str               # window/…/widget (object names, else class names)
    text: str


class Clipped(NamedTuple):
    path: str
    text: str
    reason: str
    numeric: bool           # a figure (digits): must never clip


# --------------------------------------------------------------------------- helpers
def widget_path(widget: QtWidgets.QWidget, root: QtWidgets.QWidget | None = None) -> str:
    parts = []
    w = widget
    while w is not None:
        parts.append(w.objectName() or type(w).__name__)
        if w is root:
            break
        w = w.parentWidget()
    return "/".join(reversed(parts))


def cap_px(font: QtGui.QFont, device: QtGui.QPaintDevice | None = None, dpr: float = 1.0,
           scale: float = 1.0) -> float:
    metrics = QtGui.QFontMetricsF(font, device) if device is not None else QtGui.QFontMetricsF(font)
    return metrics.capHeight() * dpr * scale


def _shown(widget: QtWidgets.QWidget, root: QtWidgets.QWidget) -> bool:
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return False
    # clipped away entirely by an ancestor (scrolled out, a zero-size splitter pane)
    rect = QtCore.QRect(widget.mapTo(root, QtCore.QPoint(0, 0)), widget.size())
    w = widget.parentWidget()
    while w is not None and w is not root:
        area = QtCore.QRect(w.mapTo(root, QtCore.QPoint(0, 0)), w.size())
        rect = rect.intersected(area)
        if rect.isEmpty():
            return False
        w = w.parentWidget()
    return not rect.intersected(root.rect()).isEmpty()


def _visible_rect(widget: QtWidgets.QWidget, root: QtWidgets.QWidget) -> QtCore.QRect:
    """The part of ``widget`` (in ``root``'s coordinates) its ancestors let show."""
    rect = QtCore.QRect(widget.mapTo(root, QtCore.QPoint(0, 0)), widget.size())
    w = widget.parentWidget()
    while w is not None and w is not root:
        rect = rect.intersected(QtCore.QRect(w.mapTo(root, QtCore.QPoint(0, 0)), w.size()))
        w = w.parentWidget()
    return rect.intersected(root.rect())


def _dpr(widget: QtWidgets.QWidget) -> float:
    try:
        return float(widget.devicePixelRatioF()) or 1.0
    except Exception:  # pragma: no cover - a widget without a screen yet
        return 1.0


def document_fonts(doc: QtGui.QTextDocument, default: QtGui.QFont) -> list[tuple[str, QtGui.QFont]]:
    """(text, font) per fragment of a rich-text document."""
    out = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.isValid() and frag.text().strip():
                fmt = frag.charFormat()
                font = fmt.font().resolve(default) if fmt.font() is not None else QtGui.QFont(default)
                # a format without a size keeps the default's
                if fmt.fontPointSize() <= 0 and not fmt.hasProperty(QtGui.QTextFormat.Property.FontPixelSize):
                    if default.pixelSize() > 0:
                        font.setPixelSize(default.pixelSize())
                    else:
                        font.setPointSizeF(default.pointSizeF())
                out.append((frag.text(), font))
            it += 1
        block = block.next()
    return out


def _label_texts(label: QtWidgets.QLabel) -> list[tuple[str, QtGui.QFont]]:
    text = label.text()
    if not text.strip():
        return []
    fmt = label.textFormat()
    rich = fmt == Qt.TextFormat.RichText or (fmt == Qt.TextFormat.AutoText and Qt.mightBeRichText(text))
    if not rich:
        return [(text, label.font())]
    doc = QtGui.QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setHtml(text)
    return document_fonts(doc, label.font())


def _model_font(index: QtCore.QModelIndex, base: QtGui.QFont) -> QtGui.QFont:
    own = index.data(Qt.ItemDataRole.FontRole)
    if isinstance(own, QtGui.QFont):
        return own.resolve(base)
    return base


def _cell_font(view: QtWidgets.QAbstractItemView, index: QtCore.QModelIndex) -> QtGui.QFont:
    delegate = view.itemDelegateForIndex(index) if hasattr(view, "itemDelegateForIndex") \
        else view.itemDelegate()
    display = getattr(delegate, "display_font", None)
    if callable(display):
        return display(index)
    return _model_font(index, view.font())


def _cell_text(view: QtWidgets.QAbstractItemView, index: QtCore.QModelIndex) -> str:
    """What a cell shows: a delegate's ``display_text(index)`` when it has one."""
    delegate = view.itemDelegateForIndex(index) if hasattr(view, "itemDelegateForIndex") \
        else view.itemDelegate()
    shown = getattr(delegate, "display_text", None)
    if callable(shown):
        return shown(index)
    text = index.data(Qt.ItemDataRole.DisplayRole)
    return "" if text is None else str(text)


def _visible_cells(view: QtWidgets.QAbstractItemView) -> Iterable[QtCore.QModelIndex]:
    model = view.model()
    if model is None:
        return
    viewport = view.viewport().rect()
    rows, cols = model.rowCount(), model.columnCount()
    table = isinstance(view, QtWidgets.QTableView)
    # a delegate that leaves rows cut by the view's bottom undrawn: only whole ones count
    whole = bool(getattr(view.itemDelegate(), "whole_rows_only", False))
    first = view.indexAt(QtCore.QPoint(1, 1)).row() if table else 0
    first = max(first, 0)
    n = 0
    for row in range(first, rows):
        any_visible = False
        for col in range(cols):
            if table and view.isColumnHidden(col):
                continue
            index = model.index(row, col)
            rect = view.visualRect(index)
            if rect.isEmpty() or not rect.intersects(viewport):
                continue
            if whole and rect.bottom() > viewport.bottom():
                continue
            any_visible = True
            n += 1
            yield index
            if n >= MAX_CELLS:
                return
        if table and not any_visible and row > first:
            return          # below the viewport


_NUMBER = re.compile(r"\d")


def _numeric(text: str) -> bool:
    """A figure: digits make up a good share of it ("12", "2.35 m", "3/4", "87%")."""
    digits = len(_NUMBER.findall(text))
    return digits > 0 and digits * 2 >= len(text.replace(" ", ""))


# --------------------------------------------------------------------------- pyqtgraph
def _graphics_samples(view: QtWidgets.QGraphicsView, path: str, dpr: float) -> list[TextSample]:
    scene = view.scene()
    if scene is None:
        return []
    out: list[TextSample] = []
    vt = view.viewportTransform()
    try:
        import pyqtgraph as pg
    except ImportError:  # pragma: no cover
        pg = None
    for item in scene.items():
        if not item.isVisible() or item.opacity() <= 0.0:
            continue
        if pg is not None and isinstance(item, pg.AxisItem):
            if not item.style.get("showValues", True):
                continue
            font = item.style.get("tickFont") or view.font()
            for text in _axis_strings(item, font):
                out.append(TextSample(cap_px(font, view, dpr), f"{path}/axis-{item.orientation}", text))
            continue
        if isinstance(item, QtWidgets.QGraphicsTextItem):
            t = item.deviceTransform(vt)
            scale = math.hypot(t.m21(), t.m22()) or 1.0
            for text, font in document_fonts(item.document(), item.font()):
                out.append(TextSample(cap_px(font, view, dpr, scale), f"{path}/{type(item).__name__}", text))
        elif isinstance(item, QtWidgets.QGraphicsSimpleTextItem) and item.text().strip():
            t = item.deviceTransform(vt)
            scale = math.hypot(t.m21(), t.m22()) or 1.0
            out.append(TextSample(cap_px(item.font(), view, dpr, scale), f"{path}/{type(item).__name__}",
                                  item.text()))
        else:
            for _rect, text, font in _painted_texts(item, vt):
                out.append(TextSample(cap_px(font, view, dpr), f"{path}/{type(item).__name__}", text))
    return out


def _painted_texts(item, vt: QtGui.QTransform) -> list[tuple[QtCore.QRectF, str, QtGui.QFont]]:
    """Texts an item paints itself (no text item of its own: e.g. the graphs' value
    tags, ``widgets.value_tags``), as ``(rect in the view's pixels, text, font)``."""
    texts = getattr(item, "painted_texts", None)
    if not callable(texts):
        return []
    vb = item.getViewBox() if hasattr(item, "getViewBox") else None
    if vb is None:
        return []
    origin = vb.deviceTransform(vt).map(QtCore.QPointF(0, 0))
    return [(rect.translated(origin), text, font) for rect, text, font in texts() if text.strip()]


def _axis_strings(axis, font: QtGui.QFont) -> list[str]:
    """The tick strings ``axis`` draws now (pyqtgraph's own layout of them)."""
    image = QtGui.QImage(4, 4, QtGui.QImage.Format.Format_ARGB32)
    painter = QtGui.QPainter(image)
    painter.setFont(font)
    try:
        specs = axis.generateDrawSpecs(painter)
    except Exception:
        specs = None
    finally:
        painter.end()
    if not specs:
        return []
    return [str(spec[2]) for spec in specs[2] if str(spec[2]).strip()]


def _graphics_text_rects(view: QtWidgets.QGraphicsView) -> list[tuple[QtCore.QRectF, str]]:
    out = []
    scene = view.scene()
    if scene is None:
        return out
    vt = view.viewportTransform()
    for item in scene.items():
        if not item.isVisible() or item.opacity() <= 0.0:
            continue
        if isinstance(item, QtWidgets.QGraphicsTextItem) and item.toPlainText().strip():
            # the item's own box (a text item's parent may carry a fill and a border)
            rect = item.deviceTransform(vt).mapRect(item.boundingRect())
            if rect.intersects(QtCore.QRectF(view.viewport().rect())):
                out.append((rect, item.toPlainText()))
        else:
            out.extend((rect, text) for rect, text, _font in _painted_texts(item, vt))
    return out


# --------------------------------------------------------------------------- the probe
def text_samples(window: QtWidgets.QWidget) -> list[TextSample]:
    """Every text ``window`` shows, measured (unsorted)."""
    out: list[TextSample] = []
    widgets = [window, *window.findChildren(QtWidgets.QWidget)]
    for w in widgets:
        if not _shown(w, window):
            continue
        dpr = _dpr(w)
        path = widget_path(w, window)
        if isinstance(w, QtWidgets.QLabel):
            for text, font in _label_texts(w):
                out.append(TextSample(cap_px(font, w, dpr), path, text))
        elif isinstance(w, QtWidgets.QAbstractButton):
            if w.text().strip():
                out.append(TextSample(cap_px(w.font(), w, dpr), path, w.text()))
        elif isinstance(w, QtWidgets.QLineEdit):
            text = w.text() or w.placeholderText()
            if text.strip():
                out.append(TextSample(cap_px(w.font(), w, dpr), path, text))
        elif isinstance(w, QtWidgets.QComboBox):
            if w.currentText().strip():
                out.append(TextSample(cap_px(w.font(), w, dpr), path, w.currentText()))
        elif isinstance(w, QtWidgets.QTabBar):
            for i in range(w.count()):
                if w.isTabVisible(i) and w.tabText(i).strip():
                    out.append(TextSample(cap_px(w.font(), w, dpr), path, w.tabText(i)))
        elif isinstance(w, QtWidgets.QHeaderView):
            model = w.model()
            if model is None:
                continue
            horizontal = w.orientation() == Qt.Orientation.Horizontal
            n = model.columnCount() if horizontal else model.rowCount()
            for section in range(min(n, 500)):
                if w.isSectionHidden(section) or w.sectionSize(section) <= 0:
                    continue
                text = model.headerData(section, w.orientation(), Qt.ItemDataRole.DisplayRole)
                if text is None or not str(text).strip():
                    continue
                own = model.headerData(section, w.orientation(), Qt.ItemDataRole.FontRole)
                font = own.resolve(w.font()) if isinstance(own, QtGui.QFont) else w.font()
                out.append(TextSample(cap_px(font, w, dpr), path, str(text)))
        elif isinstance(w, QtWidgets.QAbstractItemView):
            for index in _visible_cells(w):
                text = _cell_text(w, index)
                if not text.strip():
                    continue
                out.append(TextSample(cap_px(_cell_font(w, index), w, dpr), path, text))
        elif isinstance(w, QtWidgets.QGraphicsView):
            out.extend(_graphics_samples(w, path, dpr))
        drawn = getattr(w, "drawn_texts", None)
        if callable(drawn):
            for text, font in drawn():
                if text and str(text).strip():
                    out.append(TextSample(cap_px(font, w, dpr), path, str(text)))
    return out


def smallest_text(window: QtWidgets.QWidget, limit: int | None = None) -> list[TextSample]:
    """Every text ``window`` shows, smallest capitals first: ``[(cap_px, path, text)]``."""
    samples = sorted(text_samples(window), key=lambda s: (s.cap_px, s.path, s.text))
    return samples if limit is None else samples[:limit]


def too_small(window: QtWidgets.QWidget, min_px: float, tolerance: float = 0.0) -> list[TextSample]:
    """The texts of ``window`` whose capitals are under ``min_px`` (minus ``tolerance``)."""
    return [s for s in smallest_text(window) if s.cap_px < min_px - tolerance]


def unmeasured(window: QtWidgets.QWidget) -> list[str]:
    """Visible widgets whose text this probe can't measure (web pages)."""
    out = []
    for w in window.findChildren(QtWidgets.QWidget):
        if type(w).__name__ == "QWebEngineView" and _shown(w, window):
            out.append(widget_path(w, window))
    return out


def clipped_text(window: QtWidgets.QWidget) -> list[Clipped]:
    """Text that doesn't fit where it is drawn (labels, table rows and cells)."""
    out: list[Clipped] = []
    for w in [window, *window.findChildren(QtWidgets.QWidget)]:
        if not _shown(w, window):
            continue
        path = widget_path(w, window)
        if isinstance(w, QtWidgets.QLabel) and w.text().strip() and w.pixmap().isNull():
            if type(w).__name__ == "ElidedLabel":
                continue        # elides on purpose; its tooltip has the whole text
            rect = w.contentsRect()
            margin = w.margin() * 2 + w.indent() if w.indent() > 0 else w.margin() * 2
            texts = _label_texts(w)
            own = QtCore.QRect(w.mapTo(window, QtCore.QPoint(0, 0)), w.size())
            seen = _visible_rect(w, window)
            if seen != own:
                out.append(Clipped(path, w.text(), f"cut by its container: {seen.width()}×{seen.height()} "
                                                   f"of {own.width()}×{own.height()} px shown",
                                   _numeric(w.text())))
                continue
            fm = QtGui.QFontMetricsF(w.font(), w)
            if w.wordWrap():
                need = w.heightForWidth(w.width()) if w.heightForWidth(w.width()) > 0 else w.sizeHint().height()
                if need > w.height() + 1:
                    out.append(Clipped(path, w.text(), f"needs {need} px of height, has {w.height()}",
                                       _numeric(w.text())))
            else:
                width = max((QtGui.QFontMetricsF(f, w).horizontalAdvance(line)
                             for t, f in texts for line in t.split("\n")), default=0.0)
                lines = max(1, w.text().count("\n") + 1)
                if width > rect.width() - margin + 1:
                    out.append(Clipped(path, w.text(), f"{width:.0f} px wide in {rect.width()} px",
                                       _numeric(w.text())))
                elif fm.height() * lines > rect.height() + 1:
                    out.append(Clipped(path, w.text(), f"{fm.height() * lines:.0f} px high in {rect.height()} px",
                                       _numeric(w.text())))
        elif isinstance(w, QtWidgets.QTableView):
            model = w.model()
            if model is None:
                continue
            for index in _visible_cells(w):
                text = _cell_text(w, index)
                if not text.strip():
                    continue
                font = _cell_font(w, index)
                fm = QtGui.QFontMetricsF(font, w)
                rect = w.visualRect(index)
                if rect.bottom() > w.viewport().rect().bottom():
                    out.append(Clipped(path, text, "cut by the bottom of its table", _numeric(text)))
                    continue
                if w.rowHeight(index.row()) < fm.height():
                    out.append(Clipped(path, text, f"row {w.rowHeight(index.row())} px for a "
                                                   f"{fm.height():.0f} px line", _numeric(text)))
                    continue
                # the item view's text margins: the style's focus frame margin, twice
                pad = 2 * (w.style().pixelMetric(QtWidgets.QStyle.PixelMetric.PM_FocusFrameHMargin, None, w) + 1)
                if fm.horizontalAdvance(text) + pad > rect.width() + 1:
                    out.append(Clipped(path, text, f"elided: {fm.horizontalAdvance(text):.0f} px "
                                                   f"in a {rect.width()} px cell", _numeric(text)))
    return out


def _axis_text_rects(view: QtWidgets.QGraphicsView) -> list[tuple[QtCore.QRectF, str]]:
    """The tick labels of the pyqtgraph axes in ``view``, where they are drawn."""
    try:
        import pyqtgraph as pg
    except ImportError:  # pragma: no cover
        return []
    out = []
    vt = view.viewportTransform()
    for item in view.scene().items() if view.scene() is not None else ():
        if not isinstance(item, pg.AxisItem) or not item.isVisible():
            continue
        image = QtGui.QImage(4, 4, QtGui.QImage.Format.Format_ARGB32)
        painter = QtGui.QPainter(image)
        painter.setFont(item.style.get("tickFont") or view.font())
        try:
            specs = item.generateDrawSpecs(painter)
        except Exception:
            specs = None
        finally:
            painter.end()
        if not specs:
            continue
        to_view = item.deviceTransform(vt)
        for rect, _flags, text in specs[2]:
            if str(text).strip():
                out.append((to_view.mapRect(QtCore.QRectF(rect)), str(text)))
    return out


def overlapping_text(window: QtWidgets.QWidget) -> list[tuple[str, str, str]]:
    """Texts of a graphics view (plot labels, value tags, axis tick labels) that
    overlap on screen: ``(path, text, other text)``."""
    out = []
    for w in window.findChildren(QtWidgets.QGraphicsView):
        if not _shown(w, window):
            continue
        rects = _graphics_text_rects(w) + _axis_text_rects(w)
        for i, (a, ta) in enumerate(rects):
            for b, tb in rects[i + 1:]:
                inter = a.intersected(b)
                if inter.width() > 1 and inter.height() > 1:
                    out.append((widget_path(w, window), ta, tb))
    return out


def report(samples: Iterable[TextSample], limit: int = 20) -> str:
    """Readable lines for an assertion message."""
    return "\n".join(f"{s.cap_px:5.1f} px  {s.path}  {s.text[:60]!r}" for s in list(samples)[:limit])


__all__ = ["Clipped", "TextSample", "cap_px", "clipped_text", "document_fonts", "overlapping_text",
           "report", "smallest_text", "text_samples", "too_small", "unmeasured", "widget_path"]
