"""The e-ticket GUI: today's visitors, revenue, busiest site and silent validators as
tiles; a per-site table; visitors per hour of the busiest sites; the sites on the map
(sized by today's visitors).

A view: every figure comes from the model's view (:mod:`plugins.ecard.model`, run by the
situation layer off the GUI thread): today's sums per site and in total, the busiest
site, the silent validators, the trend's points.  The table's rows are the state's
records (each site's newest period, applied from the batches: data, not figures); its
figures are looked up in ``view["sites"]``.  The silent-validator alarm is the engine's
(:mod:`plugins.ecard.rules`): it reaches the banner through the core.

Silent sites are the *abnormal* items: a red badge, a grey marker with a red ring, a red
"last report" cell (its age is measured against the model's clock, ``view["now"]``).
"""
from __future__ import annotations

import math
import re

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.figures import fmt_number, fmt_vnd
from ioc_desktop.series import SeriesBuffer
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.map_layer import MapLayer
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.services_overview import ServiceTile
from widgets.text import age_text, clip, local_time
from widgets.theme import ALARM, STALE
from widgets.timeseries_plot import TimeSeriesPlot
from widgets.wall_style import wall_columns, wall_hidden
from widgets.table_base import fit_columns

from .model import SILENT_AFTER_S, TOP_SITES
from .schema import TOPIC

__all__ = ["EcardGui", "SILENT_AFTER_S", "TOP_SITES", "short_site", "trend_label"]

TREND_COLORS = ("#4aa3ff", "#2fd07a", "#c77dff")
SITE_COLOR = "#8e44ad"
TABLE_PT = 13
#: Leading words dropped from a site's name in the trend's tags ("Lăng" = tomb, …).
GENERIC_PREFIXES = ("Lăng ", "Chùa ", "Cung ", "Đền ", "Điện ", "Bảo tàng ")
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_NO_SITE = {"visitors": 0, "issued": 0, "revenue": 0.0, "now_used": None, "seen": None,
            "silent": False}


def short_site(name: str | None, limit: int = 22) -> str:
    """A site's name without a trailing parenthesis, clipped (``Đại Nội Huế (Hoàng
    thành)`` -> ``Đại Nội Huế``) for tiles and the trend's tags."""
    text = _PAREN.sub("", str(name or "")) or str(name or "")
    return clip(text, limit)


def trend_label(name: str | None) -> str:
    """A site's shortest recognisable name for the trend's value tags: without a trailing
    parenthesis or a leading generic word (``Lăng Tự Đức`` -> ``Tự Đức``)."""
    text = short_site(name, 200)
    for prefix in GENERIC_PREFIXES:
        if text.startswith(prefix) and text[len(prefix):].strip():
            text = text[len(prefix):]
            break
    return clip(text, 12)


class EcardGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        self.context = context
        self.lang = context.lang
        lang = self.lang

        # -- tiles
        self.tile_visitors = ServiceTile()
        self.tile_revenue = ServiceTile()
        self.tile_busiest = ServiceTile()
        self.tile_silent = ServiceTile()
        self.tile_visitors.set_label(QCoreApplication.translate("ecard", "Visitors today"))
        self.tile_revenue.set_label(QCoreApplication.translate("ecard", "Revenue today, million ₫"))
        self.tile_busiest.set_label(QCoreApplication.translate("ecard", "Busiest site"))
        self.tile_silent.set_label(QCoreApplication.translate("ecard", "Silent validators"))
        self.tile_silent.clicked.connect(lambda: self.table.sortByColumn(2, QtCore.Qt.SortOrder.AscendingOrder))

        # -- table
        self.model = KeyedTableModel([
            Column(QCoreApplication.translate("ecard", "Site"), lambda d: d.get("site") or d.get("site_id"),
                   color=lambda d: STALE if self._site(d)["silent"] else None),
            Column(QCoreApplication.translate("ecard", "Visitors"), lambda d: fmt_number(self._site(d)["visitors"], lang),
                   sort=lambda d: self._site(d)["visitors"], align_right=True),
            Column(QCoreApplication.translate("ecard", "Last report"), self._last_report_text,
                   sort=lambda d: self._site(d)["seen"] or 0.0,
                   color=lambda d: ALARM if self._site(d)["silent"] else None),
            Column(QCoreApplication.translate("ecard", "This hour"), lambda d: fmt_number(self._site(d)["now_used"], lang),
                   sort=lambda d: -1 if self._site(d)["now_used"] is None else self._site(d)["now_used"],
                   align_right=True),
            Column(QCoreApplication.translate("ecard", "Issued"), lambda d: fmt_number(self._site(d)["issued"], lang),
                   sort=lambda d: self._site(d)["issued"], align_right=True),
            Column(QCoreApplication.translate("ecard", "Revenue"), lambda d: fmt_vnd(self._site(d)["revenue"], lang),
                   sort=lambda d: self._site(d)["revenue"], align_right=True),
        ], tooltip_of=self._tooltip)
        self.table = KeyedTableView(self.model)
        font = self.table.font()
        font.setPointSize(TABLE_PT)
        self.table.setFont(font)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 210)
        fit_columns(self.table, range(1, len(self.model.columns)))
        self.table.sortByColumn(1, QtCore.Qt.SortOrder.DescendingOrder)
        self.table.keyActivated.connect(lambda key: self.layer.select(key))

        # -- trend
        self.trend = TimeSeriesPlot(QCoreApplication.translate("ecard", "Visitors per hour — busiest sites"),
                                    QCoreApplication.translate("ecard", "/h"))
        self.trend.decimals = 0
        self.trend.setMinimumHeight(220)
        self.trend_buffers: dict[str, SeriesBuffer] = {}
        self.trend_names: dict[str, str] = {}               # site -> series name

        self.widget = QtWidgets.QWidget()
        tiles = QtWidgets.QGridLayout()
        tiles.setSpacing(6)
        for i, tile in enumerate((self.tile_visitors, self.tile_revenue, self.tile_busiest, self.tile_silent)):
            tiles.addWidget(tile, i // 2, i % 2)
        split = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(self.trend)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        layout = QtWidgets.QVBoxLayout(self.widget)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(6)
        layout.addLayout(tiles)
        layout.addWidget(split, 1)
        # the wall: the tiles and the sites (site, visitors, last report); no trend
        wall_columns(self.table, (0, 1, 2), stretch=0)
        wall_hidden(self.trend)
        self.panels = [Panel("sites", QCoreApplication.translate("ecard", "E-tickets"), self.widget,
                             QtCore.Qt.DockWidgetArea.RightDockWidgetArea, tabbed=True)]

        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("ecard", "Ticket sites"), self._features, z=30)
        self._drawn: dict[str, dict] = {}        # the view's sites the map was drawn with
        self._update_tiles()

    # -------------------------------------------------------------- the view
    def _sites(self) -> dict:
        return self.view.get("sites") or {}

    def _site(self, d: dict) -> dict:
        """A row's figures today, from the view (zeros until the view has the site)."""
        return self._sites().get(d.get("site_id")) or _NO_SITE

    def silent(self) -> list[str]:
        """The silent validators' sites (the view's)."""
        return list(self.view.get("silent") or ())

    def totals(self) -> tuple[int, int, float]:
        """Today's ``(visitors, issued, revenue)`` over every site (the view's)."""
        t = self.view.get("totals") or {}
        return t.get("visitors", 0), t.get("issued", 0), t.get("revenue", 0.0)

    def busiest(self) -> tuple[str, int] | None:
        best = self.view.get("busiest")
        return (best[0], best[1]) if best else None

    def on_view(self, view, changed) -> None:
        if changed & {"sites", "now"}:
            self.model.refresh_all()          # figures, flags, "last report" ages
        if "sites" in changed:
            sites, items = self._sites(), self.model.items()
            moved = {k for k in set(sites) | set(self._drawn) if sites.get(k) != self._drawn.get(k)}
            self._drawn = dict(sites)
            self.layer.update({k: items[k] for k in moved if k in items})
        if changed & {"totals", "busiest", "silent", "sites"}:
            self._update_tiles()
        if "trend" in changed:
            self.update_trend()

    # -------------------------------------------------------------- data (the rows)
    def on_reset(self, state):
        items = state.get(TOPIC, {})
        self.model.reset(items)
        self.layer.reset(items)
        self._update_tiles()

    def on_changes(self, topic, ch):
        self.model.apply(ch.upserts, ch.deletes)
        items = self.model.items()
        self.layer.update({k: items[k] for k in ch.upserts if k in items}, ch.deletes)
        self._update_tiles()

    # -------------------------------------------------------------- views
    def _update_tiles(self) -> None:
        lang = self.lang
        items = self.model.items()
        visitors, issued, revenue = self.totals()
        has = bool(items) and bool(self.view)
        self.tile_visitors.set_value(fmt_number(visitors, lang) if has else "—")
        self.tile_visitors.set_sub(QCoreApplication.translate("ecard", "{0} tickets issued").format(
            fmt_number(issued, lang)) if has else "")
        self.tile_revenue.set_value(fmt_number(revenue / 1e6, lang, 1) if has else "—")
        self.tile_revenue.set_sub(QCoreApplication.translate("ecard", "{0} per visitor").format(
            fmt_vnd(revenue / visitors, lang)) if has and visitors else "")
        best = self.busiest() if has else None
        if best is not None:
            key, n = best
            self.tile_busiest.set_value(fmt_number(n, lang))
            self.tile_busiest.set_sub(short_site((items.get(key) or {}).get("site") or key, 30))
        else:
            self.tile_busiest.set_value("—")
            self.tile_busiest.set_sub("")
        silent = self.silent()
        n = len(silent)
        self.tile_silent.set_value(str(n))
        names = ", ".join(short_site((items.get(k) or {}).get("site") or k, 20) for k in silent)
        self.tile_silent.set_sub(clip(names, 40) if n else QCoreApplication.translate("ecard", "all sites reporting"))
        self.tile_silent.set_abnormal(n)
        self.tile_silent.set_state("alarm" if n else "ok")

    def _last_report_text(self, d: dict) -> str:
        site = self._site(d)
        t, now = site["seen"], self.view.get("now")
        if t is None or now is None:
            return "—"
        text = age_text(now - t)
        if site["silent"]:
            return QCoreApplication.translate("ecard", "silent · {0}").format(text)
        return text

    def _tooltip(self, d: dict) -> list[str]:
        site = self._site(d)
        lines = [str(d.get("site") or ""), str(d.get("site_id") or ""),
                 QCoreApplication.translate("ecard", "Period: {0}").format(d.get("period") or ""),
                 QCoreApplication.translate("ecard", "This period: {0} used of {1} issued").format(
                     fmt_number(d.get("used"), self.lang), fmt_number(d.get("issued"), self.lang)),
                 QCoreApplication.translate("ecard", "Today: {0} visitors, {1}").format(
                     fmt_number(site["visitors"], self.lang), fmt_vnd(site["revenue"], self.lang))]
        if d.get("updated"):
            lines.append(QCoreApplication.translate("ecard", "Last report: {0}").format(local_time(d["updated"], "%d/%m %H:%M:%S")))
        return lines

    def _features(self, key: str, data: dict) -> list[dict]:
        if data.get("lat") is None or data.get("long") is None:
            return []
        site = self._sites().get(key) or _NO_SITE
        silent = site["silent"]
        name = data.get("site") or key
        return [{
            "key": key, "kind": "point", "lat": data["lat"], "lon": data["long"],
            "radius": 6 + min(22.0, math.sqrt(max(site["visitors"], 0)) / 3.0),
            "fill": STALE if silent else SITE_COLOR, "color": ALARM if silent else "#ffffff",
            "weight": 3 if silent else 1.5, "fill_opacity": 0.8,
            "title": QCoreApplication.translate("ecard", "{0}: {1} visitors today").format(name, fmt_number(site["visitors"], self.lang)),
            "fields": [[QCoreApplication.translate("ecard", "This hour"), fmt_number(site["now_used"], self.lang)],
                       [QCoreApplication.translate("ecard", "Revenue today"), fmt_vnd(site["revenue"], self.lang)],
                       [QCoreApplication.translate("ecard", "Last report"), local_time(data.get("updated"), "%H:%M:%S")
                        + (" — " + QCoreApplication.translate("ecard", "silent") if silent else "")]],
        }]

    def update_trend(self) -> None:
        """Re-plot the busiest sites' hourly visitors from the view's points (cheap: a
        day is 24 points a site)."""
        items = self.model.items()
        trend = [(k, points) for k, points in (self.view.get("trend") or ())][:TOP_SITES]
        top = [k for k, _ in trend]
        for key in [k for k in self.trend_names if k not in top]:
            self.trend.remove_series(self.trend_names.pop(key))
            self.trend_buffers.pop(key, None)
        used_names = set(self.trend_names.values())
        for key, points in trend:
            if key not in self.trend_names:
                name = trend_label((items.get(key) or {}).get("site") or key)
                if name in used_names:
                    name = f"{name} ({clip(key, 12)})"
                used_names.add(name)
                buf = self.trend_buffers[key] = SeriesBuffer(64)
                color = next((c for c in TREND_COLORS if c not in
                              {s.color for s in self.trend._series.values()}), TREND_COLORS[0])
                self.trend.add_series(name, buf, color)
                self.trend_names[key] = name
            ts = [float(p[0]) for p in points]
            vs = [float(p[1]) for p in points]
            buf = self.trend_buffers[key]
            if len(buf) != len(ts) or buf.last() != ((ts[-1], vs[-1]) if ts else None):
                buf.clear()
                if ts:
                    buf.extend(ts, vs)
                self.trend.mark_dirty(self.trend_names[key])

    def kpis(self) -> list[Kpi]:
        items = self.model.items()
        if not items or not self.view:
            return []
        visitors, _issued, revenue = self.totals()
        silent = self.silent()
        names = ", ".join(clip((items.get(k) or {}).get("site") or k, 40) for k in silent)
        return [Kpi(QCoreApplication.translate("ecard", "visitors today"), fmt_number(visitors, self.lang), abnormal=len(silent),
                    tooltip=QCoreApplication.translate("ecard", "silent validators: {0}").format(names or "—")),
                Kpi(QCoreApplication.translate("ecard", "revenue"), fmt_vnd(revenue, self.lang))]

    def select(self, topic, key):
        self.table.select_key(key)
        self.layer.select(key)
