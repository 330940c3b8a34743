"""`cloister bench llm` and its llama.cpp baseline (scripts/bench_llamacpp.py): the script's numbers come
from llama.cpp on the file and tokens it was given, and the command's JSON has every field the issue
asks for, positive. No assertion on speed."""

import json
import os
import subprocess
import sys

import llama_cpp
import pytest

import llm_reference as ref

SCRIPT = ref.REPO / "scripts/bench_llamacpp.py"
# `make test` builds .build/debug/cloister before pytest; CLOISTER_BIN points at another build.
BINARY = os.environ.get("CLOISTER_BIN", str(ref.REPO / ".build/debug/cloister"))


def run_script(request: dict) -> dict:
    result = subprocess.run([sys.executable, str(SCRIPT)], input=json.dumps(request), capture_output=True,
                            text=True, cwd=ref.REPO, timeout=300, check=True)
    return json.loads(result.stdout)


def test_script_times_llamacpps_own_greedy_generation_on_the_given_tokens():
    llm = ref.load()
    prompt = ref.chat_tokens(llm, "Name three rivers in Europe.")
    expected = ref.greedy(llm, prompt, set(), steps=5)  # end of generation does not stop the script either
    report = run_script({"model": str(ref.model_path()), "prompts": [prompt], "generate": [5], "repeats": 1,
                         "threads": 1})
    assert report["llama_cpp_python"] == llama_cpp.__version__
    assert report["model"] == str(ref.model_path().resolve())
    assert report["model_bytes"] == ref.model_path().stat().st_size
    assert report["n_vocab"] == 49152 and report["threads"] == 1
    (cell,) = report["prompts"]
    assert cell["prompt_tokens"] == len(prompt) and report["prompt_tokens"] == len(prompt)
    assert cell["generated_tokens"] == 5 and report["generation_steps"] == 4
    assert cell["tokens"] == expected
    assert cell["prompt_seconds"] > 0 and cell["generation_seconds"] > 0
    assert report["prompt_tokens_per_second"] > 0 and report["generation_tokens_per_second"] > 0
    assert report["peak_rss_mb"] > 0


def test_script_refuses_a_request_without_tokens():
    request = {"model": str(ref.model_path()), "prompts": [[]], "generate": [3], "repeats": 1, "threads": 1}
    result = subprocess.run([sys.executable, str(SCRIPT)], input=json.dumps(request), capture_output=True,
                            text=True, cwd=ref.REPO, timeout=300)
    assert result.returncode != 0


@pytest.mark.skipif(not os.path.exists(BINARY), reason=f"{BINARY} is not built (make test builds it)")
def test_bench_llm_quick_json_has_every_field_from_llamacpp_in_the_same_run():
    result = subprocess.run([BINARY, "bench", "llm", "--json", "--quick", "--python", sys.executable],
                            capture_output=True, text=True, cwd=ref.REPO, timeout=600)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    for key in ("generation_ratio_vs_llamacpp", "prompt_ratio_vs_llamacpp", "generation_ratio_vs_llamacpp_1thread",
                "prompt_ratio_vs_llamacpp_1thread", "engine_peak_memory_mb", "llamacpp_peak_memory_mb"):
        assert report[key] > 0, key
    assert report["ratio_threads"] == 2
    for side in ("engine", "llamacpp"):
        assert [cell["threads"] for cell in report[side]] == [1, 2]
        for cell in report[side]:
            assert cell["prompt_tokens_per_second"] > 0 and cell["generation_tokens_per_second"] > 0
            assert cell["milliseconds_per_generated_token"] > 0
    assert report["bit_exact_across_threads_and_passes"] is True
    # The llama.cpp side is llama.cpp on the engine's file and the engine's prompt, generating as many tokens.
    assert report["llamacpp_python_version"] == llama_cpp.__version__
    assert report["llamacpp_model"] == str(ref.model_path().resolve())
    assert report["llamacpp_vocabulary"] == 49152
    assert report["llamacpp_prompt_tokens"] == report["prompt_tokens"]
    steps = [n - 1 if n == 8 else n for n in report["generated_tokens"]]
    assert report["llamacpp_generated_tokens"] == [n + 1 for n in steps]
    # The quick prompt through llama.cpp's own template and tokenizer has the engine's token count.
    llm = ref.load()
    message = "Write a short story about a lighthouse keeper who finds a message in a bottle."
    assert report["prompt_tokens"] == [len(ref.chat_tokens(llm, message))]
