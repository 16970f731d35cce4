"""Chest X-rays with lung masks from ../shared/data/cxr, split by patient.

Pre-processing mirrors the workstation's (core/inference/portable/preprocess.ts): the
grey luma of the 8-bit display rendering, letterboxed into a square of INPUT_SIZE pixels
with area averaging, scaled to 0..1, then normalised with the training set's mean and std.

Mask conventions: V7 (Hannover COVID-19) 255 = lung, 127 = "ignore" (devices, markup;
excluded from the loss and from the metrics); Montgomery binary; Shenzhen anti-aliased
0..255 (threshold 128). All three exclude the heart and mediastinum from the lung.
"""
from __future__ import annotations

import csv
import os
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..common import split_by_subject

from ..retina_vessels.data import DATA_ROOT, letterbox, letterbox_geometry  # noqa: F401 (re-exported)

INPUT_SIZE = 256


@dataclass
class Sample:
    dataset: str
    subject: str
    image: str
    mask: str


def _cxr(*parts: str) -> str:
    return os.path.join(DATA_ROOT, "cxr", *parts)


def _v7_patients() -> dict[str, str]:
    """Image stem → patient id, from the ieee8023 metadata vendored beside the images
    (several films of one patient must stay on one side of the split)."""
    patients = {}
    with open(_cxr("V7-COVID19-Hannover", "metadata.ieee8023.csv"), newline="") as f:
        for row in csv.DictReader(f):
            stem = os.path.splitext(row["filename"])[0]
            patients[stem] = row["patientid"]
    return patients


def list_samples() -> list[Sample]:
    samples: list[Sample] = []
    patients = _v7_patients()
    for name in sorted(os.listdir(_cxr("V7-COVID19-Hannover", "images"))):
        stem = name[:-4]
        samples.append(Sample("V7-Hannover", patients.get(stem, stem), _cxr("V7-COVID19-Hannover", "images", name), _cxr("V7-COVID19-Hannover", "masks", f"{stem}.png")))
    for name in sorted(os.listdir(_cxr("Montgomery-imlab", "images"))):
        stem = name[:-4]
        samples.append(Sample("Montgomery", stem, _cxr("Montgomery-imlab", "images", name), _cxr("Montgomery-imlab", "masks", f"{stem}.png")))
    for name in sorted(os.listdir(_cxr("Shenzhen-pegasus", "images"))):
        stem = name[:-4]
        samples.append(Sample("Shenzhen", stem, _cxr("Shenzhen-pegasus", "images", name), _cxr("Shenzhen-pegasus", "masks", name)))
    return samples


split = split_by_subject  # both eyes / all films of one subject stay on one side

def load_gray(path: str) -> np.ndarray:
    return np.asarray(Image.open(path).convert("L"), dtype=np.float32)


def load_mask(path: str) -> tuple[np.ndarray, np.ndarray]:
    """(lung 0/1, valid 0/1): valid is 0 where the annotator marked a region to ignore."""
    raw = np.asarray(Image.open(path).convert("L"), dtype=np.uint8)
    if "V7-COVID19-Hannover" in path:
        return (raw == 255).astype(np.uint8), (raw != 127).astype(np.uint8)
    return (raw >= 128).astype(np.uint8), np.ones_like(raw, dtype=np.uint8)


def prepared(sample: Sample) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(grey 0..1, lung mask, valid mask) letterboxed to the model's input size."""
    gray = letterbox(load_gray(sample.image), INPUT_SIZE) / 255.0
    lung, valid = load_mask(sample.mask)
    lung_s = (letterbox(lung.astype(np.float32), INPUT_SIZE) >= 0.5).astype(np.float32)
    # The letterbox padding is valid background; only annotated "ignore" pixels drop out.
    valid_s = 1.0 - (letterbox(1.0 - valid.astype(np.float32), INPUT_SIZE) > 0).astype(np.float32)
    return gray, lung_s, valid_s
