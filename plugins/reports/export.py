"""What an agency receives: its reports, without the reporter's identity (CSV or JSON).

DOMAIN.md: the reporter's identity is confidential; agencies never see it.  Every
exported report goes through :func:`workflow.for_agency` (which drops the ``reporter``
fields), and then through :func:`redact_reporters`, because people quote names in
free text ("Anh Nguyễn Văn A gọi lại lúc 9 giờ").

**What is guaranteed.**  For each exported report, the identities it records are
collected: its ``reporter`` and any ``reporter`` in its history entries, plus those of
the reports merged with it (``merged_into`` / ``merged_from``, looked up in the cache).
None of them appears anywhere in the output, in any field, key or history entry:

* a name, as its sequence of words, in any letter case, with or without Vietnamese
  diacritics (đ = d), with any spaces or punctuation (or none) between its words; it is
  matched as whole words, so a one-word name also hides that word elsewhere in the
  report (the safe side);
* a phone number as written (spaces aside, any letter case), and, when it has at least
  six digits, its digits however they are spaced or punctuated (spaces, dots, dashes,
  parentheses, slashes), in the ``0…`` and ``(+)84…`` forms; both as a whole number (not
  inside a longer one).

Each occurrence becomes :data:`REDACTED`.  Names are compared after
:func:`workflow.fold` (letters whose folding depends on their neighbours, such as the
Greek final sigma, are treated as their plain form).

**What is not.**  A reporter described rather than named (a nickname, a part of the
name such as the given name alone, "the lady at number 12", a misspelling), a name or
phone that no report records, and what a photo at ``media_url`` shows.  Those need a
person's review.

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return) are prefixed with ``'``: the text is untrusted.
"""
from __future__ import annotations

import csv
import io
import json
import re
from typing import Any, Iterable

from . import workflow
from .queue_query import TABLE

REDACTED = "[***]"
FORMATS = ("csv", "json")
#: The CSV's columns, in order (the JSON has every field but the reporter).
CSV_FIELDS = ("service_request_id", "service_code", "service_name", "priority", "process",
              "ioc_status", "status", "requested_datetime", "expected_datetime",
              "updated_datetime", "agency_responsible", "description", "address", "commune",
              "legacy_district", "lat", "long", "status_notes", "media_url", "merged_into",
              "merged_from", "history")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MIN_PHONE_DIGITS = 6
_SEPARATORS = r"[\W_]*"           # between the words of a name
_DIGIT_GAP = r"[\s.\-()/]*"       # between the digits of a phone number


# --------------------------------------------------------------------------- redaction
def _fold(text: str) -> str:
    return workflow.fold(text).replace("ς", "σ")


def _fold_with_map(text: str) -> tuple[str, list[int]]:
    """The text folded character by character, and for each folded character the
    index of the original character it came from."""
    out: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        f = _fold(ch)
        out.append(f)
        index.extend([i] * len(f))
    return "".join(out), index


class Redactor:
    """Hides given names and phone numbers in text (module docstring)."""

    def __init__(self, names: Iterable[str] = (), phones: Iterable[str] = ()):
        folded: list[str] = []
        raw: list[str] = []
        for name in names:
            words = re.findall(r"[^\W_]+", _fold(name))
            if words:
                folded.append(r"(?<![^\W_])" + _SEPARATORS.join(map(re.escape, words))
                              + r"(?![^\W_])")
            elif name.strip():
                raw.append(re.escape(name.strip()))
        for phone in phones:
            parts = phone.split()
            if parts:
                raw.append(r"(?<!\w)" + r"\s*".join(map(re.escape, parts)) + r"(?!\w)")
            digits = re.sub(r"\D", "", phone)
            if len(digits) >= _MIN_PHONE_DIGITS:
                forms = {digits}
                if digits.startswith("0"):
                    forms.add("84" + digits[1:])
                elif digits.startswith("84"):
                    forms.add("0" + digits[2:])
                raw.extend(r"(?<!\d)[+(]{0,2}" + _DIGIT_GAP.join(f) + r"(?!\d)"
                           for f in sorted(forms))
        self._folded = re.compile("|".join(folded)) if folded else None
        self._raw = re.compile("|".join(raw), re.IGNORECASE) if raw else None

    def __bool__(self) -> bool:
        return self._folded is not None or self._raw is not None

    def text(self, text: str) -> str:
        spans: list[tuple[int, int]] = []
        if self._raw is not None:
            spans.extend(m.span() for m in self._raw.finditer(text) if m.end() > m.start())
        if self._folded is not None and self._folded.search(_fold(text)):
            folded, index = _fold_with_map(text)
            for m in self._folded.finditer(folded):
                if m.end() == m.start():
                    continue
                start, end = index[m.start()], index[m.end() - 1] + 1
                while end < len(text) and not _fold(text[end]):   # trailing marks
                    end += 1
                spans.append((start, end))
        if not spans:
            return text
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        out, pos = [], 0
        for start, end in merged:
            out += [text[pos:start], REDACTED]
            pos = end
        out.append(text[pos:])
        return "".join(out)

    def value(self, value: Any) -> Any:
        """``value`` with every text in it (dict keys too, at any depth) redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {self.value(k): self.value(v) for k, v in value.items()}
        return value


def reporters(data: dict) -> list[dict]:
    """The reporter objects a report records (its own and its history's)."""
    found = [data.get("reporter")]
    found += [h.get("reporter") for h in data.get("history") or () if isinstance(h, dict)]
    return [r for r in found if isinstance(r, dict)]


def redact_reporters(data: dict, others: Iterable[dict] = ()) -> dict:
    """:func:`workflow.for_agency` of ``data``, with the identities recorded in it (and in
    the reports ``others``) hidden in every text (module docstring)."""
    people = reporters(data) + [r for o in others for r in reporters(o)]
    names = {r["name"] for r in people if isinstance(r.get("name"), str)}
    phones = {r["phone"] for r in people if isinstance(r.get("phone"), str)}
    out = workflow.for_agency(data)
    redactor = Redactor(sorted(names), sorted(phones))
    return redactor.value(out) if redactor else out


# --------------------------------------------------------------------------- export
def _linked(conn, table: str, data: dict) -> list[dict]:
    keys = [data.get("merged_into"), *(data.get("merged_from") or ())]
    keys = [k for k in keys if isinstance(k, str)]
    if not keys:
        return []
    rows = conn.execute(f"SELECT data FROM {table} WHERE key IN ({', '.join('?' * len(keys))})",
                        keys).fetchall()
    return [json.loads(r[0]) for r in rows]


def agency_reports(conn, agency: str, *, table: str = TABLE) -> list[dict]:
    """The reports forwarded to ``agency`` (its ``agency_responsible``), oldest first, as
    the agency may see them (:func:`redact_reporters`)."""
    rows = conn.execute(f"SELECT data FROM {table} WHERE agency_responsible = ? "
                        f"ORDER BY requested_datetime, key", (agency,)).fetchall()
    out = []
    for (text,) in rows:
        data = json.loads(text)
        out.append(redact_reporters(data, _linked(conn, table, data)))
    return out


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        value = json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def export_for_agency(conn, agency: str, fmt: str = "csv", *, table: str = TABLE) -> str:
    """The reports forwarded to ``agency`` as CSV (one row per report, the columns of
    :data:`CSV_FIELDS`; lists and the history as JSON text) or JSON (``{"agency",
    "reports"}``), without the reporters' identities (module docstring)."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {list(FORMATS)}, not {fmt!r}")
    reports = agency_reports(conn, agency, table=table)
    if fmt == "json":
        return json.dumps({"agency": agency, "reports": reports}, ensure_ascii=False,
                          indent=1, sort_keys=True)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for r in reports:
        writer.writerow([_cell(r.get(f)) for f in CSV_FIELDS])
    return buf.getvalue()
