"""The video wall's core (no Qt): its configuration (:mod:`.config`), the readability
rule (:mod:`.readability`), auto-switching between presets (:mod:`.switching`) and the
rotation of a cell's panels (:mod:`.rotation`).  The windows are ``widgets.wall``."""
