"""The e-ticket GUI: today's visitors, revenue, busiest site and silent validators as
tiles; a per-site table; visitors per hour of the busiest sites; the sites on the map
(sized by today's visitors).

Today's figures are sums over the day's periods: the state holds only each site's
newest period, so at start the GUI reads the day's earlier periods back from the
cache's events log (the newest record of each site and period), then keeps every
event it is handed (a period's last tally counts even when a later one followed it in
the same batch).  "Today" is the local date of the newest period seen (not the PC's
clock: an old cache reviewed offline shows its own day), leaving out periods that
start more than an hour after the PC's clock (a validator with a wrong clock).

A site is **silent** when its newest report (``updated``; else the time the client got
it) is more than :data:`SILENT_AFTER_S` older than the newest report of any site:
its validator stopped while the others go on (when the whole feed stops, the topic
goes stale instead).  Silent sites are the *abnormal* items: a red badge, a grey
marker with a red ring, a red "last report" cell and a medium banner alarm, cleared
when the site reports again.

The trend plots, for the three sites with most visitors today, the visitors of each
finished hour (at the hour's middle) and, for the hour under way once 15 minutes of it
have been counted, the rate so far (visitors × 3600 / seconds counted) at the time of
the newest report; day-period feeds have no hourly trend.
"""
from __future__ import annotations

import json
import math
import re
import time

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.figures import fmt_number, fmt_vnd
from ioc_desktop.interop import VN_TZ
from ioc_desktop.series import SeriesBuffer
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.map_layer import MapLayer
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.services_overview import ServiceTile
from widgets.text import age_text, clip, local_time, parse_time
from widgets.theme import ALARM, STALE
from widgets.timeseries_plot import TimeSeriesPlot

from .schema import DAY, HOUR, TOPIC, parse_period

SILENT_AFTER_S = 300.0
TOP_SITES = 3
RATE_AFTER_S = 900.0          # the hour under way is plotted once this much of it is counted
HISTORY_EVENTS = 200_000      # events read back (newest first) for today's earlier periods
KEEP_S = 2 * 86400.0          # periods kept in memory
TREND_COLORS = ("#4aa3ff", "#2fd07a", "#c77dff")
SITE_COLOR = "#8e44ad"
TABLE_PT = 13
#: Leading words dropped from a site's name in the trend's tags ("Lăng" = tomb, …).
GENERIC_PREFIXES = ("Lăng ", "Chùa ", "Cung ", "Đền ", "Điện ", "Bảo tàng ")
_PAREN = re.compile(r"\s*\([^)]*\)\s*$")
_UTC_OFFSET_S = 7 * 3600


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


class _Period:
    """A period text parsed once: kind, start/end (epoch), local date."""

    __slots__ = ("kind", "t0", "t1", "date")

    def __init__(self, text: str):
        self.kind, start = parse_period(text)
        self.t0 = start.timestamp()
        self.t1 = self.t0 + (86400.0 if self.kind == DAY else 3600.0)
        self.date = text if self.kind == DAY else start.astimezone(VN_TZ).date().isoformat()


class _SiteToday:
    __slots__ = ("visitors", "issued", "revenue", "now_used")

    def __init__(self):
        self.visitors = self.issued = 0
        self.revenue = 0.0
        self.now_used: int | None = None     # the site's newest period, if it is an hour


class EcardGui(PluginGui):
    topics = (TOPIC,)
    def __init__(self, plugin, context):
        super().__init__()
        self.context = context
        self.lang = context.lang
        self.banner = context.banner
        self.periods: dict[str, dict[str, dict]] = {}     # site -> period text -> newest data
        self.seen: dict[str, float] = {}                   # site -> epoch of its newest report
        self.today_of: dict[str, _SiteToday] = {}
        self.today: str | None = None
        self.silent: set[str] = set()
        self._pcache: dict[str, _Period | None] = {}
        self._trend_dirty = True
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
                   color=lambda d: STALE if d.get("site_id") in self.silent else None),
            Column(QCoreApplication.translate("ecard", "Visitors"), lambda d: fmt_number(self._today(d).visitors, lang),
                   sort=lambda d: self._today(d).visitors, align_right=True),
            Column(QCoreApplication.translate("ecard", "Last report"), self._last_report_text,
                   sort=lambda d: self.seen.get(d.get("site_id"), 0.0),
                   color=lambda d: ALARM if d.get("site_id") in self.silent else None),
            Column(QCoreApplication.translate("ecard", "This hour"), lambda d: fmt_number(self._today(d).now_used, lang),
                   sort=lambda d: -1 if self._today(d).now_used is None else self._today(d).now_used,
                   align_right=True),
            Column(QCoreApplication.translate("ecard", "Issued"), lambda d: fmt_number(self._today(d).issued, lang),
                   sort=lambda d: self._today(d).issued, align_right=True),
            Column(QCoreApplication.translate("ecard", "Revenue"), lambda d: fmt_vnd(self._today(d).revenue, lang),
                   sort=lambda d: self._today(d).revenue, align_right=True),
        ], tooltip_of=self._tooltip)
        self.table = KeyedTableView(self.model)
        font = self.table.font()
        font.setPointSize(TABLE_PT)
        self.table.setFont(font)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QtWidgets.QHeaderView.ResizeMode.Interactive)
        self.table.setColumnWidth(0, 210)
        for col in range(1, len(self.model.columns)):
            header.setSectionResizeMode(col, QtWidgets.QHeaderView.ResizeMode.ResizeToContents)
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
        self.panels = [Panel("sites", QCoreApplication.translate("ecard", "E-tickets"), self.widget,
                             QtCore.Qt.DockWidgetArea.RightDockWidgetArea, tabbed=True)]

        self.layer = MapLayer(context.map, TOPIC, QCoreApplication.translate("ecard", "Ticket sites"), self._features, z=30)
        self._timer = QtCore.QTimer(self.widget, interval=2000)   # ages, silences, the trend
        self._timer.timeout.connect(self._tick)
        self._timer.start()
        self._update_tiles()

    # -------------------------------------------------------------- bookkeeping
    def _period(self, text) -> _Period | None:
        p = self._pcache.get(text)
        if p is None and text not in self._pcache:
            try:
                p = _Period(text)
            except (TypeError, ValueError):
                p = None
            if len(self._pcache) > 10_000:
                self._pcache.clear()
            self._pcache[text] = p
        return p

    def _ingest(self, key: str, data: dict, *, only_newer: bool = False) -> None:
        """Keep ``data`` as the newest tally of its (site, period)."""
        period = data.get("period")
        if self._period(period) is None:
            return
        per = self.periods.setdefault(key, {})
        if only_newer and period in per:
            have = parse_time(per[period].get("updated"))
            new = parse_time(data.get("updated"))
            if have is not None and (new is None or new <= have):
                return
        per[period] = data
        t = parse_time(data.get("updated"))
        if not only_newer or t is not None:
            t = t if t is not None else time.time()
            if t > self.seen.get(key, 0.0):
                self.seen[key] = t

    def _today(self, d: dict) -> _SiteToday:
        return self.today_of.get(d.get("site_id")) or _SiteToday()

    def _recompute(self, keys=None) -> None:
        """Today's sums for ``keys`` (all sites when None or when the day changed)."""
        starts = [p.t0 for per in self.periods.values() for p in map(self._period, per) if p]
        # a period starting later than the PC's clock allows (a validator with a wrong
        # clock) does not decide which day is today
        limit = time.time() + 3600.0
        plausible = [t for t in starts if t <= limit]
        newest = max(plausible or starts) if starts else None
        today = None if newest is None else time.strftime(
            "%Y-%m-%d", time.gmtime(newest + _UTC_OFFSET_S))
        if today != self.today:
            self.today = today
            keys = None
            if newest is not None:   # forget what is too old to matter
                for per in self.periods.values():
                    for text in [t for t in per if (self._period(t).t1 < newest - KEEP_S)]:
                        del per[text]
        for key in (self.periods if keys is None else keys):
            per = self.periods.get(key)
            if per is None:
                self.today_of.pop(key, None)
                continue
            agg = _SiteToday()
            latest, latest_t0 = None, -math.inf
            days = [d for text, d in per.items() if self._period(text).kind == DAY
                    and self._period(text).date == today]
            for text, d in per.items():
                p = self._period(text)
                if p.t0 > latest_t0:
                    latest, latest_t0 = (p, d), p.t0
                if p.date != today or (days and p.kind == HOUR):
                    continue       # a site reporting whole days: its day record counts alone
                agg.visitors += d.get("used", 0)
                agg.issued += d.get("issued", 0)
                agg.revenue += d.get("revenue_vnd", 0.0)
            if latest is not None and latest[0].kind == HOUR:
                agg.now_used = latest[1].get("used")
            self.today_of[key] = agg
        self._trend_dirty = True

    def _check_silent(self) -> set[str]:
        """Update the silent set (and the banner); returns the sites that changed."""
        limit = time.time() + 3600.0        # a validator's clock far ahead decides nothing
        newest = max([t for t in self.seen.values() if t <= limit] or self.seen.values(), default=None)
        silent = set() if newest is None else {
            k for k, t in self.seen.items() if newest - t > SILENT_AFTER_S and k in self.model.items()}
        changed = silent ^ self.silent
        for key in changed:
            d = self.model.item(key) or {}
            if key in silent:
                if self.banner is not None:
                    self.banner.raise_alarm(TOPIC, key, QCoreApplication.translate(
                        "ecard", "{0}: no ticket validator report since {1}").format(
                        clip(d.get("site") or key, 80),
                        time.strftime("%H:%M", time.gmtime(self.seen[key] + _UTC_OFFSET_S))), "medium")
            elif self.banner is not None:
                self.banner.clear(TOPIC, key)
        self.silent = silent
        return changed

    # -------------------------------------------------------------- data
    def on_reset(self, state):
        items = state.get(TOPIC, {})
        # the state is the truth: start over from it (the history read fills in the day)
        self.periods, self.seen, self.today_of, self.today = {}, {}, {}, None
        for key, data in items.items():
            self._ingest(key, data)
        self._recompute()
        self.model.reset(items)
        self._after_change(None)
        run_read = self.context.run_read
        if run_read is not None and items:
            run_read(self._history, self._on_history)

    @staticmethod
    def _history(conn) -> list[tuple[str, str]]:
        """The newest event of each (site, period) among the last events (reader thread)."""
        top = conn.execute("SELECT max(seq) FROM events WHERE topic = ?", (TOPIC,)).fetchone()[0]
        if top is None:
            return []
        return conn.execute(
            "SELECT key, data FROM events WHERE topic = ? AND seq IN ("
            " SELECT max(seq) FROM events WHERE topic = ? AND op = 'upsert' AND seq > ?"
            " GROUP BY key, json_extract(data, '$.period'))",
            (TOPIC, TOPIC, top - HISTORY_EVENTS)).fetchall()

    def _on_history(self, rows) -> None:
        if not rows:
            return   # nothing, or the read failed (logged): today's sums fill from live data
        items = self.model.items()
        for key, text in rows:
            if key in items:
                try:
                    self._ingest(key, json.loads(text), only_newer=True)
                except (TypeError, ValueError):
                    continue
        self._recompute()
        self.model.refresh_all()
        self._after_change(None)

    def on_changes(self, topic, ch):
        for ev in ch.events:       # every tally: a period's last one may not be the newest
            if ev.op == "upsert":
                self._ingest(ev.key, ev.data)
        for key in ch.deletes:
            self.periods.pop(key, None)
            self.seen.pop(key, None)
        self._recompute(set(ch.upserts) | set(ch.deletes))
        self.model.apply(ch.upserts, ch.deletes)
        self._after_change(ch)

    def _after_change(self, ch) -> None:
        changed = self._check_silent()
        items = self.model.items()
        if ch is None:
            self.layer.reset(items)
        else:
            touched = {k: items[k] for k in set(ch.upserts) | changed if k in items}
            self.layer.update(touched, ch.deletes)
        self._update_tiles()

    def _tick(self) -> None:
        changed = self._check_silent()
        if changed:
            items = self.model.items()
            self.layer.update({k: items[k] for k in changed if k in items})
        self.model.refresh_all()          # "last report" ages move with time
        self._update_tiles()
        if self._trend_dirty:
            self.update_trend()

    # -------------------------------------------------------------- views
    def totals(self) -> tuple[int, int, float]:
        """Today's ``(visitors, issued, revenue)`` over every site."""
        aggs = [self.today_of[k] for k in self.model.items() if k in self.today_of]
        return (sum(a.visitors for a in aggs), sum(a.issued for a in aggs), sum(a.revenue for a in aggs))

    def busiest(self) -> tuple[str, int] | None:
        best = max(((k, a.visitors) for k, a in self.today_of.items() if k in self.model.items()),
                   key=lambda kv: (kv[1], kv[0]), default=None)
        return best

    def _update_tiles(self) -> None:
        lang = self.lang
        items = self.model.items()
        visitors, issued, revenue = self.totals()
        has = bool(items)
        self.tile_visitors.set_value(fmt_number(visitors, lang) if has else "—")
        self.tile_visitors.set_sub(QCoreApplication.translate("ecard", "{0} tickets issued").format(
            fmt_number(issued, lang)) if has else "")
        self.tile_revenue.set_value(fmt_number(revenue / 1e6, lang, 1) if has else "—")
        self.tile_revenue.set_sub(QCoreApplication.translate("ecard", "{0} per visitor").format(
            fmt_vnd(revenue / visitors, lang)) if visitors else "")
        best = self.busiest()
        if best is not None:
            key, n = best
            self.tile_busiest.set_value(fmt_number(n, lang))
            self.tile_busiest.set_sub(short_site((items.get(key) or {}).get("site") or key, 30))
        else:
            self.tile_busiest.set_value("—")
            self.tile_busiest.set_sub("")
        n = len(self.silent)
        self.tile_silent.set_value(str(n))
        names = ", ".join(short_site((items.get(k) or {}).get("site") or k, 20) for k in sorted(self.silent))
        self.tile_silent.set_sub(clip(names, 40) if n else QCoreApplication.translate("ecard", "all sites reporting"))
        self.tile_silent.set_abnormal(n)
        self.tile_silent.set_state("alarm" if n else "ok")

    def _last_report_text(self, d: dict) -> str:
        t = self.seen.get(d.get("site_id"))
        if t is None:
            return "—"
        text = age_text(time.time() - t)
        if d.get("site_id") in self.silent:
            return QCoreApplication.translate("ecard", "silent · {0}").format(text)
        return text

    def _tooltip(self, d: dict) -> list[str]:
        agg = self._today(d)
        lines = [str(d.get("site") or ""), str(d.get("site_id") or ""),
                 QCoreApplication.translate("ecard", "Period: {0}").format(d.get("period") or ""),
                 QCoreApplication.translate("ecard", "This period: {0} used of {1} issued").format(
                     fmt_number(d.get("used"), self.lang), fmt_number(d.get("issued"), self.lang)),
                 QCoreApplication.translate("ecard", "Today: {0} visitors, {1}").format(
                     fmt_number(agg.visitors, self.lang), fmt_vnd(agg.revenue, self.lang))]
        if d.get("updated"):
            lines.append(QCoreApplication.translate("ecard", "Last report: {0}").format(local_time(d["updated"], "%d/%m %H:%M:%S")))
        return lines

    def _features(self, key: str, data: dict) -> list[dict]:
        if data.get("lat") is None or data.get("long") is None:
            return []
        agg = self.today_of.get(key) or _SiteToday()
        silent = key in self.silent
        name = data.get("site") or key
        return [{
            "key": key, "kind": "point", "lat": data["lat"], "lon": data["long"],
            "radius": 6 + min(22.0, math.sqrt(max(agg.visitors, 0)) / 3.0),
            "fill": STALE if silent else SITE_COLOR, "color": ALARM if silent else "#ffffff",
            "weight": 3 if silent else 1.5, "fill_opacity": 0.8,
            "title": QCoreApplication.translate("ecard", "{0}: {1} visitors today").format(name, fmt_number(agg.visitors, self.lang)),
            "fields": [[QCoreApplication.translate("ecard", "This hour"), fmt_number(agg.now_used, self.lang)],
                       [QCoreApplication.translate("ecard", "Revenue today"), fmt_vnd(agg.revenue, self.lang)],
                       [QCoreApplication.translate("ecard", "Last report"), local_time(data.get("updated"), "%H:%M:%S")
                        + (" — " + QCoreApplication.translate("ecard", "silent") if silent else "")]],
        }]

    def update_trend(self) -> None:
        """Re-plot the busiest sites' hourly visitors (cheap: a day is 24 points a site)."""
        self._trend_dirty = False
        items = self.model.items()
        ranked = sorted(((a.visitors, k) for k, a in self.today_of.items() if k in items and a.visitors),
                        reverse=True)[:TOP_SITES]
        top = [k for _, k in ranked]
        for key in [k for k in self.trend_names if k not in top]:
            self.trend.remove_series(self.trend_names.pop(key))
            self.trend_buffers.pop(key, None)
        used_names = set(self.trend_names.values())
        for key in top:
            if key not in self.trend_names:
                name = trend_label(items[key].get("site") or key)
                if name in used_names:
                    name = f"{name} ({clip(key, 12)})"
                used_names.add(name)
                buf = self.trend_buffers[key] = SeriesBuffer(64)
                color = next((c for c in TREND_COLORS if c not in
                              {s.color for s in self.trend._series.values()}), TREND_COLORS[0])
                self.trend.add_series(name, buf, color)
                self.trend_names[key] = name
            ts, vs = self._hourly(key)
            buf = self.trend_buffers[key]
            if len(buf) != len(ts) or buf.last() != ((ts[-1], vs[-1]) if ts else None):
                buf.clear()
                if ts:
                    buf.extend(ts, vs)
                self.trend.mark_dirty(self.trend_names[key])

    def _hourly(self, key: str) -> tuple[list[float], list[float]]:
        per = self.periods.get(key, {})
        points = []
        last_seen = self.seen.get(key)
        for text, d in per.items():
            p = self._period(text)
            if p.kind != HOUR or p.date != self.today:
                continue
            counted = (last_seen if last_seen is not None else p.t1) - p.t0
            if counted >= 3600.0 or parse_time(d.get("updated")) is not None and \
                    parse_time(d["updated"]) >= p.t1:
                points.append((p.t0 + 1800.0, float(d.get("used", 0))))
            elif counted >= RATE_AFTER_S:
                points.append((p.t0 + counted, d.get("used", 0) * 3600.0 / counted))
        points.sort()
        return [t for t, _ in points], [v for _, v in points]

    def kpis(self) -> list[Kpi]:
        if not self.model.items():
            return []
        visitors, _issued, revenue = self.totals()
        items = self.model.items()
        names = ", ".join(clip((items.get(k) or {}).get("site") or k, 40) for k in sorted(self.silent))
        return [Kpi(QCoreApplication.translate("ecard", "visitors today"), fmt_number(visitors, self.lang), abnormal=len(self.silent),
                    tooltip=QCoreApplication.translate("ecard", "silent validators: {0}").format(names or "—")),
                Kpi(QCoreApplication.translate("ecard", "revenue"), fmt_vnd(revenue, self.lang))]

    def select(self, topic, key):
        self.table.select_key(key)
        self.layer.select(key)
