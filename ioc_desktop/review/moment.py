"""A review moment from the command line (``--at``), no Qt."""
from __future__ import annotations

import math
from datetime import datetime

from ioc_desktop.interop import VN_TZ


def parse_moment(text: str) -> float:
    """Epoch seconds of ``text``: an ISO 8601 date and time (``2026-10-14T02:40``,
    ``2026-10-14 02:40:15``, with an offset or ``Z``; without one it is Huế time,
    UTC+7), or epoch seconds.  ValueError with a message for anything else."""
    raw = (text or "").strip()
    if not raw:
        raise ValueError("an empty time")
    try:
        value = float(raw)
    except ValueError:
        pass
    else:
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"not a time: {text!r}")
        return value
    try:
        parsed = datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"not a date and time (like 2026-10-14T02:40): {text!r}") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=VN_TZ)
    return parsed.timestamp()


__all__ = ["parse_moment"]
