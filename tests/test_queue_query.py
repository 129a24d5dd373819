"""The dispatch queue as SQL (plugins.reports.queue_query): the SLA state computed in
SQL agrees with workflow.sla_state to the microsecond, around every boundary; filters
are parametrised; free text finds Vietnamese with or without diacritics, the same rows
with and without the FTS5 index (kept in step by triggers); each sort and filter has
its index; counts and facets."""
from __future__ import annotations

import random
from collections import Counter
from datetime import datetime, timedelta, timezone

import pytest

from ioc_desktop.store.batch import EventRecord
from ioc_desktop.store.store import Store
from plugins.reports import queue_query as qq
from plugins.reports import schema, workflow
from plugins.reports.queue_query import QueueFilter

UTC = timezone.utc
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)           # 09:00 in Huế
ALL_ROLES = (workflow.SUPERVISOR, workflow.AGENCY, workflow.OPERATOR)
CODES = ("VSMT", "HTGT", "TTXD", "ANTT", "DVDL", "HTDT")


def report(key: str, **fields) -> dict:
    base = {"service_request_id": key, "service_code": "VSMT", "status": "open",
            "ioc_status": "received", "requested_datetime": "2026-11-23T08:00:00+07:00",
            "description": "Rác thải tập kết không đúng nơi quy định."}
    base.update(fields)
    return base


class Cache:
    """A Store with the reports topic; reports go in as a feed's events do."""

    def __init__(self, path):
        self.store = Store(path, [schema.SPEC])
        self.conn = self.store.conn
        self.seq = 0

    def put(self, *reports: dict) -> None:
        events = []
        for data in reports:
            self.seq += 1
            events.append(EventRecord("reports", self.seq, None, "upsert",
                                      data["service_request_id"], schema.SPEC.validate(data)))
        self.store.apply(events)

    def delete(self, key: str) -> None:
        self.seq += 1
        self.store.apply([EventRecord("reports", self.seq, None, "delete", key, None)])

    def keys(self, f: QueueFilter, now: datetime = NOW, **kw) -> set[str]:
        where, params = qq.build_where(f, now, **kw)
        sql = "SELECT key FROM reports" + (f" WHERE {where}" if where else "")
        return {k for (k,) in self.conn.execute(sql, params)}


@pytest.fixture
def cache(tmp_path):
    c = Cache(tmp_path / "cache.sqlite")
    yield c
    c.store.close()


# --------------------------------------------------------------------------- SLA in SQL
PATH = ("verify", "assign", "start", "resolve", "close")


def generated_reports(n: int, seed: int) -> list[dict]:
    """Reports at every stage, with awkward times: fractional seconds, custom dues,
    a foreign due on an unassigned report, dues before their clock's start."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        t = NOW - timedelta(seconds=rng.uniform(0, 4 * 86400))
        data = report(f"PA-T-{i:04d}", service_code=rng.choice(CODES),
                      priority=rng.choice(workflow.PRIORITIES),
                      requested_datetime=t.isoformat(timespec="microseconds"),
                      description=rng.choice(("Rác thải ùn ứ.", "Nước ngập sâu 40 cm.",
                                              "Đèn đường hỏng.")))
        kind = rng.random()
        if kind < 0.1:                   # a foreign feed's due, maybe before the report
            due = t + timedelta(seconds=rng.uniform(-3600, 3 * 86400))
            data["expected_datetime"] = due.isoformat(timespec="microseconds")
        tk = t
        for name in PATH[:rng.randint(0, len(PATH))]:
            tk += timedelta(seconds=rng.uniform(1, 12 * 3600))
            args = {}
            if name == "verify" and rng.random() < 0.1:
                name, args = "reject", {"reason": "invalid"}
            elif name == "assign":
                args = {"agency": "Sở Xây dựng"}
                if rng.random() < 0.5:
                    args["due"] = (tk + timedelta(seconds=rng.uniform(1, 2 * 86400))).isoformat()
            elif name == "resolve":
                args = {"result": "xong"}
            data = workflow.apply_action(data, name, args, user="t", roles=ALL_ROLES,
                                         now=tk)[data["service_request_id"]]
            if name == "reject":
                break
        out.append(data)
    return out


def boundaries(data: dict) -> list[datetime]:
    """Every clock's due and due-soon threshold, and a microsecond either side."""
    out = []
    for c in workflow.sla_clocks(data):
        soon = c.due - (c.due - c.started) * workflow.DEFAULT_CONFIG.due_soon_share
        for t in (c.due, soon):
            out += [t - timedelta(microseconds=1), t, t + timedelta(microseconds=1)]
    return out


def sql_states(conn, now: datetime) -> dict[str, str]:
    out: dict[str, str] = {}
    for state in qq.SLA_STATES:
        where, params = qq.sla_clause(state, now)
        for (key,) in conn.execute(f"SELECT key FROM reports WHERE {where}", params):
            assert key not in out, f"{key} is both {out[key]} and {state} at {now}"
            out[key] = state
    return out


def test_sla_in_sql_is_workflow_sla_state_around_the_boundaries(cache):
    reports = generated_reports(300, seed=4)
    cache.put(*reports)
    by_key = {d["service_request_id"]: schema.SPEC.validate(d) for d in reports}
    rng = random.Random(5)
    nows = sorted({t for d in reports for t in boundaries(d)})
    nows = rng.sample(nows, 150) + [NOW, NOW - timedelta(days=5), NOW + timedelta(days=30)]
    seen = Counter()
    for now in nows:
        python = {k: workflow.sla_state(d, now) for k, d in by_key.items()}
        assert sql_states(cache.conn, now) == python, now
        seen.update(python.values())
        counts = qq.count_by_sla(cache.conn, QueueFilter(), now)
        assert counts == {s: Counter(python.values())[s] for s in qq.SLA_STATES}
    # the sample did reach every state many times
    assert min(seen.values()) > 300, seen


def test_overdue_at_the_boundary(cache):
    # received 08:00:00.5 (VSMT, timed): verify due 12:00:00.5, due soon from 11:12:00.5
    cache.put(report("PA-1", requested_datetime="2026-11-23T08:00:00.500000+07:00"))
    vn = workflow.VN_TZ
    due = datetime(2026, 11, 23, 12, 0, 0, 500000, tzinfo=vn)
    soon = datetime(2026, 11, 23, 11, 12, 0, 500000, tzinfo=vn)
    us = timedelta(microseconds=1)
    for now, state in [(soon - us, "ok"), (soon, "due_soon"), (due, "due_soon"),
                       (due + us, "overdue")]:
        assert sql_states(cache.conn, now) == {"PA-1": state}, now
        assert cache.keys(QueueFilter(sla=state), now) == {"PA-1"}
    # verified in time: that clock stops; the assign clock (8 h) runs from then
    verified = workflow.apply_action(report("PA-1", requested_datetime="2026-11-23T08:00:00.500000+07:00"),
                                     "verify", {}, user="t", roles=ALL_ROLES,
                                     now=due - timedelta(minutes=1))["PA-1"]
    cache.put(verified)
    assert sql_states(cache.conn, due + us) == {"PA-1": "ok"}
    # finished reports are never late
    closed = dict(verified, ioc_status="rejected", status="closed")
    cache.put(closed)
    assert sql_states(cache.conn, NOW + timedelta(days=365)) == {"PA-1": "ok"}


def test_sla_clause_refuses_unknown_states():
    with pytest.raises(ValueError):
        qq.sla_clause("late", NOW)
    with pytest.raises(ValueError):
        qq.build_where(QueueFilter(sla="late"), NOW)


def test_sql_time_is_fixed_width_and_ordered():
    a = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
    texts = [qq.sql_time(a + timedelta(microseconds=k)) for k in (0, 1, 999_999, 10**6)]
    assert texts == sorted(texts) and len(set(map(len, texts))) == 1
    assert texts[0] == "2026-11-23T09:00:00.000000+07:00"
    assert qq.sql_time(datetime(2026, 11, 23, 2, 0)) == texts[0]     # naive = UTC
    assert qq.NO_DUE > qq.sql_time(datetime(9000, 12, 31, tzinfo=UTC))


# --------------------------------------------------------------------------- filters
HOSTILE = "x'); DROP TABLE reports;-- %_\\"


def test_build_where_is_parametrised():
    f = QueueFilter(states=("received", HOSTILE), categories=(HOSTILE,), communes=(HOSTILE,),
                    agencies=(HOSTILE,), priorities=("urgent",), sla="overdue", text=HOSTILE)
    where, params = qq.build_where(f, NOW)
    assert "DROP" not in where and "'" not in where and "%" not in where
    assert where.count("?") == len(params)
    assert HOSTILE in params
    assert qq.build_where(QueueFilter(), NOW) == ("", ())


def test_each_filter_selects(cache):
    cache.put(
        report("A", service_code="VSMT", commune="Phường Phú Xuân", priority="urgent"),
        report("B", service_code="HTGT", commune="Phường Thuận Hóa", ioc_status="assigned",
               agency_responsible="Sở Xây dựng", expected_datetime="2026-11-30T17:00:00+07:00"),
        report("C", service_code="HTGT", commune="Phường Phú Xuân", status="closed",
               ioc_status="closed", priority="high"),
    )
    assert cache.keys(QueueFilter()) == {"A", "B", "C"}
    assert cache.keys(QueueFilter(states=("received", "assigned"))) == {"A", "B"}
    assert cache.keys(QueueFilter(categories=("HTGT",))) == {"B", "C"}
    assert cache.keys(QueueFilter(categories=("HTGT",), communes=("Phường Phú Xuân",))) == {"C"}
    assert cache.keys(QueueFilter(agencies=("Sở Xây dựng",))) == {"B"}
    assert cache.keys(QueueFilter(priorities=("urgent", "high"))) == {"A", "C"}
    assert cache.keys(QueueFilter(priorities=("normal",))) == {"B"}
    assert cache.keys(QueueFilter(priorities=("critical",))) == set()
    assert cache.keys(QueueFilter(states=(HOSTILE,))) == set()
    assert cache.keys(QueueFilter(text="PHÚ XUÂN")) == {"A", "C"}


def test_free_text_folds_and_needs_every_word(cache):
    cache.put(report("PA-2026-000001", description="Nước ngập sâu trên đường Lê Lợi."),
              report("PA-2026-000002", description="Đèn đường hỏng trên đường Lê Duẩn.",
                     address="12 Lê Duẩn, Phú Hội"),
              report("PA-2026-000003", description="Ngập lụt ở kiệt 5",
                     reporter={"name": "Lê Văn Lợi", "phone": "0912345678"}))
    keys = cache.keys
    assert keys(QueueFilter(text="ngập")) == keys(QueueFilter(text="ngap")) == \
        keys(QueueFilter(text="NGAP")) == {"PA-2026-000001", "PA-2026-000003"}
    assert keys(QueueFilter(text="ngap le loi")) == {"PA-2026-000001"}   # AND, any order
    assert keys(QueueFilter(text="loi ngap")) == {"PA-2026-000001"}
    assert keys(QueueFilter(text="đèn")) == keys(QueueFilter(text="den")) == {"PA-2026-000002"}
    assert keys(QueueFilter(text="duan phu hoi")) == {"PA-2026-000002"}
    assert keys(QueueFilter(text="uan phu hoi")) == set()         # words begin words
    assert keys(QueueFilter(text="lê duẩ")) == {"PA-2026-000002"}  # … as prefixes
    assert keys(QueueFilter(text="gap")) == set()                 # not inside a word
    assert keys(QueueFilter(text="000003")) == {"PA-2026-000003"}  # the report number
    assert keys(QueueFilter(text="PA-2026-000002")) == {"PA-2026-000002"}
    assert keys(QueueFilter(text="0912345678")) == set()          # never the reporter
    assert keys(QueueFilter(text="  %  _ ")) == keys(QueueFilter())  # no words: no filter


WORDS = ("ngập", "lụt", "đường", "Lê", "Lợi", "rác", "thải", "kiệt", "đèn", "hỏng", "Phú",
         "Hội", "cây", "đổ", "50%", "a_b", "O'Brien", "\"q\"", "x-y", "Ωmega", "ﬁ", "İstanbul",
         "Đông", "Ba", "nước", "sâu", "12", "3", "PA-2026")


def test_fts_index_gives_the_same_rows_as_like_and_follows_changes(cache):
    rng = random.Random(9)

    def text():
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 8)))

    reports = [report(f"K{i}", description=text(), address=text()) for i in range(200)]
    # the reports plugin's setup hook installed it when the cache was opened
    assert qq.has_search_index(cache.conn)
    cache.put(*reports[:100])
    assert qq.install_search_index(cache.conn) is False           # already there
    cache.put(*reports[100:])                                      # insert trigger
    cache.put(*[dict(r, description=text()) for r in reports[:50]])   # update trigger
    for i in range(150, 170):                                      # delete trigger
        cache.delete(f"K{i}")
    queries = [" ".join(rng.choice(WORDS)[:rng.randint(1, 6)] for _ in range(rng.randint(1, 3)))
               for _ in range(120)] + ["%", "_", "'", '"', "a%b", "ngap lut", "NGẬP", "istan"]
    hits = 0
    for q in queries:
        like = cache.keys(QueueFilter(text=q), fts=False)
        assert cache.keys(QueueFilter(text=q), fts=True) == like, q
        assert cache.keys(QueueFilter(text=q), fts=True, many_matches=True) == like, q
        p = qq.plan(cache.conn, QueueFilter(text=q), NOW)
        sql = "SELECT key FROM reports" + (f" WHERE {p.where}" if p.where else "")
        assert {k for (k,) in cache.conn.execute(sql, p.params)} == like, q
        assert cache.conn.execute(p.count_sql, p.count_params).fetchone()[0] == len(like), q
        hits += len(like)
        if like:     # and the same with other filters around it
            f = QueueFilter(text=q, states=("received",), sla="overdue")
            assert cache.keys(f, fts=False) == cache.keys(f, fts=True) == \
                cache.keys(f, fts=True, many_matches=True)
            assert qq.count_by_sla(cache.conn, f, NOW) == qq.count_by_sla(cache.conn, f, NOW,
                                                                          fts=False)
    assert hits > 1000


def test_plan_walks_the_order_for_many_matches(cache, monkeypatch):
    cache.put(*[report(f"K{i}", description="nước ngập" if i % 2 else "rác") for i in range(40)])
    qq.install_search_index(cache.conn)
    monkeypatch.setattr(qq, "MANY_MATCHES", 10)
    many = qq.plan(cache.conn, QueueFilter(text="ngap"), NOW)           # 20 matches
    assert "+rowid IN" in many.where and "_fts MATCH" in many.count_sql  # the index counts
    few = qq.plan(cache.conn, QueueFilter(text="rac"), NOW)
    assert "+rowid IN" in few.where     # 20 too
    monkeypatch.setattr(qq, "MANY_MATCHES", 100)
    few = qq.plan(cache.conn, QueueFilter(text="rac", states=("received",)), NOW)
    assert " rowid IN" in f" {few.where}" and "+rowid" not in few.where
    assert few.count_sql.startswith("SELECT count(*) FROM reports WHERE")   # other filters
    assert cache.conn.execute(few.count_sql, few.count_params).fetchone()[0] == 20
    # without the index: LIKE, the same count
    plain = qq.plan(cache.conn, QueueFilter(text="rac"), NOW, table="reports")
    assert plain.where
    cache.conn.execute("DROP TABLE reports_fts")
    like = qq.plan(cache.conn, QueueFilter(text="rac"), NOW)
    assert "LIKE" in like.where and cache.conn.execute(like.count_sql,
                                                       like.count_params).fetchone()[0] == 20


# --------------------------------------------------------------------------- sorts, plans
def plan(conn, sql: str, params=()) -> str:
    return " | ".join(row[3] for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_sorts_are_total_orders(cache):
    # every report received at the same second: only the key tells them apart
    cache.put(*[report(f"K{i:02d}", priority=workflow.PRIORITIES[i % 3]) for i in range(30)])
    for name, order in qq.SORTS.items():
        assert order.rstrip().endswith(("key DESC", "key ASC")), name
        keys = [k for (k,) in cache.conn.execute(f"SELECT key FROM reports ORDER BY {order}")]
        assert len(keys) == 30
        again = [k for (k,) in cache.conn.execute(
            f"SELECT key FROM reports ORDER BY {order} LIMIT 10 OFFSET 10")]
        assert again == keys[10:20], name
    prio = [k for (k,) in cache.conn.execute(f"SELECT priority FROM reports ORDER BY "
                                             f"{qq.SORTS['priority_first']}")]
    assert prio == ["urgent"] * 10 + ["high"] * 10 + ["normal"] * 10


def test_each_sort_and_filter_has_its_index(cache):
    cache.put(*generated_reports(50, seed=1))
    cols = "priority, ioc_status, requested_datetime, description, key"
    for name, order in qq.SORTS.items():
        p = plan(cache.conn, f"SELECT {cols} FROM reports ORDER BY {order} LIMIT 200")
        assert "TEMP B-TREE" not in p and "INDEX" in p, (name, p)
    single = [QueueFilter(states=("received",)), QueueFilter(categories=("VSMT",)),
              QueueFilter(communes=("Phường Phú Xuân",)), QueueFilter(agencies=("Sở Xây dựng",)),
              QueueFilter(priorities=("urgent",))]
    for f in single:
        where, params = qq.build_where(f, NOW)
        p = plan(cache.conn, f"SELECT {cols} FROM reports WHERE {where} "
                             f"ORDER BY {qq.SORTS['newest']} LIMIT 200", params)
        assert "SEARCH reports USING INDEX" in p and "TEMP B-TREE" not in p, (f, p)
        # combined with another filter, counted inside an index (not the table's rows)
        both = QueueFilter(**{**f.__dict__, "categories": ("HTGT",)}) if not f.categories \
            else QueueFilter(categories=f.categories, communes=("Phường Phú Xuân",))
        where, params = qq.build_where(both, NOW)
        assert "COVERING INDEX" in plan(cache.conn, f"SELECT count(*) FROM reports WHERE {where}",
                                        params), both
    for state in ("overdue", "due_soon"):
        where, params = qq.build_where(QueueFilter(sla=state), NOW)
        p = plan(cache.conn, f"SELECT {cols} FROM reports WHERE {where} "
                             f"ORDER BY {qq.SORTS['newest']} LIMIT 200", params)
        assert "USING INDEX idx_reports_sla" in p, (state, p)


# --------------------------------------------------------------------------- facets
def test_facets(cache):
    assert qq.facets(cache.conn)["categories"] == []
    cache.put(report("A", service_code="VSMT", commune="Phường Phú Xuân"),
              report("B", service_code="HTGT", commune="Phường Thuận Hóa",
                     agency_responsible="Sở Xây dựng", ioc_status="assigned"),
              report("C", service_code="HTGT"))
    f = qq.facets(cache.conn)
    assert f["categories"] == ["HTGT", "VSMT"]
    assert f["communes"] == ["Phường Phú Xuân", "Phường Thuận Hóa"]
    assert f["agencies"] == ["Sở Xây dựng"]
    assert f["states"] == list(workflow.STATES) and f["priorities"] == list(workflow.PRIORITIES)


def test_facets_without_a_table(tmp_path):
    import sqlite3
    conn = sqlite3.connect(tmp_path / "empty.sqlite")
    assert qq.facets(conn)["communes"] == []
