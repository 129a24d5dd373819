"""Shared alarm actions: the protocol extension ``alarm-actions`` (no Qt, no I/O).

An operator's action on an alarm (acknowledge, reset, shelve, unshelve, out of
service, return to service, silence) is applied at once on the operator's own console
and, when the backend speaks the extension, goes through the durable outbox as an
``action`` on topic :data:`TOPIC`; the backend checks it (the same role rules as
here: :func:`check_action`) and publishes it on that topic, keyed by the action id, to
every subscribed console, which applies it with the same id (the alarm engine ignores
an id already applied, so the sender applies it once).  The wire format is in
:mod:`ioc_desktop.protocol`'s docstring.

What lives here, shared by the client (outbox, situation layer, headless commands) and
by any backend (the demo backend imports it; the core never imports a backend):

* :func:`request` — an operator's call (``action, target, until=…, reason=…``) as the
  action's ``key`` and ``args`` on the wire;
* :func:`check_action` — the rules, raising :class:`~ioc_desktop.plugin_api.ActionRefused`
  (the outbox's local rule and the backend's decision);
* :func:`relay_data` — what a backend publishes for an accepted action;
* :func:`validate_relayed` — the topic's validator: a relayed event is feed input,
  untrusted, refused with a reason (recorded in ``rejected``) when malformed;
* :func:`parse_relayed` — a stored, valid relayed event as a :class:`RelayedAction`
  for the situation layer;
* :data:`TOPIC_SPEC` — the topic's :class:`~ioc_desktop.plugin_api.TopicSpec` (no state
  table: its events stay in the cache's ``events`` log, for review);
* the sharing status a GUI shows (:data:`SHARED`, :data:`LOCAL_ONLY`,
  :data:`OFFLINE_QUEUED`) and :func:`status`.
"""
from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping

from ioc_desktop import protocol
from ioc_desktop.interop import VN_TZ
from ioc_desktop.plugin_api import (ActionRefused, ActionUser, TopicActions, TopicSpec,
                                    ValidationError, check_instant)

EXTENSION = protocol.ALARM_ACTIONS_EXTENSION
TOPIC = protocol.ALARM_ACTIONS_TOPIC

ACTIONS = ("acknowledge", "reset", "shelve", "unshelve", "remove_from_service",
           "return_to_service", "silence")
SUPERVISOR_ONLY = ("remove_from_service", "return_to_service")
OPERATOR, SUPERVISOR = "operator", "supervisor"
ACTING_ROLES = (OPERATOR, SUPERVISOR)
#: The ``key`` of a ``silence`` (it names a priority, not an alarm).
SILENCE_KEY = "*"
NEEDS_REASON = ("shelve", "remove_from_service")
NEEDS_UNTIL = ("shelve", "silence")

MAX_ID_LEN = 100                     # an action id (the demo backend's limit too)
MAX_ALARM_ID_LEN = protocol.MAX_KEY_LEN
MAX_REASON_LEN = 500
MAX_USER_LEN = 200
MAX_ROLES = 20

#: The sharing status of a console's alarm actions (``FeedService.alarm_sharing``).
SHARED = "shared"                    # live, the backend relays them to every console
LOCAL_ONLY = "local-only"            # the backend doesn't speak the extension
OFFLINE_QUEUED = "offline-queued"    # no link: applied here, queued for the next one
STATUSES = (SHARED, LOCAL_ONLY, OFFLINE_QUEUED)
#: The cache's meta key remembering what the last backend said (``shared`` or
#: ``local-only``), for the status while offline.
META_KEY = "alarm_sharing"

# Text that could disguise what a view shows (bidi overrides and isolates).
_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068",
         "\u2069"}


# ------------------------------------------------------------------------ times
def to_rfc3339(epoch: float) -> str:
    """Epoch seconds as RFC 3339 in Huế time, to the millisecond."""
    return datetime.fromtimestamp(epoch, VN_TZ).isoformat(timespec="milliseconds")


def from_rfc3339(text: str) -> float:
    """Epoch seconds of an RFC 3339 time with its offset; ValueError otherwise."""
    return check_instant(text).timestamp()


# ------------------------------------------------------------------------ checks
def text_problem(value: Any, max_len: int) -> str | None:
    """Why ``value`` can't be a user's text here (not text, too long, control or bidi
    characters other than newline and tab), or None."""
    if not isinstance(value, str):
        return f"expected text, got {type(value).__name__}"
    if len(value) > max_len:
        return f"text longer than {max_len} characters"
    for c in value:
        if c in "\n\t":
            continue
        if c in _BIDI or unicodedata.category(c) == "Cc":
            return "contains control characters"
    return None


def _is_alarm_id(key: Any) -> bool:
    return (isinstance(key, str) and 3 <= len(key) <= MAX_ALARM_ID_LEN
            and "/" in key[1:-1] and not key.startswith("/")
            and text_problem(key, MAX_ALARM_ID_LEN) is None)


def _priority_ok(value: Any) -> bool:
    return value is None or (value.__class__ is int and 1 <= value <= 4)


def check_action(name: Any, key: Any, args: Any, roles) -> None:
    """The rules of an alarm action: raise :class:`ActionRefused` (``bad_request`` or
    ``forbidden``) with the reason the user reads; the client's outbox checks them
    before queuing, the backend again when the action arrives."""
    if name not in ACTIONS:
        raise ActionRefused("bad_request", f"unknown alarm action {str(name)[:40]!r}")
    roles = set(r for r in (roles or ()) if isinstance(r, str))
    if name in SUPERVISOR_ONLY:
        if SUPERVISOR not in roles:
            raise ActionRefused("forbidden", "supervisor role required")
    elif not roles & set(ACTING_ROLES):
        raise ActionRefused("forbidden", "operator or supervisor role required")
    if name == "silence":
        if key != SILENCE_KEY:
            raise ActionRefused("bad_request", f"a silence's key must be {SILENCE_KEY!r}")
    elif not _is_alarm_id(key):
        raise ActionRefused("bad_request", "the key must be an alarm id (<rule>/<key>)")
    if args is None:
        args = {}
    if not isinstance(args, Mapping):
        raise ActionRefused("bad_request", "'args' must be an object")
    reason = args.get("reason")
    if reason is not None:
        problem = text_problem(reason, MAX_REASON_LEN)
        if problem:
            raise ActionRefused("bad_request", f"reason: {problem}")
    if name in NEEDS_REASON and (not isinstance(reason, str) or not reason.strip()):
        raise ActionRefused("bad_request", f"{name} needs a reason")
    for field_name in ("until", "at"):
        value = args.get(field_name)
        if value is None:
            continue
        try:
            if not isinstance(value, str) or len(value) > 64:
                raise ValueError("expected an RFC 3339 time")
            check_instant(value)
        except ValueError as exc:
            raise ActionRefused("bad_request", f"{field_name}: {exc}") from None
    if name in NEEDS_UNTIL and args.get("until") is None:
        raise ActionRefused("bad_request", f"{name} needs an expiry ('until')")
    if not _priority_ok(args.get("priority")):
        raise ActionRefused("bad_request", "priority must be 1 to 4, or null (all)")
    if args.get("priority") is not None and name != "silence":
        raise ActionRefused("bad_request", "only a silence takes a priority")


def local_rule(name, key, args, roles, data=None, lookup=None) -> None:
    """The outbox's local rule for :data:`TOPIC` (``TopicActions.local_rule``)."""
    check_action(name, key, args, roles)


def request(action: str, target: Any, *, at: float, until: float | None = None,
            reason: str | None = None, **_ignored: Any) -> tuple[str, dict]:
    """An operator's call (``alarm_action(action, target, until=…, reason=…)``) as the
    ``key`` and ``args`` of its ``action`` frame.  ``target`` is the alarm id (a
    priority 1–4 or None for ``silence``); times are epoch seconds.  Raises
    :class:`ActionRefused` (``bad_request``) for values that can't be sent."""
    if action not in ACTIONS:
        raise ActionRefused("bad_request", f"unknown alarm action {str(action)[:40]!r}")
    args: dict[str, Any] = {"at": _time_arg(at, "at")}
    if reason is not None:
        args["reason"] = reason
    if until is not None:
        args["until"] = _time_arg(until, "until")
    if action == "silence":
        if not _priority_ok(target):
            raise ActionRefused("bad_request", "priority must be 1 to 4, or None (all)")
        args["priority"] = target
        return SILENCE_KEY, args
    if not isinstance(target, str):
        raise ActionRefused("bad_request", "the alarm id must be text")
    return target, args


def _time_arg(value: Any, name: str) -> str:
    if isinstance(value, bool) or not isinstance(value, (int, float)) \
            or not math.isfinite(value):
        raise ActionRefused("bad_request", f"'{name}' must be a time (epoch seconds)")
    try:
        text = to_rfc3339(float(value))
        check_instant(text)
    except (ValueError, OverflowError, OSError):
        raise ActionRefused("bad_request", f"'{name}' is out of range") from None
    return text


# ------------------------------------------------------------------------ the backend
def relay_data(action_id: str, name: Any, key: Any, args: Any, user: ActionUser,
               now: datetime) -> dict:
    """What a backend publishes on :data:`TOPIC` for an accepted action (after the
    rules, :func:`check_action`, with the user of the connection's token): the event's
    ``data`` (its key is the action id).  ``now`` (aware) stands for ``at`` when the
    client gave none."""
    if not isinstance(action_id, str) or not 0 < len(action_id) <= MAX_ID_LEN:
        raise ActionRefused("bad_request", f"'id' must be text of 1 to {MAX_ID_LEN} characters")
    check_action(name, key, args, user.roles)
    args = args or {}
    data = {
        "action_id": action_id,
        "action": name,
        "alarm_id": None if name == "silence" else key,
        "user": (user.name or "?")[:MAX_USER_LEN],
        "roles": [r for r in user.roles if isinstance(r, str)][:MAX_ROLES],
        "reason": args.get("reason"),
        "until": args.get("until"),
        "priority": args.get("priority") if name == "silence" else None,
        "at": args.get("at") or now.astimezone(VN_TZ).isoformat(timespec="milliseconds"),
    }
    try:
        return validate_relayed(data)
    except ValidationError as exc:            # the user's name, say: not relayable
        raise ActionRefused("bad_request", str(exc)) from None


# ------------------------------------------------------------------------ the clients
def validate_relayed(data: Any) -> dict:
    """The validator of :data:`TOPIC`'s events (feed input: untrusted).  Returns the
    payload or raises :class:`ValidationError` with the reason recorded in
    ``rejected``.  Whether the alarm exists is the situation layer's question."""
    if not isinstance(data, dict):
        raise ValidationError(f"data: expected an object, got {type(data).__name__}")

    def fail(field_name: str, message: str) -> ValidationError:
        return ValidationError(f"data.{field_name}: {message}")

    action_id = data.get("action_id")
    if not isinstance(action_id, str) or not 0 < len(action_id) <= MAX_ID_LEN:
        raise fail("action_id", f"expected text of 1 to {MAX_ID_LEN} characters")
    name = data.get("action")
    if name not in ACTIONS:
        raise fail("action", f"{str(name)[:40]!r} is not one of {list(ACTIONS)}")
    alarm_id = data.get("alarm_id")
    if name == "silence":
        if alarm_id is not None:
            raise fail("alarm_id", "a silence names no alarm")
    elif not _is_alarm_id(alarm_id):
        raise fail("alarm_id", "expected an alarm id (<rule>/<key>, at most "
                               f"{MAX_ALARM_ID_LEN} characters)")
    user = data.get("user")
    problem = text_problem(user, MAX_USER_LEN)
    if problem or not user.strip():
        raise fail("user", problem or "must not be empty")
    roles = data.get("roles")
    if roles is not None and (not isinstance(roles, list) or len(roles) > MAX_ROLES
                              or any(text_problem(r, 64) for r in roles)):
        raise fail("roles", f"expected a list of at most {MAX_ROLES} short texts")
    reason = data.get("reason")
    if reason is not None:
        problem = text_problem(reason, MAX_REASON_LEN)
        if problem:
            raise fail("reason", problem)
    if name in NEEDS_REASON and (reason is None or not reason.strip()):
        raise fail("reason", f"required for {name}")
    for field_name in ("until", "at"):
        value = data.get(field_name)
        if value is None:
            continue
        if not isinstance(value, str) or len(value) > 64:
            raise fail(field_name, "expected an RFC 3339 time")
        try:
            check_instant(value)
        except ValueError as exc:
            raise fail(field_name, str(exc)) from None
    if data.get("at") is None:
        raise fail("at", "required field missing")
    if name in NEEDS_UNTIL and data.get("until") is None:
        raise fail("until", f"required for {name}")
    if not _priority_ok(data.get("priority")):
        raise fail("priority", "expected 1 to 4, or null")
    return data


@dataclass(frozen=True)
class RelayedAction:
    """One relayed action, as the situation layer applies it (times: epoch seconds)."""

    action_id: str
    action: str
    alarm_id: str | None          # None: a silence
    user: str
    at: float
    reason: str | None = None
    until: float | None = None
    priority: int | None = None


def parse_relayed(key: str, data: Any) -> RelayedAction:
    """A relayed event (``key``, ``data``) as a :class:`RelayedAction`; ValueError with
    the reason when it can't be one (checked again: the log may hold anything)."""
    data = validate_relayed(data)
    if data["action_id"] != key:
        raise ValueError(f"the event's key {str(key)[:60]!r} is not its action id")
    until = data.get("until")
    return RelayedAction(
        action_id=key, action=data["action"], alarm_id=data.get("alarm_id"),
        user=data["user"], at=from_rfc3339(data["at"]), reason=data.get("reason"),
        until=None if until is None else from_rfc3339(until),
        priority=data.get("priority"))


#: The relay topic for the client: validated like any feed input; no state table (the
#: store keeps its events in ``events``); its local rule checks actions before the
#: outbox queues them.
TOPIC_SPEC = TopicSpec(name=TOPIC, key_field="action_id", validate=validate_relayed,
                       stale_after_s=math.inf, actions=TopicActions(local_rule=local_rule))


# ------------------------------------------------------------------------ status
def status(live: bool, accepted: bool | None, remembered: str | None = None) -> str:
    """The sharing status: live, the backend's answer (``accepted``) decides; not
    live, what the last backend of this cache said (``remembered``: a backend known
    not to share keeps them local; otherwise they are queued for the next link)."""
    if live:
        return SHARED if accepted else LOCAL_ONLY
    return LOCAL_ONLY if remembered == LOCAL_ONLY else OFFLINE_QUEUED


__all__ = [
    "ACTIONS", "ACTING_ROLES", "EXTENSION", "LOCAL_ONLY", "META_KEY", "OFFLINE_QUEUED",
    "RelayedAction", "SHARED", "SILENCE_KEY", "STATUSES", "SUPERVISOR_ONLY", "TOPIC",
    "TOPIC_SPEC", "check_action", "from_rfc3339", "local_rule", "parse_relayed",
    "relay_data", "request", "status", "to_rfc3339", "validate_relayed",
]
