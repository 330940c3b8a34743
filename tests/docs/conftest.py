def pytest_configure(config):
    config.addinivalue_line("markers", "node_e2e: end-to-end test with cloister node processes on a local chain")
