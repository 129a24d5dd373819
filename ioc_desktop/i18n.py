"""Translations through Qt's own mechanism, read straight from Qt Linguist ``.ts`` files.

No ``lrelease``/``.qm`` build step: :class:`TsTranslator` parses the ``.ts`` XML and
answers Qt's translation calls, so ``QCoreApplication.translate`` and ``QObject.tr``
work as usual once :func:`install_translator` has run.  Source strings are English;
``resources/i18n/ioc_<lang>.ts`` holds each other language.

How to write translatable strings (verified with PySide6 6.11.3):

* In a QObject/QWidget subclass: ``self.tr("Water level")``.  lupdate records the
  context as the class the call is written in; at run time PySide6 asks for the
  object's own class name first and then walks its bases (MRO) while the translator
  answers "no translation" (``None``), so a subclass (even a plugin's) still finds the
  base class's strings.  :class:`TsTranslator` returns ``None`` on a miss for that reason.
* Anywhere else (functions, non-QObject classes, models in ``ioc_desktop``):
  ``QCoreApplication.translate("Context", "Text")`` with a literal context.
* Strings declared as data: ``QT_TRANSLATE_NOOP("Context", "Text")`` where they are
  defined, ``QCoreApplication.translate("Context", value)`` where they are shown.
* Plurals: ``self.tr("%n alarm(s)", "", n)`` (Qt replaces ``%n``).  Vietnamese has a
  single plural form.
* Never build the text before translating it (``tr(f"Station {name}")``): lupdate
  extracts the raw f-string and it will never match.  Translate a template, then fill
  it: ``self.tr("Station {name}").format(name=name)``.  ``check`` flags such calls.

Maintenance (uses ``lupdate``, which ships inside the PySide6 wheel):

    python -m ioc_desktop.i18n update   # refresh resources/i18n/ioc_vi.ts from the sources
    python -m ioc_desktop.i18n check    # list strings lacking a translation; exit 1 if any
"""
from __future__ import annotations

import argparse
import ast
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterable, Sequence

from PySide6 import QtCore

__all__ = [
    "QT_TRANSLATE_NOOP",
    "SOURCE_LANGUAGE",
    "TsMessage",
    "TsCatalog",
    "TsTranslator",
    "available_languages",
    "find_lupdate",
    "install_translator",
    "lint_sources",
    "main",
    "missing_translations",
    "parse_ts",
    "ts_path_for",
]

# re-exported: the Qt-free half (ts_catalog) is the same API as before
from ioc_desktop.ts_catalog import (QT_TRANSLATE_NOOP, SOURCE_LANGUAGE, TsCatalog,  # noqa: F401
                                    TsMessage, available_languages, parse_ts,
                                    primary_language as _primary_language, ts_path_for)
# What `update`/`check` scan by default, relative to the project root.
DEFAULT_SOURCES = ("main.py", "ioc_desktop", "widgets", "plugins")
PROJECT_ROOT = Path(__file__).resolve().parent.parent

# Languages with a single plural form (numerus form 0 for every n).
_ONE_PLURAL_FORM = {"vi", "zh", "ja", "ko", "th", "id", "ms", "lo", "km", "my"}


# ----------------------------------------------------------------------- the translator
class TsTranslator(QtCore.QTranslator):
    """A QTranslator answering from a parsed ``.ts`` file.

    Loaded: finished translations and non-empty ``unfinished`` ones (as ``lrelease``
    does by default).  Skipped: empty translations, ``obsolete`` and ``vanished``.
    Numerus (plural) forms: minimal support — the form is picked by a built-in rule
    (one form for Vietnamese and other languages without plurals, else ``n == 1`` →
    form 0, otherwise form 1).  A miss returns ``None`` so Qt falls back to the next
    translator, PySide6 to the next base class, and finally to the source text.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None,
                 parent: QtCore.QObject | None = None) -> None:
        super().__init__(parent)
        self._messages: dict[tuple[str, str, str], str | tuple[str, ...]] = {}
        self._language = ""
        self._path = ""
        if path is not None:
            self.load_ts(path)  # a file with nothing translated yet is fine: English shows

    def load_ts(self, path: str | os.PathLike[str]) -> bool:
        """Replace the contents with ``path``'s; True if it holds any translation."""
        catalog = parse_ts(path)
        messages: dict[tuple[str, str, str], str | tuple[str, ...]] = {}
        for m in catalog.messages:
            if not m.is_active:
                continue
            if m.numerus:
                if any(m.numerus_forms):
                    messages[(m.context, m.source, m.comment)] = tuple(m.numerus_forms)
            elif m.translation:
                messages[(m.context, m.source, m.comment)] = m.translation
        self._messages = messages
        self._language = catalog.language
        self._path = os.fspath(path)
        return bool(messages)

    # QTranslator API -------------------------------------------------------------
    def translate(self, context: str, sourceText: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:  # noqa: N802,N803 (Qt names)
        comment = disambiguation or ""
        found = self._messages.get((context, sourceText, comment))
        if found is None and comment:  # like QTranslator: retry without disambiguation
            found = self._messages.get((context, sourceText, ""))
        if found is None:
            return None
        if isinstance(found, tuple):
            form = found[min(self._plural_index(n), len(found) - 1)]
            return form or None
        return found

    def isEmpty(self) -> bool:  # noqa: N802
        return not self._messages

    def language(self) -> str:
        return self._language

    def filePath(self) -> str:  # noqa: N802
        return self._path

    # ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._messages)

    def _plural_index(self, n: int) -> int:
        if n < 0 or _primary_language(self._language) in _ONE_PLURAL_FORM:
            return 0
        return 0 if n == 1 else 1


def install_translator(app: QtCore.QCoreApplication, lang: str) -> TsTranslator | None:
    """Switch ``app`` to ``lang`` ("vi", "en", ...); returns the installed translator.

    Removes any TsTranslator installed before (so switching back to "en" works).
    "en" installs nothing: the source strings are English.  An unknown language
    raises ValueError naming the available ones.  The translator is parented to
    ``app``, which keeps it alive.  Qt sends LanguageChange to every widget.
    """
    code = _primary_language(lang)
    langs = available_languages()
    if code not in langs:
        raise ValueError(f"unknown language {lang!r}; available: {', '.join(langs)}")
    for old in app.findChildren(TsTranslator):
        app.removeTranslator(old)
        old.setParent(None)
    if code == SOURCE_LANGUAGE:
        return None
    translator = TsTranslator(ts_path_for(code), parent=app)
    app.installTranslator(translator)
    return translator


# -------------------------------------------------------------- extraction: lupdate
class LupdateError(RuntimeError):
    pass


def find_lupdate() -> Path:
    """The ``lupdate`` binary that ships inside the PySide6 wheel."""
    import PySide6  # the package only, no Qt module

    exe = "lupdate.exe" if sys.platform == "win32" else "lupdate"
    candidates = [Path(PySide6.__file__).resolve().parent / exe]
    for name in ("pyside6-lupdate", "lupdate"):
        found = shutil.which(name, path=os.pathsep.join(
            [str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
        if found:
            candidates.append(Path(found))
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    raise LupdateError("lupdate not found: is PySide6 installed in this interpreter?")


def _existing_sources(root: Path, sources: Sequence[str]) -> list[str]:
    found = [s for s in sources if (root / s).exists()]
    if not found:
        raise LupdateError(f"none of {list(sources)} exists under {root}")
    return found


def run_lupdate(root: Path, sources: Sequence[str], ts_file: Path, *,
                locations: str = "relative", drop_obsolete: bool = False,
                target_language: str = "vi_VN") -> str:
    """Merge the strings of ``sources`` (paths relative to ``root``) into ``ts_file``.

    Existing translations are kept; strings gone from the code become ``vanished``
    (kept so a temporarily removed string doesn't lose its translation) unless
    ``drop_obsolete``.  Returns lupdate's output.
    """
    cmd = [str(find_lupdate()), "-extensions", "py", "-locations", locations,
           "-target-language", target_language]
    if drop_obsolete:
        cmd.append("-no-obsolete")
    # Options must come before the paths: lupdate applies them in order.
    cmd += [*_existing_sources(root, sources), "-ts", str(ts_file)]
    proc = subprocess.run(cmd, cwd=root, capture_output=True, text=True, timeout=120)
    output = (proc.stdout + proc.stderr).strip()
    if proc.returncode != 0:
        raise LupdateError(f"lupdate failed ({proc.returncode}):\n{output}")
    return output


def missing_translations(root: Path, sources: Sequence[str], ts_file: Path) -> list[TsMessage]:
    """Source strings without a finished translation in ``ts_file`` (left unchanged).

    Runs lupdate on a temporary copy, so strings not yet added by ``update`` count as
    missing too.  Locations in the result are paths relative to ``root``.
    """
    with tempfile.TemporaryDirectory(prefix="ioc-i18n-") as tmp:
        work = Path(tmp) / ts_file.name
        if ts_file.exists():
            shutil.copyfile(ts_file, work)
        run_lupdate(root, sources, work, locations="absolute")
        catalog = parse_ts(work)
        missing = []
        for m in catalog.messages:
            if m.is_active and not m.is_translated:
                m.locations = [(_relative_to(root, (Path(tmp) / f).resolve()), line)
                               for f, line in m.locations]
                missing.append(m)
        return missing


def _relative_to(root: Path, p: Path) -> str:
    try:
        return p.relative_to(root.resolve()).as_posix()
    except ValueError:
        return p.as_posix()


# ------------------------------------------------------------ lint: unextractable texts
_TEXT_ARG = {"tr": 0, "translate": 1, "QT_TRANSLATE_NOOP": 1}


def _iter_py_files(root: Path, sources: Iterable[str]) -> Iterable[Path]:
    for s in sources:
        p = root / s
        if p.is_file() and p.suffix == ".py":
            yield p
        elif p.is_dir():
            yield from sorted(p.rglob("*.py"))


_APP_CLASSES = {"QCoreApplication", "QGuiApplication", "QApplication"}


def _is_app_class(func: ast.expr) -> bool:
    if not isinstance(func, ast.Attribute):
        return False
    owner = func.value
    name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
    return name in _APP_CLASSES


def _is_str(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _lint_tree(tree: ast.AST) -> Iterable[tuple[int, str]]:
    for node in ast.walk(tree):
        # A home-made tr(): lupdate reads every bare tr("…") as QObject.tr with an
        # empty context, so the strings land where the run time never looks.
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == "tr":
            yield node.lineno, ("defines tr(); lupdate files bare tr(\"…\") calls under an "
                                "empty context: use self.tr() in a QObject or "
                                "QCoreApplication.translate(\"Context\", \"…\")")
        elif isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == "tr" for t in node.targets):
            yield node.lineno, ("assigns tr = …; lupdate files bare tr(\"…\") calls under an "
                                "empty context: call QCoreApplication.translate directly")
        elif isinstance(node, ast.ImportFrom) and any(a.asname == "tr" for a in node.names):
            yield node.lineno, "imports something as tr; lupdate would misread its calls"
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        index = _TEXT_ARG.get(name)
        if index is None or len(node.args) <= index:
            continue
        if name == "translate" and not _is_app_class(func):
            continue  # e.g. QTransform.translate(dx, dy), str.translate(table)
        arg = node.args[index]
        if isinstance(arg, (ast.JoinedStr, ast.BinOp)) or (
                isinstance(arg, ast.Call) and isinstance(arg.func, ast.Attribute)
                and arg.func.attr == "format"):
            yield node.lineno, (f"text of {name}() is built at run time; translate a "
                                "literal template, then .format() the result")
        # lupdate reads only literal contexts; with a variable it skips the string
        # silently.  translate(CTX, variable) is fine: that's the display half of NOOP.
        if index == 1 and not _is_str(node.args[0]) and (name == "QT_TRANSLATE_NOOP" or _is_str(arg)):
            yield node.lineno, (f"context of {name}() is not a string literal; lupdate "
                                "skips the string: write the context literally")


def lint_sources(root: Path, sources: Sequence[str]) -> list[str]:
    """Translation calls lupdate would get wrong, as ``"path:line: message"`` strings.

    * text built at run time (f-string, ``+``, ``%``, ``.format`` inside the call):
      lupdate extracts the raw template and the run-time text never matches;
    * a context that is not a string literal (``QT_TRANSLATE_NOOP(CTX, "…")``):
      lupdate silently skips the string;
    * a home-made ``tr`` (``def tr``, ``tr = …``, ``import … as tr``): lupdate files
      every bare ``tr("…")`` under an empty context.
    """
    problems = []
    for path in _iter_py_files(root, sources):
        rel = _relative_to(root, path.resolve())
        try:
            tree = ast.parse(path.read_text("utf-8"), filename=str(path))
        except (SyntaxError, UnicodeDecodeError) as exc:
            problems.append(f"{rel}: cannot parse: {exc}")
            continue
        problems.extend(f"{rel}:{line}: {msg}" for line, msg in sorted(_lint_tree(tree)))
    return problems


# ------------------------------------------------------------------------------ CLI
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ioc_desktop.i18n",
        description="Maintain the .ts translation files (uses PySide6's lupdate).")
    parser.add_argument("command", choices=("update", "check"))
    parser.add_argument("sources", nargs="*", default=list(DEFAULT_SOURCES),
                        help="files/dirs relative to --root (default: "
                             + " ".join(DEFAULT_SOURCES) + ")")
    parser.add_argument("--root", type=Path, default=PROJECT_ROOT, help="project root")
    parser.add_argument("--lang", default="vi", help="language to update/check (default: vi)")
    parser.add_argument("--ts", type=Path, default=None,
                        help="the .ts file (default: resources/i18n/ioc_<lang>.ts)")
    parser.add_argument("--drop-obsolete", action="store_true",
                        help="update: delete strings no longer in the code")
    args = parser.parse_intermixed_args(argv)  # sources may follow the options
    root = args.root.resolve()
    ts_file = (args.ts if args.ts is not None else ts_path_for(args.lang)).resolve()
    target = "vi_VN" if _primary_language(args.lang) == "vi" else args.lang

    try:
        problems = lint_sources(root, args.sources)
        if args.command == "update":
            out = run_lupdate(root, args.sources, ts_file, drop_obsolete=args.drop_obsolete,
                              target_language=target)
            print(out)
            for p in problems:
                print(f"warning: {p}", file=sys.stderr)
            return 0
        missing = missing_translations(root, args.sources, ts_file)
    except (LupdateError, OSError, ET.ParseError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    for m in missing:
        where = ", ".join(f"{f}:{line}" for f, line in m.locations) or "?"
        note = f" [{m.comment}]" if m.comment else ""
        print(f"missing: {m.context}: {m.source!r}{note}  ({where})")
    for p in problems:
        print(f"error: {p}")
    if missing or problems:
        print(f"{len(missing)} string(s) lack a translation in {ts_file.name}; "
              f"{len(problems)} call(s) cannot be extracted.", file=sys.stderr)
        return 1
    print(f"{ts_file.name}: every source string is translated.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
