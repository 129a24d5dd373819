"""The e-tickets' alarm rules for the core alarm engine (no Qt), over :class:`EcardModel`.

``ecard.validator_silent`` — key: the site id (the ``ecard`` topic's key).  Priority 3,
    not latching, no delays: the silence itself is the delay (see
    :data:`plugins.ecard.model.SILENT_AFTER_S` and :meth:`EcardModel.silent`: a site whose
    last report is more than 5 minutes older than the newest report of any site).
    Depends on ``now`` (a report far ahead of it decides nothing), so it runs on the
    situation layer's timer as well as after each batch.  Cleared when the site reports
    again.  Value: whole minutes since the site's last report, at the model's ``now``
    (so the stored alarm changes once a minute, not at every evaluation).  Text: the
    site, the time of its last report (Huế) and the minutes.
"""
from __future__ import annotations

import math
from typing import Iterator

from ioc_desktop.alarms import AlarmRule, Condition, RuleContext
from ioc_desktop.feed_time import TEXT_FORMAT, local_text
from ioc_desktop.text_clip import clip
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from .model import EcardModel, local_date
from .schema import TOPIC

PLUGIN = "ecard"
VALIDATOR_SILENT = "ecard.validator_silent"
RULE_IDS = (VALIDATOR_SILENT,)
CONTEXT = "ecard"

SILENT_TEXT = QT_TRANSLATE_NOOP("ecard", "{0}: no e-ticket validator report since {1} ({2:.0f} min)")


def validator_silent(model: EcardModel, ctx: RuleContext) -> Iterator[Condition]:
    for key in model.silent():
        t = model.seen[key]
        now = model.now if model.now is not None else model.newest_report() or t
        minutes = float(max(0, math.floor((now - t) / 60.0)))
        name = clip((model.get(key) or {}).get("site") or key, 80)
        same_day = local_date(t) == local_date(now)
        yield Condition.of(key, CONTEXT, SILENT_TEXT, name,
                           local_text(t, "%H:%M" if same_day else TEXT_FORMAT), minutes,
                           value=minutes)


def ecard_rules() -> list[AlarmRule]:
    """The e-tickets' rules (register with ``engine.add_rules(PLUGIN, ecard_rules())``)."""
    return [AlarmRule(VALIDATOR_SILENT, 3, validator_silent, source=(TOPIC, None))]


__all__ = ["PLUGIN", "RULE_IDS", "SILENT_TEXT", "VALIDATOR_SILENT", "ecard_rules",
           "validator_silent"]
