"""Map tiles kept in an MBTiles file (MBTiles 1.3: SQLite, ``metadata`` and ``tiles``).

- :mod:`.mbtiles`: the file itself (read, write, describe; the TMS row flip);
- :mod:`.policy`: what a tile server is owed (an identifying User-Agent, a zoom cap,
  a rate, Retry-After; OpenStreetMap's own servers forbid bulk downloads);
- :mod:`.seed`: ``ioc-desktop tiles seed``, filling a file from a tile server;
- :mod:`.cli`: ``ioc-desktop tiles seed|info`` (one-line errors, documented exit codes);
- :mod:`.source`: the map's tiles at run time: reads off the GUI thread, and with a
  tile server, a read-through that stores what was fetched online.

No Qt here: the map's URL scheme handler is ``widgets.tile_scheme``.
"""
