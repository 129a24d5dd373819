"""Feed text made short enough to show (no Qt): for alarm texts written by the plugins'
Qt-free rules (a site's or a system's name inside a sentence).  The same rule as the
views' ``widgets.text.clip``: runs of white space become one space, and text longer than
``limit`` ends with "…".  Escaping is still the view's job."""
from __future__ import annotations


def clip(text: object, limit: int = 160) -> str:
    """``text`` (None: "") on one line, at most ``limit`` characters."""
    if text is None or text == "":
        return ""
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:max(0, limit - 1)] + "…"


__all__ = ["clip"]
