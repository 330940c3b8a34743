"""Writes fixtures/ethereum/keccak.json: Keccak-256 digests from pycryptodome (an independent
implementation) for every length around the 136-byte rate boundaries, so the Swift tests check padding
and multi-block absorption byte for byte."""
import json
import pathlib

from Crypto.Hash import keccak

LENGTHS = list(range(0, 300)) + [407, 408, 409, 543, 544, 545, 1000, 4096, 65537]


def message(length: int) -> bytes:
    return bytes((i * 31 + 7 + length) % 256 for i in range(length))


def digest(data: bytes) -> str:
    return keccak.new(digest_bits=256, data=data).hexdigest()


def main() -> None:
    cases = [{"length": n, "digest": digest(message(n))} for n in LENGTHS]
    out = pathlib.Path(__file__).resolve().parent.parent / "fixtures" / "ethereum" / "keccak.json"
    out.write_text(json.dumps({"message": "byte i = (31*i + 7 + length) mod 256", "cases": cases}, indent=1) + "\n")
    print(f"wrote {len(cases)} cases to {out}")


if __name__ == "__main__":
    main()
