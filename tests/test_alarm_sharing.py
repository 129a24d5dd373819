"""Shared alarm actions (protocol extension ``alarm-actions``): an operator's action on
one console reaches every console on the same backend, once; a backend without the
extension keeps them local and the console says so; offline they are queued and go out
once; the role rules hold on the console and on the backend; a hostile relayed event
is refused or ignored with a reason while the feed goes on; the headless commands list
alarms and queue actions that ``sync`` delivers.

Real parts: the demo backend on loopback, real cache files, the app's FeedService (two
of them: two consoles), ``main.py`` in its own process for the headless commands.
"""
from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest
from websockets.sync.client import connect

from demo_backend.server import DemoBackend
from feedkit import wait_for
from ioc_desktop import protocol
from ioc_desktop.alarms import (ACKNOWLEDGED, OUT_OF_SERVICE, SHELVED, UNACKNOWLEDGED,
                                alarm_id_for, sharing)
from ioc_desktop.config import DEMO_TOKEN, ClientConfig
from ioc_desktop.feed.client import FeedStatus
from ioc_desktop.interop import VN_TZ
from ioc_desktop.plugin_api import ActionRefused, ActionUser
from ioc_desktop.qt_bridge import FeedService
from plugins.vessels import VesselsPlugin, schema
from plugins.vessels.rules import AREA_ENTRY, area_key

REPO = Path(__file__).resolve().parents[1]
MAIN = [sys.executable, str(REPO / "main.py")]
VESSEL = "T-990001"
ENTRY = alarm_id_for(AREA_ENTRY, area_key("thuan_an_restricted", VESSEL))
OPERATOR_TOKEN = "hue-ioc-operator"
SUPERVISOR_NAME = "Ca trực IOC (demo)"        # the demo token's user (demo_backend.server)
OPERATOR_NAME = "Trực ban (demo)"


def quiet_vessels() -> VesselsPlugin:
    plugin = VesselsPlugin()
    plugin.simulator_class = None       # no demo fleet: only the vessel the test moves
    return plugin


def fix(lat: float, lon: float, t: float) -> dict:
    return schema.validate({
        "vessel_id": VESSEL, "name": "TTH 990001 TS", "registration": "TTH-990001-TS",
        "lat": lat, "long": lon, "sog": 8.0, "cog": 90.0,
        "time": datetime.fromtimestamp(t, VN_TZ).isoformat(timespec="seconds"),
        "length_m": 18.0, "home_port": "Thuận An", "status": "fishing"})


def cross_the_restricted_area(backend) -> None:
    """Two fixes outside the area, ten minutes apart; the segment crosses it: every
    console raises ENTRY (latching, priority 2)."""
    t0 = time.time() - 1200
    backend.publish("vessels", VESSEL, fix(16.635, 107.70, t0))
    backend.publish("vessels", VESSEL, fix(16.635, 107.85, t0 + 600))


def journal(cache, alarm_id: str | None = None) -> list[tuple]:
    """(event, to_state, user, reason, action_id) of the cache's alarm journal."""
    conn = sqlite3.connect(cache)
    try:
        sql = "SELECT event, to_state, user, reason, action_id FROM alarm_events"
        if alarm_id is None:
            return conn.execute(sql + " ORDER BY seq").fetchall()
        return conn.execute(sql + " WHERE alarm_id = ? ORDER BY seq", (alarm_id,)).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def rows(cache, sql: str, *args) -> list[tuple]:
    conn = sqlite3.connect(cache)
    try:
        return conn.execute(sql, args).fetchall()
    except sqlite3.OperationalError:
        return []
    finally:
        conn.close()


def acted(cache, alarm_id: str, event: str) -> list[tuple]:
    return [e for e in journal(cache, alarm_id) if e[0] == event]


def journaled(cache, alarm_id: str, event: str) -> list[tuple]:
    """:func:`acted` once it holds an entry: the situation layer hands its views the
    transition and queues its journal entry for the writer without waiting for it (the
    entry is committed a moment later)."""
    wait_for(lambda: acted(cache, alarm_id, event), what=f"the journal's {event} of {alarm_id}")
    return acted(cache, alarm_id, event)


class Console:
    """One console: a FeedService with its own cache, and what its views were told."""

    def __init__(self, qtbot, tmp_path, name: str, url: str, token: str = DEMO_TOKEN):
        self.cache = tmp_path / f"{name}.sqlite"
        self.service = FeedService(ClientConfig(server=url, token=token, cache=self.cache,
                                                lang="en"), [VesselsPlugin()])
        self.alarms: dict = {}
        self.sharing: list[str] = []
        self.service.alarmsChanged.connect(
            lambda delta: self.alarms.update({a.id: a for a in delta.changed}))
        self.service.alarmSharingChanged.connect(self.sharing.append)
        self.qtbot = qtbot

    def start(self, status=FeedStatus.LIVE) -> "Console":
        self.service.start()
        self.qtbot.waitUntil(lambda: self.service.state.status == status, timeout=15000)
        return self

    def state(self, alarm_id: str) -> str | None:
        """The alarm's state as this console's views were told."""
        alarm = self.alarms.get(alarm_id)
        return None if alarm is None else alarm.state

    def stop(self) -> None:
        self.service.stop()


@pytest.fixture
def backend():
    b = DemoBackend([quiet_vessels()], seed=3, rate=0)
    b.start_in_thread()
    yield b
    b.stop()


@pytest.fixture
def consoles(qtbot, tmp_path, backend):
    """Two consoles on one backend, both raising ENTRY: A is a supervisor (the demo
    token), B an operator."""
    a = Console(qtbot, tmp_path, "a", backend.url()).start()
    b = Console(qtbot, tmp_path, "b", backend.url(), OPERATOR_TOKEN).start()
    try:
        qtbot.waitUntil(lambda: a.service.alarm_sharing == sharing.SHARED
                        and b.service.alarm_sharing == sharing.SHARED, timeout=5000)
        cross_the_restricted_area(backend)
        qtbot.waitUntil(lambda: a.state(ENTRY) == UNACKNOWLEDGED
                        and b.state(ENTRY) == UNACKNOWLEDGED, timeout=10000)
        yield a, b
    finally:
        a.stop()
        b.stop()


def within_a_second(qtbot, condition) -> float:
    """Seconds until ``condition`` holds on the GUI thread (at most one: else fail)."""
    start = time.monotonic()
    qtbot.waitUntil(condition, timeout=1000)
    return time.monotonic() - start


# ------------------------------------------------------------------ two consoles
def test_an_acknowledgement_reaches_the_other_console_within_a_second_and_once(
        consoles, backend, qtbot):
    a, b = consoles
    future = a.service.alarm_action("acknowledge", ENTRY, reason="calling the skipper")
    within_a_second(qtbot, lambda: b.state(ENTRY) == ACKNOWLEDGED)
    assert [(t.event, t.to_state) for t in future.result(5)] == [("acknowledge", ACKNOWLEDGED)]
    # its own views hear of it with the next delta (coalesced, at most 4 a second)
    qtbot.waitUntil(lambda: a.state(ENTRY) == ACKNOWLEDGED, timeout=2000)
    # the second console's journal says who (the first console's user), why, which action
    ((event, state, user, reason, action_id),) = journaled(b.cache, ENTRY, "acknowledge")
    assert (event, state, user, reason) == ("acknowledge", ACKNOWLEDGED, SUPERVISOR_NAME,
                                            "calling the skipper")
    assert b.alarms[ENTRY].acked_by == SUPERVISOR_NAME
    # the same action id on both consoles: the outbox's, relayed by the backend
    assert [r[4] for r in acted(a.cache, ENTRY, "acknowledge")] == [action_id]
    wait_for(lambda: rows(a.cache, "SELECT state, attempts FROM outbox WHERE id = ?", action_id)
             == [("done", 1)], what="the ack of the action")
    # both caches keep the relayed event in their log (review sees it), applied once
    for cache in (a.cache, b.cache):
        wait_for(lambda: rows(cache, "SELECT key FROM events WHERE topic = ?", sharing.TOPIC)
                 == [(action_id,)], what="the relayed event in the cache's log")
    time.sleep(0.3)                     # nothing more arrives: applied once on each console
    assert len(acted(a.cache, ENTRY, "acknowledge")) == len(acted(b.cache, ENTRY, "acknowledge")) == 1
    assert backend.actions.applied == 1 and backend.head()[sharing.TOPIC] == 1


def test_shelve_and_out_of_service_reach_the_other_console_with_who_why_and_until(
        consoles, qtbot):
    a, b = consoles
    until = time.time() + 3600
    a.service.alarm_action("shelve", ENTRY, until=until, reason="sensor maintenance")
    within_a_second(qtbot, lambda: b.state(ENTRY) == SHELVED)
    shelved = b.alarms[ENTRY]
    assert (shelved.shelved_by, shelved.shelve_reason) == (SUPERVISOR_NAME, "sensor maintenance")
    assert abs(shelved.shelved_until - until) < 0.01
    ((_, _, user, reason, _),) = journaled(b.cache, ENTRY, "shelve")
    assert (user, reason) == (SUPERVISOR_NAME, "sensor maintenance")

    a.service.alarm_action("remove_from_service", ENTRY, reason="buoy under repair")
    within_a_second(qtbot, lambda: b.state(ENTRY) == OUT_OF_SERVICE)
    assert (b.alarms[ENTRY].oos_by, b.alarms[ENTRY].oos_reason) == (SUPERVISOR_NAME,
                                                                    "buoy under repair")
    a.service.alarm_action("return_to_service", ENTRY)
    within_a_second(qtbot, lambda: b.state(ENTRY) not in (OUT_OF_SERVICE, None))
    assert [e[0] for e in journal(b.cache, ENTRY)][-3:] == [
        "shelve", "out_of_service", "return_to_service"]
    # a silence (of the tones, not an acknowledgement) is shared too
    a.service.alarm_action("silence", None, until=time.time() + 120, reason="briefing")
    wait_for(lambda: [e[:4] for e in journal(b.cache) if e[0] == "silence"] == [
        ("silence", None, SUPERVISOR_NAME, "briefing")], timeout=1, what="the relayed silence")
    # and the other way round: the operator's acknowledgement reaches the supervisor
    b.service.alarm_action("acknowledge", ENTRY)
    within_a_second(qtbot, lambda: a.state(ENTRY) == ACKNOWLEDGED)
    assert acted(a.cache, ENTRY, "acknowledge")[-1][2] == OPERATOR_NAME


# ------------------------------------------------------------------ role rules
def test_an_operator_cannot_take_an_alarm_out_of_service_here_nor_at_the_backend(
        consoles, backend, qtbot):
    a, b = consoles
    with pytest.raises(ActionRefused) as refused:
        b.service.alarm_action("remove_from_service", ENTRY, reason="mine")
    assert refused.value.code == "forbidden" and "supervisor" in str(refused.value)
    with pytest.raises(ActionRefused):
        b.service.alarm_action("shelve", ENTRY, until=time.time() + 60, reason="")  # no reason
    with pytest.raises(ActionRefused):
        b.service.alarm_action("shelve", ENTRY, reason="no expiry")
    wait_for(lambda: any("refused locally" in (r[0] or "") for r in rows(
        b.cache, "SELECT detail FROM audit WHERE name = 'remove_from_service'")),
        what="the local refusal in the audit log")
    assert acted(b.cache, ENTRY, "out_of_service") == []
    assert rows(b.cache, "SELECT count(*) FROM outbox") == [(0,)]
    # a client that skips the local check: the backend refuses it too
    with connect(backend.url(), additional_headers={"Authorization": f"Bearer {OPERATOR_TOKEN}"},
                 open_timeout=10) as ws:
        ws.send(protocol.hello((sharing.EXTENSION,)))
        welcome = json.loads(ws.recv(10))
        assert sharing.EXTENSION in welcome["extensions"]
        ws.send(protocol.action("rogue-1", sharing.TOPIC, "remove_from_service", ENTRY,
                                {"reason": "mine", "at": sharing.to_rfc3339(time.time())}))
        ack = json.loads(ws.recv(10))
    assert ack == {"type": "ack", "id": "rogue-1", "ok": False,
                   "error": "forbidden: supervisor role required"}
    assert backend.head()[sharing.TOPIC] == 0
    time.sleep(0.3)
    assert b.state(ENTRY) == a.state(ENTRY) == UNACKNOWLEDGED


def test_the_rules_are_the_same_on_the_console_and_the_backend():
    now = datetime.now(VN_TZ)
    later = sharing.to_rfc3339(time.time() + 60)
    supervisor = ActionUser("s", ("operator", "supervisor"))
    for roles, name, args, code in [
            (("viewer",), "acknowledge", {}, "forbidden"),
            ((), "acknowledge", {}, "forbidden"),
            (("operator",), "return_to_service", {}, "forbidden"),
            (("operator",), "shelve", {"reason": "r"}, "bad_request"),          # no until
            (("operator",), "shelve", {"until": later}, "bad_request"),         # no reason
            (("operator",), "shelve", {"until": later, "reason": "x" * 501}, "bad_request"),
            (("operator",), "shelve", {"until": "soon", "reason": "r"}, "bad_request"),
            (("operator",), "acknowledge", {"reason": "\u202eevil"}, "bad_request"),
            (("operator",), "launch", {}, "bad_request")]:
        with pytest.raises(ActionRefused) as refused:
            sharing.check_action(name, ENTRY, args, roles)
        assert refused.value.code == code, (roles, name, args)
        with pytest.raises(ActionRefused):
            sharing.relay_data("id-1", name, ENTRY, args, ActionUser("u", roles), now)
    data = sharing.relay_data("id-2", "shelve", ENTRY, {"until": later, "reason": "r"},
                              supervisor, now)
    assert data["user"] == "s" and data["alarm_id"] == ENTRY and data["at"]
    assert sharing.parse_relayed("id-2", data).until == pytest.approx(
        sharing.from_rfc3339(later))


# ------------------------------------------------------------------ hostile relays
def test_a_hostile_relayed_event_is_refused_or_ignored_with_a_reason_and_the_feed_goes_on(
        consoles, backend, qtbot):
    a, b = consoles
    at = sharing.to_rfc3339(time.time())

    def relayed(key, **changes):
        data = {"action_id": key, "action": "acknowledge", "alarm_id": ENTRY,
                "user": "Mallory", "roles": ["operator"], "reason": None, "until": None,
                "priority": None, "at": at}
        data.update(changes)
        backend.publish(sharing.TOPIC, key, data)

    relayed("h-types", user=5, reason=["not", "text"])
    relayed("h-huge", reason="x" * 100_000)
    relayed("h-unknown", alarm_id="no.such.rule/somewhere")
    relayed("h-bidi", user="\u202eadmin")
    relayed("h-key", action_id="h-other")               # its key is not its id
    backend.publish(sharing.TOPIC, "h-list", ["not", "an", "object"])
    relayed("h-good", user="Người thật")                # the feed went on: this one applies
    qtbot.waitUntil(lambda: b.state(ENTRY) == ACKNOWLEDGED, timeout=5000)
    assert acted(b.cache, ENTRY, "acknowledge") == [
        ("acknowledge", ACKNOWLEDGED, "Người thật", None, "h-good")]
    for console in (a, b):
        refused = [r for (r,) in rows(console.cache,
                                      "SELECT reason FROM rejected WHERE topic = ?", sharing.TOPIC)]
        assert any("data.user" in r for r in refused), refused
        assert any("data.reason" in r and "longer" in r for r in refused), refused
        assert any("control characters" in r for r in refused), refused
        assert any("must be an object" in r for r in refused), refused
        ignored = dict(console.service.situation.relay_ignored)
        assert "no such alarm rule" in ignored["h-unknown"]
        assert "not its action id" in ignored["h-key"]
        assert console.service.state.status == FeedStatus.LIVE
    # the feed goes on: the next vessel fix is taken
    backend.publish("vessels", VESSEL, fix(16.635, 107.90, time.time() - 60))
    wait_for(lambda: b.service.situation.models["vessels"].model.last_fix(VESSEL).lon == 107.90,
             what="the next fix")


# ------------------------------------------------------------------ without the extension
def test_a_backend_without_the_extension_keeps_actions_local_and_says_so(qtbot, tmp_path):
    plain = DemoBackend([quiet_vessels()], seed=3, rate=0,
                        extensions=(protocol.BATCH_EXTENSION, protocol.SNAPSHOT_PARTS_EXTENSION))
    plain.start_in_thread()
    a = Console(qtbot, tmp_path, "a", plain.url())
    try:
        a.start()
        qtbot.waitUntil(lambda: a.service.alarm_sharing == sharing.LOCAL_ONLY, timeout=5000)
        assert a.sharing[-1] == sharing.LOCAL_ONLY           # the signal said so
        cross_the_restricted_area(plain)
        qtbot.waitUntil(lambda: a.state(ENTRY) == UNACKNOWLEDGED, timeout=10000)
        a.service.alarm_action("acknowledge", ENTRY).result(5)     # applied at once
        qtbot.waitUntil(lambda: a.state(ENTRY) == ACKNOWLEDGED, timeout=2000)
        ((_, _, user, _, action_id),) = acted(a.cache, ENTRY, "acknowledge")
        assert user == SUPERVISOR_NAME and action_id          # journaled, with an id
        time.sleep(0.3)
        # the plain backend saw nothing new: no topic asked for, no action sent
        assert all(sharing.TOPIC not in s for s in plain.subscriptions)
        assert plain.actions.applied == 0 and sharing.TOPIC not in plain.head()
        assert rows(a.cache, "SELECT count(*) FROM outbox") == [(0,)]
        assert rows(a.cache, "SELECT value FROM meta WHERE key = ?", sharing.META_KEY) == [
            (sharing.LOCAL_ONLY,)]
    finally:
        a.stop()
        plain.stop()


# ------------------------------------------------------------------ offline
def test_offline_an_action_is_applied_queued_and_delivered_once_on_reconnect(qtbot, tmp_path):
    log = tmp_path / "backend-log.sqlite"
    backend = DemoBackend([quiet_vessels()], seed=3, rate=0, log_path=log)
    port = backend.start_in_thread()
    a = Console(qtbot, tmp_path, "a", backend.url()).start()
    b = Console(qtbot, tmp_path, "b", backend.url(), OPERATOR_TOKEN).start()
    again = None
    try:
        cross_the_restricted_area(backend)
        qtbot.waitUntil(lambda: a.state(ENTRY) == UNACKNOWLEDGED
                        and b.state(ENTRY) == UNACKNOWLEDGED, timeout=10000)
        backend.stop()                                       # the link is down
        qtbot.waitUntil(lambda: a.service.alarm_sharing == sharing.OFFLINE_QUEUED, timeout=10000)
        a.service.alarm_action("acknowledge", ENTRY, reason="radio call").result(5)
        qtbot.waitUntil(lambda: a.state(ENTRY) == ACKNOWLEDGED, timeout=2000)   # at once
        ((action_id, state),) = rows(a.cache, "SELECT id, state FROM outbox")
        assert state == "pending"
        assert b.state(ENTRY) == UNACKNOWLEDGED
        # the backend comes back (same log, same epoch): the action goes out once
        again = DemoBackend([quiet_vessels()], seed=3, rate=0, log_path=log)
        again.start_in_thread(port=port)
        qtbot.waitUntil(lambda: b.state(ENTRY) == ACKNOWLEDGED, timeout=20000)
        assert a.service.alarm_sharing == sharing.SHARED and a.sharing[-2:] == [
            sharing.OFFLINE_QUEUED, sharing.SHARED]
        wait_for(lambda: rows(a.cache, "SELECT state, attempts FROM outbox") == [("done", 1)],
                 what="the delivered action")
        ((_, _, user, reason, relayed_id),) = journaled(b.cache, ENTRY, "acknowledge")
        assert (user, reason, relayed_id) == (SUPERVISOR_NAME, "radio call", action_id)
        time.sleep(0.3)
        assert len(acted(a.cache, ENTRY, "acknowledge")) == 1     # not applied twice anywhere
        assert again.actions.applied == 1 and again.head()[sharing.TOPIC] == 1
    finally:
        a.stop()
        b.stop()
        backend.stop()
        if again is not None:
            again.stop()


# ------------------------------------------------------------------ headless commands
def run(*args: str, env_extra: dict | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("IOC_TOKEN", None)
    env.update(env_extra or {})
    proc = subprocess.run(MAIN + list(args), capture_output=True, text=True, timeout=90,
                          env=env)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def sync(url: str, cache: Path, run_for: float = 2) -> dict:
    proc = run("sync", "--server", url, "--cache", str(cache), "--run-for", str(run_for),
               "--quiet", "--lang", "en")
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


def synced_crossing(backend, laptop: Path) -> dict:
    """``sync`` a laptop's cache while the vessel crosses the area: its journal then
    holds ENTRY, raised (the crossing comes once its situation layer is running)."""
    env = dict(os.environ)
    env.pop("IOC_TOKEN", None)
    proc = subprocess.Popen(MAIN + ["sync", "--server", backend.url(), "--cache", str(laptop),
                                    "--run-for", "3", "--quiet", "--lang", "en"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        wait_for(lambda: laptop.exists() and rows(
            laptop, "SELECT name FROM sqlite_master WHERE name = 'alarm_events'"),
            timeout=30, what="sync's alarm journal (its situation layer is running)")
        cross_the_restricted_area(backend)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0 and "Traceback" not in err, err
    assert acted(laptop, ENTRY, "raise"), "ENTRY raised in the synced cache"
    return json.loads(out.strip().splitlines()[-1])


def test_headless_list_ack_and_sync_deliver_it_to_the_other_console(qtbot, tmp_path, backend):
    laptop = tmp_path / "laptop.sqlite"
    assert synced_crossing(backend, laptop)["alarm_sharing"] == sharing.SHARED

    listed = run("alarms", "list", "--cache", str(laptop), "--json", "--lang", "en")
    assert listed.returncode == 0, listed.stderr
    (entry,) = [r for r in json.loads(listed.stdout) if r["id"] == ENTRY]
    assert entry["state"] == UNACKNOWLEDGED and entry["priority"] == 2 and entry["since"]
    assert entry["text"] and {"by", "reason", "until", "value"} <= set(entry)
    table = run("alarms", "list", "--cache", str(laptop), "--lang", "en")
    assert ENTRY in table.stdout and UNACKNOWLEDGED in table.stdout

    # the other console, live
    b = Console(qtbot, tmp_path, "b", backend.url(), OPERATOR_TOKEN).start()
    try:
        qtbot.waitUntil(lambda: b.state(ENTRY) == UNACKNOWLEDGED, timeout=10000)
        acked = run("alarms", "ack", ENTRY, "--cache", str(laptop), "--reason", "seen on radar",
                    "--lang", "en")
        assert acked.returncode == 0, acked.stderr
        ((action_id, topic, name, key, state),) = rows(
            laptop, "SELECT id, topic, name, key, state FROM outbox")
        assert (topic, name, key, state) == (sharing.TOPIC, "acknowledge", ENTRY, "pending")
        assert action_id in acked.stdout
        (entry,) = [r for r in json.loads(run("alarms", "list", "--cache", str(laptop),
                                              "--json").stdout) if r["id"] == ENTRY]
        # at once in the cache's journal, as the user the backend announced there
        assert entry["state"] == ACKNOWLEDGED and entry["acked_by"] == SUPERVISOR_NAME
        assert acted(laptop, ENTRY, "acknowledge") == [
            ("acknowledge", ACKNOWLEDGED, SUPERVISOR_NAME, "seen on radar", action_id)]
        assert b.state(ENTRY) == UNACKNOWLEDGED                  # not delivered yet

        summary = sync(backend.url(), laptop)                     # delivers it, once
        assert summary["actions"]["done"] == 1 and summary["actions"]["refused"] == 0
        qtbot.waitUntil(lambda: b.state(ENTRY) == ACKNOWLEDGED, timeout=5000)
        assert acted(b.cache, ENTRY, "acknowledge")[0][2:] == (
            SUPERVISOR_NAME, "seen on radar", action_id)
        assert len(acted(laptop, ENTRY, "acknowledge")) == 1      # its own relay: ignored
        assert sync(backend.url(), laptop, 1)["actions"]["sent"] == 0
        assert backend.actions.applied == 1
    finally:
        b.stop()


def test_headless_actions_refuse_roles_unknown_ids_and_bad_times(tmp_path, backend):
    laptop = tmp_path / "laptop.sqlite"
    synced_crossing(backend, laptop)
    before = journal(laptop)

    def refused(*args):
        proc = run("alarms", *args, "--cache", str(laptop), "--lang", "en")
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("ioc-desktop: "), proc.stderr
        return proc.returncode, lines[0]

    code, line = refused("oos", ENTRY, "--reason", "repair", "--role", "operator")
    assert code == 3 and "supervisor" in line
    code, line = refused("restore", ENTRY, "--role", "operator", "--user", "an")
    assert code == 3
    code, line = refused("ack", ENTRY, "--role", "viewer")
    assert code == 3 and "operator or supervisor" in line
    code, line = refused("ack", "vessels.area_entry/nowhere/T-0", ENTRY)
    assert code == 2 and "vessels.area_entry/nowhere/T-0" in line and "no such alarm" in line
    code, line = refused("ack", "not-an-alarm-id")
    assert code == 2 and "no such alarm" in line
    code, line = refused("shelve", ENTRY, "--reason", "r", "--until", "tomorrow")
    assert code == 2 and "--until tomorrow" in line
    code, line = refused("shelve", ENTRY, "--reason", "r", "--until", "2001-01-01T00:00:00+07:00")
    assert code == 2 and "future" in line
    code, line = refused("shelve", ENTRY, "--until", "2999-01-01T00:00:00+07:00")
    assert code == 2 and "--reason" in line
    code, line = refused("shelve", ENTRY, "--reason", "r")
    assert code == 2 and "--until" in line
    code, _ = refused("ack", ENTRY, "--reason", "x" * 501)
    assert code == 2
    code, line = run("alarms", "ack", ENTRY, "--cache", str(tmp_path / "none.sqlite"),
                     "--lang", "en").returncode, None
    assert code == 5
    # nothing was changed or queued by any of them
    assert journal(laptop) == before and rows(laptop, "SELECT count(*) FROM outbox") in ([], [(0,)])
    # a supervisor may (the demo token's user, remembered in the cache)
    ok = run("alarms", "oos", ENTRY, "--cache", str(laptop), "--reason", "repair", "--lang", "en")
    assert ok.returncode == 0, ok.stderr
    assert acted(laptop, ENTRY, "out_of_service")[0][1:4] == (OUT_OF_SERVICE, SUPERVISOR_NAME,
                                                             "repair")
    (entry,) = [r for r in json.loads(run("alarms", "list", "--cache", str(laptop),
                                          "--json").stdout) if r["id"] == ENTRY]
    assert (entry["state"], entry["by"], entry["reason"]) == (OUT_OF_SERVICE, SUPERVISOR_NAME,
                                                               "repair")
    # Vietnamese by default
    vi = run("alarms", "ack", "x/y", "--cache", str(laptop))
    assert vi.returncode == 2 and "no such alarm" not in vi.stderr
