"""The durable outbox and the audit log, on a real SQLite cache through the store writer."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ioc_desktop.dispatch.outbox import (DONE, PENDING, REFUSED, SENT, Outbox, known_user,
                                         read_actions, read_audit, remember_user)
from ioc_desktop.plugin_api import ActionRefused
from ioc_desktop.store.batch import EventRecord
from ioc_desktop.store.writer import StoreWriter
from plugins.reports import workflow
from plugins.reports.schema import SPEC

SUPERVISOR = {"name": "Giám sát ca 1", "roles": ["operator", "supervisor"]}
OPERATOR = {"name": "Trực ban", "roles": ["operator"]}
VIEWER = {"name": "Khách", "roles": ["viewer"]}
ROOT = Path(__file__).resolve().parent.parent


class Link:
    """A fake FeedClient.send: records frames; ``up`` False (or a budget) refuses them."""

    def __init__(self, budget: int | None = None):
        self.frames: list[dict] = []
        self.budget = budget

    def __call__(self, text: str) -> bool:
        if self.budget is not None:
            if self.budget <= 0:
                return False
            self.budget -= 1
        self.frames.append(json.loads(text))
        return True

    @property
    def ids(self) -> list[str]:
        return [f["id"] for f in self.frames]


class Rig:
    def __init__(self, path: Path):
        self.path = path
        self.changes = []
        self.writer = StoreWriter(path, [])
        # the reports' local rules, as the app's outbox has them from the plugin
        self.outbox = Outbox(self.writer, topics=[SPEC], on_change=self.changes.append)

    def submit(self, name="verify", key="PA-1", args=None, user=SUPERVISOR, **kw) -> str:
        action_id, fut = self.outbox.submit_async("reports", name, key, args or {}, user, **kw)
        assert fut.result(10).id == action_id
        return action_id

    def rows(self) -> dict[str, tuple]:
        conn = sqlite3.connect(self.path)
        try:
            return {r[0]: r[1:] for r in conn.execute(
                "SELECT id, state, attempts, error FROM outbox ORDER BY rowid")}
        finally:
            conn.close()

    def audit(self, action_id=None):
        conn = sqlite3.connect(self.path)
        try:
            return read_audit(conn, action_id=action_id)
        finally:
            conn.close()

    def ack(self, action_id, ok=True, error=None):
        msg = {"type": "ack", "id": action_id, "ok": ok}
        if error is not None:
            msg["error"] = error
        fut = self.outbox.on_ack(msg)
        return fut.result(10) if fut is not None else None

    def close(self):
        self.outbox.close()
        self.writer.close()


@pytest.fixture
def rig(tmp_path):
    r = Rig(tmp_path / "cache.sqlite")
    yield r
    r.close()


def events(entries) -> list[str]:
    return [e.event for e in entries]


# ---------------------------------------------------------------------------- queueing
def test_submit_commits_the_action_and_its_audit_entry(rig):
    action_id = rig.submit(args={"note": "x"})
    assert rig.rows() == {action_id: (PENDING, 0, None)}       # read by another connection
    (entry,) = rig.audit()
    assert (entry.event, entry.user, entry.action_id, entry.key, entry.name) == \
        ("queued", SUPERVISOR["name"], action_id, "PA-1", "verify")
    assert entry.args == {"note": "x"} and "supervisor" in entry.detail
    assert [(c.id, c.state) for c in rig.changes] == [(action_id, PENDING)]
    assert len(action_id) == 36 and action_id.count("-") == 4   # a uuid


def test_submit_returns_at_once_even_when_the_writer_is_busy(rig):
    import threading
    gate = threading.Event()
    rig.writer.call(lambda store: gate.wait(10))          # the writer is stuck
    start = time.monotonic()
    action_id, fut = rig.outbox.submit_async("reports", "verify", "PA-1", {}, SUPERVISOR)
    assert time.monotonic() - start < 0.5 and not fut.done()
    gate.set()
    assert fut.result(10).state == PENDING and action_id in rig.rows()


def test_flush_sends_in_creation_order_and_marks_sent(rig):
    ids = [rig.submit(key=f"PA-{i}") for i in range(5)]
    link = Link()
    assert rig.outbox.flush(link).result(10) == 5
    assert link.ids == ids
    assert link.frames[0] == {"type": "action", "id": ids[0], "topic": "reports",
                              "name": "verify", "key": "PA-0", "args": {}}
    assert all(v == (SENT, 1, None) for v in rig.rows().values())
    assert events(rig.audit(ids[2])) == ["queued", "sent"]


def test_acks_make_actions_done_or_refused_with_the_backends_reason(rig):
    a, b = rig.submit(key="PA-1"), rig.submit(key="PA-2", name="assign", args={"agency": "Sở X"})
    rig.outbox.flush(Link()).result(10)
    assert rig.ack(a).state == DONE
    reason = "conflict: cannot assign a report that is received"
    st = rig.ack(b, ok=False, error=reason)
    assert (st.state, st.error) == (REFUSED, reason)
    assert rig.rows() == {a: (DONE, 1, None), b: (REFUSED, 1, reason)}
    assert events(rig.audit(a)) == ["queued", "sent", "done"]
    refused = rig.audit(b)
    assert events(refused) == ["queued", "sent", "refused"] and refused[-1].detail == reason
    assert [(c.id, c.state) for c in rig.changes] == [
        (a, PENDING), (b, PENDING), (a, SENT), (b, SENT), (a, DONE), (b, REFUSED)]
    assert rig.changes[-1].updated_at >= rig.changes[-1].created_at


def test_a_refusal_without_a_reason_still_says_refused(rig):
    a = rig.submit()
    rig.outbox.flush(Link()).result(10)
    assert rig.ack(a, ok=False).error


def test_unacked_actions_are_resent_with_the_same_id_on_every_connection(rig):
    a, b, c = (rig.submit(key=f"PA-{i}") for i in range(3))
    first = Link()
    rig.outbox.connected(first).result(10)
    rig.ack(b)                                    # only b was acknowledged, then the link dropped
    rig.outbox.disconnected()
    second = Link()
    assert rig.outbox.connected(second).result(10) == 2
    assert second.ids == [a, c]                   # same ids, same order, b not again
    rows = rig.rows()
    assert rows[a] == (SENT, 2, None) and rows[b] == (DONE, 1, None)
    assert events(rig.audit(a)) == ["queued", "sent", "resent"]
    rig.ack(a)
    rig.ack(c)
    third = Link()
    assert rig.outbox.connected(third).result(10) == 0 and third.frames == []


def test_refused_actions_are_never_resent(rig):
    a = rig.submit()
    rig.outbox.connected(Link()).result(10)
    rig.ack(a, ok=False, error="forbidden: verify needs the role supervisor")
    again = Link()
    rig.outbox.connected(again).result(10)
    assert again.frames == []
    assert rig.rows()[a][0] == REFUSED


def test_a_link_that_drops_mid_flush_keeps_the_rest_pending(rig):
    ids = [rig.submit(key=f"PA-{i}") for i in range(4)]
    assert rig.outbox.flush(Link(budget=1)).result(10) == 1
    assert [v[0] for v in rig.rows().values()] == [SENT, PENDING, PENDING, PENDING]
    later = Link()
    rig.outbox.connected(later).result(10)
    assert later.ids == ids


def test_a_new_action_goes_out_at_once_while_live_without_resending_the_others(rig):
    old = rig.submit(key="PA-0")
    link = Link()
    rig.outbox.connected(link).result(10)
    new = rig.submit(key="PA-1")                   # no explicit flush
    assert link.ids == [old, new]                  # old was not sent twice
    assert rig.rows()[new] == (SENT, 1, None)
    rig.outbox.disconnected()
    newest = rig.submit(key="PA-2")
    assert link.ids == [old, new] and rig.rows()[newest][0] == PENDING


def test_unknown_and_repeated_acks_are_ignored(rig):
    a = rig.submit()
    rig.outbox.flush(Link()).result(10)
    before = rig.audit()
    assert rig.ack("00000000-0000-4000-8000-000000000000") is None
    assert rig.outbox.on_ack({"type": "ack", "ok": True}) is None          # no id
    assert rig.outbox.on_ack({"type": "error", "code": "bad_request"}) is None
    assert rig.ack(a).state == DONE
    assert rig.ack(a, ok=False, error="late duplicate") is None            # a resend's 2nd ack
    assert rig.rows()[a] == (DONE, 1, None)
    assert events(rig.audit()) == events(before) + ["done"]


# ---------------------------------------------------------------------------- the audit log
def test_the_audit_log_is_append_only(rig):
    rig.submit()
    for sql in ("UPDATE audit SET user = 'someone else'", "DELETE FROM audit"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            rig.writer.call(lambda store: store.conn.execute(sql)).result(10)
        conn = sqlite3.connect(rig.path)
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(sql)
        conn.close()
    assert [(e.event, e.user) for e in rig.audit()] == [("queued", SUPERVISOR["name"])]
    # the outbox itself is a work queue, not the record: its rows may change
    rig.writer.call(lambda store: store.conn.execute("UPDATE outbox SET attempts = 0")).result(10)


def test_every_step_of_every_action_is_in_the_audit_log_in_order(rig):
    a = rig.submit(key="PA-1")
    b = rig.submit(key="PA-2", name="note", args={"text": "đã gọi"}, user=OPERATOR)
    rig.outbox.connected(Link()).result(10)
    rig.outbox.connected(Link()).result(10)
    rig.ack(a)
    rig.ack(b, ok=False, error="conflict: x")
    log = rig.audit()
    assert [(e.action_id, e.event) for e in log] == [
        (a, "queued"), (b, "queued"), (a, "sent"), (b, "sent"), (a, "resent"), (b, "resent"),
        (a, "done"), (b, "refused")]
    assert [e.seq for e in log] == sorted(e.seq for e in log)
    assert all(e.at > 0 for e in log)
    assert {e.user for e in log if e.action_id == b} == {OPERATOR["name"]}


# ---------------------------------------------------------------------------- durability
CRASH_SCRIPT = textwrap.dedent("""
    import json, os, sys
    from ioc_desktop.dispatch.outbox import Outbox
    from ioc_desktop.store.writer import StoreWriter
    path, mode = sys.argv[1], sys.argv[2]
    writer = StoreWriter(path, [])
    outbox = Outbox(writer)
    user = {"name": "Giám sát", "roles": ["supervisor"]}
    action_id, fut = outbox.submit_async("reports", "verify", "PA-9", {}, user)
    fut.result(10)
    if mode == "sent":
        frames = []
        outbox.flush(lambda text: frames.append(text) or True).result(10)
    print(action_id, flush=True)
    os._exit(0)        # a crash: no close, no checkpoint
""")


@pytest.mark.parametrize("mode", ["queued", "sent"])
def test_an_action_survives_a_crash_and_is_resent_with_its_id(tmp_path, mode):
    path = tmp_path / "cache.sqlite"
    out = subprocess.run([sys.executable, "-c", CRASH_SCRIPT, str(path), mode], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    action_id = out.stdout.strip()
    assert Path(str(path) + "-wal").exists()                   # never checkpointed
    rig = Rig(path)
    try:
        (pending,) = rig.outbox.pending().result(10)
        assert (pending.id, pending.state) == (action_id, PENDING if mode == "queued" else SENT)
        link = Link()
        rig.outbox.connected(link).result(10)
        assert link.ids == [action_id]
        assert events(rig.audit(action_id)) == (
            ["queued", "sent"] if mode == "queued" else ["queued", "sent", "resent"])
        rig.ack(action_id)
        assert rig.outbox.pending().result(10) == []
    finally:
        rig.close()


def test_unacked_actions_move_to_the_new_cache_when_the_backend_log_changes(tmp_path):
    rig = Rig(tmp_path / "cache.sqlite")
    try:
        done = rig.submit(key="PA-1")
        waiting = rig.submit(key="PA-2", name="assign", args={"agency": "UBND phường Phú Hội"})
        rig.outbox.flush(Link()).result(10)
        rig.ack(done)
        rig.writer.submit([EventRecord("reports", 1, None, "upsert", "PA-1", {"x": 1}, time.time())])
        archived = rig.writer.call(lambda store: store.rotate("epoch-old")).result(10)
        assert archived is not None and archived.exists()
        assert rig.outbox.pending().result(10) == []           # the new cache is empty…
        assert rig.outbox.carry_over(archived).result(10) == 1
        (moved,) = rig.outbox.pending().result(10)              # …until the carry-over
        assert (moved.id, moved.state, moved.args) == (waiting, SENT, {"agency": "UBND phường Phú Hội"})
        assert events(rig.audit(waiting)) == ["queued", "sent", "queued"]
        assert "carried over" in rig.audit(waiting)[-1].detail
        assert rig.outbox.carry_over(archived).result(10) == 0  # once
        link = Link()
        rig.outbox.connected(link).result(10)
        assert link.ids == [waiting]
    finally:
        rig.close()
    old = sqlite3.connect(archived)                              # the old record stays whole
    assert [r[0] for r in old.execute("SELECT event FROM audit ORDER BY seq")] == [
        "queued", "queued", "sent", "sent", "done"]
    old.close()


# ---------------------------------------------------------------------------- local rules
def backend_reason(data, name, args, roles) -> str:
    with pytest.raises(ActionRefused) as info:
        workflow.apply_action(data, name, args, user="x", roles=roles,
                              now=datetime.now(timezone.utc))
    return str(info.value)


def test_a_viewer_is_refused_locally_with_the_backends_reason(rig):
    report = {"service_request_id": "PA-1", "ioc_status": "received"}
    for name, args in (("verify", {}), ("assign", {"agency": "Sở Xây dựng"}), ("note", {"text": "a"})):
        with pytest.raises(ActionRefused) as info:
            rig.outbox.submit("reports", name, "PA-1", args, VIEWER)
        assert info.value.code == "forbidden"
        assert str(info.value) == backend_reason(report, name, args, ["viewer"])
    rig.outbox.close()                                # every handed-off write is in
    rig.writer.flush()
    assert rig.rows() == {}                           # nothing was queued
    refusals = rig.audit()
    assert [(e.event, e.user, e.name) for e in refusals] == [
        ("refused", VIEWER["name"], "verify"), ("refused", VIEWER["name"], "assign"),
        ("refused", VIEWER["name"], "note")]
    assert refusals[0].detail == "refused locally: forbidden: verify needs the role supervisor"


def test_local_rules_follow_the_role_and_the_reports_state(rig):
    assert rig.submit(name="note", args={"text": "đã liên hệ"}, user=OPERATOR)
    with pytest.raises(ActionRefused, match="forbidden"):
        rig.outbox.submit("reports", "verify", "PA-1", {}, OPERATOR)
    with pytest.raises(ActionRefused, match="forbidden"):
        rig.outbox.submit("reports", "verify", "PA-1", {}, {"name": "nobody"})   # no roles known
    verified = {"service_request_id": "PA-1", "ioc_status": "verified"}
    with pytest.raises(ActionRefused) as info:
        rig.outbox.submit("reports", "verify", "PA-1", {}, SUPERVISOR, data=verified)
    assert (info.value.code, str(info.value)) == (
        "conflict", backend_reason(verified, "verify", {}, ["supervisor"]))
    with pytest.raises(ActionRefused, match="bad_request"):
        rig.outbox.submit("reports", "reject", "PA-1", {"reason": "boring"}, SUPERVISOR)
    past = (datetime.now(timezone.utc) - timedelta(hours=1)).isoformat()
    with pytest.raises(ActionRefused, match="future"):
        rig.outbox.submit("reports", "assign", "PA-1", {"agency": "A", "due": past}, SUPERVISOR,
                          data=verified)
    # a merge target this client doesn't hold is the backend's call
    assert rig.submit(name="merge", args={"into": "PA-7"})
    # a topic without local rules goes to the backend as is
    assert rig.outbox.submit_async("alerts", "acknowledge", "A-1", {}, VIEWER)[1].result(10)


# ---------------------------------------------------------------------------- reads, user
def test_recent_and_pending_reads_for_the_ui(rig):
    a = rig.submit(key="PA-1")
    b = rig.submit(key="PA-2")
    c = rig.submit(key="PA-1", name="note", args={"text": "t"})
    rig.outbox.flush(Link()).result(10)
    rig.ack(a)
    assert [s.id for s in rig.outbox.recent().result(10)] == [c, b, a]
    assert [s.id for s in rig.outbox.recent("PA-1").result(10)] == [c, a]
    assert [s.id for s in rig.outbox.pending().result(10)] == [b, c]
    conn = sqlite3.connect(rig.path)                     # the same from a reader connection
    assert [s.id for s in read_actions(conn, key="PA-1")] == [c, a]
    conn.close()
    fresh = sqlite3.connect(rig.path.with_name("other.sqlite"))
    assert read_actions(fresh) == [] and read_audit(fresh) == []   # no tables yet: nothing
    fresh.close()


def test_the_announced_user_is_remembered_for_its_token_only(rig):
    w = rig.writer
    assert w.call(lambda s: known_user(s, "tok-a")).result(10) is None
    w.call(lambda s: remember_user(s, {"name": "Lan", "roles": ["supervisor", 7]}, "tok-a")).result(10)
    assert w.call(lambda s: known_user(s, "tok-a")).result(10) == {"name": "Lan", "roles": ["supervisor"]}
    assert w.call(lambda s: known_user(s, "tok-b")).result(10) is None
    stored = w.call(lambda s: s.meta("user")).result(10)
    assert "tok-a" not in stored                       # a digest, not the token
    conn = sqlite3.connect(rig.path)
    assert known_user(conn, "tok-a")["roles"] == ["supervisor"]
    conn.close()
