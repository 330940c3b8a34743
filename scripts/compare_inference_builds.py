#!/usr/bin/env python3
"""Runs `cloister infer` with two binaries (e.g. debug and release) on the fixture sentences and
checks that every output hash and float64 embedding hash is identical.
Usage: compare_inference_builds.py BINARY_A BINARY_B [COUNT]"""

import json
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def run(binary: str, *arguments: str) -> dict:
    output = subprocess.run([binary, "infer", *arguments, "--json"], check=True, capture_output=True, text=True, cwd=REPO)
    return json.loads(output.stdout)


def main() -> None:
    first, second = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 60
    cases = json.loads((REPO / "fixtures/inference/embeddings.json").read_text(encoding="utf-8"))["cases"][:count]
    requests = [["--task", "embed", "--text", case["text"]] for case in cases]
    requests.append(["--task", "similarity", "--text", cases[0]["text"], "--text2", cases[1]["text"]])
    requests.append(["--task", "classify", "--text", cases[2]["text"], "--labels", "sports,food,family,music"])
    differences = 0
    for arguments in requests:
        a, b = run(first, *arguments), run(second, *arguments)
        keys = ("output_hash", "embedding_keccak")
        if any(a.get(key) != b.get(key) for key in keys):
            differences += 1
            print("DIFFERENT:", arguments[:2], {key: (a.get(key), b.get(key)) for key in keys})
    print(f"{len(requests)} requests, {differences} with different bytes between {first} and {second}")
    sys.exit(1 if differences else 0)


if __name__ == "__main__":
    main()
