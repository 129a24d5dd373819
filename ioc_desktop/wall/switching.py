"""Auto-switching the wall between presets on alarms (no Qt; time from the caller).

:class:`AutoSwitch` follows the alarms (the engine's copies, e.g. ``Summary.active``)
and decides which preset the wall shows:

* the **base** preset is the operator's choice (``set_base``, from the console or a
  key; at start the configuration's ``default_preset``);
* an alarm of priority <= a rule's ``min_priority`` (1 is the highest) that matches
  the rule's ``rules`` and whose condition is active (unacknowledged or acknowledged;
  not shelved, suppressed or out of service) **switches** the rule's screens (its
  ``screens``, else the preset's) to the rule's preset.  The first matching rule
  (file order) wins for an alarm; among alarms the most urgent (priority, then the
  rules' order, then the earliest raised);
* the wall **stays** switched while that alarm is annunciated — active, or returned
  to normal but not yet acknowledged (``rtn_unacknowledged``), or latched — and
  **returns** to the base once it is cleared and acknowledged (normal, or gone from
  the list).  Another matching alarm still active keeps it switched (the reason
  becomes that alarm);
* a more urgent alarm (a lower priority number) for another preset takes over;
* ``set_base(preset)`` while switched: the operator's choice wins; the alarms active
  at that moment don't switch again (unless their priority rises: the engine
  annunciates them again), new ones do;
* ``lock(True)``: no auto-switching at all — the wall shows the base preset until
  unlocked (then active alarms switch again).

``rules`` entries are rule ids or prefixes of alarm ids, matched at a ``.`` or ``/``:
``environment`` matches every environment alarm, ``environment.river_bd2`` that rule,
``environment.river_bd2/kim_long`` one station's.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

from ioc_desktop.alarms.engine import ACKNOWLEDGED, ANNUNCIATED, UNACKNOWLEDGED
from ioc_desktop.wall.config import AutoSwitchRule, ScreenConfig, WallConfig

TRIGGERING = (UNACKNOWLEDGED, ACKNOWLEDGED)      # the condition is active, annunciated


@dataclass(frozen=True)
class WallDecision:
    """What the wall shows now.

    ``preset``: the preset of the switched screens (the base when nothing switched);
    ``reason``: the id of the alarm that switched it (None: the operator's preset);
    ``reason_text``: that alarm's English text; ``reason_message``: its translatable
    ``[context, template, [args]]`` (``Alarm.message``) for the view; ``locked``;
    ``changed``: differs from the previous decision (preset, reason, screens, base or
    lock).  ``screens``: the keys (name, else index as text) of the screens switched —
    the others show ``base``; ``since``: when it switched (the caller's clock);
    ``priority``: the alarm's.  :meth:`AutoSwitch.preset_for` gives a screen's preset.
    """

    preset: str
    reason: str | None = None
    reason_text: str | None = None
    locked: bool = False
    changed: bool = False
    base: str = ""
    screens: tuple[str, ...] = ()
    since: float | None = None
    priority: int | None = None
    reason_message: list | None = None

    def _key(self):
        return (self.preset, self.reason, self.locked, self.base, self.screens)


@dataclass
class _Switch:
    alarm_id: str
    preset: str
    screens: tuple[str, ...]
    since: float
    priority: int
    text: str | None
    message: list | None


def rule_matches(patterns: Iterable[str], alarm: Any) -> bool:
    """Does an alarm (its id ``rule/key``) match any of ``patterns`` (rule ids or
    prefixes, at a ``.`` or ``/`` boundary)?  No patterns: any alarm."""
    patterns = tuple(patterns)
    if not patterns:
        return True
    target = str(getattr(alarm, "id", "") or "")
    rule = str(getattr(alarm, "rule", "") or "")
    for p in patterns:
        for t in (target, rule):
            if t == p or (t.startswith(p) and (p[-1] in "./" or t[len(p)] in "./")):
                return True
    return False


class AutoSwitch:
    def __init__(self, config: WallConfig, base: str | None = None):
        self.config = config
        self._base = base or config.default_preset
        self._check(self._base)
        self._locked = False
        self._switch: _Switch | None = None
        self._dismissed: dict[str, int] = {}     # alarm id -> its priority when dismissed
        self._triggering: dict[str, int] = {}    # the last update's candidates
        self._now = 0.0
        self._last: WallDecision | None = None

    # -- the operator
    @property
    def base(self) -> str:
        return self._base

    @property
    def locked(self) -> bool:
        return self._locked

    def _check(self, preset: str) -> None:
        if preset not in self.config.presets:
            raise KeyError(f"no preset {preset!r}; presets: {', '.join(self.config.presets)}")

    def set_base(self, preset: str) -> WallDecision:
        """The operator's preset (console or key).  Dismisses the current switch."""
        self._check(preset)
        self._base = preset
        self._dismissed.update(self._triggering)
        self._switch = None
        return self._decide()

    def lock(self, locked: bool = True) -> WallDecision:
        """Lock the wall on the base preset (no auto-switch), or unlock it."""
        self._locked = bool(locked)
        if self._locked:
            self._switch = None
        return self._decide()

    @property
    def decision(self) -> WallDecision:
        """The last decision (without recomputing)."""
        return self._last if self._last is not None else self._decide()

    def preset_for(self, screen: ScreenConfig | str) -> str:
        """The preset ``screen`` (a ScreenConfig, or its key) shows now."""
        key = screen if isinstance(screen, str) else self.config.screen_key(screen)
        if self._switch is not None and key in self._switch.screens:
            return self._switch.preset
        return self._base

    # -- the alarms
    def _rule_for(self, alarm: Any) -> tuple[int, AutoSwitchRule] | None:
        for i, rule in enumerate(self.config.auto_switch):
            if alarm.priority <= rule.min_priority and rule_matches(rule.rules, alarm):
                return i, rule
        return None

    def _screens(self, rule: AutoSwitchRule) -> tuple[str, ...]:
        if rule.screens:
            return tuple(rule.screens)
        return tuple(self.config.screen_key(s) for s in self.config.preset_screens(rule.preset))

    def update(self, alarms: Iterable[Any], now: float) -> WallDecision:
        """Follow ``alarms`` (Alarm copies: every annunciated one, e.g. Summary.active;
        normal ones may be included, they count as gone) at ``now``."""
        self._now = now
        listed = {a.id: a for a in alarms if a.state in ANNUNCIATED}
        # a dismissed alarm that is gone, or whose priority rose, may switch again
        self._dismissed = {i: p for i, p in self._dismissed.items()
                           if i in listed and listed[i].priority >= p}
        candidates = []
        self._triggering = {}
        for a in listed.values():
            if a.state not in TRIGGERING:
                continue
            found = self._rule_for(a)
            if found is None:
                continue
            self._triggering[a.id] = a.priority
            if a.id in self._dismissed:
                continue
            raised = a.raised_at if a.raised_at is not None else math.inf
            candidates.append(((a.priority, found[0], raised, a.id), a, found[1]))
        candidates.sort(key=lambda c: c[0])
        previous = current = self._switch
        if current is not None and current.alarm_id not in listed:
            current = None                      # cleared and acknowledged (or gone)
        if self._locked:
            current = None
        elif candidates:
            _, alarm, rule = candidates[0]
            if current is None or (alarm.priority < current.priority
                                   and rule.preset != current.preset):
                since = now
                if previous is not None and previous.preset == rule.preset:
                    since = previous.since      # the same screens, another reason
                current = _Switch(alarm.id, rule.preset, self._screens(rule), since,
                                  alarm.priority, alarm.text or None,
                                  list(alarm.message) if alarm.message else None)
        if current is not None and current.alarm_id in listed:
            a = listed[current.alarm_id]           # its newest text and priority
            current.priority = a.priority
            current.text = a.text or current.text
            current.message = list(a.message) if a.message else current.message
        self._switch = current
        return self._decide()

    def _decide(self) -> WallDecision:
        s = self._switch
        if s is None:
            d = WallDecision(preset=self._base, locked=self._locked, base=self._base)
        else:
            d = WallDecision(preset=s.preset, reason=s.alarm_id, reason_text=s.text,
                             locked=self._locked, base=self._base, screens=s.screens,
                             since=s.since, priority=s.priority, reason_message=s.message)
        changed = self._last is None or self._last._key() != d._key()
        d = WallDecision(**{**d.__dict__, "changed": changed})
        self._last = d
        return d
