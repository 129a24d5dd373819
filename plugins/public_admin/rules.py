"""The public-administration alarm rule for the core alarm engine (no Qt), over
:class:`PublicAdminModel`.

``public_admin.agency_overdue`` — key: the ``agency_id``.  Priority 3, no delays, not
latching.  Active while the agency's overdue share (overdue / received) is at least
:data:`OVERDUE_ALARM_PCT` (10 %) with at least :data:`OVERDUE_ALARM_MIN` (5) overdue
dossiers (a small agency with 1 overdue of 8 is not an alarm); once raised it holds
until the share falls below 10 % − :data:`DEADBAND_PCT` (below 8 %) or the overdue
dossiers below 5: an agency hovering at 10.0 % does not chatter.  The share is worked in
percent (``overdue × 100 / received``), so the limits are exact.  Value: the share in
percent (0.1).  Text: the agency, its overdue dossiers, the live share and the received
count.  The verdict goes back to the model (:meth:`PublicAdminModel.note_alarmed`): the
panel's red cells and badges are the alarms'.
"""
from __future__ import annotations

from ioc_desktop.alarms import AlarmRule, Condition, RuleContext
from ioc_desktop.text_clip import clip
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from .model import PublicAdminModel
from .schema import TOPIC

PLUGIN = "public_admin"
AGENCY_OVERDUE = "public_admin.agency_overdue"
RULE_IDS = (AGENCY_OVERDUE,)
PRIORITY = 3
#: Overdue share (percent of received) at which an agency is in alarm.
OVERDUE_ALARM_PCT = 10.0
#: ... with at least this many overdue dossiers.
OVERDUE_ALARM_MIN = 5
#: Percentage points below OVERDUE_ALARM_PCT before a raised alarm clears (below 8 %).
DEADBAND_PCT = 2.0
#: Longest agency name in an alarm text.
NAME_CHARS = 80

OVERDUE_TEXT = QT_TRANSLATE_NOOP("public_admin", "{0}: {1} overdue dossiers, {2:.1f} % of the {3} received (limit {4:g} %)")


def _name(data: dict, key: str) -> str:
    return clip(data.get("agency"), NAME_CHARS) or key


def _count(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def agency_overdue(model: PublicAdminModel, ctx: RuleContext) -> list[Condition]:
    out: list[Condition] = []
    for key, data in model.items.items():
        received, overdue = _count(data.get("received")), _count(data.get("overdue"))
        if not received or overdue is None or overdue < OVERDUE_ALARM_MIN:
            continue
        pct = overdue * 100.0 / received
        if ctx.beyond(key, pct, OVERDUE_ALARM_PCT):
            share = round(pct, 1)
            out.append(Condition.of(key, "public_admin", OVERDUE_TEXT, _name(data, key), overdue,
                                    share, received, OVERDUE_ALARM_PCT, value=share))
    model.note_alarmed(c.key for c in out)
    return out


def public_admin_rules() -> list[AlarmRule]:
    """The rules (register with ``engine.add_rules(PLUGIN, public_admin_rules())``)."""
    return [AlarmRule(AGENCY_OVERDUE, PRIORITY, agency_overdue, deadband=DEADBAND_PCT,
                      source=(TOPIC, None))]


__all__ = ["AGENCY_OVERDUE", "DEADBAND_PCT", "OVERDUE_ALARM_MIN", "OVERDUE_ALARM_PCT",
           "OVERDUE_TEXT", "PLUGIN", "PRIORITY", "RULE_IDS", "agency_overdue",
           "public_admin_rules"]
