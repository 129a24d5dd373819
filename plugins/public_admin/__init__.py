"""Giám sát hành chính công: administrative-procedure dossiers per agency (received,
resolved, on time, overdue, online level 3/4 share, satisfaction).

Headless: the schema, the situation model (:mod:`.model`: totals and per-agency levels),
the overdue alarm rule (:mod:`.rules`) and the demo simulator are plain Python; the GUI
part is imported only when the app asks for it (:meth:`create_gui`).
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
    model_class = "model:PublicAdminModel"

    def alarm_rules(self):
        from .rules import public_admin_rules    # lazily, like the model: headless users only
        return public_admin_rules()


__all__ = ["PublicAdminPlugin", "SPEC"]
