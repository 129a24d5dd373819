"""A cheaper form of the check PySide6 runs on every module imported after it.

Why: once ``PySide6.QtCore`` is imported, PySide6 (6.11, our pin) calls
``shibokensupport.feature._mod_uses_pyside(module)`` after every import, to know
whether the module may use ``from __feature__ import …``.  It answers by
``inspect.getsource(module)`` and a search for "PySide6": every module's whole source is
read, split into lines and kept in ``linecache``.  The app imports ~670 modules after
PySide6 (numpy, pyqtgraph, requests, the plugins …): 145–186 ms of a cold start on the
GUI thread, measured with a timing wrapper around that function (bench/cold_start.py
is 1.6–1.9 s against a goal of 1.5 s).  Known upstream, e.g. napari/napari#8584.

:func:`install` replaces it with the same test on the file's bytes: a module with a
``.py`` source whose text names PySide6 gets the same answer as before, as does one
without a readable source (False).  Nothing here uses ``__feature__``; the answer only
matters to a module that does.  If PySide6's internals differ (another version), it
does nothing.
"""
from __future__ import annotations

_installed = False


def _mod_uses_pyside(module) -> bool:
    path = getattr(module, "__file__", None)
    if not isinstance(path, str) or not path.endswith(".py"):
        return False            # a builtin or an extension module: no source to read
    try:
        with open(path, "rb") as f:
            return b"PySide6" in f.read()
    except OSError:
        return False


def install() -> bool:
    """Replace the check, once; True if it was replaced now."""
    global _installed
    if _installed:
        return False
    try:
        from shibokensupport import feature     # PySide6's (importable once it is)
    except ImportError:
        return False
    if not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = _mod_uses_pyside
    _installed = True
    return True
