"""IOC feed protocol v1 (../shared/PROTOCOL.md): message builders and envelope checks.

Shared by the feed client and the demo backend, so both read the contract the same way.

Extensions (optional, negotiated: a client lists them in its hello's ``accept``; a
backend that doesn't know one ignores it and speaks plain v1):

- ``"events-batch"``: the client may receive ``{"type": "events", "topic": T, "events":
  [{seq, time, op, key, data}, ...]}`` — the same events as consecutive ``event``
  frames, in one frame.
- ``"snapshot-parts"``: a snapshot too large for one frame (the client refuses frames
  over 1 MiB) may come as consecutive ``snapshot`` frames of one topic and seq, each
  with ``"part": i`` (1-based) and ``"parts": n``, their ``items`` together the whole
  state.  The client applies it only once part n arrived; a part out of order, of
  another seq, or a topic's event before the last part, voids it (the client
  resubscribes that topic).  A snapshot without ``part`` is whole, as in v1.
- ``"alarm-actions"``: operators' alarm actions shared by every console
  (:mod:`ioc_desktop.alarms.sharing`).  The only extension the client must *know* was
  accepted, so a backend that speaks it says so: its ``welcome`` carries
  ``"extensions": [...]``, the extensions of the client's ``accept`` it speaks (a
  welcome without the field: none).  Then, and only then, the client

  * sends an alarm action as an ordinary ``action`` on topic ``alarm-actions``
    (through its durable outbox, once, with the outbox's id)::

        {"type": "action", "id": "5f0c…", "topic": "alarm-actions",
         "name": "shelve", "key": "vessels.area_entry/thuan_an_restricted/T-990001",
         "args": {"reason": "sensor maintenance", "until": "2026-11-23T12:00:00+07:00",
                  "at": "2026-11-23T09:15:02+07:00"}}

    ``name`` is one of ``acknowledge``, ``reset``, ``shelve``, ``unshelve``,
    ``remove_from_service``, ``return_to_service``, ``silence``; ``key`` is the alarm
    id (``"<rule>/<key>"``, the same on every console), ``"*"`` for ``silence``;
    ``args``: ``at`` (when the operator acted, RFC 3339), ``reason`` (text, required
    for ``shelve`` and ``remove_from_service``), ``until`` (RFC 3339, required for
    ``shelve`` and ``silence``), ``priority`` (1–4 or null: ``silence`` only).  The
    backend refuses (``ack`` not ok) what the role rules forbid: every action needs the
    role ``operator`` or ``supervisor``; ``remove_from_service`` and
    ``return_to_service`` need ``supervisor`` (``forbidden: supervisor role
    required``);
  * subscribes to topic ``alarm-actions`` like any other (resume by ``after``); the
    backend publishes every accepted action there once, keyed by its action id, with
    the user of the sender's token (never what the message said)::

        {"type": "event", "topic": "alarm-actions", "seq": 17, "time": "…",
         "op": "upsert", "key": "5f0c…",
         "data": {"action_id": "5f0c…", "action": "shelve",
                  "alarm_id": "vessels.area_entry/thuan_an_restricted/T-990001",
                  "user": "Ca trực IOC (demo)", "roles": ["operator", "supervisor"],
                  "reason": "sensor maintenance", "until": "2026-11-23T12:00:00+07:00",
                  "priority": null, "at": "2026-11-23T09:15:02+07:00"}}

  Every console (the sender too) applies it with that action id; an id already applied
  is ignored, so each console applies an action once.  A backend that doesn't list the
  extension never sees the topic nor such actions: the client keeps them on its own
  console (and in its outbox, held, should a backend that shares them come later).
"""
from __future__ import annotations

import ipaddress
from typing import Any
from urllib.parse import urlsplit

from ioc_desktop import __version__, jsonfast
from ioc_desktop.plugin_api import GOOD_TIMES, check_instant

PROTOCOL_VERSION = 1
CLIENT_NAME = f"ioc-desktop/{__version__}"
MAX_FRAME_BYTES = 1024 * 1024          # the client refuses larger frames (close 1009)
MAX_KEY_LEN = 200
MAX_SEQ = 2 ** 53 - 1     # beyond it, a seq can't round-trip through JSON in every backend
BATCH_EXTENSION = "events-batch"
SNAPSHOT_PARTS_EXTENSION = "snapshot-parts"
ALARM_ACTIONS_EXTENSION = "alarm-actions"
ALARM_ACTIONS_TOPIC = "alarm-actions"      # the topic the extension's relayed actions come on
MAX_EXTENSIONS = 32
OPS = ("upsert", "delete")


class FrameError(ValueError):
    """A frame that breaks the protocol; ``str()`` is the reason recorded and shown."""

    def __init__(self, reason: str, topic: str | None = None, seq: int | None = None):
        super().__init__(reason)
        self.topic = topic
        self.seq = seq


def dumps(msg: dict) -> str:
    return jsonfast.dumps(msg)


# ---------------------------------------------------------------- client -> server
def hello(accept: tuple[str, ...] = (BATCH_EXTENSION, SNAPSHOT_PARTS_EXTENSION)) -> str:
    return dumps({"type": "hello", "client": CLIENT_NAME, "protocol": PROTOCOL_VERSION,
                  "accept": list(accept)})


def accepted_extensions(welcome: dict) -> tuple[str, ...]:
    """The extensions a ``welcome`` says the backend speaks (``"extensions"``: a list of
    names; absent, or not a list: none).  Untrusted: only short texts are kept."""
    listed = welcome.get("extensions") if isinstance(welcome, dict) else None
    if not isinstance(listed, list):
        return ()
    return tuple(dict.fromkeys(e for e in listed[:MAX_EXTENSIONS]
                               if isinstance(e, str) and 0 < len(e) <= 64))


def subscribe(after: dict[str, int]) -> str:
    return dumps({"type": "subscribe", "topics": {t: {"after": s} for t, s in after.items()}})


def action(action_id: str, topic: str, name: str, key: str, args: dict) -> str:
    return dumps({"type": "action", "id": action_id, "topic": topic, "name": name,
                  "key": key, "args": args})


# ---------------------------------------------------------------- checks
def is_loopback_url(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_feed_url(url: str) -> str:
    """wss:// anywhere, ws:// only on loopback (PROTOCOL.md, Connection)."""
    try:
        parts = urlsplit(url)
        parts.port                     # ValueError on a port out of range or not a number
    except ValueError as exc:
        raise ValueError(f"feed URL {url[:200]!r} is not a valid address ({exc})") from None
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ValueError(f"feed URL must be ws:// or wss://HOST/feed, got {url[:200]!r}")
    if parts.scheme == "ws" and not is_loopback_url(url):
        raise ValueError(f"plain ws:// is accepted only for loopback addresses: {url!r}")
    return url


def decode(text: str | bytes, *, binary: bool | None = None) -> dict:
    """A frame's message.  ``text`` may be the raw bytes of a text frame (orjson checks
    their UTF-8); ``binary`` says the frame was binary (default: ``text`` is bytes)."""
    if binary or (binary is None and isinstance(text, bytes)):
        raise FrameError("binary frame (the protocol uses JSON text frames)")
    if not text:
        raise FrameError("empty frame")
    try:
        msg = jsonfast.loads(text)
    except ValueError as exc:
        raise FrameError(f"malformed JSON: {str(exc)[:200]}") from None
    except RecursionError:
        raise FrameError("JSON nested too deeply") from None
    if not isinstance(msg, dict):
        raise FrameError(f"frame is a JSON {type(msg).__name__}, not an object")
    kind = msg.get("type")
    if not isinstance(kind, str):
        raise FrameError("frame has no 'type'")
    return msg


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_time(value: Any, where: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or len(value) > 64:
        raise ValueError(f"{where}: expected an RFC 3339 time")
    if value.__class__ is str and value in GOOD_TIMES:
        return value
    try:
        check_instant(value)     # the same rules as the validators' as_time
    except ValueError as exc:
        raise ValueError(f"{where}: {exc}") from None
    return value


def event_envelope(msg: dict) -> tuple[str, int]:
    """topic and seq of an event, or FrameError if they are unusable."""
    topic, seq = msg.get("topic"), msg.get("seq")
    if not isinstance(topic, str) or not topic or len(topic) > 64:
        raise FrameError("event without a valid 'topic'")
    if not _int(seq) or not 1 <= seq <= MAX_SEQ:
        raise FrameError(f"event 'seq' must be an integer from 1 to 2^53-1, got {seq!r:.40}", topic)
    return topic, seq


def event_body(msg: dict, topic: str, seq: int) -> tuple[str, str, str | None, Any]:
    """op, key, time, data of an event whose envelope is sound (FrameError keeps topic/seq)."""
    op = msg.get("op")
    if op not in OPS:
        raise FrameError(f"event 'op' must be one of {list(OPS)}, got {op!r:.40}", topic, seq)
    key = msg.get("key")
    if not isinstance(key, str) or not key or len(key) > MAX_KEY_LEN:
        raise FrameError(f"event 'key' must be text of 1..{MAX_KEY_LEN} characters", topic, seq)
    try:
        when = check_time(msg.get("time"), "event 'time'")
    except ValueError as exc:
        raise FrameError(str(exc), topic, seq) from None
    data = msg.get("data")
    if op == "upsert" and not isinstance(data, dict):
        raise FrameError(f"upsert 'data' must be an object, got {type(data).__name__}", topic, seq)
    return op, key, when, data
