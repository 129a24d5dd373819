"""The shelved and out-of-service alarms: who, why, since, until, with the way back.

Shelved and out-of-service alarms are not annunciated and are not in the summary, which
is exactly why they must not be forgotten (ISA-18.2: they are tracked lists).  This panel
lists each with who put it there, why, since when and (a shelve) until when, and whether
its condition is still active underneath; "Unshelve" (U) and "Return to service" (R,
supervisors only, like taking it out) bring them back.  The counts are on the banner,
the status bar and the tab titles.

Rows come from each ``AlarmDelta``'s summary, applied incrementally (no reset).
"""
from __future__ import annotations

import time
from typing import Any, Callable, Iterable

from PySide6 import QtCore, QtGui, QtWidgets

from ioc_desktop.alarms.engine import Alarm, Summary
from widgets.alarm_summary import (
    TABLE_PT, ActionRunner, AlarmRowsModel, _plain_label, is_supervisor, priority_cell,
    user_words)
from widgets.feed_status import clock_text
from widgets.text import age_text, tooltip
from widgets.theme import ALARM, STALE, TEXT, TEXT_MUTED, WARN
from widgets.table_base import fit_columns

Qt = QtCore.Qt


def condition_text(alarm: Alarm, current: bool = True) -> str:
    """Is the condition still there under the overlay (as of data not current)?"""
    if alarm.active:
        text = QtCore.QCoreApplication.translate("AlarmLists", "active")
    else:
        text = QtCore.QCoreApplication.translate("AlarmLists", "cleared")
    if not current:
        return QtCore.QCoreApplication.translate("AlarmLists", "{0} · not current").format(text)
    return text


class _OverlayListModel(AlarmRowsModel):
    """A list of alarms under an operator's overlay (shelved, out of service): the
    columns' texts come from :meth:`cells`, the tooltip's last line from
    :meth:`why`; the rest is shared."""

    def cells(self, alarm: Alarm, now: float) -> dict[str, Callable[[], str]]:
        raise NotImplementedError

    def why(self, alarm: Alarm) -> str:
        raise NotImplementedError

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        alarm = self.alarm_at(index.row()) if index.isValid() else None
        if alarm is None:
            return None
        column = self.columns[index.column()]
        if role == self.ALARM_ROLE:
            return alarm
        if role == self.ID_ROLE:
            return alarm.id
        if column == "priority":
            return priority_cell(alarm, role)
        if role == Qt.ItemDataRole.DisplayRole:
            cells = {"text": lambda: self.text_of(alarm),
                     "source": lambda: self.source_title(alarm),
                     "condition": lambda: condition_text(alarm, self.is_current(alarm)),
                     **self.cells(alarm, self.clock())}
            return cells[column]()
        if role == Qt.ItemDataRole.ForegroundRole and column == "condition":
            if not self.is_current(alarm):
                return QtGui.QBrush(QtGui.QColor(STALE))
            return QtGui.QBrush(QtGui.QColor(WARN)) if alarm.active else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self.text_of(alarm), QtCore.QCoreApplication.translate(
                "AlarmLists", "Alarm id: {0}").format(alarm.id), self.why(alarm))
        return None


class ShelvedModel(_OverlayListModel):
    columns = ("priority", "text", "source", "by", "reason", "since", "until", "condition")

    def column_title(self, column: str) -> str:
        return {"priority": self.tr("Priority"), "text": self.tr("Alarm"),
                "source": self.tr("Source"), "by": self.tr("Shelved by"),
                "reason": self.tr("Reason"), "since": self.tr("Since"),
                "until": self.tr("Until"), "condition": self.tr("Condition")}[column]

    def cells(self, alarm, now):
        return {"by": lambda: alarm.shelved_by or "—",
                "reason": lambda: " ".join((alarm.shelve_reason or "—").split()),
                "since": lambda: clock_text(alarm.shelved_at, now),
                "until": lambda: self._until(alarm, now)}

    def why(self, alarm):
        return self.tr("Shelved by {0}: {1}").format(alarm.shelved_by or "—", alarm.shelve_reason or "—")

    def _until(self, alarm: Alarm, now: float) -> str:
        if alarm.shelved_until is None:
            return "—"
        left = alarm.shelved_until - now
        if left <= 0:
            return self.tr("{0} (expiring)").format(clock_text(alarm.shelved_until, now))
        return self.tr("{0} (in {1})").format(clock_text(alarm.shelved_until, now), age_text(left))


class OutOfServiceModel(_OverlayListModel):
    columns = ("priority", "text", "source", "by", "reason", "since", "for", "condition")

    def column_title(self, column: str) -> str:
        return {"priority": self.tr("Priority"), "text": self.tr("Alarm"),
                "source": self.tr("Source"), "by": self.tr("Taken out by"),
                "reason": self.tr("Reason"), "since": self.tr("Since"),
                "for": self.tr("For"), "condition": self.tr("Condition")}[column]

    def cells(self, alarm, now):
        return {"by": lambda: alarm.oos_by or "—",
                "reason": lambda: " ".join((alarm.oos_reason or "—").split()),
                "since": lambda: clock_text(alarm.oos_at, now),
                "for": lambda: age_text(now - alarm.oos_at) if alarm.oos_at else "—"}

    def why(self, alarm):
        return self.tr("Out of service by {0}: {1}").format(alarm.oos_by or "—", alarm.oos_reason or "—")


class _AlarmTable(QtWidgets.QTableView):
    def __init__(self, model: AlarmRowsModel, name: str, parent=None):
        super().__init__(parent)
        self.setObjectName(name)
        self.source = model
        self.proxy = QtCore.QSortFilterProxyModel(self)
        self.proxy.setSourceModel(model)
        self.proxy.setDynamicSortFilter(True)
        self.setModel(self.proxy)
        self.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        font = QtGui.QFont(self.font())
        font.setPointSize(TABLE_PT)
        self.setFont(font)
        self.horizontalHeader().setFont(font)
        self.verticalHeader().setDefaultSectionSize(QtGui.QFontMetrics(font).height() + 10)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        for col, name in enumerate(model.columns):
            if name in ("text", "reason"):
                header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.Stretch)
        fit_columns(self, [c for c, name in enumerate(model.columns) if name not in ("text", "reason")])

    def selected_alarms(self) -> list[Alarm]:
        rows = sorted({i.row() for i in self.selectionModel().selectedRows()})
        return [a for a in (self.proxy.index(r, 0).data(AlarmRowsModel.ALARM_ROLE) for r in rows)
                if a is not None]

    def select_alarm(self, alarm_id: str) -> bool:
        row = self.source.row_of(alarm_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.source.index(row, 0))
        self.setCurrentIndex(index)
        self.selectRow(index.row())
        self.scrollTo(index)
        return True


class AlarmListsPanel(QtWidgets.QWidget):
    """Two tabs: shelved alarms and out-of-service alarms."""

    sourceRequested = QtCore.Signal(str, str)

    def __init__(self, act: Callable[..., Any] | None = None, *,
                 clock: Callable[[], float] = time.time,
                 source_title: Callable[[Alarm], str] | None = None, lang: str = "en",
                 parent=None):
        super().__init__(parent)
        self.setObjectName("alarmLists")
        self.clock = clock
        self.user: dict = {"name": "", "roles": []}
        self.runner = ActionRunner(act, self)
        self.runner.finished.connect(self.show_message)
        kwargs = dict(clock=clock, source_title=source_title, lang=lang, parent=self)
        self.shelved = ShelvedModel(**kwargs)
        self.out_of_service = OutOfServiceModel(**kwargs)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.tabs = QtWidgets.QTabWidget(self)
        # shelved
        page = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(page)
        self.shelved_view = _AlarmTable(self.shelved, "shelvedTable", page)
        box.addWidget(self.shelved_view, 1)
        row = QtWidgets.QHBoxLayout()
        self.unshelve_button = QtWidgets.QPushButton(self.tr("Unshelve (U)"), page, objectName="unshelve")
        self.unshelve_button.setToolTip(tooltip(self.tr("Unshelve the selected alarms: an active one is annunciated again")))
        self.unshelve_button.clicked.connect(self.unshelve_selected)
        row.addWidget(self.unshelve_button)
        row.addStretch(1)
        box.addLayout(row)
        self.tabs.addTab(page, "")
        # out of service
        page = QtWidgets.QWidget()
        box = QtWidgets.QVBoxLayout(page)
        self.oos_view = _AlarmTable(self.out_of_service, "outOfServiceTable", page)
        box.addWidget(self.oos_view, 1)
        row = QtWidgets.QHBoxLayout()
        self.return_button = QtWidgets.QPushButton(self.tr("Return to service (R)"), page, objectName="returnToService")
        self.return_button.clicked.connect(self.return_selected)
        row.addWidget(self.return_button)
        row.addStretch(1)
        box.addLayout(row)
        self.tabs.addTab(page, "")
        layout.addWidget(self.tabs, 1)
        self.message = _plain_label(TABLE_PT - 2, name="alarmListsMessage")
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        for view in (self.shelved_view, self.oos_view):
            view.installEventFilter(self)
            view.doubleClicked.connect(lambda _i, v=view: self._source(v))
        self._ticker = QtCore.QTimer(self, interval=15_000)      # "in 42 min", "for 3 h"
        self._ticker.timeout.connect(self._tick)
        self._ticker.start()
        self._titles()
        self.set_user(self.user)

    # ------------------------------------------------------------ feeding
    def apply(self, summary: Summary, changed: Iterable[Alarm] | None = None) -> None:
        changed_ids = None if changed is None else {a.id for a in changed}
        self.shelved.sync({a.id: a for a in summary.shelved}, changed_ids)
        self.out_of_service.sync({a.id: a for a in summary.out_of_service}, changed_ids)
        self._titles()

    def set_freshness(self, live: bool, stale: Iterable[str] = ()) -> None:
        self.shelved.set_freshness(live, stale)
        self.out_of_service.set_freshness(live, stale)

    def set_user(self, user: dict | None) -> None:
        self.user = dict(user or {"name": "", "roles": []})
        supervisor = is_supervisor(self.user)
        self.return_button.setEnabled(supervisor)
        self.return_button.setToolTip(tooltip(
            self.tr("Return the selected alarms to service (supervisors only)") if supervisor
            else self._refusal()))

    def show_message(self, text: str, ok: bool = True) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {TEXT if ok else WARN};")

    def select_alarm(self, alarm_id: str) -> bool:
        if self.shelved_view.select_alarm(alarm_id):
            self.tabs.setCurrentIndex(0)
            return True
        if self.oos_view.select_alarm(alarm_id):
            self.tabs.setCurrentIndex(1)
            return True
        return False

    # ------------------------------------------------------------ actions
    def unshelve_selected(self) -> int:
        alarms = self.shelved_view.selected_alarms()
        if not alarms:
            self.show_message(self.tr("Select the shelved alarms to unshelve first"), False)
            return 0
        return self.runner.run("unshelve", [a.id for a in alarms])

    def return_selected(self) -> int:
        if not is_supervisor(self.user):
            self.show_message(self._refusal(), False)
            return 0
        alarms = self.oos_view.selected_alarms()
        if not alarms:
            self.show_message(self.tr("Select the alarms to return to service first"), False)
            return 0
        return self.runner.run("return_to_service", [a.id for a in alarms])

    def _refusal(self) -> str:
        return self.tr("Only a supervisor can return alarms to service; signed in: {0}").format(user_words(self.user))

    def _source(self, view: _AlarmTable) -> None:
        index = view.currentIndex()
        alarm = view.proxy.index(index.row(), 0).data(AlarmRowsModel.ALARM_ROLE) if index.isValid() else None
        if alarm is not None and alarm.source_topic:
            self.sourceRequested.emit(alarm.source_topic, alarm.source_key or alarm.key)

    def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
        if event.type() == QtCore.QEvent.Type.KeyPress and obj in (self.shelved_view, self.oos_view):
            key = event.key()
            if obj is self.shelved_view and key == Qt.Key.Key_U:
                self.unshelve_selected()
                return True
            if obj is self.oos_view and key == Qt.Key.Key_R:
                self.return_selected()
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._source(obj)
                return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------ counts
    def counts(self) -> tuple[int, int]:
        return self.shelved.rowCount(), self.out_of_service.rowCount()

    def _titles(self) -> None:
        shelved, oos = self.counts()
        self.tabs.setTabText(0, self.tr("Shelved ({0})").format(shelved))
        self.tabs.setTabText(1, self.tr("Out of service ({0})").format(oos))
        bar = self.tabs.tabBar()
        bar.setTabTextColor(0, QtGui.QColor(WARN if shelved else TEXT_MUTED))
        bar.setTabTextColor(1, QtGui.QColor(ALARM if oos else TEXT_MUTED))

    def _tick(self) -> None:
        self.shelved.tick_column("until")
        self.out_of_service.tick_column("for")
