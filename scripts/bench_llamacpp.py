#!/usr/bin/env python3
"""The llama.cpp baseline for `cloister bench llm`.

Runs llama.cpp (through llama-cpp-python) on the GGUF file the engine reads, configured as the
accuracy reference is (tests/llm_engine/llm_reference.py: F32 key/value cache, no flash attention,
the prompt evaluated as one batch), with `threads` for both prompt processing and generation.

Reads {"model": path, "prompts": [[token ids], ...], "generate": [n per prompt], "repeats": r,
"threads": t} on stdin. The caller sends the engine's own chat-prompt tokens, so both sides
evaluate exactly the same ids. For each prompt, after one warm-up pass, each of the r passes
starts from an empty cache and times two phases apart:

- prompt processing: `eval` of every prompt token, then the argmax of the last row's logits (the
  first generated token);
- generation: n - 1 further steps of `eval` of the last token and argmax (greedy, the lowest id
  wins a tie), so n tokens are generated in all. An end-of-generation token does not stop it:
  the caller asks for as many tokens as the engine generated.

Prints one JSON object: the fastest pass of each phase per prompt, the totals as tokens per
second, the generated ids of the last pass, what was loaded (path, size, vocabulary, llama-cpp-python
version) and the process's own peak resident set size.

Benchmark and test environment only: the node never loads llama.cpp.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests/llm_engine"))
import llm_reference as ref  # noqa: E402


def run_once(llm, prompt: list[int], count: int) -> tuple[float, float, list[int]]:
    """Seconds of prompt processing and of generation for one pass from an empty cache, and the ids."""
    llm.reset()
    start = time.perf_counter()
    llm.eval(prompt)
    tokens = [int(np.argmax(ref.last_logits(llm)))]
    prompted = time.perf_counter()
    while len(tokens) < count:
        llm.eval([tokens[-1]])
        tokens.append(int(np.argmax(ref.last_logits(llm))))
    done = time.perf_counter()
    return prompted - start, done - prompted, tokens


def peak_rss_mb() -> float:
    """This process's own peak resident set (VmHWM). Not getrusage's ru_maxrss: Linux carries that over
    an exec from the process that was forked, so it would report at least the caller's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    import llama_cpp

    request = json.load(sys.stdin)
    os.environ["CLOISTER_LLM_MODEL"] = request["model"]
    prompts, counts = request["prompts"], request["generate"]
    repeats, threads = max(1, request["repeats"]), request["threads"]
    if len(prompts) != len(counts) or not all(prompts) or min(counts) < 1:
        sys.exit("each prompt needs tokens and a generation count of at least 1")
    n_ctx = max(len(p) + n for p, n in zip(prompts, counts))
    n_ctx = max(512, -(-n_ctx // 256) * 256)
    llm = ref.load(threads=threads, n_ctx=n_ctx)
    cells = []
    for prompt, count in zip(prompts, counts):
        run_once(llm, prompt, min(count, 4))  # warm-up
        best_prompt, best_generation, tokens = float("inf"), float("inf"), []
        for _ in range(repeats):
            prompt_seconds, generation_seconds, tokens = run_once(llm, prompt, count)
            best_prompt = min(best_prompt, prompt_seconds)
            best_generation = min(best_generation, generation_seconds)
        cells.append({"prompt_tokens": len(prompt), "generated_tokens": len(tokens), "tokens": tokens,
                      "prompt_seconds": best_prompt, "generation_seconds": best_generation})
    prompt_tokens = sum(cell["prompt_tokens"] for cell in cells)
    steps = sum(cell["generated_tokens"] - 1 for cell in cells)
    prompt_seconds = sum(cell["prompt_seconds"] for cell in cells)
    generation_seconds = sum(cell["generation_seconds"] for cell in cells)
    path = ref.model_path()
    report = {
        "llama_cpp_python": llama_cpp.__version__,
        "model": str(path.resolve()),
        "model_bytes": path.stat().st_size,
        "n_vocab": llm.n_vocab(),
        "n_ctx": n_ctx,
        "threads": threads,
        "repeats": repeats,
        "kv_cache": "f32",
        "flash_attention": False,
        "prompts": cells,
        "prompt_tokens": prompt_tokens,
        "generation_steps": steps,
        "prompt_tokens_per_second": prompt_tokens / prompt_seconds,
        "generation_tokens_per_second": steps / generation_seconds if steps else 0.0,
        "peak_rss_mb": peak_rss_mb(),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
