"""The video wall's windows: one frameless full-screen :class:`~widgets.wall.window.WallWindow`
per screen, run by :class:`~widgets.wall.manager.WallManager` (presets, auto-switch,
rotation, staleness, the link overlay), with the panels of :mod:`widgets.wall.panels`.
The configuration and the decisions without Qt are :mod:`ioc_desktop.wall`."""
