"""Writes the Ethereum test vectors in fixtures/ethereum/ from independent implementations on PyPI
(eth-account, rlp, eth-keyfile, pycryptodome, eth-bloom; pinned in requirements.txt), so the Swift tests compare
our encodings byte for byte with code we did not write.

Each section lives in its own module under scripts/ethvectors/ and writes its own files. Everything is
seeded: running the script twice gives the same output, except keystore salts and IVs, which the
libraries draw from the OS (the files stay valid; only their bytes change).

Usage: .venv/bin/python scripts/gen_eth_vectors.py [section ...]
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from ethvectors import blooms, keystores, rlp_cases, transactions  # noqa: E402

OUT = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "ethereum"

SECTIONS = {
    "rlp": rlp_cases.write,
    "transactions": transactions.write,
    "keystores": keystores.write,
    "blooms": blooms.write,
}


def main() -> None:
    chosen = sys.argv[1:] or list(SECTIONS)
    OUT.mkdir(parents=True, exist_ok=True)
    for name in chosen:
        SECTIONS[name](OUT)


if __name__ == "__main__":
    main()
