"""Picture tiles for the wall: an image with its status drawn over it, and a grid of them.

:class:`ImageTile` shows one picture (a camera snapshot, a report photo…) scaled to fit
with, drawn on top: a coloured *badge* (top left, e.g. what an analytic detected), a
big *status* word in the middle (e.g. OFFLINE), a small *note* strip (e.g. "cached
image from 09:12"), the *caption* band under it, and a coloured frame.  All texts are
drawn with QPainter as plain text (feed text is never interpreted) and come from the
caller already translated.  A dimmed tile shows its picture in grey.

:class:`TileGrid` lays tiles out in as many columns as fit (scrolling vertically), in the
order given, so that the caller can bring the ones needing attention first.

Knows nothing about any service.  GUI thread only.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from widgets.theme import BORDER, HIGHLIGHT, SURFACE, SURFACE_ALT, TEXT, TEXT_MUTED

Qt = QtCore.Qt


def _font(base: QtGui.QFont, point_size: int, bold: bool = True) -> QtGui.QFont:
    font = QtGui.QFont(base)
    font.setPointSize(point_size)
    font.setBold(bold)
    return font


class ImageTile(QtWidgets.QFrame):
    """One picture with overlays (see the module docstring).  Click: :attr:`clicked`;
    double-click: :attr:`doubleClicked`."""

    clicked = QtCore.Signal()
    doubleClicked = QtCore.Signal()

    CAPTION_PT = 13
    BADGE_PT = 13
    STATUS_PT = 22
    NOTE_PT = 10
    ASPECT = 16 / 9

    def __init__(self, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent, True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._image: QtGui.QImage | None = None
        self._grey: QtGui.QImage | None = None
        self._scaled: tuple[QtCore.QSize, bool, QtGui.QPixmap] | None = None
        self._caption = ""
        self._placeholder = ""
        self._badge: tuple[str, QtGui.QColor, QtGui.QColor] | None = None
        self._status: tuple[str, QtGui.QColor] | None = None
        self._note = ""
        self._dimmed = False
        self._frame_color: QtGui.QColor | None = None
        self._selected = False
        f = self.font()
        self._caption_font = _font(f, self.CAPTION_PT)
        self._badge_font = _font(f, self.BADGE_PT)
        self._status_font = _font(f, self.STATUS_PT)
        self._note_font = _font(f, self.NOTE_PT, bold=False)

    # ------------------------------------------------------------------ the wall
    def set_wall_style(self, style) -> None:
        """The wall rendering (``widgets.wall_style.WallStyle``): every text drawn at
        least the wall's minimum."""
        self._caption_font = style.font(bold=True)
        self._badge_font = style.font(bold=True)
        self._status_font = style.font(1.2, bold=True)
        self._note_font = style.font()
        self.updateGeometry()
        self.update()

    # ------------------------------------------------------------------ content
    def set_image(self, image: QtGui.QImage | None) -> None:
        self._image = None if image is None or image.isNull() else image
        self._grey = None
        self._scaled = None
        self.update()

    def image(self) -> QtGui.QImage | None:
        return self._image

    def set_caption(self, text: str) -> None:
        if text != self._caption:
            self._caption = text
            self.setAccessibleName(text)
            self.update()

    def caption(self) -> str:
        return self._caption

    def set_placeholder(self, text: str) -> None:
        """What the picture area says while there is no image."""
        if text != self._placeholder:
            self._placeholder = text
            self.update()

    def set_badge(self, text: str, color: str = "#ffb000", ink: str = "#111111") -> None:
        """A coloured label at the top left ("" hides it)."""
        new = (text, QtGui.QColor(color), QtGui.QColor(ink)) if text else None
        if new != self._badge:
            self._badge = new
            self.update()

    def badge(self) -> str:
        return self._badge[0] if self._badge else ""

    def set_status(self, text: str, color: str = "#ff2d2d") -> None:
        """A big word over the middle of the picture ("" hides it)."""
        new = (text, QtGui.QColor(color)) if text else None
        if new != self._status:
            self._status = new
            self.update()

    def status(self) -> str:
        return self._status[0] if self._status else ""

    def set_note(self, text: str) -> None:
        """A small line at the bottom of the picture ("" hides it)."""
        if text != self._note:
            self._note = text
            self.update()

    def note(self) -> str:
        return self._note

    def set_dimmed(self, dimmed: bool) -> None:
        if dimmed != self._dimmed:
            self._dimmed = dimmed
            self._scaled = None
            self.update()

    def is_dimmed(self) -> bool:
        return self._dimmed

    def set_frame_color(self, color: str | None) -> None:
        new = QtGui.QColor(color) if color else None
        if new != self._frame_color:
            self._frame_color = new
            self.update()

    def set_selected(self, selected: bool) -> None:
        if selected != self._selected:
            self._selected = selected
            self.update()

    # ------------------------------------------------------------------ geometry
    def caption_height(self) -> int:
        return QtGui.QFontMetrics(self._caption_font).height() + 10

    def hasHeightForWidth(self) -> bool:  # noqa: N802 (Qt override)
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return int(width / self.ASPECT) + self.caption_height()

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(320, self.heightForWidth(320))

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(160, self.heightForWidth(160))

    # ------------------------------------------------------------------ painting
    def _pixmap(self, size: QtCore.QSize) -> QtGui.QPixmap | None:
        if self._image is None or size.isEmpty():
            return None
        cached = self._scaled
        if cached is not None and cached[0] == size and cached[1] == self._dimmed:
            return cached[2]
        source = self._image
        if self._dimmed:
            if self._grey is None:
                self._grey = self._image.convertToFormat(QtGui.QImage.Format.Format_Grayscale8)
            source = self._grey
        pix = QtGui.QPixmap.fromImage(source.scaled(size, Qt.AspectRatioMode.KeepAspectRatio,
                                                    Qt.TransformationMode.SmoothTransformation))
        self._scaled = (QtCore.QSize(size), self._dimmed, pix)
        return pix

    BORDER = 4

    def _boxes(self) -> dict:
        """Where each text goes in the current size, or not at all when it doesn't fit
        the picture whole (a small tile drops its overlays rather than cutting them):
        ``{name: (QRect, text, QFont)}``; ``"pic"``: the picture's rect."""
        rect = self.rect()
        b = self.BORDER
        inner = rect.adjusted(b, b, -b, -b)
        cap_h = self.caption_height()
        pic = QtCore.QRect(inner.left(), inner.top(), inner.width(), max(0, inner.height() - cap_h))
        out: dict = {"pic": pic}
        taken: list[QtCore.QRect] = []

        def place(name: str, box: QtCore.QRect, text: str, font: QtGui.QFont) -> None:
            if pic.contains(box) and not any(box.intersects(t) for t in taken):
                out[name] = (box, text, font)
                taken.append(box)

        if self._status:
            text = self._status[0]
            fm = QtGui.QFontMetrics(self._status_font)
            w = min(pic.width() - 8, fm.horizontalAdvance(text) + 28)
            h = fm.height() + 10
            place("status", QtCore.QRect(pic.center().x() - w // 2, pic.center().y() - h // 2, w, h),
                  fm.elidedText(text, Qt.TextElideMode.ElideRight, w - 12), self._status_font)
        if self._badge:
            fm = QtGui.QFontMetrics(self._badge_font)
            text = fm.elidedText(self._badge[0], Qt.TextElideMode.ElideRight, pic.width() - 24)
            place("badge", QtCore.QRect(pic.left() + 6, pic.top() + 6, fm.horizontalAdvance(text) + 16,
                                        fm.height() + 6), text, self._badge_font)
        if self._note:
            fm = QtGui.QFontMetrics(self._note_font)
            strip = QtCore.QRect(pic.left(), pic.bottom() - fm.height() - 5, pic.width(), fm.height() + 6)
            place("note", strip, fm.elidedText(self._note, Qt.TextElideMode.ElideRight, strip.width() - 12),
                  self._note_font)
        if self._image is None and self._placeholder:
            fm = QtGui.QFontMetrics(self._note_font)
            text = fm.elidedText(self._placeholder, Qt.TextElideMode.ElideRight, pic.width() - 8)
            w, h = fm.horizontalAdvance(text) + 4, fm.height()
            place("placeholder", QtCore.QRect(pic.center().x() - w // 2, pic.center().y() - h // 2, w, h),
                  text, self._note_font)
        band = QtCore.QRect(inner.left(), pic.bottom() + 1, inner.width(), cap_h)
        if band.bottom() <= rect.bottom() and self._caption:
            fm = QtGui.QFontMetrics(self._caption_font)
            out["caption"] = (band, fm.elidedText(self._caption, Qt.TextElideMode.ElideRight, band.width() - 16),
                              self._caption_font)
        out["band"] = band
        return out

    def drawn_texts(self) -> list[tuple[str, QtGui.QFont]]:
        """The texts this tile paints now, with their fonts (for the readability probe)."""
        return [(box[1], box[2]) for name, box in self._boxes().items()
                if name not in ("pic", "band") and box[1]]

    def paintEvent(self, event: QtGui.QPaintEvent) -> None:  # noqa: N802
        p = QtGui.QPainter(self)
        p.setRenderHint(QtGui.QPainter.RenderHint.Antialiasing, True)
        rect = self.rect()
        p.fillRect(rect, QtGui.QColor(SURFACE))
        border = self.BORDER
        boxes = self._boxes()
        pic = boxes["pic"]
        p.fillRect(pic, QtGui.QColor("#07090b"))

        pix = self._pixmap(pic.size())
        if pix is not None:
            x = pic.left() + (pic.width() - pix.width()) // 2
            y = pic.top() + (pic.height() - pix.height()) // 2
            p.drawPixmap(x, y, pix)
            if self._dimmed:
                p.fillRect(QtCore.QRect(x, y, pix.width(), pix.height()), QtGui.QColor(0, 0, 0, 90))
        elif "placeholder" in boxes:
            box, text, font = boxes["placeholder"]
            p.setFont(font)
            p.setPen(QtGui.QColor(TEXT_MUTED))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

        if "status" in boxes:
            box, text, font = boxes["status"]
            color = self._status[1]
            p.setFont(font)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(QtGui.QColor(10, 10, 12, 210))
            p.drawRoundedRect(box, 6, 6)
            p.setPen(QtGui.QPen(color, 2))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(box.adjusted(1, 1, -1, -1), 6, 6)
            p.setPen(color)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

        if "badge" in boxes:
            box, text, font = boxes["badge"]
            _, bg, ink = self._badge
            p.setFont(font)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(bg)
            p.drawRoundedRect(box, 4, 4)
            p.setPen(ink)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

        if "note" in boxes:
            strip, text, font = boxes["note"]
            p.setFont(font)
            p.fillRect(strip, QtGui.QColor(0, 0, 0, 170))
            p.setPen(QtGui.QColor("#ffd45a"))
            p.drawText(strip.adjusted(6, 0, -6, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

        band = boxes["band"]
        p.fillRect(band, QtGui.QColor(SURFACE_ALT))
        if "caption" in boxes:
            _, text, font = boxes["caption"]
            p.setFont(font)
            p.setPen(QtGui.QColor(TEXT))
            p.drawText(band.adjusted(8, 0, -8, 0), Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft, text)

        frame = QtGui.QColor(HIGHLIGHT) if self._selected else (self._frame_color or QtGui.QColor(BORDER))
        width = border if (self._selected or self._frame_color is not None) else 1
        p.setPen(QtGui.QPen(frame, width))
        p.setBrush(Qt.BrushStyle.NoBrush)
        half = width / 2
        p.drawRect(QtCore.QRectF(rect).adjusted(half, half, -half, -half))
        p.end()

    # ------------------------------------------------------------------ input
    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton and self.rect().contains(event.position().toPoint()):
            self.clicked.emit()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.doubleClicked.emit()
            event.accept()
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.clicked.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class TileGrid(QtWidgets.QScrollArea):
    """Tiles in as many columns as fit ``min_tile_width``, in a given order."""

    def __init__(self, min_tile_width: int = 260, spacing: int = 8, parent=None):
        super().__init__(parent)
        self.min_tile_width = min_tile_width
        self.spacing = spacing
        self.setWidgetResizable(False)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        self.container = QtWidgets.QWidget()
        self.container.setAutoFillBackground(False)
        self.setWidget(self.container)
        self._tiles: list[QtWidgets.QWidget] = []

    def set_order(self, tiles: list[QtWidgets.QWidget]) -> None:
        """Show exactly ``tiles`` in this order (tiles not listed are hidden)."""
        for tile in self._tiles:
            if tile not in tiles:
                tile.hide()
        for tile in tiles:
            if tile.parent() is not self.container:
                tile.setParent(self.container)
        self._tiles = list(tiles)
        self._relayout()

    def order(self) -> list[QtWidgets.QWidget]:
        return list(self._tiles)

    def set_fixed_grid(self, cols: int | None, rows: int | None = None) -> None:
        """Exactly ``cols`` × ``rows`` tiles filling the viewport, the first ones of the
        order (the wall's camera grid); None: as many columns as fit, scrolling."""
        self._fixed = (max(1, int(cols)), max(1, int(rows or 1))) if cols else None
        if self._fixed:
            self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._relayout()

    def fixed_grid(self) -> tuple[int, int] | None:
        return getattr(self, "_fixed", None)

    def shown_tiles(self) -> list[QtWidgets.QWidget]:
        fixed = self.fixed_grid()
        return list(self._tiles[: fixed[0] * fixed[1]]) if fixed else list(self._tiles)

    def set_wall_style(self, style) -> None:
        """The wall rendering: the tiles' texts at the wall's size (tiles added later
        too)."""
        self._wall = style
        for tile in self._tiles:
            if hasattr(tile, "set_wall_style"):
                tile.set_wall_style(style)
        self._relayout()

    def columns(self) -> int:
        fixed = self.fixed_grid()
        if fixed:
            return fixed[0]
        width = self.viewport().width()
        return max(1, (width + self.spacing) // (self.min_tile_width + self.spacing))

    def _relayout_fixed(self, cols: int, rows: int) -> None:
        vp = self.viewport()
        width, height = max(vp.width(), 1), max(vp.height(), 1)
        tile_w = max(1, (width - self.spacing * (cols + 1)) // cols)
        tile_h = max(1, (height - self.spacing * (rows + 1)) // rows)
        for i, tile in enumerate(self._tiles):
            if i >= cols * rows:
                tile.hide()
                continue
            r, c = divmod(i, cols)
            tile.setGeometry(self.spacing + c * (tile_w + self.spacing),
                             self.spacing + r * (tile_h + self.spacing), tile_w, tile_h)
            tile.show()
        self.container.resize(width, height)

    def _relayout(self) -> None:
        wall = getattr(self, "_wall", None)
        if wall is not None:
            for tile in self._tiles:
                if hasattr(tile, "set_wall_style") and getattr(tile, "_wall_of", None) is not wall:
                    tile.set_wall_style(wall)
                    tile._wall_of = wall
        fixed = self.fixed_grid()
        if fixed:
            self._relayout_fixed(*fixed)
            return
        width = max(self.viewport().width(), self.min_tile_width)
        cols = self.columns()
        tile_w = (width - self.spacing * (cols + 1)) // cols
        y = self.spacing
        row_h = 0
        for i, tile in enumerate(self._tiles):
            col = i % cols
            if col == 0 and i:
                y += row_h + self.spacing
            row_h = tile.heightForWidth(tile_w) if tile.hasHeightForWidth() else tile.sizeHint().height()
            tile.setGeometry(self.spacing + col * (tile_w + self.spacing), y, tile_w, row_h)
            tile.show()
        total = y + row_h + self.spacing if self._tiles else 0
        self.container.resize(width, total)

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._relayout()

    def ensure_visible(self, tile: QtWidgets.QWidget) -> None:
        self.ensureWidgetVisible(tile, 0, self.spacing)


__all__ = ["ImageTile", "TileGrid"]
