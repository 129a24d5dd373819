"""The public-administration situation model (no Qt): every agency's dossier tally, the
totals line, and the levels the agency table colours.

Fed by the situation layer with the ``public_admin`` topic's validated tallies (one per
``agency_id``: ``received``, ``resolved``, ``on_time``, ``overdue``, ``online_level3``,
``online_level4``, ``satisfaction``, ``period`` …; see :mod:`plugins.public_admin.schema`).

Figures (overdue share = overdue / received):

* **totals** over the agencies reporting the newest ``period`` (an agency still on an
  older period is *stale*: greyed and left out, its tally is not comparable): received,
  resolved, overdue, on-time share of the resolved (over the agencies that report
  ``on_time``), online level 3 / 4 shares weighted by received, satisfaction weighted by
  resolved;
* **levels** per agency: ``overdue`` — ``"alarm"`` while the alarm rule
  ``public_admin.agency_overdue`` holds it (≥ 10 % with at least 5 overdue dossiers,
  until it falls below 8 %: :mod:`plugins.public_admin.rules`), else ``"warn"`` from
  :data:`OVERDUE_WARN` (3 %); ``on_time`` — ``"warn"`` below :data:`ON_TIME_TARGET`
  (95 %); ``satisfaction`` — ``"warn"`` below :data:`SATISFACTION_TARGET` (90 %);
  ``stale`` — an older period.

Which agencies are at the alarm level is the rule's verdict: it records it here
(:meth:`PublicAdminModel.note_alarmed`) so the red cells, the tile's badge and the
overview's count are the alarms' own, deadband included.  Nothing here reads a clock:
the figures are the tallies' as they stand.
"""
from __future__ import annotations

from typing import Iterable

from ioc_desktop.figures import ratio
from ioc_desktop.topic_model import TopicModel

from .schema import on_time_rate, overdue_rate

#: Overdue share from which an agency's overdue cell is amber (watch, no alarm).
OVERDUE_WARN = 0.03
#: On-time share (of the resolved) below which it is amber.
ON_TIME_TARGET = 0.95
#: Satisfied share below which it is amber.
SATISFACTION_TARGET = 0.90


def _count(value) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


class PublicAdminModel(TopicModel):
    """See the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        #: agency ids the alarm rule holds at the alarm level (its last evaluation)
        self.alarmed: frozenset[str] = frozenset()

    def on_reset(self) -> None:
        self.alarmed = frozenset()          # a new state: the next evaluation says

    def on_delete(self, key: str, old: dict) -> None:
        self.alarmed = self.alarmed - {key}

    def note_alarmed(self, keys: Iterable[str]) -> None:
        """The alarm rule's verdict: the agencies at the alarm level now."""
        self.alarmed = frozenset(keys)

    # ------------------------------------------------------------ figures
    def current_period(self) -> str | None:
        """The newest ``period`` any agency reports (None: none reports one)."""
        periods = [d["period"] for d in self.items.values()
                   if isinstance(d.get("period"), str) and d["period"]]
        return max(periods) if periods else None

    def is_stale(self, data: dict, period: str | None) -> bool:
        p = data.get("period")
        return p is not None and period is not None and p != period

    def totals(self) -> dict:
        """The totals line (see the module docstring); shares are None when undefined."""
        period = self.current_period()
        rows = [d for d in self.items.values() if not self.is_stale(d, period)]
        received = sum(_count(d.get("received")) for d in rows)
        resolved = sum(_count(d.get("resolved")) for d in rows)
        with_on_time = [d for d in rows if d.get("on_time") is not None]
        on_time = sum(_count(d.get("on_time")) for d in with_on_time) if with_on_time else None
        on_time_base = sum(_count(d.get("resolved")) for d in with_on_time)
        rated = [d for d in rows if d.get("satisfaction") is not None and _count(d.get("resolved"))]
        l3 = ratio(sum((d.get("online_level3") or 0.0) * _count(d.get("received")) for d in rows), received)
        l4 = ratio(sum((d.get("online_level4") or 0.0) * _count(d.get("received")) for d in rows), received)
        satisfaction = ratio(sum(d["satisfaction"] * _count(d.get("resolved")) for d in rated),
                             sum(_count(d.get("resolved")) for d in rated))
        on_time_share = ratio(on_time, on_time_base)
        return {
            "count": len(rows), "period": period,
            "received": received, "resolved": resolved, "overdue": sum(_count(d.get("overdue")) for d in rows),
            "on_time": on_time, "on_time_base": on_time_base, "on_time_rate": on_time_share,
            "online_level3": l3, "online_level4": l4,
            "online_share": (l3 or 0.0) + (l4 or 0.0) if received else None,
            "satisfaction": satisfaction,
            "on_time_low": on_time_share is not None and on_time_share < ON_TIME_TARGET,
            "satisfaction_low": satisfaction is not None and satisfaction < SATISFACTION_TARGET,
        }

    def levels(self) -> dict[str, dict]:
        """Per agency, what its row shows beyond its own numbers (only agencies with any)."""
        period = self.current_period()
        out: dict[str, dict] = {}
        for key, d in self.items.items():
            level: dict = {}
            rate = overdue_rate(d)
            if key in self.alarmed:
                level["overdue"] = "alarm"
            elif rate is not None and rate >= OVERDUE_WARN:
                level["overdue"] = "warn"
            on_time = on_time_rate(d)
            if on_time is not None and on_time < ON_TIME_TARGET:
                level["on_time"] = "warn"
            satisfaction = d.get("satisfaction")
            if isinstance(satisfaction, (int, float)) and satisfaction < SATISFACTION_TARGET:
                level["satisfaction"] = "warn"
            if self.is_stale(d, period):
                level["stale"] = True
            if level:
                out[key] = level
        return out

    # ------------------------------------------------------------ the panels
    def view(self, now: float | None = None) -> dict:
        """What the agency panel and the wall show::

            totals    the totals line: count (agencies counted), period, received,
                      resolved, overdue, on_time, on_time_base (resolved by the agencies
                      reporting on_time), on_time_rate, online_level3, online_level4,
                      online_share, satisfaction (shares 0…1 or None), on_time_low,
                      satisfaction_low (below the targets)
            levels    {agency_id: {"overdue": "alarm"|"warn", "on_time": "warn",
                       "satisfaction": "warn", "stale": True}} (agencies with any)
            alarmed   agency ids at the alarm level (sorted)
        """
        return {"totals": self.totals(), "levels": self.levels(),
                "alarmed": sorted(self.alarmed & self.items.keys())}


__all__ = ["ON_TIME_TARGET", "OVERDUE_WARN", "PublicAdminModel", "SATISFACTION_TARGET"]
