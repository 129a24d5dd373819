"""The alarm engine's ISA-18.2 lifecycle and its journal (no Qt, no wall clock)."""
from __future__ import annotations

import sqlite3

import pytest

from ioc_desktop.alarms import (
    ACKNOWLEDGED, LATCHED, NORMAL, OUT_OF_SERVICE, RTN_UNACKNOWLEDGED, SHELVED, SUPPRESSED,
    UNACKNOWLEDGED, AlarmEngine, AlarmRule, Condition, UnknownAlarm, alarm_id_for)
from ioc_desktop.alarms import journal

T0 = 1_700_000_000.0          # fixed epoch: nothing here depends on today's date
RIVER = "environment.river_level"
FLOOD = "cameras.flooded_street"


def above(rule_id: str, threshold: float, **kw) -> AlarmRule:
    """A rule over a ``{key: value}`` model: active while value >= threshold."""
    def condition(model, ctx):
        for key, value in model.items():
            if ctx.beyond(key, value, threshold):
                yield Condition(key, f"{key} {value:.2f} m, above {threshold:.2f}", value)
    return AlarmRule(rule_id, kw.pop("priority", 2), condition, **kw)


def river_levels(model, ctx):
    """Priority rising with the level: BĐ3 is 1, BĐ2 is 2, BĐ1 is 3."""
    for key, level in model.items():
        for mark, threshold, priority in (("BĐ3", 3.0, 1), ("BĐ2", 2.0, 2), ("BĐ1", 1.0, 3)):
            if ctx.beyond(key, level, threshold):
                yield Condition(key, f"{key} {level:.2f} m, above {mark}", level, priority)
                break


def engine_with(*rules: AlarmRule, plugin: str = "test") -> AlarmEngine:
    engine = AlarmEngine()
    engine.add_rules(plugin, rules)
    return engine


def events(transitions) -> list[tuple[str, str | None, str | None]]:
    return [(t.event, t.from_state, t.to_state) for t in transitions]


def state(engine: AlarmEngine, rule: str, key: str = "k") -> str:
    alarm = engine.get(alarm_id_for(rule, key))
    return alarm.state if alarm else "absent"


A = alarm_id_for("r", "k")


# ------------------------------------------------------------------ the state model
def test_raise_acknowledge_clear():
    engine = engine_with(above("r", 1.0))
    assert events(engine.evaluate("test", {"k": 1.5}, T0)) == [
        ("raise", NORMAL, UNACKNOWLEDGED)]
    assert [a.id for a in engine.active()] == [A]
    assert events(engine.acknowledge(A, user="op1", now=T0 + 5)) == [
        ("acknowledge", UNACKNOWLEDGED, ACKNOWLEDGED)]
    assert engine.get(A).acked_by == "op1" and engine.get(A).acked_at == T0 + 5
    assert events(engine.evaluate("test", {"k": 0.5}, T0 + 10)) == [
        ("clear", ACKNOWLEDGED, NORMAL)]
    assert engine.active() == [] and [a.id for a in engine.alarms()] == [A]


def test_unacknowledged_alarm_that_returns_to_normal_stays_until_acknowledged():
    engine = engine_with(above("r", 1.0))
    engine.evaluate("test", {"k": 1.5}, T0)
    assert events(engine.evaluate("test", {"k": 0.5}, T0 + 10)) == [
        ("clear", UNACKNOWLEDGED, RTN_UNACKNOWLEDGED)]
    for t in range(20, 600, 60):                    # still listed, however long it waits
        engine.evaluate("test", {"k": 0.5}, T0 + t)
        engine.tick(T0 + t)
    assert [(a.id, a.state) for a in engine.active()] == [(A, RTN_UNACKNOWLEDGED)]
    assert engine.summary().top_unacknowledged.id == A
    assert events(engine.acknowledge(A, user="op1", now=T0 + 700)) == [
        ("acknowledge", RTN_UNACKNOWLEDGED, NORMAL)]
    assert engine.active() == []


def test_returned_to_normal_alarm_that_comes_back_is_unacknowledged_again():
    engine = engine_with(above("r", 1.0))
    engine.evaluate("test", {"k": 1.5}, T0)
    engine.evaluate("test", {"k": 0.5}, T0 + 10)
    assert events(engine.evaluate("test", {"k": 1.6}, T0 + 20)) == [
        ("raise", RTN_UNACKNOWLEDGED, UNACKNOWLEDGED)]
    assert engine.get(A).raised_at == T0 + 20


def test_latching_alarm_stays_latched_until_reset_or_acknowledged():
    engine = engine_with(above("r", 1.0, latching=True))
    engine.evaluate("test", {"k": 1.5}, T0)
    engine.acknowledge(A, user="op1", now=T0 + 1)
    assert events(engine.evaluate("test", {"k": 0.5}, T0 + 10)) == [
        ("clear", ACKNOWLEDGED, LATCHED)]
    engine.tick(T0 + 3600)
    assert state(engine, "r") == LATCHED and [a.id for a in engine.active()] == [A]
    assert events(engine.reset(A, user="op2", now=T0 + 3601)) == [("reset", LATCHED, NORMAL)]

    engine.evaluate("test", {"k": 1.5}, T0 + 4000)          # unacknowledged this time
    assert events(engine.evaluate("test", {"k": 0.5}, T0 + 4010)) == [
        ("clear", UNACKNOWLEDGED, LATCHED)]
    assert engine.get(A).unacknowledged
    assert events(engine.acknowledge(A, user="op1", now=T0 + 4020)) == [
        ("acknowledge", LATCHED, NORMAL)]
    assert engine.reset(A, user="op1", now=T0 + 4030) == []  # nothing latched any more


def test_latched_alarm_raised_again_is_unacknowledged():
    engine = engine_with(above("r", 1.0, latching=True))
    engine.evaluate("test", {"k": 1.5}, T0)
    engine.evaluate("test", {"k": 0.5}, T0 + 10)
    assert events(engine.evaluate("test", {"k": 1.5}, T0 + 20)) == [
        ("raise", LATCHED, UNACKNOWLEDGED)]


def test_actions_that_do_not_apply_change_nothing():
    engine = engine_with(above("r", 1.0))
    engine.evaluate("test", {"k": 1.5}, T0)
    engine.acknowledge(A, user="op1", now=T0 + 1)
    assert engine.acknowledge(A, user="op2", now=T0 + 2) == []      # already acknowledged
    assert engine.get(A).acked_by == "op1"
    assert engine.unshelve(A, user="op1", now=T0 + 3) == []
    assert engine.return_to_service(A, user="op1", now=T0 + 4) == []
    assert engine.reset(A, user="op1", now=T0 + 5) == []
    with pytest.raises(UnknownAlarm):
        engine.acknowledge("r/nobody", user="op1", now=T0 + 6)
    with pytest.raises(ValueError):
        engine.shelve(A, until=T0, reason="past", user="op1", now=T0 + 7)
    with pytest.raises(ValueError):
        engine.remove_from_service(A, reason="", user="op1", now=T0 + 8)


# ------------------------------------------------------------------ shelving
def test_shelve_expiry_returns_the_alarm_unacknowledged_if_still_active():
    engine = engine_with(above("r", 1.0))
    engine.evaluate("test", {"k": 1.5}, T0)
    engine.acknowledge(A, user="op1", now=T0 + 1)
    assert events(engine.shelve(A, until=T0 + 600, reason="sensor work", user="op1",
                                now=T0 + 2)) == [("shelve", ACKNOWLEDGED, SHELVED)]
    alarm = engine.get(A)
    assert (alarm.shelved_by, alarm.shelve_reason, alarm.shelved_until) == (
        "op1", "sensor work", T0 + 600)
    assert engine.active() == [] and [a.id for a in engine.summary().shelved] == [A]

    # still tracked while shelved: clear and raise happen quietly, journaled as such
    assert events(engine.evaluate("test", {"k": 0.5}, T0 + 100)) == [
        ("clear", SHELVED, SHELVED)]
    assert events(engine.evaluate("test", {"k": 1.7}, T0 + 200)) == [
        ("raise", SHELVED, SHELVED)]
    assert engine.tick(T0 + 599) == []
    assert events(engine.tick(T0 + 600)) == [("expire", SHELVED, UNACKNOWLEDGED)]
    alarm = engine.get(A)
    assert alarm.unacknowledged and alarm.value == 1.7 and alarm.shelved_by is None
    assert engine.summary().top_unacknowledged.id == A


def test_shelve_expiry_of_a_cleared_alarm_returns_to_normal():
    engine = engine_with(above("r", 1.0))
    engine.evaluate("test", {"k": 1.5}, T0)
    engine.shelve(A, until=T0 + 600, reason="nuisance", user="op1", now=T0 + 1)
    engine.evaluate("test", {"k": 0.5}, T0 + 10)
    assert events(engine.tick(T0 + 601)) == [("expire", SHELVED, NORMAL)]


def test_unshelve_by_an_operator():
    engine = engine_with(above("r", 1.0))
    engine.evaluate("test", {"k": 1.5}, T0)
    engine.shelve(A, until=T0 + 600, reason="nuisance", user="op1", now=T0 + 1)
    assert events(engine.unshelve(A, user="op2", now=T0 + 60, reason="back")) == [
        ("unshelve", SHELVED, UNACKNOWLEDGED)]
    assert engine.tick(T0 + 700) == []             # no expiry left behind


# ------------------------------------------------------------------ suppression by design
def suppression_engine() -> AlarmEngine:
    engine = AlarmEngine()
    engine.add_rules("environment", [above(RIVER, 2.0, priority=1, suppresses=(FLOOD,))])
    engine.add_rules("cameras", [above(FLOOD, 0.5, priority=3)])
    return engine


def test_suppression_by_design_groups_alarms_under_the_suppressing_one():
    engine = suppression_engine()
    river, cam1, cam2 = (alarm_id_for(RIVER, "kim_long"), alarm_id_for(FLOOD, "cam1"),
                         alarm_id_for(FLOOD, "cam2"))
    engine.evaluate("cameras", {"cam1": 0.8}, T0)                      # before the river
    out = engine.evaluate("environment", {"kim_long": 2.3}, T0 + 10)
    assert [(t.alarm_id, t.event, t.from_state, t.to_state) for t in out] == [
        (river, "raise", NORMAL, UNACKNOWLEDGED),
        (cam1, "suppress", UNACKNOWLEDGED, SUPPRESSED)]
    # raised while the river is in alarm: suppressed from the start
    out = engine.evaluate("cameras", {"cam1": 0.8, "cam2": 0.9}, T0 + 20)
    assert [(t.alarm_id, t.event, t.to_state) for t in out] == [(cam2, "raise", SUPPRESSED)]

    summary = engine.summary()
    assert [a.id for a in summary.active] == [river]
    assert {k: [a.id for a in v] for k, v in summary.suppressed.items()} == {
        river: [cam1, cam2]}
    assert summary.unacknowledged == {1: 1, 2: 0, 3: 0, 4: 0}

    # cam2 clears under suppression: nothing left to hide, nothing to acknowledge
    out = engine.evaluate("cameras", {"cam1": 0.8}, T0 + 30)
    assert [(t.alarm_id, t.event, t.from_state, t.to_state) for t in out] == [
        (cam2, "clear", SUPPRESSED, SUPPRESSED), (cam2, "unsuppress", SUPPRESSED, NORMAL)]

    # the river falls: cam1, still flooded, is annunciated again
    out = engine.evaluate("environment", {"kim_long": 1.5}, T0 + 40)
    assert [(t.alarm_id, t.event, t.from_state, t.to_state) for t in out] == [
        (river, "clear", UNACKNOWLEDGED, RTN_UNACKNOWLEDGED),
        (cam1, "unsuppress", SUPPRESSED, UNACKNOWLEDGED)]
    assert engine.summary().suppressed == {}


def test_an_out_of_service_alarm_suppresses_nothing():
    engine = suppression_engine()
    river, cam1 = alarm_id_for(RIVER, "kim_long"), alarm_id_for(FLOOD, "cam1")
    engine.evaluate("environment", {"kim_long": 2.3}, T0)
    engine.evaluate("cameras", {"cam1": 0.8}, T0 + 1)
    assert engine.get(cam1).state == SUPPRESSED
    out = engine.remove_from_service(river, reason="gauge broken", user="sup", now=T0 + 2)
    assert [(t.alarm_id, t.event, t.to_state) for t in out] == [
        (river, "out_of_service", OUT_OF_SERVICE), (cam1, "unsuppress", UNACKNOWLEDGED)]


# ------------------------------------------------------------------ out of service
def test_out_of_service_hides_the_alarm_from_active_but_keeps_it_listed():
    engine = engine_with(above("r", 1.0))
    engine.evaluate("test", {"k": 1.5}, T0)
    engine.shelve(A, until=T0 + 60, reason="x", user="op1", now=T0 + 1)
    assert events(engine.remove_from_service(A, reason="sensor replaced", user="sup",
                                             now=T0 + 2)) == [
        ("out_of_service", SHELVED, OUT_OF_SERVICE)]
    assert engine.active() == [] and [a.id for a in engine.alarms()] == [A]
    assert [a.id for a in engine.summary().out_of_service] == [A]
    alarm = engine.get(A)
    assert (alarm.oos_by, alarm.oos_reason, alarm.shelved) == ("sup", "sensor replaced", False)
    assert engine.tick(T0 + 120) == []                   # the shelve it replaced is gone
    assert engine.shelve(A, until=T0 + 999, reason="y", user="op1", now=T0 + 121) == []
    assert engine.acknowledge(A, user="op1", now=T0 + 122) == []
    assert events(engine.return_to_service(A, user="sup", now=T0 + 200)) == [
        ("return_to_service", OUT_OF_SERVICE, UNACKNOWLEDGED)]


# ------------------------------------------------------------------ delays and chattering
def test_on_delay_needs_the_condition_to_hold_that_long():
    engine = engine_with(above("r", 1.0, on_delay_s=30))
    for t, v in ((0, 1.5), (10, 1.5), (20, 0.5), (25, 1.5)):   # a 20 s spike: nothing
        assert engine.evaluate("test", {"k": v}, T0 + t) == []
    assert engine.tick(T0 + 54) == [] and state(engine, "r") == "absent"
    assert events(engine.tick(T0 + 55)) == [("raise", NORMAL, UNACKNOWLEDGED)]
    assert engine.get(A).value == 1.5


def test_off_delay_needs_the_condition_clear_that_long():
    engine = engine_with(above("r", 1.0, off_delay_s=30))
    engine.evaluate("test", {"k": 1.5}, T0)
    assert engine.evaluate("test", {"k": 0.5}, T0 + 10) == []
    assert engine.evaluate("test", {"k": 1.2}, T0 + 20) == []   # back: the off-delay restarts
    assert engine.evaluate("test", {"k": 0.5}, T0 + 30) == []
    assert engine.tick(T0 + 59) == []
    assert events(engine.tick(T0 + 60)) == [("clear", UNACKNOWLEDGED, RTN_UNACKNOWLEDGED)]


def flap(engine: AlarmEngine, until_s: int = 120) -> list:
    """A value flapping around 2.0 every 5 s, then falling for good."""
    out = []
    for t in range(0, until_s, 5):
        out += engine.evaluate("test", {"k": 2.05 if t % 10 == 0 else 1.95}, T0 + t)
        out += engine.tick(T0 + t)
    for t in range(until_s, until_s + 60, 5):
        out += engine.evaluate("test", {"k": 1.5}, T0 + t)
        out += engine.tick(T0 + t)
    return out


@pytest.mark.parametrize("kw", [dict(off_delay_s=30), dict(deadband=0.1),
                                dict(off_delay_s=30, deadband=0.1, on_delay_s=10)],
                         ids=["off-delay", "deadband", "both"])
def test_a_flapping_input_raises_once(kw):
    engine = engine_with(above("r", 2.0, **kw))
    out = flap(engine)
    assert [t.event for t in out] == ["raise", "clear"]
    assert not engine.get(A).chattering(out[0].at + 30)
    assert engine.get(A).value == 1.95 or "deadband" not in kw    # followed while holding


def test_a_flapping_input_without_delays_chatters():
    engine = engine_with(above("r", 2.0))
    out = flap(engine)
    assert [t.event for t in out].count("raise") == 12
    assert [a.id for a in engine.chattering(T0 + 115)] == [A]
    assert engine.chattering(T0 + 1000) == []


# ------------------------------------------------------------------ the live value
def test_the_alarm_text_follows_the_live_value():
    engine = AlarmEngine()
    engine.add_rules("environment", [AlarmRule(RIVER, 3, river_levels)])
    alarm_id = alarm_id_for(RIVER, "kim_long")
    engine.evaluate("environment", {"kim_long": 2.03}, T0)
    engine.acknowledge(alarm_id, user="op1", now=T0 + 1)
    assert engine.evaluate("environment", {"kim_long": 2.53}, T0 + 60) == []
    alarm = engine.get(alarm_id)
    assert (alarm.value, alarm.text, alarm.state) == (
        2.53, "kim_long 2.53 m, above BĐ2", ACKNOWLEDGED)
    # above BĐ3: the priority rises and the acknowledged alarm is annunciated again
    assert events(engine.evaluate("environment", {"kim_long": 3.1}, T0 + 120)) == [
        ("raise", ACKNOWLEDGED, UNACKNOWLEDGED)]
    top = engine.summary().top_unacknowledged
    assert (top.priority, top.value, top.text) == (1, 3.1, "kim_long 3.10 m, above BĐ3")
    # falling back a level lowers the priority without a new annunciation
    assert engine.evaluate("environment", {"kim_long": 2.6}, T0 + 180) == []
    assert engine.get(alarm_id).priority == 2


def test_summary_is_ordered_by_priority_then_time():
    engine = AlarmEngine()
    engine.add_rules("environment", [AlarmRule(RIVER, 3, river_levels)])
    engine.evaluate("environment", {"a": 1.5}, T0)
    engine.evaluate("environment", {"a": 1.5, "b": 3.5}, T0 + 10)
    engine.evaluate("environment", {"a": 1.5, "b": 3.5, "c": 1.2, "d": 3.2}, T0 + 20)
    assert [a.key for a in engine.active()] == ["b", "d", "a", "c"]


# ------------------------------------------------------------------ actions from any console
def test_actions_are_idempotent_by_action_id():
    engine = engine_with(above("r", 1.0))
    engine.evaluate("test", {"k": 1.5}, T0)
    assert len(engine.shelve(A, until=T0 + 600, reason="x", user="op1", now=T0 + 1,
                             action_id="act-1")) == 1
    engine.unshelve(A, user="op2", now=T0 + 2, action_id="act-2")
    # the backend relays act-1 again (or another console's copy arrives late)
    assert engine.shelve(A, until=T0 + 600, reason="x", user="op1", now=T0 + 3,
                         action_id="act-1") == []
    assert engine.get(A).state == UNACKNOWLEDGED
    ack = engine.acknowledge(A, user="op1", now=T0 + 4, action_id="act-3")
    assert [t.action_id for t in ack] == ["act-3"]
    assert engine.acknowledge(A, user="op1", now=T0 + 5, action_id="act-3") == []
    assert engine.silence(1, until=T0 + 300, user="op1", now=T0 + 6, action_id="act-4")
    assert engine.silence(1, until=T0 + 300, user="op1", now=T0 + 6, action_id="act-4") == []


def test_silence_is_journaled_but_is_not_an_acknowledgement():
    engine = engine_with(above("r", 1.0, priority=1))
    engine.evaluate("test", {"k": 1.5}, T0)
    [silence] = engine.silence(1, until=T0 + 120, user="op1", now=T0 + 1, reason="phone call")
    assert (silence.event, silence.priority, silence.until, silence.alarm_id) == (
        "silence", 1, T0 + 120, None)
    assert engine.get(A).state == UNACKNOWLEDGED


# ------------------------------------------------------------------ bad rules
def test_a_failing_or_malformed_rule_is_counted_and_the_others_go_on():
    def broken(model, ctx):
        raise RuntimeError("plugin bug")

    def malformed(model, ctx):
        yield "not a condition"
        yield Condition("k", "bad priority", 1, priority=7)
        yield Condition("k", "fine", 1)

    engine = engine_with(AlarmRule("broken", 2, broken), AlarmRule("malformed", 2, malformed),
                         above("r", 1.0))
    out = engine.evaluate("test", {"k": 1.5}, T0)
    assert [t.alarm_id for t in out] == ["malformed/k", A]
    assert engine.rule_failures == {"broken": 1} and engine.bad_conditions == {"malformed": 2}
    with pytest.raises(ValueError):
        AlarmRule("x", 5, broken)
    with pytest.raises(ValueError):
        engine.add_rules("other", [above("r", 2.0)])        # rule ids are global


# ------------------------------------------------------------------ the journal
def open_cache(path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)    # as the store's writer: explicit tx
    journal.ensure_schema(conn)
    return conn


def commit(conn, engine, transitions):
    conn.execute("BEGIN IMMEDIATE")
    journal.record(conn, transitions, engine.take_changed())
    conn.execute("COMMIT")
    return transitions


def scripted_run(engine: AlarmEngine, conn) -> list:
    """Every kind of transition, each step committed as the writer would."""
    river, cam = alarm_id_for(RIVER, "kim_long"), alarm_id_for(FLOOD, "cam1")
    steps = [
        lambda: engine.evaluate("cameras", {"cam1": 0.8}, T0),
        lambda: engine.evaluate("environment", {"kim_long": 2.3}, T0 + 10),
        lambda: engine.acknowledge(river, user="op1", now=T0 + 20, action_id="a1"),
        lambda: engine.evaluate("environment", {"kim_long": 2.6}, T0 + 30),
        lambda: engine.evaluate("environment", {"kim_long": 1.0}, T0 + 40),
        lambda: engine.shelve(cam, until=T0 + 100, reason="lens fogged", user="op2",
                              now=T0 + 50, action_id="a2"),
        lambda: engine.tick(T0 + 100),
        lambda: engine.silence(3, until=T0 + 400, user="op1", now=T0 + 110),
        lambda: engine.remove_from_service(cam, reason="camera moved", user="sup",
                                           now=T0 + 120, action_id="a3"),
        lambda: engine.return_to_service(cam, user="sup", now=T0 + 130),
        lambda: engine.acknowledge(cam, user="op1", now=T0 + 140),
        lambda: engine.evaluate("environment", {"kim_long": 2.2}, T0 + 150),
    ]
    out = []
    for step in steps:
        out += commit(conn, engine, step())
    return out


def test_the_journal_is_complete_and_in_order(tmp_path):
    conn = open_cache(tmp_path / "cache.sqlite")
    engine = suppression_engine()
    run = scripted_run(engine, conn)
    assert {t.event for t in run} == {
        "raise", "suppress", "acknowledge", "clear", "unsuppress", "shelve", "expire",
        "silence", "out_of_service", "return_to_service"}
    journaled = journal.events(conn)
    assert [t for _, t in journaled] == run
    assert [seq for seq, _ in journaled] == sorted(seq for seq, _ in journaled)
    river = alarm_id_for(RIVER, "kim_long")
    assert [t.event for _, t in journal.events(conn, alarm_id=river)] == [
        "raise", "acknowledge", "clear", "raise"]
    row = conn.execute("SELECT state, value, acked_by FROM alarms WHERE id = ?",
                       (alarm_id_for(FLOOD, "cam1"),)).fetchone()
    assert row == (SUPPRESSED, 0.8, "op1")


def test_the_journal_refuses_update_and_delete(tmp_path):
    conn = open_cache(tmp_path / "cache.sqlite")
    engine = engine_with(above("r", 1.0))
    commit(conn, engine, engine.evaluate("test", {"k": 1.5}, T0))
    for sql in ("UPDATE alarm_events SET user = 'someone else'",
                "DELETE FROM alarm_events"):
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(sql)
    assert conn.execute("SELECT count(*) FROM alarm_events").fetchone() == (1,)
    journal.ensure_schema(conn)                          # idempotent, guards still there
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("DELETE FROM alarm_events")
    with pytest.raises(ValueError):
        journal.append_only_triggers("x; DROP TABLE alarms", "oops")


def test_a_restart_keeps_every_alarm_state(tmp_path):
    path = tmp_path / "cache.sqlite"
    conn = open_cache(path)
    engine = suppression_engine()
    scripted_run(engine, conn)
    river = alarm_id_for(RIVER, "kim_long")
    commit(conn, engine, engine.shelve(river, until=T0 + 900, reason="known", user="op1",
                                       now=T0 + 160))
    before = [a.to_dict() for a in engine.alarms()]
    conn.close()

    conn = open_cache(path)                              # a new process, the same cache
    restarted = suppression_engine()
    restarted.restore(journal.load(conn), journal.action_ids(conn))
    assert [a.to_dict() for a in restarted.alarms()] == before
    assert [a.state for a in restarted.alarms()] == [SHELVED, SUPPRESSED]
    # actions already applied before the restart are still applied once
    assert restarted.acknowledge(river, user="op1", now=T0 + 170, action_id="a1") == []
    # and it goes on: the shelve still expires, the live value still follows
    assert events(restarted.tick(T0 + 900)) == [("expire", SHELVED, UNACKNOWLEDGED)]
    restarted.evaluate("environment", {"kim_long": 2.4}, T0 + 910)
    assert restarted.get(river).value == 2.4
