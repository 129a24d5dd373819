"""The wall banner: the most severe active alarm, readable from across the room.

Sources (plugins) raise and clear alarms by (source, key).  Acknowledging an alarm
keeps it listed but stops the banner flashing (ISA-18.2: silencing is not clearing).

An alarm is only as current as its source's data: the owner tells the banner which
sources are not current (:meth:`AlarmBanner.set_freshness`: the link is down, or a
source's feed is older than its threshold).  An alarm from such a source never flashes;
it is shown in grey with "NOT CURRENT · data from HH:MM".

The alarm engine's alarms come here too (the main window raises each annunciated one
with its live text; :meth:`AlarmBanner.set_engine_counts` adds the shelved and
out-of-service counts, so nobody forgets them), and the annunciator's state with its
Silence button (:meth:`AlarmBanner.set_sound`; silencing is not acknowledging).
Clicking the banner emits ``activated``: the owner opens the alarm summary on that
alarm (an engine alarm) or brings its source forward.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6 import QtCore, QtWidgets

from widgets.feed_status import clock_text
from widgets.text import tooltip
from widgets.theme import STATE_COLORS as COLORS, SURFACE_ALT, TEXT, TEXT_MUTED

SEVERITY_RANK = {"critical": 4, "extreme": 4, "high": 3, "severe": 3, "medium": 2,
                 "moderate": 2, "low": 1, "minor": 1, "info": 0, "unknown": 0}


@dataclass
class Alarm:
    source: str
    key: str
    text: str                     # already translated / from the feed (shown as plain text)
    severity: str = "high"
    acknowledged: bool = False
    # among alarms of one rank: one whose condition holds before one returned to
    # normal, then the newest raise (the alarm that just came is the one to see)
    active: bool = True
    raised_at: float = 0.0

    @property
    def rank(self) -> int:
        return SEVERITY_RANK.get(self.severity.lower(), 0)


class AlarmBanner(QtWidgets.QFrame):
    acknowledged = QtCore.Signal(str, str)
    activated = QtCore.Signal(str, str)      # clicked: bring the source forward
    visibilityChanged = QtCore.Signal(bool)  # shown with the first alarm, hidden with the last
    silenceRequested = QtCore.Signal()       # the Silence button (shown once set_sound is called)

    def __init__(self, parent=None):
        super().__init__(parent, objectName="alarmBanner")
        self.alarms: dict[tuple[str, str], Alarm] = {}
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        column = QtWidgets.QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.label = QtWidgets.QLabel(objectName="alarmText")
        self.label.setTextFormat(QtCore.Qt.TextFormat.PlainText)  # feed text: never HTML
        self.label.setWordWrap(True)
        # "NOT CURRENT · data from 14:05": the alarm's source is not live (hidden when it is)
        self.stale_label = QtWidgets.QLabel(objectName="alarmStale")
        self.stale_label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.stale_label.hide()
        column.addWidget(self.label)
        column.addWidget(self.stale_label)
        self.count = QtWidgets.QLabel(objectName="alarmCount")
        self.count.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        # the annunciator: "Sound unavailable", "Silenced until 14:05" (set_sound)
        self.sound = QtWidgets.QLabel(objectName="alarmSound")
        self.sound.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.sound.hide()
        counts = QtWidgets.QVBoxLayout()
        counts.setContentsMargins(0, 0, 0, 0)
        counts.setSpacing(0)
        counts.addWidget(self.count)
        counts.addWidget(self.sound)
        self.ack = QtWidgets.QPushButton(self.tr("Acknowledge"), objectName="alarmAck")
        self.ack.clicked.connect(self._acknowledge_top)
        self.silence = QtWidgets.QPushButton(self.tr("Silence"), objectName="alarmSilence")
        self.silence.setToolTip(self.tr("Mute the alarm tone for a few minutes; the alarms stay unacknowledged"))
        self.silence.clicked.connect(self.silenceRequested)
        self.silence.hide()
        layout.addLayout(column, 1)
        layout.addLayout(counts)
        layout.addWidget(self.ack)
        layout.addWidget(self.silence)
        self.shelved_count = 0
        self.out_of_service_count = 0
        self._blink = False
        self._timer = QtCore.QTimer(self, interval=700)
        self._timer.timeout.connect(self._toggle)
        # freshness of the sources (see set_freshness): all current until told otherwise
        self._live = True
        self._stale_sources: set[str] = set()
        self._newest: dict[str, float] = {}
        self._headline = ""
        self._painted: tuple | None = None

    def raise_alarm(self, source: str, key: str, text: str, severity: str = "high", *,
                    acknowledged: bool | None = None, active: bool = True,
                    raised_at: float = 0.0) -> None:
        """Show or update an alarm.  ``acknowledged``: as its owner says (the alarm
        engine keeps it); None: decided here."""
        old = self.alarms.get((source, key))
        # an alarm that changes text keeps its acknowledgement only if severity didn't rise
        acked = bool(old and old.acknowledged and SEVERITY_RANK.get(severity.lower(), 0) <= old.rank)
        if acknowledged is not None:
            acked = acknowledged
        self.alarms[(source, key)] = Alarm(source, key, text, severity, acked, active,
                                           raised_at)
        self._update()

    def set_engine_counts(self, shelved: int, out_of_service: int) -> None:
        """The alarm engine's shelved and out-of-service counts (shown with the others)."""
        if (shelved, out_of_service) == (self.shelved_count, self.out_of_service_count):
            return
        self.shelved_count, self.out_of_service_count = int(shelved), int(out_of_service)
        if self.alarms:
            self._update()

    def set_sound(self, text: str, tip: str = "", can_silence: bool = False) -> None:
        """The annunciator's state ("Silenced until 14:05") and whether Silence applies."""
        self.sound.setText(text)
        self.sound.setToolTip(tooltip(tip) if tip else "")
        self.sound.setVisible(bool(text))
        self.silence.setVisible(True)
        self.silence.setEnabled(bool(can_silence))

    def count_text(self) -> str:
        """"3 unacknowledged · 7 active · 2 shelved · 1 out of service"."""
        unacked = sum(not a.acknowledged for a in self.alarms.values())
        count = self.tr("{0} unacknowledged · {1} active").format(unacked, len(self.alarms))
        if self.shelved_count or self.out_of_service_count:
            count += " · " + self.tr("{0} shelved · {1} out of service").format(
                self.shelved_count, self.out_of_service_count)
        return count

    def clear(self, source: str, key: str) -> None:
        if self.alarms.pop((source, key), None):
            self._update()

    @property
    def active(self) -> bool:
        return bool(self.alarms)

    @property
    def flashing(self) -> bool:
        return self._timer.isActive()

    def top(self) -> Alarm | None:
        if not self.alarms:
            return None
        return max(self.alarms.values(),
                   key=lambda a: (not a.acknowledged, a.rank, a.active, a.raised_at))

    # ------------------------------------------------------------------ freshness
    def set_freshness(self, live: bool, stale_sources=(), newest: dict[str, float] | None = None,
                      headline: str = "") -> None:
        """What the alarms' data is worth now.

        ``live``: the link is LIVE (if not, every source is not current).
        ``stale_sources``: sources (topics) whose newest data is older than their
        threshold.  ``newest``: source -> time of its newest data (for "data from
        HH:MM").  ``headline``: the word for "not current" (e.g. "REVIEW" in review
        mode); default "NOT CURRENT".
        """
        live, stale = bool(live), set(stale_sources)
        newest = dict(newest or {})
        if (live, stale, newest, headline) == (self._live, self._stale_sources, self._newest,
                                               self._headline):
            return
        self._live, self._stale_sources, self._newest, self._headline = live, stale, newest, headline
        if self.alarms:
            self._update()

    def is_current(self, alarm: Alarm) -> bool:
        return self._live and alarm.source not in self._stale_sources

    def stale_text(self, alarm: Alarm) -> str:
        """"NOT CURRENT · data from 14:05" for an alarm whose source is not current."""
        headline = self._headline or self.tr("NOT CURRENT")
        last = self._newest.get(alarm.source)
        if last is None and not self._live and self._newest:
            last = max(self._newest.values())      # the link is down: the newest of all
        if last is None:
            return self.tr("{0} · no data received").format(headline)
        return self.tr("{0} · data from {1}").format(headline, clock_text(last))

    # ------------------------------------------------------------------ actions
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
            self._blink = False
            return
        self.label.setText(alarm.text)
        count = self.count_text()
        not_current = sum(not self.is_current(a) for a in self.alarms.values())
        if not_current:
            count += "\n" + self.tr("{0} not current").format(not_current)
        self.count.setText(count)
        self.ack.setEnabled(not alarm.acknowledged)
        current = self.is_current(alarm)
        self.stale_label.setText("" if current else self.stale_text(alarm))
        self.stale_label.setVisible(not current)
        # Flash only an unacknowledged alarm on current data: a frozen source must not
        # look like a live emergency.
        if alarm.acknowledged or not current:
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
        border = "none"
        if not self.is_current(alarm):
            # Not current: colourless and dashed, like every other stale figure.
            bg, fg, border = SURFACE_ALT, TEXT_MUTED, f"3px dashed {COLORS['stale']}"
        elif alarm.acknowledged:
            bg, fg = "#3a2a10", COLORS["warn"]
        else:
            # The blink swaps background and text: readable in both phases.
            ink = "#ffffff" if alarm.rank >= 3 else "#111111"
            bg, fg = (base, ink) if not self._blink else ("#1a0c0c", base)
        key = (bg, fg, border)
        if key == self._painted:
            return
        self._painted = key
        self.setStyleSheet(f"#alarmBanner {{ background: {bg}; border: {border}; }} "
                           f"#alarmText, #alarmCount {{ color: {fg}; font-size: 20pt; font-weight: bold; }}"
                           f"#alarmCount {{ font-size: 12pt; }}"
                           f"#alarmSound {{ color: {fg}; font-size: 12pt; }}"
                           f"#alarmStale {{ color: {TEXT}; font-size: 16pt; font-weight: bold; }}")
