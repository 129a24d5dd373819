"""The plugin API: what a service plugin declares and what the core asks of it.

A plugin is found through the entry-point group ``ioc_desktop.plugins`` (built-ins
register there exactly like third parties).  The parts the core uses headless
(validation, materialisation, simulation) are plain Python; the GUI part is created
lazily through :meth:`Plugin.create_gui`, so ``serve-demo`` and ``sync`` never need a
display.
"""
from __future__ import annotations

import importlib
import math
import random
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import urlsplit

ENTRY_POINT_GROUP = "ioc_desktop.plugins"


class ValidationError(ValueError):
    """A payload that breaks its topic's rules.  ``str(err)`` is the reason shown to users."""


# --------------------------------------------------------------------------- validation
# Small typed accessors shared by every plugin's validator, so that the reasons read the
# same everywhere ("data.lat: expected a number, got 'abc'").

def _fail(path: str, message: str) -> ValidationError:
    return ValidationError(f"{path}: {message}")


# Containers whose ``in`` is the same membership test as ``set(...)``'s and can be
# repeated (not an iterator; not a str, whose ``in`` finds substrings).
_CONTAINERS = (tuple, list, set, frozenset, dict)


def as_payload(data: Any) -> dict:
    """A shallow copy of an event's ``data`` to normalise, or why it isn't an object."""
    if not isinstance(data, dict):
        raise ValidationError(f"data: expected an object, got {type(data).__name__}")
    return dict(data)


def as_id(data: Mapping[str, Any], name: str, *, max_len: int = 64) -> str:
    """An identifier: text that isn't blank."""
    value = as_str(data, name, max_len=max_len)
    if not value.strip():
        raise _fail(f"data.{name}", "must not be empty")
    return value


def req(data: Mapping[str, Any], name: str) -> Any:
    if name not in data or data[name] is None:
        raise _fail(f"data.{name}", "required field missing")
    return data[name]


def as_str(data: Mapping[str, Any], name: str, *, required: bool = True,
           max_len: int = 10_000, choices: Iterable[str] | None = None) -> str | None:
    value = data.get(name)
    if value.__class__ is str and choices is None and len(value) <= max_len:
        return value                     # the common case, decided at once
    if value is None:
        if required:
            raise _fail(f"data.{name}", "required field missing")
        return None
    if not isinstance(value, str):
        raise _fail(f"data.{name}", f"expected text, got {type(value).__name__}")
    if len(value) > max_len:
        raise _fail(f"data.{name}", f"text longer than {max_len} characters")
    if choices is not None:
        if not isinstance(choices, _CONTAINERS):
            choices = tuple(choices)       # an iterator: read it once
        if value not in choices:
            raise _fail(f"data.{name}", f"{value[:40]!r} is not one of {sorted(set(choices))}")
    return value


def as_number(data: Mapping[str, Any], name: str, *, required: bool = True,
              lo: float | None = None, hi: float | None = None) -> float | None:
    value = data.get(name)
    # the common cases, decided at once: a finite float or an int within the bounds
    cls = value.__class__
    if ((cls is float and value - value == 0.0 or cls is int)
            and (lo is None or value >= lo) and (hi is None or value <= hi)):
        return float(value)
    if value is None:
        if required:
            raise _fail(f"data.{name}", "required field missing")
        return None
    # bool is an int in Python; a feed that sends true for a level is wrong.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _fail(f"data.{name}", f"expected a number, got {type(value).__name__}")
    if not math.isfinite(value):
        raise _fail(f"data.{name}", "not a finite number")
    if lo is not None and value < lo:
        raise _fail(f"data.{name}", f"{value} below {lo}")
    if hi is not None and value > hi:
        raise _fail(f"data.{name}", f"{value} above {hi}")
    return float(value)


def as_bool(data: Mapping[str, Any], name: str, *, required: bool = True) -> bool | None:
    value = data.get(name)
    if value is None:
        if required:
            raise _fail(f"data.{name}", "required field missing")
        return None
    if not isinstance(value, bool):
        raise _fail(f"data.{name}", f"expected true/false, got {type(value).__name__}")
    return value


def as_time(data: Mapping[str, Any], name: str, *, required: bool = True) -> str | None:
    """An RFC 3339 timestamp with offset; returned unchanged (as text) when valid."""
    value = data.get(name)
    if value.__class__ is str and value in _GOOD_TIMES:   # instants recur (ticks, fixes)
        return value
    value = as_str(data, name, required=required, max_len=64)
    if value is None:
        return None
    try:
        check_instant(value)
    except ValueError as exc:
        raise _fail(f"data.{name}", str(exc)) from None
    return value


# Instants a feed may carry: wide enough for any record (historical floods, licences),
# narrow enough that every conversion the client makes (to UTC, to +07:00, to a Unix
# time, to JavaScript's Date) works.  "0001-01-01T00:00:00+14:00" validates as RFC 3339
# but can't be converted to UTC at all.
MIN_YEAR, MAX_YEAR = 1900, 2199


def check_instant(value: str) -> datetime:
    """Parse an RFC 3339 time with offset within MIN_YEAR..MAX_YEAR (UTC) and remember it
    as good; ValueError with the reason (without the field's name) otherwise."""
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{value[:40]!r} is not an RFC 3339 time") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{value[:40]!r} has no UTC offset")
    try:
        year = parsed.astimezone(timezone.utc).year
    except (OverflowError, ValueError):
        year = None
    if year is None or not MIN_YEAR <= year <= MAX_YEAR:
        raise ValueError(f"{value[:40]!r} is outside the years {MIN_YEAR}-{MAX_YEAR}")
    good_time(value)
    return parsed


#: Texts already found to be RFC 3339 times with an offset (at most 64 characters):
#: validity is a pure function of the text, so a hit skips the parse.  Bounded (cleared,
#: never rebound: validators may test ``value in GOOD_TIMES`` on an exact ``str`` as a
#: fast path and call :func:`as_time` otherwise).
GOOD_TIMES: set[str] = set()
_GOOD_TIMES = GOOD_TIMES
_GOOD_TIMES_MAX = 8192


def good_time(value: str) -> None:
    """Remember ``value`` as a valid time (it must have passed :func:`as_time`'s checks)."""
    if value.__class__ is not str:
        return
    if len(_GOOD_TIMES) >= _GOOD_TIMES_MAX:
        _GOOD_TIMES.clear()
    _GOOD_TIMES.add(value)


def as_latlon(data: Mapping[str, Any], *, lat: str = "lat", lon: str = "long",
              required: bool = True) -> tuple[float, float] | None:
    """WGS 84 degrees; (0, 0) is rejected too: it is what a broken GPS sends."""
    la = as_number(data, lat, required=required, lo=-90, hi=90)
    lo = as_number(data, lon, required=required, lo=-180, hi=180)
    if la is None or lo is None:
        if required or (la is None) != (lo is None):
            raise _fail(f"data.{lat}/{lon}", "both coordinates are needed")
        return None
    if la == 0 and lo == 0:
        raise _fail(f"data.{lat}/{lon}", "position 0,0 (no fix)")
    return la, lo


_BAD_URL_CHARS = re.compile(r"[\x00-\x20\x7f\s]")
# scheme, optional userinfo, host (name or [IPv6]), optional port, then the path
_HTTP_URL = re.compile(r"https?://([^/?#@]*@)?(\[[0-9A-Fa-f:.]+\]|[^/?#:@\[\]]+)(:\d{1,5})?([/?#]|$)",
                       re.IGNORECASE)


def check_url(url: str, field: str, *, backend_path: bool = False) -> None:
    """An absolute http(s) address with a host (or, with ``backend_path``, a path on the
    backend: ``/media/…``); ValidationError naming ``field`` otherwise.  Whatever the
    text, it never raises anything else (``urlsplit`` raises ValueError on ``http://[::1``,
    ``.port`` on ``:99999``)."""
    if _BAD_URL_CHARS.search(url):
        raise _fail(f"data.{field}", "contains spaces or control characters")
    match = _HTTP_URL.match(url)
    if match and (not match.group(3) or int(match.group(3)[1:]) <= 65535):
        return                       # the usual case, cheaply (a feed sends thousands)
    if backend_path and url.startswith("/") and not url.startswith("//"):
        return
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port
    except ValueError as exc:
        raise _fail(f"data.{field}", f"{url[:40]!r} is not a valid address ({exc})") from None
    if parts.scheme.lower() not in ("http", "https"):
        allowed = "a backend path ('/media/…') or an http(s) address" if backend_path \
            else "an http(s) address"
        scheme = f" (scheme {parts.scheme[:20]!r})" if parts.scheme else ""
        raise _fail(f"data.{field}", f"{url[:40]!r} is not {allowed}{scheme}")
    if not host:
        raise _fail(f"data.{field}", f"{url[:40]!r} has no host")
    raise _fail(f"data.{field}", f"{url[:40]!r} is not a valid address")


def as_object(data: Mapping[str, Any], name: str, *, required: bool = True) -> dict | None:
    value = data.get(name)
    if value.__class__ is dict:
        return value
    if value is None:
        if required:
            raise _fail(f"data.{name}", "required field missing")
        return None
    if not isinstance(value, dict):
        raise _fail(f"data.{name}", f"expected an object, got {type(value).__name__}")
    return value


def as_list(data: Mapping[str, Any], name: str, *, required: bool = True,
            max_items: int = 10_000) -> list | None:
    value = data.get(name)
    if value.__class__ is list and len(value) <= max_items:
        return value
    if value is None:
        if required:
            raise _fail(f"data.{name}", "required field missing")
        return None
    if not isinstance(value, list):
        raise _fail(f"data.{name}", f"expected a list, got {type(value).__name__}")
    if len(value) > max_items:
        raise _fail(f"data.{name}", f"more than {max_items} items")
    return value


# --------------------------------------------------------------------------- actions
class ActionRefused(Exception):
    """An action is not allowed: ``code`` is machine-readable (``bad_request``,
    ``forbidden``, ``conflict``, ``not_found``, ``not_supported``, ``unavailable``),
    ``str()`` is ``"code: reason"``, the text an ``ack`` carries (PROTOCOL.md)."""

    def __init__(self, code: str, reason: str):
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


@dataclass(frozen=True)
class ActionUser:
    """Who takes an action: the name and roles the backend gave the connection's token
    (never what the message says)."""

    name: str
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class TopicActions:
    """The actions a topic's items take, and what outsiders may see of them: the hook
    through which a service's own rules reach the core (which names no service).

    Plain callables, Qt-free; each may be None (absent).  Refusals are raised as
    :class:`ActionRefused`, whose text the user reads.

    ``apply(state, name, key, args, user, now) -> {key: new data}``
        The backend's decision (the demo backend calls it on its thread, between
        ticks): ``state`` is the topic's current items (``key -> data``, read-only;
        ``state[key]`` exists), ``args`` an object, ``user`` an :class:`ActionUser`,
        ``now`` the backend's (aware) clock.  Returns every item the action changes
        (usually ``key`` alone; a merge changes two), each validated by the topic's
        ``validate`` before it is published as an ``upsert``.  Without ``apply`` the
        topic accepts no actions (``not_supported``).
    ``local_rule(name, key, args, roles, data, lookup) -> None``
        The client's check before queuing (the outbox), with the backend's own reasons:
        ``roles`` the user's, ``data`` the item as the client holds it (None when the
        caller gave none: check what doesn't depend on it), ``lookup(key)`` another
        cached item or None (``lookup`` itself may be None).  Without it, actions on
        the topic are queued unchecked and the backend decides.
    ``redact(data, audience) -> data``
        What a client outside the IOC (none of the roles operator, supervisor, viewer:
        an agency) receives of an item; ``audience`` is that client's roles.  Must not
        change ``data``.  Without it, every client receives items whole.
    """

    apply: Callable[[Mapping[str, dict], str, str, dict, ActionUser, datetime],
                    dict[str, dict]] | None = None
    local_rule: Callable[[str, str, dict, tuple[str, ...], dict | None,
                          Callable[[str], dict | None] | None], None] | None = None
    redact: Callable[[dict, tuple[str, ...]], dict] | None = None


# --------------------------------------------------------------------------- topics
@dataclass
class TopicSpec:
    """One feed topic, its state table and its rules.

    ``columns`` are the state table's typed columns (name -> Python type: str, float,
    int); each state row also has ``key`` (primary key), ``seq``, ``time`` and ``data``
    (the whole validated payload as JSON), so that nothing a feed sent is lost.
    ``validate`` returns the normalised payload or raises :class:`ValidationError`.
    ``to_row`` maps a validated payload onto ``columns``.  ``actions`` are the
    :class:`TopicActions` its items take (None: none).
    """

    name: str
    key_field: str
    validate: Callable[[dict], dict]
    columns: dict[str, type] = field(default_factory=dict)
    to_row: Callable[[str, dict], dict] | None = None
    state_table: str | None = None
    indexes: list[tuple[str, ...]] = field(default_factory=list)
    # Extra schema the plugin needs on the cache (an FTS index, triggers): called with
    # the writer's connection inside the schema transaction, at every open; idempotent.
    setup: Callable[[Any], None] | None = None
    # After this many seconds without new data the topic is shown as stale.
    stale_after_s: float = 120.0
    # What users may do to its items, and what outsiders may see (None: nothing, all).
    actions: TopicActions | None = None

    @property
    def table(self) -> str:
        return self.state_table or self.name

    def row(self, key: str, data: dict) -> dict:
        if self.to_row is None:
            return {}
        return self.to_row(key, data)


# --------------------------------------------------------------------------- simulation
@dataclass
class SimEvent:
    """One change a simulator makes: upsert (data given) or delete (data None)."""

    topic: str
    key: str
    data: dict | None
    op: str = "upsert"


class Simulator:
    """A demo-backend source of believable data for one plugin's topics.

    The demo server calls :meth:`start` once, then :meth:`step` every tick with the
    simulated time; all randomness must come from ``rng`` so that a seed replays the
    same stream.  ``budget`` is how many events the server would like this tick
    (a hint for rate control; bursty services may send more or fewer).
    ``budget_weight`` is this simulator's share of the server's rate relative to the
    others (0: it makes its own rare bursts and takes no share).
    """

    budget_weight: float = 1.0

    def start(self, rng: random.Random, now: datetime) -> list[SimEvent]:  # pragma: no cover
        return []

    def step(self, rng: random.Random, now: datetime, budget: int) -> list[SimEvent]:  # pragma: no cover
        return []

    def external_update(self, topic: str, key: str, data: dict | None) -> None:
        """The backend changed an item outside the simulator (a user's action, or the log
        replayed at start-up): take ``data`` as the current version of ``key`` (None:
        deleted), so that the next steps continue from it instead of overwriting it with
        stale data.  ``data`` is the simulator's own copy.  Called on the server's thread,
        between ticks; must not draw from the rng (a replay would no longer match)."""

    def media(self, name: str) -> tuple[str, bytes] | None:
        """A file the demo backend serves at ``/media/<topic>/<name>`` (e.g. a camera
        snapshot): ``(content type, bytes)``, or None for 404.  Called on the server's
        thread; must not block for long."""
        return None


# --------------------------------------------------------------------------- plugins
class Plugin:
    """Base class of a service plugin.  Subclasses set the class attributes.

    ``name`` is the plugin id (package name), ``title`` is an English title that the
    GUI translates (context ``"plugins"``).  ``order`` places it among the others.
    ``simulator_class`` and ``gui_class`` name the demo simulator and the GUI as
    ``"module:Class"`` relative to the plugin's package (``"simulator:VesselsSimulator"``):
    they are imported only when asked for, so headless uses never load Qt.  Override
    :meth:`simulator` / :meth:`create_gui` instead when that doesn't fit.

    The situation layer (:mod:`ioc_desktop.situation`) runs the plugin's domain state
    and alarms off the GUI thread:

    * ``model_class`` (``"model:VesselsModel"``, imported lazily like the others) names
      a Qt-free model satisfying :class:`ioc_desktop.situation.SituationModel`: built
      with no argument, reset from the state of the plugin's first topic, fed every
      committed batch of it.  Override :meth:`create_model` when that doesn't fit.
    * :meth:`alarm_rules` returns the plugin's
      :class:`~ioc_desktop.alarms.engine.AlarmRule` s, evaluated over that model by the
      core's alarm engine after every batch and on a timer.  Rules need a model.
    """

    name: str = ""
    title: str = ""
    order: int = 100
    topics: list[TopicSpec] = []
    simulator_class: str | None = None
    gui_class: str | None = None
    model_class: str | None = None

    def _import(self, ref: str):
        module, _, cls = ref.partition(":")
        package = type(self).__module__
        return getattr(importlib.import_module(f".{module}", package), cls)

    def simulator(self) -> Simulator | None:
        """A simulator for the demo backend, or None."""
        return self._import(self.simulator_class)() if self.simulator_class else None

    def create_model(self) -> Any:
        """A new situation model (see :class:`ioc_desktop.situation.SituationModel`),
        or None."""
        return self._import(self.model_class)() if self.model_class else None

    def alarm_rules(self) -> list:
        """This plugin's alarm rules (``AlarmRule`` s) over its model; none by default."""
        return []

    def create_gui(self, context: Any) -> Any:
        """Build this plugin's GUI part (panels, map layers, KPIs).

        Imported lazily by the app only; ``context`` is the app's ``widgets.AppContext``.
        Returns an object implementing ``widgets.plugin_gui.PluginGui``, constructed
        as ``GuiClass(plugin, context)``.
        """
        return self._import(self.gui_class)(self, context) if self.gui_class else None


@dataclass
class LoadedPlugin:
    name: str
    plugin: Plugin | None
    error: str | None = None


def load_plugins(entry_points: Iterable[Any] | None = None) -> list[LoadedPlugin]:
    """Load every plugin of the entry-point group; one that fails is reported, not fatal."""
    if entry_points is None:
        from importlib.metadata import entry_points as _eps
        entry_points = _eps(group=ENTRY_POINT_GROUP)
    loaded: list[LoadedPlugin] = []
    seen_topics: dict[str, str] = {}
    for ep in sorted(entry_points, key=lambda e: e.name):
        try:
            obj = ep.load()
            plugin = obj() if isinstance(obj, type) else obj
            if not isinstance(plugin, Plugin):
                raise TypeError(f"{ep.value} is not an ioc_desktop Plugin")
            if not plugin.name:
                plugin.name = ep.name
            for spec in plugin.topics:
                if spec.name in seen_topics:
                    raise ValueError(f"topic {spec.name!r} already served by plugin "
                                     f"{seen_topics[spec.name]!r}")
            for spec in plugin.topics:
                seen_topics[spec.name] = plugin.name
            loaded.append(LoadedPlugin(ep.name, plugin))
        except Exception as exc:  # a broken plugin must never take the app down
            loaded.append(LoadedPlugin(ep.name, None, f"{type(exc).__name__}: {exc}"))
    loaded.sort(key=lambda lp: (lp.plugin.order if lp.plugin else 10_000, lp.name))
    return loaded


def topic_map(plugins: Iterable[LoadedPlugin | Plugin]) -> dict[str, TopicSpec]:
    out: dict[str, TopicSpec] = {}
    for p in plugins:
        plugin = p.plugin if isinstance(p, LoadedPlugin) else p
        if plugin is None:
            continue
        for spec in plugin.topics:
            out[spec.name] = spec
    return out
