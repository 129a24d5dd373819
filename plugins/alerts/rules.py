"""The warnings' alarm rule for the core alarm engine (no Qt), over
:class:`~plugins.alerts.model.AlertsModel`.

``alerts.in_force`` — key: the CAP message's ``identifier``.  Active while the message is
    in force at the model's ``now`` (actual, not cancelled, not updated by a newer
    message held, effective ≤ now < expires: see the model).  Priority by the CAP
    severity of the info that speaks for it: Extreme 1, Severe 2, Moderate 3, Minor and
    Unknown 4.  An Update is a message of its own (its own identifier): its alarm is
    raised, and the one of the message it updates clears.  No on-delay (a warning is
    issued to be seen), not latching (the message itself is the record).
    Value: the severity.  Text: the headline (else the event), and until when.

Warnings end by themselves: the situation layer evaluates every rule on its timer, so
an expired warning clears within one tick.
"""
from __future__ import annotations

from typing import Iterator

from ioc_desktop.alarms import AlarmRule, Condition, RuleContext
from ioc_desktop.feed_time import local_text
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from .model import AlertsModel
from .schema import TOPIC

PLUGIN = "alerts"
IN_FORCE = "alerts.in_force"
RULE_IDS = (IN_FORCE,)
#: Alarm priority by CAP severity (1 highest).
SEVERITY_PRIORITY = {"Extreme": 1, "Severe": 2, "Moderate": 3, "Minor": 4, "Unknown": 4}

CONTEXT = "alerts"
UNTIL_TEXT = QT_TRANSLATE_NOOP("alerts", "Warning in force: {0} (until {1})")
OPEN_TEXT = QT_TRANSLATE_NOOP("alerts", "Warning in force: {0}")


def in_force(model: AlertsModel, ctx: RuleContext) -> Iterator[Condition]:
    for key, data, info in model.in_force():
        title = info.get("headline") or info.get("event") or key
        severity = info.get("severity") or "Unknown"
        priority = SEVERITY_PRIORITY.get(severity, 4)
        expires = model.expires_of(info)
        if expires is None:
            yield Condition.of(key, CONTEXT, OPEN_TEXT, title, value=severity, priority=priority)
        else:
            yield Condition.of(key, CONTEXT, UNTIL_TEXT, title, local_text(expires),
                               value=severity, priority=priority)


def alert_rules() -> list[AlarmRule]:
    """The warnings' rules (``engine.add_rules(PLUGIN, alert_rules())``)."""
    return [AlarmRule(IN_FORCE, 3, in_force, source=(TOPIC, None))]


__all__ = ["IN_FORCE", "PLUGIN", "RULE_IDS", "SEVERITY_PRIORITY", "alert_rules", "in_force"]
