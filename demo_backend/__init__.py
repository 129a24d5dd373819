"""The demo backend: a real websocket server speaking PROTOCOL.md, fed by the plugins'
simulators over one deterministic Huế scenario.

A backend, not part of the client: the client's core (``ioc_desktop``) never imports it
(an import-linter contract in ``pyproject.toml``).  It runs on its own
(``ioc-desktop serve-demo``) or embedded in the app when no ``--server`` is given, both
started from :mod:`demo_backend.launch`, which the composition root (``main.py``) calls.

* :mod:`demo_backend.server` — the server: event logs per topic, resume, snapshots, auth;
* :mod:`demo_backend.actions` — users' actions, applied through each topic's
  ``TopicActions.apply`` (plugin API), idempotent by action id;
* :mod:`demo_backend.scenario` — the shared places and flood the simulators draw from;
* :mod:`demo_backend.png` — a tiny PNG encoder for synthetic camera frames.
"""
