"""Giám sát quảng cáo điện tử: LED billboards, what they show, and content-compliance
violations.

Headless: the schema and the demo simulator are plain Python; the GUI part is imported
only when the app asks for it (:meth:`create_gui`).
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


__all__ = ["AdsPlugin", "SPEC"]
