"""The cyber-security alarm rules for the core alarm engine (no Qt), over :class:`CyberModel`.

``cyber.serious_event`` — key: the event id (the ``cyber`` topic's key).  One alarm per
    open critical or high event: priority 1 for critical, 2 for high (the rule's own is
    2; a high event raised to critical is annunciated again even if acknowledged).  Not
    latching, no delays: the SOC's triage is the point of the alarm, and it clears as
    soon as the event is contained, resolved or found a false positive (returned to
    normal, it stays listed until acknowledged).  Value: how many times the detector
    saw the event (``count``, 1 when absent).  Text: severity, category, target system,
    source address, status and that count.

The texts are English templates (one per severity and status, so those words are
translated); the category is a translatable argument.
"""
from __future__ import annotations

from typing import Iterator

from ioc_desktop.alarms import AlarmRule, Condition, RuleContext
from ioc_desktop.text_clip import clip
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from .labels import category_text
from .model import CyberModel
from .schema import TOPIC

PLUGIN = "cyber"
SERIOUS_EVENT = "cyber.serious_event"
RULE_IDS = (SERIOUS_EVENT,)
CONTEXT = "cyber"

PRIORITY = {"critical": 1, "high": 2}
# one line per call: lupdate skips some calls spread over several lines
TEXTS = {
    ("critical", "new"): QT_TRANSLATE_NOOP("cyber", "Cyber: CRITICAL {0} on {1} from {2} (new, seen {3}×)"),
    ("critical", "investigating"): QT_TRANSLATE_NOOP("cyber", "Cyber: CRITICAL {0} on {1} from {2} (investigating, seen {3}×)"),
    ("high", "new"): QT_TRANSLATE_NOOP("cyber", "Cyber: HIGH {0} on {1} from {2} (new, seen {3}×)"),
    ("high", "investigating"): QT_TRANSLATE_NOOP("cyber", "Cyber: HIGH {0} on {1} from {2} (investigating, seen {3}×)"),
}


def serious_event(model: CyberModel, ctx: RuleContext) -> Iterator[Condition]:
    for key, ev in model.serious().items():
        template = TEXTS.get((ev.severity, ev.status))
        if template is None:          # the model keeps only these
            continue
        yield Condition.of(key, CONTEXT, template, category_text(ev.category),
                           clip(ev.target_system, 80), ev.source_ip or "?", ev.count,
                           value=float(ev.count), priority=PRIORITY[ev.severity])


def cyber_rules() -> list[AlarmRule]:
    """The cyber rules (register with ``engine.add_rules(PLUGIN, cyber_rules())``)."""
    return [AlarmRule(SERIOUS_EVENT, 2, serious_event, source=(TOPIC, None))]


__all__ = ["PLUGIN", "PRIORITY", "RULE_IDS", "SERIOUS_EVENT", "TEXTS", "cyber_rules",
           "serious_event"]
