"""Retention (issue 10, part 3): compaction keeps N days of history, review from the
retained moment on is unchanged, it runs in short chunks on the store's writer thread,
the file stops growing, `cache info` tells what a cache holds, and a bad
--retention-days is one line and exit 2.

Every clock here is the recorded log's (2023) or made up: nothing depends on today."""
from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from review_log import T0, plugins, recorded_log
from ioc_desktop.plugin_api import TopicSpec, topic_map
from ioc_desktop.review import checkpoints
from ioc_desktop.review.state_at import bounds, newest_received, retained_from, state_at
from ioc_desktop.store import retention
from ioc_desktop.store.batch import EventRecord, RejectedRecord
from ioc_desktop.store.retention import (DAY_S, NO_CHECKPOINT, NO_EVENTS, Compaction,
                                         compact)
from ioc_desktop.store.store import Store, open_reader
from ioc_desktop.store.writer import StoreWriter

REPO = Path(__file__).resolve().parents[1]
MAIN = [sys.executable, str(REPO / "main.py")]

SPACING_S = 600.0          # one frame every 10 minutes: a checkpoint every third frame
FRAMES_HELD_BACK = 30      # the writer test feeds these after the compaction at start
KEEP_DAYS = 0.5


# ------------------------------------------------------------------------ the recorded cache
@pytest.fixture(scope="module")
def log_frames():
    """About 40 hours of the demo's feed (6,000 events in frames of 25, 10 min apart)."""
    return recorded_log(6000, frame=25, spacing_s=SPACING_S)


@pytest.fixture(scope="module")
def topics():
    return list(topic_map(plugins()).values())


@pytest.fixture(scope="module")
def template(tmp_path_factory, log_frames, topics):
    """A cache of the whole log but its last frames, with checkpoints, a few rejected
    frames and an alarm journal (closed: copy it)."""
    path = tmp_path_factory.mktemp("retention") / "template.sqlite"
    store = Store(path, topics)
    frames = log_frames[:-FRAMES_HELD_BACK]
    for i, (at, records) in enumerate(frames):
        extra = []
        if i % 40 == 0:
            extra.append(RejectedRecord(reason="test: bad frame", raw="{oops", received_at=at))
        store.apply(list(records) + extra)
    from ioc_desktop.alarms import journal
    with store._tx():
        journal.ensure_schema(store.conn)
        store.conn.executemany(
            "INSERT INTO alarm_events(at, alarm_id, rule, key, event, from_state, to_state) "
            "VALUES (?, 'r/k', 'r', 'k', 'raise', 'normal', 'unacknowledged')",
            [(at,) for at, _ in frames[::50]])
    store.close()
    return path


@pytest.fixture
def cache(tmp_path, template):
    path = tmp_path / "cache.sqlite"
    shutil.copy(template, path)
    return path


def topic_names(conn) -> list[str]:
    return [t for (t,) in conn.execute("SELECT DISTINCT topic FROM checkpoint_state ORDER BY topic")]


def review(conn, at):
    r = state_at(conn, topic_names(conn), at)
    return r.state, r.cuts


def counts(conn) -> dict[str, int]:
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("events", "checkpoints", "checkpoint_state", "rejected", "alarm_events")}


# ------------------------------------------------------------------------ compaction
def test_compaction_keeps_exactly_n_days_and_review_from_then_on_is_unchanged(cache):
    conn = sqlite3.connect(cache, isolation_level=None)
    newest = newest_received(conn)
    horizon = newest - KEEP_DAYS * DAY_S
    base = checkpoints.at_or_before(conn, horizon)
    assert base is not None and retained_from(conn) < base.at
    moments = [base.at, base.at + 1, base.at + SPACING_S * 2.5, (base.at + newest) / 2, newest]
    before = {t: review(conn, t) for t in moments}
    n_before = counts(conn)
    # folded into the base: each topic's events up to its cursor but the newest of them
    folded = sum(max(0, conn.execute("SELECT count(*) FROM events WHERE topic = ? AND seq <= ?",
                                     (t, cut)).fetchone()[0] - 1) for t, cut in base.cursors.items())
    newest_folded = {t: conn.execute("SELECT max(seq), max(received_at) FROM events WHERE topic = ? "
                                     "AND seq <= ?", (t, cut)).fetchone()
                     for t, cut in base.cursors.items()}
    old_rejected = conn.execute("SELECT count(*) FROM rejected WHERE received_at < ?",
                                (horizon,)).fetchone()[0]
    older_checkpoints = conn.execute("SELECT count(*) FROM checkpoints WHERE at < ?",
                                     (base.at,)).fetchone()[0]
    assert folded and old_rejected and older_checkpoints

    result = compact(conn, KEEP_DAYS, newest)

    assert result.done and not result.nothing_to_do
    assert result.retained_from == base.at and result.base_checkpoint == base.id
    # exactly N days: the base is the newest checkpoint at or before the horizon, so
    # at most one checkpoint interval (30 min of events here) more is kept
    assert horizon - checkpoints.CHECKPOINT_MAX_S - SPACING_S < base.at <= horizon
    assert float(conn.execute("SELECT value FROM meta WHERE key = 'retained_from'").fetchone()[0]) == base.at
    assert retained_from(conn) == base.at and bounds(conn) == (base.at, newest)
    # what went: the folded events, the older checkpoints, the old refused frames
    assert result.events_deleted == folded
    assert result.checkpoints_deleted == older_checkpoints
    assert result.rejected_deleted == old_rejected
    after = counts(conn)
    assert after["events"] == n_before["events"] - folded
    assert after["rejected"] == n_before["rejected"] - old_rejected
    assert after["alarm_events"] == n_before["alarm_events"]         # append-only: kept
    for topic, cut in base.cursors.items():
        assert conn.execute("SELECT max(seq), max(received_at), count(*) FROM events WHERE "
                            "topic = ? AND seq <= ?", (topic, cut)).fetchone() == (
            *newest_folded[topic], 1 if newest_folded[topic][0] is not None else 0)
    # review at the oldest moment knows when each topic's data was received
    oldest = state_at(conn, topic_names(conn), base.at)
    for topic, items in oldest.state.items():
        if items:
            assert oldest.newest[topic] is not None and oldest.newest[topic] <= base.at, topic
    assert conn.execute("SELECT min(at) FROM checkpoints").fetchone()[0] == base.at
    assert conn.execute("SELECT count(*) FROM checkpoint_state WHERE checkpoint_id NOT IN "
                        "(SELECT id FROM checkpoints)").fetchone()[0] == 0
    # review at every moment from retained_from on is what it was
    for t in moments:
        assert review(conn, t) == before[t], t
    # and again: nothing more to delete
    again = compact(conn, KEEP_DAYS, newest)
    assert (again.events_deleted, again.checkpoints_deleted, again.rejected_deleted) == (0, 0, 0)
    assert again.retained_from == base.at


def test_the_horizon_never_passes_the_newest_event(cache):
    # the wall clock today (or any day after the log): the cache keeps its newest N days
    conn = sqlite3.connect(cache, isolation_level=None)
    newest = newest_received(conn)
    result = compact(conn, KEEP_DAYS, newest + 400 * DAY_S)
    assert result.now == newest and result.horizon == newest - KEEP_DAYS * DAY_S
    assert retained_from(conn) >= newest - KEEP_DAYS * DAY_S - checkpoints.CHECKPOINT_MAX_S - SPACING_S
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] > 0


def test_nothing_to_do_without_a_checkpoint_before_the_horizon_or_without_events(cache, tmp_path, topics):
    conn = sqlite3.connect(cache, isolation_level=None)
    n_before = counts(conn)
    result = compact(conn, 30, newest_received(conn))
    assert result.nothing_to_do and result.reason == NO_CHECKPOINT and result.done
    assert counts(conn) == n_before
    assert conn.execute("SELECT value FROM meta WHERE key = 'retained_from'").fetchone() is None
    empty = Store(tmp_path / "empty.sqlite", topics)
    assert compact(empty, 1, T0).reason == NO_EVENTS
    with pytest.raises(ValueError):
        compact(empty, 0, T0)
    empty.close()


def test_compaction_in_chunks_stays_consistent_for_a_reader_between_steps(cache):
    conn = sqlite3.connect(cache, isolation_level=None)
    newest = newest_received(conn)
    reader = open_reader(cache)
    at_newest = review(reader, newest)
    total = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    job = Compaction(conn, KEEP_DAYS, newest, chunk=300)
    assert not job.done and job.result.retained_from is not None
    seen, left = 0, total
    while job.step():
        seen += 1
        now_left = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        assert left - now_left <= 300             # one transaction: at most a chunk
        left = now_left
        if seen % 3 == 0:                         # a reader mid-way sees a whole review
            assert review(reader, newest) == at_newest
            assert retained_from(reader) == job.result.retained_from
    assert job.done and job.result.events_deleted == total - left
    assert job.result.steps > job.result.events_deleted // 300
    assert job.result.longest_step_s < 5
    assert review(reader, newest) == at_newest
    reader.close()


def test_a_store_rotated_under_a_compaction_abandons_it(cache, topics):
    store = Store(cache, topics)
    job = Compaction(store, KEEP_DAYS, newest_received(store.conn), chunk=100)
    assert job.step()
    store.rotate("epoch")
    assert not job.step() and job.result.reason == retention.ABANDONED and job.done
    store.close()


# ------------------------------------------------------------------------ the file's size
SIZE_TOPIC = TopicSpec(name="probe", key_field="id", validate=lambda d: d,
                       columns={"value": float}, to_row=lambda k, d: {"value": d["value"]})


def fill_day(store, day: int, seq: list[int], per_hour: int = 150) -> None:
    """A day of events (about 500 bytes each), an hourly batch: a checkpoint an hour."""
    pad = "x" * 420
    for hour in range(24):
        at = T0 + day * DAY_S + hour * 3600
        records = []
        for i in range(per_hour):
            seq[0] += 1
            records.append(EventRecord("probe", seq[0], None, "upsert", f"k{seq[0] % 300}",
                                       {"id": seq[0] % 300, "value": float(i), "pad": pad},
                                       received_at=at))
        store.apply(records)


def file_size(path: Path) -> int:
    return path.stat().st_size + (Path(str(path) + "-wal").stat().st_size
                                  if Path(str(path) + "-wal").exists() else 0)


@pytest.mark.parametrize("vacuum", ["incremental", "none"])
def test_a_cache_filled_and_compacted_day_after_day_stops_growing(tmp_path, vacuum):
    path = tmp_path / "size.sqlite"
    if vacuum == "none":       # a cache made before auto-vacuum: its free pages are reused
        sqlite3.connect(path).execute("CREATE TABLE other (a)").connection.close()
    store = Store(path, [SIZE_TOPIC])
    assert store.conn.execute("PRAGMA auto_vacuum").fetchone()[0] == (2 if vacuum == "incremental" else 0)
    seq = [0]
    sizes, events = [], []
    for day in range(10):
        fill_day(store, day, seq)
        result = compact(store, 2, T0 + (day + 1) * DAY_S)
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        sizes.append(file_size(path))
        events.append(store.conn.execute("SELECT count(*) FROM events").fetchone()[0])
        if day >= 3:
            assert result.events_deleted > 0
    per_day = 24 * 150
    assert max(events[3:]) <= 3 * per_day              # 2 days + the day being filled
    # once two days are kept, the file stays where it got to (the free pages are reused)
    assert max(sizes[4:]) <= sizes[3] * 1.1, sizes
    assert sizes[-1] < sum(sizes[:1]) * 5, sizes       # not 10 days' worth
    store.close()


def test_lowering_retention_gives_pages_back_to_the_file_system(tmp_path):
    path = tmp_path / "shrink.sqlite"
    store = Store(path, [SIZE_TOPIC])
    seq = [0]
    for day in range(6):
        fill_day(store, day, seq)
    end = T0 + 6 * DAY_S
    compact(store, 30, end)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    big = file_size(path)
    result = compact(store, 1, end)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert result.events_deleted > 4 * 24 * 150 and result.pages_released > 0
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    free = store.conn.execute("PRAGMA freelist_count").fetchone()[0]
    assert free <= pages * retention.FREE_SLACK + 1
    assert file_size(path) < big * 0.5, (file_size(path), big)
    store.close()


# ------------------------------------------------------------------------ the writer runs it
def test_the_writer_compacts_at_start_and_again_between_batches(cache, log_frames, topics):
    conn = sqlite3.connect(cache)
    total = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    wall = T0 + 900 * DAY_S             # any later day: the cache's own clock decides
    writer = StoreWriter(cache, topics, retention_days=KEEP_DAYS, clock=lambda: wall,
                         compact_every_s=0.5, compact_chunk=400)
    try:
        assert writer.compacted.wait(30)
        first = writer.last_compaction
        assert first is not None and first.events_deleted > 0 and first.steps > 3
        held = log_frames[-FRAMES_HELD_BACK:]
        writer.compacted.clear()
        for at, records in held:
            writer.submit(list(records))
        writer.flush()
        assert writer.compacted.wait(30)
        deadline = time.monotonic() + 30
        while writer.last_compaction.retained_from == first.retained_from and time.monotonic() < deadline:
            writer.compacted.clear()
            writer.compacted.wait(5)
        second = writer.last_compaction
        assert second.retained_from > first.retained_from and second.events_deleted > 0
        assert writer.worker.is_alive()
    finally:
        writer.close()
    conn = sqlite3.connect(cache)
    newest = newest_received(conn)
    assert newest == held[-1][0]
    assert retained_from(conn) == second.retained_from <= newest - KEEP_DAYS * DAY_S
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] < total
    # everything fed was committed, compaction or not
    cursors = dict(conn.execute("SELECT topic, seq FROM cursors"))
    last = {}
    for _, records in log_frames:
        for r in records:
            last[r.topic] = r.seq
    assert cursors == last
    conn.close()


def test_without_retention_the_writer_keeps_everything(cache, topics):
    conn = sqlite3.connect(cache)
    total = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    conn.close()
    writer = StoreWriter(cache, topics)
    writer.flush()
    time.sleep(0.2)
    assert writer.last_compaction is None and not writer.compacted.is_set()
    writer.close()
    conn = sqlite3.connect(cache)
    assert conn.execute("SELECT count(*) FROM events").fetchone()[0] == total
    conn.close()


def test_a_failing_compaction_never_stops_the_writer(cache, topics, monkeypatch, log_frames):
    def broken(self):
        raise sqlite3.OperationalError("disk I/O error")
    monkeypatch.setattr(retention.Compaction, "step", broken)
    writer = StoreWriter(cache, topics, retention_days=KEEP_DAYS, compact_every_s=3600)
    try:
        at, records = log_frames[-FRAMES_HELD_BACK]
        writer.submit(list(records))
        writer.flush()
        assert writer.worker.is_alive() and writer.last_compaction is None
        assert writer.call(lambda s: s.cursors()).result(10)[records[-1].topic] == records[-1].seq
    finally:
        writer.close()


def test_the_config_carries_retention_to_the_writer(monkeypatch, tmp_path):
    import main
    from ioc_desktop import headless
    from ioc_desktop.config import ClientConfig

    assert ClientConfig().retention_days == 7.0
    assert main._retention_days(argparse.Namespace(retention_days=None)) == 7.0
    assert main._retention_days(argparse.Namespace(retention_days="2.5")) == 2.5
    seen = {}

    def capture(path, topics, **kw):
        seen.update(kw)
        raise sqlite3.OperationalError("stop here")
    monkeypatch.setattr(headless, "StoreWriter", capture)
    rc = main.main(["sync", "--server", "ws://127.0.0.1:9/feed", "--cache", str(tmp_path / "c.sqlite"),
                    "--retention-days", "3", "--lang", "en"])
    assert rc == 5 and seen["retention_days"] == 3.0


# ------------------------------------------------------------------------ the command line
def run(args, tmp_path: Path) -> subprocess.CompletedProcess:
    import os
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg-cache"), QT_QPA_PLATFORM="offscreen")
    return subprocess.run(MAIN + [str(a) for a in args], capture_output=True, text=True,
                          timeout=60, env=env, cwd=tmp_path)


@pytest.mark.parametrize("args", [
    ["--retention-days", "-1"], ["--retention-days", "abc"], ["--retention-days", "0"],
    ["--retention-days", "nan"], ["--retention-days", "100000"],
    ["sync", "--server", "ws://127.0.0.1:9/feed", "--retention-days", "abc"],
])
def test_a_bad_retention_is_one_line_and_exit_2(args, tmp_path):
    proc = run(["--lang", "en", *args], tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, proc.stderr
    value = args[args.index("--retention-days") + 1]
    assert lines[0] == (f"ioc-desktop: --retention-days {value}: must be a number of days "
                        f"greater than 0 (at most 3650)")


def test_cache_info_tells_the_size_history_days_and_tables(cache, capsys):
    import main
    conn = sqlite3.connect(cache, isolation_level=None)
    newest = newest_received(conn)
    result = compact(conn, KEEP_DAYS, newest)
    n_events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    n_reports = conn.execute("SELECT count(*) FROM reports").fetchone()[0]
    conn.close()
    before = cache.read_bytes()

    assert main.main(["--lang", "en", "cache", "info", "--cache", str(cache), "--json"]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["schema_version"] == "3" and info["size"] == cache.stat().st_size
    assert info["events"] == n_events == sum(d["events"] for d in info["days"])
    assert abs(sum(d["bytes"] for d in info["days"]) - info["events_bytes"]) <= len(info["days"])
    assert info["events_bytes"] > 300 * n_events
    assert info["retained_from_epoch"] == result.retained_from and info["retained_by_compaction"]
    assert info["newest_epoch"] == newest
    assert info["retained_from"].endswith("+07:00")
    # days of reception in Huế time
    from datetime import datetime, timedelta, timezone
    hue = timezone(timedelta(hours=7))
    first_day = datetime.fromtimestamp(result.retained_from, hue).date()
    last_day = datetime.fromtimestamp(newest, hue).date()
    assert [d["day"] for d in info["days"]][0] >= first_day.isoformat()
    assert info["days"][-1]["day"] == last_day.isoformat()
    assert info["checkpoints"]["count"] > 0 and info["checkpoints"]["bytes"] > 0
    state = {t["name"]: t for t in info["state_tables"]}
    assert state["reports"]["rows"] == n_reports and state["reports"]["bytes"] > 0
    assert "events" not in state and "alarm_events" in {t["name"] for t in info["other_tables"]}

    assert main.main(["--lang", "en", "cache", "info", "--cache", str(cache)]) == 0
    text = capsys.readouterr().out
    lines = text.splitlines()
    assert lines[0].startswith(f"{cache}: ") and lines[0].endswith("schema version 3")
    assert any(l.startswith("history (Huế time, UTC+7): from ") for l in lines), text
    assert any(l.startswith("older events were folded into a checkpoint (retention)") for l in lines)
    assert any(l.startswith(f"events: {n_events}, ") for l in lines)
    assert any(l.startswith(f"  {last_day.isoformat()}  ") and " events  " in l for l in lines)
    assert any(l.startswith("  reports ") and f" {n_reports} rows " in l for l in lines)
    assert any("MiB" in l or "KiB" in l for l in lines)
    assert cache.read_bytes() == before               # read-only


def test_cache_info_in_its_own_process_and_on_bad_files(cache, tmp_path):
    proc = run(["--lang", "en", "cache", "info", "--cache", cache], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "events per day (received, Huế time):" in proc.stdout
    for bad, reason in [(tmp_path / "none.sqlite", "no such file or directory")]:
        proc = run(["--lang", "en", "cache", "info", "--cache", bad], tmp_path)
        assert proc.returncode == 5 and len(proc.stderr.splitlines()) == 1
        assert proc.stderr.strip().endswith(reason), proc.stderr
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (a)").connection.close()
    proc = run(["--lang", "en", "cache", "info", "--cache", other], tmp_path)
    assert proc.returncode == 5 and len(proc.stderr.splitlines()) == 1
    assert "not a cache of this program" in proc.stderr
    text = tmp_path / "notes.sqlite"
    text.write_text("not a database at all" * 100)
    proc = run(["--lang", "en", "cache", "info", "--cache", text], tmp_path)
    assert proc.returncode == 5 and len(proc.stderr.splitlines()) == 1
    assert "Traceback" not in proc.stderr
