"""Every curve of a graph drawn into one image, by numpy, instead of by QPainter.

Why: a graph's curves arrive decimated to about two points per pixel column (the
series' min/max pyramid), so a frame of 100 curves is ~240,000 short segments.
Software rendering (the wall's machines have no GPU here) strokes those through
QPainter at 1.5–4 ms a curve, 150–400 ms a frame.  Filled per pixel column with numpy
instead, 100 curves over 1,510 columns cost ~8 ms (with the process's allocator policy,
:mod:`ioc_desktop.malloc_policy`; ~18 ms without) and the frame is one ``drawImage``.

What is drawn is what a non-antialiased pen of ``width`` px would draw for a polyline
through the points: in each pixel column, the rows between the lowest and the highest
place the line takes there (its points in the column and where it crosses the column's
edges), widened by the pen.  A one-sample crest is kept (it is a point of its column).
Dashed curves (a stale series) skip columns in a 4-on, 2-off pattern of the pen width.

:func:`fill_polyline` is the pure part (numpy in, numpy out, tested against simple
cases); :class:`CurveLayer` is the pyqtgraph item a plot adds to its view box.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6 import QtCore, QtGui

def premultiplied_argb(color: QtGui.QColor) -> int:
    """``color`` as one pixel of ``QImage.Format_ARGB32_Premultiplied`` (a uint32)."""
    a = color.alpha()
    r, g, b = (c * a // 255 for c in (color.red(), color.green(), color.blue()))
    return (a << 24) | (r << 16) | (g << 8) | b


def fill_polylines(image: np.ndarray, lines: list[tuple[np.ndarray, np.ndarray, int]],
                   width: int = 1, dashed: bool = False) -> None:
    """Draw polylines into ``image`` (rows × columns, uint32), later ones over earlier.

    Each line is ``(px, py, value)``: points in pixel units of the image (x right,
    y down; column ``c`` covers ``c <= x < c + 1``) with ``px`` non-decreasing (a time
    series), and the pixel value to set where the line is.  Pixels no line covers are
    left alone.  All lines share the pen ``width`` and ``dashed``.
    """
    h, w = image.shape
    lines = [line for line in lines if line[0].size]
    if not lines or h == 0 or w == 0:
        return
    pen = max(int(width), 1)
    ca, cb = -pen, w - 1 + pen                      # columns, with the pen's overhang
    m = cb - ca + 1
    edges = np.arange(ca, cb + 2, dtype=np.float64)  # each column's left edge, and the last right
    lo = np.full((len(lines), m), np.inf)
    hi = np.full((len(lines), m), -np.inf)
    inside_x = []
    inside_y = []
    for row, (px, py, _) in enumerate(lines):
        first, last = math.floor(px[0]), math.floor(px[-1])
        c0, c1 = max(first, ca), min(last, cb)
        if c0 > c1:
            continue
        # where the line is at the edges of the columns it crosses (within its extent)
        at = np.interp(np.clip(edges[c0 - ca:c1 - ca + 2], px[0], px[-1]), px, py)
        np.minimum(at[:-1], at[1:], out=lo[row, c0 - ca:c1 - ca + 1])
        np.maximum(at[:-1], at[1:], out=hi[row, c0 - ca:c1 - ca + 1])
        # and its points inside each column (a crest between two edges): below, for
        # all lines at once, keyed by (line, column)
        i0, i1 = np.searchsorted(px, (c0, c1 + 1), "left")
        if i1 > i0:
            inside_x.append(px[i0:i1] + (row * m - ca))
            inside_y.append(py[i0:i1])
    if inside_x:
        # x >= ca here, so truncating x - ca is its floor; ufunc.at is unbuffered
        # (several points of one column) and no slower than a reduceat here
        keys = np.concatenate(inside_x).astype(np.intp)
        vals = np.concatenate(inside_y)
        np.minimum.at(lo.reshape(-1), keys, vals)
        np.maximum.at(hi.reshape(-1), keys, vals)
    if pen > 1:                          # the pen's width across: neighbouring columns
        left, right = (pen - 1) // 2, pen // 2
        lo_w, hi_w = lo.copy(), hi.copy()
        for k in range(1, left + 1):     # column c also covers what c + k draws
            np.minimum(lo_w[:, :-k], lo[:, k:], out=lo_w[:, :-k])
            np.maximum(hi_w[:, :-k], hi[:, k:], out=hi_w[:, :-k])
        for k in range(1, right + 1):    # ... and what c - k draws
            np.minimum(lo_w[:, k:], lo[:, :-k], out=lo_w[:, k:])
            np.maximum(hi_w[:, k:], hi[:, :-k], out=hi_w[:, k:])
        lo, hi = lo_w, hi_w
    inside = slice(-ca, -ca + w)         # the image's own columns
    lo, hi = lo[:, inside], hi[:, inside]
    keep = (hi >= lo) & (hi + pen >= 0) & (lo - pen < h)
    if dashed:
        keep &= (np.arange(w) % (6 * pen)) < 4 * pen
    half = (pen - 1) / 2.0
    # clipped to the rows (plus a margin) first: a value far off the view must not
    # fill rows nobody sees; in place, as these arrays are one per (line, column)
    top = np.clip(lo, -2 * pen, h + 2 * pen)
    top -= half
    np.floor(top, out=top)
    np.clip(top, 0, h - 1, out=top)
    bottom = np.clip(hi, -2 * pen, h + 2 * pen)
    bottom += half
    np.floor(bottom, out=bottom)
    np.clip(bottom, 0, h - 1, out=bottom)
    runs = bottom - top
    runs += 1
    runs *= keep                         # pixels per (line, column)
    runs = runs.astype(np.int64)
    runs_flat = runs.reshape(-1)
    nz = np.flatnonzero(runs_flat)
    if not nz.size:
        return
    # flat index of every covered pixel: a cumulative sum of steps, one row down (w)
    # within a run, and from the previous run's last pixel to its own top at its first
    # (int64: numpy would convert narrower indices before assigning)
    counts = runs_flat[nz]
    tops = top.astype(np.int64)
    tops *= w
    tops += np.arange(w, dtype=np.int64)
    tops = tops.reshape(-1)[nz]
    lasts = tops + w * (counts - 1)
    step = np.full(int(counts.sum()), w, dtype=np.int64)
    firsts = np.cumsum(counts) - counts
    step[firsts[1:]] = tops[1:] - lasts[:-1]
    step[0] = tops[0]
    flat = np.cumsum(step, out=step)
    ends = np.cumsum(runs.sum(axis=1))
    pixels = image.reshape(-1)
    start = 0
    for (_, _, value), end in zip(lines, ends):   # in order: later lines on top
        pixels[flat[start:end]] = value
        start = end


def fill_polyline(image: np.ndarray, px: np.ndarray, py: np.ndarray, value: int,
                  width: int = 1, dashed: bool = False) -> None:
    """One line: :func:`fill_polylines` with ``[(px, py, value)]``."""
    fill_polylines(image, [(px, py, value)], width, dashed)


@dataclass
class _Curve:
    x: np.ndarray
    y: np.ndarray
    value: int          # premultiplied ARGB
    width: int
    dashed: bool


_EMPTY = np.empty(0, dtype=np.float64)


class ViewLayer(pg.GraphicsObject):
    """An item that covers its view box's whole visible range and paints in the
    device's pixels (the curves, the value tags): repainted when the range moves."""

    def boundingRect(self) -> QtCore.QRectF:  # noqa: N802 (Qt API)
        vb = self.getViewBox()
        return QtCore.QRectF(vb.viewRect()) if vb is not None else QtCore.QRectF()

    def viewRangeChanged(self) -> None:  # noqa: N802 (pyqtgraph hook)
        self.prepareGeometryChange()
        self.update()


class CurveLayer(ViewLayer):
    """The curves of one view box, painted as one image of the view's pixels.

    Add it to a plot with ``ignoreBounds=True`` (the plot sets its own ranges).  Curves
    paint in the order they were added.  The image is re-rendered only when a curve,
    a style, the view range or the size changed; other repaints (a tag moved, an
    overlay) reuse it.
    """

    def __init__(self) -> None:
        super().__init__()
        self._curves: dict[str, _Curve] = {}
        self._revision = 0
        self._image: QtGui.QImage | None = None
        self._buffer: np.ndarray | None = None   # the image's pixels (kept alive with it)
        self._image_key: tuple | None = None
        self._grid: tuple | None = None          # set_grid: (x axis, y axis, alpha)
        self.render_count = 0   # images rendered (for tests: a repaint alone reuses one)

    # ------------------------------------------------------------------ curves
    def add(self, name: str, color: QtGui.QColor, width: int, dashed: bool = False) -> None:
        if name in self._curves:
            raise ValueError(f"curve {name!r} already added")
        self._curves[name] = _Curve(_EMPTY, _EMPTY, premultiplied_argb(color), int(width), dashed)
        self._changed()

    def remove(self, name: str) -> None:
        del self._curves[name]
        self._changed()

    def set_data(self, name: str, x: np.ndarray, y: np.ndarray) -> None:
        """The curve's points, ``x`` non-decreasing (kept as given, not copied)."""
        c = self._curves[name]
        c.x, c.y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
        self._changed()

    def set_style(self, name: str, color: QtGui.QColor, width: int, dashed: bool = False) -> None:
        c = self._curves[name]
        c.value, c.width, c.dashed = premultiplied_argb(color), int(width), dashed
        self._changed()

    def data(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        c = self._curves[name]
        return c.x, c.y

    def style(self, name: str) -> tuple[int, int, bool]:
        """(premultiplied ARGB, width, dashed) of a curve."""
        c = self._curves[name]
        return c.value, c.width, c.dashed

    def _changed(self) -> None:
        self._revision += 1
        self.update()

    # ------------------------------------------------------------------ pyqtgraph item
    def paint(self, painter: QtGui.QPainter, *_args) -> None:
        view = self.boundingRect()
        if not self._curves or view.width() <= 0 or view.height() <= 0:
            return
        device = painter.transform().mapRect(view)
        dpr = painter.device().devicePixelRatioF() if painter.device() is not None else 1.0
        w, h = round(device.width() * dpr), round(device.height() * dpr)
        if w <= 0 or h <= 0:
            return
        key = (self._revision, view.left(), view.top(), view.width(), view.height(), w, h)
        if key != self._image_key:
            self._render(view, w, h, dpr)
            self._image_key = key
        painter.save()
        painter.resetTransform()
        painter.drawImage(device.topLeft(), self._image)
        painter.restore()

    def _render(self, view: QtCore.QRectF, w: int, h: int, dpr: float) -> None:
        pixels = np.zeros((h, w), dtype=np.uint32)
        sx = w / view.width()
        sy = h / view.height()
        x0, y_top = view.left(), view.bottom()    # data y grows up; image rows grow down
        if self._grid is not None:
            self._render_grid(pixels, view, sx, sy)
        # consecutive curves of one pen go in one call (the per-call cost is numpy's)
        group: list = []
        style = None
        for c in self._curves.values():
            pen = (max(1, round(c.width * dpr)), c.dashed)
            if pen != style and group:
                fill_polylines(pixels, group, *style)
                group = []
            style = pen
            if c.x.size:
                group.append(((c.x - x0) * sx, (y_top - c.y) * sy, c.value))
        if group:
            fill_polylines(pixels, group, *style)
        image = QtGui.QImage(pixels.data, w, h, 4 * w, QtGui.QImage.Format.Format_ARGB32_Premultiplied)
        image.setDevicePixelRatio(dpr)
        self._buffer, self._image = pixels, image
        self.render_count += 1

    # ------------------------------------------------------------------ the grid
    def set_grid(self, x_axis: pg.AxisItem | None, y_axis: pg.AxisItem | None,
                 alpha: float = 0.25) -> None:
        """Draw the axes' grid under the curves, in the same image, instead of the
        axes' own grid (``showGrid``): pyqtgraph's costs 6–8 ms an axis a repaint in
        software rendering, whatever changed (its picture replays the whole view)."""
        self._grid = (x_axis, y_axis, alpha)
        self._changed()

    def _render_grid(self, pixels: np.ndarray, view: QtCore.QRectF, sx: float, sy: float) -> None:
        h, w = pixels.shape
        x_axis, y_axis, alpha = self._grid
        # the axes' own tick levels; fainter with each level, as pyqtgraph's grid
        for axis, lo_v, hi_v, scale, size, vertical in (
                (x_axis, view.left(), view.right(), sx, w, True),
                (y_axis, view.top(), view.bottom(), sy, h, False)):
            if axis is None or not axis.isVisible():
                continue
            color = QtGui.QColor(axis.pen().color())
            levels = axis.tickValues(lo_v, hi_v, size)
            for level, (_, values) in enumerate(levels):
                values = np.asarray(values, dtype=np.float64)
                if values.size == 0:
                    continue
                fade = min(max(0.05 * size / (values.size + 1), 0.0), 1.0)
                color.setAlpha(int(255 / (level + 1) * alpha * fade))
                value = premultiplied_argb(color)
                if vertical:
                    at = np.floor((values - lo_v) * scale).astype(np.int64)
                    at = at[(at >= 0) & (at < w)]
                    pixels[:, at] = np.where(pixels[:, at] == 0, value, pixels[:, at])
                else:
                    at = np.floor((hi_v - values) * scale).astype(np.int64)
                    at = at[(at >= 0) & (at < h)]
                    pixels[at, :] = np.where(pixels[at, :] == 0, value, pixels[at, :])
