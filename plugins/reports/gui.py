"""The reports GUI: the ticket queue (a window onto SQL over the cache) and the map pins."""
from __future__ import annotations

import time

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.i18n import QT_TRANSLATE_NOOP
from widgets.map_layer import MapLayer
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.sql_table import SqlColumn, SqlPagedModel
from widgets.text import clip, local_time, parse_time
from widgets.theme import STATE_COLORS

from .schema import TOPIC

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
# status -> (background, text) colours: new work stands out, finished work recedes
STATUS_COLORS = {
    "received": ("#1f4f8a", "#ffffff"), "verified": ("#16607a", "#ffffff"),
    "assigned": ("#7a5a00", "#ffffff"), "in_progress": ("#7a4500", "#ffffff"),
    "resolved": ("#1d6b3a", "#ffffff"), "closed": ("#2a2f35", "#a3acb5"),
    "rejected": ("#3a2a2a", "#a3acb5"),
}
PIN_COLORS = {"received": "#4aa3ff", "verified": "#38c8e8", "assigned": "#ffb000",
              "in_progress": "#ff7e00", "resolved": "#2fd07a"}
FINISHED = ("closed", "rejected")



def is_overdue(row: dict, now: float | None = None) -> bool:
    due = parse_time(row.get("expected_datetime"))
    return (due is not None and row.get("ioc_status") not in FINISHED + ("resolved",)
            and due < (now or time.time()))


def pin_features(key: str, data: dict) -> list[dict]:
    """Open reports with a place become pins; finished ones leave the map."""
    status = data.get("ioc_status")
    if status in FINISHED or data.get("lat") is None or data.get("long") is None:
        return []
    urgent = data.get("priority") == "urgent"
    return [{
        "key": key, "kind": "point", "lat": data["lat"], "lon": data["long"],
        "radius": 9 if urgent else 6, "color": "#ffffff" if urgent else "#0b0e11",
        "fill": PIN_COLORS.get(status, "#4aa3ff"), "weight": 2 if urgent else 1,
        "title": f"{key} · {data.get('service_name') or data.get('service_code', '')}",
        "fields": [
            [QCoreApplication.translate("reports", "Status"), QCoreApplication.translate("reports", STATUS_LABELS.get(status, status or ""))],
            [QCoreApplication.translate("reports", "Priority"), QCoreApplication.translate("reports", PRIORITY_LABELS.get(data.get("priority") or "normal", ""))],
            [QCoreApplication.translate("reports", "Description"), clip(data.get("description"), 300)],
            [QCoreApplication.translate("reports", "Address"), data.get("address") or ""],
            [QCoreApplication.translate("reports", "Received"), local_time(data.get("requested_datetime"))],
            [QCoreApplication.translate("reports", "Agency"), data.get("agency_responsible") or ""],
        ],
    }]


class ReportQueue(QtWidgets.QWidget):
    """Newest first; status and priority readable at a glance (colour plus text)."""

    keySelected = QtCore.Signal(str)

    def __init__(self, run_read, parent=None):
        super().__init__(parent)
        self.summary = QtWidgets.QLabel(objectName="panelSummary")
        self.summary.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        s = lambda v, r: STATUS_COLORS.get(v, ("", ""))  # noqa: E731
        # column 1 holds ioc_status: what "overdue" needs besides the due time
        late = lambda v, r: is_overdue({"expected_datetime": v, "ioc_status": r.get("c1")})  # noqa: E731
        columns = [
            SqlColumn(self.tr("Priority"), "priority",
                      display=lambda v, r: QCoreApplication.translate("reports", PRIORITY_LABELS.get(v or "normal", v or "")),
                      color=lambda v, r: {"urgent": STATE_COLORS["alarm"], "high": STATE_COLORS["warn"]}.get(v),
                      bold=lambda v, r: v == "urgent"),
            SqlColumn(self.tr("Status"), "ioc_status",
                      display=lambda v, r: QCoreApplication.translate("reports", STATUS_LABELS.get(v, v or "")),
                      background=lambda v, r: s(v, r)[0] or None, color=lambda v, r: s(v, r)[1] or None),
            SqlColumn(self.tr("Received"), "requested_datetime", display=lambda v, r: local_time(v)),
            SqlColumn(self.tr("Category"), "service_name", display=lambda v, r: clip(v, 40)),
            SqlColumn(self.tr("Description"), "description", display=lambda v, r: clip(v, 90)),
            SqlColumn(self.tr("Place"), "coalesce(commune, address)", display=lambda v, r: clip(v, 40)),
            SqlColumn(self.tr("Channel"), "channel",
                      display=lambda v, r: QCoreApplication.translate("reports", CHANNEL_LABELS[v]) if v in CHANNEL_LABELS else clip(v, 20)),
            SqlColumn(self.tr("Agency"), "agency_responsible", display=lambda v, r: clip(v, 40)),
            SqlColumn(self.tr("Due"), "expected_datetime",
                      display=lambda v, r: local_time(v) + ("  " + QCoreApplication.translate("reports", "OVERDUE") if late(v, r) else ""),
                      color=lambda v, r: STATE_COLORS["alarm"] if late(v, r) else None,
                      bold=late),
            SqlColumn(self.tr("Report no."), "key"),
        ]
        self.model = SqlPagedModel(run_read, TOPIC, columns,
                                   order_by="requested_datetime DESC, key DESC",
                                   tooltip_of=lambda r: [str(r.get("k")), str(r.get("c4") or "")],
                                   parent=self)
        self.model.countChanged.connect(self._update_summary)
        self.view = QtWidgets.QTableView(objectName="reportQueue")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(30)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setWordWrap(False)
        for col, width in enumerate((110, 130, 140, 160, 380, 160, 110, 200, 170)):
            self.view.setColumnWidth(col, width)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.selected_key: str | None = None
        self._reselecting = False
        self.model.refreshed.connect(self._keep_selection)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self.counts = {"open": 0, "urgent": 0, "overdue": 0}

    def set_counts(self, open_: int, urgent: int, overdue: int) -> None:
        self.counts = {"open": open_, "urgent": urgent, "overdue": overdue}
        self._update_summary()

    def _update_summary(self, *_):
        c = self.counts
        self.summary.setText(self.tr("{0} reports · {1} open · {2} urgent · {3} overdue").format(
            self.model.rowCount(), c["open"], c["urgent"], c["overdue"]))

    def _row_changed(self, current, _previous) -> None:
        if self._reselecting:
            return
        key = self.model.key_at(current.row()) if current.isValid() else None
        if key:
            self.selected_key = key
            self.keySelected.emit(key)

    def select_key(self, key: str) -> None:
        """Select ``key`` and keep it selected while new reports push the rows down."""
        self.selected_key = key
        self.model.refresh()          # the report may be newer than the rows on screen

    def _keep_selection(self) -> None:
        key = self.selected_key
        if key is None:
            return

        def go(row):
            if row is None or key != self.selected_key:
                return
            current = self.view.currentIndex()
            if current.isValid() and current.row() == row:
                return
            self._reselecting = True
            try:
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
            finally:
                self._reselecting = False

        self.model.find_row(key, go)


class ReportsGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        self.context = context
        run_read = context.extras["run_read"]
        self.queue = ReportQueue(run_read)
        self.queue.keySelected.connect(self._on_selected)
        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("reports", "Citizen reports"), pin_features, z=30)
        self.panels = [Panel("queue", QCoreApplication.translate("reports", "Citizen reports"), self.queue,
                             QtCore.Qt.DockWidgetArea.BottomDockWidgetArea, stretch=0.3)]
        self._state: dict[str, dict] = {}
        self._refresh = QtCore.QTimer(self.queue, singleShot=True, interval=300)
        self._refresh.timeout.connect(self.queue.model.refresh)
        self._recount = QtCore.QTimer(self.queue, interval=30_000)  # overdue changes with time
        self._recount.timeout.connect(self._count)
        self._recount.start()

    def on_reset(self, state):
        self._state = dict(state.get(TOPIC, {}))
        self.layer.reset(self._state)
        self.queue.model.refresh()
        self._count()

    def on_changes(self, topic, ch):
        for key in ch.deletes:
            self._state.pop(key, None)
        self._state.update(ch.upserts)
        self.layer.apply(ch)
        if not self._refresh.isActive():
            self._refresh.start()
        self._count()

    def _count(self) -> None:
        now = time.time()
        open_ = [d for d in self._state.values() if d.get("ioc_status") not in FINISHED]
        self.counts = (len(open_), sum(d.get("priority") == "urgent" for d in open_),
                       sum(is_overdue(d, now) for d in open_))
        self.queue.set_counts(*self.counts)

    def kpis(self) -> list[Kpi]:
        open_, urgent, overdue = getattr(self, "counts", (0, 0, 0))
        return [Kpi(QCoreApplication.translate("reports", "open"), str(open_)),
                Kpi(QCoreApplication.translate("reports", "urgent"), str(urgent), abnormal=urgent),
                Kpi(QCoreApplication.translate("reports", "overdue"), str(overdue), abnormal=overdue)]

    def _on_selected(self, key: str) -> None:
        self.layer.select(key)

    def select(self, topic, key):
        self.queue.select_key(key)
