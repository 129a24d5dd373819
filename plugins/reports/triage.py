"""Keyboard-first triage of the reports queue: keys, dialogs, actions and their fate.

:class:`Triage` turns keys pressed in the queue into dispatch actions
(``dispatch.submit_action(topic, name, key, args) -> action id``), for the current
report or for every marked one (bulk), offering only what the user's roles and the
reports' states allow (:func:`plugins.reports.workflow.allowed_actions`); anything
else only says why in the status line.  After an action the cursor moves to the next
report, so that a burst is triaged with one key per report.

:class:`ActionTracker` follows each submitted action (``dispatch.actionChanged``) —
pending (in the outbox), sent, done, refused with the backend's reason — for the queue's
"Action" column and the details pane.  Refused actions stay shown until dismissed (X).

Dialogs (reject reason, note, assign to…, resolve, reopen, merge, export) open without
blocking (``QDialog.open``) and are keyboard-operable; :attr:`Triage.active_dialog` is
the one showing, which is also how tests drive them.
"""
from __future__ import annotations

import json
import logging
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from . import workflow
from .export import FORMATS
from .labels import ACTION_LABELS, PRIORITY_LABELS, REJECT_REASON_LABELS, STATUS_LABELS, label
from .schema import TOPIC

log = logging.getLogger(__name__)
Qt = QtCore.Qt
IOC_ROLES = (workflow.OPERATOR, workflow.SUPERVISOR)
SETTINGS_LAST_AGENCY = "reports/last_agency"




#: The keys, as the help overlay lists them: (keys, what they do).
KEY_HELP = (
    ("J / ↓", QT_TRANSLATE_NOOP("ReportsTriage", "next report")),
    ("K / ↑", QT_TRANSLATE_NOOP("ReportsTriage", "previous report")),
    ("Space", QT_TRANSLATE_NOOP("ReportsTriage", "mark / unmark for a bulk action (also Ctrl+click)")),
    ("V", QT_TRANSLATE_NOOP("ReportsTriage", "verify")),
    ("A", QT_TRANSLATE_NOOP("ReportsTriage", "assign to the last-used agency")),
    ("Shift+A", QT_TRANSLATE_NOOP("ReportsTriage", "assign to… (choose agency and deadline)")),
    ("R", QT_TRANSLATE_NOOP("ReportsTriage", "reject (1 invalid · 2 out of scope · 3 duplicate)")),
    ("N", QT_TRANSLATE_NOOP("ReportsTriage", "add a note")),
    ("P", QT_TRANSLATE_NOOP("ReportsTriage", "cycle priority (normal → high → urgent)")),
    ("E", QT_TRANSLATE_NOOP("ReportsTriage", "resolve with a result")),
    ("C", QT_TRANSLATE_NOOP("ReportsTriage", "close")),
    ("O", QT_TRANSLATE_NOOP("ReportsTriage", "reopen (asks the reason)")),
    ("M", QT_TRANSLATE_NOOP("ReportsTriage", "merge into the top suggested duplicate")),
    ("X", QT_TRANSLATE_NOOP("ReportsTriage", "dismiss refused actions")),
    ("/", QT_TRANSLATE_NOOP("ReportsTriage", "search (Enter: back to the queue)")),
    ("Esc", QT_TRANSLATE_NOOP("ReportsTriage", "clear the marks, then the filters")),
    ("? / F1", QT_TRANSLATE_NOOP("ReportsTriage", "show / hide this help")),
)

#: Toolbar entries: (command, action name in workflow.ACTIONS, label, key shown).
COMMANDS = (
    ("verify", "verify", QT_TRANSLATE_NOOP("ReportsTriage", "Verify"), "V"),
    ("assign_last", "assign", QT_TRANSLATE_NOOP("ReportsTriage", "Assign"), "A"),
    ("assign_to", "assign", QT_TRANSLATE_NOOP("ReportsTriage", "Assign to…"), "Shift+A"),
    ("reject", "reject", QT_TRANSLATE_NOOP("ReportsTriage", "Reject…"), "R"),
    ("note", "note", QT_TRANSLATE_NOOP("ReportsTriage", "Note…"), "N"),
    ("priority", "set_priority", QT_TRANSLATE_NOOP("ReportsTriage", "Priority"), "P"),
    ("resolve", "resolve", QT_TRANSLATE_NOOP("ReportsTriage", "Resolve…"), "E"),
    ("close", "close", QT_TRANSLATE_NOOP("ReportsTriage", "Close"), "C"),
    ("reopen", "reopen", QT_TRANSLATE_NOOP("ReportsTriage", "Reopen…"), "O"),
    ("merge", "merge", QT_TRANSLATE_NOOP("ReportsTriage", "Merge"), "M"),
)
KEY_COMMANDS = {Qt.Key.Key_V: "verify", Qt.Key.Key_A: "assign_last", Qt.Key.Key_R: "reject",
                Qt.Key.Key_N: "note", Qt.Key.Key_P: "priority", Qt.Key.Key_E: "resolve",
                Qt.Key.Key_C: "close", Qt.Key.Key_O: "reopen", Qt.Key.Key_M: "merge"}
ACTION_OF = {cmd: action for cmd, action, _, _ in COMMANDS}
#: Deadline presets of the assign dialog: (label, timedelta or None = the category's default).
DEADLINES = (
    (QT_TRANSLATE_NOOP("ReportsTriage", "category default"), None),
    (QT_TRANSLATE_NOOP("ReportsTriage", "in 30 minutes (immediate)"), timedelta(minutes=30)),
    (QT_TRANSLATE_NOOP("ReportsTriage", "in 4 hours"), timedelta(hours=4)),
    (QT_TRANSLATE_NOOP("ReportsTriage", "in 1 day"), timedelta(days=1)),
    (QT_TRANSLATE_NOOP("ReportsTriage", "in 3 days"), timedelta(days=3)),
    (QT_TRANSLATE_NOOP("ReportsTriage", "in 7 days"), timedelta(days=7)),
)


def user_of(dispatch) -> dict:
    """The signed-in user ``{name, roles}`` from the dispatch service ({} when unknown)."""
    user = getattr(dispatch, "user", None)
    return user if isinstance(user, dict) else {}


def roles_of(dispatch) -> tuple[str, ...]:
    roles = user_of(dispatch).get("roles") or ()
    return tuple(r for r in roles if isinstance(r, str))


# =========================================================================== tracking
PENDING, SENT, DONE, REFUSED = "pending", "sent", "done", "refused"


class ActionTracker(QtCore.QObject):
    """The fate of this client's actions, per report key (GUI thread)."""

    changed = QtCore.Signal(str)          # a report key whose actions changed

    def __init__(self, dispatch=None, parent=None):
        super().__init__(parent)
        self.dispatch = dispatch
        self._by_key: dict[str, dict[str, Any]] = {}     # key -> {action id: ActionState}
        self._dismissed: set[str] = set()
        signal = getattr(dispatch, "actionChanged", None)
        if signal is not None:
            signal.connect(self.update)

    def update(self, state) -> None:
        if getattr(state, "topic", TOPIC) != TOPIC:
            return
        self._by_key.setdefault(state.key, {})[state.id] = state
        self.changed.emit(state.key)

    def load(self, key: str) -> None:
        """Ask the service for what the outbox holds about ``key`` (earlier sessions too)."""
        fetch = getattr(self.dispatch, "actions", None)
        if fetch is None:
            return

        def got(states):
            for s in states or ():
                if s.id not in self._by_key.get(key, {}):
                    self._by_key.setdefault(key, {})[s.id] = s
            self.changed.emit(key)
        fetch(key, got)

    def load_all(self) -> None:
        """The newest actions of every report (the queue's column after a restart)."""
        fetch = getattr(self.dispatch, "actions", None)
        if fetch is None:
            return

        def got(states):
            keys = set()
            for s in states or ():
                if s.topic == TOPIC and s.id not in self._by_key.get(s.key, {}):
                    self._by_key.setdefault(s.key, {})[s.id] = s
                    keys.add(s.key)
            for key in keys:
                self.changed.emit(key)
        fetch(None, got)

    def follows(self, keys) -> bool:
        """Whether any of ``keys`` has an action of this console."""
        return any(k in self._by_key for k in keys)

    def states(self, key: str) -> list:
        """This key's actions, oldest first (dismissed refusals left out)."""
        items = [s for s in self._by_key.get(key, {}).values() if s.id not in self._dismissed]
        return sorted(items, key=lambda s: (getattr(s, "created_at", 0) or 0))

    def dismiss(self, key: str) -> int:
        n = 0
        for s in self._by_key.get(key, {}).values():
            if s.state == REFUSED and s.id not in self._dismissed:
                self._dismissed.add(s.id)
                n += 1
        if n:
            self.changed.emit(key)
        return n

    def summary(self, key: str) -> tuple[str | None, str]:
        """(state, text) for the queue's Action column: refused (until dismissed) before
        pending/sent before done; "(+n)" when more are unresolved."""
        states = self.states(key)
        if not states:
            return None, ""
        order = {REFUSED: 0, PENDING: 1, SENT: 1, DONE: 2}
        first = min(reversed(states), key=lambda s: order.get(s.state, 3))
        others = sum(1 for s in states if s is not first and s.state in (REFUSED, PENDING, SENT))
        text = describe(first)
        if others:
            text += f" (+{others})"
        return first.state, text


def describe(state) -> str:
    """"⏳ verify pending", "✔ verify", "✖ verify: forbidden: …" (plain text)."""
    name = label(ACTION_LABELS, state.name)
    if state.state == PENDING:
        return QCoreApplication.translate("ReportsTriage", "⏳ {0} pending").format(name)
    if state.state == SENT:
        return QCoreApplication.translate("ReportsTriage", "⏳ {0} sent").format(name)
    if state.state == DONE:
        return QCoreApplication.translate("ReportsTriage", "✔ {0} done").format(name)
    if state.state == REFUSED:
        return QCoreApplication.translate("ReportsTriage", "✖ {0} refused: {1}").format(name, state.error or "")
    return f"{name} {state.state}"


# =========================================================================== dialogs
class _Dialog(QtWidgets.QDialog):
    """A small keyboard-operable dialog: a form, OK (Enter) and Cancel (Esc)."""

    def __init__(self, title: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setObjectName("triageDialog")
        self.form = QtWidgets.QFormLayout()
        self.buttons = QtWidgets.QDialogButtonBox(
            QtWidgets.QDialogButtonBox.StandardButton.Ok | QtWidgets.QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.buttons)

    def plain_label(self, text: str) -> QtWidgets.QLabel:
        lab = QtWidgets.QLabel(text, self)
        lab.setTextFormat(Qt.TextFormat.PlainText)
        lab.setWordWrap(True)
        return lab

    def ok_button(self) -> QtWidgets.QPushButton:
        return self.buttons.button(QtWidgets.QDialogButtonBox.StandardButton.Ok)


class ReasonDialog(_Dialog):
    """Reject: the reason (1/2/3 or arrows + Enter) and an optional note."""

    def __init__(self, count: int, parent=None):
        super().__init__(self.tr("Reject {0} report(s)").format(count), parent)
        self.reasons = QtWidgets.QListWidget(self)
        for i, reason in enumerate(workflow.REJECT_REASONS, 1):
            item = QtWidgets.QListWidgetItem(f"{i}  {label(REJECT_REASON_LABELS, reason)}")
            item.setData(Qt.ItemDataRole.UserRole, reason)
            self.reasons.addItem(item)
        self.reasons.setCurrentRow(0)
        self.reasons.setMaximumHeight(self.reasons.sizeHintForRow(0) * 4 + 8)
        self.reasons.itemActivated.connect(lambda _i: self.accept())
        self.reasons.installEventFilter(self)
        self.note = QtWidgets.QLineEdit(self)
        self.note.setMaxLength(2000)
        self.form.addRow(self.tr("Reason"), self.reasons)
        self.form.addRow(self.tr("Note (optional)"), self.note)
        self.reasons.setFocus()

    def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
        if obj is self.reasons and event.type() == QtCore.QEvent.Type.KeyPress:
            text = event.text()
            if text.isdigit() and 1 <= int(text) <= self.reasons.count():
                self.reasons.setCurrentRow(int(text) - 1)
                self.accept()
                return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event):  # noqa: N802 (digits also when the note has no focus)
        text = event.text()
        if text.isdigit() and 1 <= int(text) <= self.reasons.count():
            self.reasons.setCurrentRow(int(text) - 1)
            self.accept()
            return
        super().keyPressEvent(event)

    def args(self) -> dict:
        out = {"reason": self.reasons.currentItem().data(Qt.ItemDataRole.UserRole)}
        if self.note.text().strip():
            out["note"] = self.note.text().strip()
        return out


class TextDialog(_Dialog):
    """One required line of text (a note, a result, a reason): Enter sends it."""

    def __init__(self, title: str, prompt: str, arg: str, parent=None):
        super().__init__(title, parent)
        self.arg = arg
        self.text = QtWidgets.QLineEdit(self)
        self.text.setMaxLength(2000)
        self.text.setMinimumWidth(420)
        self.form.addRow(prompt, self.text)
        self.text.textChanged.connect(lambda t: self.ok_button().setEnabled(bool(t.strip())))
        self.ok_button().setEnabled(False)
        self.text.returnPressed.connect(lambda: self.text.text().strip() and self.accept())
        self.text.setFocus()

    def args(self) -> dict:
        return {self.arg: self.text.text().strip()}


class AssignDialog(_Dialog):
    """Assign to…: the agency (type to complete) and a deadline; Enter assigns."""

    def __init__(self, count: int, agencies: list[str], last: str | None, parent=None):
        super().__init__(self.tr("Assign {0} report(s) to…").format(count), parent)
        self.agency = QtWidgets.QComboBox(self)
        self.agency.setEditable(True)
        self.agency.setInsertPolicy(QtWidgets.QComboBox.InsertPolicy.NoInsert)
        self.agency.setMinimumWidth(380)
        names = list(dict.fromkeys(([last] if last else []) + sorted(a for a in agencies if a)))
        self.agency.addItems(names)
        self.agency.setCurrentText(last or (names[0] if names else ""))
        completer = self.agency.completer()
        if completer is not None:
            completer.setCompletionMode(QtWidgets.QCompleter.CompletionMode.PopupCompletion)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.deadline = QtWidgets.QComboBox(self)
        for text, delta in DEADLINES:
            self.deadline.addItem(QCoreApplication.translate("ReportsTriage", text), delta)
        self.form.addRow(self.tr("&Agency"), self.agency)
        self.form.addRow(self.tr("&Deadline"), self.deadline)
        self.agency.lineEdit().returnPressed.connect(self._enter)
        self.agency.lineEdit().selectAll()
        self.agency.setFocus()

    def _enter(self) -> None:
        if self.agency.currentText().strip():
            self.accept()

    def accept(self) -> None:
        if not self.agency.currentText().strip():
            return
        super().accept()

    def args(self, now: datetime | None = None) -> dict:
        out = {"agency": self.agency.currentText().strip()}
        delta = self.deadline.currentData()
        if delta is not None:
            out["due"] = workflow.iso((now or datetime.now(workflow.VN_TZ)) + delta)
        return out


class ConfirmDialog(_Dialog):
    def __init__(self, title: str, lines: list[str], parent=None):
        super().__init__(title, parent)
        for line in lines:
            self.form.addRow(self.plain_label(line))
        self.ok_button().setFocus()


class ExportDialog(_Dialog):
    """Export for agency: which agency, which format (then a file is chosen)."""

    def __init__(self, agencies: list[str], last: str | None, parent=None):
        super().__init__(self.tr("Export for agency"), parent)
        self.agency = QtWidgets.QComboBox(self)
        self.agency.setEditable(True)
        names = list(dict.fromkeys(([last] if last else []) + sorted(a for a in agencies if a)))
        self.agency.addItems(names)
        self.fmt = QtWidgets.QComboBox(self)
        for value in FORMATS:
            self.fmt.addItem(value.upper(), value)
        self.form.addRow(self.tr("&Agency"), self.agency)
        self.form.addRow(self.tr("&Format"), self.fmt)
        self.form.addRow(self.plain_label(self.tr("The reporter's identity is never exported.")))
        self.agency.setFocus()


# =========================================================================== triage
class Triage(QtCore.QObject):
    """Keys → actions on the queue (see the module docstring).

    ``queue`` is the :class:`plugins.reports.gui.ReportQueue` (its view, model, marks,
    row fields); ``dispatch`` the feed service (or None: nothing can be dispatched).
    """

    message = QtCore.Signal(str)          # the status line: what happened, or why not
    helpRequested = QtCore.Signal()

    def __init__(self, queue, run_read: Callable, dispatch=None, tracker: ActionTracker | None = None,
                 settings: QtCore.QSettings | None = None, parent=None):
        super().__init__(parent)
        self.queue = queue
        self.run_read = run_read
        self.dispatch = dispatch
        self.tracker = tracker or ActionTracker(dispatch, self)
        self.settings = settings or QtCore.QSettings("HueIOC", "ioc-desktop")
        self.agencies: list[str] = []
        self.active_dialog: QtWidgets.QDialog | None = None
        self.suggest: Callable[[Any, dict], list] | None = None   # set by the GUI (duplicates)
        self.export: Callable[[Any, str, str], str] | None = None
        self.now: Callable[[], datetime] = lambda: datetime.now(workflow.VN_TZ)
        self.submitted: list[str] = []         # action ids, in order (tests, audit)
        # -- toolbar: the same commands as the keys, enabled by role and state
        self.toolbar = QtWidgets.QToolBar(objectName="triageBar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.actions: dict[str, QtGui.QAction] = {}
        for cmd, _action, text, key in COMMANDS:
            name = QCoreApplication.translate("ReportsTriage", text)
            act = self.toolbar.addAction(f"{name}  {key}")
            act.setToolTip(self.tr("{0} (key {1})").format(name, key))
            act.triggered.connect(lambda _=False, c=cmd: self.command(c))
            self.actions[cmd] = act
        self.toolbar.addSeparator()
        self.export_action = self.toolbar.addAction(self.tr("Export for agency…"))
        self.export_action.triggered.connect(self.start_export)
        self._view, self._viewport = queue.view, queue.view.viewport()
        self._view.installEventFilter(self)
        self._viewport.installEventFilter(self)
        self._view.selectionModel().currentRowChanged.connect(lambda *_: self.update_enabled())
        status = getattr(dispatch, "statusChanged", None)
        if status is not None:
            status.connect(lambda _s: self.update_enabled())
        self.update_enabled()

    # ------------------------------------------------------------------ roles
    def roles(self) -> tuple[str, ...]:
        return roles_of(self.dispatch)

    def last_agency(self) -> str | None:
        value = self.settings.value(SETTINGS_LAST_AGENCY)
        return value if isinstance(value, str) and value else None

    # ------------------------------------------------------------------ targets
    def targets(self) -> list[dict]:
        """The marked reports (bulk), else the current one: their row fields."""
        if self.queue.marked:
            return list(self.queue.marked.values())
        fields = self.queue.current_fields()
        return [fields] if fields else []

    def update_enabled(self) -> None:
        roles = self.roles()
        allowed: set[str] = set()
        for fields in self.targets():
            allowed.update(workflow.allowed_actions(fields, roles))
        for cmd, act in self.actions.items():
            act.setEnabled(ACTION_OF[cmd] in allowed)
        self.export_action.setEnabled(workflow.SUPERVISOR in roles)

    def why_not(self, action: str, targets: list[dict]) -> str | None:
        """Why ``action`` can't be taken on any of ``targets`` (None: it can on some)."""
        name = label(ACTION_LABELS, action)
        if self.dispatch is None or not hasattr(self.dispatch, "submit_action"):
            return self.tr("{0}: dispatching is not available in this window").format(name)
        roles = self.roles()
        spec = workflow.ACTIONS[action]
        if not set(roles) & set(spec.roles):
            who = ", ".join(roles) if roles else self.tr("unknown (not signed in yet)")
            return self.tr("{0}: not allowed for your role ({1})").format(name, who)
        if not targets:
            return self.tr("{0}: no report selected").format(name)
        if not any(action in workflow.allowed_actions(t, roles) for t in targets):
            states = sorted({workflow.ioc_state(t) for t in targets})
            return self.tr("{0}: not possible for a report that is {1}").format(
                name, ", ".join(label(STATUS_LABELS, s) for s in states))
        return None

    # ------------------------------------------------------------------ keys
    def eventFilter(self, obj, event):  # noqa: N802 (Qt API)
        # compare with the wrappers kept at start: no call into a view being destroyed
        if obj is self._view and event.type() == QtCore.QEvent.Type.KeyPress:
            return self.key(event)
        if obj is self._viewport and event.type() == QtCore.QEvent.Type.MouseButtonPress \
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            index = self._view.indexAt(event.position().toPoint())
            if index.isValid():
                self.queue.move_to(index.row())
                self.queue.toggle_mark(index.row())
                self.update_enabled()
            return True
        return super().eventFilter(obj, event)

    def key(self, event: QtGui.QKeyEvent) -> bool:
        k, mods = event.key(), event.modifiers()
        plain = not (mods & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
                             | Qt.KeyboardModifier.MetaModifier))
        if not plain:
            return False
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        if k == Qt.Key.Key_J:
            self.queue.step(+1)
        elif k == Qt.Key.Key_K:
            self.queue.step(-1)
        elif k == Qt.Key.Key_Space:
            self.queue.toggle_mark(self.queue.current_row())
            self.update_enabled()
        elif k == Qt.Key.Key_Slash:
            self.queue.filters.focus_search()
        elif k == Qt.Key.Key_Escape:
            self.queue.escape()
            self.update_enabled()
        elif k in (Qt.Key.Key_Question, Qt.Key.Key_F1):
            self.helpRequested.emit()
        elif k == Qt.Key.Key_X:
            n = sum(self.tracker.dismiss(t["key"]) for t in self.targets())
            self.message.emit(self.tr("{0} refused action(s) dismissed").format(n))
        elif k == Qt.Key.Key_A and shift:
            self.command("assign_to")
        elif k in KEY_COMMANDS and not shift:
            self.command(KEY_COMMANDS[k])
        else:
            return False
        return True

    # ------------------------------------------------------------------ commands
    def command(self, cmd: str) -> None:
        """One triage command on the targets (see :data:`COMMANDS`)."""
        action = ACTION_OF[cmd]
        targets = self.targets()
        reason = self.why_not(action, targets)
        if reason:
            self.message.emit(reason)
            return
        bulk = bool(self.queue.marked)
        if bulk and not workflow.ACTIONS[action].bulk:
            self.message.emit(self.tr("{0}: one report at a time").format(label(ACTION_LABELS, action)))
            return
        n = len(targets)
        if cmd == "verify" or cmd == "close":
            self.submit(action, targets, {})
        elif cmd == "assign_last":
            last = self.last_agency()
            if last is None:
                self.message.emit(self.tr("No agency used yet: choose one (Shift+A)"))
                self.command("assign_to")
                return
            self.submit(action, targets, {"agency": last})
        elif cmd == "assign_to":
            dlg = AssignDialog(n, self.agencies, self.last_agency(), self.queue)
            self._open(dlg, lambda: self._assigned(dlg, targets))
        elif cmd == "reject":
            dlg = ReasonDialog(n, self.queue)
            self._open(dlg, lambda: self.submit(action, targets, dlg.args()))
        elif cmd == "note":
            dlg = TextDialog(self.tr("Note on {0} report(s)").format(n), self.tr("&Note"), "text", self.queue)
            self._open(dlg, lambda: self.submit(action, targets, dlg.args()))
        elif cmd == "resolve":
            dlg = TextDialog(self.tr("Resolve {0} report(s)").format(n), self.tr("&Result"), "result", self.queue)
            self._open(dlg, lambda: self.submit(action, targets, dlg.args()))
        elif cmd == "reopen":
            dlg = TextDialog(self.tr("Reopen {0} report(s)").format(n), self.tr("&Reason"), "reason", self.queue)
            self._open(dlg, lambda: self.submit(action, targets, dlg.args()))
        elif cmd == "priority":
            order = workflow.PRIORITIES
            current = targets[0].get("priority") or "normal"
            nxt = order[(order.index(current) + 1) % len(order)] if current in order else order[0]
            self.submit(action, targets, {"priority": nxt})
        elif cmd == "merge":
            self._merge(targets)

    def _open(self, dlg: QtWidgets.QDialog, on_accept: Callable[[], None]) -> None:
        self.active_dialog = dlg
        view = self.queue.view

        def done(result):
            if dlg.property("triageDone"):
                return                       # Enter can both accept and press OK: once
            dlg.setProperty("triageDone", True)
            if self.active_dialog is dlg:
                self.active_dialog = None
            if result == QtWidgets.QDialog.DialogCode.Accepted:
                on_accept()
            view.setFocus()
            dlg.deleteLater()
        dlg.finished.connect(done)
        dlg.open()

    def _assigned(self, dlg: AssignDialog, targets: list[dict]) -> None:
        args = dlg.args(self.now())
        self.settings.setValue(SETTINGS_LAST_AGENCY, args["agency"])
        self.submit("assign", targets, args)

    def _merge(self, targets: list[dict]) -> None:
        """Merge each target into its top suggested duplicate, after a confirmation."""
        suggest = self.suggest
        keys = [t["key"] for t in targets]
        if suggest is None:
            self.message.emit(self.tr("merge: duplicate suggestions are not available"))
            return

        def work(conn):
            out = []
            for key in keys:
                row = conn.execute(f"SELECT data FROM {TOPIC} WHERE key = ?", (key,)).fetchone()
                data = json.loads(row[0]) if row and row[0] else None
                found = suggest(conn, data) if data else []
                found = [(k, d) for k, d in found if k != key]
                out.append((key, found[0] if found else None))
            return out

        def got(pairs):
            if pairs is None:
                self.message.emit(self.tr("merge: could not read the suggestions"))
                return
            plan = [(key, top) for key, top in pairs if top]
            if not plan:
                self.message.emit(self.tr("merge: no duplicate suggested (same category, within 50 m, open)"))
                return
            lines = [self.tr("{0} → {1} ({2:.0f} m)").format(key, into, dist) for key, (into, dist) in plan]
            skipped = len(pairs) - len(plan)
            if skipped:
                lines.append(self.tr("{0} report(s) without a suggestion are left as they are").format(skipped))
            dlg = ConfirmDialog(self.tr("Merge as duplicates?"), lines, self.queue)
            by_key = {t["key"]: t for t in targets}
            self._open(dlg, lambda: self._submit_each(
                "merge", [(by_key[key], {"into": into}) for key, (into, _d) in plan]))
        self.run_read(work, got)

    def merge_one(self, fields: dict, into: str) -> None:
        """Merge one report into ``into`` (the details pane's button), after confirming."""
        reason = self.why_not("merge", [fields])
        if reason:
            self.message.emit(reason)
            return
        lines = [self.tr("{0} → {1}").format(fields["key"], into)]
        dlg = ConfirmDialog(self.tr("Merge as duplicate?"), lines, self.queue)
        self._open(dlg, lambda: self._submit_each("merge", [(fields, {"into": into})]))

    # ------------------------------------------------------------------ submit
    def submit(self, action: str, targets: list[dict], args: dict) -> None:
        self._submit_each(action, [(t, dict(args)) for t in targets])

    def _submit_each(self, action: str, items: list[tuple[dict, dict]]) -> None:
        roles = self.roles()
        sent, skipped, refused = [], 0, []
        for fields, args in items:
            if action not in workflow.allowed_actions(fields, roles):
                skipped += 1
                continue
            try:
                action_id = self.dispatch.submit_action(TOPIC, action, fields["key"], args)
            except workflow.ActionRefused as exc:    # refused locally (roles, state)
                refused.append(str(exc))
                continue
            self.submitted.append(action_id)
            sent.append(fields["key"])
        name = label(ACTION_LABELS, action)
        detail = ""
        if action == "set_priority" and items:
            detail = " → " + label(PRIORITY_LABELS, items[0][1].get("priority"))
        elif action == "assign" and items:
            detail = " → " + items[0][1].get("agency", "")
        if len(sent) == 1:
            text = self.tr("{0}{1}: {2} queued").format(name, detail, sent[0])
        else:
            text = self.tr("{0}{1}: {2} reports queued").format(name, detail, len(sent))
        if skipped:
            text += " · " + self.tr("{0} skipped (not allowed in their state)").format(skipped)
        if refused:
            text += " · " + self.tr("{0} refused: {1}").format(len(refused), refused[0])
        self.message.emit(text)
        bulk = bool(self.queue.marked)
        if bulk:
            self.queue.clear_marks()
        if sent:
            self.queue.step(+1)            # triage flow: on to the next report
        self.update_enabled()

    # ------------------------------------------------------------------ export
    def start_export(self) -> None:
        if workflow.SUPERVISOR not in self.roles():
            self.message.emit(self.tr("Export for agency: supervisors only"))
            return
        if self.export is None:
            self.message.emit(self.tr("Export for agency: not available"))
            return
        current = self.queue.current_fields() or {}
        dlg = ExportDialog(self.agencies, current.get("agency_responsible") or self.last_agency(), self.queue)
        self._open(dlg, lambda: self._choose_file(dlg.agency.currentText().strip(), dlg.fmt.currentData()))

    def _choose_file(self, agency: str, fmt: str) -> None:
        if not agency:
            self.message.emit(self.tr("Export for agency: no agency chosen"))
            return
        safe = "".join(c if c.isalnum() else "_" for c in workflow.fold(agency))[:60] or "agency"
        dlg = QtWidgets.QFileDialog(self.queue, self.tr("Export for {0}").format(agency))
        dlg.setOption(QtWidgets.QFileDialog.Option.DontUseNativeDialog, True)
        dlg.setAcceptMode(QtWidgets.QFileDialog.AcceptMode.AcceptSave)
        dlg.setDefaultSuffix(fmt)
        dlg.selectFile(f"reports-{safe}.{fmt}")
        chosen: list[str] = []
        dlg.fileSelected.connect(chosen.append)
        self._open(dlg, lambda: chosen and self._write_export(agency, fmt, chosen[-1]))

    def _write_export(self, agency: str, fmt: str, path: str) -> None:
        export = self.export

        def work(conn):          # reader thread: the query and the file write, off the GUI
            text = export(conn, agency, fmt)
            Path(path).write_text(text, encoding="utf-8")
            return len(text)

        def done(size):
            if size is None:
                self.message.emit(self.tr("Export for agency failed (see the log)"))
            else:
                self.message.emit(self.tr("Exported for {0} to {1}").format(agency, path))
        self.run_read(work, done)

