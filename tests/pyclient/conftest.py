"""The Python client (clients/python) against a dev network from scripts/devnet/."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
sys.path.insert(0, str(ROOT / "clients" / "python" / "src"))  # this checkout's client, whatever .venv points at


def pytest_configure(config):
    config.addinivalue_line("markers", "node_e2e: end-to-end test with cloister node processes on a local chain")
