"""Giám sát quảng cáo điện tử: LED billboards, what they show, and content-compliance
violations.

Headless: the schema, the situation model (:mod:`.model`: counts, dark screens, the
violations in force), the alarm rules (:mod:`.rules`: violation, offline) and the demo
simulator are plain Python; the GUI part is imported only when the app asks for it
(:meth:`create_gui`).
"""
from __future__ import annotations

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.plugin_api import Plugin

from .schema import SPEC


class AdsPlugin(Plugin):
    name = "ads"
    title = QT_TRANSLATE_NOOP("plugins", "LED billboards")  # shown through translate("plugins", title)
    order = 80
    topics = [SPEC]

    simulator_class = "simulator:AdsSimulator"
    gui_class = "gui:AdsGui"
    model_class = "model:AdsModel"

    def alarm_rules(self):
        from .rules import ads_rules         # lazily, like the model: headless users only
        return ads_rules()


__all__ = ["AdsPlugin", "SPEC"]
