"""Demo source of information-security events on Huế's provincial systems.

Events hit the systems the province runs (Cổng dịch vụ công, Hue-S, iDesk/eOffice,
the provincial portal, the IOC, official e-mail, LGSP, the data centre, the one-stop
office), by category (intrusion attempts, vulnerability scans, brute force, phishing,
malware, DDoS, unauthorized access, web defacement, data leaks, ransomware).  Each
category has its own severity mix: scans and intrusion attempts are mostly low, a
defacement or a leak mostly high; over all events about 3.5 % are critical (ISA-18.2:
≤ 5 % of alarms critical).  Phishing mostly targets official e-mail, defacements the
web portals.  Source addresses are documentation addresses (RFC 5737 TEST-NETs and
RFC 3849 ``2001:db8::/32``) for outsiders and ``10.52.x.x`` for infected or misused
internal machines; a few dozen "campaign" addresses come back again and again.

**Status over time.**  Each event moves ``new`` -> ``investigating`` -> ``contained`` ->
``resolved`` on a clock of its own (critical events are triaged within a minute and
contained within a few; low ones may wait for half an hour); at triage some turn out
``false_positive``, and some low ones are resolved without containment.  These steps are
sent when due, whatever the budget.

Rates: each tick emits ``budget`` events (at budget 0, one with probability
:attr:`CyberSimulator.trickle`), besides the due status steps.  About
:attr:`CyberSimulator.new_share` of them are new events; the others are repeat
detections of events still being handled (``count`` and ``last_seen`` go up).  At most
``max_active`` events are being handled at once; of the finished ones only the last
``keep_closed`` stay in the topic's state (older ones are deleted: one ``delete`` event,
the events log keeps them), so memory and state are bounded at any rate.
"""
from __future__ import annotations

import bisect
import heapq
import random
from collections import deque
from datetime import datetime, timedelta

from demo_backend.scenario import events_for_budget, rfc3339_local
from ioc_desktop.plugin_api import SimEvent, Simulator

from .schema import TOPIC

#: Provincial systems: (name, weight).
TARGETS: tuple[tuple[str, float], ...] = (
    ("Cổng dịch vụ công tỉnh", 0.18),
    ("Ứng dụng Hue-S", 0.14),
    ("Hệ thống quản lý văn bản và điều hành (iDesk/eOffice)", 0.12),
    ("Cổng thông tin điện tử tỉnh", 0.14),
    ("Hệ thống Trung tâm IOC", 0.08),
    ("Hệ thống thư điện tử công vụ", 0.14),
    ("Nền tảng tích hợp, chia sẻ dữ liệu (LGSP)", 0.08),
    ("Trung tâm dữ liệu tỉnh", 0.07),
    ("Hệ thống một cửa điện tử", 0.05),
)
MAIL = "Hệ thống thư điện tử công vụ"
WEB = ("Cổng thông tin điện tử tỉnh", "Cổng dịch vụ công tỉnh", "Ứng dụng Hue-S")

#: category -> (weight, (P low, P medium, P high, P critical), detector, ports, internal share,
#: description).
CATEGORY_MIX: dict[str, tuple] = {
    "intrusion_attempt": (0.24, (0.62, 0.28, 0.09, 0.01), "IDS", (445, 8080, 443, 3306), 0.05,
                          "Phát hiện dò quét và thử khai thác lỗ hổng dịch vụ"),
    "vulnerability_scan": (0.12, (0.85, 0.13, 0.02, 0.0), "IDS", (80, 443, 8443), 0.0,
                           "Dò quét lỗ hổng ứng dụng web từ bên ngoài"),
    "brute_force": (0.18, (0.55, 0.33, 0.11, 0.01), "SIEM", (22, 3389, 443), 0.1,
                    "Đăng nhập sai mật khẩu liên tiếp (dò mật khẩu)"),
    "phishing": (0.14, (0.35, 0.45, 0.17, 0.03), "Cổng lọc thư", (25, 587), 0.0,
                 "Thư điện tử giả mạo gửi tới hộp thư công vụ"),
    "malware": (0.10, (0.25, 0.45, 0.24, 0.06), "EDR", (443, 8080), 0.8,
                "Phát hiện mã độc trên máy trạm"),
    "ddos": (0.07, (0.30, 0.40, 0.24, 0.06), "WAF/Anti-DDoS", (443, 80, 53), 0.0,
             "Lưu lượng truy cập bất thường, nghi tấn công từ chối dịch vụ"),
    "unauthorized_access": (0.06, (0.15, 0.48, 0.32, 0.05), "SIEM", (22, 443, 5432), 0.6,
                            "Truy cập trái phép vào tài khoản quản trị"),
    "web_defacement": (0.03, (0.0, 0.33, 0.55, 0.12), "WAF", (443, 80), 0.0,
                       "Giao diện trang web bị thay đổi trái phép"),
    "data_leak": (0.03, (0.0, 0.32, 0.53, 0.15), "DLP", (443,), 0.5,
                  "Dữ liệu có dấu hiệu bị rò rỉ ra ngoài"),
    "ransomware": (0.015, (0.0, 0.10, 0.55, 0.35), "EDR", (445, 3389), 0.9,
                   "Mã độc mã hóa dữ liệu (ransomware) trên máy chủ"),
}
SEVERITY_NAMES = ("low", "medium", "high", "critical")

#: Simulated seconds per step, by severity: (triage, containment).  Resolution after
#: containment takes RESOLVE_S whatever the severity.
STEP_S = {"critical": ((20.0, 60.0), (60.0, 240.0)), "high": ((40.0, 180.0), (120.0, 600.0)),
          "medium": ((60.0, 600.0), (300.0, 1200.0)), "low": ((120.0, 1200.0), (300.0, 1800.0))}
RESOLVE_S = (300.0, 1800.0)
#: Share of events found to be false positives at triage, by severity.
FALSE_POSITIVE = {"low": 0.25, "medium": 0.15, "high": 0.08, "critical": 0.03}
#: Share of low events resolved at once after investigation (nothing to contain).
LOW_RESOLVED_DIRECTLY = 0.5


def _cumulative(weights) -> list[float]:
    out, acc = [], 0.0
    for w in weights:
        acc += w
        out.append(acc)
    return [x / acc for x in out]


_CATS = list(CATEGORY_MIX)
_CAT_CUM = _cumulative(CATEGORY_MIX[c][0] for c in _CATS)
_SEV_CUM = {c: _cumulative(CATEGORY_MIX[c][1]) for c in _CATS}
_TARGET_NAMES = [t for t, _ in TARGETS]
_TARGET_CUM = _cumulative(w for _, w in TARGETS)
_TEST_NETS = ("192.0.2.", "198.51.100.", "203.0.113.")


class CyberSimulator(Simulator):
    """Security events for the demo backend (see the module docstring)."""

    #: Security events are rarer than sensor readings: half a share of the server's rate.
    budget_weight = 0.5
    #: Chance of one event in a tick with budget 0.
    trickle = 0.05
    #: Share of the budget that are new events (the rest: repeat detections).
    new_share = 0.025

    def __init__(self, initial: int = 40, max_active: int = 2000, keep_closed: int = 2000):
        if max_active < 1 or keep_closed < 0:
            raise ValueError("max_active must be ≥ 1 and keep_closed ≥ 0")
        self.initial = initial
        self.max_active = max_active
        self.keep_closed = keep_closed
        self._counter = 0
        self._active: dict[str, dict] = {}        # events being handled, by id
        self._active_ids: list[str] = []          # the same ids, for random picks
        self._pos: dict[str, int] = {}            # id -> index in _active_ids
        self._due: list[tuple[float, int, str]] = []   # (due s, tie-break, id): next status step
        self._closed: deque[str] = deque()
        self._campaign: list[str] = []
        self._start: datetime | None = None

    # -- building blocks
    def _ip(self, rng: random.Random, internal: bool) -> str:
        rnd = rng.random
        if internal:
            return f"10.52.{int(rnd() * 40)}.{1 + int(rnd() * 254)}"
        if rnd() < 0.6:
            return self._campaign[int(rnd() * len(self._campaign))]
        return self._outside_ip(rng)

    @staticmethod
    def _outside_ip(rng: random.Random) -> str:
        rnd = rng.random
        if rnd() < 0.12:
            return f"2001:db8:{1 + int(rnd() * 0xfffe):x}::{1 + int(rnd() * 0xfffe):x}"
        return f"{_TEST_NETS[int(rnd() * 3)]}{1 + int(rnd() * 254)}"

    def _new_event(self, rng: random.Random, t_text: str) -> dict:
        rnd = rng.random
        category = _CATS[bisect.bisect_left(_CAT_CUM, rnd())]
        _w, _mix, detector, ports, internal, description = CATEGORY_MIX[category]
        severity = SEVERITY_NAMES[bisect.bisect_left(_SEV_CUM[category], rnd())]
        if category == "phishing" and rnd() < 0.7:
            target = MAIL
        elif category in ("web_defacement", "ddos", "vulnerability_scan"):
            target = WEB[int(rnd() * len(WEB))]
        else:
            target = _TARGET_NAMES[bisect.bisect_left(_TARGET_CUM, rnd())]
        self._counter += 1
        return {
            "event_id": f"ATTT-{self._counter:06d}", "time": t_text, "severity": severity,
            "category": category, "source_ip": self._ip(rng, rnd() < internal),
            "target_system": target, "status": "new", "count": 1, "last_seen": t_text,
            "updated": t_text, "dest_port": ports[int(rnd() * len(ports))],
            "description": description, "detector": detector,
        }

    def _schedule(self, rng: random.Random, ev: dict, s: float) -> None:
        status, severity = ev["status"], ev["severity"]
        if status == "new":
            lo, hi = STEP_S[severity][0]
        elif status == "investigating":
            lo, hi = STEP_S[severity][1]
        else:
            lo, hi = RESOLVE_S
        heapq.heappush(self._due, (s + rng.uniform(lo, hi), self._counter, ev["event_id"]))

    def _advance(self, rng: random.Random, ev: dict, t_text: str) -> dict:
        new = dict(ev)
        new["updated"] = t_text
        status, severity = ev["status"], ev["severity"]
        if status == "new":
            new["status"] = "investigating"
        elif status == "investigating":
            x = rng.random()
            if x < FALSE_POSITIVE[severity]:
                new["status"] = "false_positive"
            elif severity == "low" and x < FALSE_POSITIVE["low"] + LOW_RESOLVED_DIRECTLY:
                new["status"] = "resolved"
            else:
                new["status"] = "contained"
        else:
            new["status"] = "resolved"
        return new

    def _add(self, ev: dict, rng: random.Random, s: float) -> None:
        eid = ev["event_id"]
        self._active[eid] = ev
        self._pos[eid] = len(self._active_ids)
        self._active_ids.append(eid)
        self._schedule(rng, ev, s)

    def _finish(self, eid: str) -> None:
        del self._active[eid]
        ids, pos = self._active_ids, self._pos
        i = pos.pop(eid)
        last = ids.pop()
        if last != eid:               # move the last id into the hole
            ids[i] = last
            pos[last] = i
        self._closed.append(eid)

    def _step_due(self, rng: random.Random, s: float, t_text: str, events: list) -> None:
        due = self._due
        while due and due[0][0] <= s:
            _, _, eid = heapq.heappop(due)
            ev = self._active.get(eid)
            if ev is None:
                continue
            new = self._advance(rng, ev, t_text)
            events.append(SimEvent(TOPIC, eid, new))
            if new["status"] in ("resolved", "false_positive"):
                self._finish(eid)
            else:
                self._active[eid] = new
                self._schedule(rng, new, s)

    # -- Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        self._start = now
        self._counter = 0
        self._active, self._active_ids, self._pos, self._due = {}, [], {}, []
        self._closed = deque()
        self._campaign = [self._outside_ip(rng) for _ in range(30)]
        events: list[SimEvent] = []
        # the last six hours, oldest first, each brought to where its clock says
        ages = sorted((6 * 3600 * rng.random() for _ in range(self.initial)), reverse=True)
        for age in ages:
            t = now - timedelta(seconds=age)
            ev = self._new_event(rng, rfc3339_local(t))
            s = -age
            while True:
                lo, hi = (STEP_S[ev["severity"]][0] if ev["status"] == "new" else
                          STEP_S[ev["severity"]][1] if ev["status"] == "investigating" else RESOLVE_S)
                s += rng.uniform(lo, hi)
                if s > 0.0:
                    break
                ev = self._advance(rng, ev, rfc3339_local(now + timedelta(seconds=s)))
                if ev["status"] in ("resolved", "false_positive"):
                    break
            if ev["status"] in ("resolved", "false_positive"):
                self._closed.append(ev["event_id"])
            else:
                self._active[ev["event_id"]] = ev
                self._pos[ev["event_id"]] = len(self._active_ids)
                self._active_ids.append(ev["event_id"])
                heapq.heappush(self._due, (s, self._counter, ev["event_id"]))
            events.append(SimEvent(TOPIC, ev["event_id"], ev))
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        s = (now - self._start).total_seconds()
        n = events_for_budget(rng, budget, self.trickle)
        if n == 0 and not (self._due and self._due[0][0] <= s):
            return []
        t_text = rfc3339_local(now)
        events: list[SimEvent] = []
        self._step_due(rng, s, t_text, events)     # status steps when due, whatever the budget
        append = events.append
        rnd = rng.random
        active, ids, closed = self._active, self._active_ids, self._closed
        for _ in range(n):
            if len(closed) > self.keep_closed:
                append(SimEvent(TOPIC, closed.popleft(), None, op="delete"))
            elif not ids or (len(ids) < self.max_active and rnd() < self.new_share):
                ev = self._new_event(rng, t_text)
                self._add(ev, rng, s)
                append(SimEvent(TOPIC, ev["event_id"], ev))
            else:
                eid = ids[int(rnd() * len(ids))]
                ev = dict(active[eid])        # seen again: count and last_seen go up
                ev["count"] += 1 + int(rnd() * 3)
                ev["last_seen"] = t_text
                active[eid] = ev
                append(SimEvent(TOPIC, eid, ev))
        return events
