"""Demo source of Huế's urban cameras: status, snapshots and analytic detections.

Twenty-two cameras at real places of the city (positions ≈, map readings: Trường Tiền
bridge, Đông Ba market, the Citadel gates, Thuận An beach, Kim Long, the Phú Hội walking
street, An Cựu, the Hương river banks, Vỹ Dạ, the Phú Bài airport road…).

* **Outages**: now and then (about every :attr:`CamerasSimulator.outage_every_s`) a
  camera goes offline for 40 s–5 min (at most :attr:`max_offline` at once) and comes back.
* **Detections** (one at a time per camera, ``{kind, confidence, time}``):
  ``crowd`` at markets, gates, the walking street and the beach (1–5 min);
  ``traffic_violation`` at junctions and bridges (20–60 s);
  ``flooded_street`` at low-lying and riverside cameras, driven by the shared
  :class:`~demo_backend.scenario.FloodScenario`: likely and confident (0.70–0.97)
  once Kim Long is above BĐ2 (2.0 m), lasting until the river falls again; rare and
  doubtful (0.45–0.75, a passing downpour) otherwise.  A flood replaces a crowd or a
  traffic violation on the same camera.
* **Snapshots**: ``snapshot_url`` is ``/media/cameras/<id>.png?v=<n>``; ``n`` rises when
  the picture changes (a new frame every :attr:`frame_every_s` or so while online, and
  whenever the detection changes), so a client refetches only then.  :meth:`media`
  draws the frame (:mod:`.frames`): the street, water over the road for a flood, dots
  of people for a crowd, a red box for a traffic violation, rain during the storm, the
  caption band.  Offline cameras keep their last picture.

Rates: a status change (online/offline, detection start/end) is reported at once; on
top of that each tick emits ``budget`` status reports round-robin over the cameras (the
camera's current payload, shared, not copied: a few µs per event).  At budget 0 one
report with probability :attr:`trickle`.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from demo_backend.scenario import DEFAULT_SEED, VN_TZ, FloodScenario, events_for_budget, round_robin, rfc3339_local
from ioc_desktop.plugin_api import SimEvent, Simulator

from . import frames
from .schema import CROWD, FLOODED_STREET, TOPIC, TRAFFIC_VIOLATION

C, T, F = CROWD, TRAFFIC_VIOLATION, FLOODED_STREET


@dataclass(frozen=True)
class CameraSite:
    camera_id: str
    name: str
    lat: float
    lon: float
    scene: str
    kinds: tuple[str, ...]      # crowd / traffic_violation it may see
    flood: int                  # 0 never floods, 1 low-lying, 2 floods first (riverside, Đông Ba)


#: Demo cameras (positions ≈ ±100 m, map readings).
SITES: tuple[CameraSite, ...] = (
    CameraSite("CAM-01", "Cầu Trường Tiền – đầu cầu Lê Lợi", 16.4686, 107.5935, frames.RIVERSIDE, (C, T), 1),
    CameraSite("CAM-02", "Chợ Đông Ba – Trần Hưng Đạo", 16.4733, 107.5882, frames.STREET, (C, T), 2),
    CameraSite("CAM-03", "Ngọ Môn – Quảng trường Đại Nội", 16.4679, 107.5787, frames.GATE, (C,), 1),
    CameraSite("CAM-04", "Cửa Thượng Tứ – Đinh Tiên Hoàng", 16.4722, 107.5860, frames.GATE, (T, C), 2),
    CameraSite("CAM-05", "Cửa Hiển Nhơn – Đại Nội", 16.4703, 107.5812, frames.GATE, (C,), 1),
    CameraSite("CAM-06", "Bãi biển Thuận An", 16.5720, 107.6290, frames.BEACH, (C,), 0),
    CameraSite("CAM-07", "Kim Long – chợ Kim Long", 16.4660, 107.5560, frames.STREET, (T,), 2),
    CameraSite("CAM-08", "Chùa Thiên Mụ – cổng chính", 16.4532, 107.5447, frames.GATE, (C,), 0),
    CameraSite("CAM-09", "Phố đi bộ Phạm Ngũ Lão – Chu Văn An", 16.4690, 107.5975, frames.STREET, (C,), 1),
    CameraSite("CAM-10", "Ngã sáu Lê Lợi – Hùng Vương – Hà Nội", 16.4636, 107.5960, frames.STREET, (T,), 1),
    CameraSite("CAM-11", "Công viên Thương Bạc – bờ Bắc sông Hương", 16.4707, 107.5918, frames.RIVERSIDE, (C,), 2),
    CameraSite("CAM-12", "Bến Tòa Khâm – Lê Lợi, bờ Nam sông Hương", 16.4672, 107.5965, frames.RIVERSIDE, (C,), 1),
    CameraSite("CAM-13", "Cầu Phú Xuân – đầu cầu Nguyễn Huệ", 16.4617, 107.5852, frames.RIVERSIDE, (T,), 1),
    CameraSite("CAM-14", "Cầu Gia Hội – Chi Lăng", 16.4745, 107.5930, frames.RIVERSIDE, (T,), 1),
    CameraSite("CAM-15", "Vỹ Dạ – Nguyễn Sinh Cung", 16.4740, 107.6080, frames.RIVERSIDE, (T,), 2),
    CameraSite("CAM-16", "Chợ An Cựu – Hùng Vương", 16.4545, 107.5995, frames.STREET, (C, T), 1),
    CameraSite("CAM-17", "Ngã tư Hùng Vương – Bà Triệu", 16.4605, 107.6035, frames.STREET, (T,), 0),
    CameraSite("CAM-18", "Ga Huế – Bùi Thị Xuân", 16.4565, 107.5778, frames.STREET, (C, T), 0),
    CameraSite("CAM-19", "Chợ Bến Ngự – Phan Bội Châu", 16.4585, 107.5880, frames.STREET, (C,), 1),
    CameraSite("CAM-20", "Bến xe phía Nam – An Dương Vương", 16.4478, 107.6115, frames.STREET, (T, C), 0),
    CameraSite("CAM-21", "Đường sân bay Phú Bài – QL1A", 16.4055, 107.6960, frames.STREET, (T,), 0),
    CameraSite("CAM-22", "Cổng sân bay Phú Bài", 16.4005, 107.7025, frames.STREET, (T, C), 0),
)

#: Kim Long levels (m) of the flood rules: BĐ1 and BĐ2.
BD1, BD2 = 1.0, 2.0


class _Camera:
    __slots__ = ("site", "index", "online", "down_until", "det", "det_until", "flood_at", "flood_end",
                 "version", "next_frame", "frame_s", "frame_time", "payload", "caption")

    def __init__(self, site: CameraSite, index: int):
        self.site, self.index = site, index
        self.online = True
        self.down_until = 0.0
        self.det: dict | None = None
        self.det_until = 0.0
        self.flood_at = 99.0          # Kim Long level (m) at which this street floods
        self.flood_end = 0.0          # Kim Long level under which a flood detection ends
        self.version = 1
        self.next_frame = 0.0
        self.frame_s = 0.0
        self.frame_time: datetime | None = None
        self.payload: dict = {}
        self.caption = frames.ascii_caption(f"{site.camera_id} {site.name}")


class CamerasSimulator(Simulator):
    """Camera status, snapshots and detections for the demo backend (module docstring)."""

    trickle = 0.5
    #: Mean simulated seconds between two camera outages (the whole network).
    outage_every_s = 90.0
    max_offline = 3
    #: Mean simulated seconds between two crowd / traffic-violation detections.
    crowd_every_s = 100.0
    traffic_every_s = 45.0
    #: A new picture about this often (simulated seconds) while a camera is online.
    frame_every_s = 20.0

    def __init__(self, scenario: FloodScenario | None = None, scenario_seed: int = DEFAULT_SEED,
                 sites: tuple[CameraSite, ...] = SITES):
        self.scenario = scenario
        self.scenario_seed = scenario_seed
        self.sites = sites
        self._cams: list[_Camera] = []
        self._by_file: dict[str, _Camera] = {}
        self._frames: dict[str, tuple[int, bytes]] = {}    # camera id -> (version, png)
        self._pos = 0
        self._last_s = 0.0
        self._flood_weight = 0
        self._start: datetime | None = None

    # ------------------------------------------------------------------ state
    def _seconds(self, now: datetime) -> float:
        return (now - self._start).total_seconds()

    def _refresh(self, cam: _Camera) -> None:
        """Rebuild the camera's payload (a new dict: events already sent keep theirs)."""
        site = cam.site
        cam.payload = {
            "camera_id": site.camera_id, "name": site.name, "lat": site.lat, "long": site.lon,
            "online": cam.online,
            "snapshot_url": f"/media/{TOPIC}/{site.camera_id}.png?v={cam.version}",
            "detection": cam.det,
        }

    def _new_frame(self, cam: _Camera, s: float, now: datetime, rng: random.Random) -> None:
        cam.version += 1
        cam.frame_s, cam.frame_time = s, now
        cam.next_frame = s + self.frame_every_s * (0.75 + 0.5 * rng.random())

    def _detect(self, cam: _Camera, kind: str, confidence: float, s: float, now: datetime,
                until: float, rng: random.Random) -> None:
        cam.det = {"kind": kind, "confidence": round(confidence, 2), "time": rfc3339_local(now)}
        cam.det_until = until
        self._new_frame(cam, s, now, rng)

    def _clear(self, cam: _Camera, s: float, now: datetime, rng: random.Random) -> None:
        if cam.det is not None and cam.det["kind"] == FLOODED_STREET:
            self._flood_level(cam, rng)      # the next wave floods it at another level
        cam.det = None
        cam.det_until = 0.0
        self._new_frame(cam, s, now, rng)

    @staticmethod
    def _flood_level(cam: _Camera, rng: random.Random) -> None:
        if cam.site.flood >= 2:
            cam.flood_at = rng.uniform(BD2, 2.8)
        elif cam.site.flood == 1:
            cam.flood_at = rng.uniform(3.0, 4.5)

    def _pick(self, rng: random.Random, ok) -> _Camera | None:
        """A random camera satisfying ``ok`` (uniform, deterministic), or None."""
        choices = [c for c in self._cams if ok(c)]
        return choices[rng.randrange(len(choices))] if choices else None

    # ------------------------------------------------------------------ Simulator API
    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:
        if self.scenario is None:
            self.scenario = FloodScenario.shared(self.scenario_seed, now)
        self._start = now
        self._last_s = 0.0
        self._pos = 0
        self._frames = {}
        self._cams = [_Camera(site, i) for i, site in enumerate(self.sites)]
        self._by_file = {f"{c.site.camera_id}.png": c for c in self._cams}
        self._flood_weight = sum(site.flood for site in self.sites)
        for cam in self._cams:
            cam.frame_s, cam.frame_time = 0.0, now
            cam.next_frame = self.frame_every_s * rng.random()
            self._flood_level(cam, rng)
        # a flood already under way (the scenario may have started before us)
        level = self.scenario.level_at("kim_long", self.scenario.seconds(now))
        for cam in self._cams:
            if cam.site.flood and level >= cam.flood_at:
                self._detect(cam, FLOODED_STREET, rng.uniform(0.70, 0.97), 0.0, now, 60.0, rng)
                cam.flood_end = cam.flood_at - rng.uniform(0.3, 0.7)
        # something to look at from the first second: one camera down, a crowd, a violation
        if self._cams:
            down = self._cams[rng.randrange(len(self._cams))]
            down.online, down.down_until = False, rng.uniform(30.0, 180.0)
            down.det = None
            for kind, (lo, hi) in ((CROWD, (60.0, 240.0)), (TRAFFIC_VIOLATION, (20.0, 60.0))):
                cam = self._pick(rng, lambda c, k=kind: c.online and c.det is None and k in c.site.kinds)
                if cam is not None:
                    self._detect(cam, kind, rng.uniform(0.6, 0.95), 0.0, now, rng.uniform(lo, hi), rng)
        events = []
        for cam in self._cams:
            self._refresh(cam)
            events.append(SimEvent(TOPIC, cam.site.camera_id, cam.payload))
        return events

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:
        s = self._seconds(now)
        dt, self._last_s = s - self._last_s, s
        changed: list[_Camera] = []
        if dt > 0.0:
            self._changes(rng, now, s, dt, changed)
        events = [SimEvent(TOPIC, cam.site.camera_id, cam.payload) for cam in changed]
        more, self._pos = round_robin(self._cams, self._pos, events_for_budget(rng, budget, self.trickle),
                                      lambda cam: SimEvent(TOPIC, cam.site.camera_id, cam.payload))
        return events + more

    def _changes(self, rng: random.Random, now: datetime, s: float, dt: float,
                 changed: list[_Camera]) -> None:
        """Advance timers and random happenings; ``changed`` gets the cameras with news."""
        level = self.scenario.level_at("kim_long", self.scenario.seconds(now))
        dirty: set[int] = set()     # payload to rebuild (news or a new picture)
        news: set[int] = set()      # worth an event now: status or detection changed
        # timers: outages ending, detections ending, new pictures
        for cam in self._cams:
            if not cam.online:
                if s >= cam.down_until:
                    cam.online = True
                    self._new_frame(cam, s, now, rng)
                    dirty.add(cam.index)
                    news.add(cam.index)
                continue
            det = cam.det
            if det is not None:
                if det["kind"] == FLOODED_STREET:
                    ended = s >= cam.det_until and (cam.flood_end <= 0.0 or level < cam.flood_end)
                else:
                    ended = s >= cam.det_until
                if ended:
                    self._clear(cam, s, now, rng)
                    dirty.add(cam.index)
                    news.add(cam.index)
                    continue
            if s >= cam.next_frame:
                self._new_frame(cam, s, now, rng)
                dirty.add(cam.index)        # goes out with the camera's next report
        # outages
        offline = sum(1 for c in self._cams if not c.online)
        if rng.random() < dt / self.outage_every_s and offline < self.max_offline:
            cam = self._pick(rng, lambda c: c.online)
            if cam is not None:
                cam.online = False
                cam.down_until = s + rng.uniform(40.0, 300.0)
                cam.det, cam.det_until = None, 0.0
                dirty.add(cam.index)
                news.add(cam.index)
        # crowds and traffic violations
        for kind, every, conf, dur in ((CROWD, self.crowd_every_s, (0.55, 0.95), (60.0, 300.0)),
                                       (TRAFFIC_VIOLATION, self.traffic_every_s, (0.6, 0.98), (20.0, 60.0))):
            if rng.random() < dt / every:
                cam = self._pick(rng, lambda c, k=kind: c.online and c.det is None and k in c.site.kinds)
                if cam is not None:
                    self._detect(cam, kind, rng.uniform(*conf), s, now, s + rng.uniform(*dur), rng)
                    cam.flood_end = 0.0
                    dirty.add(cam.index)
                    news.add(cam.index)
        # flooded streets: each low-lying camera floods once Kim Long passes its own level
        # (drawn per wave, from BĐ2 up), and dries when the river is well below it again;
        # below BĐ2 only a rare, doubtful downpour puddle
        for cam in self._cams:
            if cam.site.flood and cam.online and level >= cam.flood_at \
                    and (cam.det is None or cam.det["kind"] != FLOODED_STREET) \
                    and rng.random() < dt / 30.0:
                self._detect(cam, FLOODED_STREET, rng.uniform(0.70, 0.97), s, now, s + 60.0, rng)
                cam.flood_end = cam.flood_at - rng.uniform(0.3, 0.7)
                dirty.add(cam.index)
                news.add(cam.index)
        rate = 1.0 / 1500.0 if BD1 <= level < BD2 else 1.0 / 20000.0 if level < BD1 else 0.0
        if rate and rng.random() < dt * rate * self._flood_weight:
            cam = self._pick(rng, lambda c: c.site.flood and c.online and c.det is None)
            if cam is not None:
                self._detect(cam, FLOODED_STREET, rng.uniform(0.45, 0.69), s, now,
                             s + rng.uniform(30.0, 120.0), rng)
                cam.flood_end = 0.0
                dirty.add(cam.index)
                news.add(cam.index)
        for i in sorted(dirty):
            self._refresh(self._cams[i])
        changed.extend(self._cams[i] for i in sorted(news))

    # ------------------------------------------------------------------ media
    def media(self, name: str) -> tuple[str, bytes] | None:
        cam = self._by_file.get(name)
        if cam is None:
            return None
        cid = cam.site.camera_id
        cached = self._frames.get(cid)
        if cached is not None and cached[0] == cam.version:
            return "image/png", cached[1]
        png = frames.render(self.frame_state(cam))
        self._frames[cid] = (cam.version, png)
        return "image/png", png

    def frame_state(self, cam: _Camera) -> frames.FrameState:
        when = (cam.frame_time or self._start or datetime.now(VN_TZ)).astimezone(VN_TZ)
        rain = 0.0
        if self.scenario is not None and cam.frame_time is not None:
            rain = self.scenario.intensity_at(self.scenario.seconds(cam.frame_time), lead=60.0)
        det = cam.det
        return frames.FrameState(
            camera_id=cam.site.camera_id, caption=cam.caption, scene=cam.site.scene,
            layout_seed=1009 * (cam.index + 1), version=cam.version,
            clock=when.strftime("%d/%m/%Y %H:%M:%S"), hour=when.hour + when.minute / 60.0,
            rain=rain, detection=det["kind"] if det else None,
            confidence=det["confidence"] if det else 0.0)

    # tests / tools
    def camera(self, camera_id: str) -> _Camera | None:
        return self._by_file.get(f"{camera_id}.png")


__all__ = ["CamerasSimulator", "SITES", "CameraSite"]
