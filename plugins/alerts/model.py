"""The warnings' situation model (no Qt): the CAP messages held, and which are in force
at the model's ``now``.

A message is **in force** when it is an actual (``status`` Actual) ``Alert`` or
``Update``, no other message held cancels or updates it (``references``), and one of its
infos is in force: ``effective`` (else the message's ``sent``) ≤ now < ``expires`` (no
``expires``: until cancelled).  Otherwise its state is ``upcoming`` (an info becomes
effective later), ``cancelled`` (a Cancel, or referenced by one), or ``ended`` (expired,
updated by a newer message, or not an actual warning).

There is no wall clock here: :attr:`now` is the caller's, so warnings end by themselves
as the situation layer's clock moves (every evaluation sets it).
"""
from __future__ import annotations

from ioc_desktop.feed_time import epoch_of
from ioc_desktop.interop.cap import parse_references
from ioc_desktop.topic_model import TopicModel

from .schema import main_info

IN_FORCE, UPCOMING, CANCELLED, ENDED = "in_force", "upcoming", "cancelled", "ended"
#: Severities that count as serious on the KPI tile.
SERIOUS = ("Extreme", "Severe")


class AlertsModel(TopicModel):
    """See the module docstring."""

    #: review: the state at T by the difference from the last jump (ioc_desktop.review.snapshot)
    review_incremental = True

    def __init__(self) -> None:
        super().__init__()
        self._refs: dict[str, str] = {}    # identifier -> "cancelled" | "ended" (referenced)

    # ------------------------------------------------------------ hooks
    def on_reset(self) -> None:
        self._index()

    def on_upsert(self, key: str, data: dict, old: dict | None) -> None:
        if data.get("references") or (old or {}).get("references"):
            self._index()

    def on_delete(self, key: str, old: dict) -> None:
        if old.get("references"):
            self._index()

    def _index(self) -> None:
        """Which identifiers the messages held cancel or update (few messages: rebuilt)."""
        refs: dict[str, str] = {}
        for data in self.items.values():
            text = data.get("references")
            if not text or data.get("msgType") not in ("Update", "Cancel"):
                continue
            try:
                referenced = parse_references(text)
            except ValueError:
                continue                  # validated on arrival
            state = CANCELLED if data.get("msgType") == "Cancel" else ENDED
            for _sender, identifier, _sent in referenced:
                if refs.get(identifier) != CANCELLED:
                    refs[identifier] = state
        self._refs = refs

    # ------------------------------------------------------------ queries
    def _infos_in_force(self, data: dict, now: float | None) -> tuple[list[dict], bool]:
        """The infos in force at ``now``, and whether one becomes effective later."""
        sent = epoch_of(data.get("sent"))
        live, later = [], False
        for info in data.get("info") or ():
            start = epoch_of(info.get("effective"))
            start = sent if start is None else start
            end = epoch_of(info.get("expires"))
            if now is None:
                live.append(info)
            elif start is not None and now < start:
                later = True
            elif end is None or now < end:
                live.append(info)
        return live, later

    def state(self, key: str, now: float | None = None) -> str | None:
        """``in_force``, ``upcoming``, ``cancelled`` or ``ended`` (None: unknown key)."""
        data = self.items.get(key)
        if data is None:
            return None
        now = self.now if now is None else now
        if data.get("msgType") == "Cancel" or self._refs.get(key) == CANCELLED:
            return CANCELLED
        if (data.get("status") != "Actual" or data.get("msgType") not in ("Alert", "Update")
                or key in self._refs):
            return ENDED
        live, later = self._infos_in_force(data, now)
        if live:
            return IN_FORCE
        return UPCOMING if later else ENDED

    def in_force(self, now: float | None = None):
        """``(key, data, info)`` for every message in force, ``info`` the one that speaks
        for it now: the most severe of its infos in force, Vietnamese first."""
        now = self.now if now is None else now
        for key in sorted(self.items):
            if self.state(key, now) != IN_FORCE:
                continue
            data = self.items[key]
            live, _ = self._infos_in_force(data, now)
            yield key, data, main_info({"info": live}) or {}

    @staticmethod
    def expires_of(info: dict) -> float | None:
        return epoch_of(info.get("expires"))

    # ------------------------------------------------------------ the panels
    def view(self, now: float | None = None) -> dict:
        """``states``: every message's state (key -> ``in_force``/``upcoming``/
        ``cancelled``/``ended``); ``in_force``: how many are in force; ``serious``: of
        those, how many are Extreme or Severe."""
        now = self.now if now is None else now
        active = list(self.in_force(now))
        return {
            "states": {key: self.state(key, now) for key in self.items},
            "in_force": len(active),
            "serious": sum(1 for _k, _d, info in active if info.get("severity") in SERIOUS),
        }


__all__ = ["AlertsModel", "CANCELLED", "ENDED", "IN_FORCE", "SERIOUS", "UPCOMING"]
