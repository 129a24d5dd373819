"""Alarms as one system for every service (no Qt): the ISA-18.2 engine and its journal.

See :mod:`ioc_desktop.alarms.engine` for the state model, and
:mod:`ioc_desktop.alarms.journal` for the cache's ``alarms`` and ``alarm_events``.
"""
from ioc_desktop.alarms.engine import (
    ACKNOWLEDGED, ANNUNCIATED, EVENTS, LATCHED, NORMAL, OUT_OF_SERVICE, PRIORITIES,
    RTN_UNACKNOWLEDGED, SHELVED, STATES, SUPPRESSED, UNACKNOWLEDGED, Alarm, AlarmEngine,
    AlarmRule, Condition, RuleContext, Summary, Transition, UnknownAlarm, alarm_id_for,
    translatable)

__all__ = [
    "ACKNOWLEDGED", "ANNUNCIATED", "EVENTS", "LATCHED", "NORMAL", "OUT_OF_SERVICE",
    "PRIORITIES", "RTN_UNACKNOWLEDGED", "SHELVED", "STATES", "SUPPRESSED", "UNACKNOWLEDGED",
    "Alarm", "AlarmEngine", "AlarmRule", "Condition", "RuleContext", "Summary", "Transition",
    "UnknownAlarm", "alarm_id_for", "translatable",
]
