"""The REVIEW banner: a violet band across the top of every window while a past moment
is shown, so nobody takes it for live.  Violet is used for nothing else (alarms are
red, amber, yellow; "not current" is grey): the colour alone says "the past".
It names the moment, how to return, and what is waiting live meanwhile."""
from __future__ import annotations

from datetime import datetime

from PySide6 import QtCore, QtGui, QtWidgets

from ioc_desktop.interop import VN_TZ

REVIEW = "#7b2cbf"          # the review colour (white text on it: > 7:1)
REVIEW_DARK = "#3c1361"
LIVE_KEY = "F12"


def moment_text(at: float) -> str:
    """A review moment in Huế time, to the second, with its date."""
    return datetime.fromtimestamp(at, VN_TZ).strftime("%d/%m/%Y %H:%M:%S")


class ReviewBanner(QtWidgets.QFrame):
    def __init__(self, parent=None, *, point_size: float = 15.0):
        super().__init__(parent, objectName="reviewBanner")
        self.setStyleSheet(f"QFrame#reviewBanner {{ background: {REVIEW}; border-bottom: 4px solid "
                           f"{REVIEW_DARK}; }} QLabel {{ color: white; background: transparent; }}")
        row = QtWidgets.QHBoxLayout(self)
        row.setContentsMargins(14, 6, 14, 6)
        row.setSpacing(24)
        self.headline = QtWidgets.QLabel(objectName="reviewHeadline")
        self.live = QtWidgets.QLabel(objectName="reviewLive")
        for label in (self.headline, self.live):
            label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.live.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.headline, 1)
        row.addWidget(self.live)
        self.set_point_size(point_size)
        self.at: float | None = None

    def set_point_size(self, size: float) -> None:
        for label, scale in ((self.headline, 1.0), (self.live, 0.8)):
            font = QtGui.QFont(label.font())
            font.setPointSizeF(max(8.0, size * scale))
            font.setBold(True)
            label.setFont(font)

    def set_pixel_size(self, px: int, live_px: int | None = None) -> None:
        """On a wall: the headline's font size in pixels, the live part's (``live_px``,
        default the same): never under the wall's minimum."""
        for label, size in ((self.headline, px), (self.live, live_px or px)):
            font = QtGui.QFont(label.font())
            font.setPixelSize(max(8, int(size)))
            font.setBold(True)
            label.setFont(font)

    def set_review(self, at: float | None, *, live_unacknowledged: int | None = None,
                   playing: int = 0, newest_only: bool = False, key_hint: bool = True) -> None:
        """Say the moment ``at`` (None: live); the live alarms waiting.  The window it
        is in shows or hides it (a toolbar's widget follows its action)."""
        self.at = at
        if at is None:
            self.headline.setText("")
            self.live.setText("")
            return
        head = self.tr("REVIEW · {0} · not live").format(moment_text(at))
        if playing:
            head += " · " + self.tr("playing {0}×").format(playing)
        self.headline.setText(head)
        # what waits "now": live alarms, or (offline: no link) the newest the cache holds
        parts = []
        if live_unacknowledged:
            parts.append((self.tr("Newest in the cache: {0} unacknowledged alarms") if newest_only
                          else self.tr("Live now: {0} unacknowledged alarms")).format(live_unacknowledged))
        if key_hint:
            parts.append(self.tr("{0}: back to live").format(LIVE_KEY))
        self.live.setText(" · ".join(parts))

    def text(self) -> str:
        return f"{self.headline.text()} {self.live.text()}" if self.at is not None else ""


__all__ = ["LIVE_KEY", "REVIEW", "ReviewBanner", "moment_text"]
