"""Pieces every training pipeline shares: the split by subject, and the ONNX export of a
one-channel segmentation model with self-test vectors the workstation checks on load."""
from __future__ import annotations

import hashlib
import json
import os

import numpy as np
import torch


def prepare_torch(seed: int) -> None:
    """Fixed seeds for NumPy and PyTorch, and every CPU core for training."""
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.set_num_threads(os.cpu_count() or 2)


def split_by_subject(samples: list, test_fraction: float = 0.3, seed: int = 20261123) -> tuple[list, list]:
    """Subjects (not images) go to train or test, per dataset, with a fixed seed. Samples
    need `.dataset` and `.subject`."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for dataset in sorted({s.dataset for s in samples}):
        subjects = sorted({s.subject for s in samples if s.dataset == dataset})
        rng.shuffle(subjects)
        test_subjects = set(subjects[: max(1, round(len(subjects) * test_fraction))])
        for s in samples:
            if s.dataset == dataset:
                (test if s.subject in test_subjects else train).append(s)
    return train, test


def generated_input(generator: str, size: int, value: float | None = None) -> np.ndarray:
    """The same deterministic inputs as generateInput() in core/inference/portable/package-schema.ts."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    if generator == "constant":
        return np.full((size, size), 0.5 if value is None else value, np.float32)
    if generator == "ramp":
        return (x + y) / max(1, 2 * size - 2)
    if generator == "checkerboard":
        return ((np.floor(x / 8) + np.floor(y / 8)) % 2).astype(np.float32)
    if generator == "top-left-bright":
        return np.where((x < size / 2) & (y < size / 2), 1.0 if value is None else value, 0.0).astype(np.float32)
    raise ValueError(generator)


def export_segmentation_onnx(model, out: str, size: int) -> tuple[str, list]:
    """Writes out/model.onnx (opset 17, input "image", output "probability_map", dynamic
    batch); returns its SHA-256 and self-test vectors computed from the PyTorch model."""
    os.makedirs(out, exist_ok=True)
    onnx_path = os.path.join(out, "model.onnx")
    torch.onnx.export(
        model, torch.zeros(1, 1, size, size), onnx_path, opset_version=17,
        input_names=["image"], output_names=["probability_map"], dynamic_axes={"image": {0: "batch"}, "probability_map": {0: "batch"}},
    )
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    self_tests = []
    with torch.no_grad():
        for generator, value in [("constant", 0.5), ("ramp", None), ("checkerboard", None)]:
            x = generated_input(generator, size, value)
            entry = {"generator": generator, **({"value": value} if value is not None else {})}
            self_tests.append({"input": entry, "expect": [{"output": "probability_map", "mean": float(model(torch.from_numpy(x)[None, None]).mean()), "tolerance": 1e-4}]})
    return sha, self_tests


def write_package_text(out: str, manifest: dict, card_lines: list[str]) -> None:
    """manifest.json (indented, newline-terminated) and CARD.md beside model.onnx."""
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    with open(os.path.join(out, "CARD.md"), "w", encoding="utf-8") as f:
        f.write("\n".join(card_lines) + "\n")
