"""The cyber-security situation model (no Qt): how many events are open, by severity,
and which serious events are open (what the alarms are about).

"Open" = ``new`` or ``investigating`` (:data:`plugins.cyber.schema.OPEN_STATUSES`): an
event still needing the SOC's attention; ``contained`` is counted apart; ``resolved``
and ``false_positive`` are *finished*.  The model keeps one small tuple per event
(severity, status) and, for open high and critical events, what their alarm says
(category, target, source address, times seen): the event list itself is SQL over the
cache (the panel's).  The validator guarantees severity and status; an open event
of an unknown severity is counted in ``open`` only.

``view(now)`` (plain values)::

    open_by_severity  {"low", "medium", "high", "critical": open events of each}
    open              open events in all
    serious           open high + critical events
    contained         contained events
    finished          resolved or false-positive events
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from ioc_desktop.topic_model import TopicModel

from .schema import OPEN_STATUSES, SEVERITIES

#: Severities whose open events raise an alarm.
SERIOUS = ("critical", "high")


@dataclass(frozen=True)
class Serious:
    """An open high or critical event: what its alarm needs."""

    severity: str
    status: str
    category: str
    target_system: str
    source_ip: str
    count: int


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _bucket(data: dict) -> str:
    """What an event counts as: its severity when open, else contained / finished."""
    status = data.get("status")
    if status in OPEN_STATUSES:
        severity = data.get("severity")
        return severity if severity in SEVERITIES else "open_other"
    return "contained" if status == "contained" else "finished"


class CyberModel(TopicModel):
    """See the module docstring.  Owned by one thread; not locked.  The figures are
    kept up to date at every change (a SOC's thousands of events are not recounted at
    every batch)."""

    #: review: the state at T by the difference from the last jump (ioc_desktop.review.snapshot)
    review_incremental = True

    def __init__(self) -> None:
        super().__init__()
        self._counts: Counter[str] = Counter()
        self._serious: dict[str, Serious] = {}

    # ------------------------------------------------------------ feeding
    def on_reset(self) -> None:
        self._counts, self._serious = Counter(), {}
        for key, data in self.items.items():
            self._take(key, data, None)

    def on_upsert(self, key: str, data: dict, old: dict | None) -> None:
        self._take(key, data, old)

    def on_delete(self, key: str, old: dict) -> None:
        self._counts[_bucket(old)] -= 1
        self._serious.pop(key, None)

    def _take(self, key: str, data: dict, old: dict | None) -> None:
        if old is not None:
            self._counts[_bucket(old)] -= 1
        self._counts[_bucket(data)] += 1
        severity, status = data.get("severity"), data.get("status")
        if severity in SERIOUS and status in OPEN_STATUSES:
            count = data.get("count")
            self._serious[key] = Serious(
                severity, status, _text(data.get("category")), _text(data.get("target_system")),
                _text(data.get("source_ip")),
                int(count) if isinstance(count, (int, float)) and not isinstance(count, bool) else 1)
        else:
            self._serious.pop(key, None)

    # ------------------------------------------------------------ figures
    def serious(self) -> dict[str, Serious]:
        """Open high and critical events by key (a copy)."""
        return dict(self._serious)

    def counts(self) -> tuple[dict[str, int], int, int]:
        """``(open by severity, contained, finished)``."""
        c = self._counts
        return {s: c[s] for s in SEVERITIES}, c["contained"], c["finished"]

    def view(self, now: float | None = None) -> dict:
        self.set_now(now)
        by_severity, contained, finished = self.counts()
        return {"open_by_severity": by_severity,
                "open": sum(by_severity.values()) + self._counts["open_other"],
                "serious": by_severity["high"] + by_severity["critical"],
                "contained": contained, "finished": finished}


__all__ = ["CyberModel", "SERIOUS", "Serious"]
