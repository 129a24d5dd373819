"""The citizen reports' alarm rule for the core alarm engine (no Qt), over :class:`ReportsModel`.

``reports.overdue`` — one alarm per *group* of overdue reports, never one per report: a
    backlog of 40 late reports is a few things to chase, not 40 alarms (ISA-18.2: about
    150 alarms a day is what an operator can handle; one per report would flood the
    banner at every shift start).  The groups follow what the supervisor does about
    them (:func:`plugins.reports.model.group_key`):

    * ``ioc`` — overdue reports that no agency is responsible for yet: the IOC's own
      verification or dispatch is late.  The supervisor's own queue: verify, reject or
      assign them.
    * ``category:<service_code>`` — assigned reports overdue at the agencies, one alarm
      per category (trật tự xây dựng, vệ sinh môi trường, …).  Each category has its
      few usual agencies (the text names how many are late and the one holding the
      oldest report, the first to call); grouping by agency instead would mean scores
      of alarms, as every ward's police and people's committee is one.

    Priority, from the most pressing report in the group: 2 when one is handled as an
    *immediate* case (priority urgent, public security, flooding: DOMAIN.md's immediate
    process), 3 when one is of priority high, else 4.  When a group's worst report
    becomes more pressing the alarm is annunciated again even if acknowledged (the
    engine's escalation).  Not latching, no delays: deadlines are exact times, nothing
    flickers; it clears when the group has no overdue report left (resolved, closed,
    assigned for the IOC queue).  Value: how many reports of the group are overdue.
    Text: the group, that count, how many are immediate cases, and how long the oldest
    has been overdue, in hours floored to 0.1 h (the stored alarm changes every 6
    minutes, not at every evaluation).  Time-driven: reports fall overdue without new
    data, on the situation layer's timer.  Source: the ``reports`` topic with the group
    key; following the alarm shows the group's overdue reports in the queue
    (``ReportsGui.select``).
"""
from __future__ import annotations

import math
from typing import Iterator

from ioc_desktop.alarms import AlarmRule, Condition, RuleContext
from ioc_desktop.text_clip import clip
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from .model import IOC_QUEUE, Group, ReportsModel
from .schema import CATEGORIES, TOPIC

PLUGIN = "reports"
OVERDUE = "reports.overdue"
RULE_IDS = (OVERDUE,)
CONTEXT = "reports"

# one line per call: lupdate skips some calls spread over several lines
CATEGORY_TEXT = QT_TRANSLATE_NOOP("reports", "Overdue at the agencies, {0}: {1} report(s) at {2} agency(ies), {3} for immediate handling; the oldest is {4:.1f} h past its deadline ({5})")  # noqa: E501
IOC_TEXT = QT_TRANSLATE_NOOP("reports", "Overdue in the IOC queue (not yet assigned): {0} report(s), {1} for immediate handling; the oldest is {2:.1f} h past its deadline")  # noqa: E501


def group_priority(group: Group) -> int:
    if group.immediate:
        return 2
    return 3 if group.high else 4


def category_name(code: str | None) -> str:
    """A category's name (the IOC's list), or its code as sent."""
    return CATEGORIES.get(code or "") or clip(code, 40) or "?"


def overdue(model: ReportsModel, ctx: RuleContext) -> Iterator[Condition]:
    now = model.now
    if now is None:                           # no clock given: cannot judge
        return
    for group in model.overdue_groups(now):
        hours = math.floor(max(0.0, now - group.oldest_due) / 360.0) / 10
        priority = group_priority(group)
        if group.key == IOC_QUEUE:
            yield Condition.of(group.key, CONTEXT, IOC_TEXT, group.count, group.immediate,
                               hours, value=float(group.count), priority=priority)
        else:
            yield Condition.of(group.key, CONTEXT, CATEGORY_TEXT, category_name(group.category),
                               group.count, group.agencies, group.immediate, hours,
                               clip(group.oldest_agency, 80), value=float(group.count),
                               priority=priority)


def reports_rules() -> list[AlarmRule]:
    """The reports' rules (register with ``engine.add_rules(PLUGIN, reports_rules())``)."""
    return [AlarmRule(OVERDUE, 4, overdue, source=(TOPIC, None))]


__all__ = ["CATEGORY_TEXT", "IOC_TEXT", "OVERDUE", "PLUGIN", "RULE_IDS", "category_name",
           "group_priority", "overdue", "reports_rules"]
