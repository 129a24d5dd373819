"""The GUI thread's budget: committed batches handed to the panels a few at a time
(widgets/batch_pump.py), and live tables' columns fitted now and then rather than at
every change (widgets/table_base.py: ColumnFitter)."""
from __future__ import annotations

import time

from PySide6 import QtWidgets

from ioc_desktop.store.batch import CommittedBatch, TopicChanges
from widgets.batch_pump import BUDGET_MS, BatchPump
from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
from widgets.table_base import fit_columns


def batch(topic: str, **upserts) -> CommittedBatch:
    b = CommittedBatch()
    b.topics[topic] = TopicChanges(upserts=dict(upserts))
    return b


def test_the_pump_hands_each_receiver_its_batches_merged_in_later_turns(qtbot):
    got: list[tuple[str, dict]] = []
    pump = BatchPump(lambda name, b: got.append((name, dict(b.topics["t"].upserts))))
    pump.push(["a", "b"], batch("t", k1={"v": 1}))
    pump.push(["a"], batch("t", k1={"v": 2}, k2={"v": 3}))
    assert got == [] and pump.pending                 # never inside the feed's slot
    qtbot.waitUntil(lambda: not pump.pending, timeout=2000)
    # "a" had two batches: one delivery, merged in commit order (the newer k1 wins)
    assert got == [("a", {"k1": {"v": 2}, "k2": {"v": 3}}), ("b", {"k1": {"v": 1}})]


def test_a_slow_receiver_gives_the_event_loop_a_turn_between_deliveries(qtbot):
    turns: list[int] = []
    loop_turns = [0]

    def slow(name, _b):
        time.sleep(BUDGET_MS * 1.5 / 1000)           # over the budget alone
        turns.append(loop_turns[0])

    pump = BatchPump(slow)
    pump.push(["a", "b", "c"], batch("t", k={"v": 1}))
    while pump.pending:
        QtWidgets.QApplication.processEvents()
        loop_turns[0] += 1
    assert len(turns) == 3 and len(set(turns)) == 3     # one receiver per turn


def test_flush_delivers_everything_now(qtbot):
    got = []
    pump = BatchPump(lambda name, b: got.append(name))
    pump.push(["a", "b"], batch("t", k={"v": 1}))
    pump.flush()
    assert got == ["a", "b"] and not pump.pending


def test_live_columns_are_fitted_after_changes_not_at_each(qtbot):
    model = KeyedTableModel([Column("Site", lambda d: d["name"]), Column("N", lambda d: d["n"])])
    view = KeyedTableView(model)
    qtbot.addWidget(view)
    view.resize(900, 300)
    view.show()
    fitter = fit_columns(view, [0], every_ms=200)
    assert view.horizontalHeader().sectionResizeMode(0) == QtWidgets.QHeaderView.ResizeMode.Interactive
    fits = []
    real = view.resizeColumnToContents
    view.resizeColumnToContents = lambda col: (fits.append(col), real(col))
    model.reset({"a": {"name": "A", "n": 1}})
    qtbot.waitUntil(lambda: bool(fits), timeout=2000)
    narrow = view.columnWidth(0)
    long_name = "Lăng Minh Mạng — cổng chính, quầy vé số 3"
    for i in range(30):                               # a burst of live changes
        model.apply({"a": {"name": long_name if i == 29 else "A", "n": i}})
    qtbot.waitUntil(lambda: view.columnWidth(0) > narrow + 100, timeout=3000)
    assert len(fits) <= 3                             # not one per change
    assert fitter is fit_columns(view, [0, 1], every_ms=200)   # one fitter per view


def test_start_up_objects_are_frozen_once_out_of_full_collections():
    """After the state is loaded the app freezes what start-up made (gc.freeze), once;
    IOC_GC_FREEZE=0 leaves it out (bench/gui_gaps.py --gc compares).  In a child:
    freezing is for the whole process."""
    import os
    import subprocess
    import sys
    code = ("import gc; from ioc_desktop import gcpolicy; "
            "a = gcpolicy.freeze_after_start(); b = gcpolicy.freeze_after_start(); "
            "print(a, b, gc.get_freeze_count() > 1000)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "IOC_GC_FREEZE": "1"}).stdout.split()
    assert out == ["True", "False", "True"]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "IOC_GC_FREEZE": "0"}).stdout.split()
    assert out == ["False", "False", "False"]


def test_a_pause_of_the_collector_ends_with_the_last_thread_inside_it():
    """gcpolicy.paused() is process-wide and counted: a writer's batch and a review
    jump may overlap in two threads; the collector is back once both ended, and stays
    off if it was off before (someone else's choice)."""
    import gc
    import threading

    from ioc_desktop import gcpolicy
    inside, release, done = threading.Event(), threading.Event(), threading.Event()
    seen = {}

    def other():
        with gcpolicy.paused():
            inside.set()
            release.wait(5)
        seen["after other"] = gc.isenabled()
        done.set()
    assert gc.isenabled()
    with gcpolicy.paused():
        thread = threading.Thread(target=other)
        thread.start()
        assert inside.wait(5)
        assert not gc.isenabled()
    seen["after mine"] = gc.isenabled()          # the other thread is still inside
    release.set()
    assert done.wait(5)
    thread.join(5)
    assert seen == {"after mine": False, "after other": True}
    assert gc.isenabled()
    gc.disable()
    try:
        with gcpolicy.paused():
            assert not gc.isenabled()
        assert not gc.isenabled()                # not turned on behind the caller's back
    finally:
        gc.enable()


def test_changed_rows_are_signalled_by_run_so_a_sorting_proxy_replaces_only_them(qtbot):
    """A few changed rows far apart: one dataChanged per run of neighbours, not one
    span over the table (a sorting proxy re-places every row of a span, with a Python
    lessThan per comparison); very scattered changes: one span."""
    from PySide6 import QtCore

    model = KeyedTableModel([Column("N", lambda d: d["n"])])
    model.reset({f"k{i:02d}": {"n": i} for i in range(40)})
    compared = []

    class Proxy(QtCore.QSortFilterProxyModel):
        def lessThan(self, left, right):  # noqa: N802 (Qt API)
            compared.append(1)
            return super().lessThan(left, right)

    proxy = Proxy()
    proxy.setSourceModel(model)
    proxy.setSortRole(KeyedTableModel.SORT_ROLE)
    proxy.sort(0)
    spans = []
    model.dataChanged.connect(lambda a, b: spans.append((a.row(), b.row())))
    compared.clear()
    model.apply({"k00": {"n": 0.5}, "k01": {"n": 1.5}, "k39": {"n": 39.5}})
    assert spans == [(0, 1), (39, 39)]
    assert 0 < len(compared) < 40                    # not a re-sort of the table
    assert [proxy.index(r, 0).data(KeyedTableModel.SORT_ROLE) for r in (0, 1, 39)] == [0.5, 1.5, 39.5]
    spans.clear()
    model.apply({f"k{i:02d}": {"n": i} for i in range(0, 40, 2)})   # 20 scattered rows
    assert spans == [(0, 38)]


def test_view_deltas_queued_for_a_gui_merge_as_if_applied_one_by_one(qtbot):
    from widgets.batch_pump import merge_view_changes

    assert merge_view_changes([({"a": 1}, False), ({"b": 2}, False), ({"a": 3}, False)]) == \
        ({"a": 3, "b": 2}, False)
    # a whole view restarts what came before it; changes after it update it
    assert merge_view_changes([({"a": 1, "old": 0}, False), ({"a": 2}, True), ({"b": 5}, False)]) == \
        ({"a": 2, "b": 5}, True)
    got = []
    pump = BatchPump(lambda name, item: got.append((name, item)), merge=merge_view_changes)
    pump.push(["ecard"], ({"visitors": 1}, False))
    pump.push(["ecard", "press"], ({"visitors": 2, "today": 9}, False))
    assert got == []                                   # delivered in a later turn
    qtbot.waitUntil(lambda: len(got) == 2, timeout=2000)
    assert dict(got) == {"ecard": ({"visitors": 2, "today": 9}, False),
                         "press": ({"visitors": 2, "today": 9}, False)}
