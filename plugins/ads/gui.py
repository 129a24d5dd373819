"""The LED-billboard GUI, a view over :class:`plugins.ads.model.AdsModel`: the screen
list (violations first, highlighted), the selected screen's details, the screens on the
map, and the headline figures.

The figures (screens online, violations) and the summary of the violations in force
come from the model's view (:meth:`AdsGui.on_view`); the table and the map apply the
batches' raw reports.  The alarms (a violation, a screen dark for 2 min) are the rules
``ads.violation`` and ``ads.offline`` (:mod:`plugins.ads.rules`), which reach the
wall's banner through the core.
"""
from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.review.clock import view_time
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.map_layer import MapLayer
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.text import age_text, clip, local_time, parse_time, tooltip
from widgets.theme import STATE_COLORS
from widgets.wall_style import wall_columns, wall_hidden
from widgets.table_base import fit_columns

from .schema import OTHER, PROHIBITED, SCHEDULE, TOPIC, UNLICENSED, violation_info

KIND_LABELS = {
    UNLICENSED: QT_TRANSLATE_NOOP("ads", "unlicensed content"),
    PROHIBITED: QT_TRANSLATE_NOOP("ads", "prohibited content"),
    SCHEDULE: QT_TRANSLATE_NOOP("ads", "schedule breach"),
    OTHER: QT_TRANSLATE_NOOP("ads", "violation"),
}
ALARM, OK, STALE, WARN = STATE_COLORS["alarm"], STATE_COLORS["ok"], STATE_COLORS["stale"], STATE_COLORS["warn"]
VIOLATION_ROW = "#4a1418"      # a violating screen's row background (white text stays readable)


def kind_label(kind: str | None) -> str:
    if kind in KIND_LABELS:
        return QCoreApplication.translate("ads", KIND_LABELS[kind])
    return (kind or "").replace("_", " ")


def rank(data: dict) -> int:
    """0 violation, 1 offline, 2 fine: the list's default order."""
    if violation_info(data):
        return 0
    return 1 if not data.get("online") else 2


def status_text(data: dict) -> str:
    info = violation_info(data)
    if info:
        return kind_label(info[0]).upper()
    return QCoreApplication.translate("ads", "online") if data.get("online") \
        else QCoreApplication.translate("ads", "offline")


def status_color(data: dict) -> str:
    if violation_info(data):
        return ALARM
    return OK if data.get("online") else STALE


def content_text(data: dict) -> str:
    content = data.get("content_id")
    if not content:
        return "—"
    title = data.get("content_title")
    return f"{content} · {title}" if title else str(content)


def since_of(data: dict) -> str | None:
    """Since when the screen is in its current condition: the violation's time when there
    is one, else when it went online/offline."""
    info = violation_info(data)
    if info and info[2]:
        return info[2]
    return data.get("since")


def since_text(data: dict, now: float | None = None) -> str:
    when = since_of(data)
    t = parse_time(when)
    if t is None:
        return ""
    return f"{local_time(when, '%d/%m %H:%M')} ({age_text((now or view_time()) - t)})"


def screen_features(key: str, data: dict) -> list[dict]:
    info = violation_info(data)
    fields = [[QCoreApplication.translate("ads", "Screen"), str(data.get("screen_id") or key)],
              [QCoreApplication.translate("ads", "Status"), status_text(data)],
              [QCoreApplication.translate("ads", "Content"), content_text(data)]]
    if info:
        fields.append([QCoreApplication.translate("ads", "Violation"), clip(info[1], 300)])
    if since_of(data):
        fields.append([QCoreApplication.translate("ads", "Since"), local_time(since_of(data), "%d/%m %H:%M")])
    return [{
        "key": key, "kind": "point", "lat": data["lat"], "lon": data["long"],
        "radius": 8 if info else 6, "fill": status_color(data) if data.get("online") or info else STALE,
        "color": "#0b0e11", "title": data.get("name") or key, "fields": fields,
    }]


class AdsPanel(QtWidgets.QWidget):
    """Headline figures, the screen list and the selected screen's details."""

    def __init__(self, table: QtWidgets.QWidget, parent=None):
        super().__init__(parent)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(4)
        head = QtWidgets.QHBoxLayout()
        head.setSpacing(18)
        self.figures: dict[str, QtWidgets.QLabel] = {}
        for name in ("online", "violations"):
            label = QtWidgets.QLabel(objectName=f"adsFigure-{name}")
            label.setTextFormat(QtCore.Qt.TextFormat.PlainText)
            font = label.font()
            font.setPointSize(18)
            font.setBold(True)
            label.setFont(font)
            self.figures[name] = label
            head.addWidget(label)
        head.addStretch(1)
        layout.addLayout(head)
        layout.addWidget(table, 1)
        self.details = QtWidgets.QLabel(objectName="adsDetails")
        self.details.setTextFormat(QtCore.Qt.TextFormat.PlainText)     # feed text: never HTML
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setMinimumHeight(60)
        self.details.setAlignment(QtCore.Qt.AlignmentFlag.AlignTop | QtCore.Qt.AlignmentFlag.AlignLeft)
        font = self.details.font()
        font.setPointSize(13)
        self.details.setFont(font)
        layout.addWidget(self.details)

    def set_figure(self, name: str, text: str, color: str | None) -> None:
        label = self.figures[name]
        label.setText(text)
        label.setStyleSheet(f"color: {color};" if color else "")


class AdsGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        row_bg = lambda d: VIOLATION_ROW if violation_info(d) else None   # noqa: E731
        self.model = KeyedTableModel([
            Column(QCoreApplication.translate("ads", "Screen"), lambda d: d.get("name") or d.get("screen_id"),
                   background=row_bg),
            Column(QCoreApplication.translate("ads", "Status"), status_text,
                   sort=lambda d: f"{rank(d)} {d.get('name') or ''}", color=status_color, background=row_bg),
            Column(QCoreApplication.translate("ads", "Content"), content_text,
                   color=lambda d: None if d.get("online") else STALE, background=row_bg),
            Column(QCoreApplication.translate("ads", "Since"), since_text,
                   sort=lambda d: parse_time(since_of(d)) or 0, background=row_bg),
        ], tooltip_of=self._tooltip)
        self.table = KeyedTableView(self.model)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for col in (0, 2):
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.Stretch)
        fit_columns(self.table, (1, 3))
        self.table.keyActivated.connect(self._activate)
        self.panel = AdsPanel(self.table)
        wall_columns(self.table, (0, 1, 3), stretch=0)      # the wall: screen, status, since
        wall_hidden(self.panel.details)
        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("ads", "LED billboards"),
                              screen_features, z=42)
        self.panels = [Panel("screens", QCoreApplication.translate("ads", "LED billboards"), self.panel,
                             QtCore.Qt.DockWidgetArea.RightDockWidgetArea, tabbed=True)]
        self._selected: str | None = None
        self._sort_default()
        self._ages = QtCore.QTimer(self.panel, interval=30_000)     # "since" ages move with time
        self._ages.timeout.connect(self.model.refresh_all)
        self._ages.start()
        self._update_figures()

    def _sort_default(self) -> None:
        # Status column, ascending: violations, then offline screens, then the rest by name.
        self.table.sortByColumn(1, QtCore.Qt.SortOrder.AscendingOrder)

    @staticmethod
    def _tooltip(d: dict) -> list[str]:
        info = violation_info(d)
        lines = [str(d.get("name") or ""), str(d.get("screen_id") or ""), content_text(d)]
        if info:
            lines += [kind_label(info[0]), info[1]]
        return lines

    # ------------------------------------------------------------------ data
    def on_reset(self, state):
        if TOPIC not in state:
            return
        items = state[TOPIC]
        self.model.reset(items)
        self.layer.reset(items)
        self._show_details()

    def on_changes(self, topic, ch):
        self.model.apply(ch.upserts, ch.deletes)
        self.layer.apply(ch)
        if self._selected is not None and (self._selected in ch.upserts or self._selected in ch.deletes):
            self._show_details()

    # ------------------------------------------------------------------ the model's view
    def on_view(self, view: dict[str, Any], changed: set[str]) -> None:
        if "screens" in changed:
            self._update_figures()
        if "violations" in changed and self._selected is None:
            self._show_details()

    def _update_figures(self) -> None:
        screens = self.view.get("screens")
        if not screens:
            self.panel.set_figure("online", "", None)
            self.panel.set_figure("violations", "", None)
            return
        online, total, violations = screens["online"], screens["total"], screens["violations"]
        self.panel.set_figure("online", QCoreApplication.translate("ads", "{0}/{1} online").format(online, total),
                              None if online == total else WARN)
        self.panel.set_figure("violations", QCoreApplication.translate("ads", "%n violation(s)", "", violations),
                              ALARM if violations else STALE)

    def _show_details(self) -> None:
        d = self.model.item(self._selected) if self._selected else None
        if d is None:
            # nothing selected: the violations in force (the model's view), one line each
            lines = [f"{v['name']}: {kind_label(v['kind'])} — {v['detail']}"
                     for v in self.view.get("violations") or ()]
            self.panel.details.setText("\n".join(lines) if lines else
                                       QCoreApplication.translate("ads", "No violation. Select a screen for its details."))
            self.panel.details.setToolTip(tooltip(*lines) if lines else "")
            return
        lines = [f"{d.get('name') or self._selected} ({d.get('screen_id') or self._selected})",
                 QCoreApplication.translate("ads", "Status: {0}").format(status_text(d)),
                 QCoreApplication.translate("ads", "Content: {0}").format(content_text(d))]
        info = violation_info(d)
        if info:
            lines.append(QCoreApplication.translate("ads", "Violation: {0} — {1}").format(kind_label(info[0]), info[1]))
        if since_of(d):
            lines.append(QCoreApplication.translate("ads", "Since: {0}").format(since_text(d)))
        self.panel.details.setText("\n".join(lines))
        self.panel.details.setToolTip(tooltip(*lines))

    # ------------------------------------------------------------------ selection, KPIs
    def _activate(self, key: str) -> None:
        self._selected = key
        self._show_details()
        self.layer.select(key)

    def select(self, topic, key):
        self._selected = key
        self.table.select_key(key)
        self._show_details()

    def kpis(self) -> list[Kpi]:
        screens = self.view.get("screens")
        if not screens:
            return []
        total, online, violations = screens["total"], screens["online"], screens["violations"]
        return [Kpi(QCoreApplication.translate("ads", "screens online"), f"{online}/{total}",
                    tooltip=QCoreApplication.translate("ads", "{0} offline").format(total - online)),
                Kpi(QCoreApplication.translate("ads", "violations"), str(violations), abnormal=violations)]
