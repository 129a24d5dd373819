"""All services at a glance for the wall: one tile per service with its headline KPI,
how many items need attention, and the age of its newest data (grey when stale).

The overview knows no service: the main window hands it a :class:`ServiceStatus` per
plugin (built from the plugin GUI's ``kpis()`` and the feed's ages) once a second.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6 import QtCore, QtWidgets

from widgets.kpi_tile import KpiTile
from widgets.plugin_gui import Kpi
from widgets.text import age_text, tooltip


@dataclass
class ServiceStatus:
    name: str                       # plugin id
    title: str                      # translated
    kpis: list[Kpi] = field(default_factory=list)
    age_s: float | None = None      # age of the newest data of any of its topics
    stale: bool = True              # old data, or the link is not LIVE: the tile greys
    error: str | None = None        # the plugin failed (technical text): shown instead of figures


class ServiceTile(KpiTile):
    """A compact KpiTile: ten of them fit across one wall screen."""

    LABEL_PT = 13
    VALUE_PT = 26
    SUB_PT = 11
    BADGE_PT = 14

    def __init__(self, parent=None):
        super().__init__(parent=parent)
        self.setMinimumSize(160, 104)


class ServicesOverview(QtWidgets.QWidget):
    serviceActivated = QtCore.Signal(str)

    TILE_WIDTH = 180   # a compact tile with its spacing: ten fit across a 1920 px wall

    def __init__(self, columns: int = 5, parent=None):
        super().__init__(parent)
        self.columns = columns
        self.tiles: dict[str, ServiceTile] = {}
        self._grid = QtWidgets.QGridLayout(self)
        self._grid.setContentsMargins(4, 4, 4, 4)
        self._grid.setSpacing(6)

    def _tile(self, name: str) -> ServiceTile:
        tile = self.tiles.get(name)
        if tile is None:
            tile = ServiceTile()
            tile.setObjectName(f"service-{name}")
            tile.clicked.connect(lambda n=name: self.serviceActivated.emit(n))
            n = len(self.tiles)
            self._grid.addWidget(tile, n // self.columns, n % self.columns)
            self.tiles[name] = tile
        return tile

    def relayout(self, width: int) -> None:
        """Re-flow the tiles into as many columns as ``width`` holds."""
        columns = max(1, min(len(self.tiles) or 1, width // self.TILE_WIDTH))
        if columns == self.columns:
            return
        self.columns = columns
        for n, tile in enumerate(self.tiles.values()):
            self._grid.removeWidget(tile)
            self._grid.addWidget(tile, n // columns, n % columns)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.relayout(event.size().width())

    def update_status(self, statuses: list[ServiceStatus]) -> None:
        for status in statuses:
            tile = self._tile(status.name)
            tile.set_label(status.title)
            if status.error:
                tile.set_value("—")
                tile.set_sub(self.tr("disabled"))
                tile.set_abnormal(0)
                tile.set_state("alarm")
                tile.set_stale(False)
                # the sentence first; the raw exception only as technical details
                tile.setToolTip(tooltip(self.tr("This service is disabled: its plugin failed."), "",
                                        self.tr("Technical details:"), status.error))
                continue
            head = status.kpis[0] if status.kpis else Kpi("", "—")
            tile.set_value(head.value)
            rest = [f"{k.label} {k.value}".strip() for k in status.kpis[1:]]
            tile.set_sub(" · ".join(([head.label] if head.label else []) + rest))
            abnormal = sum(k.abnormal for k in status.kpis)
            tile.set_abnormal(abnormal)
            tile.set_state("alarm" if abnormal else "ok")
            age = age_text(status.age_s)
            # Stale (old data, or the link is not LIVE): grey whatever the KPIs say;
            # the tile keeps its figures but shows how old they are.
            # the age first: a narrow tile may cut the end of its line
            stale_text = (self.tr("{0} ago").format(age) if status.age_s is not None
                          else self.tr("no data yet"))
            tile.set_stale(status.stale, stale_text)
            tile.setToolTip(tooltip(*[f"{k.label}: {k.value}" + (f" — {k.tooltip}" if k.tooltip else "")
                                      for k in status.kpis],
                                    self.tr("newest data: {0} ago").format(age)))

    def grid_shape(self) -> tuple[int, int]:
        n = len(self.tiles)
        return (n + self.columns - 1) // self.columns, min(n, self.columns)
