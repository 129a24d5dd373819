"""Giám sát tàu cá: fishing-vessel positions (AIS / VMS-like).

Headless: the schema and the demo simulator are plain Python; the GUI part is imported
only when the app asks for it (:meth:`create_gui`).
"""
from __future__ import annotations

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.plugin_api import Plugin

from .schema import SPEC


class VesselsPlugin(Plugin):
    name = "vessels"
    title = QT_TRANSLATE_NOOP("plugins", "Fishing vessels")  # shown through translate("plugins", title)
    order = 30
    topics = [SPEC]

    simulator_class = "simulator:VesselsSimulator"
    gui_class = "gui:VesselsGui"
    model_class = "model:VesselsModel"

    def alarm_rules(self):
        from .rules import vessel_rules      # lazily, like the model: headless users only
        return vessel_rules()


__all__ = ["VesselsPlugin", "SPEC"]
