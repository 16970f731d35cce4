"""A model callable backed by onnxruntime-node (the workstation's native CPU engine) or by
onnxruntime-web's WASM backend (the page's and the package verifier's), so the
held-out metrics of a package are those of the ONNX graph it ships, as ONNX Runtime fuses and
runs it (int8 QDQ graphs in particular run as QLinearConv there, not as PyTorch's fake-quant)."""
from __future__ import annotations

import os
import subprocess

import numpy as np
import torch

RUNNER = os.path.join(os.path.dirname(__file__), "ort_node_runner.mjs")


class OrtNodeModel:
    def __init__(self, onnx_path: str, threads: int = 1, engine: str = "node"):
        """engine: "node" (onnxruntime-node) or "wasm" (onnxruntime-web's WASM backend under Node)."""
        self.process = subprocess.Popen(["node", RUNNER, os.path.abspath(onnx_path), str(threads), engine], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=os.path.dirname(RUNNER))

    def __call__(self, x: torch.Tensor) -> torch.Tensor:
        array = np.ascontiguousarray(x.detach().numpy(), dtype="<f4")
        self.process.stdin.write(np.array(array.shape, dtype="<i4").tobytes() + array.tobytes())
        self.process.stdin.flush()
        shape = np.frombuffer(self._read(16), dtype="<i4")
        return torch.from_numpy(np.frombuffer(self._read(int(np.prod(shape)) * 4), dtype="<f4").reshape(shape).copy())

    def _read(self, n: int) -> bytes:
        chunks, left = [], n
        while left:
            chunk = self.process.stdout.read(left)
            if not chunk:
                raise RuntimeError("onnxruntime-node runner exited")
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def eval(self):
        return self

    def close(self) -> None:
        self.process.stdin.close()
        self.process.wait(timeout=30)
