#!/usr/bin/env python3
"""Writes fixtures/llm/llamacpp.json: llama.cpp's tokens, greedy continuations and next-token logits
for the LLM engine's accuracy tests (Tests/InferenceTests/LLMAccuracyTests.swift, docs/llm.md).

Run: .venv/bin/python scripts/generate_llm_fixtures.py   (about a minute; llama-cpp-python from setup)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests/llm_engine"))

import llm_corpus as corpus  # noqa: E402
import llm_reference as ref  # noqa: E402

OUT = REPO / "fixtures/llm/llamacpp.json"


def build() -> dict:
    import llama_cpp

    llm = ref.load()
    eog = ref.end_of_generation(llm)
    strings = corpus.TRICKY + corpus.PROMPTS
    prompts = []
    for index, user in enumerate(corpus.PROMPTS):
        tokens = ref.chat_tokens(llm, user)
        logits = ref.next_logits(llm, tokens)
        ids = ref.sampled_ids(logits, seed=index)
        prompts.append({
            "user": user,
            "prompt_ids": tokens,
            "greedy": ref.greedy(llm, tokens, eog),
            "logit_ids": ids,
            "logits": [float(logits[i]) for i in ids],
        })
    return {
        "source": f"llama-cpp-python {llama_cpp.__version__}, F32 KV cache, no flash attention, 1 thread",
        "feeding": ref.FEEDING,
        # The instruction sets llama.cpp was compiled for: its kernels round differently on each.
        "system_info": ref.system_info(),
        "model_sha256": ref.model_sha256(),
        "end_of_generation": sorted(eog),
        "greedy_tokens": ref.GREEDY_TOKENS,
        "tokenizer": [{"text": text, "ids": ref.plain_tokens(llm, text)} for text in strings],
        "prompts": prompts,
    }


def main() -> None:
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(REPO)}")


if __name__ == "__main__":
    main()
