"""The bounds of a score and of a criterion's weight, on their own.

``store.forum_values`` checks every stored score and weight against them when a forum is
opened; keeping them here spares that check (and so the app's start-up) importing the
scoring and ranking modules (``store.priority``, ``store.ranking``, the criteria presets),
which nothing on the first screen uses. Those modules take the bounds from here.
"""

from __future__ import annotations

#: A score's default scale, as the presets and a new criterion give it.
SKALA_MIN = 1
SKALA_MAX = 5

#: The largest weight a criterion may be given, as typed (a percentage).
MAX_WEIGHT = 100
