"""The durable outbox of user actions and the append-only audit log (no Qt).

A user's action on an item of a topic (a dispatch step, …) is first committed to the cache, then sent as a
protocol ``action`` frame whenever the link is live, and stays *unacknowledged* until
the backend answers with an ``ack`` for its id.  The id (a uuid4 chosen here) is the
backend's idempotency key (PROTOCOL.md), so resending is always safe:

* on every (re)connection, after ``subscribe``, every unacknowledged action is sent
  again with the SAME id, oldest first (:meth:`Outbox.connected`);
* a crash after the frame left but before the ack arrived (or before ``sent`` was
  recorded) only means one more resend, which the backend recognises and acknowledges
  without applying the action again;
* ``done`` and ``refused`` are final: a refused action is never resent (the user makes
  a new one, with a new id);
* actions on a *held* topic stay pending while connected: a topic only a negotiated
  extension carries (``alarm-actions``), when the backend of this session doesn't
  speak it (:meth:`Outbox.connected`'s ``held_topics``).  They go out, once, on a
  later link whose backend does.

States of an action::

    pending --send--> sent --ack ok--> done
       ^                |  \\--ack not ok--> refused
       '--(reconnect: resent, same id)

Tables (created on the writer's connection by this module; the cache's other tables
are the store's):

- ``outbox(id, created_at, topic, name, key, args, user, state, error, attempts,
  sent_at, acked_at)``: one row per action; ``args`` is JSON.
- ``audit(seq, at, user, action_id, topic, name, key, args, event, detail)``: one row
  per step of every action (``queued``, ``sent``, ``resent``, ``done``, ``refused``),
  plus actions refused locally (``refused`` with ``detail`` "refused locally: …", no
  outbox row).  Append-only: SQLite triggers abort any UPDATE or DELETE on it.

Writes run on the store writer's thread through :meth:`StoreWriter.call`; nothing here
blocks the caller's thread (:meth:`Outbox.submit` hands the write to a small thread of
its own, because the writer's queue is bounded and may push back under a feed flood).
The queueing commit is made with ``synchronous = FULL`` so that an action whose future
has completed survives a power cut too, not only a crash of the program.
"""
from __future__ import annotations

import contextlib
import hashlib
import logging
import sqlite3
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence

from ioc_desktop import jsonfast, protocol
from ioc_desktop.plugin_api import ActionRefused, TopicSpec
from ioc_desktop.store.append_only import append_only_triggers

log = logging.getLogger(__name__)

PENDING, SENT, DONE, REFUSED = "pending", "sent", "done", "refused"
STATES = (PENDING, SENT, DONE, REFUSED)
UNACKED = (PENDING, SENT)
AUDIT_EVENTS = ("queued", "sent", "resent", "done", "refused")
MAX_ERROR_LEN = 2000            # the backend's reason is untrusted text: kept, bounded
LOCAL_REFUSAL = "refused locally: "

Sender = Callable[[str], bool]          # FeedClient.send: False when there is no link

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS outbox (
    id TEXT PRIMARY KEY,
    created_at REAL NOT NULL,
    topic TEXT NOT NULL,
    name TEXT NOT NULL,
    key TEXT NOT NULL,
    args TEXT NOT NULL,
    user TEXT,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN {STATES!r}),
    error TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    sent_at REAL,
    acked_at REAL
);
CREATE INDEX IF NOT EXISTS outbox_state ON outbox(state, created_at);
CREATE INDEX IF NOT EXISTS outbox_key ON outbox(key, created_at);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    at REAL NOT NULL,
    user TEXT,
    action_id TEXT,
    topic TEXT,
    name TEXT,
    key TEXT,
    args TEXT,
    event TEXT NOT NULL CHECK (event IN {AUDIT_EVENTS!r}),
    detail TEXT
);
CREATE INDEX IF NOT EXISTS audit_action ON audit(action_id);
CREATE INDEX IF NOT EXISTS audit_key ON audit(key, seq);
""" + "".join(sql + ";\n" for sql in append_only_triggers("audit", "the audit log"))

_OUTBOX_COLS = ("id, created_at, topic, name, key, args, user, state, error, attempts, "
                "sent_at, acked_at")


@dataclass(frozen=True)
class ActionState:
    """One action as the UI shows it (emitted on every change)."""

    id: str
    topic: str
    name: str
    key: str
    args: dict
    state: str                      # pending / sent / done / refused
    error: str | None
    created_at: float
    updated_at: float
    user: str = ""
    attempts: int = 0

    @property
    def acked(self) -> bool:
        return self.state in (DONE, REFUSED)

    @classmethod
    def from_row(cls, row: Sequence) -> "ActionState":
        (id_, created, topic, name, key, args, user, state, error, attempts,
         sent_at, acked_at) = row
        try:
            parsed = jsonfast.loads(args) if args else {}
        except ValueError:
            parsed = {}
        updated = max(t for t in (created, sent_at, acked_at) if t is not None)
        return cls(id_, topic, name, key, parsed, state, error, created, updated,
                   user or "", attempts or 0)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: float
    user: str | None
    action_id: str | None
    topic: str | None
    name: str | None
    key: str | None
    args: dict | None
    event: str
    detail: str | None


# --------------------------------------------------------------------------- schema
def ensure_schema(store) -> None:
    """Create the outbox and audit tables (and the audit's guards) if missing."""
    with store._tx():
        create_tables(store.conn)


def create_tables(conn) -> None:
    """Create the outbox and audit tables if missing, in the caller's transaction."""
    for statement in _SCHEMA.split(";\n"):
        if statement.strip():
            conn.execute(statement)


def insert_action(conn, action_id: str, now: float, topic: str, name: str, key: str,
                  args_json: str, user: Mapping) -> None:
    """Queue one action (its outbox row, pending, and its ``queued`` audit entry) in
    the caller's transaction: :class:`Outbox` on the writer, or a headless command on
    its own connection (``ioc-desktop alarms ack …``).  ``user``: ``{"name", "roles"}``."""
    roles = ", ".join(user.get("roles") or ()) or "none"
    conn.execute(
        "INSERT INTO outbox(id, created_at, topic, name, key, args, user, state, attempts) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0)",
        (action_id, now, topic, name, key, args_json, user.get("name") or ""))
    _audit(conn, now, user.get("name") or "", action_id, topic, name, key, args_json, "queued",
           f"roles: {roles}")


@contextlib.contextmanager
def _durable(store):
    """A transaction whose commit is synced to disk (``synchronous = FULL``).

    The store runs with ``NORMAL`` (safe against crashes, not power cuts); a user's
    action is worth one fsync.  The level can't change inside a transaction, hence
    around it.
    """
    conn = store.conn
    level = conn.execute("PRAGMA synchronous").fetchone()[0]
    conn.execute("PRAGMA synchronous = FULL")
    try:
        with store._tx():
            yield conn
    finally:
        conn.execute(f"PRAGMA synchronous = {int(level)}")


def _audit(conn, at: float, user: str | None, action_id: str | None, topic: str | None,
           name: str | None, key: str | None, args_json: str | None, event: str,
           detail: str | None = None) -> None:
    conn.execute(
        "INSERT INTO audit(at, user, action_id, topic, name, key, args, event, detail) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (at, user, action_id, topic, name, key, args_json, event, detail))


# --------------------------------------------------------------------------- reads
def _missing_table(exc: sqlite3.OperationalError) -> bool:
    return "no such table" in str(exc)


def read_actions(conn, *, key: str | None = None, states: Iterable[str] | None = None,
                 limit: int | None = 200, newest_first: bool = True) -> list[ActionState]:
    """Actions from any connection (the writer's or a reader's)."""
    where, params = [], []
    if key is not None:
        where.append("key = ?")
        params.append(key)
    if states is not None:
        states = tuple(states)
        where.append(f"state IN ({', '.join('?' * len(states))})")
        params.extend(states)
    sql = f"SELECT {_OUTBOX_COLS} FROM outbox"
    if where:
        sql += " WHERE " + " AND ".join(where)
    order = "DESC" if newest_first else "ASC"
    sql += f" ORDER BY created_at {order}, rowid {order}"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    try:
        return [ActionState.from_row(r) for r in conn.execute(sql, params)]
    except sqlite3.OperationalError as exc:
        if _missing_table(exc):   # a cache no action was ever queued in
            return []
        raise


def read_audit(conn, *, action_id: str | None = None, key: str | None = None,
               limit: int | None = None) -> list[AuditEntry]:
    """Audit entries, oldest first."""
    where, params = [], []
    if action_id is not None:
        where.append("action_id = ?")
        params.append(action_id)
    if key is not None:
        where.append("key = ?")
        params.append(key)
    sql = "SELECT seq, at, user, action_id, topic, name, key, args, event, detail FROM audit"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY seq"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    try:
        rows = conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:
        if _missing_table(exc):
            return []
        raise
    out = []
    for seq, at, user, action_id_, topic, name, key_, args, event, detail in rows:
        try:
            parsed = jsonfast.loads(args) if args else None
        except ValueError:
            parsed = None
        out.append(AuditEntry(seq, at, user, action_id_, topic, name, key_, parsed, event, detail))
    return out


# --------------------------------------------------------------------------- the user
# Who is acting, when offline: the backend announces the user and their roles in
# `welcome`; the client keeps the last announcement in the cache's meta table, tied to
# a hash of the token it was announced for.  Offline, the same token gets the same
# roles back; another token (or a cache that never connected) gets no roles, so it can
# queue nothing.  The backend re-checks every action when it arrives anyway.
USER_META_KEY = "user"


def token_digest(token: str | None) -> str:
    return hashlib.sha256((token or "").encode("utf-8")).hexdigest()


def normalise_user(user: Any) -> dict:
    """``{"name": str, "roles": [str, …]}`` from an untrusted ``welcome.user``."""
    if not isinstance(user, Mapping):
        return {"name": "", "roles": []}
    name = user.get("name")
    roles = user.get("roles")
    return {"name": name[:200] if isinstance(name, str) else "",
            "roles": [r for r in roles if isinstance(r, str)][:20] if isinstance(roles, list) else []}


def remember_user(store, user: Mapping, token: str | None) -> None:
    """On the writer thread: keep the announced user for offline use (if it changed)."""
    value = jsonfast.dumps({**normalise_user(user), "token": token_digest(token)})
    if store.meta(USER_META_KEY) != value:
        store.set_meta(**{USER_META_KEY: value})


def known_user(store_or_conn, token: str | None) -> dict | None:
    """The user last announced for this token in this cache, or None."""
    if hasattr(store_or_conn, "meta"):
        text = store_or_conn.meta(USER_META_KEY)
    else:
        row = store_or_conn.execute("SELECT value FROM meta WHERE key = ?",
                                    (USER_META_KEY,)).fetchone()
        text = row[0] if row else None
    if not text:
        return None
    try:
        stored = jsonfast.loads(text)
    except ValueError:
        return None
    if not isinstance(stored, dict) or stored.get("token") != token_digest(token):
        return None
    return normalise_user(stored)


# --------------------------------------------------------------------------- the outbox
class Outbox:
    """Durable queue of actions, sent when the link is live, final when acknowledged.

    ``on_change(ActionState)`` runs on the writer thread after each committed change
    (queued, sent/resent, done, refused).  ``topics``: the plugins' topic specs, whose
    local rules (:class:`~ioc_desktop.plugin_api.TopicActions`) check an action before
    it is queued; an action on a topic without one goes to the backend unchecked.
    """

    def __init__(self, writer, *, topics: Iterable[TopicSpec] = (),
                 on_change: Callable[[ActionState], None] | None = None,
                 clock: Callable[[], float] = time.time):
        self.writer = writer
        self.on_change = on_change
        self.rules = {spec.name: spec.actions.local_rule for spec in topics
                      if spec.actions is not None and spec.actions.local_rule is not None}
        self._clock = clock
        self._send: Sender | None = None         # set while the link is live
        self._held: frozenset[str] = frozenset()  # topics this session's backend can't take
        self._schema_conn = None                 # the connection the tables were made on
        self._handoff = ThreadPoolExecutor(1, thread_name_prefix="ioc-outbox")
        self.ensure()

    # ------------------------------------------------------------------ any thread
    def ensure(self) -> Future:
        """Create the tables now (they are also made on demand, e.g. after rotation)."""
        return self.writer.call(self._ensure)

    def check(self, topic: str, name: str, key: str, args: Any, user: Mapping, *,
              data: dict | None = None, lookup: Callable[[str], dict | None] | None = None) -> None:
        """Raise :class:`ActionRefused` if the topic's local rule refuses the action."""
        rule = self.rules.get(topic)
        if rule is None:
            return
        rule(name, key, args, tuple(normalise_user(user)["roles"]), data, lookup)

    def submit(self, topic: str, name: str, key: str, args: dict, user: Mapping, *,
               data: dict | None = None,
               lookup: Callable[[str], dict | None] | None = None) -> str:
        """Queue an action; returns its id at once (the write happens on the writer).

        Raises :class:`ActionRefused` (and records the refusal in the audit log) when
        the topic's local rule refuses it.  See :meth:`submit_async` for a future
        that completes when the action is durable.
        """
        return self.submit_async(topic, name, key, args, user, data=data, lookup=lookup)[0]

    def vet(self, topic: str, name: str, key: str, args: Any, user: Mapping, *,
            data: dict | None = None,
            lookup: Callable[[str], dict | None] | None = None) -> str:
        """Check an action as :meth:`submit` does, without queuing it: raises
        :class:`ActionRefused` (recorded in the audit log, as submit's refusals) or
        returns a new action id to queue it with later (``submit_async(action_id=…)``):
        for an action applied on this console first (an alarm action)."""
        action_id = str(uuid.uuid4())
        u = normalise_user(user)
        try:
            self.check(topic, name, key, args, u, data=data, lookup=lookup)
        except ActionRefused as exc:
            reason, now = str(exc), self._clock()
            try:
                args_json = jsonfast.dumps(args if isinstance(args, dict) else {})
            except TypeError:
                args_json = "{}"
            self._later(lambda store: self._record_local_refusal(
                store, now, u, action_id, topic, name, key, args_json, reason))
            raise
        return action_id

    def submit_async(self, topic: str, name: str, key: str, args: dict, user: Mapping, *,
                     data: dict | None = None,
                     lookup: Callable[[str], dict | None] | None = None,
                     action_id: str | None = None) -> tuple[str, Future]:
        """Like :meth:`submit`; the future's result is the queued :class:`ActionState`,
        set once the row and its ``queued`` audit entry are committed (and synced).
        ``action_id``: the id :meth:`vet` gave (default: a new one)."""
        action_id = action_id or str(uuid.uuid4())
        now = self._clock()
        u = normalise_user(user)
        if not isinstance(topic, str) or not isinstance(name, str) or not isinstance(key, str):
            raise ActionRefused("bad_request", "topic, name and key must be text")
        args = {} if args is None else args
        if not isinstance(args, dict):
            raise ActionRefused("bad_request", "'args' must be an object")
        try:
            args_json = jsonfast.dumps(args)
        except TypeError as exc:
            raise ActionRefused("bad_request", f"'args' is not JSON: {exc}") from None
        try:
            self.check(topic, name, key, args, u, data=data, lookup=lookup)
        except ActionRefused as exc:
            reason = str(exc)
            self._later(lambda store: self._record_local_refusal(
                store, now, u, action_id, topic, name, key, args_json, reason))
            raise
        future = self._later(lambda store: self._queue(
            store, action_id, now, topic, name, key, args_json, u))
        return action_id, future

    def connected(self, send: Sender, *, held_topics: Iterable[str] = ()) -> Future:
        """The link is live (subscribed): resend every unacknowledged action, and send
        new ones as they are queued.  Actions on ``held_topics`` (topics this backend
        doesn't take: an extension it didn't accept) stay pending, unsent, for a later
        link.  Future: how many were sent."""
        self._held = frozenset(held_topics)
        self._send = send
        return self.flush(send, resend=True)

    def disconnected(self) -> None:
        self._send = None

    def flush(self, send: Sender, *, resend: bool = True) -> Future:
        """Send unacknowledged actions in creation order (only never-sent ones if not
        ``resend``), marking them sent.  Stops at the first frame the link refuses."""
        return self.writer.call(lambda store: self._flush(store, send, resend))

    def on_ack(self, msg: Any) -> Future | None:
        """Record the backend's ``ack``: done, or refused with its reason.

        Acks for unknown ids and repeated acks are ignored (logged).  Returns the
        writer future (its result: the new ActionState or None), None for non-acks.
        """
        if not isinstance(msg, Mapping) or msg.get("type") != "ack":
            return None
        action_id = msg.get("id")
        if not isinstance(action_id, str) or not action_id:
            log.warning("ack without an id ignored: %.200s", msg)
            return None
        ok = msg.get("ok") is True
        error = None
        if not ok:
            error = msg.get("error")
            error = error[:MAX_ERROR_LEN] if isinstance(error, str) and error else \
                "refused (the backend gave no reason)"
        return self.writer.call(lambda store: self._ack(store, action_id, ok, error))

    def carry_over(self, archived: str | Path) -> Future:
        """After the cache was rotated (new backend log), bring the unacknowledged
        actions of the archived cache into the new one, with their ids and audit
        history, so they still go out.  Future: how many were carried."""
        return self.writer.call(lambda store: self._carry_over(store, Path(archived)))

    def pending(self) -> Future:
        """Unacknowledged actions, oldest first (Future of a list of ActionState)."""
        return self.writer.call(lambda store: read_actions(
            self._ensured(store), states=UNACKED, limit=None, newest_first=False))

    def recent(self, key: str | None = None, limit: int = 200) -> Future:
        """Newest actions first, on one item or all (Future of a list of ActionState)."""
        return self.writer.call(lambda store: read_actions(
            self._ensured(store), key=key, limit=limit))

    def audit(self, *, action_id: str | None = None, key: str | None = None) -> Future:
        return self.writer.call(lambda store: read_audit(
            self._ensured(store), action_id=action_id, key=key))

    def close(self) -> None:
        """Hand every queued write to the writer (call before closing the writer)."""
        self._send = None
        self._handoff.shutdown(wait=True)

    # ------------------------------------------------------------------ helpers
    def _later(self, fn: Callable) -> Future:
        """Run ``fn(store)`` on the writer without waiting for its bounded queue here."""
        outer: Future = Future()

        def enqueue():
            inner = self.writer.call(fn)
            inner.add_done_callback(lambda f: _chain(f, outer))

        self._handoff.submit(enqueue)
        return outer

    def _changed(self, states: Iterable[ActionState]) -> None:
        if self.on_change is None:
            return
        for st in states:
            try:
                self.on_change(st)
            except Exception:
                log.exception("action listener failed")

    # ------------------------------------------------------------------ writer thread
    def _ensure(self, store) -> None:
        if self._schema_conn is not store.conn:
            ensure_schema(store)
            self._schema_conn = store.conn

    def _ensured(self, store):
        self._ensure(store)
        return store.conn

    def _row(self, conn, action_id: str) -> ActionState | None:
        row = conn.execute(f"SELECT {_OUTBOX_COLS} FROM outbox WHERE id = ?",
                           (action_id,)).fetchone()
        return ActionState.from_row(row) if row else None

    def _queue(self, store, action_id, now, topic, name, key, args_json, user) -> ActionState:
        self._ensure(store)
        with _durable(store) as conn:
            insert_action(conn, action_id, now, topic, name, key, args_json, user)
        state = self._row(store.conn, action_id)
        self._changed([state])
        send = self._send
        if send is not None:   # live: out at once (the older ones went out already)
            self._flush(store, send, resend=False)
            state = self._row(store.conn, action_id)
        return state

    def _record_local_refusal(self, store, now, user, action_id, topic, name, key,
                              args_json, reason) -> None:
        self._ensure(store)
        with store._tx():
            _audit(store.conn, now, user["name"], action_id, topic, name, key, args_json,
                   "refused", LOCAL_REFUSAL + reason)

    def _flush(self, store, send: Sender, resend: bool) -> int:
        self._ensure(store)
        conn = store.conn
        rows = read_actions(conn, states=UNACKED if resend else (PENDING,), limit=None,
                            newest_first=False)
        held = self._held
        went: list[ActionState] = []
        for st in rows:
            if st.topic in held:
                continue    # this backend can't take it: it waits for one that can
            try:
                ok = send(protocol.action(st.id, st.topic, st.name, st.key, st.args))
            except Exception:
                log.exception("sending action %s failed", st.id)
                ok = False
            if not ok:
                break   # the link dropped: the rest waits for the next connection
            went.append(st)
        if not went:
            return 0
        now = self._clock()
        with store._tx():
            for st in went:
                conn.execute("UPDATE outbox SET state = 'sent', attempts = attempts + 1, "
                             "sent_at = ? WHERE id = ? AND state IN ('pending', 'sent')",
                             (now, st.id))
                _audit(conn, now, st.user, st.id, st.topic, st.name, st.key,
                       jsonfast.dumps(st.args), "resent" if st.attempts else "sent",
                       f"attempt {st.attempts + 1}")
        self._changed([s for s in (self._row(conn, st.id) for st in went) if s is not None])
        return len(went)

    def _ack(self, store, action_id: str, ok: bool, error: str | None) -> ActionState | None:
        self._ensure(store)
        conn = store.conn
        st = self._row(conn, action_id)
        if st is None:
            log.info("ack for unknown action %.80s ignored", action_id)
            return None
        if st.acked:
            log.debug("repeated ack for %s ignored", action_id)   # a resend's second ack
            return None
        now = self._clock()
        state = DONE if ok else REFUSED
        with store._tx():
            conn.execute("UPDATE outbox SET state = ?, error = ?, acked_at = ? WHERE id = ?",
                         (state, error, now, action_id))
            _audit(conn, now, st.user, st.id, st.topic, st.name, st.key,
                   jsonfast.dumps(st.args), state, error)
        new = self._row(conn, action_id)
        self._changed([new])
        return new

    def _carry_over(self, store, archived: Path) -> int:
        self._ensure(store)
        try:
            old = sqlite3.connect(archived.absolute().as_uri() + "?mode=ro", uri=True)
        except sqlite3.Error as exc:
            log.warning("cannot read the archived cache %s: %s", archived, exc)
            return 0
        try:
            rows = old.execute(f"SELECT {_OUTBOX_COLS} FROM outbox WHERE state IN {UNACKED!r} "
                               "ORDER BY created_at, rowid").fetchall()
            history = {r[0]: old.execute(
                "SELECT at, user, action_id, topic, name, key, args, event, detail FROM audit "
                "WHERE action_id = ? ORDER BY seq", (r[0],)).fetchall() for r in rows}
        except sqlite3.OperationalError as exc:
            if not _missing_table(exc):
                log.warning("cannot read the outbox of %s: %s", archived, exc)
            return 0
        finally:
            old.close()
        if not rows:
            return 0
        now = self._clock()
        carried = []
        with _durable(store) as conn:
            for row in rows:
                if conn.execute("SELECT 1 FROM outbox WHERE id = ?", (row[0],)).fetchone():
                    continue
                conn.execute(f"INSERT INTO outbox({_OUTBOX_COLS}) VALUES "
                             f"({', '.join('?' * 12)})", row)
                for entry in history[row[0]]:
                    _audit(conn, *entry)
                st = ActionState.from_row(row)
                _audit(conn, now, st.user, st.id, st.topic, st.name, st.key, row[5], "queued",
                       f"carried over from {archived.name} (the backend started a new log)")
                carried.append(st.id)
        self._changed([self._row(store.conn, i) for i in carried])
        return len(carried)


def _chain(src: Future, dst: Future) -> None:
    if src.cancelled():
        dst.cancel()
    elif src.exception() is not None:
        dst.set_exception(src.exception())
    else:
        dst.set_result(src.result())
