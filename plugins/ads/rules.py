"""The LED billboards' alarm rules for the core alarm engine (no Qt), over
:class:`AdsModel`.

``ads.violation`` — key: the ``screen_id``.  Priority 3, no delays, not latching.
    Active while the screen's report carries a compliance violation (``violation`` not
    null).  Value: the violation's kind.  Text: the screen, the kind (one translatable
    text per known kind, and for a plain-text violation; another kind is named as sent)
    and what is on screen (``content_id``, else the detail).
``ads.offline`` — key: the ``screen_id``.  Priority 4, not latching.  Active while the
    screen reports ``online: false`` and has been dark for :data:`OFFLINE_AFTER_S`
    (2 min) or more, counted from its report's ``since`` (else from when the model first
    saw it dark): a screen rebooting or a short link loss is not an alarm, and the delay
    is the data's own, so a restart or a review at a past time judges the same.  Value:
    whole minutes dark.  Text: the screen, since when (Huế time) and for how long.
"""
from __future__ import annotations

import math

from ioc_desktop.alarms import AlarmRule, Condition, RuleContext
from ioc_desktop.feed_time import local_text
from ioc_desktop.text_clip import clip
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from .model import AdsModel
from .schema import OTHER, PROHIBITED, SCHEDULE, TOPIC, UNLICENSED

PLUGIN = "ads"
VIOLATION = "ads.violation"
OFFLINE = "ads.offline"
RULE_IDS = (VIOLATION, OFFLINE)
VIOLATION_PRIORITY = 3
OFFLINE_PRIORITY = 4
#: A dark screen is an alarm once it has been dark this long.
OFFLINE_AFTER_S = 120.0
#: Longest violation detail in an alarm text (when the report names no content).
DETAIL_CHARS = 80

VIOLATION_TEXTS = {
    UNLICENSED: QT_TRANSLATE_NOOP("ads", "Billboard {0}: unlicensed content — {1}"),
    PROHIBITED: QT_TRANSLATE_NOOP("ads", "Billboard {0}: prohibited content — {1}"),
    SCHEDULE: QT_TRANSLATE_NOOP("ads", "Billboard {0}: schedule breach — {1}"),
    OTHER: QT_TRANSLATE_NOOP("ads", "Billboard {0}: violation — {1}"),      # a plain-text violation
}
#: Any other kind: its identifier is shown (underscores as spaces).
OTHER_VIOLATION_TEXT = QT_TRANSLATE_NOOP("ads", "Billboard {0}: violation ({1}) — {2}")
OFFLINE_TEXT = QT_TRANSLATE_NOOP("ads", "Billboard {0} offline since {1} ({2:.0f} min)")


def violation(model: AdsModel, ctx: RuleContext) -> list[Condition]:
    out = []
    for key, (kind, detail, _time), data in model.violations():
        v = data.get("violation")
        shown = data.get("content_id") or (v.get("content_id") if isinstance(v, dict) else None)
        what = shown if isinstance(shown, str) and shown else (clip(detail, DETAIL_CHARS) or "—")
        name = model.name_of(key)
        if kind in VIOLATION_TEXTS:
            cond = Condition.of(key, "ads", VIOLATION_TEXTS[kind], name, what, value=kind)
        else:
            cond = Condition.of(key, "ads", OTHER_VIOLATION_TEXT, name, kind.replace("_", " "), what,
                                value=kind)
        out.append(cond)
    return out


def offline(model: AdsModel, ctx: RuleContext) -> list[Condition]:
    now = model.now
    if now is None:                         # no clock given: cannot judge
        return []
    out = []
    for key, since, _data in model.offline():
        if since is None or now - since < OFFLINE_AFTER_S:
            continue
        minutes = float(max(0, math.floor((now - since) / 60.0)))
        out.append(Condition.of(key, "ads", OFFLINE_TEXT, model.name_of(key), local_text(since),
                                minutes, value=minutes))
    return out


def ads_rules() -> list[AlarmRule]:
    """The billboards' rules (register with ``engine.add_rules(PLUGIN, ads_rules())``)."""
    return [
        AlarmRule(VIOLATION, VIOLATION_PRIORITY, violation, source=(TOPIC, None)),
        AlarmRule(OFFLINE, OFFLINE_PRIORITY, offline, source=(TOPIC, None)),
    ]


__all__ = ["OFFLINE", "OFFLINE_AFTER_S", "OFFLINE_PRIORITY", "OFFLINE_TEXT",
           "OTHER_VIOLATION_TEXT", "PLUGIN", "RULE_IDS", "VIOLATION", "VIOLATION_PRIORITY",
           "VIOLATION_TEXTS", "ads_rules", "offline", "violation"]
