"""JSON for the hot path (every event is decoded once and stored once).

orjson is several times faster than the standard library at both, which is most of the
feed's cost per event (bench/feed_throughput.py).  It is also stricter: NaN/Infinity
literals and integers beyond 64 bits are refused as malformed, which the validators
would refuse anyway.
"""
from __future__ import annotations

import orjson

JSONDecodeError = orjson.JSONDecodeError   # a ValueError


def loads(text: str | bytes):
    return orjson.loads(text)


def dumps(obj) -> str:
    """Compact UTF-8 JSON text (non-ASCII kept as is, like ensure_ascii=False)."""
    return orjson.dumps(obj).decode("utf-8")
