"""`cloister infer` (the debug build from `make test`) against independent Python implementations:
eth-abi for the output encoding, eth-hash for keccak256, the float64 reference for the values."""

import hashlib
import json
import os
import subprocess

import pytest
from eth_abi import encode
from eth_hash.auto import keccak

import inference_reference as ref

# `make test` builds .build/debug/cloister before pytest; CLOISTER_BIN points at another build.
BINARY = os.environ.get("CLOISTER_BIN", str(ref.REPO / ".build/debug/cloister"))


def infer(*arguments, check=True):
    result = subprocess.run([BINARY, "infer", *arguments], capture_output=True, text=True, cwd=ref.REPO, timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def infer_json(*arguments):
    return json.loads(infer(*arguments, "--json").stdout)


def model_id(task: str) -> str:
    directory = ref.model_dir()
    weights = hashlib.sha256((directory / "model.safetensors").read_bytes()).digest()
    vocabulary = hashlib.sha256((directory / "vocab.txt").read_bytes()).digest()
    encoded = encode(["bytes32", "bytes32", "string", "string"], [weights, vocabulary, "cloister-minilm-f32/2", task])
    return "0x" + keccak(encoded).hex()


@pytest.fixture(scope="module")
def reference():
    return ref.load_tokenizer(), ref.load_weights()


def embed(reference, text):
    tokenizer, weights = reference
    return ref.forward(weights, [ref.token_ids(tokenizer, text)])[0]


def test_embed_output_is_abi_bytes_of_the_quantised_reference(reference):
    text = "Verification by re-execution needs identical bytes."
    result = infer_json("--task", "embed", "--text", text)
    assert result["model_id"] == model_id("embed")
    vector = result["vector"]
    assert len(vector) == 384
    expected = ref.quantize(embed(reference, text))
    assert max(abs(a - b) for a, b in zip(vector, expected)) <= 1
    output = encode(["bytes"], [bytes(v & 0xFF for v in vector)])
    assert len(output) == 448, "fits the contract's 4,096-byte output cap"
    assert result["output"] == "0x" + output.hex()
    assert result["output_hash"] == "0x" + keccak(output).hex()


def test_similarity_output_is_abi_int256_of_the_scaled_cosine(reference):
    first, second = "A man is eating food.", "A man is eating a piece of bread."
    result = infer_json("--task", "similarity", "--text", first, "--text2", second)
    assert result["model_id"] == model_id("similarity")
    assert abs(result["score"] - ref.score(embed(reference, first), embed(reference, second))) <= 2
    assert result["output_hash"] == "0x" + keccak(encode(["int256"], [result["score"]])).hex()


def test_classify_output_is_abi_best_index_and_scores(reference):
    text, labels = "The striker scored twice in the second half.", ["politics", "sports", "cooking"]
    result = infer_json("--task", "classify", "--text", text, "--labels", ",".join(labels))
    assert result["model_id"] == model_id("classify")
    assert result["best"] == 1 and result["label"] == "sports"
    vector = embed(reference, text)
    expected = [ref.score(vector, embed(reference, label)) for label in labels]
    assert all(abs(a - b) <= 2 for a, b in zip(result["scores"], expected))
    output = encode(["uint256", "int256[]"], [result["best"], result["scores"]])
    assert result["output_hash"] == "0x" + keccak(output).hex()


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--task", "summarize", "--text", "hi"], "unknown task 'summarize'"),
        (["--task", "embed", "--text", ""], "input text is empty"),
        (["--task", "embed", "--text", "x" * 20000], "exceeds the limit"),
        (["--task", "similarity", "--text", "hi"], "--text2"),
        (["--task", "classify", "--text", "hi", "--labels", "a,a"], "labels repeat"),
        (["--task", "embed", "--text", "hi", "--model-dir", "/nonexistent"], "cannot read model file"),
    ],
)
def test_bad_requests_fail_with_one_clear_line(arguments, message):
    result = infer(*arguments, check=False)
    assert result.returncode != 0
    assert message in result.stderr
    assert "x" * 100 not in result.stderr
