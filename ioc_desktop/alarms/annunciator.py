"""The annunciator: which alarm tone sounds, and when (no Qt, no I/O, no wall clock).

The engine (:mod:`ioc_desktop.alarms.engine`) says which alarms wait for an operator; this
model decides what the control room *hears*.  It is fed the engine's alarms (copies, as
``AlarmEngine.alarms()`` or a :class:`~ioc_desktop.alarms.engine.Summary` hands them out)
and the time, and answers with the :class:`Cue` s to start now.  Playing them is the Qt
player's matter (``widgets/annunciator_player.py``), so every decision here is tested
headless, with no audio device::

    ann = Annunciator()
    cues = ann.update(engine.alarms(), now)      # whenever the alarms change
    cues = ann.tick(now)                         # at ann.next_due(now): repeats, expiry
    silence = ann.silence(3, now=now, user="op1")
    if silence:                                  # journal it (engine.silence, a Transition)
        engine.silence(**silence.engine_args())
    ann.state()                                  # for the GUI: what sounds, muted until when

Decisions (ISA-18.2 / IEC 62682 practice, DOMAIN.md):

* **What calls for a tone.**  An alarm in state ``unacknowledged`` (condition active, not
  acknowledged), and an *unacknowledged* ``latched`` alarm (a latching rule exists so a
  transient is not missed: ISA-18.2's "latched unacknowledged" is audible).  A
  *returned-to-normal unacknowledged* alarm does **not** sound by default: the condition
  is gone, so, as in ISA-18.2's state table, it is shown (summary, banner) but silent;
  ``Annunciator(sound_returned=True)`` makes it sound.  Acknowledged, normal, shelved,
  suppressed-by-design and out-of-service alarms never sound (their state says so:
  overlays win in ``Alarm.state``).
* **One tone at a time**: the highest priority (1 highest) that has an alarm calling for
  a tone and is not muted.  Lower priorities wait; once the higher ones are acknowledged
  the next priority sounds (at once if its repeat is due or one of its alarms was never
  heard).
* **Repeats** per priority (``REPEAT_S``): 1 every 5 s, 2 every 10 s, 3 every 30 s,
  4 once.  "Once" means once per new alarm: a priority-4 alarm sounds when it is raised
  (or raised again, escalated, back from a shelve) and not after.
* **A new alarm** of the sounding priority is heard at once ("new"), however recently the
  tone started, but never twice within ``min_gap_s`` (2 s) so a flood of raises does not
  machine-gun the tone; it waits for the gap instead.  An alarm is new when its
  (id, raise time, priority) was not calling at the previous update: raised again after
  an acknowledgement, escalated to a higher priority, or back from a shelve, suppression
  or out of service all count as new.
* **Silence is not acknowledge.**  ``silence(minutes, now, user)`` (1, 2, 3 or 5 min,
  default 3) mutes the priority that is calling now *and every lower one* until it ends;
  no alarm changes state.  When it expires and an alarm of a muted priority still calls
  for a tone, that tone sounds again at once ("silence_expired") and then repeats.
  A silence also ends early when nothing it muted is left waiting for an operator (every
  such alarm acknowledged, shelved, ...): the next alarm is then heard normally.
  Silencing while a silence runs extends it (new end, and the higher muted priority of
  the two).  Silencing when nothing calls for a tone does nothing (returns None): a
  silence cannot mute alarms before they exist.
* **Break-through.**  While a silence runs, an alarm of a *higher* priority than every
  muted one (a new alarm, or one escalated, since at silence time nothing higher was
  calling) sounds at once ("breakthrough") and repeats, although the silence still holds
  for the priorities it muted.  New alarms of a muted priority stay muted until the
  silence ends: that is what a timed silence during a flood is for.
* **Journal.**  The engine journals a silence (``AlarmEngine.silence``); the annunciator
  does no I/O.  :meth:`Silence.engine_args` gives that call's arguments: ``priority`` is
  the highest muted priority (it and every lower one are muted).
  :meth:`Annunciator.apply_silence` takes such a journaled transition back (a restart,
  another console, review).

Cues carry the tone's name: the sound file is ``resources/sounds/<tone>.wav``
(``resources/sounds/make_tones.py`` makes them).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

from ioc_desktop.alarms.engine import (
    LATCHED, PRIORITIES, RTN_UNACKNOWLEDGED, UNACKNOWLEDGED, Alarm, Summary, Transition)

# Seconds between repeats of a priority's tone while it calls; None: once per new alarm.
REPEAT_S: Mapping[int, float | None] = {1: 5.0, 2: 10.0, 3: 30.0, 4: None}
# Tone names: resources/sounds/<tone>.wav.
TONES: Mapping[int, str] = {1: "alarm_p1", 2: "alarm_p2", 3: "alarm_p3", 4: "alarm_p4"}
SILENCE_MINUTES: tuple[int, ...] = (1, 2, 3, 5)   # the durations an operator may pick
DEFAULT_SILENCE_MINUTES = 3
MIN_GAP_S = 2.0                                   # two starts of one tone, at the least

# Cue reasons
NEW = "new"                          # an alarm not heard yet
REPEAT = "repeat"                    # its repeat interval ran out
BREAKTHROUGH = "breakthrough"        # higher than everything a running silence mutes
SILENCE_EXPIRED = "silence_expired"  # the silence ended, the alarm still waits
REASONS = (NEW, REPEAT, BREAKTHROUGH, SILENCE_EXPIRED)


@dataclass(frozen=True)
class Cue:
    """A tone to start now."""

    priority: int
    tone: str
    reason: str
    at: float
    alarm_ids: tuple[str, ...] = ()         # the alarms of that priority calling for it


@dataclass(frozen=True)
class Silence:
    """A running silence: ``priority`` and every lower priority are muted until
    ``until``."""

    at: float
    until: float
    user: str
    priority: int
    reason: str | None = None

    @property
    def muted(self) -> tuple[int, ...]:
        return tuple(p for p in PRIORITIES if p >= self.priority)

    def engine_args(self) -> dict:
        """Keyword arguments of ``AlarmEngine.silence`` to journal this silence."""
        return {"priority": self.priority, "until": self.until, "user": self.user,
                "now": self.at, "reason": self.reason}


@dataclass(frozen=True)
class AnnunciatorState:
    """What the GUI shows of the annunciator, as of the last update or tick."""

    at: float | None
    sounding: int | None              # the priority whose tone is in force (None: quiet)
    tone: str | None
    calling: dict[int, int]           # priority -> alarms calling for a tone (muted too)
    silence: Silence | None           # the running silence
    muted: tuple[int, ...]            # priorities muted now
    next_due: float | None            # when the annunciator needs its next tick

    @property
    def silenced_until(self) -> float | None:
        return self.silence.until if self.silence else None

    @property
    def held_back(self) -> bool:
        """A silence mutes alarms that call for a tone right now."""
        return any(self.calling.get(p) for p in self.muted)


def _key(alarm: Alarm) -> tuple:
    """One annunciation of an alarm: raised again or escalated, it is a new one."""
    return alarm.id, alarm.raised_at, alarm.priority


class Annunciator:
    def __init__(self, *, repeat_s: Mapping[int, float | None] = REPEAT_S,
                 tones: Mapping[int, str] = TONES,
                 silence_minutes: Iterable[int] = SILENCE_MINUTES,
                 sound_returned: bool = False, min_gap_s: float = MIN_GAP_S):
        if set(repeat_s) != set(PRIORITIES) or set(tones) != set(PRIORITIES):
            raise ValueError("repeat_s and tones need one entry per priority 1-4")
        for p, r in repeat_s.items():
            if r is not None and r <= 0:
                raise ValueError(f"priority {p}: the repeat interval must be > 0 or None")
        self.repeat_s = dict(repeat_s)
        self.tones = dict(tones)
        self.silence_minutes = tuple(sorted(set(silence_minutes)))
        if not self.silence_minutes or min(self.silence_minutes) <= 0:
            raise ValueError("silence durations must be positive minutes")
        self.sound_returned = sound_returned
        self.min_gap_s = float(min_gap_s)
        self._calling: list[Alarm] = []       # alarms calling for a tone (last update)
        self._waiting: set[int] = set()       # priorities with an unacknowledged alarm
        self._heard: set[tuple] = set()       # annunciations already cued
        self._last_cue: dict[int, float] = {}
        self._silence: Silence | None = None
        self._sounding: int | None = None
        self._now: float | None = None

    # ------------------------------------------------------------ decisions
    def calls_for_tone(self, alarm: Alarm) -> bool:
        state = alarm.state
        if state == UNACKNOWLEDGED:
            return True
        if state == LATCHED:
            return not alarm.acked
        if state == RTN_UNACKNOWLEDGED:
            return self.sound_returned
        return False

    def update(self, alarms: Iterable[Alarm] | Summary, now: float) -> list[Cue]:
        """New alarms from the engine (every alarm, or a summary): the cues to start."""
        if isinstance(alarms, Summary):
            alarms = alarms.active
        calling, waiting = [], set()
        for alarm in alarms:
            if alarm.priority not in PRIORITIES:
                continue
            if alarm.unacknowledged:
                waiting.add(alarm.priority)
            if self.calls_for_tone(alarm):
                calling.append(alarm)
        self._calling, self._waiting = calling, waiting
        self._heard &= {_key(a) for a in calling}
        return self.tick(now)

    def tick(self, now: float) -> list[Cue]:
        """The time passed (at :meth:`next_due`): repeats due, a silence that ended."""
        self._now = now
        expired = None
        silence = self._silence
        if silence is not None:
            if now >= silence.until:
                expired, self._silence = silence, None
            elif not any(p >= silence.priority for p in self._waiting):
                self._silence = None            # nothing it muted waits any more
        top, group = self._top()
        self._sounding = top
        if top is None:
            return []
        unheard = [a for a in group if _key(a) not in self._heard]
        last = self._last_cue.get(top)
        repeat = self.repeat_s[top]
        if expired is not None and top >= expired.priority:
            reason = SILENCE_EXPIRED            # held back by the silence: sound again
        elif unheard and (last is None or now - last >= self.min_gap_s):
            reason = BREAKTHROUGH if self._silence is not None else NEW
        elif repeat is not None and last is not None and now - last >= repeat:
            reason = REPEAT
        else:
            return []
        self._last_cue[top] = now
        self._heard |= {_key(a) for a in group}
        return [Cue(top, self.tones[top], reason, now, tuple(a.id for a in group))]

    def next_due(self, now: float) -> float | None:
        """When :meth:`tick` must run next (epoch seconds; may be ``now``), or None
        while nothing will sound without a new update."""
        times = []
        if self._silence is not None:
            times.append(self._silence.until)
        top, group = self._top()
        if top is not None:
            last = self._last_cue.get(top)
            if any(_key(a) not in self._heard for a in group):
                times.append(now if last is None else max(now, last + self.min_gap_s))
            elif self.repeat_s[top] is not None and last is not None:
                times.append(last + self.repeat_s[top])
        return min(times) if times else None

    def _muted(self) -> tuple[int, ...]:
        return self._silence.muted if self._silence is not None else ()

    def _top(self) -> tuple[int | None, list[Alarm]]:
        muted = self._muted()
        audible = [a for a in self._calling if a.priority not in muted]
        if not audible:
            return None, []
        top = min(a.priority for a in audible)
        return top, [a for a in audible if a.priority == top]

    # ------------------------------------------------------------ silence
    def silence(self, minutes: int = DEFAULT_SILENCE_MINUTES, *, now: float, user: str,
                reason: str | None = None) -> Silence | None:
        """Mute what calls for a tone now (its priority and every lower one) for
        ``minutes``.  Not an acknowledgement.  None when nothing calls for a tone.
        Journal the returned silence with ``engine.silence(**s.engine_args())``."""
        if minutes not in self.silence_minutes:
            raise ValueError(f"a silence lasts one of {self.silence_minutes} minutes, "
                             f"not {minutes!r}")
        if not self._calling:
            return None
        priority = min(a.priority for a in self._calling)
        running = self._silence
        if running is not None and now < running.until:
            priority = min(priority, running.priority)
        self._silence = Silence(now, now + 60.0 * minutes, user, priority, reason)
        self._now = now
        self._sounding = self._top()[0]
        return self._silence

    def apply_silence(self, transition: Transition, now: float) -> bool:
        """Take a journaled silence (``event == "silence"``) back: after a restart, from
        another console, in review.  ``priority`` None mutes every priority.  A silence
        that already ended is ignored.  True if applied."""
        if transition.event != "silence" or transition.until is None \
                or transition.until <= now:
            return False
        priority = transition.priority if transition.priority in PRIORITIES else 1
        self._silence = Silence(transition.at, transition.until, transition.user or "",
                                priority, transition.reason)
        self._now = now
        self._sounding = self._top()[0]
        return True

    @property
    def silenced_until(self) -> float | None:
        return self._silence.until if self._silence is not None else None

    @property
    def current_silence(self) -> Silence | None:
        return self._silence

    # ------------------------------------------------------------ reading
    def state(self) -> AnnunciatorState:
        calling = {p: 0 for p in PRIORITIES}
        for alarm in self._calling:
            calling[alarm.priority] += 1
        sounding = self._sounding
        return AnnunciatorState(
            at=self._now, sounding=sounding,
            tone=self.tones[sounding] if sounding is not None else None,
            calling=calling, silence=self._silence, muted=self._muted(),
            next_due=self.next_due(self._now) if self._now is not None else None)
