"""Text readable from the operators' seats (no Qt).

The rule (DESIGN.md: operators read the wall from 3–8 m): on a wall window no text has
capital letters smaller than 16 arcminutes seen from the screen's viewing distance —
the usual legibility floor for control-room displays (ISO 11064-5 / ISO 9241-303 give
16′ as the minimum, 20–22′ preferred).  The height ``h`` that subtends an angle ``θ`` at
a distance ``d`` is ``2·d·tan(θ/2)``; divided by the pixel pitch it is a number of
device pixels, to compare with ``QFontMetricsF.capHeight()``.

The pixel pitch comes from the screen's diagonal when the configuration gives it,
else from the physical size the display reports, else a 55-inch display is assumed
(the wall's usual screens).  A reported size is ignored when it is not credible:
Qt's placeholder for platforms that don't know (the geometry at exactly 100 dpi: the
offscreen platform, many virtual displays), nothing, or a diagonal outside 10–1000 in
(TVs often report only their aspect ratio, e.g. 160 × 90 mm).

Worked example: a 55-inch 1920 × 1080 display seen from 5 m:
pitch = 55 × 25.4 mm / √(1920² + 1080²) = 0.634 mm; h = 2 × 5 m × tan(8′) = 23.3 mm;
23.3 / 0.634 ≈ 36.7 px.
"""
from __future__ import annotations

import math

ARCMIN = 16.0                 # the smallest angle a capital letter may subtend
ASSUMED_DIAGONAL_IN = 55.0    # when the display's size is unknown
QT_PLACEHOLDER_DPI = 100.0    # QPlatformScreen::physicalSize()'s default
MIN_CREDIBLE_IN, MAX_CREDIBLE_IN = 10.0, 1000.0
MM_PER_IN = 25.4


def cap_height_m(distance_m: float, arcmin: float = ARCMIN) -> float:
    """The height (m) that subtends ``arcmin`` at ``distance_m``."""
    return 2.0 * distance_m * math.tan(math.radians(arcmin / 60.0) / 2.0)


def credible_physical_mm(width_px: int, height_px: int,
                         physical_mm: tuple[float, float] | None
                         ) -> tuple[float, float] | None:
    """``physical_mm`` (width, height in mm) if it is a size the display really
    reported, else None (nothing, Qt's 100-dpi placeholder, an absurd diagonal)."""
    if not physical_mm or len(physical_mm) != 2:
        return None
    w_mm, h_mm = (float(v) for v in physical_mm)
    if not (w_mm > 0 and h_mm > 0) or width_px <= 0 or height_px <= 0:
        return None
    placeholder = (width_px / QT_PLACEHOLDER_DPI * MM_PER_IN,
                   height_px / QT_PLACEHOLDER_DPI * MM_PER_IN)
    if all(abs(got - fake) <= fake * 1e-4 for got, fake in zip((w_mm, h_mm), placeholder)):
        return None
    diagonal_in = math.hypot(w_mm, h_mm) / MM_PER_IN
    if not MIN_CREDIBLE_IN <= diagonal_in <= MAX_CREDIBLE_IN:
        return None
    return (w_mm, h_mm)


def pixel_pitch_mm(screen_height_px: int, screen_width_px: int,
                   diagonal_in: float | None = None,
                   physical_mm: tuple[float, float] | None = None) -> float:
    """One device pixel's size (mm): from the diagonal, else the credible reported
    size, else an assumed 55-inch display."""
    diagonal_px = math.hypot(screen_width_px, screen_height_px)
    if diagonal_px <= 0:
        raise ValueError("a screen has a size in pixels")
    if diagonal_in is not None and diagonal_in > 0:
        return diagonal_in * MM_PER_IN / diagonal_px
    reported = credible_physical_mm(screen_width_px, screen_height_px, physical_mm)
    if reported is not None:
        return math.hypot(*reported) / diagonal_px
    return ASSUMED_DIAGONAL_IN * MM_PER_IN / diagonal_px


def min_text_px(distance_m: float, screen_height_px: int, screen_width_px: int,
                diagonal_in: float | None = None,
                physical_mm: tuple[float, float] | None = None) -> float:
    """The smallest cap height (device px) allowed on that screen: capital letters
    subtending 16 arcminutes at ``distance_m``.  55" 1080p at 5 m: ≈ 36.7 px."""
    if distance_m <= 0:
        raise ValueError("the viewing distance must be > 0")
    pitch_m = pixel_pitch_mm(screen_height_px, screen_width_px, diagonal_in, physical_mm) / 1000.0
    return cap_height_m(distance_m) / pitch_m


def point_size_for_cap(cap_px: float, cap_ratio: float = 0.7, dpi: float = 96.0) -> float:
    """A font point size whose capitals are about ``cap_px`` high at ``dpi`` logical
    dots per inch (``cap_ratio``: cap height / em, ≈ 0.7 for sans fonts).  A first
    guess only: measure with QFontMetricsF.capHeight()."""
    return cap_px / cap_ratio * 72.0 / dpi
