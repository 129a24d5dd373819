"""An engine alarm's text is shown in the interface language: the rule's English
template and its translatable arguments are translated at display, with the live values
of the moment; a translation that does not fit its template falls back to English."""
from __future__ import annotations

from PySide6 import QtCore

from ioc_desktop.alarms import AlarmEngine, AlarmRule, Condition, translatable
from widgets.alarm_text import alarm_text

TEMPLATE = "Cyber: CRITICAL {0} on {1} ({2}×)"
VI = {("cyber", TEMPLATE): "An ninh mạng: NGHIÊM TRỌNG {0} trên {1} ({2}×)",
      ("cyber", "ransomware"): "mã độc tống tiền",
      ("cyber", "Broken {0}"): "Hỏng {0} {1} {2}"}


class Vietnamese(QtCore.QTranslator):
    def translate(self, context, source, disambiguation=None, n=-1):
        return VI.get((context, source), "")


def raised(template, *args):
    engine = AlarmEngine()
    engine.add_rules("cyber", [AlarmRule("cyber.t", 1, lambda model, ctx: [
        Condition.of("e1", "cyber", template, *args, value=3.0)])])
    engine.evaluate("cyber", None, 1_700_000_000.0)
    return engine.get("cyber.t/e1")


def test_the_template_and_its_translatable_arguments_are_translated(qapp):
    alarm = raised(TEMPLATE, translatable("cyber", "ransomware"), "<b>mail</b>", 3)
    assert alarm.text == "Cyber: CRITICAL ransomware on <b>mail</b> (3×)"   # the journal's
    translator = Vietnamese()
    QtCore.QCoreApplication.installTranslator(translator)
    try:
        assert alarm_text(alarm) == "An ninh mạng: NGHIÊM TRỌNG mã độc tống tiền trên <b>mail</b> (3×)"
    finally:
        QtCore.QCoreApplication.removeTranslator(translator)
    assert alarm_text(alarm) == alarm.text           # no translator: English


def test_a_translation_that_does_not_fit_its_template_falls_back_to_english(qapp):
    alarm = raised("Broken {0}", "x")                 # the "translation" wants 3 fields
    translator = Vietnamese()
    QtCore.QCoreApplication.installTranslator(translator)
    try:
        assert alarm_text(alarm) == "Broken x"
    finally:
        QtCore.QCoreApplication.removeTranslator(translator)


def test_an_alarm_restored_from_json_keeps_its_message(qapp):
    from ioc_desktop.alarms.engine import Alarm
    from ioc_desktop import jsonfast
    alarm = raised(TEMPLATE, translatable("cyber", "ransomware"), "mail", 2)
    again = Alarm.from_dict(jsonfast.loads(jsonfast.dumps(alarm.to_dict())))
    assert again.message == alarm.message and alarm_text(again) == alarm.text
