"""The alarm summary: every annunciated alarm of the engine, one row each, for the
supervisors' console and the wall (ISA-18.2 "alarm summary display").

Rows are the engine's :class:`~ioc_desktop.alarms.engine.Summary` ``active`` alarms
(unacknowledged, acknowledged, returned-to-normal unacknowledged, latched) and the
alarms *suppressed by design*, grouped under their suppressor.  Shelved and
out-of-service alarms have their own lists (:mod:`widgets.alarm_lists`).

**Order.**  By priority (1 first), then **newest first** within a priority.  EEMUA 191
and ISA-18.2's HMI guidance put the most recent alarm at the top of the list: a new
alarm lands where the eye goes (under the higher priorities only), instead of below
the standing alarms of its priority, which in a flood can push it off the screen.  The
engine's own ``Summary`` keeps oldest first (the banner's "top" alarm is the one that
has waited longest); this list is for spotting what is new.  Suppressed alarms sort
right under their suppressor, indented, collapsed by default with a count on the
suppressor's row ("▸ 3 suppressed"); Right / + expands a group, Left / − collapses it,
"Show suppressed" expands them all.

**Cheap per delta.**  :class:`AlarmSummaryModel` keeps one row per alarm id and applies
each ``AlarmDelta`` as inserts, removals and ``dataChanged`` of the rows that changed;
it is never reset.  The proxy sorts and filters in place.  Ages tick once a second with
one ``dataChanged`` over the age column.  Operator actions go through ``act(action,
alarm_id, **kwargs)`` (``FeedService.alarm_action``), which returns a future at once:
nothing here waits.

**Keys** (in the table): A or Space acknowledge the selection; S shelve it (reason and
expiry asked); O take it out of service (supervisors only); Enter or a double-click
bring the alarm's source forward (map and panel).

Alarm texts come from feeds: they are drawn as plain text (item views), and tooltips go
through :func:`widgets.text.tooltip`.
"""
from __future__ import annotations

import logging
import math
import time
from typing import Any, Callable, Iterable

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.alarms.engine import (
    ACKNOWLEDGED, LATCHED, NORMAL, OUT_OF_SERVICE, PRIORITIES, RTN_UNACKNOWLEDGED, SHELVED,
    SUPPRESSED, UNACKNOWLEDGED, Alarm, Summary)
from ioc_desktop.figures import fmt_number
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.alarm_text import alarm_text
from widgets.filter_bar import FilterBar, MultiField
from widgets.text import age_text, tooltip
from widgets.theme import ALARM, INFO, OK, STALE, TEXT, TEXT_MUTED, WARN

log = logging.getLogger(__name__)
Qt = QtCore.Qt

TABLE_PT = 14            # wall-readable rows (the console minimum is 12)
HEADLINE_PT = 16         # the counts line
SUPERVISOR = "supervisor"  # the role that may take alarms out of service (plugins/reports)

PRIORITY_NAMES = {
    1: QT_TRANSLATE_NOOP("AlarmViews", "Critical"),
    2: QT_TRANSLATE_NOOP("AlarmViews", "High"),
    3: QT_TRANSLATE_NOOP("AlarmViews", "Medium"),
    4: QT_TRANSLATE_NOOP("AlarmViews", "Low"),
}
# Priority colours: the theme's alarm red and the flood-line ramp, blue for the lowest.
PRIORITY_COLORS = {1: ALARM, 2: "#ff7e00", 3: "#ffd400", 4: INFO}
PRIORITY_INK = {1: "#ffffff", 2: "#111111", 3: "#111111", 4: "#111111"}

STATE_NAMES = {
    UNACKNOWLEDGED: QT_TRANSLATE_NOOP("AlarmViews", "Unacknowledged"),
    ACKNOWLEDGED: QT_TRANSLATE_NOOP("AlarmViews", "Acknowledged"),
    RTN_UNACKNOWLEDGED: QT_TRANSLATE_NOOP("AlarmViews", "Cleared, unacknowledged"),
    LATCHED: QT_TRANSLATE_NOOP("AlarmViews", "Latched"),
    SUPPRESSED: QT_TRANSLATE_NOOP("AlarmViews", "Suppressed by design"),
    SHELVED: QT_TRANSLATE_NOOP("AlarmViews", "Shelved"),
    OUT_OF_SERVICE: QT_TRANSLATE_NOOP("AlarmViews", "Out of service"),
    NORMAL: QT_TRANSLATE_NOOP("AlarmViews", "Normal"),
}
STATE_COLORS = {UNACKNOWLEDGED: ALARM, ACKNOWLEDGED: TEXT, RTN_UNACKNOWLEDGED: WARN,
                LATCHED: WARN, SUPPRESSED: STALE, SHELVED: INFO, OUT_OF_SERVICE: STALE,
                NORMAL: OK}
ACKABLE = (UNACKNOWLEDGED, RTN_UNACKNOWLEDGED, LATCHED)     # what "acknowledge" applies to
SUMMARY_STATES = (UNACKNOWLEDGED, ACKNOWLEDGED, RTN_UNACKNOWLEDGED, LATCHED, SUPPRESSED)

# Operator actions, as FeedService.alarm_action names them, in words.
ACTION_NAMES = {
    "acknowledge": QT_TRANSLATE_NOOP("AlarmViews", "Acknowledge"),
    "shelve": QT_TRANSLATE_NOOP("AlarmViews", "Shelve"),
    "unshelve": QT_TRANSLATE_NOOP("AlarmViews", "Unshelve"),
    "remove_from_service": QT_TRANSLATE_NOOP("AlarmViews", "Out of service"),
    "return_to_service": QT_TRANSLATE_NOOP("AlarmViews", "Return to service"),
    "reset": QT_TRANSLATE_NOOP("AlarmViews", "Reset"),
    "silence": QT_TRANSLATE_NOOP("AlarmViews", "Silence"),
}

# The sharing of operator actions between consoles (FeedService.alarm_sharing).
SHARED, LOCAL_ONLY, OFFLINE_QUEUED = "shared", "local-only", "offline-queued"


# ---------------------------------------------------------------- words and colours
def priority_text(priority: int | None) -> str:
    name = PRIORITY_NAMES.get(priority)
    if name is None:
        return "—" if priority is None else str(priority)
    return QCoreApplication.translate("AlarmViews", "{0} · {1}").format(
        priority, QCoreApplication.translate("AlarmViews", name))


def state_text(state: str | None) -> str:
    name = STATE_NAMES.get(state)
    if name is None:
        return state or "—"
    return QCoreApplication.translate("AlarmViews", name)


def action_text(action: str) -> str:
    name = ACTION_NAMES.get(action)
    return QCoreApplication.translate("AlarmViews", name) if name else action


def value_text(value: Any, lang: str = "en") -> str:
    """An alarm's live value: numbers with up to two decimals in the language's
    separators, texts as they are (plain), nothing as "—"."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value)
        decimals = 0 if float(value).is_integer() else (1 if round(value, 1) == round(value, 2) else 2)
        return fmt_number(value, lang, decimals)
    return " ".join(str(value).split())[:80]


def sharing_text(sharing: str | None) -> tuple[str, str]:
    """(sentence, colour) for the sharing of operator actions between consoles."""
    if sharing == SHARED:
        return QCoreApplication.translate("AlarmViews", "Actions shared with every console"), OK
    if sharing == LOCAL_ONLY:
        return QCoreApplication.translate(
            "AlarmViews", "Actions stay on this console: the backend does not relay them"), WARN
    if sharing == OFFLINE_QUEUED:
        return QCoreApplication.translate("AlarmViews", "Offline: actions queued"), WARN
    # not known (a FeedService that does not relay actions at all): the honest answer
    return QCoreApplication.translate(
        "AlarmViews", "Actions stay on this console (not shared with other consoles)"), WARN


def counts_text(summary: Summary | None) -> str:
    """"3 unacknowledged · 7 active · 2 shelved · 1 out of service" (suppressed too when
    there are some)."""
    if summary is None:
        return QCoreApplication.translate("AlarmViews", "No alarm data yet")
    unacked = sum(summary.unacknowledged.values())
    parts = [QCoreApplication.translate("AlarmViews", "{0} unacknowledged").format(unacked),
             QCoreApplication.translate("AlarmViews", "{0} active").format(len(summary.active))]
    suppressed = sum(len(v) for v in summary.suppressed.values())
    if suppressed:
        parts.append(QCoreApplication.translate("AlarmViews", "{0} suppressed").format(suppressed))
    parts.append(QCoreApplication.translate("AlarmViews", "{0} shelved").format(len(summary.shelved)))
    parts.append(QCoreApplication.translate("AlarmViews", "{0} out of service").format(
        len(summary.out_of_service)))
    return " · ".join(parts)


def plugin_of(alarm: Alarm) -> str:
    """The plugin that owns an alarm's rule (rule ids are "<plugin>.<name>")."""
    return alarm.rule.split(".", 1)[0] if alarm.rule else ""


def default_source(alarm: Alarm) -> str:
    return alarm.source_topic or plugin_of(alarm)


def is_supervisor(user: dict | None) -> bool:
    return SUPERVISOR in ((user or {}).get("roles") or ())


def user_words(user: dict | None) -> str:
    """"Ngọc Anh (operator)" for the role gate's tooltip."""
    user = user or {}
    name = user.get("name") or QCoreApplication.translate("AlarmViews", "nobody signed in")
    roles = ", ".join(user.get("roles") or ()) or QCoreApplication.translate("AlarmViews", "no role")
    return f"{name} ({roles})"


# ---------------------------------------------------------------- actions
class ActionRunner(QtCore.QObject):
    """Runs one operator action over several alarms through ``act`` (which returns a
    future at once) and reports once every future is resolved: ``finished(message,
    ok)`` with a translated sentence.  Futures resolve on the situation thread; their
    callbacks come back here through a queued signal."""

    finished = QtCore.Signal(str, bool)
    _one = QtCore.Signal(int, object)        # batch, error text or None

    def __init__(self, act: Callable[..., Any] | None, parent=None):
        super().__init__(parent)
        self.act = act
        self._batches: dict[int, dict] = {}
        self._next = 0
        self._one.connect(self._on_one)

    def run(self, action: str, alarm_ids: Iterable[str], **kwargs) -> int:
        """Start ``action`` on each alarm; returns how many were started."""
        ids = list(alarm_ids)
        if not ids:
            return 0
        self._next += 1
        batch = self._next
        self._batches[batch] = {"action": action, "total": len(ids), "left": len(ids),
                                "failed": 0, "error": ""}
        for alarm_id in ids:
            if self.act is None:
                self._one.emit(batch, QCoreApplication.translate(
                    "AlarmViews", "the alarms are not running"))
                continue
            try:
                future = self.act(action, alarm_id, **kwargs)
            except Exception as exc:                # refused before it started
                self._one.emit(batch, _error_words(exc))
                continue
            if future is None or not hasattr(future, "add_done_callback"):
                self._one.emit(batch, None)
                continue
            future.add_done_callback(lambda f, b=batch: self._one.emit(b, _future_error(f)))
        return len(ids)

    @QtCore.Slot(int, object)
    def _on_one(self, batch: int, error) -> None:
        state = self._batches.get(batch)
        if state is None:
            return
        state["left"] -= 1
        if error is not None:
            state["failed"] += 1
            state["error"] = state["error"] or str(error)
        if state["left"] > 0:
            return
        del self._batches[batch]
        name, total, failed = action_text(state["action"]), state["total"], state["failed"]
        if not failed:
            self.finished.emit(QCoreApplication.translate("AlarmViews", "{0}: done for {1} of {1} alarms").format(name, total), True)
        else:
            self.finished.emit(QCoreApplication.translate("AlarmViews", "{0} failed for {1} of {2} alarms: {3}").format(name, failed, total, state["error"]), False)


def _error_words(exc: BaseException) -> str:
    reason = getattr(exc, "reason", None) or getattr(exc, "message", None)
    if isinstance(reason, str) and reason:
        return reason
    if isinstance(exc, KeyError):
        return QCoreApplication.translate("AlarmViews", "the alarm is no longer known")
    return f"{type(exc).__name__}: {exc}"


def _future_error(future) -> str | None:
    try:
        exc = future.exception()
    except Exception as cancelled:              # CancelledError
        return _error_words(cancelled)
    return None if exc is None else _error_words(exc)


# ---------------------------------------------------------------- rows keyed by alarm id
class AlarmRowsModel(QtCore.QAbstractTableModel):
    """One row per alarm id, applied incrementally: :meth:`sync` removes, inserts and
    updates rows (``dataChanged``), never resets.  Subclasses give the columns."""

    ALARM_ROLE = Qt.ItemDataRole.UserRole + 1
    ID_ROLE = Qt.ItemDataRole.UserRole + 2

    columns: tuple[str, ...] = ()

    def __init__(self, *, clock: Callable[[], float] = time.time,
                 source_title: Callable[[Alarm], str] | None = None, lang: str = "en",
                 parent=None):
        super().__init__(parent)
        self.clock = clock
        self.source_title = source_title or default_source
        self.lang = lang
        self._ids: list[str] = []
        self._alarms: dict[str, Alarm] = {}
        self._row: dict[str, int] = {}
        self._texts: dict[str, str] = {}         # alarm id -> translated text (cached)
        # what is current (the main window's freshness): the link, and the topics and
        # plugins whose data is old; an alarm of those is shown "not current", greyed
        self.live = True
        self.stale: frozenset[str] = frozenset()

    # ------------------------------------------------------------ reading
    def rowCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802 (Qt API)
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent=QtCore.QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.column_title(self.columns[section])
        return None

    def column_title(self, column: str) -> str:
        return column

    def alarm(self, alarm_id: str) -> Alarm | None:
        return self._alarms.get(alarm_id)

    def alarm_at(self, row: int) -> Alarm | None:
        if 0 <= row < len(self._ids):
            return self._alarms[self._ids[row]]
        return None

    def row_of(self, alarm_id: str) -> int | None:
        return self._row.get(alarm_id)

    def ids(self) -> list[str]:
        return list(self._ids)

    def text_of(self, alarm: Alarm) -> str:
        text = self._texts.get(alarm.id)
        if text is None:
            text = self._texts[alarm.id] = alarm_text(alarm)
        return text

    def is_current(self, alarm: Alarm) -> bool:
        return self.live and not ({alarm.source_topic, plugin_of(alarm)} & self.stale)

    def set_freshness(self, live: bool, stale: Iterable[str] = ()) -> bool:
        """``live``: the link is LIVE; ``stale``: topics and plugin names whose data is
        not current.  Every row is redrawn when that changes (rarely)."""
        live, stale = bool(live), frozenset(stale)
        if (live, stale) == (self.live, self.stale):
            return False
        self.live, self.stale = live, stale
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, self.columnCount() - 1))
        return True

    # ------------------------------------------------------------ applying
    def sync(self, wanted: dict[str, Alarm], changed_ids: set[str] | None = None) -> set[str]:
        """Make the rows ``wanted`` (id -> alarm).  ``changed_ids``: the alarms that may
        have changed (a delta's); None compares every row.  Returns the ids whose rows
        changed or appeared."""
        touched: set[str] = set()
        gone = [i for i in self._ids if i not in wanted]
        if gone:
            self._remove(gone)
        for alarm_id in (self._ids if changed_ids is None else
                         [i for i in changed_ids if i in self._row]):
            new = wanted[alarm_id]
            if new != self._alarms[alarm_id]:
                self._alarms[alarm_id] = new
                self._texts.pop(alarm_id, None)
                touched.add(alarm_id)
        new_ids = [i for i in wanted if i not in self._row]
        if new_ids:
            first = len(self._ids)
            self.beginInsertRows(QtCore.QModelIndex(), first, first + len(new_ids) - 1)
            for n, alarm_id in enumerate(new_ids):
                self._ids.append(alarm_id)
                self._alarms[alarm_id] = wanted[alarm_id]
                self._row[alarm_id] = first + n
            self.endInsertRows()
        self._emit_changed(touched)
        return touched | set(new_ids)

    def _remove(self, gone: list[str]) -> None:
        rows = sorted((self._row[i] for i in gone), reverse=True)
        # contiguous runs, from the bottom up (rows above keep their numbers)
        start = end = rows[0]
        runs = []
        for row in rows[1:]:
            if row == start - 1:
                start = row
            else:
                runs.append((start, end))
                start = end = row
        runs.append((start, end))
        for first, last in runs:
            self.beginRemoveRows(QtCore.QModelIndex(), first, last)
            for alarm_id in self._ids[first:last + 1]:
                self._alarms.pop(alarm_id, None)
                self._texts.pop(alarm_id, None)
            del self._ids[first:last + 1]
            self.endRemoveRows()
        self._row = {alarm_id: n for n, alarm_id in enumerate(self._ids)}

    def _emit_changed(self, ids: Iterable[str]) -> None:
        rows = sorted(self._row[i] for i in ids if i in self._row)
        if not rows:
            return
        last_col = self.columnCount() - 1
        start = prev = rows[0]
        for row in rows[1:] + [None]:
            if row is not None and row == prev + 1:
                prev = row
                continue
            self.dataChanged.emit(self.index(start, 0), self.index(prev, last_col))
            if row is not None:
                start = prev = row

    def tick_column(self, column: str) -> None:
        """Time passed: redraw one column (ages), one signal."""
        if self._ids and column in self.columns:
            col = self.columns.index(column)
            self.dataChanged.emit(self.index(0, col), self.index(len(self._ids) - 1, col),
                                  [Qt.ItemDataRole.DisplayRole])

    def retranslate(self) -> None:
        self._texts.clear()
        if self._ids:
            self.dataChanged.emit(self.index(0, 0),
                                  self.index(len(self._ids) - 1, self.columnCount() - 1))
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, self.columnCount() - 1)


def priority_cell(alarm: Alarm, role, *, muted: bool = False):
    """The priority cell: "1 · Critical" on the priority's colour."""
    if role == Qt.ItemDataRole.DisplayRole:
        return priority_text(alarm.priority)
    if role == Qt.ItemDataRole.BackgroundRole:
        if muted:
            return None
        color = PRIORITY_COLORS.get(alarm.priority)
        return QtGui.QBrush(QtGui.QColor(color)) if color else None
    if role == Qt.ItemDataRole.ForegroundRole:
        if muted:
            return QtGui.QBrush(QtGui.QColor(TEXT_MUTED))
        return QtGui.QBrush(QtGui.QColor(PRIORITY_INK.get(alarm.priority, TEXT)))
    return None


# ---------------------------------------------------------------- the summary model
class AlarmSummaryModel(AlarmRowsModel):
    """The summary's rows: annunciated and suppressed-by-design alarms (see the module
    docstring).  Feed it with :meth:`apply` (an ``AlarmDelta``'s summary and changed
    alarms)."""

    columns = ("priority", "state", "age", "value", "text", "source")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.summary: Summary | None = None
        self._children: dict[str, list[str]] = {}     # suppressor id -> suppressed ids
        self.expanded: set[str] = set()              # suppressors whose group is open
        self.show_all_suppressed = False

    def column_title(self, column: str) -> str:
        return {
            "priority": self.tr("Priority"), "state": self.tr("State"), "age": self.tr("Age"),
            "value": self.tr("Value"), "text": self.tr("Alarm"), "source": self.tr("Source"),
        }[column]

    # ------------------------------------------------------------ applying
    def apply(self, summary: Summary, changed: Iterable[Alarm] | None = None) -> None:
        self.summary = summary
        wanted = {a.id: a for a in summary.active}
        children: dict[str, list[str]] = {}
        for suppressor, alarms in summary.suppressed.items():
            for alarm in alarms:
                wanted[alarm.id] = alarm
                children.setdefault(suppressor, []).append(alarm.id)
        changed_ids = None if changed is None else {a.id for a in changed}
        old_children = self._children
        self._children = children
        touched = self.sync(wanted, changed_ids)
        # a suppressor's count changed: its row; a parent moved: its children re-sort
        extra = {s for s in set(children) | set(old_children)
                 if children.get(s) != old_children.get(s)}
        extra |= {c for s in touched for c in children.get(s, ())}
        self._emit_changed(extra - touched)

    def children_of(self, suppressor_id: str) -> list[str]:
        return list(self._children.get(suppressor_id, ()))

    def is_child(self, alarm: Alarm) -> bool:
        """Suppressed, under a suppressor that has a row here."""
        return alarm.state == SUPPRESSED and alarm.suppressed_by in self._row

    def sort_key(self, row: int) -> tuple:
        alarm = self.alarm_at(row)
        return self._key(alarm, 0) if alarm is not None else ()

    def _key(self, alarm: Alarm, depth: int) -> tuple:
        own = (alarm.priority, -(alarm.raised_at or 0.0), alarm.id)
        parent_id = alarm.suppressed_by if alarm.state == SUPPRESSED else None
        parent = self._alarms.get(parent_id) if parent_id else None
        if parent is None or depth > 4:
            return own + (0,) + own
        return self._key(parent, depth + 1)[:3] + (1,) + own

    def group_visible(self, alarm: Alarm) -> bool:
        """A suppressed alarm under a listed suppressor shows when its group is open."""
        if not self.is_child(alarm):
            return True
        return self.show_all_suppressed or alarm.suppressed_by in self.expanded

    def set_expanded(self, suppressor_id: str, expanded: bool) -> bool:
        if suppressor_id not in self._children:
            return False
        if expanded == (suppressor_id in self.expanded):
            return False
        (self.expanded.add if expanded else self.expanded.discard)(suppressor_id)
        self._emit_changed([suppressor_id])
        return True

    # ------------------------------------------------------------ cells
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        alarm = self.alarm_at(index.row())
        if alarm is None:
            return None
        column = self.columns[index.column()]
        if role == self.ALARM_ROLE:
            return alarm
        if role == self.ID_ROLE:
            return alarm.id
        child = self.is_child(alarm)
        current = self.is_current(alarm)
        if column == "priority":
            return priority_cell(alarm, role, muted=alarm.state == SUPPRESSED or not current)
        if role == Qt.ItemDataRole.DisplayRole:
            text = self._display(alarm, column, child)
            if column == "state" and not current:
                return self.tr("{0} · not current").format(text)
            return text
        if role == Qt.ItemDataRole.ForegroundRole:
            if not current:
                return QtGui.QBrush(QtGui.QColor(STALE if column == "state" else TEXT_MUTED))
            if column == "state":
                return QtGui.QBrush(QtGui.QColor(STATE_COLORS.get(alarm.state, TEXT)))
            if alarm.state == SUPPRESSED:
                return QtGui.QBrush(QtGui.QColor(TEXT_MUTED))
            return None
        if role == Qt.ItemDataRole.FontRole and alarm.unacknowledged and current \
                and column in ("state", "text"):
            font = QtGui.QFont()
            font.setPointSize(TABLE_PT)
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(alarm)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("age", "value"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, alarm: Alarm, column: str, child: bool) -> str:
        if column == "state":
            return state_text(alarm.state)
        if column == "age":
            if alarm.raised_at is None:
                return "—"
            return age_text(self.clock() - alarm.raised_at)
        if column == "value":
            return value_text(alarm.value, self.lang)
        if column == "text":
            text = self.text_of(alarm)
            if child:
                return "    ↳ " + text
            n = len(self._children.get(alarm.id, ()))
            if n:
                open_ = self.show_all_suppressed or alarm.id in self.expanded
                mark = "▾" if open_ else "▸"
                return self.tr("{0}   {1} {2} suppressed").format(text, mark, n)
            return text
        if column == "source":
            return self.source_title(alarm)
        return ""

    def _tooltip(self, alarm: Alarm) -> str:
        lines = [self.text_of(alarm), f"{priority_text(alarm.priority)} · {state_text(alarm.state)}",
                 self.tr("Alarm id: {0}").format(alarm.id)]
        if not self.is_current(alarm):
            lines.append(self.tr("Its source's data is not current: the condition may have changed since"))
        if alarm.acked_by:
            lines.append(self.tr("Acknowledged by {0}").format(alarm.acked_by))
        if alarm.state == SUPPRESSED and alarm.suppressed_by:
            parent = self._alarms.get(alarm.suppressed_by)
            lines.append(self.tr("Suppressed by design while this alarm is active: {0}").format(
                self.text_of(parent) if parent else alarm.suppressed_by))
        n = len(self._children.get(alarm.id, ()))
        if n:
            lines.append(self.tr("{0} alarms suppressed by design under this one (Right: show, Left: hide)").format(n))
        return tooltip(*lines)


class AlarmSummaryProxy(QtCore.QSortFilterProxyModel):
    """Sorts by priority then newest (suppressed alarms under their suppressor) and
    filters by priority, state, source and text; hides collapsed suppressed groups."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.priorities: set[int] = set()
        self.states: set[str] = set()
        self.sources: set[str] = set()
        self.text = ""
        self.setDynamicSortFilter(True)

    def set_filters(self, *, priorities=(), states=(), sources=(), text: str = "") -> None:
        self.priorities, self.states, self.sources = set(priorities), set(states), set(sources)
        self.text = (text or "").strip().casefold()
        self.invalidate()

    def is_filtered(self) -> bool:
        return bool(self.priorities or self.states or self.sources or self.text)

    def lessThan(self, left, right) -> bool:  # noqa: N802 (Qt API)
        model = self.sourceModel()
        return model.sort_key(left.row()) < model.sort_key(right.row())

    def filterAcceptsRow(self, row: int, parent) -> bool:  # noqa: N802
        model: AlarmSummaryModel = self.sourceModel()
        alarm = model.alarm_at(row)
        if alarm is None:
            return False
        if self.priorities and alarm.priority not in self.priorities:
            return False
        if self.states and alarm.state not in self.states:
            return False
        if self.sources and model.source_title(alarm) not in self.sources:
            return False
        if self.text:
            hay = " ".join((model.text_of(alarm), alarm.id, model.source_title(alarm))).casefold()
            if self.text not in hay:
                return False
        if SUPPRESSED in self.states:
            return True                  # asked for: every suppressed alarm, groups open
        return model.group_visible(alarm)


# ---------------------------------------------------------------- dialogs
SHELVE_DURATIONS = (
    (15 * 60, QT_TRANSLATE_NOOP("AlarmViews", "15 minutes")),
    (3600, QT_TRANSLATE_NOOP("AlarmViews", "1 hour")),
    (4 * 3600, QT_TRANSLATE_NOOP("AlarmViews", "4 hours")),
    (8 * 3600, QT_TRANSLATE_NOOP("AlarmViews", "8 hours (end of shift)")),
)
SHELVE_REASONS = (
    QT_TRANSLATE_NOOP("AlarmViews", "Maintenance on the source"),
    QT_TRANSLATE_NOOP("AlarmViews", "Known problem, being handled"),
    QT_TRANSLATE_NOOP("AlarmViews", "Nuisance alarm (chattering or false)"),
    QT_TRANSLATE_NOOP("AlarmViews", "Sensor or feed fault"),
)
OOS_REASONS = (
    QT_TRANSLATE_NOOP("AlarmViews", "Device removed or under repair"),
    QT_TRANSLATE_NOOP("AlarmViews", "Sensor being replaced or calibrated"),
    QT_TRANSLATE_NOOP("AlarmViews", "Alarm rule under review"),
)


class AlarmReasonDialog(QtWidgets.QDialog):
    """Asks for a reason (required: a short list or free text) and, for a shelve, an
    expiry from a short list.  Non-blocking (``open()``); ``chosen`` carries
    ``(reason, seconds or None)`` to whoever connects."""

    chosen = QtCore.Signal(str, object)

    def __init__(self, title: str, prompt: str, reasons: Iterable[str], alarms: list[Alarm], *,
                 durations: Iterable[tuple[int, str]] | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("alarmReasonDialog")
        self.setWindowTitle(title)
        self.setModal(True)
        self.alarm_ids = [a.id for a in alarms]
        layout = QtWidgets.QVBoxLayout(self)
        what = QtWidgets.QLabel(self)
        what.setTextFormat(Qt.TextFormat.PlainText)       # alarm texts come from feeds
        what.setWordWrap(True)
        shown = [alarm_text(a) for a in alarms[:5]]
        if len(alarms) > 5:
            shown.append(self.tr("… and {0} more").format(len(alarms) - 5))
        what.setText(prompt.format(len(alarms)) + "\n" + "\n".join("• " + t for t in shown))
        layout.addWidget(what)
        form = QtWidgets.QFormLayout()
        self.reason = QtWidgets.QComboBox(self, objectName="reason")
        self.reason.setEditable(True)
        self.reason.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.reason.addItem("")
        for text in reasons:
            self.reason.addItem(QCoreApplication.translate("AlarmViews", text))
        self.reason.lineEdit().setPlaceholderText(self.tr("Required: pick one or type your own"))
        self.reason.lineEdit().setMaxLength(200)
        self.reason.setMinimumWidth(QtGui.QFontMetrics(self.reason.font()).horizontalAdvance("x" * 44))
        form.addRow(self.tr("Reason"), self.reason)
        self.expiry: QtWidgets.QComboBox | None = None
        if durations is not None:
            self.expiry = QtWidgets.QComboBox(self, objectName="expiry")
            for seconds, label in durations:
                self.expiry.addItem(QCoreApplication.translate("AlarmViews", label), seconds)
            self.expiry.setCurrentIndex(1 if self.expiry.count() > 1 else 0)
            form.addRow(self.tr("Until"), self.expiry)
        layout.addLayout(form)
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok
            | QtWidgets.QDialogButtonBox.StandardButton.Cancel, self)
        self.ok = self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(title)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.reason.editTextChanged.connect(self._check)
        self._check()

    def reason_text(self) -> str:
        return " ".join(self.reason.currentText().split())

    def seconds(self) -> int | None:
        return None if self.expiry is None else int(self.expiry.currentData())

    def _check(self, *_):
        self.ok.setEnabled(bool(self.reason_text()))
        self.ok.setToolTip("" if self.reason_text() else self.tr("A reason is required"))

    def _accept(self) -> None:
        if not self.reason_text():
            return
        self.chosen.emit(self.reason_text(), self.seconds())
        self.accept()


# ---------------------------------------------------------------- the panel
class AlarmSummaryPanel(QtWidgets.QWidget):
    """The alarm summary (see the module docstring).  ``act(action, alarm_id,
    **kwargs)`` runs an operator action (``FeedService.alarm_action``)."""

    sourceRequested = QtCore.Signal(str, str)      # topic, key: bring it forward
    silenceRequested = QtCore.Signal()

    def __init__(self, act: Callable[..., Any] | None = None, *,
                 clock: Callable[[], float] = time.time,
                 source_title: Callable[[Alarm], str] | None = None, lang: str = "en",
                 parent=None):
        super().__init__(parent)
        self.setObjectName("alarmSummary")
        self.clock = clock
        self.user: dict = {"name": "", "roles": []}
        self.runner = ActionRunner(act, self)
        self.runner.finished.connect(self.show_message)
        self.dialog: AlarmReasonDialog | None = None
        self.model = AlarmSummaryModel(clock=clock, source_title=source_title, lang=lang,
                                       parent=self)
        self.proxy = AlarmSummaryProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.sort(0, Qt.SortOrder.AscendingOrder)

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(4)
        # -- the headline: counts, sharing, sound, silence (one row: the table gets the
        #    height; what does not fit elides, whole in its tooltip)
        head = QtWidgets.QHBoxLayout()
        head.setSpacing(12)
        self.counts = _plain_label(HEADLINE_PT, bold=True, name="alarmCounts")
        self.counts.setText(counts_text(None))
        head.addWidget(self.counts)
        head.addStretch(1)
        self.sound = _plain_label(TABLE_PT - 1, bold=True, name="alarmSound")
        head.addWidget(self.sound)
        self.silence_button = QtWidgets.QPushButton(self.tr("Silence"), self, objectName="alarmSilence")
        self.silence_button.setToolTip(tooltip(self.tr("Mute the alarm tone for a few minutes. Silencing is not acknowledging: the alarms stay unacknowledged.")))
        self.silence_button.clicked.connect(self.silenceRequested)
        head.addWidget(self.silence_button)
        layout.addLayout(head)
        # -- filters
        self.filters = FilterBar(
            [MultiField("priority", self.tr("Priority"), [(p, priority_text(p)) for p in PRIORITIES]),
             MultiField("state", self.tr("State"), [(s, state_text(s)) for s in SUMMARY_STATES]),
             MultiField("source", self.tr("Source"), [])],
            [], search_placeholder=self.tr("Search alarm text, id or source"), parent=self)
        self.filters.filterChanged.connect(self._filter)
        self.filters.searchLeft.connect(lambda: self.view.setFocus())
        self.show_suppressed = QtWidgets.QCheckBox(self.tr("Show suppressed"), self,
                                                   objectName="showSuppressed")
        self.show_suppressed.toggled.connect(self._toggle_suppressed)
        self.filters.add_trailing(self.show_suppressed)
        layout.addWidget(self.filters)
        # -- the table
        self.view = QtWidgets.QTableView(self, objectName="alarmSummaryTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.setSortingEnabled(False)          # one order: priority, then newest
        self.view.verticalHeader().setVisible(False)
        font = QtGui.QFont(self.view.font())
        font.setPointSize(TABLE_PT)
        self.view.setFont(font)
        self.view.verticalHeader().setDefaultSectionSize(QtGui.QFontMetrics(font).height() + 8)
        header = self.view.horizontalHeader()
        header.setFont(font)
        header.setStretchLastSection(False)
        for col, name in enumerate(self.model.columns):
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.Stretch
                                        if name == "text" else
                                        QtWidgets.QHeaderView.ResizeMode.Interactive)
        metrics = QtGui.QFontMetrics(font)
        widths = {"priority": max(metrics.horizontalAdvance(priority_text(p) + "__") for p in PRIORITIES),
                  "state": metrics.horizontalAdvance(state_text(UNACKNOWLEDGED) + "____"),
                  "age": metrics.horizontalAdvance("59 min__"),
                  "value": metrics.horizontalAdvance("12,345.67_"),
                  "source": metrics.horizontalAdvance("Fishing vessels____")}
        for col, name in enumerate(self.model.columns):
            if name in widths:
                header.resizeSection(col, widths[name])
        self.view.doubleClicked.connect(self._double_clicked)
        self.view.installEventFilter(self)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        layout.addWidget(self.view, 1)
        # -- actions, what the filters hide, the last action's outcome: one row
        row = QtWidgets.QHBoxLayout()
        self.ack_button = QtWidgets.QPushButton(self.tr("Acknowledge (A)"), self, objectName="alarmAck")
        self.ack_button.clicked.connect(self.acknowledge_selected)
        self.shelve_button = QtWidgets.QPushButton(self.tr("Shelve… (S)"), self, objectName="alarmShelve")
        self.shelve_button.clicked.connect(self.shelve_selected)
        self.oos_button = QtWidgets.QPushButton(self.tr("Out of service… (O)"), self, objectName="alarmOos")
        self.oos_button.clicked.connect(self.out_of_service_selected)
        self.source_button = QtWidgets.QPushButton(self.tr("Show source (Enter)"), self, objectName="alarmSource")
        self.source_button.clicked.connect(self.show_source)
        for button in (self.ack_button, self.shelve_button, self.oos_button, self.source_button):
            row.addWidget(button)
        self.empty = _elided_label(TABLE_PT - 1, name="alarmSummaryEmpty")
        self.empty.setStyleSheet(f"color: {TEXT_MUTED};")
        row.addWidget(self.empty, 1)
        self.message = _elided_label(TABLE_PT - 1, name="alarmMessage")
        row.addWidget(self.message, 1)
        # whether these actions reach the other consoles (FeedService.alarm_sharing)
        self.sharing = _elided_label(TABLE_PT - 2, name="alarmSharing")
        self.sharing.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.sharing)
        layout.addLayout(row)
        self.set_sharing(None)

        self.proxy.rowsInserted.connect(self._update_empty)
        self.proxy.rowsRemoved.connect(self._update_empty)
        self.proxy.modelReset.connect(self._update_empty)
        self.proxy.layoutChanged.connect(self._update_empty)
        self._ticker = QtCore.QTimer(self, interval=1000)
        self._ticker.timeout.connect(lambda: self.model.tick_column("age"))
        self._ticker.start()
        self._sources: tuple = ()
        self.set_user(self.user)
        self._update_empty()

    # ------------------------------------------------------------ feeding
    def apply(self, summary: Summary, changed: Iterable[Alarm] | None = None) -> None:
        """An ``AlarmDelta``'s summary and changed alarms."""
        self.model.apply(summary, changed)
        self.counts.setText(counts_text(summary))
        self.counts.setToolTip(tooltip(self.counts.text()))
        sources = tuple(sorted({self.model.source_title(a) for a in
                                (self.model.alarm(i) for i in self.model.ids()) if a}))
        if sources != self._sources:
            self._sources = sources
            self.filters.set_options("source", [(s, s) for s in sources])
        self._update_empty()
        self._update_buttons()

    def set_freshness(self, live: bool, stale: Iterable[str] = ()) -> None:
        """What is current (see :meth:`AlarmRowsModel.set_freshness`)."""
        self.model.set_freshness(live, stale)

    def set_user(self, user: dict | None) -> None:
        """The signed-in user (``FeedService.user``): out of service is for supervisors."""
        self.user = dict(user or {"name": "", "roles": []})
        self._update_buttons()

    def set_sharing(self, sharing: str | None) -> None:
        text, color = sharing_text(sharing)
        self.sharing.setText(text)
        self.sharing.setToolTip(tooltip(text))
        self.sharing.setStyleSheet(f"color: {color};")

    def set_sound(self, text: str, tip: str, color: str, can_silence: bool) -> None:
        self.sound.setText(text)
        self.sound.setToolTip(tooltip(tip) if tip else "")
        self.sound.setStyleSheet(f"color: {color};")
        self.silence_button.setEnabled(can_silence)

    def show_message(self, text: str, ok: bool = True) -> None:
        self.message.setText(text)
        self.message.setToolTip(tooltip(text) if text else "")
        self.message.setStyleSheet(f"color: {TEXT if ok else WARN};")

    # ------------------------------------------------------------ selection
    def selected_alarms(self) -> list[Alarm]:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        out = []
        for row in rows:
            alarm = self.proxy.index(row, 0).data(AlarmSummaryModel.ALARM_ROLE)
            if alarm is not None:
                out.append(alarm)
        return out

    def current_alarm(self) -> Alarm | None:
        index = self.view.currentIndex()
        if index.isValid():
            alarm = self.proxy.index(index.row(), 0).data(AlarmSummaryModel.ALARM_ROLE)
            if alarm is not None:
                return alarm
        selected = self.selected_alarms()
        return selected[0] if selected else None

    def select_alarm(self, alarm_id: str) -> bool:
        """Select an alarm's row (opening its group, clearing filters that hide it)."""
        alarm = self.model.alarm(alarm_id)
        if alarm is None:
            return False
        if self.model.is_child(alarm):
            self.model.set_expanded(alarm.suppressed_by, True)
            self.proxy.invalidate()
        index = self.proxy.mapFromSource(self.model.index(self.model.row_of(alarm_id), 0))
        if not index.isValid() and self.proxy.is_filtered():
            self.filters.clear()
            index = self.proxy.mapFromSource(self.model.index(self.model.row_of(alarm_id), 0))
        if not index.isValid():
            return False
        self.view.setCurrentIndex(index)
        self.view.selectRow(index.row())
        self.view.scrollTo(index)
        self.view.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    # ------------------------------------------------------------ actions
    def acknowledge_selected(self) -> int:
        alarms = [a for a in self.selected_alarms() if a.state in ACKABLE]
        if not alarms:
            self.show_message(self.tr("Nothing to acknowledge in the selection"), False)
            return 0
        return self.runner.run("acknowledge", [a.id for a in alarms])

    def shelve_selected(self) -> AlarmReasonDialog | None:
        alarms = [a for a in self.selected_alarms() if a.state != OUT_OF_SERVICE]
        if not alarms:
            self.show_message(self.tr("Select the alarms to shelve first"), False)
            return None
        dialog = AlarmReasonDialog(self.tr("Shelve"), self.tr("Shelve the selected alarms ({0}). A shelved alarm is not annunciated until it is unshelved or its time runs out; it then comes back unacknowledged if still active."),
                              SHELVE_REASONS, alarms, durations=SHELVE_DURATIONS, parent=self)
        ids = [a.id for a in alarms]
        dialog.chosen.connect(lambda reason, seconds: self.runner.run(
            "shelve", ids, until=self.clock() + float(seconds), reason=reason))
        return self._open(dialog)

    def out_of_service_selected(self) -> AlarmReasonDialog | None:
        if not is_supervisor(self.user):
            self.show_message(self._oos_refusal(), False)
            return None
        alarms = [a for a in self.selected_alarms() if a.state != OUT_OF_SERVICE]
        if not alarms:
            self.show_message(self.tr("Select the alarms to take out of service first"), False)
            return None
        dialog = AlarmReasonDialog(self.tr("Out of service"), self.tr("Take the selected alarms ({0}) out of service. They stay out of service, silent and off the summary, until a supervisor returns them."),
                              OOS_REASONS, alarms, parent=self)
        ids = [a.id for a in alarms]
        dialog.chosen.connect(lambda reason, _s: self.runner.run(
            "remove_from_service", ids, reason=reason))
        return self._open(dialog)

    def show_source(self) -> bool:
        alarm = self.current_alarm()
        if alarm is None:
            return False
        if not alarm.source_topic:
            self.show_message(self.tr("This alarm names no source to show"), False)
            return False
        self.sourceRequested.emit(alarm.source_topic, alarm.source_key or alarm.key)
        return True

    def _double_clicked(self, index) -> None:
        if index.isValid():
            self.view.selectionModel().setCurrentIndex(
                index, QtCore.QItemSelectionModel.SelectionFlag.NoUpdate)
        self.show_source()

    def _open(self, dialog: AlarmReasonDialog) -> AlarmReasonDialog:
        if self.dialog is not None:
            self.dialog.close()
            self.dialog.deleteLater()
        self.dialog = dialog
        dialog.open()
        return dialog

    def _oos_refusal(self) -> str:
        return self.tr("Only a supervisor can take alarms out of service; signed in: {0}").format(user_words(self.user))

    def _update_buttons(self) -> None:
        supervisor = is_supervisor(self.user)
        self.oos_button.setEnabled(supervisor)
        self.oos_button.setToolTip(tooltip(
            self.tr("Take the selected alarms out of service (supervisors only)") if supervisor
            else self._oos_refusal()))
        self.ack_button.setToolTip(tooltip(self.tr("Acknowledge the selected alarms (A or Space)")))
        self.shelve_button.setToolTip(tooltip(self.tr("Shelve the selected alarms with a reason and an expiry (S)")))
        self.source_button.setToolTip(tooltip(self.tr("Show the alarm's source on the map and in its panel (Enter, double-click)")))

    def _update_empty(self, *_):
        total, shown = self.model.rowCount(), self.proxy.rowCount()
        if total == 0:
            self.empty.setText(self.tr("No active alarm"))
        elif shown == 0:
            self.empty.setText(self.tr("No alarm matches the filters ({0} active)").format(total))
        elif shown < total:
            self.empty.setText(self.tr("Showing {0} of {1} alarms").format(shown, total))
        else:
            self.empty.setText("")

    # ------------------------------------------------------------ filters and groups
    def _filter(self, values: dict) -> None:
        self.proxy.set_filters(priorities=values.get("priority", ()),
                               states=values.get("state", ()),
                               sources=values.get("source", ()), text=values.get("text", ""))
        self._update_empty()

    def _toggle_suppressed(self, on: bool) -> None:
        self.model.show_all_suppressed = bool(on)
        if self.model.rowCount():
            self.model.dataChanged.emit(self.model.index(0, 0),
                                        self.model.index(self.model.rowCount() - 1,
                                                         self.model.columnCount() - 1))
        self.proxy.invalidate()
        self._update_empty()

    def expand_current(self, expanded: bool) -> bool:
        alarm = self.current_alarm()
        if alarm is None:
            return False
        target = alarm.id if self.model.children_of(alarm.id) else (
            alarm.suppressed_by if self.model.is_child(alarm) else None)
        if target is None or not self.model.set_expanded(target, expanded):
            return False
        self.proxy.invalidate()
        self._update_empty()
        if not expanded:
            self.select_alarm(target)
        return True

    # ------------------------------------------------------------ keys
    def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
        if obj is self.view and event.type() == QtCore.QEvent.Type.KeyPress:
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if mods == Qt.KeyboardModifier.NoModifier and self.handle_key(event.key()):
                return True
        return super().eventFilter(obj, event)

    def handle_key(self, key: int) -> bool:
        k = Qt.Key
        if key in (k.Key_A, k.Key_Space):
            self.acknowledge_selected()
        elif key == k.Key_S:
            self.shelve_selected()
        elif key == k.Key_O:
            self.out_of_service_selected()
        elif key in (k.Key_Return, k.Key_Enter):
            self.show_source()
        elif key in (k.Key_Right, k.Key_Plus):
            return self.expand_current(True)
        elif key in (k.Key_Left, k.Key_Minus):
            return self.expand_current(False)
        else:
            return False
        return True

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self.model.retranslate()
        super().changeEvent(event)


# ---------------------------------------------------------------- the wall's summary
#: The state words of the wall's summary: short (a wall row is wide text), each one a
#: word, not only a colour.
WALL_STATE_NAMES = {
    UNACKNOWLEDGED: QT_TRANSLATE_NOOP("AlarmViews", "NEW"),
    ACKNOWLEDGED: QT_TRANSLATE_NOOP("AlarmViews", "acked"),
    RTN_UNACKNOWLEDGED: QT_TRANSLATE_NOOP("AlarmViews", "cleared"),
    LATCHED: QT_TRANSLATE_NOOP("AlarmViews", "latched"),
    SUPPRESSED: QT_TRANSLATE_NOOP("AlarmViews", "suppressed"),
}


def wall_state_text(state: str | None) -> str:
    name = WALL_STATE_NAMES.get(state)
    return QCoreApplication.translate("AlarmViews", name) if name else state_text(state)


def wall_counts_text(summary: Summary | None) -> str:
    """The wall summary's headline: "3 new · 7 active", shelved and out of service
    only when there are some."""
    if summary is None:
        return QCoreApplication.translate("AlarmViews", "No alarm data yet")
    unacked = sum(summary.unacknowledged.values())
    parts = [QCoreApplication.translate("AlarmViews", "{0} new").format(unacked),
             QCoreApplication.translate("AlarmViews", "{0} active").format(len(summary.active))]
    if summary.shelved:
        parts.append(QCoreApplication.translate("AlarmViews", "{0} shelved").format(len(summary.shelved)))
    if summary.out_of_service:
        parts.append(QCoreApplication.translate("AlarmViews", "{0} out of service").format(
            len(summary.out_of_service)))
    return " · ".join(parts)


class WallAlarmModel(AlarmSummaryModel):
    """The summary's rows for the wall: fewer columns (priority, state word, alarm
    text, value, age), short state words; the same rows, order and freshness."""

    columns = ("priority", "state", "text", "value", "age")

    def column_title(self, column: str) -> str:
        return {"priority": QCoreApplication.translate("AlarmViews", "P"),
                "state": QCoreApplication.translate("AlarmViews", "State"),
                "text": QCoreApplication.translate("AlarmViews", "Alarm"),
                "value": QCoreApplication.translate("AlarmViews", "Value"),
                "age": QCoreApplication.translate("AlarmViews", "Age")}[column]

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        alarm = self.alarm_at(index.row())
        if alarm is None:
            return None
        column = self.columns[index.column()]
        current = self.is_current(alarm)
        if role == Qt.ItemDataRole.DisplayRole:
            if column == "priority":
                return str(alarm.priority)           # the number says it, not the colour only
            if column == "state":
                text = wall_state_text(alarm.state)
                return text if current else QCoreApplication.translate("AlarmViews", "{0}?").format(text)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "priority":
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.FontRole:
            if alarm.unacknowledged and current:
                font = QtGui.QFont()
                font.setBold(True)
                return font
            return None
        return super().data(index, role)


class WallAlarmSummary(QtWidgets.QWidget):
    """The alarm summary on a wall window: a headline of counts and one big row per
    alarm (see :class:`WallAlarmModel`), every text at least the wall's minimum
    (``widgets.wall_style.WallStyle``).  Watched, not handled: no filters nor buttons;
    A or Space acknowledge the selected rows through ``act`` (an operator at the wall
    with a keyboard).  Narrow cells drop the value column, then the age."""

    VALUE_MIN_WIDTH = 1300       # px: below this the value column goes
    AGE_MIN_WIDTH = 800          # px: below this the age column goes

    def __init__(self, style, act: Callable[..., Any] | None = None, *,
                 clock: Callable[[], float] = time.time,
                 source_title: Callable[[Alarm], str] | None = None, lang: str = "en",
                 parent=None):
        super().__init__(parent)
        from widgets.wall_style import WALL_NO_MARK, wall_label, wall_table
        self.setObjectName("wallAlarmSummary")
        self.wall_style = style
        self.clock = clock
        self.runner = ActionRunner(act, self)
        self.model = WallAlarmModel(clock=clock, source_title=source_title, lang=lang, parent=self)
        self.proxy = AlarmSummaryProxy(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.sort(0, Qt.SortOrder.AscendingOrder)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        self.counts = _plain_label(HEADLINE_PT, bold=True, name="wallAlarmCounts")
        self.counts.setWordWrap(True)
        self.counts.setText(wall_counts_text(None))
        wall_label(self.counts, style)
        layout.addWidget(self.counts)
        self.view = QtWidgets.QTableView(self, objectName="wallAlarmTable")
        self.view.setModel(self.proxy)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(False)
        self.view.verticalHeader().setVisible(False)
        self.view.installEventFilter(self)
        # the priority's number on its colour says it: no ▲ there (the state words get one)
        self.view.setProperty(WALL_NO_MARK, [self.model.columns.index("priority")])
        wall_table(self.view, style, stretch=self.model.columns.index("text"))
        layout.addWidget(self.view, 1)
        self.empty = _plain_label(TABLE_PT, name="wallAlarmEmpty")
        self.empty.setText(self.tr("No active alarm"))
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setStyleSheet(f"color: {TEXT_MUTED};")
        wall_label(self.empty, style)
        layout.addWidget(self.empty, 1)
        self.message = _plain_label(TABLE_PT, name="wallAlarmMessage")
        wall_label(self.message, style)
        self.message.hide()
        layout.addWidget(self.message)
        self.runner.finished.connect(self._show_message)
        self._message_clear = QtCore.QTimer(self, singleShot=True, interval=8000)
        self._message_clear.timeout.connect(self.message.hide)
        self._ticker = QtCore.QTimer(self, interval=1000)
        self._ticker.timeout.connect(lambda: self.model.tick_column("age"))
        self._ticker.start()
        for signal in (self.proxy.rowsInserted, self.proxy.rowsRemoved, self.proxy.modelReset,
                       self.proxy.layoutChanged):
            signal.connect(self._update_empty)
        self._update_empty()

    # ------------------------------------------------------------ feeding
    def apply(self, summary: Summary, changed: Iterable[Alarm] | None = None) -> None:
        """An ``AlarmDelta``'s summary and changed alarms (as the console's summary)."""
        self.model.apply(summary, changed)
        self.counts.setText(wall_counts_text(summary))
        self.counts.setToolTip(tooltip(counts_text(summary)))
        self._update_empty()

    def set_freshness(self, live: bool, stale: Iterable[str] = ()) -> None:
        self.model.set_freshness(live, stale)

    def rows(self) -> list[Alarm]:
        """The alarms shown, in order."""
        return [self.proxy.index(r, 0).data(AlarmSummaryModel.ALARM_ROLE)
                for r in range(self.proxy.rowCount())]

    # ------------------------------------------------------------ actions
    def acknowledge_selected(self) -> int:
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        alarms = [self.proxy.index(r, 0).data(AlarmSummaryModel.ALARM_ROLE) for r in rows]
        ids = [a.id for a in alarms if a is not None and a.state in ACKABLE]
        return self.runner.run("acknowledge", ids)

    def _show_message(self, text: str, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(f"color: {TEXT if ok else WARN};")
        self.message.setVisible(bool(text))
        self._message_clear.start()

    def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
        if obj is self.view and event.type() == QtCore.QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_A, Qt.Key.Key_Space):
            self.acknowledge_selected()
            return True
        return super().eventFilter(obj, event)

    # ------------------------------------------------------------ layout
    def _update_empty(self, *_):
        empty = self.proxy.rowCount() == 0
        self.empty.setVisible(empty)
        self.view.setVisible(not empty)

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        width = event.size().width()
        cols = self.model.columns
        self.view.setColumnHidden(cols.index("value"), width < self.VALUE_MIN_WIDTH)
        self.view.setColumnHidden(cols.index("age"), width < self.AGE_MIN_WIDTH)

    def changeEvent(self, event) -> None:  # noqa: N802
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self.model.retranslate()
            self.empty.setText(self.tr("No active alarm"))
        super().changeEvent(event)


def _elided_label(point_size: int, *, bold: bool = False, name: str = "") -> QtWidgets.QLabel:
    from widgets.feed_status import ElidedLabel
    label = ElidedLabel(objectName=name)
    font = QtGui.QFont(label.font())
    font.setPointSize(point_size)
    font.setBold(bold)
    label.setFont(font)
    return label


def _plain_label(point_size: int, *, bold: bool = False, name: str = "") -> QtWidgets.QLabel:
    label = QtWidgets.QLabel()
    if name:
        label.setObjectName(name)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = QtGui.QFont(label.font())
    font.setPointSize(point_size)
    font.setBold(bold)
    label.setFont(font)
    return label


# ---------------------------------------------------------------- the status bar's line
class AlarmStatusButton(QtWidgets.QPushButton):
    """The status bar's alarm line: the counts (shelved and out of service always, so
    nobody forgets them) and the sound's state; a click opens the summary."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("alarmStatus")
        self.setFlat(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.summary: Summary | None = None
        self.sound = ""
        self._color = TEXT
        self.setSizePolicy(QtWidgets.QSizePolicy.Policy.Maximum, QtWidgets.QSizePolicy.Policy.Preferred)
        self._render()

    def set_summary(self, summary: Summary | None) -> None:
        self.summary = summary
        self._render()

    def set_sound(self, text: str, color: str) -> None:
        self.sound, self._color = text, color
        self._render()

    def _render(self) -> None:
        s = self.summary
        if s is None:
            text = self.tr("Alarms: no data yet")
            color = TEXT_MUTED
        else:
            unacked = sum(s.unacknowledged.values())
            text = self.tr("Alarms: {0} unacknowledged · {1} shelved · {2} out of service").format(
                unacked, len(s.shelved), len(s.out_of_service))
            color = ALARM if unacked else (WARN if (s.shelved or s.out_of_service) else TEXT)
        if self.sound:
            text += " · " + self.sound
        self.setText(text)
        self.setToolTip(tooltip(counts_text(s), self.sound, self.tr("Click: the alarm summary")))
        self.setStyleSheet(f"QPushButton#alarmStatus {{ color: {color}; font-weight: bold;"
                           f" border: none; padding: 0 6px; }}")
