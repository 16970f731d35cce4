"""ROC AUC (exact, ties half), a child-level bootstrap CI, Wilson intervals and the
validation threshold rule."""
from __future__ import annotations

import math

import numpy as np


def auc(scores: np.ndarray, truth: np.ndarray) -> float:
    """Mann–Whitney: probability a random positive outscores a random negative (ties ½)."""
    order = np.argsort(scores, kind="mergesort")
    s = scores[order]
    ranks = np.empty(len(s), np.float64)
    i = 0
    while i < len(s):  # average ranks of tied scores
        j = i
        while j + 1 < len(s) and s[j + 1] == s[i]:
            j += 1
        ranks[i : j + 1] = (i + j) / 2 + 1
        i = j + 1
    r = np.empty(len(s), np.float64)
    r[order] = ranks
    pos, neg = int((truth == 1).sum()), int((truth == 0).sum())
    return float((r[truth == 1].sum() - pos * (pos + 1) / 2) / (pos * neg))


def bootstrap_auc_ci(scores: np.ndarray, truth: np.ndarray, children: list[str], resamples: int = 2000, seed: int = 20261123) -> tuple[float, float]:
    """Percentile 95 % CI of the AUC, resampling children (all of a child's films together)."""
    ids = sorted(set(children))
    index = {c: k for k, c in enumerate(ids)}
    groups = [[] for _ in ids]
    for i, c in enumerate(children):
        groups[index[c]].append(i)
    groups = [np.array(g) for g in groups]
    rng = np.random.default_rng(seed)
    values = []
    for _ in range(resamples):
        pick = np.concatenate([groups[k] for k in rng.integers(len(groups), size=len(groups))])
        t = truth[pick]
        if 0 < t.sum() < len(t):
            values.append(auc(scores[pick], t))
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    if n == 0:
        return 0.0, 1.0
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def confusion(probabilities: np.ndarray, truth: np.ndarray, threshold: float) -> dict:
    predicted = probabilities >= threshold
    return {
        "tp": int(np.sum(predicted & (truth == 1))), "fn": int(np.sum(~predicted & (truth == 1))),
        "tn": int(np.sum(~predicted & (truth == 0))), "fp": int(np.sum(predicted & (truth == 0))),
    }


def youden_threshold(probabilities: np.ndarray, truth: np.ndarray) -> float:
    """The probability threshold maximising sensitivity + specificity − 1 (Youden's J) on
    these data; the lowest such cut wins ties, and the threshold is put midway between the
    cut's score and the next lower score, so it does not sit exactly on one film's score."""
    candidates = np.unique(probabilities)
    best, best_j = 0.5, -1.0
    pos, neg = max(1, int((truth == 1).sum())), max(1, int((truth == 0).sum()))
    for k, t in enumerate(candidates):
        c = confusion(probabilities, truth, t)
        j = c["tp"] / pos + c["tn"] / neg - 1
        if j > best_j + 1e-12:
            best_j = j
            best = float((t + candidates[k - 1]) / 2) if k > 0 else float(t)
    return best
