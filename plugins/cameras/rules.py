"""The cameras' alarm rules for the core alarm engine (no Qt), over
:class:`~plugins.cameras.model.CamerasModel`.  Keys are camera ids.

``cameras.flooded_street`` — a camera sees a flooded street with at least 70 %
    confidence (:data:`~plugins.cameras.schema.FLOOD_ALARM_CONFIDENCE`; once raised, it
    holds down to 65 %: a 0.05 deadband).  Priority 2, no on-delay.  **Suppressed by
    design** while the river is at BĐ2 or above (the environment's
    ``environment.river_bd2`` lists it in ``suppresses``): the low streets then flood as
    expected, and a dozen alarms at once would bury the rest (an alarm flood); they stay
    listed under the river's alarm.  Value: the confidence.
``cameras.crowd`` — a crowd detected with at least 70 % confidence (same deadband) for
    2 minutes (on-delay).  Priority 3.  Value: the confidence.
``cameras.offline`` — a camera offline for 5 minutes (on-delay: a gateway's blip or a
    reboot raises nothing).  Priority 4 (maintenance).  Value: whole minutes offline,
    when known (the model knows since when from the event that found it offline).

None latches: the detection or the outage itself is the record (the panel keeps the
detection episodes).
"""
from __future__ import annotations

import math
from typing import Iterator

from ioc_desktop.alarms import AlarmRule, Condition, RuleContext
from ioc_desktop.feed_time import epoch_of, local_text
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from .model import CamerasModel
from .schema import CROWD, FLOOD_ALARM_CONFIDENCE, FLOODED_STREET, TOPIC

PLUGIN = "cameras"
FLOODED = "cameras.flooded_street"
CROWDED = "cameras.crowd"
OFFLINE = "cameras.offline"
RULE_IDS = (FLOODED, CROWDED, OFFLINE)

#: A crowd detected with at least this confidence raises the alarm.
CROWD_ALARM_CONFIDENCE = 0.7
#: Once raised, a detection's alarm holds until its confidence is this much lower.
CONFIDENCE_DEADBAND = 0.05
CROWD_ON_DELAY_S = 120.0
OFFLINE_ON_DELAY_S = 300.0

CONTEXT = "cameras"
FLOOD_TEXT = QT_TRANSLATE_NOOP("cameras", "{0}: flooded street seen ({1:.0%} confidence) since {2}")
CROWD_TEXT = QT_TRANSLATE_NOOP("cameras", "{0}: crowd seen ({1:.0%} confidence) since {2}")
OFFLINE_FOR_TEXT = QT_TRANSLATE_NOOP("cameras", "{0}: camera offline for {1:.0f} min (since {2})")
OFFLINE_TEXT = QT_TRANSLATE_NOOP("cameras", "{0}: camera offline")


def _detections(model: CamerasModel, ctx: RuleContext, kind: str, threshold: float,
                template: str) -> Iterator[Condition]:
    for key, data, det in model.detections(kind):
        confidence = float(det.get("confidence") or 0.0)
        if not ctx.beyond(key, confidence, threshold):
            continue
        yield Condition.of(key, CONTEXT, template, data.get("name") or key, confidence,
                           local_text(epoch_of(det.get("time"))), value=confidence)


def flooded_street(model: CamerasModel, ctx: RuleContext) -> Iterator[Condition]:
    return _detections(model, ctx, FLOODED_STREET, FLOOD_ALARM_CONFIDENCE, FLOOD_TEXT)


def crowd(model: CamerasModel, ctx: RuleContext) -> Iterator[Condition]:
    return _detections(model, ctx, CROWD, CROWD_ALARM_CONFIDENCE, CROWD_TEXT)


def offline(model: CamerasModel, ctx: RuleContext) -> Iterator[Condition]:
    now = model.now
    for key, data, since in model.offline():
        name = data.get("name") or key
        if since is None or now is None:
            yield Condition.of(key, CONTEXT, OFFLINE_TEXT, name)
            continue
        minutes = float(max(0, math.floor((now - since) / 60.0)))
        yield Condition.of(key, CONTEXT, OFFLINE_FOR_TEXT, name, minutes, local_text(since),
                           value=minutes)


def camera_rules() -> list[AlarmRule]:
    """The cameras' rules (``engine.add_rules(PLUGIN, camera_rules())``)."""
    source = (TOPIC, None)
    return [
        AlarmRule(FLOODED, 2, flooded_street, deadband=CONFIDENCE_DEADBAND, source=source),
        AlarmRule(CROWDED, 3, crowd, on_delay_s=CROWD_ON_DELAY_S, deadband=CONFIDENCE_DEADBAND,
                  source=source),
        AlarmRule(OFFLINE, 4, offline, on_delay_s=OFFLINE_ON_DELAY_S, source=source),
    ]


__all__ = ["CONFIDENCE_DEADBAND", "CROWDED", "CROWD_ALARM_CONFIDENCE", "CROWD_ON_DELAY_S",
           "FLOODED", "OFFLINE", "OFFLINE_ON_DELAY_S", "PLUGIN", "RULE_IDS", "camera_rules",
           "crowd", "flooded_street", "offline"]
