"""The wall banner: the most severe active alarm, readable from across the room.

Sources (plugins) raise and clear alarms by (source, key).  Acknowledging an alarm
keeps it listed but stops the banner flashing (ISA-18.2: silencing is not clearing).
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtWidgets

from widgets.theme import STATE_COLORS as COLORS, TEXT

SEVERITY_RANK = {"critical": 4, "extreme": 4, "high": 3, "severe": 3, "medium": 2,
                 "moderate": 2, "low": 1, "minor": 1, "info": 0, "unknown": 0}


@dataclass
class Alarm:
    source: str
    key: str
    text: str                     # already translated / from the feed (shown as plain text)
    severity: str = "high"
    acknowledged: bool = False

    @property
    def rank(self) -> int:
        return SEVERITY_RANK.get(self.severity.lower(), 0)


class AlarmBanner(QtWidgets.QFrame):
    acknowledged = QtCore.Signal(str, str)
    activated = QtCore.Signal(str, str)      # clicked: bring the source forward
    visibilityChanged = QtCore.Signal(bool)  # shown with the first alarm, hidden with the last

    def __init__(self, parent=None):
        super().__init__(parent, objectName="alarmBanner")
        self.alarms: dict[tuple[str, str], Alarm] = {}
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.label = QtWidgets.QLabel(objectName="alarmText")
        self.label.setTextFormat(QtCore.Qt.TextFormat.PlainText)  # feed text: never HTML
        self.label.setWordWrap(True)
        self.count = QtWidgets.QLabel(objectName="alarmCount")
        self.ack = QtWidgets.QPushButton(self.tr("Acknowledge"), objectName="alarmAck")
        self.ack.clicked.connect(self._acknowledge_top)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.ack)
        self._blink = False
        self._timer = QtCore.QTimer(self, interval=700)
        self._timer.timeout.connect(self._toggle)

    def raise_alarm(self, source: str, key: str, text: str, severity: str = "high") -> None:
        old = self.alarms.get((source, key))
        # an alarm that changes text keeps its acknowledgement only if severity didn't rise
        acked = bool(old and old.acknowledged and SEVERITY_RANK.get(severity.lower(), 0) <= old.rank)
        self.alarms[(source, key)] = Alarm(source, key, text, severity, acked)
        self._update()

    def clear(self, source: str, key: str) -> None:
        if self.alarms.pop((source, key), None):
            self._update()

    @property
    def active(self) -> bool:
        return bool(self.alarms)

    def top(self) -> Alarm | None:
        if not self.alarms:
            return None
        return max(self.alarms.values(), key=lambda a: (not a.acknowledged, a.rank))

    def _acknowledge_top(self) -> None:
        alarm = self.top()
        if alarm and not alarm.acknowledged:
            alarm.acknowledged = True
            self.acknowledged.emit(alarm.source, alarm.key)
            self._update()

    def mousePressEvent(self, event) -> None:
        alarm = self.top()
        if alarm:
            self.activated.emit(alarm.source, alarm.key)
        super().mousePressEvent(event)

    def _update(self) -> None:
        alarm = self.top()
        # The owner shows or hides the banner (a toolbar row in the main window).
        self.visibilityChanged.emit(alarm is not None)
        if alarm is None:
            self._timer.stop()
            return
        self.label.setText(alarm.text)
        unacked = sum(not a.acknowledged for a in self.alarms.values())
        self.count.setText(self.tr("{0} active, {1} unacknowledged").format(len(self.alarms), unacked))
        self.ack.setEnabled(not alarm.acknowledged)
        if alarm.acknowledged:
            self._timer.stop()
            self._blink = False
        elif not self._timer.isActive():
            self._timer.start()
        self._paint(alarm)

    def _toggle(self) -> None:
        self._blink = not self._blink
        alarm = self.top()
        if alarm:
            self._paint(alarm)

    def _paint(self, alarm: Alarm) -> None:
        base = COLORS["alarm"] if alarm.rank >= 3 else COLORS["warn"]
        # The blink swaps background and text: readable in both phases.
        ink = "#ffffff" if alarm.rank >= 3 else "#111111"
        bg, fg = (base, ink) if not self._blink else ("#1a0c0c", base)
        if alarm.acknowledged:
            bg, fg = "#3a2a10", COLORS["warn"]
        self.setStyleSheet(f"#alarmBanner {{ background: {bg}; }} "
                           f"#alarmText, #alarmCount {{ color: {fg}; font-size: 20pt; font-weight: bold; }}"
                           f"#alarmCount {{ font-size: 12pt; }}")
