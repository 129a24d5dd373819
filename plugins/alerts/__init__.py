"""Thông tin cảnh báo: warnings as OASIS CAP 1.2 messages (floods, storms, epidemics).

Headless: the schema and the demo simulator are plain Python; the GUI part is imported
only when the app asks for it (:meth:`create_gui`).
"""
from __future__ import annotations

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.plugin_api import Plugin

from .schema import SPEC


class AlertsPlugin(Plugin):
    name = "alerts"
    title = QT_TRANSLATE_NOOP("plugins", "Warnings")  # shown through translate("plugins", title)
    order = 40
    topics = [SPEC]

    simulator_class = "simulator:AlertsSimulator"
    gui_class = "gui:AlertsGui"
    model_class = "model:AlertsModel"

    def alarm_rules(self):
        from .rules import alert_rules     # lazily, like the model
        return alert_rules()


__all__ = ["AlertsPlugin", "SPEC"]
