"""ioc_desktop.malloc_policy: with it, arrays of a graph frame's sizes are reused
after being freed instead of faulted in from the kernel again (counted page faults,
in a fresh process each, since the policy is process-wide and for good)."""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# a frame's temporaries: ~1-4 MB arrays, made and freed again and again
_PROBE = """
import json, resource, sys
import numpy as np
from ioc_desktop import malloc_policy
applied = malloc_policy.apply()
again = malloc_policy.apply()
def frame():
    arrays = [np.ones(n) for n in (150_000, 465_000, 151_000, 151_000, 300_000, 151_000)]
    del arrays
frame(); frame()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
for _ in range(10):
    frame()
faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 10
print(json.dumps({"applied": applied, "again": again, "faults": faults}))
"""


def _probe(env_value: str | None) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "IOC_MALLOC_POLICY"}
    if env_value is not None:
        env["IOC_MALLOC_POLICY"] = env_value
    out = subprocess.run([sys.executable, "-c", _PROBE], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True, timeout=60)
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="a glibc allocator policy")
def test_freed_arrays_are_reused_without_page_faults():
    off = _probe("0")
    on = _probe(None)
    assert off["applied"] is False and on["applied"] is True
    assert on["again"] is False                      # once per process
    # glibc's defaults give the pages back and fault them in again each frame
    assert off["faults"] > 500
    assert on["faults"] < off["faults"] / 10
