"""Helpers for testing a plugin's validator, shared by every plugin's test file."""
from __future__ import annotations

import copy

import pytest

from ioc_desktop.plugin_api import TopicSpec, ValidationError

DROP = object()     # changed(..., field=DROP) removes the field


def changed(base: dict, drop_marker=DROP, **changes) -> dict:
    """A deep copy of ``base`` with fields replaced (or removed: value ``drop_marker``)."""
    out = copy.deepcopy(base)
    for name, value in changes.items():
        if value is drop_marker:
            out.pop(name, None)
        else:
            out[name] = value
    return out


def assert_rejected(spec: TopicSpec, data, *fragments: str) -> str:
    """``spec`` refuses ``data`` with a reason containing every fragment; the reason."""
    with pytest.raises(ValidationError) as info:
        spec.validate(data)
    reason = str(info.value)
    for fragment in fragments:
        assert fragment in reason, f"{fragment!r} not in {reason!r}"
    return reason
