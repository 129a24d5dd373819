"""Export the moment from review mode: a PNG of each window and the map's layers at T.

:func:`export_moment` (synchronous) and :func:`export_moment_async` (the files written
on a worker thread, the result handed back on the GUI thread) write into a directory:

* ``<name>-<stamp>.png`` per window: ``QWidget.grab()``, as the app's ``--screenshot``
  does (widgets/app.py, ``WallManager.save_screenshots``), names made safe the same way
  (:func:`widgets.wall.manager.file_name`).  Offscreen and on the usual platforms
  ``grab()`` of a window includes its QtWebEngine map; where a platform leaves a web
  view blank in the window's grab, the view's own grab is painted over its place.
* ``map-layers-<stamp>.geojson`` and ``.csv``: the map's mirror (what it shows, read
  by :meth:`MapView.layer_snapshot`) through :mod:`ioc_desktop.review.export`.

``<stamp>`` is T in Huế local time, ``YYYYMMDD-HHMMSS``.  Grabbing is GUI-thread work
by nature (a few tens of ms a window); encoding the PNGs and writing the layer files is
what the async variant moves off the GUI thread.  Every file is written atomically.  A
file that fails does not stop the others: the result lists what was written and, in
``errors``, what was not and why (translated, for the user).

GUI thread only (the callback of the async variant is called on it too).
"""
from __future__ import annotations

import logging
import os
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication
from PySide6.QtWebEngineWidgets import QWebEngineView

from ioc_desktop.review import export
from widgets.wall.manager import file_name

log = logging.getLogger(__name__)

#: Distinct colours (on a sampling grid) at or under which a web view's part of a
#: window's grab counts as blank and is replaced by the view's own grab.
BLANK_COLOURS = 2


class ExportResult(list):
    """The paths written (a ``list[Path]``), the :class:`~ioc_desktop.review.export.Moment`
    of the layers (``None``: no map, or it failed) and ``errors``: one translated
    sentence per file that could not be written."""

    def __init__(self, paths=(), moment: export.Moment | None = None, errors: Sequence[str] = ()):
        super().__init__(paths)
        self.moment = moment
        self.errors = list(errors)

    @property
    def ok(self) -> bool:
        return not self.errors


# --------------------------------------------------------------------------- layers
def map_layers(map_view: Any) -> dict[str, dict]:
    """The map's layers as plain data (:func:`ioc_desktop.review.export.build_moment`'s
    input), copies; ``{}`` with no map."""
    if map_view is None:
        return {}
    return map_view.layer_snapshot()


# --------------------------------------------------------------------------- pictures
def _blank(image: QtGui.QImage, rect: QtCore.QRect, step: int = 9) -> bool:
    seen = set()
    for y in range(rect.top(), rect.bottom() + 1, step):
        for x in range(rect.left(), rect.right() + 1, step):
            seen.add(image.pixel(x, y))
            if len(seen) > BLANK_COLOURS:
                return False
    return True


def grab_window(widget: QtWidgets.QWidget) -> QtGui.QImage:
    """``widget.grab()`` as an image, with every visible web view in it present: one
    that the window's grab left blank is painted from its own grab."""
    pixmap = widget.grab()
    image = pixmap.toImage()
    dpr = pixmap.devicePixelRatio() or 1.0
    views = widget.findChildren(QWebEngineView)
    if isinstance(widget, QWebEngineView):
        views.append(widget)
    painter: QtGui.QPainter | None = None
    for view in views:
        if not view.isVisibleTo(widget) or view.width() <= 0 or view.height() <= 0:
            continue
        top_left = view.mapTo(widget, QtCore.QPoint(0, 0)) if view is not widget else QtCore.QPoint(0, 0)
        logical = QtCore.QRect(top_left, view.size())
        device = QtCore.QRect(int(logical.x() * dpr), int(logical.y() * dpr),
                              int(logical.width() * dpr), int(logical.height() * dpr))
        device = device.intersected(image.rect())
        if device.isEmpty() or not _blank(image, device):
            continue
        own = view.grab()
        own_image = own.toImage()
        if _blank(own_image, own_image.rect()):
            continue                 # blank in its own grab too: nothing better to paint
        if painter is None:
            image = image.convertToFormat(QtGui.QImage.Format.Format_ARGB32_Premultiplied)
            painter = QtGui.QPainter(image)
        painter.drawPixmap(device, own)
        log.debug("review export: web view %s painted from its own grab", view.objectName())
    if painter is not None:
        painter.end()
    image.setDevicePixelRatio(dpr)
    return image


def _png_bytes(image: QtGui.QImage) -> bytes | None:
    data = QtCore.QByteArray()
    buf = QtCore.QBuffer(data)
    buf.open(QtCore.QIODevice.OpenModeFlag.WriteOnly)
    ok = image.save(buf, "PNG")
    buf.close()
    return bytes(data.data()) if ok else None


def picture_names(windows: Sequence[tuple[str, Any]], at: float) -> list[str]:
    """``<name>-<stamp>.png`` per window; a repeated name gets ``-2``, ``-3``..."""
    stamp = export.stamp(at)
    out, used = [], set()
    for name, _ in windows:
        base = file_name(str(name) or "window")
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        out.append(f"{candidate}-{stamp}.png")
    return out


# --------------------------------------------------------------------------- the export
@dataclass
class _Job:
    """What the GUI thread collected; :meth:`run` writes it (any thread)."""

    directory: Path
    at: float
    pictures: list[tuple[Path, QtGui.QImage]]
    layers: dict | None
    basename: str

    def run(self) -> tuple[list[Path], export.Moment | None, list[tuple[str, str, str]]]:
        written: list[Path] = []
        errors: list[tuple[str, str, str]] = []          # (what, path, reason): translated later
        moment = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return [], None, [("directory", str(self.directory), _reason(exc))]
        for path, image in self.pictures:
            try:
                data = _png_bytes(image)
                if data is None:
                    errors.append(("encode", str(path), ""))
                    continue
                written.append(export.atomic_write(path, data))
            except OSError as exc:
                errors.append(("picture", str(path), _reason(exc)))
        if self.layers is not None:
            try:
                moment = export.build_moment(self.layers, self.at)
                written.extend(export.write_moment_files(self.directory, moment, basename=self.basename))
            except (OSError, ValueError) as exc:
                log.exception("review export: map layers not written")
                errors.append(("layers", str(self.directory), _reason(exc)))
        return written, moment, errors


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or type(exc).__name__


def _error_text(what: str, path: str, reason: str) -> str:
    if what == "directory":
        return QCoreApplication.translate("ReviewExport", "Could not create the folder {0}: {1}").format(path, reason)
    if what == "encode":
        return QCoreApplication.translate("ReviewExport", "Could not encode the picture {0}").format(path)
    if what == "picture":
        return QCoreApplication.translate("ReviewExport", "Could not save the picture {0}: {1}").format(path, reason)
    return QCoreApplication.translate("ReviewExport", "Could not save the map layers in {0}: {1}").format(path, reason)


def _result(outcome) -> ExportResult:
    written, moment, errors = outcome
    return ExportResult(written, moment, [_error_text(*e) for e in errors])


def _prepare(directory, at: float, windows: Sequence[tuple[str, QtWidgets.QWidget]], map_view: Any,
             basename: str) -> _Job:
    export.stamp(at)                          # ValueError now, for a moment that is none
    directory = Path(directory)
    pictures = [(directory / name, grab_window(widget))
                for name, (_, widget) in zip(picture_names(windows, at), windows)]
    layers = None if map_view is None else map_layers(map_view)
    return _Job(directory, float(at), pictures, layers, basename)


def export_moment(directory: str | os.PathLike, at: float,
                  windows: Sequence[tuple[str, QtWidgets.QWidget]], map_view: Any, *,
                  basename: str = export.DEFAULT_BASENAME) -> ExportResult:
    """Write one PNG per ``(name, window)`` and, with a ``map_view``, its layers as
    GeoJSON and CSV, into ``directory`` (created if missing), all named by ``at``
    (epoch seconds).  Blocks until written; see :func:`export_moment_async`."""
    return _result(_prepare(directory, at, windows, map_view, basename).run())


class _Relay(QtCore.QObject):
    done = QtCore.Signal(object)


_executor: ThreadPoolExecutor | None = None
_pending: set[_Relay] = set()


def export_moment_async(directory: str | os.PathLike, at: float,
                        windows: Sequence[tuple[str, QtWidgets.QWidget]], map_view: Any,
                        on_done: Callable[[ExportResult], None], *,
                        basename: str = export.DEFAULT_BASENAME) -> Future:
    """:func:`export_moment` with the grabs made now and the files written on a worker
    thread; ``on_done(result)`` runs on the GUI thread when they are.  Exports run one
    at a time, in the order asked.  Returns the worker's future (its result is the raw
    outcome; use ``on_done``)."""
    global _executor
    job = _prepare(directory, at, windows, map_view, basename)
    if _executor is None:
        _executor = ThreadPoolExecutor(1, thread_name_prefix="ioc-review-export")
    relay = _Relay()                  # lives on the GUI thread: its slot runs there
    _pending.add(relay)

    def deliver(outcome) -> None:
        _pending.discard(relay)
        relay.deleteLater()
        on_done(_result(outcome))

    relay.done.connect(deliver, QtCore.Qt.ConnectionType.QueuedConnection)

    def work():
        try:
            outcome = job.run()
        except Exception as exc:  # noqa: BLE001 — reported to the caller, never lost
            log.exception("review export failed")
            outcome = ([], None, [("layers", str(job.directory), _reason(exc))])
        relay.done.emit(outcome)
        return outcome

    return _executor.submit(work)


__all__ = ["ExportResult", "export_moment", "export_moment_async", "grab_window", "map_layers",
           "picture_names"]
