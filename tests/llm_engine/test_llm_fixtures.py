"""The committed llama.cpp fixture (fixtures/llm/llamacpp.json) still says what llama.cpp says.

The Swift tests (Tests/InferenceTests/LLM*Tests.swift) compare the engine with this file; here
llama.cpp itself is run again: every tokenizer case, and a tenth of the prompts end to end.

llama.cpp's kernels round differently for each instruction set it is compiled for (setup builds it with
`-march=native`). On the fixture's instruction sets its logits and continuations must be the recorded
bits; built for others it is a slightly different function, so its logits must then agree within what
llama.cpp's own change of operation order moves them by (max 0.86 measured, docs/llm.md), and the
tokenizer and chat prompt exactly. The engine's own comparison with the fixture does not depend on the CPU.
"""

import json

import numpy as np
import pytest

import llm_corpus as corpus
import llm_reference as ref

FIXTURE = ref.REPO / "fixtures/llm/llamacpp.json"


@pytest.fixture(scope="module")
def fixture():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def llm():
    return ref.load()


def test_fixture_is_for_the_installed_model_and_the_corpus(fixture):
    assert fixture["model_sha256"] == ref.model_sha256()
    assert [case["text"] for case in fixture["tokenizer"]] == corpus.TRICKY + corpus.PROMPTS
    assert [prompt["user"] for prompt in fixture["prompts"]] == corpus.PROMPTS
    assert len(corpus.PROMPTS) >= 100


def test_llama_cpp_tokenizes_every_string_as_recorded(fixture, llm):
    for case in fixture["tokenizer"]:
        assert ref.plain_tokens(llm, case["text"]) == case["ids"], case["text"]


OTHER_ISA_TOLERANCE = 1.0  # logits, when llama.cpp was compiled for other instruction sets than the fixture's


def test_llama_cpp_still_gives_the_recorded_prompts_logits_and_continuations(fixture, llm):
    eog = ref.end_of_generation(llm)
    assert sorted(eog) == fixture["end_of_generation"]
    same_build = ref.system_info() == fixture["system_info"]
    for prompt in fixture["prompts"][::10]:
        tokens = ref.chat_tokens(llm, prompt["user"])
        assert tokens == prompt["prompt_ids"]
        assert fixture["feeding"] == ref.FEEDING
        logits = ref.next_logits(llm, tokens)[prompt["logit_ids"]]
        recorded = np.array(prompt["logits"], dtype=np.float32)
        if same_build:
            assert np.array_equal(logits, recorded), prompt["user"]
            assert ref.greedy(llm, tokens, eog) == prompt["greedy"], prompt["user"]
        else:
            assert np.max(np.abs(logits - recorded)) <= OTHER_ISA_TOLERANCE, (prompt["user"], ref.system_info())
