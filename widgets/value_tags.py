"""The value tags of a graph (each series' newest value, right of its newest sample),
painted by one item instead of one ``pg.TextItem`` per series.

Why one item: a ``TextItem`` re-computes its transform whenever the view moves and
paints through a ``QGraphicsTextItem``: with 100 series that was ~35 ms of a 100 ms
frame in software rendering.  Here a frame is a few ``drawText`` calls.

Why a layout: tags of series at close values used to cover each other (and with
dozens of series they piled into an unreadable block).  Tags now never overlap: each
starts where it belongs (vertically centred on its sample; above it near the bottom of
the view, below it near the top, so it never hides the axis), then the tags that would
touch are pushed apart along the value axis, kept inside the view.  When more tags
than the view's height can hold are wanted, those of the lowest priority are left out:
a tag whose value passed a threshold level (higher level first) before the others,
then the series' order.  :meth:`ValueTagLayer.placed` says which were drawn, where.

The readability probe (``widgets.wall.readability_probe``) reads the painted texts
through :meth:`ValueTagLayer.painted_texts` (rectangle in view pixels, text, font).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtGui

from widgets import theme
from widgets.curve_raster import ViewLayer

#: Space between a tag's text and its border, px.
PADDING_PX = 4.0
#: Share of its own width a tag keeps clear of its sample, to the right.
GAP_SHARE = 0.04
#: How near the bottom (top) of the view, as a share of its height, a sample's tag
#: goes above (below) it instead of centred on it.
EDGE_SHARE = 0.15


@dataclass
class _Tag:
    text: str
    color: QtGui.QColor
    x: float            # the sample, data coordinates
    y: float
    rank: int           # priority: lower is kept first
    size: QtCore.QSizeF


@dataclass(frozen=True)
class PlacedTag:
    name: str
    text: str
    rect: QtCore.QRectF      # in view-box pixels (origin: the view's top left)


class ValueTagLayer(ViewLayer):
    """Add it to a plot with ``ignoreBounds=True``; it paints over the curves."""

    def __init__(self, font: QtGui.QFont) -> None:
        super().__init__()
        self._tags: dict[str, _Tag] = {}
        self._font = QtGui.QFont(font)
        self._metrics = QtGui.QFontMetricsF(self._font)
        self._fill = theme.to_qcolor(theme.BACKGROUND, 220)
        self._placed: tuple[tuple, list[PlacedTag]] | None = None   # (view key, layout)
        self.setZValue(20)

    # ------------------------------------------------------------------ tags
    def set_font(self, font: QtGui.QFont) -> None:
        self._font = QtGui.QFont(font)
        self._metrics = QtGui.QFontMetricsF(self._font)
        for tag in self._tags.values():
            tag.size = self._size_of(tag.text)
        self._changed()

    def font(self) -> QtGui.QFont:
        return QtGui.QFont(self._font)

    def set_tag(self, name: str, text: str, color: str | QtGui.QColor, x: float, y: float,
                rank: int) -> None:
        """Show ``text`` for the sample ``(x, y)``; unchanged tags cost nothing."""
        tag = self._tags.get(name)
        color = QtGui.QColor(color)
        if tag is not None and (tag.text, tag.color, tag.x, tag.y, tag.rank) == (text, color, x, y, rank):
            return
        size = tag.size if tag is not None and tag.text == text else self._size_of(text)
        self._tags[name] = _Tag(text, color, x, y, rank, size)
        self._changed()

    def remove_tag(self, name: str) -> None:
        if self._tags.pop(name, None) is not None:
            self._changed()

    def text(self, name: str) -> str:
        tag = self._tags.get(name)
        return tag.text if tag is not None else ""

    def color(self, name: str) -> QtGui.QColor | None:
        tag = self._tags.get(name)
        return QtGui.QColor(tag.color) if tag is not None else None

    def tag_size(self, name: str) -> QtCore.QSizeF | None:
        """The tag's box (text and padding), px."""
        tag = self._tags.get(name)
        return QtCore.QSizeF(tag.size) if tag is not None else None

    def max_size(self) -> QtCore.QSizeF:
        w = max((t.size.width() for t in self._tags.values()), default=0.0)
        h = max((t.size.height() for t in self._tags.values()), default=0.0)
        return QtCore.QSizeF(w, h)

    def _size_of(self, text: str) -> QtCore.QSizeF:
        r = self._metrics.boundingRect(QtCore.QRectF(0, 0, 1e6, 1e6), 0, text)
        return QtCore.QSizeF(r.width() + 2 * PADDING_PX, r.height() + 2 * PADDING_PX)

    def _changed(self) -> None:
        self._placed = None
        self.update()

    # ------------------------------------------------------------------ layout
    def placed(self) -> list[PlacedTag]:
        """The tags as drawn now (view-box pixels), those left out not listed."""
        vb = self.getViewBox()
        if vb is None or not self._tags:
            return []
        (x0, x1), (y0, y1) = vb.viewRange()
        key = (x0, x1, y0, y1, float(vb.width()), float(vb.height()))
        if self._placed is None or self._placed[0] != key:
            self._placed = (key, self._layout(*key))
        return list(self._placed[1])

    def _layout(self, x0: float, x1: float, y0: float, y1: float, view_w: float,
                view_h: float) -> list[PlacedTag]:
        if x1 <= x0 or y1 <= y0 or view_w <= 0 or view_h <= 0:
            return []
        wanted = []        # (rank, order, name, left px, wanted top px, height)
        for order, (name, tag) in enumerate(self._tags.items()):
            px = (tag.x - x0) / (x1 - x0) * view_w
            py = (y1 - tag.y) / (y1 - y0) * view_h
            h = tag.size.height()
            share = py / view_h
            top = py - h if share > 1 - EDGE_SHARE else py if share < EDGE_SHARE else py - h / 2
            wanted.append((tag.rank, order, name, px + GAP_SHARE * tag.size.width(), top, h))
        # the most important first, as many as the view's height holds (the first one
        # always: a graph squeezed lower than a tag still says its newest value)
        wanted.sort()
        kept, height = [], 0.0
        for item in wanted:
            if kept and height + item[5] > view_h:
                continue
            kept.append(item)
            height += item[5]
        # down the view in wanted order, pushed apart, then back up from the bottom
        kept.sort(key=lambda item: (item[4], item[1]))
        tops = []
        edge = 0.0
        for *_, top, h in kept:
            top = max(top, edge)
            tops.append(top)
            edge = top + h
        edge = view_h
        for i in range(len(kept) - 1, -1, -1):
            h = kept[i][5]
            tops[i] = min(tops[i], edge - h)
            edge = tops[i]
        out = []
        for (_, _, name, left, _, _), top in zip(kept, tops):
            tag = self._tags[name]
            out.append(PlacedTag(name, tag.text, QtCore.QRectF(left, max(top, 0.0),
                                                               tag.size.width(), tag.size.height())))
        return out

    def painted_texts(self) -> list[tuple[QtCore.QRectF, str, QtGui.QFont]]:
        """For the readability probe: each drawn tag's box in the view box's pixels,
        its text and font."""
        return [(p.rect, p.text, self.font()) for p in self.placed()]

    # ------------------------------------------------------------------ pyqtgraph item
    def paint(self, painter: QtGui.QPainter, *_args) -> None:
        placed = self.placed()
        if not placed:
            return
        # the view's top left on the device (data y grows up: mapRect, not its corner)
        origin = painter.transform().mapRect(self.boundingRect()).topLeft()
        painter.save()
        painter.resetTransform()
        painter.translate(origin)
        painter.setFont(self._font)
        painter.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, False)
        for p in placed:
            color = self._tags[p.name].color
            painter.setPen(QtGui.QPen(color, 2))
            painter.setBrush(self._fill)
            painter.drawRect(p.rect.adjusted(1, 1, -1, -1))
            painter.setPen(color)
            painter.drawText(p.rect, QtCore.Qt.AlignmentFlag.AlignCenter, p.text)
        painter.restore()


__all__ = ["PlacedTag", "ValueTagLayer"]
