"""The ONNX Runtime reference of `cloister bench inference` (scripts/bench_onnxruntime_inference.py):
the graph it builds from model.safetensors computes the same embeddings as the float64 numpy
reference, alone and in padded batches, with 1 and 2 intra-op threads, and the script reports what
the benchmark reads."""

import json
import subprocess
import sys

import numpy as np
import pytest

import inference_corpus as corpus
import inference_reference as ref

sys.path.insert(0, str(ref.REPO / "scripts"))
import bench_onnxruntime_inference as bench  # noqa: E402

SCRIPT = ref.REPO / "scripts/bench_onnxruntime_inference.py"
TOLERANCE = 1e-5  # float32 graph against the float64 reference, per component of a unit vector


@pytest.fixture(scope="module")
def tokenizer():
    return ref.load_tokenizer()


@pytest.fixture(scope="module")
def model():
    return bench.build_model(ref.load_weights(dtype=np.float32))


@pytest.mark.parametrize("threads", [1, 2])
def test_graph_matches_the_float64_reference_alone_and_in_padded_batches(model, tokenizer, threads):
    session = bench.session(model, threads)
    texts = [corpus.SENTENCES[0], corpus.SENTENCES[16], "a", corpus.SENTENCES[5]]
    ids = [ref.token_ids(tokenizer, text) for text in texts]
    expected = ref.forward(ref.load_weights(), ids)
    batch = bench.embed(session, ids)
    alone = np.concatenate([bench.embed(session, [sequence]) for sequence in ids])
    assert np.abs(batch - expected).max() < TOLERANCE
    assert np.abs(alone - expected).max() < TOLERANCE
    assert np.allclose(np.linalg.norm(batch, axis=1), 1, atol=1e-6)


def test_graph_uses_onnxruntimes_fused_bert_operators(model):
    kinds = {node.op_type for node in model.graph.node}
    assert {"Attention", "SkipLayerNormalization", "BiasGelu"} <= kinds
    assert sum(node.op_type == "Attention" for node in model.graph.node) == ref.LAYERS


def test_script_reports_throughput_and_every_embedding():
    request = {"sentences": corpus.SENTENCES[:3], "repeats": 1, "threads": 1}
    result = subprocess.run([sys.executable, str(SCRIPT)], input=json.dumps(request), capture_output=True,
                            text=True, cwd=ref.REPO, timeout=300, check=True)
    report = json.loads(result.stdout)
    assert report["threads"] == 1
    assert report["batch1"]["sentences_per_second"] > 0 and report["batch32"]["ms_per_sentence"] > 0
    assert len(report["embeddings"]) == 3 and all(len(vector) == 384 for vector in report["embeddings"])
    assert report["batch1_vs_batch32_max_abs_difference"] < TOLERANCE
