"""Writes libFuzzer seed corpora from the committed vectors: corpus/rlp (valid RLP encodings),
corpus/transaction (raw signed transactions) and corpus/keystore (keystore files)."""
import hashlib
import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
FIXTURES = HERE.parent / "fixtures" / "ethereum"


def write(folder: str, inputs: list[bytes]) -> None:
    target = HERE / "corpus" / folder
    target.mkdir(parents=True, exist_ok=True)
    for data in inputs:
        (target / hashlib.sha1(data).hexdigest()).write_bytes(data)
    print(f"{len(inputs)} inputs in {target}")


def main() -> None:
    rlp = json.loads((FIXTURES / "rlp.json").read_text())
    write("rlp", [bytes.fromhex(case["hex"]) for case in rlp["valid"] if len(case["hex"]) <= 8192])
    transactions = json.loads((FIXTURES / "transactions.json").read_text())["cases"]
    write("transaction", [bytes.fromhex(case["raw"][2:]) for case in transactions if len(case["raw"]) <= 8192])
    write("keystore", [path.read_bytes() for path in sorted((FIXTURES / "keystores").glob("*.json")) if path.name != "index.json"])


if __name__ == "__main__":
    main()
