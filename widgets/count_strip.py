"""A row of big, coloured counters with text: severity counts, sentiment counts.

Each cell shows a label (e.g. "CRITICAL"), a big value and a small sub-line, with a
colour band down its left side.  A cell whose count matters (``active``) is filled with
its colour so that it stands out from across the room; an inactive one (e.g. zero
critical events) is drawn muted.  Colour never carries the meaning alone: the label says
what the cell counts.  Texts come from the caller, already translated, and are shown as
plain text (a feed's text never becomes HTML here).
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets

from widgets.text import plain_label

from widgets.theme import BORDER, STALE, SURFACE, TEXT, TEXT_MUTED


def ink_for(color: str) -> str:
    """Black or white text, whichever reads better on ``color``."""
    c = QtGui.QColor(color)
    # relative luminance (sRGB approximation is enough to pick black or white)
    lum = 0.2126 * c.redF() ** 2.2 + 0.7152 * c.greenF() ** 2.2 + 0.0722 * c.blueF() ** 2.2
    return "#111111" if lum > 0.25 else "#ffffff"


class CountCell(QtWidgets.QFrame):
    """One counter: label, big value, sub-line; filled with its colour when active."""

    clicked = QtCore.Signal(str)

    LABEL_PT = 13
    VALUE_PT = 34
    SUB_PT = 11

    def __init__(self, cell_id: str, label: str, color: str, parent=None):
        super().__init__(parent)
        self.cell_id = cell_id
        self.color = color
        self.setObjectName("countCell")
        self.setAttribute(QtCore.Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setMinimumWidth(120)
        self._label = self._make(self.LABEL_PT, True)
        self._value = self._make(self.VALUE_PT, True)
        self._sub = self._make(self.SUB_PT, False)
        self._label.setWordWrap(True)
        self._sub.setWordWrap(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(14, 6, 10, 6)
        layout.setSpacing(0)
        layout.addWidget(self._label)
        layout.addWidget(self._value)
        layout.addWidget(self._sub)
        self._active = None
        self._stale = False
        self.set_label(label)
        self.set_value("—")
        self.set_sub("")
        self.set_active(False)

    def _make(self, pt: int, bold: bool) -> QtWidgets.QLabel:
        return plain_label(self, pt, bold)

    def set_wall_style(self, style) -> None:
        """The wall rendering (``widgets.wall_style.WallStyle``): every text at least
        the wall's minimum; the figure a little bigger."""
        for label, name in ((self._label, "countLabel"), (self._value, "countValue"),
                            (self._sub, "countSub")):
            label.setObjectName(name)
        from widgets.wall_style import set_wall_font
        set_wall_font(self._label, style.font(bold=True))
        set_wall_font(self._value, style.font(1.3, bold=True))
        set_wall_font(self._sub, style.font())
        # and through the stylesheet, which _restyle replaces (a re-polish may put back
        # the fonts given with setFont)
        self._wall_qss = (f" #countCell QLabel#countLabel {{ {style.qss_font(bold=True)} }}"
                          f" #countCell QLabel#countValue {{ {style.qss_font(1.3, bold=True)} }}"
                          f" #countCell QLabel#countSub {{ {style.qss_font()} }}")
        self.setMinimumWidth(0)
        self._restyle()

    def set_label(self, text: str) -> None:
        self._label.setText(text)
        self.setAccessibleName(text)

    def label(self) -> str:
        return self._label.text()

    def set_value(self, text: str) -> None:
        self._value.setText(text)

    def value(self) -> str:
        return self._value.text()

    def set_sub(self, text: str) -> None:
        self._sub.setText(text)
        self._sub.setVisible(bool(text))

    def sub(self) -> str:
        return self._sub.text()

    def is_active(self) -> bool:
        return bool(self._active)

    def set_active(self, active: bool) -> None:
        """Active: filled with the cell's colour.  Inactive: dark, with a colour band."""
        active = bool(active)
        if active == self._active:
            return
        self._active = active
        self._restyle()

    def set_stale(self, stale: bool, marker: str = "") -> None:
        """Not current (the panel's data is old or the link is down): grey whatever
        the count says, so a red "1 offline" can't pass for live."""
        if bool(stale) != self._stale:
            self._stale = bool(stale)
            self._restyle()

    def is_stale(self) -> bool:
        return self._stale

    def _restyle(self) -> None:
        color = STALE if self._stale else self.color
        wall = getattr(self, "_wall_qss", "")
        if self._active:
            ink = ink_for(color)
            self.setStyleSheet(
                f"#countCell {{ background: {color}; border: 2px solid {color};"
                f" border-radius: 6px; }} #countCell QLabel {{ color: {ink}; background: transparent; }}"
                + wall)
            self._value.setStyleSheet("")
        else:
            self.setStyleSheet(
                f"#countCell {{ background: {SURFACE}; border: 1px solid {BORDER};"
                f" border-left: 8px solid {color}; border-radius: 6px; }}"
                f" #countCell QLabel {{ color: {TEXT_MUTED}; background: transparent; }}" + wall)
            self._value.setStyleSheet(f"color: {TEXT_MUTED if self._stale else TEXT};")

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802
        if event.button() == QtCore.Qt.MouseButton.LeftButton:
            self.clicked.emit(self.cell_id)
        super().mouseReleaseEvent(event)


class CountStrip(QtWidgets.QWidget):
    """Cells side by side, addressed by id.

    ``strip.add("critical", tr("CRITICAL"), "#ff2d2d")`` then
    ``strip.set("critical", "3", sub=tr("open"), active=True)``.
    """

    cellClicked = QtCore.Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cells: dict[str, CountCell] = {}
        self._layout = QtWidgets.QHBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(8)

    def add(self, cell_id: str, label: str, color: str, stretch: int = 1) -> CountCell:
        cell = CountCell(cell_id, label, color, self)
        cell.clicked.connect(self.cellClicked)
        if getattr(self, "_wall", None) is not None:
            cell.set_wall_style(self._wall)
        self.cells[cell_id] = cell
        self._layout.addWidget(cell, stretch)
        return cell

    def set(self, cell_id: str, value: str, *, sub: str | None = None,
            active: bool | None = None, label: str | None = None) -> None:
        cell = self.cells[cell_id]
        cell.set_value(value)
        if sub is not None:
            cell.set_sub(sub)
        if label is not None:
            cell.set_label(label)
        if active is not None:
            cell.set_active(active)

    def value(self, cell_id: str) -> str:
        return self.cells[cell_id].value()

    def set_wall_style(self, style) -> None:
        self._wall = style
        for cell in self.cells.values():
            cell.set_wall_style(style)


__all__ = ["CountCell", "CountStrip", "ink_for"]
