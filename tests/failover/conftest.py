"""The failover campaign's test drives real `cloister` processes ($CLOISTER_BIN, else .build/debug/cloister)
and a PostgreSQL server (scripts/test-postgres.sh) through scripts/failover.py.

It runs in the normal `pytest tests`; `-m "not node_e2e"` leaves it out.
"""


def pytest_configure(config):
    config.addinivalue_line("markers", "node_e2e: end-to-end test with cloister node processes on a local chain")
