#!/usr/bin/env python3
"""The ONNX Runtime baseline for `cloister bench inference`.

Builds an ONNX graph of all-MiniLM-L6-v2 (BERT encoder, mean pooling, L2 normalisation) from the
same `model.safetensors` the Swift engine maps, with the `onnx` package's helper API, and runs it
with ONNX Runtime on the CPU.

Reads {"sentences": [...], "repeats": n, "threads": t} on stdin: tokenises with `tokenizers` (as
the numpy baseline does), runs batch 1 and batch 32 (padded to the batch's longest sentence,
masked) with `t` intra-op threads, n passes each, and prints one JSON object with the fastest
pass's throughputs, the embeddings of every sentence at batch 1 (for the caller's agreement
check against the engine), and the largest difference between the batch-1 and batch-32
embeddings.

Benchmark and test environment only: the node never loads ONNX Runtime.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests/inference"))
import inference_reference as ref  # noqa: E402

OPSET = 17  # LayerNormalization is in the default domain from opset 17
HIDDEN = 384
HEAD_WIDTH = HIDDEN // ref.HEADS


class GraphBuilder:
    """Collects nodes and initializers; every value gets a fresh name."""

    def __init__(self) -> None:
        self.nodes: list[onnx.NodeProto] = []
        self.initializers: list[onnx.TensorProto] = []
        self.count = 0

    def constant(self, name: str, array: np.ndarray) -> str:
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def ints(self, *values: int) -> str:
        return self.constant(f"ints_{len(self.initializers)}", np.array(values, dtype=np.int64))

    def scalar(self, value: float) -> str:
        return self.constant(f"scalar_{len(self.initializers)}", np.array(value, dtype=np.float32))

    def op(self, kind: str, *inputs: str, **attributes) -> str:
        self.count += 1
        output = f"{kind.lower()}_{self.count}"
        self.nodes.append(helper.make_node(kind, list(inputs), [output], **attributes))
        return output


def build_model(weights: dict[str, np.ndarray]) -> onnx.ModelProto:
    """The encoder with ONNX Runtime's fused CPU operators for BERT (domain com.microsoft:
    Attention, SkipLayerNormalization, BiasGelu), the ones its own transformer optimiser produces
    from exported models, so that the reference runs ONNX Runtime's fastest CPU path. Linear
    weights are transposed once to [in, out]; the query, key and value weights are concatenated
    into Attention's [384, 1152]."""
    g = GraphBuilder()

    def tensor(name: str) -> str:
        return g.constant(name, weights[name].astype(np.float32))

    def transposed(prefix: str) -> np.ndarray:
        return weights[prefix + ".weight"].astype(np.float32).T

    def matmul(x: str, prefix: str) -> str:
        return g.op("MatMul", x, g.constant(prefix + ".weight_t", transposed(prefix)))

    def skip_layer_norm(x: str, skip: str, bias_prefix: str, norm_prefix: str) -> str:
        return g.op("SkipLayerNormalization", x, skip, tensor(norm_prefix + ".weight"), tensor(norm_prefix + ".bias"),
                    tensor(bias_prefix + ".bias"), domain="com.microsoft", epsilon=ref.LAYER_NORM_EPS)

    # Embeddings: word + position + token type 0, then layer norm.
    length = g.op("Slice", g.op("Shape", "input_ids"), g.ints(1), g.ints(2))  # [L]
    words = g.op("Gather", tensor("embeddings.word_embeddings.weight"), "input_ids", axis=0)
    places = g.op("Slice", tensor("embeddings.position_embeddings.weight"), g.ints(0), length, g.ints(0))
    token_type = g.constant("token_type_0", weights["embeddings.token_type_embeddings.weight"][0].astype(np.float32))
    hidden = g.op("LayerNormalization", g.op("Add", g.op("Add", words, places), token_type),
                  tensor("embeddings.LayerNorm.weight"), tensor("embeddings.LayerNorm.bias"),
                  axis=-1, epsilon=ref.LAYER_NORM_EPS)

    mask = g.op("Cast", "attention_mask", to=TensorProto.INT32)  # [B, L], 1 for tokens, 0 for padding
    for layer in range(ref.LAYERS):
        p = f"encoder.layer.{layer}."
        projections = [p + "attention.self." + name for name in ("query", "key", "value")]
        qkv_weight = g.constant(p + "qkv.weight_t", np.concatenate([transposed(name) for name in projections], axis=1))
        qkv_bias = g.constant(p + "qkv.bias", np.concatenate([weights[name + ".bias"] for name in projections]).astype(np.float32))
        context = g.op("Attention", hidden, qkv_weight, qkv_bias, mask, domain="com.microsoft", num_heads=ref.HEADS)
        hidden = skip_layer_norm(matmul(context, p + "attention.output.dense"), hidden,
                                 p + "attention.output.dense", p + "attention.output.LayerNorm")
        inner = g.op("BiasGelu", matmul(hidden, p + "intermediate.dense"), tensor(p + "intermediate.dense.bias"),
                     domain="com.microsoft")
        hidden = skip_layer_norm(matmul(inner, p + "output.dense"), hidden, p + "output.dense", p + "output.LayerNorm")

    # Mean over the unmasked tokens, then unit length.
    mask = g.op("Unsqueeze", "attention_mask", g.ints(2))  # [B, L, 1]
    summed = g.op("ReduceSum", g.op("Mul", hidden, mask), g.ints(1), keepdims=0)
    pooled = g.op("Div", summed, g.op("ReduceSum", mask, g.ints(1), keepdims=0))
    norm = g.op("Sqrt", g.op("ReduceSum", g.op("Mul", pooled, pooled), g.ints(1), keepdims=1))
    g.nodes.append(helper.make_node("Div", [pooled, norm], ["embeddings"]))

    graph = helper.make_graph(
        g.nodes, "all-MiniLM-L6-v2",
        [helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "length"]),
         helper.make_tensor_value_info("attention_mask", TensorProto.FLOAT, ["batch", "length"])],
        [helper.make_tensor_value_info("embeddings", TensorProto.FLOAT, ["batch", HIDDEN])],
        initializer=g.initializers,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="cloister")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def session(model: onnx.ModelProto, threads: int):
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    return ort.InferenceSession(model.SerializeToString(), options, providers=["CPUExecutionProvider"])


def embed(sess, id_lists: list[list[int]]) -> np.ndarray:
    length = max(len(ids) for ids in id_lists)
    ids = np.zeros((len(id_lists), length), dtype=np.int64)
    mask = np.zeros((len(id_lists), length), dtype=np.float32)
    for row, sequence in enumerate(id_lists):
        ids[row, : len(sequence)] = sequence
        mask[row, : len(sequence)] = 1
    return sess.run(["embeddings"], {"input_ids": ids, "attention_mask": mask})[0]


def run(sess, tokenizer, sentences: list[str], batch: int, repeats: int) -> tuple[float, np.ndarray]:
    """Seconds of the fastest of `repeats` passes over the sentences, and the embeddings."""
    best, vectors = float("inf"), []
    for _ in range(repeats):
        vectors = []
        start = time.perf_counter()
        for offset in range(0, len(sentences), batch):
            chunk = sentences[offset : offset + batch]
            vectors.append(embed(sess, [ref.token_ids(tokenizer, text) for text in chunk]))
        best = min(best, time.perf_counter() - start)
    return best, np.concatenate(vectors)


def main() -> None:
    import onnxruntime as ort

    request = json.load(sys.stdin)
    sentences, repeats, threads = request["sentences"], request["repeats"], request["threads"]
    tokenizer = ref.load_tokenizer()
    sess = session(build_model(ref.load_weights(dtype=np.float32)), threads)
    run(sess, tokenizer, sentences[:32], 32, 1)  # warm-up
    run(sess, tokenizer, sentences[:8], 1, 1)
    result = {"onnxruntime": ort.__version__, "onnx": onnx.__version__, "threads": threads}
    embeddings = {}
    for batch in (1, 32):
        seconds, embeddings[batch] = run(sess, tokenizer, sentences, batch, repeats)
        count = len(sentences)
        result[f"batch{batch}"] = {"sentences_per_second": count / seconds, "ms_per_sentence": 1000 * seconds / count}
    result["embeddings"] = embeddings[1].astype(np.float64).tolist()
    result["batch1_vs_batch32_max_abs_difference"] = float(np.abs(embeddings[1] - embeddings[32]).max())
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
