"""The press alarm rule for the core alarm engine (no Qt), over :class:`PressModel`.

``press.negative_spike`` — one key, :data:`SPIKE_KEY`.  Priority 3, no delays, not
latching.  Active while the model's :class:`~plugins.press.spike.SpikeDetector` decides
there is a negative spike in its window (10 min by default): at least ``MIN_NEGATIVE``
negative items and a negative share of ``RAISE_SHARE`` (35 %) or more to raise; once
raised it holds until the share falls below ``CLEAR_SHARE`` (25 %) or the negative items
below ``MIN_NEGATIVE``.  That deadband is the detector's: it asks the engine whether the
alarm held at the previous evaluation (``ctx.held``), so it survives a restart (the
engine restores its alarms from the journal).  Value: the negative share in percent
(0.1).  Text: the counts, the share, the window and the topic with the most negative
items, live.  The verdict goes back to the model (:meth:`PressModel.note_spike`): the
panel and the wall's badge show what the alarm says.

The window slides with time: the situation layer evaluates the rule after every batch
and every 10 s, so a spike also clears when its items grow old.
"""
from __future__ import annotations

from ioc_desktop.alarms import AlarmRule, Condition, RuleContext, translatable
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from .model import PressModel
from .schema import TOPIC, TOPIC_LABELS

PLUGIN = "press"
NEGATIVE_SPIKE = "press.negative_spike"
RULE_IDS = (NEGATIVE_SPIKE,)
#: The spike alarm's key (one spike for the whole feed); ``PressGui.select`` knows it.
SPIKE_KEY = "negative_spike"
PRIORITY = 3

SPIKE_TEXT = QT_TRANSLATE_NOOP("press", "Negative press spike: {0} of {1} items negative ({2:.0f} %) in the last {3} min; most: {4}")


def topic_text(topic: str | None) -> str | dict:
    """A topic as the alarm text names it: its label (translated at display), or the
    feed's text."""
    if not topic:
        return "—"
    label = TOPIC_LABELS.get(topic)
    return translatable("press", label) if label else topic[:60]


def negative_spike(model: PressModel, ctx: RuleContext) -> list[Condition]:
    stats = model.spike_stats()
    if stats is None:                       # no clock given: cannot judge
        return []
    detector = model.detector
    active = detector.decide(stats, ctx.held(SPIKE_KEY))
    model.note_spike(active)
    if not active:
        return []
    share = round(stats.share * 100.0, 1)
    return [Condition.of(SPIKE_KEY, "press", SPIKE_TEXT, stats.negative, stats.total, share,
                         round(detector.WINDOW_S / 60), topic_text(stats.top_negative_topic()),
                         value=share)]


def press_rules() -> list[AlarmRule]:
    """The press rules (register with ``engine.add_rules(PLUGIN, press_rules())``)."""
    return [AlarmRule(NEGATIVE_SPIKE, PRIORITY, negative_spike, source=(TOPIC, None))]


__all__ = ["NEGATIVE_SPIKE", "PLUGIN", "PRIORITY", "RULE_IDS", "SPIKE_KEY", "SPIKE_TEXT",
           "negative_spike", "press_rules", "topic_text"]
