"""Giám sát an toàn thông tin mạng: security events on the province's systems
(severity, category, source address, target system, handling status).

Headless: the schema and the demo simulator are plain Python; the GUI part is imported
only when the app asks for it (:meth:`create_gui`).  Security events have no place on
the city map: this plugin has no map layer.
"""
from __future__ import annotations

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.plugin_api import Plugin

from .schema import SPEC


class CyberPlugin(Plugin):
    name = "cyber"
    title = QT_TRANSLATE_NOOP("plugins", "Cyber security")  # shown through translate("plugins", title)
    order = 100
    topics = [SPEC]

    simulator_class = "simulator:CyberSimulator"
    gui_class = "gui:CyberGui"
    model_class = "model:CyberModel"

    def alarm_rules(self):
        from .rules import cyber_rules      # lazily, like the model: headless users only
        return cyber_rules()


__all__ = ["CyberPlugin", "SPEC"]
