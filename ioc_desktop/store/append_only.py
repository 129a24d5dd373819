"""Append-only tables: journals the cache keeps for good (who did what, when)."""
from __future__ import annotations

import re

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def append_only_triggers(table: str, what: str) -> list[str]:
    """SQL for two triggers that make ``table`` append-only: any UPDATE or DELETE
    aborts with "<what> is append-only" (the outbox's ``audit``, the alarms'
    ``alarm_events``)."""
    if not _IDENTIFIER.match(table) or "'" in what:
        raise ValueError(f"bad table name or message: {table!r}, {what!r}")
    return [f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{what} is append-only'); END"
            for op in ("UPDATE", "DELETE")]
