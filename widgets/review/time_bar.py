"""The console's time bar: the cache's span with its alarm density and incidents, the
moment shown, and the review's controls (jump, step, play, back to live).

Keys (window-wide, from the main window's Review menu): F12 back to live, F9 play or
pause, F10 / F11 a minute back / forward, Shift+F10 / Shift+F11 an event back / forward.
"""
from __future__ import annotations

import time
from datetime import datetime

from PySide6 import QtCore, QtGui, QtWidgets

from ioc_desktop.interop import VN_TZ
from widgets.review.banner import REVIEW, moment_text
from widgets.review.controller import SPEEDS, ReviewController
from widgets.text import tooltip
from widgets.theme import ALARM, BORDER, OK, SURFACE, SURFACE_ALT, TEXT, TEXT_MUTED, WARN

MARK_BUCKETS = 240
MARKS_REFRESH_MS = 30_000


class TimelineStrip(QtWidgets.QWidget):
    """The span of the cache, left to right: bars of alarm raises, red ticks for
    incidents, a violet cursor at the moment shown.  Click or drag to jump."""

    jumpRequested = QtCore.Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent, objectName="timelineStrip")
        self.setMinimumHeight(34)
        self.setMouseTracking(True)
        self.setCursor(QtCore.Qt.CursorShape.PointingHandCursor)
        self.start = self.end = None
        self.marks = None
        self.at: float | None = None
        self._drag = False
        self._last_sent = 0.0

    def set_span(self, start: float | None, end: float | None) -> None:
        self.start, self.end = start, end
        self.update()

    def set_marks(self, marks) -> None:
        self.marks = marks
        self.update()

    def set_at(self, at: float | None) -> None:
        self.at = at
        self.update()

    def time_at_x(self, x: float) -> float | None:
        if self.start is None or self.end is None or self.width() <= 1:
            return None
        share = min(max(x / (self.width() - 1), 0.0), 1.0)
        return self.start + share * (self.end - self.start)

    def x_of(self, t: float) -> float:
        span = max((self.end or 0) - (self.start or 0), 1e-9)
        return (t - self.start) / span * (self.width() - 1)

    def paintEvent(self, _event) -> None:  # noqa: N802
        p = QtGui.QPainter(self)
        p.fillRect(self.rect(), QtGui.QColor(SURFACE))
        p.setPen(QtGui.QColor(BORDER))
        p.drawRect(self.rect().adjusted(0, 0, -1, -1))
        if self.start is None or self.end is None or self.end <= self.start:
            p.setPen(QtGui.QColor(TEXT_MUTED))
            p.drawText(self.rect(), QtCore.Qt.AlignmentFlag.AlignCenter, self.tr("The cache holds no history yet"))
            return
        h = self.height()
        marks = self.marks
        if marks is not None and marks.density and marks.end > marks.start:
            top = max(marks.density) or 1
            bw = (marks.end - marks.start) / len(marks.density)
            p.setPen(QtCore.Qt.PenStyle.NoPen)
            p.setBrush(QtGui.QColor(WARN))
            for i, n in enumerate(marks.density):
                if not n:
                    continue
                x0 = self.x_of(marks.start + i * bw)
                x1 = self.x_of(marks.start + (i + 1) * bw)
                bar = max(2.0, (h - 6) * n / top)
                p.drawRect(QtCore.QRectF(x0, h - 3 - bar, max(1.0, x1 - x0 - 0.5), bar))
            p.setPen(QtGui.QPen(QtGui.QColor(ALARM), 2))
            for at, *_ in marks.incidents:
                x = self.x_of(at)
                p.drawLine(QtCore.QPointF(x, 2), QtCore.QPointF(x, 10))
        if self.at is not None:
            x = self.x_of(self.at)
            p.setPen(QtGui.QPen(QtGui.QColor(REVIEW), 4))
            p.drawLine(QtCore.QPointF(x, 0), QtCore.QPointF(x, h))
        p.end()

    def mousePressEvent(self, event) -> None:  # noqa: N802
        if event.button() == QtCore.Qt.MouseButton.LeftButton:
            self._drag = True
            self._send(event.position().x(), force=True)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802
        t = self.time_at_x(event.position().x())
        if t is not None:
            self.setToolTip(tooltip(moment_text(t)))
        if self._drag:
            self._send(event.position().x())

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        if self._drag:
            self._drag = False
            self._send(event.position().x(), force=True)

    def _send(self, x: float, force: bool = False) -> None:
        t = self.time_at_x(x)
        if t is None:
            return
        self.at = t
        self.update()
        now = time.monotonic()
        if force or now - self._last_sent > 0.1:     # the controller coalesces anyway
            self._last_sent = now
            self.jumpRequested.emit(t)


class TimeBar(QtWidgets.QFrame):
    """See the module docstring.  ``exportRequested``: the reviewer asked to save this
    moment (the main window does it)."""

    exportRequested = QtCore.Signal()

    def __init__(self, controller: ReviewController, parent=None):
        super().__init__(parent, objectName="timeBar")
        self.controller = controller
        self.setStyleSheet(f"QFrame#timeBar {{ background: {SURFACE_ALT}; border-top: 1px solid {BORDER}; }}")
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.setSpacing(6)
        self.mode = QtWidgets.QLabel(objectName="timeBarMode")
        font = QtGui.QFont(self.mode.font())
        font.setBold(True)
        font.setPointSize(13)
        self.mode.setFont(font)
        self.mode.setMinimumWidth(90)
        self.mode.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        row.addWidget(self.mode)

        def button(text: str, tip: str, slot) -> QtWidgets.QToolButton:
            b = QtWidgets.QToolButton(self)
            b.setText(text)
            b.setToolTip(tooltip(tip))
            b.setAutoRaise(False)
            b.clicked.connect(slot)
            row.addWidget(b)
            return b

        self.prev_event = button("|◀", self.tr("Back to the previous event (Shift+F10)"),
                                 lambda: controller.step_event(-1))
        self.back = button("−1 min", self.tr("A minute back (F10)"), lambda: controller.step(-60))
        self.play_button = button("▶", self.tr("Play or pause (F9)"), self.toggle_play)
        self.forward = button("+1 min", self.tr("A minute forward (F11)"), lambda: controller.step(60))
        self.next_event = button("▶|", self.tr("On to the next event (Shift+F11)"),
                                 lambda: controller.step_event(1))
        self.speed = QtWidgets.QComboBox(self)
        for s in SPEEDS:
            self.speed.addItem(f"{s}×", s)
        self.speed.setCurrentIndex(2)
        self.speed.setToolTip(tooltip(self.tr("Playback speed")))
        self.speed.currentIndexChanged.connect(self._speed_changed)
        row.addWidget(self.speed)
        self.when = QtWidgets.QDateTimeEdit(self)
        self.when.setDisplayFormat("dd/MM/yyyy HH:mm:ss")
        self.when.setTimeZone(QtCore.QTimeZone(7 * 3600))
        self.when.setToolTip(tooltip(self.tr("Go to this moment (Huế time); Enter jumps")))
        self.when.editingFinished.connect(self._when_entered)
        row.addWidget(self.when)
        self.strip = TimelineStrip(self)
        self.strip.jumpRequested.connect(controller.jump)
        row.addWidget(self.strip, 1)
        self.export_button = button(self.tr("Export…"), self.tr("Save this moment: a picture of every "
                                    "window and the map's layers (GeoJSON, CSV)"), self.exportRequested.emit)
        self.live_button = button(self.tr("LIVE"), self.tr("Back to live (F12)"), controller.live)
        self.info = QtWidgets.QLabel(objectName="timeBarInfo")
        self.info.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.info.setMinimumWidth(120)
        row.addWidget(self.info)

        controller.reviewChanged.connect(self._on_review)
        controller.snapshotShown.connect(self._on_snapshot)
        controller.failed.connect(self._on_failed)
        controller.playChanged.connect(self._on_play)
        controller.busyChanged.connect(self._on_busy)
        controller.tablesFilled.connect(self._on_tables)
        self._marks_timer = QtCore.QTimer(self, interval=MARKS_REFRESH_MS)
        self._marks_timer.timeout.connect(self.refresh_span)
        self._marks_timer.start()
        self._on_review(None)
        QtCore.QTimer.singleShot(0, self.refresh_span)

    # ------------------------------------------------------------ data
    def refresh_span(self) -> None:
        self.controller.refresh_bounds(self._on_bounds)

    def _on_bounds(self, found) -> None:
        if found is None:
            self.strip.set_span(None, None)
            return
        start, end = found
        self.strip.set_span(start, end)
        lo = QtCore.QDateTime.fromSecsSinceEpoch(int(start), QtCore.QTimeZone(7 * 3600))
        hi = QtCore.QDateTime.fromSecsSinceEpoch(int(end) + 1, QtCore.QTimeZone(7 * 3600))
        self.when.setDateTimeRange(lo, hi)
        if self.controller.at is None:
            self.when.setDateTime(hi)
        self.controller.read_marks(start, end, MARK_BUCKETS, self.strip.set_marks)

    # ------------------------------------------------------------ actions
    def toggle_play(self) -> None:
        if self.controller.speed:
            self.controller.pause()
        else:
            self.controller.play(self.speed.currentData())

    def _speed_changed(self, _index: int) -> None:
        if self.controller.speed:
            self.controller.play(self.speed.currentData())

    def _when_entered(self) -> None:
        at = self.when.dateTime().toSecsSinceEpoch()
        if self.controller.at is None or abs(at - self.controller.at) >= 1:
            self.controller.jump(float(at))

    # ------------------------------------------------------------ the controller's news
    def _on_review(self, at) -> None:
        reviewing = at is not None
        self.mode.setText(self.tr("REVIEW") if reviewing else self.tr("LIVE"))
        self.mode.setStyleSheet(f"background: {REVIEW}; color: white; padding: 4px;" if reviewing
                                else f"background: {SURFACE}; color: {OK}; padding: 4px;")
        self.live_button.setEnabled(reviewing)
        self.export_button.setEnabled(reviewing)
        for b in (self.prev_event, self.next_event):
            b.setEnabled(reviewing)
        self.strip.set_at(at)
        if reviewing:
            self.when.blockSignals(True)
            self.when.setDateTime(QtCore.QDateTime.fromSecsSinceEpoch(int(at), QtCore.QTimeZone(7 * 3600)))
            self.when.blockSignals(False)
        else:
            self.info.setText("")
            self.refresh_span()

    def _on_snapshot(self, snap) -> None:
        if snap.bounds is not None:
            lo, hi = snap.bounds
            if self.strip.start != lo or self.strip.end != hi:
                self.strip.set_span(lo, hi)
        ms = self.controller.last_jump_ms
        self.info.setStyleSheet(f"color: {TEXT_MUTED};")
        self.info.setText(self.tr("shown in {0} ms").format(int(ms)) if ms is not None else "")
        if snap.failed:
            self.info.setStyleSheet(f"color: {ALARM};")
            self.info.setText(self.tr("{0}: not available at this moment").format(", ".join(snap.failed)))

    def _on_tables(self, ms: float) -> None:
        if self.controller.snapshot is not None and not self.controller.snapshot.failed \
                and self.controller.last_jump_ms is not None:
            text = self.tr("shown in {0} ms, lists in {1} ms")
            self.info.setText(text.format(int(self.controller.last_jump_ms), int(ms)))

    def _on_failed(self, why: str) -> None:
        self.info.setStyleSheet(f"color: {ALARM};")
        self.info.setText(why)
        self.info.setToolTip(tooltip(why))

    def _on_play(self, speed: int) -> None:
        self.play_button.setText("⏸" if speed else "▶")

    def _on_busy(self, busy: bool) -> None:
        if busy and self.controller.at is not None:
            self.info.setStyleSheet(f"color: {TEXT};")
            self.info.setText(self.tr("loading…"))


__all__ = ["TimeBar", "TimelineStrip"]
