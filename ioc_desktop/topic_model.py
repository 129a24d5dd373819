"""The common base of the plugins' situation models (no Qt): a topic's items and a clock.

A plugin's model (``plugins/<name>/model.py``) subclasses :class:`TopicModel` and keeps
its derived figures up to date in the hooks; the situation layer
(:mod:`ioc_desktop.situation`) feeds it off the GUI thread, evaluates the plugin's
alarm rules over it and sends ``view(now)`` deltas to the plugin's panels.

* :meth:`reset` — the topic's whole state (startup, a snapshot, review at a past time):
  ``items`` is replaced, then :meth:`on_reset` rebuilds whatever is derived.
* :meth:`apply_changes` — one committed batch's ``TopicChanges``: a snapshot is a reset;
  otherwise every event in seq order goes to :meth:`on_event` (for models that need
  each one, e.g. tracks or episodes), then the coalesced upserts and deletes update
  ``items`` through :meth:`on_upsert` / :meth:`on_delete`.
* ``now`` — the caller's clock (epoch seconds), set by :meth:`set_now` or the ``now=``
  of the feeding calls; a model never reads the wall clock, so review can replay the
  past and tests drive time.
* :meth:`view` — what the panels show, as a small dict of plain values (numbers, texts,
  lists, dicts: JSON-like, compared with ``==`` to send only what changed).
"""
from __future__ import annotations

from typing import Any, Mapping


class TopicModel:
    """See the module docstring.  Subclasses override the ``on_*`` hooks and ``view``."""

    def __init__(self) -> None:
        self.items: dict[str, dict] = {}
        self.now: float | None = None

    # ------------------------------------------------------------ feeding
    def set_now(self, now: float | None) -> None:
        if now is not None:
            self.now = now

    def reset(self, state: Mapping[str, dict], *, now: float | None = None) -> None:
        self.set_now(now)
        self.items = dict(state)
        self.on_reset()

    def apply_changes(self, changes: Any, *, now: float | None = None) -> None:
        self.set_now(now)
        if getattr(changes, "snapshot", False):
            self.reset(changes.upserts, now=now)
            return
        for event in getattr(changes, "events", ()) or ():
            self.on_event(event)
        for key in changes.deletes:
            old = self.items.pop(key, None)
            if old is not None:
                self.on_delete(key, old)
        for key, data in changes.upserts.items():
            old = self.items.get(key)
            self.items[key] = data
            self.on_upsert(key, data, old)

    def get(self, key: str) -> dict | None:
        return self.items.get(key)

    # ------------------------------------------------------------ hooks
    def on_reset(self) -> None:
        """``items`` was replaced: rebuild the derived state."""

    def on_event(self, event: Any) -> None:
        """One event of a batch, in seq order (an ``EventRecord``: ``op``, ``key``,
        ``data``, ``seq``), before the batch's coalesced upserts are applied."""

    def on_upsert(self, key: str, data: dict, old: dict | None) -> None:
        """``items[key]`` is now ``data`` (``old``: what it was, None if new)."""

    def on_delete(self, key: str, old: dict) -> None:
        """``key`` was removed (``old``: its last data)."""

    # ------------------------------------------------------------ the panels
    def view(self, now: float | None = None) -> dict:
        """The panels' view state (see the module docstring); empty by default."""
        return {}


__all__ = ["TopicModel"]
