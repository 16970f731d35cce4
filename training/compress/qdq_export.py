"""ONNX export of a QuantisedUNet as a QDQ graph ONNX Runtime fuses to int8 kernels at load.

torch.onnx turns each activation's fake-quantisation into QuantizeLinear → DequantizeLinear;
the weights, being constants, reach the graph as float values already on their int8 grid.
Two rewrites then make the graph the one ONNX Runtime's QDQ selectors expect: each weight is
stored as int8 (one scale per output channel) behind a DequantizeLinear (a quarter of the
float file, and nothing to quantise at run time), and each bias of a requantised convolution
becomes int32 on the input scale × weight scale grid behind its own DequantizeLinear
(QLinearConv adds the bias in the int32 accumulator).
"""
from __future__ import annotations

import hashlib
import os

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

from ..common import generated_input


def _fold_constants(model: onnx.ModelProto) -> dict[str, np.ndarray]:
    """Constant nodes, and Casts of constants, become initializers; returns every constant by name."""
    graph = model.graph
    values = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    keep = []
    for node in graph.node:
        if node.op_type == "Constant" and node.attribute[0].name == "value":
            values[node.output[0]] = numpy_helper.to_array(node.attribute[0].t)
        elif node.op_type == "Cast" and node.input[0] in values:
            to = onnx.mapping.TENSOR_TYPE_TO_NP_TYPE[node.attribute[0].i]
            values[node.output[0]] = values[node.input[0]].astype(to)
        else:
            keep.append(node)
            continue
        graph.initializer.append(numpy_helper.from_array(values[node.output[0]], node.output[0]))
    del graph.node[:]
    graph.node.extend(keep)
    return values


def rewrite_qdq(model: onnx.ModelProto) -> onnx.ModelProto:
    """The tracer hands the fake-quantised weights over as float constants (already on their
    int8 grid); store them as int8 behind a DequantizeLinear, and the biases of requantised
    convolutions as int32, which is what ONNX Runtime's QDQ fusion to QLinearConv expects."""
    graph = model.graph
    values = _fold_constants(model)
    producers = {o: n for n in graph.node for o in n.output}
    consumers: dict[str, list] = {}
    for n in graph.node:
        for i in n.input:
            consumers.setdefault(i, []).append(n)

    def requantised(output: str) -> bool:
        nxt = consumers.get(output, [])
        if len(nxt) == 1 and nxt[0].op_type == "Relu":
            nxt = consumers.get(nxt[0].output[0], [])
        return bool(nxt) and all(n.op_type == "QuantizeLinear" for n in nxt)

    def add(array: np.ndarray, name: str) -> str:
        graph.initializer.append(numpy_helper.from_array(array, name))
        return name

    new_nodes = []
    for node in graph.node:
        dq_x = producers.get(node.input[0])
        if node.op_type in ("Conv", "ConvTranspose") and dq_x is not None and dq_x.op_type == "DequantizeLinear" and node.input[1] in values:
            axis = 1 if node.op_type == "ConvTranspose" else 0
            weight = values[node.input[1]].astype(np.float64)
            dims = tuple(d for d in range(weight.ndim) if d != axis)
            w_scale = np.maximum(np.abs(weight).max(axis=dims) / 127, 1e-12).astype(np.float32)
            shape = [-1 if d == axis else 1 for d in range(weight.ndim)]
            q = np.clip(np.round(weight / w_scale.reshape(shape)), -127, 127).astype(np.int8)
            name = node.input[1]
            new_nodes.append(helper.make_node("DequantizeLinear", [add(q, name + "_int8"), add(w_scale, name + "_scale"), add(np.zeros(len(w_scale), np.int8), name + "_zero_point")], [name + "_dequantized"], axis=axis, name=name + "_DequantizeLinear"))
            node.input[1] = name + "_dequantized"
            if len(node.input) == 3 and requantised(node.output[0]):
                grid = values[dq_x.input[1]].astype(np.float64) * w_scale.astype(np.float64)
                bias = np.round(values[node.input[2]].astype(np.float64) / grid).astype(np.int32)
                name = node.input[2]
                new_nodes.append(helper.make_node("DequantizeLinear", [add(bias, name + "_int32"), add(grid.astype(np.float32), name + "_scale"), add(np.zeros_like(bias), name + "_zero_point")], [name + "_dequantized"], axis=0, name=name + "_DequantizeLinear"))
                node.input[2] = name + "_dequantized"
        new_nodes.append(node)
    del graph.node[:]
    graph.node.extend(new_nodes)
    # Initializers no node reads any more (the float weights and biases, folded constants).
    used = {i for n in graph.node for i in n.input}
    kept = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(kept)
    onnx.checker.check_model(model)
    return model


def export_qdq(model, path: str, size: int) -> str:
    """Writes the QDQ model (input "image", output "probability_map", dynamic batch); returns its SHA-256."""
    model.eval()
    model.freeze(True)
    tmp = path + ".torch.onnx"
    with torch.no_grad():
        torch.onnx.export(
            model, torch.zeros(1, 1, size, size), tmp, opset_version=17,
            input_names=["image"], output_names=["probability_map"], dynamic_axes={"image": {0: "batch"}, "probability_map": {0: "batch"}},
            do_constant_folding=False,  # keep each weight's QuantizeLinear for rewrite_qdq
        )
    model.freeze(False)
    graph = rewrite_qdq(onnx.load(tmp))
    os.remove(tmp)
    onnx.save(graph, path)
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def self_tests(run, size: int) -> list:
    """Self-test vectors computed by `run` (a callable on a 1×1×size×size tensor): for an int8
    graph, the runtime's own output, not the fake-quantised PyTorch model's."""
    tests = []
    for generator, value in [("constant", 0.5), ("ramp", None), ("checkerboard", None)]:
        x = generated_input(generator, size, value)
        entry = {"generator": generator, **({"value": value} if value is not None else {})}
        tests.append({"input": entry, "expect": [{"output": "probability_map", "mean": float(run(torch.from_numpy(x)[None, None]).mean()), "tolerance": 1e-4}]})
    return tests
