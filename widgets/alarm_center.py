"""The alarm views wired together: what the main window builds once and feeds with
every ``AlarmDelta`` (``FeedService.alarmsChanged``).

:class:`AlarmCenter` owns

* the alarm summary (:class:`~widgets.alarm_summary.AlarmSummaryPanel`), the shelved and
  out-of-service lists (:mod:`widgets.alarm_lists`), the history over the journal
  (:mod:`widgets.alarm_history`) and the health figures (:mod:`widgets.alarm_health_panel`);
* the annunciator (:class:`~widgets.annunciator_player.AnnunciatorPlayer`), which
  follows each delta's summary and plays the tones when QtMultimedia works; its state
  ("Sound unavailable", "Silenced until 14:05") is shown on the banner, the summary and
  the status bar's alarm line, with a Silence button on the banner and the summary.
  A silence mutes the tone for a few minutes and is journaled
  (``alarm_action("silence", priority, until=…)``); it acknowledges nothing;
* the status bar's alarm line (:class:`~widgets.alarm_summary.AlarmStatusButton`).

The service is anything with ``alarm_action(action, target, **kwargs)`` (returns a
future at once), ``run_read(fn, callback)`` and ``user``; ``alarm_sharing`` and its
``alarmSharingChanged`` signal are used when the service has them (operator actions
shared with every console through the backend, or not).
"""
from __future__ import annotations

import logging
import time
from typing import Callable

from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication

from ioc_desktop.alarms.annunciator import DEFAULT_SILENCE_MINUTES
from ioc_desktop.alarms.engine import Alarm
from widgets.alarm_health_panel import AlarmHealthPanel
from widgets.alarm_history import AlarmHistoryPanel
from widgets.alarm_lists import AlarmListsPanel
from widgets.alarm_summary import AlarmStatusButton, AlarmSummaryPanel, _error_words, _future_error
from widgets.annunciator_player import AnnunciatorPlayer, sound_status
from widgets.feed_status import clock_text

log = logging.getLogger(__name__)


class ReviewRefusal(Exception):
    """An action asked for while a past moment is shown."""


class AlarmCenter(QtCore.QObject):
    showRequested = QtCore.Signal(str)        # "summary", "lists", "history", "health"
    sourceRequested = QtCore.Signal(str, str)  # topic, key: bring the source forward
    _silenced = QtCore.Signal(object, object)  # Silence, error text or None

    PANELS = ("summary", "lists", "history", "health")

    def __init__(self, service, *, banner=None, source_title: Callable[[Alarm], str] | None = None,
                 clock: Callable[[], float] = time.time, lang: str = "en", audio: bool = True,
                 player: AnnunciatorPlayer | None = None, parent=None):
        super().__init__(parent)
        self.service = service
        self.banner = banner
        self.clock = clock
        self.summary_data = None
        self.review_at: float | None = None      # review: the moment shown (no actions)
        run_read = getattr(service, "run_read", None)
        self.summary = AlarmSummaryPanel(self.act, clock=clock, source_title=source_title, lang=lang)
        self.lists = AlarmListsPanel(self.act, clock=clock, source_title=source_title, lang=lang)
        self.history = AlarmHistoryPanel(run_read, clock=clock, lang=lang)
        self.health = AlarmHealthPanel(run_read, clock=clock, lang=lang)
        self.player = player or AnnunciatorPlayer(self, clock=clock, audio=audio)
        self.status_button = AlarmStatusButton()
        self.status_button.clicked.connect(lambda: self.showRequested.emit("summary"))
        for panel in (self.summary, self.lists):
            panel.sourceRequested.connect(self.sourceRequested)
        self.summary.silenceRequested.connect(self.silence)
        if banner is not None:
            banner.silenceRequested.connect(self.silence)
        self.player.stateChanged.connect(self._on_sound)
        self._silenced.connect(self._on_silenced)
        if hasattr(service, "alarmSharingChanged"):
            service.alarmSharingChanged.connect(self.refresh_sharing)
        self.refresh_sharing()
        self.set_user(getattr(service, "user", None))
        self._on_sound()

    def panels(self) -> dict:
        return {"summary": self.summary, "lists": self.lists, "history": self.history,
                "health": self.health}

    # ------------------------------------------------------------ the delta
    def apply_delta(self, delta) -> None:
        """One ``AlarmDelta``: every view, the banner's counts, the annunciator."""
        summary = delta.summary
        self.summary_data = summary
        self.summary.apply(summary, delta.changed)
        self.lists.apply(summary, delta.changed)
        self.status_button.set_summary(summary)
        if self.banner is not None:
            self.banner.set_engine_counts(len(summary.shelved), len(summary.out_of_service))
        if self.review_at is None:     # in review the tones follow the live alarms
            self.update_sound(summary)
        self.history.note_changes()

    def update_sound(self, summary) -> None:
        """The annunciator follows ``summary`` (the live one, also during a review)."""
        try:
            self.player.update_alarms(summary)
        except Exception:                       # the tones must never stop the views
            log.exception("annunciator: update failed")

    def set_review(self, at: float | None) -> None:
        """Review at ``at`` (None: live): the views show the past; actions are refused
        (they would act on the live alarms from a view of the past)."""
        self.review_at = at

    # ------------------------------------------------------------ actions
    def act(self, action: str, target, **kwargs):
        """An operator action through the service (a future, at once)."""
        if self.review_at is not None and action != "silence":
            raise ReviewRefusal(QCoreApplication.translate(
                "AlarmCenter", "In review: alarms cannot be acted on from a past moment; "
                "back to live first (F12)"))
        return self.service.alarm_action(action, target, **kwargs)

    def show_alarm(self, alarm_id: str) -> bool:
        """Bring the summary (or the shelved / out-of-service list) forward on an alarm."""
        if self.summary.model.alarm(alarm_id) is not None:
            self.showRequested.emit("summary")
            return self.summary.select_alarm(alarm_id)
        if self.lists.shelved.alarm(alarm_id) or self.lists.out_of_service.alarm(alarm_id):
            self.showRequested.emit("lists")
            return self.lists.select_alarm(alarm_id)
        self.showRequested.emit("summary")
        return False

    def silence(self, minutes: int = DEFAULT_SILENCE_MINUTES):
        """Mute what sounds now for a few minutes and journal it; not an acknowledgement."""
        user = (getattr(self.service, "user", None) or {}).get("name") or "local operator"
        silence = self.player.silence(minutes, user=user)
        if silence is None:
            self.summary.show_message(QCoreApplication.translate("AlarmCenter", "Nothing is calling for a tone: nothing to silence"), False)
            return None
        try:
            future = self.act("silence", silence.priority, until=silence.until,
                              reason=silence.reason)
        except Exception as exc:
            self._silenced.emit(silence, _error_words(exc))
            return silence
        if future is not None and hasattr(future, "add_done_callback"):
            future.add_done_callback(lambda f, s=silence: self._silenced.emit(s, _future_error(f)))
        else:
            self._silenced.emit(silence, None)
        return silence

    def _on_silenced(self, silence, error) -> None:
        if error:
            self.summary.show_message(QCoreApplication.translate("AlarmCenter", "Tone silenced until {0} on this console, but the journal refused it: {1}").format(clock_text(silence.until), error), False)
        else:
            self.summary.show_message(QCoreApplication.translate("AlarmCenter", "Tone silenced until {0}; the alarms stay unacknowledged").format(clock_text(silence.until)), True)

    def set_freshness(self, live: bool, stale=()) -> None:
        """The main window's freshness: the link is LIVE, and the topics and plugins
        whose data is not current (their alarms are shown "not current", greyed)."""
        self.summary.set_freshness(live, stale)
        self.lists.set_freshness(live, stale)

    # ------------------------------------------------------------ user, sharing, sound
    def set_user(self, user: dict | None) -> None:
        self.summary.set_user(user)
        self.lists.set_user(user)

    def refresh_sharing(self, *_args) -> None:
        self.summary.set_sharing(getattr(self.service, "alarm_sharing", None))

    def _on_sound(self, *_args) -> None:
        text, tip, color, can_silence = sound_status(self.player, self.clock())
        self.summary.set_sound(text, tip, color, can_silence)
        self.status_button.set_sound(text, color)
        if self.banner is not None:
            self.banner.set_sound(text, tip, can_silence)

    def shutdown(self) -> None:
        self.player.shutdown()
