"""Retinal images with manual vessel annotations from ../shared/data/retina, split by subject.

Pre-processing mirrors the workstation's (core/inference/portable/preprocess.ts): the green
channel, letterboxed into a square of INPUT_SIZE pixels with area averaging, scaled to 0..1,
then normalised with the training set's mean and standard deviation.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..common import split_by_subject

INPUT_SIZE = 512
DATA_ROOT = os.environ.get("NEOSCOPE_SHARED_DATA", os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "data"))


@dataclass
class Sample:
    dataset: str
    subject: str
    image: str
    vessels: str
    fov: str | None


def _retina(*parts: str) -> str:
    return os.path.join(DATA_ROOT, "retina", *parts)


def list_samples() -> list[Sample]:
    samples: list[Sample] = []
    for name in sorted(os.listdir(_retina("CHASE_DB1", "images"))):
        stem = name[:-4]
        # Image_07L / Image_07R: the two eyes of child 07 are one subject.
        samples.append(Sample("CHASE_DB1", stem[6:8], _retina("CHASE_DB1", "images", name), _retina("CHASE_DB1", "vessels", f"{stem}_1stHO.png"), None))
    for name in sorted(os.listdir(_retina("DRIVE", "images"))):
        number = name.split("_")[0]
        samples.append(Sample("DRIVE", number, _retina("DRIVE", "images", name), _retina("DRIVE", "vessels", f"{number}_manual1.gif"), _retina("DRIVE", "fov", f"{number}_mask.gif")))
    for name in sorted(os.listdir(_retina("VEVIO", "images"))):
        stem = name[:-4]
        subject = re.match(r"neo(\d+)", stem).group(1)  # frame (_d) and mosaic (_m) of one infant
        samples.append(Sample("VEVIO", subject, _retina("VEVIO", "images", name), _retina("VEVIO", "vessels", f"bw_{stem}_black.png"), _retina("VEVIO", "fov", f"mask_{stem}.png")))
    for name in sorted(os.listdir(_retina("AV-WIDE", "images"))):
        stem = name[:-4]
        samples.append(Sample("AV-WIDE", stem[-2:], _retina("AV-WIDE", "images", name), _retina("AV-WIDE", "vessels", f"{stem}_vessels.png"), None))
    return samples


split = split_by_subject  # both eyes / all films of one subject stay on one side

def load_green(path: str) -> np.ndarray:
    image = Image.open(path).convert("RGB")
    return np.asarray(image, dtype=np.float32)[:, :, 1]


def load_mask(path: str) -> np.ndarray:
    return (np.asarray(Image.open(path).convert("L"), dtype=np.uint8) > 127).astype(np.uint8)


def field_of_view(sample: Sample) -> np.ndarray:
    if sample.fov:
        return load_mask(sample.fov)
    # No FOV mask published: the camera's dark surround is below 20 in the red channel.
    red = np.asarray(Image.open(sample.image).convert("RGB"), dtype=np.uint8)[:, :, 0]
    return (red > 20).astype(np.uint8)


def letterbox_geometry(width: int, height: int, size: int = INPUT_SIZE) -> tuple[float, int, int, int, int]:
    scale = min(size / width, size / height)
    new_w, new_h = round(width * scale), round(height * scale)
    return scale, new_w, new_h, (size - new_w) // 2, (size - new_h) // 2


def letterbox(array: np.ndarray, size: int = INPUT_SIZE, resample=Image.BOX) -> np.ndarray:
    """Area-averaged resize into a size×size square, centred, black padding."""
    height, width = array.shape
    _, new_w, new_h, left, top = letterbox_geometry(width, height, size)
    image = Image.fromarray(array.astype(np.float32), mode="F").resize((new_w, new_h), resample)
    out = np.zeros((size, size), dtype=np.float32)
    out[top : top + new_h, left : left + new_w] = np.asarray(image)
    return out


def prepared(sample: Sample) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(green 0..1, vessel mask, FOV) letterboxed to the model's input size."""
    green = letterbox(load_green(sample.image)) / 255.0
    vessels = (letterbox(load_mask(sample.vessels).astype(np.float32)) >= 0.5).astype(np.float32)
    fov = (letterbox(field_of_view(sample).astype(np.float32)) >= 0.5).astype(np.float32)
    return green, vessels, fov


# Training subjects held back (per dataset) to choose the decision threshold on images the
# model never trained on; the held-out test subjects above are never touched.
TUNING_SUBJECTS = {"CHASE_DB1": 1, "DRIVE": 1, "VEVIO": 2, "AV-WIDE": 0}


def carve_tuning(train: list[Sample], counts: dict[str, int] = TUNING_SUBJECTS, seed: int = 20261207) -> tuple[list[Sample], list[Sample]]:
    """(fit, tune) from the training samples, by subject, with a fixed seed."""
    rng = np.random.default_rng(seed)
    fit, tune = [], []
    for dataset in sorted({s.dataset for s in train}):
        subjects = sorted({s.subject for s in train if s.dataset == dataset})
        rng.shuffle(subjects)
        n = counts.get(dataset, 0) if len(subjects) > counts.get(dataset, 0) else 0
        chosen = set(subjects[:n])
        for s in train:
            if s.dataset == dataset:
                (tune if s.subject in chosen else fit).append(s)
    return fit, tune


def is_frame(sample: Sample) -> bool:
    """A single VEVIO video frame (…_d.png, 640×480), as opposed to a mosaic of frames."""
    return sample.dataset == "VEVIO" and sample.image.endswith("_d.png")
