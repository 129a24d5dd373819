"""The citizen reports' situation model (no Qt): the wall's figures (open, urgent,
overdue, due soon) and the overdue reports grouped by who must act on them.

The queue itself is SQL over the cache (:mod:`plugins.reports.queue_query`); this model
keeps only what the figures and the overdue alarm need, one small record per *open*
report (not closed, not rejected): its priority, whether it is handled as an immediate
case, its category, the agency responsible, and its SLA times — the earliest due and the earliest
"due soon" threshold of its clocks still running, computed once per version of the
report with :func:`plugins.reports.workflow.sla_clocks` (the same rule as the queue's
``sla_due``/``sla_soon`` columns and :func:`workflow.sla_state`):

    overdue    due <  now
    due soon   due >= now and soon <= now

They depend on ``now`` only, so they are index ranges here too: the records with a
running clock are kept sorted by due and by threshold, and a view reads the overdue
ones without going through every open report — once per ``now`` and version of the
records: the view and the alarm rule of one evaluation share that pass, which also
gives the "due soon" count (those reached by their threshold, less the overdue ones).  A report whose clocks are
all done (resolved, waiting for the IOC to close it) is open but never overdue.

``items`` stays empty: a cache may hold a million reports, and nothing here needs their
data (:meth:`get` answers None).

**Start from the cache**.  The records are also in the state table's columns, written
by the same rule (:func:`plugins.reports.queue_query.dispatch_columns`: ``ioc_status``,
``priority``, ``process``, ``agency_responsible``, ``service_code``, ``sla_due``,
``sla_soon``), so at a start the situation layer has :meth:`ReportsModel.read_state`
read them in one query and :meth:`ReportsModel.reset_read` build the same model as
:meth:`reset` of the decoded state would, without decoding every report's JSON
(20,000 reports: tens of milliseconds instead of a second and a half).

**Groups**.  Overdue reports are grouped by what the supervisor does about them
(:func:`group_key`): those not yet assigned to an agency are the IOC's own queue
(its verification or dispatch is late: :data:`IOC_QUEUE`); those assigned are grouped
by category (``category:<service_code>``: each category has its few usual agencies,
and there are few categories, where there are scores of agencies — the wards' police
and people's committees each count as one).  See :meth:`overdue_groups`.

``view(now)`` (plain values)::

    open       open reports (every state but closed and rejected)
    urgent     open reports of priority "urgent"
    overdue    open reports past a deadline now
    due_soon   open reports in the last part of a step's time, not overdue
    overdue_by [[group key, count], …] the groups with most overdue reports (at most
               :data:`TOP_GROUPS`), most first; keys as :func:`group_key` makes them
"""
from __future__ import annotations

import functools
import math
import sqlite3
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from ioc_desktop.topic_model import TopicModel

from . import workflow
from .queue_query import NO_DUE, TABLE
from .workflow import DEFAULT_CONFIG, FINISHED, IMMEDIATE, WorkflowConfig

#: The group key of overdue reports not yet assigned to an agency: the IOC's own queue.
IOC_QUEUE = "ioc"
CATEGORY_PREFIX = "category:"
#: Groups listed in the view's ``overdue_by``.
TOP_GROUPS = 5


def group_key(agency: str | None, category: str | None) -> str:
    """The group of a report: :data:`IOC_QUEUE` while no agency is responsible for it,
    else ``"category:<service_code>"``."""
    return CATEGORY_PREFIX + (category or "") if agency else IOC_QUEUE


def category_of(key: str) -> str | None:
    """The category (service code) a group key names (None: the IOC's queue, or not
    a group key)."""
    return key[len(CATEGORY_PREFIX):] if key.startswith(CATEGORY_PREFIX) else None


def is_group_key(key: str) -> bool:
    return key == IOC_QUEUE or key.startswith(CATEGORY_PREFIX)


@dataclass(frozen=True)
class Record:
    """What the figures need of an open report."""

    group: str
    agency: str | None       # the agency responsible (None: not yet assigned)
    priority: str            # normal / high / urgent
    immediate: bool          # handled as an immediate case (urgent, safety, flooding)
    due: float               # epoch s of the earliest running due; inf: no clock runs
    soon: float              # the earliest "due soon" threshold; inf: no clock runs


@dataclass(frozen=True)
class Group:
    """The overdue reports of one group at ``now``."""

    key: str
    count: int
    immediate: int           # of them handled as immediate cases
    high: int                # of them of priority "high" (and not immediate)
    oldest_due: float        # the earliest due among them (epoch s)
    oldest_agency: str | None   # the agency responsible for that one
    agencies: int            # distinct agencies responsible for them

    @property
    def category(self) -> str | None:
        return category_of(self.key)


def record_of(data: Mapping[str, Any], config: WorkflowConfig = DEFAULT_CONFIG) -> Record | None:
    """The record of a report, or None when it is finished (or not a report)."""
    if not isinstance(data, Mapping) or workflow.ioc_state(data) in FINISHED:
        return None
    process = workflow.process_class(data, config)    # decided once (it folds the text)
    due, soon = workflow.running_due(data, config, process)
    return _record(data.get("agency_responsible"), data.get("service_code"), data.get("priority"),
                   process, _epoch(due), _epoch(soon))


#: More changes than this in one batch, and more than a quarter of the open reports:
#: the records are sorted again at once instead of placed one by one.
BULK_CHANGES = 256

#: The state-table columns of an open report that make its record (:func:`record_of_row`).
ROW_COLUMNS = ("agency_responsible", "service_code", "priority", "process", "sla_due", "sla_soon")


#: the status, then :data:`ROW_COLUMNS` (a row of them is also what _row_record reads)
_TYPED = ("ioc_status", *ROW_COLUMNS)


@functools.lru_cache(maxsize=1 << 14)
def record_of_row(agency: Any, code: Any, priority: Any, process: Any, sla_due: str | None,
                  sla_soon: str | None) -> Record:
    """The record of an open report from its state-table columns (:data:`ROW_COLUMNS`),
    equal to :func:`record_of` of its data: the columns hold the same values, and its
    times at the microsecond (``queue_query.sql_time``).

    Remembered (a record is immutable, and made from these values alone): a review
    jump makes the records of thousands of open reports, most of them unchanged since
    the previous jump (the two times parsed were most of a record's cost)."""
    return _record(agency, code, priority, process, _sql_epoch(sla_due), _sql_epoch(sla_soon))


def _record(agency: Any, code: Any, priority: Any, process: Any, due: float,
            soon: float) -> Record:
    agency = agency if isinstance(agency, str) and agency.strip() else None
    priority = priority if priority in workflow.PRIORITIES else "normal"
    return Record(group_key(agency, code if isinstance(code, str) else None), agency,
                  priority, process == IMMEDIATE, due, soon)


def _epoch(dt: datetime | None) -> float:
    if dt is None:
        return math.inf
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=timezone.utc)
    return dt.timestamp()


def _sql_epoch(text: str | None) -> float:
    """``sla_due``/``sla_soon`` as epoch seconds (inf: no clock runs)."""
    if text is None or text == NO_DUE:
        return math.inf
    return _epoch(datetime.fromisoformat(text))


def _first(entry: tuple[float, str]) -> float:
    return entry[0]


class ReportsModel(TopicModel):
    """See the module docstring.  Owned by one thread; not locked."""

    #: review: the state at T by the difference from the last jump (ioc_desktop.review.snapshot)
    review_incremental = True

    def __init__(self, config: WorkflowConfig = DEFAULT_CONFIG) -> None:
        super().__init__()
        self.config = config
        self._open: dict[str, Record] = {}
        self._by_due: list[tuple[float, str]] = []      # records with a running clock
        self._by_soon: list[tuple[float, str]] = []
        self._urgent = 0
        self._version = 0             # of the records, for the pass over the overdue ones
        self._scan: tuple | None = None   # (now, version, groups, overdue not yet "soon")
        self.bad_reports = 0          # data the SLA rule could not read (should not happen)

    # ------------------------------------------------------------ feeding
    def reset(self, state: Mapping[str, dict], *, now: float | None = None) -> None:
        self.set_now(now)
        # a review's state read from a checkpoint: its typed columns make the records
        # (a few µs each) without decoding the reports (see ioc_desktop.review.items)
        typed = getattr(state, "typed_columns", None)
        rows = typed(_TYPED) if typed is not None and self.config == DEFAULT_CONFIG else None
        if not rows:
            self._fill((key, self._record(data)) for key, data in state.items())
            return
        # one loop, no call per row but the remembered record's (7,000 reports a jump)
        records, get, of_row = {}, rows.get, record_of_row
        for key in state:
            row = get(key)
            if row is None:
                rec = self._record(state[key])      # set after the checkpoint
            elif row[0] in FINISHED:
                continue
            else:
                try:
                    rec = of_row(*row[1:])
                except (TypeError, ValueError, OverflowError):
                    self.bad_reports += 1
                    continue
            if rec is not None:
                records[key] = rec
        self._fill(records.items())

    def read_state(self, conn: sqlite3.Connection) -> list[tuple] | None:
        """The open reports' columns (key, then :data:`ROW_COLUMNS`) from the state
        table, for :meth:`reset_read` (the situation layer runs it on the writer's
        connection at a start).  None when the columns can't stand for the data: a
        model with another workflow than the one the columns are written with
        (reset it from the decoded state)."""
        if self.config != DEFAULT_CONFIG:
            return None
        finished = ", ".join("?" * len(FINISHED))
        return conn.execute(f"SELECT key, {', '.join(ROW_COLUMNS)} FROM {TABLE} "
                            f"WHERE ioc_status NOT IN ({finished})", FINISHED).fetchall()

    def reset_read(self, rows: list[tuple], *, now: float | None = None) -> None:
        """:meth:`reset` from what :meth:`read_state` read (the same model)."""
        self.set_now(now)
        self._fill((row[0], self._row_record(row)) for row in rows)

    def _fill(self, records: Iterable[tuple[str, Record | None]]) -> None:
        self._version += 1
        self.items = {}
        self._open = {key: rec for key, rec in records if rec is not None}
        self._urgent = sum(rec.priority == "urgent" for rec in self._open.values())
        self._by_due = sorted((r.due, k) for k, r in self._open.items() if r.due < math.inf)
        self._by_soon = sorted((r.soon, k) for k, r in self._open.items() if r.soon < math.inf)

    def apply_changes(self, changes: Any, *, now: float | None = None) -> None:
        if getattr(changes, "snapshot", False):
            self.reset(changes.upserts, now=now)
            return
        self.set_now(now)
        count = len(changes.deletes) + len(changes.upserts)
        if count > BULK_CHANGES and count * 4 > len(self._open):
            # a review's jump changes most reports: one sort beats an insort each
            # (each one moves a list of thousands)
            records = dict(self._open)
            for key in changes.deletes:
                records.pop(key, None)
            for key, data in changes.upserts.items():
                records[key] = self._record(data)
            self._fill(records.items())
            return
        for key in changes.deletes:
            self._put(key, None)
        for key, data in changes.upserts.items():
            self._put(key, self._record(data))

    def _record(self, data: Any) -> Record | None:
        try:
            return record_of(data, self.config)
        except (TypeError, ValueError, OverflowError):
            self.bad_reports += 1
            return None

    def _row_record(self, row: tuple) -> Record | None:
        try:
            return record_of_row(*row[1:])
        except (TypeError, ValueError, OverflowError):
            self.bad_reports += 1
            return None

    def _put(self, key: str, rec: Record | None) -> None:
        self._version += 1
        old = self._open.pop(key, None)
        if old is not None:
            self._urgent -= old.priority == "urgent"
            _remove(self._by_due, (old.due, key))
            _remove(self._by_soon, (old.soon, key))
        if rec is not None:
            self._open[key] = rec
            self._urgent += rec.priority == "urgent"
            if rec.due < math.inf:
                insort(self._by_due, (rec.due, key))
            if rec.soon < math.inf:
                insort(self._by_soon, (rec.soon, key))

    # ------------------------------------------------------------ figures
    def record(self, key: str) -> Record | None:
        return self._open.get(key)

    def open_count(self) -> int:
        return len(self._open)

    def urgent_count(self) -> int:
        return self._urgent

    def overdue_keys(self, now: float | None = None) -> list[str]:
        """The overdue reports at ``now`` (default: the model's), the oldest due first."""
        now = self._now(now)
        if now is None:
            return []
        return [k for _, k in self._by_due[:bisect_left(self._by_due, now, key=_first)]]

    def overdue_count(self, now: float | None = None) -> int:
        now = self._now(now)
        return 0 if now is None else bisect_left(self._by_due, now, key=_first)

    def due_soon_count(self, now: float | None = None) -> int:
        now = self._now(now)
        if now is None:
            return 0
        # reached by their threshold, less the overdue ones (some may not be reached)
        reached = bisect_right(self._by_soon, now, key=_first)
        return reached - (self.overdue_count(now) - self._overdue_pass(now)[1])

    def overdue_groups(self, now: float | None = None) -> list[Group]:
        """The groups with overdue reports at ``now``, most overdue first (then the
        oldest due first)."""
        return list(self._overdue_pass(self._now(now))[0])

    def _overdue_pass(self, now: float | None) -> tuple[list[Group], int]:
        """One pass over the overdue reports at ``now`` (kept until ``now`` or a record
        changes): their groups, and how many of them are not reached by their "due
        soon" threshold (a clock due before it started)."""
        scan = self._scan
        if scan is not None and scan[0] == now and scan[1] == self._version:
            return scan[2], scan[3]
        acc: dict[str, list] = {}
        unreached = 0
        for key in self.overdue_keys(now):
            rec = self._open[key]
            unreached += rec.soon > now
            g = acc.get(rec.group)
            if g is None:       # the keys come oldest due first
                g = acc[rec.group] = [0, 0, 0, rec.due, rec.agency, set()]
            g[0] += 1
            if rec.immediate:
                g[1] += 1
            elif rec.priority == "high":
                g[2] += 1
            if rec.agency is not None:
                g[5].add(rec.agency)
        groups = [Group(k, n, imm, high, oldest, agency, len(agencies))
                  for k, (n, imm, high, oldest, agency, agencies) in acc.items()]
        groups.sort(key=lambda g: (-g.count, g.oldest_due, g.key))
        self._scan = (now, self._version, groups, unreached)
        return groups, unreached

    def _now(self, now: float | None) -> float | None:
        return self.now if now is None else now

    # ------------------------------------------------------------ the panels
    def view(self, now: float | None = None) -> dict:
        self.set_now(now)
        groups = self.overdue_groups()
        return {"open": self.open_count(), "urgent": self.urgent_count(),
                "overdue": self.overdue_count(), "due_soon": self.due_soon_count(),
                "overdue_by": [[g.key, g.count] for g in groups[:TOP_GROUPS]]}


def _remove(entries: list[tuple[float, str]], entry: tuple[float, str]) -> None:
    if entry[0] == math.inf:
        return
    i = bisect_left(entries, entry)
    if i < len(entries) and entries[i] == entry:
        del entries[i]


__all__ = ["CATEGORY_PREFIX", "Group", "IOC_QUEUE", "Record", "ReportsModel", "TOP_GROUPS",
           "category_of", "group_key", "is_group_key", "record_of", "record_of_row"]
