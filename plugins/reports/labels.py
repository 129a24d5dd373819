"""What the reports console says about a report: labels, colours and the SLA text.

Shared by the queue (plugins/reports/gui.py), the triage keys (triage.py) and the
details pane (details.py), so that each says it the same way.  English sources marked
with QT_TRANSLATE_NOOP, shown through ``QCoreApplication.translate("reports", …)``.
"""
from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from . import workflow

STATUS_LABELS = {
    "received": QT_TRANSLATE_NOOP("reports", "received"),
    "verified": QT_TRANSLATE_NOOP("reports", "verified"),
    "assigned": QT_TRANSLATE_NOOP("reports", "assigned"),
    "in_progress": QT_TRANSLATE_NOOP("reports", "in progress"),
    "resolved": QT_TRANSLATE_NOOP("reports", "resolved"),
    "closed": QT_TRANSLATE_NOOP("reports", "closed"),
    "rejected": QT_TRANSLATE_NOOP("reports", "rejected"),
}
PRIORITY_LABELS = {
    "urgent": QT_TRANSLATE_NOOP("reports", "▲ URGENT"),
    "high": QT_TRANSLATE_NOOP("reports", "● high"),
    "normal": QT_TRANSLATE_NOOP("reports", "normal"),
}
CHANNEL_LABELS = {
    "hue_s": "Huế-S", "web": "Web", "facebook": "Facebook",
    "hotline": QT_TRANSLATE_NOOP("reports", "hotline 1900 1075"),
}
#: Action names (workflow.ACTIONS, plus the backend's "merged_from" history entry).
ACTION_LABELS = {
    "verify": QT_TRANSLATE_NOOP("reports", "verify"),
    "reject": QT_TRANSLATE_NOOP("reports", "reject"),
    "assign": QT_TRANSLATE_NOOP("reports", "assign"),
    "start": QT_TRANSLATE_NOOP("reports", "start"),
    "note": QT_TRANSLATE_NOOP("reports", "note"),
    "set_priority": QT_TRANSLATE_NOOP("reports", "priority"),
    "resolve": QT_TRANSLATE_NOOP("reports", "resolve"),
    "close": QT_TRANSLATE_NOOP("reports", "close"),
    "reopen": QT_TRANSLATE_NOOP("reports", "reopen"),
    "merge": QT_TRANSLATE_NOOP("reports", "merge"),
    "merged_from": QT_TRANSLATE_NOOP("reports", "duplicate merged in"),
}
REJECT_REASON_LABELS = {
    "invalid": QT_TRANSLATE_NOOP("reports", "invalid"),
    "out_of_scope": QT_TRANSLATE_NOOP("reports", "out of scope"),
    "duplicate": QT_TRANSLATE_NOOP("reports", "duplicate"),
}
# SLA steps are nouns, distinct from the action verbs above (they translate differently)
STEP_LABELS = {
    "verify": QT_TRANSLATE_NOOP("reports", "verification"),
    "assign": QT_TRANSLATE_NOOP("reports", "assignment"),
    "resolve": QT_TRANSLATE_NOOP("reports", "resolution"),
}
SLA_LABELS = {
    workflow.OK: QT_TRANSLATE_NOOP("reports", "ok"),
    workflow.DUE_SOON: QT_TRANSLATE_NOOP("reports", "due soon"),
    workflow.OVERDUE: QT_TRANSLATE_NOOP("reports", "overdue"),
}
# status -> (background, text) colours: new work stands out, finished work recedes
STATUS_COLORS = {
    "received": ("#1f4f8a", "#ffffff"), "verified": ("#16607a", "#ffffff"),
    "assigned": ("#7a5a00", "#ffffff"), "in_progress": ("#7a4500", "#ffffff"),
    "resolved": ("#1d6b3a", "#ffffff"), "closed": ("#2a2f35", "#a3acb5"),
    "rejected": ("#3a2a2a", "#a3acb5"),
}
# SLA state -> (background, text): never the only carrier (the text says it too)
SLA_COLORS = {
    workflow.OVERDUE: ("#7a1414", "#ffffff"),
    workflow.DUE_SOON: ("#6b5200", "#ffffff"),
    workflow.OK: (None, "#2fd07a"),
}




def label(table: dict, value, default: str = "") -> str:
    """The translated label of ``value`` in one of the tables above (else the value)."""
    if value in table:
        return QCoreApplication.translate("reports", table[value])
    return default if value is None else str(value)


#: Templates, shown through ``text(name, *values)``.
TEXTS = {
    "s": QT_TRANSLATE_NOOP("reports", "{0} s"),
    "min": QT_TRANSLATE_NOOP("reports", "{0} min"),
    "h": QT_TRANSLATE_NOOP("reports", "{0} h"),
    "h min": QT_TRANSLATE_NOOP("reports", "{0} h {1} min"),
    "d": QT_TRANSLATE_NOOP("reports", "{0} d"),
    "d h": QT_TRANSLATE_NOOP("reports", "{0} d {1} h"),
    "sla ok": QT_TRANSLATE_NOOP("reports", "ok"),
    "sla overdue": QT_TRANSLATE_NOOP("reports", "OVERDUE {0} {1}"),
    "sla due soon": QT_TRANSLATE_NOOP("reports", "due soon: {0} in {1}"),
    "sla ok in": QT_TRANSLATE_NOOP("reports", "ok · {0} in {1}"),
    "clock late": QT_TRANSLATE_NOOP("reports", "{0}: due {1} · done {2}, {3} late"),
    "clock on time": QT_TRANSLATE_NOOP("reports", "{0}: due {1} · done {2}, on time"),
    "clock finished": QT_TRANSLATE_NOOP("reports", "{0}: due {1} · not needed (finished)"),
    "clock overdue": QT_TRANSLATE_NOOP("reports", "{0}: due {1} · OVERDUE by {2}"),
    "clock due soon": QT_TRANSLATE_NOOP("reports", "{0}: due {1} · due soon, {2} left"),
    "clock left": QT_TRANSLATE_NOOP("reports", "{0}: due {1} · {2} left"),
}


def text(name: str, *values) -> str:
    """The translated template ``TEXTS[name]`` filled with ``values``."""
    return QCoreApplication.translate("reports", TEXTS[name]).format(*values)


def duration(seconds: float) -> str:
    """A compact, translated duration: 45 s, 35 min, 2 h 10 min, 3 d 4 h."""
    s = int(abs(seconds))
    if s < 60:
        return text("s", s)
    minutes = s // 60
    if minutes < 60:
        return text("min", minutes)
    hours, minutes = divmod(minutes, 60)
    if hours < 24:
        return text("h min", hours, minutes) if minutes else text("h", hours)
    days, hours = divmod(hours, 24)
    return text("d h", days, hours) if hours else text("d", days)


# --------------------------------------------------------------------------- SLA
#: The state-table columns an SLA summary needs (the queue selects them as one JSON array).
SLA_FIELDS = ("ioc_status", "requested_datetime", "expected_datetime", "process", "service_code",
              "priority", "verified_at", "assigned_at", "resolved_at")
_DONE_FIELDS = {"verify": "verified_at", "assign": "assigned_at", "resolve": "resolved_at"}


def data_from_columns(fields: dict) -> dict:
    """A report dict that :func:`workflow.sla_clocks` understands, built from state-table
    columns (the ``*_at`` columns stand for the history entries)."""
    data = {k: v for k, v in fields.items() if k not in _DONE_FIELDS.values()}
    data["history"] = [{"action": step, "at": fields[col]} for step, col in _DONE_FIELDS.items()
                       if fields.get(col)]
    return data


def sla_summary(data: dict, now: datetime) -> tuple[str | None, str]:
    """(state, text) of a report's SLA for the queue: the worst running step.

    "OVERDUE verify 35 min", "due soon: assign in 20 min", "ok · resolve in 2 d";
    ``(None, "")`` for a finished report.
    """
    if workflow.ioc_state(data) in workflow.FINISHED:
        return None, ""
    rank = {workflow.OVERDUE: 0, workflow.DUE_SOON: 1, workflow.OK: 2}
    running = [(rank[c.state(now)], c.due, c) for c in workflow.sla_clocks(data) if c.done is None]
    if not running:
        return workflow.OK, text("sla ok")
    _, _, clock = min(running, key=lambda t: (t[0], t[1]))
    state = clock.state(now)
    step = label(STEP_LABELS, clock.step)
    left = (clock.due - now).total_seconds()
    if state == workflow.OVERDUE:
        return state, text("sla overdue", step, duration(left))
    if state == workflow.DUE_SOON:
        return state, text("sla due soon", step, duration(left))
    return state, text("sla ok in", step, duration(left))


def clock_lines(data: dict, now: datetime, fmt_time) -> list[tuple[str | None, str]]:
    """One (state, text) line per SLA step for the details pane: due, and done or
    remaining / overdue time.  ``fmt_time(datetime) -> str`` shows a time."""
    lines = []
    finished = workflow.ioc_state(data) in workflow.FINISHED
    for c in workflow.sla_clocks(data):
        step = label(STEP_LABELS, c.step)
        due = fmt_time(c.due)
        if c.done is not None:
            late = (c.done - c.due).total_seconds()
            state = c.state(now)
            if late > 0:
                line = text("clock late", step, due, fmt_time(c.done), duration(late))
            else:
                line = text("clock on time", step, due, fmt_time(c.done))
        elif finished:
            state, line = None, text("clock finished", step, due)
        else:
            state = c.state(now)
            left = (c.due - now).total_seconds()
            if state == workflow.OVERDUE:
                line = text("clock overdue", step, due, duration(left))
            elif state == workflow.DUE_SOON:
                line = text("clock due soon", step, due, duration(left))
            else:
                line = text("clock left", step, due, duration(left))
        lines.append((state, line))
    return lines
