"""Writes the chest-pneumonia package: model.onnx (opset 17; input "image", outputs "logits"
and "features"), manifest.json (schema neoscope.model-package/1, CAM head weights, self-test
vectors computed from this model), CARD.md and training-log.txt."""
from __future__ import annotations

import datetime
import hashlib
import os
import platform

import numpy as np
import onnx
import torch

from ..common import generated_input, write_package_text
from . import data, stats
from .model import count_macs

MODEL_ID = "chest-pneumonia"
VERSION = "0.1.0"
TEST_DATASET = "Kermany pediatric (official test split)"
TEST_SPLIT = "official test split (children not used for training or tuning)"
VAL_SPLIT = "train children held out for validation"


def export_onnx(model, out: str, size: int) -> tuple[str, list]:
    """model.onnx in eval mode, dynamic batch, checked by onnx.checker; returns its SHA-256
    and self-test vectors. The loader (core/inference/portable/self-test.ts) feeds the
    generated 0..1 input to the ONNX model as it is (no mean/std normalisation), so the
    expected values are the model's outputs for exactly that tensor."""
    model.eval()
    path = os.path.join(out, "model.onnx")
    torch.onnx.export(
        model, torch.zeros(1, 1, size, size), path, opset_version=17,
        input_names=["image"], output_names=["logits", "features"],
        dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}, "features": {0: "batch"}},
    )
    onnx.checker.check_model(onnx.load(path))
    sha = hashlib.sha256(open(path, "rb").read()).hexdigest()
    self_tests = []
    with torch.no_grad():
        for generator, value in [("constant", 0.5), ("ramp", None), ("checkerboard", None)]:
            logits, features = model(torch.from_numpy(generated_input(generator, size, value))[None, None])
            entry = {"generator": generator, **({"value": value} if value is not None else {})}
            self_tests.append({"input": entry, "expect": [
                {"output": "logits", "values": [round(float(logits[0, 0]), 6)], "tolerance": 1e-3},
                {"output": "features", "mean": round(float(features.mean()), 6), "tolerance": 1e-3},
            ]})
    return sha, self_tests


def _count(samples: list, label: int) -> tuple[int, int]:
    chosen = [s for s in samples if s.label == label]
    return len(chosen), len({s.child for s in chosen})


def export_package(model, out: str, *, mean: float, std: float, threshold: float, val_auc: float, best_epoch: int, result: dict, val_confusion: dict,
                   train: list, val: list, test: list, train_seconds: float, epochs: int, batch: int, lr: float, pos_weight: float, seed: int, smoke: bool,
                   log_lines: list[str]) -> None:
    size = data.INPUT_SIZE
    os.makedirs(out, exist_ok=True)
    sha, self_tests = export_onnx(model, out, size)
    params = sum(p.numel() for p in model.parameters())
    macs = count_macs(model, size)
    head = [round(float(w), 7) for w in model.fc.weight[0].detach()]

    tp, fn, tn, fp = result["tp"], result["fn"], result["tn"], result["fp"]
    n_pos, n_neg, n = tp + fn, tn + fp, tp + fn + tn + fp
    sens, spec, acc = tp / max(1, n_pos), tn / max(1, n_neg), (tp + tn) / max(1, n)
    sens_ci, spec_ci, acc_ci = stats.wilson(tp, n_pos), stats.wilson(tn, n_neg), stats.wilson(tp + tn, n)
    auc_low, auc_high = result["auc_ci"]
    metric = lambda name, value, count, split=TEST_SPLIT, dataset=TEST_DATASET: {"dataset": dataset, "split": split, "metric": name, "value": round(float(value), 4), "n": max(1, int(count))}
    metrics = [
        metric("ROC AUC", result["auc"], n),
        metric("ROC AUC 95% CI low (bootstrap by child, 2000 resamples)", auc_low, n),
        metric("ROC AUC 95% CI high (bootstrap by child, 2000 resamples)", auc_high, n),
        metric(f"sensitivity at threshold {threshold:.4f}", sens, n_pos),
        metric("sensitivity 95% CI low (Wilson)", sens_ci[0], n_pos),
        metric("sensitivity 95% CI high (Wilson)", sens_ci[1], n_pos),
        metric(f"specificity at threshold {threshold:.4f}", spec, n_neg),
        metric("specificity 95% CI low (Wilson)", spec_ci[0], n_neg),
        metric("specificity 95% CI high (Wilson)", spec_ci[1], n_neg),
        metric(f"accuracy at threshold {threshold:.4f}", acc, n),
        metric("ROC AUC", val_auc, len(val), split=VAL_SPLIT, dataset="Kermany pediatric (official train split)"),
    ]
    calibration = f"Scores are not calibrated. Threshold {threshold:.4f} = Youden's J (max sensitivity + specificity − 1) on the validation children held out of the official training split; the test split was not used to choose it."
    manifest = {
        "schema": "neoscope.model-package/1",
        "id": MODEL_ID,
        "version": VERSION,
        "name": "Pneumonia on paediatric chest films, children 1–5 years (compact CNN with CAM)",
        "sha256": sha,
        "task": "classification",
        "domain": "chest",
        "input": {"name": "image", "height": size, "width": size, "channels": 1, "colour": "gray", "scaleTo01": True, "mean": [round(mean, 6)], "std": [round(std, 6)], "resize": "stretch"},
        "outputs": [
            {"name": "logits", "kind": "logits", "labels": ["pneumonia"], "activation": "sigmoid", "thresholds": {"pneumonia": round(threshold, 6)}, "calibration": calibration},
            {"name": "features", "kind": "features", "activation": "none"},
        ],
        "saliency": {"methods": ["cam", "occlusion", "rise"], "cam": {"featuresOutput": "features", "targetOutput": "logits", "headWeights": [head]}},
        "intendedUse": "Frontal chest films of children aged 1–5 years (Guangzhou Women and Children's Medical Center cohort): normal vs pneumonia. NOT validated on neonates or preterm infants, whose films are outside its intended use. Investigational: it assists a reader and is not a diagnosis.",
        "intendedUseScope": {"domain": "chest", "modality": ["CR", "DX"], "view": ["AP"], "age": {"measure": "chronologicalDays", "min": 365, "max": 2190}, "outsideUse": "label"},
        "investigational": True,
        "trainingData": f"Kermany et al. 2018 paediatric chest films (anterior-posterior, children 1–5 years, Guangzhou), official training split at 224×224: {len(train)} films of {len({s.child for s in train})} children for training, {len(val)} films of {len({s.child for s in val})} children held out for validation (split by child). See CARD.md.",
        "metrics": metrics,
        "licence": "Weights derived from data under CC BY 4.0: Kermany D, Zhang K, Goldbaum M (2018), Labeled Optical Coherence Tomography (OCT) and Chest X-Ray Images for Classification, Mendeley Data v2, doi:10.17632/rscbjbr9sj.2; Kermany et al., Cell 2018, doi:10.1016/j.cell.2018.02.010. Attribute them when redistributing.",
        "selfTest": self_tests,
    }

    rows = []
    for name, samples in (("training", train), ("validation (held-out children)", val), ("official test", test)):
        (nf, nc), (pf, pc) = _count(samples, 0), _count(samples, 1)
        rows.append(f"| {name} | {nf} films / {nc} children | {pf} films / {pc} children | {nf + pf} / {nc + pc} |")
    vc = val_confusion
    val_spec = vc["tn"] / max(1, vc["tn"] + vc["fp"])
    lines = [
        f"# {manifest['name']} — {MODEL_ID} {VERSION}",
        "",
        "**Investigational. Assists a reader; not a diagnosis. For children aged 1–5 years — NOT for neonates or preterm infants.**" + (" (SMOKE RUN: not a usable model)" if smoke else ""),
        "",
        "## Who it is for",
        "Frontal (AP) chest films of children aged 1–5 years, as in the Guangzhou cohort it learned from: it scores normal vs pneumonia (bacterial and viral together) and shows where it looked (class activation map). The workstation's own population — neonates, many preterm, with lines, tubes, a large thymus and respiratory-distress or BPD patterns — is **outside its intended use**: it was never shown a neonatal film and its numbers say nothing about them.",
        "",
        "## Data and split",
        "Kermany et al. (Cell 2018, doi:10.1016/j.cell.2018.02.010; data doi:10.17632/rscbjbr9sj.2, CC BY 4.0), the 224×224 copies in `../shared/data/cxr/kermany-pediatric-224` (films stretched to 224×224; read as grey luma). Child id from the file name (`personN_…` → `personN`, `IM-xxxx-yyyy` → `IM-xxxx`, `NORMAL2-IM-xxxx-yyyy` → `NORMAL2-IM-xxxx`). The official training split was divided by child: 15 % of the normal children and 15 % of the pneumonia children (seed 20261123) held out for validation (epoch choice and threshold). The official test split was scored once, at the end.",
        "",
        "| split | normal | pneumonia | total |",
        "|---|---|---|---|",
        *rows,
        "",
        "## Model",
        f"Compact CNN, {params:,} parameters, {macs / 1e6:.1f} M multiply-accumulates ({2 * macs / 1e6:.0f} M FLOPs) per 224×224 film: conv3×3-BN-ReLU blocks — stride-2 stem 16 ch (112²), 24 ch + max-pool (56²), 32 ch + max-pool (28²), 64, 64 ch + max-pool (14²), 96, 128 ch — whose last block (after ReLU, 128×14×14) is the `features` output; global average pooling → Linear(128, 1) → `logits` (sigmoid = P(pneumonia)). Nothing lies between the pooling and the linear unit, so the CAM Σc w_c·F_c (weights in the manifest) is exact. Input: grey 224×224, scaled to 0..1, normalised with the training films' mean {mean:.4f} and std {std:.4f}.",
        "",
        "## Results on the official test split (624 films, scored once)",
        f"- ROC AUC **{result['auc']:.4f}** (95 % CI {auc_low:.4f}–{auc_high:.4f}, percentile bootstrap resampling children, 2000 resamples, seed {seed})",
        f"- at the validation-chosen threshold {threshold:.4f}: sensitivity **{sens:.4f}** (Wilson 95 % CI {sens_ci[0]:.4f}–{sens_ci[1]:.4f}, n = {n_pos}), specificity **{spec:.4f}** ({spec_ci[0]:.4f}–{spec_ci[1]:.4f}, n = {n_neg}), accuracy **{acc:.4f}** ({acc_ci[0]:.4f}–{acc_ci[1]:.4f}, n = {n})",
        "",
        "| | predicted pneumonia | predicted normal |",
        "|---|---|---|",
        f"| pneumonia ({n_pos}) | {tp} | {fn} |",
        f"| normal ({n_neg}) | {fp} | {tn} |",
        "",
        f"Wilson intervals treat films as independent; {len(test) - len({s.child for s in test})} test films share a child with another test film, so they are slightly too narrow. The AUC interval resamples children.",
        "",
        f"Validation (held-out training children, {len(val)} films): AUC {val_auc:.4f} at epoch {best_epoch}; at the threshold sensitivity {vc['tp'] / max(1, vc['tp'] + vc['fn']):.4f}, specificity {val_spec:.4f}.",
        "",
        *([f"The threshold did not transfer: on the validation children (drawn from the training split) normal films score near 0, so Youden's J put the cut at {threshold:.4f}; on the official test split {fp} of {n_neg} normal films score above it, hence the low test specificity. The AUC shows the ranking holds up better than the cut; a site should choose its operating point on its own films.", ""] if val_spec - spec > 0.1 else []),
        "### Threshold",
        f"{threshold:.4f} on P(pneumonia): Youden's J (the cut maximising sensitivity + specificity − 1) on the validation children, midway between the two validation scores it separates. Chosen before the test split was scored; the scores are not calibrated probabilities.",
        "",
        "### Compared with the publication",
        "Kermany et al. 2018 report accuracy 92.8 %, sensitivity 93.2 %, specificity 90.1 % and AUC 0.968 on the same test split, by transfer learning (ImageNet Inception V3) on the full-size films. This model is ~100× smaller, trained from scratch on 224×224 copies on two CPU cores.",
        "",
        "## Training",
        f"{epochs} epochs of batches of {batch} (every training film once per epoch), AdamW (weight decay 1e-4), one-cycle schedule (max lr {lr:g}), BCE with logits with pos_weight {pos_weight:.3f} (normal/pneumonia films) to balance the classes; augmentation: rotation ±7°, scale 0.92–1.08, shift ±5 %, gamma 0.85–1.18, contrast 0.85–1.15, brightness ±0.06; no flips. The epoch with the best validation AUC was kept ({best_epoch}). {train_seconds / 60:.1f} minutes on {os.cpu_count()} CPU cores ({platform.processor() or platform.machine()}, shared with other work), PyTorch {torch.__version__}, exported {datetime.date.today().isoformat()}. Per-epoch loss and validation AUC: `training-log.txt`.",
        "",
        "Reproduce: `/usr/bin/python3 -m training.chest_pneumonia.train --out models/chest-pneumonia` (needs `apt-get install -y python3-torch python3-onnx python3-pil`; fixed seeds, but multi-threaded CPU arithmetic may change the last digits).",
        "",
        "## Class activation maps",
        "Checked on the 0.1.0 weights with `neoscope analyze` (CAM) and the `chest-lungs` package's lung masks on every sixth official test film (65 pneumonia, 39 normal): on pneumonia films the CAM's mass inside the lung masks (median 0.33, IQR 0.24–0.38) is no more than the lungs' share of the film (0.31), and inside the band from one outer lung border to the other (lungs and mediastinum) 0.59 against an area of 0.48. The maps mostly light the cardiac silhouette and the lower zones, sometimes the film's lateral edge. They show where this model looked, not where the pneumonia is, and do not localise consolidation. (chest-lungs learned from adult films; its masks on these children's films are approximate.)",
        "",
        "## Known weaknesses",
        "- Population: one hospital, children 1–5 years, AP films; never validated on neonates, preterm infants, older children, adults, or other hospitals' equipment. Neonatal findings (RDS, TTN, BPD, lines and tubes) were never seen.",
        "- Labels: film-level normal/pneumonia from the dataset (bacterial and viral pooled); the original grading was by physicians, with known label noise in this dataset.",
        "- The Kermany test split differs from its training split (test normal films are harder: models trained on this set typically lose specificity on it). Validation children come from the training split, so the validation numbers are optimistic against the test numbers.",
        "- Child identity comes from file names only. 170 `personN` numbers occur in both the official training and test folders, but with different image numbers, and their films are no more alike than films of unrelated children (median best 32×32 correlation 0.79 vs 0.82 for 80 numbers checked; no near-duplicate), so the numbering looks per-folder; the official split was used as published.",
        "- Shortcut risk: pneumonia films and normal films in this dataset differ in ways other than pathology (exposure, markers, positioning, age); the CAM helps a reader see whether the model looked at the lungs.",
        "- 224×224 input: fine interstitial patterns are lost; scores are uncalibrated.",
    ]
    write_package_text(out, manifest, lines)
    with open(os.path.join(out, "training-log.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(log_lines) + "\n")
