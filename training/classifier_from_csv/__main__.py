"""Train an importable package for a model slot from a hospital's own labelled images.

    /usr/bin/python3 -m training.classifier_from_csv --slot models/slots/pda-significance.json \\
        --images DIR --labels labels.csv --out OUT --licence "..." [--id ID] [--version 0.1.0]

The CSV has the slot's columns: the image file name (relative to DIR), the patient id (the
split keeps each patient's images on one side), the eye where the slot grades eyes, and one
column per head holding one of the head's labels (empty = not graded; that head then skips
the image). Patients are split 80/20 with a fixed seed; the card reports per-head accuracy,
per-class sensitivity and, for two-class heads, AUC on the held-out patients only.
"""
from __future__ import annotations

import argparse
import csv
import datetime
import hashlib
import json
import os
import platform
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch import nn

from ..common import generated_input, prepare_torch, write_package_text
from ..retina_vessels.metrics import auc


class SmallClassifier(nn.Module):
    """Four conv blocks, global average pooling, one linear head per slot head (logits)."""

    def __init__(self, channels: int, heads: list[int], width: int = 16):
        super().__init__()
        layers, cin = [], channels
        for cout in (width, width * 2, width * 4, width * 8):
            layers += [nn.Conv2d(cin, cout, 3, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True), nn.MaxPool2d(2)]
            cin = cout
        self.features = nn.Sequential(*layers)
        self.heads = nn.ModuleList([nn.Linear(cin, n) for n in heads])

    def forward(self, x):
        pooled = self.features(x).mean(dim=(2, 3))
        return tuple(head(pooled) for head in self.heads)


def letterbox(image: Image.Image, size: int) -> np.ndarray:
    """Area-averaged resize into a square, centred, black padding (as the workstation does)."""
    scale = min(size / image.width, size / image.height)
    w, h = max(1, round(image.width * scale)), max(1, round(image.height * scale))
    resized = np.asarray(image.resize((w, h), Image.BOX), dtype=np.float32)
    out = np.zeros((size, size) + resized.shape[2:], np.float32)
    top, left = (size - h) // 2, (size - w) // 2
    out[top : top + h, left : left + w] = resized
    return out


def read_rows(slot: dict, labels_csv: str) -> list[dict]:
    with open(labels_csv, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    needed = [slot["csv"]["image"], slot["csv"]["patient"], *(h["csvColumn"] for h in slot["heads"])]
    missing = [c for c in needed if rows and c not in rows[0]]
    if not rows or missing:
        sys.exit(f"{labels_csv}: {'no rows' if not rows else 'missing columns ' + ', '.join(missing)}")
    for number, row in enumerate(rows, start=2):
        for head in slot["heads"]:
            value = row[head["csvColumn"]].strip()
            if value and value not in head["labels"]:
                sys.exit(f"{labels_csv} line {number}: {head['csvColumn']} is {value!r}; allowed: {', '.join(head['labels'])} or empty")
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--slot", required=True)
    parser.add_argument("--images", required=True)
    parser.add_argument("--labels", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--licence", required=True, help="terms under which the weights (derived from your images) may be used")
    parser.add_argument("--id")
    parser.add_argument("--version", default="0.1.0")
    parser.add_argument("--size", type=int, default=192)
    parser.add_argument("--iterations", type=int, default=1500)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seed", type=int, default=20261123)
    args = parser.parse_args()
    prepare_torch(args.seed)

    slot = json.load(open(args.slot, encoding="utf-8"))
    rows = read_rows(slot, args.labels)
    channels = 3 if slot["domain"] == "retina" else 1
    mode = "RGB" if channels == 3 else "L"
    patients = sorted({r[slot["csv"]["patient"]] for r in rows})
    rng = np.random.default_rng(args.seed)
    rng.shuffle(patients)
    test_patients = set(patients[: max(1, round(0.2 * len(patients)))])
    images, targets, is_test = [], [], []
    for row in rows:
        path = os.path.join(args.images, row[slot["csv"]["image"]])
        try:
            pixels = letterbox(Image.open(path).convert(mode), args.size) / 255.0
        except (OSError, ValueError) as error:
            print(f"skipped {path}: {error}", file=sys.stderr)
            continue
        images.append(pixels.reshape(args.size, args.size, channels).transpose(2, 0, 1))
        targets.append([h["labels"].index(row[h["csvColumn"]].strip()) if row[h["csvColumn"]].strip() else -1 for h in slot["heads"]])
        is_test.append(row[slot["csv"]["patient"]] in test_patients)
    x_all = torch.from_numpy(np.stack(images)).float()
    y_all = torch.tensor(targets)
    test_mask = torch.tensor(is_test)
    x_train, y_train = x_all[~test_mask], y_all[~test_mask]
    x_test, y_test = x_all[test_mask], y_all[test_mask]
    if len(x_train) == 0 or len(x_test) == 0:
        sys.exit("need images from at least two patients")
    mean = x_train.mean(dim=(0, 2, 3)).tolist()
    std = [max(s, 1e-3) for s in x_train.std(dim=(0, 2, 3)).tolist()]
    norm = lambda x: (x - torch.tensor(mean)[None, :, None, None]) / torch.tensor(std)[None, :, None, None]
    print(f"train {len(x_train)} images / test {len(x_test)} images (split by patient)", flush=True)

    model = SmallClassifier(channels, [len(h["labels"]) for h in slot["heads"]])
    optimiser = torch.optim.Adam(model.parameters(), lr=2e-3, weight_decay=1e-4)
    started = time.time()
    model.train()
    for step in range(1, args.iterations + 1):
        pick = torch.from_numpy(rng.integers(len(x_train), size=min(args.batch, len(x_train))))
        x = x_train[pick]
        if rng.random() < 0.5:
            x = torch.flip(x, dims=[3])
        logits = model(norm(x))
        loss = sum(F.cross_entropy(out, y_train[pick][:, k], ignore_index=-1) for k, out in enumerate(logits) if (y_train[pick][:, k] >= 0).any())
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        if step % 100 == 0 or step == args.iterations:
            print(f"step {step}/{args.iterations} loss {float(loss):.4f} ({time.time() - started:.0f} s)", flush=True)
    train_seconds = time.time() - started
    model.eval()

    with torch.no_grad():
        test_logits = model(norm(x_test))
    metrics, card_rows = [], []
    for k, head in enumerate(slot["heads"]):
        graded = y_test[:, k] >= 0
        if not graded.any():
            continue
        probs = F.softmax(test_logits[k][graded], dim=1).numpy()
        truth = y_test[:, k][graded].numpy()
        accuracy = float((probs.argmax(1) == truth).mean())
        metrics.append({"dataset": os.path.basename(args.labels), "split": "test patients (held out by patient)", "metric": f"{head['name']} accuracy", "value": round(accuracy, 4), "n": int(graded.sum())})
        row = f"| {head['name']} | {int(graded.sum())} | {accuracy:.3f} |"
        for c, label in enumerate(head["labels"]):
            positives = truth == c
            if positives.any():
                sensitivity = float((probs.argmax(1)[positives] == c).mean())
                metrics.append({"dataset": os.path.basename(args.labels), "split": "test patients (held out by patient)", "metric": f"{head['name']}={label} sensitivity", "value": round(sensitivity, 4), "n": int(positives.sum())})
        if len(head["labels"]) == 2 and 0 < truth.sum() < len(truth):
            head_auc = auc(probs[:, 1], truth)
            metrics.append({"dataset": os.path.basename(args.labels), "split": "test patients (held out by patient)", "metric": f"{head['name']} AUC", "value": round(head_auc, 4), "n": int(graded.sum())})
            row += f" {head_auc:.3f} |"
        else:
            row += " — |"
        card_rows.append(row)
        print(row, flush=True)

    os.makedirs(args.out, exist_ok=True)
    onnx_path = os.path.join(args.out, "model.onnx")
    names = [h["name"] for h in slot["heads"]]
    torch.onnx.export(model, torch.zeros(1, channels, args.size, args.size), onnx_path, opset_version=17, input_names=["image"], output_names=names, dynamic_axes={"image": {0: "batch"}, **{n: {0: "batch"} for n in names}})
    sha = hashlib.sha256(open(onnx_path, "rb").read()).hexdigest()
    self_tests = []
    with torch.no_grad():
        for generator, value in [("constant", 0.5), ("ramp", None), ("checkerboard", None)]:
            x = torch.from_numpy(np.repeat(generated_input(generator, args.size, value)[None, None], channels, axis=1))
            outs = model(x)
            entry = {"generator": generator, **({"value": value} if value is not None else {})}
            self_tests.append({"input": entry, "expect": [{"output": n, "values": [round(float(v), 6) for v in o[0]], "tolerance": 1e-3} for n, o in zip(names, outs)]})
    model_id = args.id or f"{slot['id']}-site"
    manifest = {
        "schema": "neoscope.model-package/1",
        "id": model_id,
        "version": args.version,
        "name": f"{slot['name']} (trained on site data)",
        "sha256": sha,
        "task": "classification",
        "domain": slot["domain"],
        "slot": slot["id"],
        "input": {"name": "image", "height": args.size, "width": args.size, "channels": channels, "colour": "rgb" if channels == 3 else "gray", "scaleTo01": True, "mean": [round(m, 6) for m in mean], "std": [round(s, 6) for s in std], "resize": "letterbox"},
        "outputs": [{"name": h["name"], "kind": "logits", "labels": h["labels"], "activation": "softmax", "calibration": "uncalibrated softmax"} for h in slot["heads"]],
        "saliency": {"methods": ["occlusion", "rise"]},
        "intendedUse": f"Decision support for {slot['name']}; the reader grades and decides. Investigational until validated on this site's prospective data.",
        "intendedUseScope": {"domain": slot["domain"], "outsideUse": "label"},
        "investigational": True,
        "trainingData": f"{len(x_train)} images of {len(patients) - len(test_patients)} patients from {os.path.abspath(args.labels)}.",
        "metrics": metrics or [{"dataset": os.path.basename(args.labels), "split": "test patients (held out by patient)", "metric": "graded test images", "value": 0, "n": 1}],
        "licence": args.licence,
        "selfTest": self_tests,
    }
    card = [
        f"# {manifest['name']} — {model_id} {args.version}",
        "",
        "**Investigational.** Trained by `training.classifier_from_csv` on a site's own labelled images.",
        "",
        f"Slot: `{slot['id']}` ({slot['reference']}).",
        f"Data: {len(rows)} labelled rows from `{os.path.abspath(args.labels)}`; {len(patients)} patients, {len(test_patients)} held out (20 %, seed {args.seed}); {len(x_train)} training and {len(x_test)} test images.",
        "",
        "## Results on the held-out patients",
        "| head | graded test images | accuracy | AUC (two-class) |",
        "|---|---|---|---|",
        *card_rows,
        "",
        "## Training",
        f"Small CNN (4 conv blocks, {sum(p.numel() for p in model.parameters()):,} parameters), input {args.size}×{args.size} {'RGB' if channels == 3 else 'grey'} letterboxed; {args.iterations} iterations of {args.batch}, Adam (lr 2e-3), horizontal flips; {train_seconds / 60:.1f} minutes on {os.cpu_count()} CPU cores ({platform.machine()}), PyTorch {torch.__version__}, exported {datetime.date.today().isoformat()}.",
        "",
        f"Licence: {args.licence}",
    ]
    write_package_text(args.out, manifest, card)
    print(f"package written to {args.out}")


if __name__ == "__main__":
    main()
