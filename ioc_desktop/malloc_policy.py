"""glibc's allocator told to keep freed memory for reuse rather than hand it back to
the kernel after every large array.

Why: a graph frame makes ~20 MB of short-lived numpy arrays (the curves' columns and
pixel runs, widgets/curve_raster.py), ~1–4 MB each.  glibc serves blocks that large
with ``mmap`` or from the heap's top, and gives them back (``munmap``, heap trimming)
when they are freed; the next frame then faults every page in again, zeroed by the
kernel: ~5,000 page faults a frame, and half of the curves' fill time (17.5 ms a frame
with the default, 7.8 ms with this policy, 100 curves × 1,510 columns).  Review jumps,
store batches and the map's arrays have the same pattern.

:func:`apply` fixes glibc's two thresholds (``mallopt``):

* blocks under :data:`MMAP_THRESHOLD` come from the heap, not from a fresh ``mmap``;
* the heap's free top is given back only beyond :data:`TRIM_THRESHOLD`.

So at most ``TRIM_THRESHOLD`` of freed memory stays mapped (the soak bench,
bench/soak.py, measures the memory with it).  Elsewhere than glibc (macOS, Windows,
musl) it does nothing.  ``IOC_MALLOC_POLICY=0`` leaves glibc's defaults (to measure
the difference).
"""
from __future__ import annotations

import ctypes
import ctypes.util
import os
import platform
import threading

# mallopt's parameters (malloc.h)
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3

MMAP_THRESHOLD = 32 << 20        # glibc's own dynamic threshold stops growing here
TRIM_THRESHOLD = 32 << 20       # a graph frame's ~20 MB peak (16 MB was too little)

_lock = threading.Lock()
_applied = False


def apply() -> bool:
    """Set the thresholds, once per process; True if they were set now."""
    global _applied
    with _lock:
        if _applied:
            return False
        _applied = True
        if os.environ.get("IOC_MALLOC_POLICY") == "0" or platform.libc_ver()[0] != "glibc":
            return False
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            mallopt = libc.mallopt
        except (OSError, AttributeError):
            return False
        mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
        mallopt.restype = ctypes.c_int
        # mallopt returns 1 on success
        return (mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                and mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1)
