"""What a tile server is owed by this program (seeding and the map's read-through).

- **Who asks**: every request carries a User-Agent naming the program, its version and
  a contact (``--contact`` or ``IOC_TILES_CONTACT``), never a library's default.
- **How much**: a seed fetches one tile at a time at ``--rate`` tiles per second
  (default :data:`DEFAULT_RATE`), zoom at most :data:`MAX_ZOOM`; the map's read-through
  fetches at most two at a time, only what the operator looks at.
- **When told to wait**: HTTP 429 (and 503 with Retry-After) pauses for what Retry-After
  says (seconds or an HTTP date; 60 s without one) and halves the seed's rate; a wait
  longer than :data:`MAX_RETRY_AFTER` stops the seed (run it again later: it resumes).
- **OpenStreetMap's own tile servers** (``*.openstreetmap.org``) forbid bulk
  downloading ("seeding") in their tile usage policy
  (https://operations.osmfoundation.org/policies/tiles/): a seed refuses them.
  Interactive viewing through the read-through is what that policy allows.
"""
from __future__ import annotations

import email.utils
import os
import threading
import time
from urllib.parse import urlsplit

APP_NAME = "HueIOC-Desktop"
DEFAULT_RATE = 2.0              # tiles per second
MAX_RATE = 50.0
MAX_ZOOM = 19
MAX_TILE_BYTES = 2 * 1024 * 1024
MAX_RETRY_AFTER = 600.0         # seconds; longer: stop the seed, resume later
DEFAULT_RETRY_AFTER = 60.0      # a 429 without Retry-After
CONTACT_ENV = "IOC_TILES_CONTACT"
OSM_POLICY_URL = "https://operations.osmfoundation.org/policies/tiles/"
FORBIDDEN_BULK_HOSTS = ("openstreetmap.org",)


def app_version() -> str:
    try:
        from importlib.metadata import version
        return version("ioc-desktop")
    except Exception:               # running from a checkout that was never installed
        return "0"


def contact_from_env() -> str | None:
    value = (os.environ.get(CONTACT_ENV) or "").strip()
    return value or None


def user_agent(contact: str | None = None, purpose: str = "map") -> str:
    """``HueIOC-Desktop/0.1.0 (map; +ops@example.org)``: program, version, what for,
    and the contact (or that none was given)."""
    who = f"+{contact}" if contact else "no contact given"
    return f"{APP_NAME}/{app_version()} ({purpose}; {who})"


def check_contact(value: str) -> str:
    """A contact fit for a header: printable ASCII, no parentheses, ≤ 200 characters;
    ValueError otherwise."""
    value = value.strip()
    if not value or len(value) > 200 or any(not (0x20 <= ord(c) < 0x7F) or c in "()"
                                            for c in value):
        raise ValueError("a contact is an e-mail address or a URL in plain ASCII")
    return value


def bulk_download_forbidden(url: str) -> bool:
    """True for a tile server whose usage policy forbids seeding (OpenStreetMap's)."""
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return any(host == h or host.endswith("." + h) for h in FORBIDDEN_BULK_HOSTS)


def retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None
    when absent or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if value.isdigit():
        return float(int(value))
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


class RateLimiter:
    """At most ``rate`` starts per second: :meth:`wait` sleeps until the next slot.
    Thread-safe; ``slow_down`` halves the rate (after a 429)."""

    def __init__(self, rate: float, clock=time.monotonic, sleep=time.sleep):
        self.rate = float(rate)
        self._clock, self._sleep = clock, sleep
        self._next = 0.0
        self._lock = threading.Lock()

    def wait(self) -> None:
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + 1.0 / self.rate
        if start > now:
            self._sleep(start - now)

    def pause(self, seconds: float) -> None:
        """No start before ``seconds`` from now."""
        with self._lock:
            self._next = max(self._next, self._clock() + seconds)

    def slow_down(self, floor: float = 0.1) -> float:
        with self._lock:
            self.rate = max(floor, self.rate / 2)
            return self.rate
