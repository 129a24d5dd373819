"""The cyber GUI: big severity counts of the open events, the event list (newest first,
a window onto SQL over the cache) and a critical banner alarm per open critical event.

"Open" = ``new`` or ``investigating`` (:data:`plugins.cyber.schema.OPEN_STATUSES`): an
event still needing the SOC's attention.  A critical event's alarm lasts until it is
contained, resolved or found to be a false positive.  No map layer: security events
have no place on the city map.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.count_strip import CountStrip, ink_for
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.sql_table import SqlColumn, SqlPagedModel
from widgets.text import clip, local_time
from widgets.theme import TEXT_MUTED

from .schema import OPEN_STATUSES, SEVERITIES, TOPIC, is_open

SEVERITY_LABELS = {
    "critical": QT_TRANSLATE_NOOP("cyber", "CRITICAL"), "high": QT_TRANSLATE_NOOP("cyber", "HIGH"),
    "medium": QT_TRANSLATE_NOOP("cyber", "medium"), "low": QT_TRANSLATE_NOOP("cyber", "low"),
}
SEVERITY_COLORS = {"critical": "#ff2d2d", "high": "#ff7e00", "medium": "#ffd400", "low": "#4aa3ff"}
STATUS_LABELS = {
    "new": QT_TRANSLATE_NOOP("cyber", "new"),
    "investigating": QT_TRANSLATE_NOOP("cyber", "investigating"),
    "contained": QT_TRANSLATE_NOOP("cyber", "contained"),
    "resolved": QT_TRANSLATE_NOOP("cyber", "resolved"),
    "false_positive": QT_TRANSLATE_NOOP("cyber", "false positive"),
}
# status -> (background, text): work to do stands out, finished work recedes
STATUS_COLORS = {"new": ("#1f4f8a", "#ffffff"), "investigating": ("#7a5a00", "#ffffff"),
                 "contained": ("#16607a", "#ffffff"), "resolved": ("#2a2f35", TEXT_MUTED),
                 "false_positive": ("#2a2f35", TEXT_MUTED)}
CATEGORY_LABELS = {
    "malware": QT_TRANSLATE_NOOP("cyber", "malware"),
    "phishing": QT_TRANSLATE_NOOP("cyber", "phishing"),
    "ddos": QT_TRANSLATE_NOOP("cyber", "DDoS"),
    "intrusion_attempt": QT_TRANSLATE_NOOP("cyber", "intrusion attempt"),
    "web_defacement": QT_TRANSLATE_NOOP("cyber", "web defacement"),
    "brute_force": QT_TRANSLATE_NOOP("cyber", "brute force"),
    "data_leak": QT_TRANSLATE_NOOP("cyber", "data leak"),
    "ransomware": QT_TRANSLATE_NOOP("cyber", "ransomware"),
    "unauthorized_access": QT_TRANSLATE_NOOP("cyber", "unauthorized access"),
    "vulnerability_scan": QT_TRANSLATE_NOOP("cyber", "vulnerability scan"),
}


def severity_label(severity: str | None) -> str:
    if severity in SEVERITY_LABELS:
        return QCoreApplication.translate("cyber", SEVERITY_LABELS[severity])
    return clip(severity, 20)


def status_label(status: str | None) -> str:
    if status in STATUS_LABELS:
        return QCoreApplication.translate("cyber", STATUS_LABELS[status])
    return clip(status, 20)


def category_label(category: str | None) -> str:
    if category in CATEGORY_LABELS:
        return QCoreApplication.translate("cyber", CATEGORY_LABELS[category])
    return clip(category, 40)


def needs_alarm(data: dict) -> bool:
    """A critical event not yet contained."""
    return data.get("severity") == "critical" and is_open(data.get("status"))


def alarm_text(data: dict) -> str:
    return QCoreApplication.translate("cyber", "Cyber: CRITICAL {0} on {1} from {2} ({3})").format(
        category_label(data.get("category")), clip(data.get("target_system"), 80),
        data.get("source_ip") or "?", status_label(data.get("status")))


class CyberPanel(QtWidgets.QWidget):
    """Severity counts of the open events over the event list (newest first)."""

    def __init__(self, run_read, parent=None):
        super().__init__(parent)
        self.setObjectName("cyberPanel")
        self.counts = CountStrip()
        for severity in reversed(SEVERITIES):
            self.counts.add(severity, severity_label(severity), SEVERITY_COLORS[severity])
        self.summary = QtWidgets.QLabel(objectName="panelSummary")
        self.summary.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.open_only = QtWidgets.QCheckBox(self.tr("Open events only"))
        self.open_only.toggled.connect(self._filter)
        head = QtWidgets.QHBoxLayout()
        head.addWidget(self.summary, 1)
        head.addWidget(self.open_only)

        def done(r):
            return not is_open(r.get("c2"))

        def sev_bg(v, r):
            return SEVERITY_COLORS["critical"] if v == "critical" and not done(r) else None

        def sev_fg(v, r):
            if done(r):
                return TEXT_MUTED
            return ink_for(SEVERITY_COLORS["critical"]) if v == "critical" else SEVERITY_COLORS.get(v)

        status = lambda v, r: STATUS_COLORS.get(v, ("", ""))  # noqa: E731
        columns = [
            SqlColumn(self.tr("Detected"), "event_time", display=lambda v, r: local_time(v, "%H:%M %d/%m")),
            SqlColumn(self.tr("Severity"), "severity", display=lambda v, r: severity_label(v),
                      background=sev_bg, color=sev_fg,
                      bold=lambda v, r: v in ("critical", "high") and not done(r)),
            SqlColumn(self.tr("Status"), "status", display=lambda v, r: status_label(v),
                      background=lambda v, r: status(v, r)[0] or None,
                      color=lambda v, r: status(v, r)[1] or None),
            SqlColumn(self.tr("Target system"), "target_system", display=lambda v, r: clip(v, 60)),
            SqlColumn(self.tr("Category"), "category", display=lambda v, r: category_label(v)),
            SqlColumn(self.tr("Source address"), "source_ip"),
            SqlColumn(self.tr("Seen"), "count", display=lambda v, r: "" if v is None else f"×{v}"),
            SqlColumn(self.tr("Description"), "json_extract(data, '$.description')",
                      display=lambda v, r: clip(v, 160)),
        ]
        self.model = SqlPagedModel(
            run_read, TOPIC, columns, order_by="event_time DESC, key DESC",
            tooltip_of=lambda r: [str(r.get("k")), local_time(r.get("c0"), "%H:%M:%S %d/%m/%Y"),
                                 str(r.get("c3") or ""), str(r.get("c7") or "")],
            parent=self)
        self.view = QtWidgets.QTableView(objectName="cyberEvents")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(28)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setWordWrap(False)
        for col, width in enumerate((110, 105, 125, 300, 160, 150, 70)):
            self.view.setColumnWidth(col, width)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.counts)
        layout.addLayout(head)
        layout.addWidget(self.view, 1)
        self.selected_key: str | None = None

    def _filter(self, on: bool) -> None:
        self.model.set_filter("open = 1" if on else "")

    def set_counts(self, open_by_severity: dict[str, int], contained: int, finished: int) -> None:
        for severity in SEVERITIES:
            n = open_by_severity.get(severity, 0)
            self.counts.set(severity, str(n), sub=QCoreApplication.translate("cyber", "open"),
                            active=n > 0 and severity in ("critical", "high"))
        self.summary.setText(QCoreApplication.translate("cyber", "{0} open · {1} contained · {2} closed").format(
            sum(open_by_severity.values()), contained, finished))

    def select_key(self, key: str, retry: bool = True) -> None:
        """Select ``key`` in the list (found in SQL; shows all events if the filter hides it)."""
        self.selected_key = key

        def go(row):
            if key != self.selected_key:
                return
            if row is None:
                if retry and self.open_only.isChecked():
                    self.open_only.setChecked(False)
                    self.select_key(key, retry=False)
                return
            self.view.selectRow(row)
            self.view.scrollTo(self.model.index(row, 0))

        self.model.find_row(key, go)


class CyberGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        self.banner = context.banner
        self.panel = CyberPanel(context.run_read)
        self.panels = [Panel("events", QCoreApplication.translate("cyber", "Cyber security"), self.panel,
                             QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, tabbed=True)]
        # key -> (severity, status): what the counts and alarms need
        self._events: dict[str, tuple[str, str]] = {}
        self._alarmed: set[str] = set()
        self.open_by_severity: dict[str, int] = {s: 0 for s in SEVERITIES}
        self.contained = self.finished = 0
        self._refresh = QtCore.QTimer(self.panel, singleShot=True, interval=300)
        self._refresh.timeout.connect(self.panel.model.refresh)
        self._recount = QtCore.QTimer(self.panel, singleShot=True, interval=300)
        self._recount.timeout.connect(self.count)

    # -------------------------------------------------------------- data
    def _alarm(self, key: str, data: dict | None) -> None:
        if self.banner is None:
            return
        if data is not None and needs_alarm(data):
            self.banner.raise_alarm(TOPIC, key, alarm_text(data), "critical")
            self._alarmed.add(key)
        elif key in self._alarmed:
            self.banner.clear(TOPIC, key)
            self._alarmed.discard(key)

    def on_reset(self, state):
        items = state.get(TOPIC, {})
        self._events = {k: (d.get("severity"), d.get("status")) for k, d in items.items()}
        for key in list(self._alarmed):
            if key not in items:
                self._alarm(key, None)
        for key, data in items.items():
            if needs_alarm(data) or key in self._alarmed:
                self._alarm(key, data)
        self.panel.model.refresh()
        self.count()

    def on_changes(self, topic, ch):
        events = self._events
        for key in ch.deletes:
            events.pop(key, None)
            self._alarm(key, None)
        for key, data in ch.upserts.items():
            events[key] = (data.get("severity"), data.get("status"))
            if key in self._alarmed or needs_alarm(data):
                self._alarm(key, data)
        if not self._refresh.isActive():
            self._refresh.start()
        if not self._recount.isActive():
            self._recount.start()

    def count(self) -> None:
        by_severity = {s: 0 for s in SEVERITIES}
        contained = finished = 0
        for severity, status in self._events.values():
            if status in OPEN_STATUSES:
                if severity in by_severity:
                    by_severity[severity] += 1
            elif status == "contained":
                contained += 1
            else:
                finished += 1
        self.open_by_severity, self.contained, self.finished = by_severity, contained, finished
        self.panel.set_counts(by_severity, contained, finished)

    # -------------------------------------------------------------- overview
    def kpis(self) -> list[Kpi]:
        by = self.open_by_severity
        serious = by["high"] + by["critical"]
        return [Kpi(QCoreApplication.translate("cyber", "open events"), str(sum(by.values())),
                    tooltip=QCoreApplication.translate("cyber", "new or under investigation")),
                Kpi(QCoreApplication.translate("cyber", "high + critical"), str(serious), abnormal=serious,
                    tooltip=QCoreApplication.translate("cyber", "{0} critical, {1} high").format(by["critical"], by["high"]))]

    def select(self, topic, key):
        self.panel.select_key(key)
