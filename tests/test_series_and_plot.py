"""SeriesBuffer, downsample_minmax and TimeSeriesPlot (really painted, offscreen)."""
from __future__ import annotations

import datetime as dt

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6 import QtCore, QtGui

from ioc_desktop.series import SeriesBuffer, downsample_minmax

HOUR = 3600.0
T0 = 1_761_523_200.0  # 2025-10-27 00:00:00 UTC = 07:00 in Huế (UTC+7)


# ============================================================== SeriesBuffer
def test_append_in_order_and_last():
    buf = SeriesBuffer(4)
    assert len(buf) == 0 and buf.last() is None
    buf.append(1.0, 10.0)
    buf.append(2.0, 20.0)
    t, v = buf.arrays()
    assert t.tolist() == [1.0, 2.0] and v.tolist() == [10.0, 20.0]
    assert buf.last() == (2.0, 20.0)
    assert len(buf) == 2


def test_wrap_around_keeps_newest_in_time_order():
    buf = SeriesBuffer(5)
    for i in range(13):
        buf.append(float(i), float(i) * 10)
    t, v = buf.arrays()
    assert t.tolist() == [8.0, 9.0, 10.0, 11.0, 12.0]
    assert v.tolist() == [80.0, 90.0, 100.0, 110.0, 120.0]
    assert len(buf) == 5 and buf.last() == (12.0, 120.0) and buf.first() == (8.0, 80.0)


def test_extend_wraps_across_the_end_and_keeps_only_capacity():
    buf = SeriesBuffer(6)
    buf.extend([0, 1, 2, 3], [0, 1, 2, 3])
    buf.extend([4, 5, 6, 7], [4, 5, 6, 7])  # crosses the physical end of the ring
    assert buf.arrays()[0].tolist() == [2, 3, 4, 5, 6, 7]
    buf.extend(np.arange(100, 120), np.arange(100, 120))  # batch larger than capacity
    t, v = buf.arrays()
    assert t.tolist() == list(range(114, 120)) and v.tolist() == t.tolist()


def test_arrays_are_copies():
    buf = SeriesBuffer(3)
    buf.extend([1, 2], [1, 2])
    t, v = buf.arrays()
    t[0] = 99
    v[0] = 99
    buf.append(3, 3)
    assert buf.arrays()[0].tolist() == [1, 2, 3]
    assert buf.arrays()[1].tolist() == [1, 2, 3]


def test_late_sample_is_inserted_in_time_order():
    buf = SeriesBuffer(10)
    for t in (1, 2, 4, 5):
        buf.append(t, t)
    buf.append(3, 3)  # late, from a resync
    t, v = buf.arrays()
    assert t.tolist() == [1, 2, 3, 4, 5] and v.tolist() == [1, 2, 3, 4, 5]
    assert np.all(np.diff(t) > 0)


def test_late_sample_into_full_wrapped_buffer_drops_oldest():
    buf = SeriesBuffer(4)
    for t in (10, 20, 30, 40, 50, 60):  # wrapped: start != 0
        buf.append(t, t)
    buf.append(45, 45)
    assert buf.arrays()[0].tolist() == [40, 45, 50, 60]
    version = buf.version
    buf.append(5, 5)  # older than everything kept: would be evicted at once
    assert buf.arrays()[0].tolist() == [40, 45, 50, 60]
    assert buf.version == version


def test_same_instant_replaces_value():
    buf = SeriesBuffer(5)
    buf.extend([1, 2, 3], [1, 2, 3])
    buf.append(3, 30)  # newest, re-sent
    buf.append(2, 20)  # older, re-sent
    t, v = buf.arrays()
    assert t.tolist() == [1, 2, 3] and v.tolist() == [1, 20, 30]


def test_extend_out_of_order_batch_merges_sorted_last_write_wins():
    buf = SeriesBuffer(5)
    buf.extend([1, 3, 5], [1, 3, 5])
    buf.extend([4, 2, 6, 4], [40, 20, 60, 44])
    t, v = buf.arrays()
    assert t.tolist() == [2, 3, 4, 5, 6]  # 1 evicted by capacity
    assert v.tolist() == [20, 3, 44, 5, 60]


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf")])
def test_non_finite_values_are_refused_and_change_nothing(bad):
    buf = SeriesBuffer(5)
    buf.append(1, 1)
    version = buf.version
    with pytest.raises(ValueError):
        buf.append(2, bad)
    with pytest.raises(ValueError):
        buf.append(bad, 2)
    with pytest.raises(ValueError):
        buf.extend([2, 3, 4], [2, bad, 4])  # all or nothing
    assert buf.arrays()[0].tolist() == [1] and buf.version == version


def test_version_bumps_on_every_change_only():
    buf = SeriesBuffer(3)
    versions = [buf.version]
    buf.append(1, 1)
    versions.append(buf.version)
    buf.extend([2, 3], [2, 3])
    versions.append(buf.version)
    buf.append(4, 4)  # wraps
    versions.append(buf.version)
    buf.append(3.5, 3)  # late insert
    versions.append(buf.version)
    buf.clear()
    versions.append(buf.version)
    assert all(b > a for a, b in zip(versions, versions[1:]))
    assert len(buf) == 0 and buf.last() is None
    v = buf.version
    buf.extend([], [])
    assert buf.version == v


def test_capacity_must_be_positive():
    with pytest.raises(ValueError):
        SeriesBuffer(0)


def test_random_order_matches_reference():
    """Whatever the arrival order, the buffer holds the newest ``capacity`` instants
    seen, each with its last written value, sorted."""
    rng = np.random.default_rng(7)
    cap = 50
    buf = SeriesBuffer(cap)
    reference: dict[float, float] = {}
    for step in range(2000):
        t = float(rng.integers(0, 400)) + (step // 10)  # mostly rising, often late
        v = float(rng.normal())
        if step % 97 == 0:
            ts = rng.integers(0, 400, size=7).astype(float) + step // 10
            vs = rng.normal(size=7)
            buf.extend(ts, vs)
            for a, b in zip(ts, vs):
                reference[float(a)] = float(b)
        else:
            buf.append(t, v)
            reference[t] = v
        kept = sorted(reference)[-cap:]
        # Samples older than all kept are gone for good: drop them from the reference too.
        reference = {k: reference[k] for k in kept}
        t_arr, v_arr = buf.arrays()
        assert t_arr.tolist() == kept, step
        assert v_arr.tolist() == [reference[k] for k in kept], step


def test_in_order_append_is_fast():
    """O(1) amortised: 200k appends into a small full ring take well under a second."""
    import time

    buf = SeriesBuffer(1000)
    start = time.perf_counter()
    for i in range(200_000):
        buf.append(float(i), 1.0)
    assert time.perf_counter() - start < 2.0
    assert buf.first() == (199_000.0, 1.0)


# ============================================================== downsample_minmax
def _bucket_bounds(n, n_buckets):
    edges = np.linspace(0, n, n_buckets + 1).astype(int)
    return list(zip(edges[:-1], edges[1:]))


def test_downsample_keeps_every_bucket_extreme():
    rng = np.random.default_rng(1)
    n, nb = 10_007, 100
    t = np.arange(n, dtype=float)
    v = rng.normal(size=n).cumsum()
    td, vd = downsample_minmax(t, v, nb)
    assert td.size <= 2 * nb
    assert np.all(np.diff(td) > 0)  # time order, no duplicates
    kept = dict(zip(td.tolist(), vd.tolist()))
    for a, b in _bucket_bounds(n, nb):
        i_min = a + int(np.argmin(v[a:b]))
        i_max = a + int(np.argmax(v[a:b]))
        assert kept[t[i_min]] == v[i_min]
        assert kept[t[i_max]] == v[i_max]


def test_downsample_keeps_a_single_spike_and_the_global_extremes():
    n = 1_000_000
    t = np.arange(n, dtype=float)
    v = np.zeros(n)
    v[654_321] = 5.81  # the 1999 crest
    v[123_456] = -1.0
    td, vd = downsample_minmax(t, v, 500)
    assert vd.max() == 5.81 and td[np.argmax(vd)] == 654_321
    assert vd.min() == -1.0
    assert td.size <= 1000


def test_downsample_small_input_is_returned_unchanged():
    t = np.array([1.0, 2.0, 3.0])
    v = np.array([3.0, 1.0, 2.0])
    td, vd = downsample_minmax(t, v, 10)
    assert td.tolist() == [1, 2, 3] and vd.tolist() == [3, 1, 2]
    assert td is not t


def test_downsample_rejects_bad_arguments():
    with pytest.raises(ValueError):
        downsample_minmax([1, 2], [1], 1)
    with pytest.raises(ValueError):
        downsample_minmax([1, 2], [1, 2], 0)


# ============================================================== TimeSeriesPlot
CURVE = "#00e5ff"  # a colour used nowhere else in the plot


def _rgb(color: str) -> tuple[int, int, int]:
    c = QtGui.QColor(color)
    return c.red(), c.green(), c.blue()


def _pixels(widget) -> np.ndarray:
    """The widget as painted, as an (h, w, 3) uint8 array."""
    img = widget.grab().toImage().convertToFormat(QtGui.QImage.Format.Format_RGB888)
    w, h = img.width(), img.height()
    arr = np.frombuffer(img.constBits(), dtype=np.uint8, count=img.sizeInBytes())
    return arr.reshape(h, img.bytesPerLine())[:, : w * 3].reshape(h, w, 3).copy()


def _count_color(pixels: np.ndarray, color: str, tol: int = 40) -> int:
    diff = np.abs(pixels.astype(int) - np.array(_rgb(color))).max(axis=2)
    return int((diff <= tol).sum())


@pytest.fixture
def plot(qtbot):
    from widgets.timeseries_plot import TimeSeriesPlot

    p = TimeSeriesPlot("Water level — Kim Long", "m")
    qtbot.addWidget(p)
    p.resize(1000, 500)
    p.show()
    qtbot.waitExposed(p)
    return p


def _flood_buffer(n=10_000, hours=24.0, peak=2.7, end_value=None):
    buf = SeriesBuffer(n + 100)
    t = np.linspace(T0, T0 + hours * HOUR, n)
    v = 0.4 + (peak - 0.4) * np.exp(-(((t - T0 - hours * HOUR * 0.6) / (hours * HOUR * 0.15)) ** 2))
    if end_value is not None:
        v[-1] = end_value
    buf.extend(t, v)
    return buf


def test_plot_paints_curve_and_thresholds(qtbot, plot):
    from widgets import theme

    buf = _flood_buffer(end_value=0.5)
    plot.add_series("Kim Long", buf, CURVE)
    plot.set_thresholds({"BĐ3": 3.5, "BĐ1": 1.0, "BĐ2": 2.0})
    qtbot.waitUntil(lambda: plot.redraw_count >= 1 and bool(plot.current_value_text("Kim Long")),
                    timeout=3000)
    qtbot.wait(50)
    pixels = _pixels(plot)
    QtGui.QImage(plot.grab().toImage()).save("/tmp/plot_check.png")
    h, w, _ = pixels.shape
    # Middle band: no threshold labels (left) and no value tag (right) there.
    middle = pixels[:, int(w * 0.25): int(w * 0.6)]
    assert _count_color(middle, CURVE) > 300, "the curve was not painted"
    for color in theme.THRESHOLD_COLORS:  # BĐ1 yellow, BĐ2 orange, BĐ3 red (next above data)
        assert _count_color(middle, color, tol=30) > 60, f"threshold {color} not painted"
    # The background really is the theme's, not pyqtgraph's default black.
    assert _count_color(pixels, theme.BACKGROUND, tol=4) > h * w * 0.3


def test_threshold_labels_and_rank_colours(plot):
    from widgets import theme

    plot.set_thresholds({"BĐ2": 2.0, "BĐ3": 3.5, "BĐ1": 1.0})  # any dict order
    assert plot.thresholds() == [
        ("BĐ1", 1.0, theme.THRESHOLD_COLORS[0]),
        ("BĐ2", 2.0, theme.THRESHOLD_COLORS[1]),
        ("BĐ3", 3.5, theme.THRESHOLD_COLORS[2]),
    ]
    assert theme.THRESHOLD_COLORS == ("#ffd400", "#ff7e00", "#ff2d2d")
    labels = [line.label.textItem.toPlainText() for *_, line in plot._thresholds]
    assert labels == ["BĐ1 1.00 m", "BĐ2 2.00 m", "BĐ3 3.50 m"]
    plot.set_thresholds({})
    assert plot.thresholds() == []


def test_current_value_label_takes_the_colour_of_the_highest_level_passed(qtbot, plot):
    from widgets import theme

    buf = SeriesBuffer(100)
    buf.append(T0, 0.5)
    plot.add_series("Kim Long", buf, CURVE)
    plot.set_thresholds({"BĐ1": 1.0, "BĐ2": 2.0, "BĐ3": 3.5})
    plot.redraw_now()
    # one curve: the title names it, the tag is the value alone
    assert plot.current_value_text("Kim Long") == "0.50 m"
    assert plot.current_value_color("Kim Long") == CURVE
    for value, expected in ((1.0, 0), (2.4, 1), (3.6, 2), (0.9, None)):
        buf.append(buf.last()[0] + 60, value)
        plot.mark_dirty("Kim Long")
        qtbot.waitUntil(lambda: plot.current_value_text("Kim Long").endswith(f"{value:.2f} m"),
                        timeout=2000)
        want = CURVE if expected is None else theme.THRESHOLD_COLORS[expected]
        assert plot.current_value_color("Kim Long") == want, value


def _tag_rects_on_screen(plot):
    """The value tags' boxes as painted, in the plot widget's pixels."""
    pw = plot.plot_widget
    vb = pw.getPlotItem().getViewBox()
    origin = pw.mapFromScene(vb.mapToScene(QtCore.QPointF(0, 0)))      # in the viewport
    origin = pw.viewport().mapTo(plot, origin)
    shift = QtCore.QPointF(origin.x(), origin.y())
    return {p.name: p.rect.translated(shift) for p in plot.tag_layer.placed()}


def test_tags_of_close_values_are_pushed_apart_and_each_is_painted(qtbot, plot):
    """Two stations at the same level: both tags shown, one above the other, each
    painted in its colour (the box's border) where the layout says."""
    colors = {"Kim Long": "#4aa3ff", "Phú Ốc": "#ff4dd2"}
    for name, color in colors.items():
        buf = SeriesBuffer(100)
        buf.extend([T0, T0 + 3600], [0.4, 1.2])
        plot.add_series(name, buf, color)
    plot.redraw_now()
    qtbot.wait(50)
    rects = _tag_rects_on_screen(plot)
    assert set(rects) == set(colors)
    a, b = rects.values()
    assert not a.intersects(b), (a, b)
    assert abs(a.center().y() - b.center().y()) >= min(a.height(), b.height()) - 1
    pixels = _pixels(plot)
    for name, rect in rects.items():
        box = pixels[int(rect.top()):int(rect.bottom()), int(rect.left()):int(rect.right())]
        assert _count_color(box, colors[name], tol=30) > 40, f"{name}'s tag not painted"
        assert plot.current_value_text(name) == f"{name}  1.20 m"
    # the readability probe sees the painted tags (their text, where they are)
    from widgets.wall import readability_probe as probe
    texts = [t for t in probe._graphics_text_rects(plot.plot_widget)]
    assert sorted(t for _, t in texts if t.endswith(" m") and "  " in t) == \
        sorted(f"{n}  1.20 m" for n in colors)
    assert probe.overlapping_text(plot) == []


def test_more_tags_than_fit_keep_those_past_a_level_and_never_overlap(qtbot, plot):
    plot.resize(1000, 300)
    plot.set_thresholds({"BĐ1": 1.0, "BĐ2": 2.0})
    for i in range(40):
        buf = SeriesBuffer(10)
        value = 2.5 if i == 37 else 1.5 if i == 31 else 0.5 + i * 0.001
        buf.extend([T0, T0 + 60], [0.5, value])
        plot.add_series(f"S{i}", buf, "#4aa3ff")
    plot.redraw_now()
    qtbot.wait(50)
    placed = plot.tag_layer.placed()
    view_h = plot.plot_widget.getPlotItem().getViewBox().height()
    assert 0 < len(placed) < 40
    assert sum(p.rect.height() for p in placed) <= view_h
    names = [p.name for p in placed]
    assert "S37" in names and "S31" in names          # past BĐ2, past BĐ1: kept first
    rects = [p.rect for p in placed]
    for i, r in enumerate(rects):
        assert r.top() >= 0 and r.bottom() <= view_h + 0.5
        assert not any(r.intersects(o) for o in rects[i + 1:])
    # the threshold labels stay clear of the tags as drawn
    assert probe_overlaps(plot) == []
    # a graph lower than a tag (a wall's large font in a small panel) still shows the
    # most important one
    big = QtGui.QFont(plot.tag_layer.font())
    big.setPixelSize(60)
    plot.tag_layer.set_font(big)
    plot.resize(1000, 90)
    plot.redraw_now()
    qtbot.wait(50)
    view_h = plot.plot_widget.getPlotItem().getViewBox().height()
    placed = plot.tag_layer.placed()
    assert 0 < view_h < placed[0].rect.height(), view_h
    assert [p.name for p in placed] == ["S37"]


def probe_overlaps(plot):
    from widgets.wall import readability_probe as probe
    return probe.overlapping_text(plot)


def test_axis_shows_hue_local_time_whatever_the_host_zone(monkeypatch):
    import time

    from pyqtgraph.graphicsItems.DateAxisItem import DAY_SPACING, HOUR_SPACING

    from widgets.timeseries_plot import LocalDateAxis

    monkeypatch.setenv("TZ", "America/New_York")  # the host zone must not matter
    time.tzset()
    try:
        axis = LocalDateAxis()
        assert axis.utcOffset == -7 * 3600  # pyqtgraph's sign: seconds west of UTC
        # 2025-10-27 00:00 UTC is 07:00 in Huế; 17:00 UTC is midnight of the 28th.
        assert axis.tickStrings([T0], 1, HOUR_SPACING) == ["07:00"]
        assert axis.tickStrings([T0 + 17 * HOUR], 1, DAY_SPACING) == ["28/10"]
        assert axis.tickStrings([T0 + 90.5], 1, 1) == ["07:01:30"]
        expected = dt.datetime(2025, 10, 27, 7, 0, tzinfo=dt.timezone(dt.timedelta(hours=7)))
        assert expected.timestamp() == T0
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()


def test_axis_day_ticks_fall_on_local_midnight(qtbot, plot):
    from pyqtgraph.graphicsItems.DateAxisItem import DAY_SPACING

    buf = _flood_buffer(n=500, hours=72)
    plot.add_series("Kim Long", buf, CURVE)
    qtbot.waitUntil(lambda: plot.redraw_count >= 1, timeout=2000)
    qtbot.wait(50)  # the axis learns its font metrics when it paints
    axis = plot.axis
    levels = dict(axis.tickValues(T0, T0 + 3 * 24 * HOUR, 1000))
    day_ticks = levels[DAY_SPACING]
    assert day_ticks, levels
    for tick in day_ticks:
        assert (tick + 7 * HOUR) % (24 * HOUR) == 0, tick  # 17:00 UTC = 00:00 in Huế
    shown = [t for t in day_ticks if T0 <= t <= T0 + 3 * 24 * HOUR]
    assert axis.tickStrings(shown, 1, DAY_SPACING) == ["28/10", "29/10", "30/10"]


def test_plot_uses_the_local_axis(plot):
    from widgets.timeseries_plot import LocalDateAxis

    assert isinstance(plot.plot_widget.getPlotItem().getAxis("bottom"), LocalDateAxis)
    font = plot.plot_widget.getPlotItem().getAxis("bottom").style["tickFont"]
    assert font.pointSize() >= 12
    assert plot._title.font().pointSize() >= 14


def test_time_window_follows_newest_data_or_shows_all(qtbot, plot):
    buf = _flood_buffer(n=2000, hours=24)
    plot.add_series("Kim Long", buf, CURVE)
    plot.set_time_window(6 * HOUR)
    plot.redraw_now()
    (x0, x1), _ = plot.plot_widget.getPlotItem().getViewBox().viewRange()
    last = buf.last()[0]
    assert abs(x0 - (last - 6 * HOUR)) < 0.05 * 6 * HOUR
    assert last < x1 < last + 4 * HOUR  # room for the value tag, not a second day
    plot.set_time_window(None)
    plot.redraw_now()
    (x0, x1), _ = plot.plot_widget.getPlotItem().getViewBox().viewRange()
    assert abs(x0 - T0) < 0.05 * 24 * HOUR
    # Follows new data.
    plot.set_time_window(HOUR)
    buf.append(last + 10 * HOUR, 1.0)
    plot.mark_dirty()
    qtbot.waitUntil(lambda: plot.plot_widget.getPlotItem().getViewBox().viewRange()[0][0]
                    > last + 8 * HOUR, timeout=2000)
    with pytest.raises(ValueError):
        plot.set_time_window(0)


def test_redraws_are_coalesced_and_only_for_changed_series(qtbot, plot):
    a, b = SeriesBuffer(100), SeriesBuffer(100)
    a.append(T0, 1.0)
    b.append(T0, 2.0)
    plot.add_series("a", a, CURVE)
    plot.add_series("b", b, "#ff00ff")
    qtbot.waitUntil(lambda: plot.redraw_count == 1, timeout=2000)
    calls = {"a": 0, "b": 0}
    layer = plot.curve_layer
    original = layer.set_data

    def counting(name, *args, **kw):
        calls[name] += 1
        return original(name, *args, **kw)

    layer.set_data = counting
    for i in range(50):  # a burst within one frame
        a.append(T0 + 60 * (i + 1), 1.0 + i / 100)
        plot.mark_dirty("a")
    qtbot.waitUntil(lambda: plot.redraw_count == 2, timeout=2000)
    qtbot.wait(3 * plot.FRAME_MS)
    assert plot.redraw_count == 2  # one redraw for the whole burst, none when idle
    assert calls == {"a": 1, "b": 0}
    assert plot.FRAME_MS >= 200  # at most 5 frames per second
    with pytest.raises(KeyError):
        plot.mark_dirty("nope")


def test_curves_get_only_the_visible_part_decimated_for_long_histories(plot):
    """The curve is given the window's samples only, at most ~2 points a pixel column
    (the buffer's min/max pyramid), and a one-sample crest survives."""
    buf = _flood_buffer(n=200_000, hours=7 * 24)
    t, v = buf.arrays()
    spike = int(np.searchsorted(t, t[-1] - 3 * HOUR))
    buf.append(t[spike] + 0.5, 9.0)                      # a late, one-sample crest
    plot.add_series("Kim Long", buf, CURVE)
    plot.set_time_window(6 * HOUR)
    plot.redraw_now()
    x, y = plot.curve_data("Kim Long")
    width = plot.plot_widget.getPlotItem().getViewBox().width()
    assert x.size <= 2 * (max(width, 100) + 2) + 1
    (x0, x1), _ = plot.plot_widget.getPlotItem().getViewBox().viewRange()
    assert x[0] <= x0 + 60 and x[0] >= t[-1] - 6.5 * HOUR   # the window, not the week
    assert x[-1] == t[-1] and y.max() == 9.0
    plot.set_time_window(None)                             # the whole week: still ~2 a column
    plot.redraw_now()
    x, y = plot.curve_data("Kim Long")
    assert x.size <= 2 * (max(width, 100) + 2) + 1 and y.max() == 9.0
    assert x[0] == t[0]


def test_stale_greys_the_plot_and_shows_the_callers_text(qtbot, plot):
    from widgets import theme

    buf = _flood_buffer(end_value=0.5)
    plot.add_series("Kim Long", buf, CURVE)
    plot.set_thresholds({"BĐ1": 1.0})
    qtbot.waitUntil(lambda: plot.redraw_count >= 1, timeout=2000)
    qtbot.wait(50)
    live = _pixels(plot)
    assert plot.overlay_text() == ""
    assert _count_color(live, CURVE) > 300

    plot.set_stale(True, "DỮ LIỆU CŨ")
    qtbot.wait(50)
    stale = _pixels(plot)
    assert plot.is_stale() and plot.overlay_text() == "DỮ LIỆU CŨ"
    assert _count_color(stale, CURVE) < _count_color(live, CURVE) / 20  # curve no longer coloured
    assert _count_color(stale, theme.THRESHOLD_COLORS[0], tol=30) < 20
    assert plot.current_value_color("Kim Long") == QtGui.QColor(theme.STALE).name()
    overlay = plot._overlay
    assert overlay.isVisible() and overlay.width() > 100
    assert plot.plot_widget.geometry().contains(overlay.geometry().center())

    plot.set_stale(False)
    qtbot.wait(50)
    assert plot.overlay_text() == ""
    assert _count_color(_pixels(plot), CURVE) > _count_color(live, CURVE) * 0.8


def test_empty_plot_says_no_data(plot):
    plot.add_series("Kim Long", SeriesBuffer(10), CURVE)
    plot.redraw_now()
    assert plot.overlay_text() == "No data"
    assert plot.current_value_text("Kim Long") == ""


def test_duplicate_series_name_is_refused(plot):
    plot.add_series("x", SeriesBuffer(3), CURVE)
    with pytest.raises(ValueError):
        plot.add_series("x", SeriesBuffer(3), CURVE)
    plot.remove_series("x")
    assert plot.series_names() == []
