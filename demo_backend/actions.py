"""Actions in the demo backend: ``{"type": "action", …}`` in, events and an ``ack`` out.

PROTOCOL.md: ``action.id`` is the client's idempotency key; a backend that sees the same
id twice applies it once and acknowledges both.  The handler here:

1. checks the envelope: ``id`` text (1–100 characters), ``topic`` known and actionable
   (its plugin declares :class:`~ioc_desktop.plugin_api.TopicActions` with ``apply``),
   ``name`` text, ``key`` text, ``args`` an object (absent: ``{}``);
2. answers a known id from its memory (the same ack, nothing applied again), or
   ``conflict`` when the id was used for a different action;
3. takes the user and roles from the connection's token (never from the message), finds
   the current item (``not_found`` otherwise) and lets the topic's ``apply`` decide at
   the simulated clock's now (the plugin's own rules, which the client checks against
   too);
4. validates each changed item with its topic's schema (and refuses one that would
   grow past :data:`MAX_ITEM_BYTES`), publishes it as a normal
   ``upsert`` event through the backend's log (every client sees it, in seq order) and
   tells the simulators (:meth:`~ioc_desktop.plugin_api.Simulator.external_update`);
5. remembers the id with its ack, in the same SQLite transaction as the events when the
   backend has a log file (so a restart keeps idempotency), then acks.  The ack may
   reach the client before the events (they go through its send loop).

Shared alarm actions (extension ``alarm-actions``, :mod:`ioc_desktop.alarms.sharing`):
an action on the relay topic (when this backend speaks the extension) is decided by
the sharing rules (:func:`~ioc_desktop.alarms.sharing.relay_data`: roles — out of
service and return to service need a supervisor —, a shelve's reason and expiry,
hostile or oversized text), with the user of the connection's token, and published
once on the relay topic keyed by its id, through the same log and the same memory of
ids as any action: every subscribed console gets it, a resent id is not relayed again.
The backend keeps no alarms: whether the alarm exists is each console's question.

Refusals are decisions too: a refused id is remembered with its refusal, so that a
resent id gets the same answer even if the item has moved meanwhile.  Only a frame
without a usable id, or an id reused for different content, is answered without being
remembered.

Runs on the backend's event loop thread, synchronously: an action and the simulators'
ticks never interleave.
"""
from __future__ import annotations

import collections
import hashlib
import json
import logging
import sqlite3
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any

from ioc_desktop import protocol
from ioc_desktop.alarms import sharing
from ioc_desktop.interop import rfc3339_local
from ioc_desktop.plugin_api import ActionRefused, ActionUser, SimEvent, ValidationError

if TYPE_CHECKING:  # pragma: no cover
    from .server import DemoBackend

log = logging.getLogger(__name__)

MAX_ID_LEN = 100
MAX_KEY_LEN = 200
MAX_NAME_LEN = 64
#: An item an action would grow beyond this (say, thousands of notes) is refused: the
#: client refuses frames over 1 MiB, and a snapshot carries many items.
MAX_ITEM_BYTES = 256 * 1024
#: Acks kept in memory (all of them are in the log file when there is one).
MEMORY_ACKS = 50_000

#: The log file's table of decided action ids: the ack to repeat, who and when, the
#: simulation step it was applied at and the events it made (``[[topic, seq], …]``),
#: so that a replay tells the simulators at the same point (:func:`logged_updates`).
SCHEMA = ("CREATE TABLE IF NOT EXISTS actions("
          "id TEXT PRIMARY KEY, digest TEXT NOT NULL, ack TEXT NOT NULL,"
          " topic TEXT, name TEXT, key TEXT, by TEXT, at TEXT, step INTEGER, seqs TEXT)")


def ensure_schema(db: sqlite3.Connection) -> None:
    with db:
        db.execute(SCHEMA)


def logged_updates(db: sqlite3.Connection) -> dict[int, list[tuple[str, str, dict | None]]]:
    """The items that applied actions changed, by the step they were applied at, in
    order, as logged: ``{step: [(topic, key, data), …]}`` (for a replay)."""
    ensure_schema(db)
    out: dict[int, list[tuple[str, str, dict | None]]] = collections.defaultdict(list)
    rows = db.execute("SELECT step, seqs FROM actions WHERE seqs != '[]' ORDER BY rowid").fetchall()
    for step, seqs in rows:
        for topic, seq in json.loads(seqs):
            hit = db.execute("SELECT key, data FROM events WHERE topic = ? AND seq = ?",
                             (topic, seq)).fetchone()
            if hit is not None:
                out[step].append((topic, hit[0], json.loads(hit[1]) if hit[1] else None))
    return out


def digest(msg: dict) -> str:
    """What makes two actions with one id the same action (the user is not part of it)."""
    body = {k: msg.get(k) for k in ("topic", "name", "key", "args")}
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def ack(action_id: str | None, error: str | None = None) -> dict:
    out: dict[str, Any] = {"type": "ack", "id": action_id, "ok": error is None}
    if error is not None:
        out["error"] = error
    return out


class ActionHandler:
    """Applies clients' actions to a :class:`DemoBackend` (see the module docstring)."""

    def __init__(self, backend: "DemoBackend"):
        self.backend = backend
        self.applied = 0                      # actions that changed something (tests)
        self._acks: collections.OrderedDict[str, tuple[str, str]] = collections.OrderedDict()
        self._specs = {spec.name: spec for p in backend.plugins for spec in p.topics}
        if backend._db is not None:
            ensure_schema(backend._db)

    # ------------------------------------------------------------------ entry point
    def handle(self, msg: dict, user: dict | None) -> str:
        """Decide one ``action`` message; returns the ``ack`` frame to send back."""
        action_id = msg.get("id")
        if not isinstance(action_id, str) or not action_id or len(action_id) > MAX_ID_LEN:
            return protocol.dumps(ack(None, f"bad_request: 'id' must be text of 1 to "
                                            f"{MAX_ID_LEN} characters"))
        fingerprint = digest(msg)
        known = self._known(action_id)
        if known is not None:
            seen_digest, seen_ack = known
            if seen_digest == fingerprint:
                return seen_ack
            return protocol.dumps(ack(action_id, f"conflict: action id {action_id!r} was "
                                                 "already used for a different action"))
        user = user or {}
        name = user.get("name") if isinstance(user.get("name"), str) else "?"
        try:
            events = self._decide(msg, name, list(user.get("roles") or []))
        except ActionRefused as refused:
            frame = protocol.dumps(ack(action_id, str(refused)))
            try:
                self._remember(action_id, fingerprint, frame, msg, name)
            except Exception:  # not remembered: a resend is decided again, no harm
                log.exception("refused action %s could not be logged", action_id)
                self._acks.pop(action_id, None)
            return frame
        except Exception as exc:  # a bug in an applier: say so, decide nothing
            log.exception("action %s failed", action_id)
            return protocol.dumps(ack(action_id, f"internal: {type(exc).__name__}"))
        frame = protocol.dumps(ack(action_id))
        try:
            self._publish(action_id, fingerprint, frame, msg, name, events)
        except Exception as exc:  # the log could not be written: nothing was decided
            log.exception("action %s could not be logged", action_id)
            return protocol.dumps(ack(action_id, f"internal: {type(exc).__name__}"))
        self.applied += 1
        return frame

    # ------------------------------------------------------------------ rules
    def _decide(self, msg: dict, user: str, roles: list[str]) -> list[SimEvent]:
        topic, name, key = msg.get("topic"), msg.get("name"), msg.get("key")
        args = msg.get("args", {})
        if not isinstance(topic, str) or topic not in self.backend.topics:
            raise ActionRefused("bad_request", f"unknown topic {str(topic)[:40]!r}")
        if topic == sharing.TOPIC:
            # relayed as it is, to every console: no state of its own to apply it to
            data = sharing.relay_data(msg.get("id"), name, key, args,
                                      ActionUser(user, tuple(roles)), datetime.now(timezone.utc))
            return [SimEvent(topic, data["action_id"], data)]
        spec = self._specs.get(topic)
        apply = spec.actions.apply if spec is not None and spec.actions is not None else None
        if apply is None:
            raise ActionRefused("not_supported", f"topic {topic!r} accepts no actions")
        if not isinstance(name, str) or not name or len(name) > MAX_NAME_LEN:
            raise ActionRefused("bad_request", "'name' must be a short text")
        if not isinstance(key, str) or not key or len(key) > MAX_KEY_LEN:
            raise ActionRefused("bad_request", f"'key' must be text of 1 to {MAX_KEY_LEN} characters")
        if args is None:
            args = {}
        if not isinstance(args, dict):
            raise ActionRefused("bad_request", "'args' must be an object")
        state = self.backend.topics[topic].state
        if state.get(key) is None:
            raise ActionRefused("not_found", f"no item {key[:80]!r} in {topic}")
        changed = apply(state, name, key, args, ActionUser(user, tuple(roles)),
                        self.backend.sim_now())
        events = []
        for item_key, data in changed.items():
            try:
                data = spec.validate(data)
            except ValidationError as exc:
                raise ActionRefused("bad_request", str(exc)) from None
            if len(protocol.dumps(data)) > MAX_ITEM_BYTES:
                raise ActionRefused("conflict", f"{item_key[:80]} would grow past "
                                                f"{MAX_ITEM_BYTES // 1024} KiB")
            events.append(SimEvent(topic, item_key, data))
        return events

    # ------------------------------------------------------------------ effects
    def _publish(self, action_id: str, fingerprint: str, frame: str, msg: dict, user: str,
                 events: list[SimEvent]) -> None:
        backend = self.backend
        db = backend._db
        seq = {ev.topic: backend.topics[ev.topic].seq for ev in events}
        made = []                      # the events' seqs (audit, replay)
        for ev in events:
            seq[ev.topic] += 1
            made.append([ev.topic, seq[ev.topic]])
        try:
            # One transaction with the events: _append commits it (and commit() below
            # makes sure, should it ever batch its commits), so after a crash either
            # both the events and the id are in the log, or neither.
            self._remember(action_id, fingerprint, frame, msg, user, made, commit=False)
            backend._append(events)
            if db is not None:
                db.commit()
        except Exception:
            if db is not None:
                db.rollback()
            self._acks.pop(action_id, None)
            raise
        for ev in events:
            backend.external_update(ev.topic, ev.key, ev.data)

    # ------------------------------------------------------------------ memory
    def _known(self, action_id: str) -> tuple[str, str] | None:
        hit = self._acks.get(action_id)
        if hit is None and self.backend._db is not None:
            row = self.backend._db.execute("SELECT digest, ack FROM actions WHERE id = ?",
                                           (action_id,)).fetchone()
            hit = (row[0], row[1]) if row else None
        return hit

    def _remember(self, action_id: str, fingerprint: str, frame: str, msg: dict, user: str,
                  seqs: list | None = None, commit: bool = True) -> None:
        self._acks[action_id] = (fingerprint, frame)
        while len(self._acks) > MEMORY_ACKS:
            self._acks.popitem(last=False)
        db = self.backend._db
        if db is None:
            return
        what = (str(msg.get(k))[:200] for k in ("topic", "name", "key"))
        row = (action_id, fingerprint, frame, *what, user, rfc3339_local(self.backend.sim_now()),
               self.backend.steps, json.dumps(seqs or []))
        db.execute("INSERT INTO actions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
        if commit:
            db.commit()
