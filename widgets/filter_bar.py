"""A filter bar for a queue: multi-select lists, single choices, a debounced search box.

It knows no service: the caller names the fields and gives their options (values with
translated labels); the bar emits :attr:`FilterBar.filterChanged` with plain values::

    {"states": ("received",), "categories": (), "sla": "overdue", "sort": "newest",
     "text": "ngập"}

Multi-select fields give a tuple of the checked values (empty: no restriction), choices
give the chosen value (None: the "any" entry), ``text`` the search text.  Everything is
keyboard-operable: Tab through the fields, Space/Enter opens a list, Space toggles an
entry without closing it, Esc closes it; in the search box Enter applies at once and
Esc clears (then :attr:`searchLeft` asks the owner to take the focus back).

Option labels may come from a feed: menus and combos draw plain text, and each
multi-select button shows only counts or labels as plain text.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

from PySide6 import QtCore, QtGui, QtWidgets

Qt = QtCore.Qt
Options = list[tuple[Any, str]]          # (value, label already translated)


@dataclass
class MultiField:
    name: str
    label: str                           # translated
    options: Options | None = None


@dataclass
class ChoiceField:
    name: str
    label: str                           # translated, shown before the combo
    options: Options                     # the first is the default
    # None as a value means "no restriction"


class _StayOpenMenu(QtWidgets.QMenu):
    """A menu whose checkable entries toggle without closing it (mouse and Space/Enter)."""

    def mouseReleaseEvent(self, event: QtGui.QMouseEvent) -> None:  # noqa: N802 (Qt API)
        action = self.actionAt(event.position().toPoint())
        if action is not None and action.isCheckable() and action.isEnabled():
            action.trigger()
            return
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QtGui.QKeyEvent) -> None:  # noqa: N802
        action = self.activeAction()
        if (event.key() in (Qt.Key.Key_Space, Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and action is not None and action.isCheckable() and action.isEnabled()):
            action.trigger()
            return
        super().keyPressEvent(event)


class MultiSelect(QtWidgets.QToolButton):
    """A button that opens a list of checkable options; shows what is checked."""

    changed = QtCore.Signal()

    def __init__(self, label: str, parent=None):
        super().__init__(parent)
        self.label = label
        self.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.menu_ = _StayOpenMenu(self)
        self.setMenu(self.menu_)
        self._actions: dict[Any, QtGui.QAction] = {}
        self._labels: dict[Any, str] = {}
        self._quiet = False
        self._update_text()

    def set_options(self, options: Iterable[tuple[Any, str]]) -> None:
        """Replace the options; checked values stay checked (kept even if now absent)."""
        checked = set(self.values())
        self._quiet = True
        try:
            self.menu_.clear()
            self._actions.clear()
            clear = self.menu_.addAction(QtCore.QCoreApplication.translate("FilterBar", "Clear"))
            clear.triggered.connect(self.clear)
            self.menu_.addSeparator()
            options = list(options)
            known = {v for v, _ in options}
            for value, text in options + [(v, self._labels.get(v, str(v))) for v in checked - known]:
                action = self.menu_.addAction(text)
                action.setCheckable(True)
                action.setChecked(value in checked)
                action.toggled.connect(self._toggled)
                self._actions[value] = action
                self._labels[value] = text
        finally:
            self._quiet = False
        self._update_text()

    def values(self) -> tuple:
        return tuple(v for v, a in self._actions.items() if a.isChecked())

    def set_values(self, values: Iterable) -> None:
        wanted = set(values)
        self._quiet = True
        try:
            for value, action in self._actions.items():
                action.setChecked(value in wanted)
        finally:
            self._quiet = False
        self._toggled()

    def clear(self) -> None:
        self.set_values(())

    def _toggled(self, *_):
        self._update_text()
        if not self._quiet:
            self.changed.emit()

    def _update_text(self) -> None:
        values = self.values()
        if not values:
            shown = QtCore.QCoreApplication.translate("FilterBar", "any")
        elif len(values) == 1:
            shown = self._labels.get(values[0], str(values[0]))
        else:
            shown = QtCore.QCoreApplication.translate("FilterBar", "{0} selected").format(len(values))
        if len(shown) > 28:
            shown = shown[:27] + "…"
        self.setText(f"{self.label}: {shown}")
        self.setToolTip("")                 # labels may be feed text: no rich-text tooltip


class FilterBar(QtWidgets.QWidget):
    filterChanged = QtCore.Signal(dict)
    searchLeft = QtCore.Signal()            # Enter or Esc in the search box

    def __init__(self, multi: list[MultiField], choices: list[ChoiceField], *,
                 search_placeholder: str = "", debounce_ms: int = 250, parent=None):
        super().__init__(parent)
        self.setObjectName("filterBar")
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        self.multi: dict[str, MultiSelect] = {}
        for field in multi:
            button = MultiSelect(field.label, self)
            button.setObjectName(f"filter-{field.name}")
            if field.options:
                button.set_options(field.options)
            button.changed.connect(self._emit)
            self.multi[field.name] = button
            layout.addWidget(button)
        self.choices: dict[str, QtWidgets.QComboBox] = {}
        for field in choices:
            caption = QtWidgets.QLabel(field.label, self)
            caption.setTextFormat(Qt.TextFormat.PlainText)
            combo = QtWidgets.QComboBox(self)
            combo.setObjectName(f"filter-{field.name}")
            for value, text in field.options:
                combo.addItem(text, value)
            caption.setBuddy(combo)
            combo.currentIndexChanged.connect(self._emit)
            self.choices[field.name] = combo
            layout.addWidget(caption)
            layout.addWidget(combo)
        self.search = QtWidgets.QLineEdit(self)
        self.search.setObjectName("filter-search")
        self.search.setPlaceholderText(search_placeholder)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)
        self.search.installEventFilter(self)
        layout.addWidget(self.search, 1)
        self._trailing = layout
        self._debounce = QtCore.QTimer(self, singleShot=True, interval=debounce_ms)
        self._debounce.timeout.connect(self._emit)
        self.search.textEdited.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._search_done)
        self._quiet = False

    # ------------------------------------------------------------------ API
    def add_trailing(self, widget: QtWidgets.QWidget) -> None:
        """A widget of the caller's after the search box (a help button, say)."""
        self._trailing.addWidget(widget)

    def set_options(self, name: str, options: Options) -> None:
        self.multi[name].set_options(options)

    def values(self) -> dict:
        out: dict[str, Any] = {name: b.values() for name, b in self.multi.items()}
        out.update({name: c.currentData() for name, c in self.choices.items()})
        out["text"] = self.search.text().strip()
        return out

    def set_value(self, name: str, value) -> None:
        """Set one field (a tuple for a multi-select, a value for a choice, text)."""
        if name == "text":
            self.search.setText(value or "")
            self._debounce.stop()
            self._emit()
        elif name in self.multi:
            self.multi[name].set_values(value or ())
        else:
            combo = self.choices[name]
            combo.setCurrentIndex(max(0, combo.findData(value)))

    def clear(self, keep: Iterable[str] = ()) -> None:
        """Every field back to its default (a choice: its first entry), except ``keep``."""
        keep = set(keep)
        self._quiet = True
        try:
            for name, button in self.multi.items():
                if name not in keep:
                    button.clear()
            for name, combo in self.choices.items():
                if name not in keep:
                    combo.setCurrentIndex(0)
            self.search.clear()
            self._debounce.stop()
        finally:
            self._quiet = False
        self._emit()

    def is_default(self, ignore: Iterable[str] = ()) -> bool:
        ignore = set(ignore)
        return (not any(b.values() for n, b in self.multi.items() if n not in ignore)
                and all(c.currentIndex() == 0 for n, c in self.choices.items() if n not in ignore)
                and not self.search.text().strip())

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    # ------------------------------------------------------------------ internals
    def _emit(self, *_):
        if self._quiet:
            return
        self.filterChanged.emit(self.values())

    def _search_done(self) -> None:
        if self._debounce.isActive():
            self._debounce.stop()
            self._emit()
        self.searchLeft.emit()

    def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
        if obj is self.search and event.type() == QtCore.QEvent.Type.KeyPress \
                and event.key() == Qt.Key.Key_Escape:
            if self.search.text():
                self.search.clear()
                self._debounce.stop()
                self._emit()
            self.searchLeft.emit()
            return True
        return super().eventFilter(obj, event)
