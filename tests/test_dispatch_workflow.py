"""The dispatch workflow's rules (plugins.reports.workflow): pure, no I/O, no Qt.

The expectations are written out here (states, roles) rather than read back from
``workflow.ACTIONS``, so that a wrong rule table fails these tests.
"""
from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from plugins.reports import workflow as wf
from plugins.reports.workflow import (ActionRefused, Deadlines, WorkflowConfig, apply_action,
                                      allowed_actions, fold, for_agency, process_class,
                                      sla_clocks, sla_state)
from plugins.reports.schema import validate

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=wf.VN_TZ)
NOW = T0 + timedelta(hours=1)
ALL_STATES = ("received", "verified", "assigned", "in_progress", "resolved", "closed", "rejected")

# action -> (the states it applies in, the state it leads to (None: unchanged), good args)
RULES = {
    "verify": (("received",), "verified", {}),
    "reject": (("received", "verified"), "rejected", {"reason": "invalid"}),
    "assign": (("verified", "assigned", "in_progress"), "assigned", {"agency": "UBND phường Phú Hội"}),
    "start": (("assigned",), "in_progress", {}),
    "note": (ALL_STATES, None, {"text": "Đã gọi lại cho người dân."}),
    "set_priority": (("received", "verified", "assigned", "in_progress", "resolved"), None,
                     {"priority": "high"}),
    "resolve": (("assigned", "in_progress"), "resolved", {"result": "Đã thu gom rác."}),
    "close": (("resolved",), "closed", {}),
    "reopen": (("resolved", "closed", "rejected"), "verified", {"reason": "Chưa xử lý xong."}),
    "merge": (("received", "verified", "assigned"), "rejected", {"into": "PA-T"}),
}
# role -> the actions it may take
ROLE_ACTIONS = {
    "viewer": set(),
    "operator": {"note"},
    "supervisor": set(RULES),
    "agency": {"start", "resolve", "note"},
}


def report(key="PA-1", state="received", **extra) -> dict:
    data = {
        "service_request_id": key, "service_code": "VSMT", "service_name": "vệ sinh môi trường",
        "description": "Rác thải sinh hoạt tập kết không đúng nơi quy định.",
        "status": wf.open311_status(state), "ioc_status": state, "priority": "normal",
        "lat": 16.4637, "long": 107.5909, "requested_datetime": wf.iso(T0),
        "reporter": {"name": "Nguyễn Văn A", "phone": "09xx xxx 001"},
    }
    data.update(extra)
    return data


TARGET = report("PA-T", "verified")


def lookup(key):
    return {"PA-T": TARGET, "PA-C": report("PA-C", "closed"), "PA-R": report("PA-R", "rejected")}.get(key)


def act(data, name, args=None, roles=("supervisor",), now=NOW, **kw):
    if args is None:
        args = RULES[name][2]
    kw.setdefault("lookup", lookup)
    return apply_action(data, name, args, user="Trưởng ca", roles=roles, now=now, **kw)


def refused(code, *a, **kw) -> ActionRefused:
    with pytest.raises(ActionRefused) as info:
        act(*a, **kw)
    assert info.value.code == code, str(info.value)
    assert str(info.value).startswith(f"{code}: ")
    return info.value


# --------------------------------------------------------------------------- states
@pytest.mark.parametrize("name", RULES)
@pytest.mark.parametrize("state", ALL_STATES)
def test_each_action_allowed_exactly_from_its_states(name, state):
    from_states, to_state, _ = RULES[name]
    data = report(state=state)
    if state not in from_states:
        err = refused("conflict", data, name)
        assert state in err.reason
        return
    changed = act(data, name)
    new = changed["PA-1"]
    expected = to_state or state
    assert new["ioc_status"] == expected
    # Open311's status follows: closed exactly for closed and rejected
    assert new["status"] == ("closed" if expected in ("closed", "rejected") else "open")
    assert validate(new)["status"] == new["status"]          # the topic's own rules agree
    entry = new["history"][-1]
    assert entry["action"] == name and entry["by"] == "Trưởng ca"
    assert entry["at"] == wf.iso(NOW) and wf.parse_time(entry["at"]) == NOW
    assert entry["from"] == state and entry["to"] == expected
    assert new["updated_datetime"] == wf.iso(NOW)
    assert data.get("history") is None and data["ioc_status"] == state   # input untouched


def test_history_is_appended_not_replaced():
    data = report()
    for name in ("verify", "assign", "note", "start", "resolve", "close"):
        data = act(data, name)["PA-1"]
    assert [h["action"] for h in data["history"]] == ["verify", "assign", "note", "start",
                                                      "resolve", "close"]
    assert [(h["from"], h["to"]) for h in data["history"]] == [
        ("received", "verified"), ("verified", "assigned"), ("assigned", "assigned"),
        ("assigned", "in_progress"), ("in_progress", "resolved"), ("resolved", "closed")]
    assert data["status"] == "closed"
    data = act(data, "reopen")["PA-1"]
    assert (data["ioc_status"], data["status"]) == ("verified", "open")


def test_state_without_ioc_status_follows_open311():
    data = report()
    del data["ioc_status"]
    assert wf.ioc_state(data) == "received"
    assert wf.ioc_state({**data, "status": "closed"}) == "closed"
    assert act(data, "verify")["PA-1"]["ioc_status"] == "verified"


# --------------------------------------------------------------------------- roles
@pytest.mark.parametrize("role", ROLE_ACTIONS)
@pytest.mark.parametrize("name", RULES)
def test_roles(role, name):
    data = report(state=RULES[name][0][0])
    if name in ROLE_ACTIONS[role]:
        assert act(data, name, roles=(role,))["PA-1"]["history"][-1]["action"] == name
        assert name in allowed_actions(data, [role])
    else:
        err = refused("forbidden", data, name, roles=(role,))
        assert name in err.reason
        assert name not in allowed_actions(data, [role])


def test_forbidden_message_names_the_role():
    err = refused("forbidden", report(state="verified"), "assign", roles=("operator",))
    assert str(err) == "forbidden: assign needs the role supervisor"


def test_several_roles_and_no_role():
    assert act(report(), "verify", roles=("operator", "supervisor"))
    refused("forbidden", report(), "note", roles=())
    assert allowed_actions(report(), []) == []
    assert set(allowed_actions(report(), ["operator", "supervisor"])) == {
        "verify", "reject", "note", "set_priority", "merge"}


def test_forbidden_before_conflict():
    """A viewer learns nothing about the state: the role is checked first."""
    refused("forbidden", report(state="closed"), "verify", roles=("viewer",))


# --------------------------------------------------------------------------- arguments
@pytest.mark.parametrize("args", [{}, {"reason": "spam"}, {"reason": 3}, {"reason": ""}])
def test_reject_needs_a_listed_reason(args):
    refused("bad_request", report(), "reject", args)


@pytest.mark.parametrize("reason", wf.REJECT_REASONS)
def test_reject_reasons(reason):
    new = act(report(), "reject", {"reason": reason, "note": "x"})["PA-1"]
    assert new["history"][-1]["reason"] == reason and new["history"][-1]["note"] == "x"


@pytest.mark.parametrize("args", [
    {}, {"agency": ""}, {"agency": "   "}, {"agency": 12}, {"agency": "x" * 201},
    {"agency": "Sở Xây dựng", "due": "tomorrow"},
    {"agency": "Sở Xây dựng", "due": 1700000000},
    {"agency": "Sở Xây dựng", "due": wf.iso(NOW)},                          # now is not future
    {"agency": "Sở Xây dựng", "due": wf.iso(NOW - timedelta(seconds=1))},
])
def test_assign_bad_args(args):
    refused("bad_request", report(state="verified"), "assign", args)


def test_assign_with_due_and_default_due():
    due = NOW + timedelta(days=1)
    args = {"agency": "Sở Xây dựng", "due": due.isoformat()}
    new = act(report(state="verified"), "assign", args)["PA-1"]
    assert new["agency_responsible"] == "Sở Xây dựng"
    assert wf.parse_time(new["expected_datetime"]) == due
    assert new["history"][-1]["agency"] == "Sở Xây dựng"
    # no due: the category's resolve deadline (VSMT: 2 days by default)
    new = act(report(state="verified"), "assign", {"agency": "Sở Xây dựng"})["PA-1"]
    assert wf.parse_time(new["expected_datetime"]) == NOW + timedelta(days=2)
    # reassigning an in-progress report moves it back to assigned
    new = act(report(state="in_progress"), "assign", {"agency": "Sở Xây dựng"})["PA-1"]
    assert new["ioc_status"] == "assigned"


@pytest.mark.parametrize("priority", [None, "", "critical", 1, "URGENT"])
def test_priority_must_be_known(priority):
    refused("bad_request", report(), "set_priority", {"priority": priority})


def test_priority_change_and_urgent_is_immediate():
    new = act(report(), "set_priority", {"priority": "urgent"})["PA-1"]
    assert new["priority"] == "urgent" and new["process"] == "immediate"
    assert new["history"][-1]["old"] == "normal" and new["history"][-1]["new"] == "urgent"


@pytest.mark.parametrize("text", [None, "", "   ", 5, "x" * 2001])
def test_note_needs_text(text):
    refused("bad_request", report(), "note", {"text": text})


def test_resolve_and_reopen_need_text():
    refused("bad_request", report(state="assigned"), "resolve", {})
    refused("bad_request", report(state="closed"), "reopen", {"reason": ""})
    new = act(report(state="assigned"), "resolve")["PA-1"]
    assert new["status_notes"] == "Đã thu gom rác." and new["history"][-1]["result"] == new["status_notes"]


def test_unknown_action_and_bad_args_type():
    refused("bad_request", report(), "escalate", {})
    refused("bad_request", report(), "note", ["text"])


# --------------------------------------------------------------------------- merge
def test_merge_links_both_ways_and_rejects_the_duplicate():
    changed = act(report(), "merge", {"into": "PA-T"})
    assert set(changed) == {"PA-1", "PA-T"}
    dup, target = changed["PA-1"], changed["PA-T"]
    assert dup["merged_into"] == "PA-T"
    assert (dup["ioc_status"], dup["status"]) == ("rejected", "closed")
    assert dup["history"][-1] == {"action": "merge", "by": "Trưởng ca", "at": wf.iso(NOW),
                                       "from": "received", "to": "rejected",
                                       "reason": "duplicate", "into": "PA-T"}
    assert target["merged_from"] == ["PA-1"]
    assert target["ioc_status"] == "verified"                 # the kept report stays as it was
    assert target["history"][-1]["action"] == "merged_from" and target["history"][-1]["key"] == "PA-1"
    assert TARGET.get("merged_from") is None                   # lookup's data untouched
    # a second duplicate adds to the list, once
    again = act(report("PA-2"), "merge", {"into": "PA-T"}, lookup=lambda k: target)
    assert again["PA-T"]["merged_from"] == ["PA-1", "PA-2"]


@pytest.mark.parametrize("into,code", [("PA-1", "bad_request"), ("PA-C", "conflict"),
                                       ("PA-R", "conflict"), ("PA-404", "not_found"),
                                       ("", "bad_request"), (None, "bad_request")])
def test_merge_refusals(into, code):
    refused(code, report(), "merge", {"into": into})


# --------------------------------------------------------------------------- process class
@pytest.mark.parametrize("extra", [
    {"priority": "urgent"},
    {"service_code": "ANTT"},
    {"description": "Nước ngập sâu 40 cm trên đường Lê Lợi."},
    {"description": "Nuoc ngap sau 40 cm tren duong Le Loi."},
    {"description": "Nước lũ tràn vào khu dân cư."},
    {"description": "nuoc lu tran vao khu dan cu"},
    {"description": "NGẬP LỤT ở kiệt 12"},
    {"description": "Sạt lở bờ sông gần đường Kim Long."},
    {"description": "sat lo bo song"},
    {"description": "Đám cháy lớn tại chợ."},
    {"description": "Cây đổ chắn ngang đường."},
    {"description": "Tai nạn giao thông."},
    {"service_name": "ngập úng"},
])
def test_immediate(extra):
    assert process_class(report(**extra)) == "immediate"


@pytest.mark.parametrize("description", [
    "Rác thải sinh hoạt tập kết không đúng nơi quy định.",
    "Mặt đường bị sụt lún, có ổ gà lớn.",              # "lún" folds to "lun", not "lũ"
    "Nước thải chảy tràn ra đường.",                     # chảy (flow), not cháy (fire)
    "Xe chạy quá tốc độ, lưu ý.",
    "Khách du lịch bị chèo kéo.",
])
def test_timed(description):
    assert process_class(report(description=description)) == "timed"


def test_process_set_at_verify_and_explicit_process_wins():
    assert act(report(service_code="ANTT"), "verify")["PA-1"]["process"] == "immediate"
    assert act(report(), "verify")["PA-1"]["process"] == "timed"
    assert process_class(report(service_code="ANTT", process="timed")) == "timed"


def test_fold():
    assert fold("Ngập lụt ĐƯỜNG Đống Đa") == "ngap lut duong dong da"
    assert fold(None) == "" and fold("") == ""


def test_deadlines_by_category_and_config():
    config = WorkflowConfig()
    assert config.deadlines(report(service_code="HTGT")) == config.timed["HTGT"]
    assert config.deadlines(report(service_code="DVDL")) == config.timed["*"]
    assert config.deadlines(report(service_code="ANTT")) == config.immediate
    assert config.immediate.verify < config.timed["*"].verify
    custom = WorkflowConfig(
        timed={"*": Deadlines(timedelta(hours=1), timedelta(hours=2), timedelta(hours=3))},
        immediate=Deadlines(timedelta(minutes=1), timedelta(minutes=2), timedelta(minutes=3)),
        immediate_words=("khẩn",), immediate_categories=())
    new = act(report(state="verified"), "assign", {"agency": "Sở Xây dựng"}, config=custom)["PA-1"]
    assert wf.parse_time(new["expected_datetime"]) == NOW + timedelta(hours=3)
    urgent = report(state="verified", description="Rất khẩn cấp")
    assert process_class(urgent, custom) == "timed"            # config words are folded words
    custom.immediate_words = ("khan",)
    new = act(urgent, "assign", {"agency": "Sở Xây dựng"}, config=custom)["PA-1"]
    assert wf.parse_time(new["expected_datetime"]) == NOW + timedelta(minutes=3)
    assert process_class(report(service_code="ANTT"), custom) == "timed"


# --------------------------------------------------------------------------- SLA
def test_overdue_at_the_boundary():
    data = report()                                            # VSMT: verify within 4 h
    due = T0 + timedelta(hours=4)
    assert sla_state(data, due - timedelta(minutes=30)) == "due_soon"
    assert sla_state(data, due) == "due_soon"                  # exactly at due: not overdue
    assert sla_state(data, due + timedelta(seconds=1)) == "overdue"


def test_due_soon_at_the_share_boundary():
    data = report()
    soon = T0 + timedelta(hours=4) - timedelta(hours=4) * WorkflowConfig().due_soon_share
    assert sla_state(data, soon - timedelta(seconds=1)) == "ok"
    assert sla_state(data, soon) == "due_soon"


def test_done_steps_stop_their_clock_and_the_next_starts():
    data = act(report(), "verify", now=T0 + timedelta(hours=1))["PA-1"]
    verify, assign, resolve = sla_clocks(data)
    assert verify.done == T0 + timedelta(hours=1) and verify.state(T0 + timedelta(days=9)) == "ok"
    assert assign.started == T0 + timedelta(hours=1) and assign.due == T0 + timedelta(hours=9)
    assert sla_state(data, T0 + timedelta(hours=9)) == "due_soon"
    assert sla_state(data, T0 + timedelta(hours=9, seconds=1)) == "overdue"
    due = T0 + timedelta(hours=5)
    data = act(data, "assign", {"agency": "Sở Xây dựng", "due": due.isoformat()},
               now=T0 + timedelta(hours=2))["PA-1"]
    assert sla_clocks(data)[2].due == due
    assert sla_state(data, due) == "due_soon"
    assert sla_state(data, due + timedelta(seconds=1)) == "overdue"
    data = act(data, "resolve", now=due + timedelta(hours=1))["PA-1"]
    assert sla_state(data, due + timedelta(days=30)) == "ok"      # nothing is running
    late = [c for c in sla_clocks(data) if c.state(due + timedelta(days=30)) == "overdue"]
    assert [c.step for c in late] == ["resolve"]                  # done, but late


@pytest.mark.parametrize("state", ["closed", "rejected"])
def test_finished_reports_are_ok(state):
    assert sla_state(report(state=state), T0 + timedelta(days=365)) == "ok"


def test_immediate_reports_have_short_clocks():
    data = report(description="Ngập sâu")
    assert sla_state(data, T0 + timedelta(minutes=15)) == "due_soon"
    assert sla_state(data, T0 + timedelta(minutes=15, seconds=1)) == "overdue"


def test_no_requested_time_no_clocks():
    data = report()
    del data["requested_datetime"]
    assert sla_clocks(data) == [] and sla_state(data, NOW) == "ok"


# --------------------------------------------------------------------------- confidentiality
def test_for_agency_removes_the_reporter_everywhere():
    data = report()
    for name in ("verify", "note", "assign"):
        data = act(data, name)["PA-1"]
    data["history"].append({"action": "note", "reporter": {"name": "Nguyễn Văn A"}})
    out = for_agency(data)
    text = json.dumps(out, ensure_ascii=False)
    assert "reporter" not in text and "Nguyễn Văn A" not in text and "09xx" not in text
    assert out["service_request_id"] == "PA-1" and len(out["history"]) == 4
    assert data["reporter"]["name"] == "Nguyễn Văn A"             # the IOC's copy is untouched
    assert data["history"][-1]["reporter"]
