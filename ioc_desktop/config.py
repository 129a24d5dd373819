"""Run-time configuration: defaults, environment and command line, no Qt."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

# The demo backend's token, documented in the README; the client's default token too,
# so that `ioc-desktop sync` against `ioc-desktop serve-demo` works without naming it.
DEMO_TOKEN = "hue-ioc-demo"
DEFAULT_LANG = "vi"


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(Path.home(), ".cache")
    return Path(base) / "ioc-desktop"


def default_cache_path() -> Path:
    return default_cache_dir() / "cache.sqlite"


@dataclass
class ClientConfig:
    server: str | None = None          # None: start the embedded demo backend
    token: str = DEMO_TOKEN
    cache: Path = default_cache_path()
    lang: str = DEFAULT_LANG
    offline: bool = False              # review the cache, don't connect
    tile_url: str | None = None        # e.g. a local MBTiles server; None: offline basemap
    seed: int = 1                      # embedded demo backend
    rate: float = 50.0                 # embedded demo backend, events/s
