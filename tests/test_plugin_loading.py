"""Plugins come through the entry-point group; a broken one is reported, the rest work."""
from __future__ import annotations

from dataclasses import dataclass
from importlib.metadata import entry_points

from ioc_desktop.config import ClientConfig
from ioc_desktop.plugin_api import ENTRY_POINT_GROUP, Plugin, load_plugins
from ioc_desktop.qt_bridge import FeedService
from widgets.main_window import MainWindow


@dataclass
class FakeEntryPoint:
    name: str
    value: str
    target: object = None
    error: Exception | None = None

    def load(self):
        if self.error:
            raise self.error
        return self.target


class ExplodingGuiPlugin(Plugin):
    name = "exploding"
    title = "Exploding"
    topics = []

    def create_gui(self, context):
        raise RuntimeError("panel construction failed")


def test_builtins_register_through_the_entry_point_group():
    names = {ep.name for ep in entry_points(group=ENTRY_POINT_GROUP)}
    assert {"reports", "environment", "vessels", "alerts"} <= names
    loaded = load_plugins()
    assert all(lp.error is None for lp in loaded if lp.name in names)


def test_broken_plugins_are_reported_and_the_others_load():
    real = list(entry_points(group=ENTRY_POINT_GROUP))
    fakes = [FakeEntryPoint("broken", "nowhere:Nothing", error=ImportError("No module named 'nowhere'")),
             FakeEntryPoint("notaplugin", "x:y", target=object),
             FakeEntryPoint("samereports", "x:z", target=type(real[0].load()()))]
    loaded = {lp.name: lp for lp in load_plugins(real + fakes)}
    assert "No module named 'nowhere'" in loaded["broken"].error
    assert "is not an ioc_desktop Plugin" in loaded["notaplugin"].error
    assert "already served by plugin" in loaded["samereports"].error or \
        "already served by plugin" in loaded["reports"].error
    assert sum(lp.plugin is not None for lp in loaded.values()) == len(real)


def test_main_window_shows_plugin_errors_and_keeps_the_others(qtbot, tmp_path):
    real = list(entry_points(group=ENTRY_POINT_GROUP))
    loaded = load_plugins(real + [FakeEntryPoint("broken", "nowhere:Nothing", error=ImportError("boom")),
                                  FakeEntryPoint("exploding", "x:y", target=ExplodingGuiPlugin)])
    plugins = [lp.plugin for lp in loaded if lp.plugin]
    service = FeedService(ClientConfig(cache=tmp_path / "c.sqlite", offline=True), plugins)
    window = MainWindow(service, loaded, with_map=False, reset_layout=True)
    qtbot.addWidget(window)
    window.show()
    notice = window.notice.text()
    assert window.notice.isVisible()
    assert "broken" in notice and "boom" in notice
    assert "exploding" in notice and "panel construction failed" in notice
    assert {"reports", "environment", "vessels", "alerts"} <= set(window.guis)
    assert "reports/queue" in window.docks
