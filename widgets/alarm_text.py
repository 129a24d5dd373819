"""An engine alarm's text in the interface language.

Rules write their texts as an English template with arguments (``Condition.of``); the
alarm keeps both (``Alarm.message``: context, template, args).  Here the template is
translated in its context and formatted with the same args, so a Vietnamese interface
shows "Kim Long 2.53 m — trên BĐ2" from a rule that wrote English; an argument made
with ``translatable(context, text)`` (a category, a kind) is translated too.  Anything that goes
wrong (no message, a translation whose fields don't match) falls back to the English
``text``: a wrong translation must never hide an alarm.
"""
from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication

from ioc_desktop.alarms.engine import is_translatable

log = logging.getLogger(__name__)


def message_text(message, fallback: str = "") -> str:
    """``[context, template, args]`` translated and formatted; ``fallback`` if unusable."""
    try:
        context, template, args = message
        translated = QCoreApplication.translate(context, template)
        return translated.format(*[QCoreApplication.translate(a["ctx"], a["text"])
                                   if is_translatable(a) else a for a in args])
    except Exception:            # a bad message or translation: the English text
        if message is not None:
            log.warning("alarm text %r: cannot translate, shown in English", message)
        return fallback


def alarm_text(alarm) -> str:
    """The text to show for an engine ``Alarm`` (or anything with ``message``/``text``)."""
    message = getattr(alarm, "message", None)
    if not message:
        return alarm.text
    return message_text(message, alarm.text)
