"""Counts, shares and money: validation and display helpers for statistics topics.

Shared by the plugins whose feeds carry tallies rather than positions or texts
(``public_admin``: dossiers per agency; ``ecard``: tickets per site), so that their
rules read the same ("data.used: 130 is more than issued (120)"), their demo
simulators draw counts the same way (:func:`poisson`) and their figures are written
the same way on the wall.  Plain Python; the unit words go through Qt's
``QCoreApplication.translate``, imported when a figure is formatted for display, so the
headless commands (validation, simulation) never load Qt.

Number formats follow the language the client runs in (``AppContext.lang``):
Vietnamese groups thousands with "." and writes decimals with "," (``12.345``,
``97,4%``); English uses "," and "." (``12,345``, ``97.4%``).
"""
from __future__ import annotations

import math
from typing import Any, Mapping

from ioc_desktop.plugin_api import ValidationError, as_number

#: Largest count a tally may carry (far above any real figure; catches garbage).
MAX_COUNT = 1_000_000_000


# --------------------------------------------------------------------------- validation
def as_count(data: Mapping[str, Any], name: str, *, required: bool = True,
             hi: int = MAX_COUNT) -> int | None:
    """A non-negative whole number (``12`` or ``12.0``; not ``12.5``, ``-1``, ``true``)."""
    value = as_number(data, name, required=required, lo=0, hi=hi)
    if value is None:
        return None
    if not value.is_integer():
        raise ValidationError(f"data.{name}: {value:g} is not a whole number")
    return int(value)


def as_share(data: Mapping[str, Any], name: str, *, required: bool = True) -> float | None:
    """A share 0…1 (a percentage like ``45`` is refused: "data.x: 45 above 1")."""
    return as_number(data, name, required=required, lo=0, hi=1)


def not_more_than(name: str, value: float, other_name: str, other: float) -> None:
    """Refuse ``value > other`` with a reason naming both fields."""
    if value > other:
        raise ValidationError(f"data.{name}: {value:g} is more than {other_name} ({other:g})")


def ratio(part: float | None, whole: float | None) -> float | None:
    """``part / whole``, or None when either is missing or ``whole`` is 0."""
    if part is None or not whole:
        return None
    return part / whole


# --------------------------------------------------------------------------- demo counts
def poisson(rng, lam: float) -> int:
    """How many of a steady stream of arrivals (mean ``lam``) fall in one interval.

    For the demo simulators: cheap for the usual tiny ``lam`` of one tick (one
    ``rng.random()``), exact (Knuth) up to 30, normal approximation above.
    """
    if lam <= 0.0:
        return 0
    if lam < 0.02:
        return 1 if rng.random() < lam else 0
    if lam > 30.0:
        return max(0, int(rng.gauss(lam, lam ** 0.5) + 0.5))
    limit = math.exp(-lam)
    k, p = 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


# --------------------------------------------------------------------------- display
def _seps(lang: str) -> tuple[str, str]:
    """(thousands, decimal) separators for a language code."""
    return (".", ",") if (lang or "").lower().startswith("vi") else (",", ".")


def fmt_number(value: float | None, lang: str, decimals: int = 0) -> str:
    """``12345.6`` -> ``12.345,6`` (vi) / ``12,345.6`` (en); None -> ``—``."""
    if value is None:
        return "—"
    text = f"{value:,.{decimals}f}"
    thousands, decimal = _seps(lang)
    if (thousands, decimal) == (",", "."):
        return text
    return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)


def fmt_percent(share: float | None, lang: str, decimals: int = 1) -> str:
    """A share 0…1 as a percentage: ``0.974`` -> ``97,4%`` (vi) / ``97.4%`` (en)."""
    if share is None:
        return "—"
    return fmt_number(share * 100.0, lang, decimals) + "%"


def fmt_vnd(amount: float | None, lang: str) -> str:
    """Money in đồng, short enough for a tile: ``850.000 ₫``, ``412,5 triệu ₫``,
    ``1,24 tỷ ₫`` (the unit words are translated; context ``figures``)."""
    if amount is None:
        return "—"
    from PySide6.QtCore import QCoreApplication    # display only: validation needs no Qt
    if amount >= 1e9:
        return QCoreApplication.translate("figures", "{0} billion ₫").format(
            fmt_number(amount / 1e9, lang, 2))
    if amount >= 1e6:
        return QCoreApplication.translate("figures", "{0} million ₫").format(
            fmt_number(amount / 1e6, lang, 1))
    return fmt_number(amount, lang) + " ₫"


__all__ = ["MAX_COUNT", "as_count", "as_share", "not_more_than", "ratio", "poisson", "fmt_number",
           "fmt_percent", "fmt_vnd"]
