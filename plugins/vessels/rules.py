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

Texts are English and carry the live value; times are Huế local time (+07:00).

Use::

    engine.add_rules(PLUGIN, vessel_rules())
    ...
    model.apply_changes(changes)                  # every committed batch
    evaluate(engine, model, now)                  # set_now + engine.evaluate + settle
"""
from __future__ import annotations

import math
from datetime import datetime
from typing import Iterator

from ioc_desktop.alarms import AlarmEngine, AlarmRule, Condition, RuleContext, Transition
from ioc_desktop.interop import VN_TZ
from ioc_desktop.situation import evaluate_model

from .model import ENTER, LEAVE, VesselsModel
from .schema import TOPIC

PLUGIN = "vessels"
LOST_SIGNAL = "vessels.lost_signal"
AREA_ENTRY = "vessels.area_entry"
AREA_EXIT = "vessels.area_exit"
RULE_IDS = (LOST_SIGNAL, AREA_ENTRY, AREA_EXIT)

#: DOMAIN.md: no position for over 6 h is abnormal.
LOST_AFTER_S = 6 * 3600.0
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
def _label(model: VesselsModel, key: str) -> str:
    data = model.get(key) or {}
    name = data.get("name") or key
    registration = data.get("registration")
    return f"{name} ({registration})" if registration else f"{name} (no registration)"


def _when(t: float) -> str:
    return datetime.fromtimestamp(t, VN_TZ).strftime("%d/%m %H:%M")


def _minutes(seconds: float) -> float:
    return float(max(0, math.floor(seconds / 60.0)))


def _duration(minutes: float) -> str:
    if minutes < 60:
        return f"{minutes:.0f} min"
    return f"{math.floor(minutes / 6.0) / 10:.1f} h"


def _about(estimated: bool) -> str:
    """Interpolated between two fixes; else found at a fix after a long gap: "by"."""
    return "at about" if estimated else "by"


def _area_label(area) -> str:
    return f"{area.kind} area “{area.name}”"


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
            yield Condition(
                key,
                f"{_label(model, key)}: no position for {hours:.1f} h "
                f"(over {lost_after_s / 3600:g} h is abnormal); last fix {_when(fix.t)} "
                f"at {fix.lat:.4f} N, {fix.lon:.4f} E",
                hours)
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
        if stay.entry_seen:
            how = f"entered {_area_label(area)} {_about(stay.estimated)} " \
                  f"{_when(stay.since)}; inside for {_duration(minutes)}"
        else:
            how = f"is inside {_area_label(area)} (first fix there {_when(stay.since)}); " \
                  f"inside for at least {_duration(minutes)}"
        yield Condition(area_key(area_id, key), f"{_label(model, key)} {how}", minutes,
                        area.priority)
    for ev in model.pending_events():
        if ev.kind != ENTER or (ev.area, ev.vessel) in inside_now:
            continue
        area = model.area(ev.area)
        if area is None:
            continue
        left = model.pending(LEAVE, ev.area, ev.vessel)
        if left is not None and left.seq > ev.seq:
            minutes = _minutes(left.at - ev.at)
            how = (f"went through {_area_label(area)}: in {_about(ev.estimated)} "
                   f"{_when(ev.at)}, out {_about(left.estimated)} {_when(left.at)} "
                   f"({_duration(minutes)} inside)")
        else:                                 # gone from the state since it entered
            minutes = None
            how = f"entered {_area_label(area)} {_about(ev.estimated)} {_when(ev.at)}"
        yield Condition(area_key(ev.area, ev.vessel), f"{_label(model, ev.vessel)} {how}",
                        minutes, area.priority)


def area_exit(model: VesselsModel, ctx: RuleContext) -> Iterator[Condition]:
    """A leave transition not yet settled."""
    for ev in model.pending_events():
        if ev.kind != LEAVE:
            continue
        area = model.area(ev.area)
        if area is None:
            continue
        minutes = None if ev.since is None else _minutes(ev.at - ev.since)
        if minutes is None:
            stayed = ""
        elif ev.entry_seen:
            stayed = f" after {_duration(minutes)} inside"
        else:
            stayed = f" after at least {_duration(minutes)} inside"
        back = model.pending(ENTER, ev.area, ev.vessel)
        if back is not None and back.seq > ev.seq:
            # out and in again since the last evaluation (across a non-convex area's bay):
            # area_entry, active throughout, is not annunciated again; this alarm is
            stayed += f"; came back in {_about(back.estimated)} {_when(back.at)}"
        yield Condition(area_key(ev.area, ev.vessel),
                        f"{_label(model, ev.vessel)} left {_area_label(area)} "
                        f"{_about(ev.estimated)} {_when(ev.at)}{stayed}",
                        minutes, area.priority)


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


__all__ = ["AREA_ENTRY", "AREA_EXIT", "LOST_AFTER_S", "LOST_SIGNAL", "PLUGIN", "RULE_IDS",
           "VMS_MIN_LENGTH_M", "area_entry", "area_exit", "area_key", "area_of", "evaluate",
           "lost_signal_condition", "vessel_of", "vessel_rules"]
