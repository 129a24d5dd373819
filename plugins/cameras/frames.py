"""Synthetic camera frames for the demo backend (pure Python PNG, no imaging library).

A frame is a recognisable street scene — sky, buildings (or a citadel gate, the river,
the sea), pavement and road with traffic — plus what the analytics "saw": murky water
over the road for a flooded street, a crowd of people, a red box around a traffic
violation; rain when the flood scenario's storm is on; a dark band with the camera id,
its (ASCII) name and the frame's time.  Everything is drawn from integer seeds, so the
same camera, version and state always give the same bytes.
"""
from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass

from demo_backend.png import Canvas

WIDTH, HEIGHT = 320, 180
BAND = 16                       # the caption band at the bottom
GROUND = HEIGHT - BAND          # y where the band starts

STREET, RIVERSIDE, GATE, BEACH = "street", "riverside", "gate", "beach"

# 5×7 bitmap font for the caption (upper-case ASCII, digits, a little punctuation).
_FONT_ROWS = {
    "0": (" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": ("#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    "A": (" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "),
    "C": (" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "),
    "D": ("#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"),
    "F": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "),
    "G": (" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"),
    "H": ("#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "I": (" ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "J": ("  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"),
    "N": ("#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"),
    "S": (" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # "),
    "X": ("#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"),
    "Y": ("#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"),
    "-": ("     ", "     ", "     ", " ### ", "     ", "     ", "     "),
    ":": ("     ", "  #  ", "  #  ", "     ", "  #  ", "  #  ", "     "),
    ".": ("     ", "     ", "     ", "     ", "     ", "  #  ", "  #  "),
    "/": ("    #", "    #", "   # ", "  #  ", " #   ", "#    ", "#    "),
    "%": ("##  #", "##  #", "   # ", "  #  ", " #   ", "#  ##", "#  ##"),
    " ": ("     ",) * 7,
}
#: Per glyph: the (dx, dy) of its lit pixels.
FONT = {ch: tuple((x, y) for y, row in enumerate(rows) for x, c in enumerate(row) if c == "#")
        for ch, rows in _FONT_ROWS.items()}


def ascii_caption(text: str) -> str:
    """Vietnamese text as the caption font can draw it: no diacritics, upper case."""
    text = text.replace("đ", "d").replace("Đ", "D").replace("–", "-")
    folded = unicodedata.normalize("NFD", text)
    out = "".join(c for c in folded if not unicodedata.combining(c)).upper()
    return "".join(c if c in FONT else " " for c in out)


def draw_text(canvas: Canvas, x: int, y: int, text: str, color, scale: int = 1) -> int:
    """Draw ``text`` (already :func:`ascii_caption`-ed) at ``x, y``; returns the x after it."""
    rect = canvas.rect
    for ch in text:
        for dx, dy in FONT.get(ch, ()):
            px, py = x + dx * scale, y + dy * scale
            rect(px, py, px + scale, py + scale, color)
        x += 6 * scale
        if x >= canvas.width:
            break
    return x


@dataclass(frozen=True)
class FrameState:
    """What a frame shows (everything the picture depends on)."""

    camera_id: str
    caption: str                # ASCII caption: id and name
    scene: str                  # STREET / RIVERSIDE / GATE / BEACH
    layout_seed: int            # fixed per camera: buildings, horizon, road
    version: int                # picture number: traffic, people, ripples
    clock: str                  # "23/11/2026 09:15:20" (ASCII)
    hour: float                 # local hour of day, for the light
    rain: float                 # 0..1: the storm's strength
    detection: str | None       # kind seen on this frame, or None
    confidence: float = 0.0


def _mix(a, b, f: float):
    return tuple(int(x + (y - x) * f) for x, y in zip(a, b))


def _sky(hour: float, rain: float):
    if 6.0 <= hour < 17.5:
        top, bottom = (86, 140, 196), (176, 204, 226)
    elif 5.0 <= hour < 6.0 or 17.5 <= hour < 19.0:
        top, bottom = (60, 64, 110), (230, 150, 100)
    else:
        top, bottom = (8, 12, 30), (28, 36, 62)
    grey_t, grey_b = (92, 98, 106), (140, 146, 152)
    if rain > 0.0:
        top, bottom = _mix(top, grey_t, min(1.0, rain * 1.3)), _mix(bottom, grey_b, min(1.0, rain * 1.3))
    return top, bottom


def render(state: FrameState) -> bytes:
    """The PNG bytes of one frame (320×180)."""
    lay = random.Random(state.layout_seed)
    var = random.Random(state.layout_seed * 1_000_003 + state.version)
    night = not (5.5 <= state.hour < 18.5)
    c = Canvas(WIDTH, HEIGHT, (40, 40, 40))
    horizon = lay.randint(58, 76)
    top, bottom = _sky(state.hour, state.rain)
    c.vgradient(0, horizon, top, bottom)

    # -- background: buildings, a citadel gate, the river or the sea
    if state.scene == BEACH:
        c.rect(0, horizon, WIDTH, horizon + 30, _mix((40, 110, 150), (70, 80, 90), state.rain))
        for i in range(6):   # surf lines
            y = horizon + 6 + i * 4 + var.randint(0, 2)
            x = var.randint(0, 200)
            c.rect(x, y, x + var.randint(40, 120), y + 1, (200, 220, 230))
        sand_top = horizon + 30
        c.rect(0, sand_top, WIDTH, GROUND, _mix((214, 196, 150), (150, 140, 115), state.rain))
    else:
        x = 0
        while x < WIDTH:
            w = lay.randint(22, 56)
            h = lay.randint(18, horizon - 8)
            color = lay.choice(((214, 186, 110), (226, 220, 205), (170, 170, 168), (196, 140, 110),
                                (150, 176, 160), (230, 200, 150)))
            if night:
                color = _mix(color, (20, 22, 30), 0.75)
            c.rect(x, horizon - h, x + w - 2, horizon, color)
            for wy in range(horizon - h + 4, horizon - 4, 7):     # windows
                for wx in range(x + 3, x + w - 6, 6):
                    lit = night and var.random() < 0.45
                    c.rect(wx, wy, wx + 3, wy + 4, (250, 220, 120) if lit else
                           _mix(color, (40, 50, 60), 0.5))
            x += w
        if state.scene == GATE:     # a citadel gate: red-brown wall, yellow roofs, dark arch
            wall_y = horizon - 34
            c.rect(30, wall_y, WIDTH - 30, horizon, (140, 62, 48))
            c.rect(110, wall_y - 16, 210, wall_y, (160, 70, 52))
            c.rect(100, wall_y - 22, 220, wall_y - 16, (214, 170, 40))      # roof
            c.rect(120, wall_y - 32, 200, wall_y - 26, (214, 170, 40))
            c.rect(138, wall_y + 8, 182, horizon, (30, 20, 18))              # arch
            c.rect(150, wall_y - 26, 170, wall_y - 22, (180, 40, 30))        # plaque
        if state.scene == RIVERSIDE:   # the Hương river between the far bank and the road
            c.rect(0, horizon, WIDTH, horizon + 18, _mix((70, 120, 130), (90, 96, 100), state.rain))
            for i in range(4):
                y = horizon + 3 + i * 4
                x0 = var.randint(0, 260)
                c.rect(x0, y, x0 + var.randint(20, 60), y + 1, (150, 190, 196))
            horizon += 18

    # -- ground: pavement and the road in perspective
    if state.scene != BEACH:
        pave = (118, 116, 110) if not night else (52, 52, 56)
        c.rect(0, horizon, WIDTH, GROUND, pave)
    cx = WIDTH // 2 + lay.randint(-40, 40)
    asphalt = (64, 66, 70) if not night else (34, 35, 40)
    road_top = horizon if state.scene != BEACH else horizon + 34
    span = max(1, GROUND - road_top)
    for y in range(road_top, GROUND if state.scene != BEACH else road_top):
        f = (y - road_top) / span
        half = int(16 + 150 * f)
        c.rect(cx - half, y, cx + half, y + 1, asphalt)
        if (y // 6) % 2 == 0:
            lw = max(1, int(3 * f))
            c.rect(cx - lw, y, cx + lw, y + 1, (230, 220, 150))

    # -- traffic
    vehicles = []
    for _ in range(var.randint(3, 9) if state.scene != BEACH else 0):
        f = var.uniform(0.1, 0.95)
        y = int(road_top + f * span)
        half = int(16 + 150 * f)
        x = cx + int(var.uniform(-0.85, 0.85) * half)
        if var.random() < 0.6:          # motorbike: Huế's traffic is mostly motorbikes
            w, h = max(2, int(6 * f) + 1), max(3, int(12 * f) + 2)
            color = var.choice(((200, 40, 40), (30, 30, 30), (220, 220, 220), (40, 80, 180)))
        else:
            w, h = max(6, int(44 * f)), max(4, int(22 * f))
            color = var.choice(((230, 230, 230), (180, 30, 30), (40, 60, 120), (90, 90, 90), (220, 180, 40)))
        vehicles.append((x - w // 2, y - h, x + w // 2, y, color))
    vehicles.sort(key=lambda v: v[3])
    for x0, y0, x1, y1, color in vehicles:
        c.rect(x0, y0, x1, y1, color)
        if x1 - x0 >= 8:                 # windscreen
            c.rect(x0 + 2, y0 + 1, x1 - 2, y0 + max(2, (y1 - y0) // 3), (120, 150, 170))
        if night:
            c.rect(x0, y1 - 2, x0 + 2, y1, (255, 240, 180))
            c.rect(x1 - 2, y1 - 2, x1, y1, (255, 240, 180))

    kind = state.detection
    # -- a crowd: people (head + body) on the pavement and spilling on the road
    if kind == "crowd":
        n = int(40 + 140 * state.confidence)
        for _ in range(n):
            f = var.uniform(0.15, 1.0)
            y = int(road_top + f * span)
            x = var.randint(0, WIDTH - 1)
            s = 1 + int(3 * f)
            body = var.choice(((200, 60, 60), (60, 90, 180), (230, 230, 230), (40, 40, 40), (230, 190, 60)))
            c.rect(x, y - 4 * s, x + 2 * s, y, body)
            c.rect(x, y - 5 * s - 1, x + 2 * s, y - 4 * s, (225, 190, 160))

    # -- a flooded street: murky water over the road, roofs and riders poking out
    if kind == "flooded_street":
        level = int(road_top + span * (0.6 - 0.3 * state.confidence))
        c.rect(0, level, WIDTH, GROUND, (122, 104, 72))
        for i in range(12):
            y = var.randint(level + 2, GROUND - 2)
            x0 = var.randint(0, WIDTH - 40)
            c.rect(x0, y, x0 + var.randint(15, 60), y + 1, (168, 150, 112))
        for x0, y0, x1, y1, color in vehicles:
            if y1 > level and y0 < level:
                c.rect(x0, y0, x1, level, color)

    # -- a traffic violation: a red box around one vehicle and a tag above it
    if kind == "traffic_violation" and vehicles:
        x0, y0, x1, y1, _color = max(vehicles, key=lambda v: v[3])
        x0, y0, x1, y1 = x0 - 3, y0 - 3, x1 + 3, y1 + 2
        red = (255, 30, 30)
        for r in ((x0, y0, x1, y0 + 2), (x0, y1 - 2, x1, y1), (x0, y0, x0 + 2, y1), (x1 - 2, y0, x1, y1)):
            c.rect(*r, red)
        c.rect(x0, y0 - 10, x0 + 44, y0 - 1, red)
        draw_text(c, x0 + 2, y0 - 9, "VI PHAM", (255, 255, 255))

    # -- rain streaks
    if state.rain > 0.15:
        for _ in range(int(250 * state.rain)):
            x, y = var.randint(0, WIDTH - 2), var.randint(0, GROUND - 6)
            c.rect(x, y, x + 1, y + 5, (200, 206, 214))

    # -- caption band: camera id and name left, the frame's time right; REC dot
    c.rect(0, GROUND, WIDTH, HEIGHT, (16, 18, 22))
    clock_x = WIDTH - 6 * len(state.clock) - 3
    room = max(0, (clock_x - 10) // 6)
    draw_text(c, 4, GROUND + 5, state.caption[:room], (240, 240, 240))
    draw_text(c, clock_x, GROUND + 5, state.clock, (255, 214, 90))
    c.rect(WIDTH - 12, 5, WIDTH - 6, 11, (230, 30, 30))
    return c.png()
