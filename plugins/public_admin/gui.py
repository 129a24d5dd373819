"""The public-administration GUI, a view over
:class:`plugins.public_admin.model.PublicAdminModel`: headline tiles (on time, overdue,
online, satisfaction) over a sortable per-agency table whose first row is always the
totals line.

What the operator sees (overdue share = overdue / received, see the schema):

* an agency at **≥ 10 % overdue with at least 5 overdue dossiers** is *abnormal*: its
  overdue cell is red, it counts in the tiles' and overview's attention badge and it
  is a (priority 3) alarm; it stays so until its share falls **below 8 %**
  (a deadband: an agency hovering at the line does not chatter).  The alarm is the rule
  ``public_admin.agency_overdue`` (:mod:`plugins.public_admin.rules`); the banner gets it
  through the core;
* 3 % or more: the overdue cell is amber (watch, no alarm);
* on-time share below 95 % and satisfaction below 90 % are amber;
* an agency reporting an older ``period`` than the others is greyed and left out of
  the totals (its tally is not comparable).

The totals, the levels (red, amber, grey) and the abnormal agencies come from the
model's view (:meth:`PublicAdminGui.on_view`); the table's agency rows are the raw
tallies of the batches.  Abnormal items are **agencies**, not dossiers (the dossier
count is the "overdue" figure next to it).
"""
from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.figures import fmt_number, fmt_percent
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.services_overview import ServiceTile
from widgets.text import clip, local_time
from widgets.theme import ALARM, STALE, SURFACE_ALT, WARN
from widgets.wall_style import wall_columns
from widgets.table_base import fit_columns

from .rules import OVERDUE_ALARM_PCT
from .schema import TOPIC, on_time_rate, online_share, overdue_rate

OVERDUE_ALARM = OVERDUE_ALARM_PCT / 100.0

AGENCY_COLUMN_PX = 250
OVERDUE_COLUMN = 1
#: Display abbreviations of the usual agency names (the tooltip keeps the full name).
ABBREVIATIONS = (("UBND phường ", "UBND P. "), ("UBND xã ", "UBND X. "),
                 ("Trung tâm Phục vụ hành chính công", "TT Phục vụ HCC"),
                 ("Thương binh và Xã hội", "TB&XH"), ("Tài nguyên và Môi trường", "TN&MT"),
                 ("Kế hoạch và Đầu tư", "KH&ĐT"), ("Giáo dục và Đào tạo", "GD&ĐT"),
                 ("Giao thông vận tải", "GTVT"))

#: Key of the totals line: a real agency_id is never empty (the schema refuses it).
TOTAL_KEY = ""
TABLE_PT = 13


def short_name(name: str | None) -> str:
    """An agency's name shortened for the table (``UBND phường Phú Hội`` -> ``UBND P. Phú Hội``)."""
    text = str(name or "")
    for long, short in ABBREVIATIONS:
        text = text.replace(long, short)
    return text


def _num(value) -> float:
    """A sort key that is always a number (missing values sort first)."""
    return -1.0 if value is None else float(value)


class _AgencyModel(KeyedTableModel):
    """The agency table; the totals line is bold on a raised background."""

    def data(self, index, role=QtCore.Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (QtCore.Qt.ItemDataRole.FontRole,
                                        QtCore.Qt.ItemDataRole.BackgroundRole):
            if super().data(index, self.KEY_ROLE) == TOTAL_KEY:
                if role == QtCore.Qt.ItemDataRole.FontRole:
                    font = QtGui.QFont()
                    font.setPointSize(TABLE_PT)
                    font.setBold(True)
                    return font
                return super().data(index, role) or QtGui.QBrush(QtGui.QColor(SURFACE_ALT))
        return super().data(index, role)


class _TotalsFirstProxy(QtCore.QSortFilterProxyModel):
    """Sorts like the table's usual proxy, but the totals line stays on top either way."""

    def lessThan(self, left, right) -> bool:  # noqa: N802 (Qt API)
        lk = self.sourceModel().data(left, KeyedTableModel.KEY_ROLE)
        rk = self.sourceModel().data(right, KeyedTableModel.KEY_ROLE)
        if lk == TOTAL_KEY or rk == TOTAL_KEY:
            if lk == rk:
                return False
            ascending = self.sortOrder() == QtCore.Qt.SortOrder.AscendingOrder
            # descending sorts compare lessThan(right, left): keep the totals first there too
            return ascending if lk == TOTAL_KEY else not ascending
        return super().lessThan(left, right)


class PublicAdminGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        self.context = context
        self.lang = context.lang
        lang = self.lang

        self.model = _AgencyModel([
            Column(QCoreApplication.translate("public_admin", "Agency"), lambda d: short_name(d.get("agency") or d.get("agency_id")),
                   color=self._muted),
            Column(QCoreApplication.translate("public_admin", "Overdue"), self._overdue_text,
                   sort=lambda d: _num(d.get("overdue")), align_right=True,
                   color=self._overdue_color, background=self._overdue_background),
            Column(QCoreApplication.translate("public_admin", "On time"), lambda d: fmt_percent(self._on_time(d), lang),
                   sort=lambda d: _num(self._on_time(d)), align_right=True,
                   color=lambda d: self._muted(d) or self._warn(d, "on_time")),
            Column(QCoreApplication.translate("public_admin", "Received"), lambda d: fmt_number(d.get("received"), lang),
                   sort=lambda d: _num(d.get("received")), align_right=True, color=self._muted),
            Column(QCoreApplication.translate("public_admin", "Resolved"), lambda d: fmt_number(d.get("resolved"), lang),
                   sort=lambda d: _num(d.get("resolved")), align_right=True, color=self._muted),
            Column(QCoreApplication.translate("public_admin", "Online L3 / L4"), lambda d: "{0} / {1}".format(
                       fmt_percent(d.get("online_level3"), lang, 0), fmt_percent(d.get("online_level4"), lang, 0)),
                   sort=lambda d: online_share(d), align_right=True, color=self._muted),
            Column(QCoreApplication.translate("public_admin", "Satisfied"), lambda d: fmt_percent(d.get("satisfaction"), lang, 0),
                   sort=lambda d: _num(d.get("satisfaction")), align_right=True,
                   color=lambda d: self._muted(d) or self._warn(d, "satisfaction")),
        ], tooltip_of=self._tooltip)
        self.table = KeyedTableView(self.model)
        # the totals line stays first whatever the sort: swap in a proxy that knows it
        old = self.table.proxy
        self.table.proxy = _TotalsFirstProxy(self.table)
        self.table.proxy.setSourceModel(self.model)
        self.table.proxy.setSortRole(KeyedTableModel.SORT_ROLE)
        self.table.proxy.setDynamicSortFilter(True)
        self.table.setModel(self.table.proxy)
        old.deleteLater()
        font = self.table.font()
        font.setPointSize(TABLE_PT)
        self.table.setFont(font)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, AGENCY_COLUMN_PX)
        fit_columns(self.table, range(1, len(self.model.columns)))
        self.table.sortByColumn(OVERDUE_COLUMN, QtCore.Qt.SortOrder.DescendingOrder)   # worst first

        self.tile_on_time = ServiceTile()
        self.tile_overdue = ServiceTile()
        self.tile_online = ServiceTile()
        self.tile_satisfaction = ServiceTile()
        self.tile_on_time.set_label(QCoreApplication.translate("public_admin", "On time"))
        self.tile_overdue.set_label(QCoreApplication.translate("public_admin", "Overdue"))
        self.tile_online.set_label(QCoreApplication.translate("public_admin", "Online (L3 + L4)"))
        self.tile_satisfaction.set_label(QCoreApplication.translate("public_admin", "Satisfied"))
        self.tile_overdue.clicked.connect(
            lambda: self.table.sortByColumn(OVERDUE_COLUMN, QtCore.Qt.SortOrder.DescendingOrder))

        self.widget = QtWidgets.QWidget()
        tiles = QtWidgets.QGridLayout()
        tiles.setSpacing(6)
        for i, tile in enumerate((self.tile_on_time, self.tile_overdue, self.tile_online,
                                  self.tile_satisfaction)):
            tiles.addWidget(tile, i // 2, i % 2)
        layout = QtWidgets.QVBoxLayout(self.widget)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(6)
        layout.addLayout(tiles)
        layout.addWidget(self.table, 1)
        wall_columns(self.table, (0, 1, 2), stretch=0)    # the wall: agency, overdue, on time
        self.panels = [Panel("agencies", QCoreApplication.translate("public_admin", "Public administration"), self.widget,
                             QtCore.Qt.DockWidgetArea.RightDockWidgetArea, tabbed=True)]
        self._update_tiles()

    # -------------------------------------------------------------- the model's view
    @property
    def totals(self) -> dict:
        """The totals line of the model's view (empty before the first view)."""
        return self.view.get("totals") or {}

    @property
    def alarmed(self) -> list[str]:
        """Agency ids at the alarm level (the alarm rule's, through the view)."""
        return list(self.view.get("alarmed") or ())

    @property
    def current_period(self) -> str | None:
        return self.totals.get("period")

    def _level(self, d: dict) -> dict:
        if d.get("_total"):
            return {}
        return (self.view.get("levels") or {}).get(d.get("agency_id"), {})

    def _on_time(self, d: dict) -> float | None:
        if d.get("_total"):
            return d.get("on_time_rate")
        return on_time_rate(d)

    def _stale_period(self, d: dict) -> bool:
        return bool(self._level(d).get("stale"))

    def _muted(self, d: dict) -> str | None:
        return STALE if self._stale_period(d) else None

    def _warn(self, d: dict, name: str) -> str | None:
        return WARN if self._level(d).get(name) == "warn" else None

    def level(self, key: str, d: dict) -> str | None:
        """``"alarm"``, ``"warn"`` or None for an agency's overdue record."""
        return self._level(d).get("overdue")

    def _overdue_text(self, d: dict) -> str:
        rate = overdue_rate(d)
        text = fmt_number(d.get("overdue"), self.lang)
        return text if rate is None else f"{text} ({fmt_percent(rate, self.lang)})"

    def _overdue_color(self, d: dict) -> str | None:
        level = self.level(d.get("agency_id", TOTAL_KEY), d)
        return "#ffffff" if level == "alarm" else WARN if level == "warn" else self._muted(d)

    def _overdue_background(self, d: dict) -> str | None:
        return ALARM if self.level(d.get("agency_id", TOTAL_KEY), d) == "alarm" else None

    def _tooltip(self, d: dict) -> list[str]:
        lines = [str(d.get("agency") or ""), str(d.get("agency_id") or "")]
        if d.get("period"):
            lines.append(QCoreApplication.translate("public_admin", "Period: {0}").format(d["period"]))
        received, resolved = d.get("received") or 0, d.get("resolved") or 0
        lines.append(QCoreApplication.translate("public_admin", "Pending: {0}").format(fmt_number(received - resolved, self.lang)))
        if d.get("on_time") is not None and not d.get("_total"):
            late = resolved - d["on_time"]
            lines.append(QCoreApplication.translate("public_admin", "Resolved late: {0} · pending past due: {1}").format(
                fmt_number(late, self.lang), fmt_number(d["overdue"] - late, self.lang)))
        if self._stale_period(d):
            lines.append(QCoreApplication.translate("public_admin", "Older period than the others: left out of the totals"))
        if d.get("updated"):
            lines.append(QCoreApplication.translate("public_admin", "Figures changed at {0}").format(
                local_time(d["updated"], "%d/%m %H:%M:%S")))
        return lines

    def _totals_row(self) -> dict:
        t = self.totals
        return {**t, "agency_id": TOTAL_KEY, "_total": True,
                "agency": QCoreApplication.translate("public_admin", "All agencies ({0})").format(t.get("count", 0))}

    # -------------------------------------------------------------- data
    def on_reset(self, state):
        if TOPIC not in state:
            return
        items = dict(state[TOPIC])
        self.model.reset({TOTAL_KEY: self._totals_row(), **items} if self.totals else items)

    def on_changes(self, topic, ch):
        self.model.apply(ch.upserts, ch.deletes)

    def on_view(self, view: dict[str, Any], changed: set[str]) -> None:
        if "totals" in changed and self.totals:
            self.model.apply({TOTAL_KEY: self._totals_row()})
        if changed & {"levels", "alarmed"}:
            self.model.refresh_all()      # red, amber and grey cells follow the levels
        self._update_tiles()

    def _update_tiles(self) -> None:
        t, lang = self.totals, self.lang
        if not t:
            for tile in (self.tile_on_time, self.tile_overdue, self.tile_online, self.tile_satisfaction):
                tile.set_value("—")
            return
        self.tile_on_time.set_value(fmt_percent(t["on_time_rate"], lang))
        self.tile_on_time.set_sub(QCoreApplication.translate("public_admin", "of {0} resolved").format(fmt_number(t["resolved"], lang)))
        self.tile_on_time.set_state("warn" if t["on_time_low"] else "ok")
        self.tile_overdue.set_value(fmt_number(t["overdue"], lang))
        n = len(self.alarmed)
        self.tile_overdue.set_sub(QCoreApplication.translate("public_admin", "%n agency(ies) ≥ {0}", "", n).format(
            fmt_percent(OVERDUE_ALARM, lang, 0)))
        self.tile_overdue.set_abnormal(n)
        self.tile_overdue.set_state("alarm" if n else "ok")
        self.tile_online.set_value(fmt_percent(t["online_share"], lang, 0))
        self.tile_online.set_sub(QCoreApplication.translate("public_admin", "L3 {0} · L4 {1}").format(
            fmt_percent(t["online_level3"], lang, 0), fmt_percent(t["online_level4"], lang, 0)))
        self.tile_satisfaction.set_value(fmt_percent(t["satisfaction"], lang, 0))
        self.tile_satisfaction.set_sub(QCoreApplication.translate("public_admin", "period {0}").format(t["period"] or "—"))
        self.tile_satisfaction.set_state("warn" if t["satisfaction_low"] else "ok")

    def kpis(self) -> list[Kpi]:
        t = self.totals
        if not t or not t.get("count"):
            return []
        names = [clip(self.model.item(k).get("agency") or k, 60) for k in self.alarmed
                 if self.model.item(k) is not None]
        return [Kpi(QCoreApplication.translate("public_admin", "on time"), fmt_percent(t["on_time_rate"], self.lang),
                    abnormal=len(self.alarmed),
                    tooltip=QCoreApplication.translate("public_admin", "agencies at {0} overdue or more: {1}").format(
                        fmt_percent(OVERDUE_ALARM, self.lang, 0), ", ".join(names) or "—")),
                Kpi(QCoreApplication.translate("public_admin", "overdue"), fmt_number(t["overdue"], self.lang))]

    def select(self, topic, key):
        self.table.select_key(key)
