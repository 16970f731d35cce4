"""Train, evaluate and export the chest-pneumonia model package.

    /usr/bin/python3 -m training.chest_pneumonia.train --out models/chest-pneumonia

Fixed seeds; CPU. The official training films are split by child (15 % of each class's
children held out for validation, seed 20261123); the epoch with the best validation AUC is
kept and the decision threshold is chosen on validation (Youden's J). The official test
split is scored once, at the end, with that model and threshold. Writes model.onnx,
manifest.json, CARD.md and training-log.txt.
"""
from __future__ import annotations

import argparse
import copy
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from ..common import prepare_torch
from . import data, stats
from .export import export_package
from .model import CamNet


def augment(x: torch.Tensor, rng: np.random.Generator) -> torch.Tensor:
    """x in 0..1. Rotation ±7°, scale 0.92–1.08, shift ±5 %, brightness ±0.06, contrast
    0.85–1.15 and gamma 0.85–1.18 (portable films vary in position and exposure)."""
    n = x.shape[0]
    theta = torch.zeros(n, 2, 3)
    for i in range(n):
        angle = math.radians(rng.uniform(-7, 7))
        scale = rng.uniform(0.92, 1.08)
        theta[i, 0, 0] = math.cos(angle) / scale
        theta[i, 0, 1] = -math.sin(angle) / scale
        theta[i, 1, 0] = math.sin(angle) / scale
        theta[i, 1, 1] = math.cos(angle) / scale
        theta[i, :, 2] = torch.tensor(rng.uniform(-0.05, 0.05, size=2))
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    x = F.grid_sample(x, grid, align_corners=False, padding_mode="zeros")
    gamma = torch.tensor(rng.uniform(0.85, 1.18, size=(n, 1, 1, 1)), dtype=torch.float32)
    contrast = torch.tensor(rng.uniform(0.85, 1.15, size=(n, 1, 1, 1)), dtype=torch.float32)
    brightness = torch.tensor(rng.uniform(-0.06, 0.06, size=(n, 1, 1, 1)), dtype=torch.float32)
    x = (x.clamp(0, 1) ** gamma - 0.5) * contrast + 0.5 + brightness
    return x.clamp(0, 1)


def predict(model, images: np.ndarray, mean: float, std: float, batch: int = 128) -> np.ndarray:
    """P(pneumonia) for uint8 N×1×H×W films."""
    model.eval()
    out = []
    with torch.no_grad():
        for i in range(0, len(images), batch):
            x = (torch.from_numpy(images[i : i + batch]).float() / 255.0 - mean) / std
            out.append(torch.sigmoid(model(x)[0][:, 0]).numpy())
    return np.concatenate(out) if out else np.zeros(0, np.float32)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="models/chest-pneumonia")
    parser.add_argument("--epochs", type=int, default=6)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--lr", type=float, default=3e-3)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--smoke", action="store_true", help="one tiny epoch to check the pipeline")
    args = parser.parse_args()
    prepare_torch(args.seed)
    os.makedirs(args.out, exist_ok=True)
    log_lines: list[str] = []

    def log(line: str) -> None:
        print(line, flush=True)
        log_lines.append(line)

    official_train, test = data.list_split("train"), data.list_split("test")
    train, val = data.split_validation(official_train, 0.15, args.seed)
    if args.smoke:
        pick = lambda s, k: [x for x in s if x.label == 0][:k] + [x for x in s if x.label == 1][:k]
        train, val, test = pick(train, 16), pick(val, 8), pick(test, 8)
        args.epochs, args.batch = 1, 8
    log(f"train {len(train)} films of {len({s.child for s in train})} children / validation {len(val)} films of {len({s.child for s in val})} children (split by child) / official test {len(test)} films")
    started = time.time()
    x_train, y_train = data.load_stack(train)
    x_val, y_val = data.load_stack(val)
    pixels = x_train.astype(np.float64) / 255.0
    mean, std = float(pixels.mean()), float(pixels.std())
    del pixels
    log(f"loaded in {time.time() - started:.0f} s; training pixels mean {mean:.4f} std {std:.4f}")

    model = CamNet()
    positives = int(y_train.sum())
    pos_weight = torch.tensor([(len(y_train) - positives) / max(1, positives)])
    steps_per_epoch = math.ceil(len(train) / args.batch)
    optimiser = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=args.epochs * steps_per_epoch, pct_start=0.2)
    rng = np.random.default_rng(args.seed)
    best = {"auc": -1.0, "epoch": 0, "state": None}
    train_started = time.time()
    for epoch in range(1, args.epochs + 1):
        model.train()
        order = rng.permutation(len(train))
        losses = []
        for step in range(steps_per_epoch):
            pick = order[step * args.batch : (step + 1) * args.batch]
            x = augment(torch.from_numpy(x_train[pick]).float() / 255.0, rng)
            y = torch.from_numpy(y_train[pick]).float()[:, None]
            logits, _ = model((x - mean) / std)
            loss = F.binary_cross_entropy_with_logits(logits, y, pos_weight=pos_weight)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            losses.append(loss.item())
            if (step + 1) % 40 == 0:
                print(f"  epoch {epoch} step {step + 1}/{steps_per_epoch} loss {np.mean(losses[-40:]):.4f} ({time.time() - train_started:.0f} s)", flush=True)
        p_val = predict(model, x_val, mean, std)
        val_auc = stats.auc(p_val, y_val)
        eps = 1e-7
        val_loss = float(-np.mean(y_val * np.log(p_val + eps) + (1 - y_val) * np.log(1 - p_val + eps)))
        if val_auc > best["auc"]:
            best = {"auc": val_auc, "epoch": epoch, "state": copy.deepcopy(model.state_dict())}
        log(f"epoch {epoch}/{args.epochs} train loss {np.mean(losses):.4f} val loss {val_loss:.4f} val AUC {val_auc:.4f} lr {schedule.get_last_lr()[0]:.2e} ({time.time() - train_started:.0f} s)")
    train_seconds = time.time() - train_started
    model.load_state_dict(best["state"])
    model.eval()
    log(f"kept epoch {best['epoch']} (best validation AUC {best['auc']:.4f}); training {train_seconds / 60:.1f} min")

    p_val = predict(model, x_val, mean, std)
    threshold = stats.youden_threshold(p_val, y_val)
    val_c = stats.confusion(p_val, y_val, threshold)
    log(f"validation threshold (Youden) {threshold:.4f}: sensitivity {val_c['tp'] / max(1, val_c['tp'] + val_c['fn']):.4f} specificity {val_c['tn'] / max(1, val_c['tn'] + val_c['fp']):.4f}")
    del x_train

    # The official test split, once.
    x_test, y_test = data.load_stack(test)
    p_test = predict(model, x_test, mean, std)
    children = [s.child for s in test]
    result = {"auc": stats.auc(p_test, y_test), "auc_ci": stats.bootstrap_auc_ci(p_test, y_test, children, 2000, args.seed), **stats.confusion(p_test, y_test, threshold)}
    c = result
    log(f"TEST AUC {c['auc']:.4f} (95 % CI {c['auc_ci'][0]:.4f}–{c['auc_ci'][1]:.4f}, child bootstrap); at {threshold:.4f}: TP {c['tp']} FN {c['fn']} TN {c['tn']} FP {c['fp']}")
    export_package(model, args.out, mean=mean, std=std, threshold=threshold, val_auc=best["auc"], best_epoch=best["epoch"], result=result,
                   val_confusion=val_c, train=train, val=val, test=test, train_seconds=train_seconds, epochs=args.epochs, batch=args.batch,
                   lr=args.lr, pos_weight=float(pos_weight), seed=args.seed, smoke=args.smoke, log_lines=log_lines)
    print(f"package written to {args.out} ({time.time() - started:.0f} s total)")


if __name__ == "__main__":
    main()
