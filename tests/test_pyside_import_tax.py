"""widgets.pyside_import_tax: PySide6's per-import check made cheap gives the answers
PySide6's own test gives (its source searched for "PySide6"), and the app installs it."""
from __future__ import annotations

import importlib
import inspect
import subprocess
import sys
from pathlib import Path

import pytest

from widgets import pyside_import_tax

ROOT = Path(__file__).resolve().parents[1]


def _pyside_answer(module) -> bool:
    """PySide6 6.11's shibokensupport.feature._mod_uses_pyside, as documented there."""
    try:
        return "PySide6" in inspect.getsource(module)
    except (TypeError, OSError, SyntaxError):
        return False


@pytest.mark.parametrize("name", [
    "widgets.map_view", "widgets.curve_raster", "plugins.reports.gui",   # use PySide6
    "ioc_desktop.protocol", "ioc_desktop.series", "numpy", "json",       # don't
    "sys", "orjson", "math",                                             # no .py source
])
def test_the_cheap_check_answers_as_pysides_own(name):
    module = importlib.import_module(name)
    assert pyside_import_tax._mod_uses_pyside(module) is _pyside_answer(module)


def test_the_app_installs_it_before_its_imports():
    code = ("import sys; sys.argv = ['x'];"
            "from widgets.app import create_application; create_application('en');"
            "from shibokensupport import feature;"
            "from widgets import pyside_import_tax as t;"
            "print(feature._mod_uses_pyside is t._mod_uses_pyside, t.install())")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, check=True)
    assert out.stdout.split() == ["True", "False"]    # installed, once
