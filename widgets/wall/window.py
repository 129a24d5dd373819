"""One wall screen: a frameless, full-screen kiosk window (no menus, no frame, no
accidental close, the pointer hidden when idle) holding a grid of cells.

:class:`WallWindow` knows nothing of the feed: :class:`~widgets.wall.manager.WallManager`
puts panels in its cells and tells it what to say (why the wall switched, the link
overlay, which panel is not current).  Every text here is sized from the screen's
minimum cap height (a :class:`~widgets.wall_style.WallStyle`, see
:mod:`ioc_desktop.wall.readability`), never smaller; colour always comes with words.

Keys (on every wall window, and in the console's Wall menu): Ctrl+1…Ctrl+9 choose a
preset, Ctrl+L locks or unlocks the layout against automatic switching, and the
configured chord (default Ctrl+Alt+Shift+Q) closes the wall.  A close from the window
manager (Alt+F4, a stray click) is refused.
"""
from __future__ import annotations

import time

from PySide6 import QtCore, QtGui, QtWidgets

from widgets.review.banner import ReviewBanner
from widgets.wall_style import WallStyle
from widgets.theme import ALARM, BACKGROUND, BORDER, STALE, SURFACE_ALT, TEXT, WARN

#: Preset keys, in the configuration's preset order (Ctrl+1 the first).
PRESET_KEYS = tuple(f"Ctrl+{i}" for i in range(1, 10))
LOCK_KEY = "Ctrl+L"
CURSOR_POLL_MS = 250


def _label(name: str, style: WallStyle, scale: float = 1.0, *, bold: bool = False,
           wrap: bool = True) -> QtWidgets.QLabel:
    label = QtWidgets.QLabel(objectName=name)
    label.setTextFormat(QtCore.Qt.TextFormat.PlainText)     # texts may come from the feed
    label.setWordWrap(wrap)                                 # never clipped: it wraps
    label.setFont(style.font(scale, bold=bold))
    return label


class CellView(QtWidgets.QFrame):
    """A cell of the wall's grid: a title strip over its panel (several panels take
    turns in a stack).  Not current: the frame turns dashed grey (the panel itself says
    "NOT CURRENT · data from 14:05" on its own strip)."""

    def __init__(self, style: WallStyle, parent=None):
        super().__init__(parent, objectName="wallCell")
        self.wall_style = style
        column = QtWidgets.QVBoxLayout(self)
        column.setContentsMargins(3, 3, 3, 3)
        column.setSpacing(0)
        self.title = _label("wallCellTitle", style, bold=True)
        self.title.setStyleSheet(f"QLabel#wallCellTitle {{ background: {SURFACE_ALT}; color: {TEXT};"
                                 f" padding: 2px 12px; border-bottom: 2px solid {BORDER}; }}")
        self.stack = QtWidgets.QStackedWidget(objectName="wallCellStack")
        column.addWidget(self.title)
        column.addWidget(self.stack, 1)
        self.titles: list[str] = []
        self._index = 0
        self._held: str | None = None
        self._stale: str | None = None
        self._set_frame()

    def add_panel(self, widget: QtWidgets.QWidget, title: str) -> None:
        self.stack.addWidget(widget)
        self.titles.append(title)
        self._update_title()

    @property
    def index(self) -> int:
        return self._index

    def show_panel(self, index: int) -> None:
        if 0 <= index < self.stack.count():
            self._index = index
            self.stack.setCurrentIndex(index)
            self._update_title()

    def set_held(self, text: str | None) -> None:
        """``text``: why the rotation stays on this panel (None: it rotates)."""
        if text != self._held:
            self._held = text
            self._update_title()

    def set_stale(self, text: str | None) -> None:
        """``text``: "NOT CURRENT · data from 14:05" (None: current)."""
        if text == self._stale:
            return
        was = self._stale is not None
        self._stale = text
        if was != (text is not None):
            self._set_frame()

    def stale_text(self) -> str | None:
        return self._stale

    def title_text(self) -> str:
        return self.title.text()

    def _set_frame(self) -> None:
        border = f"3px dashed {STALE}" if self._stale is not None else f"3px solid {BORDER}"
        self.setStyleSheet(f"QFrame#wallCell {{ background: {BACKGROUND}; border: {border}; }}")

    def _update_title(self) -> None:
        if not self.titles:
            self.title.setText("")
            return
        text = self.titles[self._index]
        n = len(self.titles)
        if n > 1:
            text += f" · {self._index + 1}/{n}"
            if self._held:
                text += " · " + self._held
        self.title.setText(text)


class LinkOverlay(QtWidgets.QWidget):
    """LINK DOWN / FAILED / NOT AUTHORISED / REVIEW over the whole screen: a dark veil
    (the panels stay visible beneath, greyed) and a big box in the middle with the word
    and one line on what it means.  It lets the mouse through."""

    def __init__(self, style: WallStyle, parent=None):
        super().__init__(parent, objectName="wallLinkOverlay")
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.box = QtWidgets.QFrame(self, objectName="wallLinkBox")
        column = QtWidgets.QVBoxLayout(self.box)
        column.setContentsMargins(48, 32, 48, 32)
        column.setSpacing(16)
        self.headline = _label("wallLinkHeadline", style, 2.5, bold=True)
        self.headline.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.detail = _label("wallLinkDetail", style, bold=True)
        self.detail.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        column.addWidget(self.headline)
        column.addWidget(self.detail)
        self._kind = "down"
        self._style()
        self.hide()

    def _style(self) -> None:
        edge = ALARM if self._kind in ("down", "failed") else WARN
        self.box.setStyleSheet(
            f"QFrame#wallLinkBox {{ background: #1c0a0a; border: 10px dashed {edge}; }}"
            f" QLabel {{ color: {TEXT}; background: transparent; border: none; }}")

    def set_state(self, headline: str | None, detail: str = "", kind: str = "down") -> None:
        """Show ``headline`` (None: hide).  ``kind``: "down", "failed" (red edge) or
        "offline" (amber: review, not authorised)."""
        if headline is None:
            self.hide()
            return
        self.headline.setText(headline)
        self.detail.setText(detail)
        self.detail.setVisible(bool(detail))
        if kind != self._kind:
            self._kind = kind
            self._style()
        self._place()
        self.show()
        self.raise_()

    def text(self) -> str:
        return self.headline.text() if self.isVisible() else ""

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        fm = QtGui.QFontMetrics(self.headline.font())
        natural = fm.horizontalAdvance(self.headline.text()) + 96 + 20 + 8
        width = min(self.width() - 40, max(natural, int(self.width() * 0.7)))
        self.box.setFixedWidth(max(200, width))
        self.box.adjustSize()
        hint = self.box.heightForWidth(self.box.width())
        height = max(hint, self.box.sizeHint().height())
        self.box.setGeometry((self.width() - self.box.width()) // 2,
                             (self.height() - height) // 2, self.box.width(), height)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QtGui.QPainter(self)
        painter.fillRect(self.rect(), QtGui.QColor(0, 0, 0, 150))


class WallWindow(QtWidgets.QWidget):
    """The wall on one screen.  ``screen``: its QScreen; ``name``: how files and tests
    call it (the screen's name); ``style``: its fonts (capitals never under the
    screen's minimum).  ``presets``: the presets in the configuration's order (Ctrl+1 the
    first)."""

    presetRequested = QtCore.Signal(str)
    lockRequested = QtCore.Signal()
    closeRequested = QtCore.Signal()

    def __init__(self, screen: QtGui.QScreen, name: str, *, style: WallStyle,
                 presets: list[str] | tuple[str, ...] = (), close_chord: str = "Ctrl+Alt+Shift+Q",
                 idle_cursor_s: float = 5.0, parent=None):
        super().__init__(parent, QtCore.Qt.WindowType.Window | QtCore.Qt.WindowType.FramelessWindowHint)
        self.setObjectName("wallWindow")
        self.setWindowTitle(self.tr("Huế IOC — wall {0}").format(name))
        self.name = name
        self.wall_style = style
        self._screen = screen
        self._may_close = False
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(BACKGROUND))
        self.setPalette(palette)
        self.setContextMenuPolicy(QtCore.Qt.ContextMenuPolicy.PreventContextMenu)   # no menus

        self._column = QtWidgets.QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._column.setSpacing(0)
        # why the wall switched (or that it is locked): on top, only when there is a reason
        self.switch_strip = _label("wallSwitchStrip", style, bold=True)
        self.switch_strip.setStyleSheet(f"QLabel#wallSwitchStrip {{ background: #3d2c00; color: {TEXT};"
                                        f" padding: 4px 16px; border-left: 24px solid {WARN};"
                                        f" border-bottom: 3px solid {WARN}; }}")
        self.switch_strip.hide()
        # REVIEW: a past moment is shown (violet, above everything else)
        self.review_banner = ReviewBanner()
        self.review_banner.set_pixel_size(style.pixel_size(1.3, bold=True),
                                          style.pixel_size(1.0, bold=True))
        self.review_banner.hide()
        self._column.addWidget(self.review_banner)
        self._column.addWidget(self.switch_strip)
        self.grid_host = QtWidgets.QWidget(objectName="wallGrid")
        self._column.addWidget(self.grid_host, 1)
        self.cells: list[CellView] = []
        self.layout_name: str | None = None
        self.overlay = LinkOverlay(style, self)

        # keys: presets, lock, the close chord
        self._shortcuts: list[QtGui.QShortcut] = []
        for key, preset in zip(PRESET_KEYS, presets):
            self._shortcut(key, lambda p=preset: self.presetRequested.emit(p))
        self._shortcut(LOCK_KEY, self.lockRequested.emit)
        self._shortcut(close_chord, self.closeRequested.emit)

        # the pointer hides after idle_cursor_s without moving (0: never)
        self.idle_cursor_s = float(idle_cursor_s)
        self._cursor_pos = QtGui.QCursor.pos()
        self._cursor_moved = time.monotonic()
        self._cursor_hidden = False
        self._cursor_timer = QtCore.QTimer(self, interval=CURSOR_POLL_MS)
        self._cursor_timer.timeout.connect(self._check_cursor)
        if self.idle_cursor_s > 0:
            self._cursor_timer.start()
        screen.geometryChanged.connect(self._follow_geometry)

    def _shortcut(self, key: str, slot) -> None:
        sc = QtGui.QShortcut(QtGui.QKeySequence(key), self)
        sc.setContext(QtCore.Qt.ShortcutContext.WindowShortcut)
        sc.activated.connect(slot)
        self._shortcuts.append(sc)

    # ------------------------------------------------------------------ the screen
    @property
    def wall_screen(self) -> QtGui.QScreen:
        return self._screen

    def place(self) -> None:
        """Full screen on its own screen."""
        self.setScreen(self._screen)
        self.setGeometry(self._screen.geometry())
        self.showFullScreen()

    def _follow_geometry(self, _rect=None) -> None:
        if self.isVisible():
            self.setGeometry(self._screen.geometry())
            self.showFullScreen()

    # ------------------------------------------------------------------ kiosk
    def allow_close(self) -> None:
        """The next close is wanted (the console's "Close the wall" or the chord)."""
        self._may_close = True

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802
        if self._may_close:
            self._cursor_timer.stop()
            event.accept()
        else:
            event.ignore()             # Alt+F4, a window manager's close: not on a wall

    def _check_cursor(self) -> None:
        pos = QtGui.QCursor.pos()
        now = time.monotonic()
        if pos != self._cursor_pos:
            self._cursor_pos = pos
            self._cursor_moved = now
            if self._cursor_hidden:
                self._cursor_hidden = False
                self.unsetCursor()
        elif not self._cursor_hidden and now - self._cursor_moved >= self.idle_cursor_s:
            self._cursor_hidden = True
            self.setCursor(QtCore.Qt.CursorShape.BlankCursor)

    def cursor_hidden(self) -> bool:
        return self._cursor_hidden

    # ------------------------------------------------------------------ content
    def set_cells(self, layout_name: str, rows: int, cols: int,
                  cells: list[tuple[CellView, int, int, int, int]]) -> None:
        """Show ``cells`` ((view, row, col, rowspan, colspan)) on a rows × cols grid,
        replacing the previous ones (the caller disposes of their panels)."""
        old = self.grid_host
        host = QtWidgets.QWidget(objectName="wallGrid")
        grid = QtWidgets.QGridLayout(host)
        grid.setContentsMargins(4, 4, 4, 4)
        grid.setSpacing(6)
        for r in range(rows):
            grid.setRowStretch(r, 1)
        for c in range(cols):
            grid.setColumnStretch(c, 1)
        for view, row, col, rowspan, colspan in cells:
            grid.addWidget(view, row, col, rowspan, colspan)
        self._column.replaceWidget(old, host)
        self._column.setStretchFactor(host, 1)
        old.hide()
        old.setParent(None)
        old.deleteLater()
        self.grid_host = host
        self.cells = [c[0] for c in cells]
        self.layout_name = layout_name
        self.overlay.raise_()

    def set_switch_text(self, text: str | None) -> None:
        """Why the wall shows what it shows (None: the operator's preset, nothing said)."""
        self.switch_strip.setText(text or "")
        self.switch_strip.setVisible(bool(text))

    def switch_text(self) -> str:
        return self.switch_strip.text() if not self.switch_strip.isHidden() else ""

    def set_review(self, at: float | None, **kwargs) -> None:
        """The REVIEW band with the moment shown (None: live, no band); ``kwargs``: see
        ``ReviewBanner.set_review``."""
        self.review_banner.set_review(at, **kwargs)
        self.review_banner.setVisible(at is not None)

    def review_text(self) -> str:
        return self.review_banner.text()

    def set_link(self, headline: str | None, detail: str = "", kind: str = "down") -> None:
        self.overlay.set_state(headline, detail, kind)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.overlay.setGeometry(self.rect())
        self.overlay.raise_()
