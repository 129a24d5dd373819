"""The status bar: link state (LIVE / RECONNECTING / FAILED / OFFLINE …) with its reason
in the user's language, the age of each topic's newest data (grey when stale), the
rejected-frame count, and "Enter token…" when the backend refused the token.

An operator must never see a frozen screen that looks live: ages tick every second from
the time data was last committed, whatever the link says; the link state is never
clipped (it is sized from its own text; the rest of the bar gives way: the reason
elides, ages that don't fit fold into "+N").
"""
from __future__ import annotations

import string
import time
from datetime import datetime

from PySide6 import QtCore, QtGui, QtWidgets

from ioc_desktop.feed.client import FeedState, FeedStatus, Reason
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.text import VN_TZ, age_text, tooltip
from widgets.theme import BACKGROUND, STATE_COLORS as COLORS, TEXT, TEXT_MUTED

# The service's worker threads, as the user reads them (FeedState.reason_args["worker"],
# FeedService.workerFailed).  Shown with QCoreApplication.translate("FeedStatusBar", …).
WORKER_NAMES = {
    "feed": QT_TRANSLATE_NOOP("FeedStatusBar", "the feed connection"),
    "writer": QT_TRANSLATE_NOOP("FeedStatusBar", "the cache writer"),
    "reader": QT_TRANSLATE_NOOP("FeedStatusBar", "the cache reader"),
    "media": QT_TRANSLATE_NOOP("FeedStatusBar", "the image downloader"),
    "situation": QT_TRANSLATE_NOOP("FeedStatusBar", "the alarm engine"),
    "service": QT_TRANSLATE_NOOP("FeedStatusBar", "the feed service"),
}


def worker_name(worker: str) -> str:
    """A worker thread's name in the user's language (an unknown one as it is)."""
    source = WORKER_NAMES.get(worker)
    return QtCore.QCoreApplication.translate("FeedStatusBar", source) if source else str(worker)


def clock_text(ts: float | None, now: float | None = None) -> str:
    """A time of data in Huế's time zone: "14:05", or "06/12 14:05" when not today."""
    if ts is None:
        return "—"
    dt = datetime.fromtimestamp(ts, VN_TZ)
    today = datetime.fromtimestamp(now or time.time(), VN_TZ).date()
    return dt.strftime("%H:%M") if dt.date() == today else dt.strftime("%d/%m %H:%M")


class _Args(dict):
    """format_map() arguments: a missing one shows as "?" instead of raising."""

    def __missing__(self, key):
        return "?"


def _fill(template: str, args: dict) -> str:
    try:
        return string.Formatter().vformat(template, (), _Args(args or {}))
    except (ValueError, IndexError):    # a translation with a broken placeholder
        return template


class ElidedLabel(QtWidgets.QLabel):
    """A one-line plain-text label that gives way: it shrinks to "…" and elides its
    text at the right instead of pushing its neighbours (``text()`` stays whole; show
    it in the tooltip)."""

    def __init__(self, parent=None, objectName: str = ""):  # noqa: N803 (Qt style)
        super().__init__(parent)
        if objectName:
            self.setObjectName(objectName)
        self.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Preferred)

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802
        hint = super().minimumSizeHint()
        m = self.contentsMargins()
        return QtCore.QSize(self.fontMetrics().horizontalAdvance("…") + m.left() + m.right() + 2,
                            hint.height())

    def shown_text(self) -> str:
        """What is drawn: the text, elided to the width it has."""
        return self.fontMetrics().elidedText(self.text(), QtCore.Qt.TextElideMode.ElideRight,
                                             self.contentsRect().width())

    def is_elided(self) -> bool:
        return self.shown_text() != self.text()

    def paintEvent(self, event) -> None:  # noqa: N802
        painter = QtGui.QPainter(self)
        self.style().drawItemText(painter, self.contentsRect(),
                                  int(self.alignment() | QtCore.Qt.AlignmentFlag.AlignVCenter),
                                  self.palette(), self.isEnabled(), self.shown_text(),
                                  self.foregroundRole())


class _AgesStrip(QtWidgets.QWidget):
    """The per-topic age labels side by side.  It gives way to the link state: labels
    that don't fit whole are hidden behind "+N" (every age is in the tooltip)."""

    SPACING = 14

    def __init__(self, labels: list[QtWidgets.QLabel], parent=None):
        super().__init__(parent)
        self.labels = labels
        self.wanted: dict[QtWidgets.QLabel, bool] = {}
        for label in labels:
            label.setParent(self)
            label.hide()
            self.wanted[label] = False
        self.more = QtWidgets.QLabel(self, objectName="agesMore")
        self.more.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.more.hide()
        self.hidden_count = 0
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Preferred, QtWidgets.QSizePolicy.Policy.Preferred)

    def set_wanted(self, label: QtWidgets.QLabel, shown: bool) -> None:
        self.wanted[label] = bool(shown)

    def _wanted(self) -> list[QtWidgets.QLabel]:
        return [lab for lab in self.labels if self.wanted[lab]]

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802
        wanted = self._wanted()
        width = sum(lab.sizeHint().width() for lab in wanted) + self.SPACING * max(0, len(wanted) - 1)
        return QtCore.QSize(width, self.fontMetrics().height() + 4)

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802
        return QtCore.QSize(0, self.fontMetrics().height() + 4)

    def relayout(self) -> None:
        wanted = self._wanted()
        self.more.setText("+{0}".format(len(wanted)))   # the widest "+N": reserve its room
        more_w = self.more.sizeHint().width()
        x, width, h = 0, self.width(), self.height()
        shown = 0
        for i, label in enumerate(wanted):
            w = label.sizeHint().width()
            last = i == len(wanted) - 1
            room = width - x - (0 if last else more_w + self.SPACING)
            if w <= room:
                label.setGeometry(x, 0, w, h)
                label.show()
                x += w + self.SPACING
                shown += 1
            else:
                break
        for label in self.labels:
            if label not in wanted[:shown]:
                label.hide()
        self.hidden_count = len(wanted) - shown
        if self.hidden_count:
            self.more.setText("+{0}".format(self.hidden_count))
            self.more.setGeometry(x, 0, self.more.sizeHint().width(), h)
            self.more.show()
        else:
            self.more.hide()

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        self.relayout()


class FeedStatusBar(QtWidgets.QWidget):
    rejectedClicked = QtCore.Signal()
    tokenRequested = QtCore.Signal()     # "Enter token…" (shown while NOT AUTHORISED)

    LINK_PT = 13
    LINK_PADDING = 10     # px each side of the link state's text

    def __init__(self, topics: dict[str, tuple[str, float]], parent=None):
        """``topics``: topic -> (translated title, seconds after which it is stale)."""
        super().__init__(parent)
        self.topics = topics
        self.last_received: dict[str, float] = {}
        self.state = FeedState()
        self._state_at = time.monotonic()
        layout = QtWidgets.QHBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 0)
        layout.setSpacing(14)
        # The link state: never clipped.  Its width comes from its current text
        # (font metrics), and it never shrinks below that; everything else gives way.
        self.link = QtWidgets.QLabel(objectName="linkState")
        self.link.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        font = QtGui.QFont(self.link.font())
        font.setPointSize(self.LINK_PT)
        font.setBold(True)
        self.link.setFont(font)
        self.link.setContentsMargins(self.LINK_PADDING, 1, self.LINK_PADDING, 1)
        self.link.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self.link.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Preferred)
        layout.addWidget(self.link)
        self.token_button = QtWidgets.QPushButton(objectName="enterToken")
        self.token_button.clicked.connect(self.tokenRequested)
        self.token_button.setSizePolicy(QtWidgets.QSizePolicy.Policy.Fixed, QtWidgets.QSizePolicy.Policy.Preferred)
        self.token_button.hide()
        layout.addWidget(self.token_button)
        # Why the link is in its state, in the user's language (not when LIVE); elides,
        # the whole text and the technical details are in its tooltip.
        self.reason = ElidedLabel(objectName="linkReason")
        self.reason.setStyleSheet(f"color: {TEXT};")
        layout.addWidget(self.reason, 3)
        # All fresh: one summary line (every age in its tooltip).  A stale feed, or every
        # feed while the link is down, is listed by name with its age, greyed.
        self.summary = ElidedLabel(objectName="feedSummary")
        layout.addWidget(self.summary, 1)
        self.ages: dict[str, QtWidgets.QLabel] = {}
        for topic, (title, _) in topics.items():
            label = QtWidgets.QLabel(objectName="topicAge")
            label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            self.ages[topic] = label
        self.ages_strip = _AgesStrip(list(self.ages.values()))
        layout.addWidget(self.ages_strip, 4)
        self.rejected = QtWidgets.QPushButton(objectName="rejectedCount", flat=True)
        self.rejected.clicked.connect(self.rejectedClicked)
        layout.addWidget(self.rejected)
        self._rejected_count = 0
        self._retranslate()
        self._timer = QtCore.QTimer(self, interval=1000)
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self.set_state(self.state)

    # ------------------------------------------------------------------ texts
    def status_text(self, status: FeedStatus) -> str:
        return {
            FeedStatus.CONNECTING: self.tr("CONNECTING"),
            FeedStatus.LIVE: self.tr("LIVE"),
            FeedStatus.RECONNECTING: self.tr("RECONNECTING"),
            FeedStatus.UNAUTHORISED: self.tr("NOT AUTHORISED"),
            FeedStatus.OFFLINE: self.tr("OFFLINE"),
            FeedStatus.FAILED: self.tr("FAILED"),
        }[status]

    def link_text(self, state: FeedState, now: float | None = None) -> str:
        """The whole text of the link state, e.g. "● RECONNECTING (retry 4s)"."""
        if state.status == FeedStatus.OFFLINE and state.reason == Reason.REVIEW:
            text = "● " + self.tr("REVIEW · OFFLINE")
        else:
            text = "● " + self.status_text(state.status)
        if state.status == FeedStatus.RECONNECTING and state.retry_in:
            elapsed = (now if now is not None else time.monotonic()) - self._state_at
            text += " " + self.tr("(retry {0:.0f}s)").format(max(0.0, state.retry_in - elapsed))
        return text

    def reason_text(self, state: FeedState) -> str:
        """Why the link is in its state, in the user's language ("" when nothing to say)."""
        args = dict(state.reason_args or {})
        if "worker" in args:
            args["worker"] = worker_name(str(args["worker"]))
        templates = {
            Reason.CLOSED_BY_SERVER: self.tr("the server closed the connection (code {code})"),
            Reason.CONNECTION_LOST: self.tr("the connection was lost"),
            Reason.CONNECT_FAILED: self.tr("cannot reach {host}:{port}"),
            Reason.HTTP_STATUS: self.tr("the server answered HTTP {code} instead of the feed"),
            Reason.NOT_AUTHORISED: self.tr("not authorised (HTTP {code}): the server refused the token"),
            Reason.OVERSIZE_FRAME: self.tr("a frame larger than {limit} bytes was refused"),
            Reason.PROTOCOL_ERROR: self.tr("the server broke the feed protocol"),
            Reason.INTERNAL_ERROR: self.tr("an internal error in this app; the feed goes on"),
            Reason.WORKER_DIED: self.tr("{worker} stopped; restarting"),
            Reason.CACHE_UNUSABLE: self.tr("the cache {path} cannot be used"),
            Reason.STOPPED: self.tr("stopped"),
            Reason.REVIEW: self.tr("review mode: showing the cache, not connected"),
        }
        template = templates.get(state.reason)
        if template is None:      # no code (yet): say what we can without one
            if state.status == FeedStatus.FAILED:
                return self.tr("stopped by an error")
            if state.status == FeedStatus.UNAUTHORISED:
                return self.tr("the server refused the token")
            return ""
        return _fill(template, args)

    def _retranslate(self) -> None:
        self.token_button.setText(self.tr("Enter token…"))
        self.token_button.setToolTip(self.tr("The backend refused the access token: enter another one"))
        self.set_rejected(self._rejected_count)

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self._retranslate()
            self.set_state(self.state, restart_countdown=False)
        super().changeEvent(event)

    # ------------------------------------------------------------------ state
    def set_state(self, state: FeedState, *, restart_countdown: bool = True) -> None:
        if restart_countdown:
            self._state_at = time.monotonic()
        self.state = state
        review = state.status == FeedStatus.OFFLINE and state.reason == Reason.REVIEW
        colour = {FeedStatus.LIVE: COLORS["ok"], FeedStatus.RECONNECTING: COLORS["warn"],
                  FeedStatus.CONNECTING: COLORS["info"], FeedStatus.UNAUTHORISED: COLORS["alarm"],
                  FeedStatus.OFFLINE: COLORS["stale"], FeedStatus.FAILED: COLORS["alarm"]}[state.status]
        # LIVE is calm (green text); every other state is a coloured plate that reads
        # from across the room.
        if state.status == FeedStatus.LIVE:
            style = f"color: {colour}; background: transparent;"
        else:
            ink = "#ffffff" if state.status in (FeedStatus.UNAUTHORISED, FeedStatus.FAILED) else BACKGROUND
            style = f"color: {ink}; background: {colour}; border-radius: 4px;"
        self.link.setStyleSheet(style)
        self.link.setProperty("review", review)
        reason = "" if state.status == FeedStatus.LIVE else self.reason_text(state)
        self.reason.setText(reason)
        self.reason.setVisible(bool(reason))
        self.token_button.setVisible(state.status == FeedStatus.UNAUTHORISED)
        self.token_button.setEnabled(True)
        lines = [self.link_text(state)]
        if reason:
            lines.append(reason)
        if state.server:
            lines.append(state.server)
        if state.user:
            lines.append(f"{state.user.get('name', '')} {state.user.get('roles', '')}")
        if state.detail or state.epoch:
            lines.append("")
            lines.append(self.tr("Technical details:"))
            if state.detail:
                lines.append(state.detail)
            if state.epoch:
                lines.append("epoch " + state.epoch)
        tip = tooltip(*lines)
        self.link.setToolTip(tip)
        self.reason.setToolTip(tip)
        self._set_link_text(self.link_text(state))
        self._tick()

    def _set_link_text(self, text: str) -> None:
        if text != self.link.text():
            self.link.setText(text)
        m = self.link.contentsMargins()
        # +2: rounding of the bold font's advance; the label is never narrower than this
        need = self.link.fontMetrics().horizontalAdvance(text) + m.left() + m.right() + 2
        if self.link.minimumWidth() != need:
            self.link.setFixedWidth(need)

    def link_fits(self) -> bool:
        """The link state's whole text is drawn (for tests and diagnostics)."""
        m = self.link.contentsMargins()
        return (self.link.isVisible()
                and self.link.width() - m.left() - m.right()
                >= self.link.fontMetrics().horizontalAdvance(self.link.text()))

    def set_received(self, received: dict[str, float]) -> None:
        self.last_received.update(received)
        self._tick()

    def set_rejected(self, count: int) -> None:
        self._rejected_count = count
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
        if self.state.status == FeedStatus.RECONNECTING and self.state.retry_in:
            self._set_link_text(self.link_text(self.state))     # the countdown
        lines, fresh = [], 0
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
            style = f"color: {colour};" + (" text-decoration: line-through;" if stale else "")
            if label.styleSheet() != style:
                label.setStyleSheet(style)
            self.ages_strip.set_wanted(label, stale or not live)
            if not stale:
                fresh += 1
        self.summary.setText(self.tr("{0}/{1} feeds fresh").format(fresh, len(self.ages)))
        summary_style = f"color: {TEXT if live else TEXT_MUTED};"
        if self.summary.styleSheet() != summary_style:
            self.summary.setStyleSheet(summary_style)
        self.summary.setVisible(live)
        tip = tooltip(*lines)
        self.summary.setToolTip(tip)
        self.ages_strip.setToolTip(tip)
        self.ages_strip.more.setToolTip(tip)
        for label in self.ages.values():
            label.setToolTip(tip)
        self.ages_strip.updateGeometry()
        self.ages_strip.relayout()
