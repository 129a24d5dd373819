"""Plug and unplug screens of Qt's offscreen platform while the app runs (tests only).

Qt 6's offscreen platform takes its screens from a JSON configuration
(``QT_QPA_PLATFORM=offscreen:configfile=screens.json``) and can be given another one
at run time through its native interface: ``nativeResourceForIntegration
("setConfiguration")`` returns ``void setConfiguration(const QJsonObject &,
QOffscreenPlatformNativeInterface *)``, which diffs the screens by name and calls
``QWindowSystemInterface::handleScreenAdded/Removed`` — the same path a real monitor
being plugged in takes, so ``QGuiApplication.screenAdded/screenRemoved`` fire and real
QScreen objects come and go.  PySide6 does not wrap the (private) native interface, so
this reaches it with ctypes through symbols Qt exports: ``QGuiApplication::
platformNativeInterface()``, the interface's virtual ``nativeResourceForIntegration``
(the first virtual after QObject's), ``QJsonDocument::fromJson`` and ``object()``.
Each step is checked (the platform's name, the interface's class through
``qt_metacast``, a non-null function) so a Qt that differs fails loudly, never
silently.
"""
from __future__ import annotations

import ctypes
import json
from pathlib import Path

import shiboken6
from PySide6 import QtCore, QtGui

_LIB = Path(QtCore.__file__).resolve().parent / "Qt" / "lib"
# QObject's virtual functions on the Itanium C++ ABI (Qt 6): metaObject, qt_metacast,
# qt_metacall, two destructors, event, eventFilter, timerEvent, childEvent,
# customEvent, connectNotify, disconnectNotify; QPlatformNativeInterface's own come next.
_QT_METACAST = 1
_NATIVE_RESOURCE_FOR_INTEGRATION = 12


def _libs():
    gui = ctypes.CDLL(str(_LIB / "libQt6Gui.so.6"))
    core = ctypes.CDLL(str(_LIB / "libQt6Core.so.6"))
    return gui, core


def _interface() -> tuple[int, ctypes.Array]:
    if QtGui.QGuiApplication.platformName() != "offscreen":
        raise RuntimeError(f"not the offscreen platform: {QtGui.QGuiApplication.platformName()}")
    gui, _ = _libs()
    get = gui._ZN15QGuiApplication23platformNativeInterfaceEv
    get.restype = ctypes.c_void_p
    iface = get()
    if not iface:
        raise RuntimeError("no platform native interface")
    vtable = ctypes.cast(ctypes.cast(iface, ctypes.POINTER(ctypes.c_void_p))[0],
                         ctypes.POINTER(ctypes.c_void_p))
    metacast = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_char_p)(vtable[_QT_METACAST])
    if not metacast(iface, b"QPlatformNativeInterface"):
        raise RuntimeError("the native interface is not a QPlatformNativeInterface")
    return iface, vtable


def _resource(name: bytes) -> int:
    iface, vtable = _interface()
    fn = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p)(
        vtable[_NATIVE_RESOURCE_FOR_INTEGRATION])
    key = QtCore.QByteArray(name)
    address = fn(iface, shiboken6.getCppPointer(key)[0])
    if not address:
        raise RuntimeError(f"the offscreen platform has no {name.decode()!r}")
    return address


def set_screens(screens: list[dict], **options) -> None:
    """Replace the offscreen platform's screens by ``screens`` (dicts with name, x, y,
    width, height, logicalDpi, logicalBaseDpi, dpr): screens whose name is new are
    added, those whose name is gone removed (signals emitted at once, on this thread)."""
    iface, _ = _interface()
    set_configuration = ctypes.CFUNCTYPE(None, ctypes.c_void_p, ctypes.c_void_p)(
        _resource(b"setConfiguration"))
    _, core = _libs()
    from_json = core._ZN13QJsonDocument8fromJsonERK10QByteArrayP15QJsonParseError
    from_json.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]
    to_object = core._ZNK13QJsonDocument6objectEv
    to_object.argtypes = [ctypes.c_void_p, ctypes.c_void_p]
    drop_doc = core._ZN13QJsonDocumentD1Ev
    drop_doc.argtypes = [ctypes.c_void_p]
    drop_obj = core._ZN11QJsonObjectD1Ev
    drop_obj.argtypes = [ctypes.c_void_p]

    text = QtCore.QByteArray(json.dumps({**options, "screens": list(screens)}).encode())
    doc = ctypes.create_string_buffer(64)        # QJsonDocument, QJsonObject: one pointer
    obj = ctypes.create_string_buffer(64)
    from_json(ctypes.addressof(doc), shiboken6.getCppPointer(text)[0], None)   # sret first
    to_object(ctypes.addressof(obj), ctypes.addressof(doc))
    try:
        set_configuration(ctypes.addressof(obj), iface)
    finally:
        drop_obj(ctypes.addressof(obj))
        drop_doc(ctypes.addressof(doc))


def load_screens(path: str | Path) -> list[dict]:
    return json.loads(Path(path).read_text(encoding="utf-8"))["screens"]


THREE_SCREENS = Path(__file__).with_name("screens3.json")


_STARTED: dict[str, tuple] = {}       # test file -> (child process, its output file)


def _spawn(test_file: str, flag: str) -> tuple:
    import os
    import subprocess
    import sys
    import tempfile
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={THREE_SCREENS}", flag: "1"}
    out = tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
    proc = subprocess.Popen([sys.executable, "-m", "pytest", str(test_file), "-q",
                             "-p", "no:cacheprovider", "-o", "addopts="],
                            cwd=Path(__file__).resolve().parents[1], env=env,
                            stdout=out, stderr=subprocess.STDOUT)
    return proc, out


def start_on_three_screens(test_file: str, flag: str) -> None:
    """Start :func:`run_on_three_screens`'s child now, in the background (the suite
    starts its longest one when the session starts: it runs on the second core while
    the rest of the suite goes on); the test then only waits for its verdict."""
    key = str(Path(test_file).resolve())
    if key not in _STARTED:
        _STARTED[key] = _spawn(test_file, flag)


def stop_started() -> None:
    """End the children started but never waited for (the session stopped early)."""
    while _STARTED:
        proc, out = _STARTED.popitem()[1]
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
        out.close()


def run_on_three_screens(test_file: str, flag: str) -> None:
    """Run ``test_file`` again in a child pytest whose Qt offscreen platform has the three
    screens of ``screens3.json`` (the platform is chosen before the QApplication exists,
    so it can't be changed in this process); ``flag`` (an environment variable set to
    "1") tells the file it is the child.  Fails with the child's output.  A child
    already started (:func:`start_on_three_screens`) is waited for."""
    proc, out = _STARTED.pop(str(Path(test_file).resolve()), None) or _spawn(test_file, flag)
    try:
        code = proc.wait(timeout=1200)
        out.seek(0)
        text = out.read()
    finally:
        if proc.poll() is None:
            proc.kill()
        out.close()
    tail = text[-15000:]
    assert code == 0, tail
    assert " passed" in text and " failed" not in text, tail
