"""Giám sát hồ đập, môi trường: river and reservoir levels, rainfall, air quality (SensorThings-like).

Headless: the schema and the demo simulator are plain Python; the GUI part is imported
only when the app asks for it (:meth:`create_gui`).
"""
from __future__ import annotations

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.plugin_api import Plugin

from .schema import SPEC


class EnvironmentPlugin(Plugin):
    name = "environment"
    title = QT_TRANSLATE_NOOP("plugins", "Reservoirs, rivers and air")  # shown through translate("plugins", title)
    order = 20
    topics = [SPEC]

    simulator_class = "simulator:EnvironmentSimulator"
    gui_class = "gui:EnvironmentGui"
    model_class = "model:EnvironmentModel"

    def alarm_rules(self):
        from .rules import environment_rules     # lazily, like the model
        return environment_rules()


__all__ = ["EnvironmentPlugin", "SPEC"]
