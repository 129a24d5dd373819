"""The press GUI, a view over :class:`plugins.press.model.PressModel`: the news feed
(newest first, a window onto SQL over the cache), the rolling sentiment summary (last
hour, per topic) and the negative-spike line.

Every figure (today, last hour, per topic, the spike) comes from the model's view
(:meth:`PressGui.on_view`), computed off the GUI thread by the situation layer; the
spike alarm is the rule ``press.negative_spike`` (:mod:`plugins.press.rules`), which
reaches the wall's banner through the core.  The feed list is a window onto SQL,
refreshed when batches come in.

Press items have no place: no map layer.  Item URLs are shown as text (selectable, so
an operator can copy one) and are never opened by the app.
"""
from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.store.batch import CommittedBatch
from widgets.count_strip import CountStrip
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.plugin_gui import Kpi, Panel, PluginGui
from widgets.sql_table import SqlColumn, SqlPagedModel
from widgets.text import clip, local_time
from widgets.theme import STATE_COLORS, SURFACE_ALT, TEXT_MUTED
from widgets.wall_style import wall_columns, wall_hidden

from .rules import SPIKE_KEY
from .schema import TOPIC, TOPIC_LABELS, tone_of


TONE_LABELS = {
    "negative": QT_TRANSLATE_NOOP("press", "negative"),
    "leaning_negative": QT_TRANSLATE_NOOP("press", "leaning negative"),
    "neutral": QT_TRANSLATE_NOOP("press", "neutral"),
    "positive": QT_TRANSLATE_NOOP("press", "positive"),
}
# a marker and a colour per tone: the text says it too, the colour only helps
TONE_MARKS = {"negative": "▼", "leaning_negative": "▽", "neutral": "●", "positive": "▲"}
TONE_COLORS = {"negative": STATE_COLORS["alarm"], "leaning_negative": STATE_COLORS["warn"],
               "neutral": TEXT_MUTED, "positive": STATE_COLORS["ok"]}


def topic_label(topic: str | None) -> str:
    if topic in TOPIC_LABELS:
        return QCoreApplication.translate("press", TOPIC_LABELS[topic])
    return clip(topic, 40)


def signed(value: float) -> str:
    """+0.42 / −0.72 (a true minus sign: readable from afar)."""
    return f"{'−' if value < 0 else '+'}{abs(value):.2f}"


def sentiment_text(value) -> str:
    """``▼ −0.72 negative``: marker, signed value and tone in words."""
    if not isinstance(value, (int, float)):
        return ""
    tone = tone_of(value)
    return f"{TONE_MARKS[tone]} {signed(value)} {QCoreApplication.translate('press', TONE_LABELS[tone])}"


def sentiment_color(value) -> str | None:
    return TONE_COLORS[tone_of(value)] if isinstance(value, (int, float)) else None


def percent(share: float) -> str:
    return f"{round(share * 100):d} %"


def spike_text(spike: dict) -> str:
    """The panel's spike line from the view's ``spike`` entry."""
    if not spike:
        return ""
    negative, total = spike.get("negative", 0), spike.get("total", 0)
    minutes = spike.get("window_min", 0)
    if spike.get("active"):
        return QCoreApplication.translate("press", "▲ NEGATIVE SPIKE: {0} of {1} items negative in the last {2} min"
                                          " (most: {3})").format(negative, total, minutes,
                                                                 topic_label(spike.get("top_topic")))
    return QCoreApplication.translate("press", "No negative spike: {0} of {1} items negative in the last {2} min").format(
        negative, total, minutes)


class TopicSummary(KeyedTableView):
    """Per topic, over the last hour: items, negative items and share, mean sentiment."""

    def __init__(self, parent=None):
        model = KeyedTableModel([
            Column(QCoreApplication.translate("press", "Topic"), lambda d: topic_label(d["topic"])),
            Column(QCoreApplication.translate("press", "Items"), lambda d: d["items"], align_right=True),
            Column(QCoreApplication.translate("press", "Negative"), lambda d: f"{d['negative']} ({percent(d['negative'] / d['items'])})"
                   if d["items"] else "0", sort=lambda d: d["negative"], align_right=True,
                   color=lambda d: STATE_COLORS["alarm"] if d["negative"] else None),
            Column(QCoreApplication.translate("press", "Mean sentiment"), lambda d: sentiment_text(d["mean"]), sort=lambda d: d["mean"],
                   color=lambda d: sentiment_color(d["mean"])),
        ])
        super().__init__(model, parent)
        self.setObjectName("pressTopics")
        self.sortByColumn(1, QtCore.Qt.SortOrder.DescendingOrder)
        self.verticalHeader().setDefaultSectionSize(26)
        self.setMinimumHeight(26 * 5 + 34)      # five topics without scrolling
        self.setColumnWidth(0, 210)
        self.setColumnWidth(1, 80)
        self.setColumnWidth(2, 110)

    def set_rows(self, rows: dict[str, dict]) -> None:
        model = self.source
        gone = [k for k in model.items() if k not in rows]
        model.apply(rows, gone)


class PressPanel(QtWidgets.QWidget):
    """The operator's press panel (see the module docstring)."""

    def __init__(self, run_read, parent=None):
        super().__init__(parent)
        self.setObjectName("pressPanel")
        self.spike = QtWidgets.QLabel(objectName="pressSpike")
        self.spike.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.spike.setWordWrap(True)
        font = self.spike.font()
        font.setPointSize(15)
        font.setBold(True)
        self.spike.setFont(font)
        self.counts = CountStrip()
        self.counts.add("hour", self.tr("Items · last hour"), STATE_COLORS["info"])
        self.counts.add("negative", self.tr("Negative · last hour"), STATE_COLORS["alarm"])
        self.counts.add("positive", self.tr("Positive · last hour"), STATE_COLORS["ok"])
        self.topic_summary = TopicSummary()
        columns = [
            SqlColumn(self.tr("Published"), "published", display=lambda v, r: local_time(v, "%H:%M %d/%m")),
            SqlColumn(self.tr("Sentiment"), "sentiment", display=lambda v, r: sentiment_text(v),
                      color=lambda v, r: sentiment_color(v),
                      bold=lambda v, r: isinstance(v, (int, float)) and tone_of(v) == "negative"),
            SqlColumn(self.tr("Headline"), "title", display=lambda v, r: clip(v, 140)),
            SqlColumn(QCoreApplication.translate("press", "Topic"), "topic", display=lambda v, r: topic_label(v)),
            SqlColumn(self.tr("Source"), "source", display=lambda v, r: clip(v, 40)),
            SqlColumn(self.tr("Interactions"), "interactions",
                      display=lambda v, r: "" if v is None else str(v)),
            SqlColumn(self.tr("Link"), "url", display=lambda v, r: clip(v, 200)),
        ]
        self.model = SqlPagedModel(run_read, TOPIC, columns, order_by="published DESC, key DESC",
                                   tooltip_of=lambda r: [str(r.get("c2") or ""), str(r.get("c4") or ""),
                                                         str(r.get("c6") or "")],
                                   parent=self)
        self.feed = QtWidgets.QTableView(objectName="pressFeed")
        self.feed.setModel(self.model)
        self.feed.setSelectionBehavior(QtWidgets.QAbstractItemView.SelectionBehavior.SelectRows)
        self.feed.setSelectionMode(QtWidgets.QAbstractItemView.SelectionMode.SingleSelection)
        self.feed.setEditTriggers(QtWidgets.QAbstractItemView.EditTrigger.NoEditTriggers)
        self.feed.setAlternatingRowColors(True)
        self.feed.verticalHeader().setVisible(False)
        self.feed.verticalHeader().setDefaultSectionSize(28)
        self.feed.horizontalHeader().setStretchLastSection(True)
        self.feed.setWordWrap(False)
        for col, width in enumerate((105, 215, 460, 190, 170, 100)):
            self.feed.setColumnWidth(col, width)
        self.feed.selectionModel().currentRowChanged.connect(self._row_changed)
        # the selected item in full; the link is text to copy, never opened by the app
        self.detail = QtWidgets.QLabel(objectName="pressDetail")
        self.detail.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self.detail.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setWordWrap(True)
        self.detail.setStyleSheet(f"color: {TEXT_MUTED};")
        self.title = QtWidgets.QLabel(self.tr("Newest items"), objectName="pressFeedTitle")
        self.title.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        splitter = QtWidgets.QSplitter(QtCore.Qt.Orientation.Vertical)
        top = QtWidgets.QWidget()
        top_layout = QtWidgets.QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.topic_summary)
        bottom = QtWidgets.QWidget()
        bottom_layout = QtWidgets.QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.title)
        bottom_layout.addWidget(self.feed, 1)
        bottom_layout.addWidget(self.detail)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.spike)
        layout.addWidget(self.counts)
        layout.addWidget(splitter, 1)
        self.selected_key: str | None = None
        self.set_spike(False, "")

    def set_spike(self, active: bool, text: str) -> None:
        self.spike.setText(text)
        if active:
            self.spike.setStyleSheet(f"background: {STATE_COLORS['alarm']}; color: #ffffff;"
                                     " padding: 6px 10px; border-radius: 6px;")
        else:
            self.spike.setStyleSheet(f"background: {SURFACE_ALT}; color: {TEXT_MUTED};"
                                     " padding: 6px 10px; border-radius: 6px;")
        self.spike.setProperty("active", active)

    def _row_changed(self, current, _previous) -> None:
        row = self.model.row_data(current.row()) if current.isValid() else None
        if not row:
            return
        self.selected_key = row["k"]
        self.detail.setText(" · ".join(str(x) for x in (
            local_time(row.get("c0"), "%H:%M %d/%m/%Y"), row.get("c4") or "", row.get("c2") or "",
            row.get("c6") or "") if x))

    def select_key(self, key: str) -> None:
        """Select ``key`` in the feed (found in SQL: it may be below the rows on screen)."""
        self.selected_key = key

        def go(row):
            if row is None or key != self.selected_key:
                return
            self.feed.selectRow(row)
            self.feed.scrollTo(self.model.index(row, 0))

        self.model.find_row(key, go)

    def show_newest(self) -> None:
        self.feed.scrollToTop()


class PressGui(PluginGui):
    """The press panel as a view of the model's view (see the module docstring)."""

    topics = (TOPIC,)

    def __init__(self, plugin, context):
        super().__init__()
        self.panel = PressPanel(context.run_read)
        # the wall: the spike, the counts and the newest headlines (time, sentiment,
        # headline); the per-topic table and the selected item's details stay on the console
        wall_columns(self.panel.feed, (0, 1, 2), stretch=2)
        wall_hidden(self.panel.topic_summary.parentWidget(), self.panel.detail)
        self.panels = [Panel("feed", QCoreApplication.translate("press", "Press monitoring"), self.panel,
                             QtCore.Qt.DockWidgetArea.LeftDockWidgetArea, tabbed=True)]
        self._refresh = QtCore.QTimer(self.panel, singleShot=True, interval=300)
        self._refresh.timeout.connect(self.panel.model.refresh)

    # -------------------------------------------------------------- the feed (data)
    def on_reset(self, state):
        if TOPIC in state:
            self.panel.model.refresh()

    def on_batch(self, batch: CommittedBatch):
        if TOPIC in batch.topics and not self._refresh.isActive():
            self._refresh.start()

    # -------------------------------------------------------------- the model's view
    def on_view(self, view: dict[str, Any], changed: set[str]) -> None:
        p = self.panel
        hour = view.get("hour") or {}
        spike = view.get("spike") or {}
        total = hour.get("total", 0)
        if changed & {"hour", "today", "spike"}:
            p.counts.set("hour", str(total),
                         sub=QCoreApplication.translate("press", "{0} today").format(view.get("today", 0)))
            p.counts.set("negative", percent(hour.get("share", 0.0)),
                         sub=QCoreApplication.translate("press", "{0} of {1} items").format(hour.get("negative", 0), total),
                         active=bool(spike.get("active")))
            p.counts.set("positive", percent(hour.get("positive_share", 0.0)),
                         sub=QCoreApplication.translate("press", "{0} of {1} items").format(hour.get("positive", 0), total))
        if "topics" in changed:
            p.topic_summary.set_rows({topic: {"topic": topic, **row}
                                      for topic, row in (view.get("topics") or {}).items()})
        if "spike" in changed:
            p.set_spike(bool(spike.get("active")), spike_text(spike))

    # -------------------------------------------------------------- overview
    def kpis(self) -> list[Kpi]:
        view = self.view
        if not view:
            return []
        hour = view.get("hour") or {}
        spike = view.get("spike") or {}
        spiking = spike.get("negative", 0) if spike.get("active") else 0
        return [Kpi(QCoreApplication.translate("press", "items today"), str(view.get("today", 0))),
                Kpi(QCoreApplication.translate("press", "last hour"), str(hour.get("total", 0))),
                Kpi(QCoreApplication.translate("press", "negative"), percent(hour.get("share", 0.0)), abnormal=spiking,
                    tooltip=QCoreApplication.translate("press", "share of items with sentiment ≤ −0.5 in the last hour; "
                                        "the badge counts the negative items of a spike"))]

    def select(self, topic, key):
        if key == SPIKE_KEY:
            self.panel.show_newest()
        else:
            self.panel.select_key(key)
