"""`cloister infer --task generate|score` (the debug build from `make test`) against independent code:
the model id recomputed with hashlib and eth-abi, the output bytes decoded with eth-abi, the text checked
against llama.cpp's tokenizer, the scores against log-probabilities computed here from llama.cpp's logits."""

from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess

import numpy as np
import pytest
from eth_abi import decode, encode
from eth_hash.auto import keccak

import llm_reference as ref

BINARY = os.environ.get("CLOISTER_BIN", str(ref.REPO / ".build/debug/cloister"))
FIXTURE = ref.REPO / "fixtures/llm/llamacpp.json"
# docs/llm.md, "Model id": what an embedded LLM model id commits to.
ENGINE_VERSION = "cloister-llama-q8/1"
LIMITS = (1024, 256, 16, 8)  # prompt tokens, new tokens, completions, stop strings


def infer(*arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run([BINARY, "infer", *arguments], capture_output=True, text=True, cwd=ref.REPO, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def infer_json(*arguments: str) -> dict:
    return json.loads(infer(*arguments, "--json").stdout)


def model_id(task: str) -> str:
    gguf = hashlib.sha256(ref.model_path().read_bytes()).digest()
    encoded = encode(["bytes32", "string", "string", "string", "uint256", "uint256", "uint256", "uint256"],
                     [gguf, ENGINE_VERSION, task, "greedy", *LIMITS])
    return "0x" + keccak(encoded).hex()


@pytest.fixture(scope="module")
def llama():
    return ref.load()


def test_generate_output_is_the_abi_encoded_answer_under_the_committed_model_id(llama):
    result = infer_json("--task", "generate", "--text", "Count from one to five.", "--max-tokens", "12")
    assert result["model_id"] == model_id("generate")
    output = bytes.fromhex(result["output"][2:])
    assert result["output_hash"] == "0x" + keccak(output).hex()
    text, tokens, finished = decode(["string", "uint256", "bool"], output)
    assert (text, tokens, finished) == (result["text"], result["tokens"], result["finished"])
    assert 1 <= tokens <= 12 and (finished or tokens == 12)
    # The answer's own tokens, re-tokenized by llama.cpp, are at most what the engine generated (a BPE
    # re-tokenization can only merge more), and the text is what those tokens spell.
    assert 0 < len(ref.plain_tokens(llama, text)) <= tokens


def test_a_capped_answer_says_it_was_cut_and_stop_strings_cut_it(llama):
    capped = infer_json("--task", "generate", "--text", "Write a long story about a dragon.", "--max-tokens", "5")
    assert capped["tokens"] == 5 and capped["finished"] is False
    word = capped["text"].split()[1]
    stopped = infer_json("--task", "generate", "--text", "Write a long story about a dragon.", "--max-tokens", "5", "--stop", word)
    assert stopped["finished"] is True
    assert stopped["text"] == capped["text"][: capped["text"].index(word)]


def test_outputs_do_not_depend_on_the_thread_count():
    one = infer_json("--task", "generate", "--text", "Why is the sky blue?", "--max-tokens", "8", "--threads", "1")
    two = infer_json("--task", "generate", "--text", "Why is the sky blue?", "--max-tokens", "8", "--threads", "2")
    assert one["output_hash"] == two["output_hash"]


def test_scores_are_log_probabilities_of_the_completions_as_llama_cpp_computes_them(llama):
    prompt, completions = "Answer yes or no: is Paris in France?", ["yes", "no", "Yes, it is."]
    result = infer_json("--task", "score", "--text", prompt, *[a for c in completions for a in ("--completion", c)])
    assert result["model_id"] == model_id("score")
    output = bytes.fromhex(result["output"][2:])
    best, scores = decode(["uint256", "int256[]"], output)
    assert list(scores) == result["scores"] and best == result["best"] == int(np.argmax(scores))
    prompt_tokens = ref.chat_tokens(llama, prompt)
    for completion, score in zip(completions, scores):
        tokens = ref.plain_tokens(llama, completion)
        total = 0.0
        for index, token in enumerate(tokens):
            logits = ref.next_logits(llama, prompt_tokens + tokens[:index]).astype(np.float64)
            top = logits.max()
            total += logits[token] - top - math.log(np.exp(logits - top).sum())
        # The engine's logits are llama.cpp's bit for bit where llama.cpp was built for the fixture's instruction
        # sets (docs/llm.md); then only the final sum's order and the 10^-6 rounding differ. Built for others,
        # llama.cpp's logits move by up to about 1 (its own change of operation order moves them by 0.86).
        same_build = ref.system_info() == json.loads(FIXTURE.read_text(encoding="utf-8"))["system_info"]
        tolerance = 1e-6 if same_build else 1.0 * len(tokens)
        assert abs(score / 1e6 - total) <= tolerance, (completion, score / 1e6, total)


@pytest.mark.parametrize("arguments, message", [
    (["--task", "generate", "--text", "hi", "--max-tokens", "0"], "max tokens 0 is not within 1…256"),
    (["--task", "generate", "--text", "hi", "--max-tokens", "257"], "max tokens 257 is not within 1…256"),
    (["--task", "generate", "--text", "", "--max-tokens", "3"], "the prompt is empty"),
    (["--task", "generate", "--text", "word " * 1100, "--max-tokens", "3"], "more than the limit of 1024"),
    (["--task", "generate", "--text", "hi", "--max-tokens", "3", *["--stop", "x"] * 9], "9 stop strings, more than the limit of 8"),
    (["--task", "score", "--text", "hi", "--completion", ""], "completion 0 is empty"),
    (["--task", "generate", "--text", "hi", "--max-tokens", "3", "--llm-model", "/nonexistent.gguf"], "cannot read model file"),
])
def test_refusals_name_the_limit_and_never_quote_the_prompt(arguments, message):
    result = infer(*arguments, check=False)
    assert result.returncode != 0
    assert message in result.stderr
    assert "word word" not in result.stderr


def test_another_gguf_file_is_refused_by_its_hash(tmp_path):
    copy = tmp_path / "model.gguf"
    data = bytearray(ref.model_path().read_bytes())
    data[-1] ^= 1
    copy.write_bytes(bytes(data))
    result = infer("--task", "generate", "--text", "hi", "--max-tokens", "2", "--llm-model", str(copy), check=False)
    assert result.returncode != 0
    assert f"not the pinned {'0x' + ref.model_sha256()}" in result.stderr
