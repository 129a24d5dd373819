"""Headless test setup: offscreen Qt, QtWebEngine without sandbox or GPU."""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
# Keep settings written by tests out of the user's real config.
os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(os.path.dirname(__file__), ".tmp-config"))
sys.path.insert(0, os.path.dirname(__file__))   # tests' own helper modules

# QtWebEngine must be loaded, and GL contexts shared, before pytest-qt makes the
# QApplication (the same order the app uses).
import pytest  # noqa: E402
from PySide6 import QtCore, QtGui  # noqa: E402
import PySide6.QtWebEngineWidgets  # noqa: E402,F401

QtCore.QCoreApplication.setAttribute(QtCore.Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


@pytest.hookimpl(trylast=True)            # after -k / -m have deselected
def pytest_collection_modifyitems(session, config, items):
    """The three-screen wall session (a child pytest, about 90 s) starts now and runs
    beside the rest of the suite; its test waits for its verdict."""
    if os.environ.get("IOC_WALL_THREE_SCREENS") == "1":
        return                                # in that child itself
    for item in items:
        if item.name == "test_the_wall_on_three_screens":
            from offscreen_screens import start_on_three_screens
            start_on_three_screens(str(item.fspath), "IOC_WALL_THREE_SCREENS")


def pytest_sessionfinish(session, exitstatus):
    from offscreen_screens import stop_started
    stop_started()


def pytest_sessionstart(session):
    """Compile the project's modules once: many tests start the app or a CLI in a
    subprocess, and where PYTHONDONTWRITEBYTECODE is set (as on the CI machine) each
    would compile every module again (about 0.7 s of each start).  What is already
    compiled and current is left alone."""
    import compileall
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for name in ("ioc_desktop", "widgets", "plugins", "demo_backend", "resources", "bench"):
        compileall.compile_dir(os.path.join(root, name), quiet=2)
    compileall.compile_file(os.path.join(root, "main.py"), quiet=2)



@pytest.fixture
def themed_app(qapp):
    """Apply the dark theme, then restore the shared QApplication for other tests."""
    import pyqtgraph as pg

    from widgets import theme

    saved = (qapp.style().name(), QtGui.QPalette(qapp.palette()), QtGui.QFont(qapp.font()),
             qapp.styleSheet(), pg.getConfigOption("background"), pg.getConfigOption("foreground"))
    theme.apply_dark_theme(qapp)
    yield qapp
    style, palette, font, qss, bg, fg = saved
    qapp.setStyleSheet(qss)
    qapp.setStyle(style)
    qapp.setPalette(palette)
    qapp.setFont(font)
    pg.setConfigOptions(background=bg, foreground=fg)
