"""The dispatch workflow of citizen field reports (phản ánh hiện trường): states,
actions, who may take them, deadlines.  Pure Python, no Qt, no I/O.

One module serves both sides: the backend applies actions with it (the authority), the
client uses it to offer only what the user's role and the report's state allow.  They
reach the core through the topic's :data:`TOPIC_ACTIONS` (the plugin API's
``TopicActions``): the demo backend's decision, the outbox's check before queuing, and
what an agency may see (:func:`for_agency`).

States: received → verified → assigned → in_progress → resolved → closed, plus
rejected; reopen sends a finished report back to work.  Open311's ``status`` follows:
``closed`` exactly for closed and rejected, ``open`` otherwise.

Every applied action appends an entry to the report's ``history`` (who, when, what),
which is what the SLA clocks and the details pane read.
"""
from __future__ import annotations

import copy
import functools
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Mapping

from ioc_desktop.plugin_api import ActionRefused, ActionUser, TopicActions

VN_TZ = timezone(timedelta(hours=7))

RECEIVED, VERIFIED, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED, REJECTED = (
    "received", "verified", "assigned", "in_progress", "resolved", "closed", "rejected")
STATES = (RECEIVED, VERIFIED, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED, REJECTED)
FINISHED = (CLOSED, REJECTED)
OPEN_STATES = tuple(s for s in STATES if s not in FINISHED)
PRIORITIES = ("normal", "high", "urgent")
REJECT_REASONS = ("invalid", "out_of_scope", "duplicate")

VIEWER, OPERATOR, SUPERVISOR, AGENCY = "viewer", "operator", "supervisor", "agency"

TIMED, IMMEDIATE = "timed", "immediate"


@dataclass(frozen=True)
class Deadlines:
    """How long each step may take, per process class."""

    verify: timedelta
    assign: timedelta
    resolve: timedelta


@dataclass
class WorkflowConfig:
    """Deadlines by category and process class; what makes a report *immediate*.

    Defaults are the demo's; production values come from configuration (DOMAIN.md:
    "where a fact matters in production it must come from configuration").
    """

    timed: dict[str, Deadlines] = field(default_factory=lambda: {
        "*": Deadlines(timedelta(hours=4), timedelta(hours=8), timedelta(days=5)),
        "HTGT": Deadlines(timedelta(hours=2), timedelta(hours=4), timedelta(days=3)),
        "VSMT": Deadlines(timedelta(hours=4), timedelta(hours=8), timedelta(days=2)),
        "TTXD": Deadlines(timedelta(hours=8), timedelta(hours=24), timedelta(days=10)),
    })
    immediate: Deadlines = Deadlines(timedelta(minutes=15), timedelta(minutes=30), timedelta(hours=4))
    # Categories always handled at once (safety) and words that make any report urgent.
    immediate_categories: tuple[str, ...] = ("ANTT",)
    # Folded words or phrases, matched as whole words ("lu" is lũ, not the "lu" of "sụt
    # lún"); fire is named by phrases, because "chay" alone is also chảy (flow), chạy (run).
    immediate_words: tuple[str, ...] = ("ngap", "lu", "lut", "sat lo", "dam chay", "chay nha",
                                        "chay no", "hoa hoan", "tai nan", "dien giat",
                                        "cay do", "flood", "fire")
    due_soon_share: float = 0.2          # "due soon" in the last 20 % of a step's time

    def deadlines(self, data: dict) -> Deadlines:
        if process_class(data, self) == IMMEDIATE:
            return self.immediate
        return self.timed.get(data.get("service_code") or "", self.timed["*"])


DEFAULT_CONFIG = WorkflowConfig()


# --------------------------------------------------------------------------- helpers
def _fold_slow(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(c for c in decomposed if unicodedata.category(c) != "Mn").lower()


class _FoldTable(dict):
    """code point -> its fold, filled as characters are met (for str.translate).

    Folding character by character equals folding the whole text unless the text holds
    a character whose result depends on its neighbours: Σ (final sigma in lower()) or a
    kept combining character that canonical reordering could move; those go the slow
    way (:data:`_FOLD_UNSAFE`).
    """

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        decomposed = unicodedata.normalize("NFD", ch)
        if "\u03a3" in decomposed or any(unicodedata.combining(c) and unicodedata.category(c) != "Mn"
                                          for c in decomposed):
            _FOLD_UNSAFE.add(ch)
        value = self[code] = _fold_slow(ch)
        return value


_FOLD_TABLE = _FoldTable()
_FOLD_UNSAFE: set[str] = set()


def fold(text: str | None) -> str:
    """Lower case without diacritics (đ -> d): 'Ngập lụt' -> 'ngap lut' (search, rules)."""
    if not text:
        return ""
    if text.isascii():
        return text.lower()
    folded = text.translate(_FOLD_TABLE)        # fast, and the same result …
    return folded if _FOLD_UNSAFE.isdisjoint(text) else _fold_slow(text)   # … but here


def process_class(data: dict, config: WorkflowConfig = DEFAULT_CONFIG) -> str:
    """``immediate`` for urgent, safety or flooding reports, else ``timed``."""
    if data.get("process") in (TIMED, IMMEDIATE):
        return data["process"]
    if data.get("priority") == "urgent" or data.get("service_code") in config.immediate_categories:
        return IMMEDIATE
    text = fold(f"{data.get('description') or ''} {data.get('service_name') or ''}")
    words = " " + " ".join(_WORD.findall(text)) + " "
    return IMMEDIATE if any(f" {w} " in words for w in config.immediate_words) else TIMED


_WORD = re.compile(r"\w+")


def parse_time(text: str | None) -> datetime | None:
    if not text:
        return None
    return _parse_time(text)


# A report's times recur in every version of it (and a review meets each version again
# at every jump): parsed and formatted once.  datetimes are immutable, safe to share.
@functools.lru_cache(maxsize=65_536)
def _parse_time(text: str) -> datetime | None:
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)


@functools.lru_cache(maxsize=65_536)
def iso(dt: datetime) -> str:
    return dt.astimezone(VN_TZ).isoformat(timespec="seconds")


def ioc_state(data: dict) -> str:
    state = data.get("ioc_status")
    if state in STATES:
        return state
    return CLOSED if data.get("status") == "closed" else RECEIVED


def open311_status(state: str) -> str:
    return "closed" if state in FINISHED else "open"


# --------------------------------------------------------------------------- actions
@dataclass(frozen=True)
class ActionSpec:
    name: str
    roles: tuple[str, ...]               # who may take it
    from_states: tuple[str, ...]         # where it applies
    to_state: str | None                 # None: the state doesn't change
    bulk: bool = True                    # offered on a multi-selection


ACTIONS: dict[str, ActionSpec] = {a.name: a for a in (
    ActionSpec("verify", (SUPERVISOR,), (RECEIVED,), VERIFIED),
    ActionSpec("reject", (SUPERVISOR,), (RECEIVED, VERIFIED), REJECTED),
    ActionSpec("assign", (SUPERVISOR,), (VERIFIED, ASSIGNED, IN_PROGRESS), ASSIGNED),
    ActionSpec("start", (AGENCY, SUPERVISOR), (ASSIGNED,), IN_PROGRESS),
    ActionSpec("note", (OPERATOR, SUPERVISOR, AGENCY), OPEN_STATES + FINISHED, None),
    ActionSpec("set_priority", (SUPERVISOR,), OPEN_STATES, None),
    ActionSpec("resolve", (SUPERVISOR, AGENCY), (ASSIGNED, IN_PROGRESS), RESOLVED),
    ActionSpec("close", (SUPERVISOR,), (RESOLVED,), CLOSED),
    ActionSpec("reopen", (SUPERVISOR,), (RESOLVED, CLOSED, REJECTED), VERIFIED),
    ActionSpec("merge", (SUPERVISOR,), (RECEIVED, VERIFIED, ASSIGNED), REJECTED, bulk=True),
)}


def allowed_actions(data: dict, roles: tuple[str, ...] | list[str]) -> list[str]:
    """Actions this user may take on this report now (what the UI offers)."""
    state = ioc_state(data)
    return [a.name for a in ACTIONS.values()
            if state in a.from_states and set(roles) & set(a.roles)]


def _text(args: dict, name: str, *, required: bool = True, max_len: int = 2000) -> str | None:
    value = args.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ActionRefused("bad_request", f"'{name}' is required")
        return None
    if not isinstance(value, str) or len(value) > max_len:
        raise ActionRefused("bad_request", f"'{name}' must be text of at most {max_len} characters")
    return value


def apply_action(data: dict, name: str, args: dict, *, user: str, roles: tuple[str, ...] | list[str],
                 now: datetime, config: WorkflowConfig = DEFAULT_CONFIG,
                 lookup: Callable[[str], dict | None] | None = None) -> dict[str, dict]:
    """Apply one action; returns the changed reports by key (a merge changes two).

    Raises :class:`ActionRefused` when the role, the state or the arguments don't allow
    it.  ``lookup(key)`` finds another report (for merge).  ``data`` is not modified.
    """
    spec = ACTIONS.get(name)
    if spec is None:
        raise ActionRefused("bad_request", f"unknown action {name!r}")
    if not isinstance(args, dict):
        raise ActionRefused("bad_request", "'args' must be an object")
    if not set(roles) & set(spec.roles):
        raise ActionRefused("forbidden", f"{name} needs the role {' or '.join(spec.roles)}")
    state = ioc_state(data)
    if state not in spec.from_states:
        raise ActionRefused("conflict", f"cannot {name} a report that is {state}")
    key = data.get("service_request_id")
    new = copy.deepcopy(data)
    entry: dict[str, Any] = {"action": name, "by": user, "at": iso(now), "from": state}
    deadlines = config.deadlines(new)

    if name == "verify":
        new.setdefault("process", process_class(new, config))
    elif name == "reject":
        reason = _text(args, "reason", max_len=40)
        if reason not in REJECT_REASONS:
            raise ActionRefused("bad_request", f"reject reason must be one of {list(REJECT_REASONS)}")
        entry["reason"] = reason
        entry["note"] = _text(args, "note", required=False)
    elif name == "assign":
        agency = _text(args, "agency", max_len=200)
        due_text = args.get("due")
        due = parse_time(due_text) if isinstance(due_text, str) else None
        if due_text is not None and due is None:
            raise ActionRefused("bad_request", "'due' must be an RFC 3339 time")
        if due is None:
            due = now + deadlines.resolve
        if due <= now:
            raise ActionRefused("bad_request", "'due' must be in the future")
        new["agency_responsible"] = agency
        new["expected_datetime"] = iso(due)
        entry.update(agency=agency, due=new["expected_datetime"])
    elif name == "note":
        entry["note"] = _text(args, "text")
    elif name == "set_priority":
        priority = args.get("priority")
        if priority not in PRIORITIES:
            raise ActionRefused("bad_request", f"priority must be one of {list(PRIORITIES)}")
        entry.update(old=new.get("priority", "normal"), new=priority)
        new["priority"] = priority
        if priority == "urgent":
            new["process"] = IMMEDIATE
    elif name == "resolve":
        result = _text(args, "result")
        new["status_notes"] = result
        entry["result"] = result
    elif name == "reopen":
        entry["reason"] = _text(args, "reason")
    elif name == "merge":
        target_key = _text(args, "into", max_len=64)
        if target_key == key:
            raise ActionRefused("bad_request", "a report cannot be merged into itself")
        target = lookup(target_key) if lookup else None
        if target is None:
            raise ActionRefused("not_found", f"no report {target_key!r} to merge into")
        if ioc_state(target) in FINISHED:
            raise ActionRefused("conflict", f"{target_key} is {ioc_state(target)}: merge into an open report")
        new["merged_into"] = target_key
        entry.update(reason="duplicate", into=target_key)
        merged = copy.deepcopy(target)
        merged["merged_from"] = sorted(set(merged.get("merged_from") or []) | {key})
        merged.setdefault("history", []).append(
            {"action": "merged_from", "by": user, "at": iso(now), "from": ioc_state(target), "key": key})
        merged["updated_datetime"] = iso(now)
        to_state = spec.to_state
        _move(new, to_state, entry, now)
        return {key: new, target_key: merged}

    _move(new, spec.to_state, entry, now)
    return {key: new}


def _move(new: dict, to_state: str | None, entry: dict, now: datetime) -> None:
    if to_state is not None:
        new["ioc_status"] = to_state
        new["status"] = open311_status(to_state)
    entry["to"] = new["ioc_status"] if "ioc_status" in new else to_state
    new.setdefault("history", []).append({k: v for k, v in entry.items() if v is not None})
    new["updated_datetime"] = iso(now)


# --------------------------------------------------------------------------- SLA
OK, DUE_SOON, OVERDUE = "ok", "due_soon", "overdue"


@dataclass(frozen=True)
class Clock:
    """One SLA step: when it started, when it is due, when it was done (if it was)."""

    step: str                  # verify / assign / resolve
    started: datetime
    due: datetime
    done: datetime | None

    def state(self, now: datetime, due_soon_share: float = DEFAULT_CONFIG.due_soon_share) -> str:
        end = self.done or now
        if end > self.due:
            return OVERDUE
        if self.done is None and now >= self.due - (self.due - self.started) * due_soon_share:
            return DUE_SOON
        return OK


def _first(history: list[dict], actions: tuple[str, ...]) -> datetime | None:
    for h in history:
        if h.get("action") in actions:
            return parse_time(h.get("at"))
    return None


def sla_clocks(data: dict, config: WorkflowConfig = DEFAULT_CONFIG) -> list[Clock]:
    """The time-to-verify, time-to-assign and time-to-resolve clocks of a report."""
    received = parse_time(data.get("requested_datetime"))
    if received is None:
        return []
    history = data.get("history") or []
    d = config.deadlines(data)
    verified = _first(history, ("verify",))
    assigned = _first(history, ("assign",))
    resolved = _first(history, ("resolve",))
    clocks = [Clock("verify", received, received + d.verify, verified)]
    start = verified or received
    clocks.append(Clock("assign", start, start + d.assign, assigned))
    due = parse_time(data.get("expected_datetime"))
    start = assigned or start
    clocks.append(Clock("resolve", start, due or start + d.resolve, resolved))
    return clocks


def running_due(data: dict, config: WorkflowConfig = DEFAULT_CONFIG,
                process: str | None = None) -> tuple[datetime | None, datetime | None]:
    """(the earliest due, the earliest "due soon" threshold) of the clocks of
    :func:`sla_clocks` still running (None, None: none runs), by the same arithmetic,
    without making the clocks: a review jump computes it for the ~1,000 reports the
    log changed since its checkpoint.  ``process``: the report's
    :func:`process_class` when the caller has it."""
    received = parse_time(data.get("requested_datetime"))
    if received is None:
        return None, None
    verified = assigned = resolved = None
    found = 0                                   # bits: verify, assign, resolve met
    for h in data.get("history") or []:
        action = h.get("action")                # (the first of each decides, as _first)
        if action == "verify" and not found & 1:
            found |= 1
            verified = parse_time(h.get("at"))
        elif action == "assign" and not found & 2:
            found |= 2
            assigned = parse_time(h.get("at"))
        elif action == "resolve" and not found & 4:
            found |= 4
            resolved = parse_time(h.get("at"))
    if process is None:
        process = process_class(data, config)
    d = config.immediate if process == IMMEDIATE else \
        config.timed.get(data.get("service_code") or "", config.timed["*"])
    share = config.due_soon_share
    due = soon = None
    expected = parse_time(data.get("expected_datetime"))
    start = verified or received
    resolve_start = assigned or start
    for started, due_at, done in ((received, received + d.verify, verified),
                                  (start, start + d.assign, assigned),
                                  (resolve_start, expected or resolve_start + d.resolve, resolved)):
        if done is None:
            threshold = due_at - (due_at - started) * share
            if due is None or due_at < due:
                due = due_at
            if soon is None or threshold < soon:
                soon = threshold
    return due, soon


def sla_state(data: dict, now: datetime, config: WorkflowConfig = DEFAULT_CONFIG) -> str:
    """The worst state of the clocks still running (finished reports are ``ok``)."""
    if ioc_state(data) in FINISHED:
        return OK
    states = [c.state(now, config.due_soon_share) for c in sla_clocks(data, config) if c.done is None]
    if OVERDUE in states:
        return OVERDUE
    return DUE_SOON if DUE_SOON in states else OK


# --------------------------------------------------------------------------- confidentiality
CONFIDENTIAL_FIELDS = ("reporter",)


def for_agency(data: dict) -> dict:
    """What may be forwarded or exported to an agency: the reporter's identity removed
    (DOMAIN.md: the reporter is confidential; agencies do not see it)."""
    out = {k: v for k, v in data.items() if k not in CONFIDENTIAL_FIELDS}
    if "history" in out:
        out["history"] = [{k: v for k, v in h.items() if k not in CONFIDENTIAL_FIELDS}
                          for h in out["history"]]
    return out


# --------------------------------------------------------------------------- the plugin hook
# How the topic's actions reach the core (plugin_api.TopicActions): the same rules on
# both sides, the backend's decision and the client's check before queuing.
def apply_on_backend(state: Mapping[str, dict], name: str, key: str, args: dict,
                     user: ActionUser, now: datetime) -> dict[str, dict]:
    """:func:`apply_action` on ``state[key]``; a merge finds its target in ``state``."""
    return apply_action(state[key], name, args, user=user.name, roles=user.roles, now=now,
                        lookup=state.get)


def check_on_client(name: str, key: str, args: dict, roles: tuple[str, ...],
                    data: dict | None, lookup: Callable[[str], dict | None] | None) -> None:
    """Refuse locally what the backend would refuse, with the backend's own reason.

    The same :func:`apply_action` runs here as in the backend (the role is checked
    first, then the report's state, then the arguments).  Without the report's ``data``
    only what doesn't depend on its state is checked (role, arguments).  A merge target
    unknown here is not refused: the backend may know it.
    """
    spec = ACTIONS.get(name)
    report = data if data is not None else {
        "service_request_id": key, "ioc_status": spec.from_states[0] if spec else RECEIVED}

    def find(other: str) -> dict | None:
        return (lookup(other) if lookup else None) or {"service_request_id": other}

    apply_action(report, name, args, user="", roles=tuple(roles),
                 now=datetime.now(timezone.utc), lookup=find)


def redact(data: dict, audience: tuple[str, ...]) -> dict:
    """Every client outside the IOC is an agency here: :func:`for_agency`."""
    return for_agency(data)


TOPIC_ACTIONS = TopicActions(apply=apply_on_backend, local_rule=check_on_client, redact=redact)
