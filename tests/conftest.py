"""Headless test setup: offscreen Qt, QtWebEngine without sandbox or GPU."""
import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")
# Keep settings written by tests out of the user's real config.
os.environ.setdefault("XDG_CONFIG_HOME", os.path.join(os.path.dirname(__file__), ".tmp-config"))
