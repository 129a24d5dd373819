"""Giám sát đô thị qua camera: urban cameras, their snapshots and analytic detections
(flooded street, crowd, traffic violation).

Headless: the schema and the demo simulator are plain Python; the GUI part is imported
only when the app asks for it (:meth:`create_gui`).
"""
from __future__ import annotations

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from ioc_desktop.plugin_api import Plugin

from .schema import SPEC


class CamerasPlugin(Plugin):
    name = "cameras"
    title = QT_TRANSLATE_NOOP("plugins", "City cameras")  # shown through translate("plugins", title)
    order = 50
    topics = [SPEC]

    simulator_class = "simulator:CamerasSimulator"
    gui_class = "gui:CamerasGui"
    model_class = "model:CamerasModel"

    def alarm_rules(self):
        from .rules import camera_rules     # lazily, like the model
        return camera_rules()


__all__ = ["CamerasPlugin", "SPEC"]
