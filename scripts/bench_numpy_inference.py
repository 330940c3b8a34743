#!/usr/bin/env python3
"""The numpy float32 baseline for `cloister bench inference`.

Reads {"sentences": [...], "repeats": n} on stdin, runs the same work as the Swift engine
(tokenise with `tokenizers`, BERT forward pass, mean pooling, normalisation) at batch 1 and at
batch 32 (padded to the batch's longest sentence, masked), n passes over the sentences each, and
prints one JSON object with the fastest pass's throughput. The
thread count is set by the caller through OPENBLAS_NUM_THREADS before numpy loads.
"""

from __future__ import annotations

import ctypes
import glob
import json
import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests/inference"))
import inference_reference as ref  # noqa: E402


def blas_kernel() -> dict:
    """Which OpenBLAS kernel runs: threadpoolctl when installed, else OpenBLAS's own report."""
    try:
        from threadpoolctl import threadpool_info

        for pool in threadpool_info():
            if pool.get("internal_api") == "openblas":
                return {"kernel": pool.get("architecture"), "threads": pool.get("num_threads"), "source": "threadpoolctl"}
    except ImportError:
        pass
    libraries = glob.glob(os.path.join(os.path.dirname(np.__file__) + ".libs", "*openblas*"))
    for path in libraries:
        library = ctypes.CDLL(path)
        for prefix in ("scipy_openblas_", "openblas_"):
            for suffix in ("64_", ""):
                corename = getattr(library, f"{prefix}get_corename{suffix}", None)
                threads = getattr(library, f"{prefix}get_num_threads{suffix}", None)
                if corename is not None:
                    corename.restype = ctypes.c_char_p
                    return {"kernel": corename().decode(), "threads": threads() if threads else None,
                            "source": os.path.basename(path)}
    return {"kernel": "unknown", "threads": None, "source": "none"}


def run(weights, tokenizer, sentences: list[str], batch: int, repeats: int) -> float:
    """Seconds of the fastest of `repeats` passes over the sentences."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for offset in range(0, len(sentences), batch):
            chunk = sentences[offset : offset + batch]
            ref.forward(weights, [ref.token_ids(tokenizer, text) for text in chunk])
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    request = json.load(sys.stdin)
    sentences, repeats = request["sentences"], request["repeats"]
    tokenizer = ref.load_tokenizer()
    weights = ref.load_weights(dtype=np.float32)
    run(weights, tokenizer, sentences[:32], 32, 1)  # warm-up
    result = {"blas": blas_kernel(), "numpy": np.__version__}
    for batch in (1, 32):
        seconds = run(weights, tokenizer, sentences, batch, repeats)
        count = len(sentences)
        result[f"batch{batch}"] = {"sentences_per_second": count / seconds, "ms_per_sentence": 1000 * seconds / count}
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
