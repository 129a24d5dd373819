"""The video wall's configuration (no Qt): screens, their layouts, presets, auto-switch.

The file is TOML (``--wall FILE``; the format, with a commented example, is in the
README, "The video wall")::

    default_preset = "normal"            # idle_cursor_s = 5.0, close_chord = "Ctrl+Alt+Shift+Q"
    [presets.flood]                      # preset -> screen (name, or index from 0) -> layout
    "HDMI-1" = "flood"
    [[auto_switch]]                      # preset, min_priority (1-4), rules, screens
    preset = "flood"
    [[screens]]                          # name (optional), distance_m, diagonal_in (optional)
    name = "HDMI-1"
    distance_m = 5.0
    [screens.layouts.flood]              # rows, cols (1-12)
    [[screens.layouts.flood.cells]]      # row, col (from 0), rowspan, colspan, every_s
    panel = { kind = "river", hours = 48 }     # or panels = [ {...}, {...} ] (rotation)

It is read with ``tomllib`` and checked completely (unknown keys included): a mistake
raises :class:`WallConfigError`, one line naming the file, the key path and the
problem.  ``wall init`` writes it by hand (:func:`dump_wall_config`: the same
structure, commented), so what it writes reads back as the same configuration.
Panel options are checked for their shape; plugin, layer and station names are the
windows' matter (they decide how a name they don't know is shown).
"""
from __future__ import annotations

import json
import math
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from ioc_desktop import cli_messages as msg
from ioc_desktop.wall.readability import credible_physical_mm


@dataclass
class PanelSpec:
    """One panel: its ``kind`` (see PANEL_KINDS) and its options (validated per kind)."""

    kind: str
    options: dict = field(default_factory=dict)


@dataclass
class Cell:
    """A cell of a layout's grid.  More than one panel: they rotate every ``every_s``."""

    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    panels: list[PanelSpec] = field(default_factory=list)
    every_s: float | None = None


@dataclass
class Layout:
    name: str
    rows: int
    cols: int
    cells: list[Cell] = field(default_factory=list)


@dataclass
class ScreenConfig:
    """One screen of the wall: matched by ``name`` (a QScreen's name), else by order
    (``index``: its position in the file, 0-based)."""

    name: str | None
    index: int
    distance_m: float
    diagonal_in: float | None = None
    layouts: dict[str, Layout] = field(default_factory=dict)


@dataclass
class AutoSwitchRule:
    """Switch to ``preset`` while an alarm of priority <= ``min_priority`` matching
    ``rules`` (alarm rule ids or prefixes; empty: any) is active.  ``screens``: the
    screens switched (names or indexes as text; empty: the preset's screens)."""

    preset: str
    min_priority: int = 1
    rules: tuple[str, ...] = ()
    screens: tuple[str, ...] = ()


@dataclass
class WallConfig:
    """The whole wall.  ``presets``: preset -> {screen name or index as text -> layout
    name}, in the file's order; a screen a preset doesn't name shows its layout named
    like the preset, if it has one (see :meth:`layout_for`).  ``builtin``: the built-in
    default (``default_wall_config``), which :func:`match_screens` re-derives for the
    number of screens present."""

    screens: list[ScreenConfig]
    presets: dict[str, dict[str, str]]
    default_preset: str
    auto_switch: list[AutoSwitchRule] = field(default_factory=list)
    idle_cursor_s: float = 5.0
    close_chord: str = "Ctrl+Alt+Shift+Q"
    builtin: bool = False
    source: str | None = None          # the file it was read from

    # -- helpers for the windows (plain lookups, no Qt)
    def screen_key(self, screen: ScreenConfig) -> str:
        """How presets and rules name ``screen``: its name, else its index as text."""
        return screen.name if screen.name else str(screen.index)

    def find_screen(self, key: str) -> ScreenConfig | None:
        """The screen named ``key``, else the one whose index is ``key``."""
        for s in self.screens:
            if s.name is not None and s.name == key:
                return s
        for s in self.screens:
            if str(s.index) == key:
                return s
        return None

    def _explicit(self, screen: ScreenConfig, preset: str) -> str | None:
        mapping = self.presets.get(preset) or {}
        if screen.name is not None and screen.name in mapping:
            return mapping[screen.name]
        return mapping.get(str(screen.index))

    def touches(self, screen: ScreenConfig, preset: str) -> bool:
        """Does ``preset`` name a layout for ``screen`` (explicitly or by its name)?"""
        name = self._explicit(screen, preset)
        return (name is not None and name in screen.layouts) or preset in screen.layouts

    def preset_screens(self, preset: str) -> list[ScreenConfig]:
        """The screens ``preset`` switches."""
        return [s for s in self.screens if self.touches(s, preset)]

    def layout_for(self, screen: ScreenConfig, preset: str) -> Layout:
        """The layout ``screen`` shows under ``preset``: the preset's mapping, else its
        layout named like the preset, else the default preset's, else its first."""
        for p in (preset, self.default_preset):
            name = self._explicit(screen, p)
            if name is not None and name in screen.layouts:
                return screen.layouts[name]
            if p in screen.layouts:
                return screen.layouts[p]
        return next(iter(screen.layouts.values()))


@dataclass(frozen=True)
class ScreenInfo:
    """A screen present (from a QScreen, or made up in tests): its name, size in device
    pixels and reported physical size (width, height) in mm, when it reports one."""

    name: str | None
    width_px: int
    height_px: int
    physical_mm: tuple[float, float] | None = None


# ---------------------------------------------------------------------------- constants
#: Panel kinds and their options (name -> default; None: no default, optional).
PANEL_KINDS: dict[str, dict] = {
    "map": {"layers": [], "center": None, "zoom": None},   # layers []: every layer
    "river": {"stations": [], "hours": 24.0},               # stations []: every station
    "alarms": {},
    "overview": {},
    "cameras": {"cols": 2, "rows": 2},
    "vessels": {},
    "warnings": {},
    "reports_attention": {},
    "service": {"plugin": None, "panel": None},             # panel None: its first
}
COMMON_OPTIONS = ("title",)           # any panel: the title on its cell's strip
REQUIRED_OPTIONS = {"service": ("plugin",)}

PRESETS = ("normal", "flood", "storm", "night")   # the built-in wall's presets
DEFAULT_DISTANCE_M = 5.0
DEFAULT_IDLE_CURSOR_S = 5.0
DEFAULT_CLOSE_CHORD = "Ctrl+Alt+Shift+Q"
DEFAULT_EVERY_S = 20.0            # a rotating cell without every_s
MAX_GRID = 12                     # rows, cols of a layout
MAX_DISTANCE_M = 100.0
MIN_EVERY_S, MAX_EVERY_S = 2.0, 3600.0
MAX_IDLE_CURSOR_S = 3600.0
MIN_DIAGONAL_IN, MAX_DIAGONAL_IN = 5.0, 1000.0
MAX_HOURS = 24.0 * 31
MAX_ZOOM = 20
MAX_CAMERA_GRID = 8
FORMAT_VERSION = 1

#: Huế: the city, the low wards of Kim Long / Phú Xuân (floods), the coast (storms).
HUE_CENTER = [16.4637, 107.5909]
FLOOD_CENTER = [16.462, 107.565]
STORM_CENTER = [16.56, 107.62]

_TOP_KEYS = ("version", "default_preset", "idle_cursor_s", "close_chord", "presets",
             "auto_switch", "screens")
_SCREEN_KEYS = ("name", "distance_m", "diagonal_in", "layouts")
_LAYOUT_KEYS = ("rows", "cols", "cells")
_CELL_KEYS = ("row", "col", "rowspan", "colspan", "panel", "panels", "every_s")
_RULE_KEYS = ("preset", "min_priority", "rules", "screens")
_MODIFIERS = ("ctrl", "alt", "shift", "meta")


# ---------------------------------------------------------------------------- errors
class WallConfigError(ValueError):
    """A wall configuration that can't be used: one line naming the file, the key path
    (``screens[0].layouts.flood.cells[1].panel.zoom``) and the problem, in the user's
    language (``str(error)``).  The command line exits 2 with it."""

    def __init__(self, path: str | None, key: str | None, template: str, **args):
        self.path = path or "wall"
        self.key = key
        self.template = template
        self.problem_args = args
        super().__init__(self.message)

    @property
    def problem(self) -> str:
        return msg.say(self.template, **self.problem_args)

    @property
    def message(self) -> str:
        if self.key is None:
            return msg.say(msg.WALL_NOT_TOML, path=self.path, reason=self.problem)
        return msg.say(msg.WALL_BAD, path=self.path, key=self.key, problem=self.problem)

    def __str__(self) -> str:
        return self.message


def _show(value) -> str:
    """A value as the file would spell it (one line, short)."""
    try:
        text = _toml_value(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 60 else text[:57] + "…"


class _Checker:
    """Reads a parsed TOML document into the dataclasses, naming the key on any error."""

    def __init__(self, path: str | None):
        self.path = path

    def fail(self, key: str | None, template: str, **args):
        raise WallConfigError(self.path, key, template, **args)

    def keys(self, table: dict, allowed, key: str) -> None:
        for k in table:
            if k not in allowed:
                self.fail(f"{key}.{k}" if key else k, msg.WALL_UNKNOWN_KEY,
                          expected=", ".join(allowed))

    def table(self, value, key: str, example: str) -> dict:
        if not isinstance(value, dict):
            self.fail(key, msg.WALL_NOT_TABLE, example=example)
        return value

    def tables(self, value, key: str, example: str) -> list[dict]:
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.fail(key, msg.WALL_NOT_TABLES, example=example)
        if not value:
            self.fail(key, msg.WALL_EMPTY)
        return value

    def number(self, value, key: str, low: float, high: float, *, low_open=False) -> float:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool) \
            and value == value and (value > low if low_open else value >= low) and value <= high
        if not ok:
            self.fail(key, msg.WALL_NOT_POSITIVE if low_open else msg.WALL_NOT_NUMBER,
                      value=_show(value), min=f"{low:g}", max=f"{high:g}")
        return float(value)

    def integer(self, value, key: str, low: int, high: int) -> int:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.fail(key, msg.WALL_NOT_INTEGER, value=_show(value), min=low, max=high)
        return int(value)

    def text(self, value, key: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(key, msg.WALL_NOT_TEXT, value=_show(value))
        return value

    def texts(self, value, key: str) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            self.fail(key, msg.WALL_NOT_TEXTS, value=_show(value))
        return list(value)

    # -- the document
    def config(self, doc: dict) -> WallConfig:
        self.keys(doc, _TOP_KEYS, "")
        if "version" in doc:
            self.integer(doc["version"], "version", FORMAT_VERSION, FORMAT_VERSION)
        if "screens" not in doc:
            self.fail("screens", msg.WALL_MISSING)
        raw_screens = self.tables(doc["screens"], "screens", '[[screens]] name = "…"')
        screens = [self.screen(s, i) for i, s in enumerate(raw_screens)]
        seen: set[str] = set()
        for s in screens:
            if s.name is not None:
                if s.name in seen:
                    self.fail(f"screens[{s.index}].name", msg.WALL_DUPLICATE_SCREEN, value=s.name)
                seen.add(s.name)
        cfg = WallConfig(screens=screens, presets={}, default_preset="",
                         source=self.path)
        cfg.presets = self.presets(doc.get("presets"), cfg)
        names = list(cfg.presets)
        if "default_preset" in doc:
            default = self.text(doc["default_preset"], "default_preset")
            if default not in cfg.presets:
                self.fail("default_preset", msg.WALL_NO_PRESET, value=default,
                          presets=", ".join(names))
        else:
            default = "normal" if "normal" in cfg.presets else names[0]
        cfg.default_preset = default
        rules = doc.get("auto_switch", [])
        if rules != []:
            rules = self.tables(rules, "auto_switch", '[[auto_switch]] preset = "flood"')
        cfg.auto_switch = [self.rule(r, f"auto_switch[{i}]", cfg) for i, r in enumerate(rules)]
        if "idle_cursor_s" in doc:
            cfg.idle_cursor_s = self.number(doc["idle_cursor_s"], "idle_cursor_s", 0,
                                            MAX_IDLE_CURSOR_S)
        if "close_chord" in doc:
            cfg.close_chord = self.chord(doc["close_chord"], "close_chord")
        return cfg

    def chord(self, value, key: str) -> str:
        text = self.text(value, key)
        parts = [p.strip() for p in text.split("+")]
        if text.endswith("++"):                     # Ctrl++ : the plus key
            parts = parts[:-2] + ["+"]
        *mods, last = parts
        if not last or last.lower() in _MODIFIERS or any(m.lower() not in _MODIFIERS for m in mods) \
                or not mods:
            self.fail(key, msg.WALL_BAD_CHORD, value=text)
        return text

    def screen(self, raw: dict, index: int) -> ScreenConfig:
        key = f"screens[{index}]"
        self.keys(raw, _SCREEN_KEYS, key)
        name = self.text(raw["name"], f"{key}.name") if "name" in raw else None
        if "distance_m" not in raw:
            self.fail(f"{key}.distance_m", msg.WALL_MISSING)
        distance = self.number(raw["distance_m"], f"{key}.distance_m", 0, MAX_DISTANCE_M,
                               low_open=True)
        diagonal = None
        if "diagonal_in" in raw:
            diagonal = self.number(raw["diagonal_in"], f"{key}.diagonal_in", MIN_DIAGONAL_IN,
                                   MAX_DIAGONAL_IN)
        if "layouts" not in raw:
            self.fail(f"{key}.layouts", msg.WALL_MISSING)
        layouts_raw = self.table(raw["layouts"], f"{key}.layouts", f"[{key}.layouts.normal]")
        if not layouts_raw:
            self.fail(f"{key}.layouts", msg.WALL_EMPTY)
        layouts = {n: self.layout(n, lay, f"{key}.layouts.{_toml_key(n)}")
                   for n, lay in layouts_raw.items()}
        return ScreenConfig(name=name, index=index, distance_m=distance, diagonal_in=diagonal,
                            layouts=layouts)

    def layout(self, name: str, raw, key: str) -> Layout:
        raw = self.table(raw, key, "rows = 2, cols = 2, [[…cells]]")
        self.keys(raw, _LAYOUT_KEYS, key)
        rows = self.integer(raw.get("rows", 1), f"{key}.rows", 1, MAX_GRID)
        cols = self.integer(raw.get("cols", 1), f"{key}.cols", 1, MAX_GRID)
        if "cells" not in raw:
            self.fail(f"{key}.cells", msg.WALL_MISSING)
        raw_cells = self.tables(raw["cells"], f"{key}.cells", "[[…cells]] row = 0, col = 0")
        cells: list[Cell] = []
        taken: dict[tuple[int, int], int] = {}
        for i, rc in enumerate(raw_cells):
            ck = f"{key}.cells[{i}]"
            cell = self.cell(rc, ck)
            if cell.row + cell.rowspan > rows or cell.col + cell.colspan > cols:
                self.fail(ck, msg.WALL_CELL_OUTSIDE, rows=rows, cols=cols)
            for r in range(cell.row, cell.row + cell.rowspan):
                for c in range(cell.col, cell.col + cell.colspan):
                    if (r, c) in taken:
                        self.fail(ck, msg.WALL_CELL_OVERLAP, other=taken[(r, c)])
                    taken[(r, c)] = i
            cells.append(cell)
        return Layout(name=name, rows=rows, cols=cols, cells=cells)

    def cell(self, raw: dict, key: str) -> Cell:
        self.keys(raw, _CELL_KEYS, key)
        row = self.integer(raw.get("row", 0), f"{key}.row", 0, MAX_GRID - 1)
        col = self.integer(raw.get("col", 0), f"{key}.col", 0, MAX_GRID - 1)
        rowspan = self.integer(raw.get("rowspan", 1), f"{key}.rowspan", 1, MAX_GRID)
        colspan = self.integer(raw.get("colspan", 1), f"{key}.colspan", 1, MAX_GRID)
        if "panel" in raw and "panels" in raw:
            self.fail(key, msg.WALL_PANEL_OR_PANELS)
        if "panel" in raw:
            panels = [self.panel(raw["panel"], f"{key}.panel")]
        elif "panels" in raw:
            raw_panels = self.tables(raw["panels"], f"{key}.panels", '[{ kind = "river" }, …]')
            panels = [self.panel(p, f"{key}.panels[{i}]") for i, p in enumerate(raw_panels)]
        else:
            self.fail(key, msg.WALL_NO_PANEL)
        every = None
        if "every_s" in raw:
            every = self.number(raw["every_s"], f"{key}.every_s", MIN_EVERY_S, MAX_EVERY_S)
        elif len(panels) > 1:
            every = DEFAULT_EVERY_S
        return Cell(row=row, col=col, rowspan=rowspan, colspan=colspan, panels=panels,
                    every_s=every)

    def panel(self, raw, key: str) -> PanelSpec:
        raw = self.table(raw, key, '{ kind = "map", zoom = 13 }')
        if "kind" not in raw:
            self.fail(f"{key}.kind", msg.WALL_MISSING)
        kind = self.text(raw["kind"], f"{key}.kind")
        if kind not in PANEL_KINDS:
            self.fail(f"{key}.kind", msg.WALL_BAD_KIND, value=kind, kinds=", ".join(PANEL_KINDS))
        allowed = ("kind", *PANEL_KINDS[kind], *COMMON_OPTIONS)
        self.keys(raw, allowed, key)
        for req in REQUIRED_OPTIONS.get(kind, ()):
            if req not in raw:
                self.fail(f"{key}.{req}", msg.WALL_MISSING)
        opts: dict = {}
        for name, value in raw.items():
            if name == "kind":
                continue
            k = f"{key}.{name}"
            if name in ("title", "plugin", "panel"):
                opts[name] = self.text(value, k)
            elif name in ("layers", "stations"):
                opts[name] = self.texts(value, k)
            elif name == "center":
                ok = isinstance(value, list) and len(value) == 2 and all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for v in value) \
                    and -90 <= value[0] <= 90 and -180 <= value[1] <= 180
                if not ok:
                    self.fail(k, msg.WALL_BAD_CENTER, value=_show(value))
                opts[name] = [float(value[0]), float(value[1])]
            elif name == "zoom":
                opts[name] = self.integer(value, k, 1, MAX_ZOOM)
            elif name == "hours":
                opts[name] = self.number(value, k, 0, MAX_HOURS, low_open=True)
            elif name in ("cols", "rows"):
                opts[name] = self.integer(value, k, 1, MAX_CAMERA_GRID)
        return PanelSpec(kind=kind, options=opts)

    def presets(self, raw, cfg: WallConfig) -> dict[str, dict[str, str]]:
        if raw is None:            # none given: every layout name is a preset
            out: dict[str, dict[str, str]] = {}
            for s in cfg.screens:
                for name in s.layouts:
                    out.setdefault(name, {})[cfg.screen_key(s)] = name
            return out
        raw = self.table(raw, "presets", '[presets.normal] "screen" = "layout"')
        if not raw:
            self.fail("presets", msg.WALL_EMPTY)
        out = {}
        for preset, mapping in raw.items():
            key = f"presets.{_toml_key(preset)}"
            mapping = self.table(mapping, key, '"wall-1" = "normal"')
            checked: dict[str, str] = {}
            for screen_key, layout in mapping.items():
                k = f"{key}.{_toml_key(screen_key)}"
                screen = cfg.find_screen(screen_key)
                if screen is None:
                    self.fail(k, msg.WALL_NO_SCREEN, value=screen_key,
                              screens=", ".join(cfg.screen_key(s) for s in cfg.screens))
                layout = self.text(layout, k)
                if layout not in screen.layouts:
                    self.fail(k, msg.WALL_NO_LAYOUT, value=layout, screen=screen_key,
                              layouts=", ".join(screen.layouts))
                checked[screen_key] = layout
            out[preset] = checked
            cfg.presets = out
            if not cfg.preset_screens(preset):
                self.fail(key, msg.WALL_PRESET_EMPTY, value=preset)
        return out

    def rule(self, raw: dict, key: str, cfg: WallConfig) -> AutoSwitchRule:
        self.keys(raw, _RULE_KEYS, key)
        if "preset" not in raw:
            self.fail(f"{key}.preset", msg.WALL_MISSING)
        preset = self.text(raw["preset"], f"{key}.preset")
        if preset not in cfg.presets:
            self.fail(f"{key}.preset", msg.WALL_NO_PRESET, value=preset,
                      presets=", ".join(cfg.presets))
        priority = self.integer(raw.get("min_priority", 1), f"{key}.min_priority", 1, 4)
        rules = tuple(self.texts(raw.get("rules", []), f"{key}.rules"))
        screens = tuple(self.texts(raw.get("screens", []), f"{key}.screens"))
        for i, s in enumerate(screens):
            if cfg.find_screen(s) is None:
                self.fail(f"{key}.screens[{i}]", msg.WALL_NO_SCREEN, value=s,
                          screens=", ".join(cfg.screen_key(x) for x in cfg.screens))
        return AutoSwitchRule(preset=preset, min_priority=priority, rules=rules, screens=screens)


# ---------------------------------------------------------------------------- loading
def parse_wall_config(text: str, path: str | None = None) -> WallConfig:
    """A wall configuration from TOML text (``path`` names it in errors)."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WallConfigError(path, None, "{reason}", reason=str(exc)) from None
    return _Checker(path).config(doc)


def load_wall_config(path: str | os.PathLike | None, n_screens: int = 3) -> WallConfig:
    """The wall configuration in ``path`` (TOML), or without one the built-in default
    (:func:`default_wall_config` for ``n_screens``; :func:`match_screens` adapts it to
    the screens present).  Raises :class:`WallConfigError` for a bad file, OSError
    (or UnicodeDecodeError, a ValueError) for one that can't be read."""
    if path is None:
        return default_wall_config(n_screens)
    data = Path(path).read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise WallConfigError(str(path), None, "{reason}", reason=f"not UTF-8 ({exc.reason})") from None
    return parse_wall_config(text, str(path))


def match_screens(config: WallConfig, screen_infos: list[ScreenInfo]
                  ) -> list[tuple[ScreenInfo, ScreenConfig]]:
    """Pair the screens present with the configured ones: by name first, then the
    rest in order (a configured screen whose name is absent takes the next unnamed
    one: a renamed output still shows something).  Screens beyond the configured ones
    get no window.  The built-in default is re-derived for the number present."""
    if config.builtin and len(config.screens) != max(1, len(screen_infos)):
        config = default_wall_config(len(screen_infos))
    pairs: dict[int, ScreenConfig] = {}
    used: set[int] = set()
    for i, info in enumerate(screen_infos):
        for sc in config.screens:
            if sc.name is not None and sc.name == info.name and sc.index not in used:
                pairs[i] = sc
                used.add(sc.index)
                break
    rest = [sc for sc in config.screens if sc.index not in used]
    for i, info in enumerate(screen_infos):
        if i not in pairs and rest:
            pairs[i] = rest.pop(0)
    return [(screen_infos[i], pairs[i]) for i in sorted(pairs)]


# ---------------------------------------------------------------------------- the default
def _p(kind: str, **options) -> PanelSpec:
    return PanelSpec(kind, options)


def _c(row: int, col: int, *panels: PanelSpec, rowspan: int = 1, colspan: int = 1,
       every_s: float | None = None) -> Cell:
    if len(panels) > 1 and every_s is None:
        every_s = DEFAULT_EVERY_S
    return Cell(row, col, rowspan, colspan, list(panels), every_s)


def _city_map() -> PanelSpec:
    return _p("map", layers=[], center=list(HUE_CENTER), zoom=13)


def _flood_map() -> PanelSpec:
    return _p("map", layers=["environment", "cameras", "alerts", "reports"],
              center=list(FLOOD_CENTER), zoom=14)


def _storm_map() -> PanelSpec:
    return _p("map", layers=["alerts", "vessels", "environment"], center=list(STORM_CENTER),
              zoom=11)


def _river(hours: float = 24.0) -> PanelSpec:
    return _p("river", stations=[], hours=hours)


def _layouts_for(n: int, i: int) -> dict[str, Layout]:
    """Screen ``i``'s layouts on an ``n``-screen wall (preset name = layout name)."""
    L = Layout
    if n == 1:
        return {
            "normal": L("normal", 2, 2, [
                _c(0, 0, _city_map()), _c(0, 1, _p("alarms")), _c(1, 0, _river()),
                _c(1, 1, _p("overview"), _p("reports_attention"), _p("warnings"),
                   _p("vessels"))]),
            "flood": L("flood", 2, 2, [
                _c(0, 0, _river(48.0), rowspan=2), _c(0, 1, _flood_map()),
                _c(1, 1, _p("alarms"))]),
            "storm": L("storm", 2, 2, [
                _c(0, 0, _p("warnings")), _c(0, 1, _storm_map()), _c(1, 0, _p("vessels")),
                _c(1, 1, _p("alarms"))]),
            "night": L("night", 1, 2, [
                _c(0, 0, _p("alarms")),
                _c(0, 1, _p("overview"), _p("reports_attention"), _city_map(), every_s=30.0)]),
        }
    if n == 2 and i == 0 or n >= 3 and i == 0:
        # the situation: alarms, services, what needs doing
        if n == 2:
            return {
                "normal": L("normal", 2, 2, [
                    _c(0, 0, _p("alarms"), colspan=2), _c(1, 0, _p("overview")),
                    _c(1, 1, _p("reports_attention"), _p("warnings"))]),
                "flood": L("flood", 2, 2, [
                    _c(0, 0, _river(48.0), rowspan=2), _c(0, 1, _p("alarms")),
                    _c(1, 1, _p("warnings"))]),
                "storm": L("storm", 2, 2, [
                    _c(0, 0, _p("warnings")), _c(0, 1, _p("alarms")),
                    _c(1, 0, _p("vessels"), colspan=2)]),
                "night": L("night", 2, 1, [
                    _c(0, 0, _p("alarms")),
                    _c(1, 0, _p("overview"), _p("reports_attention"), every_s=30.0)]),
            }
        return {
            "normal": L("normal", 2, 2, [
                _c(0, 0, _p("alarms"), colspan=2), _c(1, 0, _p("overview")),
                _c(1, 1, _p("reports_attention"))]),
            "flood": L("flood", 2, 2, [
                _c(0, 0, _p("alarms"), colspan=2), _c(1, 0, _p("warnings")),
                _c(1, 1, _p("reports_attention"))]),
            "storm": L("storm", 2, 2, [
                _c(0, 0, _p("warnings"), colspan=2), _c(1, 0, _p("alarms")),
                _c(1, 1, _p("overview"))]),
            "night": L("night", 2, 1, [
                _c(0, 0, _p("alarms")), _c(1, 0, _p("overview"))]),
        }
    if n == 2:      # i == 1: the map and the river
        return {
            "normal": L("normal", 2, 3, [
                _c(0, 0, _city_map(), rowspan=2, colspan=2), _c(0, 2, _river()),
                _c(1, 2, _p("cameras", cols=2, rows=2), _p("vessels"))]),
            "flood": L("flood", 2, 3, [
                _c(0, 0, _flood_map(), rowspan=2, colspan=2),
                _c(0, 2, _p("cameras", cols=1, rows=2), rowspan=2)]),
            "storm": L("storm", 1, 1, [_c(0, 0, _storm_map())]),
            "night": L("night", 1, 1, [_c(0, 0, _city_map())]),
        }
    if i == 1:      # the centre of three or more: the map
        return {
            "normal": L("normal", 1, 1, [_c(0, 0, _city_map())]),
            "flood": L("flood", 1, 1, [_c(0, 0, _flood_map())]),
            "storm": L("storm", 1, 1, [_c(0, 0, _storm_map())]),
            "night": L("night", 1, 1, [_c(0, 0, _city_map())]),
        }
    if i == 2:      # the right: the river, cameras, vessels
        return {
            "normal": L("normal", 2, 2, [
                _c(0, 0, _river(), colspan=2), _c(1, 0, _p("cameras", cols=2, rows=2)),
                _c(1, 1, _p("vessels"), _p("warnings"))]),
            "flood": L("flood", 1, 3, [
                _c(0, 0, _river(48.0), colspan=2), _c(0, 2, _p("cameras", cols=1, rows=2))]),
            "storm": L("storm", 2, 2, [
                _c(0, 0, _p("vessels"), colspan=2), _c(1, 0, _river()),
                _c(1, 1, _p("cameras", cols=2, rows=2))]),
            "night": L("night", 1, 1, [
                _c(0, 0, _river(), _p("cameras", cols=2, rows=2), _p("vessels"), every_s=30.0)]),
        }
    # a fourth screen and more: cameras whatever the preset
    return {"normal": L("normal", 1, 1, [_c(0, 0, _p("cameras", cols=3, rows=2))])}


def default_wall_config(n_screens: int) -> WallConfig:
    """The built-in wall for ``n_screens`` (at least one): screens matched by order,
    5 m away, presets normal / flood / storm / night; the flood preset switches on by
    itself while a river station is at BĐ2 or above (``environment.river_bd2``,
    priority 2, or 1 at BĐ3) — see the README, "The video wall"."""
    n = max(1, int(n_screens))
    screens = [ScreenConfig(name=None, index=i, distance_m=DEFAULT_DISTANCE_M, diagonal_in=None,
                            layouts=_layouts_for(n, i)) for i in range(n)]
    presets = {p: {str(s.index): p for s in screens if p in s.layouts} for p in PRESETS}
    return WallConfig(
        screens=screens, presets=presets, default_preset="normal",
        auto_switch=[AutoSwitchRule("flood", min_priority=2, rules=("environment.river_bd2",))],
        idle_cursor_s=DEFAULT_IDLE_CURSOR_S, close_chord=DEFAULT_CLOSE_CHORD, builtin=True)


# ---------------------------------------------------------------------------- writing
_BARE = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


def _toml_key(key: str) -> str:
    return key if key and set(key) <= _BARE else _toml_string(key)


def _toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"not a finite number: {value!r}")
        return repr(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML for {type(value).__name__}")


def _panel_table(spec: PanelSpec) -> dict:
    return {"kind": spec.kind, **{k: v for k, v in spec.options.items() if v is not None}}


HEADER = """\
# HueIOC Desktop: the video wall (ioc-desktop --wall THIS_FILE).
# Format: README.md, "The video wall".  Written by `ioc-desktop wall init`; edit freely.
#
# Screens are matched by name (the names below are the ones this computer reported),
# else in order.  Per screen: distance_m, the operators' viewing distance (the minimum
# text size follows from it: capital letters at least 16 arcminutes high); diagonal_in,
# only when the display reports a wrong physical size; and its layouts.  A layout is a
# grid (rows × cols, counted from 0) of cells; a cell shows one panel, or several that
# rotate every every_s seconds.  Panel kinds: map {layers, center, zoom}, river
# {stations, hours}, alarms, overview, cameras {cols, rows}, vessels, warnings,
# reports_attention, service {plugin, panel}; any panel may have a title.
# A preset switches every screen at once (Ctrl+1… on the console and the wall);
# [[auto_switch]] switches to a preset by itself while an alarm is active.
"""


def dump_wall_config(config: WallConfig, *, notes: dict[int, str] | None = None) -> str:
    """``config`` as a commented TOML document that :func:`parse_wall_config` reads back
    as the same configuration.  ``notes``: a comment per screen index."""
    notes = notes or {}
    out = [HEADER, f"version = {FORMAT_VERSION}",
           f"default_preset = {_toml_string(config.default_preset)}",
           "# seconds without moving the mouse before the pointer hides (0: never)",
           f"idle_cursor_s = {_toml_value(float(config.idle_cursor_s))}",
           "# the key chord that closes a wall window (the console's Wall menu too)",
           f"close_chord = {_toml_string(config.close_chord)}", ""]
    out.append("# preset -> { screen (name, or index from 0) -> that screen's layout }")
    for preset, mapping in config.presets.items():
        out.append(f"[presets.{_toml_key(preset)}]")
        out.extend(f"{_toml_key(s)} = {_toml_string(lay)}" for s, lay in mapping.items())
        out.append("")
    for rule in config.auto_switch:
        out.append("# while an alarm of priority <= min_priority (1 highest) from these rules")
        out.append("# (ids or prefixes; [] any) is active, the screens (names; [] the preset's)")
        out.append("# show the preset; they return once it is cleared and acknowledged")
        out.append("[[auto_switch]]")
        out.append(f"preset = {_toml_string(rule.preset)}")
        out.append(f"min_priority = {rule.min_priority}")
        out.append(f"rules = {_toml_value(list(rule.rules))}")
        out.append(f"screens = {_toml_value(list(rule.screens))}")
        out.append("")
    for screen in config.screens:
        out.append("[[screens]]")
        if screen.index in notes:
            out.extend(f"# {line}" for line in notes[screen.index].splitlines())
        if screen.name is not None:
            out.append(f"name = {_toml_string(screen.name)}")
        out.append("# metres from the operators' seats")
        out.append(f"distance_m = {_toml_value(float(screen.distance_m))}")
        if screen.diagonal_in is not None:
            out.append(f"diagonal_in = {_toml_value(float(screen.diagonal_in))}")
        else:
            out.append("# diagonal_in = 55.0   # inches, if the display reports a wrong size")
        out.append("")
        for name, layout in screen.layouts.items():
            base = f"screens.layouts.{_toml_key(name)}"
            out.append(f"[{base}]")
            out.append(f"rows = {layout.rows}")
            out.append(f"cols = {layout.cols}")
            out.append("")
            for cell in layout.cells:
                out.append(f"[[{base}.cells]]")
                line = f"row = {cell.row}\ncol = {cell.col}"
                if cell.rowspan != 1:
                    line += f"\nrowspan = {cell.rowspan}"
                if cell.colspan != 1:
                    line += f"\ncolspan = {cell.colspan}"
                out.append(line)
                if len(cell.panels) == 1:
                    out.append(f"panel = {_toml_value(_panel_table(cell.panels[0]))}")
                else:
                    out.append("panels = [")
                    out.extend(f"  {_toml_value(_panel_table(p))}," for p in cell.panels)
                    out.append("]")
                if cell.every_s is not None:
                    out.append(f"every_s = {_toml_value(float(cell.every_s))}")
                out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def diagonal_from_mm(physical_mm: tuple[float, float] | None) -> float | None:
    """A reported physical size as a diagonal in inches (None when not reported)."""
    if not physical_mm or min(physical_mm) <= 0:
        return None
    return math.hypot(*physical_mm) / 25.4


def wall_config_for(screens: list[ScreenInfo]) -> tuple[WallConfig, dict[int, str]]:
    """The configuration ``wall init`` writes for the screens present: the built-in
    wall for that many screens, named after them, with a note per screen."""
    config = default_wall_config(len(screens))
    config.builtin = False
    notes: dict[int, str] = {}
    names: dict[str, str] = {}
    seen: set[str] = set()
    for sc, info in zip(config.screens, screens):
        if info.name and info.name not in seen:
            sc.name = info.name
            seen.add(info.name)
        names[str(sc.index)] = config.screen_key(sc)
        note = f"{info.width_px} × {info.height_px} px"
        reported = credible_physical_mm(info.width_px, info.height_px, info.physical_mm)
        diag = diagonal_from_mm(reported)
        if diag is not None:
            w, h = reported
            note += f"; it reports {w:.0f} × {h:.0f} mm ≈ {diag:.0f} in"
        else:
            note += "; it reports no credible physical size: 55 in is assumed"
        notes[sc.index] = note
    config.presets = {p: {names.get(k, k): lay for k, lay in m.items()}
                      for p, m in config.presets.items()}
    return config, notes


def write_wall_config(screens: list[ScreenInfo], path: str | os.PathLike) -> Path:
    """Write ``wall init``'s configuration for ``screens`` to ``path`` (replacing it);
    returns the path.  ``path`` ``-``: nothing is written, see :func:`dump_wall_config`."""
    config, notes = wall_config_for(screens)
    text = dump_wall_config(config, notes=notes)
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
    return path
