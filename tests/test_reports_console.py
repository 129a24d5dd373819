"""The supervisor's console for citizen reports: filter bar, SQL queue, keyboard triage,
pending / done / refused, the details pane.  Real cache, real demo backend on loopback."""
from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from datetime import datetime, timedelta

from PySide6 import QtCore, QtWidgets

from demo_backend.server import DemoBackend
from ioc_desktop.config import ClientConfig
from ioc_desktop.feed.client import FeedStatus
from ioc_desktop.plugin_api import LoadedPlugin
from ioc_desktop.qt_bridge import FeedService
from plugins.reports import ReportsPlugin, workflow
from plugins.reports.triage import SETTINGS_LAST_AGENCY, AssignDialog, ReasonDialog
from widgets.filter_bar import ChoiceField, FilterBar, MultiField
from widgets.main_window import MainWindow

Qt = QtCore.Qt
VN = workflow.VN_TZ
HOSTILE = "<img src=x onerror=alert(1)> '; DROP TABLE reports;-- {{7*7}}"


# --------------------------------------------------------------------------- rig
@contextlib.contextmanager
def console_rig(qtbot, tmp_path, *, token: str = "hue-ioc-demo", rate: float = 30.0, port=None):
    """The reports plugin live against a demo backend that keeps its log on disk (so it
    can be stopped and started again with the same epoch), signed in with ``token``."""
    log_path = tmp_path / "backend-log.sqlite"
    backend = DemoBackend([ReportsPlugin()], seed=7, rate=rate, log_path=log_path)
    backend.start_in_thread(**({"port": port} if port else {}))
    service = FeedService(ClientConfig(server=backend.url(), cache=tmp_path / "cache.sqlite",
                                       lang="en", token=token), [ReportsPlugin()])
    window = MainWindow(service, [LoadedPlugin("reports", ReportsPlugin())], with_map=False,
                        reset_layout=True)
    qtbot.addWidget(window)
    window.resize(1700, 1000)
    window.show()
    service.start()
    box = {"backend": backend}
    try:
        qtbot.waitUntil(lambda: service.state.status == FeedStatus.LIVE, timeout=15000)
        yield service, window, box
    finally:
        service.stop()
        box["backend"].stop()


def gui(window):
    return window.guis["reports"]


def cache_rows(service, sql: str, params=()) -> list:
    conn = sqlite3.connect(service.config.cache)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def cached(service, key: str) -> dict | None:
    rows = cache_rows(service, "SELECT data FROM reports WHERE key = ?", (key,))
    return json.loads(rows[0][0]) if rows else None


def report(key: str, minutes_ago: float, **extra) -> dict:
    t = (datetime.now(VN) - timedelta(minutes=minutes_ago)).isoformat(timespec="seconds")
    data = {"service_request_id": key, "service_code": "VSMT", "service_name": "vệ sinh môi trường",
            "description": "Rác thải ùn ứ trước chợ Đông Ba, bốc mùi", "status": "open",
            "ioc_status": "received", "lat": 16.4725, "long": 107.5885, "address": "Chợ Đông Ba",
            "commune": "Phường Phú Xuân", "requested_datetime": t, "updated_datetime": t,
            "channel": "hue_s", "priority": "normal",
            "reporter": {"name": "Người Phản Ánh Bí Mật", "phone": "0900 000 111"}}
    data.update(extra)
    return data


def quiet(box, qtbot, g, keys=()):
    """Stop the simulator's own changes; wait until the queue shows ``keys``."""
    box["backend"].paused = True
    time.sleep(0.3)
    if keys:
        qtbot.waitUntil(lambda: all(cached_key_present(g, k) for k in keys), timeout=10000)


def cached_key_present(g, key) -> bool:
    return any(g.queue.model.key_at(r) == key for r in range(min(g.queue.model.rowCount(), 400)))


def search(qtbot, g, text: str, expect: int) -> None:
    """Type a search with the keyboard (/, the text, Enter) and wait for the rows."""
    q = g.queue
    q.view.setFocus()
    qtbot.keyClick(q.view, Qt.Key.Key_Slash)
    assert q.filters.search.hasFocus()
    q.filters.search.clear()
    type_text(q.filters.search, text)
    qtbot.keyClick(q.filters.search, Qt.Key.Key_Return)
    assert q.view.hasFocus()
    qtbot.waitUntil(lambda: q.model.rowCount() == expect and q.model.key_at(0) is not None, timeout=10000)


def type_text(widget, text: str) -> None:
    """Type text as a keyboard with a Vietnamese layout does: one key event per character
    (QTest.keyClicks handles ASCII only)."""
    from PySide6 import QtGui
    for ch in text:
        for kind in (QtCore.QEvent.Type.KeyPress, QtCore.QEvent.Type.KeyRelease):
            key = Qt.Key.Key_Space if ch == " " else Qt.Key.Key_unknown
            QtWidgets.QApplication.sendEvent(widget, QtGui.QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))


def key_at_cursor(g) -> str | None:
    q = g.queue
    return q.model.key_at(q.current_row())


def press(qtbot, g, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(g.queue.view, key, modifier)


# --------------------------------------------------------------------------- filter bar
def test_filter_bar_emits_plain_values_debounces_the_search_and_clears(qtbot):
    bar = FilterBar([MultiField("colours", "Colour", [("r", "red"), ("g", "green")])],
                    [ChoiceField("order", "Order", [("a", "A first"), ("z", "Z first")]),
                     ChoiceField("state", "State", [(None, "any"), ("on", "on")])],
                    search_placeholder="Search", debounce_ms=150)
    qtbot.addWidget(bar)
    seen = []
    bar.filterChanged.connect(seen.append)
    bar.multi["colours"].set_values(["g"])
    assert seen[-1] == {"colours": ("g",), "order": "a", "state": None, "text": ""}
    assert bar.multi["colours"].text() == "Colour: green"
    bar.set_options("colours", [("r", "red"), ("b", "blue")])      # g stays checked
    assert bar.values()["colours"] == ("g",)
    n = len(seen)
    type_text(bar.search, "ngập")
    assert len(seen) == n                                             # debounced: not per key
    qtbot.waitUntil(lambda: len(seen) == n + 1, timeout=2000)
    assert seen[-1]["text"] == "ngập"
    bar.choices["order"].setCurrentIndex(1)
    bar.clear(keep=("order",))
    assert seen[-1] == {"colours": (), "order": "z", "state": None, "text": ""}
    assert bar.is_default(ignore=("order",)) and not bar.is_default()
    left = []
    bar.searchLeft.connect(lambda: left.append(1))
    bar.search.setText("x")
    qtbot.keyClick(bar.search, Qt.Key.Key_Escape)                    # Esc clears, then leaves
    assert bar.search.text() == "" and left


# --------------------------------------------------------------------------- the SQL queue
def test_filters_narrow_the_sql_and_counts_match(qtbot, tmp_path):
    with console_rig(qtbot, tmp_path) as (service, window, box):
        g = gui(window)
        q = g.queue
        qtbot.waitUntil(lambda: q.model.rowCount() > 60, timeout=15000)
        for i, text in enumerate(("Nước ngập sâu quanh hồ Tịnh Tâm", "Cây đổ gần hồ TỊNH TÂM",
                                  "Rác ở bờ hồ tinh tam")):
            box["backend"].publish("reports", f"PA-TT-{i}", report(f"PA-TT-{i}", 3 + i, description=text))
        quiet(box, qtbot, g)
        qtbot.waitUntil(lambda: q.model.rowCount() == cache_rows(service, "SELECT count(*) FROM reports")[0][0],
                        timeout=10000)

        def same(where_direct: str, params=()):
            expect = cache_rows(service, f"SELECT count(*) FROM reports WHERE {where_direct}", params)[0][0]
            qtbot.waitUntil(lambda: q.model.rowCount() == expect, timeout=5000)
            keys = {q.model.key_at(r) for r in range(q.model.rowCount())}
            qtbot.waitUntil(lambda: None not in {q.model.key_at(r) for r in range(q.model.rowCount())},
                            timeout=5000)
            keys = {q.model.key_at(r) for r in range(q.model.rowCount())}
            direct = {r[0] for r in cache_rows(service, f"SELECT key FROM reports WHERE {where_direct}", params)}
            assert keys == direct
            return expect

        f = q.filters
        f.set_value("states", ("received", "verified"))
        n_states = same("ioc_status IN ('received', 'verified')")
        f.set_value("categories", ("VSMT",))
        n_both = same("ioc_status IN ('received', 'verified') AND service_code = 'VSMT'")
        assert 0 < n_both < n_states < cache_rows(service, "SELECT count(*) FROM reports")[0][0]
        f.clear()
        f.set_value("priorities", ("urgent", "high"))
        same("priority IN ('urgent', 'high')")
        f.clear()
        # free text, with and without diacritics, any case: the same three reports
        for text in ("Tịnh Tâm", "tinh tam", "TỊNH TÂM", "tịnh tam"):
            f.set_value("text", text)
            assert same("key LIKE 'PA-TT-%'") == 3
        f.set_value("text", "tinh tam ngap")
        same("key = 'PA-TT-0'")
        f.clear()
        # SLA: the SQL filter against the workflow's own rule over every report's data
        now = datetime.now(VN)
        states = [workflow.sla_state(json.loads(d), now)
                  for (d,) in cache_rows(service, "SELECT data FROM reports")]
        f.set_value("sla", "overdue")
        qtbot.waitUntil(lambda: q.model.rowCount() == states.count("overdue"), timeout=5000)
        assert states.count("overdue") > 0
        # the counts: matching, overdue, due soon (off the GUI thread, coalesced)
        f.clear()
        qtbot.waitUntil(lambda: q.sla_counts is not None and q.sla_counts["overdue"] == states.count("overdue")
                        and q.sla_counts["due_soon"] == states.count("due_soon"), timeout=5000)
        assert f"{states.count('overdue')} overdue" in q.summary.text()
        assert f"{q.model.rowCount()} matching" in q.summary.text()
        # the SLA column says it in words (colour is not alone)
        texts = [q.model.data(q.model.index(r, q.col["sla"])) for r in range(q.model.rowCount())]
        assert sum(t.startswith("OVERDUE ") for t in texts) == states.count("overdue")
        assert any(t.startswith("ok") for t in texts)
        # the sort is SQL's: oldest first
        f.set_value("sort", "oldest")
        oldest = cache_rows(service, "SELECT key FROM reports ORDER BY requested_datetime, key LIMIT 1")[0][0]
        qtbot.waitUntil(lambda: q.model.key_at(0) == oldest, timeout=5000)
        # the wall's figures still come (open / urgent / overdue)
        qtbot.waitUntil(lambda: g.kpis()[2].value == str(states.count("overdue")), timeout=5000)


# --------------------------------------------------------------------------- keyboard triage
def test_a_burst_triaged_with_keys_only(qtbot, tmp_path):
    with console_rig(qtbot, tmp_path) as (service, window, box):
        g = gui(window)
        q, triage = g.queue, g.triage
        keys = [f"PA-BURST-{i}" for i in range(5)]           # 0 newest … 4 oldest
        for i, key in enumerate(keys):
            box["backend"].publish("reports", key, report(key, 1 + i, description=f"Kiểm thử triage đợt {i}"))
        quiet(box, qtbot, g)
        triage.settings.setValue(SETTINGS_LAST_AGENCY, "UBND phường Phú Hội")
        search(qtbot, g, "kiem thu triage", 5)
        assert [q.model.key_at(r) for r in range(5)] == keys

        press(qtbot, g, Qt.Key.Key_J)                           # the first report
        assert key_at_cursor(g) == keys[0]
        enabled = {cmd for cmd, act in triage.actions.items() if act.isEnabled()}
        assert enabled == {"verify", "reject", "note", "priority", "merge"}   # received, supervisor
        press(qtbot, g, Qt.Key.Key_V)                           # verify, on to the next
        assert key_at_cursor(g) == keys[1]
        press(qtbot, g, Qt.Key.Key_V)
        assert key_at_cursor(g) == keys[2]
        press(qtbot, g, Qt.Key.Key_R)                           # reject: the reason by key
        assert isinstance(triage.active_dialog, ReasonDialog)
        qtbot.keyClick(triage.active_dialog.reasons, Qt.Key.Key_1)   # 1 = invalid
        assert triage.active_dialog is None
        assert key_at_cursor(g) == keys[3]
        press(qtbot, g, Qt.Key.Key_Space)                       # mark two, verify both at once
        press(qtbot, g, Qt.Key.Key_J)
        press(qtbot, g, Qt.Key.Key_Space)
        assert set(q.marked) == {keys[3], keys[4]} and "2 marked" in q.summary.text()
        press(qtbot, g, Qt.Key.Key_V)
        assert not q.marked
        assert len(triage.submitted) == 5

        def state(key):
            return workflow.ioc_state(cached(service, key) or {})
        qtbot.waitUntil(lambda: [state(k) for k in keys] ==
                        ["verified", "verified", "rejected", "verified", "verified"], timeout=15000)
        # what the supervisor sees: the new states, and the Action column says done
        shown = lambda col: [q.model.data(q.model.index(r, q.col[col])) for r in range(5)]  # noqa: E731
        qtbot.waitUntil(lambda: shown("ioc_status") == ["verified", "verified", "rejected", "verified",
                                                          "verified"], timeout=5000)
        qtbot.waitUntil(lambda: shown("action") == ["✔ verify done"] * 2 + ["✔ reject done"] + ["✔ verify done"] * 2,
                        timeout=5000)

        for _ in range(4):
            press(qtbot, g, Qt.Key.Key_K)
        assert key_at_cursor(g) == keys[0]
        press(qtbot, g, Qt.Key.Key_A)                           # assign to the last-used agency
        assert key_at_cursor(g) == keys[1]
        press(qtbot, g, Qt.Key.Key_A, Qt.KeyboardModifier.ShiftModifier)   # choose another
        dlg = triage.active_dialog
        assert isinstance(dlg, AssignDialog)
        line = dlg.agency.lineEdit()
        line.selectAll()
        type_text(line, "Sở Xây dựng")
        qtbot.keyClick(line, Qt.Key.Key_Return)
        assert triage.active_dialog is None
        assert triage.last_agency() == "Sở Xây dựng"
        assert key_at_cursor(g) == keys[2]
        press(qtbot, g, Qt.Key.Key_A)                           # rejected: not possible, says why
        assert key_at_cursor(g) == keys[2]
        assert "not possible" in q.status.text() and "rejected" in q.status.text()
        press(qtbot, g, Qt.Key.Key_J)
        press(qtbot, g, Qt.Key.Key_A)                           # the agency just chosen
        assert key_at_cursor(g) == keys[4]
        press(qtbot, g, Qt.Key.Key_R)
        reasons = triage.active_dialog.reasons
        qtbot.keyClick(reasons, Qt.Key.Key_Down)
        qtbot.keyClick(reasons, Qt.Key.Key_Down)
        qtbot.keyClick(reasons, Qt.Key.Key_Return)              # duplicate
        assert triage.active_dialog is None

        qtbot.waitUntil(lambda: [state(k) for k in keys] ==
                        ["assigned", "assigned", "rejected", "assigned", "rejected"], timeout=15000)
        agencies = [cached(service, k).get("agency_responsible") for k in keys]
        assert agencies[:2] == ["UBND phường Phú Hội", "Sở Xây dựng"] and agencies[3] == "Sở Xây dựng"
        reasons = [h.get("reason") for k in (keys[2], keys[4]) for h in cached(service, k)["history"]
                   if h["action"] == "reject"]
        assert reasons == ["invalid", "duplicate"]
        assert all(cached(service, k)["history"][0]["by"] == "Ca trực IOC (demo)" for k in keys)


def test_a_viewer_has_no_dispatch_action_and_v_only_explains(qtbot, tmp_path):
    with console_rig(qtbot, tmp_path, token="hue-ioc-viewer") as (service, window, box):
        g = gui(window)
        q, triage = g.queue, g.triage
        box["backend"].publish("reports", "PA-VIEW-1", report("PA-VIEW-1", 1, description="Viewer kiểm tra"))
        quiet(box, qtbot, g)
        search(qtbot, g, "viewer kiem", 1)
        press(qtbot, g, Qt.Key.Key_J)
        assert key_at_cursor(g) == "PA-VIEW-1"
        assert not any(a.isEnabled() for a in triage.actions.values())
        assert not triage.export_action.isEnabled()
        for key in (Qt.Key.Key_V, Qt.Key.Key_R, Qt.Key.Key_N, Qt.Key.Key_A):
            press(qtbot, g, key)
            assert triage.active_dialog is None
            assert "not allowed for your role (viewer)" in q.status.text()
        assert key_at_cursor(g) == "PA-VIEW-1" and triage.submitted == []
        assert cache_rows(service, "SELECT count(*) FROM sqlite_master WHERE name = 'outbox'")[0][0] == 0 or \
            cache_rows(service, "SELECT count(*) FROM outbox")[0][0] == 0
        # the details pane: the report, without its reporter
        d = g.details
        qtbot.waitUntil(lambda: d.data is not None and d.key == "PA-VIEW-1", timeout=5000)
        texts = [lab.text() for lab in d.findChildren(QtWidgets.QLabel)]
        assert any("Viewer kiểm tra" in t for t in texts)
        assert not any("Người Phản Ánh Bí Mật" in t or "0900 000 111" in t for t in texts)
        assert d.findChild(QtWidgets.QLabel, "detailsReporter") is None


# --------------------------------------------------------------------------- pending / done / refused
def test_pending_then_done_and_refused_with_the_reason_until_dismissed(qtbot, tmp_path):
    with console_rig(qtbot, tmp_path) as (service, window, box):
        g = gui(window)
        q, triage, d = g.queue, g.triage, g.details
        box["backend"].publish("reports", "PA-ACK-1", report("PA-ACK-1", 1, description="Kiểm thử xác nhận"))
        quiet(box, qtbot, g)
        search(qtbot, g, "kiem thu xac nhan", 1)
        press(qtbot, g, Qt.Key.Key_J)
        port = box["backend"].port
        box["backend"].stop()                                    # the link goes down
        qtbot.waitUntil(lambda: service.state.status != FeedStatus.LIVE, timeout=10000)
        press(qtbot, g, Qt.Key.Key_V)                            # queued offline
        press(qtbot, g, Qt.Key.Key_K)
        press(qtbot, g, Qt.Key.Key_V)                            # again: the backend will refuse it
        cell = lambda: q.model.data(q.model.index(0, q.col["action"]))  # noqa: E731
        qtbot.waitUntil(lambda: cell() == "⏳ verify pending (+1)", timeout=5000)
        qtbot.waitUntil(lambda: sum("pending" in lab.text() for lab in
                                    d.findChildren(QtWidgets.QLabel, "action-pending")) == 2, timeout=5000)
        back = DemoBackend([ReportsPlugin()], seed=7, rate=30, log_path=tmp_path / "backend-log.sqlite")
        back.start_in_thread(port=port)
        box["backend"] = back
        qtbot.waitUntil(lambda: cell().startswith("✖ verify refused: conflict"), timeout=20000)
        assert "verified" in cell()
        assert workflow.ioc_state(cached(service, "PA-ACK-1")) == "verified"
        qtbot.waitUntil(lambda: [lab.text()[:1] for lab in d.findChildren(QtWidgets.QLabel)
                                 if lab.objectName() in ("action-done", "action-refused")] == ["✔", "✖"],
                        timeout=5000)
        press(qtbot, g, Qt.Key.Key_X)                            # dismissed: the done one remains
        assert cell() == "✔ verify done"
        assert not d.findChildren(QtWidgets.QLabel, "action-refused")


# --------------------------------------------------------------------------- details pane
def test_details_show_history_clocks_reporter_duplicates_and_hostile_text(qtbot, tmp_path):
    with console_rig(qtbot, tmp_path) as (service, window, box):
        g = gui(window)
        q, triage, d = g.queue, g.triage, g.details
        b = box["backend"]
        b.publish("reports", "PA-DUP-A", report("PA-DUP-A", 30, description="Rác ùn ứ kiểm thử trùng"))
        # ≈30 m away, same category, open: a likely duplicate
        b.publish("reports", "PA-DUP-B", report("PA-DUP-B", 5, description="Rác bốc mùi kiểm thử trùng",
                                                lat=16.4727, long=107.5887))
        b.publish("reports", "PA-XSS-1", report("PA-XSS-1", 2, description=HOSTILE, lat=16.46, long=107.6,
                                                service_name="<b>bold</b>", address="<script>alert(2)</script>"))
        quiet(box, qtbot, g)
        search(qtbot, g, "kiem thu trung", 2)
        press(qtbot, g, Qt.Key.Key_J)
        assert key_at_cursor(g) == "PA-DUP-B"
        qtbot.waitUntil(lambda: d.data is not None and d.key == "PA-DUP-B" and bool(d.duplicates), timeout=5000)
        assert d.duplicates[0][0] == "PA-DUP-A" and d.duplicates[0][1] < 50
        labels = {lab.objectName(): lab.text() for lab in d.findChildren(QtWidgets.QLabel)}
        assert labels["detailsReporter"] == "Người Phản Ánh Bí Mật · 0900 000 111"   # supervisor
        assert labels["detailsPhoto"] == "no photo"
        assert d.map.point == (16.4727, 107.5887)
        clock_texts = [lab.text() for lab in d.clocks_box.findChildren(QtWidgets.QLabel)]
        assert any(t.startswith("verification: due ") and "left" in t for t in clock_texts)
        assert any(t.startswith("resolution: due ") for t in clock_texts)
        assert labels["detailsSla"].startswith("SLA: ")
        # M merges into the top suggestion, after a confirmation (Enter)
        press(qtbot, g, Qt.Key.Key_K)
        press(qtbot, g, Qt.Key.Key_M)
        qtbot.waitUntil(lambda: triage.active_dialog is not None, timeout=5000)
        assert any("PA-DUP-B → PA-DUP-A" in lab.text()
                   for lab in triage.active_dialog.findChildren(QtWidgets.QLabel))
        triage.active_dialog.ok_button().click()
        qtbot.waitUntil(lambda: (cached(service, "PA-DUP-B") or {}).get("merged_into") == "PA-DUP-A",
                        timeout=15000)
        # the history shows the merge, and the links go both ways
        g.show_report("PA-DUP-B")
        qtbot.waitUntil(lambda: d.key == "PA-DUP-B" and (d.data or {}).get("merged_into") == "PA-DUP-A",
                        timeout=5000)
        history = [lab.text() for lab in d.history_box.findChildren(QtWidgets.QLabel)]
        assert any("merge" in t and "into PA-DUP-A" in t and "Ca trực IOC (demo)" in t for t in history)
        link = [b for b in d.findChildren(QtWidgets.QPushButton, "detailsLink") if "PA-DUP-A" in b.text()][0]
        link.click()
        qtbot.waitUntil(lambda: d.key == "PA-DUP-A" and d.data is not None, timeout=5000)
        back = [b for b in d.findChildren(QtWidgets.QPushButton, "detailsLink") if "PA-DUP-B" in b.text()]
        assert back and "merged in" in back[0].text()
        # hostile text is shown literally, as plain text
        g.show_report("PA-XSS-1")
        qtbot.waitUntil(lambda: d.key == "PA-XSS-1" and d.data is not None, timeout=5000)
        hostile = [lab for lab in d.findChildren(QtWidgets.QLabel) if lab.text() == HOSTILE]
        assert hostile and all(lab.textFormat() == Qt.TextFormat.PlainText for lab in hostile)
        assert any(lab.text() == "<script>alert(2)</script>" for lab in d.findChildren(QtWidgets.QLabel))
        assert all(lab.textFormat() == Qt.TextFormat.PlainText for lab in d.findChildren(QtWidgets.QLabel)
                   if "<" in lab.text())


def test_export_for_agency_writes_the_chosen_file_without_the_reporter(qtbot, tmp_path):
    with console_rig(qtbot, tmp_path) as (service, window, box):
        g = gui(window)
        triage = g.triage
        box["backend"].publish("reports", "PA-EXP-1", report(
            "PA-EXP-1", 3, ioc_status="assigned", agency_responsible="UBND phường Phú Hội",
            expected_datetime=(datetime.now(VN) + timedelta(days=1)).isoformat(timespec="seconds")))
        quiet(box, qtbot, g)
        qtbot.waitUntil(lambda: cached(service, "PA-EXP-1") is not None, timeout=10000)
        triage.start_export()
        dlg = triage.active_dialog
        dlg.agency.setCurrentText("UBND phường Phú Hội")
        dlg.fmt.setCurrentIndex(dlg.fmt.findData("csv"))
        dlg.accept()
        files = triage.active_dialog
        assert isinstance(files, QtWidgets.QFileDialog)
        target = tmp_path / "for-agency.csv"
        files.selectFile(str(target))
        files.accept()
        qtbot.waitUntil(lambda: target.exists() and "Exported" in g.queue.status.text(), timeout=10000)
        text = target.read_text(encoding="utf-8")
        assert "PA-EXP-1" in text
        assert "Người Phản Ánh Bí Mật" not in text and "0900 000 111" not in text


def test_details_photo_fresh_then_cached_copy_noted_and_marks_by_ctrl_click(qtbot, tmp_path):
    # the details pane on its own, with a photo from fetch_media: fresh, then a cached copy
    from demo_backend.png import encode_png
    from ioc_desktop.media import MediaResult
    from plugins.reports.details import ReportDetails

    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE reports (key TEXT PRIMARY KEY, data TEXT)")
    data = report("PA-PHOTO-1", 5, media_url="http://127.0.0.1:1/media/reports/p1.png")
    conn.execute("INSERT INTO reports VALUES (?, ?)", ("PA-PHOTO-1", json.dumps(data)))
    png = encode_png(4, 3, bytes([200, 30, 30] * 12))
    answers = [MediaResult(data["media_url"], png, "image/png", time.time(), False),
               MediaResult(data["media_url"], png, "image/png", time.time() - 3600, True)]
    asked = []

    def fetch_media(url, callback):
        asked.append(url)
        callback(answers[len(asked) - 1])

    d = ReportDetails(lambda fn, cb: cb(fn(conn)), fetch_media, roles=lambda: ("viewer",))
    qtbot.addWidget(d)
    d.show_key("PA-PHOTO-1")
    assert asked == [data["media_url"]]
    assert not d.photo.pixmap().isNull() and d.photo_note == ""
    d.show_key("PA-PHOTO-1")
    assert "cached copy from" in d.photo_note and d.photo_caption.isVisibleTo(d)
    assert d.findChild(QtWidgets.QLabel, "detailsReporter") is None          # a viewer


def test_ctrl_click_marks_and_esc_clears_marks_then_filters(qtbot, tmp_path):
    with console_rig(qtbot, tmp_path) as (service, window, box):
        g = gui(window)
        q = g.queue
        for i in range(3):
            box["backend"].publish("reports", f"PA-MARK-{i}", report(f"PA-MARK-{i}", 1 + i,
                                                                     description=f"Đánh dấu nhóm {i}"))
        quiet(box, qtbot, g)
        total = cache_rows(service, "SELECT count(*) FROM reports")[0][0]
        search(qtbot, g, "danh dau nhom", 3)
        view = q.view
        for row in (0, 2):
            rect = view.visualRect(q.model.index(row, 5))
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.ControlModifier,
                             rect.center())
        assert set(q.marked) == {"PA-MARK-0", "PA-MARK-2"}
        assert q.model.data(q.model.index(0, 0)) == "☑" and q.model.data(q.model.index(1, 0)) == ""
        press(qtbot, g, Qt.Key.Key_Escape)
        assert not q.marked and "Marks cleared" in q.status.text()
        press(qtbot, g, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: q.model.rowCount() == total, timeout=5000)
        assert q.filters.values()["text"] == ""


def test_priority_note_resolve_close_reopen_by_keys(qtbot, tmp_path):
    with console_rig(qtbot, tmp_path) as (service, window, box):
        g = gui(window)
        q, triage = g.queue, g.triage
        due = (datetime.now(VN) + timedelta(days=1)).isoformat(timespec="seconds")
        box["backend"].publish("reports", "PA-KEYS-1", report(
            "PA-KEYS-1", 30, description="Kiểm thử phím tắt", ioc_status="assigned",
            agency_responsible="Sở Xây dựng", expected_datetime=due))
        quiet(box, qtbot, g)
        search(qtbot, g, "kiem thu phim tat", 1)
        press(qtbot, g, Qt.Key.Key_J)
        shown = lambda: q.model.data(q.model.index(0, q.col["ioc_status"]))  # noqa: E731

        def answer(text):
            dlg = triage.active_dialog
            type_text(dlg.text, text)
            qtbot.keyClick(dlg.text, Qt.Key.Key_Return)
            assert triage.active_dialog is None

        press(qtbot, g, Qt.Key.Key_P)                            # normal -> high
        qtbot.waitUntil(lambda: (cached(service, "PA-KEYS-1") or {}).get("priority") == "high", timeout=10000)
        qtbot.waitUntil(lambda: q.model.data(q.model.index(0, q.col["priority"])) == "● high", timeout=5000)
        press(qtbot, g, Qt.Key.Key_N)
        answer("Đã gọi điện cho đơn vị")
        press(qtbot, g, Qt.Key.Key_E)
        answer("Đã sửa xong")
        qtbot.waitUntil(lambda: shown() == "resolved", timeout=10000)
        press(qtbot, g, Qt.Key.Key_C)
        qtbot.waitUntil(lambda: shown() == "closed", timeout=10000)
        press(qtbot, g, Qt.Key.Key_O)
        answer("Người dân báo chưa sửa")
        qtbot.waitUntil(lambda: shown() == "verified", timeout=10000)
        history = cached(service, "PA-KEYS-1")["history"]
        assert [h["action"] for h in history] == ["set_priority", "note", "resolve", "close", "reopen"]
        assert history[1]["note"] == "Đã gọi điện cho đơn vị" and history[2]["result"] == "Đã sửa xong"
        assert history[4]["reason"] == "Người dân báo chưa sửa"
