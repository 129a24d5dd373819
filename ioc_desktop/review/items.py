"""A topic's state at T as read from a checkpoint's typed rows, decoded on demand (no Qt).

A checkpoint written since ``checkpoint_rows`` holds each item's JSON text in its typed
row (:mod:`~ioc_desktop.review.checkpoints`).  Decoding all of it at every jump was most
of a jump's cost (the reports: ~7,000 items, 10 MB of JSON, ~140 ms), although a jump
needs few of the values:

- the reader's tables (:mod:`~ioc_desktop.review.reader_tables`) want the texts and the
  typed rows, which the checkpoint holds as they are;
- a model that can make its figures from typed columns (the reports'
  ``typed_columns``) wants those rows;
- a GUI that reads its topic through SQL (``state_in_cache``, e.g. the reports' pins
  and queue) wants nothing: ``in_cache`` tells it to read the reader's tables at T.

:class:`TextItems` is the mapping key -> data of such a topic: its values are decoded
the first time they are read.  The keys the replay after the checkpoint sets carry
their event's text and value; their checkpoint row no longer stands for them.
"""
from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any, Iterable, Iterator, Mapping

import orjson

from ioc_desktop import jsonfast

_UNSET = object()


class TextItems(MutableMapping):
    """key -> data, from the JSON texts (see the module docstring).  Not thread-safe:
    owned by the reader's thread, then handed over read-only."""

    #: the GUIs read a topic in this form through SQL (the reader's tables show T)
    in_cache = True

    __slots__ = ("_texts", "_values", "_rows", "_row_keys", "columns")

    def __init__(self, texts: dict[str, Any], rows: Mapping[str, tuple] | None = None,
                 columns: list[str] | None = None) -> None:
        #: key -> JSON text (str or bytes), or None when only the value is known
        self._texts = texts
        self._values: dict[str, Any] = {}
        #: the checkpoint's typed rows (shared between copies, never changed) and the
        #: keys they still stand for
        self._rows = rows or {}
        self._row_keys: set[str] | None = None      # None: every key of _rows
        self.columns = columns

    @classmethod
    def from_rows(cls, columns: list[str], rows: Mapping[str, tuple]) -> "TextItems":
        at = columns.index("data")
        return cls({key: row[at] for key, row in rows.items()}, rows, columns)

    # ------------------------------------------------------------ the mapping
    def __getitem__(self, key: str) -> Any:
        value = self._values.get(key, _UNSET)
        if value is _UNSET:
            value = self._values[key] = orjson.loads(self._texts[key])
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.set(key, value, None)

    def __delitem__(self, key: str) -> None:
        del self._texts[key]
        self._values.pop(key, None)
        self._drop_row(key)

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def __contains__(self, key: object) -> bool:
        return key in self._texts

    def __repr__(self) -> str:
        return f"<TextItems: {len(self._texts)} items, {len(self._values)} decoded>"

    # ------------------------------------------------------------ beyond a mapping
    @property
    def decoded(self) -> int:
        """How many values were decoded (or set) so far."""
        return len(self._values)

    def set(self, key: str, value: Any, text: str | bytes | None) -> None:
        """Set ``key`` to ``value`` whose JSON is ``text`` (None: made when asked)."""
        self._texts[key] = text
        self._values[key] = value
        self._drop_row(key)

    def decode_all(self) -> None:
        """Decode every value now (on the reader's thread, for a GUI that reads them all)."""
        values, loads = self._values, orjson.loads
        for key, text in self._texts.items():
            if key not in values:
                values[key] = loads(text)

    def text(self, key: str) -> str:
        """The JSON text of ``key``'s value (as stored, when it came from the cache)."""
        text = self._texts[key]
        if text is None:
            text = self._texts[key] = jsonfast.dumps(self._values[key])
        elif isinstance(text, (bytes, bytearray)):
            text = self._texts[key] = bytes(text).decode("utf-8")
        return text

    def same_as(self, other: "TextItems", key: str) -> bool:
        """Whether ``key`` holds the same value in both (by text: no decoding)."""
        mine, theirs = self._texts.get(key, _UNSET), other._texts.get(key, _UNSET)
        if mine is theirs and mine is not None:
            return mine is not _UNSET
        if mine is _UNSET or theirs is _UNSET:
            return False
        if mine is not None and theirs is not None and type(mine) is type(theirs) and mine == theirs:
            return True
        return self[key] == other[key]

    def typed_row(self, key: str) -> tuple | None:
        """The checkpoint's typed row of ``key`` (columns: :attr:`columns`, with its
        ``data`` text), None when the key was set after the checkpoint."""
        if self._row_keys is not None and key not in self._row_keys:
            return None
        return self._rows.get(key)

    def typed_columns(self, names: Iterable[str]) -> dict[str, tuple] | None:
        """key -> the values of the columns ``names`` for every key the checkpoint's
        rows still stand for; None when the rows lack one of the columns."""
        if not self._rows or self.columns is None:
            return None
        try:
            at = [self.columns.index(n) for n in names]
        except ValueError:
            return None
        keys = self._row_keys if self._row_keys is not None else self._rows.keys()
        rows = self._rows
        return {key: tuple(rows[key][i] for i in at) for key in keys}

    def copy(self) -> "TextItems":
        out = TextItems(dict(self._texts), self._rows, self.columns)
        out._values = dict(self._values)
        out._row_keys = None if self._row_keys is None else set(self._row_keys)
        return out

    def _drop_row(self, key: str) -> None:
        if key in self._rows:
            if self._row_keys is None:
                self._row_keys = set(self._rows)
            self._row_keys.discard(key)


def copy_items(items: Mapping) -> MutableMapping:
    """A copy of a topic's state that can be changed without touching ``items``."""
    return items.copy() if isinstance(items, TextItems) else dict(items)


__all__ = ["TextItems", "copy_items"]
