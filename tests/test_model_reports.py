"""The citizen reports' model and rule, headless (no Qt): the wall's figures (open,
urgent, overdue, due soon) equal the workflow's own SLA rule over every report, through
resets, upserts and deletes and as the clock moves; overdue reports raise one alarm per
group (the IOC's own queue, or a category at the agencies) with the count and the oldest
overdue age in the text, by the most pressing report's priority, on the clock alone,
escalating, and clearing when the group's reports are dealt with; and the console
drawing the view's figures and following a group's alarm to its reports."""
from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import pytest

from ioc_desktop.alarms import ACKNOWLEDGED, UNACKNOWLEDGED, AlarmEngine, alarm_id_for
from ioc_desktop.situation import evaluate_model
from ioc_desktop.store.batch import TopicChanges
from plugins.reports import ReportsPlugin, schema, workflow
from plugins.reports import model as model_mod
from plugins.reports.model import IOC_QUEUE, ReportsModel, group_key, is_group_key
from plugins.reports.rules import CATEGORY_TEXT, IOC_TEXT, OVERDUE, PLUGIN, reports_rules
from plugins.reports.simulator import ReportsSimulator

VN = workflow.VN_TZ
NOW = datetime(2025, 11, 20, 9, 0, tzinfo=VN)          # a fixed clock
T0 = NOW.timestamp()
ENV_CO = "Công ty Môi trường và Công trình đô thị Huế"
WARD = "UBND phường Phú Xuân"


def iso(dt: datetime) -> str:
    return dt.astimezone(VN).isoformat(timespec="seconds")


def report(key: str, received_ago: timedelta, *, code: str = "VSMT", priority: str = "normal",
           status: str = "received", agency: str | None = None, due_ago: timedelta | None = None,
           resolved: bool = False, description: str = "Rác thải ùn ứ trước chợ") -> dict:
    """A report received ``received_ago`` before NOW; with ``agency``: verified and assigned
    at once, due ``due_ago`` before NOW (negative: in the future)."""
    received = NOW - received_ago
    data = {"service_request_id": key, "service_code": code,
            "service_name": schema.CATEGORIES.get(code, code), "description": description,
            "status": "open", "ioc_status": status, "requested_datetime": iso(received),
            "priority": priority, "channel": "hue_s"}
    if agency is not None:
        data["ioc_status"] = "in_progress" if status == "received" else status
        data["agency_responsible"] = agency
        data["expected_datetime"] = iso(NOW - (due_ago or timedelta(0)))
        data["history"] = [{"action": "verify", "by": "sv", "at": iso(received)},
                           {"action": "assign", "by": "sv", "at": iso(received), "agency": agency}]
        if resolved:
            data["ioc_status"] = "resolved"
            data["history"].append({"action": "resolve", "by": agency, "at": iso(NOW)})
    if data["ioc_status"] in workflow.FINISHED:
        data["status"] = "closed"
    return schema.SPEC.validate(data)


def changes(items: dict[str, dict] | list[dict], deletes=(), snapshot: bool = False) -> TopicChanges:
    if isinstance(items, list):
        items = {d["service_request_id"]: d for d in items}
    return TopicChanges(upserts=items, deletes=set(deletes), snapshot=snapshot)


@pytest.fixture
def engine():
    e = AlarmEngine()
    e.add_rules(PLUGIN, reports_rules())
    return e


def evaluate(engine, model, now: float):
    return evaluate_model(engine, PLUGIN, model, now)


def aid(group: str) -> str:
    return alarm_id_for(OVERDUE, group)


def figures(state: dict[str, dict], at: datetime) -> dict:
    """The figures by the workflow's own rule, report by report."""
    states = [workflow.sla_state(d, at) for d in state.values()]
    open_ = [d for d in state.values() if workflow.ioc_state(d) in workflow.OPEN_STATES]
    return {"open": len(open_), "urgent": sum(d.get("priority") == "urgent" for d in open_),
            "overdue": states.count(workflow.OVERDUE), "due_soon": states.count(workflow.DUE_SOON)}


def simulated(seed: int = 3, steps: int = 300):
    sim, rng = ReportsSimulator(), random.Random(seed)
    start = datetime(2025, 11, 20, 2, 0, tzinfo=timezone.utc)
    batches = [sim.start(rng, start)] + [sim.step(rng, start + timedelta(seconds=k), 5)
                                         for k in range(1, steps)]
    return start, [[e for e in b if e.op == "upsert"] for b in batches]


# --------------------------------------------------------------------------- figures
def test_the_figures_are_the_workflows_sla_rule_over_every_report():
    start, batches = simulated()
    model = ReportsModel()
    model.reset({}, now=start.timestamp())
    state: dict[str, dict] = {}
    for events in batches:
        upserts = {e.key: schema.SPEC.validate(e.data) for e in events}
        state.update(upserts)
        model.apply_changes(changes(upserts))
    assert len(state) > 300
    for at in (start + timedelta(seconds=300), start + timedelta(hours=3), start + timedelta(days=2)):
        view = model.view(at.timestamp())
        expected = figures(state, at)
        assert {k: view[k] for k in expected} == expected, at
        assert expected["overdue"] > 0 and expected["open"] > expected["overdue"]
    # the same from a reset (a restart, review)
    fresh = ReportsModel()
    fresh.reset(state, now=start.timestamp())
    later = start.timestamp() + 3 * 3600
    assert fresh.view(later) == model.view(later)
    assert sum(n for _, n in model.view(later)["overdue_by"]) <= model.view(later)["overdue"]


def test_the_running_due_times_are_those_of_the_running_sla_clocks():
    """``workflow.running_due`` (what a record is made of, without the clocks) equals
    the earliest due and "due soon" threshold of ``sla_clocks``' running clocks: over
    simulated reports at every step of their life, and the odd histories (an action
    twice, an unreadable time, no history, no receipt time, an immediate case)."""
    def expected(data):
        running = [c for c in workflow.sla_clocks(data) if c.done is None]
        share = workflow.DEFAULT_CONFIG.due_soon_share
        return (min((c.due for c in running), default=None),
                min((c.due - (c.due - c.started) * share for c in running), default=None))

    _, batches = simulated(steps=400)
    seen = [schema.SPEC.validate(e.data) for events in batches for e in events]
    odd = report("odd", timedelta(hours=30), agency=ENV_CO, due_ago=timedelta(hours=-2))
    odd_twice = {**odd, "history": [{"action": "verify", "at": "not a time"},
                                    {"action": "verify", "at": iso(NOW)}, *odd["history"]]}
    odd_urgent = {**odd, "priority": "urgent", "process": None, "history": []}
    cases = [*seen, odd, odd_twice, odd_urgent, {**odd, "history": None},
             {**odd, "requested_datetime": None}, {**odd, "expected_datetime": "garbage"}]
    finished = sum(1 for d in seen if workflow.ioc_state(d) in workflow.FINISHED)
    assert len(seen) > 1000 and 0 < finished < len(seen)
    for data in cases:
        assert workflow.running_due(data) == expected(data), data.get("service_request_id")
    assert workflow.running_due(odd_twice)[0] != workflow.running_due(odd)[0]


def test_a_batch_changing_most_reports_gives_the_model_of_one_change_at_a_time():
    """A review's jump changes most reports at once: the model then sorts its records
    again in one go (BULK_CHANGES); it must equal the same changes placed one by one
    and a reset to the final state, figures and groups alike."""
    start, batches = simulated(steps=400)
    state: dict[str, dict] = {}
    for events in batches[:200]:
        state.update({e.key: schema.SPEC.validate(e.data) for e in events})
    later: dict[str, dict] = dict(state)
    for events in batches[200:]:
        later.update({e.key: schema.SPEC.validate(e.data) for e in events})
    gone = sorted(state)[::7]                       # some reports leave the state
    for key in gone:
        later.pop(key, None)
    upserts = {k: v for k, v in later.items() if state.get(k) != v}
    assert len(upserts) + len(gone) > model_mod.BULK_CHANGES

    bulk = ReportsModel()
    bulk.reset(state, now=start.timestamp())
    bulk.apply_changes(changes(upserts, deletes=gone))
    one_by_one = ReportsModel()
    one_by_one.reset(state, now=start.timestamp())
    for key in gone:
        one_by_one.apply_changes(changes({}, deletes={key}))
    for key, data in upserts.items():
        one_by_one.apply_changes(changes({key: data}))
    fresh = ReportsModel()
    fresh.reset(later, now=start.timestamp())
    for at in (start.timestamp() + 600, start.timestamp() + 4 * 3600, start.timestamp() + 3 * 86400):
        assert bulk.view(at) == one_by_one.view(at) == fresh.view(at), at
        assert bulk.overdue_groups(at) == fresh.overdue_groups(at), at
    assert bulk.view(start.timestamp() + 4 * 3600)["overdue"] > 0


def test_deletes_finished_reports_and_a_snapshot():
    model = ReportsModel()
    model.reset({"r1": report("r1", timedelta(hours=5)),
                 "u": report("u", timedelta(minutes=5), priority="urgent")}, now=T0)
    assert model.view(T0) == {"open": 2, "urgent": 1, "overdue": 1, "due_soon": 0,
                              "overdue_by": [[IOC_QUEUE, 1]]}
    # overdue once the clock is past the due (workflow: now > due), not at it
    assert model.overdue_count(T0 - 3600) == 0 and model.overdue_count(T0 - 3599.999) == 1
    assert workflow.sla_state(report("r1", timedelta(hours=5)), NOW - timedelta(hours=1)) != workflow.OVERDUE
    # the urgent one: due 15 min after it came, "due soon" in the last 20 % (3 min)
    assert model.view(T0 + 7 * 60 + 1)["due_soon"] == 1
    assert model.view(T0 + 10 * 60 + 1)["overdue"] == 2
    model.apply_changes(changes([report("u", timedelta(minutes=5), priority="urgent",
                                        status="rejected")]))
    assert model.view(T0) == {"open": 1, "urgent": 0, "overdue": 1, "due_soon": 0,
                              "overdue_by": [[IOC_QUEUE, 1]]}
    model.apply_changes(changes({}, deletes={"r1"}))
    assert model.view(T0)["open"] == 0 and model.view(T0 + 86400 * 30)["overdue"] == 0
    model.apply_changes(changes([report("s", timedelta(days=1), agency=WARD, due_ago=timedelta(hours=1))],
                                snapshot=True))
    assert model.view(T0)["overdue_by"] == [[group_key(WARD, "VSMT"), 1]]
    assert model.get("s") is None                  # the data itself is the cache's, not kept
    # a resolved report waits for the IOC to close it: open, never overdue
    model.apply_changes(changes([report("s", timedelta(days=1), agency=WARD,
                                        due_ago=timedelta(hours=1), resolved=True)]))
    assert model.view(T0)["open"] == 1 and model.view(T0 + 86400 * 30)["overdue"] == 0


# --------------------------------------------------------------------------- the rule
def test_overdue_reports_raise_one_alarm_per_group_with_count_and_oldest_age(engine):
    model = ReportsModel()
    model.reset({d["service_request_id"]: d for d in [
        # the IOC's own queue: received 5 h ago, verify due after 4 h
        report("r1", timedelta(hours=5)),
        # at the agencies, vệ sinh môi trường: two agencies, one report of priority high
        report("a1", timedelta(days=3), agency=ENV_CO, due_ago=timedelta(hours=1)),
        report("a2", timedelta(days=3), agency=WARD, due_ago=timedelta(hours=3),
               priority="high"),
        report("a3", timedelta(days=3), agency=ENV_CO, due_ago=timedelta(minutes=30)),
        # not yet due: nothing
        report("a4", timedelta(days=1), agency=ENV_CO, due_ago=-timedelta(hours=5)),
        report("r2", timedelta(hours=1))]}, now=T0)
    out = evaluate(engine, model, T0)
    vsmt = group_key(ENV_CO, "VSMT")
    assert vsmt == "category:VSMT" and is_group_key(vsmt) and not is_group_key("PA-1")
    assert sorted((t.alarm_id, t.event, t.to_state, t.priority) for t in out) == [
        (aid(vsmt), "raise", UNACKNOWLEDGED, 3), (aid(IOC_QUEUE), "raise", UNACKNOWLEDGED, 4)]
    alarm = engine.get(aid(vsmt))
    assert alarm.value == 3.0                                 # three reports, one alarm
    assert alarm.text == ("Overdue at the agencies, vệ sinh môi trường: 3 report(s) at 2 "
                          "agency(ies), 0 for immediate handling; the oldest is 3.0 h past its "
                          f"deadline ({WARD})")
    assert alarm.message == ["reports", CATEGORY_TEXT,
                             ["vệ sinh môi trường", 3, 2, 0, 3.0, WARD]]
    assert (alarm.source_topic, alarm.source_key) == ("reports", vsmt)
    ioc = engine.get(aid(IOC_QUEUE))
    assert ioc.text == ("Overdue in the IOC queue (not yet assigned): 1 report(s), 0 for "
                        "immediate handling; the oldest is 1.0 h past its deadline")
    assert ioc.message == ["reports", IOC_TEXT, [1, 0, 1.0]]
    # the age is floored to 0.1 h: the stored alarm changes every 6 minutes, not each time
    engine.take_changed()
    evaluate(engine, model, T0 + 5 * 60)
    evaluate(engine, model, T0 + 5 * 60 + 50)
    assert engine.take_changed() == []
    evaluate(engine, model, T0 + 6 * 60)
    assert [a.id for a in engine.take_changed()] == [aid(vsmt), aid(IOC_QUEUE)]
    assert "3.1 h past" in engine.get(aid(vsmt)).text and "1.1 h past" in engine.get(aid(IOC_QUEUE)).text


def test_reports_fall_overdue_on_the_clock_and_an_immediate_one_escalates(engine):
    model = ReportsModel()
    model.reset({"r1": report("r1", timedelta(hours=5))}, now=T0)
    evaluate(engine, model, T0)
    engine.acknowledge(aid(IOC_QUEUE), user="sv", now=T0 + 1)
    assert engine.get(aid(IOC_QUEUE)).state == ACKNOWLEDGED
    # a flooding report (an immediate case: verify within 15 min) comes in …
    model.apply_changes(changes([report("f1", timedelta(minutes=10), description="Ngập sâu 50 cm")]))
    assert model.record("f1").immediate
    evaluate(engine, model, T0 + 60)
    assert engine.get(aid(IOC_QUEUE)).value == 1.0
    # … and falls overdue with no new data (the situation layer's timer): the group's
    # alarm grows to two reports at priority 2 and is annunciated again
    evaluate(engine, model, T0 + 6 * 60)
    alarm = engine.get(aid(IOC_QUEUE))
    assert alarm.value == 2.0 and alarm.priority == 2 and alarm.state == UNACKNOWLEDGED
    assert "2 report(s), 1 for immediate handling" in alarm.text


def test_the_alarm_clears_when_the_groups_reports_are_dealt_with(engine):
    model = ReportsModel()
    model.reset({d["service_request_id"]: d for d in [
        report("r1", timedelta(hours=5)),
        report("a1", timedelta(days=3), code="ANTT", agency="Công an phường Vỹ Dạ",
               due_ago=timedelta(hours=2)),
        report("a2", timedelta(days=3), code="TTXD", agency="Sở Xây dựng",
               due_ago=timedelta(hours=2))]}, now=T0)
    evaluate(engine, model, T0)
    assert {a.key: a.priority for a in engine.active()} == {
        "category:ANTT": 2, "category:TTXD": 4, IOC_QUEUE: 4}      # ANTT: always immediate
    # r1 assigned (its resolve clock runs, due later), a1 resolved, a2 closed
    model.apply_changes(changes([
        report("r1", timedelta(hours=5), agency=WARD, due_ago=-timedelta(days=2)),
        report("a1", timedelta(days=3), code="ANTT", agency="Công an phường Vỹ Dạ",
               due_ago=timedelta(hours=2), resolved=True)]))
    model.apply_changes(changes({}, deletes={"a2"}))
    out = evaluate(engine, model, T0 + 60)
    assert sorted((t.alarm_id, t.event) for t in out) == [
        (aid("category:ANTT"), "clear"), (aid("category:TTXD"), "clear"), (aid(IOC_QUEUE), "clear")]
    assert not any(a.active for a in engine.alarms())
    assert model.view(T0 + 60)["overdue"] == 0


def test_many_overdue_reports_are_a_few_alarms():
    engine = AlarmEngine()
    engine.add_rules(PLUGIN, reports_rules())
    start, batches = simulated(seed=8, steps=600)
    model = ReportsModel()
    model.reset({}, now=start.timestamp())
    for events in batches:
        model.apply_changes(changes({e.key: schema.SPEC.validate(e.data) for e in events}))
    at = start.timestamp() + 86400
    evaluate(engine, model, at)
    overdue = model.view(at)["overdue"]
    alarms = [a for a in engine.alarms() if a.active]
    assert overdue >= 30 and len(alarms) <= len(schema.CATEGORIES) + 1
    assert sum(a.value for a in alarms) == overdue
    assert all(a.priority in (2, 3, 4) for a in alarms)


def test_the_plugin_declares_the_model_and_the_rule():
    plugin = ReportsPlugin()
    assert isinstance(plugin.create_model(), ReportsModel)
    rules = plugin.alarm_rules()
    assert [(r.id, r.priority, r.latching, r.on_delay_s, r.off_delay_s) for r in rules] == [
        (OVERDUE, 4, False, 0.0, 0.0)]
    assert rules[0].source == ("reports", None)
    unclocked = ReportsModel()                                  # no clock: nothing judged
    unclocked.reset({"r1": report("r1", timedelta(days=9))})
    assert unclocked.overdue_count() == 0 and unclocked.view()["overdue"] == 0
    assert list(reports_rules()[0].condition(unclocked, None)) == []


# --------------------------------------------------------------------------- the console
def test_the_console_shows_the_views_figures_and_follows_a_groups_alarm(qtbot):
    from plugins.reports.gui import ReportsGui
    from widgets.plugin_gui import AppContext

    gui = ReportsGui(ReportsPlugin(), AppContext(run_read=lambda fn, cb: cb(None)))
    qtbot.addWidget(gui.queue)
    qtbot.addWidget(gui.details)
    assert [k.value for k in gui.kpis()] == ["0", "0", "0"]
    model = ReportsModel()
    model.reset({d["service_request_id"]: d for d in [
        report("r1", timedelta(hours=6)), report("u", timedelta(minutes=5), priority="urgent"),
        report("a1", timedelta(days=3), agency=ENV_CO, due_ago=timedelta(hours=1))]}, now=T0)
    gui.apply_view(model.view(T0), full=True)
    open_, urgent, overdue = gui.kpis()
    assert (open_.value, urgent.value, urgent.abnormal, overdue.value, overdue.abnormal) == (
        "3", "1", 1, "2", 2)
    assert overdue.tooltip == "most overdue: IOC queue (not yet assigned) 1, vệ sinh môi trường 1"
    # the figures are the view's: a delta with other numbers shows them
    gui.apply_view({"overdue": 17, "overdue_by": []})
    assert gui.kpis()[2].value == "17" and gui.kpis()[2].tooltip == ""
    # following a group's alarm: the queue shows that group's overdue reports
    gui.select("reports", "category:VSMT")
    values = gui.queue.filters.values()
    assert values["categories"] == ("VSMT",) and values["sla"] == workflow.OVERDUE
    assert gui.queue.filter.categories == ("VSMT",) and gui.queue.filter.sla == workflow.OVERDUE
    gui.select("reports", IOC_QUEUE)
    values = gui.queue.filters.values()
    assert values["categories"] == () and values["states"] == ("received", "verified")
    assert values["sla"] == workflow.OVERDUE
