"""Alarm-system health (EEMUA 191 / ISA-18.2) for the supervisors: the figures of
:mod:`ioc_desktop.alarms.health` over the last 24 hours of the cache's journal.

Computed off the GUI thread (``run_read``: the reader's connection), once a minute while
the panel is shown and on demand (Refresh).  Each figure says its benchmark and whether
it is met, in words and colour: alarms per 10 minutes (average and peak, a flood is more
than 10), the share of 10-minute periods in flood, alarms per operator per day (<= 150),
the priority distribution against <= 5 % critical, chattering and stale alarms, shelved
and out-of-service counts and durations, and the ten most frequent alarms.
"""
from __future__ import annotations

import time
from typing import Callable

from PySide6 import QtCore, QtGui, QtWidgets

from ioc_desktop import jsonfast
from ioc_desktop.alarms.health import (
    CRITICAL_TARGET, FLOOD_ABOVE, PER_OPERATOR_DAY_TARGET, HealthReport, NoAlarmJournal,
    alarm_health)
from widgets.alarm_summary import (
    PRIORITY_COLORS, TABLE_PT, _elided_label, _plain_label, priority_text, state_text)
from widgets.alarm_text import message_text
from widgets.feed_status import clock_text
from widgets.text import tooltip
from widgets.theme import ALARM, BORDER, OK, SURFACE_ALT, TEXT, TEXT_MUTED

Qt = QtCore.Qt
REFRESH_MS = 60_000
VALUE_PT = 20


def read_health(conn, now: float, operators: int = 1) -> dict:
    """The report and the current texts of the alarms it names (reader thread)."""
    try:
        report = alarm_health(conn, now=now, operators=operators)
    except NoAlarmJournal:
        return {"report": None, "texts": {}}
    ids = {a.alarm_id for a in report.top} | {a.alarm_id for a in report.chattering} | {
        a.alarm_id for a in report.stale}
    texts: dict[str, tuple[str | None, list | None]] = {}
    has_alarms = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alarms'").fetchone()
    if ids and has_alarms:
        ids_list = sorted(ids)
        for i in range(0, len(ids_list), 500):
            chunk = ids_list[i:i + 500]
            for alarm_id, text, data in conn.execute(
                    f"SELECT id, text, data FROM alarms WHERE id IN ({', '.join('?' * len(chunk))})", chunk):
                message = None
                try:
                    message = jsonfast.loads(data).get("message") if data else None
                except (ValueError, TypeError, AttributeError):
                    pass
                texts[alarm_id] = (text, message)
    return {"report": report, "texts": texts}


class _Figure(QtWidgets.QFrame):
    """One figure: caption, big value, and its benchmark (met / not met)."""

    def __init__(self, name: str, caption: str, parent=None):
        super().__init__(parent)
        self.setObjectName(f"health-{name}")
        self.setStyleSheet(f"QFrame#health-{name} {{ background: {SURFACE_ALT}; border: 1px solid {BORDER}; }}")
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.setSpacing(2)
        # one line each (elided, whole in the tooltip): the figure keeps its height
        self.caption = _elided_label(TABLE_PT - 2, name="caption")
        self.caption.setText(caption)
        self.caption.setToolTip(tooltip(caption))
        self.caption.setStyleSheet(f"color: {TEXT_MUTED};")
        self.value = _plain_label(VALUE_PT, bold=True, name="value")
        self.detail = _elided_label(TABLE_PT - 2, name="detail")
        for w in (self.caption, self.value, self.detail):
            layout.addWidget(w)

    def show_figure(self, value: str, detail: str = "", met: bool | None = None) -> None:
        self.value.setText(value)
        self.detail.setText(detail)
        self.detail.setToolTip(tooltip(detail) if detail else "")
        color = TEXT if met is None else (OK if met else ALARM)
        self.value.setStyleSheet(f"color: {color};")
        self.detail.setStyleSheet(f"color: {TEXT if met is None else color};")


class AlarmHealthPanel(QtWidgets.QWidget):
    loaded = QtCore.Signal()

    def __init__(self, run_read: Callable | None = None, *, clock: Callable[[], float] = time.time,
                 operators: int = 1, lang: str = "en", parent=None):
        super().__init__(parent)
        self.setObjectName("alarmHealth")
        self.run_read = run_read
        self.clock = clock
        self.operators = operators
        self.lang = lang
        self.report: HealthReport | None = None
        self.texts: dict = {}
        self._pending = False
        self._again = False
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QtWidgets.QHBoxLayout()
        self.title = _plain_label(TABLE_PT, bold=True, name="healthTitle")
        self.title.setWordWrap(True)
        top.addWidget(self.title, 1)
        self.refresh_button = QtWidgets.QPushButton(self.tr("Refresh"), self, objectName="healthRefresh")
        self.refresh_button.clicked.connect(self.refresh)
        top.addWidget(self.refresh_button)
        layout.addLayout(top)
        grid = QtWidgets.QGridLayout()
        grid.setSpacing(6)
        self.figures: dict[str, _Figure] = {}
        specs = [
            ("per10", self.tr("Alarms per 10 min (average · peak)")),
            ("flood", self.tr("10-min periods in flood (> {0})").format(FLOOD_ABOVE)),
            ("perday", self.tr("Alarms per operator per day")),
            ("critical", self.tr("Critical share (priority 1)")),
            ("chattering", self.tr("Chattering (≥ 3 changes in 1 min)")),
            ("stale", self.tr("Stale (active > 24 h)")),
            ("shelved", self.tr("Shelved")),
            ("oos", self.tr("Out of service")),
        ]
        for n, (name, caption) in enumerate(specs):
            figure = _Figure(name, caption, self)
            self.figures[name] = figure
            grid.addWidget(figure, n // 4, n % 4)
        layout.addLayout(grid)
        self.priorities = _plain_label(TABLE_PT, name="healthPriorities")
        self.priorities.setWordWrap(True)
        layout.addWidget(self.priorities)
        self.tabs = QtWidgets.QTabWidget(self)
        self.top_table = self._table(("#", self.tr("Alarms"), self.tr("Share"), self.tr("Priority"), self.tr("Alarm")))
        self.chatter_table = self._table((self.tr("Alarm"), self.tr("Changes"), self.tr("Most in 60 s"), self.tr("First at")))
        self.stale_table = self._table((self.tr("Alarm"), self.tr("Priority"), self.tr("State"), self.tr("Active since"), self.tr("For")))
        self.tabs.addTab(self.top_table, self.tr("Top 10"))
        self.tabs.addTab(self.chatter_table, self.tr("Chattering"))
        self.tabs.addTab(self.stale_table, self.tr("Stale"))
        layout.addWidget(self.tabs, 1)
        self.status = _plain_label(TABLE_PT - 2, name="healthStatus")
        self.status.setStyleSheet(f"color: {TEXT_MUTED};")
        layout.addWidget(self.status)
        self.timer = QtCore.QTimer(self, interval=REFRESH_MS)
        self.timer.timeout.connect(self._timed)
        self.timer.start()
        self.title.setText(self.tr("Alarm-system health, last 24 hours"))

    def _table(self, headers) -> QtWidgets.QTableWidget:
        table = QtWidgets.QTableWidget(0, len(headers), self)
        table.setHorizontalHeaderLabels(list(headers))
        table.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        font = QtGui.QFont(table.font())
        font.setPointSize(TABLE_PT - 1)
        table.setFont(font)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    # ------------------------------------------------------------ reading
    def _timed(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        if self.run_read is None:
            self.status.setText(self.tr("The alarm journal is not available"))
            return
        if self._pending:
            self._again = True               # read again once this one is back
            return
        self._pending, self._again = True, False
        now = self.clock()
        operators = self.operators
        self.status.setText(self.tr("Computing…"))
        self.run_read(lambda conn: read_health(conn, now, operators), self._loaded)

    def _loaded(self, result) -> None:
        self._pending = False
        if self._again:
            self.refresh()
            return
        if result is None:
            self.status.setText(self.tr("The alarm journal could not be read"))
            self.loaded.emit()
            return
        self.report, self.texts = result["report"], result["texts"]
        self.show_report(self.report)
        self.status.setText(self.tr("Computed at {0}; refreshed every minute").format(clock_text(self.clock())))
        self.loaded.emit()

    # ------------------------------------------------------------ showing
    def alarm_words(self, alarm_id: str) -> str:
        text, message = self.texts.get(alarm_id, (None, None))
        if message:
            return " ".join(message_text(message, text or alarm_id).split())
        return " ".join((text or alarm_id).split())

    def _pct(self, share: float | None) -> str:
        if share is None:
            return "—"
        return self.tr("{0} %").format(f"{share * 100:.1f}" if self.lang != "vi"
                                       else f"{share * 100:.1f}".replace(".", ","))

    def _num(self, value: float | None, digits: int = 1) -> str:
        if value is None:
            return "—"
        text = f"{value:.{digits}f}"
        return text.replace(".", ",") if self.lang == "vi" else text

    def duration(self, seconds: float) -> str:
        seconds = int(round(seconds))
        if seconds < 60:
            return self.tr("{0} s").format(seconds)
        hours, rest = divmod(seconds, 3600)
        minutes = rest // 60
        if hours >= 24:
            return self.tr("{0} d {1} h").format(hours // 24, hours % 24)
        if hours:
            return self.tr("{0} h {1} min").format(hours, minutes)
        return self.tr("{0} min").format(minutes)

    def show_report(self, r: HealthReport | None) -> None:
        f = self.figures
        if r is None:
            self.title.setText(self.tr("No alarm journal in the cache yet"))
            for figure in f.values():
                figure.show_figure("—")
            self.priorities.setText("")
            for table in (self.top_table, self.chatter_table, self.stale_table):
                table.setRowCount(0)
            return
        if r.since is None:
            self.title.setText(self.tr("Alarm-system health: the alarm journal is empty"))
        else:
            self.title.setText(self.tr("Alarm-system health, {0} to {1}").format(clock_text(r.since), clock_text(r.until)))
        met_word = lambda ok: self.tr("met") if ok else self.tr("NOT MET")   # noqa: E731
        peak_ok = r.per_10min_peak <= FLOOD_ABOVE
        f["per10"].show_figure(
            f"{self._num(r.per_10min_average, 2)} · {r.per_10min_peak}",
            self.tr("peak at {0} · target at most {1}: {2}").format(
                clock_text(r.peak_slot_start) if r.peak_slot_start else "—",
                FLOOD_ABOVE, met_word(peak_ok)), peak_ok)
        f["flood"].show_figure(
            self._pct(r.flood_share),
            self.tr("{0} of {1} periods").format(r.flood_slots, r.slots), r.flood_slots == 0)
        f["perday"].show_figure(
            self._num(r.per_operator_day, 1),
            self.tr("target at most {0}: {1}").format(PER_OPERATOR_DAY_TARGET, met_word(r.per_operator_day_met)),
            r.per_operator_day_met)
        f["critical"].show_figure(
            self._pct(r.critical_share),
            self.tr("target at most {0}: {1}").format(self._pct(CRITICAL_TARGET), met_word(r.critical_met)),
            r.critical_met)
        f["chattering"].show_figure(str(len(r.chattering)), "", not r.chattering)
        f["stale"].show_figure(str(len(r.stale)), "", not r.stale)
        for key, s in (("shelved", r.shelved), ("oos", r.out_of_service)):
            f[key].show_figure(
                str(s.count),
                self.tr("{0} open · total {1} · longest {2}").format(
                    s.open, self.duration(s.total_s), self.duration(s.longest_s)))
        parts = []
        for p, n in r.priorities.items():
            parts.append(self.tr("{0}: {1} ({2})").format(
                priority_text(p), n, self._pct(n / r.raises if r.raises else None)))
        self.priorities.setText(self.tr("Alarms by priority: {0}").format("   ".join(parts))
                                + "\n" + self.tr("{0} alarms raised, {1} journal events").format(r.raises, r.journal_events))
        # tables
        self._fill(self.top_table, [
            (str(i), str(a.count), self._pct(a.share), priority_text(a.priority), self.alarm_words(a.alarm_id))
            for i, a in enumerate(r.top, 1)], priority_col=3, priorities=[a.priority for a in r.top],
            ids=[a.alarm_id for a in r.top])
        self._fill(self.chatter_table, [
            (self.alarm_words(a.alarm_id), str(a.transitions), str(a.peak_60s), clock_text(a.first_at))
            for a in r.chattering], ids=[a.alarm_id for a in r.chattering])
        self._fill(self.stale_table, [
            (self.alarm_words(a.alarm_id), priority_text(a.priority), state_text(a.state),
             clock_text(a.active_since), self.duration(a.age_s)) for a in r.stale],
            priority_col=1, priorities=[a.priority for a in r.stale], ids=[a.alarm_id for a in r.stale])
        self.tabs.setTabText(1, self.tr("Chattering ({0})").format(len(r.chattering)))
        self.tabs.setTabText(2, self.tr("Stale ({0})").format(len(r.stale)))

    def _fill(self, table: QtWidgets.QTableWidget, rows: list[tuple], *, priority_col: int | None = None,
              priorities: list | None = None, ids: list | None = None) -> None:
        table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                item = QtWidgets.QTableWidgetItem(value)          # plain text, always
                if ids:
                    item.setToolTip(tooltip(value, self.tr("Alarm id: {0}").format(ids[r])))
                if c == priority_col and priorities and priorities[r] in PRIORITY_COLORS:
                    item.setForeground(QtGui.QBrush(QtGui.QColor(PRIORITY_COLORS[priorities[r]])))
                table.setItem(r, c, item)
        table.resizeColumnsToContents()
        table.horizontalHeader().setStretchLastSection(True)

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self.report is None and not self._pending:
            QtCore.QTimer.singleShot(0, self.refresh)
