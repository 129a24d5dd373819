"""Run a demo backend serving the `ticks` test topic in its own process (so a test can
kill it with SIGKILL, as a crash would).

    python tests/demo_proc.py PORT LOG_PATH RATE
"""
import os
import sys

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.dirname(os.path.dirname(__file__)))

from feedkit import TicksPlugin  # noqa: E402

from demo_backend.server import DemoBackend  # noqa: E402

if __name__ == "__main__":
    port, log_path, rate = int(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    backend = DemoBackend([TicksPlugin()], seed=7, rate=rate, log_path=log_path)
    backend.start_in_thread(port=port)      # returns once it listens
    print("ready", flush=True)
    backend._thread.join()
