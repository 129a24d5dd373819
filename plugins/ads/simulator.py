"""Demo source of Huế's LED billboards: what each screen shows, outages, violations.

Fourteen screens at plausible places (positions ≈, map readings: Lê Lợi, Hùng Vương,
Bà Triệu, the Co.op Mart and Big C areas, the Phú Xuân bridge approach, the Phú Bài
airport road, the bus stations…).

* **Schedule**: each screen plays its own playlist of licensed items (public-service
  messages ``TT-…`` and commercial spots ``QC-2026-…``), :attr:`AdsSimulator.slot_s`
  simulated seconds per item; the current ``content_id`` (and ``content_title``)
  change at each slot.
* **Outages**: about every :attr:`outage_every_s` a screen goes dark (offline,
  ``content_id`` null) for 1–5 min, at most :attr:`max_offline` at once; ``since``
  says when its state changed.
* **Violations** (about every :attr:`violation_every_s`, at most
  :attr:`max_violations` at once, cleared after 2–6 min): an unlicensed item
  (``UNK-…``, not in the catalogue), a prohibited product (strong alcohol, tobacco,
  infant formula: Luật Quảng cáo 2012, Điều 7), or a schedule breach (outside the
  licensed hours, over the licensed share of air time).  ``violation`` is
  ``{kind, detail, time, content_id}``; while it lasts an unlicensed or prohibited item
  stays on screen.

Rates: a change (new item, outage, violation start/end) is reported at once; each
tick adds ``budget`` status reports round-robin over the screens (the current payload,
shared, not copied).  At budget 0 one report with probability :attr:`trickle`.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta

from demo_backend.scenario import VN_TZ, events_for_budget, round_robin, rfc3339_local
from ioc_desktop.plugin_api import SimEvent, Simulator

from .schema import PROHIBITED, SCHEDULE, TOPIC, UNLICENSED


@dataclass(frozen=True)
class ScreenSite:
    screen_id: str
    name: str
    lat: float
    lon: float


#: Demo screens (positions ≈ ±150 m, map readings).
SITES: tuple[ScreenSite, ...] = (
    ScreenSite("LED-01", "Ngã sáu Hùng Vương – Lê Lợi", 16.4640, 107.5966),
    ScreenSite("LED-02", "Lê Lợi – Nguyễn Thái Học", 16.4668, 107.5978),
    ScreenSite("LED-03", "Hùng Vương – Vincom Plaza", 16.4660, 107.5985),
    ScreenSite("LED-04", "Hùng Vương – Bà Triệu", 16.4603, 107.6040),
    ScreenSite("LED-05", "Bà Triệu – khu Big C (GO!) Huế", 16.4588, 107.6082),
    ScreenSite("LED-06", "Trần Hưng Đạo – Co.op Mart Huế", 16.4712, 107.5906),
    ScreenSite("LED-07", "Đầu cầu Phú Xuân – Nguyễn Huệ", 16.4612, 107.5858),
    ScreenSite("LED-08", "Điện Biên Phủ – Lê Lợi (ga Huế)", 16.4588, 107.5800),
    ScreenSite("LED-09", "Nguyễn Tất Thành – Thủy Dương", 16.4390, 107.6330),
    ScreenSite("LED-10", "Đường sân bay Phú Bài – QL1A", 16.4150, 107.6870),
    ScreenSite("LED-11", "Cổng sân bay Phú Bài", 16.4012, 107.7035),
    ScreenSite("LED-12", "Tố Hữu – khu đô thị An Vân Dương", 16.4570, 107.6200),
    ScreenSite("LED-13", "An Dương Vương – bến xe phía Nam", 16.4482, 107.6110),
    ScreenSite("LED-14", "Lý Thái Tổ – bến xe phía Bắc", 16.4815, 107.5655),
)

#: The licensed catalogue (demo): content id -> title.
CATALOGUE: dict[str, str] = {
    "TT-FESTIVAL-26": "Festival Huế 2026 – Tuần lễ Festival nghề truyền thống",
    "TT-ATGT-07": "An toàn giao thông: đội mũ bảo hiểm đạt chuẩn",
    "TT-HUES-03": "Ứng dụng Huế-S: phản ánh hiện trường",
    "TT-PCTT-02": "Phòng chống thiên tai mùa mưa lũ",
    "TT-HOTLINE": "Đường dây nóng IOC 1900 1075",
    "TT-DSVH-05": "Giữ gìn di sản văn hóa Cố đô",
    "QC-2026-0112": "Viễn thông – gói cước 5G",
    "QC-2026-0137": "Sữa tươi tiệt trùng",
    "QC-2026-0141": "Du thuyền sông Hương",
    "QC-2026-0158": "Ngân hàng – vay mua nhà lãi suất ưu đãi",
    "QC-2026-0163": "Điện máy – khuyến mãi cuối năm",
    "QC-2026-0170": "Tuyển sinh đại học 2026",
    "QC-2026-0184": "Bất động sản – khu đô thị mới",
    "QC-2026-0191": "Nhà hàng ẩm thực cung đình",
}
#: Items the Advertising Law bans (Luật Quảng cáo 2012, Điều 7): id, title, why.
PROHIBITED_ITEMS: tuple[tuple[str, str, str], ...] = (
    ("QC-X-RUOU40", "Rượu mạnh 40°",
     "Quảng cáo rượu có nồng độ cồn từ 15 độ trở lên (cấm: Luật Quảng cáo 2012, Điều 7)"),
    ("QC-X-THUOCLA", "Thuốc lá điếu",
     "Quảng cáo thuốc lá (cấm: Luật Quảng cáo 2012, Điều 7)"),
    ("QC-X-SUA24", "Sữa công thức cho trẻ dưới 24 tháng",
     "Quảng cáo sữa thay thế sữa mẹ cho trẻ dưới 24 tháng tuổi (cấm: Luật Quảng cáo 2012, Điều 7)"),
)
#: Licensed playing hours (local): commercial spots outside them breach the schedule.
LICENSED_HOURS = (6, 22)


class _Screen:
    __slots__ = ("site", "index", "playlist", "offset", "slot", "online", "down_until",
                 "since", "violation", "viol_until", "forced", "payload")

    def __init__(self, site: ScreenSite, index: int):
        self.site, self.index = site, index
        self.playlist: tuple[str, ...] = ()
        self.offset = 0.0
        self.slot = -1                 # playlist slot now on screen
        self.online = True
        self.down_until = 0.0
        self.since = ""
        self.violation: dict | None = None
        self.viol_until = 0.0
        self.forced: tuple[str, str | None] | None = None   # (content id, title) during a violation
        self.payload: dict = {}


class AdsSimulator(Simulator):
    """LED billboards for the demo backend (see the module docstring)."""

    trickle = 0.5
    #: Simulated seconds per playlist item.
    slot_s = 30.0
    outage_every_s = 200.0
    max_offline = 2
    violation_every_s = 300.0
    max_violations = 2

    def __init__(self, sites: tuple[ScreenSite, ...] = SITES):
        self.sites = sites
        self._screens: list[_Screen] = []
        self._pos = 0
        self._last_s = 0.0
        self._start: datetime | None = None

    # ------------------------------------------------------------------ state
    def _refresh(self, sc: _Screen, s: float) -> None:
        if not sc.online:
            content, title = None, None
        elif sc.forced is not None:
            content, title = sc.forced
        else:
            content = sc.playlist[sc.slot % len(sc.playlist)]
            title = CATALOGUE.get(content)
        site = sc.site
        sc.payload = {
            "screen_id": site.screen_id, "name": site.name, "lat": site.lat, "long": site.lon,
            "online": sc.online, "content_id": content, "content_title": title,
            "since": sc.since, "violation": sc.violation,
        }

    def _slot_at(self, sc: _Screen, s: float) -> int:
        return int((s + sc.offset) // self.slot_s)

    def _violate(self, sc: _Screen, rng: random.Random, s: float, now: datetime) -> None:
        x = rng.random()
        text = rfc3339_local(now)
        if x < 0.4:
            content = f"UNK-{rng.randrange(0x1000, 0x10000):04X}"
            sc.forced = (content, None)
            sc.violation = {"kind": UNLICENSED, "content_id": content, "time": text,
                            "detail": "Nội dung không có trong danh mục đã được cấp phép"}
        elif x < 0.7:
            content, title, why = PROHIBITED_ITEMS[rng.randrange(len(PROHIBITED_ITEMS))]
            sc.forced = (content, title)
            sc.violation = {"kind": PROHIBITED, "content_id": content, "time": text, "detail": why}
        else:
            hour = now.astimezone(VN_TZ).hour
            commercial = [c for c in sc.playlist if c.startswith("QC-")] or list(sc.playlist)
            content = commercial[rng.randrange(len(commercial))]
            sc.forced = (content, CATALOGUE.get(content))
            if not LICENSED_HOURS[0] <= hour < LICENSED_HOURS[1]:
                detail = "Phát quảng cáo thương mại ngoài khung giờ được cấp phép (06:00–22:00)"
            else:
                detail = "Vượt thời lượng được cấp phép: quảng cáo thương mại quá 50% thời lượng phát"
            sc.violation = {"kind": SCHEDULE, "content_id": content, "time": text, "detail": detail}
        sc.viol_until = s + rng.uniform(120.0, 360.0)

    # ------------------------------------------------------------------ Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        self._start = now
        self._last_s = 0.0
        self._pos = 0
        ids = sorted(CATALOGUE)
        public = [c for c in ids if c.startswith("TT-")]
        commercial = [c for c in ids if c.startswith("QC-")]
        self._screens = []
        for i, site in enumerate(self.sites):
            sc = _Screen(site, i)
            items = rng.sample(public, 2) + rng.sample(commercial, 3)
            rng.shuffle(items)
            sc.playlist = tuple(items)
            sc.offset = rng.uniform(0.0, self.slot_s * len(items))
            sc.slot = self._slot_at(sc, 0.0)
            sc.since = rfc3339_local(now - timedelta(seconds=rng.uniform(3600.0, 72 * 3600.0)))
            self._screens.append(sc)
        if self._screens:   # something to see from the first second: a violation
            self._violate(self._screens[rng.randrange(len(self._screens))], rng, 0.0, now)
        events = []
        for sc in self._screens:
            self._refresh(sc, 0.0)
            events.append(SimEvent(TOPIC, sc.site.screen_id, sc.payload))
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        s = (now - self._start).total_seconds()
        dt, self._last_s = s - self._last_s, s
        news: list[_Screen] = []
        if dt > 0.0:
            self._changes(rng, now, s, dt, news)
        events = [SimEvent(TOPIC, sc.site.screen_id, sc.payload) for sc in news]
        more, self._pos = round_robin(self._screens, self._pos, events_for_budget(rng, budget, self.trickle),
                                      lambda sc: SimEvent(TOPIC, sc.site.screen_id, sc.payload))
        return events + more

    def _changes(self, rng: random.Random, now: datetime, s: float, dt: float,
                 news: list[_Screen]) -> None:
        changed: set[int] = set()
        text = None
        for sc in self._screens:
            if not sc.online:
                if s >= sc.down_until:
                    sc.online = True
                    sc.since = text = text or rfc3339_local(now)
                    sc.slot = self._slot_at(sc, s)
                    changed.add(sc.index)
                continue
            if sc.violation is not None and s >= sc.viol_until:
                sc.violation, sc.forced = None, None
                changed.add(sc.index)
            slot = self._slot_at(sc, s)
            if slot != sc.slot:
                sc.slot = slot
                if sc.forced is None:
                    changed.add(sc.index)
        if rng.random() < dt / self.outage_every_s \
                and sum(1 for sc in self._screens if not sc.online) < self.max_offline:
            up = [sc for sc in self._screens if sc.online]
            if up:
                sc = up[rng.randrange(len(up))]
                sc.online = False
                sc.down_until = s + rng.uniform(60.0, 300.0)
                sc.since = text or rfc3339_local(now)
                sc.violation, sc.forced = None, None
                changed.add(sc.index)
        if rng.random() < dt / self.violation_every_s \
                and sum(1 for sc in self._screens if sc.violation) < self.max_violations:
            ok = [sc for sc in self._screens if sc.online and sc.violation is None]
            if ok:
                sc = ok[rng.randrange(len(ok))]
                self._violate(sc, rng, s, now)
                changed.add(sc.index)
        for i in sorted(changed):
            sc = self._screens[i]
            self._refresh(sc, s)
            news.append(sc)


__all__ = ["AdsSimulator", "SITES", "ScreenSite", "CATALOGUE", "PROHIBITED_ITEMS"]
