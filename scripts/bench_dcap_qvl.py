"""Times dcap-qvl 0.7.0 (Phala's Rust DCAP verifier, Python bindings from PyPI) on the real quotes in
fixtures/dcap at 2025-06-25T00:00:00Z: the reference for `cloister bench attestation`. Best of 5 rounds.

Usage: .venv/bin/python scripts/bench_dcap_qvl.py
"""
import calendar
import pathlib
import time

import dcap_qvl

DCAP = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "dcap"
NOW = calendar.timegm(time.strptime("2025-06-25T00:00:00Z", "%Y-%m-%dT%H:%M:%SZ"))


def best_microseconds(operation, iterations, rounds=5):
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(iterations):
            operation()
        best = min(best, (time.perf_counter() - start) / iterations * 1e6)
    return best


for kind in ("tdx", "sgx"):
    quote = (DCAP / f"{kind}_quote").read_bytes()
    collateral = dcap_qvl.QuoteCollateralV3.from_json((DCAP / f"{kind}_quote_collateral.json").read_text())
    micros = best_microseconds(lambda: dcap_qvl.verify(quote, collateral, NOW), 50)
    print(f"dcap-qvl verify {kind.upper()} quote".ljust(40) + f"{micros:10.1f} µs  {1e6 / micros:10.0f} /s")
