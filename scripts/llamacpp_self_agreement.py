#!/usr/bin/env python3
"""How far llama.cpp agrees with itself when only its order of operations changes: the prompt fed as one
batch instead of one token at a time, against fixtures/llm/llamacpp.json (made one token at a time).
The baseline for the LLM engine's agreement with llama.cpp (docs/llm.md). About two minutes.

Run: .venv/bin/python scripts/llamacpp_self_agreement.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests/llm_engine"))

import llm_reference as ref  # noqa: E402


def main() -> None:
    fixture = json.loads((REPO / "fixtures/llm/llamacpp.json").read_text(encoding="utf-8"))
    llm = ref.load()
    eog = ref.end_of_generation(llm)
    agree, worst, total, count = 0, 0.0, 0.0, 0
    for prompt in fixture["prompts"]:
        ref.feed(llm, prompt["prompt_ids"], one_by_one=False)
        logits = ref.last_logits(llm)
        difference = np.abs(logits[prompt["logit_ids"]] - np.array(prompt["logits"], dtype=np.float32))
        worst, total, count = max(worst, float(difference.max())), total + float(difference.sum()), count + len(difference)
        agree += ref.greedy(llm, prompt["prompt_ids"], eog, fixture["greedy_tokens"], one_by_one=False) == prompt["greedy"]
    print(f"llama.cpp with the prompt batched vs fed token by token: logits max |Δ| {worst:.4f}, mean |Δ| {total / count:.4f}; "
          f"greedy continuations {agree}/{len(fixture['prompts'])} equal")


if __name__ == "__main__":
    main()
