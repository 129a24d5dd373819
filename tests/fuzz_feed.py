"""The feed client against a hostile backend, at full size (the suite runs it smaller):

    .venv/bin/python tests/fuzz_feed.py --frames 100000 [--seed 1]

Prints what was sent and stored and exits 1 if any check failed (see
tests/hostile_backend.py: every valid event stored once and byte-identical, every
hostile frame refused once with a reason, the feed thread alive, integrity ok).
"""
import argparse
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))

from hostile_backend import fuzz  # noqa: E402

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--oversize", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        report = fuzz(os.path.join(tmp, "fuzz.sqlite"), args.frames, seed=args.seed,
                      oversize=args.oversize, timeout=3600)
    print(json.dumps(report, indent=1))
    sys.exit(1 if report["problems"] else 0)
