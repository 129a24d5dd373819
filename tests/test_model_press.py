"""The press situation model and its alarm rule, headless (no Qt), and the panel as a
view of the model's view.

Times derive from a fixed epoch (09:00 in Huế on 23 Nov 2026); nothing reads the wall
clock."""
from __future__ import annotations

from datetime import datetime

import pytest

from ioc_desktop.alarms import (ACKNOWLEDGED, NORMAL, RTN_UNACKNOWLEDGED, UNACKNOWLEDGED,
                                AlarmEngine, alarm_id_for)
from ioc_desktop.interop import VN_TZ
from ioc_desktop.situation import evaluate_model
from ioc_desktop.store.batch import TopicChanges
from plugins.press import PressPlugin
from plugins.press.model import PressModel, TOP_TOPICS
from plugins.press.rules import NEGATIVE_SPIKE, PLUGIN, SPIKE_KEY, press_rules
from plugins.press.spike import SpikeDetector, WindowStats, window_stats

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=VN_TZ).timestamp()
SPIKE = alarm_id_for(NEGATIVE_SPIKE, SPIKE_KEY)


def when(t: float) -> str:
    return datetime.fromtimestamp(t, VN_TZ).isoformat(timespec="seconds")


def item(key: str, sentiment: float, published: float, topic: str = "y_te") -> dict:
    return {"item_id": key, "source": "Báo Thừa Thiên Huế", "title": f"Tin {key}",
            "url": f"https://baothuathienhue.vn.example/{key}.html", "published": when(published),
            "topic": topic, "sentiment": sentiment}


def news(negative: int, other: int, *, age: float = 60.0, now: float = NOW,
         topic: str = "y_te", prefix: str = "i") -> dict[str, dict]:
    """``negative`` items at −0.8 (``topic``) and ``other`` at +0.4 (tourism), ``age`` old."""
    out = {f"{prefix}-n{i}": item(f"{prefix}-n{i}", -0.8, now - age, topic) for i in range(negative)}
    out.update({f"{prefix}-o{i}": item(f"{prefix}-o{i}", 0.4, now - age, "du_lich")
                for i in range(other)})
    return out


class Situated:
    """A press model with its rules in an engine: what the situation layer runs."""

    def __init__(self, model: PressModel | None = None):
        self.model = model or PressModel()
        self.engine = AlarmEngine()
        self.engine.add_rules(PLUGIN, press_rules())

    def show(self, state: dict, now: float = NOW):
        """The topic's state is ``state`` at ``now``: evaluate; the transitions' events."""
        self.model.reset(state, now=now)
        return self.evaluate(now)

    def evaluate(self, now: float = NOW):
        return [(t.event, t.to_state) for t in evaluate_model(self.engine, PLUGIN, self.model, now)]

    @property
    def alarm(self):
        return self.engine.get(SPIKE)


# --------------------------------------------------------------------------- the plugin
def test_the_plugin_declares_the_model_and_the_rule():
    plugin = PressPlugin()
    assert isinstance(plugin.create_model(), PressModel)
    rules = plugin.alarm_rules()
    assert [(r.id, r.priority, r.on_delay_s, r.off_delay_s, r.latching) for r in rules] == [
        (NEGATIVE_SPIKE, 3, 0.0, 0.0, False)]
    assert rules[0].source == ("press", None)


# --------------------------------------------------------------------------- the model
def test_reset_gives_today_the_last_hour_per_topic_and_the_spike_window():
    model = PressModel()
    state = {
        **news(3, 5, age=120),                                     # in every window
        "old": item("old", -0.9, NOW - 2 * 3600),                  # today, not the hour
        "mid": item("mid", -0.2, NOW - 1800, "giao_thong"),        # the hour, not the spike
        "yesterday": item("yesterday", 0.9, NOW - 10 * 3600),      # 23:00 the day before
        "no-time": {**item("no-time", -0.9, NOW), "published": "soon"},
        "no-sentiment": {k: v for k, v in item("x", 0.1, NOW).items() if k != "sentiment"},
    }
    model.reset(state, now=NOW)
    assert set(model.entries) == set(state) - {"no-time", "no-sentiment"}
    view = model.view(NOW)
    assert view["today"] == 10
    assert view["hour"] == {"total": 9, "negative": 3, "share": pytest.approx(3 / 9), "positive": 5,
                            "positive_share": pytest.approx(5 / 9)}
    assert view["topics"] == {"y_te": {"items": 3, "negative": 3, "mean": -0.8},
                              "du_lich": {"items": 5, "negative": 0, "mean": 0.4},
                              "giao_thong": {"items": 1, "negative": 0, "mean": -0.2}}
    assert view["spike"] == {"active": False, "negative": 3, "total": 8, "share": 3 / 8,
                             "window_min": 10, "top_topic": "y_te"}


def test_today_begins_at_hue_midnight_whatever_the_utc_date():
    model = PressModel()
    midnight = datetime(2026, 11, 23, 0, 0, tzinfo=VN_TZ).timestamp()   # 17:00 UTC the 22nd
    model.reset({"before": item("before", 0.3, midnight - 1),
                 "at": item("at", 0.3, midnight),
                 "utc-22nd": item("utc-22nd", 0.3, midnight + 3600)}, now=midnight + 2 * 3600)
    assert model.view()["today"] == 2                   # 00:00 and 01:00 in Huế
    # the next Huế midnight starts a new day: nothing published since
    assert model.view(midnight + 86400 + 60)["today"] == 0


def test_changes_update_the_figures_and_the_view_moves_with_now_only():
    model = PressModel()
    model.reset(news(2, 2), now=NOW)
    changes = TopicChanges(upserts={"late": item("late", -0.7, NOW - 30),
                                    "i-o0": {**item("i-o0", 0.4, NOW), "sentiment": "bad"}},
                           deletes={"i-n0"})
    model.apply_changes(changes, now=NOW)
    view = model.view()
    assert view["hour"]["total"] == 3 and view["hour"]["negative"] == 2      # n1, late; o1
    assert "i-o0" not in model.entries and "i-n0" not in model.entries
    # an hour later the same items have left the hour and the spike window
    later = model.view(NOW + 3600)
    assert later["hour"]["total"] == 0 and later["spike"]["total"] == 0 and later["today"] == 3
    assert model.view(NOW) == view                 # computed from now, not remembered
    assert PressModel().view()["hour"]["total"] == 0          # no clock yet: empty figures


def test_topics_are_capped_to_the_busiest():
    model = PressModel()
    state = {}
    for t in range(TOP_TOPICS + 10):
        for i in range(1 + (t % 3)):
            key = f"t{t}-{i}"
            state[key] = item(key, 0.1, NOW - 60, f"topic-{t:03d}")
    model.reset(state, now=NOW)
    topics = model.view()["topics"]
    assert len(topics) == TOP_TOPICS
    assert min(v["items"] for v in topics.values()) >= 1
    assert all(f"topic-{t:03d}" in topics for t in range(TOP_TOPICS + 10) if t % 3 == 2)


# --------------------------------------------------------------------------- the detector
def test_window_stats_edges():
    w = SpikeDetector.WINDOW_S
    assert window_stats([(NOW - w, -0.9, "a")], NOW, w, -0.5).total == 0      # on the edge: out
    assert window_stats([(NOW - w + 0.001, -0.9, "a")], NOW, w, -0.5).negative == 1
    assert window_stats([(NOW + 30, -0.9, "a")], NOW, w, -0.5).total == 1     # skew: counts
    assert window_stats([], NOW, w, -0.5) == WindowStats()


# --------------------------------------------------------------------------- the rule
def test_the_spike_raises_at_the_minimum_count_and_share_exactly_with_the_live_text():
    s = Situated()
    assert s.show(news(7, 13)) == [("raise", UNACKNOWLEDGED)]        # 7 of 20 = 35 %
    alarm = s.alarm
    assert (alarm.priority, alarm.value, alarm.source_topic, alarm.source_key) == (
        3, 35.0, "press", SPIKE_KEY)
    assert alarm.text == ("Negative press spike: 7 of 20 items negative (35 %) in the last "
                          "10 min; most: health")
    assert alarm.message[0] == "press" and alarm.message[2] == [
        7, 20, 35.0, 10, {"ctx": "press", "text": "health"}]  # the topic: translated too
    assert s.model.view()["spike"]["active"] is True
    # more negative news: the same alarm, its text and value live
    assert s.show(news(12, 13)) == []
    assert s.alarm.value == 48.0 and "12 of 25 items negative (48 %)" in s.alarm.text


@pytest.mark.parametrize("negative, other", [(4, 0), (7, 14), (5, 10), (4, 3)])
def test_no_spike_below_either_limit(negative, other):
    s = Situated()
    assert s.show(news(negative, other)) == []
    assert s.alarm is None and s.model.view()["spike"]["active"] is False


def test_the_share_boundary_and_what_counts_as_negative():
    s = Situated()
    assert s.show(news(5, 9)) == [("raise", UNACKNOWLEDGED)]          # 35.7 %
    s = Situated()
    assert s.show({f"k{i}": item(f"k{i}", -0.5, NOW - 60) for i in range(5)}) != []   # −0.5 counts
    s = Situated()
    assert s.show({f"k{i}": item(f"k{i}", -0.49, NOW - 60) for i in range(5)}) == []


def test_the_deadband_holds_the_spike_down_to_the_clear_share():
    s = Situated()
    assert s.show(news(10, 10)) == [("raise", UNACKNOWLEDGED)]
    assert s.show(news(10, 28)) == []                                 # 26 %: in the deadband
    assert s.alarm.state == UNACKNOWLEDGED and "(26 %)" in s.alarm.text
    assert s.model.view()["spike"]["active"] is True                  # the panel agrees
    assert s.show(news(10, 30)) == []                                 # 25 % exactly: holds
    assert s.show(news(10, 31)) == [("clear", RTN_UNACKNOWLEDGED)]     # 24.4 %: clears
    assert s.model.view()["spike"]["active"] is False
    assert s.show(news(10, 28)) == []                                 # 26 % does not re-raise
    assert s.show(news(10, 10)) == [("raise", UNACKNOWLEDGED)]
    assert s.show(news(4, 0)) == [("clear", RTN_UNACKNOWLEDGED)]       # too few negatives


def test_time_alone_clears_the_spike():
    s = Situated()
    assert s.show(news(9, 3, age=30)) == [("raise", UNACKNOWLEDGED)]
    s.engine.acknowledge(SPIKE, user="an.nguyen", now=NOW + 60)
    assert s.alarm.state == ACKNOWLEDGED
    assert s.evaluate(NOW + 300) == []                                # still in the window
    assert s.evaluate(NOW + 600) == [("clear", NORMAL)]               # 10 min 30 s old: gone
    assert s.model.view()["spike"] == {"active": False, "negative": 0, "total": 0, "share": 0.0,
                                       "window_min": 10, "top_topic": None}


def test_the_deadband_survives_a_restart():
    s = Situated()
    s.show(news(10, 10))
    restarted = Situated()                       # a new engine restored from the journal
    restarted.engine.restore(s.engine.alarms())
    assert restarted.show(news(10, 28)) == []    # 26 %: the restored alarm still holds
    assert restarted.alarm.state == UNACKNOWLEDGED
    assert restarted.model.view()["spike"]["active"] is True


def test_the_detector_is_tunable_through_the_model():
    class Hourly(SpikeDetector):
        WINDOW_S = 3600.0
        MIN_NEGATIVE = 2

    state = news(3, 2, age=1800)                 # half an hour old
    assert Situated().show(state) == []
    hourly = Situated(PressModel(detector=Hourly()))
    assert hourly.show(state) == [("raise", UNACKNOWLEDGED)]
    assert "in the last 60 min" in hourly.alarm.text
    assert hourly.model.view()["spike"]["window_min"] == 60


def test_the_top_topic_is_named_by_its_label_or_as_sent():
    s = Situated()
    s.show({**news(6, 0, topic="<b>odd</b>"), **news(5, 0, prefix="j")})
    assert s.alarm.text.endswith("most: <b>odd</b>")


def test_no_clock_no_verdict():
    engine = AlarmEngine()
    engine.add_rules(PLUGIN, press_rules())
    model = PressModel()
    model.reset(news(9, 0))                       # no now given
    assert engine.evaluate(PLUGIN, model, NOW) == []


# --------------------------------------------------------------------------- the panel
def test_the_panel_renders_the_models_view(qtbot):
    from plugins.press.gui import PressGui
    from widgets.plugin_gui import AppContext

    gui = PressGui(PressPlugin(), AppContext(run_read=lambda fn, cb: cb(None)))
    qtbot.addWidget(gui.panel)
    assert gui.kpis() == []                          # no view yet: no figures to show
    s = Situated()
    s.show({**news(9, 10, age=120), "old": item("old", 0.5, NOW - 5 * 3600)})
    gui.apply_view(s.model.view(), full=True)
    p = gui.panel
    assert p.counts.value("hour") == "19" and p.counts.cells["hour"].sub() == "20 today"
    assert p.counts.value("negative") == "47 %" and p.counts.cells["negative"].is_active()
    assert p.counts.value("positive") == "53 %"
    assert p.spike.text() == ("▲ NEGATIVE SPIKE: 9 of 19 items negative in the last 10 min "
                              "(most: health)") and p.spike.property("active")
    summary = p.topic_summary.source
    assert {summary.data(summary.index(r, 0)) for r in range(summary.rowCount())} == {"health", "tourism"}
    today, hour, negative = gui.kpis()
    assert (today.value, hour.value, negative.value, negative.abnormal) == ("20", "19", "47 %", 9)
    # a delta: the spike is over (only what changed is sent)
    s.show(news(2, 10, age=120))
    view = s.model.view()
    gui.apply_view({k: v for k, v in view.items() if k != "today"})
    assert p.spike.text() == "No negative spike: 2 of 12 items negative in the last 10 min"
    assert not p.counts.cells["negative"].is_active() and gui.kpis()[2].abnormal == 0
    assert gui.kpis()[0].value == "20"               # "today" was not in the delta: kept
