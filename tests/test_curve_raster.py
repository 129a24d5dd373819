"""widgets.curve_raster: polylines filled by numpy, checked against simple shapes and
against QPainter drawing the same polyline."""
from __future__ import annotations

import numpy as np
import pytest
from PySide6 import QtCore, QtGui

from widgets.curve_raster import CurveLayer, fill_polyline, fill_polylines, premultiplied_argb

RED, BLUE = 0xFFFF0000, 0xFF0000FF


def _line(*points):
    xs, ys = zip(*points)
    return np.array(xs, dtype=np.float64), np.array(ys, dtype=np.float64)


def _covered(img):
    return {(int(r), int(c)) for r, c in zip(*np.nonzero(img))}


def test_horizontal_line_is_one_row_from_first_to_last_column():
    img = np.zeros((20, 60), np.uint32)
    fill_polyline(img, *_line((0, 10.5), (50, 10.5)), RED)
    rows, cols = np.nonzero(img)
    assert set(rows) == {10}
    assert sorted(cols) == list(range(51))
    assert (img[img != 0] == RED).all()


def test_a_one_sample_crest_is_drawn_whole():
    img = np.zeros((20, 40), np.uint32)
    fill_polyline(img, *_line((0, 15.5), (10, 15.5), (10.5, 2.2), (11, 15.5), (30, 15.5)), RED)
    assert set(np.nonzero(img[:, 10])[0]) == set(range(2, 16))


def test_a_steep_sparse_line_has_no_gaps_between_columns():
    img = np.zeros((40, 40), np.uint32)
    fill_polyline(img, *_line((0.5, 0.5), (30.5, 35.5)), RED)   # two points, 30 columns
    spans = [np.nonzero(img[:, c])[0] for c in range(31)]
    assert all(s.size for s in spans)
    for a, b in zip(spans, spans[1:]):                 # each column touches the next
        assert b.min() <= a.max() + 1 and a.min() <= b.max() + 1


@pytest.mark.parametrize("width", [1, 2, 3, 4])
def test_pen_width_is_the_rows_and_columns_drawn(width):
    img = np.zeros((30, 60), np.uint32)
    fill_polyline(img, *_line((10, 15.5), (40, 15.5)), RED, width=width)
    rows, cols = np.nonzero(img)
    assert len(set(rows)) == width
    assert cols.max() - cols.min() + 1 == 31 + width - 1


def test_later_lines_draw_over_earlier_ones():
    img = np.zeros((30, 30), np.uint32)
    fill_polylines(img, [(*_line((0, 0), (29, 29)), RED), (*_line((0, 29), (29, 0)), BLUE)], 2)
    assert img[14, 14] == BLUE or img[15, 15] == BLUE
    assert (img == RED).sum() > 20 and (img == BLUE).sum() > 20


def test_lines_off_the_image_are_clipped_and_far_values_are_harmless():
    img = np.zeros((20, 20), np.uint32)
    fill_polyline(img, *_line((-100, 5.5), (100, 5.5)), RED)              # wider than the image
    assert np.count_nonzero(img) == 20
    img[:] = 0
    fill_polyline(img, *_line((0, 1e15), (19, -1e15)), RED)              # far off, steep
    assert np.count_nonzero(img[:, 0]) + np.count_nonzero(img[:, 19]) <= 2 * 20
    img[:] = 0
    fill_polyline(img, *_line((0, -50), (19, -40)), RED, width=3)        # above the image
    fill_polyline(img, *_line((30, 5), (40, 5)), RED)                    # right of it
    fill_polyline(img, np.empty(0), np.empty(0), RED)
    assert np.count_nonzero(img) == 0


def test_dashed_lines_leave_gaps():
    solid = np.zeros((10, 120), np.uint32)
    dashed = np.zeros((10, 120), np.uint32)
    fill_polyline(solid, *_line((0, 5), (119, 5)), RED, width=2)
    fill_polyline(dashed, *_line((0, 5), (119, 5)), RED, width=2, dashed=True)
    on = np.count_nonzero(dashed.any(axis=0))
    assert 0.5 * 120 < on < 0.8 * 120
    assert _covered(dashed) < _covered(solid)


def test_same_pixels_as_qpainter_within_a_pixel(qapp):
    """A random walk drawn by QPainter (1 px, no antialiasing) and by fill_polyline:
    every pixel either draws is within one pixel of the other's."""
    rng = np.random.default_rng(3)
    w, h = 300, 120
    xs = np.sort(rng.uniform(0, w - 1, 700))
    ys = np.clip(60 + np.cumsum(rng.normal(0, 2.5, xs.size)), 2, h - 3)
    ours = np.zeros((h, w), np.uint32)
    fill_polyline(ours, xs, ys, RED)
    image = QtGui.QImage(w, h, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0)
    painter = QtGui.QPainter(image)
    painter.setPen(QtGui.QPen(QtGui.QColor("#ff0000"), 1))
    painter.drawPolyline(QtGui.QPolygonF([QtCore.QPointF(x, y) for x, y in zip(xs, ys)]))
    painter.end()
    ref = np.frombuffer(image.constBits(), np.uint32, count=w * h).reshape(h, w)
    a, b = ours != 0, ref != 0

    def grown(m):
        g = m.copy()
        g[1:] |= m[:-1]
        g[:-1] |= m[1:]
        g2 = g.copy()
        g2[:, 1:] |= g[:, :-1]
        g2[:, :-1] |= g[:, 1:]
        return g2

    assert b.sum() > 300
    assert not (b & ~grown(a)).any(), "QPainter drew where the raster has nothing near"
    assert not (a & ~grown(b)).any(), "the raster drew where QPainter has nothing near"


def test_premultiplied_colour():
    assert premultiplied_argb(QtGui.QColor(255, 0, 0)) == 0xFFFF0000
    assert premultiplied_argb(QtGui.QColor(200, 100, 50, 128)) == (128 << 24) | (100 << 16) | (50 << 8) | 25


def test_layer_renders_once_per_change_not_per_repaint(qtbot):
    import pyqtgraph as pg

    pw = pg.PlotWidget()
    qtbot.addWidget(pw)
    pw.resize(400, 300)
    layer = CurveLayer()
    pw.getPlotItem().addItem(layer, ignoreBounds=True)
    layer.add("a", QtGui.QColor("#ff0000"), 2)
    layer.set_data("a", np.arange(10.0), np.arange(10.0))
    pw.setXRange(0, 9, padding=0)
    pw.setYRange(0, 9, padding=0)
    pw.show()
    qtbot.waitExposed(pw)
    qtbot.waitUntil(lambda: layer.render_count >= 1, timeout=3000)
    qtbot.wait(100)                                        # the layout settled
    count = layer.render_count
    pw.viewport().repaint()
    assert layer.render_count == count                     # nothing changed: reused
    pw.setXRange(0, 5, padding=0)
    pw.viewport().repaint()
    assert layer.render_count == count + 1                 # the range changed
    layer.set_style("a", QtGui.QColor("#00ff00"), 3, dashed=True)
    pw.viewport().repaint()
    assert layer.render_count == count + 2
    assert layer.style("a") == (0xFF00FF00, 3, True)
    with pytest.raises(ValueError):
        layer.add("a", QtGui.QColor("#ff0000"), 2)


def _reference_fill(image, lines, width, dashed):
    """The module's rule, pixel column by pixel column in plain Python: where the line
    is at the column's edges and its points inside, widened by the pen."""
    h, w = image.shape
    pen = max(width, 1)
    half = (pen - 1) / 2.0
    left, right = (pen - 1) // 2, pen // 2
    for px, py, value in lines:
        if not px.size:
            continue
        extent = {}
        for c in range(-pen, w + pen):
            if not (np.floor(px[0]) <= c <= np.floor(px[-1])):
                continue
            ys = [float(np.interp(min(max(e, px[0]), px[-1]), px, py)) for e in (c, c + 1)]
            ys += [float(y) for x, y in zip(px, py) if c <= x < c + 1]
            extent[c] = (min(ys), max(ys))
        for c in range(w):
            near = [extent[c + k] for k in range(-right, left + 1) if c + k in extent]
            if not near:
                continue
            lo, hi = min(a for a, _ in near), max(b for _, b in near)
            if hi + pen < 0 or lo - pen >= h or (dashed and c % (6 * pen) >= 4 * pen):
                continue
            top = int(np.floor(min(max(lo, -2 * pen), h + 2 * pen) - half))
            bottom = int(np.floor(min(max(hi, -2 * pen), h + 2 * pen) + half))
            top, bottom = min(max(top, 0), h - 1), min(max(bottom, 0), h - 1)
            image[top:bottom + 1, c] = value


@pytest.mark.parametrize("seed", range(12))
def test_many_lines_are_the_pixels_of_the_column_rule(seed):
    """Random walks, sparse and dense, partly off the image, of every pen width and
    dashing: the vectorised fill sets exactly the pixels of the plain rule."""
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(5, 40)), int(rng.integers(5, 60))
    width, dashed = int(rng.integers(1, 5)), bool(rng.integers(0, 2))
    lines = []
    for i in range(int(rng.integers(1, 8))):
        n = int(rng.integers(1, 4 * w))
        px = np.sort(rng.uniform(-10, w + 10, n))
        py = np.clip(np.cumsum(rng.normal(0, h / 6, n)) + rng.uniform(0, h), -h, 2 * h)
        lines.append((px, py, 0xFF000000 + i + 1))
    ours, plain = np.zeros((h, w), np.uint32), np.zeros((h, w), np.uint32)
    fill_polylines(ours, lines, width, dashed)
    _reference_fill(plain, lines, width, dashed)
    assert np.count_nonzero(plain) > 0
    np.testing.assert_array_equal(ours, plain)
