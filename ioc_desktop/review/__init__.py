"""Offline review: the cache's past, any moment of it (no Qt).

The review axis is the console's own clock: an event is "known at T" when this client
received it at or before T (``events.received_at``), which is also the clock of the
alarm journal (``alarm_events.at``) and of the models' ``now``.  "What did the wall
show at 02:40" is then exactly what it had received by 02:40.

How a moment is found fast (≤ 200 ms over 7 days, ``bench/time_travel.py``):

* :mod:`.checkpoints` — the writer saves the whole materialised state (the state tables
  as a zstd-compressed SQLite database image; older caches: compressed JSON) with every
  topic's cursor every ``CHECKPOINT_EVENTS`` events or ``CHECKPOINT_MAX_S`` seconds.
* :mod:`.state_at` — the state at T is the newest checkpoint at or before T plus the
  events after its cursors received by T, which the next checkpoint bounds: at most one
  interval of events is read, whatever the length of the history.  The same replay a
  fresh client would do (snapshots replace a topic's state, deletes remove a key).
* :mod:`.alarms_at` — the alarms as they stood at T, from the alarm journal.
* :mod:`.snapshot` — every plugin's model reset to the state at T with ``now = T``:
  the panels' views, the alarm summary, what the review shows.
* :mod:`.reader_tables` — the panels that page through the cache in SQL (the queue, the
  press, cyber) see the state at T through temporary tables on the reader's connection
  that shadow the state tables, and the event log cut at T.  From a checkpoint's image
  the shadows are views of that image, deserialised into a schema attached to the
  reader's connection, with the keys the replay touched written again; from an older
  checkpoint, temporary tables filled from its typed rows (``checkpoint_rows``).
"""
