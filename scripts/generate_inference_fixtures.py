#!/usr/bin/env python3
"""Writes fixtures/inference/*.json from the independent Python reference.

Token ids come from the `tokenizers` package; embeddings and scores from the float64 numpy forward
pass in tests/inference/inference_reference.py. Run: .venv/bin/python scripts/generate_inference_fixtures.py
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests/inference"))

import inference_corpus as corpus  # noqa: E402
import inference_reference as ref  # noqa: E402

OUT = REPO / "fixtures/inference"


def write(name: str, payload: dict) -> None:
    path = OUT / name
    path.write_text(json.dumps(payload, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(REPO)}")


def embed(weights, tokenizer, texts: list[str]):
    return [ref.forward(weights, [ref.token_ids(tokenizer, text)])[0] for text in texts]


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    tokenizer = ref.load_tokenizer()
    vocab_words = sorted(word for word in tokenizer.get_vocab() if word.isalpha() and not word.startswith("##"))
    strings = corpus.tokenizer_strings(vocab_words)
    write("tokenizer.json", {
        "source": f"tokenizers {__import__('tokenizers').__version__}, truncation {ref.MAX_TOKENS}, no padding",
        "cases": [{"text": text, "ids": ref.token_ids(tokenizer, text)} for text in strings],
    })

    weights = ref.load_weights()
    vectors = embed(weights, tokenizer, corpus.SENTENCES)
    write("embeddings.json", {
        "source": "float64 numpy reference forward pass, mean pooling, L2 normalisation",
        "scale": ref.EMBED_SCALE,
        "cases": [
            {"text": text, "ids": ref.token_ids(tokenizer, text), "embedding": vector.tolist(), "quantized": ref.quantize(vector)}
            for text, vector in zip(corpus.SENTENCES, vectors)
        ],
    })

    similarity = []
    for first, second in corpus.SIMILARITY_PAIRS:
        a, b = embed(weights, tokenizer, [first, second])
        similarity.append({"text": first, "text2": second, "score": ref.score(a, b), "cosine": float(a @ b)})
    write("similarity.json", {"scale": ref.SCORE_SCALE, "cases": similarity})

    label_cache: dict[str, object] = {}
    examples = []
    for text, labels, expected in corpus.CLASSIFICATION:
        for label in labels:
            if label not in label_cache:
                label_cache[label] = embed(weights, tokenizer, [label])[0]
        vector = embed(weights, tokenizer, [text])[0]
        cosines = [float(vector @ label_cache[label]) for label in labels]
        scores = [ref.score(vector, label_cache[label]) for label in labels]
        best = max(range(len(labels)), key=lambda index: (scores[index], -index))
        examples.append({"text": text, "labels": labels, "expected": labels.index(expected),
                         "best": best, "scores": scores, "cosines": cosines})
    correct = sum(example["best"] == example["expected"] for example in examples)
    print(f"reference zero-shot accuracy: {correct}/{len(examples)}")
    write("classification.json", {"scale": ref.SCORE_SCALE, "cases": examples})


if __name__ == "__main__":
    main()
