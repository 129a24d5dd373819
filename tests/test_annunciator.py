"""The annunciator: which tone sounds and when (headless, fixed epoch times), the tones
in resources/sounds, and the Qt player without an audio device."""
from __future__ import annotations

import importlib
import logging
import subprocess
import sys
import textwrap
import wave
from pathlib import Path

import pytest

from ioc_desktop.alarms import AlarmEngine, AlarmRule, Condition, alarm_id_for
from ioc_desktop.alarms.annunciator import (
    BREAKTHROUGH, NEW, REPEAT, REPEAT_S, SILENCE_EXPIRED, TONES, Annunciator)

REPO = Path(__file__).resolve().parents[1]
SOUNDS = REPO / "resources" / "sounds"
T0 = 1_700_000_000.0          # fixed epoch: nothing here depends on today's date


def levels(rule_id: str):
    """A rule over ``{rule_id: {key: priority}}``: each key with a priority is active,
    at that priority (0 or None: normal)."""
    def condition(model, ctx):
        for key, priority in model.get(rule_id, {}).items():
            if priority:
                yield Condition(key, f"{key} at P{priority}", priority, priority)
    return condition


class Rig:
    """An engine with a few rules, its model, and an annunciator fed from it."""

    def __init__(self, **annunciator_kw):
        self.engine = AlarmEngine()
        self.engine.add_rules("test", [
            AlarmRule("lvl", 3, levels("lvl")),
            AlarmRule("latch", 2, levels("latch"), latching=True),
            AlarmRule("river", 2, levels("river"), suppresses=("flood",)),
            AlarmRule("flood", 1, levels("flood")),
        ])
        self.model: dict[str, dict[str, int]] = {}
        self.ann = Annunciator(**annunciator_kw)

    def set(self, at: float, rule: str = "lvl", **keys: int) -> list[tuple[int, str]]:
        """Change the model, evaluate, feed the annunciator: the cues as (priority, reason)."""
        self.model.setdefault(rule, {}).update(keys)
        self.engine.evaluate("test", self.model, at)
        return self.feed(at)

    def feed(self, at: float) -> list[tuple[int, str]]:
        return [(c.priority, c.reason) for c in self.ann.update(self.engine.alarms(), at)]

    def tick(self, at: float) -> list[tuple[int, str]]:
        return [(c.priority, c.reason) for c in self.ann.tick(at)]

    def ack(self, key: str, at: float, rule: str = "lvl") -> list[tuple[int, str]]:
        self.engine.acknowledge(alarm_id_for(rule, key), user="op1", now=at)
        return self.feed(at)

    def ticks(self, start: float, stop: float, step: float = 0.5) -> list[tuple[float, int, str]]:
        """Tick every ``step`` s in [start, stop): the cues with their times."""
        out, t = [], start
        while t < stop:
            out += [(t - T0, p, r) for p, r in self.tick(t)]
            t += step
        return out


# ------------------------------------------------------------------ sounding and repeating
def test_an_unacknowledged_alarm_sounds_its_priority_tone():
    rig = Rig()
    cues = rig.ann.update([], T0)
    assert cues == [] and rig.ann.state().sounding is None and rig.ann.next_due(T0) is None
    rig.model["lvl"] = {"a": 2}
    rig.engine.evaluate("test", rig.model, T0)
    [cue] = rig.ann.update(rig.engine.alarms(), T0)
    assert (cue.priority, cue.tone, cue.reason, cue.at) == (2, TONES[2], NEW, T0)
    assert cue.alarm_ids == ("lvl/a",)
    state = rig.ann.state()
    assert (state.sounding, state.tone, state.calling[2], state.muted) == (2, "alarm_p2", 1, ())
    assert state.next_due == T0 + REPEAT_S[2]
    assert rig.feed(T0 + 1) == []                  # the same alarm again: not new


@pytest.mark.parametrize("priority,interval", [(1, 5.0), (2, 10.0), (3, 30.0)])
def test_the_tone_repeats_at_its_priority_interval(priority, interval):
    rig = Rig()
    assert rig.set(T0, a=priority) == [(priority, NEW)]
    assert rig.ann.next_due(T0) == T0 + interval
    heard = rig.ticks(T0 + 0.5, T0 + 3 * interval + 0.1)
    assert heard == [(interval * n, priority, REPEAT) for n in (1, 2, 3)]


def test_priority_4_sounds_once_per_new_alarm():
    rig = Rig()
    assert rig.set(T0, a=4) == [(4, NEW)]
    assert rig.ann.next_due(T0 + 1) is None
    assert rig.ticks(T0 + 1, T0 + 600, step=5) == []
    assert rig.set(T0 + 600, b=4) == [(4, NEW)]     # another alarm: heard once too
    assert rig.ticks(T0 + 601, T0 + 900, step=5) == []


def test_acknowledging_stops_the_tone():
    rig = Rig()
    rig.set(T0, a=1)
    assert rig.tick(T0 + 5) == [(1, REPEAT)]
    assert rig.ack("a", T0 + 7) == []
    assert rig.ann.state().sounding is None and rig.ann.next_due(T0 + 7) is None
    assert rig.ticks(T0 + 7, T0 + 60) == []
    assert rig.engine.get("lvl/a").state == "acknowledged"   # still active, but heard


def test_the_highest_priority_wins_and_lower_ones_sound_after_it_is_acknowledged():
    rig = Rig()
    assert rig.set(T0, low=3) == [(3, NEW)]
    assert rig.set(T0 + 1, high=1) == [(1, NEW)]
    # one tone at a time: only priority 1 repeats, the priority-3 repeat is held back
    assert rig.ticks(T0 + 1.5, T0 + 40) == [(6.0, 1, REPEAT), (11.0, 1, REPEAT),
                                              (16.0, 1, REPEAT), (21.0, 1, REPEAT),
                                              (26.0, 1, REPEAT), (31.0, 1, REPEAT),
                                              (36.0, 1, REPEAT)]
    assert rig.set(T0 + 38, mid=2) == []           # lower than what sounds: waits
    assert rig.ann.state().calling == {1: 1, 2: 1, 3: 1, 4: 0}
    assert rig.ack("high", T0 + 40) == [(2, NEW)]  # never heard: at once
    assert rig.ack("mid", T0 + 41) == [(3, REPEAT)]   # heard at T0, its 30 s are over
    assert rig.ann.state().sounding == 3


def test_a_new_alarm_of_the_sounding_priority_is_heard_at_once_but_not_machine_gunned():
    rig = Rig()
    assert rig.set(T0, a=2) == [(2, NEW)]
    assert rig.set(T0 + 1, b=2) == []              # within the 2 s gap
    assert rig.ann.next_due(T0 + 1) == T0 + 2
    assert rig.tick(T0 + 2) == [(2, NEW)]
    assert rig.set(T0 + 5, c=2) == [(2, NEW)]      # restarts the repeat interval
    assert rig.ticks(T0 + 5.5, T0 + 16) == [(15.0, 2, REPEAT)]


def test_returned_to_normal_unacknowledged_is_listed_but_silent_by_default():
    rig = Rig()
    rig.set(T0, a=2)
    assert rig.set(T0 + 3, a=0) == []
    alarm = rig.engine.get("lvl/a")
    assert alarm.state == "rtn_unacknowledged" and alarm.unacknowledged
    assert rig.ann.state().sounding is None and rig.ticks(T0 + 3, T0 + 60) == []
    loud = Rig(sound_returned=True)                # the other policy, if a site wants it
    loud.set(T0, a=2)
    loud.set(T0 + 3, a=0)
    assert loud.ticks(T0 + 3, T0 + 21) == [(10.0, 2, REPEAT), (20.0, 2, REPEAT)]


def test_a_latched_unacknowledged_alarm_sounds_until_acknowledged():
    rig = Rig()
    assert rig.set(T0, "latch", x=2) == [(2, NEW)]
    rig.set(T0 + 2, "latch", x=0)                 # the transient is gone, latched
    assert rig.engine.get("latch/x").state == "latched"
    assert rig.ticks(T0 + 2, T0 + 21) == [(10.0, 2, REPEAT), (20.0, 2, REPEAT)]
    assert rig.ack("x", T0 + 22, rule="latch") == []
    assert rig.engine.get("latch/x").state == "normal"
    assert rig.ticks(T0 + 22, T0 + 60) == []


# ------------------------------------------------------------------ silence
def test_silence_mutes_without_acknowledging():
    rig = Rig()
    rig.set(T0, a=2)
    silence = rig.ann.silence(now=T0 + 1, user="op1")     # default: 3 minutes
    assert (silence.priority, silence.at, silence.until, silence.user) == (2, T0 + 1, T0 + 181, "op1")
    assert silence.muted == (2, 3, 4)
    assert rig.ticks(T0 + 1, T0 + 180.9, step=1) == []
    assert rig.set(T0 + 30, b=2) == [] and rig.set(T0 + 31, c=3) == []   # muted priorities
    state = rig.ann.state()
    assert state.silenced_until == T0 + 181 and state.muted == (2, 3, 4) and state.held_back
    assert state.sounding is None
    assert rig.engine.get("lvl/a").state == "unacknowledged"   # silence is not acknowledge


def test_the_tone_sounds_again_when_the_silence_expires_while_unacknowledged():
    rig = Rig()
    rig.set(T0, a=2)
    rig.ann.silence(3, now=T0 + 4, user="op1")
    assert rig.ann.next_due(T0 + 4) == T0 + 184           # the player's timer wakes then
    assert rig.ticks(T0 + 4, T0 + 184, step=1) == []
    assert rig.engine.get("lvl/a").unacknowledged          # nobody acknowledged it
    assert rig.tick(T0 + 184) == [(2, SILENCE_EXPIRED)]
    assert rig.ann.silenced_until is None and rig.ann.state().sounding == 2
    assert rig.ticks(T0 + 184.5, T0 + 205) == [(194.0, 2, REPEAT), (204.0, 2, REPEAT)]


def test_a_priority_4_alarm_sounds_again_after_its_silence_too():
    rig = Rig()
    rig.set(T0, a=4)
    rig.ann.silence(1, now=T0 + 2, user="op1")
    assert rig.ann.next_due(T0 + 2) == T0 + 62
    assert rig.tick(T0 + 62) == [(4, SILENCE_EXPIRED)]
    assert rig.ticks(T0 + 63, T0 + 300, step=5) == []


def test_a_silence_ends_early_once_nothing_it_muted_waits():
    rig = Rig()
    rig.set(T0, a=2)
    rig.ann.silence(5, now=T0 + 1, user="op1")
    assert rig.ack("a", T0 + 10) == []
    assert rig.ann.silenced_until is None                   # nothing left to silence
    assert rig.set(T0 + 20, b=3) == [(3, NEW)]             # the next alarm is heard


def test_a_higher_priority_new_alarm_breaks_through_a_silence():
    rig = Rig()
    rig.set(T0, a=2)
    rig.ann.silence(3, now=T0 + 1, user="op1")
    assert rig.set(T0 + 10, b=2) == []                     # as high as the silenced: muted
    assert rig.set(T0 + 20, c=1) == [(1, BREAKTHROUGH)]
    assert rig.ticks(T0 + 20.5, T0 + 31) == [(25.0, 1, REPEAT), (30.0, 1, REPEAT)]
    state = rig.ann.state()
    assert (state.sounding, state.silenced_until, state.muted) == (1, T0 + 181, (2, 3, 4))
    assert rig.ack("c", T0 + 32) == []                     # the silence still holds for 2
    assert rig.ticks(T0 + 32, T0 + 180.5) == []
    assert rig.tick(T0 + 181) == [(2, SILENCE_EXPIRED)]


def test_an_alarm_escalated_during_a_silence_breaks_through():
    rig = Rig()
    rig.set(T0, a=2, b=2)
    rig.ann.silence(3, now=T0 + 1, user="op1")
    assert rig.set(T0 + 30, a=1) == [(1, BREAKTHROUGH)]   # the river rose past BĐ3
    assert rig.ann.silenced_until == T0 + 181             # still holds for b
    alone = Rig()
    alone.set(T0, a=2)
    alone.ann.silence(3, now=T0 + 1, user="op1")
    assert alone.set(T0 + 30, a=1) == [(1, NEW)]          # heard at once as well; and
    assert alone.ann.silenced_until is None               # nothing the silence muted waits


def test_silencing_again_extends_and_keeps_the_wider_silence():
    rig = Rig()
    rig.set(T0, a=2)
    rig.ann.silence(1, now=T0 + 1, user="op1")
    rig.set(T0 + 10, b=1)                                  # breaks through
    again = rig.ann.silence(2, now=T0 + 20, user="op2")
    assert (again.priority, again.until, again.user) == (1, T0 + 140, "op2")
    assert rig.ticks(T0 + 20, T0 + 139.5, step=1) == []
    assert rig.tick(T0 + 140) == [(1, SILENCE_EXPIRED)]


def test_silence_durations_and_silencing_nothing():
    rig = Rig()
    assert rig.ann.silence(3, now=T0, user="op1") is None  # nothing sounds: nothing to mute
    assert rig.ann.silenced_until is None
    rig.set(T0, a=3)
    for minutes in (0, 4, 60, -1):
        with pytest.raises(ValueError):
            rig.ann.silence(minutes, now=T0 + 1, user="op1")
    assert [rig.ann.silence(m, now=T0 + 1, user="op1").until - (T0 + 1)
            for m in rig.ann.silence_minutes] == [60.0, 120.0, 180.0, 300.0]


def test_a_silence_is_journaled_by_the_engine_and_can_be_taken_back():
    rig = Rig()
    rig.set(T0, a=2)
    silence = rig.ann.silence(3, now=T0 + 1, user="op1", reason="on the phone")
    [t] = rig.engine.silence(**silence.engine_args())
    assert (t.event, t.priority, t.until, t.user, t.at, t.reason) == (
        "silence", 2, T0 + 181, "op1", T0 + 1, "on the phone")
    assert rig.engine.get("lvl/a").state == "unacknowledged"
    restarted = Annunciator()                             # e.g. after a restart
    assert restarted.apply_silence(t, T0 + 50)
    assert [c.reason for c in restarted.update(rig.engine.alarms(), T0 + 50)] == []
    assert [c.reason for c in restarted.tick(T0 + 181)] == [SILENCE_EXPIRED]
    assert not Annunciator().apply_silence(t, T0 + 500)  # already over: ignored


# ------------------------------------------------------------------ overlays never sound
def test_a_shelved_alarm_does_not_sound_until_its_shelve_expires():
    rig = Rig()
    rig.set(T0, a=1)
    rig.engine.shelve("lvl/a", until=T0 + 600, reason="sensor work", user="op1", now=T0 + 1)
    assert rig.feed(T0 + 1) == [] and rig.ann.state().sounding is None
    assert rig.ticks(T0 + 1, T0 + 60) == []
    rig.engine.tick(T0 + 600)                              # expiry: unacknowledged again
    assert rig.feed(T0 + 600) == [(1, NEW)]


def test_an_out_of_service_alarm_does_not_sound():
    rig = Rig()
    rig.set(T0, a=2)
    rig.engine.remove_from_service("lvl/a", reason="gauge replaced", user="sup", now=T0 + 1)
    assert rig.feed(T0 + 1) == [] and rig.ticks(T0 + 1, T0 + 60) == []
    assert rig.set(T0 + 70, a=1) == []                    # even escalated
    rig.engine.return_to_service("lvl/a", user="sup", now=T0 + 80)
    assert rig.feed(T0 + 80) == [(1, NEW)]


def test_an_alarm_suppressed_by_design_does_not_sound():
    rig = Rig()
    assert rig.set(T0, "river", kim_long=2) == [(2, NEW)]
    assert rig.set(T0 + 1, "flood", street=1) == []       # grouped under the river's alarm
    assert rig.engine.get("flood/street").state == "suppressed"
    assert rig.ann.state().sounding == 2 and rig.ann.state().calling[1] == 0
    assert rig.ticks(T0 + 1, T0 + 12) == [(10.0, 2, REPEAT)]
    assert rig.set(T0 + 12, "river", kim_long=0) == [(1, NEW)]   # released: heard now


def test_the_annunciator_imports_no_qt():
    script = textwrap.dedent("""
        import sys
        class Blocker:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] == "PySide6":
                    raise ImportError(f"blocked for this test: {name}")
        sys.meta_path.insert(0, Blocker())
        import ioc_desktop.alarms.annunciator
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-2000:]


# ------------------------------------------------------------------ the tones
def test_each_tone_is_a_short_16bit_mono_22050_hz_wav():
    make_tones = importlib.import_module("resources.sounds.make_tones")
    assert sorted(p.name for p in SOUNDS.glob("*.wav")) == sorted(f"{t}.wav" for t in TONES.values())
    total = 0
    for priority, tone in TONES.items():
        path = SOUNDS / f"{tone}.wav"
        with wave.open(str(path), "rb") as w:
            assert (w.getnchannels(), w.getsampwidth(), w.getframerate(), w.getcomptype()) == (
                1, 2, 22050, "NONE")
            seconds = w.getnframes() / w.getframerate()
            frames = w.readframes(w.getnframes())
        assert 0.1 < seconds < 0.5, (tone, seconds)
        assert max(abs(int.from_bytes(frames[i:i + 2], "little", signed=True))
                   for i in range(0, len(frames), 2)) > 8000        # audible, not silence
        total += path.stat().st_size
        assert make_tones.TONES[priority].name == tone
    assert total < 64_000
    # priority 1 the most urgent: higher pitch and more pulses as the priority rises
    spec = [make_tones.TONES[p] for p in (1, 2, 3, 4)]
    assert [t.freq for t in spec] == sorted((t.freq for t in spec), reverse=True)
    assert [t.pulses for t in spec] == [4, 3, 2, 1]


def test_the_generator_reproduces_the_tones_byte_for_byte(tmp_path):
    make_tones = importlib.import_module("resources.sounds.make_tones")
    rendered = make_tones.render_all()
    assert set(rendered) == {p.name for p in SOUNDS.glob("*.wav")}
    for name, data in rendered.items():
        assert (SOUNDS / name).read_bytes() == data, f"{name}: run resources/sounds/make_tones.py"
    assert len(set(rendered.values())) == 4
    assert make_tones.main(["--check"]) == 0
    assert make_tones.main(["--out", str(tmp_path)]) == 0
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == rendered


# ------------------------------------------------------------------ the Qt player
class FakeEffect:
    def __init__(self, log, priority):
        self.log, self.priority = log, priority

    def play(self):
        self.log.append(("play", self.priority))

    def stop(self):
        self.log.append(("stop", self.priority))


def _alarms(rig: Rig, at: float, rule: str = "lvl", **keys: int):
    rig.model.setdefault(rule, {}).update(keys)
    rig.engine.evaluate("test", rig.model, at)
    return rig.engine.alarms()


def test_the_player_without_an_audio_device_keeps_deciding(qtbot, caplog):
    from widgets.annunciator_player import AnnunciatorPlayer

    clock = [T0]
    rig = Rig()
    with caplog.at_level(logging.WARNING, logger="widgets.annunciator_player"):
        player = AnnunciatorPlayer(clock=lambda: clock[0], volume=0.0)   # the real backend
        with qtbot.waitSignal(player.cued, timeout=1000) as blocker:
            cues = player.update_alarms(_alarms(rig, T0, a=1))
        assert [(c.priority, c.reason) for c in cues] == [(1, NEW)] == [
            (blocker.args[0].priority, blocker.args[0].reason)]
        assert player.timer.isActive() and player.timer.interval() == 5001   # just past due
        clock[0] = T0 + 5
        assert [c.reason for c in player.tick()] == [REPEAT]
        assert player.silence(3, user="op1").until == T0 + 185
        clock[0] = T0 + 185
        assert [c.reason for c in player.tick()] == [SILENCE_EXPIRED]
        player.update_alarms(rig.engine.summary())              # a Summary is fine too
        assert [c.reason for c in player.cues] == [NEW, REPEAT, SILENCE_EXPIRED]
        player.shutdown()
    if not player.audio_available:                # as here: no device, or no QtMultimedia
        assert player.audio_problem
        assert len([r for r in caplog.records if r.name == "widgets.annunciator_player"]) == 1


def test_the_player_plays_one_tone_at_a_time_and_a_silence_stops_it(qtbot, caplog, tmp_path):
    from widgets.annunciator_player import AnnunciatorPlayer

    clock, played = [T0], []
    rig = Rig()
    player = AnnunciatorPlayer(clock=lambda: clock[0],
                               effect_factory=lambda p, path, volume: FakeEffect(played, p))
    assert player.audio_available and player.audio_problem is None
    player.update_alarms(_alarms(rig, T0, a=3))
    assert played == [("stop", 1), ("stop", 2), ("stop", 4), ("play", 3)]
    played.clear()
    clock[0] = T0 + 1
    player.update_alarms(_alarms(rig, T0 + 1, b=1))
    assert played[-1] == ("play", 1) and ("stop", 3) in played
    played.clear()
    player.silence(1, user="op1")
    assert sorted(played) == [("stop", 1), ("stop", 2), ("stop", 3), ("stop", 4)]
    assert player.state().muted == (1, 2, 3, 4)

    # no WAVs: nothing to play, logged once per missing file, and decisions go on
    with caplog.at_level(logging.WARNING, logger="widgets.annunciator_player"):
        mute = AnnunciatorPlayer(clock=lambda: clock[0], sounds_dir=tmp_path,
                                 effect_factory=lambda p, path, volume: FakeEffect(played, p))
        for t in range(3):
            clock[0] = T0 + 10 * t
            mute.update_alarms(_alarms(rig, T0 + 10 * t))
    assert not mute.audio_available and [c.reason for c in mute.cues][:1] == [NEW]
    records = [r for r in caplog.records if r.name == "widgets.annunciator_player"]
    assert len(records) == 2                      # the missing files, then "no playable tone"
    assert "1, 2, 3, 4" in records[0].getMessage()


def test_the_players_timer_drives_the_repeats(qtbot):
    import time

    from widgets.annunciator_player import AnnunciatorPlayer

    fast = Annunciator(repeat_s={1: 0.15, 2: 10.0, 3: 30.0, 4: None})
    player = AnnunciatorPlayer(annunciator=fast, audio=False)
    assert not player.audio_available and player.audio_problem
    rig = Rig()
    rig.model["lvl"] = {"a": 1}
    rig.engine.evaluate("test", rig.model, time.time())
    player.update_alarms(rig.engine.alarms())
    qtbot.waitUntil(lambda: len(player.cues) >= 4, timeout=5000)   # no one calls tick()
    assert [c.reason for c in list(player.cues)[:4]] == [NEW, REPEAT, REPEAT, REPEAT]
    rig.engine.acknowledge("lvl/a", user="op1", now=time.time())
    player.update_alarms(rig.engine.alarms())
    assert not player.timer.isActive()
    player.shutdown()


def test_the_sound_indicator_says_what_the_control_room_hears(qtbot):
    """What the views show of the player (widgets.annunciator_player.sound_status):
    sounding, silenced until when (not acknowledged), unavailable and why, or off."""
    from widgets.annunciator_player import AnnunciatorPlayer, sound_status
    from widgets.feed_status import clock_text

    clock, played = [T0], []
    rig = Rig()
    player = AnnunciatorPlayer(clock=lambda: clock[0],
                               effect_factory=lambda p, path, volume: FakeEffect(played, p))
    assert sound_status(player, T0)[0] == "Sound on" and not sound_status(player, T0)[3]
    player.update_alarms(_alarms(rig, T0, a=2))
    text, tip, _color, can_silence = sound_status(player, T0)
    assert text == "Sounding: priority 2" and can_silence and tip == ""
    player.silence(3, user="op1")
    text, tip, _color, can_silence = sound_status(player, T0)
    assert text == f"Silenced until {clock_text(T0 + 180, T0)}" and can_silence
    assert "priority 2 and lower are muted; the alarms stay unacknowledged" in tip and "op1" in tip
    assert rig.engine.get("lvl/a").state == "unacknowledged"
    player.shutdown()

    off = AnnunciatorPlayer(clock=lambda: clock[0], audio=False)
    assert sound_status(off, T0)[0] == "Sound off"
    broken = AnnunciatorPlayer(clock=lambda: clock[0], sounds_dir=SOUNDS / "nowhere")
    text, tip, _color, _can = sound_status(broken, T0)
    assert text == "Sound unavailable" and broken.audio_problem in tip
