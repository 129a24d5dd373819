"""Parking occupancy: a service a third party adds to HueIOC Desktop, using only the
public plugin API (ioc_desktop.plugin_api, ioc_desktop.topic_model, ioc_desktop.alarms
and widgets).  Operators may close a lot and open it again: an action the backend
applies and the client checks before queuing.  A lot nearly full raises an alarm
through the core's alarm engine, like a built-in service's rule."""
from ioc_desktop.alarms import AlarmRule, Condition
from ioc_desktop.plugin_api import (ActionRefused, Plugin, SimEvent, Simulator, TopicActions,
                                    TopicSpec, as_bool, as_number, as_str)
from ioc_desktop.topic_model import TopicModel

LOTS = [("dong-ba", "Bãi xe chợ Đông Ba", 120), ("dai-noi", "Bãi xe Đại Nội", 200)]


def validate(data):
    as_str(data, "name", max_len=200)
    capacity = as_number(data, "capacity", lo=1)
    as_number(data, "occupied", lo=0, hi=capacity)
    as_bool(data, "closed", required=False)
    return data


def check(name, key, args, roles, data, lookup=None):
    if name not in ("close", "open"):
        raise ActionRefused("bad_request", f"unknown action {name!r}")
    if not {"operator", "supervisor"} & set(roles):
        raise ActionRefused("forbidden", f"{name} needs the role operator")
    if data is not None and bool(data.get("closed")) == (name == "close"):
        raise ActionRefused("conflict", f"{key} is {'closed' if data.get('closed') else 'open'}")


def apply(state, name, key, args, user, now):
    check(name, key, args, user.roles, state[key])
    return {key: {**state[key], "closed": name == "close"}}


class ParkingSimulator(Simulator):
    def __init__(self):
        self.closed = set()

    def lot(self, lot, name, cap, occupied):
        return SimEvent("parking", lot, {"name": name, "capacity": cap, "occupied": occupied,
                                         "closed": lot in self.closed})

    def start(self, rng, now):
        return [self.lot(lot, name, cap, cap // 2) for lot, name, cap in LOTS]

    def step(self, rng, now, budget):
        lot, name, cap = LOTS[rng.randrange(len(LOTS))]
        return [self.lot(lot, name, cap, rng.randrange(cap + 1))]

    def external_update(self, topic, key, data):   # an operator closed or opened a lot
        (self.closed.add if data and data.get("closed") else self.closed.discard)(key)


class ParkingModel(TopicModel):
    """The lots and how full they are (no Qt: the situation layer runs it)."""

    def occupancy(self, key):
        lot = self.items[key]
        return lot["occupied"] / lot["capacity"]

    def view(self, now=None):
        return {"lots": len(self.items),
                "full": sum(1 for k in self.items if self.occupancy(k) >= FULL_AT)}


FULL_AT = 0.95


def lot_full(model, ctx):
    for key, lot in model.items.items():
        share = model.occupancy(key)
        if ctx.beyond(key, share, FULL_AT):
            yield Condition.of(key, "parking", "{0} is {1:.0%} full", lot["name"], share,
                               value=round(share, 3))


class ParkingPlugin(Plugin):
    name = "parking"
    title = "Parking"
    order = 500
    topics = [TopicSpec("parking", "lot_id", validate, columns={"name": str, "occupied": float},
                        to_row=lambda key, d: {"name": d["name"], "occupied": d["occupied"]},
                        actions=TopicActions(apply=apply, local_rule=check))]

    def simulator(self):
        return ParkingSimulator()

    def create_model(self):
        return ParkingModel()

    def alarm_rules(self):
        return [AlarmRule("parking.lot_full", 3, lot_full, deadband=0.05,
                          source=("parking", None))]

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

            def kpis(self):     # from the model's view (the situation layer's thread)
                return [Kpi("lots", str(self.view.get("lots", 0)),
                            abnormal=self.view.get("full", 0))]

        return ParkingGui()
