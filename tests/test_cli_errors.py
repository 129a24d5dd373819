"""Bad input on the command line, as a user types it: one line on stderr that names the
culprit, in Vietnamese by default and in English with --lang en, a documented exit code,
never a traceback, and nothing started (each run ends in well under a second or two)."""
from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from feedkit import free_port

REPO = Path(__file__).resolve().parents[1]
MAIN = [sys.executable, str(REPO / "main.py")]
# letters only Vietnamese uses (the culprit is taken out of the line before looking)
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]",
                        re.IGNORECASE)
USAGE, UNAUTHORISED, NEVER_CONNECTED, FILE, LISTEN = 2, 3, 4, 5, 6


def run(args, tmp_path: Path, timeout: float = 20) -> subprocess.CompletedProcess:
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path / "xdg-cache"), QT_QPA_PLATFORM="offscreen")
    env.pop("IOC_TOKEN", None)
    return subprocess.run(MAIN + [str(a) for a in args], capture_output=True, text=True,
                          timeout=timeout, env=env, cwd=tmp_path)


def the_line(proc: subprocess.CompletedProcess) -> str:
    """stderr is exactly one line: the message."""
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr
    lines = proc.stderr.splitlines()
    assert len(lines) == 1 and lines[0].strip(), proc.stderr
    assert lines[0].startswith("ioc-desktop: "), lines[0]
    return lines[0]


def assert_language(line: str, lang: str, culprits, english: str) -> None:
    rest = line
    for c in culprits:
        rest = rest.replace(str(c), "")
    if lang == "vi":
        assert VIETNAMESE.search(rest), f"not Vietnamese: {line!r}"
        assert english not in rest, line
    else:
        assert not VIETNAMESE.search(rest), f"not English: {line!r}"
        assert english in rest, line


# (name, args(tmp_path), exit code, culprits(tmp_path), a phrase of the English line)
CASES = [
    # the app
    ("server-http", lambda t: ["--server", "http://example.org/feed"], USAGE,
     lambda t: ["--server", "http://example.org/feed"], "not a feed address"),
    ("server-ws-remote", lambda t: ["--server", "ws://10.1.2.3/feed"], USAGE,
     lambda t: ["--server", "ws://10.1.2.3/feed"], "allowed only to this computer"),
    ("server-bad-port", lambda t: ["--server", "ws://127.0.0.1:99999/feed"], USAGE,
     lambda t: ["--server", "ws://127.0.0.1:99999/feed"], "not a feed address"),
    ("tile-url", lambda t: ["--tile-url", "ftp://tiles.example/x.png"], USAGE,
     lambda t: ["--tile-url", "ftp://tiles.example/x.png"], "not a tile address"),
    ("media-origin", lambda t: ["--media-origin", "http://cams.example/img"], USAGE,
     lambda t: ["--media-origin", "http://cams.example/img"], "not a media origin"),
    ("token-empty", lambda t: ["--token", ""], USAGE, lambda t: ["--token"], "token is empty"),
    ("run-for-negative", lambda t: ["--run-for", "-1"], USAGE, lambda t: ["--run-for", "-1"],
     "must be a number of seconds"),
    ("run-for-text", lambda t: ["--run-for", "soon"], USAGE, lambda t: ["--run-for", "soon"],
     "must be a number of seconds"),
    ("rate-negative", lambda t: ["--rate", "-5"], USAGE, lambda t: ["--rate", "-5"], "must be a number"),
    ("rate-nan", lambda t: ["--rate", "nan"], USAGE, lambda t: ["--rate", "nan"], "must be a number"),
    ("seed-text", lambda t: ["--seed", "abc"], USAGE, lambda t: ["--seed", "abc"], "whole number"),
    ("screenshot-not-an-image", lambda t: ["--screenshot", t / "shot.txt"], USAGE,
     lambda t: ["--screenshot", t / "shot.txt"], "must end in"),
    ("screenshot-under-a-file", lambda t: ["--screenshot", "/dev/null/shot.png"], FILE,
     lambda t: ["--screenshot", "/dev/null/shot.png"], "not a directory"),
    ("cache-under-dev-null", lambda t: ["--cache", "/dev/null/x.sqlite"], FILE,
     lambda t: ["--cache", "/dev/null/x.sqlite"], "not a directory"),
    ("cache-under-a-regular-file", lambda t: ["--cache", t / "notes.txt" / "c.sqlite"], FILE,
     lambda t: ["--cache", t / "notes.txt" / "c.sqlite"], "not a directory"),
    ("cache-is-a-directory", lambda t: ["--cache", t], FILE, lambda t: ["--cache", t],
     "is a directory"),
    ("cache-in-proc", lambda t: ["--cache", "/proc/ioc-test/c.sqlite"], FILE,
     lambda t: ["--cache", "/proc/ioc-test/c.sqlite"], "cannot create the directory"),
    ("unknown-option", lambda t: ["--colour", "red"], USAGE, lambda t: ["--colour"],
     "unknown option"),
    ("missing-value", lambda t: ["--cache"], USAGE, lambda t: ["--cache"], "needs a value"),
    ("unknown-command", lambda t: ["frobnicate"], USAGE, lambda t: ["frobnicate", "sync"],
     "unknown command"),
    ("ambiguous-option", lambda t: ["--r", "5"], USAGE, lambda t: ["--r", "--rate", "--run-for"],
     "ambiguous"),
    # serve-demo
    ("demo-port", lambda t: ["serve-demo", "--port", "70000"], USAGE,
     lambda t: ["--port", "70000", "65535"], "whole number"),
    ("demo-retain", lambda t: ["serve-demo", "--retain", "0"], USAGE, lambda t: ["--retain", "0"],
     "whole number"),
    ("demo-preload", lambda t: ["serve-demo", "--preload", "-3"], USAGE,
     lambda t: ["--preload", "-3"], "whole number"),
    ("demo-run-for", lambda t: ["serve-demo", "--run-for", "0"], USAGE,
     lambda t: ["--run-for", "0"], "must be a number of seconds"),
    ("demo-rate", lambda t: ["serve-demo", "--rate", "inf"], USAGE, lambda t: ["--rate", "inf"],
     "must be a number"),
    ("demo-seed", lambda t: ["serve-demo", "--seed", "x"], USAGE, lambda t: ["--seed"],
     "whole number"),
    ("demo-log", lambda t: ["serve-demo", "--log", "/dev/null/log.sqlite"], FILE,
     lambda t: ["--log", "/dev/null/log.sqlite"], "not a directory"),
    # sync
    ("sync-no-server", lambda t: ["sync"], USAGE, lambda t: ["--server"], "is required"),
    ("sync-server-http", lambda t: ["sync", "--server", "http://127.0.0.1/feed"], USAGE,
     lambda t: ["--server", "http://127.0.0.1/feed"], "not a feed address"),
    ("sync-run-for", lambda t: ["sync", "--server", "ws://127.0.0.1:9/feed", "--run-for", "-1"],
     USAGE, lambda t: ["--run-for", "-1"], "must be a number of seconds"),
    ("sync-token", lambda t: ["sync", "--server", "ws://127.0.0.1:9/feed", "--token", "two words"],
     USAGE, lambda t: ["--token"], "token is empty"),
    ("sync-cache-under-a-file", lambda t: ["sync", "--server", "ws://127.0.0.1:9/feed",
                                           "--cache", "/dev/null/c.sqlite"], FILE,
     lambda t: ["--cache", "/dev/null/c.sqlite"], "not a directory"),
    ("sync-cache-is-a-directory", lambda t: ["sync", "--server", "ws://127.0.0.1:9/feed",
                                             "--cache", t], FILE, lambda t: ["--cache", t],
     "is a directory"),
]


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("name, args, code, culprits, english", CASES, ids=[c[0] for c in CASES])
def test_a_bad_option_is_one_line_naming_it_in_the_users_language(tmp_path, lang, name, args,
                                                                   code, culprits, english):
    (tmp_path / "notes.txt").write_text("a regular file, not a directory")
    argv = args(tmp_path) + (["--lang", "en"] if lang == "en" else [])
    started = time.monotonic()
    proc = run(argv, tmp_path)
    assert proc.returncode == code, proc.stderr
    line = the_line(proc)
    for culprit in culprits(tmp_path):
        assert str(culprit) in line, (culprit, line)
    assert_language(line, lang, culprits(tmp_path), english)
    assert proc.stdout == ""
    assert time.monotonic() - started < 10          # nothing was started
    assert not (tmp_path / "xdg-cache").exists()


@pytest.mark.parametrize("args", [["--lang", "fr"], ["sync", "--server", "ws://127.0.0.1:9/feed",
                                                     "--lang", "fr"],
                                  ["serve-demo", "--lang", "fr"], ["--lang", ""]])
def test_a_wrong_language_is_told_in_the_default_language(tmp_path, args):
    proc = run(args, tmp_path)
    assert proc.returncode == USAGE
    line = the_line(proc)
    assert "--lang" in line and "en, vi" in line
    assert_language(line, "vi", ["--lang", "fr", "en, vi"], "no such language")


def test_a_wrong_language_is_found_before_qt_or_the_plugins_are_imported(tmp_path):
    code = ("import sys; sys.path.insert(0, sys.argv[1]); import main; "
            "rc = main.main(sys.argv[2:]); "
            "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
            "('PySide6', 'widgets', 'plugins', 'websockets', 'sqlite_utils')); "
            "print(rc, heavy)")
    for args in (["--lang", "fr"], ["--run-for", "-1"], ["--cache", "/dev/null/c.sqlite"],
                 ["sync", "--server", "http://x/feed"], ["serve-demo", "--port", "-1"]):
        proc = subprocess.run([sys.executable, "-c", code, str(REPO), *args], capture_output=True,
                              text=True, timeout=20, cwd=tmp_path)
        assert proc.stdout.split(" ", 1)[1].strip() == "[]", (args, proc.stdout)
        assert proc.stdout.split(" ", 1)[0] in ("2", "5")


def test_argparse_oddities_are_one_line_too(tmp_path):
    proc = run(["--offline=1"], tmp_path)
    assert proc.returncode == USAGE
    assert "--offline" in the_line(proc)


def test_help_is_argparses_own_and_lists_the_exit_codes(tmp_path):
    proc = run(["--help"], tmp_path)
    assert proc.returncode == 0 and proc.stderr == ""
    assert proc.stdout.startswith("usage: ioc-desktop")
    assert "exit codes:" in proc.stdout
    proc = run(["sync", "--help"], tmp_path)
    assert proc.returncode == 0
    for text in ("0  done", "2  bad option", "3  not authorised", "4  never connected",
                 "5  a file can't be used", "waits up to 5 s more"):
        assert text in proc.stdout, text


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sync_that_never_connects_names_the_server_and_the_reason(tmp_path, lang):
    port = free_port()                                  # nothing listens there
    server = f"ws://127.0.0.1:{port}/feed"
    proc = run(["sync", "--server", server, "--cache", tmp_path / "c.sqlite", "--run-for", "1",
                "--quiet"] + (["--lang", "en"] if lang == "en" else []), tmp_path)
    assert proc.returncode == NEVER_CONNECTED, proc.stderr
    line = the_line(proc)
    assert server in line
    assert f"127.0.0.1:{port}" in line.replace(server, "")     # the last reason: unreachable
    assert_language(line, lang, [server, f"127.0.0.1:{port}"], "never connected to")
    summary = json.loads(proc.stdout.strip().splitlines()[-1])
    assert summary["status"] in ("connecting", "reconnecting")


def test_serve_demo_on_a_port_in_use_says_so_in_one_line(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        for lang in ("vi", "en"):
            proc = run(["serve-demo", "--port", port, "--rate", "0"]
                       + (["--lang", "en"] if lang == "en" else []), tmp_path)
            assert proc.returncode == LISTEN, proc.stderr
            line = the_line(proc)
            assert f"127.0.0.1:{port}" in line
            assert_language(line, lang, [f"127.0.0.1:{port}"], "cannot listen")


def test_serve_demo_with_a_log_of_another_seed_says_so_in_one_line(tmp_path):
    log = tmp_path / "demo-log.sqlite"
    proc = run(["serve-demo", "--port", "0", "--rate", "0", "--seed", "1", "--log", log,
                "--run-for", "0.2"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = run(["serve-demo", "--port", "0", "--rate", "0", "--seed", "2", "--log", log,
                "--run-for", "0.2", "--lang", "en"], tmp_path)
    assert proc.returncode == FILE
    line = the_line(proc)
    assert f"--log {log}" in line and "seed" in line


def test_sync_with_a_cache_sqlite_cannot_open_names_the_path(tmp_path, monkeypatch, capsys):
    # The probe passes (the directory is writable) but SQLite refuses the file: as a
    # cache on a file system without the locks WAL needs would.
    import sqlite3

    import main
    from ioc_desktop import headless

    def refuse(path, topics, **kw):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(headless, "StoreWriter", refuse)
    cache = tmp_path / "sub" / "c.sqlite"
    rc = main.main(["sync", "--server", "ws://127.0.0.1:9/feed", "--cache", str(cache),
                    "--lang", "en"])
    err = capsys.readouterr().err
    assert rc == FILE
    assert err.count("\n") == 1 and "Traceback" not in err
    assert f"--cache {cache}: the cache cannot be opened or written: unable to open database file" in err


def test_a_corrupt_cache_is_still_recovered_and_said_so(tmp_path):
    cache = tmp_path / "c.sqlite"
    cache.write_bytes(b"this is not an SQLite database" * 200)
    proc = run(["sync", "--server", f"ws://127.0.0.1:{free_port()}/feed", "--cache", cache,
                "--run-for", "0.5", "--quiet", "--lang", "en"], tmp_path)
    assert proc.returncode == NEVER_CONNECTED
    assert "Traceback" not in proc.stderr
    (moved,) = tmp_path.glob("c.corrupt-*.sqlite")
    first, second = proc.stderr.splitlines()
    assert str(cache) in first and str(moved) in first and "damaged" in first
    assert "never connected" in second


def test_the_qt_free_reader_agrees_with_the_apps_translator():
    from ioc_desktop import cli_messages
    from ioc_desktop.i18n import TsTranslator, available_languages, ts_path_for

    assert cli_messages.languages() == available_languages()
    path = ts_path_for("vi")
    table = cli_messages.ts_translations(path)
    assert len(table) > 100
    translator = TsTranslator(path)
    for (context, source), text in table.items():
        assert translator.translate(context, source) == text, (context, source)


NO_QT = """
import sys
class NoQt:
    def find_spec(self, name, path=None, target=None):
        if name == "PySide6" or name.startswith("PySide6."):
            raise ImportError("no Qt on this machine: " + name)
sys.meta_path.insert(0, NoQt())
sys.path.insert(0, sys.argv[1])
import main
import ioc_desktop.headless
assert not [m for m in sys.modules if m.startswith("PySide6")], "the command line imported Qt"
sys.exit(main.main(sys.argv[2:]))
"""


def test_the_headless_commands_need_no_qt(tmp_path):
    # serve-demo and sync, with every plugin's schema and simulator, run where Qt can't
    # even be imported (the plugins mark their strings with ioc_desktop.ts_catalog).
    proc = subprocess.run([sys.executable, "-c", NO_QT, str(REPO), "serve-demo", "--port", "0",
                           "--rate", "10", "--run-for", "0.5"],
                          capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    proc = subprocess.run([sys.executable, "-c", NO_QT, str(REPO), "sync", "--server",
                           f"ws://127.0.0.1:{free_port()}/feed", "--cache", str(tmp_path / "c.sqlite"),
                           "--run-for", "0.5", "--quiet", "--lang", "en"],
                          capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert proc.returncode == NEVER_CONNECTED, proc.stderr
    assert "never connected" in the_line(proc)
