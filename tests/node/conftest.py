"""The node's end-to-end tests drive real `cloister` processes (`$CLOISTER_BIN`, else .build/debug/cloister)
against a local chain, through the dev network library in scripts/devnet/.

They run in the normal `pytest tests`; `-m "not node_e2e"` leaves them out.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))


def pytest_configure(config):
    config.addinivalue_line("markers", "node_e2e: end-to-end test with cloister node processes on a local chain")
