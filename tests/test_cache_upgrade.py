"""A cache of the previous schema (2: before review's checkpoints, an alarm journal
without its ``data`` column) opens with the current store: its events, state, cursors
and journal are kept, it gains the checkpoint tables and schema version 3, review
(`state_at`) gives the right state at a moment of its history, and retention leaves it
alone until it has a checkpoint old enough.

The schema-2 file is made here with the SQL the schema-2 code ran (``git show
071bff3~1:ioc_desktop/store/store.py`` and ``…/alarms/journal.py``; the plugins' state
tables are unchanged since, and the events, state and cursors are written by the same
``apply`` as then, without its checkpoint).  Clocks: the recorded log's (2023)."""
from __future__ import annotations

import sqlite3

import orjson
import pytest

from review_log import plugins, recorded_log
from ioc_desktop.alarms import journal
from ioc_desktop.plugin_api import topic_map
from ioc_desktop.review import checkpoints
from ioc_desktop.review.state_at import bounds, state_at
from ioc_desktop.store.retention import NO_CHECKPOINT, compact
from ioc_desktop.store.store import PAGE_SIZE, SCHEMA_VERSION, Store

# The schema-2 store's own tables, as its code created them (sqlite_master's text).
SCHEMA_2 = [
    """CREATE TABLE "meta" (
   "key" TEXT PRIMARY KEY,
   "value" TEXT
)""",
    "CREATE TABLE events (topic TEXT NOT NULL, seq INTEGER NOT NULL, time TEXT, op TEXT NOT NULL, "
    "key TEXT, data TEXT, received_at REAL, PRIMARY KEY (topic, seq)) WITHOUT ROWID",
    """CREATE INDEX "idx_events_topic_key"
    ON "events" ("topic", "key")""",
    """CREATE TABLE "cursors" (
   "topic" TEXT PRIMARY KEY,
   "seq" INTEGER,
   "updated_at" REAL
)""",
    """CREATE TABLE "rejected" (
   "id" INTEGER PRIMARY KEY,
   "received_at" REAL,
   "topic" TEXT,
   "seq" INTEGER,
   "reason" TEXT,
   "raw" TEXT,
   "size" INTEGER
)""",
    "CREATE TABLE media (key TEXT PRIMARY KEY, url TEXT NOT NULL, origin TEXT NOT NULL, path TEXT NOT NULL, "
    "kind TEXT NOT NULL, content_type TEXT, data BLOB, fetched_at REAL, size INTEGER)",
    "CREATE INDEX media_url ON media(url)",
    "CREATE INDEX media_path ON media(path)",
]

# The alarm journal before review (no ``data`` column).
ALARMS_2 = [
    """CREATE TABLE alarms (
        id TEXT PRIMARY KEY,
        rule TEXT NOT NULL,
        key TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('normal', 'unacknowledged', 'acknowledged', 'rtn_unacknowledged', 'latched', 'shelved', 'suppressed', 'out_of_service')),
        priority INTEGER NOT NULL,
        text TEXT,
        value,
        raised_at REAL,
        acked_at REAL,
        acked_by TEXT,
        shelved_by TEXT,
        shelved_until REAL,
        shelve_reason TEXT,
        suppressed_by TEXT,
        oos_by TEXT,
        oos_reason TEXT,
        updated_at REAL,
        data TEXT NOT NULL
    )""",
    "CREATE INDEX alarms_state ON alarms(state, priority, raised_at)",
    """CREATE TABLE alarm_events (
        seq INTEGER PRIMARY KEY,
        at REAL NOT NULL,
        alarm_id TEXT,
        rule TEXT,
        key TEXT,
        event TEXT NOT NULL CHECK (event IN ('raise', 'clear', 'acknowledge', 'shelve', 'unshelve', 'suppress', 'unsuppress', 'out_of_service', 'return_to_service', 'silence', 'reset', 'expire')),
        from_state TEXT,
        to_state TEXT,
        user TEXT,
        reason TEXT,
        value,
        priority INTEGER,
        until REAL,
        action_id TEXT
    )""",
    "CREATE INDEX alarm_events_alarm ON alarm_events(alarm_id, seq)",
    "CREATE INDEX alarm_events_at ON alarm_events(at)",
    "CREATE INDEX alarm_events_action ON alarm_events(action_id)",
    "CREATE TRIGGER alarm_events_no_update BEFORE UPDATE ON alarm_events BEGIN SELECT RAISE(ABORT, 'the alarm journal is append-only'); END",
    "CREATE TRIGGER alarm_events_no_delete BEFORE DELETE ON alarm_events BEGIN SELECT RAISE(ABORT, 'the alarm journal is append-only'); END",
]


class Schema2Store(Store):
    """The store as schema 2 ran it: the tables above (made before it opens), the
    plugins' state tables, ``apply`` without checkpoints."""

    def _create_schema(self) -> None:
        with self._tx():
            for spec in self.topics.values():
                self._create_state_table(spec)

    def _reset_checkpoint_clock(self) -> None:
        self._checkpoint_at, self._events_since_checkpoint, self._newest_received = None, 0, 0.0

    def _maybe_checkpoint(self) -> None:
        pass


def make_schema_2(path, topics, frames) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN")
    for statement in SCHEMA_2 + ALARMS_2:
        conn.execute(statement)
    conn.executemany("INSERT INTO meta(key, value) VALUES (?, ?)",
                     [("schema_version", "2"), ("created_at", "2023-07-22T04:00:00Z"),
                      ("server_url", "ws://127.0.0.1:8765/feed"), ("epoch", "demo-1")])
    conn.executemany(
        "INSERT INTO alarm_events(at, alarm_id, rule, key, event, from_state, to_state, "
        "priority, value) VALUES (?, 'environment.river_bd2/kim_long', 'environment.river_bd2', "
        "'kim_long', ?, ?, ?, 2, 3.1)",
        [(frames[10][0], "raise", "normal", "unacknowledged"),
         (frames[20][0], "acknowledge", "unacknowledged", "acknowledged")])
    conn.execute("COMMIT")
    conn.close()
    old = Schema2Store(path, topics)
    for _, records in frames:
        old.apply(records)
    old.close()


def replay(frames, at: float) -> dict[str, dict]:
    """What a fresh client had at ``at``: the recorded log applied in plain Python."""
    state: dict[str, dict] = {}
    for received, records in frames:
        if received > at:
            break
        for r in records:
            items = state.setdefault(r.topic, {})
            if r.op == "upsert":
                items[r.key] = orjson.loads(orjson.dumps(r.data))
            elif r.op == "delete":
                items.pop(r.key, None)
            elif r.op == "snapshot":
                state[r.topic] = {it["key"]: orjson.loads(orjson.dumps(it["data"])) for it in r.data}
    return state


@pytest.fixture(scope="module")
def frames():
    return recorded_log(3000, frame=25, spacing_s=120.0)      # 4 hours of the feed


@pytest.fixture(scope="module")
def topics():
    return list(topic_map(plugins()).values())


def test_a_schema_2_cache_opens_keeps_everything_and_gains_checkpoints(tmp_path, frames, topics):
    path = tmp_path / "old.sqlite"
    old_part, new_part = frames[:90], frames[90:]
    make_schema_2(path, topics, old_part)

    conn = sqlite3.connect(path)
    tables = {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "checkpoints" not in tables and "reports" in tables
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "2"
    assert "data" not in {r[1] for r in conn.execute("PRAGMA table_info(alarm_events)")}
    events = conn.execute("SELECT topic, seq, op, key, data, received_at FROM events "
                          "ORDER BY topic, seq").fetchall()
    cursors = dict(conn.execute("SELECT topic, seq FROM cursors"))
    journal_rows = conn.execute("SELECT * FROM alarm_events ORDER BY seq").fetchall()
    conn.close()
    assert len(events) == sum(len(r) for _, r in old_part)

    store = Store(path, topics)                      # the current code
    try:
        state_before = store.load_state()
        assert store.meta("schema_version") == str(SCHEMA_VERSION) == "3"
        assert checkpoints.has_schema(store.conn)
        assert store.conn.execute("SELECT count(*) FROM checkpoints").fetchone()[0] == 0
        assert store.conn.execute("SELECT topic, seq, op, key, data, received_at FROM events "
                                  "ORDER BY topic, seq").fetchall() == events
        assert store.cursors() == cursors
        assert store.meta("epoch") == "demo-1"
        # the state tables are the log's state
        expected = replay(old_part, old_part[-1][0])
        for topic, items in state_before.items():
            assert items == expected.get(topic, {}), topic
        # the journal, as the situation layer opens it: gains its column, keeps its rows
        with store._tx():
            journal.ensure_schema(store.conn)
        assert store.conn.execute(
            "SELECT seq, at, alarm_id, rule, key, event, from_state, to_state, user, reason, "
            "value, priority, until, action_id FROM alarm_events ORDER BY seq").fetchall() == journal_rows
        assert "data" in {r[1] for r in store.conn.execute("PRAGMA table_info(alarm_events)")}
        names = [t.name for t in topics]
        # review in its history (no checkpoint yet: replayed from the log's start)
        for at in (old_part[0][0], old_part[30][0] + 1, old_part[-1][0]):
            review = state_at(store.conn, names, at)
            want = replay(old_part, at)
            assert review.checkpoint_at is None
            assert review.state == {t: want.get(t, {}) for t in names}, at
        assert bounds(store.conn) == (old_part[0][0], old_part[-1][0])
        # retention leaves it alone: no checkpoint before its horizon yet
        result = compact(store, 0.01, old_part[-1][0])
        assert result.nothing_to_do and result.reason == NO_CHECKPOINT
        assert store.conn.execute("SELECT count(*) FROM events").fetchone()[0] == len(events)
        # the feed goes on: checkpoints come, review is right before and after them
        for _, records in new_part:
            store.apply(records)
        assert store.conn.execute("SELECT count(*) FROM checkpoints").fetchone()[0] >= 1
        for at in (old_part[45][0], new_part[5][0] + 1, new_part[-1][0]):
            review = state_at(store.conn, names, at)
            want = replay(frames, at)
            assert review.state == {t: want.get(t, {}) for t in names}, at
        # and now compaction has a base; review from it on is unchanged
        newest = new_part[-1][0]
        later = [new_part[-10][0], newest]
        before = {at: state_at(store.conn, names, at).state for at in later}
        result = compact(store, 0.01, newest)
        assert not result.nothing_to_do and result.events_deleted > 0
        assert result.retained_from <= later[0]
        for at in later:
            assert state_at(store.conn, names, at).state == before[at]
        assert store.conn.execute("SELECT count(*) FROM alarm_events").fetchone()[0] == len(journal_rows)
    finally:
        store.close()
