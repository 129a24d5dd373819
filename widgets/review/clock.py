"""The views' "now": the wall clock when live, the moment shown in review.

One app shows one moment at a time (the console and the wall alike), so the views share
this clock: ages, SLA clocks and "x min ago" texts are worked out against it, and a
review at 02:40 shows the ages things had at 02:40.  The review controller sets it
before each jump's data reaches the views.  GUI thread only.
"""
from __future__ import annotations

import time
from datetime import datetime, tzinfo

_moment: float | None = None


def set_moment(at: float | None) -> None:
    global _moment
    _moment = at


def moment() -> float | None:
    """The moment shown in review; None when live."""
    return _moment


def view_time() -> float:
    """Epoch seconds: the review's moment, else the wall clock."""
    return time.time() if _moment is None else _moment


def view_datetime(tz: tzinfo) -> datetime:
    return datetime.fromtimestamp(view_time(), tz)


__all__ = ["moment", "set_moment", "view_datetime", "view_time"]
