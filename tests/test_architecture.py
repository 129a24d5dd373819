"""The layering rules, checked: plugins -> widgets -> ioc_desktop; the core needs no display."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_import_contracts_hold():
    lint = Path(sys.executable).with_name("lint-imports")
    proc = subprocess.run([str(lint)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    assert "broken" not in proc.stdout.split("Contracts:")[-1].replace("0 broken", "")


def test_core_imports_without_any_gui_module():
    # Every core module must import with Qt's GUI modules (and pyqtgraph, folium) made
    # unimportable, as on a machine with no display stack: the models stay testable.
    script = textwrap.dedent("""
        import importlib, pkgutil, sys
        BLOCKED = ("PySide6.QtWidgets", "PySide6.QtGui", "PySide6.QtWebEngineWidgets",
                   "PySide6.QtWebEngineCore", "pyqtgraph", "folium")
        class Blocker:
            def find_spec(self, name, path=None, target=None):
                if name in BLOCKED or name.split(".")[0] in ("pyqtgraph", "folium"):
                    raise ImportError(f"blocked for this test: {name}")
        sys.meta_path.insert(0, Blocker())
        import ioc_desktop
        names = [m.name for m in pkgutil.walk_packages(ioc_desktop.__path__, "ioc_desktop.")]
        for name in names:
            importlib.import_module(name)
        print(len(names))
    """)
    proc = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert int(proc.stdout.strip()) >= 15
