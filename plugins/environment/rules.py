"""The environment's alarm rules for the core alarm engine (no Qt), over
:class:`~plugins.environment.model.EnvironmentModel`.

Rules (ids are global; keys are the observation keys, ``station_id/quantity``):

``environment.river_bd1`` — a river station at BĐ1 (not yet BĐ2).  Priority 3.
``environment.river_bd2`` — a river station at BĐ2 or above: priority 2, 1 at BĐ3 (an
    acknowledged alarm whose level rises to BĐ3 is annunciated again).  While any is
    active, the cameras' flooded-street alarms are **suppressed by design**
    (``suppresses=("cameras.flooded_street",)``): above BĐ2 the low streets flood, as
    expected; they stay listed under it.  (Like an H and an HH alarm: on the way up the
    BĐ1 alarm returns to normal when the BĐ2 one takes over, and the other way down.)
``environment.air_quality`` — an air station's VN_AQI at Kém (101–150) or worse
    (DOMAIN.md, QĐ 1459/QĐ-TCMT): priority 3 Kém, 2 Xấu (151–200), 1 Rất xấu (201–300)
    and Nguy hại (301–500).
``environment.reservoir_discharge`` — a reservoir releasing flood water (xả lũ): its
    ``outflow`` at or above the ``discharge`` threshold its data carries.  Priority 3.

All have a 60 s on-delay (one stray reading raises nothing) and no latching; the
deadbands are the model's (see its docstring), so the panels and the alarms agree.
Texts carry the live value; templates are English, translated where shown.
"""
from __future__ import annotations

from typing import Iterator

from ioc_desktop.alarms import AlarmRule, Condition, RuleContext
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

from .model import LEVELS, EnvironmentModel
from .schema import TOPIC

PLUGIN = "environment"
RIVER_BD1 = "environment.river_bd1"
RIVER_BD2 = "environment.river_bd2"
AIR_QUALITY = "environment.air_quality"
RESERVOIR_DISCHARGE = "environment.reservoir_discharge"
RULE_IDS = (RIVER_BD1, RIVER_BD2, AIR_QUALITY, RESERVOIR_DISCHARGE)
#: The rule that the river's BĐ2 alarm suppresses by design (the cameras plugin's).
FLOODED_STREET = "cameras.flooded_street"

ON_DELAY_S = 60.0
#: Alarm priority by flood warning level: BĐ1 3, BĐ2 2, BĐ3 1.
LEVEL_PRIORITY = {1: 3, 2: 2, 3: 1}
#: Alarm priority by AQI band index (2 Kém … 5 Nguy hại).
AQI_PRIORITY = {2: 3, 3: 2, 4: 1, 5: 1}
LEVEL_NAMES = {"BD1": "BĐ1", "BD2": "BĐ2", "BD3": "BĐ3"}

CONTEXT = "environment"
RIVER_TEXT = QT_TRANSLATE_NOOP("environment", "{0}: water level {1:.2f} m, at flood warning level {2} ({3:.2f} m)")
AQI_TEXTS = {
    2: QT_TRANSLATE_NOOP("environment", "{0}: AQI {1:.0f}, poor air quality"),
    3: QT_TRANSLATE_NOOP("environment", "{0}: AQI {1:.0f}, bad air quality"),
    4: QT_TRANSLATE_NOOP("environment", "{0}: AQI {1:.0f}, very bad air quality"),
    5: QT_TRANSLATE_NOOP("environment", "{0}: AQI {1:.0f}, hazardous air quality"),
}
DISCHARGE_TEXT = QT_TRANSLATE_NOOP("environment", "{0}: releasing {1:.0f} m³/s, above its flood-release level ({2:.0f} m³/s)")


def _river(model: EnvironmentModel, levels: tuple[int, ...]) -> Iterator[Condition]:
    for key, data, rank in model.flooded():
        if rank not in levels:
            continue
        name = LEVELS[rank - 1]
        yield Condition.of(key, CONTEXT, RIVER_TEXT, model.name_of(data), float(data["value"]),
                           LEVEL_NAMES[name], float(data["thresholds"][name]),
                           value=float(data["value"]), priority=LEVEL_PRIORITY[rank])


def river_bd1(model: EnvironmentModel, ctx: RuleContext) -> Iterator[Condition]:
    return _river(model, (1,))


def river_bd2(model: EnvironmentModel, ctx: RuleContext) -> Iterator[Condition]:
    return _river(model, (2, 3))


def air_quality(model: EnvironmentModel, ctx: RuleContext) -> Iterator[Condition]:
    for key, data, band in model.poor_air():
        value = float(data["value"])
        yield Condition.of(key, CONTEXT, AQI_TEXTS[band], model.name_of(data), value,
                           value=value, priority=AQI_PRIORITY[band])


def reservoir_discharge(model: EnvironmentModel, ctx: RuleContext) -> Iterator[Condition]:
    for key, data, limit in model.discharging():
        value = float(data["value"])
        yield Condition.of(key, CONTEXT, DISCHARGE_TEXT, model.name_of(data), value, limit,
                           value=value)


def environment_rules() -> list[AlarmRule]:
    """The environment's rules (``engine.add_rules(PLUGIN, environment_rules())``)."""
    source = (TOPIC, None)
    return [
        AlarmRule(RIVER_BD1, 3, river_bd1, on_delay_s=ON_DELAY_S, source=source),
        AlarmRule(RIVER_BD2, 2, river_bd2, on_delay_s=ON_DELAY_S,
                  suppresses=(FLOODED_STREET,), source=source),
        AlarmRule(AIR_QUALITY, 3, air_quality, on_delay_s=ON_DELAY_S, source=source),
        AlarmRule(RESERVOIR_DISCHARGE, 3, reservoir_discharge, on_delay_s=ON_DELAY_S,
                  source=source),
    ]


__all__ = ["AIR_QUALITY", "AQI_PRIORITY", "FLOODED_STREET", "LEVEL_PRIORITY", "ON_DELAY_S",
           "PLUGIN", "RESERVOIR_DISCHARGE", "RIVER_BD1", "RIVER_BD2", "RULE_IDS",
           "air_quality", "environment_rules", "reservoir_discharge", "river_bd1", "river_bd2"]
