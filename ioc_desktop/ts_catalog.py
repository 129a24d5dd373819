"""The Qt-free half of the translations: reading Qt Linguist ``.ts`` files and finding
them.  :mod:`ioc_desktop.i18n` builds Qt's translator on it; the headless commands and
the plugins' data declarations (``QT_TRANSLATE_NOOP``) use it without importing Qt.
"""
from __future__ import annotations

import importlib.resources
import os
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

SOURCE_LANGUAGE = "en"  # source strings in the code are English
TS_PREFIX = "ioc_"


def QT_TRANSLATE_NOOP(context: str, source: str, disambiguation: str | None = None) -> str:
    """Mark ``source`` for extraction under ``context``; returns it untranslated.

    Translate it where it is shown: ``QCoreApplication.translate(context, source)``.
    """
    return source


# ------------------------------------------------------------------------- .ts parsing
@dataclass
class TsMessage:
    context: str
    source: str
    comment: str = ""  # the disambiguation
    translation: str = ""  # "" when untranslated; unused for numerus messages
    numerus_forms: list[str] = field(default_factory=list)
    numerus: bool = False
    type: str = ""  # "", "unfinished", "obsolete" or "vanished"
    locations: list[tuple[str, int]] = field(default_factory=list)

    @property
    def is_active(self) -> bool:
        """Still used by the sources (not obsolete/vanished)."""
        return self.type not in ("obsolete", "vanished")

    @property
    def is_translated(self) -> bool:
        """Finished and non-empty (numerus: every form)."""
        if self.type == "unfinished":
            return False
        if self.numerus:
            return bool(self.numerus_forms) and all(self.numerus_forms)
        return bool(self.translation)


@dataclass
class TsCatalog:
    language: str  # e.g. "vi_VN"; "" if the file doesn't say
    messages: list[TsMessage]


def _text_of(elem: ET.Element) -> str:
    """A translation's text; length variants (rare) are joined the way Qt does (U+009C)."""
    variants = elem.findall("lengthvariant")
    if variants:
        return "\u009c".join(v.text or "" for v in variants)
    return elem.text or ""


def parse_ts(path: str | os.PathLike[str]) -> TsCatalog:
    """Read a Qt Linguist ``.ts`` file (raises ``ET.ParseError``/``OSError`` on a bad file)."""
    root = ET.parse(path).getroot()
    if root.tag != "TS":
        raise ValueError(f"{path}: not a Qt Linguist file (root <{root.tag}>)")
    messages = []
    for ctx in root.iter("context"):
        name = ctx.findtext("name", default="")
        for m in ctx.iter("message"):
            tr_elem = m.find("translation")
            msg = TsMessage(
                context=name,
                source=m.findtext("source", default=""),
                comment=m.findtext("comment", default=""),
                numerus=m.get("numerus") == "yes",
                type=(tr_elem.get("type", "") if tr_elem is not None else "unfinished"),
                locations=[
                    (loc.get("filename", ""), int(loc.get("line") or 0))
                    for loc in m.findall("location")
                ],
            )
            if tr_elem is not None:
                if msg.numerus:
                    msg.numerus_forms = [_text_of(f) for f in tr_elem.findall("numerusform")]
                else:
                    msg.translation = _text_of(tr_elem)
            messages.append(msg)
    return TsCatalog(language=root.get("language", ""), messages=messages)


def primary_language(code: str) -> str:
    """``"vi_VN"`` → ``"vi"``."""
    return code.replace("-", "_").split("_")[0].strip().lower()


# ------------------------------------------------------------------ choosing a language
def _i18n_dir() -> Path:
    return Path(str(importlib.resources.files("resources").joinpath("i18n")))


def ts_path_for(lang: str) -> Path:
    return _i18n_dir() / f"{TS_PREFIX}{primary_language(lang)}.ts"


def available_languages() -> list[str]:
    """``"en"`` (the source language) plus every ``resources/i18n/ioc_<lang>.ts``."""
    langs = {SOURCE_LANGUAGE}
    directory = _i18n_dir()
    if directory.is_dir():
        for p in directory.glob(f"{TS_PREFIX}*.ts"):
            langs.add(p.stem[len(TS_PREFIX):])
    return sorted(langs)
