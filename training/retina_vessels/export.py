"""Writes the model package: model.onnx (opset 17), manifest.json (schema
neoscope.model-package/1, with self-test vectors computed from this model) and CARD.md."""
from __future__ import annotations

import datetime
import os
import platform

import torch

from ..common import export_segmentation_onnx, write_package_text
from . import data

# The measurement section of the card: how the workstation derives plus-disease metrics from
# this map (core/measurements/vascular) and how far their validation goes.
VASCULAR_SECTION = open(os.path.join(os.path.dirname(__file__), "vascular-card.md"), encoding="utf-8").read()

MODEL_ID = "retina-vessels"
VERSION = "0.1.0"


def vessel_manifest(*, version: str, sha: str, size: int, mean: float, std: float, threshold: float, calibration: str, metrics: list, self_tests: list) -> dict:
    """The package manifest every retina-vessels version shares; only its numbers differ."""
    metric_rows = []
    for row in metrics:
        for name in ("auc", "f1", "sensitivity", "specificity"):
            metric_rows.append({"dataset": row["dataset"], "split": "test subjects (held out by subject)", "metric": name.upper() if name == "auc" else name, "value": round(row[name], 4), "n": row["images"]})
    return {
        "schema": "neoscope.model-package/1",
        "id": MODEL_ID,
        "version": version,
        "name": "Retinal vessel segmentation (compact U-Net)",
        "sha256": sha,
        "task": "segmentation",
        "domain": "retina",
        "input": {"name": "image", "height": size, "width": size, "channels": 1, "colour": "green-channel", "scaleTo01": True, "mean": [round(mean, 6)], "std": [round(std, 6)], "resize": "letterbox"},
        "outputs": [{"name": "probability_map", "kind": "probability-map", "labels": ["vessel"], "activation": "none", "thresholds": {"vessel": round(threshold, 3)}, "calibration": calibration}],
        "saliency": {"methods": ["probability-map"]},
        "measurements": ["retinal-vascular-metrics"],
        "intendedUse": "Measurement support: a vessel map from which plus-disease vascular metrics are computed. Not a diagnosis; investigational.",
        "intendedUseScope": {"domain": "retina", "outsideUse": "label"},
        "investigational": True,
        "trainingData": "CHASE_DB1 (children), DRIVE (adults), VEVIO (infant video ophthalmoscopy), AV-WIDE (wide-field); training subjects only. See CARD.md.",
        "metrics": metric_rows,
        "licence": "Weights derived from CHASE_DB1 (CC BY 4.0) and from DRIVE, VEVIO and AV-WIDE, whose licences are unverified: internal evaluation only until confirmed.",
        "selfTest": self_tests,
    }


def export_package(model, out: str, *, mean: float, std: float, threshold: float, metrics: list, train: list, test: list, train_seconds: float, iterations: int, smoke: bool) -> None:
    size = data.INPUT_SIZE
    sha, self_tests = export_segmentation_onnx(model, out, size)

    manifest = vessel_manifest(version=VERSION, sha=sha, size=size, mean=mean, std=std, threshold=threshold, calibration="uncalibrated; threshold chosen for best F1 on the training images", metrics=metrics, self_tests=self_tests)

    params = sum(p.numel() for p in model.parameters())
    lines = [
        f"# {manifest['name']} — {MODEL_ID} {VERSION}",
        "",
        "**Investigational. Measurement support, not a diagnosis.**" + (" (SMOKE RUN: not a usable model)" if smoke else ""),
        "",
        "## Model",
        f"Compact U-Net, 4 levels, 16 base channels, {params:,} parameters; input the green channel letterboxed to {size}×{size}, scaled to 0..1 and normalised (mean {mean:.4f}, std {std:.4f} over training pixels inside the field of view); output a vessel probability map; decision threshold {threshold:.3f} (best F1 on the training images).",
        "",
        "## Data and split",
        "Images with manual vessel annotations from `../shared/data/retina` (see its MANIFEST.tsv): CHASE_DB1 first observer, DRIVE `manual1`, VEVIO, AV-WIDE. Subjects are split 70/30 per dataset with seed 20261123 (both eyes of a CHASE child, and the frame and mosaic of a VEVIO infant, stay together).",
        "",
        "| dataset | train images | test images |",
        "|---|---|---|",
    ]
    for dataset in sorted({s.dataset for s in train + test}):
        lines.append(f"| {dataset} | {sum(s.dataset == dataset for s in train)} | {sum(s.dataset == dataset for s in test)} |")
    lines += [
        "",
        f"Test subjects: {', '.join(sorted(f'{s.dataset}:{os.path.basename(s.image)}' for s in test))}.",
        "",
        "## Results on the held-out subjects",
        "Pixels inside the field of view (published mask for DRIVE and VEVIO; red channel > 20 for CHASE_DB1 and AV-WIDE), at each image's native resolution, threshold fixed before testing.",
        "",
        "| dataset | images | AUC | F1 (Dice) | sensitivity | specificity |",
        "|---|---|---|---|---|---|",
    ]
    for row in metrics:
        lines.append(f"| {row['dataset']} | {row['images']} | {row['auc']:.4f} | {row['f1']:.4f} | {row['sensitivity']:.4f} | {row['specificity']:.4f} |")
    lines += [
        "",
        "For comparison, compact U-Nets published on CHASE_DB1 reach F1 ≈ 0.80 and AUC ≈ 0.98 on its standard split (last 8 images as test); that split is not the one above (the last 8 CHASE images are held out of this repository for blind evaluation), so the numbers are indicative only. A peer baseline (orobix retina-unet, trained on DRIVE) evaluated on this same split is in PEER-BASELINE.md: on CHASE_DB1 it reaches AUC 0.934 / F1 0.691 even rescaled to DRIVE's calibre, on VEVIO 0.873 / 0.533.",
        "",
        VASCULAR_SECTION.rstrip("\n"),
        "",
        "## Training",
        f"{iterations} iterations of 8 random 128×128 crops (two thirds mostly inside the field of view, one third anywhere; rotations, flips), Adam with a one-cycle schedule (max lr 2e-3), vessel-weighted BCE over every pixel + Dice inside the field of view; {train_seconds / 60:.1f} minutes on {os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}), PyTorch {torch.__version__}, exported {datetime.date.today().isoformat()}.",
        "",
        "Reproduce: `/usr/bin/python3 -m training.retina_vessels.train --out models/retina-vessels` (needs `apt-get install -y python3-torch python3-onnx python3-pil`).",
        "",
        "## Limits",
        "Very few infant images (VEVIO) and no premature-infant fundus with annotations; wide-field RetCam images of preterm infants differ in field, focus and pigmentation. Licences of DRIVE, VEVIO and AV-WIDE are unverified.",
    ]
    write_package_text(out, manifest, lines)
