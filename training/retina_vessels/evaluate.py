"""Held-out evaluation of a retina-vessels package (or of a PyTorch model) per dataset, with
the inference-time options compared when the model was revised.

    /usr/bin/python3 -m training.retina_vessels.evaluate models/retina-vessels

Loads model.onnx back into the PyTorch CompactUNet (the exporter folds batch norm into the
convolutions, so the folded weights go into the convolutions and the batch norms become
identities), then measures AUC, F1, sensitivity and specificity on the held-out subjects of
the pipeline's own split, at each image's native resolution inside its field of view (and on
the VEVIO single video frames alone). --flips, --contrast clahe and --size measure
inference-time variants the workstation does not run (flips cost 4 inferences per image).
"""
from __future__ import annotations

import argparse
import json
import os

import numpy as np
import onnx
import torch
from onnx import numpy_helper
from PIL import Image

from . import data
from .metrics import at_threshold, auc
from .model import CompactUNet


def load_package_model(folder: str) -> tuple[CompactUNet, dict]:
    manifest = json.load(open(os.path.join(folder, "manifest.json"), encoding="utf-8"))
    graph = onnx.load(os.path.join(folder, "model.onnx")).graph
    weights = {i.name: numpy_helper.to_array(i).copy() for i in graph.initializer}
    model = CompactUNet()
    convs = [n for n in graph.node if n.op_type == "Conv"]
    # Conv nodes in graph order: the two convolutions of each block (enc 0-2, bottom, dec 0-2), then the head.
    blocks = list(model.enc) + [model.bottom] + list(model.dec)
    targets = []
    for b in blocks:
        targets += [(b[0], b[1]), (b[3], b[4])]
    assert len(convs) == len(targets) + 1, (len(convs), len(targets))
    with torch.no_grad():
        for node, (conv, bn) in zip(convs, targets):
            conv.weight.copy_(torch.from_numpy(weights[node.input[1]]))
            bn.weight.fill_(1.0)
            bn.bias.copy_(torch.from_numpy(weights[node.input[2]]))
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
        head = convs[-1]
        model.head.weight.copy_(torch.from_numpy(weights[head.input[1]]))
        model.head.bias.copy_(torch.from_numpy(weights[head.input[2]]))
        for i, up in enumerate(model.up):
            up.weight.copy_(torch.from_numpy(weights[f"up.{i}.weight"]))
            up.bias.copy_(torch.from_numpy(weights[f"up.{i}.bias"]))
    model.eval()
    return model, manifest


def clahe(image: np.ndarray, clip: float = 2.0, tiles: int = 8, bins: int = 256) -> np.ndarray:
    """Contrast-limited adaptive histogram equalisation of an 8-bit-range image (0..255 floats),
    bilinear between tile mappings as in Zuiderveld 1994 / OpenCV's createCLAHE(clip, (tiles, tiles))."""
    h, w = image.shape
    th, tw = -(-h // tiles), -(-w // tiles)
    padded = np.pad(np.clip(image, 0, 255), ((0, th * tiles - h), (0, tw * tiles - w)), mode="reflect")
    levels = np.clip(padded.round().astype(np.int64), 0, bins - 1)
    luts = np.zeros((tiles, tiles, bins), np.float32)
    limit = max(1.0, clip * th * tw / bins)
    for i in range(tiles):
        for j in range(tiles):
            hist = np.bincount(levels[i * th : (i + 1) * th, j * tw : (j + 1) * tw].ravel(), minlength=bins).astype(np.float64)
            excess = np.maximum(hist - limit, 0).sum()
            hist = np.minimum(hist, limit) + excess / bins
            cdf = np.cumsum(hist)
            luts[i, j] = (cdf - cdf[0]) / max(1.0, cdf[-1] - cdf[0]) * (bins - 1)
    level = np.clip(image.round().astype(np.int64), 0, bins - 1)
    # Tile centres; each pixel interpolates the four nearest tiles' mappings.
    fy = np.clip((np.arange(h) + 0.5) / th - 0.5, 0, tiles - 1)
    fx = np.clip((np.arange(w) + 0.5) / tw - 0.5, 0, tiles - 1)
    y0, x0 = np.floor(fy).astype(int), np.floor(fx).astype(int)
    y1, x1 = np.minimum(y0 + 1, tiles - 1), np.minimum(x0 + 1, tiles - 1)
    ay, ax = (fy - y0)[:, None], (fx - x0)[None, :]
    at = lambda yy, xx: luts[yy[:, None], xx[None, :], level]
    return ((1 - ay) * ((1 - ax) * at(y0, x0) + ax * at(y0, x1)) + ay * ((1 - ax) * at(y1, x0) + ax * at(y1, x1))).astype(np.float32)


def predict_native(model, sample: data.Sample, mean: float, std: float, *, size: int = data.INPUT_SIZE, flips: bool = False, contrast: str | None = None) -> np.ndarray:
    """Probability map at the image's native size (the letterbox region, resized back)."""
    green = data.load_green(sample.image)
    if contrast == "clahe":
        green = clahe(green)
    height, width = green.shape
    _, new_w, new_h, left, top = data.letterbox_geometry(width, height, size)
    x = torch.from_numpy((data.letterbox(green, size) / 255.0 - mean) / std)[None, None].float()
    with torch.no_grad():
        if flips:
            prob = sum(torch.flip(model(torch.flip(x, d)), d) if d else model(x) for d in ([], [3], [2], [2, 3])) / 4
        else:
            prob = model(x)
    region = prob[0, 0].numpy()[top : top + new_h, left : left + new_w]
    return np.asarray(Image.fromarray(region, mode="F").resize((width, height), Image.BILINEAR))


def pooled(model, samples, mean: float, std: float, **options) -> dict:
    """Per dataset: concatenated (probabilities, truth) inside the field of view."""
    out: dict = {}
    for sample in samples:
        prob = predict_native(model, sample, mean, std, **options)
        fov = data.field_of_view(sample) > 0
        p, t = out.setdefault(sample.dataset, ([], []))
        p.append(prob[fov])
        t.append(data.load_mask(sample.vessels)[fov])
    return {d: (np.concatenate(p), np.concatenate(t), len(p)) for d, (p, t) in sorted(out.items())}


def table(pools: dict, threshold: float) -> list[dict]:
    rows = []
    for dataset, (p, t, n) in pools.items():
        rows.append({"dataset": dataset, "images": n, "auc": auc(p, t), **at_threshold(p, t, threshold)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("package", nargs="?", default="models/retina-vessels")
    parser.add_argument("--size", type=int, default=None, help="input grid (default: the manifest's)")
    parser.add_argument("--flips", action="store_true", help="average the four flips (4× inference)")
    parser.add_argument("--contrast", choices=["clahe"], default=None)
    parser.add_argument("--threshold", type=float, default=None)
    args = parser.parse_args()
    model, manifest = load_package_model(args.package)
    size = args.size or manifest["input"]["height"]
    threshold = args.threshold if args.threshold is not None else manifest["outputs"][0]["thresholds"]["vessel"]
    _, test = data.split(data.list_samples())
    mean, std = manifest["input"]["mean"][0], manifest["input"]["std"][0]
    pools = pooled(model, test, mean, std, size=size, flips=args.flips, contrast=args.contrast)
    frames = [s for s in test if data.is_frame(s)]
    if frames:  # the single infant video frames among the VEVIO images
        pools["VEVIO frames"] = pooled(model, frames, mean, std, size=size, flips=args.flips, contrast=args.contrast)["VEVIO"]
    print(f"{manifest['id']} {manifest['version']}, size {size}, flips {args.flips}, contrast {args.contrast}, threshold {threshold}")
    for row in table(pools, threshold):
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}))


if __name__ == "__main__":
    main()
