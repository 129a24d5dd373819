"""The demo backend applies dispatch actions: rules, roles from the token, idempotency
by action id (also across a reconnect and a backend restart), events for every client.

A real DemoBackend on loopback and a raw websocket client speaking PROTOCOL.md, so that
what is tested is what any client would get.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import datetime, timedelta

import pytest
from websockets.sync.client import connect

from demo_backend.server import DemoBackend
from feedkit import TicksPlugin
from ioc_desktop.config import DEMO_TOKEN
from ioc_desktop.plugin_api import Plugin, SimEvent, Simulator
from plugins.reports import ReportsPlugin
from plugins.reports import workflow as wf
from plugins.reports.schema import SPEC

START = datetime(2026, 11, 20, 9, 0, tzinfo=wf.VN_TZ)
SUPERVISOR, OPERATOR, VIEWER, AGENCY = DEMO_TOKEN, "hue-ioc-operator", "hue-ioc-viewer", "hue-ioc-agency"


def report(key: str, state: str) -> dict:
    return {"service_request_id": key, "service_code": "VSMT", "service_name": "vệ sinh môi trường",
            "description": "Rác thải tập kết không đúng nơi quy định.",
            "status": wf.open311_status(state),
            "ioc_status": state, "priority": "normal", "lat": 16.46, "long": 107.59,
            "requested_datetime": wf.iso(START - timedelta(hours=1)),
            "reporter": {"name": "Trần Thị B", "phone": "09xx xxx 002"}}


FIXTURE = {"PA-1": "received", "PA-2": "received", "PA-3": "verified", "PA-4": "closed",
           "PA-5": "assigned"}


class FixtureSim(Simulator):
    """Fixed reports at start; records what the backend tells it.  Each tick it draws
    from the rng once per update it was told, so its stream depends on them (as the
    real reports simulator's does): a replay that forgot them would not end where the
    log does."""

    def __init__(self):
        self.ticks = 0
        self.told: list[tuple[int, str, str, dict | None]] = []   # (tick, topic, key, data)
        self.current: dict[str, dict | None] = {}

    def start(self, rng, now):
        return [SimEvent("reports", k, report(k, s)) for k, s in FIXTURE.items()]

    def step(self, rng, now, budget):
        self.ticks += 1
        for _ in range(1 + len(self.told)):
            rng.random()
        return []

    def external_update(self, topic, key, data):
        self.told.append((self.ticks, topic, key, data))
        self.current[key] = data


class FixtureReports(Plugin):
    name = "reports"
    topics = [SPEC]

    def simulator(self):
        return FixtureSim()


def make_backend(log_path=None, rate=0.0, plugins=None) -> DemoBackend:
    return DemoBackend(plugins or [FixtureReports(), TicksPlugin()], seed=4, rate=rate,
                       start=START, log_path=log_path)


@pytest.fixture
def backend(tmp_path):
    b = make_backend(tmp_path / "log.sqlite")
    b.start_in_thread()
    yield b
    b.stop()


class Peer:
    """A raw protocol client: hello, subscribe, actions; keeps the events it receives."""

    def __init__(self, backend: DemoBackend, token: str = SUPERVISOR, subscribe: bool = True):
        self._stack = contextlib.ExitStack()
        self.ws = self._stack.enter_context(connect(
            backend.url(), additional_headers={"Authorization": f"Bearer {token}"}, open_timeout=10))
        self.ws.send(json.dumps({"type": "hello", "client": "test", "protocol": 1}))
        self.welcome = json.loads(self.ws.recv(10))
        assert self.welcome["type"] == "welcome"
        self.events: list[dict] = []
        if subscribe:
            self.ws.send(json.dumps({"type": "subscribe", "topics": {"reports": {"after": 0}}}))
            self.wait_seq(backend.head()["reports"])

    def recv(self, timeout: float = 10) -> dict:
        msg = json.loads(self.ws.recv(timeout))
        if msg["type"] == "event":
            self.events.append(msg)
        elif msg["type"] == "snapshot":
            raise AssertionError("no snapshot expected")
        return msg

    def wait_seq(self, seq: int) -> None:
        while not self.events or self.events[-1]["seq"] < seq:
            self.recv()

    def send(self, action_id, name, key, args=None, topic="reports", **extra) -> dict:
        msg = {"type": "action", "id": action_id, "topic": topic, "name": name, "key": key,
               "args": {} if args is None else args, **extra}
        self.ws.send(json.dumps(msg))
        return msg

    def ack(self, action_id) -> dict:
        while True:
            msg = self.recv()
            if msg["type"] == "ack" and msg.get("id") == action_id:
                return msg
            assert msg["type"] == "event", msg

    def act(self, action_id, name, key, args=None, **kw) -> dict:
        self.send(action_id, name, key, args, **kw)
        return self.ack(action_id)

    def quiet(self, seconds: float = 0.4) -> list[dict]:
        """What arrives within ``seconds`` (expected: nothing)."""
        got = []
        try:
            while True:
                got.append(self.recv(seconds))
        except TimeoutError:
            return got

    def close(self):
        self._stack.close()


def latest(peer: Peer, key: str) -> dict:
    return [e for e in peer.events if e["key"] == key][-1]


# --------------------------------------------------------------------------- applying
def test_supervisor_verify_publishes_an_upsert_for_every_client(backend):
    watcher = Peer(backend, VIEWER)                   # another client sees the change
    peer = Peer(backend, SUPERVISOR)
    head = backend.head()["reports"]
    assert peer.act("a-1", "verify", "PA-1") == {"type": "ack", "id": "a-1", "ok": True}
    peer.wait_seq(head + 1)
    ev = latest(peer, "PA-1")
    assert (ev["op"], ev["seq"], ev["topic"]) == ("upsert", head + 1, "reports")
    data = ev["data"]
    assert (data["ioc_status"], data["status"], data["process"]) == ("verified", "open", "timed")
    assert data["history"] == [{"action": "verify", "by": "Ca trực IOC (demo)", "at": wf.iso(START),
                                "from": "received", "to": "verified"}]
    watcher.wait_seq(head + 1)
    assert latest(watcher, "PA-1")["data"] == data
    assert backend.topics["reports"].state["PA-1"] == data
    # the simulator was told, with a copy of its own
    sim = backend.sims[0]
    assert sim.told[-1][1:3] == ("reports", "PA-1") and sim.told[-1][3] == data
    assert sim.told[-1][3] is not backend.topics["reports"].state["PA-1"]


def test_a_whole_lifecycle_and_agency_steps(backend):
    peer, agency = Peer(backend), Peer(backend, AGENCY)
    assert peer.act("l-1", "assign", "PA-3", {"agency": "Sở Xây dựng"})["ok"]
    assert agency.act("l-2", "start", "PA-3")["ok"]
    assert agency.act("l-3", "resolve", "PA-3", {"result": "Đã xử lý xong."})["ok"]
    assert agency.act("l-4", "close", "PA-3") == {
        "type": "ack", "id": "l-4", "ok": False, "error": "forbidden: close needs the role supervisor"}
    assert peer.act("l-5", "close", "PA-3")["ok"]
    peer.wait_seq(backend.head()["reports"])
    data = latest(peer, "PA-3")["data"]
    assert (data["ioc_status"], data["status"]) == ("closed", "closed")
    assert [h["action"] for h in data["history"]] == ["assign", "start", "resolve", "close"]
    assert [h["by"] for h in data["history"]] == ["Ca trực IOC (demo)", "Đơn vị xử lý (demo)",
                                                  "Đơn vị xử lý (demo)", "Ca trực IOC (demo)"]


def test_merge_changes_two_reports(backend):
    peer = Peer(backend)
    head = backend.head()["reports"]
    assert peer.act("m-1", "merge", "PA-2", {"into": "PA-3"})["ok"]
    peer.wait_seq(head + 2)
    assert [(e["key"], e["seq"]) for e in peer.events[-2:]] == [("PA-2", head + 1), ("PA-3", head + 2)]
    dup, kept = latest(peer, "PA-2")["data"], latest(peer, "PA-3")["data"]
    assert (dup["ioc_status"], dup["merged_into"]) == ("rejected", "PA-3")
    assert (kept["ioc_status"], kept["merged_from"]) == ("verified", ["PA-2"])
    assert {k for _, _, k, _ in backend.sims[0].told} >= {"PA-2", "PA-3"}


# --------------------------------------------------------------------------- refusals
@pytest.mark.parametrize("name,key,args,error", [
    ("close", "PA-1", {}, "conflict: cannot close a report that is received"),
    ("verify", "PA-4", {}, "conflict: cannot verify a report that is closed"),
    ("reject", "PA-1", {"reason": "boring"}, "bad_request: reject reason must be one of "
                                             "['invalid', 'out_of_scope', 'duplicate']"),
    ("assign", "PA-3", {}, "bad_request: 'agency' is required"),
    ("merge", "PA-1", {"into": "PA-4"}, "conflict: PA-4 is closed: merge into an open report"),
    ("verify", "PA-404", {}, "not_found: no item 'PA-404' in reports"),
    ("merge", "PA-1", {"into": "PA-404"}, "not_found: no report 'PA-404' to merge into"),
    ("escalate", "PA-1", {}, "bad_request: unknown action 'escalate'"),
])
def test_refused_actions_say_why_and_change_nothing(backend, name, key, args, error):
    peer = Peer(backend)
    head = backend.head()["reports"]
    before = dict(backend.topics["reports"].state)
    assert peer.act("r-1", name, key, args) == {"type": "ack", "id": "r-1", "ok": False, "error": error}
    assert peer.quiet() == []
    assert backend.head()["reports"] == head and backend.topics["reports"].state == before
    assert backend.actions.applied == 0


@pytest.mark.parametrize("token,role", [(VIEWER, "viewer"), (OPERATOR, "operator")])
def test_viewer_and_operator_cannot_dispatch(backend, token, role):
    peer = Peer(backend, token)
    assert peer.welcome["user"]["roles"] == [role]
    head = backend.head()["reports"]
    for i, (name, key, args) in enumerate([("verify", "PA-1", {}),
                                           ("assign", "PA-3", {"agency": "Sở Xây dựng"}),
                                           ("reject", "PA-1", {"reason": "invalid"}),
                                           ("merge", "PA-1", {"into": "PA-3"})]):
        ack = peer.act(f"{role}-{i}", name, key, args)
        assert ack["ok"] is False and ack["error"] == f"forbidden: {name} needs the role supervisor"
    # the message can't claim other roles: they come from the token
    ack = peer.act(f"{role}-x", "verify", "PA-1", user={"roles": ["supervisor"]}, roles=["supervisor"])
    assert ack["error"].startswith("forbidden: ")
    assert peer.quiet() == [] and backend.head()["reports"] == head
    note = peer.act(f"{role}-note", "note", "PA-1", {"text": "Đã liên hệ."})
    if role == "operator":                       # an operator may add notes
        assert note["ok"] is True
        peer.wait_seq(head + 1)
        assert latest(peer, "PA-1")["data"]["history"][-1]["note"] == "Đã liên hệ."
    else:
        assert note["error"] == "forbidden: note needs the role operator or supervisor or agency"
        assert backend.head()["reports"] == head


@pytest.mark.parametrize("msg,error", [
    ({"id": None}, "bad_request: 'id' must be text"),
    ({"id": ""}, "bad_request: 'id' must be text"),
    ({"id": 17}, "bad_request: 'id' must be text"),
    ({"id": "x" * 101}, "bad_request: 'id' must be text"),
    ({"topic": "nope"}, "bad_request: unknown topic 'nope'"),
    ({"topic": None}, "bad_request: unknown topic"),
    ({"topic": "ticks", "key": "k1"}, "not_supported: topic 'ticks' accepts no actions"),
    ({"key": 5}, "bad_request: 'key' must be text"),
    ({"key": ""}, "bad_request: 'key' must be text"),
    ({"name": None}, "bad_request: 'name' must be"),
    ({"args": ["x"]}, "bad_request: 'args' must be an object"),
])
def test_bad_envelopes(backend, msg, error):
    peer = Peer(backend)
    frame = {"type": "action", "id": "e-1", "topic": "reports", "name": "verify", "key": "PA-1",
             "args": {}, **msg}
    peer.ws.send(json.dumps(frame))
    while (ack := peer.recv())["type"] != "ack":
        pass
    expected_id = frame["id"] if isinstance(frame["id"], str) and 0 < len(frame["id"]) <= 100 else None
    assert ack["id"] == expected_id and ack["ok"] is False
    assert ack["error"].startswith(error), ack
    assert backend.actions.applied == 0


def test_missing_args_means_none(backend):
    peer = Peer(backend)
    peer.ws.send(json.dumps({"type": "action", "id": "n-1", "topic": "reports", "name": "verify",
                             "key": "PA-1"}))
    assert peer.ack("n-1")["ok"] is True


def test_a_report_cannot_grow_without_bound(backend):
    peer = Peer(backend, OPERATOR)
    big = "x" * 2000
    oks = [peer.act(f"g-{i}", "note", "PA-1", {"text": big}) for i in range(140)]
    assert all(a["ok"] for a in oks[:100])
    assert oks[-1]["error"].startswith("conflict: PA-1 would grow past")


# --------------------------------------------------------------------------- idempotency
def test_same_id_twice_on_one_connection_is_applied_once(backend):
    peer = Peer(backend)
    head = backend.head()["reports"]
    peer.send("d-1", "note", "PA-1", {"text": "một lần"})
    peer.send("d-1", "note", "PA-1", {"text": "một lần"})      # before the first ack
    first, second = peer.ack("d-1"), peer.ack("d-1")
    assert first == second == {"type": "ack", "id": "d-1", "ok": True}
    peer.wait_seq(head + 1)
    assert peer.quiet() == []
    assert backend.head()["reports"] == head + 1 and backend.actions.applied == 1
    assert len(backend.topics["reports"].state["PA-1"]["history"]) == 1


def test_a_refusal_is_remembered_too(backend):
    """A resent id gets the first answer, even though the state changed meanwhile."""
    peer = Peer(backend)
    first = peer.act("f-1", "assign", "PA-1", {"agency": "Sở Xây dựng"})
    assert first["error"] == "conflict: cannot assign a report that is received"
    assert peer.act("f-2", "verify", "PA-1")["ok"]
    assert peer.act("f-1", "assign", "PA-1", {"agency": "Sở Xây dựng"}) == first
    assert backend.topics["reports"].state["PA-1"]["ioc_status"] == "verified"


def test_same_id_with_other_content_is_a_conflict(backend):
    peer = Peer(backend)
    assert peer.act("c-1", "note", "PA-1", {"text": "A"})["ok"]
    for name, key, args in [("note", "PA-1", {"text": "B"}), ("note", "PA-2", {"text": "A"}),
                            ("verify", "PA-1", {})]:
        ack = peer.act("c-1", name, key, args)
        assert ack["ok"] is False and ack["error"].startswith("conflict: action id 'c-1' was already used")
    assert peer.act("c-1", "note", "PA-1", {"text": "A"}) == {"type": "ack", "id": "c-1", "ok": True}
    assert backend.actions.applied == 1
    assert [h.get("note") for h in backend.topics["reports"].state["PA-1"]["history"]] == ["A"]


def test_same_id_across_a_reconnect(backend):
    peer = Peer(backend)
    head = backend.head()["reports"]
    assert peer.act("rc-1", "verify", "PA-1")["ok"]
    peer.close()
    again = Peer(backend)           # a new connection (and a fresh subscribe from 0)
    assert again.act("rc-1", "verify", "PA-1") == {"type": "ack", "id": "rc-1", "ok": True}
    assert again.quiet() == []
    assert backend.head()["reports"] == head + 1 and backend.actions.applied == 1


def test_same_id_across_a_backend_restart(tmp_path):
    log_path = tmp_path / "log.sqlite"
    first = make_backend(log_path)
    first.start_in_thread()
    try:
        peer = Peer(first)
        ok = peer.act("rs-1", "verify", "PA-1")
        refused = peer.act("rs-2", "close", "PA-2")
        head = first.head()["reports"]
        state = first.topics["reports"].state["PA-1"]
        peer.close()
    finally:
        first.stop()
    second = make_backend(log_path)
    second.start_in_thread()
    try:
        assert second.epoch == first.epoch and second.head()["reports"] == head
        assert second.topics["reports"].state["PA-1"] == state          # the log kept it
        peer = Peer(second)
        assert peer.act("rs-1", "verify", "PA-1") == ok == {"type": "ack", "id": "rs-1", "ok": True}
        assert peer.act("rs-2", "close", "PA-2") == refused
        assert peer.act("rs-1", "note", "PA-1", {"text": "x"})["error"].startswith("conflict: ")
        assert peer.quiet() == [] and second.head()["reports"] == head
        assert second.actions.applied == 0
        assert len(second.topics["reports"].state["PA-1"]["history"]) == 1
        # the simulator was realigned with the restored state
        assert second.sims[0].current["PA-1"] == state
    finally:
        second.stop()
    conn = sqlite3.connect(log_path)
    try:
        rows = conn.execute("SELECT id, name, key, by, at, seqs, ack FROM actions ORDER BY rowid").fetchall()
    finally:
        conn.close()
    assert [r[:5] for r in rows] == [("rs-1", "verify", "PA-1", "Ca trực IOC (demo)", wf.iso(START)),
                                     ("rs-2", "close", "PA-2", "Ca trực IOC (demo)", wf.iso(START))]
    assert json.loads(rows[0][5]) == [["reports", head]] and json.loads(rows[1][5]) == []
    assert json.loads(rows[1][6])["error"] == "conflict: cannot close a report that is received"


def test_without_a_log_file_ids_are_remembered_in_memory():
    b = make_backend(None)
    sup = b.tokens[SUPERVISOR]
    msg = {"type": "action", "id": "mem-1", "topic": "reports", "name": "verify", "key": "PA-1", "args": {}}
    assert b.actions.handle(msg, sup) == b.actions.handle(dict(msg), sup)
    assert b.actions.applied == 1 and b.head()["reports"] == len(FIXTURE) + 1


# --------------------------------------------------------------------------- simulators
def test_replay_tells_the_simulators_at_the_same_step(tmp_path):
    """After a restart the simulators end exactly where they were: what actions changed
    is told them again at the tick it happened, then every restored item."""
    log_path = tmp_path / "log.sqlite"
    sup = {"name": "Trưởng ca", "roles": ["supervisor"]}
    b1 = make_backend(log_path, rate=10)
    for _ in range(5):
        b1.step()
    assert json.loads(b1.actions.handle({"type": "action", "id": "s-1", "topic": "reports",
                                         "name": "verify", "key": "PA-1", "args": {}}, sup))["ok"]
    for _ in range(5):
        b1.step()
    rng_state, told = b1.rng.getstate(), list(b1.sims[0].told)
    assert [(t, k) for t, _, k, _ in told] == [(5, "PA-1")]
    b1._db.close()

    b2 = make_backend(log_path, rate=10)
    assert b2.steps == 10
    assert b2.rng.getstate() == rng_state            # the same draws as the first run
    sim = b2.sims[0]
    assert sim.told[0] == told[0]                    # at tick 5, with the logged data
    realigned = sim.told[1:]
    assert {k for _, _, k, _ in realigned} == set(FIXTURE)
    assert all(t == 10 for t, *_ in realigned)
    assert sim.current == b2.topics["reports"].state
    b2._db.close()


def test_the_real_reports_simulator_takes_the_change():
    """With the real reports plugin: an action on one of its reports is published and
    the simulator's next ticks don't overwrite it with stale data."""
    b = DemoBackend([ReportsPlugin()], seed=4, rate=0, start=START)
    state = b.topics["reports"].state
    key = next(k for k, d in state.items() if d["ioc_status"] == "received")
    sup = b.tokens[SUPERVISOR]
    ack = json.loads(b.actions.handle({"type": "action", "id": "real-1", "topic": "reports",
                                       "name": "note", "key": key, "args": {"text": "Ghi chú"}}, sup))
    assert ack["ok"] is True
    assert state[key]["history"][-1]["note"] == "Ghi chú"
    b.rate = 200
    for _ in range(200):
        b.step()
    # the simulator may have moved it on since, but from the version with the note
    assert any(h.get("note") == "Ghi chú" for h in state[key].get("history", [])), state[key]


def test_a_restart_after_actions_continues_as_if_never_stopped(tmp_path):
    """The real reports simulator, actions among its ticks, a restart: the restarted
    backend's next events are exactly those the first one would have sent."""
    log_path = tmp_path / "log.sqlite"
    sup = {"name": "Trưởng ca", "roles": ["supervisor"]}

    def run(b, steps):
        for _ in range(steps):
            b.step()

    first = DemoBackend([ReportsPlugin()], seed=6, rate=100, start=START, log_path=log_path)
    state = first.topics["reports"].state
    done = []
    for i, name in enumerate(["verify", "reject", "merge", "note", "verify"]):
        run(first, 20)
        for key, data in list(state.items()):
            if name in wf.allowed_actions(data, ["supervisor"]) and key not in done:
                args = {"reject": {"reason": "invalid"}, "note": {"text": "x"},
                        "merge": {"into": next(k for k, d in state.items() if k != key
                                               and d["ioc_status"] == "verified")}}.get(name, {})
                msg = {"type": "action", "id": f"x-{i}", "topic": "reports", "name": name,
                       "key": key, "args": args}
                assert json.loads(first.actions.handle(msg, sup))["ok"], msg
                done.append(key)
                break
    assert first.actions.applied == 5
    run(first, 20)
    first._db.close()
    first._db = None                       # keep going in memory only: the reference
    head = first.head()["reports"]
    run(first, 100)
    expected = list(first.topics["reports"].frames)[-(first.head()["reports"] - head):]

    second = DemoBackend([ReportsPlugin()], seed=6, rate=100, start=START, log_path=log_path)
    assert second.head()["reports"] == head
    run(second, 100)
    got = list(second.topics["reports"].frames)[-(second.head()["reports"] - head):]
    assert len(got) == len(expected) > 100
    assert got == expected
    second._db.close()


def test_an_agency_never_receives_the_reporter(backend):
    # the reporter's identity is for IOC roles only (DOMAIN.md): an agency's feed has none
    ioc = Peer(backend, SUPERVISOR)
    agency = Peer(backend, AGENCY)
    try:
        assert all("reporter" in e["data"] for e in ioc.events)
        assert agency.events and all("reporter" not in e["data"] for e in agency.events)
        assert "Trần Thị B" not in json.dumps([e["data"] for e in agency.events], ensure_ascii=False)
        # and on the events that follow: the agency's own step, a note with history
        assert agency.act("ag-1", "start", "PA-5")["ok"] is True
        agency.wait_seq(backend.head()["reports"])
        assert "reporter" not in latest(agency, "PA-5")["data"]
        ioc.wait_seq(backend.head()["reports"])
        assert latest(ioc, "PA-5")["data"]["reporter"]["name"] == "Trần Thị B"
    finally:
        ioc.close()
        agency.close()
