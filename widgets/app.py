"""Building and running the Qt application (called by main.py)."""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ioc_desktop.config import ClientConfig

if TYPE_CHECKING:  # pragma: no cover  (Qt is imported only once the app is built)
    from ioc_desktop.qt_bridge import EmbeddedBackend

log = logging.getLogger(__name__)
GUI_SWITCH_INTERVAL_S = 0.001


def prepare_environment() -> None:
    """Settings QtWebEngine reads once, before the QApplication exists."""
    flags = os.environ.get("QTWEBENGINE_CHROMIUM_FLAGS", "")
    # Chromium's sandbox refuses to run as root (containers, CI): the map page is local
    # and loads nothing remote, so it runs without it there.
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--no-sandbox" not in flags:
        flags += " --no-sandbox"
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") \
            and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"   # a headless machine: still runs
    if os.environ.get("QT_QPA_PLATFORM", "").startswith("offscreen") and "--disable-gpu" not in flags:
        flags += " --disable-gpu"
    os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = flags.strip()


def create_application(lang: str):
    prepare_environment()
    # Worker threads (situation layer, feed, writer) run Python too: the GUI thread
    # gets the GIL back from a busy one after 1 ms instead of the default 5 ms, which
    # at start (the models loading, the backlog) made slots and paints wait seconds.
    sys.setswitchinterval(GUI_SWITCH_INTERVAL_S)
    from PySide6 import QtCore, QtWidgets

    from widgets import pyside_import_tax
    pyside_import_tax.install()          # before the ~670 modules imported from here on
    import PySide6.QtWebEngineWidgets  # noqa: F401  (must load before QApplication)

    QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QtWidgets.QApplication.instance() or QtWidgets.QApplication(sys.argv[:1])
    app.setApplicationName("ioc-desktop")
    app.setOrganizationName("HueIOC")
    from ioc_desktop.i18n import install_translator
    from widgets.theme import apply_dark_theme
    app._ioc_translator = install_translator(app, lang)  # keep a reference
    apply_dark_theme(app)
    return app


def build_window(config: ClientConfig, *, reset_layout: bool = False, with_map: bool = True,
                 embedded_backend: EmbeddedBackend | None = None, map_view=None):
    """The service and the window, not started: for the app and for tests.
    ``embedded_backend`` starts the backend used when ``config`` names no server;
    ``map_view``: the window's map, made beforehand (see :func:`run_app`)."""
    from ioc_desktop.plugin_api import load_plugins
    from ioc_desktop.qt_bridge import FeedService
    from widgets.main_window import MainWindow

    loaded = load_plugins()
    plugins = [lp.plugin for lp in loaded if lp.plugin]
    service = FeedService(config, plugins, embedded_backend=embedded_backend)
    window = MainWindow(service, loaded, lang=config.lang, with_map=with_map,
                        tile_url=config.tile_url, reset_layout=reset_layout, map_view=map_view)
    return service, window


def start_wall(service, window, config: ClientConfig, wall_config=None, wall: str = "auto", *,
               with_map: bool = True):
    """The video wall beside the console (``widgets.wall.manager.WallManager``), or None.
    ``wall``: "on" (``--wall FILE``: whatever the screens), "off" (``--no-wall``) or
    "auto" (the built-in wall, only when more than one screen is present)."""
    from PySide6 import QtGui

    screens = QtGui.QGuiApplication.screens()
    if wall == "off" or (wall == "auto" and len(screens) < 2):
        return None
    from ioc_desktop.wall.config import load_wall_config
    from widgets.wall.manager import WallManager

    if wall_config is None:
        wall_config = load_wall_config(None, len(screens))
    manager = WallManager(service, window.loaded, wall_config, window, lang=config.lang,
                          with_map=with_map, tile_url=config.tile_url)
    window.attach_wall(manager)
    manager.start()
    return manager


def run_app(config: ClientConfig, *, screenshot: Path | None = None, run_for: float | None = None,
            reset_layout: bool = False, embedded_backend: EmbeddedBackend | None = None,
            wall_config=None, wall: str = "auto", screenshot_dir: Path | None = None,
            review_at: float | None = None) -> int:
    """``screenshot``: save the console to that picture after ``run_for`` s and exit;
    ``screenshot_dir``: the same, as ``console.png`` there with one PNG per wall screen
    named after it.  ``wall``, ``wall_config``: see :func:`start_wall`.  ``review_at``
    (``--at``): open in review at that moment (epoch seconds)."""
    from PySide6 import QtCore

    app = create_application(config.lang)
    shooting = screenshot is not None or screenshot_dir is not None
    # The map first: Chromium starts and loads the page while the rest is imported and
    # built (its page was the last thing the first live frame waited for).
    from widgets.map_view import MapView
    map_view = MapView(tile_url=config.tile_url)
    service, window = build_window(config, reset_layout=reset_layout or shooting,
                                   embedded_backend=embedded_backend, map_view=map_view)
    window.resize(1920, 1080)
    window.show()
    manager = start_wall(service, window, config, wall_config, wall)
    service.start()
    if review_at is not None:
        window.review.jump(review_at)

    if shooting:
        wait_ms = int((run_for if run_for is not None else 10) * 1000)

        def shoot():
            if screenshot_dir is not None:
                directory = Path(screenshot_dir)
                directory.mkdir(parents=True, exist_ok=True)
                path = directory / "console.png"
                ok = window.grab().save(str(path))
                print(f"screenshot {'saved to' if ok else 'FAILED:'} {path}", flush=True)
                if manager is not None:
                    saved = manager.save_screenshots(directory)
                    for p in saved:
                        print(f"screenshot saved to {p}", flush=True)
                    ok = ok and len(saved) == len(manager.windows)
                app.exit(0 if ok else 1)
                return
            path = Path(screenshot)
            path.parent.mkdir(parents=True, exist_ok=True)
            ok = window.grab().save(str(path))
            print(f"screenshot {'saved to' if ok else 'FAILED:'} {path}", flush=True)
            app.exit(0 if ok else 1)

        QtCore.QTimer.singleShot(wait_ms, shoot)
    elif run_for is not None:
        QtCore.QTimer.singleShot(int(run_for * 1000), app.quit)

    code = app.exec()
    if manager is not None:
        manager.shutdown()
    window.close()
    service.stop()
    # QtWebEngine wants its page gone before its profile: delete the window explicitly.
    window.deleteLater()
    QtCore.QCoreApplication.sendPostedEvents(None, QtCore.QEvent.Type.DeferredDelete)
    return code
