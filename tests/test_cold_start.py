"""Start-up off the critical path (issue 11, part 5): the cache's full integrity check
runs in the background (a damaged file is still found, moved aside and said), the
reports' state isn't decoded into the GUI at start, the SQL tables re-read only the
pages in view, and a selection is found again without numbering the table."""
from __future__ import annotations

import sqlite3
import time

import pytest

from ioc_desktop.config import ClientConfig
from ioc_desktop.plugin_api import TopicSpec, load_plugins
from ioc_desktop.qt_bridge import FeedService
from ioc_desktop.store import store as store_mod
from ioc_desktop.store.store import Store
from widgets.main_window import MainWindow
from widgets.sql_table import SqlColumn, SqlPagedModel, order_terms

SPEC = TopicSpec(name="things", key_field="id", validate=lambda d: d, columns={"n": int})


def _damaged_cache(path) -> None:
    """A valid cache whose header and schema read fine, with a page in the middle of
    a large table overwritten: only a full check finds it."""
    s = Store(path, [SPEC])
    s.conn.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, blob TEXT)")
    s.conn.execute("BEGIN")
    s.conn.executemany("INSERT INTO filler(blob) VALUES (?)", [("x" * 900 + str(i),) for i in range(3000)])
    s.conn.execute("COMMIT")
    s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = s.conn.execute("PRAGMA page_size").fetchone()[0]
    pages = s.conn.execute("PRAGMA page_count").fetchone()[0]
    s.close()
    with open(path, "r+b") as f:
        for n in (pages // 2, pages // 2 + 1, pages - 5):
            f.seek(n * page)
            f.write(b"\xa5" * page)


def test_a_good_cache_opens_without_waiting_for_the_check(tmp_path, monkeypatch):
    path = tmp_path / "c.sqlite"
    Store(path, [SPEC]).close()
    monkeypatch.setattr(store_mod, "INTEGRITY_DELAY_S", 60.0)
    s = Store(path, [SPEC])
    try:
        assert not s.integrity.done.is_set()        # opened; the check hasn't even begun
        assert s.recovered_from is None
    finally:
        s.close()
    monkeypatch.setattr(store_mod, "INTEGRITY_DELAY_S", 0.0)
    s = Store(path, [SPEC])
    try:
        assert s.integrity.wait(20)
        assert s.integrity.error is None and s.recover_if_corrupt() is None
        assert s.path == path and s.cursors() == {}
    finally:
        s.close()


def test_a_damaged_cache_is_found_in_the_background_and_moved_aside(tmp_path, monkeypatch):
    path = tmp_path / "c.sqlite"
    _damaged_cache(path)
    monkeypatch.setattr(store_mod, "INTEGRITY_DELAY_S", 0.0)
    s = Store(path, [SPEC])            # header and schema are fine: it opens
    try:
        assert s.recovered_from is None
        assert s.integrity.wait(20)
        assert s.integrity.failed and "quick_check" in s.integrity.error
        moved = s.recover_if_corrupt()
        assert moved is not None and moved.exists() and moved.name.startswith("c.corrupt-")
        assert s.recovered_from == moved and "quick_check" in s.corrupt_reason
        # a new, empty cache in its place, usable at once
        assert s.cursors() == {} and not s.has_data()
        assert s.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'filler'").fetchone()[0] == 0
        assert s.integrity.wait(1) and not s.integrity.failed       # new file: nothing to check
    finally:
        s.close()


def test_garbage_is_still_refused_at_opening(tmp_path):
    path = tmp_path / "c.sqlite"
    path.write_bytes(b"this is not an SQLite database" * 200)
    s = Store(path, [SPEC])
    try:
        assert s.recovered_from is not None and s.recovered_from.exists()
        assert "header" in s.corrupt_reason
    finally:
        s.close()


def test_the_app_says_so_when_the_background_check_fails(qtbot, tmp_path, monkeypatch):
    path = tmp_path / "c.sqlite"
    _damaged_cache(path)
    monkeypatch.setattr(store_mod, "INTEGRITY_DELAY_S", 0.0)
    loaded = load_plugins()
    service = FeedService(ClientConfig(cache=path, offline=True, lang="en"),
                          [lp.plugin for lp in loaded if lp.plugin])
    window = MainWindow(service, loaded, with_map=False, reset_layout=True, lang="en")
    qtbot.addWidget(window)
    try:
        with qtbot.waitSignal(service.cacheRecovered, timeout=30_000) as got:
            service.start()
        moved, reason = got.args
        assert "corrupt" in moved and "quick_check" in reason
        assert any(moved in text for text, _ in window.notices)
        assert not window.notice.isHidden()
        assert service.writer.call(lambda s: s.cursors()).result() == {}
    finally:
        service.stop()


def test_the_reports_state_is_not_decoded_for_the_gui_at_start(qtbot, tmp_path):
    loaded = load_plugins()
    service = FeedService(ClientConfig(cache=tmp_path / "c.sqlite", offline=True, lang="en"),
                          [lp.plugin for lp in loaded if lp.plugin])
    window = MainWindow(service, loaded, with_map=False, reset_layout=True, lang="en")
    qtbot.addWidget(window)
    assert "reports" in service.cache_read_topics
    try:
        with qtbot.waitSignal(service.stateLoaded, timeout=30_000) as got:
            service.start()
        state = got.args[0]
        assert getattr(state["reports"], "in_cache", False) and state["reports"] == {}
        assert not getattr(state.get("cyber", {}), "in_cache", False)
    finally:
        service.stop()


def test_the_reports_map_reads_its_pins_compactly(qtbot):
    from plugins.reports.gui import PIN_SQL, read_pins
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE reports (key TEXT PRIMARY KEY, ioc_status TEXT, lat REAL, long REAL, "
                 "priority TEXT, service_name TEXT, service_code TEXT, description TEXT, "
                 "address TEXT, requested_datetime TEXT, agency_responsible TEXT, data TEXT)")
    conn.executemany("INSERT INTO reports VALUES (?, ?, ?, ?, 'urgent', 'n', 'c', ?, 'a', 't', 'g', '{}')",
                     [("A", "received", 16.4, 107.5, "d" * 1000), ("B", "closed", 16.4, 107.5, "d"),
                      ("C", "verified", None, None, "d")])
    pins = read_pins(conn)
    assert list(pins) == ["A"] and len(pins["A"]["description"]) == 301
    assert "data" not in PIN_SQL


# ------------------------------------------------------------------ paging
def _table(n=1000):
    conn = sqlite3.connect(":memory:", check_same_thread=False)
    conn.execute("CREATE TABLE t (key TEXT PRIMARY KEY, at TEXT, due TEXT, rank INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?, ?, ?, ?)",
                     [(f"k{i:04d}", f"2025-01-{1 + i % 28:02d}", None if i % 3 else f"d{i % 7}", i % 5)
                      for i in range(n)])
    statements: list[str] = []
    conn.set_trace_callback(statements.append)
    return conn, statements


def _model(conn, order_by="at DESC, key DESC", **kw):
    return SqlPagedModel(lambda fn, cb: cb(fn(conn)), "t",
                         [SqlColumn("at", "at"), SqlColumn("rank", "rank")], order_by,
                         page_size=50, **kw)


def test_refresh_rereads_only_the_pages_in_view(qtbot):
    conn, statements = _table()
    model = _model(conn)
    model.refresh()
    for row in range(0, 1000, 50):              # scrolled through every page once
        model.row_data(row)                      # asks for the page (here: at once)
        assert model.row_data(row) is not None
    assert len(model._pages) == 20
    model.refresh()                              # the view has shown nothing since
    statements.clear()
    model.row_data(400)                          # now it shows pages 8 and 9
    model.row_data(460)
    model.refresh()
    pages = [s for s in statements if "LIMIT" in s]
    assert len(pages) == 2                       # not the 20 ever loaded
    assert sorted(model._pages) == [8, 9]        # the others dropped
    model.row_data(0)
    assert model.row_data(0) is not None          # and read again when back in view


def test_the_selection_is_found_without_numbering_the_table(qtbot):
    conn, statements = _table()
    orders = ["at DESC, key DESC", "at ASC, key ASC", "due ASC, at ASC, key ASC",
              "rank DESC, at DESC, key DESC", "due DESC, key ASC"]
    for order in orders:
        for where, params in (("", ()), ("rank = ?", (2,))):
            model = _model(conn, order_by=order, where=where, params=params)
            truth = [r[0] for r in conn.execute(
                f"SELECT key FROM t {'WHERE ' + where if where else ''} ORDER BY {order}", params)]
            for key in ("k0000", "k0007", "k0500", "k0999", "k0333"):
                statements.clear()
                got = []
                model.find_row(key, got.append)
                assert got == [truth.index(key) if key in truth else None], (order, where, key)
                assert not any("row_number" in s for s in statements)
    assert order_terms("coalesce(due, at) DESC, key") is None   # falls back to numbering


# ------------------------------------------------------------------ the situation layer's start
def _reports_cache(path):
    """A real cache with reports of every kind (the simulator's, with histories, plus a
    few odd ones), written by the app's writer; the decoded state as the store holds it."""
    from datetime import timedelta

    from ioc_desktop.store.batch import EventRecord
    from ioc_desktop.store.writer import StoreWriter
    from plugins.reports import schema
    from test_model_reports import NOW, report, simulated

    _, batches = simulated(steps=120)
    items = {e.key: schema.SPEC.validate(e.data) for events in batches for e in events}
    odd = [report("ODD-urgent", timedelta(hours=2), priority="urgent"),
           report("ODD-flood", timedelta(minutes=20), description="Ngập sâu 40 cm"),
           report("ODD-late", timedelta(days=3), agency="  Phường Phú Xuân ", due_ago=timedelta(hours=5)),
           report("ODD-future", timedelta(hours=1), agency="UBND phường Thuận Hóa",
                  due_ago=-timedelta(days=2)),
           report("ODD-resolved", timedelta(days=2), agency="UBND", resolved=True),
           report("ODD-closed", timedelta(days=1), status="closed"),
           # due before it was assigned: overdue, never "due soon"
           report("ODD-backwards", timedelta(days=1), agency="UBND", due_ago=timedelta(days=2))]
    items.update({d["service_request_id"]: d for d in odd})
    writer = StoreWriter(path, [schema.SPEC])
    try:
        writer.submit([EventRecord("reports", seq, NOW.isoformat(), "upsert", key, data)
                       for seq, (key, data) in enumerate(items.items(), 1)])
        writer.flush()
        state = writer.call(lambda store: store.load_state()["reports"]).result()
    finally:
        writer.close()
    assert len(state) == len(items) > 300
    return state


def test_the_reports_model_starts_from_its_columns_as_from_the_decoded_state(tmp_path):
    """At a start the reports model reads its records from the state table's columns
    (no report's JSON decoded): the same model, figures and overdue groups."""
    from datetime import timedelta

    from plugins.reports.model import ReportsModel
    from plugins.reports.workflow import WorkflowConfig
    from test_model_reports import NOW, T0, figures

    path = tmp_path / "c.sqlite"
    state = _reports_cache(path)
    decoded, read = ReportsModel(), ReportsModel()
    decoded.reset(state, now=T0)
    conn = sqlite3.connect(path)
    try:
        read.reset_read(read.read_state(conn), now=T0)
        assert ReportsModel(WorkflowConfig(due_soon_share=0.5)).read_state(conn) is None
    finally:
        conn.close()
    assert read.bad_reports == decoded.bad_reports == 0
    assert {k: read.record(k) for k in state} == {k: decoded.record(k) for k in state}
    assert read.record("ODD-closed") is None and read.record("ODD-late").agency == "  Phường Phú Xuân "
    # (NOW - 47 h: ODD-backwards is overdue but not yet reached by its "due soon" threshold)
    for at in (NOW - timedelta(days=2), NOW - timedelta(hours=47), NOW, NOW + timedelta(hours=3),
               NOW + timedelta(days=30)):
        now = at.timestamp()
        view = read.view(now)
        assert view == decoded.view(now)
        assert read.overdue_groups(now) == decoded.overdue_groups(now)
        expected = figures(state, at)       # the workflow's rule, report by report
        assert {k: view[k] for k in expected} == expected, at
    assert decoded.view(T0)["overdue"] > 0 and decoded.view(T0)["due_soon"] > 0
    late = (NOW - timedelta(hours=47)).timestamp()
    assert read.record("ODD-backwards").due < late < read.record("ODD-backwards").soon


def test_the_situation_layer_decodes_no_report_at_start(tmp_path, monkeypatch):
    from ioc_desktop import situation
    from ioc_desktop.store.writer import StoreWriter
    from plugins.reports import ReportsPlugin, schema
    from plugins.reports.model import ReportsModel
    from test_model_reports import T0

    path = tmp_path / "c.sqlite"
    state = _reports_cache(path)
    decoded_topics: list[str] = []
    real_load_state = situation.load_state

    def spy(conn, specs):
        specs = list(specs)
        decoded_topics.extend(s.name for s in specs)
        return real_load_state(conn, specs)
    monkeypatch.setattr(situation, "load_state", spy)
    writer = StoreWriter(path, [schema.SPEC])
    svc = situation.SituationService(writer, [ReportsPlugin()], clock=lambda: T0 + 3600)
    try:
        svc.start()
        assert svc.ready.wait(30)
        expected = ReportsModel()
        expected.reset(state, now=T0 + 3600)
        assert "reports" not in decoded_topics
        assert svc.view("reports") == expected.view(T0 + 3600)
        assert svc.engine.alarms()              # the overdue groups' alarms, from the columns
    finally:
        svc.stop()
        writer.close()


def test_a_map_layer_built_off_the_gui_thread_draws_what_a_reset_draws():
    from plugins.reports.gui import pin_features
    from test_model_reports import report
    from datetime import timedelta
    from widgets.map_layer import MapLayer

    class Map:
        def __init__(self):
            self.diffs = []

        def add_layer(self, *args, **kwargs):
            pass

        def apply_diff(self, layer_id, upserts, removes, clear=False):
            self.diffs.append((layer_id, list(upserts), list(removes), clear))

    items = {f"R{i}": {**report(f"R{i}", timedelta(hours=i)), "lat": 16.4, "long": 107.5}
             for i in range(5)}
    items["R0"]["ioc_status"] = "closed"        # finished: no pin
    direct, built = MapLayer(Map(), "reports", "t", pin_features), MapLayer(Map(), "reports", "t", pin_features)
    direct.reset(items)
    built.reset_built(built.build(items))
    assert built.map.diffs == direct.map.diffs and len(built.map.diffs[0][1]) == 4
    assert built.count() == direct.count() == 4
    built.update({"R1": {**items["R1"], "ioc_status": "closed"}})
    assert built.map.diffs[-1][2] == ["R1"]


def test_the_local_times_without_strftime_are_strftimes():
    from datetime import datetime, timezone

    from widgets.text import _FAST_FORMATS, SHORT_TIME, VN_TZ, local_time
    assert SHORT_TIME in _FAST_FORMATS
    for value in ("2025-03-04T05:06:07Z", "2025-12-31T23:59:59+07:00", "2024-02-29T17:00:00",
                  "0999-01-02T03:04:05Z"):
        dt = datetime.fromisoformat(value.replace("Z", "+00:00"))
        dt = dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)
        for fmt in (*_FAST_FORMATS, "%Y-%m-%d"):
            assert local_time(value, fmt) == dt.astimezone(VN_TZ).strftime(fmt), (value, fmt)
    assert local_time("not a time") == "not a time" and local_time(None) == ""
