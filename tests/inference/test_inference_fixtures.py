"""The committed fixtures still say what the independent references say.

Token ids are recomputed with the `tokenizers` package; a sample of embeddings is recomputed with
the float64 numpy forward pass; the float32 numpy pass (the benchmark baseline) agrees with it.
"""

import json

import numpy as np
import pytest

import inference_corpus as corpus
import inference_reference as ref

FIXTURES = ref.REPO / "fixtures/inference"


@pytest.fixture(scope="module")
def tokenizer():
    return ref.load_tokenizer()


@pytest.fixture(scope="module")
def weights64():
    return ref.load_weights()


def load(name):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_tokenizer_fixture_has_over_a_thousand_strings_matching_tokenizers(tokenizer):
    cases = load("tokenizer.json")["cases"]
    assert len(cases) >= 1000
    vocab_words = sorted(w for w in tokenizer.get_vocab() if w.isalpha() and not w.startswith("##"))
    assert [case["text"] for case in cases] == corpus.tokenizer_strings(vocab_words)
    for case in cases:
        assert ref.token_ids(tokenizer, case["text"]) == case["ids"]
    assert any(len(case["ids"]) == ref.MAX_TOKENS for case in cases), "no string reaches truncation"


def test_embedding_fixture_matches_a_fresh_float64_forward_pass(tokenizer, weights64):
    cases = load("embeddings.json")["cases"]
    assert len(cases) >= 50
    for case in cases[::10]:
        vector = ref.forward(weights64, [ref.token_ids(tokenizer, case["text"])])[0]
        assert np.allclose(vector, case["embedding"], atol=1e-12)
        assert ref.quantize(vector) == case["quantized"]


def test_padded_batches_do_not_change_the_reference(tokenizer, weights64):
    texts = [corpus.SENTENCES[0], corpus.SENTENCES[16], "a"]
    batch = ref.forward(weights64, [ref.token_ids(tokenizer, t) for t in texts])
    for text, vector in zip(texts, batch):
        alone = ref.forward(weights64, [ref.token_ids(tokenizer, text)])[0]
        assert np.allclose(vector, alone, atol=1e-12)


def test_float32_baseline_agrees_with_the_float64_reference(tokenizer, weights64):
    weights32 = ref.load_weights(dtype=np.float32)
    ids = [ref.token_ids(tokenizer, t) for t in corpus.SENTENCES[:8]]
    cosines = (ref.forward(weights32, ids).astype(np.float64) * ref.forward(weights64, ids)).sum(axis=1)
    assert cosines.min() > 0.9999


def test_reference_classification_is_mostly_right():
    cases = load("classification.json")["cases"]
    assert len(cases) >= 50
    assert sum(case["best"] == case["expected"] for case in cases) >= 0.9 * len(cases)
