"""The committed llama.cpp fixture (fixtures/llm/llamacpp.json) still says what llama.cpp says.

The Swift tests (Tests/InferenceTests/LLM*Tests.swift) compare the engine with this file; here
llama.cpp itself is run again: every tokenizer case, and a tenth of the prompts end to end.
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


def test_llama_cpp_still_gives_the_recorded_prompts_logits_and_continuations(fixture, llm):
    eog = ref.end_of_generation(llm)
    assert sorted(eog) == fixture["end_of_generation"]
    for prompt in fixture["prompts"][::10]:
        tokens = ref.chat_tokens(llm, prompt["user"])
        assert tokens == prompt["prompt_ids"]
        logits = ref.next_logits(llm, tokens)
        assert np.array_equal(logits[prompt["logit_ids"]], np.array(prompt["logits"], dtype=np.float32))
        assert ref.greedy(llm, tokens, eog) == prompt["greedy"]
