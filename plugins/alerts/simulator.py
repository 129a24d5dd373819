"""Demo source of CAP 1.2 warnings for Huế.

Driven by the shared :class:`~demo_backend.scenario.FloodScenario`:

* **Flood on the Hương** — when Kim Long reaches BĐ2 (2.0 m): an ``Alert``
  (Met, Immediate, Severe, Observed) with the low-lying Hương area as a CAP polygon;
  an ``Update`` when it passes BĐ3 (severity Extreme, evacuate) or, if the wave stays
  below BĐ3, at its peak; a ``Cancel`` when it falls back below BĐ2.
* **Reservoir discharge (xả lũ)** — an ``Alert`` when Kim Long passes BĐ1 on the rise
  (Tả Trạch and Bình Điền release water; a circle over the downstream plain) and a
  ``Cancel`` when it is back below BĐ1.
* Now and then (mean every :attr:`AlertsSimulator.other_every_s` simulated seconds,
  from ``rng``): a storm / tropical depression at sea (a circle) or a dengue notice for
  a city ward; each expires after 30–60 minutes.

One CAP message is one key.  When a message is superseded (an Update or a Cancel
references it) the simulator deletes the older key, so the topic's state holds the
current message of each incident; Cancels and expired warnings are deleted
:attr:`AlertsSimulator.retire_after_s` later.  The history stays in the events log.
Warnings are bursty: ``budget`` is ignored.
"""
from __future__ import annotations

import random
from datetime import datetime, timedelta

from demo_backend.scenario import (CITY_PLACES, DEFAULT_SEED, HUONG_FLOOD_AREA,
                                   HUONG_FLOOD_AREA_DESC, RESERVOIRS, VN_TZ,
                                   FloodScenario, cap_polygon,
                                   rfc3339_local)
from ioc_desktop.interop.cap import format_references
from ioc_desktop.plugin_api import SimEvent, Simulator

from .schema import TOPIC

SENDER = "ioc@hue.gov.vn"
SENDER_NAME = "Trung tâm Giám sát, điều hành đô thị thông minh Huế (dữ liệu demo)"
FLOOD_EVENT = "Lũ trên sông Hương"
FLOOD_INSTRUCTION = (
    "Người dân vùng trũng thấp ven sông Hương chủ động kê cao tài sản, di chuyển người già, "
    "trẻ em đến nơi an toàn; không đi qua các đoạn đường ngập sâu, nước chảy xiết. Theo dõi "
    "thông tin trên ứng dụng Huế-S và đường dây nóng 1900 1075.")
EVACUATE_INSTRUCTION = (
    "Khẩn trương sơ tán người dân vùng trũng thấp ven sông Hương đến nơi an toàn theo hướng "
    "dẫn của chính quyền địa phương. Không đi qua các đoạn đường ngập sâu, nước chảy xiết.")
DISCHARGE_CIRCLE = "16.400,107.590 12"
DISCHARGE_AREA = "Hạ du hồ Tả Trạch và Bình Điền: sông Hương và vùng ven sông (≈)"


def _vn(x: float, digits: int = 2) -> str:
    """A number with the Vietnamese decimal comma."""
    return f"{x:.{digits}f}".replace(".", ",")


class _Msg:
    """What the simulator remembers of a message it sent."""

    __slots__ = ("identifier", "sent", "retire_s")

    def __init__(self, identifier: str, sent: str, retire_s: float | None = None):
        self.identifier, self.sent, self.retire_s = identifier, sent, retire_s

    @property
    def ref(self) -> tuple[str, str, str]:
        return SENDER, self.identifier, self.sent


class AlertsSimulator(Simulator):
    """CAP warnings for the demo backend (see the module docstring)."""

    #: Warnings come in rare bursts of their own: no share of the server's event rate.
    budget_weight = 0.0
    #: Mean simulated seconds between two "other" warnings (storm, dengue).
    other_every_s = 600.0
    #: Cancels and expired warnings leave the state this long after.
    retire_after_s = 600.0

    def __init__(self, scenario: FloodScenario | None = None, scenario_seed: int = DEFAULT_SEED):
        self.scenario = scenario
        self.scenario_seed = scenario_seed
        self._counter = 0
        self._last_s = 0.0
        self._flood: list[_Msg] = []          # current flood message (Alert or Update)
        self._flood_cycle = -1                # wave the flood alert belongs to
        self._flood_updated = False
        self._discharge: _Msg | None = None
        self._discharge_cycle = -1
        self._others: dict[str, _Msg] = {}    # "storm"/"dengue" -> active message
        self._retiring: list[_Msg] = []       # keys to delete at their retire_s

    # -- message building
    def _message(self, now: datetime, msg_type: str, info: dict | None,
                 references: list[_Msg] | None = None) -> tuple[_Msg, dict]:
        self._counter += 1
        local = now.astimezone(VN_TZ)
        identifier = f"HUE-IOC-{local:%Y%m%d}-{self._counter:05d}"
        sent = rfc3339_local(now)
        data = {"identifier": identifier, "sender": SENDER, "sent": sent, "status": "Actual",
                "msgType": msg_type, "scope": "Public", "source": "IOC Huế (demo)"}
        if references:
            data["references"] = format_references(m.ref for m in references)
        if info is not None:
            data["info"] = [info]
        return _Msg(identifier, sent), data

    @staticmethod
    def _info(now: datetime, *, category, event, urgency, severity, certainty, headline,
              description, instruction=None, expires_s=3600.0, area, response=None,
              parameters=None) -> dict:
        info = {"language": "vi-VN", "category": category, "event": event,
                "urgency": urgency, "severity": severity, "certainty": certainty,
                "effective": rfc3339_local(now),
                "expires": rfc3339_local(now + timedelta(seconds=expires_s)),
                "senderName": SENDER_NAME, "headline": headline, "description": description,
                "area": area}
        if instruction:
            info["instruction"] = instruction
        if response:
            info["responseType"] = response
        if parameters:
            info["parameter"] = [{"valueName": k, "value": v} for k, v in parameters.items()]
        return info

    @staticmethod
    def _flood_area() -> list[dict]:
        return [{"areaDesc": HUONG_FLOOD_AREA_DESC, "polygon": [cap_polygon(HUONG_FLOOD_AREA)]}]

    def _emit(self, events: list, msg: _Msg, data: dict, supersedes: list[_Msg] = ()) -> None:
        events.append(SimEvent(TOPIC, msg.identifier, data))
        for old in supersedes:
            events.append(SimEvent(TOPIC, old.identifier, None, op="delete"))

    # -- the flood
    def _flood_step(self, now: datetime, s: float, events: list) -> None:
        scn = self.scenario
        level = scn.level_at("kim_long", s)
        cycle = scn.cycle_at(s)
        hhmm = f"{now.astimezone(VN_TZ):%H:%M ngày %d/%m/%Y}"
        params = {"station": "Kim Long", "water_level_m": f"{level:.2f}"}
        if not self._flood and level >= 2.0 and cycle.index != self._flood_cycle:
            peak = cycle.peaks["kim_long"]
            info = self._info(
                now, category=["Met"], event=FLOOD_EVENT, urgency="Immediate", severity="Severe",
                certainty="Observed", response=["Prepare", "Monitor"],
                headline=f"Cảnh báo lũ: sông Hương tại Kim Long {_vn(level)} m, trên báo động 2",
                description=(f"Lúc {hhmm}, mực nước sông Hương tại trạm Kim Long là {_vn(level)} m, "
                             f"trên mức báo động 2 (2,0 m) và đang lên. Dự báo đỉnh lũ khoảng "
                             f"{_vn(peak, 1)} m. (Kịch bản lũ demo, thời gian được rút ngắn.)"),
                instruction=FLOOD_INSTRUCTION, area=self._flood_area(), parameters=params)
            msg, data = self._message(now, "Alert", info)
            self._emit(events, msg, data)
            self._flood, self._flood_cycle, self._flood_updated = [msg], cycle.index, False
            return
        if not self._flood:
            return
        above_bd3 = level >= 3.5
        past_peak = s >= cycle.peak_time and cycle.index == self._flood_cycle
        if not self._flood_updated and (above_bd3 or past_peak):
            if above_bd3:
                severity, response, instruction = "Extreme", ["Evacuate"], EVACUATE_INSTRUCTION
                headline = f"Lũ lớn: sông Hương tại Kim Long {_vn(level)} m, trên báo động 3"
                what = "trên mức báo động 3 (3,5 m)"
            else:
                severity, response, instruction = "Severe", ["Prepare"], FLOOD_INSTRUCTION
                headline = f"Lũ sông Hương đạt đỉnh {_vn(level)} m tại Kim Long, trên báo động 2"
                what = "đạt đỉnh, trên mức báo động 2 (2,0 m)"
            info = self._info(
                now, category=["Met"], event=FLOOD_EVENT, urgency="Immediate", severity=severity,
                certainty="Observed", response=response, headline=headline,
                description=f"Lúc {hhmm}, mực nước sông Hương tại trạm Kim Long là {_vn(level)} m, "
                            f"{what}.", instruction=instruction, area=self._flood_area(),
                parameters=params)
            msg, data = self._message(now, "Update", info, references=self._flood)
            self._emit(events, msg, data, supersedes=self._flood)
            self._flood, self._flood_updated = [msg], True
            return
        if level < 2.0 and s >= cycle.peak_time:
            info = self._info(
                now, category=["Met"], event=FLOOD_EVENT, urgency="Past", severity="Minor",
                certainty="Observed", response=["AllClear"],
                headline="Hủy cảnh báo lũ: sông Hương tại Kim Long đã xuống dưới báo động 2",
                description=f"Lúc {hhmm}, mực nước sông Hương tại trạm Kim Long là {_vn(level)} m, "
                            "dưới mức báo động 2 và đang xuống.",
                area=self._flood_area(), parameters=params)
            msg, data = self._message(now, "Cancel", info, references=self._flood)
            self._emit(events, msg, data, supersedes=self._flood)
            msg.retire_s = s + self.retire_after_s
            self._retiring.append(msg)
            self._flood = []

    def _discharge_step(self, now: datetime, s: float, events: list) -> None:
        scn = self.scenario
        level = scn.level_at("kim_long", s)
        cycle = scn.cycle_at(s)
        rising = s < cycle.peak_time
        if self._discharge is None and level >= 1.0 and rising and cycle.index != self._discharge_cycle:
            # the releases the environment simulator will show at the peak (≈ demo figures)
            q = round(sum(r.base_inflow * 0.9 * 19.0 for r in RESERVOIRS
                          if r.station_id in ("ho_ta_trach", "ho_binh_dien")), -1)
            info = self._info(
                now, category=["Safety", "Met"], event="Xả lũ hồ chứa", urgency="Expected",
                severity="Moderate", certainty="Likely", response=["Prepare"],
                headline="Thông báo xả lũ hồ Tả Trạch và Bình Điền",
                description=(f"Để bảo đảm an toàn công trình và cắt giảm lũ cho hạ du, hồ Tả Trạch "
                             f"và hồ Bình Điền điều tiết xả lũ từ {now.astimezone(VN_TZ):%H:%M}, "
                             f"tổng lưu lượng xả dự kiến khoảng {q:.0f} m³/s. Mực nước hạ du sông "
                             "Hương sẽ lên nhanh."),
                instruction="Không neo đậu thuyền, đánh bắt thủy sản trên sông Hương; chủ động "
                            "phòng tránh ngập lụt ở vùng trũng thấp.",
                area=[{"areaDesc": DISCHARGE_AREA, "circle": [DISCHARGE_CIRCLE]}])
            msg, data = self._message(now, "Alert", info)
            self._emit(events, msg, data)
            self._discharge, self._discharge_cycle = msg, cycle.index
        elif self._discharge is not None and level < 1.0 and not rising:
            info = self._info(
                now, category=["Safety", "Met"], event="Xả lũ hồ chứa", urgency="Past",
                severity="Minor", certainty="Observed", response=["AllClear"],
                headline="Kết thúc xả lũ hồ Tả Trạch và Bình Điền",
                description="Các hồ đã giảm lưu lượng xả về mức bình thường.",
                area=[{"areaDesc": DISCHARGE_AREA, "circle": [DISCHARGE_CIRCLE]}])
            msg, data = self._message(now, "Cancel", info, references=[self._discharge])
            self._emit(events, msg, data, supersedes=[self._discharge])
            msg.retire_s = s + self.retire_after_s
            self._retiring.append(msg)
            self._discharge = None

    # -- occasional warnings
    def _other(self, rng: random.Random, now: datetime, s: float, events: list) -> None:
        kind = "storm" if rng.random() < 0.5 else "dengue"
        if kind in self._others:
            return
        expires_s = rng.uniform(1800.0, 3600.0)
        if kind == "storm":
            lat, lon = rng.uniform(16.9, 17.5), rng.uniform(108.4, 108.9)
            radius = rng.randrange(80, 200, 10)
            depression = rng.random() < 0.6
            event = "Áp thấp nhiệt đới trên Biển Đông" if depression else "Bão trên Biển Đông"
            info = self._info(
                now, category=["Met"], event=event, urgency="Expected",
                severity="Moderate" if depression else "Severe", certainty="Likely",
                response=["Shelter"], expires_s=expires_s,
                headline=f"Cảnh báo {event[0].lower()}{event[1:]}, gió mạnh và sóng lớn trên biển",
                description=(f"Tâm {event.split(' trên')[0].lower()} ở khoảng {_vn(lat, 1)}° vĩ Bắc, "
                             f"{_vn(lon, 1)}° kinh Đông; vùng gió mạnh bán kính khoảng {radius} km. "
                             "Biển động mạnh, sóng cao 3–5 m."),
                instruction=("Tàu thuyền đang hoạt động trên biển khẩn trương di chuyển vào nơi "
                             "tránh trú an toàn (cảng Thuận An, Tư Hiền)."),
                area=[{"areaDesc": "Vùng biển ngoài khơi Huế (≈)",
                       "circle": [f"{lat:.2f},{lon:.2f} {radius}"]}])
        else:
            place = CITY_PLACES[rng.randrange(len(CITY_PLACES))]
            cases = rng.randrange(5, 40)
            info = self._info(
                now, category=["Health"], event="Dịch sốt xuất huyết", urgency="Expected",
                severity="Moderate", certainty="Observed", response=["Prepare"],
                expires_s=expires_s,
                headline=f"Ổ dịch sốt xuất huyết tại {place.name}, {place.commune}",
                description=(f"Ghi nhận {cases} ca sốt xuất huyết trong 2 tuần tại khu vực "
                             f"{place.name}. Ngành y tế đang phun hóa chất diệt muỗi."),
                instruction=("Diệt lăng quăng, bọ gậy; ngủ màn kể cả ban ngày; đến cơ sở y tế "
                             "khi sốt cao."),
                area=[{"areaDesc": f"{place.name}, {place.commune}",
                       "circle": [f"{place.lat:.4f},{place.lon:.4f} 1.5"]}])
        msg, data = self._message(now, "Alert", info)
        msg.retire_s = s + expires_s + self.retire_after_s
        self._emit(events, msg, data)
        self._others[kind] = msg
        self._retiring.append(msg)

    def _retire(self, s: float, events: list) -> None:
        keep = []
        for msg in self._retiring:
            if msg.retire_s is not None and s >= msg.retire_s:
                events.append(SimEvent(TOPIC, msg.identifier, None, op="delete"))
                for kind, other in list(self._others.items()):
                    if other is msg:
                        del self._others[kind]
            else:
                keep.append(msg)
        self._retiring = keep

    # -- Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        if self.scenario is None:
            self.scenario = FloodScenario.shared(self.scenario_seed, now)
        self._counter = 0
        self._flood, self._flood_cycle, self._flood_updated = [], -1, False
        self._discharge, self._discharge_cycle = None, -1
        self._others, self._retiring = {}, []
        s = self.scenario.seconds(now)
        self._last_s = s
        events: list[SimEvent] = []
        if rng.random() < 0.5:          # sometimes the demo opens with a warning already out
            self._other(rng, now, s, events)
        self._discharge_step(now, s, events)
        self._flood_step(now, s, events)
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        s = self.scenario.seconds(now)
        dt, self._last_s = s - self._last_s, s
        events: list[SimEvent] = []
        self._discharge_step(now, s, events)
        self._flood_step(now, s, events)
        if dt > 0 and rng.random() < dt / self.other_every_s:
            self._other(rng, now, s, events)
        if self._retiring:
            self._retire(s, events)
        return events
