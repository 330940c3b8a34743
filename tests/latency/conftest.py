"""The latency benchmark's test drives real `cloister` processes ($CLOISTER_BIN, else .build/debug/cloister)
through scripts/latency.py; its measures are also checked on made-up requests, without a network.

The end-to-end test runs in the normal `pytest tests`; `-m "not node_e2e"` leaves it out.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))


def pytest_configure(config):
    config.addinivalue_line("markers", "node_e2e: end-to-end test with cloister node processes on a local chain")
