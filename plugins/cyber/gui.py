"""The cyber GUI: big severity counts of the open events and the event list (newest
first, a window onto SQL over the cache).

"Open" = ``new`` or ``investigating`` (:data:`plugins.cyber.schema.OPEN_STATUSES`): an
event still needing the SOC's attention.  The counts and the KPIs come from the model's
view (:mod:`plugins.cyber.model`, run off the GUI thread); the alarm per open critical
or high event is the engine's (:mod:`plugins.cyber.rules`), on the banner through the
core.  No map layer: security events have no place on the city map.
"""
from __future__ import annotations

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from widgets.count_strip import CountStrip, ink_for
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.sql_table import SqlColumn, SqlPagedModel
from widgets.text import clip, local_time
from widgets.theme import TEXT_MUTED
from widgets.wall_style import wall_columns, wall_hidden

from .labels import CATEGORY_LABELS, SEVERITY_COLORS, SEVERITY_LABELS, STATUS_LABELS
from .schema import SEVERITIES, TOPIC, is_open

__all__ = ["CATEGORY_LABELS", "CyberGui", "CyberPanel", "SEVERITY_COLORS", "SEVERITY_LABELS",
           "STATUS_COLORS", "STATUS_LABELS", "category_label", "severity_label", "status_label"]

# status -> (background, text): work to do stands out, finished work recedes
STATUS_COLORS = {"new": ("#1f4f8a", "#ffffff"), "investigating": ("#7a5a00", "#ffffff"),
                 "contained": ("#16607a", "#ffffff"), "resolved": ("#2a2f35", TEXT_MUTED),
                 "false_positive": ("#2a2f35", TEXT_MUTED)}


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
        self.panel = CyberPanel(context.run_read)
        # the wall: detected, severity, status, target; the counts above them
        wall_columns(self.panel.view, (0, 1, 2, 3), stretch=3)
        wall_hidden(self.panel.summary)
        self.panels = [Panel("events", QCoreApplication.translate("cyber", "Cyber security"), self.panel,
                             QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, tabbed=True)]
        self._refresh = QtCore.QTimer(self.panel, singleShot=True, interval=300)
        self._refresh.timeout.connect(self.panel.model.refresh)

    # -------------------------------------------------------------- the view
    @property
    def open_by_severity(self) -> dict[str, int]:
        """Open events per severity (the view's)."""
        by = self.view.get("open_by_severity") or {}
        return {s: int(by.get(s, 0)) for s in SEVERITIES}

    def on_view(self, view, changed) -> None:
        if changed & {"open_by_severity", "contained", "finished"}:
            self._show_counts()

    def _show_counts(self) -> None:
        self.panel.set_counts(self.open_by_severity, self.view.get("contained", 0),
                              self.view.get("finished", 0))

    # -------------------------------------------------------------- data (the list)
    def on_reset(self, state):
        self.panel.model.refresh()

    def on_changes(self, topic, ch):
        if not self._refresh.isActive():
            self._refresh.start()

    # -------------------------------------------------------------- overview
    def kpis(self) -> list[Kpi]:
        by = self.open_by_severity
        serious = self.view.get("serious", by["high"] + by["critical"])
        return [Kpi(QCoreApplication.translate("cyber", "open events"), str(self.view.get("open", sum(by.values()))),
                    tooltip=QCoreApplication.translate("cyber", "new or under investigation")),
                Kpi(QCoreApplication.translate("cyber", "high + critical"), str(serious), abnormal=serious,
                    tooltip=QCoreApplication.translate("cyber", "{0} critical, {1} high").format(by["critical"], by["high"]))]

    def select(self, topic, key):
        self.panel.select_key(key)
