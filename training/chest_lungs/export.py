"""Writes the chest-lungs package: model.onnx (opset 17), manifest.json (schema
neoscope.model-package/1, self-test vectors computed from this model) and CARD.md."""
from __future__ import annotations

import datetime
import os
import platform

import torch

from ..common import export_segmentation_onnx, write_package_text
from . import data

MODEL_ID = "chest-lungs"
VERSION = "0.1.0"


def export_package(model, out: str, *, base: int, mean: float, std: float, threshold: float, metrics: list, per_image: list, train: list, test: list, train_dice: float, train_seconds: float, iterations: int, batch: int, smoke: bool) -> None:
    size = data.INPUT_SIZE
    sha, self_tests = export_segmentation_onnx(model, out, size)

    manifest = {
        "schema": "neoscope.model-package/1",
        "id": MODEL_ID,
        "version": VERSION,
        "name": "Lung field segmentation on chest radiographs (compact U-Net)",
        "sha256": sha,
        "task": "segmentation",
        "domain": "chest",
        "input": {"name": "image", "height": size, "width": size, "channels": 1, "colour": "gray", "scaleTo01": True, "mean": [round(mean, 6)], "std": [round(std, 6)], "resize": "letterbox"},
        "outputs": [{"name": "probability_map", "kind": "probability-map", "labels": ["lung"], "activation": "none", "thresholds": {"lung": threshold}, "calibration": "uncalibrated; 0.5 fixed before testing"}],
        "saliency": {"methods": ["probability-map"]},
        "measurements": ["cardiothoracic-ratio"],
        "intendedUse": "Measurement support: lung fields from which the thoracic width and an estimate of the cardiothoracic ratio are computed for the reader to check. Trained on adult films only; investigational, not a diagnosis.",
        "intendedUseScope": {"domain": "chest", "modality": ["CR", "DX"], "view": ["AP", "PA"], "age": {"measure": "chronologicalDays", "min": 6574}, "outsideUse": "label"},
        "investigational": True,
        "trainingData": "Adult chest radiographs with manual lung masks: V7/Hannover COVID-19 (AP supine and PA), Montgomery and Shenzhen (NLM TB sets); training patients only. See CARD.md.",
        "metrics": [
            {"dataset": row["dataset"], "split": "test patients (held out by patient)", "metric": name, "value": round(row[key], 4), "n": row["images"]}
            for row in metrics for name, key in (("Dice (mean per film)", "dice_mean"), ("Dice (worst film)", "dice_min"))
        ],
        "licence": "Weights derived from V7 lung masks (CC BY 4.0) on Hannover images (CC BY 3.0), Montgomery (unverified) and Shenzhen masks (CC BY-NC-SA 4.0): non-commercial evaluation only until confirmed.",
        "selfTest": self_tests,
    }

    params = sum(p.numel() for p in model.parameters())
    lines = [
        f"# {manifest['name']} — {MODEL_ID} {VERSION}",
        "",
        "**Investigational. Measurement support, not a diagnosis. Trained on adult films only.**" + (" (SMOKE RUN: not a usable model)" if smoke else ""),
        "",
        "## Model",
        f"Compact U-Net (the retina-vessels architecture), 4 levels, {base} base channels, {params:,} parameters; input the grey display rendering letterboxed to {size}×{size}, scaled to 0..1 and normalised (mean {mean:.4f}, std {std:.4f} over the training films); output a lung probability map; decision threshold {threshold} (fixed before testing).",
        "",
        "## Data and split",
        "Films with manual lung masks from `../shared/data/cxr` (see its MANIFEST.tsv): V7 Darwin masks on Hannover COVID-19 films (16 AP supine ICU films with lines and tubes, 16 PA; \"ignore\" regions excluded), Montgomery and Shenzhen (NLM). Patients are split 70/30 per dataset with seed 20261123 (several films of one Hannover patient stay together). The held-out pairs listed in HELDOUT.tsv were never in this repository.",
        "",
        "| dataset | train films | test films |",
        "|---|---|---|",
    ]
    for dataset in sorted({s.dataset for s in train + test}):
        lines.append(f"| {dataset} | {sum(s.dataset == dataset for s in train)} | {sum(s.dataset == dataset for s in test)} |")
    lines += [
        "",
        "## Results on the held-out patients",
        "Dice of the thresholded map against the manual mask at each film's native resolution.",
        "",
        "| dataset | films | mean Dice | worst film |",
        "|---|---|---|---|",
    ]
    for row in metrics:
        lines.append(f"| {row['dataset']} | {row['images']} | {row['dice_mean']:.4f} | {row['dice_min']:.4f} |")
    lines += ["", "Per film: " + ", ".join(f"{d}:{name} {score:.4f}" for d, name, score in per_image) + ".",
              "", f"Mean Dice on the training films: {train_dice:.4f} (for judging over-fitting).",
              "",
              "Published lung segmenters reach Dice ≈ 0.95–0.97 on Montgomery/Shenzhen/JSRT with hundreds of training films; this model saw very few, so its figures carry wide uncertainty.",
              "",
              "## Training",
              f"{iterations} iterations of {batch} whole films with random rotation (±10°), scale (0.85–1.15), shift (±8 %), gamma (0.7–1.4) and contrast (0.8–1.2); Adam, one-cycle schedule (max lr 3e-3), BCE + Dice over valid pixels; {train_seconds / 60:.1f} minutes on {os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}), PyTorch {torch.__version__}, exported {datetime.date.today().isoformat()}.",
              "",
              "Reproduce: `/usr/bin/python3 -m training.chest_lungs.train --out models/chest-lungs` (needs `apt-get install -y python3-torch python3-onnx python3-pil`).",
              "",
              "## Limits",
              "No neonatal or infant film with masks was available: infants' lungs are smaller relative to the film, the thymus widens the mediastinum, and films include abdomen and arms. Expect worse borders on neonatal films and check them. The V7 masks (most of the training films) draw the lungs behind the heart, and the model learned that: its medial lung border is the mediastinum, not the heart. The cardiothoracic ratio the workstation derives (core/measurements/cardiothoracic-ratio.ts) therefore takes the thoracic width from the outer lung borders and finds the heart borders as the edge of the heart shadow inside the lung fields (Otsu threshold of the film's grey levels there). On the one film with an independent heart outline (CheXmask example, a model's outline) it gives 0.447 against 0.467; it is an estimate for the reader to check and adjust, not a heart segmentation."]
    write_package_text(out, manifest, lines)
