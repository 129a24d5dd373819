"""Parking occupancy: a service a third party adds to HueIOC Desktop, using only the
public plugin API (ioc_desktop.plugin_api and widgets)."""
from ioc_desktop.plugin_api import Plugin, SimEvent, Simulator, TopicSpec, as_number, as_str

LOTS = [("dong-ba", "Bãi xe chợ Đông Ba", 120), ("dai-noi", "Bãi xe Đại Nội", 200)]


def validate(data):
    as_str(data, "name", max_len=200)
    capacity = as_number(data, "capacity", lo=1)
    as_number(data, "occupied", lo=0, hi=capacity)
    return data


class ParkingSimulator(Simulator):
    def start(self, rng, now):
        return [SimEvent("parking", lot, {"name": name, "capacity": cap, "occupied": cap // 2})
                for lot, name, cap in LOTS]

    def step(self, rng, now, budget):
        lot, name, cap = LOTS[rng.randrange(len(LOTS))]
        return [SimEvent("parking", lot, {"name": name, "capacity": cap, "occupied": rng.randrange(cap + 1)})]


class ParkingPlugin(Plugin):
    name = "parking"
    title = "Parking"
    order = 500
    topics = [TopicSpec("parking", "lot_id", validate, columns={"name": str, "occupied": float},
                        to_row=lambda key, d: {"name": d["name"], "occupied": d["occupied"]})]

    def simulator(self):
        return ParkingSimulator()

    def create_gui(self, context):
        from PySide6 import QtWidgets

        from widgets.keyed_table import Column, KeyedTableModel, KeyedTableView
        from widgets.plugin_gui import Kpi, Panel, PluginGui

        class ParkingGui(PluginGui):
            def __init__(self):
                super().__init__()
                self.model = KeyedTableModel([Column("Lot", lambda d: d["name"]),
                                              Column("Occupied", lambda d: f"{d['occupied']:.0f}/{d['capacity']:.0f}")])
                self.panels = [Panel("lots", "Parking", KeyedTableView(self.model))]

            def on_reset(self, state):
                self.model.reset(state.get("parking", {}))

            def on_batch(self, batch):
                ch = batch.topics.get("parking")
                if ch:
                    self.model.apply(ch.upserts, ch.deletes)

            def kpis(self):
                full = sum(1 for d in self.model.items().values() if d["occupied"] >= d["capacity"])
                return [Kpi("lots", str(len(self.model.items())), abnormal=full)]

        return ParkingGui()
