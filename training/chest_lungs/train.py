"""Train, evaluate and export the chest-lungs model package.

    /usr/bin/python3 -m training.chest_lungs.train --out models/chest-lungs

Fixed seeds; CPU. Trains on whole letterboxed films with mild geometric and exposure
augmentation (portable neonatal films vary in position and exposure), measures Dice per
held-out patient's film at native resolution (annotated "ignore" pixels excluded), and
writes model.onnx, manifest.json and CARD.md.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ..common import prepare_torch
from ..retina_vessels.model import CompactUNet
from . import data
from .export import export_package


def augment(x: torch.Tensor, y: torch.Tensor, v: torch.Tensor, rng: np.random.Generator):
    """Random rotation ±10°, scale 0.85–1.15, shift ±8 %, gamma 0.7–1.4 and contrast 0.8–1.2."""
    n = x.shape[0]
    theta = torch.zeros(n, 2, 3)
    for i in range(n):
        angle = math.radians(rng.uniform(-10, 10))
        scale = rng.uniform(0.85, 1.15)
        theta[i, 0, 0] = math.cos(angle) / scale
        theta[i, 0, 1] = -math.sin(angle) / scale
        theta[i, 1, 0] = math.sin(angle) / scale
        theta[i, 1, 1] = math.cos(angle) / scale
        theta[i, :, 2] = torch.tensor(rng.uniform(-0.08, 0.08, size=2))
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, align_corners=False, padding_mode="zeros")
    y = (F.grid_sample(y, grid, align_corners=False, mode="nearest") > 0.5).float()
    v = F.grid_sample(v, grid, align_corners=False, mode="nearest", padding_mode="border")
    gamma = torch.tensor(rng.uniform(0.7, 1.4, size=(n, 1, 1, 1)), dtype=torch.float32)
    contrast = torch.tensor(rng.uniform(0.8, 1.2, size=(n, 1, 1, 1)), dtype=torch.float32)
    x = (x.clamp(0, 1) ** gamma - 0.5) * contrast + 0.5
    return x.clamp(0, 1), y, v


def loss_fn(prob, target, valid):
    bce = F.binary_cross_entropy(prob, target, weight=valid)
    inter = (prob * target * valid).sum()
    dice = 1 - (2 * inter + 1) / ((prob * valid).sum() + (target * valid).sum() + 1)
    return bce + dice


def predict_native(model, sample: data.Sample, mean: float, std: float) -> np.ndarray:
    gray = data.load_gray(sample.image)
    height, width = gray.shape
    _, new_w, new_h, left, top = data.letterbox_geometry(width, height, data.INPUT_SIZE)
    x = (data.letterbox(gray, data.INPUT_SIZE) / 255.0 - mean) / std
    with torch.no_grad():
        prob = model(torch.from_numpy(x)[None, None].float())[0, 0].numpy()
    region = prob[top : top + new_h, left : left + new_w]
    return np.asarray(Image.fromarray(region, mode="F").resize((width, height), Image.BILINEAR))


def dice(prob: np.ndarray, lung: np.ndarray, valid: np.ndarray, threshold: float) -> float:
    predicted = (prob >= threshold) & (valid > 0)
    truth = (lung > 0) & (valid > 0)
    return float(2 * np.sum(predicted & truth) / max(1, predicted.sum() + truth.sum()))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="models/chest-lungs")
    parser.add_argument("--iterations", type=int, default=2400)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--base", type=int, default=12)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--smoke", action="store_true", help="one tiny run to check the pipeline")
    args = parser.parse_args()
    prepare_torch(args.seed)

    train, test = data.split(data.list_samples())
    if args.smoke:
        train, test = train[:2], test[:1]
        args.iterations, args.batch = 2, 2
    print(f"train {len(train)} films / test {len(test)} films (split by patient)", flush=True)
    started = time.time()
    prepared = [data.prepared(s) for s in train]
    pixels = np.concatenate([g.ravel() for g, _, _ in prepared])
    mean, std = float(pixels.mean()), float(pixels.std())
    images = torch.from_numpy(np.stack([g for g, _, _ in prepared])[:, None]).float()
    lungs = torch.from_numpy(np.stack([m for _, m, _ in prepared])[:, None]).float()
    valids = torch.from_numpy(np.stack([v for _, _, v in prepared])[:, None]).float()

    model = CompactUNet(base=args.base)
    optimiser = torch.optim.Adam(model.parameters(), lr=3e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=3e-3, total_steps=args.iterations)
    rng = np.random.default_rng(args.seed)
    model.train()
    for step in range(1, args.iterations + 1):
        pick = torch.from_numpy(rng.integers(len(prepared), size=args.batch))
        x, y, v = augment(images[pick], lungs[pick], valids[pick], rng)
        loss = loss_fn(model((x - mean) / std), y, v)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 50 == 0 or step == args.iterations:
            print(f"step {step}/{args.iterations} loss {loss.item():.4f} ({time.time() - started:.0f} s)", flush=True)
    train_seconds = time.time() - started
    model.eval()

    threshold = 0.5
    rows, per_image = [], []
    for dataset in sorted({s.dataset for s in test}):
        scores = []
        for sample in (s for s in test if s.dataset == dataset):
            lung, valid = data.load_mask(sample.mask)
            score = dice(predict_native(model, sample, mean, std), lung, valid, threshold)
            scores.append(score)
            per_image.append((dataset, os.path.basename(sample.image), score))
        row = {"dataset": dataset, "images": len(scores), "dice_mean": float(np.mean(scores)), "dice_min": float(np.min(scores))}
        rows.append(row)
        print(json.dumps(row), flush=True)
    train_dice = float(np.mean([dice(predict_native(model, s, mean, std), *data.load_mask(s.mask), threshold) for s in train]))
    print(f"train Dice {train_dice:.4f}", flush=True)

    export_package(model, args.out, base=args.base, mean=mean, std=std, threshold=threshold, metrics=rows, per_image=per_image, train=train, test=test, train_dice=train_dice, train_seconds=train_seconds, iterations=args.iterations, batch=args.batch, smoke=args.smoke)
    print(f"package written to {args.out} ({time.time() - started:.0f} s total)")


if __name__ == "__main__":
    main()
