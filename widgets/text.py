"""Showing untrusted text (everything from a feed) in Qt safely.

Item views draw DisplayRole as plain text, but tooltips and QLabel guess: a string that
*looks* like HTML is rendered as rich text.  Everything from a feed goes through here.
"""
from __future__ import annotations

import html
from datetime import datetime, timedelta, timezone

VN_TZ = timezone(timedelta(hours=7))   # Asia/Ho_Chi_Minh has no DST


def tooltip(*lines: str) -> str:
    """A tooltip that always renders its text literally (escaped inside explicit rich text)."""
    body = "<br>".join(html.escape(str(line)) for line in lines if line is not None)
    return f"<p style='white-space:pre-wrap'>{body}</p>"


def clip(text: str | None, limit: int = 160) -> str:
    if not text:
        return ""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


SHORT_TIME = "%d/%m %H:%M"


def local_time(value: str | None, fmt: str = SHORT_TIME) -> str:
    """An RFC 3339 time from a feed, shown in Huế's time zone."""
    if not value:
        return ""
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return clip(value, 32)
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    dt = dt.astimezone(VN_TZ)
    fast = _FAST_FORMATS.get(fmt)
    return fast(dt) if fast is not None else dt.strftime(fmt)


# The formats the panels use, without strftime: it imports "time" at every call, through
# PySide6's import hook once Qt is loaded, several times slower (a map pin or a vessel
# fix each, thousands a second under load).
_FAST_FORMATS = {
    SHORT_TIME: lambda d: f"{d.day:02d}/{d.month:02d} {d.hour:02d}:{d.minute:02d}",
    "%d/%m %H:%M:%S": lambda d: f"{d.day:02d}/{d.month:02d} {d.hour:02d}:{d.minute:02d}:{d.second:02d}",
    "%H:%M:%S": lambda d: f"{d.hour:02d}:{d.minute:02d}:{d.second:02d}",
    "%H:%M %d/%m": lambda d: f"{d.hour:02d}:{d.minute:02d} {d.day:02d}/{d.month:02d}",
    "%H:%M %d/%m/%Y": lambda d: f"{d.hour:02d}:{d.minute:02d} {d.day:02d}/{d.month:02d}/{d.year}",
}


def parse_time(value: str | None) -> float | None:
    if not value:
        return None
    try:
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def age_text(seconds: float | None) -> str:
    """A compact, translated age: 5 s, 3 min, 2 h, 4 d."""
    from PySide6.QtCore import QCoreApplication
    if seconds is None:
        return "—"
    seconds = max(0, seconds)
    if seconds < 60:
        return QCoreApplication.translate("Age", "{0} s").format(int(seconds))
    if seconds < 3600:
        return QCoreApplication.translate("Age", "{0} min").format(int(seconds // 60))
    if seconds < 86400:
        return QCoreApplication.translate("Age", "{0} h").format(int(seconds // 3600))
    return QCoreApplication.translate("Age", "{0} d").format(int(seconds // 86400))


def plain_label(parent, point_size: int, bold: bool = False, name: str = ""):
    """A QLabel that never interprets its text as HTML (feed text is untrusted), in a
    given size: the big figures and captions of tiles and counters."""
    from PySide6 import QtCore, QtGui, QtWidgets
    lab = QtWidgets.QLabel(parent)
    if name:
        lab.setObjectName(name)
    lab.setTextFormat(QtCore.Qt.TextFormat.PlainText)
    font = QtGui.QFont(lab.font())
    font.setPointSize(point_size)
    font.setBold(bold)
    lab.setFont(font)
    return lab
