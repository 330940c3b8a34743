#!/usr/bin/env python3
"""Runs `cloister infer` with two binaries (e.g. debug and release) on the fixture sentences and, for the
embedded LLM, on generate and score requests over the LLM corpus's prompts (at 1 and 2 threads), and
checks that every output hash and float64 embedding hash is identical.
Usage: compare_inference_builds.py BINARY_A BINARY_B [COUNT [LLM_COUNT]]"""

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
    llm_count = int(sys.argv[4]) if len(sys.argv) > 4 else 12
    sys.path.insert(0, str(REPO / "tests/llm_engine"))
    from llm_corpus import PROMPTS  # noqa: E402  (the accuracy corpus: prompts of our own)
    for index, prompt in enumerate(PROMPTS[:llm_count]):
        threads = str(1 + index % 2)
        requests.append(["--task", "generate", "--text", prompt, "--max-tokens", "32", "--threads", threads])
        requests.append(["--task", "score", "--text", prompt, "--completion", "yes", "--completion", "no",
                         "--completion", "I am not sure.", "--threads", threads])
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
