"""Alarm-system health (issue 8, part 2, item 7): the figures over a real journal, and
``ioc-desktop alarms report`` (read-only, one-line errors).

The journal is written by a real :class:`AlarmEngine` driven through a scripted day,
each step recorded with ``journal.record`` in its own transaction.  Times are fixed
epochs (nothing depends on today's date); every figure is asserted exactly.
"""
from __future__ import annotations

import hashlib
import json
import os
import random
import sqlite3
import time
from collections import Counter, defaultdict
from datetime import timezone
from pathlib import Path

import pytest

from ioc_desktop import cli_messages
from ioc_desktop.alarms import AlarmEngine, AlarmRule, Condition, Transition, journal
from ioc_desktop.alarms.cli import alarms_report, parse_time
from ioc_desktop.alarms.health import (ChatteringAlarm, NoAlarmJournal, OverlayInterval,
                                       StaleAlarm, alarm_health)
from ioc_desktop.cli_messages import CliError

D = 1_699_920_000.0           # 2023-11-14T00:00:00Z: the scripted day starts here
H = 3600.0

RIVER = "environment.river_level"
AQI = "environment.aqi"
CAMERA = "cameras.offline"
VESSEL = "vessels.lost_signal"
CYBER = "cyber.critical_open"


# ---------------------------------------------------------------- the scripted day
def river_levels(model, ctx):
    """Priority rising with the level: BĐ3 is 1, BĐ2 is 2, BĐ1 is 3."""
    for key, level in model.items():
        for mark, threshold, priority in (("BĐ3", 3.5, 1), ("BĐ2", 2.0, 2), ("BĐ1", 1.0, 3)):
            if ctx.beyond(key, level, threshold):
                yield Condition(key, f"{key} {level:.2f} m, above {mark}", level, priority)
                break


def at_least(threshold: float, unit: str):
    def condition(model, ctx):
        for key, value in model.items():
            if ctx.beyond(key, value, threshold):
                yield Condition(key, f"{key} {unit} {value:g}", value)
    return condition


RULES = [
    AlarmRule(RIVER, 3, river_levels),
    AlarmRule(AQI, 3, at_least(151, "AQI")),
    AlarmRule(CAMERA, 4, at_least(1, "offline")),
    AlarmRule(VESSEL, 2, at_least(6, "h without a position:")),
    AlarmRule(CYBER, 1, at_least(1, "open incident")),
]


class Day:
    """An engine over one model per rule; every step is journaled in a transaction."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.engine = AlarmEngine()
        self.engine.add_rules("test", RULES)
        self.models: dict[str, dict] = {r.id: {} for r in RULES}
        with_transaction(conn, lambda: journal.ensure_schema(conn))

    def _record(self, transitions):
        with_transaction(self.conn, lambda: journal.record(
            self.conn, transitions, self.engine.take_changed()))
        return transitions

    def set(self, t: float, rule: str, values: dict):
        self.models[rule].update(values)
        return self._record(self.engine.evaluate_rule(rule, self.models[rule], D + t))

    def drop(self, t: float, rule: str, *keys: str):
        for key in keys:
            del self.models[rule][key]
        return self._record(self.engine.evaluate_rule(rule, self.models[rule], D + t))

    def tick(self, t: float):
        return self._record(self.engine.tick(D + t))

    def act(self, t: float, action: str, rule: str, key: str, **kw):
        if "until" in kw:
            kw["until"] = D + kw["until"]
        return self._record(getattr(self.engine, action)(f"{rule}/{key}", now=D + t, **kw))


def with_transaction(conn, work):
    conn.execute("BEGIN IMMEDIATE")
    try:
        work()
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


CAMS = [f"CAM-{i:02d}" for i in range(1, 13)]
STATIONS = [f"S{i:02d}" for i in range(1, 11)]


def scripted_day(path: Path) -> Path:
    """One day (D to D + 24 h) and the hours before it.  Times are seconds from D."""
    conn = sqlite3.connect(path, isolation_level=None)
    day = Day(conn)
    # before the period: the stale alarm (raised 30 h before the period's end), a
    # shelve wholly before the period, and an out-of-service begun before it
    assert day.set(-6 * H, AQI, {"Phú Bài": 180})[0].event == "raise"
    day.act(-5 * H, "shelve", AQI, "Phú Bài", until=-4 * H, reason="dust sensor drift",
            user="op1")
    assert [t.event for t in day.tick(-4 * H)] == ["expire"]
    day.set(-2 * H, CAMERA, {"CAM-30": 1})
    day.act(-1 * H, "remove_from_service", CAMERA, "CAM-30", reason="camera replaced",
            user="sup1")
    day.drop(-0.5 * H, CAMERA, "CAM-30")                     # a clear under out of service
    # the period
    day.set(0, RIVER, {"Phú Ốc": 1.6})                      # active exactly 24 h: not stale
    day.act(1 * H, "acknowledge", AQI, "Phú Bài", user="op1")
    day.set(2 * H, RIVER, {"Kim Long": 1.2})                # P3
    day.act(2 * H, "return_to_service", CAMERA, "CAM-30", user="sup1")
    day.act(2 * H + 100, "acknowledge", RIVER, "Kim Long", user="op1")
    esc = day.set(3 * H, RIVER, {"Kim Long": 2.3})          # escalation to P2: annunciated
    assert [(t.event, t.from_state, t.priority) for t in esc] == [("raise", "acknowledged", 2)]
    day.act(3 * H + 100, "acknowledge", RIVER, "Kim Long", user="op1")
    day.set(4 * H, RIVER, {"Kim Long": 3.7})                # escalation to P1
    # chattering: 4 transitions in 60 s
    day.set(5 * H, VESSEL, {"TTH-90123-TS": 7})
    day.drop(5 * H + 20, VESSEL, "TTH-90123-TS")
    day.set(5 * H + 40, VESSEL, {"TTH-90123-TS": 7})
    day.drop(5 * H + 60, VESSEL, "TTH-90123-TS")
    # not chattering: 3 transitions in 61 s; it stays active
    day.set(20000, VESSEL, {"TTH-90456-TS": 8})
    day.drop(20030, VESSEL, "TTH-90456-TS")
    day.set(20061, VESSEL, {"TTH-90456-TS": 8})
    # a shelve taken and given back; the condition goes and comes back meanwhile
    day.set(6 * H, AQI, {"Hương Thủy": 160})
    day.act(6 * H + 600, "shelve", AQI, "Hương Thủy", until=8 * H, reason="sensor maintenance",
            user="op1")
    day.drop(23000, AQI, "Hương Thủy")
    under = day.set(24000, AQI, {"Hương Thủy": 155})
    assert [(t.event, t.to_state) for t in under] == [("raise", "shelved")]   # not counted
    day.act(7 * H, "unshelve", AQI, "Hương Thủy", user="op1")
    day.set(8 * H, RIVER, {"Kim Long": 0.5})                # clear
    day.drop(9 * H, AQI, "Hương Thủy")
    # a flood: 12 cameras offline within 6 minutes
    for i, cam in enumerate(CAMS):
        day.set(10 * H + 30 * i, CAMERA, {cam: 1})
    day.drop(11 * H, CAMERA, *CAMS)
    # 10 alarms in 10 minutes: not a flood
    for i, station in enumerate(STATIONS):
        day.set(12 * H + 50 * i, AQI, {station: 200})
    day.drop(13 * H, AQI, *STATIONS)
    day.set(15 * H, CYBER, {"INC-1": 1})
    day.act(15 * H + 100, "acknowledge", CYBER, "INC-1", user="op2")
    day.drop(15.5 * H, CYBER, "INC-1")
    # a shelve that expires
    day.set(16 * H, CAMERA, {"CAM-20": 1})
    day.act(16 * H + 60, "shelve", CAMERA, "CAM-20", until=17 * H, reason="known fault",
            user="op2")
    assert [t.event for t in day.tick(17 * H + 60)] == ["expire"]
    day.drop(18 * H, CAMERA, "CAM-20")
    # still out of service and still shelved at the end of the period
    day.set(19 * H, VESSEL, {"TTH-90789-TS": 9})
    day.set(20 * H, CAMERA, {"CAM-21": 1})
    day.act(21 * H, "remove_from_service", VESSEL, "TTH-90789-TS",
            reason="transponder removed for repair", user="sup1")
    day.act(22 * H, "shelve", CAMERA, "CAM-21", until=26 * H, reason="road works", user="op2")
    day.set(86100, CYBER, {"INC-2": 1})                     # the journal's last event
    conn.close()
    return path


@pytest.fixture(scope="module")
def day_cache(tmp_path_factory) -> Path:
    return scripted_day(tmp_path_factory.mktemp("health") / "cache.sqlite")


@pytest.fixture
def conn(day_cache):
    c = sqlite3.connect(day_cache.absolute().as_uri() + "?mode=ro", uri=True)
    yield c
    c.close()


@pytest.fixture
def english():
    before = cli_messages.language()
    cli_messages.set_language("en")
    yield
    cli_messages.set_language(before)


@pytest.fixture
def hue_time(monkeypatch):
    """The CLI prints local times: make the local zone Huế's (UTC+7)."""
    monkeypatch.setenv("TZ", "Asia/Ho_Chi_Minh")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


# ---------------------------------------------------------------- the figures
def test_default_period_is_the_journal_s_last_day_and_every_figure_is_exact(conn):
    r = alarm_health(conn)
    assert (r.since, r.until) == (D, D + 24 * H)          # 144 whole 10-minute slots
    assert r.journal_events == 78
    assert r.raises == 36                                 # annunciated raises only
    assert r.slots == 144
    assert r.per_10min_average == 36 / 144
    assert (r.per_10min_peak, r.peak_slot_start) == (12, D + 10 * H)
    assert r.flood_slots == 1                             # 12 in a slot; 10 is no flood
    assert r.flood_share == 1 / 144
    assert r.per_day == 36.0 and r.operators == 1 and r.per_operator_day == 36.0
    assert r.per_operator_day_target == 150 and r.per_operator_day_met is True
    assert r.priorities == {1: 3, 2: 6, 3: 13, 4: 14}
    assert r.critical_share == 3 / 36 and r.critical_target == 0.05
    assert r.critical_met is False
    assert [(a.alarm_id, a.count, a.priority, a.share) for a in r.top] == [
        (f"{RIVER}/Kim Long", 3, 1, 3 / 36),
        (f"{VESSEL}/TTH-90123-TS", 2, 2, 2 / 36),
        (f"{VESSEL}/TTH-90456-TS", 2, 2, 2 / 36),
        *[(f"{CAMERA}/{cam}", 1, 4, 1 / 36) for cam in CAMS[:7]],
    ]
    assert r.chattering == [ChatteringAlarm(f"{VESSEL}/TTH-90123-TS", VESSEL, "TTH-90123-TS",
                                            transitions=4, peak_60s=4, first_at=D + 5 * H + 40)]
    assert r.stale == [StaleAlarm(f"{AQI}/Phú Bài", AQI, "Phú Bài", priority=3,
                                  state="acknowledged", active_since=D - 6 * H,
                                  age_s=30 * H, text="Phú Bài AQI 180")]
    # Phú Bài, Phú Ốc, TTH-90456-TS, TTH-90789-TS (out of service), CAM-21 (shelved), INC-2
    assert r.active_at_until == 6

    s = r.shelved
    assert (s.count, s.alarms, s.open, s.total_s, s.longest_s) == (3, 3, 1, 13800.0, 7200.0)
    assert s.items == [
        OverlayInterval(f"{AQI}/Hương Thủy", AQI, "Hương Thủy", D + 6 * H + 600, D + 7 * H,
                        3000.0, "op1", "sensor maintenance", D + 8 * H),
        OverlayInterval(f"{CAMERA}/CAM-20", CAMERA, "CAM-20", D + 16 * H + 60,
                        D + 17 * H + 60, 3600.0, "op2", "known fault", D + 17 * H),
        OverlayInterval(f"{CAMERA}/CAM-21", CAMERA, "CAM-21", D + 22 * H, None, 7200.0,
                        "op2", "road works", D + 26 * H),
    ]
    o = r.out_of_service
    assert (o.count, o.alarms, o.open, o.total_s, o.longest_s) == (2, 2, 1, 18000.0, 10800.0)
    assert o.items == [
        OverlayInterval(f"{CAMERA}/CAM-30", CAMERA, "CAM-30", D - 1 * H, D + 2 * H, 7200.0,
                        "sup1", "camera replaced"),     # begun before the period: from since
        OverlayInterval(f"{VESSEL}/TTH-90789-TS", VESSEL, "TTH-90789-TS", D + 21 * H, None,
                        10800.0, "sup1", "transponder removed for repair"),
    ]


def test_the_flood_slot_alone(conn):
    r = alarm_health(conn, since=D + 10 * H, until=D + 10 * H + 600)
    assert (r.raises, r.journal_events, r.slots) == (12, 12, 1)
    assert (r.per_10min_average, r.per_10min_peak, r.flood_slots, r.flood_share) == \
        (12.0, 12, 1, 1.0)
    assert r.per_day == 12 * 144 and r.per_operator_day_met is False
    assert r.priorities == {1: 0, 2: 0, 3: 0, 4: 12}
    assert (r.critical_share, r.critical_met) == (0.0, True)
    assert [a.key for a in r.top] == CAMS[:10]
    assert r.chattering == [] and r.stale == []
    assert r.active_at_until == 3 + 12        # Phú Bài, Phú Ốc, TTH-90456-TS + the cameras
    assert r.shelved.count == r.out_of_service.count == 0


def test_a_period_off_the_ten_minute_grid_counts_partial_slots(conn):
    r = alarm_health(conn, since=D + 10 * H + 300, until=D + 10 * H + 900)
    assert r.raises == 2                      # CAM-11 and CAM-12 (at +300 and +330)
    assert r.slots == 2                       # 10:00-10:10 and 10:10-10:20 overlap it
    assert (r.per_10min_average, r.per_10min_peak, r.flood_slots) == (2.0, 2, 0)


def test_an_open_out_of_service_is_counted_to_the_end_of_a_past_period(conn):
    r = alarm_health(conn, since=D, until=D + 1 * H)
    o = r.out_of_service
    assert (o.count, o.open, o.total_s) == (1, 1, 3600.0)
    assert o.items[0].end is None and o.items[0].start == D - 1 * H
    assert r.raises == 1 and r.slots == 6 and r.stale == []


def test_a_period_before_the_day_sees_the_early_shelve_and_raises(conn):
    r = alarm_health(conn, until=D)           # only until: the 24 h before it
    assert (r.since, r.until) == (D - 24 * H, D)
    assert r.raises == 2                      # Phú Bài and CAM-30
    assert (r.shelved.count, r.shelved.total_s, r.shelved.open) == (1, 3600.0, 0)
    assert (r.out_of_service.count, r.out_of_service.total_s) == (1, 3600.0)
    assert r.active_at_until == 1 and r.stale == []   # Phú Bài; CAM-30 cleared


def test_period_defaults(conn):
    assert (alarm_health(conn, since=D + 12 * H).since,
            alarm_health(conn, since=D + 12 * H).until) == (D + 12 * H, D + 24 * H)
    late = alarm_health(conn, since=D + 48 * H)      # after the journal: a day of nothing
    assert (late.since, late.until, late.raises) == (D + 48 * H, D + 72 * H, 0)
    assert [a.key for a in late.stale] == ["Phú Bài", "Phú Ốc", "TTH-90456-TS",
                                           "TTH-90789-TS", "CAM-21", "INC-2"]
    panel = alarm_health(conn, now=D + 24 * H + 600)
    assert (panel.since, panel.until) == (D + 600, D + 24 * H + 600)
    assert alarm_health(conn, operators=2).per_operator_day == 18.0
    with pytest.raises(ValueError):
        alarm_health(conn, since=D, until=D)


def test_empty_journal_and_no_journal(tmp_path):
    c = sqlite3.connect(tmp_path / "empty.sqlite")
    journal.ensure_schema(c)
    r = alarm_health(c)
    assert (r.since, r.until, r.raises) == (None, None, 0)
    assert r.lines() == ["Alarm-system health: the alarm journal is empty."]
    json.dumps(r.to_dict())
    assert alarm_health(c, now=D).raises == 0
    bare = sqlite3.connect(tmp_path / "bare.sqlite")
    with pytest.raises(NoAlarmJournal):
        alarm_health(bare)


def test_to_dict_is_json_and_lines_are_a_plain_table(conn):
    r = alarm_health(conn)
    data = json.loads(json.dumps(r.to_dict()))
    assert data["raises"] == 36 and data["priorities"] == {"1": 3, "2": 6, "3": 13, "4": 14}
    assert data["since_utc"] == "2023-11-14T00:00:00Z"
    assert data["until_utc"] == "2023-11-15T00:00:00Z"
    assert data["shelved"]["items"][2]["end"] is None
    assert data["benchmarks"]["flood_above"] == 10
    text = r.lines(tz=timezone.utc)
    print("\n".join(text))
    assert text[0] == ("Alarm-system health, 2023-11-14T00:00:00Z to 2023-11-15T00:00:00Z "
                       "(1 d)")
    rows = {line.split("  ")[0]: " ".join(p.strip() for p in line.split("  ")[1:] if p.strip())
            for line in text}
    assert rows["alarms (annunciated raises)"] == "36"
    assert rows["alarms per 10 min, average"] == "0.25"
    assert rows["alarms per 10 min, peak"] == "12 at 2023-11-14T10:00:00Z <= 10: NOT MET"
    assert rows["10-min periods in flood (> 10)"] == "1 of 144 (0.7 %)"
    assert rows["priority 1 (critical) share"] == "8.3 % <= 5.0 %: NOT MET"
    assert rows["alarms per operator per day (1 operator)"] == "36.0 <= 150: met"
    assert rows["shelved"] == "3 (3 alarms, 1 open), total 3 h 50 min, longest 2 h"
    assert rows["out of service"] == "2 (2 alarms, 1 open), total 5 h, longest 3 h"
    for title in ("Top 10 most frequent alarms", "Chattering alarms", "Stale alarms",
                  "Shelved", "Out of service"):
        assert title in text
    assert all("\t" not in line and line == line.rstrip() for line in text)


# ---------------------------------------------------------------- the command
def test_report_command_prints_the_table(day_cache, capsys, english, hue_time):
    before = hashlib.sha256(day_cache.read_bytes()).hexdigest()
    files = sorted(day_cache.parent.iterdir())
    assert alarms_report(day_cache, since=None, until=None, as_json=False) == 0
    out, err = capsys.readouterr()
    print(out)
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == ("Alarm-system health, 2023-11-14T07:00:00+07:00 to "
                        "2023-11-15T07:00:00+07:00 (1 d)")
    assert any(line.startswith("alarms per 10 min, peak") and "12 at 2023-11-14T17:00:00+07:00"
               in line for line in lines)
    assert any("TTH-90123-TS" in line and line.split()[-1] == "2023-11-14T12:00:40+07:00"
               for line in lines)                 # chattering, first at
    # read-only: the file is untouched and nothing was created beside it
    assert hashlib.sha256(day_cache.read_bytes()).hexdigest() == before
    assert sorted(day_cache.parent.iterdir()) == files


def test_report_command_prints_json(day_cache, capsys, english):
    assert alarms_report(day_cache, since="2023-11-14T17:00:00+07:00",
                         until="1699956600", as_json=True) == 0
    out, err = capsys.readouterr()
    assert err == ""
    data = json.loads(out)
    assert (data["since"], data["until"]) == (D + 10 * H, D + 10 * H + 600)
    assert data["raises"] == 12 and data["flood_slots"] == 1
    with sqlite3.connect(day_cache) as c:
        assert data == json.loads(json.dumps(alarm_health(c, since=D + 10 * H,
                                                          until=D + 10 * H + 600).to_dict()))


def test_report_command_on_a_wal_cache_being_written(tmp_path, capsys, english):
    path = scripted_day(tmp_path / "live.sqlite")
    writer = sqlite3.connect(path, isolation_level=None)
    assert writer.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal"
    writer.execute("CREATE TABLE other (x)")       # the app holds its writer open
    try:
        assert alarms_report(path, since=None, until=None, as_json=True) == 0
        assert json.loads(capsys.readouterr().out)["raises"] == 36
    finally:
        writer.close()


def _one_line(capsys) -> str:
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("ioc-desktop: "), err
    assert "Traceback" not in err
    return lines[0]


def test_report_command_errors_are_one_line(tmp_path, capsys, english):
    missing = tmp_path / "nowhere" / "cache.sqlite"
    assert alarms_report(missing, since=None, until=None, as_json=False) == 5
    line = _one_line(capsys)
    assert str(missing) in line and "no such file or directory" in line
    assert not missing.exists() and not missing.parent.exists()

    assert alarms_report(tmp_path, since=None, until=None, as_json=False) == 5
    assert str(tmp_path) in _one_line(capsys)

    fifo = tmp_path / "fifo.sqlite"
    os.mkfifo(fifo)
    assert alarms_report(fifo, since=None, until=None, as_json=False) == 5
    assert _one_line(capsys) == f"ioc-desktop: --cache {fifo}: not a regular file"

    garbage = tmp_path / "garbage.sqlite"
    garbage.write_bytes(b"this is not an SQLite database\n" * 200)
    assert alarms_report(garbage, since=None, until=None, as_json=True) == 5
    line = _one_line(capsys)
    assert str(garbage) in line and "not an SQLite database" in line

    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as c:
        c.execute("CREATE TABLE events (seq INTEGER PRIMARY KEY)")
    c.close()
    assert alarms_report(other, since=None, until=None, as_json=False) == 5
    assert _one_line(capsys) == (f"ioc-desktop: no alarm journal in {other}: the cache has no "
                                 "alarm_events table (alarms were never recorded in it)")

    assert alarms_report(other, since="yesterday", until=None, as_json=False) == 2
    line = _one_line(capsys)
    assert "--since yesterday: not a time" in line
    assert alarms_report(other, since="1699920000", until="2023-11-14T00:00:00Z",
                         as_json=False) == 2
    assert "is not before --until" in _one_line(capsys)


@pytest.mark.parametrize("text, expected", [
    ("2023-11-14T07:00:00+07:00", D), ("2023-11-14T00:00:00Z", D),
    ("2023-11-14 00:00:00z", D), ("2023-11-14t00:00:00.5Z", D + 0.5),
    ("1699920000", D), ("1699920000.25", D + 0.25), (D, D)])
def test_times_are_rfc3339_or_epoch_seconds(text, expected):
    assert parse_time(text, "--since") == expected


@pytest.mark.parametrize("text", ["2023-11-14T00:00:00", "2023-11-14", "nan", "-5", "inf",
                                  "14/11/2023 07:00", ""])
def test_other_times_are_refused(text):
    with pytest.raises(CliError) as caught:
        parse_time(text, "--until")
    assert caught.value.exit_code == 2


# ---------------------------------------------------------------- scale
def synthetic_journal(path: Path, n: int, seed: int = 7) -> tuple[list[Transition], float, float]:
    """``n`` raise/clear events over 2 days for 1,500 alarms, some in bursts (chatter),
    some escalations and some raises under a shelve; written with ``journal.record``."""
    rng = random.Random(seed)
    start, end = D - 24 * H, D + 24 * H
    times: dict[int, list[float]] = defaultdict(list)
    made = 0
    while made < n:
        a = rng.randrange(1500)
        t = rng.uniform(start, end)
        burst = [t] + ([t + rng.uniform(0, 50) for _ in range(rng.randrange(1, 4))]
                       if rng.random() < 0.02 else [])
        burst = burst[:n - made]
        times[a] += burst
        made += len(burst)
    rows: list[Transition] = []
    for a, ts in times.items():
        active, rule, priority = False, f"rule{a % 7}", 1 + a % 4
        for t in sorted(ts):
            r = rng.random()
            if active and r < 0.05:
                event, fs, to = "raise", "acknowledged", "unacknowledged"    # escalation
            elif active:
                event, fs, to, active = "clear", "unacknowledged", "rtn_unacknowledged", False
            else:
                event, active = "raise", True
                fs, to = ("shelved", "shelved") if r > 0.9 else ("normal", "unacknowledged")
            rows.append(Transition(f"{rule}/k{a}", rule, f"k{a}", event, fs, to, t,
                                   priority=priority))
    rows.sort(key=lambda t: t.at)
    c = sqlite3.connect(path, isolation_level=None)
    c.execute("PRAGMA cache_size = -65536")          # 64 MB: the indexes stay in memory
    with_transaction(c, lambda: (journal.ensure_schema(c), journal.record(c, rows, [])))
    c.close()
    return rows, D - 12 * H, D + 12 * H


def test_scale_a_hundred_thousand_events_against_a_plain_python_count(tmp_path):
    path = tmp_path / "big.sqlite"
    rows, since, until = synthetic_journal(path, 100_000)
    assert len(rows) == 100_000
    c = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True)
    began = time.perf_counter()
    r = alarm_health(c, since=since, until=until)
    elapsed = time.perf_counter() - began
    print(f"alarm_health over {len(rows):,} journal events: {elapsed:.3f} s")

    inside = [t for t in rows if since <= t.at < until]
    raised = [t for t in inside if t.event == "raise" and t.to_state == "unacknowledged"]
    assert r.journal_events == len(inside) and r.raises == len(raised)
    per_slot = Counter(int(t.at / 600) for t in raised)
    assert r.per_10min_peak == max(per_slot.values())
    assert r.flood_slots == sum(1 for n in per_slot.values() if n > 10) > 0
    assert r.priorities == {p: sum(1 for t in raised if t.priority == p) for p in (1, 2, 3, 4)}
    counts = Counter(t.alarm_id for t in raised)
    assert [(a.alarm_id, a.count) for a in r.top] == \
        sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]

    # chattering: a sliding 60 s window over each alarm's condition changes
    changes: dict[str, list[float]] = defaultdict(list)
    for t in inside:
        if t.event == "clear" or (t.event == "raise" and t.from_state != "acknowledged"):
            changes[t.alarm_id].append(t.at)
    expected = {}
    for alarm_id, ts in changes.items():
        lo, peak, first = 0, 0, None
        for hi, at in enumerate(ts):
            while ts[lo] < at - 60:
                lo += 1
            peak = max(peak, hi - lo + 1)
            if first is None and hi - lo + 1 >= 3:
                first = at
        if peak >= 3:
            expected[alarm_id] = (len(ts), peak, first)
    assert {a.alarm_id: (a.transitions, a.peak_60s, a.first_at) for a in r.chattering} == expected
    assert expected

    # active at until, and stale, from the whole journal before it
    since_of: dict[str, float | None] = {}
    for t in rows:
        if t.at >= until:
            break
        if t.event == "clear":
            since_of[t.alarm_id] = None
        elif t.event == "raise" and since_of.get(t.alarm_id) is None:
            since_of[t.alarm_id] = t.at
    active = {a: s for a, s in since_of.items() if s is not None}
    assert r.active_at_until == len(active)
    assert {a.alarm_id for a in r.stale} == {a for a, s in active.items() if until - s > 24 * H}
    c.close()


def test_ioc_desktop_alarms_report_from_the_command_line(day_cache, tmp_path):
    """The same report as a user runs it: `ioc-desktop alarms report --cache …`."""
    import subprocess
    import sys

    main = [sys.executable, str(Path(__file__).resolve().parents[1] / "main.py")]
    proc = subprocess.run(main + ["alarms", "report", "--cache", str(day_cache), "--json"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["raises"] == 36
    missing = tmp_path / "nowhere.sqlite"
    proc = subprocess.run(main + ["alarms", "report", "--cache", str(missing)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == cli_messages.EXIT_FILE
    assert len(proc.stderr.strip().splitlines()) == 1 and str(missing) in proc.stderr
    assert "không đọc được bộ nhớ đệm" in proc.stderr          # Vietnamese by default
    assert not missing.exists()
