"""Demo source of citizen field reports around Huế.

New reports appear at the places of :mod:`demo_backend.scenario` (jittered around
their centres) with Vietnamese texts per category, from the Huế-S app, the web portal,
Facebook and the 1900 1075 hotline.  While the demo flood is up (Kim Long ≥ BĐ1), many
new reports are about flooding, and above BĐ2 they are urgent.

Existing reports move through the dispatch workflow by the same rules as a user's
actions (:func:`plugins.reports.workflow.apply_action`, which writes each step into
the report's ``history``), taken by two simulated actors:

* the agency a report was assigned to (role ``agency``, by the agency's name) starts
  work and reports a result: ``assigned -> in_progress -> resolved``;
* a "virtual colleague" (role ``supervisor``, :data:`COLLEAGUE`) verifies (or, for
  :data:`REJECT_SHARE` of them, rejects), assigns to an agency with the workflow's
  default deadline, and closes resolved reports, but only reports left untouched for
  :data:`WAIT_S` (10 simulated minutes): a live supervisor has the new work to
  themselves, and the wall still moves when nobody is at the console.

Rates: each tick emits ``budget`` events (new reports, workflow steps and deletes); at
budget 0, one with probability :attr:`ReportsSimulator.trickle`.  An event is a new
report with probability :attr:`~ReportsSimulator.new_share` (0.25), else the next step
of an open report whose wait is over (the first of :data:`SAMPLES` drawn at random; the
agency's steps wait 2 and 5 minutes, the colleague's 10); when none of those drawn is
due, a new report instead; and once ``max_open`` reports are open, the step of the
least recently touched of those drawn, whatever its wait (the colleague helps with a
full queue).  At the demo backend's default rate (50 events/s shared by the simulators,
≈ 6/s for reports) that is one new report a second or more, far above Huế's real
volume (a few hundred a day): a live supervisor always has new work, and what nobody
touches moves on ten minutes later.

The simulator takes what the backend tells it as the current version of a report
(:meth:`ReportsSimulator.external_update`: a user's action), so its steps continue from
the user's and never overwrite them; a report a user finished or reopened leaves or
rejoins its set of open reports.

Memory: reports still open are kept (at most ``max_open`` from the simulator, plus any a
user reopens); of the closed ones only the ids of the last ``keep_closed``: beyond that
the oldest closed report is deleted from the topic's state (one ``delete`` event; the
events log keeps its history), so memory and the state table stay bounded at any rate
(``keep_closed=None``: never delete).  All reporter names and phone numbers are fake
demo values.
"""
from __future__ import annotations

import random
from collections import deque
from datetime import datetime, timedelta

from demo_backend.scenario import (CITY_PLACES, DEFAULT_SEED, PLACES, STREETS, FloodScenario,
                                   Place, events_for_budget, rfc3339_local)
from ioc_desktop.interop import VN_TZ, parse_time
from ioc_desktop.plugin_api import SimEvent, Simulator

from . import workflow
from .schema import CATEGORIES, TOPIC

RURAL_ROADS = ("Quốc lộ 1A", "Quốc lộ 49", "Quốc lộ 49B", "Tỉnh lộ 10", "đường liên xã",
               "đường liên thôn")

#: Description templates per category; {road}, {road2}, {n}, {d} are filled in.
TEMPLATES: dict[str, tuple[str, ...]] = {
    "TTXD": (
        "Công trình xây dựng tại số {n} {road} lấn chiếm vỉa hè, vật liệu để tràn ra lòng đường.",
        "Nhà dân trên {road} xây dựng sai phép, cơi nới thêm tầng vào ban đêm.",
        "Công trình trên {road} không che chắn, bụi và vật liệu rơi xuống người đi đường.",
        "Dựng lều quán tạm trái phép trên vỉa hè {road}, gần số {n}.",
    ),
    "VSMT": (
        "Rác thải sinh hoạt tập kết không đúng nơi quy định, bốc mùi hôi tại kiệt {n} {road}.",
        "Xe thu gom rác hai ngày nay chưa đến khu vực {road}, rác ùn ứ.",
        "Nước thải từ cơ sở kinh doanh chảy tràn ra {road}, gây ô nhiễm.",
        "Đổ trộm phế thải xây dựng bên bờ sông, gần {road}.",
    ),
    "HTGT": (
        "Mặt {road} đoạn gần số {n} bị sụt lún, có ổ gà lớn nguy hiểm cho xe máy.",
        "Đèn tín hiệu giao thông tại giao lộ {road} – {road2} không hoạt động.",
        "Biển báo giao thông trên {road} bị gãy đổ, che khuất tầm nhìn.",
        "Nắp hố ga trên {road} bị vỡ, nguy hiểm cho người đi đường.",
    ),
    "HTDT": (
        "Đèn chiếu sáng công cộng trên {road} bị hỏng, cả đoạn tối vào ban đêm.",
        "Cây xanh trên {road} có nguy cơ gãy đổ, cành khô treo trên đầu người đi đường.",
        "Vỉa hè {road} trước số {n} bị bong tróc, gạch lát vỡ nhiều.",
        "Đường ống cấp nước bị vỡ trên {road}, nước chảy lênh láng.",
    ),
    "ANTT": (
        "Nhóm thanh niên tụ tập gây ồn ào, đua xe vào ban đêm trên {road}.",
        "Karaoke gây ồn kéo dài sau 22 giờ tại khu dân cư gần số {n} {road}.",
        "Có dấu hiệu trộm cắp xe máy ở khu vực {road}, đề nghị tăng cường tuần tra.",
    ),
    "DVDL": (
        "Chèo kéo, đeo bám khách du lịch trước cửa Ngọ Môn.",
        "Xích lô tính giá cao bất thường với du khách trên {road}.",
        "Nhà hàng trên {road} không niêm yết giá, tính tiền cao với khách du lịch.",
        "Khu vực bến thuyền Tòa Khâm thiếu nhà vệ sinh công cộng, ảnh hưởng du khách.",
    ),
}

#: Flood-related templates: (category, text).
FLOOD_TEMPLATES: tuple[tuple[str, str], ...] = (
    ("HTGT", "Nước ngập sâu khoảng {d} cm trên {road}, nhiều xe máy chết máy."),
    ("HTDT", "Nước lũ tràn vào khu dân cư kiệt {n} {road}, cần hỗ trợ di dời người già và trẻ em."),
    ("HTGT", "Cây xanh gãy đổ chắn ngang {road} do mưa lũ."),
    ("HTDT", "Cống thoát nước trên {road} bị tắc, nước dâng nhanh vào nhà dân."),
    ("HTDT", "Sạt lở bờ sông gần {road}, đe dọa nhà dân."),
)

#: Low-lying city places where flood reports come from.
FLOOD_PLACES = tuple(p for p in CITY_PLACES if p.name in
                     ("Kim Long", "Phú Hội", "Vĩnh Ninh", "Đông Ba", "Vỹ Dạ", "Thuận Hòa"))

#: Agencies per category ("{ubnd}" / "{ca}" -> the commune's People's Committee / police).
AGENCIES: dict[str, tuple[str, ...]] = {
    "TTXD": ("{ubnd}", "Sở Xây dựng"),
    "VSMT": ("Công ty Môi trường và Công trình đô thị Huế", "{ubnd}"),
    "HTGT": ("Sở Xây dựng", "{ubnd}"),
    "HTDT": ("Công ty Môi trường và Công trình đô thị Huế", "Sở Xây dựng"),
    "ANTT": ("{ca}",),
    "DVDL": ("Sở Du lịch", "Trung tâm Bảo tồn Di tích Cố đô Huế", "{ubnd}"),
}

CHANNEL_WEIGHTS = (("hue_s", 0.55), ("hotline", 0.2), ("facebook", 0.15), ("web", 0.1))
CATEGORY_WEIGHTS = (("VSMT", 0.24), ("HTGT", 0.2), ("HTDT", 0.2), ("TTXD", 0.16),
                    ("ANTT", 0.12), ("DVDL", 0.08))
#: Fake, clearly demo reporters.
REPORTER_NAMES = ("Nguyễn Văn A", "Trần Thị B", "Lê Văn C", "Phạm Thị D", "Hoàng Văn E",
                  "Phan Thị G", "Võ Văn H", "Đặng Thị K")
#: The colleague's rejections: (workflow reason, public note).
REJECTIONS = (("duplicate", "Phản ánh trùng lặp với phản ánh đã tiếp nhận."),
              ("out_of_scope", "Không thuộc phạm vi tiếp nhận của Trung tâm."),
              ("invalid", "Thông tin không chính xác sau khi xác minh."))
REJECT_SHARE = 0.08
#: The simulated actors: the virtual supervisor (history "by") and the roles they act with.
COLLEAGUE = "Đồng nghiệp ảo (mô phỏng)"
SUPERVISOR_ROLES = (workflow.SUPERVISOR,)
AGENCY_ROLES = (workflow.AGENCY,)
#: Simulated seconds a report waits untouched (since its last change) before the
#: simulated actors take its next step: the agency's (assigned, in_progress) soon, the
#: colleague's (received, verified, resolved) after ten minutes.
WAIT_S = {"received": 600, "verified": 600, "assigned": 120, "in_progress": 300, "resolved": 600}
#: Open reports drawn per step to find one whose wait is over.
SAMPLES = 4
#: Public notes (``status_notes``) per step.
NOTES = {"verify": "Trung tâm IOC đã xác minh thông tin phản ánh.",
         "start": "Đơn vị đang xử lý.",
         "resolve": "Đơn vị đã báo cáo kết quả xử lý, chờ công khai.",
         "close": "Đã công khai kết quả xử lý trên Huế-S."}
RESULT = "Đơn vị đã kiểm tra hiện trường và xử lý xong."
#: Initial reports' history: hours each stage lasts (range), and the share that stall.
STAGE_HOURS = {"received": (0.2, 2.0), "verified": (0.2, 4.0), "assigned": (1.0, 24.0),
               "in_progress": (2.0, 72.0), "resolved": (1.0, 24.0)}
STALL_SHARE = 0.15


def _pick(rng: random.Random, weighted) -> str:
    x = rng.random()
    for value, weight in weighted:
        x -= weight
        if x < 0:
            return value
    return weighted[-1][0]


def _choice(rng: random.Random, seq):
    # rng.choice/randrange cost ~0.6 µs; this is a tenth of that, and as deterministic
    return seq[int(rng.random() * len(seq))]


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


#: What the workflow reads for the simulated actors' actions (verify, reject, assign,
#: start, resolve, close): the state, the key, and what decides the process class and
#: the deadlines.  Only these go through workflow.apply_action's deep copy (a copy of the
#: whole report, history included, was most of a step's cost); the result is laid over
#: the report.  tests/test_simulators.py checks that this equals apply_action on the
#: whole report.
_READ = ("service_request_id", "ioc_status", "status", "service_code", "service_name",
         "description", "priority", "process")


def _apply(report: dict, name: str, args: dict, by: str, roles: tuple[str, ...],
           t: datetime) -> dict:
    """:func:`workflow.apply_action` on one report, cheaply (see :data:`_READ`).
    Versions share their unchanged nested values, which nothing mutates."""
    lean = {k: report[k] for k in _READ if k in report}
    changed = workflow.apply_action(lean, name, args, user=by, roles=roles, now=t)[
        report["service_request_id"]]
    changed["history"] = [*(report.get("history") or ()), *changed["history"]]
    return {**report, **changed}


class ReportsSimulator(Simulator):
    """Citizen reports for the demo backend (see the module docstring)."""

    #: Chance of one event in a tick with budget 0.
    trickle = 0.05
    #: Share of the events that are new reports (while fewer than ``max_open`` are open).
    new_share = 0.25

    def __init__(self, initial: int = 150, max_open: int = 2000, keep_closed: int | None = 5000,
                 scenario: FloodScenario | None = None, scenario_seed: int = DEFAULT_SEED):
        self.initial = initial
        self.max_open = max_open
        self.keep_closed = keep_closed
        self.scenario = scenario
        self.scenario_seed = scenario_seed
        self._reset()

    def _reset(self) -> None:
        self._open: list[dict] = []
        self._pos: dict[str, int] = {}          # key -> index in _open
        self._closed: deque[str] = deque()      # finished keys, oldest first
        self._closed_set: set[str] = set()
        self._counter = 0
        self._since_cache: tuple[datetime | None, dict[str, str]] = (None, {})

    # -- the sets of open and finished reports
    def _add_open(self, report: dict) -> None:
        self._pos[report["service_request_id"]] = len(self._open)
        self._open.append(report)

    def _remove_open(self, i: int) -> None:
        gone = self._open[i]
        last = self._open.pop()
        if i < len(self._open):
            self._open[i] = last
            self._pos[last["service_request_id"]] = i
        del self._pos[gone["service_request_id"]]

    def _add_closed(self, key: str) -> None:
        if key not in self._closed_set:
            self._closed_set.add(key)
            self._closed.append(key)

    def _forget_closed(self, key: str) -> None:
        if key in self._closed_set:
            self._closed_set.discard(key)
            self._closed.remove(key)

    # -- building blocks
    def _new_id(self, t: datetime, year: int | None = None) -> str:
        self._counter += 1
        return f"PA-{year or t.astimezone(VN_TZ).year}-{self._counter:06d}"

    def _new_report(self, rng: random.Random, t: datetime, t_text: str, level: float,
                    year: int | None = None) -> dict:
        rnd = rng.random
        flood = level >= 1.0 and rnd() < (0.6 if level >= 2.0 else 0.35)
        if flood:
            code, template = _choice(rng, FLOOD_TEMPLATES)
            place: Place = _choice(rng, FLOOD_PLACES)
            priority = "urgent" if level >= 2.0 else "high"
        else:
            code = _pick(rng, CATEGORY_WEIGHTS)
            template = _choice(rng, TEMPLATES[code])
            # most reports come from the city's wards
            place = _choice(rng, CITY_PLACES) if rnd() < 0.75 else _choice(rng, PLACES)
            x = rnd()
            priority = "urgent" if x < 0.03 else "high" if x < 0.2 else "normal"
        if place.urban:
            road = "đường " + _choice(rng, STREETS)
            road2 = "đường " + _choice(rng, STREETS)
            jitter = 0.012
        else:
            road = _choice(rng, RURAL_ROADS)
            road2 = _choice(rng, RURAL_ROADS)
            jitter = 0.04
        n = 1 + int(rnd() * 239)
        description = template.format(road=road, road2=road2, n=n, d=20 + 5 * int(rnd() * 14))
        address = (f"{n} {road[len('đường '):]}, {place.name}, {place.commune}" if place.urban
                   else f"{road[:1].upper()}{road[1:]}, {place.name}, {place.commune}")
        channel = _pick(rng, CHANNEL_WEIGHTS)
        report = {
            "service_request_id": self._new_id(t, year),
            "service_code": code,
            "service_name": CATEGORIES[code],
            "description": description,
            "status": "open",
            "ioc_status": "received",
            "status_notes": "Đã tiếp nhận phản ánh.",
            "lat": round(place.lat + (rnd() - 0.5) * jitter, 6),
            "long": round(place.lon + (rnd() - 0.5) * jitter, 6),
            "address": address,
            "commune": place.commune,
            "legacy_district": place.legacy_district,
            "requested_datetime": t_text,
            "updated_datetime": t_text,
            "channel": channel,
            "priority": priority,
            "reporter": {"name": _choice(rng, REPORTER_NAMES),
                         "phone": f"09xx xxx {int(rnd() * 1000):03d}"},
        }
        return report

    def _agency(self, rng: random.Random, report: dict) -> str:
        agency = _choice(rng, AGENCIES.get(report["service_code"], ("{ubnd}",)))
        commune = report.get("commune") or "Phường Phú Xuân"
        return agency.format(ubnd="UBND " + _lower_first(commune), ca="Công an " + _lower_first(commune))

    def _advance(self, rng: random.Random, report: dict, t: datetime) -> tuple[dict, bool]:
        """The report one workflow step on (a new dict), taken by the simulated agency
        or colleague through :func:`workflow.apply_action`, and whether it is now final."""
        state = report["ioc_status"]
        by, roles = COLLEAGUE, SUPERVISOR_ROLES
        args: dict = {}
        if state == "received":
            if rng.random() < REJECT_SHARE:
                reason, note = _choice(rng, REJECTIONS)
                name, args = "reject", {"reason": reason, "note": note}
            else:
                name, note = "verify", NOTES["verify"]
        elif state == "verified":
            agency = self._agency(rng, report)
            name, args, note = "assign", {"agency": agency}, None
        elif state in ("assigned", "in_progress"):
            by, roles = report.get("agency_responsible") or "Đơn vị xử lý", AGENCY_ROLES
            name = "start" if state == "assigned" else "resolve"
            note = NOTES[name]
            if name == "resolve":
                args = {"result": RESULT}
        else:                              # resolved (or a state with no automatic step)
            name, note = "close", NOTES["close"]
        new = _apply(report, name, args, by, roles, t)
        if name == "assign":
            due = parse_time(new["expected_datetime"]).astimezone(VN_TZ)
            note = f"Đã chuyển {new['agency_responsible']} xử lý, hạn {due:%H:%M %d/%m/%Y}."
        new["status_notes"] = note
        return new, new["ioc_status"] in workflow.FINISHED

    def _waited(self, report: dict, now: datetime) -> bool:
        """Whether the report was left untouched long enough for its next automatic step."""
        state = report.get("ioc_status")
        if state not in WAIT_S:
            return False
        touched = report.get("updated_datetime") or report.get("requested_datetime")
        if isinstance(touched, str) and len(touched) == 25 and touched.endswith("+07:00"):
            # the usual form (ours, the workflow's): text order is time order
            return touched <= self._since(now)[state]
        touched = parse_time(touched)
        return touched is None or (now - touched).total_seconds() >= WAIT_S[state]

    def _since(self, now: datetime) -> dict[str, str]:
        """state -> the latest last-change time whose wait is over at ``now`` (text),
        computed once per tick."""
        when, since = self._since_cache
        if when != now:
            since = {state: rfc3339_local(now - timedelta(seconds=s)) for state, s in WAIT_S.items()}
            self._since_cache = (now, since)
        return since

    def _pick(self, rng: random.Random, now: datetime, room: bool) -> int | None:
        """An open report to advance: the first of SAMPLES drawn whose wait is over;
        none (-> a new report) when there is room; else the least recently touched."""
        open_ = self._open
        drawn = [int(rng.random() * len(open_)) for _ in range(SAMPLES)]
        for i in drawn:
            if self._waited(open_[i], now):
                return i
        if room:
            return None
        return min(drawn, key=lambda i: (open_[i].get("updated_datetime") or "", i))

    def _advanced(self, rng: random.Random, i: int, now: datetime) -> dict:
        report = self._open[i]
        try:
            new, final = self._advance(rng, report, now)
        except workflow.ActionRefused:
            # a report the workflow has no automatic step for (foreign data): let it be
            self._remove_open(i)
            return report
        if final:
            self._remove_open(i)
            self._add_closed(new["service_request_id"])
        else:
            self._open[i] = new
        return new

    # -- Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        if self.scenario is None:
            self.scenario = FloodScenario.shared(self.scenario_seed, now)
        self._reset()
        events: list[SimEvent] = []
        # Reports of the past week, oldest first (ids rise with time), at every stage.
        ages = sorted((7 * 86400 * rng.random() ** 2 for _ in range(self.initial)), reverse=True)
        for age in ages:
            t = now - timedelta(seconds=age)
            report = self._new_report(rng, t, rfc3339_local(t), 0.0)
            # its history so far: each stage takes a while, and some cases stall (overdue)
            tk, final = t, False
            while not final:
                lo, hi = STAGE_HOURS[report["ioc_status"]]
                tk = tk + timedelta(hours=rng.uniform(lo, hi))
                if tk >= now or rng.random() < STALL_SHARE:
                    break
                report, final = self._advance(rng, report, tk)
            if final:
                self._add_closed(report["service_request_id"])
            else:
                self._add_open(report)
            events.append(SimEvent(TOPIC, report["service_request_id"], report))
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        n = events_for_budget(rng, budget, self.trickle)
        if n == 0:
            return []
        t_text = rfc3339_local(now)
        year = now.astimezone(VN_TZ).year
        level = self.scenario.level("kim_long", now)
        closed, keep = self._closed, self.keep_closed
        events: list[SimEvent] = []
        append = events.append
        emitted = 0
        while emitted < n:
            if keep is not None and len(closed) > keep:
                # the oldest closed report leaves the state (the events log keeps it)
                key = closed.popleft()
                self._closed_set.discard(key)
                append(SimEvent(TOPIC, key, None, op="delete"))
                emitted += 1
                continue
            room = len(self._open) < self.max_open
            i = None
            if self._open and not (room and rng.random() < self.new_share):
                i = self._pick(rng, now, room)
            if i is None:
                report = self._new_report(rng, now, t_text, level, year)
                self._add_open(report)
            else:
                report = self._advanced(rng, i, now)
            append(SimEvent(TOPIC, report["service_request_id"], report))
            emitted += 1
        return events

    def external_update(self, topic: str, key: str, data: dict | None) -> None:
        """The backend's version of a report (a user's action, or the log at start-up)
        is the current one: the next automatic step continues from it.  Draws nothing
        from the rng."""
        if topic != TOPIC:
            return
        i = self._pos.get(key)
        if data is None or data.get("ioc_status") in workflow.FINISHED:
            if i is not None:
                self._remove_open(i)
            if data is None:
                self._forget_closed(key)
            else:
                self._add_closed(key)
        elif i is not None:
            self._open[i] = data
        else:                              # new to the simulator, or reopened
            self._forget_closed(key)
            self._add_open(data)
