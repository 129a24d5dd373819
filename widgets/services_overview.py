"""All services at a glance for the wall: one tile per service with its headline KPI,
how many items need attention, and the age of its newest data (grey when stale).

The overview knows no service: the main window hands it a :class:`ServiceStatus` per
plugin (built from the plugin GUI's ``kpis()`` and the feed's ages) once a second.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6 import QtCore, QtGui, QtWidgets

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


def show_status(tile: KpiTile, status: ServiceStatus) -> None:
    """One service's status on its tile (the console's overview and the wall's)."""
    tile.set_label(status.title)
    if status.error:
        tile.set_value("—")
        tile.set_sub(QtCore.QCoreApplication.translate("ServicesOverview", "disabled"))
        tile.set_abnormal(0)
        tile.set_state("alarm")
        tile.set_stale(False)
        # the sentence first; the raw exception only as technical details
        tile.setToolTip(tooltip(QtCore.QCoreApplication.translate("ServicesOverview", "This service is disabled: its plugin failed."), "",
                                QtCore.QCoreApplication.translate("ServicesOverview", "Technical details:"), status.error))
        return
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
    stale_text = (QtCore.QCoreApplication.translate("ServicesOverview", "{0} ago").format(age) if status.age_s is not None
                  else QtCore.QCoreApplication.translate("ServicesOverview", "no data yet"))
    tile.set_stale(status.stale, stale_text)
    tile.setToolTip(tooltip(*[f"{k.label}: {k.value}" + (f" — {k.tooltip}" if k.tooltip else "")
                              for k in status.kpis],
                            QtCore.QCoreApplication.translate("ServicesOverview", "newest data: {0} ago").format(age)))


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
            show_status(self._tile(status.name), status)

    def grid_shape(self) -> tuple[int, int]:
        n = len(self.tiles)
        return (n + self.columns - 1) // self.columns, min(n, self.columns)


class WallServicesOverview(QtWidgets.QWidget):
    """The overview on a wall window: the same statuses as the console's
    (:meth:`update_status`), in tiles whose every text is at least the wall's minimum
    (``widgets.wall_style.WallStyle``).  Tiles are laid out to fit the cell without
    clipping a title or a figure: as many columns as keep each tile's title on few
    lines; the services needing attention first.  When they don't all fit, they are
    shown a page at a time, turning every :attr:`PAGE_S` seconds, with "1/2" in the
    corner.  A tile has two lines: its title (eliding when narrow) with the count of
    items needing attention ("▲ 3": a shape, not only a colour), then the headline
    figure with what it counts (or, while stale, the age of the data)."""

    serviceActivated = QtCore.Signal(str)

    PAGE_S = 10.0
    SPACING = 8

    def __init__(self, style, parent=None):
        super().__init__(parent)
        self.setObjectName("wallOverview")
        self.wall_style = style
        self.tiles: dict[str, ServiceTile] = {}
        self.statuses: dict[str, ServiceStatus] = {}
        self.pages: list[list[str]] = []
        self.page = 0
        self.columns = 1
        from widgets.text import plain_label
        self.page_label = plain_label(self, 12, True, "wallOverviewPage")
        from widgets.wall_style import set_wall_font
        set_wall_font(self.page_label, style.font(bold=True))
        self.page_label.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight | QtCore.Qt.AlignmentFlag.AlignVCenter)
        self.page_label.hide()
        self._timer = QtCore.QTimer(self, interval=int(self.PAGE_S * 1000))
        self._timer.timeout.connect(self.next_page)

    # ------------------------------------------------------------------ data
    def update_status(self, statuses: list[ServiceStatus]) -> None:
        new = False
        for status in statuses:
            tile = self.tiles.get(status.name)
            if tile is None:
                tile = ServiceTile(self)
                tile.setObjectName(f"service-{status.name}")
                tile.set_wall_style(self.wall_style)
                tile.clicked.connect(lambda n=status.name: self.serviceActivated.emit(n))
                self.tiles[status.name] = tile
                new = True
            show_status(tile, status)
            # the wall keeps the headline's own label only (what the figure counts)
            if not status.error:
                tile.set_sub(status.kpis[0].label if status.kpis else "")
            old = self.statuses.get(status.name)
            self.statuses[status.name] = status
            if old is None or _attention(old) != _attention(status) or old.stale != status.stale:
                new = True
        if new:
            self.relayout()

    # ------------------------------------------------------------------ layout
    def _order(self) -> list[str]:
        names = list(self.statuses)
        return sorted(names, key=lambda n: (-_attention(self.statuses[n]), names.index(n)))

    def _tile_height(self, tile: ServiceTile, width: int) -> int:
        """The height ``tile`` needs at ``width`` to show its texts whole (its title
        may elide, but keeps at least a few letters; its figure never clips); a huge
        number when ``width`` is too narrow."""
        style = self.wall_style
        m = tile.layout().contentsMargins()
        inner = max(1, width - m.left() - m.right())
        bold = QtGui.QFontMetrics(style.font(bold=True))
        badge = bold.horizontalAdvance(tile._badge.text()) + 12
        if inner - badge < bold.horizontalAdvance("Wwww…"):
            return 1 << 20                      # no room for a readable title
        rest = QtGui.QFontMetrics(style.font()).horizontalAdvance("…") + 12
        value_h = None
        for scale in tile.WALL_VALUE_SCALES:
            vfm = QtGui.QFontMetrics(style.font(scale, bold=True))
            if vfm.horizontalAdvance(tile.value() or "0") + rest <= inner:
                value_h = vfm.height()
                break
        if value_h is None:
            return 1 << 20                      # the figure would clip
        spacing = max(tile.layout().spacing(), 0)
        return m.top() + m.bottom() + bold.height() + spacing + max(value_h, bold.height()) + 4

    def _fit(self, width: int, height: int, order: list[str]) -> tuple[int, int]:
        """(columns, tiles per page) that show the most tiles whole in ``width`` ×
        ``height``; fewer columns (bigger tiles) on a tie."""
        sp = self.SPACING
        best = (1, 0)
        for cols in range(1, max(1, len(order)) + 1):
            tile_w = (width - sp * (cols + 1)) // cols
            if tile_w <= 0:
                break
            need = max((self._tile_height(self.tiles[n], tile_w) for n in order), default=0)
            rows = max(0, (height - sp) // (need + sp)) if need < (1 << 20) else 0
            capacity = min(len(order), cols * rows)
            if capacity > best[1]:
                best = (cols, capacity)
            if capacity >= len(order):
                break
        return best

    def relayout(self) -> None:
        order = self._order()
        if not order:
            return
        width, height = self.width(), self.height()
        cols, per_page = self._fit(width, height, order)
        if 0 < per_page < len(order):
            # pages: keep a line for "1/2" at the bottom
            height -= QtGui.QFontMetrics(self.page_label.font()).height() + self.SPACING
            cols, per_page = self._fit(width, height, order)
        per_page = max(per_page, 1)
        self.columns = cols
        self.pages = [order[i:i + per_page] for i in range(0, len(order), per_page)]
        self.page = min(self.page, len(self.pages) - 1)
        paging = len(self.pages) > 1
        if paging and not self._timer.isActive():
            self._timer.start()
        elif not paging:
            self._timer.stop()
        self._place()

    def _place(self) -> None:
        sp = self.SPACING
        shown = self.pages[self.page] if self.pages else []
        cols = self.columns
        tile_w = max(1, (self.width() - sp * (cols + 1)) // cols)
        rows = max(1, (len(shown) + cols - 1) // cols)
        need = max((self._tile_height(self.tiles[n], tile_w) for n in shown), default=0)
        avail = self.height() - sp
        if len(self.pages) > 1:
            avail -= QtGui.QFontMetrics(self.page_label.font()).height() + sp
        share = max(1, (avail - sp * rows) // rows)
        tile_h = min(share, 2 * need) if need < (1 << 20) else share
        for name, tile in self.tiles.items():
            if name not in shown:
                tile.hide()
        for i, name in enumerate(shown):
            tile = self.tiles[name]
            r, c = divmod(i, cols)
            tile.setGeometry(sp + c * (tile_w + sp), sp + r * (tile_h + sp), tile_w, tile_h)
            tile.show()
            tile.layout().invalidate()          # laid out for the size it has now
            tile.layout().activate()
        if len(self.pages) > 1:
            self.page_label.setText(f"{self.page + 1}/{len(self.pages)}")
            h = QtGui.QFontMetrics(self.page_label.font()).height()
            self.page_label.setGeometry(0, self.height() - h - sp // 2, self.width() - sp, h)
            self.page_label.show()
            self.page_label.raise_()
        else:
            self.page_label.hide()

    def next_page(self) -> None:
        if len(self.pages) > 1:
            self.page = (self.page + 1) % len(self.pages)
            self._place()

    def shown_names(self) -> list[str]:
        return list(self.pages[self.page]) if self.pages else []

    def grid_shape(self) -> tuple[int, int]:
        n = len(self.shown_names())
        return (n + self.columns - 1) // self.columns, min(n, self.columns)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().resizeEvent(event)
        self.relayout()


def _attention(status: ServiceStatus) -> int:
    """How much a service needs attention: a failed plugin, then its abnormal count."""
    if status.error:
        return 1 << 16
    return sum(k.abnormal for k in status.kpis)
