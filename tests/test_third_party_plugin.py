"""A third-party plugin, installed with pip from a tiny package, appears in the app."""
from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from ioc_desktop.plugin_api import load_plugins
from pluginrig import live_plugin, table_count

PACKAGE = Path(__file__).with_name("thirdparty_plugin")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    target = tmp_path_factory.mktemp("site")
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
                           "--no-index", "--quiet", "--target", str(target), str(PACKAGE)],
                          capture_output=True, text=True, timeout=300)
    if proc.returncode != 0 and "setuptools" in proc.stderr and "No module named" in proc.stderr:
        pytest.skip("setuptools is not installed in this environment: cannot build the test package")
    assert proc.returncode == 0, proc.stderr[-3000:]
    sys.path.insert(0, str(target))
    importlib.invalidate_caches()
    yield target
    sys.path.remove(str(target))
    sys.modules.pop("ioc_thirdparty_demo", None)


def test_installed_plugin_is_found_through_the_entry_point_group(installed):
    loaded = {lp.name: lp for lp in load_plugins()}
    assert "parking" in loaded and loaded["parking"].error is None
    assert loaded["parking"].plugin.__module__ == "ioc_thirdparty_demo"
    assert {"reports", "environment", "vessels", "alerts"} <= set(loaded)


def test_installed_plugin_runs_live_in_the_app(installed, qtbot, tmp_path):
    plugin = {lp.name: lp for lp in load_plugins()}["parking"].plugin
    with live_plugin(qtbot, tmp_path, plugin, rate=20) as (service, window, backend):
        qtbot.waitUntil(lambda: table_count(service, "parking") == 2, timeout=10000)
        gui = window.guis["parking"]
        qtbot.waitUntil(lambda: gui.model.rowCount() == 2, timeout=10000)
        assert "parking/lots" in window.docks
        window.refresh_overview()
        tile = window.overview.tiles["parking"]
        assert tile.value() == "2" and not tile.is_stale()
