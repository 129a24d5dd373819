"""Composition root of HueIOC Desktop: parse the command line, build, run.

    ioc-desktop                      the app, on its embedded demo backend
    ioc-desktop --server wss://…     the app on a real backend
    ioc-desktop serve-demo …         the demo backend alone (headless)
    ioc-desktop sync …               fill a cache without a GUI (before going offline)
"""
from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from ioc_desktop.config import DEFAULT_LANG, DEMO_TOKEN, ClientConfig, default_cache_path


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ioc-desktop",
                                     description="HueIOC Desktop: the Huế IOC control-room client")
    parser.add_argument("--server", help="feed URL (wss://HOST/feed); default: embedded demo backend")
    parser.add_argument("--token", default=os.environ.get("IOC_TOKEN", DEMO_TOKEN),
                        help="bearer token (env IOC_TOKEN; default: the demo token)")
    parser.add_argument("--cache", type=Path, default=None,
                        help=f"cache file (default {default_cache_path()})")
    parser.add_argument("--lang", default=DEFAULT_LANG, help="vi (default) or en")
    parser.add_argument("--offline", action="store_true", help="review the cache without connecting")
    parser.add_argument("--tile-url", help="tile server URL template ({z}/{x}/{y}); default: offline basemap")
    parser.add_argument("--seed", type=int, default=1, help="embedded demo backend seed")
    parser.add_argument("--rate", type=float, default=50.0, help="embedded demo backend events/s")
    parser.add_argument("--screenshot", type=Path, help="save the whole window to this PNG and exit")
    parser.add_argument("--run-for", type=float, default=None,
                        help="seconds to run (with --screenshot: wait on live data first)")
    parser.add_argument("--reset-layout", action="store_true", help="forget the saved panel layout")
    parser.add_argument("-v", "--verbose", action="store_true")
    sub = parser.add_subparsers(dest="command")

    demo = sub.add_parser("serve-demo", help="run the demo backend (websocket server)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8765)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--rate", type=float, default=50.0, help="events per second")
    demo.add_argument("--log", dest="log_path", help="persist the event log in this SQLite file")
    demo.add_argument("--retain", type=int, default=20_000, help="events kept per topic for resume")
    demo.add_argument("--preload", type=int, default=0, help="simulate this many events before serving")
    demo.add_argument("--run-for", type=float, default=None)

    sync = sub.add_parser("sync", help="fill the cache from a backend, without a GUI")
    sync.add_argument("--server", required=True)
    sync.add_argument("--token", default=os.environ.get("IOC_TOKEN", DEMO_TOKEN))
    sync.add_argument("--cache", type=Path, default=default_cache_path())
    sync.add_argument("--run-for", type=float, default=10.0)
    sync.add_argument("--quiet", action="store_true")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if getattr(args, "verbose", False) else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.command == "serve-demo":
        from ioc_desktop.headless import serve_demo
        return serve_demo(args.host, args.port, args.seed, args.rate, args.log_path,
                          args.retain, args.preload, args.run_for)
    if args.command == "sync":
        from ioc_desktop.headless import sync
        return sync(args.server, args.token, args.cache, args.run_for, args.quiet)

    config = ClientConfig(server=args.server, token=args.token,
                          cache=args.cache or default_cache_path(), lang=args.lang,
                          offline=args.offline, tile_url=args.tile_url, seed=args.seed,
                          rate=args.rate)
    from widgets.app import run_app
    return run_app(config, screenshot=args.screenshot, run_for=args.run_for,
                   reset_layout=args.reset_layout)


if __name__ == "__main__":
    sys.exit(main())
