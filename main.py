"""Composition root of HueIOC Desktop: parse the command line, check it, build, run.

    ioc-desktop                      the app, on its embedded demo backend
    ioc-desktop --server wss://…     the app on a real backend
    ioc-desktop serve-demo …         the demo backend alone (headless)
    ioc-desktop sync …               fill a cache without a GUI (before going offline)
    ioc-desktop alarms report …      alarm-system health from a cache's alarm journal
    ioc-desktop alarms list …        the alarms of a cache that are not normal
    ioc-desktop alarms ack ID …      act on alarms of a cache (ack, shelve, unshelve, oos,
                                     restore): journaled, queued for the next connection
    ioc-desktop wall init            write a video wall configuration for the screens here
    ioc-desktop tiles seed …         fill an MBTiles file from a tile server (the offline map)
    ioc-desktop tiles info FILE      describe an MBTiles file
    ioc-desktop cache info …         a cache's size, history and tables (read-only)

Every option is checked before any window, thread or connection exists: a wrong one
is told in one line on stderr, in the user's language, with a documented exit code
(``ioc_desktop.cli_messages``).  Nothing heavy (Qt, plugins) is imported before that.
"""
from __future__ import annotations

import argparse
import errno
import logging
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ioc_desktop import cli_messages as msg
from ioc_desktop.cli_messages import EXIT_CODES_HELP, EXIT_USAGE, CliError
from ioc_desktop.config import (ACK_GRACE, DEFAULT_LANG, DEMO_TOKEN, MAX_COUNT, MAX_RATE, MAX_SEED,
                                ClientConfig, check_image_path, check_lang, check_server,
                                check_media_origin, check_tile_url, check_token, check_writable_file,
                                default_cache_path, parse_integer, parse_number,
                                parse_retention_days, parse_seconds)

if TYPE_CHECKING:
    from ioc_desktop.wall.config import WallConfig

log = logging.getLogger("ioc_desktop.main")

SYNC_EPILOG = f"""\
Queued actions (the cache's outbox, e.g. dispatches made offline) are delivered once the
link is live; after --run-for, sync waits up to {ACK_GRACE:g} s more for the acknowledgements
it is owed.  A line on stderr and the JSON summary on stdout say what was delivered.

{EXIT_CODES_HELP}"""


ALARMS_REPORT_EPILOG = f"""\
The figures (ISA-18.2 / EEMUA 191; DOMAIN.md benchmarks): alarms per 10 minutes (average,
peak), the share of 10-minute periods in flood (more than 10), alarms per operator per
day (<= 150), the top 10 alarms, chattering (>= 3 changes in 60 s) and stale (active
> 24 h) alarms, shelved and out-of-service counts and durations, and the priority
distribution against <= 5 % priority 1.  The cache is only read, never changed.

{EXIT_CODES_HELP}"""


ALARMS_ACT_EPILOG = f"""\
The action is applied to the cache's alarm journal at once (alarms list shows it) and
queued in its outbox: the app or `ioc-desktop sync` delivers it at the next connection
to a backend that shares alarm actions, which relays it to every console.  oos and
restore need the role supervisor, the others operator or supervisor (exit 3 otherwise);
an unknown alarm id exits 2 and changes nothing.

{EXIT_CODES_HELP}"""


WALL_INIT_EPILOG = f"""\
The file describes one screen per screen found (named as this computer names them), the
built-in layouts and presets (normal, flood, storm, night) and the flood auto-switch.
Edit each screen's distance_m (metres from the operators) and, if the display reports
a wrong size, diagonal_in; then start with --wall FILE.  A file with a mistake is
refused in one line naming the key (exit 2).  README.md, "The video wall".

{EXIT_CODES_HELP}"""


class CliParser(argparse.ArgumentParser):
    """argparse with its errors in one line, in the user's language, exit 2 (``--help``
    is argparse's own).  Sub-command parsers are of this class too."""

    argv: list[str] = []         # the whole command line (main sets it)

    def error(self, message: str):  # noqa: D401 (argparse's hook)
        problem = _argparse_problem(message)
        if problem.template == msg.UNKNOWN_COMMAND:
            # "--colour red": argparse takes "red" for a command before it complains
            # about "--colour"; the option is the user's mistake.
            value = problem.args_.get("value")
            argv = self.argv
            at = argv.index(value) if value in argv else -1
            before = argv[at - 1].split("=")[0] if at > 0 else ""
            if before.startswith("-") and not any(o.startswith(before)
                                                  for o in self._option_string_actions):
                problem = CliError(EXIT_USAGE, msg.UNKNOWN_ARGUMENTS, arguments=before)
        raise problem


def _argparse_problem(message: str) -> CliError:
    """Word argparse's (English) complaint; what isn't recognised is shown as it is."""
    patterns = (
        (r"unrecognized arguments: (?P<arguments>.*)", msg.UNKNOWN_ARGUMENTS),
        (r"the following arguments are required: (?P<options>.*)", msg.MISSING_OPTION),
        (r"argument (?P<option>\S+): expected (one|at least one) argument", msg.MISSING_VALUE),
        (r"argument \S+: invalid choice: '(?P<value>.*)' \(choose from (?P<choices>.*)\)",
         msg.UNKNOWN_COMMAND),
        (r"ambiguous option: (?P<option>\S+) could match (?P<matches>.*)", msg.AMBIGUOUS_OPTION),
    )
    for pattern, template in patterns:
        m = re.fullmatch(pattern, message)
        if m:
            args = {k: v for k, v in m.groupdict().items() if v is not None}
            if "option" in args:       # "-v/--verbose": the long name
                args["option"] = args["option"].split("/")[-1]
            if "choices" in args:
                args["choices"] = args["choices"].replace("'", "")
            return CliError(EXIT_USAGE, template, **args)
    return CliError(EXIT_USAGE, msg.BAD_COMMAND_LINE, message=message)


def build_parser() -> argparse.ArgumentParser:
    parser = CliParser(prog="ioc-desktop",
                       description="HueIOC Desktop: the Huế IOC control-room client",
                       epilog=EXIT_CODES_HELP,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", help="feed URL (wss://HOST/feed; ws:// only on loopback); "
                                         "default: embedded demo backend")
    parser.add_argument("--token", default=None,
                        help="bearer token (env IOC_TOKEN; default: the demo token)")
    parser.add_argument("--cache", default=None,
                        help=f"cache file (default {default_cache_path()})")
    parser.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    parser.add_argument("--offline", action="store_true", help="review the cache without connecting")
    parser.add_argument("--at", metavar="TIME", default=None,
                        help="open in review at this moment of the cache (2026-10-14T02:40, Huế time "
                             "unless an offset is given); with --screenshot: pictures of that moment")
    parser.add_argument("--tile-url", help="tile server URL template (http(s)://HOST/…/{z}/{x}/{y}.png); "
                                           "default: offline basemap")
    parser.add_argument("--media-origin", action="append", metavar="URL",
                        help="another origin (http(s)://HOST[:PORT]) camera snapshots and photos may "
                             "come from; repeatable; it never gets the token")
    parser.add_argument("--tiles", metavar="FILE.mbtiles",
                        help="the map's MBTiles file (default: tiles.mbtiles beside the cache, if it "
                             "exists); with --tile-url, tiles seen online are stored in it")
    parser.add_argument("--retention-days", default=None, metavar="N",
                        help="days of history the cache keeps (> 0, fractions allowed; default "
                             "7): older events are folded into a checkpoint and the file stops "
                             "growing")
    parser.add_argument("--seed", default=1, help="embedded demo backend seed (integer ≥ 0)")
    parser.add_argument("--rate", default=50.0, help="embedded demo backend events/s (≥ 0)")
    parser.add_argument("--screenshot", metavar="FILE.png|DIR",
                        help="save the console to this PNG and exit; a directory: console.png and "
                             "one PNG per wall screen, named after the screen (wall-1.png …)")
    parser.add_argument("--run-for", default=None,
                        help="seconds to run, > 0 (with --screenshot: wait on live data first)")
    parser.add_argument("--reset-layout", action="store_true", help="forget the saved panel layout")
    parser.add_argument("--wall", metavar="FILE",
                        help="the video wall's configuration (TOML; `ioc-desktop wall init` writes "
                             "one; README: The video wall); default: the built-in wall")
    parser.add_argument("--no-wall", action="store_true",
                        help="the console only, no wall windows (without --wall, the built-in wall "
                             "opens only when more than one screen is present)")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command", metavar="{serve-demo,sync,alarms,wall,tiles,cache}")

    demo = sub.add_parser("serve-demo", help="run the demo backend (websocket server)",
                          epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", default=8765, help="0–65535 (0: any free port)")
    demo.add_argument("--seed", default=1, help="integer ≥ 0")
    demo.add_argument("--rate", default=50.0, help="events per second (≥ 0)")
    demo.add_argument("--log", dest="log_path", help="persist the event log in this SQLite file")
    demo.add_argument("--retain", default=20_000, help="events kept per topic for resume (≥ 1)")
    demo.add_argument("--preload", default=0, help="simulate this many events before serving (≥ 0)")
    demo.add_argument("--run-for", default=None, help="seconds to serve, > 0 (default: until stopped)")
    demo.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")

    sync = sub.add_parser("sync", help="fill the cache from a backend, without a GUI",
                          epilog=SYNC_EPILOG,
                          formatter_class=argparse.RawDescriptionHelpFormatter)
    sync.add_argument("--server", required=True, help="feed URL (wss://HOST/feed; ws:// only on loopback)")
    sync.add_argument("--token", default=None, help="bearer token (env IOC_TOKEN; default: the demo token)")
    sync.add_argument("--cache", default=None, help=f"cache file (default {default_cache_path()})")
    sync.add_argument("--run-for", default=10.0, help="seconds to stay connected, > 0 (default 10)")
    sync.add_argument("--quiet", action="store_true", help="no progress lines")
    sync.add_argument("--retention-days", default=None, metavar="N",
                      help="days of history the cache keeps (> 0; default 7)")
    sync.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")

    alarms = sub.add_parser("alarms", help="the alarms in a cache, without a GUI")
    alarms.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")
    alarms_sub = alarms.add_subparsers(dest="alarms_command", required=True,
                                       metavar="{report,list,ack,shelve,unshelve,oos,restore}")
    report = alarms_sub.add_parser(
        "report", help="alarm-system health (EEMUA 191 / ISA-18.2) over a period",
        epilog=ALARMS_REPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("--cache", required=True, help="cache file (opened read-only)")
    report.add_argument("--since", default=None,
                        help="start: RFC 3339 with a zone (2025-10-27T08:00:00+07:00) or epoch "
                             "seconds; default: 24 h before --until")
    report.add_argument("--until", default=None,
                        help="end (excluded), same forms; default: the end of the 10 minutes "
                             "of the journal's last event")
    report.add_argument("--json", dest="as_json", action="store_true",
                        help="print JSON instead of a table")
    report.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")
    listing = alarms_sub.add_parser(
        "list", help="every alarm that is not normal (active, unacknowledged, shelved, out of service…)",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    listing.add_argument("--cache", required=True, help="cache file (opened read-only)")
    listing.add_argument("--json", dest="as_json", action="store_true",
                         help="print JSON instead of a table")
    listing.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")
    for command, text in (("ack", "acknowledge alarms"), ("shelve", "shelve alarms (--reason, --until)"),
                          ("unshelve", "unshelve alarms"),
                          ("oos", "take alarms out of service (--reason; role supervisor)"),
                          ("restore", "return alarms to service (role supervisor)")):
        act = alarms_sub.add_parser(command, help=text, epilog=ALARMS_ACT_EPILOG,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
        act.add_argument("ids", nargs="+", metavar="ID", help="alarm id (<rule>/<key>, see alarms list)")
        act.add_argument("--cache", required=True, help="cache file (its journal and outbox are written)")
        act.add_argument("--reason", default=None, help="why (required for shelve and oos)")
        act.add_argument("--until", default=None,
                         help="when the shelve ends: RFC 3339 with a zone or epoch seconds (shelve)")
        act.add_argument("--user", default=None,
                         help="who acts (default: the user the backend last announced in the cache)")
        act.add_argument("--role", dest="roles", action="append", default=None, metavar="ROLE",
                         help="a role of that user, repeatable (default: the announced ones, else operator)")
        act.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")

    wall = sub.add_parser("wall", help="the video wall's configuration")
    wall.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")
    wall_sub = wall.add_subparsers(dest="wall_command", required=True, metavar="{init}")
    init = wall_sub.add_parser(
        "init", help="write a wall configuration (TOML) for the screens of this computer, to edit",
        epilog=WALL_INIT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    init.add_argument("--out", default="wall.toml",
                      help="the file to write (default: wall.toml here; - prints it)")
    init.add_argument("--force", action="store_true", help="replace the file if it exists")
    init.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")
    _add_tiles_parser(sub)
    _add_cache_parser(sub)
    return parser


def _add_cache_parser(sub) -> None:
    cache = sub.add_parser("cache", help="the local cache (info)")
    cache.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")
    cache_sub = cache.add_subparsers(dest="cache_command", required=True, metavar="{info}")
    info = cache_sub.add_parser(
        "info", help="a cache's size, history (retained from, newest), events and bytes per day, "
                     "checkpoints and tables; opened read-only",
        epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    info.add_argument("--cache", default=None, help=f"cache file (default {default_cache_path()})")
    info.add_argument("--json", dest="as_json", action="store_true", help="print JSON instead of text")
    info.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")


def _cache_command(args) -> int:
    from ioc_desktop.store import cli
    path = default_cache_path() if args.cache is None else Path(os.path.expanduser(args.cache))
    return cli.cache_info(path, as_json=args.as_json)


def _retention_days(args) -> float:
    value = getattr(args, "retention_days", None)
    return ClientConfig.retention_days if value is None else parse_retention_days(value)


TILES_EPILOG = f"""\
Tiles already in the file are skipped: an interrupted seed resumes.  One request at a
time at --rate tiles/s; HTTP 429 (or 503) with Retry-After pauses that long and halves
the rate.  Requests name this program, its version and --contact in their User-Agent.
OpenStreetMap's own servers (tile.openstreetmap.org) forbid bulk downloading: seed from
a tile server of your own, or one whose terms allow offline use.  README: "The map's
tiles (MBTiles)".

{EXIT_CODES_HELP}
  (tiles: 4 the tile server can't be reached, refuses, or asks to wait too long;
   5 the MBTiles file can't be used; 130 interrupted; fetched tiles are kept)"""


def _add_tiles_parser(sub) -> None:
    tiles = sub.add_parser("tiles", help="the map's tiles in an MBTiles file (seed, info)")
    tiles.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")
    tiles_sub = tiles.add_subparsers(dest="tiles_command", required=True, metavar="{seed,info}")
    seed = tiles_sub.add_parser("seed", help="fill an MBTiles file from a tile server (resumable)",
                                epilog=TILES_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    seed.add_argument("--url", required=True, help="tile URL template: http(s)://HOST/…/{z}/{x}/{y}.png")
    seed.add_argument("--bbox", required=True, metavar="W,S,E,N",
                      help="the area: west,south,east,north in degrees (e.g. 107.4,16.2,107.9,16.8)")
    seed.add_argument("--zoom", required=True, metavar="MIN-MAX", help="zoom levels, e.g. 8-15 (at most 19)")
    seed.add_argument("--out", required=True, metavar="FILE.mbtiles", help="the MBTiles file (created or added to)")
    seed.add_argument("--rate", dest="tile_rate", default=None,
                      help="tiles per second, > 0 (default 2, at most 50)")
    seed.add_argument("--contact", default=None,
                      help="your e-mail address or URL, sent in the User-Agent (env IOC_TILES_CONTACT)")
    seed.add_argument("--name", default=None, help="the tileset's name in its metadata (default: the file's)")
    seed.add_argument("--attribution", default=None,
                      help="the tiles' attribution (e.g. '© OpenStreetMap contributors'), shown on the map")
    seed.add_argument("--quiet", action="store_true", help="no progress, only the result")
    seed.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")
    info = tiles_sub.add_parser("info", help="describe an MBTiles file (metadata, tiles per zoom, bounds, size)",
                                epilog=EXIT_CODES_HELP, formatter_class=argparse.RawDescriptionHelpFormatter)
    info.add_argument("file", metavar="FILE.mbtiles")
    info.add_argument("--json", dest="as_json", action="store_true", help="print JSON instead of text")
    info.add_argument("--lang", default=argparse.SUPPRESS, help="language of the messages: vi (default) or en")


def _tiles(args) -> int:
    from ioc_desktop.tiles import cli, policy
    if args.tiles_command == "info":
        return cli.tiles_info(Path(os.path.expanduser(args.file)), as_json=args.as_json)
    url = check_tile_url(args.url, "--url")
    bbox = cli.parse_bbox(args.bbox, "--bbox")
    zooms = cli.parse_zooms(args.zoom, "--zoom")
    rate = policy.DEFAULT_RATE if args.tile_rate is None else parse_number(
        args.tile_rate, "--rate", 0.01, policy.MAX_RATE)
    contact = cli.parse_contact(args.contact, "--contact")
    out = check_writable_file(args.out, "--out", example_name="tiles.mbtiles")
    return cli.tiles_seed(url, bbox, zooms, out, rate=rate, contact=contact, name=args.name,
                          attribution=args.attribution, quiet=args.quiet)


def wall_config_from_args(args) -> WallConfig:
    """The video wall's configuration (``ioc_desktop.wall.config.WallConfig``) the
    command line asks for: ``--wall FILE`` read and checked (exit 2 with one line naming
    the file, the key and the problem; exit 5 when it can't be read), else the
    built-in default (adapted to the screens present by ``match_screens``)."""
    from ioc_desktop.wall.config import WallConfigError, load_wall_config
    path = getattr(args, "wall", None)
    if path is None:
        return load_wall_config(None)
    try:
        if Path(path).is_dir():
            raise IsADirectoryError(errno.EISDIR, "is a directory", path)
        return load_wall_config(path)
    except WallConfigError as exc:
        if exc.key is None:
            raise CliError(EXIT_USAGE, msg.WALL_NOT_TOML, path=path, reason=exc.problem) from None
        raise CliError(EXIT_USAGE, msg.WALL_BAD, path=path, key=exc.key,
                       problem=exc.problem) from None
    except OSError as exc:
        raise CliError(msg.EXIT_FILE, msg.WALL_UNREADABLE, option="--wall", path=path,
                       reason=msg.os_reason(exc)) from None


def _screens_present():
    """The screens of this computer as ``ScreenInfo`` (QtGui only; a headless machine:
    the offscreen platform's)."""
    if sys.platform.startswith("linux") and not os.environ.get("QT_QPA_PLATFORM") \
            and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from PySide6.QtGui import QGuiApplication
    from ioc_desktop.wall.config import ScreenInfo
    app = QGuiApplication.instance() or QGuiApplication(["ioc-desktop"])
    infos = []
    for screen in app.screens():
        size = screen.geometry().size() * screen.devicePixelRatio()
        physical = screen.physicalSize()
        infos.append(ScreenInfo(screen.name() or None, int(round(size.width())),
                                int(round(size.height())),
                                (physical.width(), physical.height()) if physical.isValid() else None))
    return infos


def _wall(args) -> int:
    from ioc_desktop.wall.config import dump_wall_config, wall_config_for, write_wall_config
    out = args.out
    if out != "-":
        if Path(out).exists() and not Path(out).is_dir() and not args.force:
            raise CliError(msg.EXIT_FILE, msg.WALL_EXISTS, option="--out", path=out)
        path = check_writable_file(out, "--out", example_name="wall.toml")
    screens = _screens_present()
    if out == "-":
        config, notes = wall_config_for(screens)
        sys.stdout.write(dump_wall_config(config, notes=notes))
        return 0
    try:
        write_wall_config(screens, path)
    except OSError as exc:
        raise CliError(msg.EXIT_FILE, msg.CANNOT_WRITE_FILE, option="--out", path=out,
                       reason=msg.os_reason(exc)) from None
    names = ", ".join(s.name or str(i) for i, s in enumerate(screens))
    msg.emit(msg.say(msg.WALL_WRITTEN, path=out, n=len(screens), names=names))
    return 0


def _alarms(args) -> int:
    from ioc_desktop.alarms import cli
    if args.alarms_command == "list":
        return cli.alarms_list(Path(args.cache), as_json=args.as_json)
    if args.alarms_command in cli.ACTION_COMMANDS:
        return cli.alarms_act(args.alarms_command, args.ids, Path(args.cache), reason=args.reason,
                              until=args.until, user=args.user, roles=args.roles)
    return cli.alarms_report(Path(args.cache), since=args.since, until=args.until,
                             as_json=args.as_json)


def _token(args) -> str:
    if args.token is not None:
        return check_token(args.token, "--token")
    env = os.environ.get("IOC_TOKEN")
    if env is not None:
        return check_token(env, "IOC_TOKEN")
    return DEMO_TOKEN


def _cache(args) -> Path:
    if args.cache is None:
        return check_writable_file(default_cache_path(), "--cache", example_name="cache.sqlite")
    return check_writable_file(args.cache, "--cache", example_name="cache.sqlite")


def _serve_demo(args) -> int:
    port = parse_integer(args.port, "--port", 0, 65535)
    seed = parse_integer(args.seed, "--seed", 0, MAX_SEED)
    rate = parse_number(args.rate, "--rate", 0, MAX_RATE)
    retain = parse_integer(args.retain, "--retain", 1, MAX_COUNT)
    preload = parse_integer(args.preload, "--preload", 0, MAX_COUNT)
    run_for = None if args.run_for is None else parse_seconds(args.run_for, "--run-for")
    log_path = None if args.log_path is None else check_writable_file(
        args.log_path, "--log", example_name="demo-log.sqlite")
    from demo_backend.launch import serve_demo
    return serve_demo(args.host, port, seed, rate, str(log_path) if log_path else None,
                      retain, preload, run_for)


def _sync(args) -> int:
    server = check_server(args.server, "--server")
    token = _token(args)
    run_for = parse_seconds(args.run_for, "--run-for")
    retention_days = _retention_days(args)
    cache = _cache(args)
    from ioc_desktop.headless import sync
    return sync(server, token, cache, run_for, args.quiet, retention_days=retention_days)


def _app(args) -> int:
    wall_config = wall_config_from_args(args)   # --wall checked before anything starts (exit 2 or 5)
    wall = "off" if args.no_wall else ("on" if args.wall is not None else "auto")
    server = None if args.server is None else check_server(args.server, "--server")
    token = _token(args)
    tile_url = None if args.tile_url is None else check_tile_url(args.tile_url, "--tile-url")
    media_origins = tuple(check_media_origin(o) for o in args.media_origin or ())
    seed = parse_integer(args.seed, "--seed", 0, MAX_SEED)
    rate = parse_number(args.rate, "--rate", 0, MAX_RATE)
    run_for = None if args.run_for is None else parse_seconds(args.run_for, "--run-for")
    retention_days = _retention_days(args)
    review_at = None if args.at is None else _moment(args.at, "--at")
    screenshot = screenshot_dir = None
    if args.screenshot is not None:
        shot = Path(os.path.expanduser(str(args.screenshot)))
        if shot.suffix or (shot.exists() and not shot.is_dir()):
            screenshot = check_image_path(args.screenshot)
        else:   # a directory: console.png and the wall's screens
            screenshot_dir = check_writable_file(shot / "console.png", "--screenshot",
                                                 example_name="console.png").parent
    cache = _cache(args)
    from ioc_desktop.tiles.cli import resolve_app_tiles
    tiles = resolve_app_tiles(args.tiles, cache, tile_url, args.offline)
    if args.offline:
        tile_url = None        # offline: no network, the tile server included
    config = ClientConfig(server=server, token=token, cache=cache, lang=msg.language(),
                          offline=args.offline, tile_url=tile_url, seed=seed, rate=rate,
                          media_origins=media_origins, tiles=tiles,
                          retention_days=retention_days)
    if tiles is not None:
        # mbtiles:// is registered here, before the QApplication exists; every map shows
        # these tiles, read through --tile-url
        from widgets import tile_scheme
        tile_scheme.configure(tiles, tile_url)
    from widgets.app import run_app
    # the backend without --server: the demo's, which the client's core doesn't know
    return run_app(config, screenshot=screenshot, run_for=run_for,
                   reset_layout=args.reset_layout, embedded_backend=_start_demo_backend,
                   wall_config=wall_config if args.wall is not None else None, wall=wall,
                   screenshot_dir=screenshot_dir, review_at=review_at)


def _start_demo_backend(config: ClientConfig, plugins):
    """The demo backend, imported here: on the service's start thread, while the
    window is built, rather than before the window on the GUI thread."""
    from demo_backend.launch import start_embedded
    return start_embedded(config, plugins)


def _moment(value: str, option: str) -> float:
    from ioc_desktop.cli_messages import BAD_MOMENT
    from ioc_desktop.review.moment import parse_moment
    try:
        return parse_moment(value)
    except ValueError:
        raise CliError(EXIT_USAGE, BAD_MOMENT, option=option, value=value) from None


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    wanted = msg.language_from_argv(argv)
    msg.set_language(wanted)           # an unknown one: the default, for the message below
    verbose = False
    try:
        parser = build_parser()
        parser.argv = argv
        args = parser.parse_args(argv)
        verbose = bool(getattr(args, "verbose", False))
        logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        msg.set_language(check_lang(getattr(args, "lang", DEFAULT_LANG), "--lang"))
        if args.command == "serve-demo":
            return _serve_demo(args)
        if args.command == "sync":
            return _sync(args)
        if args.command == "alarms":
            return _alarms(args)
        if args.command == "wall":
            return _wall(args)
        if args.command == "tiles":
            return _tiles(args)
        if args.command == "cache":
            return _cache_command(args)
        return _app(args)
    except CliError as problem:
        msg.emit(problem.message)
        return problem.exit_code
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug: one line; the traceback with -v
        if verbose:
            log.exception("unexpected error")
        msg.emit(msg.say(msg.INTERNAL_ERROR, error=f"{type(exc).__name__}: {exc}"))
        return msg.EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
