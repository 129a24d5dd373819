"""The alarm views (issue 8, parts 2.4, 2.5, 2.7): the summary (order, words and colours,
filters, multi-select acknowledge, shelve dialog, out-of-service role gate, source
select, suppressed groups), the shelved / out-of-service lists, the history over a real
cache file, the banner's counts and live value, the annunciator wired to the views with
a fake clock, and the health panel over a real journal.

The rig is a real :class:`AlarmEngine` whose every step is journaled in a real SQLite
cache (``journal.record``), behind the surface of ``FeedService`` the views use:
``alarm_action`` (applies, journals, delivers an ``AlarmDelta``, returns a resolved
future), ``run_read`` (a read-only connection on another thread, the callback back on
the GUI thread) and ``user``.  Times are fixed epochs: nothing depends on today.
"""
from __future__ import annotations

import sqlite3
import threading
from concurrent.futures import Future

import pytest
from PySide6 import QtCore, QtGui
from PySide6.QtTest import QTest

from ioc_desktop.alarms import (ACKNOWLEDGED, OUT_OF_SERVICE, SHELVED, SUPPRESSED,
                                UNACKNOWLEDGED, AlarmEngine, AlarmRule, Condition, journal)
from ioc_desktop.alarms.annunciator import NEW, SILENCE_EXPIRED
from ioc_desktop.alarms.health import alarm_health
from ioc_desktop.situation import AlarmDelta
from widgets.alarm_summary import AlarmSummaryModel
from widgets.feed_status import clock_text
from widgets.theme import ALARM

Qt = QtCore.Qt
T0 = 1_699_956_000.0          # 2023-11-14T10:00:00Z (17:00 in Huế): fixed, not today
RIVER = "environment.river_level"
STREET = "cameras.flooded_street"
LOST = "vessels.lost_signal"
HOSTILE = "<b>TTH 990001</b><img src=x onerror=alert(1)>"
OPERATOR = {"name": "an.nguyen", "roles": ["operator"]}
SUPERVISOR = {"name": "binh.tran", "roles": ["operator", "supervisor"]}


def river(model, ctx):
    """Priority rising with the level: BĐ3 is 1, BĐ2 is 2, BĐ1 is 3."""
    for key, level in model.get(RIVER, {}).items():
        for mark, threshold, priority in (("BĐ3", 3.5, 1), ("BĐ2", 2.0, 2), ("BĐ1", 1.0, 3)):
            if level is not None and level >= threshold:
                yield Condition(key, f"{key} {level:.2f} m, above {mark}", level, priority)
                break


def flagged(rule_id: str, text: str):
    def condition(model, ctx):
        for key, value in model.get(rule_id, {}).items():
            if value:
                yield Condition(key, text.format(key=key, value=value), value)
    return condition


RULES = [
    AlarmRule(RIVER, 3, river, suppresses=(STREET,), source=("environment", None)),
    AlarmRule(STREET, 3, flagged(STREET, "{key}: street flooded"), source=("cameras", None)),
    AlarmRule(LOST, 2, flagged(LOST, "{key}: no position for {value} h"), source=("vessels", None)),
]
TITLES = {"environment": "River levels", "cameras": "City cameras", "vessels": "Fishing vessels"}


def title(alarm) -> str:
    return TITLES.get(alarm.source_topic, alarm.source_topic or "?")


class Clock:
    def __init__(self, now: float):
        self.now = now

    def __call__(self) -> float:
        return self.now


class _Back(QtCore.QObject):
    done = QtCore.Signal(object, object)


class Rig:
    """An engine journaled in a real cache, with FeedService's alarm surface."""

    def __init__(self, path, clock: Clock, user: dict | None = None):
        self.path = path
        self.clock = clock
        self.user = dict(user or OPERATOR)
        self.engine = AlarmEngine()
        self.engine.add_rules("test", RULES)
        self.model: dict[str, dict] = {}
        self.conn = sqlite3.connect(path, check_same_thread=False)
        journal.ensure_schema(self.conn)
        self.conn.commit()
        self.listeners: list = []
        self.actions: list[tuple] = []
        self._back = _Back()
        self._back.done.connect(lambda callback, result: callback(result))
        self.threads: list[threading.Thread] = []

    # -- the engine
    def set(self, rule: str, at: float | None = None, **keys) -> None:
        if at is not None:
            self.clock.now = at
        self.model.setdefault(rule, {}).update(keys)
        self._record(self.engine.evaluate("test", self.model, self.clock.now))

    def _record(self, transitions) -> None:
        changed = self.engine.take_changed()
        journal.record(self.conn, transitions, changed)
        self.conn.commit()
        delta = AlarmDelta(changed, self.engine.summary())
        for listener in self.listeners:
            listener(delta)

    # -- FeedService's surface
    def alarm_action(self, action, target, **kwargs):
        self.actions.append((action, target, kwargs))
        user = self.user["name"] or "local operator"
        future: Future = Future()
        try:
            transitions = getattr(self.engine, action)(target, user=user, now=self.clock.now, **kwargs)
        except Exception as exc:
            future.set_exception(exc)
            return future
        self._record(transitions)
        future.set_result(transitions)
        return future

    def run_read(self, fn, callback) -> None:
        def work():
            conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            try:
                result = fn(conn)
            except Exception:
                result = None
            finally:
                conn.close()
            self._back.done.emit(callback, result)
        thread = threading.Thread(target=work, daemon=True)
        self.threads.append(thread)
        thread.start()

    def events(self, alarm_id=None) -> list[tuple]:
        sql = "SELECT event, alarm_id, user, reason, priority, until, to_state FROM alarm_events"
        if alarm_id is None:
            return self.conn.execute(sql + " ORDER BY seq").fetchall()
        return self.conn.execute(sql + " WHERE alarm_id = ? ORDER BY seq", (alarm_id,)).fetchall()

    def close(self) -> None:
        for thread in self.threads:
            thread.join(5)
        self.conn.close()


class FakeEffect:
    def __init__(self, log, priority):
        self.log, self.priority = log, priority

    def play(self):
        self.log.append(("play", self.priority))

    def stop(self):
        pass


@pytest.fixture
def rig(tmp_path):
    r = Rig(tmp_path / "cache.sqlite", Clock(T0))
    yield r
    r.close()


@pytest.fixture
def center(qtbot, rig):
    from widgets.alarm_banner import AlarmBanner
    from widgets.alarm_center import AlarmCenter
    from widgets.annunciator_player import AnnunciatorPlayer

    played: list = []
    player = AnnunciatorPlayer(clock=rig.clock,
                               effect_factory=lambda p, path, volume: FakeEffect(played, p))
    banner = AlarmBanner()
    qtbot.addWidget(banner)
    c = AlarmCenter(rig, banner=banner, source_title=title, clock=rig.clock, player=player)
    for name, panel in c.panels().items():
        qtbot.addWidget(panel)
        panel.resize(1400, 700)
        if name in ("summary", "lists"):
            panel.show()
    rig.listeners.append(c.apply_delta)
    c.played = played
    yield c
    c.shutdown()


def rows(panel) -> list:
    """The summary's rows as shown: (alarm id, priority, state, age, value, text, source)."""
    out = []
    for r in range(panel.proxy.rowCount()):
        alarm = panel.proxy.index(r, 0).data(AlarmSummaryModel.ALARM_ROLE)
        out.append((alarm.id,) + tuple(panel.proxy.index(r, c).data()
                                        for c in range(panel.proxy.columnCount())))
    return out


def select_ids(panel, *ids) -> None:
    panel.view.clearSelection()
    sm = panel.view.selectionModel()
    for alarm_id in ids:
        row = panel.model.row_of(alarm_id)
        index = panel.proxy.mapFromSource(panel.model.index(row, 0))
        sm.select(index, QtCore.QItemSelectionModel.SelectionFlag.Select
                  | QtCore.QItemSelectionModel.SelectionFlag.Rows)
        if alarm_id == ids[0]:
            sm.setCurrentIndex(index, QtCore.QItemSelectionModel.SelectionFlag.NoUpdate)


def flood(rig) -> None:
    """Four alarms: P3, P2 and P2 later, P1 last, at fixed times."""
    rig.set(RIVER, T0, **{"Phú Ốc": 1.6})                       # P3 at T0
    rig.set(LOST, T0 + 60, **{"T-1": 7})                        # P2
    rig.set(LOST, T0 + 120, **{HOSTILE: 8})                     # P2, newer
    rig.set(RIVER, T0 + 180, **{"Kim Long": 3.62})              # P1


# ================================================================ the summary
def test_the_summary_sorts_by_priority_then_newest_with_state_in_words_and_colour(center, rig):
    panel = center.summary
    resets: list = []
    panel.model.modelReset.connect(lambda: resets.append(1))
    flood(rig)
    ids = [r[0] for r in rows(panel)]
    assert ids == [f"{RIVER}/Kim Long", f"{LOST}/{HOSTILE}", f"{LOST}/T-1", f"{RIVER}/Phú Ốc"]
    first = rows(panel)[0]
    assert first[1:3] == ("1 · Critical", "Unacknowledged")
    assert first[4:] == ("3.62", "Kim Long 3.62 m, above BĐ3", "River levels")
    # colour AND words: the priority cell on its colour, the state in the alarm red
    assert panel.proxy.index(0, 0).data(Qt.ItemDataRole.BackgroundRole).color() == QtGui.QColor(ALARM)
    assert panel.proxy.index(0, 1).data(Qt.ItemDataRole.ForegroundRole).color() == QtGui.QColor(ALARM)
    # hostile text is plain text: shown as it is, escaped in the tooltip
    hostile = rows(panel)[1]
    assert hostile[5] == f"{HOSTILE}: no position for 8 h"
    tip = panel.proxy.index(1, 4).data(Qt.ItemDataRole.ToolTipRole)
    assert "&lt;img src=x" in tip and "<img" not in tip
    # ages tick with the clock
    rig.clock.now = T0 + 300
    panel.model.tick_column("age")
    assert [r[3] for r in rows(panel)] == ["2 min", "3 min", "4 min", "5 min"]
    # the live value follows, one row changes, nothing is rebuilt
    changed: list = []
    panel.model.dataChanged.connect(lambda a, b, roles=(): changed.append((a.row(), b.row())))
    rig.set(RIVER, T0 + 310, **{"Kim Long": 3.71})
    assert rows(panel)[0][4:6] == ("3.71", "Kim Long 3.71 m, above BĐ3")
    assert changed == [(panel.model.row_of(f"{RIVER}/Kim Long"),) * 2]
    assert not resets
    assert panel.counts.text() == "4 unacknowledged · 4 active · 0 shelved · 0 out of service"
    # cleared: it stays listed until acknowledged (returned to normal, unacknowledged)
    rig.set(RIVER, T0 + 320, **{"Phú Ốc": 0.5})
    assert rows(panel)[-1][2] == "Cleared, unacknowledged"


def test_the_summary_filters_by_priority_state_source_and_text(center, rig, qtbot):
    panel = center.summary
    flood(rig)
    rig.alarm_action("acknowledge", f"{LOST}/T-1")
    panel.filters.set_value("priority", (2,))
    assert [r[0] for r in rows(panel)] == [f"{LOST}/{HOSTILE}", f"{LOST}/T-1"]
    panel.filters.set_value("state", (ACKNOWLEDGED,))
    assert [r[0] for r in rows(panel)] == [f"{LOST}/T-1"]
    panel.filters.clear()
    panel.filters.set_value("source", ("River levels",))
    assert {r[0] for r in rows(panel)} == {f"{RIVER}/Kim Long", f"{RIVER}/Phú Ốc"}
    panel.filters.clear()
    panel.filters.set_value("text", "phú ốc")
    assert [r[0] for r in rows(panel)] == [f"{RIVER}/Phú Ốc"]
    assert panel.empty.text() == "Showing 1 of 4 alarms"
    panel.filters.set_value("text", "nothing like this")
    assert rows(panel) == [] and panel.empty.text() == "No alarm matches the filters (4 active)"
    # selecting an alarm hidden by the filters clears them (the banner's click)
    assert panel.select_alarm(f"{LOST}/T-1")
    assert len(rows(panel)) == 4
    assert panel.current_alarm().id == f"{LOST}/T-1"


def test_a_and_space_acknowledge_the_selection_and_the_journal_has_who(center, rig, qtbot):
    panel = center.summary
    flood(rig)
    select_ids(panel, f"{RIVER}/Kim Long", f"{LOST}/T-1")
    QTest.keyClick(panel.view, Qt.Key.Key_A)
    assert rig.engine.get(f"{RIVER}/Kim Long").state == ACKNOWLEDGED
    assert rig.engine.get(f"{LOST}/T-1").state == ACKNOWLEDGED
    assert rig.engine.get(f"{LOST}/{HOSTILE}").state == UNACKNOWLEDGED
    assert rig.events(f"{LOST}/T-1")[-1][:3] == ("acknowledge", f"{LOST}/T-1", "an.nguyen")
    states = {r[0]: r[2] for r in rows(panel)}
    assert states[f"{RIVER}/Kim Long"] == "Acknowledged"
    qtbot.waitUntil(lambda: "done for 2 of 2" in panel.message.text(), timeout=2000)
    select_ids(panel, f"{LOST}/{HOSTILE}")
    QTest.keyClick(panel.view, Qt.Key.Key_Space)
    assert rig.engine.get(f"{LOST}/{HOSTILE}").state == ACKNOWLEDGED
    # nothing left to acknowledge in an acknowledged selection: said, nothing sent
    sent = len(rig.actions)
    QTest.keyClick(panel.view, Qt.Key.Key_A)
    assert len(rig.actions) == sent and "Nothing to acknowledge" in panel.message.text()


def test_s_shelves_with_a_required_reason_and_a_listed_expiry(center, rig, qtbot):
    panel, lists, banner = center.summary, center.lists, center.banner
    flood(rig)
    select_ids(panel, f"{LOST}/T-1", f"{RIVER}/Phú Ốc")
    QTest.keyClick(panel.view, Qt.Key.Key_S)
    dialog = panel.dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok.isEnabled()                          # no reason, no shelve
    assert [dialog.expiry.itemText(i) for i in range(dialog.expiry.count())] == [
        "15 minutes", "1 hour", "4 hours", "8 hours (end of shift)"]
    dialog.reason.setEditText("Calling the vessel by radio")
    dialog.expiry.setCurrentIndex(2)
    assert dialog.ok.isEnabled()
    dialog.ok.click()
    alarm = rig.engine.get(f"{LOST}/T-1")
    assert alarm.state == SHELVED and alarm.shelved_until == T0 + 180 + 4 * 3600
    assert alarm.shelve_reason == "Calling the vessel by radio" and alarm.shelved_by == "an.nguyen"
    assert rig.events(f"{LOST}/T-1")[-1][:4] == ("shelve", f"{LOST}/T-1", "an.nguyen",
                                                 "Calling the vessel by radio")
    assert {r[0] for r in rows(panel)} == {f"{RIVER}/Kim Long", f"{LOST}/{HOSTILE}"}
    # the shelved list: who, why, since, until; the counts everywhere
    assert lists.shelved.rowCount() == 2 and lists.tabs.tabText(0) == "Shelved (2)"
    row = lists.shelved.row_of(f"{LOST}/T-1")
    cells = [lists.shelved.index(row, c).data() for c in range(lists.shelved.columnCount())]
    until = T0 + 180 + 4 * 3600
    assert cells[1:6] == ["T-1: no position for 7 h", "Fishing vessels", "an.nguyen",
                          "Calling the vessel by radio", clock_text(T0 + 180, rig.clock.now)]
    assert cells[6] == f"{clock_text(until, rig.clock.now)} (in 4 h)" and cells[7] == "active"
    assert "2 shelved" in banner.count_text() and "2 shelved" in center.status_button.text()
    # unshelve: back in the summary, annunciated again (active)
    lists.shelved_view.select_alarm(f"{LOST}/T-1")
    QTest.keyClick(lists.shelved_view, Qt.Key.Key_U)
    assert rig.engine.get(f"{LOST}/T-1").state == UNACKNOWLEDGED
    assert f"{LOST}/T-1" in {r[0] for r in rows(panel)} and lists.shelved.rowCount() == 1


def test_out_of_service_is_for_supervisors_only(center, rig, qtbot):
    panel, lists = center.summary, center.lists
    flood(rig)
    assert not panel.oos_button.isEnabled()
    tip = QtGui.QTextDocumentFragment.fromHtml(panel.oos_button.toolTip()).toPlainText()
    assert tip == "Only a supervisor can take alarms out of service; signed in: an.nguyen (operator)"
    select_ids(panel, f"{RIVER}/Phú Ốc")
    QTest.keyClick(panel.view, Qt.Key.Key_O)
    assert panel.dialog is None and "Only a supervisor" in panel.message.text()
    assert not any(a[0] == "remove_from_service" for a in rig.actions)

    rig.user = dict(SUPERVISOR)
    center.set_user(rig.user)
    assert panel.oos_button.isEnabled()
    QTest.keyClick(panel.view, Qt.Key.Key_O)
    dialog = panel.dialog
    assert dialog.expiry is None and not dialog.ok.isEnabled()
    dialog.reason.setCurrentIndex(1)                         # from the short list
    dialog.ok.click()
    alarm = rig.engine.get(f"{RIVER}/Phú Ốc")
    assert alarm.state == OUT_OF_SERVICE and alarm.oos_by == "binh.tran"
    assert alarm.oos_reason == "Device removed or under repair"
    assert lists.out_of_service.rowCount() == 1 and lists.tabs.tabText(1) == "Out of service (1)"
    cells = [lists.out_of_service.index(0, c).data() for c in range(lists.out_of_service.columnCount())]
    assert cells[3:6] == ["binh.tran", "Device removed or under repair",
                          clock_text(T0 + 180, rig.clock.now)]
    assert "1 out of service" in center.status_button.text()
    # returning it is a supervisor's too
    center.set_user(OPERATOR)
    assert not lists.return_button.isEnabled()
    center.set_user(SUPERVISOR)
    lists.oos_view.select_alarm(f"{RIVER}/Phú Ốc")
    lists.return_button.click()
    assert rig.engine.get(f"{RIVER}/Phú Ốc").state == UNACKNOWLEDGED
    assert lists.out_of_service.rowCount() == 0


def test_enter_and_double_click_ask_for_the_source(center, rig, qtbot):
    panel = center.summary
    flood(rig)
    asked: list = []
    center.sourceRequested.connect(lambda topic, key: asked.append((topic, key)))
    panel.select_alarm(f"{LOST}/T-1")
    QTest.keyClick(panel.view, Qt.Key.Key_Return)
    index = panel.proxy.mapFromSource(panel.model.index(panel.model.row_of(f"{RIVER}/Kim Long"), 4))
    panel.view.doubleClicked.emit(index)
    assert asked == [("vessels", "T-1"), ("environment", "Kim Long")]


def test_suppressed_alarms_are_grouped_under_their_suppressor(center, rig, qtbot):
    panel = center.summary
    rig.set(STREET, T0, **{"Lê Lợi": 1, "Hùng Vương": 1, "Trần Phú": 1})
    rig.set(LOST, T0 + 10, **{"T-1": 7})
    rig.set(RIVER, T0 + 20, **{"Kim Long": 2.4})                 # P2: suppresses the streets
    street_ids = {f"{STREET}/{k}" for k in ("Lê Lợi", "Hùng Vương", "Trần Phú")}
    assert all(rig.engine.get(i).state == SUPPRESSED for i in street_ids)
    shown = rows(panel)
    assert [r[0] for r in shown] == [f"{RIVER}/Kim Long", f"{LOST}/T-1"]   # collapsed
    assert shown[0][5] == "Kim Long 2.40 m, above BĐ2   ▸ 3 suppressed"
    assert "3 suppressed" in panel.counts.text()
    panel.select_alarm(f"{RIVER}/Kim Long")
    QTest.keyClick(panel.view, Qt.Key.Key_Right)                 # open the group
    shown = rows(panel)
    assert shown[0][0] == f"{RIVER}/Kim Long" and "▾ 3 suppressed" in shown[0][5]
    assert {r[0] for r in shown[1:4]} == street_ids               # right under it
    assert all(r[2] == "Suppressed by design" and r[5].startswith("    ↳ ") for r in shown[1:4])
    assert shown[4][0] == f"{LOST}/T-1"
    QTest.keyClick(panel.view, Qt.Key.Key_Left)
    assert len(rows(panel)) == 2
    panel.show_suppressed.setChecked(True)
    assert len(rows(panel)) == 5
    # the suppressor clears: they are annunciated on their own, at their own place
    panel.show_suppressed.setChecked(False)
    rig.set(RIVER, T0 + 30, **{"Kim Long": 0.2})
    states = {r[0]: r[2] for r in rows(panel)}
    assert all(states[i] == "Unacknowledged" for i in street_ids)


# ================================================================ history
def test_the_history_filters_the_journal_of_a_real_cache_file(center, rig, qtbot):
    history = center.history
    day = 86400
    rig.set(RIVER, T0 - 2 * day, **{"Kim Long": 2.2})              # two days before
    rig.alarm_action("acknowledge", f"{RIVER}/Kim Long")
    rig.set(LOST, T0, **{"T-1": 7})
    rig.user = dict(SUPERVISOR)
    rig.alarm_action("shelve", f"{LOST}/T-1", until=T0 + 3600, reason="radio call")
    rig.user = dict(OPERATOR)
    for n in range(5):
        rig.set(LOST, T0 + 100 + n, **{f"V-{n}": 7})

    def load():
        with qtbot.waitSignal(history.loaded, timeout=5000):
            history.refresh()
        return [(r.event, r.alarm_id, r.user) for r in history.page.rows]

    history.set_period(T0 - 60, T0 + 600)
    assert len(load()) == 7 and history.status.text() == "7 events"
    assert history.page.rows[0].alarm_id == f"{LOST}/V-4"           # newest first
    history.set_period(T0 - 3 * day, T0 + 600)
    assert len(load()) == 9
    history.filters.set_value("event", ("acknowledge", "shelve"))
    assert load() == [("shelve", f"{LOST}/T-1", "binh.tran"),
                      ("acknowledge", f"{RIVER}/Kim Long", "an.nguyen")]
    # the text shown and the detail (reason, until)
    model = history.model
    assert model.index(0, 2).data() == "T-1: no position for 7 h"
    assert model.index(0, 6).data() == f"radio call · until {clock_text(T0 + 3600)}"
    assert model.index(1, 4).data() == "Unacknowledged → Acknowledged"
    history.user.setEditText("binh.tran")
    assert load() == [("shelve", f"{LOST}/T-1", "binh.tran")]
    assert set(history.page.users) == {"an.nguyen", "binh.tran"}
    history.user.setEditText("")
    history.filters.set_value("event", ())
    history.filters.set_value("text", "kim long")                  # the alarm's text or id
    assert {a for _, a, _ in load()} == {f"{RIVER}/Kim Long"}
    history.filters.set_value("text", "")
    history.limit.setCurrentIndex(0)                                 # newest 200
    for n in range(210):
        rig.set(RIVER, T0 + 1000 + n, **{"Phú Ốc": 1.5 if n % 2 == 0 else 0.2})
    history.set_period(T0 - 3 * day, T0 + 2000)
    load()
    assert len(history.page.rows) == 200
    assert history.status.text() == f"Showing the newest 200 of {history.page.total} events"
    assert history.page.total == 9 + 210


def test_the_history_says_when_the_cache_has_no_journal(qtbot, tmp_path):
    from widgets.alarm_history import AlarmHistoryPanel
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()
    clock = Clock(T0)
    rig = Rig(tmp_path / "other.sqlite", clock)
    rig.path = empty
    panel = AlarmHistoryPanel(rig.run_read, clock=clock)
    qtbot.addWidget(panel)
    with qtbot.waitSignal(panel.loaded, timeout=5000):
        panel.refresh()
    assert panel.status.text() == "No alarm journal in the cache yet"
    rig.close()


# ================================================================ banner, main window
def test_the_banner_counts_shows_the_live_value_and_opens_the_summary(qtbot, tmp_path, rig):
    from ioc_desktop.config import ClientConfig
    from ioc_desktop.plugin_api import LoadedPlugin
    from ioc_desktop.qt_bridge import FeedService
    from plugins.vessels import VesselsPlugin
    from widgets.main_window import MainWindow

    plugin = VesselsPlugin()
    service = FeedService(ClientConfig(cache=tmp_path / "c.sqlite", lang="en", offline=True),
                          [plugin])
    window = MainWindow(service, [LoadedPlugin(plugin.name, plugin)], with_map=False,
                        reset_layout=True)
    qtbot.addWidget(window)
    window.resize(1600, 900)
    window.show()
    rig.listeners.append(service.alarmsChanged.emit)        # as the situation layer would
    rig.set(LOST, T0, **{"T-1": 7})
    rig.set(LOST, T0 + 1, **{"T-2": 9})
    rig.set(RIVER, T0 + 2, **{"Phú Ốc": 1.6})
    rig.alarm_action("shelve", f"{LOST}/T-2", until=T0 + 900, reason="known")
    banner = window.banner
    assert banner.label.text() == "T-1: no position for 7 h"     # the top unacknowledged
    # (the service is offline: its alarms are said to be not current, as they must)
    assert banner.count.text().splitlines() == [
        "2 unacknowledged · 2 active · 1 shelved · 0 out of service", "2 not current"]
    rig.set(LOST, T0 + 60, **{"T-1": 8})                         # its live value
    assert banner.label.text() == "T-1: no position for 8 h"
    assert window.alarms.status_button.text().startswith(
        "Alarms: 2 unacknowledged · 1 shelved · 0 out of service")
    # review mode (offline): no tone for the past, and the views say so
    assert not window.alarms.player.audio_available
    assert window.alarms.summary.sound.text() == "Sound off" == banner.sound.text()
    # clicking the banner: the summary comes forward on that alarm
    window.alarm_docks["history"].raise_()
    QTest.mouseClick(banner, Qt.MouseButton.LeftButton)
    summary = window.alarms.summary
    qtbot.waitUntil(lambda: summary.isVisible(), timeout=3000)
    assert summary.current_alarm().id == f"{LOST}/T-1"
    # Enter there: the vessels' panel comes forward (the main window's select)
    window.docks["vessels/fleet"].hide()
    QTest.keyClick(summary.view, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.docks["vessels/fleet"].isVisible(), timeout=3000)
    # the Alarms menu has the panels and the silence, with their keys
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Alarms")
    assert [(a.text(), a.shortcut().toString()) for a in menu.actions() if a.text()] == [
        ("Alarm summary", "F2"), ("Shelved and out of service", "F3"), ("Alarm history", "F4"),
        ("Alarm system health", "F6"), ("Silence the alarm tone", "F8")]
    window.close()


# ================================================================ the annunciator, wired
def test_the_annunciator_sounds_again_after_a_silence_expires_while_unacknowledged(center, rig, qtbot):
    panel, banner, player = center.summary, center.banner, center.player
    rig.set(RIVER, T0, **{"Kim Long": 3.62})                     # P1, unacknowledged
    assert [(c.priority, c.reason) for c in player.cues] == [(1, NEW)]
    assert center.played[-1] == ("play", 1)
    assert panel.sound.text() == "Sounding: priority 1" and panel.silence_button.isEnabled()
    assert not banner.silence.isHidden() and banner.silence.isEnabled()

    rig.clock.now = T0 + 2
    panel.silence_button.click()                                 # silence, not acknowledge
    until = T0 + 2 + 180
    assert rig.actions[-1] == ("silence", 1, {"until": until, "reason": None})
    assert rig.events()[-1][:1] == ("silence",) and rig.events()[-1][4:6] == (1, until)
    assert rig.engine.get(f"{RIVER}/Kim Long").state == UNACKNOWLEDGED
    assert panel.sound.text() == f"Silenced until {clock_text(until, T0)}"
    assert banner.sound.text() == panel.sound.text()
    qtbot.waitUntil(lambda: "stay unacknowledged" in panel.message.text(), timeout=2000)
    assert f"Silenced until {clock_text(until, T0)}" in center.status_button.text()

    played = len(center.played)
    rig.clock.now = T0 + 60                                       # still silenced
    assert player.tick() == [] and len(center.played) == played
    rig.set(RIVER, T0 + 61, **{"Kim Long": 3.7})                  # a new value: still muted
    assert len(center.played) == played
    rig.clock.now = until                                         # the silence expires
    cues = player.tick()
    assert [(c.priority, c.reason) for c in cues] == [(1, SILENCE_EXPIRED)]
    assert center.played[-1] == ("play", 1) and panel.sound.text() == "Sounding: priority 1"
    # acknowledging stops it; nothing is left to silence
    rig.alarm_action("acknowledge", f"{RIVER}/Kim Long")
    assert player.state().sounding is None and not panel.silence_button.isEnabled()
    assert panel.sound.text() == "Sound on"


def test_without_sound_the_views_say_so_and_the_decisions_go_on(qtbot, rig):
    from widgets.alarm_center import AlarmCenter
    from widgets.annunciator_player import AnnunciatorPlayer

    player = AnnunciatorPlayer(clock=rig.clock, audio=False)
    c = AlarmCenter(rig, source_title=title, clock=rig.clock, player=player)
    qtbot.addWidget(c.summary)
    rig.listeners.append(c.apply_delta)
    assert c.summary.sound.text() == "Sound off"
    rig.set(LOST, T0, **{"T-1": 7})
    assert [cue.reason for cue in player.cues] == [NEW]
    c.silence()
    assert c.summary.sound.text() == f"Sound off · Silenced until {clock_text(T0 + 180, T0)}"
    c.shutdown()
    # no QtMultimedia on this machine (no libpulse), or no device: "Sound unavailable"
    broken = AnnunciatorPlayer(clock=rig.clock, sounds_dir=rig.path.parent)   # no WAV there
    c = AlarmCenter(rig, source_title=title, clock=rig.clock, player=broken)
    qtbot.addWidget(c.summary)
    assert c.summary.sound.text() == "Sound unavailable"
    tip = QtGui.QTextDocumentFragment.fromHtml(c.summary.sound.toolTip()).toPlainText()
    assert tip.startswith("Alarm tones cannot be played on this computer") and broken.audio_problem in tip
    c.shutdown()


# ================================================================ health
def test_the_health_panel_shows_the_figures_of_a_real_journal(center, rig, qtbot):
    health = center.health
    for n in range(12):                                   # a flood: 12 raises in 10 minutes
        rig.set(STREET, T0 + 10 * n, **{f"S-{n}": 1})
    rig.set(RIVER, T0 + 200, **{"Kim Long": 3.6})         # one critical
    for n in range(4):                                    # chattering: 4 changes in 40 s
        rig.set(LOST, T0 + 300 + 10 * n, **{"T-1": 7 if n % 2 == 0 else 0})
    rig.alarm_action("shelve", f"{STREET}/S-0", until=T0 + 3600, reason="known")
    rig.clock.now = T0 + 1200
    with qtbot.waitSignal(health.loaded, timeout=10000):
        health.refresh()
    conn = sqlite3.connect(rig.path)
    expected = alarm_health(conn, now=T0 + 1200)
    conn.close()
    assert health.report == expected and expected.raises == 15
    assert expected.per_10min_peak == 15 and expected.flood_slots == 1
    f = health.figures
    assert f["per10"].value.text() == f"{expected.per_10min_average:.2f} · 15"
    assert "NOT MET" in f["per10"].detail.text()
    assert f["flood"].detail.text() == f"1 of {expected.slots} periods"
    assert f["critical"].value.text() == f"{100 / 15:.1f} %"
    assert f["critical"].detail.text() == "target at most 5.0 %: NOT MET"
    assert f["chattering"].value.text() == "1" and f["stale"].value.text() == "0"
    assert f["shelved"].value.text() == "1" and f["shelved"].detail.text().startswith("1 open")
    assert health.top_table.rowCount() == min(10, len(expected.top))
    assert health.chatter_table.item(0, 0).text() == "T-1: no position for 7 h"
    assert "1 · Critical: 1" in health.priorities.text()


def test_the_banner_puts_a_standing_new_alarm_before_an_older_returned_one(qtbot):
    # Seen in the demo flood: an overdue-reports alarm that had returned to normal
    # (never acknowledged) held the banner while Kim Long stood above BĐ2 at the same
    # priority.  Among unacknowledged alarms of one priority the banner shows one whose
    # condition holds, then the newest.
    from widgets.alarm_banner import AlarmBanner
    banner = AlarmBanner()
    qtbot.addWidget(banner)
    banner.raise_alarm("reports", "reports.overdue/ioc", "Overdue: 1 report", "high",
                       acknowledged=False, active=False, raised_at=100.0)
    banner.raise_alarm("environment", "environment.river_bd2/kim_long",
                       "Kim Long: water level 3.18 m", "high", acknowledged=False,
                       active=True, raised_at=200.0)
    banner.raise_alarm("alerts", "alerts.in_force/x", "Warning in force", "high",
                       acknowledged=False, active=True, raised_at=150.0)
    assert banner.top().key == "environment.river_bd2/kim_long"
    assert "Kim Long: water level 3.18 m" in banner.label.text()
    banner.raise_alarm("cyber", "cyber.serious_event/e", "Cyber: CRITICAL", "critical",
                       acknowledged=False, active=False, raised_at=50.0)
    assert banner.top().key == "cyber.serious_event/e"      # priority first, always
