"""Writes libFuzzer seed corpora for the ABI and typed-data targets from the committed vectors:
corpus/abi (tuple type string, a zero byte, the eth-abi encoding) and corpus/typed-data (documents)."""
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
    abi = json.loads((FIXTURES / "abi.json").read_text())["cases"]
    write("abi", [("(" + ",".join(case["types"]) + ")").encode() + b"\0" + bytes.fromhex(case["encoding"][2:])
                  for case in abi if case["types"] and len(case["encoding"]) <= 8192])
    documents = json.loads((FIXTURES / "eip712" / "random.json").read_text())["cases"]
    write("typed-data", [json.dumps(case["document"]).encode() for case in documents])


if __name__ == "__main__":
    main()
