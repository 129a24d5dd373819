"""The alarm history: the cache's alarm journal (``alarm_events``), newest first.

Every transition the engine journaled (raise, clear, acknowledge, shelve, silence …)
with who and why.  Filters: a time range (last hour / 24 hours / 7 days / everything /
from–to), the alarm (its id or its current text), the event types and the user.  The
journal is read off the GUI thread (``run_read``, the app's reader connection), at most
``limit`` rows, newest first, with the total that matched: "Showing the newest 500 of
12,345 events".

:func:`read_history` is the query (plain SQL, no Qt): tests and the panel share it.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Callable

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop import jsonfast
from ioc_desktop.alarms.engine import EVENTS
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.alarm_summary import (
    PRIORITY_COLORS, TABLE_PT, _plain_label, priority_text, state_text, value_text)
from widgets.alarm_text import message_text
from widgets.feed_status import clock_text
from widgets.filter_bar import FilterBar, MultiField
from widgets.text import VN_TZ, tooltip
from widgets.theme import TEXT_MUTED, WARN
from widgets.table_base import fit_columns

Qt = QtCore.Qt

LIMITS = (200, 500, 2000)
DEFAULT_LIMIT = 500
AUTO_REFRESH_MS = 5000       # at most this often while alarms change and the panel shows

EVENT_NAMES = {
    "raise": QT_TRANSLATE_NOOP("AlarmHistory", "Raised"),
    "clear": QT_TRANSLATE_NOOP("AlarmHistory", "Cleared"),
    "acknowledge": QT_TRANSLATE_NOOP("AlarmHistory", "Acknowledged"),
    "shelve": QT_TRANSLATE_NOOP("AlarmHistory", "Shelved"),
    "unshelve": QT_TRANSLATE_NOOP("AlarmHistory", "Unshelved"),
    "suppress": QT_TRANSLATE_NOOP("AlarmHistory", "Suppressed by design"),
    "unsuppress": QT_TRANSLATE_NOOP("AlarmHistory", "No longer suppressed"),
    "out_of_service": QT_TRANSLATE_NOOP("AlarmHistory", "Taken out of service"),
    "return_to_service": QT_TRANSLATE_NOOP("AlarmHistory", "Returned to service"),
    "silence": QT_TRANSLATE_NOOP("AlarmHistory", "Tone silenced"),
    "reset": QT_TRANSLATE_NOOP("AlarmHistory", "Reset"),
    "expire": QT_TRANSLATE_NOOP("AlarmHistory", "Shelve expired"),
}

RANGES = (
    ("hour", 3600, QT_TRANSLATE_NOOP("AlarmHistory", "Last hour")),
    ("day", 86400, QT_TRANSLATE_NOOP("AlarmHistory", "Last 24 hours")),
    ("week", 7 * 86400, QT_TRANSLATE_NOOP("AlarmHistory", "Last 7 days")),
    ("all", None, QT_TRANSLATE_NOOP("AlarmHistory", "Everything")),
    ("custom", None, QT_TRANSLATE_NOOP("AlarmHistory", "From … to …")),
)


def event_text(event: str) -> str:
    name = EVENT_NAMES.get(event)
    return QCoreApplication.translate("AlarmHistory", name) if name else event


# ---------------------------------------------------------------- the query (no Qt)
@dataclass
class HistoryRow:
    seq: int
    at: float
    alarm_id: str | None
    rule: str | None
    key: str | None
    event: str
    from_state: str | None
    to_state: str | None
    user: str | None
    reason: str | None
    value: Any
    priority: int | None
    until: float | None
    text: str | None = None          # the alarm's current text (``alarms``), if any
    message: list | None = None      # its translatable message


@dataclass
class HistoryPage:
    rows: list[HistoryRow] = field(default_factory=list)
    total: int = 0                   # events matching the filters (rows: the newest)
    users: list[str] = field(default_factory=list)
    journal: bool = True             # False: the cache has no alarm journal (yet)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def read_history(conn, *, since: float | None = None, until: float | None = None,
                 text: str = "", events: tuple[str, ...] = (), user: str | None = None,
                 limit: int = DEFAULT_LIMIT) -> HistoryPage:
    """The journal's newest ``limit`` events matching the filters, with their total.
    ``text`` matches the alarm id, its current text or the reason (case-insensitive for
    ASCII, as SQLite's LIKE).  Read-only; runs on the reader's connection."""
    has = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alarm_events'").fetchone()
    if not has:
        return HistoryPage(journal=False)
    has_alarms = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alarms'").fetchone()
    where, args = [], []
    if since is not None:
        where.append("e.at >= ?")
        args.append(float(since))
    if until is not None:
        where.append("e.at < ?")
        args.append(float(until))
    if events:
        where.append(f"e.event IN ({', '.join('?' * len(events))})")
        args.extend(events)
    if user:
        where.append("e.user = ?")
        args.append(user)
    text = (text or "").strip()
    join = "LEFT JOIN alarms a ON a.id = e.alarm_id" if has_alarms else ""
    if text:
        pattern = _like(text)
        fields = ["e.alarm_id", "e.reason"] + (["a.text"] if has_alarms else [])
        where.append("(" + " OR ".join(f"{f} LIKE ? ESCAPE '\\'" for f in fields) + ")")
        args.extend([pattern] * len(fields))
    clause = ("WHERE " + " AND ".join(where)) if where else ""
    text_cols = "a.text, a.data" if has_alarms else "NULL, NULL"
    total = conn.execute(f"SELECT COUNT(*) FROM alarm_events e {join if text else ''} {clause}",
                         args).fetchone()[0]
    rows = []
    for (seq, at, alarm_id, rule, key, event, fs, ts, who, reason, value, priority, until_,
         current, data) in conn.execute(
            f"""SELECT e.seq, e.at, e.alarm_id, e.rule, e.key, e.event, e.from_state,
                       e.to_state, e.user, e.reason, e.value, e.priority, e.until,
                       {text_cols}
                FROM alarm_events e {join} {clause}
                ORDER BY e.seq DESC LIMIT ?""", args + [int(limit)]):
        message = None
        if data:
            try:
                message = jsonfast.loads(data).get("message")
            except (ValueError, TypeError, AttributeError):
                message = None
        rows.append(HistoryRow(seq, at, alarm_id, rule, key, event, fs, ts, who, reason, value,
                               priority, until_, current, message))
    users = [r[0] for r in conn.execute(
        "SELECT DISTINCT user FROM alarm_events WHERE user IS NOT NULL AND user != '' "
        "ORDER BY user LIMIT 200")]
    return HistoryPage(rows, total, users)


# ---------------------------------------------------------------- the table
class AlarmHistoryModel(QtCore.QAbstractTableModel):
    columns = ("at", "event", "alarm", "priority", "change", "user", "detail", "value")

    def __init__(self, *, lang: str = "en", parent=None):
        super().__init__(parent)
        self.lang = lang
        self.rows: list[HistoryRow] = []
        self._texts: dict[int, str] = {}

    def set_rows(self, rows: list[HistoryRow]) -> None:
        self.beginResetModel()          # a new page: a handful of hundred rows at most
        self.rows = list(rows)
        self._texts.clear()
        self.endResetModel()

    def rowCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {"at": self.tr("Time"), "event": self.tr("Event"), "alarm": self.tr("Alarm"),
                "priority": self.tr("Priority"), "change": self.tr("State change"),
                "user": self.tr("User"), "detail": self.tr("Reason / detail"),
                "value": self.tr("Value")}[self.columns[section]]

    def alarm_text(self, row: HistoryRow) -> str:
        text = self._texts.get(row.seq)
        if text is None:
            if row.alarm_id is None:
                text = self.tr("(all alarms)") if row.event == "silence" else "—"
            elif row.message:
                text = message_text(row.message, row.text or row.alarm_id)
            else:
                text = row.text or row.alarm_id
            self._texts[row.seq] = text = " ".join(str(text).split())
        return text

    def detail(self, row: HistoryRow) -> str:
        parts = []
        if row.reason:
            parts.append(" ".join(row.reason.split()))
        if row.event == "silence":
            which = (self.tr("every priority") if row.priority in (None, 1)
                     else self.tr("priority {0} and lower").format(row.priority))
            parts.append(self.tr("{0} until {1}").format(which, clock_text(row.until)))
        elif row.until is not None:
            parts.append(self.tr("until {0}").format(clock_text(row.until)))
        return " · ".join(parts) or "—"

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "at":
                return datetime.fromtimestamp(row.at, VN_TZ).strftime("%d/%m %H:%M:%S")
            if column == "event":
                return event_text(row.event)
            if column == "alarm":
                return self.alarm_text(row)
            if column == "priority":
                return priority_text(row.priority) if row.priority is not None else "—"
            if column == "change":
                if row.from_state is None and row.to_state is None:
                    return "—"
                if row.from_state == row.to_state:
                    return state_text(row.to_state)
                return f"{state_text(row.from_state)} → {state_text(row.to_state)}"
            if column == "user":
                return row.user or "—"
            if column == "detail":
                return self.detail(row)
            if column == "value":
                return value_text(row.value, self.lang)
        if role == Qt.ItemDataRole.ForegroundRole and column == "priority" and row.priority in PRIORITY_COLORS:
            return QtGui.QBrush(QtGui.QColor(PRIORITY_COLORS[row.priority]))
        if role == Qt.ItemDataRole.ToolTipRole:
            return tooltip(self.alarm_text(row), self.tr("Alarm id: {0}").format(row.alarm_id or "—"),
                           self.detail(row))
        return None


# ---------------------------------------------------------------- the panel
class AlarmHistoryPanel(QtWidgets.QWidget):
    """Filters over the journal, read off the GUI thread with ``run_read(fn,
    callback)`` (``FeedService.run_read``: ``fn(conn)`` on the reader thread,
    ``callback(result or None)`` on the GUI thread)."""

    loaded = QtCore.Signal()                 # a page arrived (tests wait on it)
    #: review: show the whole app as it was at this moment (a row double-clicked, or
    #: "Review this moment")
    momentRequested = QtCore.Signal(float)

    def __init__(self, run_read: Callable | None = None, *, clock: Callable[[], float] = time.time,
                 lang: str = "en", parent=None):
        super().__init__(parent)
        self.setObjectName("alarmHistory")
        self.run_read = run_read
        self.clock = clock
        self.page: HistoryPage | None = None
        self._pending = False
        self._again = False
        self._generation = 0
        self._last_refresh = 0.0
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        # time range
        top = QtWidgets.QHBoxLayout()
        caption = QtWidgets.QLabel(self.tr("Period"), self)
        self.range = QtWidgets.QComboBox(self, objectName="historyRange")
        for name, _seconds, label in RANGES:
            self.range.addItem(QCoreApplication.translate("AlarmHistory", label), name)
        self.range.setCurrentIndex(1)
        caption.setBuddy(self.range)
        zone = QtCore.QTimeZone(7 * 3600)             # Huế time, like every time shown
        now = QtCore.QDateTime.fromSecsSinceEpoch(int(clock()), zone)
        self.since_edit = QtWidgets.QDateTimeEdit(now.addDays(-1), self, objectName="historySince")
        self.until_edit = QtWidgets.QDateTimeEdit(now, self, objectName="historyUntil")
        for edit in (self.since_edit, self.until_edit):
            edit.setTimeZone(zone)
            edit.setDisplayFormat("dd/MM/yyyy HH:mm")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            edit.dateTimeChanged.connect(self._changed)
        self.range.currentIndexChanged.connect(self._range_changed)
        self.limit = QtWidgets.QComboBox(self, objectName="historyLimit")
        for n in LIMITS:
            self.limit.addItem(self.tr("newest {0}").format(n), n)
        self.limit.setCurrentIndex(LIMITS.index(DEFAULT_LIMIT))
        self.limit.currentIndexChanged.connect(self._changed)
        self.refresh_button = QtWidgets.QPushButton(self.tr("Refresh"), self, objectName="historyRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        for w in (caption, self.range, self.since_edit, QtWidgets.QLabel("–", self), self.until_edit,
                  self.limit, self.refresh_button):
            top.addWidget(w)
        top.addStretch(1)
        layout.addLayout(top)
        # alarm, events, user
        self.filters = FilterBar(
            [MultiField("event", self.tr("Event"), [(e, event_text(e)) for e in EVENTS])], [],
            search_placeholder=self.tr("Alarm id, text or reason"), parent=self)
        self.filters.filterChanged.connect(self._changed)
        self.user = QtWidgets.QComboBox(self, objectName="historyUser")
        self.user.setEditable(True)
        self.user.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.user.lineEdit().setPlaceholderText(self.tr("any user"))
        self.user.addItem("")
        self.user.setMinimumWidth(QtGui.QFontMetrics(self.user.font()).horizontalAdvance("x" * 16))
        self.user.currentTextChanged.connect(self._changed)
        self.user.editTextChanged.connect(self._changed)
        user_caption = QtWidgets.QLabel(self.tr("User"), self)
        user_caption.setBuddy(self.user)
        self.filters.add_trailing(user_caption)
        self.filters.add_trailing(self.user)
        layout.addWidget(self.filters)
        # table
        self.model = AlarmHistoryModel(lang=lang, parent=self)
        self.view = QtWidgets.QTableView(self, objectName="historyTable")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        font = QtGui.QFont(self.view.font())
        font.setPointSize(TABLE_PT - 1)
        self.view.setFont(font)
        self.view.horizontalHeader().setFont(font)
        self.view.verticalHeader().setDefaultSectionSize(QtGui.QFontMetrics(font).height() + 8)
        header = self.view.horizontalHeader()
        for col, name in enumerate(self.model.columns):
            if name in ("alarm", "detail"):
                header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.Stretch)
        fit_columns(self.view, [c for c, name in enumerate(self.model.columns)
                                if name not in ("alarm", "detail")])
        layout.addWidget(self.view, 1)
        self.view.doubleClicked.connect(self._review_row)
        self.review_button = QtWidgets.QPushButton(self.tr("Review this moment"), self,
                                                   objectName="historyReview")
        self.review_button.setToolTip(tooltip(self.tr(
            "Show every panel, the map and the alarms as they were when the selected entry "
            "was journaled (double-click does the same)")))
        self.review_button.clicked.connect(lambda: self._review_row(self.view.currentIndex()))
        top.insertWidget(top.count() - 1, self.review_button)
        self.status = _plain_label(TABLE_PT - 2, name="historyStatus")
        self.status.setStyleSheet(f"color: {TEXT_MUTED};")
        layout.addWidget(self.status)
        self._debounce = QtCore.QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.refresh)
        self._auto = QtCore.QTimer(self, singleShot=True)
        self._auto.timeout.connect(self.refresh)

    def _review_row(self, index) -> None:
        rows = self.page.rows if self.page is not None else []
        if index is not None and index.isValid() and 0 <= index.row() < len(rows):
            self.momentRequested.emit(float(rows[index.row()].at))

    # ------------------------------------------------------------ filters
    def period(self) -> tuple[float | None, float | None]:
        name = self.range.currentData()
        if name == "custom":
            return (float(self.since_edit.dateTime().toSecsSinceEpoch()),
                    float(self.until_edit.dateTime().toSecsSinceEpoch()))
        seconds = dict((n, s) for n, s, _ in RANGES).get(name)
        if seconds is None:
            return None, None
        return self.clock() - seconds, None

    def set_period(self, since: float, until: float) -> None:
        """A custom period (epoch seconds)."""
        zone = QtCore.QTimeZone(7 * 3600)
        self.range.setCurrentIndex(self.range.findData("custom"))
        self.since_edit.setDateTime(QtCore.QDateTime.fromSecsSinceEpoch(int(since), zone))
        self.until_edit.setDateTime(QtCore.QDateTime.fromSecsSinceEpoch(int(until), zone))

    def query_args(self) -> dict:
        since, until = self.period()
        values = self.filters.values()
        return {"since": since, "until": until, "text": values.get("text", ""),
                "events": tuple(values.get("event", ())),
                "user": self.user.currentText().strip() or None,
                "limit": int(self.limit.currentData())}

    def _range_changed(self, *_):
        custom = self.range.currentData() == "custom"
        self.since_edit.setEnabled(custom)
        self.until_edit.setEnabled(custom)
        self._changed()

    def _changed(self, *_):
        self._debounce.start()

    # ------------------------------------------------------------ reading
    def refresh(self) -> None:
        """Read the page for the current filters (one read at a time; a change
        meanwhile reads again once it is back)."""
        self._debounce.stop()
        if self.run_read is None:
            self.status.setText(self.tr("The alarm journal is not available"))
            return
        if self._pending:
            self._again = True
            return
        self._pending, self._again = True, False
        self._generation += 1
        generation = self._generation
        args = self.query_args()
        self._last_refresh = time.monotonic()
        self.status.setText(self.tr("Reading the alarm journal…"))
        self.run_read(lambda conn: read_history(conn, **args),
                      lambda page, g=generation: self._loaded(page, g, args))

    def note_changes(self) -> None:
        """Alarms changed: read again if shown and the period runs to now (at most
        every few seconds)."""
        if not self.isVisible() or self.range.currentData() == "custom" or self._auto.isActive():
            return
        wait = max(0, int(AUTO_REFRESH_MS - (time.monotonic() - self._last_refresh) * 1000))
        self._auto.start(wait)

    def _loaded(self, page: HistoryPage | None, generation: int, args: dict) -> None:
        self._pending = False
        if self._again:
            self.refresh()
            return
        if page is None:
            self.status.setText(self.tr("The alarm journal could not be read"))
            self.status.setStyleSheet(f"color: {WARN};")
            self.loaded.emit()
            return
        self.page = page
        self.model.set_rows(page.rows)
        self._users(page.users)
        self.status.setStyleSheet(f"color: {TEXT_MUTED};")
        if not page.journal:
            self.status.setText(self.tr("No alarm journal in the cache yet"))
        elif page.total > len(page.rows):
            self.status.setText(self.tr("Showing the newest {0} of {1} events").format(len(page.rows), page.total))
        else:
            self.status.setText(self.tr("{0} events").format(page.total))
        self.loaded.emit()

    def _users(self, users: list[str]) -> None:
        current = self.user.currentText()
        known = [self.user.itemText(i) for i in range(1, self.user.count())]
        if known == users:
            return
        self.user.blockSignals(True)
        try:
            self.user.clear()
            self.user.addItem("")
            self.user.addItems(users)
            self.user.setEditText(current)
        finally:
            self.user.blockSignals(False)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.page is None and not self._pending:
            QtCore.QTimer.singleShot(0, self.refresh)
