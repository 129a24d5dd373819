"""Giám sát thông tin báo chí: news items about the province, with topic and sentiment.

Headless: the schema, the situation model (:mod:`.model`: the figures and the spike
detector's window), the negative-spike alarm rule (:mod:`.rules`) and the demo simulator
are plain Python; the GUI part is imported only when the app asks for it
(:meth:`create_gui`).
Press items have no place: this plugin has no map layer.
"""
from __future__ import annotations

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.plugin_api import Plugin

from .schema import SPEC


class PressPlugin(Plugin):
    name = "press"
    title = QT_TRANSLATE_NOOP("plugins", "Press monitoring")  # shown through translate("plugins", title)
    order = 60
    topics = [SPEC]

    simulator_class = "simulator:PressSimulator"
    gui_class = "gui:PressGui"
    model_class = "model:PressModel"

    def alarm_rules(self):
        from .rules import press_rules       # lazily, like the model: headless users only
        return press_rules()


__all__ = ["PressPlugin", "SPEC"]
