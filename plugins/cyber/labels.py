"""The cyber panel's labels and colours, declared for translation (no Qt): shared by
the GUI (which translates them where it shows them) and the alarm rules (which name a
category in English inside a translated template)."""
from __future__ import annotations

from ioc_desktop.alarms.engine import translatable
from ioc_desktop.text_clip import clip
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

SEVERITY_LABELS = {
    "critical": QT_TRANSLATE_NOOP("cyber", "CRITICAL"), "high": QT_TRANSLATE_NOOP("cyber", "HIGH"),
    "medium": QT_TRANSLATE_NOOP("cyber", "medium"), "low": QT_TRANSLATE_NOOP("cyber", "low"),
}
SEVERITY_COLORS = {"critical": "#ff2d2d", "high": "#ff7e00", "medium": "#ffd400", "low": "#4aa3ff"}
STATUS_LABELS = {
    "new": QT_TRANSLATE_NOOP("cyber", "new"),
    "investigating": QT_TRANSLATE_NOOP("cyber", "investigating"),
    "contained": QT_TRANSLATE_NOOP("cyber", "contained"),
    "resolved": QT_TRANSLATE_NOOP("cyber", "resolved"),
    "false_positive": QT_TRANSLATE_NOOP("cyber", "false positive"),
}
CATEGORY_LABELS = {
    "malware": QT_TRANSLATE_NOOP("cyber", "malware"),
    "phishing": QT_TRANSLATE_NOOP("cyber", "phishing"),
    "ddos": QT_TRANSLATE_NOOP("cyber", "DDoS"),
    "intrusion_attempt": QT_TRANSLATE_NOOP("cyber", "intrusion attempt"),
    "web_defacement": QT_TRANSLATE_NOOP("cyber", "web defacement"),
    "brute_force": QT_TRANSLATE_NOOP("cyber", "brute force"),
    "data_leak": QT_TRANSLATE_NOOP("cyber", "data leak"),
    "ransomware": QT_TRANSLATE_NOOP("cyber", "ransomware"),
    "unauthorized_access": QT_TRANSLATE_NOOP("cyber", "unauthorized access"),
    "vulnerability_scan": QT_TRANSLATE_NOOP("cyber", "vulnerability scan"),
}


def category_text(category: str | None) -> str | dict:
    """A category for an alarm text: its label, translated at display (an unknown one
    as sent, clipped)."""
    label = CATEGORY_LABELS.get(category)
    return translatable("cyber", label) if label else clip(category, 40)


__all__ = ["CATEGORY_LABELS", "SEVERITY_COLORS", "SEVERITY_LABELS", "STATUS_LABELS",
           "category_text"]
