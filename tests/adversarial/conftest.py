"""The adversarial scenario's test drives real `cloister` and `cloister-adversary` processes
($CLOISTER_BIN, $CLOISTER_ADVERSARY_BIN, else .build/debug/) through scripts/devnet/.

It runs in the normal `pytest tests`; `-m "not node_e2e"` leaves it out.
"""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))


def pytest_configure(config):
    config.addinivalue_line("markers", "node_e2e: end-to-end test with cloister node processes on a local chain")
