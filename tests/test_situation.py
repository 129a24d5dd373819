"""The situation layer end to end for one service (vessels): a crossing between two fixes
raises an alarm that is journaled in the cache, the live value follows the clock, an
acknowledgement is journaled with its user and survives a restart, and the situation
worker is supervised like the others.

Real parts: a demo backend on loopback, a real cache, the app's FeedService; for the
clock-driven tests the SituationService on a real StoreWriter (time is injected).
"""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import datetime
from pathlib import Path

import pytest

from demo_backend.server import DemoBackend
from feedkit import wait_for
from ioc_desktop.alarms import ACKNOWLEDGED, UNACKNOWLEDGED, alarm_id_for
from ioc_desktop.config import ClientConfig
from ioc_desktop.feed.client import FeedStatus
from ioc_desktop.interop import VN_TZ
from ioc_desktop.qt_bridge import FeedService
from ioc_desktop.situation import SituationModel, SituationService
from ioc_desktop.store.batch import EventRecord
from ioc_desktop.store.writer import StoreWriter
from plugins.vessels import VesselsPlugin, schema
from plugins.vessels.model import VesselsModel
from plugins.vessels.rules import AREA_ENTRY, LOST_SIGNAL, area_key

REPO = Path(__file__).resolve().parents[1]
VESSEL = "T-990001"
ENTRY = alarm_id_for(AREA_ENTRY, area_key("thuan_an_restricted", VESSEL))
LOST = alarm_id_for(LOST_SIGNAL, VESSEL)


class Fatal(BaseException):
    """What no `except Exception` catches: the worker's thread ends."""


def fix(lat: float, lon: float, t: float) -> dict:
    return schema.validate({
        "vessel_id": VESSEL, "name": "TTH 990001 TS", "registration": "TTH-990001-TS",
        "lat": lat, "long": lon, "sog": 8.0, "cog": 90.0,
        "time": datetime.fromtimestamp(t, VN_TZ).isoformat(timespec="seconds"),
        "length_m": 18.0, "home_port": "Thuận An", "status": "fishing"})


def journal(cache, alarm_id: str) -> list[tuple]:
    conn = sqlite3.connect(cache)
    try:
        return conn.execute("SELECT event, from_state, to_state, user, value FROM alarm_events "
                            "WHERE alarm_id = ? ORDER BY seq", (alarm_id,)).fetchall()
    except sqlite3.OperationalError:
        return []                 # the tables are not there yet
    finally:
        conn.close()


# ------------------------------------------------------------------ the app's FeedService
@pytest.fixture
def live(qtbot, tmp_path):
    backend = DemoBackend([VesselsPlugin()], seed=3, rate=0)
    backend.start_in_thread()
    service = FeedService(ClientConfig(server=backend.url(), cache=tmp_path / "c.sqlite",
                                       lang="en"), [VesselsPlugin()])
    seen: dict = {"alarms": {}, "log": []}

    def on_delta(delta):
        seen["alarms"].update({a.id: a for a in delta.changed})
        seen["summary"] = delta.summary
    service.alarmsChanged.connect(on_delta)
    service.workerFailed.connect(lambda name, why: seen["log"].append(("failed", name, why)))
    service.workerRestarted.connect(lambda name: seen["log"].append(("restarted", name)))
    service.start()
    qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
    yield service, backend, seen
    service.stop()
    backend.stop()


def cross_the_restricted_area(backend) -> None:
    # both fixes outside "thuan_an_restricted" (lon 107.737-107.808 at this latitude),
    # ten minutes apart: only the segment between them crosses it
    t0 = time.time() - 1200
    backend.publish("vessels", VESSEL, fix(16.635, 107.70, t0))
    backend.publish("vessels", VESSEL, fix(16.635, 107.85, t0 + 600))


def test_a_vessel_crossing_an_area_between_two_fixes_raises_the_alarm_and_journals_it(
        live, qtbot):
    service, backend, seen = live
    cross_the_restricted_area(backend)
    qtbot.waitUntil(lambda: ENTRY in seen["alarms"], timeout=10000)
    alarm = seen["alarms"][ENTRY]
    assert alarm.rule == AREA_ENTRY and alarm.priority == 2
    assert "went through restricted area" in alarm.text or "entered" in alarm.text
    assert seen["summary"].unacknowledged[2] >= 1
    wait_for(lambda: journal(service.config.cache, ENTRY), what="the journaled raise")
    event, before, after, user, _ = journal(service.config.cache, ENTRY)[0]
    assert (event, before, after, user) == ("raise", "normal", UNACKNOWLEDGED, None)


def test_a_dead_situation_worker_is_shown_restarted_and_keeps_its_alarms(live, qtbot):
    service, backend, seen = live
    cross_the_restricted_area(backend)
    qtbot.waitUntil(lambda: ENTRY in seen["alarms"], timeout=10000)
    service.alarm_action("acknowledge", ENTRY).result(10)
    user = journal(service.config.cache, ENTRY)[-1][3]
    assert user == (service.user["name"] or "local operator")
    old = service.situation.engine

    def boom(changes, now=None):
        raise Fatal("model on fire")
    service.situation.models["vessels"].model.apply_changes = boom
    backend.publish("vessels", VESSEL, fix(16.635, 107.90, time.time() - 60))
    qtbot.waitUntil(lambda: ("restarted", "situation") in seen["log"], timeout=15000)
    failed = next(e for e in seen["log"] if e[0] == "failed")
    assert failed[1] == "situation" and "Fatal: model on fire" in failed[2]
    wait_for(lambda: service.situation.ready.is_set() and service.situation.engine is not old,
             what="the restored engine")
    alarm = service.situation.engine.get(ENTRY)
    assert alarm is not None and not alarm.unacknowledged and alarm.acked_by == user
    # the rebuilt model has the fix that killed the old one (loaded from the cache)
    assert service.situation.models["vessels"].model.last_fix(VESSEL).lon == 107.90


def test_sync_fills_the_alarm_journal_of_the_cache(tmp_path):
    backend = DemoBackend([VesselsPlugin()], seed=3, rate=0)
    backend.start_in_thread()
    try:
        cross_the_restricted_area(backend)
        cache = tmp_path / "synced.sqlite"
        proc = subprocess.run([sys.executable, str(REPO / "main.py"), "sync", "--server",
                               backend.url(), "--cache", str(cache), "--run-for", "2",
                               "--quiet"], capture_output=True, text=True, timeout=60)
    finally:
        backend.stop()
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert journal(cache, ENTRY)[0][:3] == ("raise", "normal", UNACKNOWLEDGED)


# ------------------------------------------------------------------ clock-driven
class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def situated(tmp_path):
    cache = tmp_path / "s.sqlite"
    plugins = [VesselsPlugin()]
    writer = StoreWriter(cache, [s for p in plugins for s in p.topics])
    t0 = time.time() - 60
    writer.submit([EventRecord("vessels", 1, None, "upsert", VESSEL, fix(16.3, 107.9, t0))])
    clock = Clock(t0 + 60)
    deltas: list = []
    services: list[SituationService] = []

    def start() -> SituationService:
        svc = SituationService(writer, plugins, on_delta=deltas.append, clock=clock,
                               tick_s=0.05, delta_interval_s=0.05)
        svc.start()
        assert svc.ready.wait(10)
        services.append(svc)
        return svc
    yield start, clock, t0, deltas, cache
    for svc in services:
        svc.stop()
    writer.close()


def latest(deltas, alarm_id):
    for delta in reversed(deltas):
        for alarm in delta.changed:
            if alarm.id == alarm_id:
                return alarm
    return None


def test_a_lost_signal_alarm_value_grows_on_the_timer(situated):
    start, clock, t0, deltas, cache = situated
    start()
    clock.now = t0 + 7 * 3600
    wait_for(lambda: latest(deltas, LOST) is not None, what="the lost-signal alarm")
    assert latest(deltas, LOST).value == 7.0 and "7.0 h" in latest(deltas, LOST).text
    clock.now = t0 + 9.5 * 3600                     # no batch: the timer re-evaluates
    wait_for(lambda: latest(deltas, LOST).value == 9.5, what="the live value")
    assert "no position for 9.5 h" in latest(deltas, LOST).text
    conn = sqlite3.connect(cache)
    wait_for(lambda: conn.execute("SELECT value FROM alarms WHERE id = ?", (LOST,)).fetchone()
             == (9.5,), what="the stored live value")
    conn.close()
    assert deltas[-1].summary.top_unacknowledged.id == LOST


def test_an_acknowledgement_is_journaled_with_the_user_and_survives_a_restart(situated):
    start, clock, t0, deltas, cache = situated
    svc = start()
    clock.now = t0 + 7 * 3600
    wait_for(lambda: latest(deltas, LOST) is not None, what="the lost-signal alarm")
    transitions = svc.acknowledge(LOST, user="an.nguyen", reason="calling the vessel").result(10)
    assert [(t.event, t.to_state) for t in transitions] == [("acknowledge", ACKNOWLEDGED)]
    # resolved once committed: the journal has it, with who and why
    assert journal(cache, LOST)[-1][:4] == ("acknowledge", UNACKNOWLEDGED, ACKNOWLEDGED,
                                            "an.nguyen")
    wait_for(lambda: latest(deltas, LOST).state == ACKNOWLEDGED, what="the delta")
    svc.stop()

    clock.now = t0 + 8 * 3600
    again = start()
    alarm = again.engine.get(LOST)
    assert alarm.state == ACKNOWLEDGED and alarm.acked_by == "an.nguyen"
    # restored, not raised again: one raise in the journal
    assert [e[0] for e in journal(cache, LOST)].count("raise") == 1
    with pytest.raises(KeyError):
        again.acknowledge("vessels.lost_signal/nobody", user="an.nguyen").result(10)


def test_a_batch_submitted_once_the_load_is_queued_reaches_the_models_as_a_batch(tmp_path):
    """The feed starts when the models' read of the cache is queued on the writer, not
    once they are ready (cold start): a fix committed while they load must still reach
    them as a batch, so a crossing between it and the cached fix raises the alarm."""
    import threading

    cache = tmp_path / "q.sqlite"
    plugins = [VesselsPlugin()]
    writer = StoreWriter(cache, [s for p in plugins for s in p.topics])
    t0 = time.time() - 1200
    writer.submit([EventRecord("vessels", 1, None, "upsert", VESSEL, fix(16.635, 107.70, t0))])
    gate = threading.Event()
    writer.call(lambda store: gate.wait(10))      # the writer busy: the load waits behind
    svc = SituationService(writer, plugins, tick_s=0.05, delta_interval_s=0.05)
    try:
        svc.start()
        assert svc.load_queued.wait(10)
        assert not svc.ready.is_set()               # still loading
        writer.submit([EventRecord("vessels", 2, None, "upsert", VESSEL,
                                   fix(16.635, 107.85, t0 + 600))])
        gate.set()
        assert svc.ready.wait(10)
        wait_for(lambda: journal(cache, ENTRY), what="the crossing's alarm")
        assert journal(cache, ENTRY)[0][:3] == ("raise", "normal", UNACKNOWLEDGED)
    finally:
        gate.set()
        svc.stop()
        writer.close()


def test_the_vessels_model_satisfies_the_situation_protocol():
    assert isinstance(VesselsModel(), SituationModel)
    plugin = VesselsPlugin()
    assert isinstance(plugin.create_model(), VesselsModel)
    assert {r.id for r in plugin.alarm_rules()} >= {AREA_ENTRY, LOST_SIGNAL}


def test_plugin_models_and_rules_import_no_qt():
    script = textwrap.dedent("""
        import importlib, pkgutil, sys
        class Blocker:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph", "folium"):
                    raise ImportError(f"blocked for this test: {name}")
        sys.meta_path.insert(0, Blocker())
        import plugins
        found = []
        for pkg in pkgutil.iter_modules(plugins.__path__):
            for part in ("model", "rules"):
                name = f"plugins.{pkg.name}.{part}"
                try:
                    spec = importlib.util.find_spec(name)
                except ImportError:
                    spec = None
                if spec is not None:
                    importlib.import_module(name)
                    found.append(name)
        print(" ".join(found))
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert {"plugins.vessels.model", "plugins.vessels.rules"} <= set(proc.stdout.split())


# ------------------------------------------------------------------ the banner
def test_the_banner_shows_the_engines_top_alarm_with_its_live_value(qtbot, tmp_path):
    from ioc_desktop.plugin_api import LoadedPlugin
    from widgets.main_window import MainWindow

    quiet = VesselsPlugin()
    quiet.simulator_class = None         # no demo fleet: our vessel is the banner's top alarm
    backend = DemoBackend([quiet], seed=3, rate=0)
    plugin = VesselsPlugin()
    backend.start_in_thread()
    t0 = time.time() - 60
    clock = Clock(time.time())
    service = FeedService(ClientConfig(server=backend.url(), cache=tmp_path / "c.sqlite",
                                       lang="en"), [plugin],
                          situation_options={"clock": clock, "tick_s": 0.05})
    window = MainWindow(service, [LoadedPlugin(plugin.name, plugin)], with_map=False,
                        reset_layout=True)
    qtbot.addWidget(window)
    service.start()
    try:
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
        backend.publish("vessels", VESSEL, fix(16.3, 107.9, t0))
        qtbot.waitUntil(lambda: service.situation.models["vessels"].model.last_fix(VESSEL)
                        is not None, timeout=10000)
        clock.now = t0 + 7 * 3600
        qtbot.waitUntil(lambda: "no position for 7.0 h" in window.banner.label.text(),
                        timeout=10000)
        # unacknowledged, on current data (once the window has seen the feed's data)
        qtbot.waitUntil(lambda: window.banner.flashing, timeout=5000)
        clock.now = t0 + 9.5 * 3600                 # the same alarm, its value now
        qtbot.waitUntil(lambda: "no position for 9.5 h" in window.banner.label.text(),
                        timeout=10000)
        assert len([a for a in window.banner.alarms.values() if a.key == LOST]) == 1

        window.banner.ack.click()                   # the operator acknowledges it there
        wait_for(lambda: journal(service.config.cache, LOST)[-1:] and
                 journal(service.config.cache, LOST)[-1][0] == "acknowledge",
                 what="the journaled acknowledgement")
        assert journal(service.config.cache, LOST)[-1][2:4] == (
            ACKNOWLEDGED, service.user["name"] or "local operator")
        qtbot.waitUntil(lambda: not window.banner.ack.isEnabled(), timeout=5000)
    finally:
        service.stop()
        backend.stop()


# ------------------------------------------------------------------ suppression across plugins
def test_the_rivers_bd2_alarm_suppresses_the_flooded_streets_of_another_plugin(tmp_path):
    """Suppression by design across plugins, through the service: the environment's BĐ2
    rule lists the cameras' flooded-street rule; each plugin is evaluated on its own."""
    from ioc_desktop.alarms import SUPPRESSED
    from plugins.cameras import CamerasPlugin
    from plugins.cameras import schema as camera_schema
    from plugins.environment import EnvironmentPlugin
    from plugins.environment import schema as env_schema

    t0 = 1_763_870_400.0                    # 2025-11-23T04:00Z: a fixed epoch
    stamp = datetime.fromtimestamp(t0, VN_TZ).isoformat(timespec="seconds")
    street = camera_schema.validate({
        "camera_id": "CAM-02", "name": "Chợ Đông Ba", "lat": 16.4733, "long": 107.5882,
        "online": True, "detection": {"kind": "flooded_street", "confidence": 0.9, "time": stamp}})
    level = env_schema.validate({
        "station_id": "kim_long", "station_name": "Kim Long", "quantity": "water_level",
        "value": 2.3, "phenomenonTime": stamp, "thresholds": {"BD1": 1.0, "BD2": 2.0, "BD3": 3.5}})
    plugins = [EnvironmentPlugin(), CamerasPlugin()]
    cache = tmp_path / "x.sqlite"
    writer = StoreWriter(cache, [s for p in plugins for s in p.topics])
    clock = Clock(t0)
    deltas: list = []
    svc = SituationService(writer, plugins, on_delta=deltas.append, clock=clock, tick_s=0.05,
                           delta_interval_s=0.05)
    flood = alarm_id_for("cameras.flooded_street", "CAM-02")
    river = alarm_id_for("environment.river_bd2", "kim_long/water_level")
    try:
        svc.start()
        assert svc.ready.wait(10)
        writer.submit([EventRecord("cameras", 1, stamp, "upsert", "CAM-02", street)])
        wait_for(lambda: latest(deltas, flood) is not None, what="the flooded-street alarm")
        assert latest(deltas, flood).state == UNACKNOWLEDGED
        writer.submit([EventRecord("environment", 1, stamp, "upsert", "kim_long/water_level",
                                   level)])
        wait_for(lambda: svc.models["environment"].model.flood_level("kim_long/water_level") == 2,
                 what="the river at BĐ2 in the model")
        clock.now = t0 + 61                  # past the river alarm's on-delay
        wait_for(lambda: latest(deltas, flood).state == SUPPRESSED, what="the suppression")
        assert latest(deltas, flood).suppressed_by == river
        assert [a.id for a in deltas[-1].summary.suppressed[river]] == [flood]
        wait_for(lambda: "suppress" in [e[0] for e in journal(cache, flood)],
                 what="the journaled suppression")
    finally:
        svc.stop()
        writer.close()
