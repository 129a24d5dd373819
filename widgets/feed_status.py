"""The status bar: link state (LIVE / RECONNECTING / OFFLINE …), the age of each topic's
newest data (grey when stale), the rejected-frame count.

An operator must never see a frozen screen that looks live: ages tick every second from
the time data was last committed, whatever the link says.
"""
from __future__ import annotations

import time

from PySide6 import QtCore, QtWidgets

from ioc_desktop.feed.client import FeedState, FeedStatus
from widgets.text import age_text, tooltip
from widgets.theme import STATE_COLORS as COLORS, TEXT


class FeedStatusBar(QtWidgets.QWidget):
    rejectedClicked = QtCore.Signal()

    def __init__(self, topics: dict[str, tuple[str, float]], parent=None):
        """``topics``: topic -> (translated title, seconds after which it is stale)."""
        super().__init__(parent)
        self.topics = topics
        self.last_received: dict[str, float] = {}
        self.state = FeedState()
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(14)
        self.link = QtWidgets.QLabel(objectName="linkState")
        self.link.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.link.setMinimumWidth(170)
        self.link.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.link)
        # All fresh: one summary line (every age in its tooltip).  A stale feed, or every
        # feed while the link is down, is listed by name with its age, greyed.
        self.summary = QtWidgets.QLabel(objectName="feedSummary")
        self.summary.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        layout.addWidget(self.summary)
        self.ages: dict[str, QtWidgets.QLabel] = {}
        for topic, (title, _) in topics.items():
            label = QtWidgets.QLabel(objectName="topicAge")
            label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            self.ages[topic] = label
            layout.addWidget(label)
        layout.addStretch(1)
        self.rejected = QtWidgets.QPushButton(objectName="rejectedCount", flat=True)
        self.rejected.clicked.connect(self.rejectedClicked)
        layout.addWidget(self.rejected)
        self.set_rejected(0)
        self._timer = QtCore.QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.set_state(self.state)

    def status_text(self, status: FeedStatus) -> str:
        return {
            FeedStatus.CONNECTING: self.tr("CONNECTING"),
            FeedStatus.LIVE: self.tr("LIVE"),
            FeedStatus.RECONNECTING: self.tr("RECONNECTING"),
            FeedStatus.UNAUTHORISED: self.tr("NOT AUTHORISED"),
            FeedStatus.OFFLINE: self.tr("OFFLINE"),
        }[status]

    def set_state(self, state: FeedState) -> None:
        self.state = state
        colour = {FeedStatus.LIVE: COLORS["ok"], FeedStatus.RECONNECTING: COLORS["warn"],
                  FeedStatus.CONNECTING: COLORS["info"], FeedStatus.UNAUTHORISED: COLORS["alarm"],
                  FeedStatus.OFFLINE: COLORS["stale"]}[state.status]
        text = "● " + self.status_text(state.status)
        if state.status == FeedStatus.RECONNECTING and state.retry_in:
            text += " " + self.tr("(retry {0:.0f}s)").format(state.retry_in)
        self.link.setText(text)
        self.link.setStyleSheet(f"color: {colour}; font-weight: bold;")
        lines = [state.server]
        if state.user:
            lines.append(f"{state.user.get('name', '')} {state.user.get('roles', '')}")
        if state.detail:
            lines.append(state.detail)
        if state.epoch:
            lines.append("epoch " + state.epoch)
        self.link.setToolTip(tooltip(*lines))
        self._tick()

    def set_received(self, received: dict[str, float]) -> None:
        self.last_received.update(received)
        self._tick()

    def set_rejected(self, count: int) -> None:
        self.rejected.setText(self.tr("Rejected frames: {0}").format(count))
        self.rejected.setProperty("alarm", count > 0)
        self.rejected.style().polish(self.rejected)

    def is_stale(self, topic: str, now: float | None = None) -> bool:
        last = self.last_received.get(topic)
        if last is None:
            return True
        return (now or time.time()) - last > self.topics[topic][1]

    def _tick(self) -> None:
        now = time.time()
        live = self.state.status == FeedStatus.LIVE
        lines, fresh, newest = [], 0, None
        for topic, label in self.ages.items():
            title, _ = self.topics[topic]
            last = self.last_received.get(topic)
            age = None if last is None else now - last
            stale = self.is_stale(topic, now)
            text = f"{title} {age_text(age)}"
            lines.append(text)
            label.setText(text)
            # grey when stale or when the link is down: what it shows may be old
            colour = COLORS["stale"] if stale or not live else TEXT
            label.setStyleSheet(f"color: {colour};" + (" text-decoration: line-through;" if stale else ""))
            label.setVisible(stale or not live)
            if not stale:
                fresh += 1
                newest = age if newest is None else min(newest, age)
        self.summary.setText(self.tr("{0}/{1} feeds fresh").format(fresh, len(self.ages)))
        self.summary.setVisible(live)
        self.summary.setToolTip(tooltip(*lines))
        for label in self.ages.values():
            label.setToolTip(tooltip(*lines))
