"""Demo source of news items about Huế (giám sát thông tin báo chí).

Items come from local and national outlets (Báo Thừa Thiên Huế, TRT, Tuổi Trẻ, Thanh
Niên, VnExpress, Dân Trí, Người Lao Động, VietNamNet) with Vietnamese headlines by
topic (du lịch, giao thông, môi trường, thiên tai, xây dựng, giáo dục, y tế, an ninh
trật tự, hành chính công, kinh tế, văn hóa).  Every headline has a tone; an item's
sentiment is that tone plus noise, so that most news is neutral to positive and
roughly one item in eight is clearly negative (≤ −0.5).

* **The flood** (the shared :class:`~demo_backend.scenario.FloodScenario`): while
  Kim Long is above BĐ1, more and more items are flood news (ngập, sạt lở, sơ tán…),
  mostly negative, and the rest of the news turns more negative too; near BĐ3 about
  two items in three are negative.  The press panel's negative-spike alarm fires on
  the rise and clears once the wave has gone down.
* **Incidents**: now and then (mean every :attr:`PressSimulator.incident_every_s`
  simulated seconds, lasting 4–10 min) a local story (a food poisoning, a fish kill, a
  tourist overcharged, a market fire, the public-services portal down) dominates the
  news for a few minutes: an occasional negative spike outside the floods.
* URLs are ``https://<outlet domain>.example/<slug>-<n>.html``: recognisable, but in the
  reserved ``.example`` domain, so that no demo link pretends to be a real article.

Rates: each tick emits ``budget`` events (at budget 0, one with probability
:attr:`PressSimulator.trickle`).  About :attr:`PressSimulator.new_share` of them are new
items; the others are the monitoring platform's updated interaction counts
(``comments``/``shares``) of recent items.  Only the newest ``keep`` items stay in the
topic's state: beyond that the oldest is deleted (one ``delete`` event; the events log
keeps it), so the state stays bounded at any rate.  News is slower than sensors:
:attr:`PressSimulator.budget_weight` is 0.5.
"""
from __future__ import annotations

import bisect
import random
import unicodedata
from collections import deque
from datetime import datetime, timedelta

from demo_backend.scenario import (CITY_PLACES, DEFAULT_SEED, DISTRICT_PLACES, STREETS,
                                   FloodScenario, events_for_budget, rfc3339_local)
from ioc_desktop.plugin_api import SimEvent, Simulator

from .schema import TOPIC

#: Outlets: (name, domain, weight).  Local outlets publish most about the province.
OUTLETS: tuple[tuple[str, str, float], ...] = (
    ("Báo Thừa Thiên Huế", "baothuathienhue.vn", 0.22),
    ("TRT – Đài Phát thanh và Truyền hình Huế", "trt.com.vn", 0.16),
    ("Tuổi Trẻ", "tuoitre.vn", 0.12),
    ("Thanh Niên", "thanhnien.vn", 0.12),
    ("VnExpress", "vnexpress.net", 0.14),
    ("Dân Trí", "dantri.com.vn", 0.12),
    ("Người Lao Động", "nld.com.vn", 0.08),
    ("VietNamNet", "vietnamnet.vn", 0.04),
)

#: topic -> (weight in ordinary news, [(headline template, tone −1…1), …]).
#: Templates may use {place}, {street} and {n}.
NEWS: dict[str, tuple[float, list[tuple[str, float]]]] = {
    "du_lich": (0.16, [
        ("Huế đón hơn {n} nghìn lượt khách trong dịp cuối tuần", 0.6),
        ("Festival Huế thu hút đông đảo du khách trong và ngoài nước", 0.7),
        ("Đại Nội Huế mở cửa tham quan ban đêm, du khách thích thú", 0.6),
        ("Phát triển du lịch cộng đồng tại {place}", 0.4),
        ("Khách sạn tại Huế kín phòng dịp nghỉ lễ", 0.45),
        ("Lăng Tự Đức, lăng Minh Mạng điều chỉnh giờ mở cửa", 0.0),
        ("Huế ra mắt tour đêm trên sông Hương", 0.5),
        ("Du khách phản ánh tình trạng chèo kéo tại khu vực chợ Đông Ba", -0.55),
        ("Xích lô ép giá du khách nước ngoài trên đường {street}", -0.7),
    ]),
    "giao_thong": (0.13, [
        ("Khởi công mở rộng đường {street}", 0.35),
        ("Thông xe kỹ thuật cầu mới qua sông Hương", 0.6),
        ("Điều chỉnh phân luồng giao thông khu vực trung tâm thành phố", 0.0),
        ("Lắp thêm camera giám sát giao thông tại các nút giao trọng điểm", 0.3),
        ("Xử phạt {n} trường hợp vi phạm nồng độ cồn trong tuần", -0.2),
        ("Ùn tắc kéo dài tại nút giao đường {street} giờ cao điểm", -0.45),
        ("Tai nạn trên quốc lộ 1A đoạn qua {place}, 2 người bị thương", -0.7),
        ("Xe tải lật trên đèo Phú Gia, giao thông ách tắc nhiều giờ", -0.65),
    ]),
    "moi_truong": (0.09, [
        ("Ra quân làm sạch bãi biển Thuận An", 0.5),
        ("Chỉ số chất lượng không khí tại Huế ở mức tốt", 0.5),
        ("Trồng mới {n} nghìn cây xanh dọc bờ sông Hương", 0.6),
        ("Mở rộng quan trắc môi trường tự động tại các khu công nghiệp", 0.2),
        ("Xả thải ra sông Như Ý, doanh nghiệp bị xử phạt", -0.5),
        ("Người dân {place} bức xúc vì bãi rác gây ô nhiễm", -0.65),
    ]),
    "thien_tai": (0.04, [
        ("Huế diễn tập phòng chống thiên tai và tìm kiếm cứu nạn", 0.3),
        ("Chủ động phương án phòng chống bão lũ mùa mưa", 0.2),
        ("Kiểm tra an toàn các hồ chứa trước mùa mưa lũ", 0.1),
    ]),
    "xay_dung": (0.09, [
        ("Khởi công dự án nhà ở xã hội tại {place}", 0.5),
        ("Hoàn thành chỉnh trang bờ bắc sông Hương", 0.6),
        ("Phê duyệt quy hoạch phân khu đô thị {place}", 0.2),
        ("Đình chỉ công trình xây dựng trái phép trong vùng bảo vệ di tích", -0.4),
        ("Dự án chậm tiến độ nhiều năm, người dân mòn mỏi chờ tái định cư", -0.65),
        ("Sập giàn giáo tại công trình trên đường {street}, một công nhân bị thương", -0.75),
    ]),
    "giao_duc": (0.09, [
        ("Học sinh Huế giành {n} giải tại kỳ thi học sinh giỏi quốc gia", 0.75),
        ("Khánh thành trường mầm non mới tại {place}", 0.6),
        ("Đại học Huế tuyển sinh các ngành đào tạo mới", 0.3),
        ("Thiếu giáo viên ở các xã miền núi", -0.45),
        ("Phụ huynh phản ánh lạm thu đầu năm học tại một trường ở {place}", -0.55),
    ]),
    "y_te": (0.09, [
        ("Bệnh viện Trung ương Huế thực hiện thành công ca ghép tạng", 0.8),
        ("Triển khai tiêm chủng mở rộng cho trẻ em", 0.4),
        ("Người bệnh phản ánh chờ khám lâu tại bệnh viện tuyến cơ sở", -0.4),
        ("Số ca sốt xuất huyết tăng tại {place}", -0.55),
        ("Ngộ độc thực phẩm sau tiệc cưới, {n} người nhập viện", -0.8),
    ]),
    "an_ninh": (0.09, [
        ("Công an {place} ra mắt mô hình an ninh trật tự tự quản", 0.45),
        ("Triệt phá đường dây đánh bạc qua mạng", 0.2),
        ("Bắt đối tượng trộm cắp tài sản tại {place}", 0.1),
        ("Cảnh báo thủ đoạn lừa đảo qua điện thoại giả danh công an", -0.35),
        ("Hỗn chiến tại quán karaoke trên đường {street}, nhiều người bị thương", -0.75),
    ]),
    "hanh_chinh": (0.11, [
        ("Huế dẫn đầu cả nước về chỉ số chuyển đổi số cấp tỉnh", 0.7),
        ("Tỷ lệ hồ sơ trực tuyến toàn trình tăng mạnh", 0.5),
        ("Ứng dụng Hue-S đạt {n}0 nghìn lượt tải", 0.55),
        ("Hội đồng nhân dân thành phố khai mạc kỳ họp thường lệ", 0.05),
        ("Vận hành chính quyền địa phương hai cấp: bảo đảm thông suốt", 0.2),
        ("Người dân phản ánh hồ sơ đất đai bị trễ hẹn tại {place}", -0.5),
    ]),
    "kinh_te": (0.06, [
        ("Kim ngạch xuất khẩu của Huế tăng {n}%", 0.55),
        ("Khu kinh tế Chân Mây – Lăng Cô thu hút thêm dự án mới", 0.6),
        ("Giá rau xanh tăng mạnh tại chợ Đông Ba", -0.3),
        ("Doanh nghiệp khó khăn, nhiều lao động mất việc", -0.55),
    ]),
    "van_hoa": (0.05, [
        ("Nhã nhạc cung đình Huế biểu diễn tại Duyệt Thị Đường", 0.6),
        ("Hoàn thành trùng tu điện Kiến Trung", 0.65),
        ("Lễ hội cầu ngư ở {place} thu hút đông người dân", 0.5),
        ("Di tích xuống cấp, cần sớm được tu bổ", -0.45),
    ]),
}

#: Flood news while Kim Long is above BĐ1 (topic ``thien_tai`` unless given).
FLOOD_NEWS: list[tuple[str, float, str]] = [
    ("Mưa lớn, nước sông Hương lên nhanh, nhiều tuyến đường ngập sâu", -0.6, "thien_tai"),
    ("Lũ lên nhanh, hàng trăm hộ dân ở {place} phải sơ tán", -0.75, "thien_tai"),
    ("Sạt lở đất ở A Lưới, giao thông bị chia cắt", -0.8, "thien_tai"),
    ("Nước lũ dâng cao, nhiều trường học cho học sinh nghỉ", -0.55, "giao_duc"),
    ("Hồ chứa xả lũ, hạ du sông Hương ngập lụt", -0.6, "thien_tai"),
    ("Người dân vùng trũng {place} chật vật chống lũ", -0.65, "thien_tai"),
    ("Một người mất tích khi qua tràn ngập nước ở {place}", -0.9, "thien_tai"),
    ("Thiệt hại do mưa lũ ban đầu ước tính hàng chục tỷ đồng", -0.7, "thien_tai"),
    ("Đường {street} ngập sâu, xe cộ chết máy hàng loạt", -0.6, "giao_thong"),
    ("Du khách hủy tour, khách sạn vắng khách vì mưa lũ", -0.55, "du_lich"),
    ("Cảnh báo lũ trên sông Hương vượt báo động 2", -0.6, "thien_tai"),
    ("Lực lượng chức năng kịp thời di dời người dân khỏi vùng nguy hiểm", 0.2, "thien_tai"),
    ("Tiếp tế lương thực cho bà con vùng lũ {place}", 0.35, "thien_tai"),
]

#: Incidents: (topic, [(headline template, tone), …]) — a story that fills the news.
INCIDENTS: list[tuple[str, list[tuple[str, float]]]] = [
    ("y_te", [("Vụ ngộ độc tại trường học ở {place}: {n} học sinh nhập viện", -0.8),
              ("Phụ huynh lo lắng sau vụ ngộ độc thực phẩm ở {place}", -0.65),
              ("Thêm {n} ca nhập viện nghi ngộ độc thực phẩm", -0.75),
              ("Truy trách nhiệm đơn vị cung cấp suất ăn gây ngộ độc", -0.5)]),
    ("moi_truong", [("Cá chết trắng phá Tam Giang, người nuôi thủy sản điêu đứng", -0.8),
                    ("Chưa rõ nguyên nhân cá chết hàng loạt ở {place}", -0.65),
                    ("Người dân bức xúc vì mùi hôi từ cá chết", -0.7)]),
    ("du_lich", [("Clip du khách bị chặt chém tại {place} gây bức xúc", -0.75),
                 ("Hình ảnh du lịch Huế bị ảnh hưởng sau vụ chặt chém", -0.65),
                 ("Yêu cầu xử lý nghiêm vụ chèo kéo, ép giá du khách", -0.45)]),
    ("an_ninh", [("Cháy lớn tại chợ {place}, nhiều ki-ốt bị thiêu rụi", -0.85),
                 ("Tiểu thương trắng tay sau vụ cháy chợ {place}", -0.75),
                 ("Điều tra nguyên nhân vụ cháy chợ {place}", -0.45)]),
    ("hanh_chinh", [("Cổng dịch vụ công gián đoạn, người dân không nộp được hồ sơ", -0.65),
                    ("Người dân xếp hàng chờ vì hệ thống một cửa gặp sự cố", -0.6),
                    ("Sự cố hệ thống kéo dài, nhiều hồ sơ bị trễ hẹn", -0.55)]),
]

#: Kim Long level (m) where the flood starts to fill the news, and where it peaks.
FLOOD_NEWS_FROM, FLOOD_NEWS_FULL = 1.5, 3.0


def flood_factor(level: float) -> float:
    """0 below 1.5 m at Kim Long, rising to 1 at 3.0 m (BĐ2 is 2.0 m, BĐ3 3.5 m)."""
    if level <= FLOOD_NEWS_FROM:
        return 0.0
    return min(1.0, (level - FLOOD_NEWS_FROM) / (FLOOD_NEWS_FULL - FLOOD_NEWS_FROM))


_PLACES = tuple(p.name for p in CITY_PLACES + DISTRICT_PLACES)


def _slug(text: str, words: int = 9) -> str:
    """A URL slug of a headline: no accents, lower case, hyphens (as Vietnamese sites do)."""
    text = text.replace("đ", "d").replace("Đ", "D")
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    out, word = [], []
    for c in text.lower():
        if c.isascii() and c.isalnum():
            word.append(c)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return "-".join(out[:words])


class _Headline:
    """A headline template, precomputed: its slug and whether it needs formatting."""

    __slots__ = ("topic", "text", "tone", "slug", "fields")

    def __init__(self, topic: str, text: str, tone: float):
        self.topic, self.text, self.tone = topic, text, tone
        self.slug = _slug(text.replace("{place}", "").replace("{street}", "").replace("{n}", ""))
        self.fields = "{" in text


def _cumulative(weights) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return [x / acc for x in out]


_OUTLET_CUM = _cumulative(w for _, _, w in OUTLETS)
_TOPIC_NAMES = list(NEWS)
_TOPIC_CUM = _cumulative(NEWS[t][0] for t in _TOPIC_NAMES)
_NEWS = {t: [_Headline(t, text, tone) for text, tone in NEWS[t][1]] for t in _TOPIC_NAMES}
#: Bad news is the exception on an ordinary day: negative headlines are picked less often.
NEGATIVE_HEADLINE_WEIGHT = 0.4
_NEWS_CUM = {t: _cumulative(NEGATIVE_HEADLINE_WEIGHT if h.tone < -0.3 else 1.0 for h in hs)
             for t, hs in _NEWS.items()}
_FLOOD = [_Headline(topic, text, tone) for text, tone, topic in FLOOD_NEWS]
_INCIDENTS = [[_Headline(topic, text, tone) for text, tone in items] for topic, items in INCIDENTS]


class PressSimulator(Simulator):
    """News items for the demo backend (see the module docstring)."""

    #: News is slower than sensors: half a share of the server's event rate.
    budget_weight = 0.5
    #: Chance of one event in a tick with budget 0.
    trickle = 0.05
    #: Share of the events that are new items (the rest update interaction counts).
    new_share = 0.35
    #: Mean simulated seconds between two incidents (negative spikes outside floods).
    incident_every_s = 1800.0
    #: An incident fills this share of the news while it lasts.
    incident_share = 0.5
    #: Share of the news that is flood news at the flood's full strength.
    flood_share = 0.6
    #: Sentiment noise: ± this around a headline's tone (triangular).
    noise = 0.25

    def __init__(self, initial: int = 80, keep: int = 3000, scenario: FloodScenario | None = None,
                 scenario_seed: int = DEFAULT_SEED):
        if keep < 1:
            raise ValueError("keep must be at least 1")
        self.initial = initial
        self.keep = keep
        self.scenario = scenario
        self.scenario_seed = scenario_seed
        self._counter = 0
        self._ids: deque[str] = deque()          # items in the state, oldest first
        self._recent: list[dict] = []            # the newest items (interaction updates)
        self._recent_pos = 0
        self._incident: list[_Headline] | None = None
        self._incident_until = 0.0
        self._last_s = 0.0

    #: Interaction updates go to the newest this many items.
    RECENT = 200

    # -- building blocks
    def _item(self, rng: random.Random, published: str, level: float) -> dict:
        rnd = rng.random
        shift = 0.0
        h: _Headline
        if self._incident is not None and rnd() < self.incident_share:
            items = self._incident
            h = items[int(rnd() * len(items))]
        else:
            f = flood_factor(level)
            if f > 0.0 and rnd() < self.flood_share * f:
                h = _FLOOD[int(rnd() * len(_FLOOD))]
            else:
                topic = _TOPIC_NAMES[bisect.bisect_left(_TOPIC_CUM, rnd())]
                h = _NEWS[topic][bisect.bisect_left(_NEWS_CUM[topic], rnd())]
                shift = -0.25 * f     # rain and water spoil the rest of the news too
        name, domain, _ = OUTLETS[bisect.bisect_left(_OUTLET_CUM, rnd())]
        title = h.text
        if h.fields:
            title = title.format(place=_PLACES[int(rnd() * len(_PLACES))],
                                 street=STREETS[int(rnd() * len(STREETS))], n=2 + int(rnd() * 58))
        s = h.tone + shift + (rnd() + rnd() - 1.0) * self.noise
        s = -1.0 if s < -1.0 else 1.0 if s > 1.0 else round(s, 2)
        self._counter += 1
        item_id = f"BC-{self._counter:07d}"
        return {"item_id": item_id, "source": name, "title": title,
                "url": f"https://{domain}.example/{h.slug}-{self._counter}.html",
                "published": published, "topic": h.topic, "sentiment": s,
                "comments": 0, "shares": 0}

    def _remember(self, item: dict) -> None:
        self._ids.append(item["item_id"])
        recent = self._recent
        size = min(self.RECENT, self.keep)     # never an item that has left the state
        if len(recent) < size:
            recent.append(item)
        else:
            recent[self._recent_pos] = item
            self._recent_pos = (self._recent_pos + 1) % size

    def _interactions(self, rng: random.Random) -> dict:
        """One recent item with its interaction counts updated (a new dict)."""
        recent = self._recent
        i = int(rng.random() * len(recent))
        old = recent[i]
        new = dict(old)
        # negative news travels further on social media
        k = 3 if old["sentiment"] <= -0.5 else 1
        new["comments"] = old["comments"] + k * int(rng.random() * 6)
        new["shares"] = old["shares"] + k * int(rng.random() * 4)
        recent[i] = new
        return new

    # -- Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        if self.scenario is None:
            self.scenario = FloodScenario.shared(self.scenario_seed, now)
        self._counter = 0
        self._ids, self._recent, self._recent_pos = deque(), [], 0
        self._incident, self._incident_until = None, 0.0
        self._last_s = self.scenario.seconds(now)
        events = []
        # the last 12 hours of news, oldest first (ids rise with time)
        ages = sorted((12 * 3600 * rng.random() for _ in range(self.initial)), reverse=True)
        for age in ages:
            item = self._item(rng, rfc3339_local(now - timedelta(seconds=age)), 0.0)
            item["comments"] = int(rng.random() * 40)
            item["shares"] = int(rng.random() * 25)
            self._remember(item)
            events.append(SimEvent(TOPIC, item["item_id"], item))
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        s = self.scenario.seconds(now)
        dt, self._last_s = s - self._last_s, s
        if self._incident is not None and s >= self._incident_until:
            self._incident = None
        elif self._incident is None and dt > 0 and rng.random() < dt / self.incident_every_s:
            self._incident = _INCIDENTS[int(rng.random() * len(_INCIDENTS))]
            self._incident_until = s + rng.uniform(240.0, 600.0)
        n = events_for_budget(rng, budget, self.trickle)
        if n == 0:
            return []
        published = rfc3339_local(now)
        level = self.scenario.level_at("kim_long", s)
        ids, keep = self._ids, self.keep
        events: list[SimEvent] = []
        append = events.append
        rnd = rng.random
        emitted = 0
        while emitted < n:
            if len(ids) > keep:
                # the oldest item leaves the state (the events log keeps it)
                append(SimEvent(TOPIC, ids.popleft(), None, op="delete"))
            elif not self._recent or rnd() < self.new_share:
                item = self._item(rng, published, level)
                self._remember(item)
                append(SimEvent(TOPIC, item["item_id"], item))
            else:
                item = self._interactions(rng)
                append(SimEvent(TOPIC, item["item_id"], item))
            emitted += 1
        return events
