"""Phản ánh hiện trường: citizen field reports (Open311 GeoReport v2 + IOC fields).

Headless: the schema and the demo simulator are plain Python; the GUI part is imported
only when the app asks for it (:meth:`create_gui`).
"""
from __future__ import annotations

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.plugin_api import Plugin

from .schema import SPEC


class ReportsPlugin(Plugin):
    name = "reports"
    title = QT_TRANSLATE_NOOP("plugins", "Field reports")  # shown through translate("plugins", title)
    order = 10
    topics = [SPEC]

    simulator_class = "simulator:ReportsSimulator"
    gui_class = "gui:ReportsGui"
    model_class = "model:ReportsModel"

    def alarm_rules(self):
        from .rules import reports_rules      # lazily, like the model: headless users only
        return reports_rules()


__all__ = ["ReportsPlugin", "SPEC"]
