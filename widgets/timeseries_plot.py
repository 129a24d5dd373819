"""Live time-series graph for the wall: curves from SeriesBuffers, threshold lines,
a current-value tag per series, Huế local time on the axis and a STALE state.

Redraws are coalesced: callers append to a :class:`~ioc_desktop.series.SeriesBuffer`
and call :meth:`TimeSeriesPlot.mark_dirty`; a frame timer (at most 5 per second) then
redraws only the series whose ``buffer.version`` changed.  A curve is given only the
visible part of its buffer, decimated by the buffer's min/max pyramid
(:meth:`~ioc_desktop.series.SeriesBuffer.decimate_range`) to about two points per pixel
column of the view (each column's lowest and highest sample), so a week of samples at
1 Hz draws as fast as an hour and a flood crest is never lost; pyqtgraph's own
clip-to-view and downsampling are off (they went over the whole arrays on every change).
The curves are drawn together into one image by numpy (:mod:`widgets.curve_raster`),
not stroked one by one by QPainter; the value tags are painted by one item that keeps
them from overlapping (:mod:`widgets.value_tags`).
"""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from pyqtgraph.graphicsItems.DateAxisItem import (
    DAY_SPACING, MINUTE_SPACING, MONTH_SPACING, SECOND_SPACING, YEAR_SPACING,
)
from PySide6 import QtCore, QtGui, QtWidgets

from ioc_desktop.series import SeriesBuffer
from widgets import theme
from widgets.curve_raster import CurveLayer
from widgets.value_tags import ValueTagLayer

HUE_UTC_OFFSET_HOURS = 7  # Asia/Ho_Chi_Minh: UTC+7 all year, no DST

TITLE_PT = 18
TICK_PT = 14
TAG_PT = 18
THRESHOLD_LABEL_PT = 14
OVERLAY_PT = 30
#: Curve pen widths (px): the console's, and the wall's (read from across the room).
CONSOLE_PEN_WIDTH = 2
WALL_PEN_WIDTH = 3


class LocalDateAxis(pg.DateAxisItem):
    """A date axis in a fixed UTC offset (default Huế, UTC+7), whatever the host's
    time zone, with locale-neutral Vietnamese-style labels (``27/10``, ``14:30``)."""

    def __init__(self, utc_offset_hours: float = HUE_UTC_OFFSET_HOURS, orientation: str = "bottom",
                 **kwargs) -> None:
        # pyqtgraph's utcOffset is seconds *west* of UTC (like time.timezone): UTC+7 → -25200.
        super().__init__(orientation=orientation, utcOffset=-int(round(utc_offset_hours * 3600)),
                         **kwargs)
        self.tz = _dt.timezone(_dt.timedelta(hours=utc_offset_hours))
        # DateAxisItem learns its label sizes only while drawing; the plot's grid
        # (widgets.curve_raster) asks for the ticks first, so know them from the font
        self.fontMetrics = QtGui.QFontMetrics(self.font())

    def setTickFont(self, font: QtGui.QFont | None) -> None:  # noqa: N802 (pyqtgraph API)
        super().setTickFont(font)
        self.fontMetrics = QtGui.QFontMetrics(font or self.font())

    @staticmethod
    def format_for_spacing(spacing: float) -> str:
        if spacing >= YEAR_SPACING:
            return "%Y"
        if spacing >= MONTH_SPACING:
            return "%m/%Y"
        if spacing >= DAY_SPACING:
            return "%d/%m"
        if spacing >= MINUTE_SPACING:
            return "%H:%M"
        if spacing >= SECOND_SPACING:
            return "%H:%M:%S"
        return "%S.%f"

    def tickStrings(self, values, scale, spacing):  # noqa: N802 (pyqtgraph API)
        fmt = self.format_for_spacing(spacing)
        out = []
        for value in values:
            try:
                text = _dt.datetime.fromtimestamp(value, self.tz).strftime(fmt)
            except (OverflowError, OSError, ValueError):
                text = ""
            out.append(text[:-3] if fmt.endswith("%f") else text)  # ms precision
        return out


@dataclass
class _Series:
    name: str
    buffer: SeriesBuffer
    color: str
    drawn_version: int = -1
    first: tuple[float, float] | None = None   # the buffer's oldest and newest samples
    last: tuple[float, float] | None = None
    drawn_key: tuple | None = None             # what the curve was given (version, range, columns)


class TimeSeriesPlot(QtWidgets.QWidget):
    """A titled graph of one or more series sharing a unit.

    ``title`` and ``unit`` are shown as given (translate them before).  The x axis is
    epoch seconds shown in Huế local time.  Threshold levels are upper limits, ranked
    by value: the lowest is yellow, then orange, then red.
    """

    FRAME_MS = 200  # at most 5 redraws per second

    def __init__(self, title: str, unit: str, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self._unit = unit
        self._series: dict[str, _Series] = {}
        self._thresholds: list[tuple[str, float, str, pg.InfiniteLine]] = []
        self._window: float | None = None
        self._end: float | None = None    # set_end_time: the window's end (review), None: live
        self._stale = False
        self._stale_text: str | None = None  # None: use the translated default
        self._ranges_dirty = True
        self.decimals = 2
        self.show_next_threshold = True  # keep the next level above the data in view
        self.show_all_thresholds = False  # keep every level in view (the wall's river graphs)
        self._wall = None                 # the wall's style (set_wall_style), None: console
        self.redraw_count = 0  # frames that redrew at least one curve (for tests/profiling)
        self.setProperty("stale", "false")
        # Dark even without the app theme: the title colours assume a dark background.
        self.setAutoFillBackground(True)
        pal = self.palette()
        pal.setColor(QtGui.QPalette.ColorRole.Window, QtGui.QColor(theme.BACKGROUND))
        self.setPalette(pal)

        self._title = QtWidgets.QLabel(title, self)
        self._title.setObjectName("plotTitle")
        self._title.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        font = self._title.font()
        font.setPointSize(TITLE_PT)
        font.setBold(True)
        self._title.setFont(font)
        self._set_label_color(self._title, theme.TEXT)

        self._axis = LocalDateAxis()
        # no context menu: not built at all (the view box's menu was ~2.5 ms of each
        # graph made at start-up)
        self._plot = pg.PlotWidget(parent=self, background=theme.BACKGROUND,
                                   axisItems={"bottom": self._axis}, enableMenu=False)
        item = self._plot.getPlotItem()
        item.setMenuEnabled(False)
        item.hideButtons()
        # A wall graph is watched, not handled; ranges are driven by the data.
        item.setMouseEnabled(x=False, y=False)
        tick_font = QtGui.QFont(self.font())
        tick_font.setPointSize(TICK_PT)
        for name in ("bottom", "left"):
            axis = item.getAxis(name)
            axis.setTickFont(tick_font)
            axis.setPen(pg.mkPen(theme.TEXT_MUTED))
            axis.setTextPen(pg.mkPen(theme.TEXT))
            axis.enableAutoSIPrefix(False)  # "m" must not become "mm"
        item.getAxis("left").setWidth(80)
        item.setLabel("left", unit, **{"font-size": f"{TICK_PT}pt", "color": theme.TEXT})
        # all curves in one layer, drawn by numpy (widgets.curve_raster): QPainter's
        # strokes of ~2 points a pixel column cost 1.5–4 ms a curve in software rendering
        self._curves = CurveLayer()
        item.addItem(self._curves, ignoreBounds=True)
        self._curves.set_grid(item.getAxis("bottom"), item.getAxis("left"), alpha=0.25)
        # every series' value tag, painted by one item (widgets.value_tags)
        tag_font = QtGui.QFont(self.font())
        tag_font.setPointSize(TAG_PT)
        tag_font.setBold(True)
        self._tags = ValueTagLayer(tag_font)
        item.addItem(self._tags, ignoreBounds=True)

        self._overlay = QtWidgets.QLabel(self)
        self._overlay.setObjectName("plotOverlay")
        self._overlay.setAlignment(QtCore.Qt.AlignmentFlag.AlignCenter)
        self._overlay.setTextFormat(QtCore.Qt.TextFormat.PlainText)
        self._overlay.setAttribute(QtCore.Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        font = self._overlay.font()
        font.setPointSize(OVERLAY_PT)
        font.setBold(True)
        self._overlay.setFont(font)
        self._overlay.hide()

        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.setSpacing(2)
        layout.addWidget(self._title)
        layout.addWidget(self._plot, 1)

        self._timer = QtCore.QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.FRAME_MS)
        self._timer.timeout.connect(self._on_frame)
        item.getViewBox().sigResized.connect(self._on_view_resized)
        self._update_overlay()

    # ------------------------------------------------------------------ public API
    @property
    def plot_widget(self) -> pg.PlotWidget:
        return self._plot

    def curve_data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """The points the curve ``name`` was last given (decimated, visible part)."""
        return self._curves.data(name)

    @property
    def curve_layer(self) -> CurveLayer:
        return self._curves

    @property
    def axis(self) -> LocalDateAxis:
        return self._axis

    def title(self) -> str:
        return self._title.text()

    def set_title(self, title: str) -> None:
        self._title.setText(title)

    def series_names(self) -> list[str]:
        return list(self._series)

    def add_series(self, name: str, buffer: SeriesBuffer, color: str) -> None:
        if name in self._series:
            raise ValueError(f"series {name!r} already added")
        self._curves.add(name, QtGui.QColor(color), self._pen_width())
        self._series[name] = _Series(name, buffer, color)
        self._apply_series_style(self._series[name])
        self.mark_dirty(name)

    def remove_series(self, name: str) -> None:
        s = self._series.pop(name)
        self._curves.remove(name)
        self._tags.remove_tag(s.name)
        self._ranges_dirty = True
        self.mark_dirty()

    def set_thresholds(self, levels: dict[str, float]) -> None:
        """One dashed horizontal line per level, labelled e.g. "BĐ1 1.00 m"."""
        for _, _, _, line in self._thresholds:
            self._plot.removeItem(line)
        self._thresholds = []
        label_font = QtGui.QFont(self.font())
        label_font.setPointSize(THRESHOLD_LABEL_PT)
        label_font.setBold(True)
        if self._wall is not None:
            label_font = self._wall.font(bold=True)
        ranked = sorted(levels.items(), key=lambda kv: float(kv[1]))
        for rank, (name, level) in enumerate(ranked):
            level = float(level)
            color = theme.threshold_color(rank)
            text = f"{name} {level:.{self.decimals}f} {self._unit}".strip()
            line = pg.InfiniteLine(
                pos=level, angle=0, movable=False,
                pen=pg.mkPen(color, width=2, style=QtCore.Qt.PenStyle.DashLine),
                label=text,
                # Left end, text above the line: the value tags live at the right end.
                labelOpts={"position": 0.02, "color": color, "anchors": [(0, 1), (0, 1)],
                           "fill": pg.mkBrush(theme.to_qcolor(theme.BACKGROUND, 200))},
            )
            line.label.setFont(label_font)
            line.setZValue(5)
            self._plot.addItem(line, ignoreBounds=True)
            self._thresholds.append((name, level, color, line))
        self._apply_threshold_style()
        self._ranges_dirty = True
        for s in self._series.values():
            s.drawn_version = -1  # tag colours depend on the levels
        self.mark_dirty()

    def thresholds(self) -> list[tuple[str, float, str]]:
        """``(name, level, colour)`` from the lowest level up."""
        return [(n, lv, c) for n, lv, c, _ in self._thresholds]

    def set_time_window(self, seconds: float | None) -> None:
        """Show the last ``seconds`` up to the newest sample (or the end time set by
        :meth:`set_end_time`), or everything (None)."""
        if seconds is not None and not seconds > 0:
            raise ValueError(f"time window must be > 0 seconds or None, got {seconds!r}")
        self._window = None if seconds is None else float(seconds)
        self._ranges_dirty = True
        self.mark_dirty()

    def time_window(self) -> float | None:
        return self._window

    def set_end_time(self, t: float | None) -> None:
        """End the time window at ``t`` (epoch seconds: in review, the moment shown)
        instead of at the newest sample; None: at the newest sample again (live).  The
        buffers should then hold what was known at ``t``: the value tags show each
        series' newest sample, its value at ``t``.  A sample later than ``t`` (a clock
        ahead of the console's) is never hidden: the window then ends at it."""
        self._end = None if t is None else float(t)
        self._ranges_dirty = True
        self.mark_dirty()

    def end_time(self) -> float | None:
        return self._end

    def mark_dirty(self, name: str | None = None) -> None:
        """Ask for a redraw on the next frame (``name`` only checks it exists: every
        series whose buffer version changed is redrawn, the others are skipped)."""
        if name is not None and name not in self._series:
            raise KeyError(name)
        if not self._timer.isActive():
            self._timer.start()

    def set_stale(self, stale: bool, text: str | None = None) -> None:
        """Grey everything and show ``text`` (default: the translated "STALE") over
        the graph, so nobody takes a frozen graph for a live one."""
        self._stale = bool(stale)
        self._stale_text = text
        self.setProperty("stale", "true" if self._stale else "false")
        self._set_label_color(self._title, theme.STALE if self._stale else theme.TEXT)
        theme.repolish(self._title)
        for s in self._series.values():
            self._apply_series_style(s)
            self._update_tag(s)
        self._apply_threshold_style()
        self._update_overlay()

    def is_stale(self) -> bool:
        return self._stale

    def overlay_text(self) -> str:
        """The text shown over the graph ("" when none)."""
        return self._overlay.text() if not self._overlay.isHidden() else ""

    def current_value_text(self, name: str) -> str:
        self._series[name]           # KeyError for a series not in the graph
        return self._tags.text(name)

    def current_value_color(self, name: str) -> str:
        """The tag's colour as ``#rrggbb`` (a threshold colour once a level is passed)."""
        self._series[name]
        color = self._tags.color(name)
        return color.name() if color is not None else ""

    @property
    def tag_layer(self) -> ValueTagLayer:
        return self._tags

    def redraw_now(self) -> None:
        """Draw pending changes at once instead of waiting for the frame timer."""
        self._timer.stop()
        self._on_frame()

    # ------------------------------------------------------------------ drawing
    def _on_frame(self) -> None:
        changed = False
        for s in self._series.values():
            version = s.buffer.version
            if version == s.drawn_version:
                continue
            s.first, s.last = s.buffer.first(), s.buffer.last()
            s.drawn_version = version
            changed = True
        if changed:
            self.redraw_count += 1
        if changed or self._ranges_dirty:
            self._ranges_dirty = False
            for s in self._series.values():
                self._update_tag(s)
            self._update_ranges()
            self._update_overlay()

    def _visible_x(self) -> tuple[float, float] | None:
        firsts = [s.first[0] for s in self._series.values() if s.last is not None]
        lasts = [s.last[0] for s in self._series.values() if s.last is not None]
        if not lasts:
            return None
        x1 = max(lasts)
        if self._end is not None:
            x1 = max(x1, self._end)     # review: the window ends at the moment shown
        x0 = min(firsts)
        if self._window is not None:
            # The window caps how far back we look; with less history than that, show
            # the history (a fresh wall would otherwise draw a sliver at the right edge).
            x0 = max(x1 - self._window, x0)
        if x0 == x1:
            x0 -= 60.0  # a single instant: show a minute before it
        return x0, x1

    def _update_ranges(self) -> None:
        xr = self._visible_x()
        if xr is None:
            return
        x0, x1 = xr
        lo, hi = np.inf, -np.inf
        for s in self._series.values():
            r = s.buffer.value_range(x0, x1) if s.last is not None else None
            if r is not None:
                lo, hi = min(lo, r[0]), max(hi, r[1])
        if not np.isfinite(lo):
            # nothing in the window (in review: silent before the moment shown): the
            # window still moves there, the values keep their range
            self._plot.setXRange(x0, x1, padding=0.01)
            span = (x1 - x0) * 0.01
            self._update_curves(x0 - span, x1 + span)
            return
        if self.show_all_thresholds and self._thresholds:
            levels = [lv for _, lv, _, _ in self._thresholds]
            hi = max(hi, max(levels))
            lo = min(lo, min(levels))
        elif self.show_next_threshold:
            above = [lv for _, lv, _, _ in self._thresholds if lv > hi]
            if above:
                hi = min(above)
        span = hi - lo
        pad = max(span * 0.08, 0.05 * max(abs(hi), 1.0)) if span > 0 else max(abs(hi) * 0.1, 0.5)
        top_pad = pad
        if self._wall is not None:
            # room below for half a value tag (centred on the newest sample)
            view_h = max(self._plot.getPlotItem().getViewBox().height(), 1.0)
            tag_h = self._tags.max_size().height() / 2 + 4
            if view_h > tag_h * 3:
                pad = max(pad, (span + pad) * tag_h / (view_h - tag_h))
                top_pad = pad
        if self._wall is not None and self._thresholds:
            # room above the highest line for its label (drawn above its line)
            view_h = max(self._plot.getPlotItem().getViewBox().height(), 1.0)
            label_h = max(line.label.boundingRect().height() for *_, line in self._thresholds) + 6
            if view_h > label_h * 1.5:
                top_pad = max(pad, (span + pad) * label_h / (view_h - label_h))
        # Leave room right of the newest sample for the value tags, so a tag never
        # hides the newest (most important) part of a curve.
        view_px = max(self._plot.getPlotItem().getViewBox().width(), 1.0)
        tag_px = self._tags.max_size().width()
        gap_px = min(tag_px + 24.0, view_px * (0.6 if self._wall is not None else 0.4)) if tag_px else 0.0
        gap = (x1 - x0) * gap_px / (view_px - gap_px)
        left = (x1 - x0) * 0.01
        self._plot.setXRange(x0 - left, x1 + gap, padding=0)
        self._plot.setYRange(lo - pad, hi + top_pad, padding=0)
        self._update_curves(x0 - left, x1 + gap)
        if self._wall is not None:
            self._tune_wall_ticks()
            self._spread_threshold_labels(lo - pad, hi + top_pad)

    def _update_curves(self, x0: float, x1: float) -> None:
        """Give each curve its samples from ``x0`` to ``x1`` (one beyond each end),
        decimated to about two points per pixel column; a curve whose buffer, range and
        width are unchanged is not touched."""
        columns = max(int(self._plot.getPlotItem().getViewBox().width()), 100)
        for s in self._series.values():
            buf = s.buffer
            n = len(buf)
            i0 = max(buf.index(x0, "left") - 1, 0)
            i1 = min(buf.index(x1, "right") + 1, n)
            key = (s.drawn_version, i0, i1, columns)
            if key == s.drawn_key:
                continue
            s.drawn_key = key
            x, y = buf.decimate_range(i0, i1, columns)
            self._curves.set_data(s.name, x, y)

    # ------------------------------------------------------------------ the wall
    def set_wall_style(self, style) -> None:
        """The wall rendering (``widgets.wall_style.WallStyle``): title, tick labels,
        value tags, threshold labels and the overlay at least the wall's minimum; the
        tick labels spaced so that they never overlap; the axis' unit label left out
        (the tags and the threshold labels carry the unit)."""
        self._wall = style
        from widgets.wall_style import set_wall_font
        set_wall_font(self._title, style.font(bold=True))
        # also as a stylesheet: set_stale re-polishes the title
        self._title.setStyleSheet(f"QLabel#plotTitle {{ {style.qss_font(bold=True)} }}")
        tick_font = style.font()
        item = self._plot.getPlotItem()
        for name in ("bottom", "left"):
            axis = item.getAxis(name)
            axis.setTickFont(tick_font)
            axis.setStyle(maxTickLevel=0, autoExpandTextSpace=True, tickTextOffset=6)
        item.getAxis("left").setWidth(None)
        item.getAxis("left").showLabel(False)
        # the time axis' height for one line of its labels (pyqtgraph grows it only
        # from labels it could draw, and draws none that don't fit it)
        bottom = item.getAxis("bottom")
        bottom.setHeight(int(QtGui.QFontMetricsF(tick_font).height()
                             + max(bottom.style["tickLength"], 0) + bottom.style["tickTextOffset"][1] + 4))
        self._tags.set_font(style.font(bold=True))
        for s in self._series.values():
            self._apply_series_style(s)            # the wall's pen
        for *_, line in self._thresholds:
            line.label.setFont(style.font(bold=True))
        set_wall_font(self._overlay, style.font(1.2, bold=True))
        self._ranges_dirty = True
        for s in self._series.values():
            s.drawn_version = -1
        self.mark_dirty()

    def _tune_wall_ticks(self) -> None:
        """Fewer ticks on the value axis: one label per ~2.5 lines of text, so that
        large tick labels never touch."""
        axis = self._plot.getPlotItem().getAxis("left")
        size = max(self._plot.getPlotItem().getViewBox().height(), 1.0)
        line = QtGui.QFontMetricsF(axis.style["tickFont"] or self.font()).height()
        wanted = max(1.2, size / (2.5 * line))
        density = wanted / (2.25 * (size / 300.0) ** 0.5)
        if abs(density - axis._tickDensity) > 1e-3:
            axis.setTickDensity(density)
        # too low for two labels that don't touch: no values (the tags say the value)
        show = size >= 3.0 * line
        if axis.style.get("showValues", True) != show:
            axis.setStyle(showValues=show)

    #: Where a threshold label may sit along its line (share of the view's width).
    LABEL_POSITIONS = (0.02, 0.34, 0.66)

    def _spread_threshold_labels(self, y0: float, y1: float) -> None:
        """Threshold labels never overlap each other nor the value tags: a label that
        would touch one placed before moves along its line (left, middle, right third);
        when no place is free its value goes ("BĐ3" alone), then it takes the place
        that overlaps least."""
        if not self._thresholds or y1 <= y0:
            return
        vb = self._plot.getPlotItem().getViewBox()
        view_w, view_h = max(vb.width(), 1.0), max(vb.height(), 1.0)
        (x0, x1), _ = vb.viewRange()
        if x1 <= x0:
            return

        def to_px(x: float, y: float) -> tuple[float, float]:
            return (x - x0) / (x1 - x0) * view_w, (y1 - y) / (y1 - y0) * view_h

        taken = [p.rect for p in self._tags.placed()]      # the value tags, as drawn
        above, below = [(0, 1), (0, 1)], [(0, 0), (0, 0)]
        for name, level, _color, line in self._thresholds:       # lowest level first
            full = f"{name} {level:.{self.decimals}f} {self._unit}".strip()
            _, y = to_px(x0, line.value())
            best = None
            for text in (full, name):
                if line.label.format != text:
                    line.label.setFormat(text)
                br = line.label.boundingRect()
                for anchors in (above, below):           # above its line, else under it
                    top = y - br.height() if anchors is above else y
                    for pos in self.LABEL_POSITIONS:
                        rect = QtCore.QRectF(pos * view_w, top, br.width(), br.height())
                        overlap = sum((rect & t).width() * (rect & t).height() for t in taken)
                        # cut by the view's edge: as bad as covering another label
                        overlap += max(0.0, rect.right() - view_w) * rect.height() * 4
                        overlap += max(0.0, -rect.top()) * rect.width() * 4
                        overlap += max(0.0, rect.bottom() - view_h) * rect.width() * 4
                        if best is None or overlap < best[0]:
                            best = (overlap, text, anchors, pos, rect)
                        if overlap == 0:
                            break
                    if best[0] == 0:
                        break
                if best[0] == 0:
                    break
            _, text, anchors, pos, rect = best
            if line.label.format != text:
                line.label.setFormat(text)
            if line.label.anchors != anchors:
                line.label.anchors = anchors
                line.label.updatePosition()
            if line.label.orthoPos != pos:
                line.label.setPosition(pos)
            taken.append(rect)

    def _passed_level(self, value: float) -> tuple[int, str] | None:
        """(1 + rank, colour) of the highest level ``value`` passed, None if none."""
        passed = None
        for rank, (_, level, c, _) in enumerate(self._thresholds):  # sorted by level
            if value >= level:
                passed = (rank + 1, c)
        return passed

    def _update_tag(self, s: _Series) -> None:
        """The series' value tag: its newest value, in the colour of the highest level
        it passed (grey when stale); a tag past a level is kept first when not all fit."""
        if s.last is None:
            self._tags.remove_tag(s.name)
            return
        x, v = s.last
        passed = self._passed_level(v)
        color = theme.STALE if self._stale else (passed[1] if passed else s.color)
        # with one curve the title already names it: the tag is just the value
        name = f"{s.name}  " if len(self._series) > 1 else ""
        rank = -passed[0] if passed and not self._stale else 1
        self._tags.set_tag(s.name, f"{name}{v:.{self.decimals}f} {self._unit}".rstrip(), color,
                           x, v, rank)

    def _pen_width(self) -> int:
        return WALL_PEN_WIDTH if self._wall is not None else CONSOLE_PEN_WIDTH

    def _apply_series_style(self, s: _Series) -> None:
        if self._stale:
            self._curves.set_style(s.name, theme.to_qcolor(theme.STALE, 210), self._pen_width(),
                                   dashed=True)
        else:
            self._curves.set_style(s.name, QtGui.QColor(s.color), self._pen_width())

    def _apply_threshold_style(self) -> None:
        for _, _, color, line in self._thresholds:
            c = theme.to_qcolor(theme.STALE, 140) if self._stale else QtGui.QColor(color)
            line.setPen(pg.mkPen(c, width=2, style=QtCore.Qt.PenStyle.DashLine))
            line.label.setColor(c)

    def _update_overlay(self) -> None:
        has_data = any(s.last is not None for s in self._series.values())
        if self._stale:
            text = self._stale_text if self._stale_text is not None else self.tr("STALE")
            color, border = theme.TEXT, theme.STALE
        elif not has_data:
            text = self.tr("No data")
            color, border = theme.TEXT_MUTED, theme.BORDER
        else:
            self._overlay.hide()
            return
        self._overlay.setText(text)
        wall_font = self._wall.qss_font(1.2, bold=True) if self._wall is not None else ""
        self._overlay.setStyleSheet(
            f"QLabel#plotOverlay {{ color: {color}; background: rgba(17, 20, 23, 200);"
            f" border: 3px solid {border}; border-radius: 8px; padding: 10px 24px; {wall_font} }}")
        self._overlay.adjustSize()
        self._place_overlay()
        self._overlay.show()
        self._overlay.raise_()

    def _place_overlay(self) -> None:
        g = self._plot.geometry()
        size = self._overlay.sizeHint()
        w, h = min(size.width(), g.width()), min(size.height(), g.height())
        self._overlay.setGeometry(g.x() + (g.width() - w) // 2, g.y() + (g.height() - h) // 2, w, h)

    @staticmethod
    def _set_label_color(label: QtWidgets.QLabel, color: str) -> None:
        pal = label.palette()
        pal.setColor(QtGui.QPalette.ColorRole.WindowText, QtGui.QColor(color))
        label.setPalette(pal)

    def _on_view_resized(self, *_args) -> None:
        self._ranges_dirty = True
        self.mark_dirty()

    # ------------------------------------------------------------------ Qt events
    def resizeEvent(self, event: QtGui.QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._place_overlay()

    def showEvent(self, event: QtGui.QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self._place_overlay()

    def changeEvent(self, event: QtCore.QEvent) -> None:  # noqa: N802
        if event.type() == QtCore.QEvent.Type.LanguageChange:
            self._update_overlay()
        super().changeEvent(event)


def _preview() -> None:  # pragma: no cover - manual look: python -m widgets.timeseries_plot
    """Run the widget on its own with a synthetic Kim Long flood hydrograph."""
    import sys
    import time

    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv)
    theme.apply_dark_theme(app)
    buf = SeriesBuffer(20_000)
    now = time.time()
    t = np.linspace(now - 24 * 3600, now, 10_000)
    buf.extend(t, 0.4 + 2.3 * np.exp(-(((t - now + 5 * 3600) / 18000) ** 2)))
    # Not `tr = QCoreApplication.translate`: lupdate reads any bare tr(a, b) as tr(text, comment).
    title = QtCore.QCoreApplication.translate("TimeSeriesPlot", "Water level")
    plot = TimeSeriesPlot(f"{title} — Kim Long", "m")
    plot.add_series("Kim Long", buf, theme.INFO)
    plot.set_thresholds({"BĐ1": 1.0, "BĐ2": 2.0, "BĐ3": 3.5})
    plot.resize(1280, 600)
    plot.show()
    sys.exit(app.exec())


if __name__ == "__main__":  # pragma: no cover
    _preview()
