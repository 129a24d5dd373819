"""A third-party plugin, installed with pip from a tiny package, appears in the app."""
from __future__ import annotations

import importlib
import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from ioc_desktop.dispatch.outbox import DONE, REFUSED, read_actions
from ioc_desktop.plugin_api import ActionRefused, load_plugins
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
        tile = window.overview.tiles["parking"]
        # the KPI comes from the model's view (the situation layer's thread): it follows
        qtbot.waitUntil(lambda: (window.refresh_overview(), tile.value())[1] == "2",
                        timeout=10000)
        assert not tile.is_stale()


def test_installed_plugins_action_is_queued_applied_and_acknowledged(installed, qtbot, tmp_path):
    # The plugin declares its actions (TopicActions): the outbox checks them before
    # queuing, the demo backend applies them, and the ack comes back, as for reports.
    plugin = {lp.name: lp for lp in load_plugins()}["parking"].plugin
    with live_plugin(qtbot, tmp_path, plugin, rate=0) as (service, window, backend):
        qtbot.waitUntil(lambda: table_count(service, "parking") == 2, timeout=10000)

        def actions():
            conn = sqlite3.connect(service.config.cache)
            try:
                return {a.id: a for a in read_actions(conn)}
            finally:
                conn.close()

        def state(action_id):
            found = actions().get(action_id)
            return found.state if found else None

        def cached(key):
            conn = sqlite3.connect(service.config.cache)
            try:
                return json.loads(conn.execute("SELECT data FROM parking WHERE key = ?",
                                               (key,)).fetchone()[0])
            finally:
                conn.close()

        closing = service.submit_action("parking", "close", "dong-ba", {})
        qtbot.waitUntil(lambda: state(closing) == DONE, timeout=10000)
        assert backend.topics["parking"].state["dong-ba"]["closed"] is True
        qtbot.waitUntil(lambda: cached("dong-ba").get("closed") is True, timeout=10000)
        # the backend's refusal (the plugin's apply): the lot is open already
        opening = service.submit_action("parking", "open", "dai-noi", {})
        qtbot.waitUntil(lambda: state(opening) == REFUSED, timeout=10000)
        assert actions()[opening].error == "conflict: dai-noi is open"
        # the local rule refuses before anything is queued
        with pytest.raises(ActionRefused, match="forbidden"):
            service.outbox.submit("parking", "close", "dai-noi", {}, {"name": "x", "roles": ["viewer"]})
        assert set(actions()) == {closing, opening}


def test_installed_plugins_rule_raises_an_alarm_like_a_built_in(installed, qtbot, tmp_path):
    # The plugin declares a model and a rule (no Qt): the core's situation layer runs
    # them, the alarm is journaled, reaches the banner with its live value, and the
    # GUI's KPI comes from the model's view, as for the built-in services.
    plugin = {lp.name: lp for lp in load_plugins()}["parking"].plugin
    with live_plugin(qtbot, tmp_path, plugin, rate=0) as (service, window, backend):
        qtbot.waitUntil(lambda: table_count(service, "parking") == 2, timeout=10000)
        backend.publish("parking", "dong-ba", {"name": "Bãi xe chợ Đông Ba", "capacity": 120,
                                               "occupied": 117, "closed": False})
        alarm_id = "parking.lot_full/dong-ba"

        def journaled():
            conn = sqlite3.connect(service.config.cache)
            try:
                return conn.execute("SELECT event, to_state, value FROM alarm_events "
                                    "WHERE alarm_id = ? ORDER BY seq", (alarm_id,)).fetchall()
            except sqlite3.OperationalError:
                return []
            finally:
                conn.close()

        qtbot.waitUntil(lambda: journaled() == [("raise", "unacknowledged", 0.975)], timeout=10000)
        qtbot.waitUntil(lambda: "Bãi xe chợ Đông Ba is 98% full" in window.banner.label.text(),
                        timeout=10000)
        assert window.guis["parking"].kpis()[0].abnormal == 1
        # the live value follows; back under the deadband, the alarm returns to normal
        backend.publish("parking", "dong-ba", {"name": "Bãi xe chợ Đông Ba", "capacity": 120,
                                               "occupied": 119, "closed": False})
        qtbot.waitUntil(lambda: "99% full" in window.banner.label.text(), timeout=10000)
        backend.publish("parking", "dong-ba", {"name": "Bãi xe chợ Đông Ba", "capacity": 120,
                                               "occupied": 60, "closed": False})
        qtbot.waitUntil(lambda: [e[0] for e in journaled()] == ["raise", "clear"], timeout=10000)
        qtbot.waitUntil(lambda: window.guis["parking"].kpis()[0].abnormal == 0, timeout=10000)
