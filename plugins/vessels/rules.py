"""The vessels' alarm rules for the core alarm engine (no Qt), over :class:`VesselsModel`.

DOMAIN.md, "Fishing vessels (VMS)": vessels of 15 m and more must carry VMS and report at
least every 2 h; no position for over 6 h is abnormal.  Entering or leaving a monitored
area must raise an alarm, tested on the segment between two fixes.

Rules (ids are global; keys name what is in alarm):

``vessels.lost_signal`` — key: the vessel id.  Priority 2, not latching.
    Active while the vessel's newest fix is more than 6 h older than the model's ``now``,
    for vessels whose ``length_m`` is 15 m or more (unknown length: not judged).  Value:
    hours since the fix (floored to 0.1 h, so the stored alarm changes every 6 min, not at
    every evaluation).  Text: the vessel, the age, the time and position of the fix.
``vessels.area_entry`` — key ``"<area id>:<vessel id>"``.  Priority: the area's (2 for
    ``restricted``, see :data:`plugins.vessels.geofence.KIND_PRIORITY`).  Latching.
    Active while the vessel is inside the area (value: whole minutes inside), or, when it
    crossed the area between two fixes and is already out again, until the transition is
    settled (value: minutes it spent inside).  Latching keeps the alarm until an operator
    acknowledges it, so a crossing seen by one evaluation only is not lost.
``vessels.area_exit`` — the same key, priority and latching.  Active while a leave
    transition is pending (one evaluation); value: minutes the stay lasted (at least:
    when the vessel was first found inside, its entry is unknown).

Texts carry the live value (hours, whole minutes) and name the vessel (name and
registration) and the area (its name); times are Huế local time (+07:00), "at about"
when interpolated between two fixes, "by" when found at a fix after a long gap.  They are
English templates (``Condition.of``), translated where shown.

Use::

    engine.add_rules(PLUGIN, vessel_rules())
    ...
    model.apply_changes(changes)                  # every committed batch
    evaluate(engine, model, now)                  # set_now + engine.evaluate + settle
"""
from __future__ import annotations

import math
from typing import Iterator

from ioc_desktop.alarms import AlarmEngine, AlarmRule, Condition, RuleContext, Transition
from ioc_desktop.feed_time import local_text
from ioc_desktop.situation import evaluate_model
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from .model import ENTER, LEAVE, LOST_AFTER_S, VesselsModel
from .schema import TOPIC

PLUGIN = "vessels"
LOST_SIGNAL = "vessels.lost_signal"
AREA_ENTRY = "vessels.area_entry"
AREA_EXIT = "vessels.area_exit"
RULE_IDS = (LOST_SIGNAL, AREA_ENTRY, AREA_EXIT)

#: DOMAIN.md: vessels of 15 m and more must carry VMS.
VMS_MIN_LENGTH_M = 15.0


# ---------------------------------------------------------------- keys
def area_key(area_id: str, vessel: str) -> str:
    """The alarm key of a vessel in an area (area ids hold no ':')."""
    return f"{area_id}:{vessel}"


def vessel_of(key: str) -> str:
    """The vessel id in an area alarm's key (the ``vessels`` topic's key)."""
    return key.split(":", 1)[1] if ":" in key else key


def area_of(key: str) -> str:
    return key.split(":", 1)[0]


# ---------------------------------------------------------------- texts
CONTEXT = "vessels"
LOST_TEXT = QT_TRANSLATE_NOOP("vessels", "{0}: no position for {1:.1f} h (over {2:g} h is abnormal); last fix {3} at {4:.4f} N, {5:.4f} E")
#: area_entry: (entry seen, estimated) -> template; {0} vessel, {1} area, {2} time, {3} minutes
ENTERED_TEXTS = {
    True: QT_TRANSLATE_NOOP("vessels", "{0} entered area “{1}” at about {2}; inside for {3:.0f} min"),
    False: QT_TRANSLATE_NOOP("vessels", "{0} entered area “{1}” by {2}; inside for {3:.0f} min"),
}
INSIDE_TEXT = QT_TRANSLATE_NOOP("vessels", "{0} is inside area “{1}” (first fix there {2}); inside for at least {3:.0f} min")
#: in and out between two evaluations: {2} in, {3} out, {4} minutes inside
THROUGH_TEXTS = {
    True: QT_TRANSLATE_NOOP("vessels", "{0} entered area “{1}” at about {2} and left it at about {3} ({4:.0f} min inside)"),
    False: QT_TRANSLATE_NOOP("vessels", "{0} entered area “{1}” by {2} and left it by {3} ({4:.0f} min inside)"),
}
#: entered, and gone from the state since: {2} when
ENTERED_GONE_TEXTS = {
    True: QT_TRANSLATE_NOOP("vessels", "{0} entered area “{1}” at about {2}"),
    False: QT_TRANSLATE_NOOP("vessels", "{0} entered area “{1}” by {2}"),
}
#: area_exit: (estimated, entry seen) -> template; {2} when, {3} minutes inside
LEFT_TEXTS = {
    (True, True): QT_TRANSLATE_NOOP("vessels", "{0} left area “{1}” at about {2} after {3:.0f} min inside"),
    (False, True): QT_TRANSLATE_NOOP("vessels", "{0} left area “{1}” by {2} after {3:.0f} min inside"),
    (True, False): QT_TRANSLATE_NOOP("vessels", "{0} left area “{1}” at about {2} after at least {3:.0f} min inside"),
    (False, False): QT_TRANSLATE_NOOP("vessels", "{0} left area “{1}” by {2} after at least {3:.0f} min inside"),
}
#: out and in again since the last evaluation: {2} out, {3} back in
LEFT_AND_BACK_TEXTS = {
    True: QT_TRANSLATE_NOOP("vessels", "{0} left area “{1}” at about {2} and came back in at about {3}"),
    False: QT_TRANSLATE_NOOP("vessels", "{0} left area “{1}” by {2} and came back in by {3}"),
}


def _label(model: VesselsModel, key: str) -> str:
    """The vessel's name with its registration (both from the data)."""
    data = model.get(key) or {}
    name = data.get("name") or key
    registration = data.get("registration")
    return f"{name} ({registration})" if registration else str(name)


def _minutes(seconds: float) -> float:
    return float(max(0, math.floor(seconds / 60.0)))


# ---------------------------------------------------------------- conditions
def lost_signal_condition(lost_after_s: float = LOST_AFTER_S,
                          min_length_m: float = VMS_MIN_LENGTH_M):
    def lost_signal(model: VesselsModel, ctx: RuleContext) -> Iterator[Condition]:
        now = model.now
        if now is None:                       # no clock given: cannot judge
            return
        for key, fix in model.last_fixes():
            age = now - fix.t
            if age <= lost_after_s:
                continue
            length = (model.get(key) or {}).get("length_m")
            if (not isinstance(length, (int, float)) or isinstance(length, bool)
                    or length < min_length_m):
                continue
            hours = math.floor(age / 360.0) / 10
            yield Condition.of(key, CONTEXT, LOST_TEXT, _label(model, key), hours,
                               lost_after_s / 3600, local_text(fix.t), fix.lat, fix.lon,
                               value=hours)
    return lost_signal


def area_entry(model: VesselsModel, ctx: RuleContext) -> Iterator[Condition]:
    """Inside an area now, or crossed it (in and out) since the last settle."""
    inside_now: set[tuple[str, str]] = set()
    for key, area_id, stay in model.stays():
        area = model.area(area_id)
        if area is None:
            continue
        inside_now.add((area_id, key))
        fix = model.last_fix(key)
        now = model.now if model.now is not None else (fix.t if fix else stay.since)
        minutes = _minutes(now - stay.since)
        template = ENTERED_TEXTS[stay.estimated] if stay.entry_seen else INSIDE_TEXT
        yield Condition.of(area_key(area_id, key), CONTEXT, template, _label(model, key),
                           area.name, local_text(stay.since), minutes,
                           value=minutes, priority=area.priority)
    for ev in model.pending_events():
        if ev.kind != ENTER or (ev.area, ev.vessel) in inside_now:
            continue
        area = model.area(ev.area)
        if area is None:
            continue
        left = model.pending(LEAVE, ev.area, ev.vessel)
        label = _label(model, ev.vessel)
        if left is not None and left.seq > ev.seq:
            minutes = _minutes(left.at - ev.at)
            yield Condition.of(area_key(ev.area, ev.vessel), CONTEXT,
                               THROUGH_TEXTS[ev.estimated and left.estimated], label, area.name,
                               local_text(ev.at), local_text(left.at), minutes,
                               value=minutes, priority=area.priority)
        else:                                 # gone from the state since it entered
            yield Condition.of(area_key(ev.area, ev.vessel), CONTEXT,
                               ENTERED_GONE_TEXTS[ev.estimated], label, area.name,
                               local_text(ev.at), value=None, priority=area.priority)


def area_exit(model: VesselsModel, ctx: RuleContext) -> Iterator[Condition]:
    """A leave transition not yet settled."""
    for ev in model.pending_events():
        if ev.kind != LEAVE:
            continue
        area = model.area(ev.area)
        if area is None:
            continue
        minutes = None if ev.since is None else _minutes(ev.at - ev.since)
        label = _label(model, ev.vessel)
        back = model.pending(ENTER, ev.area, ev.vessel)
        if back is not None and back.seq > ev.seq:
            # out and in again since the last evaluation (across a non-convex area's bay):
            # area_entry, active throughout, is not annunciated again; this alarm is
            yield Condition.of(area_key(ev.area, ev.vessel), CONTEXT,
                               LEFT_AND_BACK_TEXTS[ev.estimated and back.estimated], label,
                               area.name, local_text(ev.at), local_text(back.at),
                               value=minutes, priority=area.priority)
        else:                                 # (a stay of unknown start: "at least 0 min")
            yield Condition.of(area_key(ev.area, ev.vessel), CONTEXT,
                               LEFT_TEXTS[(ev.estimated, ev.entry_seen and minutes is not None)],
                               label, area.name, local_text(ev.at), minutes or 0.0,
                               value=minutes, priority=area.priority)


# ---------------------------------------------------------------- rules
def vessel_rules(*, lost_after_s: float = LOST_AFTER_S,
                 min_length_m: float = VMS_MIN_LENGTH_M) -> list[AlarmRule]:
    """The vessels' rules (register with ``engine.add_rules(PLUGIN, vessel_rules())``)."""
    area_source = (TOPIC, vessel_of)
    return [
        AlarmRule(LOST_SIGNAL, 2, lost_signal_condition(lost_after_s, min_length_m),
                  source=(TOPIC, None)),
        AlarmRule(AREA_ENTRY, 2, area_entry, latching=True, source=area_source),
        AlarmRule(AREA_EXIT, 2, area_exit, latching=True, source=area_source),
    ]


def evaluate(engine: AlarmEngine, model: VesselsModel, now: float) -> list[Transition]:
    """Evaluate the vessels' rules at ``now`` and settle the model's transitions (what
    the situation layer does for every plugin: :func:`ioc_desktop.situation.evaluate_model`).

    If one of the rules failed (the engine counts it in ``rule_failures``), the
    transitions are not settled: the next evaluation reports them again.
    """
    return evaluate_model(engine, PLUGIN, model, now)


__all__ = ["AREA_ENTRY", "AREA_EXIT", "CONTEXT", "LOST_AFTER_S", "LOST_SIGNAL", "PLUGIN", "RULE_IDS",
           "VMS_MIN_LENGTH_M", "area_entry", "area_exit", "area_key", "area_of", "evaluate",
           "lost_signal_condition", "vessel_of", "vessel_rules"]
