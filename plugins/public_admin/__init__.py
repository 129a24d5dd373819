"""Giám sát hành chính công: administrative-procedure dossiers per agency (received,
resolved, on time, overdue, online level 3/4 share, satisfaction).

Headless: the schema and the demo simulator are plain Python; the GUI part is imported
only when the app asks for it (:meth:`create_gui`).
"""
from __future__ import annotations

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.plugin_api import Plugin

from .schema import SPEC


class PublicAdminPlugin(Plugin):
    name = "public_admin"
    title = QT_TRANSLATE_NOOP("plugins", "Public administration")  # shown through translate("plugins", title)
    order = 70
    topics = [SPEC]

    simulator_class = "simulator:PublicAdminSimulator"
    gui_class = "gui:PublicAdminGui"


__all__ = ["PublicAdminPlugin", "SPEC"]
