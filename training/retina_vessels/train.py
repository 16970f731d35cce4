"""Train, evaluate and export the retina-vessels model package.

    /usr/bin/python3 -m training.retina_vessels.train --out models/retina-vessels

Fixed seeds; CPU. Trains on random crops of the training subjects' letterboxed images,
picks the decision threshold on the training images, measures AUC/F1/sensitivity/
specificity per dataset on the held-out subjects at each image's native resolution inside
its field of view, and writes model.onnx, manifest.json and CARD.md.
"""
from __future__ import annotations

import argparse
import json
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

from ..common import prepare_torch
from . import data
from .export import export_package
from .metrics import at_threshold, auc, best_threshold
from .model import CompactUNet


def random_batch(images, rng, batch: int, crop: int):
    xs, ys, ms = [], [], []
    for _ in range(batch):
        green, vessels, fov = images[rng.integers(len(images))]
        # Most crops mostly inside the field of view; a third anywhere, so the rim and the dark
        # surround are learned as "no vessel" (the model must output 0 there by itself).
        anywhere = rng.random() < 1 / 3
        for _attempt in range(10):
            top, left = rng.integers(0, data.INPUT_SIZE - crop + 1, size=2)
            if anywhere or fov[top : top + crop, left : left + crop].mean() > 0.5:
                break
        patch = [a[top : top + crop, left : left + crop] for a in (green, vessels, fov)]
        k = int(rng.integers(4))
        flip = bool(rng.integers(2))
        patch = [np.rot90(p, k) for p in patch]
        if flip:
            patch = [np.fliplr(p) for p in patch]
        xs.append(patch[0].copy())
        ys.append(patch[1].copy())
        ms.append(patch[2].copy())
    as_tensor = lambda a: torch.from_numpy(np.stack(a)[:, None])
    return as_tensor(xs), as_tensor(ys), as_tensor(ms)


def loss_fn(prob, target, fov):
    # Every pixel counts (outside the field of view the target is 0); vessels weigh 3×
    # in the cross-entropy, and Dice is taken inside the field of view where vessels are.
    bce = F.binary_cross_entropy(prob, target, weight=1 + 2 * target)
    inter = (prob * target * fov).sum()
    dice = 1 - (2 * inter + 1) / ((prob * fov).sum() + (target * fov).sum() + 1)
    return bce + dice


def predict_native(model, sample: data.Sample, mean: float, std: float) -> np.ndarray:
    """Probability map at the image's native size (the letterbox region, resized back)."""
    green = data.load_green(sample.image)
    height, width = green.shape
    _, new_w, new_h, left, top = data.letterbox_geometry(width, height)
    x = (data.letterbox(green) / 255.0 - mean) / std
    with torch.no_grad():
        prob = model(torch.from_numpy(x)[None, None].float())[0, 0].numpy()
    region = prob[top : top + new_h, left : left + new_w]
    return np.asarray(Image.fromarray(region, mode="F").resize((width, height), Image.BILINEAR))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="models/retina-vessels")
    parser.add_argument("--iterations", type=int, default=1800)
    parser.add_argument("--batch", type=int, default=8)
    parser.add_argument("--crop", type=int, default=128)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--smoke", action="store_true", help="one tiny run to check the pipeline")
    args = parser.parse_args()
    prepare_torch(args.seed)

    train, test = data.split(data.list_samples())
    if args.smoke:
        train, test = train[:2], test[:1]
        args.iterations, args.batch, args.crop = 2, 2, 64
    print(f"train {len(train)} images / test {len(test)} images (split by subject)")
    started = time.time()
    prepared = [data.prepared(s) for s in train]
    in_fov = np.concatenate([g[f > 0] for g, _, f in prepared])
    mean, std = float(in_fov.mean()), float(in_fov.std())
    normalised = [((g - mean) / std, v, f) for g, v, f in prepared]

    model = CompactUNet()
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=2e-3, total_steps=args.iterations)
    rng = np.random.default_rng(args.seed)
    model.train()
    for step in range(1, args.iterations + 1):
        x, y, m = random_batch(normalised, rng, args.batch, args.crop)
        loss = loss_fn(model(x), y, m)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 100 == 0 or step == args.iterations:
            print(f"step {step}/{args.iterations} loss {loss.item():.4f} ({time.time() - started:.0f} s)", flush=True)
    train_seconds = time.time() - started
    model.eval()

    train_probs, train_truth = [], []
    for sample in train:
        prob = predict_native(model, sample, mean, std)
        fov = data.field_of_view(sample) > 0
        train_probs.append(prob[fov])
        train_truth.append(data.load_mask(sample.vessels)[fov])
    threshold = best_threshold(np.concatenate(train_probs), np.concatenate(train_truth))

    metrics = []
    for dataset in sorted({s.dataset for s in test}):
        probs, truth = [], []
        for sample in (s for s in test if s.dataset == dataset):
            prob = predict_native(model, sample, mean, std)
            fov = data.field_of_view(sample) > 0
            probs.append(prob[fov])
            truth.append(data.load_mask(sample.vessels)[fov])
        p, t = np.concatenate(probs), np.concatenate(truth)
        row = {"dataset": dataset, "images": sum(1 for s in test if s.dataset == dataset), "auc": auc(p, t), **at_threshold(p, t, threshold)}
        metrics.append(row)
        print(json.dumps(row), flush=True)

    export_package(model, args.out, mean=mean, std=std, threshold=threshold, metrics=metrics, train=train, test=test, train_seconds=train_seconds, iterations=args.iterations, smoke=args.smoke)
    print(f"package written to {args.out} ({time.time() - started:.0f} s total)")


if __name__ == "__main__":
    main()
