"""Times from the feeds for the situation models (no Qt, no wall clock).

Feed payloads carry RFC 3339 texts with an offset; models and rules compare them with
their ``now`` (epoch seconds) and write them into alarm texts in Huế's local time.
"""
from __future__ import annotations

from datetime import datetime

from ioc_desktop.interop import VN_TZ

#: How alarm texts show a time: day/month and hour:minute, Huế local time.
TEXT_FORMAT = "%d/%m %H:%M"


def epoch_of(text) -> float | None:
    """Epoch seconds of an RFC 3339 text with an offset (``Z`` accepted); None for
    anything else (missing, not text, no offset, not a time)."""
    if text.__class__ is not str or not text:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None
    if parsed.tzinfo is None:
        return None
    try:
        return parsed.timestamp()
    except (OverflowError, OSError, ValueError):
        return None


def local_text(t: float | None, fmt: str = TEXT_FORMAT) -> str:
    """Epoch seconds as text in Huế local time ("" for None)."""
    if t is None:
        return ""
    return datetime.fromtimestamp(t, VN_TZ).strftime(fmt)


__all__ = ["TEXT_FORMAT", "epoch_of", "local_text"]
