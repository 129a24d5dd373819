"""The annunciator's thin Qt side: a timer, and the tones played with QSoundEffect.

Every decision (what sounds, repeats, silence, break-through) is the Qt-free model's,
:class:`ioc_desktop.alarms.annunciator.Annunciator`; this object only

* feeds it the alarms (:meth:`AnnunciatorPlayer.update_alarms`, on the GUI thread, with
  the engine's alarm copies or a ``Summary``) and the wall clock,
* runs a single-shot QTimer to the model's ``next_due`` (repeats, a silence's end),
* plays each :class:`~ioc_desktop.alarms.annunciator.Cue` with
  ``PySide6.QtMultimedia.QSoundEffect`` (``resources/sounds/<tone>.wav``), one tone at a
  time: starting one stops the others, and a silence stops a muted tone at once,
* emits ``cued`` (every decision, played or not) and ``stateChanged`` for the GUI.

Without sound (QtMultimedia that cannot load, e.g. no libpulse; no audio output device; a
WAV missing or unplayable), it logs once and keeps deciding: ``cued`` and :meth:`state`
go on, ``audio_available`` is False and ``audio_problem`` says why.  Nothing here waits
on the audio system.  ``audio=False`` keeps QtMultimedia out altogether (a muted wall
screen), and ``effect_factory`` replaces QSoundEffect (tests).

Journaling a silence is the caller's: :meth:`silence` returns the model's ``Silence``,
whose ``engine_args()`` are the arguments of ``AlarmEngine.silence`` (on the engine's
thread).
"""
from __future__ import annotations

import collections
import importlib.resources
import logging
import time
from pathlib import Path
from typing import Any, Callable, Iterable

from PySide6 import QtCore

from ioc_desktop.alarms.annunciator import (
    DEFAULT_SILENCE_MINUTES, Annunciator, AnnunciatorState, Cue, Silence)
from ioc_desktop.alarms.engine import Alarm, Summary, Transition

log = logging.getLogger(__name__)

SOUND_OFF = "sound is turned off"     # audio_problem with audio=False (review mode)
MAX_WAIT_MS = 10_000        # look again at least this often (the wall clock may jump)
KEPT_CUES = 100


def default_sounds_dir() -> Path:
    return Path(str(importlib.resources.files("resources").joinpath("sounds")))


# effect_factory(priority, wav_path, volume) -> an object with play() and stop()
EffectFactory = Callable[[int, Path, float], Any]


def _failed(effect) -> bool:
    """A QSoundEffect in its Error status (another object: never)."""
    try:
        return effect.status() == type(effect).Status.Error
    except Exception:
        return False


class AnnunciatorPlayer(QtCore.QObject):
    cued = QtCore.Signal(object)              # Cue: decided now, whether or not it played
    stateChanged = QtCore.Signal(object)      # AnnunciatorState

    def __init__(self, parent: QtCore.QObject | None = None, *,
                 annunciator: Annunciator | None = None,
                 clock: Callable[[], float] = time.time,
                 sounds_dir: Path | None = None, volume: float = 1.0, audio: bool = True,
                 effect_factory: EffectFactory | None = None):
        super().__init__(parent)
        self.annunciator = annunciator or Annunciator()
        self._clock = clock
        self._sounds_dir = Path(sounds_dir) if sounds_dir is not None else default_sounds_dir()
        self._volume = min(1.0, max(0.0, float(volume)))
        self._effects: dict[int, Any] = {}
        self._logged: set[str] = set()
        self._devices = None                  # QMediaDevices, kept for its signal
        self.audio_problem: str | None = None
        self.cues: collections.deque[Cue] = collections.deque(maxlen=KEPT_CUES)
        self.timer = QtCore.QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setTimerType(QtCore.Qt.TimerType.PreciseTimer)   # coarse: ±5 %
        self.timer.timeout.connect(self.tick)
        if not audio:
            self.audio_problem = SOUND_OFF
        elif effect_factory is not None:
            self._make_effects(effect_factory)
        else:
            self._init_qt_audio()

    # ------------------------------------------------------------ the model's inputs
    @QtCore.Slot(object)
    def update_alarms(self, alarms: Iterable[Alarm] | Summary) -> list[Cue]:
        """The engine's alarms changed: decide, play, rearm the timer."""
        if not isinstance(alarms, Summary):
            alarms = list(alarms)
        return self._run(lambda now: self.annunciator.update(alarms, now))

    @QtCore.Slot()
    def tick(self) -> list[Cue]:
        return self._run(self.annunciator.tick)

    def silence(self, minutes: int = DEFAULT_SILENCE_MINUTES, *, user: str,
                reason: str | None = None) -> Silence | None:
        """Mute what sounds now for ``minutes`` (not an acknowledgement).  Returns the
        silence to journal (``engine.silence(**s.engine_args())``), or None if nothing
        sounded.  Raises ValueError for a duration not offered."""
        now = self._clock()
        result = self.annunciator.silence(minutes, now=now, user=user, reason=reason)
        self._after_silence(now)
        return result

    def apply_silence(self, transition: Transition) -> bool:
        """A journaled silence (restart, another console): see ``Annunciator``."""
        now = self._clock()
        applied = self.annunciator.apply_silence(transition, now)
        if applied:
            self._after_silence(now)
        return applied

    def state(self) -> AnnunciatorState:
        return self.annunciator.state()

    @property
    def audio_available(self) -> bool:
        return self.audio_problem is None and bool(self._effects)

    def shutdown(self) -> None:
        """Stop the timer and every tone (the window closes)."""
        self.timer.stop()
        self._stop_all()

    # ------------------------------------------------------------ running
    def _run(self, decide: Callable[[float], list[Cue]]) -> list[Cue]:
        now = self._clock()
        try:
            cues = decide(now)
        finally:
            self._schedule(now)
        for cue in cues:
            self.cues.append(cue)
            self._play(cue)
            self.cued.emit(cue)
        self.stateChanged.emit(self.annunciator.state())
        return cues

    def _after_silence(self, now: float) -> None:
        muted = self.annunciator.state().muted
        for priority in muted:
            self._stop(priority)
        self._schedule(now)
        self.stateChanged.emit(self.annunciator.state())

    def _schedule(self, now: float) -> None:
        due = self.annunciator.next_due(now)
        if due is None:
            self.timer.stop()
            return
        wait_ms = int(max(0.0, due - now) * 1000) + 1     # just past due, never early
        self.timer.start(min(wait_ms, MAX_WAIT_MS))

    # ------------------------------------------------------------ sound
    def _init_qt_audio(self) -> None:
        try:
            from PySide6 import QtMultimedia
        except ImportError as exc:            # e.g. libpulse.so.0 missing
            self._no_audio(f"QtMultimedia cannot be loaded ({exc})")
            return
        try:
            if self._devices is None:
                self._devices = QtMultimedia.QMediaDevices(self)
                self._devices.audioOutputsChanged.connect(self._outputs_changed)
            if not QtMultimedia.QMediaDevices.audioOutputs():
                self._no_audio("no audio output device")
                return
            sound_effect = QtMultimedia.QSoundEffect
        except Exception as exc:              # a broken multimedia backend
            self._no_audio(f"the audio backend failed ({exc!r})")
            return

        def qt_effect(priority: int, path: Path, volume: float):
            effect = sound_effect(self)
            effect.statusChanged.connect(self._check_effects)
            effect.setVolume(volume)
            effect.setSource(QtCore.QUrl.fromLocalFile(str(path)))   # loads asynchronously
            return effect
        self._make_effects(qt_effect)

    def _make_effects(self, factory: EffectFactory) -> None:
        missing = []
        for priority, tone in self.annunciator.tones.items():
            path = self._sounds_dir / f"{tone}.wav"
            if not path.is_file():
                missing.append(priority)
                continue
            try:
                self._effects[priority] = factory(priority, path, self._volume)
            except Exception:
                self._log_once(f"effect:{tone}", "annunciator: cannot load %s", path,
                               exc_info=True)
        self._check_effects()
        if missing:
            self._log_once("missing", "annunciator: no sound file in %s for priority %s; "
                           "those alarms will not be heard", self._sounds_dir,
                           ", ".join(map(str, missing)))
        if not self._effects and self.audio_problem is None:
            self._no_audio("no playable alarm tone")

    def _no_audio(self, why: str) -> None:
        self.audio_problem = why
        self._discard_all()
        self._log_once("no-audio", "annunciator: %s; alarm tones will not be heard "
                       "(decisions go on)", why)

    @QtCore.Slot()
    def _outputs_changed(self) -> None:
        """An audio device came or went: try again (nothing is logged twice)."""
        self._discard_all()
        self.audio_problem = None
        self._init_qt_audio()

    @QtCore.Slot()
    def _check_effects(self) -> None:
        """Drop the tones the audio device refused (a status may change while
        ``setSource`` runs, before the effect is registered: every effect is looked at)."""
        failed = [p for p, effect in self._effects.items() if _failed(effect)]
        for priority in failed:
            self._discard(priority)
        if not failed:
            return
        if not self._effects:
            self._no_audio("no alarm tone can be played on this audio device")
        else:
            self._log_once("status", "annunciator: the priority %s tone cannot be played "
                           "on this audio device; it will not be heard",
                           ", ".join(map(str, failed)))

    def _play(self, cue: Cue) -> None:
        effect = self._effects.get(cue.priority)
        if effect is None:
            return
        for priority in list(self._effects):
            if priority != cue.priority:
                self._stop(priority)
        try:
            effect.play()
        except Exception:
            self._log_once(f"play:{cue.priority}", "annunciator: playing %s failed",
                           cue.tone, exc_info=True)

    def _stop(self, priority: int) -> None:
        effect = self._effects.get(priority)
        if effect is None:
            return
        try:
            effect.stop()
        except Exception:
            self._log_once(f"stop:{priority}", "annunciator: stopping a tone failed",
                           exc_info=True)

    def _stop_all(self) -> None:
        for priority in list(self._effects):
            self._stop(priority)

    def _discard(self, priority: int) -> None:
        self._stop(priority)
        effect = self._effects.pop(priority, None)
        if isinstance(effect, QtCore.QObject):
            effect.deleteLater()

    def _discard_all(self) -> None:
        for priority in list(self._effects):
            self._discard(priority)

    def _log_once(self, key: str, message: str, *args, exc_info: bool = False) -> None:
        if key in self._logged:
            return
        self._logged.add(key)
        log.warning(message, *args, exc_info=exc_info)


# ---------------------------------------------------------------- what the GUI says
def sound_status(player: "AnnunciatorPlayer", now: float | None = None) -> tuple[str, str, str, bool]:
    """``(text, tooltip, colour, can_silence)`` for the sound indicator: "Sound
    unavailable" (and why, in the tooltip) when no tone can be played, "Silenced until
    14:05" while a silence runs, "Sounding: priority 1" while a tone is in force, else
    "Sound on".  ``can_silence``: something calls for a tone that a silence would mute
    (the model decides whether a silence applies; silencing is never acknowledging)."""
    from PySide6.QtCore import QCoreApplication

    from widgets.feed_status import clock_text
    from widgets.theme import ALARM, OK, TEXT_MUTED, WARN

    state = player.state()
    calling = any(state.calling.get(p) for p in state.calling)
    parts, tips = [], []
    color = OK
    if player.audio_problem == SOUND_OFF:
        parts.append(QCoreApplication.translate("AnnunciatorPlayer", "Sound off"))
        tips.append(QCoreApplication.translate("AnnunciatorPlayer", "Alarm tones are turned off on this console (review mode)."))
        color = TEXT_MUTED
    elif not player.audio_available:
        parts.append(QCoreApplication.translate("AnnunciatorPlayer", "Sound unavailable"))
        tips.append(QCoreApplication.translate("AnnunciatorPlayer", "Alarm tones cannot be played on this computer; watch the screen. Technical details: {0}").format(player.audio_problem or "?"))
        color = WARN
    if state.silence is not None:
        parts.append(QCoreApplication.translate("AnnunciatorPlayer", "Silenced until {0}").format(clock_text(state.silence.until, now)))
        if state.silence.priority == 1:
            tips.append(QCoreApplication.translate("AnnunciatorPlayer", "Every alarm tone is muted; the alarms stay unacknowledged. Silenced by {0}.").format(state.silence.user or "?"))
        else:
            tips.append(QCoreApplication.translate("AnnunciatorPlayer", "Tones of priority {0} and lower are muted; the alarms stay unacknowledged. Silenced by {1}.").format(state.silence.priority, state.silence.user or "?"))
        color = WARN
    elif state.sounding is not None and player.audio_available:
        parts.append(QCoreApplication.translate("AnnunciatorPlayer", "Sounding: priority {0}").format(state.sounding))
        color = ALARM
    if not parts:
        parts.append(QCoreApplication.translate("AnnunciatorPlayer", "Sound on") if player.audio_available else "")
        color = OK if player.audio_available else TEXT_MUTED
    return " · ".join(p for p in parts if p), "\n".join(tips), color, calling
