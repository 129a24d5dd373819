"""The public-administration GUI: headline tiles (on time, overdue, online, satisfaction)
over a sortable per-agency table whose first row is always the totals line.

Rules the operator sees (overdue share = overdue / received, see the schema):

* an agency at **≥ 10 % overdue with at least 5 overdue dossiers** is *abnormal*: its
  overdue cell is red, it counts in the tiles' and overview's attention badge and it
  raises a (medium) banner alarm; it stays so until its share falls **below 8 %**
  (hysteresis: an agency hovering at the line does not chatter);
* 3 % or more: the overdue cell is amber (watch, no alarm);
* on-time share below 95 % and satisfaction below 90 % are amber;
* an agency reporting an older ``period`` than the others is greyed and left out of
  the totals (its tally is not comparable).

Abnormal items are **agencies**, not dossiers (the dossier count is the "overdue"
figure next to it).
"""
from __future__ import annotations

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.figures import fmt_number, fmt_percent, ratio
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.services_overview import ServiceTile
from widgets.text import clip, local_time
from widgets.theme import ALARM, STALE, SURFACE_ALT, WARN

from .schema import TOPIC, on_time_rate, online_share, overdue_rate

OVERDUE_WARN = 0.03
OVERDUE_ALARM = 0.10
OVERDUE_ALARM_MIN = 5
OVERDUE_CLEAR = 0.08
ON_TIME_TARGET = 0.95
SATISFACTION_TARGET = 0.90

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
        self.banner = context.banner
        self.alarmed: set[str] = set()        # agency ids at the alarm level (hysteresis)
        self.current_period: str | None = None
        self.totals: dict = {}
        lang = self.lang

        self.model = _AgencyModel([
            Column(QCoreApplication.translate("public_admin", "Agency"), lambda d: short_name(d.get("agency") or d.get("agency_id")),
                   color=self._muted),
            Column(QCoreApplication.translate("public_admin", "Overdue"), self._overdue_text,
                   sort=lambda d: _num(d.get("overdue")), align_right=True,
                   color=self._overdue_color, background=self._overdue_background),
            Column(QCoreApplication.translate("public_admin", "On time"), lambda d: fmt_percent(self._on_time(d), lang),
                   sort=lambda d: _num(self._on_time(d)), align_right=True,
                   color=lambda d: self._muted(d) or (
                       WARN if (self._on_time(d) or 1.0) < ON_TIME_TARGET else None)),
            Column(QCoreApplication.translate("public_admin", "Received"), lambda d: fmt_number(d.get("received"), lang),
                   sort=lambda d: _num(d.get("received")), align_right=True, color=self._muted),
            Column(QCoreApplication.translate("public_admin", "Resolved"), lambda d: fmt_number(d.get("resolved"), lang),
                   sort=lambda d: _num(d.get("resolved")), align_right=True, color=self._muted),
            Column(QCoreApplication.translate("public_admin", "Online L3 / L4"), lambda d: "{0} / {1}".format(
                       fmt_percent(d.get("online_level3"), lang, 0), fmt_percent(d.get("online_level4"), lang, 0)),
                   sort=lambda d: online_share(d), align_right=True, color=self._muted),
            Column(QCoreApplication.translate("public_admin", "Satisfied"), lambda d: fmt_percent(d.get("satisfaction"), lang, 0),
                   sort=lambda d: _num(d.get("satisfaction")), align_right=True,
                   color=lambda d: self._muted(d) or (
                       WARN if (d.get("satisfaction") or 1.0) < SATISFACTION_TARGET else None)),
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
        for col in range(1, len(self.model.columns)):
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
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
        self.panels = [Panel("agencies", QCoreApplication.translate("public_admin", "Public administration"), self.widget,
                             QtCore.Qt.DockWidgetArea.RightDockWidgetArea, tabbed=True)]
        self._update_tiles()

    # -------------------------------------------------------------- derived figures
    def _on_time(self, d: dict) -> float | None:
        if d.get("_total"):
            return ratio(d.get("on_time"), d.get("_resolved_with_on_time"))
        return on_time_rate(d)

    def _stale_period(self, d: dict) -> bool:
        p = d.get("period")
        return (not d.get("_total") and p is not None and self.current_period is not None
                and p != self.current_period)

    def _muted(self, d: dict) -> str | None:
        return STALE if self._stale_period(d) else None

    def level(self, key: str, d: dict) -> str | None:
        """``"alarm"``, ``"warn"`` or None for an agency's overdue record."""
        if d.get("_total"):
            return None
        if key in self.alarmed:
            return "alarm"
        rate = overdue_rate(d)
        return "warn" if rate is not None and rate >= OVERDUE_WARN else None

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

    def _compute_totals(self, items: dict) -> dict:
        periods = [d["period"] for d in items.values() if d.get("period")]
        self.current_period = max(periods) if periods else None
        rows = [d for d in items.values() if not self._stale_period(d)]
        received = sum(d["received"] for d in rows)
        resolved = sum(d["resolved"] for d in rows)
        with_on_time = [d for d in rows if d.get("on_time") is not None]
        rated = [d for d in rows if d.get("satisfaction") is not None and d["resolved"]]
        rated_weight = sum(d["resolved"] for d in rated)
        return {
            "agency_id": TOTAL_KEY, "_total": True, "_count": len(rows),
            "agency": QCoreApplication.translate("public_admin", "All agencies ({0})").format(len(rows)),
            "period": self.current_period,
            "received": received, "resolved": resolved,
            "on_time": sum(d["on_time"] for d in with_on_time) if with_on_time else None,
            "_resolved_with_on_time": sum(d["resolved"] for d in with_on_time),
            "overdue": sum(d["overdue"] for d in rows),
            "online_level3": ratio(sum(d["online_level3"] * d["received"] for d in rows), received),
            "online_level4": ratio(sum(d["online_level4"] * d["received"] for d in rows), received),
            "satisfaction": ratio(sum(d["satisfaction"] * d["resolved"] for d in rated), rated_weight),
        }

    # -------------------------------------------------------------- alarms
    def _check_alarms(self, items: dict) -> None:
        for key, d in items.items():
            if key == TOTAL_KEY:
                continue
            rate = overdue_rate(d) or 0.0
            if key in self.alarmed:
                if rate >= OVERDUE_CLEAR and d["overdue"] >= OVERDUE_ALARM_MIN:
                    continue
                self.alarmed.discard(key)
                if self.banner is not None:
                    self.banner.clear(TOPIC, key)
            elif rate >= OVERDUE_ALARM and d["overdue"] >= OVERDUE_ALARM_MIN:
                self.alarmed.add(key)
                if self.banner is not None:
                    self.banner.raise_alarm(TOPIC, key, QCoreApplication.translate(
                        "public_admin", "{0}: {1} overdue dossiers ({2} of received)").format(
                        clip(d.get("agency") or key, 80), fmt_number(d["overdue"], self.lang),
                        fmt_percent(rate, self.lang)), "medium")

    def _forget(self, keys) -> None:
        for key in keys:
            if key in self.alarmed:
                self.alarmed.discard(key)
                if self.banner is not None:
                    self.banner.clear(TOPIC, key)

    # -------------------------------------------------------------- data
    def on_reset(self, state):
        items = dict(state.get(TOPIC, {}))
        self._forget(set(self.alarmed) - set(items))
        self._check_alarms(items)
        self.totals = self._compute_totals(items)
        self.model.reset({TOTAL_KEY: self.totals, **items})
        self._update_tiles()

    def on_changes(self, topic, ch):
        self._forget(ch.deletes)
        self._check_alarms(ch.upserts)
        items = {k: d for k, d in self.model.items().items() if k != TOTAL_KEY and k not in ch.deletes}
        items.update(ch.upserts)
        old_period = self.current_period
        self.totals = self._compute_totals(items)
        self.model.apply({**ch.upserts, TOTAL_KEY: self.totals}, ch.deletes)
        if old_period != self.current_period:
            self.model.refresh_all()      # greyed rows depend on the newest period
        self._update_tiles()

    def _update_tiles(self) -> None:
        t, lang = self.totals, self.lang
        if not t:
            for tile in (self.tile_on_time, self.tile_overdue, self.tile_online, self.tile_satisfaction):
                tile.set_value("—")
            return
        on_time = self._on_time(t)
        self.tile_on_time.set_value(fmt_percent(on_time, lang))
        self.tile_on_time.set_sub(QCoreApplication.translate("public_admin", "of {0} resolved").format(fmt_number(t["resolved"], lang)))
        self.tile_on_time.set_state("warn" if on_time is not None and on_time < ON_TIME_TARGET else "ok")
        self.tile_overdue.set_value(fmt_number(t["overdue"], lang))
        n = len(self.alarmed)
        self.tile_overdue.set_sub(QCoreApplication.translate("public_admin", "%n agency(ies) ≥ {0}", "", n).format(
            fmt_percent(OVERDUE_ALARM, lang, 0)))
        self.tile_overdue.set_abnormal(n)
        self.tile_overdue.set_state("alarm" if n else "ok")
        self.tile_online.set_value(fmt_percent(online_share(t) if t["received"] else None, lang, 0))
        self.tile_online.set_sub(QCoreApplication.translate("public_admin", "L3 {0} · L4 {1}").format(
            fmt_percent(t["online_level3"], lang, 0), fmt_percent(t["online_level4"], lang, 0)))
        self.tile_satisfaction.set_value(fmt_percent(t["satisfaction"], lang, 0))
        self.tile_satisfaction.set_sub(QCoreApplication.translate("public_admin", "period {0}").format(t["period"] or "—"))
        low = t["satisfaction"] is not None and t["satisfaction"] < SATISFACTION_TARGET
        self.tile_satisfaction.set_state("warn" if low else "ok")

    def kpis(self) -> list[Kpi]:
        t = self.totals
        if not t or not t.get("_count"):
            return []
        names = [clip(self.model.item(k).get("agency") or k, 60) for k in sorted(self.alarmed)
                 if self.model.item(k) is not None]
        return [Kpi(QCoreApplication.translate("public_admin", "on time"), fmt_percent(self._on_time(t), self.lang),
                    abnormal=len(self.alarmed),
                    tooltip=QCoreApplication.translate("public_admin", "agencies at {0} overdue or more: {1}").format(
                        fmt_percent(OVERDUE_ALARM, self.lang, 0), ", ".join(names) or "—")),
                Kpi(QCoreApplication.translate("public_admin", "overdue"), fmt_number(t["overdue"], self.lang))]

    def select(self, topic, key):
        self.table.select_key(key)
