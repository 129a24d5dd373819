"""The alarm engine: one ISA-18.2 lifecycle for every service's alarms (no Qt, no I/O).

Plugins declare :class:`AlarmRule` s; the engine evaluates them over the plugin's model
and keeps one :class:`Alarm` per (rule, key).  There is no wall clock here: every call
takes ``now`` (epoch seconds), so tests and review (replaying the past) control time.
Every change of state comes back as :class:`Transition` records, which the journal
(:mod:`ioc_desktop.alarms.journal`) appends to ``alarm_events``.  One engine is owned
by one thread (the situation layer's worker); it is not locked.

States (``Alarm.state``, derived from the alarm's flags; the first that holds wins)::

    out_of_service       an operator took it out of service (by, reason)
    shelved              an operator shelved it (by, reason, until)
    suppressed           suppressed by design: a rule that lists this one in
                         ``suppresses`` has an active alarm (``suppressed_by``)
    unacknowledged       condition active, not acknowledged
    acknowledged         condition active, acknowledged
    latched              latching rule, condition gone, not yet reset/acknowledged
    rtn_unacknowledged   returned to normal, never acknowledged: stays listed
    normal               condition gone and acknowledged (or never raised)

Transitions (event: from -> to)::

    raise              normal | rtn_unack | latched -> unacknowledged   (held on_delay_s)
                       acknowledged -> unacknowledged   (its priority rose: annunciate again)
    clear              unacknowledged -> rtn_unacknowledged | latched    (clear off_delay_s)
                       acknowledged   -> normal | latched
    acknowledge        unacknowledged -> acknowledged; rtn_unack | latched -> normal
    reset              latched -> normal
    shelve             any but out_of_service -> shelved
    unshelve, expire   shelved -> *          (expire: ``tick`` after ``shelved_until``)
    suppress           an active alarm -> suppressed      (its suppressor raised)
    unsuppress         suppressed -> *       (the suppressor cleared, or it cleared itself)
    out_of_service     any -> out_of_service              (replaces a shelve)
    return_to_service  out_of_service -> *
    silence            no alarm: the annunciator's matter, journaled only

    * leaving the last overlay (shelved, suppressed, out of service): unacknowledged if
      the condition is active then (it is annunciated again), else normal.

Under an overlay the condition is still tracked: ``raise`` and ``clear`` happen and are
journaled with from = to = the overlay's state, so the engine knows whether the alarm
is active when the overlay lifts.  (Alarm statistics should count raises whose
``to_state`` is ``unacknowledged``.)

Design choices:

* **Deadband**: the condition callable is ``condition(model, ctx)``; ``ctx`` is a
  :class:`RuleContext` whose ``beyond(key, value, threshold)`` applies the rule's
  ``deadband``: a key whose condition held at the previous evaluation stays beyond the
  threshold until the value leaves it by ``deadband`` (hysteresis).  The rule keeps
  its own threshold logic (BĐ1/BĐ2/BĐ3 …); the engine owns "was it holding".
* **Registration**: ``add_rules(plugin, rules)`` then ``evaluate(plugin, model, now)``
  runs that plugin's rules (``evaluate_rule`` runs one).  Rule ids are global.
* **Idempotent actions**: every operator action takes an optional ``action_id`` (the
  outbox's id, shared by every console); an id already applied is ignored.  Actions that
  do not apply to the alarm's state (acknowledging a normal alarm) change nothing.
* **Alarm ids** are ``"<rule>/<key>"``: the same on every console, so actions relayed
  by the backend name the same alarm.
"""
from __future__ import annotations

import dataclasses
import logging
import math
from collections import Counter, OrderedDict
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable

log = logging.getLogger(__name__)

# ---------------------------------------------------------------- states and events
NORMAL = "normal"
UNACKNOWLEDGED = "unacknowledged"
ACKNOWLEDGED = "acknowledged"
RTN_UNACKNOWLEDGED = "rtn_unacknowledged"
LATCHED = "latched"
SHELVED = "shelved"
SUPPRESSED = "suppressed"
OUT_OF_SERVICE = "out_of_service"
STATES = (NORMAL, UNACKNOWLEDGED, ACKNOWLEDGED, RTN_UNACKNOWLEDGED, LATCHED, SHELVED,
          SUPPRESSED, OUT_OF_SERVICE)
ANNUNCIATED = (UNACKNOWLEDGED, ACKNOWLEDGED, RTN_UNACKNOWLEDGED, LATCHED)  # in the summary

EVENTS = ("raise", "clear", "acknowledge", "shelve", "unshelve", "suppress", "unsuppress",
          "out_of_service", "return_to_service", "silence", "reset", "expire")
PRIORITIES = (1, 2, 3, 4)                  # 1 highest

CHATTER_WINDOW_S = 60.0                    # DOMAIN.md: >= 3 transitions in 1 minute
CHATTER_TRANSITIONS = 3
MAX_REMEMBERED_ACTIONS = 100_000           # ids kept for idempotence (oldest forgotten)


def _message(cond: "Condition") -> list | None:
    """A condition's message as stored on the alarm (JSON-friendly lists)."""
    if cond.message is None:
        return None
    context, template, args = cond.message
    return [context, template, list(args)]


def alarm_id_for(rule_id: str, key: str) -> str:
    return f"{rule_id}/{key}"


class UnknownAlarm(KeyError):
    """An action named an alarm this engine does not hold."""


# ---------------------------------------------------------------- rules
@dataclass(frozen=True)
class Condition:
    """One active condition reported by a rule: ``key`` names what is in alarm (a
    station, a camera), ``text`` is written with the live ``value``; ``priority``
    overrides the rule's for this key (river above BĐ3: 1, above BĐ1: 3).

    ``message`` makes the text translatable: ``(context, template, args)``, where
    ``template`` is English with ``str.format`` fields (declared for translation with
    ``QT_TRANSLATE_NOOP(context, template)``) and ``args`` are numbers or texts from the
    data (names, times).  ``text`` is then the English rendering (what the journal and
    the headless commands show); a view translates the template and formats it with the
    same args.  Build both with :meth:`Condition.of`.
    """

    key: str
    text: str
    value: float | str | None = None
    priority: int | None = None
    message: tuple[str, str, tuple] | None = None

    @classmethod
    def of(cls, key: str, context: str, template: str, *args: Any,
           value: float | str | None = None, priority: int | None = None) -> "Condition":
        """A condition whose text is ``template.format(*args)``, translatable later.
        An argument made by :func:`translatable` (a category, a kind) is translated too."""
        english = [a["text"] if is_translatable(a) else a for a in args]
        return cls(key, template.format(*english), value, priority,
                   (context, template, tuple(args)))


def translatable(context: str, text: str) -> dict:
    """An argument of :meth:`Condition.of` that a view translates (``text`` declared
    with ``QT_TRANSLATE_NOOP(context, text)``), e.g. a cyber event's category."""
    return {"ctx": context, "text": text}


def is_translatable(arg: Any) -> bool:
    return isinstance(arg, dict) and set(arg) == {"ctx", "text"}


class RuleContext:
    """What a condition callable may ask the engine about its own rule."""

    def __init__(self, engine: "AlarmEngine", rule: "AlarmRule"):
        self._engine = engine
        self._rule = rule

    def held(self, key: str) -> bool:
        """Did this key's condition hold at the previous evaluation (raised and not
        clearing, or waiting for its on-delay)?"""
        return self._engine._holding(self._rule.id, key)

    def beyond(self, key: str, value: float | None, threshold: float, *,
               above: bool = True) -> bool:
        """``value`` at or beyond ``threshold`` (above it, or below it with
        ``above=False``), with the rule's deadband once the key is holding."""
        if value is None or isinstance(value, bool) or not isinstance(value, (int, float)) \
                or math.isnan(value):
            return False
        margin = self._rule.deadband if self.held(key) else 0.0
        if above:
            return value >= threshold - margin
        return value <= threshold + margin


ConditionFn = Callable[[Any, RuleContext], Iterable[Condition]]


@dataclass(frozen=True)
class AlarmRule:
    """A plugin's alarm rule.

    ``condition(model, ctx)`` returns the conditions active now (see
    :class:`RuleContext` for the deadband).  ``suppresses`` lists rule ids suppressed by
    design while this rule has an active alarm (they stay listed, grouped under it).
    ``source`` is ``(topic, key_mapper)`` so a view can bring the source forward: the
    mapper turns an alarm key into the topic's key (``None``: the same key).
    """

    id: str
    priority: int
    condition: ConditionFn
    on_delay_s: float = 0.0
    off_delay_s: float = 0.0
    deadband: float = 0.0
    latching: bool = False
    suppresses: tuple[str, ...] = ()
    source: tuple[str, Callable[[str], str] | None] | None = None

    def __post_init__(self):
        if not self.id or "/" in self.id:
            raise ValueError(f"alarm rule id must be non-empty and without '/': {self.id!r}")
        if self.priority not in PRIORITIES:
            raise ValueError(f"{self.id}: priority must be 1-4, not {self.priority!r}")
        if min(self.on_delay_s, self.off_delay_s, self.deadband) < 0:
            raise ValueError(f"{self.id}: delays and deadband must be >= 0")
        object.__setattr__(self, "suppresses", tuple(self.suppresses))


# ---------------------------------------------------------------- alarms and transitions
@dataclass
class Alarm:
    """One (rule, key) alarm.  The engine hands out copies; ``state`` is derived."""

    id: str
    rule: str
    key: str
    priority: int
    text: str = ""
    value: float | str | None = None          # the newest evaluation's, while active
    #: ``[context, template, [args]]`` to translate ``text`` at display (see Condition)
    message: list | None = None
    source_topic: str | None = None
    source_key: str | None = None
    active: bool = False                      # the condition, after on/off delays
    acked: bool = True
    latched: bool = False
    raised_at: float | None = None
    cleared_at: float | None = None
    acked_at: float | None = None
    acked_by: str | None = None
    shelved: bool = False
    shelved_by: str | None = None
    shelved_at: float | None = None
    shelved_until: float | None = None
    shelve_reason: str | None = None
    suppressed_by: str | None = None          # the suppressing alarm's id
    out_of_service: bool = False
    oos_by: str | None = None
    oos_at: float | None = None
    oos_reason: str | None = None
    clearing_since: float | None = None       # off-delay running since
    changes: list[float] = field(default_factory=list)   # raise/clear times, last minute
    updated_at: float | None = None

    @property
    def state(self) -> str:
        if self.out_of_service:
            return OUT_OF_SERVICE
        if self.shelved:
            return SHELVED
        if self.suppressed_by is not None:
            return SUPPRESSED
        if self.active:
            return ACKNOWLEDGED if self.acked else UNACKNOWLEDGED
        if self.latched:
            return LATCHED
        return NORMAL if self.acked else RTN_UNACKNOWLEDGED

    @property
    def unacknowledged(self) -> bool:
        """Waiting for an operator (what the banner and the annunciator follow)."""
        return not self.acked and self.state in ANNUNCIATED

    def chattering(self, now: float) -> bool:
        recent = [t for t in self.changes if now - CHATTER_WINDOW_S <= t <= now]
        return len(recent) >= CHATTER_TRANSITIONS

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "Alarm":
        names = _ALARM_FIELDS.get(cls)
        if names is None:       # computed once: review builds thousands per jump
            names = _ALARM_FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls))
        return cls(**{k: v for k, v in data.items() if k in names})


_ALARM_FIELDS: dict[type, frozenset[str]] = {}


@dataclass(frozen=True)
class Transition:
    """One journaled step.  ``alarm_id``/``rule``/``key``/states are None for a silence."""

    alarm_id: str | None
    rule: str | None
    key: str | None
    event: str
    from_state: str | None
    to_state: str | None
    at: float
    user: str | None = None
    reason: str | None = None
    value: float | str | None = None
    priority: int | None = None
    until: float | None = None
    action_id: str | None = None


@dataclass(frozen=True)
class Summary:
    """What the operator's views need, ordered by priority then raise time."""

    active: list[Alarm]                       # annunciated (ANNUNCIATED states)
    suppressed: dict[str, list[Alarm]]        # suppressing alarm id -> alarms under it
    shelved: list[Alarm]
    out_of_service: list[Alarm]
    unacknowledged: dict[int, int]            # priority -> count

    @property
    def top_unacknowledged(self) -> Alarm | None:
        return next((a for a in self.active if a.unacknowledged), None)


def _order(alarm: Alarm):
    return (alarm.priority, alarm.raised_at if alarm.raised_at is not None else math.inf,
            alarm.id)


def summarise(alarms: Iterable[Alarm]) -> Summary:
    """The summary of these alarms (sorted here by priority then raise time).  It holds
    these objects, not copies: the engine passes copies of its own."""
    everything = sorted(alarms, key=_order)
    active: list[Alarm] = []
    suppressed: dict[str, list[Alarm]] = {}
    shelved: list[Alarm] = []
    out_of_service: list[Alarm] = []
    unacked: dict[int, int] = {p: 0 for p in PRIORITIES}
    for alarm in everything:
        state = alarm.state             # (a property: once per alarm, a review sums thousands)
        if state in ANNUNCIATED:
            active.append(alarm)
            if not alarm.acked:         # = alarm.unacknowledged
                unacked[alarm.priority] += 1
        elif state == SUPPRESSED:
            suppressed.setdefault(alarm.suppressed_by, []).append(alarm)
        elif state == SHELVED:
            shelved.append(alarm)
        elif state == OUT_OF_SERVICE:
            out_of_service.append(alarm)
    return Summary(active=active, suppressed=suppressed, shelved=shelved,
                   out_of_service=out_of_service, unacknowledged=unacked)


@dataclass
class _Pending:
    since: float                              # the condition holds since (on-delay)
    condition: Condition


# ---------------------------------------------------------------- the engine
class AlarmEngine:
    def __init__(self):
        self._rules: dict[str, AlarmRule] = {}
        self._plugins: dict[str, list[AlarmRule]] = {}
        self._suppressors: dict[str, list[str]] = {}          # rule -> rules suppressing it
        self._alarms: dict[str, Alarm] = {}
        self._by_rule: dict[str, dict[str, Alarm]] = {}
        self._pending: dict[str, dict[str, _Pending]] = {}    # rule -> key -> on-delay
        self._actions: OrderedDict[str, None] = OrderedDict()
        self._dirty: set[str] = set()
        self.rule_failures: Counter[str] = Counter()        # rule id -> failed evaluations
        self.bad_conditions: Counter[str] = Counter()       # rule id -> malformed conditions

    # ------------------------------------------------------------ registration
    def add_rules(self, plugin: str, rules: Iterable[AlarmRule]) -> None:
        rules = list(rules)
        for rule in rules:
            if rule.id in self._rules:
                raise ValueError(f"alarm rule {rule.id!r} is already registered")
        for rule in rules:
            self._rules[rule.id] = rule
            for target in rule.suppresses:
                self._suppressors.setdefault(target, []).append(rule.id)
        self._plugins.setdefault(plugin, []).extend(rules)

    def rule(self, rule_id: str) -> AlarmRule | None:
        return self._rules.get(rule_id)

    def plugin_rules(self, plugin: str) -> list[AlarmRule]:
        """The rules ``plugin`` registered (none: an empty list)."""
        return list(self._plugins.get(plugin, ()))

    # ------------------------------------------------------------ evaluation
    def evaluate(self, plugin: str, model: Any, now: float) -> list[Transition]:
        """Run every rule the plugin registered over its model."""
        if plugin not in self._plugins:
            raise KeyError(f"no alarm rules registered for {plugin!r}")
        out: list[Transition] = []
        for rule in self._plugins[plugin]:
            out += self._evaluate(rule, model, now)
        return out + self._update_suppression(now)

    def evaluate_rule(self, rule_id: str, model: Any, now: float) -> list[Transition]:
        return self._evaluate(self._rules[rule_id], model, now) + self._update_suppression(now)

    def tick(self, now: float) -> list[Transition]:
        """Timers: on-delays and off-delays that ran out, shelves that expired."""
        out: list[Transition] = []
        for rule_id, pending in self._pending.items():
            rule = self._rules[rule_id]
            for key, p in list(pending.items()):
                if now - p.since >= rule.on_delay_s:
                    out += self._raise(rule, p.condition, now)
        for alarm in list(self._alarms.values()):
            rule = self._rules.get(alarm.rule)
            if (rule and alarm.active and alarm.clearing_since is not None
                    and now - alarm.clearing_since >= rule.off_delay_s):
                out += self._clear(alarm, rule, now)
            if alarm.shelved and alarm.shelved_until is not None and alarm.shelved_until <= now:
                before = alarm.state
                self._clear_shelve(alarm)
                out.append(self._transition(alarm, "expire", before, now))
        return out + self._update_suppression(now)

    def _evaluate(self, rule: AlarmRule, model: Any, now: float) -> list[Transition]:
        try:
            conditions = self._collect(rule, model)
        except Exception:
            # a plugin's bug must not stop the other rules: its alarms stay as they were
            log.exception("alarm rule %s failed", rule.id)
            self.rule_failures[rule.id] += 1
            return []
        out: list[Transition] = []
        pending = self._pending.setdefault(rule.id, {})
        alarms = self._by_rule.setdefault(rule.id, {})
        for key, cond in conditions.items():
            alarm = alarms.get(key)
            if alarm is not None and alarm.active:
                out += self._follow(alarm, rule, cond, now)
                continue
            since = pending[key].since if key in pending else now
            pending[key] = _Pending(since, cond)
            if now - since >= rule.on_delay_s:
                out += self._raise(rule, cond, now)
        for key in [k for k in pending if k not in conditions]:
            del pending[key]                    # gone before its on-delay: never raised
        for alarm in list(alarms.values()):
            if alarm.active and alarm.key not in conditions:
                if alarm.clearing_since is None:
                    alarm.clearing_since = now
                    self._dirty.add(alarm.id)
                if now - alarm.clearing_since >= rule.off_delay_s:
                    out += self._clear(alarm, rule, now)
        return out

    def _collect(self, rule: AlarmRule, model: Any) -> dict[str, Condition]:
        conditions: dict[str, Condition] = {}
        for cond in rule.condition(model, RuleContext(self, rule)):
            if (not isinstance(cond, Condition) or not isinstance(cond.key, str)
                    or not isinstance(cond.text, str)
                    or (cond.priority is not None and cond.priority not in PRIORITIES)):
                self.bad_conditions[rule.id] += 1
                continue
            conditions[cond.key] = cond         # the same key twice: the last one wins
        return conditions

    def _holding(self, rule_id: str, key: str) -> bool:
        if key in self._pending.get(rule_id, {}):
            return True
        alarm = self._by_rule.get(rule_id, {}).get(key)
        return alarm is not None and alarm.active and alarm.clearing_since is None

    def _follow(self, alarm: Alarm, rule: AlarmRule, cond: Condition,
                now: float) -> list[Transition]:
        """An active alarm whose condition still holds: carry the live text and value."""
        priority = cond.priority or rule.priority
        message = _message(cond)
        if (alarm.text, alarm.value, alarm.priority, alarm.clearing_since, alarm.message) != \
                (cond.text, cond.value, priority, None, message):
            self._dirty.add(alarm.id)
        escalated = priority < alarm.priority
        alarm.text, alarm.value, alarm.priority = cond.text, cond.value, priority
        alarm.message = message
        alarm.clearing_since = None
        if escalated and alarm.state == ACKNOWLEDGED:
            # acknowledged at a lower priority: the operator must see it again
            alarm.acked, alarm.acked_at, alarm.acked_by = False, None, None
            return [self._transition(alarm, "raise", ACKNOWLEDGED, now)]
        return []

    def _raise(self, rule: AlarmRule, cond: Condition, now: float) -> list[Transition]:
        self._pending.get(rule.id, {}).pop(cond.key, None)
        alarm = self._by_rule.get(rule.id, {}).get(cond.key)
        if alarm is None:
            alarm = self._new_alarm(rule, cond.key)
        before = alarm.state
        alarm.active, alarm.acked, alarm.latched = True, False, False
        alarm.raised_at, alarm.cleared_at, alarm.clearing_since = now, None, None
        alarm.acked_at = alarm.acked_by = None
        alarm.text, alarm.value, alarm.message = cond.text, cond.value, _message(cond)
        alarm.priority = cond.priority or rule.priority
        alarm.suppressed_by = self._suppressor_for(alarm)
        self._note_change(alarm, now)
        return [self._transition(alarm, "raise", before, now)]

    def _clear(self, alarm: Alarm, rule: AlarmRule, now: float) -> list[Transition]:
        before = alarm.state
        alarm.active, alarm.latched = False, rule.latching
        alarm.cleared_at, alarm.clearing_since = now, None
        self._note_change(alarm, now)
        return [self._transition(alarm, "clear", before, now)]

    def _new_alarm(self, rule: AlarmRule, key: str) -> Alarm:
        topic = source_key = None
        if rule.source is not None:
            topic, mapper = rule.source
            try:
                source_key = mapper(key) if mapper else key
            except Exception:
                log.exception("alarm rule %s: source key mapper failed", rule.id)
                source_key = key
        alarm = Alarm(alarm_id_for(rule.id, key), rule.id, key, rule.priority,
                      source_topic=topic, source_key=source_key)
        self._add(alarm)
        return alarm

    def _add(self, alarm: Alarm) -> None:
        self._alarms[alarm.id] = alarm
        self._by_rule.setdefault(alarm.rule, {})[alarm.key] = alarm
        self._dirty.add(alarm.id)

    @staticmethod
    def _note_change(alarm: Alarm, now: float) -> None:
        alarm.changes = [t for t in alarm.changes if now - t < CHATTER_WINDOW_S] + [now]

    # ------------------------------------------------------------ suppression by design
    def _suppressor_for(self, alarm: Alarm) -> str | None:
        """The oldest active, in-service alarm of a rule that suppresses this one's."""
        if not alarm.active:
            return None
        candidates = [a for rule_id in self._suppressors.get(alarm.rule, ())
                      for a in self._by_rule.get(rule_id, {}).values()
                      if a.active and not a.out_of_service and a.id != alarm.id]
        return min(candidates, key=_order).id if candidates else None

    def _update_suppression(self, now: float) -> list[Transition]:
        out: list[Transition] = []
        for alarm in list(self._alarms.values()):
            if alarm.rule not in self._suppressors and alarm.suppressed_by is None:
                continue
            wanted = self._suppressor_for(alarm)
            if wanted == alarm.suppressed_by:
                continue
            before = alarm.state
            if alarm.suppressed_by is not None and wanted is not None:
                alarm.suppressed_by = wanted    # another suppressor took over: no change
                self._dirty.add(alarm.id)
            elif wanted is not None:
                alarm.suppressed_by = wanted
                out.append(self._transition(alarm, "suppress", before, now))
            else:
                alarm.suppressed_by = None
                self._leave_overlay(alarm)
                out.append(self._transition(alarm, "unsuppress", before, now))
        return out

    # ------------------------------------------------------------ operator actions
    def acknowledge(self, alarm_id: str, *, user: str, now: float, reason: str | None = None,
                    action_id: str | None = None) -> list[Transition]:
        def apply(alarm: Alarm) -> str | None:
            if alarm.state not in (UNACKNOWLEDGED, RTN_UNACKNOWLEDGED, LATCHED):
                return None
            alarm.acked, alarm.latched = True, False
            alarm.acked_at, alarm.acked_by = now, user
            return "acknowledge"
        return self._act(alarm_id, action_id, user, now, reason, apply)

    def reset(self, alarm_id: str, *, user: str, now: float, reason: str | None = None,
              action_id: str | None = None) -> list[Transition]:
        """Reset a latched alarm (acknowledging it does the same)."""
        def apply(alarm: Alarm) -> str | None:
            if alarm.state != LATCHED:
                return None
            alarm.latched, alarm.acked = False, True
            if alarm.acked_at is None:
                alarm.acked_at, alarm.acked_by = now, user
            return "reset"
        return self._act(alarm_id, action_id, user, now, reason, apply)

    def shelve(self, alarm_id: str, *, until: float, reason: str, user: str, now: float,
               action_id: str | None = None) -> list[Transition]:
        if until <= now:
            raise ValueError("a shelve must end in the future")
        if not reason:
            raise ValueError("shelving needs a reason")

        def apply(alarm: Alarm) -> str | None:
            if alarm.out_of_service:
                return None
            alarm.shelved, alarm.shelved_by, alarm.shelved_at = True, user, now
            alarm.shelved_until, alarm.shelve_reason = until, reason
            return "shelve"
        return self._act(alarm_id, action_id, user, now, reason, apply, until=until)

    def unshelve(self, alarm_id: str, *, user: str, now: float, reason: str | None = None,
                 action_id: str | None = None) -> list[Transition]:
        def apply(alarm: Alarm) -> str | None:
            if not alarm.shelved:
                return None
            self._clear_shelve(alarm)
            return "unshelve"
        return self._act(alarm_id, action_id, user, now, reason, apply)

    def remove_from_service(self, alarm_id: str, *, reason: str, user: str, now: float,
                            action_id: str | None = None) -> list[Transition]:
        if not reason:
            raise ValueError("taking an alarm out of service needs a reason")

        def apply(alarm: Alarm) -> str | None:
            if alarm.out_of_service:
                return None
            alarm.shelved, alarm.shelved_by, alarm.shelved_at = False, None, None
            alarm.shelved_until = alarm.shelve_reason = None     # out of service replaces it
            alarm.out_of_service, alarm.oos_by, alarm.oos_at = True, user, now
            alarm.oos_reason = reason
            return "out_of_service"
        return self._act(alarm_id, action_id, user, now, reason, apply)

    def return_to_service(self, alarm_id: str, *, user: str, now: float,
                          reason: str | None = None,
                          action_id: str | None = None) -> list[Transition]:
        def apply(alarm: Alarm) -> str | None:
            if not alarm.out_of_service:
                return None
            alarm.out_of_service = False
            alarm.oos_by = alarm.oos_at = alarm.oos_reason = None
            self._leave_overlay(alarm)
            return "return_to_service"
        return self._act(alarm_id, action_id, user, now, reason, apply)

    def silence(self, priority: int | None, *, until: float, user: str, now: float,
                reason: str | None = None, action_id: str | None = None) -> list[Transition]:
        """Mute the tones of ``priority`` and every lower one (None: all) until
        ``until``.  Not an acknowledgement: no alarm changes; the annunciator
        (:mod:`ioc_desktop.alarms.annunciator`) acts on the transition."""
        if priority is not None and priority not in PRIORITIES:
            raise ValueError(f"priority must be 1-4 or None, not {priority!r}")
        if self._seen(action_id):
            return []
        self._remember(action_id)
        return [Transition(None, None, None, "silence", None, None, now, user, reason,
                           None, priority, until, action_id)]

    def _act(self, alarm_id: str, action_id: str | None, user: str, now: float,
             reason: str | None, apply: Callable[[Alarm], str | None],
             until: float | None = None) -> list[Transition]:
        if self._seen(action_id):
            return []                           # relayed back, or sent twice: applied once
        alarm = self._alarms.get(alarm_id)
        if alarm is None:
            raise UnknownAlarm(alarm_id)
        before = alarm.state
        event = apply(alarm)
        self._remember(action_id)
        if event is None:
            return []
        out = [self._transition(alarm, event, before, now, user=user, reason=reason,
                                until=until, action_id=action_id)]
        return out + self._update_suppression(now)   # an out-of-service suppressor lets go

    def _seen(self, action_id: str | None) -> bool:
        return action_id is not None and action_id in self._actions

    def _remember(self, action_id: str | None) -> None:
        if action_id is None:
            return
        self._actions[action_id] = None
        while len(self._actions) > MAX_REMEMBERED_ACTIONS:
            self._actions.popitem(last=False)

    def _clear_shelve(self, alarm: Alarm) -> None:
        alarm.shelved, alarm.shelved_by, alarm.shelved_at = False, None, None
        alarm.shelved_until = alarm.shelve_reason = None
        self._leave_overlay(alarm)

    @staticmethod
    def _leave_overlay(alarm: Alarm) -> None:
        """The last overlay lifted: annunciate it again if active, else back to normal
        (what happened meanwhile is in the journal; nothing is left to acknowledge)."""
        if alarm.out_of_service or alarm.shelved or alarm.suppressed_by is not None:
            return
        alarm.acked, alarm.latched = not alarm.active, False
        if alarm.active:
            alarm.acked_at = alarm.acked_by = None

    def _transition(self, alarm: Alarm, event: str, before: str, now: float, *,
                    user: str | None = None, reason: str | None = None,
                    until: float | None = None, action_id: str | None = None) -> Transition:
        alarm.updated_at = now
        self._dirty.add(alarm.id)
        return Transition(alarm.id, alarm.rule, alarm.key, event, before, alarm.state, now,
                          user, reason, alarm.value, alarm.priority, until, action_id)

    # ------------------------------------------------------------ reading
    def get(self, alarm_id: str) -> Alarm | None:
        alarm = self._alarms.get(alarm_id)
        return dataclasses.replace(alarm) if alarm else None

    def alarms(self) -> list[Alarm]:
        """Every alarm held, in any state (copies), by priority then raise time."""
        return sorted((dataclasses.replace(a) for a in self._alarms.values()), key=_order)

    def active(self) -> list[Alarm]:
        """The alarm summary's rows: annunciated alarms (not normal, shelved,
        suppressed or out of service), by priority then raise time."""
        return [a for a in self.alarms() if a.state in ANNUNCIATED]

    def summary(self) -> Summary:
        return summarise(self.alarms())

    def chattering(self, now: float) -> list[Alarm]:
        return [a for a in self.alarms() if a.chattering(now)]

    def take_changed(self) -> list[Alarm]:
        """Alarms changed (state, live value, timers) since the last call: what the
        journal's ``record`` should write to the ``alarms`` table."""
        changed = [dataclasses.replace(self._alarms[i]) for i in self._dirty if i in self._alarms]
        self._dirty.clear()
        return sorted(changed, key=_order)

    def restore(self, alarms: Iterable[Alarm], action_ids: Iterable[str] = ()) -> None:
        """Reset to the given alarms (after a restart, or a past state for review).
        On-delays in progress are forgotten: a condition must hold its on-delay again."""
        self._alarms.clear()
        self._by_rule.clear()
        self._pending.clear()
        self._actions.clear()
        for alarm in alarms:
            self._add(dataclasses.replace(alarm, changes=list(alarm.changes)))
        self._dirty.clear()
        for action_id in action_ids:
            self._remember(action_id)
