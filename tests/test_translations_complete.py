"""Vietnamese is the default language: every string the code shows must have its translation."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6 import QtCore

from ioc_desktop.feed.client import FeedStatus
from ioc_desktop.i18n import install_translator
from widgets.feed_status import FeedStatusBar

REPO = Path(__file__).resolve().parents[1]


def test_every_source_string_has_a_vietnamese_translation():
    proc = subprocess.run([sys.executable, "-m", "ioc_desktop.i18n", "check"], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]


def test_status_bar_speaks_vietnamese_by_default_and_english_on_request(qtbot, qapp):
    translator = install_translator(qapp, "vi")
    try:
        bar = FeedStatusBar({"reports": (QtCore.QCoreApplication.translate("plugins", "Field reports"), 60)})
        qtbot.addWidget(bar)
        assert bar.status_text(FeedStatus.LIVE) == "TRỰC TUYẾN"
        assert bar.status_text(FeedStatus.RECONNECTING) == "ĐANG KẾT NỐI LẠI"
        assert QtCore.QCoreApplication.translate("plugins", "Field reports") == "Phản ánh hiện trường"
    finally:
        qapp.removeTranslator(translator)
    assert bar.status_text(FeedStatus.LIVE) == "LIVE"
