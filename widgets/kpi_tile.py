"""A big-number tile for the video wall: label, value, sub-line, abnormal-count badge.

Texts come from the caller, already translated.  Colours come from the theme through
the dynamic property ``state`` (``ok``/``warn``/``alarm``/``stale``), so the tile has
no colour logic of its own: see ``KpiTile[state=...]`` in ``resources/theme/dark.qss``.
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from widgets.text import plain_label
from widgets.theme import repolish

STATES = ("ok", "warn", "alarm", "stale")


class KpiTile(QtWidgets.QFrame):
    """Click (or Enter/Space when focused) emits :attr:`clicked`."""

    clicked = QtCore.Signal()

    LABEL_PT = 16
    VALUE_PT = 44
    SUB_PT = 14
    BADGE_PT = 18

    def __init__(self, label: str = "", value: str = "", parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setFocusPolicy(QtCore.Qt.FocusPolicy.StrongFocus)
        self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
        self.setFrameShape(QtWidgets.QFrame.Shape.StyledPanel)
        self.setMinimumSize(220, 150)

        self._label = self._make_label("kpiLabel", self.LABEL_PT, bold=True)
        self._label.setWordWrap(True)
        self._badge = self._make_label("kpiBadge", self.BADGE_PT, bold=True)
        self._badge.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self._value = self._make_label("kpiValue", self.VALUE_PT, bold=True)
        self._value.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft
                                 | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self._sub = self._make_label("kpiSub", self.SUB_PT)
        self._age = self._make_label("kpiAge", self.SUB_PT, bold=True)

        top = QtWidgets.QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self._label, 1)
        top.addWidget(self._badge, 0, QtCore.Qt.AlignmentFlag.AlignTop)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(2)
        layout.addLayout(top)
        layout.addWidget(self._value, 1)
        layout.addWidget(self._sub)
        layout.addWidget(self._age)

        self._state = "ok"
        self._live_state = "ok"  # the state to return to when data is live again
        self._stale = False
        self._abnormal = 0
        self.setProperty("state", self._state)
        self.set_label(label)
        self.set_value(value)
        self.set_sub("")
        self.set_abnormal(0)
        self._age.hide()

    def _make_label(self, name: str, point_size: int, bold: bool = False) -> QtWidgets.QLabel:
        return plain_label(self, point_size, bold, name)

    # ------------------------------------------------------------------ the wall
    #: The big figure on the wall: this many times the minimum, as room allows.
    WALL_VALUE_SCALES = (1.6, 1.3, 1.0)

    def set_wall_style(self, style) -> None:
        """The wall rendering (``widgets.wall_style.WallStyle``): every text at least
        the wall's minimum, on two lines (see :meth:`_wall_layout`), the figure as big
        as its width allows (never clipped, never below the minimum)."""
        first = getattr(self, "_wall", None) is None
        self._wall = style
        if first:
            self._wall_layout()
        self._apply_wall_fonts()
        self.setMinimumSize(0, 0)
        self.layout().setContentsMargins(10, 4, 10, 4)
        self.set_abnormal(self._abnormal)
        self.set_stale(self._stale, self._age.text())
        self._fit_value()

    def _wall_layout(self) -> None:
        """Two lines on the wall: the label (eliding: a figure never gives way to it)
        with the badge, then the figure with its sub-line (or, while stale, the age)
        beside it, so that a tile stays low enough for several rows of them."""
        from widgets.feed_status import ElidedLabel
        layout = self.layout()
        old = self._label
        label = ElidedLabel(self, objectName="kpiLabel")
        label.setText(old.text())
        top = layout.itemAt(0).layout()
        top.replaceWidget(old, label)
        old.hide()
        old.deleteLater()
        self._label = label
        for w in (self._value, self._sub, self._age):
            layout.removeWidget(w)
        # beside the figure, they give way to it: they elide, the figure never
        for attr, name in (("_sub", "kpiSub"), ("_age", "kpiAge")):
            old_label = getattr(self, attr)
            new_label = ElidedLabel(self, objectName=name)
            new_label.setText(old_label.text())
            new_label.setVisible(not old_label.isHidden())
            old_label.hide()
            old_label.deleteLater()
            setattr(self, attr, new_label)
        self._value.setSizePolicy(QtWidgets.QSizePolicy.Policy.Minimum,
                                  QtWidgets.QSizePolicy.Policy.Preferred)
        row = QtWidgets.QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(12)
        row.addWidget(self._value, 0, QtCore.Qt.AlignmentFlag.AlignBottom)
        for w in (self._sub, self._age):
            w.setWordWrap(False)
            w.setAlignment(QtCore.Qt.AlignmentFlag.AlignLeft | QtCore.Qt.AlignmentFlag.AlignBottom)
            row.addWidget(w, 1, QtCore.Qt.AlignmentFlag.AlignBottom)
        layout.addLayout(row, 1)

    def _apply_wall_fonts(self) -> None:
        """The wall's fonts (again after a repolish: the stylesheet style restores the
        fonts a widget had when first polished)."""
        style = getattr(self, "_wall", None)
        if style is None:
            return
        from widgets.wall_style import set_wall_font
        for label, bold in ((self._label, True), (self._badge, True), (self._sub, False),
                            (self._age, True)):
            font = style.font(bold=bold)
            if label.font() != font or label.property("_q_styleSheetWidgetFont") != font:
                set_wall_font(label, font)
        self._fit_value()

    def is_wall(self) -> bool:
        return getattr(self, "_wall", None) is not None

    def _fit_value(self) -> None:
        style = getattr(self, "_wall", None)
        if style is None:
            return
        m = self.layout().contentsMargins()
        room = max(1, self.width() - m.left() - m.right())
        if self._sub.isVisibleTo(self) or self._age.isVisibleTo(self):
            room -= QtGui.QFontMetrics(style.font()).horizontalAdvance("…") + 12
        text = self._value.text() or "0"
        for scale in self.WALL_VALUE_SCALES:
            font = style.font(scale, bold=True)
            if QtGui.QFontMetrics(font).horizontalAdvance(text) <= room or scale == self.WALL_VALUE_SCALES[-1]:
                break
        # kept through the re-polishing that the state changes bring (set_wall_font)
        from widgets.wall_style import set_wall_font
        if self._value.font() != font or self._value.property("_q_styleSheetWidgetFont") != font:
            set_wall_font(self._value, font)
            # the figure's new width now, not at some later layout pass (a tile hidden on
            # another page of the overview would keep its old one and cut the figure)
            self._value.updateGeometry()
            self.layout().invalidate()
            self.layout().activate()

    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._fit_value()

    # ------------------------------------------------------------------ texts
    def set_label(self, text: str) -> None:
        self._label.setText(text)
        self.setAccessibleName(text)

    def label(self) -> str:
        return self._label.text()

    def set_value(self, text: str) -> None:
        self._value.setText(text)
        self._fit_value()

    def value(self) -> str:
        return self._value.text()

    def set_sub(self, text: str) -> None:
        """The small line under the value ("" hides it)."""
        self._sub.setText(text)
        self._sub.setVisible(bool(text) and not (self.is_wall() and self._stale and self._age.text()))

    def sub(self) -> str:
        return self._sub.text()

    # ------------------------------------------------------------------ abnormal badge
    def set_abnormal(self, count: int) -> None:
        """Items needing attention: the badge is red when > 0, muted at 0."""
        count = max(int(count), 0)
        # on the wall a shape says it too: the colour is not the only signal
        text = f"▲ {count}" if count > 0 and self.is_wall() else str(count)
        if count == self._abnormal and self._badge.text() == text:
            return              # the overview refreshes several times a second
        self._abnormal = count
        self._badge.setText(text)
        self._badge.setToolTip(self._badge_tooltip(count))
        active = "true" if count > 0 else "false"
        if self._badge.property("active") != active:
            self._badge.setProperty("active", active)
            repolish(self._badge)   # QSS re-reads a dynamic property only on polish
            self._apply_wall_fonts()

    def _badge_tooltip(self, count: int) -> str:
        return self.tr("%n item(s) need attention", "", count)

    def abnormal(self) -> int:
        return self._abnormal

    # ------------------------------------------------------------------ state
    def set_state(self, state: str) -> None:
        """``ok``/``warn``/``alarm`` for live data.  While stale, the tile stays grey and
        the new state is applied when :meth:`set_stale` (False) is called."""
        if state not in STATES:
            raise ValueError(f"state must be one of {STATES}, got {state!r}")
        if state == "stale":
            self.set_stale(True, self._age.text())
            return
        self._live_state = state
        if not self._stale:
            self._apply_state(state)

    def state(self) -> str:
        return self._state

    def set_stale(self, stale: bool, age_text: str = "") -> None:
        """Grey the tile and show ``age_text`` (e.g. "updated 12 min ago"), or go live."""
        self._stale = bool(stale)
        if self._stale:
            self._age.setText(age_text)
            self._age.setVisible(bool(age_text))
            self._apply_state("stale")
        else:
            self._age.clear()
            self._age.hide()
            self._apply_state(self._live_state)
        if self.is_wall():      # one line beside the figure: the age while stale
            self._sub.setVisible(bool(self._sub.text()) and not (self._stale and self._age.text()))

    def is_stale(self) -> bool:
        return self._stale

    def age_text(self) -> str:
        return self._age.text()

    def _apply_state(self, state: str) -> None:
        if state == self._state and self.property("state") == state:
            return
        self._state = state
        self.setProperty("state", state)
        repolish(self)  # QSS re-reads dynamic properties only on polish
        self._apply_wall_fonts()

    # ------------------------------------------------------------------ input
    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        if (event.button() == QtCore.Qt.MouseButton.LeftButton
                and self.rect().contains(event.position().toPoint())):
            self.clicked.emit()
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802
        if event.key() in (QtCore.Qt.Key.Key_Return, QtCore.Qt.Key.Key_Enter,
                           QtCore.Qt.Key.Key_Space):
            self.clicked.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self._badge.setToolTip(self._badge_tooltip(self._abnormal))  # in the new language
        super().changeEvent(event)
