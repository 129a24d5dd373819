"""Demo source of citizen field reports around Huế.

New reports appear at the places of :mod:`ioc_desktop.demo.scenario` (jittered around
their centres) with Vietnamese texts per category, from the Huế-S app, the web portal,
Facebook and the 1900 1075 hotline; existing ones move through the IOC's lifecycle
(received -> verified -> assigned -> in_progress -> resolved -> closed, some rejected
at verification).  While the demo flood is up (Kim Long ≥ BĐ1), many new reports are
about flooding, and above BĐ2 they are urgent.

Rates: each tick emits ``budget`` events (new reports, lifecycle steps and deletes);
at budget 0, one with probability :attr:`ReportsSimulator.trickle`.  Reports still open
are kept in memory (at most ``max_open``); of the closed ones only the ids of the last
``keep_closed`` are: beyond that the oldest closed report is deleted from the topic's
state (one ``delete`` event; the events log keeps its history), so memory and the
state table stay bounded at any rate (``keep_closed=None``: never delete).
All reporter names and phone numbers are fake demo values.
"""
from __future__ import annotations

import random
from collections import deque
from datetime import datetime, timedelta

from ioc_desktop.demo.scenario import (CITY_PLACES, DEFAULT_SEED, PLACES, STREETS, FloodScenario,
                                       Place, events_for_budget, rfc3339_local)
from ioc_desktop.interop import VN_TZ
from ioc_desktop.plugin_api import SimEvent, Simulator

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
REJECT_NOTES = ("Phản ánh trùng lặp với phản ánh đã tiếp nhận.",
                "Không thuộc phạm vi tiếp nhận của Trung tâm.",
                "Thông tin không chính xác sau khi xác minh.")
#: Deadline after assignment, seconds, per priority.
SLA_S = {"urgent": 30 * 60, "high": 4 * 3600, "normal": 2 * 86400}
REJECT_SHARE = 0.08
#: Initial reports' history: hours each stage lasts (range), and the share that stall.
STAGE_HOURS = {"received": (0.2, 2.0), "verified": (0.2, 4.0), "assigned": (1.0, 24.0),
               "in_progress": (2.0, 72.0), "resolved": (1.0, 24.0)}
STALL_SHARE = 0.15

_NEXT = {"received": "verified", "verified": "assigned", "assigned": "in_progress",
         "in_progress": "resolved", "resolved": "closed"}


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
        self._closed: deque[str] = deque()
        self.scenario = scenario
        self.scenario_seed = scenario_seed
        self._open: list[dict] = []
        self._counter = 0
        self._due_cache: tuple[datetime | None, dict] = (None, {})

    # -- building blocks
    def _new_id(self, t: datetime, year: int | None = None) -> str:
        self._counter += 1
        return f"PA-{year or t.astimezone(VN_TZ).year}-{self._counter:06d}"

    def _due(self, t: datetime, priority: str) -> tuple[str, str]:
        """(expected_datetime, deadline as shown in notes) for an assignment at ``t``;
        cached per tick (all assignments of a tick share ``t``)."""
        when, cache = self._due_cache
        if when != t:
            cache = {}
            self._due_cache = (t, cache)
        hit = cache.get(priority)
        if hit is None:
            due = t + timedelta(seconds=SLA_S.get(priority, SLA_S["normal"]))
            hit = cache[priority] = (rfc3339_local(due), f"{due.astimezone(VN_TZ):%H:%M %d/%m/%Y}")
        return hit

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

    def _advance(self, rng: random.Random, report: dict, t: datetime, t_text: str) -> tuple[dict, bool]:
        """The report one lifecycle step on (a new dict) and whether it is now final."""
        new = dict(report)          # shallow: nested values are never mutated
        new["updated_datetime"] = t_text
        state = report["ioc_status"]
        if state == "received" and rng.random() < REJECT_SHARE:
            new["ioc_status"], new["status"] = "rejected", "closed"
            new["status_notes"] = _choice(rng, REJECT_NOTES)
            return new, True
        nxt = _NEXT.get(state, "closed")
        new["ioc_status"] = nxt
        if nxt == "verified":
            new["status_notes"] = "Trung tâm IOC đã xác minh thông tin phản ánh."
        elif nxt == "assigned":
            agency = self._agency(rng, report)
            due_text, due_shown = self._due(t, report.get("priority"))
            new["agency_responsible"] = agency
            new["expected_datetime"] = due_text
            new["status_notes"] = f"Đã chuyển {agency} xử lý, hạn {due_shown}."
        elif nxt == "in_progress":
            new["status_notes"] = "Đơn vị đang xử lý."
        elif nxt == "resolved":
            new["status_notes"] = "Đơn vị đã báo cáo kết quả xử lý, chờ công khai."
        else:
            new["status"] = "closed"
            new["status_notes"] = "Đã công khai kết quả xử lý trên Huế-S."
            return new, True
        return new, False

    # -- Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        if self.scenario is None:
            self.scenario = FloodScenario.shared(self.scenario_seed, now)
        self._open = []
        self._closed = deque()
        self._counter = 0
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
                report, final = self._advance(rng, report, tk, rfc3339_local(tk))
            if final:
                self._closed.append(report["service_request_id"])
            else:
                self._open.append(report)
            events.append(SimEvent(TOPIC, report["service_request_id"], report))
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        n = events_for_budget(rng, budget, self.trickle)
        if n == 0:
            return []
        t_text = rfc3339_local(now)
        year = now.astimezone(VN_TZ).year
        level = self.scenario.level("kim_long", now)
        open_, closed, keep = self._open, self._closed, self.keep_closed
        events: list[SimEvent] = []
        append = events.append
        emitted = 0
        while emitted < n:
            if keep is not None and len(closed) > keep:
                # the oldest closed report leaves the state (the events log keeps it)
                append(SimEvent(TOPIC, closed.popleft(), None, op="delete"))
                emitted += 1
                continue
            if not open_ or (len(open_) < self.max_open and rng.random() < self.new_share):
                report = self._new_report(rng, now, t_text, level, year)
                open_.append(report)
            else:
                i = int(rng.random() * len(open_))
                report, final = self._advance(rng, open_[i], now, t_text)
                if final:
                    open_[i] = open_[-1]
                    open_.pop()
                    closed.append(report["service_request_id"])
                else:
                    open_[i] = report
            append(SimEvent(TOPIC, report["service_request_id"], report))
            emitted += 1
        return events
