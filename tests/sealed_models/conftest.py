"""Sealed models end to end run real nodes on a dev network from scripts/devnet/."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))


def pytest_configure(config):
    config.addinivalue_line("markers", "node_e2e: end-to-end test with cloister node processes on a local chain")
