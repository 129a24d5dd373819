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

import zlib
from collections.abc import MutableMapping
from typing import Any, Iterable, Iterator, Mapping

import orjson

from ioc_desktop import jsonfast

_UNSET = object()
_STORED = object()      # a key's text: the checkpoint's (in the store)


class RowStore:
    """A checkpoint topic's typed rows by column, each column decoded the first time it
    is asked for (the reports: 7 small columns make the model's records, where the
    ``data`` texts alone are 11 MB of JSON).  ``names``: the column names; ``blobs``:
    per column, its values as a zlib-compressed JSON list (rows in the same order)."""

    __slots__ = ("names", "_blobs", "_columns", "_index", "_rows")

    def __init__(self, names: list[str], blobs: list[bytes]) -> None:
        if len(names) != len(blobs) or "key" not in names or "data" not in names:
            raise ValueError("not a checkpoint's columns")
        self.names = list(names)
        self._blobs = blobs
        self._columns: dict[str, list] = {}
        self._index: dict[str, int] | None = None
        self._rows: list[tuple] | None = None

    @classmethod
    def of_rows(cls, names: list[str], rows: Iterable[tuple]) -> "RowStore":
        """From rows as they are (already decoded)."""
        store = cls(names, [b""] * len(names))
        rows = list(rows)
        store._columns = {n: [r[i] for r in rows] for i, n in enumerate(names)}
        return store

    def column(self, name: str) -> list:
        values = self._columns.get(name)
        if values is None:
            values = self._columns[name] = orjson.loads(zlib.decompress(
                self._blobs[self.names.index(name)]))
        return values

    def columns(self, names: Iterable[str]) -> list[list]:
        """The columns ``names`` (see :meth:`column`)."""
        return [self.column(n) for n in names]

    def loaded(self, name: str) -> bool:
        """Whether the column ``name`` was decoded."""
        return name in self._columns

    @property
    def index(self) -> dict[str, int]:
        """key -> its row's position."""
        if self._index is None:
            self._index = {key: i for i, key in enumerate(self.column("key"))}
        return self._index

    def row(self, i: int) -> tuple:
        """The ``i``-th row.  The rows are made all at once, the first time one is
        asked for (a reader table takes thousands: one tuple of 31 columns at a time
        cost ~0.1 s per jump)."""
        if self._rows is None:
            self._rows = list(zip(*(self.column(n) for n in self.names)))
        return self._rows[i]


class TextItems(MutableMapping):
    """key -> data, from a checkpoint's rows (see the module docstring).  Not
    thread-safe: owned by the reader's thread, then handed over read-only (its values
    decoded first, unless its readers read SQL)."""

    #: the GUIs read a topic in this form through SQL (the reader's tables show T)
    in_cache = True

    __slots__ = ("_store", "_texts", "_values", "_versions", "log")

    def __init__(self, store: RowStore, log: str | None = None) -> None:
        self._store = store
        #: key -> JSON text (str or bytes), None when only the value is known, or
        #: _STORED: the checkpoint's
        self._texts: dict[str, Any] = dict.fromkeys(store.index, _STORED)
        self._values: dict[str, Any] = {}
        #: key -> seq of the event that set it after the checkpoint (None: not known)
        self._versions: dict[str, int | None] = {}
        #: the log the items were read from (versions compare only within one)
        self.log = log

    @property
    def columns(self) -> list[str]:
        return self._store.names

    @property
    def store(self) -> RowStore:
        return self._store

    # ------------------------------------------------------------ the mapping
    def __getitem__(self, key: str) -> Any:
        value = self._values.get(key, _UNSET)
        if value is _UNSET:
            value = self._values[key] = orjson.loads(self.text(key))
        return value

    def __setitem__(self, key: str, value: Any) -> None:
        self.set(key, value, None)

    def __delitem__(self, key: str) -> None:
        del self._texts[key]
        self._values.pop(key, None)
        self._versions.pop(key, None)

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

    def set(self, key: str, value: Any, text: str | bytes | None,
            version: int | None = None) -> None:
        """Set ``key`` to ``value`` whose JSON is ``text`` (None: made when asked),
        from the event of seq ``version`` (None: not known)."""
        self._texts[key] = text
        self._values[key] = value
        self._versions[key] = version

    def decode_all(self) -> None:
        """Decode every value now (on the reader's thread, for a GUI that reads them all).
        The checkpoint's texts in one pass over its columns: a key at a time through
        :meth:`__getitem__` cost three times the decoding itself (press: 3,000 items,
        24 ms -> 8 ms)."""
        values, texts, loads = self._values, self._texts, orjson.loads
        if len(values) < len(texts):
            for key, text in zip(self._store.column("key"), self._store.column("data")):
                if texts.get(key) is _STORED and key not in values:
                    values[key] = loads(text)
        for key in texts:
            if key not in values:
                self[key]

    def text(self, key: str) -> str:
        """The JSON text of ``key``'s value (as stored, when it came from the cache)."""
        text = self._texts[key]
        if text is _STORED:
            return self._store.column("data")[self._store.index[key]]
        if text is None:
            text = self._texts[key] = jsonfast.dumps(self._values[key])
        elif isinstance(text, (bytes, bytearray)):
            text = self._texts[key] = bytes(text).decode("utf-8")
        return text

    def version(self, key: str) -> int | None:
        """The seq of the event ``key``'s value came from (None: not known)."""
        if self._texts[key] is _STORED:
            if "seq" not in self._store.names:
                return None
            return self._store.column("seq")[self._store.index[key]]
        return self._versions.get(key)

    def reads_stored_text(self, keys: Iterable[str]) -> bool:
        """Whether reading the values of ``keys`` would decode the checkpoint's whole
        ``data`` column (a key it stands for, the column not decoded yet)."""
        if self._store.loaded("data"):
            return False
        texts, values = self._texts, self._values
        return any(texts.get(k) is _STORED and k not in values for k in keys)

    def same_as(self, other: "TextItems", key: str) -> bool:
        """Whether ``key`` holds the same value in both: by where it came from when
        that is known (the same checkpoint row, the same event of one log), else by
        value.  Two events of one log are taken as two values without reading them
        (an upsert that repeats the value is then a change that changes nothing):
        comparing them decoded a checkpoint's whole ``data`` column (the reports: 35 ms)."""
        if key not in self._texts or key not in other._texts:
            return False
        if self._texts[key] is _STORED and other._texts[key] is _STORED and self._store is other._store:
            return True
        if self.log is not None and self.log == other.log:
            mine, theirs = self.version(key), other.version(key)
            if mine is not None and theirs is not None:
                return mine == theirs
        return self[key] == other[key]

    def typed_row(self, key: str) -> tuple | None:
        """The checkpoint's typed row of ``key`` (columns: :attr:`columns`, with its
        ``data`` text), None when the key was set after the checkpoint."""
        if self._texts.get(key) is not _STORED:
            return None
        return self._store.row(self._store.index[key])

    def typed_columns(self, names: Iterable[str]) -> dict[str, tuple] | None:
        """key -> the values of the columns ``names`` for every key the checkpoint's
        rows still stand for; None when the rows lack one of the columns."""
        names = list(names)
        if any(n not in self._store.names for n in names):
            return None
        keys, *columns = self._store.columns(["key", *names])
        texts = self._texts
        return {key: row for key, row in zip(keys, zip(*columns))
                if texts.get(key) is _STORED}

    def copy(self) -> "TextItems":
        out = TextItems.__new__(TextItems)
        out._store, out.log = self._store, self.log
        out._texts, out._values, out._versions = dict(self._texts), dict(self._values), dict(self._versions)
        return out


def copy_items(items: Mapping) -> MutableMapping:
    """A copy of a topic's state that can be changed without touching ``items``."""
    return items.copy() if isinstance(items, TextItems) else dict(items)


__all__ = ["RowStore", "TextItems", "copy_items"]
