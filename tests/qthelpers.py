"""Helpers shared by the GUI tests."""
from __future__ import annotations

import contextlib

import json

from PySide6 import QtGui


def js(view, qtbot, expr: str, timeout: int = 5000):
    """Evaluate ``expr`` in a MapView's page (after pending diffs) and return it as Python.

    Values go through JSON.stringify: PySide turns a JS array result into ''.
    """
    box: list = []
    view.run_js(f"JSON.stringify({expr})", box.append)
    qtbot.waitUntil(lambda: bool(box), timeout=timeout)
    return None if box[0] in (None, "") else json.loads(box[0])


def distinct_colors(image: QtGui.QImage, step: int = 7) -> int:
    """Colours seen on a sampling grid: a blank or one-colour image has very few."""
    seen = set()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            seen.add(image.pixel(x, y))
    return len(seen)


def has_color(image: QtGui.QImage, hex_color: str, tolerance: int = 12, step: int = 3) -> bool:
    target = QtGui.QColor(hex_color)
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            c = QtGui.QColor(image.pixel(x, y))
            if (abs(c.red() - target.red()) <= tolerance and abs(c.green() - target.green()) <= tolerance
                    and abs(c.blue() - target.blue()) <= tolerance):
                return True
    return False


@contextlib.contextmanager
def running_window(qtbot, config, *, with_map: bool = True, size=(1600, 900)):
    """The app's service and main window on ``config`` (as widgets.app builds them),
    shown and started; the service is stopped afterwards."""
    from widgets.app import build_window

    service, window = build_window(config, reset_layout=True, with_map=with_map)
    qtbot.addWidget(window)
    window.resize(*size)
    window.show()
    service.start()
    try:
        yield service, window
    finally:
        service.stop()
