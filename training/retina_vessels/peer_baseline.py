"""Peer baseline: the orobix retina-unet (MIT; Keras 1 / Theano, trained on DRIVE) from
../shared/data/weights/retina-unet-orobix, evaluated on retina-vessels' own test split with
the same metrics, beside our model. Never shipped; a yardstick only.

    /usr/bin/python3 -m training.retina_vessels.peer_baseline [--write]   (needs python3-h5py python3-opencv)

The network is fully convolutional up to its patch-shaped reshape, so it runs here on whole
images (padded to a multiple of 4). Theano convolved (flipped kernels), so kernels are
flipped for PyTorch's cross-correlation. Pre-processing as in its repository: grey,
per-image min-max after standardisation, CLAHE (2.0, 8×8), gamma 1.2, /255. Run at native
size and with the image rescaled to DRIVE's 565-pixel width (the calibre it was trained on).
"""
from __future__ import annotations

import json
import os
import sys

import cv2
import h5py
import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from . import data
from .metrics import at_threshold, auc

WEIGHTS = os.path.join(data.DATA_ROOT, "weights", "retina-unet-orobix", "test_best_weights.h5")
DRIVE_WIDTH = 565


def load_kernels() -> dict[str, tuple[torch.Tensor, torch.Tensor]]:
    layers = {}
    with h5py.File(WEIGHTS, "r") as f:
        root = f["model_weights"] if "model_weights" in f else f
        for name in root:
            group = root[name]
            keys = sorted(group.keys())
            weight = [k for k in keys if k.endswith("_W")]
            if not weight:
                continue
            w = np.asarray(group[weight[0]])[:, :, ::-1, ::-1].copy()  # Theano convolution → cross-correlation
            b = np.asarray(group[[k for k in keys if k.endswith("_b")][0]])
            layers[name] = (torch.from_numpy(w).float(), torch.from_numpy(b).float())
    return layers


def forward(layers, x: torch.Tensor) -> torch.Tensor:
    conv = lambda n, t: F.relu(F.conv2d(t, *layers[f"convolution2d_{n}"], padding=layers[f"convolution2d_{n}"][0].shape[-1] // 2))
    c1 = conv(2, conv(1, x))
    c2 = conv(4, conv(3, F.max_pool2d(c1, 2)))
    c3 = conv(6, conv(5, F.max_pool2d(c2, 2)))
    u1 = conv(8, conv(7, torch.cat([F.interpolate(c3, scale_factor=2, mode="nearest"), c2], dim=1)))
    u2 = conv(10, conv(9, torch.cat([F.interpolate(u1, scale_factor=2, mode="nearest"), c1], dim=1)))
    return torch.softmax(conv(11, u2), dim=1)[:, 1]


def preprocess(rgb: np.ndarray) -> np.ndarray:
    gray = rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114
    gray = (gray - gray.mean()) / gray.std()
    gray = ((gray - gray.min()) / (gray.max() - gray.min()) * 255).astype(np.uint8)
    gray = cv2.createCLAHE(clipLimit=2.0, tileGridSize=(8, 8)).apply(gray)
    table = np.array([((i / 255.0) ** (1.0 / 1.2)) * 255 for i in range(256)]).astype(np.uint8)
    return cv2.LUT(gray, table).astype(np.float32) / 255.0


def predict(layers, sample: data.Sample, rescale: bool) -> np.ndarray:
    image = Image.open(sample.image).convert("RGB")
    width, height = image.size
    if rescale:
        image = image.resize((DRIVE_WIDTH, round(height * DRIVE_WIDTH / width)), Image.BILINEAR)
    x = preprocess(np.asarray(image, dtype=np.float32))
    h, w = x.shape
    padded = np.zeros(((h + 3) // 4 * 4, (w + 3) // 4 * 4), np.float32)
    padded[:h, :w] = x
    with torch.no_grad():
        prob = forward(layers, torch.from_numpy(padded)[None, None])[0].numpy()[:h, :w]
    if rescale:
        prob = np.asarray(Image.fromarray(prob, mode="F").resize((width, height), Image.BILINEAR))
    return prob


def main() -> None:
    torch.set_num_threads(os.cpu_count() or 2)
    layers = load_kernels()
    _, test = data.split(data.list_samples())
    rows = []
    for rescale in (False, True):
        for dataset in sorted({s.dataset for s in test}):
            probs, truth = [], []
            for sample in (s for s in test if s.dataset == dataset):
                fov = data.field_of_view(sample) > 0
                probs.append(predict(layers, sample, rescale)[fov])
                truth.append(data.load_mask(sample.vessels)[fov])
            p, t = np.concatenate(probs), np.concatenate(truth)
            row = {"model": "orobix retina-unet (DRIVE)", "input": "rescaled to 565 px wide" if rescale else "native size", "dataset": dataset, "images": len(probs), "auc": auc(p, t), **at_threshold(p, t, 0.5)}
            rows.append(row)
            print(json.dumps(row), flush=True)
    lines = ["| peer model | input | dataset | images | AUC | F1 | sensitivity | specificity |", "|---|---|---|---|---|---|---|---|"]
    lines += [f"| {r['model']} | {r['input']} | {r['dataset']} | {r['images']} | {r['auc']:.4f} | {r['f1']:.4f} | {r['sensitivity']:.4f} | {r['specificity']:.4f} |" for r in rows]
    print("\n".join(lines))
    if "--write" in sys.argv:
        out = os.path.join(os.path.dirname(__file__), "..", "..", "models", "retina-vessels", "PEER-BASELINE.md")
        header = [
            "# Peer baseline on retina-vessels' test split",
            "",
            "Produced by `/usr/bin/python3 -m training.retina_vessels.peer_baseline --write`: the orobix retina-unet (MIT, Keras/Theano weights from ../shared/data/weights, trained on the DRIVE training set) run on whole images, same test subjects, same field-of-view pixels, same metrics as CARD.md, its own decision rule (vessel probability ≥ 0.5).",
            "",
            "**Caution:** the DRIVE images in our test split are DRIVE *training* images, which this peer model was trained on; its DRIVE row is not a held-out figure.",
            "",
        ]
        with open(out, "w", encoding="utf-8") as f:
            f.write("\n".join(header + lines) + "\n")


if __name__ == "__main__":
    main()
