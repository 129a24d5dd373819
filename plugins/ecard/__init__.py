"""Thẻ điện tử: e-card / e-ticket use at Huế's visitor sites (issued, used, revenue per
site and counting period).

Headless: the schema and the demo simulator are plain Python; the GUI part is imported
only when the app asks for it (:meth:`create_gui`).
"""
from __future__ import annotations

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.plugin_api import Plugin

from .schema import SPEC


class EcardPlugin(Plugin):
    name = "ecard"
    title = QT_TRANSLATE_NOOP("plugins", "E-tickets")  # shown through translate("plugins", title)
    order = 90
    topics = [SPEC]

    simulator_class = "simulator:EcardSimulator"
    gui_class = "gui:EcardGui"
    model_class = "model:EcardModel"

    def alarm_rules(self):
        from .rules import ecard_rules      # lazily, like the model: headless users only
        return ecard_rules()


__all__ = ["EcardPlugin", "SPEC"]
