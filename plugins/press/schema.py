"""The ``press`` topic: news items about the province (giám sát thông tin báo chí).

Key: ``item_id``.  Rules (a ValidationError names the field):

* ``item_id``: non-empty text ≤128.
* ``source`` (the outlet, ≤200) and ``title`` (the headline, ≤1000): non-empty text.
* ``url``: required, ≤2048, an absolute ``http``/``https`` address with a host and no
  spaces or control characters (``javascript:``, ``file:``, ``data:`` … are refused).
  The app shows it as text and never opens it by itself.
* ``published``: RFC 3339 with offset, required.
* ``topic``: non-empty text ≤60.  The demo and the panel know the identifiers of
  :data:`TOPICS` (shown translated); any other text is accepted and shown as sent.
* ``sentiment``: a number, −1 (very negative) … +1 (very positive), required.
* Optional: ``summary`` (text ≤4000), ``comments`` and ``shares`` (whole numbers ≥ 0,
  the item's interactions as the monitoring platform last counted them).
* Hostile text is valid text (escaping is the views' job).  Unknown fields are kept.

The state table's ``tone`` column is derived from ``sentiment`` (:func:`tone_of`), so
that the panel can count and filter negative items in SQL.
"""
from __future__ import annotations


from ioc_desktop.interop import to_local_time
from ioc_desktop.plugin_api import TopicSpec, ValidationError, check_url, as_number, as_str, as_time
from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP

TOPIC = "press"
KEY_FIELD = "item_id"

#: Topic identifiers the demo sends and the panel labels (others are shown as sent).
TOPICS = ("du_lich", "giao_thong", "moi_truong", "thien_tai", "xay_dung", "giao_duc",
          "y_te", "an_ninh", "hanh_chinh", "kinh_te", "van_hoa")
#: English labels of :data:`TOPICS` (context ``press``): the panel translates them, the
#: alarm texts (written by the Qt-free rules) carry them as they are.
TOPIC_LABELS = {
    "du_lich": QT_TRANSLATE_NOOP("press", "tourism"),
    "giao_thong": QT_TRANSLATE_NOOP("press", "traffic"),
    "moi_truong": QT_TRANSLATE_NOOP("press", "environment"),
    "thien_tai": QT_TRANSLATE_NOOP("press", "floods & disasters"),
    "xay_dung": QT_TRANSLATE_NOOP("press", "construction"),
    "giao_duc": QT_TRANSLATE_NOOP("press", "education"),
    "y_te": QT_TRANSLATE_NOOP("press", "health"),
    "an_ninh": QT_TRANSLATE_NOOP("press", "public order"),
    "hanh_chinh": QT_TRANSLATE_NOOP("press", "public administration"),
    "kinh_te": QT_TRANSLATE_NOOP("press", "economy"),
    "van_hoa": QT_TRANSLATE_NOOP("press", "culture"),
}

MAX_LEN = {"item_id": 128, "source": 200, "title": 1000, "url": 2048, "topic": 60,
           "summary": 4000}

#: Tone bands of ``sentiment`` (inclusive upper bounds).  ``NEGATIVE_AT`` is also what the
#: negative-spike rule counts as a negative item (see :mod:`plugins.press.spike`).
NEGATIVE_AT = -0.5
LEANING_NEGATIVE_AT = -0.15
NEUTRAL_UP_TO = 0.15
TONES = ("negative", "leaning_negative", "neutral", "positive")

#: Largest interaction count accepted (a typo of many digits is refused).
MAX_COUNT = 1_000_000_000


def tone_of(sentiment: float) -> str:
    """``negative`` (≤ −0.5), ``leaning_negative`` (≤ −0.15), ``neutral`` (≤ +0.15) or
    ``positive``."""
    if sentiment <= NEGATIVE_AT:
        return "negative"
    if sentiment <= LEANING_NEGATIVE_AT:
        return "leaning_negative"
    if sentiment <= NEUTRAL_UP_TO:
        return "neutral"
    return "positive"


def _nonempty(data: dict, name: str) -> str:
    value = as_str(data, name, max_len=MAX_LEN[name])
    if not value.strip():
        raise ValidationError(f"data.{name}: must not be empty")
    return value


def _count(data: dict, name: str) -> None:
    value = as_number(data, name, required=False, lo=0, hi=MAX_COUNT)
    if value is not None and not float(value).is_integer():
        raise ValidationError(f"data.{name}: expected a whole number, got {value}")


def validate(data: dict) -> dict:
    """The news item unchanged (it is already normal), or ValidationError with the reason."""
    if not isinstance(data, dict):
        raise ValidationError(f"data: expected an object, got {type(data).__name__}")
    _nonempty(data, "item_id")
    _nonempty(data, "source")
    _nonempty(data, "title")
    check_url(as_str(data, "url", max_len=MAX_LEN["url"]), "url")
    as_time(data, "published")
    _nonempty(data, "topic")
    as_number(data, "sentiment", lo=-1.0, hi=1.0)
    as_str(data, "summary", required=False, max_len=MAX_LEN["summary"])
    _count(data, "comments")
    _count(data, "shares")
    return data


def key_of(data: dict) -> str:
    return data[KEY_FIELD]


#: ``published`` is normalised to ``YYYY-MM-DDTHH:MM:SS+07:00`` (text order = time order);
#: ``interactions`` is comments + shares (None when the feed sends neither).
COLUMNS: dict[str, type] = {
    "source": str, "title": str, "url": str, "published": str, "topic": str,
    "sentiment": float, "tone": str, "interactions": int,
}
INDEXES: list[tuple[str, ...]] = [("published",), ("topic",), ("tone", "published"), ("source",)]


def to_row(key: str, data: dict) -> dict:
    get = data.get
    comments, shares = get("comments"), get("shares")
    interactions = None if comments is None and shares is None else int((comments or 0) + (shares or 0))
    sentiment = float(data["sentiment"])
    return {
        "source": get("source"), "title": get("title"), "url": get("url"),
        "published": to_local_time(get("published")), "topic": get("topic"),
        "sentiment": sentiment, "tone": tone_of(sentiment), "interactions": interactions,
    }


SPEC = TopicSpec(
    name=TOPIC,
    key_field=KEY_FIELD,
    validate=validate,
    columns=COLUMNS,
    to_row=to_row,
    indexes=INDEXES,
    # A provincial media monitor collects from its outlets every few minutes; half an
    # hour without a single item means the collector (or the link) is down.
    stale_after_s=1800.0,
)
