"""The details pane of the reports console: one report, everything about it.

Shows (all as plain text: a report is untrusted feed text):

* the report's fields — every field, the unknown ones too; the reporter only to IOC roles
  (operator, supervisor), never to a viewer;
* its photo (``media_url`` through ``fetch_media``: "no photo", or a note when the copy
  shown is the cached one because the backend can't be reached);
* its place on a :class:`widgets.mini_map.MiniMap` — a QPainter drawing of the offline
  basemap and the point, light enough to redraw at every selection (the main map
  selects the pin too, when it is shown);
* the SLA clocks (verify, assign, resolve: due, and done / time left / overdue);
* the history (``data.history``) and, under it, this client's actions on the report:
  pending, sent, done, refused with the backend's reason (Dismiss);
* duplicates suggested (same category, ≈50 m, open) with a one-click merge into the top
  one, and the merge links both ways (merged into / merged in), each clickable.

Reads (the report, the suggestions) run on the reader thread; a committed batch that
changes the report shown updates it without a read.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Callable

from PySide6 import QtCore, QtGui, QtWidgets
from PySide6.QtCore import QCoreApplication

from ioc_desktop.ts_catalog import QT_TRANSLATE_NOOP
from widgets.review.clock import view_datetime
from widgets.mini_map import MiniMap
from widgets.text import clip, local_time
from widgets.theme import ALARM, OK, TEXT_MUTED, WARN

from . import workflow
from .labels import (ACTION_LABELS, CHANNEL_LABELS, PRIORITY_LABELS, REJECT_REASON_LABELS, SLA_COLORS,
                     STATUS_LABELS, clock_lines, label, sla_summary)
from .schema import CATEGORIES, TOPIC
from .triage import IOC_ROLES, ActionTracker, describe

Qt = QtCore.Qt
PHOTO_MAX = QtCore.QSize(420, 260)

#: Known fields in the order shown: (field, label).  Others follow under their own name.
FIELDS = (
    ("service_request_id", QT_TRANSLATE_NOOP("ReportDetails", "Report no.")),
    ("ioc_status", QT_TRANSLATE_NOOP("ReportDetails", "Status")),
    ("status", QT_TRANSLATE_NOOP("ReportDetails", "Open311 status")),
    ("priority", QT_TRANSLATE_NOOP("ReportDetails", "Priority")),
    ("process", QT_TRANSLATE_NOOP("ReportDetails", "Process")),
    ("service_name", QT_TRANSLATE_NOOP("ReportDetails", "Category")),
    ("service_code", QT_TRANSLATE_NOOP("ReportDetails", "Category code")),
    ("description", QT_TRANSLATE_NOOP("ReportDetails", "Description")),
    ("address", QT_TRANSLATE_NOOP("ReportDetails", "Address")),
    ("commune", QT_TRANSLATE_NOOP("ReportDetails", "Commune / ward")),
    ("legacy_district", QT_TRANSLATE_NOOP("ReportDetails", "Former district")),
    ("lat", QT_TRANSLATE_NOOP("ReportDetails", "Position")),
    ("channel", QT_TRANSLATE_NOOP("ReportDetails", "Channel")),
    ("requested_datetime", QT_TRANSLATE_NOOP("ReportDetails", "Received")),
    ("updated_datetime", QT_TRANSLATE_NOOP("ReportDetails", "Updated")),
    ("agency_responsible", QT_TRANSLATE_NOOP("ReportDetails", "Agency")),
    ("expected_datetime", QT_TRANSLATE_NOOP("ReportDetails", "Agency deadline")),
    ("status_notes", QT_TRANSLATE_NOOP("ReportDetails", "Status notes")),
    ("media_url", QT_TRANSLATE_NOOP("ReportDetails", "Photo address")),
)
#: Shown elsewhere in the pane (or never: "long" goes with "lat").
NOT_IN_FIELDS = {"history", "merged_into", "merged_from", "reporter", "long"}




def plain(text: str = "", *, wrap: bool = True, muted: bool = False, object_name: str = "") -> QtWidgets.QLabel:
    """A label that shows ``text`` literally (never as HTML), selectable."""
    lab = QtWidgets.QLabel()
    lab.setTextFormat(Qt.TextFormat.PlainText)
    lab.setWordWrap(wrap)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    if object_name:
        lab.setObjectName(object_name)
    if muted:
        lab.setStyleSheet(f"color: {TEXT_MUTED};")
    lab.setText(text)
    return lab


def _clear(layout: QtWidgets.QLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        w = item.widget()
        if w is not None:
            w.hide()
            w.setParent(None)       # out of findChildren() at once, deleted later
            w.deleteLater()
        elif item.layout() is not None:
            _clear(item.layout())
            item.layout().deleteLater()


def _time(dt: datetime) -> str:
    return local_time(dt.isoformat(), "%H:%M %d/%m")


def _value_text(name: str, value: Any, data: dict) -> str:
    if value is None:
        return ""
    if name == "ioc_status":
        return label(STATUS_LABELS, value)
    if name == "priority":
        return label(PRIORITY_LABELS, value)
    if name == "channel":
        return label(CHANNEL_LABELS, value)
    if name == "lat":
        return f"{data.get('lat')}, {data.get('long')}"
    if name.endswith("_datetime"):
        return local_time(value, "%H:%M %d/%m/%Y")
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def history_line(h: dict) -> str:
    """One history entry as a line: time · action · by · from → to · details."""
    parts = [local_time(h.get("at"), "%H:%M %d/%m") or str(h.get("at") or ""),
             label(ACTION_LABELS, h.get("action"), "?"), str(h.get("by") or "")]
    if h.get("from") and h.get("to") and h.get("from") != h.get("to"):
        parts.append(f"{label(STATUS_LABELS, h['from'])} → {label(STATUS_LABELS, h['to'])}")
    if h.get("reason"):
        reason = label(REJECT_REASON_LABELS, h["reason"])
        parts.append(QCoreApplication.translate("ReportDetails", "reason: {0}").format(reason))
    if h.get("agency"):
        parts.append(QCoreApplication.translate("ReportDetails", "to {0}").format(h["agency"]))
    if h.get("due"):
        parts.append(QCoreApplication.translate("ReportDetails", "due {0}").format(local_time(h["due"], "%H:%M %d/%m")))
    if h.get("new"):
        parts.append(f"{label(PRIORITY_LABELS, h.get('old'))} → {label(PRIORITY_LABELS, h['new'])}")
    if h.get("into"):
        parts.append(QCoreApplication.translate("ReportDetails", "into {0}").format(h["into"]))
    if h.get("key") and h.get("action") == "merged_from":
        parts.append(str(h["key"]))
    for extra in ("note", "result"):
        if h.get(extra):
            parts.append(f"“{h[extra]}”")
    return " · ".join(p for p in parts if p)


class ReportDetails(QtWidgets.QScrollArea):
    linkActivated = QtCore.Signal(str)           # show another report (links, duplicates)
    mergeRequested = QtCore.Signal(dict, str)    # (report fields, into key): merge asked

    def __init__(self, run_read: Callable, fetch_media: Callable | None = None,
                 tracker: ActionTracker | None = None, roles: Callable[[], tuple] = lambda: (),
                 suggest: Callable | None = None, parent=None):
        super().__init__(parent)
        self.setObjectName("reportDetails")
        self.run_read = run_read
        self.fetch_media = fetch_media
        self.tracker = tracker
        self.roles = roles
        self.suggest = suggest
        self.key: str | None = None
        self.data: dict | None = None
        self.duplicates: list[tuple[str, float, dict]] = []
        self.photo_note = ""
        self._media_url: str | None = None
        self._read_gen = 0
        self.setWidgetResizable(True)
        self.setFrameShape(QtWidgets.QFrame.Shape.NoFrame)
        body = QtWidgets.QWidget()
        self.setWidget(body)
        col = QtWidgets.QVBoxLayout(body)
        col.setContentsMargins(8, 6, 8, 6)
        col.setSpacing(8)

        self.title = plain(self.tr("Select a report in the queue"), object_name="detailsTitle")
        font = self.title.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.title.setFont(font)
        self.sla = plain(object_name="detailsSla")
        sla_font = self.sla.font()
        sla_font.setBold(True)
        self.sla.setFont(sla_font)
        col.addWidget(self.title)
        col.addWidget(self.sla)

        # photo and place side by side
        media = QtWidgets.QHBoxLayout()
        photo_box = QtWidgets.QVBoxLayout()
        self.photo = QtWidgets.QLabel(objectName="detailsPhoto")
        self.photo.setTextFormat(Qt.TextFormat.PlainText)
        self.photo.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.photo.setMinimumSize(200, 150)
        self.photo.setMaximumSize(PHOTO_MAX)
        self.photo.setStyleSheet(f"border: 1px solid #3a444e; color: {TEXT_MUTED};")
        self.photo_caption = plain(muted=True, object_name="detailsPhotoNote")
        photo_box.addWidget(self.photo)
        photo_box.addWidget(self.photo_caption)
        media.addLayout(photo_box, 1)
        self.map = MiniMap()
        self.map.setToolTip(self.tr("Click: close-up / whole city"))
        media.addWidget(self.map, 1)
        col.addLayout(media)

        self.clocks_box, self.clocks = self._section(col, self.tr("SLA clocks"))
        self.links_box, self.links = self._section(col, self.tr("Duplicates and merges"))
        self.history_box, self.history = self._section(col, self.tr("History and actions"))
        self.fields_box = QtWidgets.QGroupBox(self.tr("Report"))
        self.fields = QtWidgets.QFormLayout(self.fields_box)
        self.fields.setRowWrapPolicy(QtWidgets.QFormLayout.RowWrapPolicy.WrapLongRows)
        self.fields.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        col.addWidget(self.fields_box)
        col.addStretch(1)
        for box in (self.clocks_box, self.links_box, self.history_box, self.fields_box):
            box.setVisible(False)

        if tracker is not None:
            tracker.changed.connect(self._tracker_changed)
        self._tick = QtCore.QTimer(self, interval=30_000)      # the clocks run
        self._tick.timeout.connect(self._render_clocks)
        self._tick.start()

    def _section(self, col, title: str) -> tuple[QtWidgets.QGroupBox, QtWidgets.QVBoxLayout]:
        box = QtWidgets.QGroupBox(title)
        layout = QtWidgets.QVBoxLayout(box)
        layout.setSpacing(3)
        col.addWidget(box)
        return box, layout

    # ------------------------------------------------------------------ input
    def show_key(self, key: str) -> None:
        """Show ``key``: read it (and its duplicate suggestions) off the GUI thread; its
        photo is fetched again (a batch's update of the same report keeps the photo)."""
        self._media_url = None
        if key != self.key:
            self.key, self.data, self.duplicates = key, None, []
            self.title.setText(key)
            if self.tracker is not None:
                self.tracker.load(key)
        self._read(key)

    def set_data(self, key: str, data: dict | None) -> None:
        """A committed change of the report shown (None: it left the cache)."""
        if key != self.key:
            return
        if data is None:
            self.data = None
            self.title.setText(self.tr("{0} — no longer in the cache").format(key))
            return
        self._show(key, data)
        self._read(key, duplicates_only=True)

    def _read(self, key: str, duplicates_only: bool = False) -> None:
        self._read_gen += 1
        gen = self._read_gen
        suggest = self.suggest
        known = self.data if duplicates_only else None

        def work(conn):
            data = known
            if not duplicates_only:
                row = conn.execute(f"SELECT data FROM {TOPIC} WHERE key = ?", (key,)).fetchone()
                data = json.loads(row[0]) if row and row[0] else None
            dups = []
            if data and suggest is not None and workflow.ioc_state(data) not in workflow.FINISHED:
                found = [(k, d) for k, d in suggest(conn, data) if k != key]
                if found:
                    marks = ",".join("?" * len(found))
                    rows = {r[0]: {"key": r[0], "ioc_status": r[1], "service_name": r[2], "description": r[3]}
                            for r in conn.execute(
                                f"SELECT key, ioc_status, service_name, description FROM {TOPIC} "
                                f"WHERE key IN ({marks})", [k for k, _ in found])}
                    dups = [(k, d, rows.get(k, {"key": k})) for k, d in found]
            return data, dups

        def done(result):
            if gen != self._read_gen or key != self.key or result is None:
                return
            data, dups = result
            self.duplicates = dups
            if data is None and not duplicates_only:
                self.title.setText(self.tr("{0} — not in the cache").format(key))
                return
            if not duplicates_only:
                self._show(key, data)
            else:
                self._render_links()
        self.run_read(work, done)

    # ------------------------------------------------------------------ rendering
    def _show(self, key: str, data: dict) -> None:
        self.data = data
        status = label(STATUS_LABELS, workflow.ioc_state(data))
        category = data.get("service_name") or data.get("service_code") or ""
        self.title.setText(f"{key} · {status} · {clip(category, 60)}")
        self.map.set_point(data.get("lat"), data.get("long"), clip(data.get("address"), 80))
        self._render_fields()
        self._render_clocks()
        self._render_links()
        self._render_history()
        self._load_photo(data.get("media_url"))

    def ioc_user(self) -> bool:
        return bool(set(self.roles()) & set(IOC_ROLES))

    def _render_fields(self) -> None:
        data = self.data or {}
        while self.fields.rowCount():
            self.fields.removeRow(0)
        shown = set()
        for name, text in FIELDS:
            shown.add(name)
            if data.get(name) in (None, ""):
                continue
            caption = QCoreApplication.translate("ReportDetails", text)
            self.fields.addRow(caption, plain(_value_text(name, data[name], data)))
        if data.get("service_code") in CATEGORIES and not data.get("service_name"):
            self.fields.addRow(self.tr("Category"), plain(CATEGORIES[data["service_code"]]))
        reporter = data.get("reporter")
        if reporter and self.ioc_user():
            if isinstance(reporter, dict):
                who = " · ".join(str(reporter[k]) for k in ("name", "phone") if reporter.get(k))
            else:
                who = str(reporter)
            self.fields.addRow(self.tr("Reporter (confidential)"), plain(who, object_name="detailsReporter"))
        for name in sorted(k for k in data if k not in shown and k not in NOT_IN_FIELDS):
            self.fields.addRow(plain(name, wrap=False, muted=True), plain(_value_text(name, data[name], data)))
        self.fields_box.setVisible(True)

    def _render_clocks(self) -> None:
        data = self.data
        _clear(self.clocks)
        if not data:
            return
        now = view_datetime(workflow.VN_TZ)
        state, text = sla_summary(data, now)
        self.sla.setText(self.tr("SLA: {0}").format(text) if text else self.tr("SLA: finished"))
        self._colour(self.sla, state)
        cls = workflow.process_class(data)
        self.clocks.addWidget(plain(self.tr("Process: {0}").format(
            self.tr("immediate (urgent)") if cls == workflow.IMMEDIATE else self.tr("timed")), muted=True))
        for st, line in clock_lines(data, now, _time):
            lab = plain(line)
            self._colour(lab, st)
            self.clocks.addWidget(lab)
        self.clocks_box.setVisible(True)

    @staticmethod
    def _colour(lab: QtWidgets.QLabel, state: str | None) -> None:
        bg, fg = SLA_COLORS.get(state, (None, None))
        style = ""
        if bg:
            style += f"background: {bg}; padding: 2px 4px;"
        if fg:
            style += f"color: {fg};"
        lab.setStyleSheet(style)

    def _link(self, text: str, key: str) -> QtWidgets.QPushButton:
        button = QtWidgets.QPushButton(text)       # a button's text is never rich text
        button.setObjectName("detailsLink")
        button.setFlat(True)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setStyleSheet("text-align: left; text-decoration: underline;")
        button.clicked.connect(lambda _=False, k=key: self.linkActivated.emit(k))
        return button

    def _render_links(self) -> None:
        _clear(self.links)
        data = self.data or {}
        into = data.get("merged_into")
        if into:
            self.links.addWidget(self._link(self.tr("Merged into {0} →").format(into), str(into)))
        for key in data.get("merged_from") or []:
            self.links.addWidget(self._link(self.tr("Duplicate merged in: {0} →").format(key), str(key)))
        if self.duplicates:
            self.links.addWidget(plain(self.tr("Suggested duplicates (same category, within 50 m, open):"), muted=True))
            for key, dist, row in self.duplicates:
                text = self.tr("{0} · {1:.0f} m · {2} · {3}").format(
                    key, dist, label(STATUS_LABELS, row.get("ioc_status")), clip(row.get("description"), 60))
                self.links.addWidget(self._link(text, key))
            top = self.duplicates[0][0]
            merge = QtWidgets.QPushButton(self.tr("Merge into {0} (M)").format(top))
            merge.setObjectName("detailsMerge")
            merge.setEnabled("merge" in workflow.allowed_actions(data, self.roles()))
            merge.clicked.connect(lambda _=False: self.mergeRequested.emit(self.fields_of(), top))
            self.links.addWidget(merge)
        elif not into and not data.get("merged_from"):
            self.links.addWidget(plain(self.tr("No duplicate suggested."), muted=True))
        self.links_box.setVisible(bool(data))

    def fields_of(self) -> dict:
        data = self.data or {}
        return {"key": self.key, "ioc_status": workflow.ioc_state(data), "priority": data.get("priority"),
                "agency_responsible": data.get("agency_responsible")}

    def _render_history(self) -> None:
        _clear(self.history)
        data = self.data or {}
        entries = data.get("history") or []
        for h in entries if isinstance(entries, list) else []:
            if isinstance(h, dict):
                self.history.addWidget(plain(history_line(h)))
        if not entries:
            self.history.addWidget(plain(self.tr("No action recorded yet."), muted=True))
        states = self.tracker.states(self.key) if self.tracker is not None and self.key else []
        if states:
            self.history.addWidget(plain(self.tr("This console's actions:"), muted=True))
        for s in states:
            row = QtWidgets.QHBoxLayout()
            lab = plain(describe(s), object_name=f"action-{s.state}")
            lab.setStyleSheet(f"color: {ALARM if s.state == 'refused' else OK if s.state == 'done' else WARN};")
            row.addWidget(lab, 1)
            if s.state == "refused":
                dismiss = QtWidgets.QPushButton(self.tr("Dismiss (X)"))
                dismiss.setObjectName("detailsDismiss")
                dismiss.clicked.connect(lambda _=False, k=self.key: self.tracker.dismiss(k))
                row.addWidget(dismiss)
            self.history.addLayout(row)
        self.history_box.setVisible(True)

    def _tracker_changed(self, key: str) -> None:
        if key == self.key and self.data is not None:
            self._render_history()

    # ------------------------------------------------------------------ photo
    def _load_photo(self, url: str | None) -> None:
        if url == self._media_url and not self.photo.pixmap().isNull():
            return
        self._media_url = url
        self.photo.setPixmap(QtGui.QPixmap())
        self.photo.setMinimumHeight(150 if url else 40)
        if not url:
            self.photo.setText(self.tr("no photo"))
            self._photo_caption("")
            return
        if self.fetch_media is None:
            self.photo.setText(self.tr("photo not available here"))
            return
        self.photo.setText(self.tr("loading photo…"))

        def got(result):
            if url != self._media_url:
                return
            image = QtGui.QImage()
            if result is None or not result.data or not image.loadFromData(result.data):
                self.photo.setText(self.tr("photo unavailable"))
                self._photo_caption("")
                # the downloader's words are technical (English): a tooltip, not the pane
                self.photo.setToolTip(self.tr("technical details: {0}").format(
                    str(getattr(result, "error", "") or "")))
                return
            self.photo.setToolTip("")
            pix = QtGui.QPixmap.fromImage(image).scaled(
                PHOTO_MAX, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation)
            self.photo.setPixmap(pix)
            if result.from_cache:
                when = datetime.fromtimestamp(result.fetched_at, workflow.VN_TZ) if result.fetched_at else None
                self._photo_caption(self.tr("cached copy from {0}: the backend can't be reached").format(
                    _time(when) if when else "?"))
            else:
                self._photo_caption("")
        self.fetch_media(url, got)

    def _photo_caption(self, text: str) -> None:
        self.photo_note = text
        self.photo_caption.setText(text)
        self.photo_caption.setVisible(bool(text))
