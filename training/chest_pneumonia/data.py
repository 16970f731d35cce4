"""Kermany et al. (Cell 2018) paediatric chest films, 224×224 copies in ../shared/data.

Layout: ../shared/data/cxr/kermany-pediatric-224/{train,test}/{NORMAL,PNEUMONIA}/*.jpeg.
The films were stretched to 224×224 (the manifest's resize is "stretch"); they are grey
films stored as RGB JPEGs and read here as luma ("L", ITU-R BT.601, as the workstation's
pre-processing does), scaled to 0..1.

Child id from the file name: personN_bacteria_M / personN_virus_M → personN;
IM-xxxx-yyyy → IM-xxxx; NORMAL2-IM-xxxx-yyyy → NORMAL2-IM-xxxx (xxxx is the patient).
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass

import numpy as np
from PIL import Image

from ..retina_vessels.data import DATA_ROOT

ROOT = os.path.join(DATA_ROOT, "cxr", "kermany-pediatric-224")
INPUT_SIZE = 224
CLASSES = ("NORMAL", "PNEUMONIA")


@dataclass
class Sample:
    path: str
    child: str
    label: int  # 1 = pneumonia


def child_id(name: str) -> str:
    match = re.match(r"(person\d+)_", name) or re.match(r"((?:NORMAL2-)?IM-\d+)-", name)
    if not match:
        raise ValueError(f"no child id in {name}")
    return match.group(1)


def list_split(split: str) -> list[Sample]:
    samples = []
    for label, cls in enumerate(CLASSES):
        folder = os.path.join(ROOT, split, cls)
        for name in sorted(os.listdir(folder)):
            if name.lower().endswith((".jpeg", ".jpg", ".png")):
                samples.append(Sample(os.path.join(folder, name), child_id(name), label))
    return samples


def split_validation(samples: list[Sample], fraction: float = 0.15, seed: int = 20261123) -> tuple[list[Sample], list[Sample]]:
    """Children (not films) to validation, ~fraction of the children of each class (no child
    has films in both classes here; a child's films stay together), fixed seed."""
    rng = np.random.default_rng(seed)
    held: set[str] = set()
    for label in (0, 1):
        children = sorted({s.child for s in samples if s.label == label})
        rng.shuffle(children)
        held.update(children[: round(len(children) * fraction)])
    return [s for s in samples if s.child not in held], [s for s in samples if s.child in held]


def load_gray(path: str) -> np.ndarray:
    """uint8 H×W luma, stretched to INPUT_SIZE if the file is not already that size."""
    image = Image.open(path).convert("L")
    if image.size != (INPUT_SIZE, INPUT_SIZE):
        image = image.resize((INPUT_SIZE, INPUT_SIZE), Image.BOX)
    return np.asarray(image, dtype=np.uint8)


def load_stack(samples: list[Sample]) -> tuple[np.ndarray, np.ndarray]:
    """(N×1×H×W uint8, N labels)."""
    images = np.stack([load_gray(s.path) for s in samples])[:, None] if samples else np.zeros((0, 1, INPUT_SIZE, INPUT_SIZE), np.uint8)
    return images, np.array([s.label for s in samples], dtype=np.int64)
