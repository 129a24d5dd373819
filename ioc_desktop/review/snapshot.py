"""Everything a review shows at T, built in one go on a reader's connection (no Qt).

:func:`build` = the state at T (:func:`~ioc_desktop.review.state_at.state_at`), the
reader's tables shadowed to show it (:mod:`~ioc_desktop.review.reader_tables`), every
plugin's model reset to it with ``now = T`` (its history, if it reads one, from the log
cut at T) and its panels' view, and the alarms as the journal had them at T with their
summary.  The live models, the engine and the feed are not touched: the live side goes
on underneath, and a return to live simply shows it again.
"""
from __future__ import annotations

import logging
import sqlite3
from dataclasses import dataclass, field
from typing import Iterable, Mapping

from ioc_desktop import gcpolicy
from ioc_desktop.alarms import journal
from ioc_desktop.alarms.engine import Alarm, Summary, summarise
from ioc_desktop.plugin_api import Plugin
from ioc_desktop.review import reader_tables
from ioc_desktop.review.items import TextItems
from ioc_desktop.review.state_at import (ReviewState, bounds, next_event_at, previous_event_at,
                                         state_at)
from ioc_desktop.situation import model_view

log = logging.getLogger(__name__)


@dataclass
class ReviewSnapshot:
    """The review at ``at`` (see the module docstring)."""

    at: float
    review: ReviewState
    #: plugin -> its model's view at T (the panels' KPIs and figures)
    views: dict[str, dict]
    #: every alarm journaled by T, in the state it had then
    alarms: list[Alarm]
    summary: Summary
    #: (oldest, newest) moment the cache holds
    bounds: tuple[float, float] | None
    #: step by an event: the moments of the next and the previous one (None: none)
    next_event: float | None = None
    previous_event: float | None = None
    #: plugins whose model could not be rebuilt at T (their panels say so)
    failed: list[str] = field(default_factory=list)

    @property
    def state(self) -> dict[str, dict[str, dict]]:
        return self.review.state


def summary_of(alarms: Iterable[Alarm]) -> Summary:
    # the alarms at T are this review's own objects: summed up as they are, no copies
    return summarise(alarms)


class _Changes:
    """A difference of states in the shape of a committed batch's ``TopicChanges``."""

    snapshot = False
    events: tuple = ()

    def __init__(self, upserts: dict, deletes: set):
        self.upserts, self.deletes = upserts, deletes


_GONE = object()


def _difference(before: Mapping, state: Mapping) -> _Changes | None:
    """The changes from ``before`` to ``state``; None when a reset to ``state`` costs
    less: more than a sixteenth of the items changed, or a changed value is read from a
    checkpoint's texts (a reset reads its typed rows and decodes nothing, the changes
    decode every changed value — reading one of the checkpoint's texts decodes them
    all: the reports' reset to 7,000 ~35 ms, their changes of 1,700 60-110 ms)."""
    if isinstance(state, TextItems) and isinstance(before, TextItems):
        same, limit = state.same_as, max(64, len(state) // 16)
        upserts = []
        for key in state:
            if not same(before, key):
                upserts.append(key)
                if len(upserts) > limit:
                    return None         # given up early: a jump far away changes most
        if state.reads_stored_text(upserts):
            return None
        return _Changes({k: state[k] for k in upserts}, {k for k in before if k not in state})
    return _Changes({k: v for k, v in state.items() if before.get(k, _GONE) != v},
                    {k for k in before if k not in state})


class ReviewModels:
    """The plugins' models for review, kept from one jump to the next (on the reader's
    thread).  A model whose class says ``review_incremental = True`` (its ``reset`` to a
    state equals ``apply_changes`` of the difference, as tests/test_review_state.py
    checks) is brought to the state at T by that difference; the others are rebuilt
    at every jump — a model whose figures count what it saw happen, or that reads a
    history from the log, only a reset at T gets right, as a fresh client would."""

    def __init__(self) -> None:
        self.models: dict[str, object] = {}
        self.states: dict[str, dict] = {}
        #: the last state at T built: the next jump forward replays from it
        self.review: ReviewState | None = None
        #: the alarm journal's entries decoded by earlier jumps (journal.alarms_at)
        self.alarm_entries: dict = {}

    def view_at(self, conn: sqlite3.Connection, plugin: Plugin, state: dict, at: float,
                *, with_history: bool) -> dict | None:
        name = plugin.name
        model, before = self.models.get(name), self.states.pop(name, None)
        incremental = model is not None and getattr(model, "review_incremental", False) \
            and not callable(getattr(model, "read_history", None))
        changes = _difference(before, state) if incremental and before is not None else None
        if changes is not None:
            model.apply_changes(changes, now=at)
        elif incremental:
            model.reset(state, now=at)     # most items changed: a reset is cheaper
        else:
            model = plugin.create_model()
            if model is None:
                return None
            self.models[name] = model
            model.reset(state, now=at)
            read = getattr(model, "read_history", None)
            if callable(read) and with_history:   # the log as cut at T
                model.load_history(read(conn))
        self.states[name] = state
        return model_view(model, at)


def build(conn: sqlite3.Connection, plugins: Iterable[Plugin], at: float, *,
          shadow_tables: bool = True, models: ReviewModels | None = None,
          tables: bool = True, read_in_cache: Iterable[str] | None = None) -> ReviewSnapshot:
    """The review at ``at`` on ``conn`` (a reader's connection; with ``shadow_tables``
    its unqualified state tables and ``events`` show T afterwards, until
    :func:`leave`).  ``models``: the review's models from the previous jump (faster).
    ``tables=False``: only ``events`` is cut at T here; the state tables follow with
    :func:`fill_tables` (the app queues that right after, on the same reader: the views
    are shown first, and the panels' SQL, queued behind it, reads T).

    ``read_in_cache``: the topics whose GUIs read their state through SQL (their
    ``state_in_cache``); a topic read from typed rows (a ``TextItems``) stays undecoded
    for them, and every other one is decoded here, on the reader's thread, not by a
    GUI iterating it.  None: nothing decoded here (no GUI reads the state).

    The collector is held off meanwhile (:func:`ioc_desktop.gcpolicy.paused`): a jump
    makes ~100,000 objects and no cycle, and each collection it triggered walked the
    heap the review keeps (its models, the decoded alarm entries)."""
    with gcpolicy.paused():
        return _build(conn, list(plugins), at, shadow_tables=shadow_tables, models=models,
                      tables=tables, read_in_cache=read_in_cache)


def _build(conn: sqlite3.Connection, plugins: list[Plugin], at: float, *, shadow_tables: bool,
           models: ReviewModels | None, tables: bool,
           read_in_cache: Iterable[str] | None) -> ReviewSnapshot:
    models = models if models is not None else ReviewModels()
    specs = {t.name: t for p in plugins for t in p.topics}
    cache_bounds = bounds(conn)
    if cache_bounds is not None:
        at = min(max(at, cache_bounds[0]), cache_bounds[1])
    review = state_at(conn, list(specs), at, since=models.review)
    models.review = review
    if shadow_tables:
        reader_tables.install_cuts(conn, review)
        if not tables:      # the tables' half comes next: its image decompressed meanwhile
            reader_tables.prefetch(conn, review)
        if tables:
            reader_tables.install_tables(conn, specs.values(), review)
    if read_in_cache is not None:
        # before the models: those that read every item then find them decoded
        keep = set(read_in_cache)
        for topic, items in review.state.items():
            if topic not in keep and isinstance(items, TextItems):
                items.decode_all()
    views: dict[str, dict] = {}
    failed: list[str] = []
    for plugin in plugins:
        if not plugin.topics:
            continue
        try:
            view = models.view_at(conn, plugin, review.state.get(plugin.topics[0].name, {}),
                                  at, with_history=shadow_tables)
        except Exception:
            log.exception("review: model of %s at %s failed", plugin.name, at)
            failed.append(plugin.name)
            continue
        if view is not None:
            views[plugin.name] = view
    alarms = journal.alarms_at(conn, at, decoded=models.alarm_entries)
    return ReviewSnapshot(at=at, review=review, views=views, alarms=alarms,
                          summary=summary_of(alarms), bounds=cache_bounds,
                          next_event=next_event_at(conn, review.cuts),
                          previous_event=previous_event_at(conn, review), failed=failed)


def fill_tables(conn: sqlite3.Connection, plugins: Iterable[Plugin], snap: ReviewSnapshot) -> None:
    """The second half of :func:`build` with ``tables=False`` (the collector held off
    too: thousands of rows made, no cycle)."""
    with gcpolicy.paused():
        reader_tables.install_tables(conn, [t for p in plugins for t in p.topics], snap.review)


def leave(conn: sqlite3.Connection) -> None:
    """Back to live on the reader's connection."""
    reader_tables.remove(conn)


__all__ = ["ReviewModels", "ReviewSnapshot", "build", "fill_tables", "leave", "summary_of"]
