"""Vessel segmentation metrics inside the field of view, as the DRIVE/CHASE literature reports them."""
import numpy as np


def auc(probabilities: np.ndarray, truth: np.ndarray, bins: int = 4096) -> float:
    """ROC AUC from a fine histogram of scores (exact up to ties within 1/4096)."""
    index = np.clip((probabilities * (bins - 1)).round().astype(np.int64), 0, bins - 1)
    positives = np.bincount(index[truth == 1], minlength=bins).astype(np.float64)
    negatives = np.bincount(index[truth == 0], minlength=bins).astype(np.float64)
    # Probability that a random vessel pixel outscores a random background pixel (ties count half).
    negatives_below = np.cumsum(negatives) - negatives
    wins = (positives * (negatives_below + 0.5 * negatives)).sum()
    return float(wins / max(1.0, positives.sum() * negatives.sum()))


def at_threshold(probabilities: np.ndarray, truth: np.ndarray, threshold: float) -> dict:
    predicted = probabilities >= threshold
    tp = float(np.sum(predicted & (truth == 1)))
    fp = float(np.sum(predicted & (truth == 0)))
    fn = float(np.sum(~predicted & (truth == 1)))
    tn = float(np.sum(~predicted & (truth == 0)))
    return {
        "f1": 2 * tp / max(1.0, 2 * tp + fp + fn),
        "sensitivity": tp / max(1.0, tp + fn),
        "specificity": tn / max(1.0, tn + fp),
        "accuracy": (tp + tn) / max(1.0, tp + tn + fp + fn),
    }


def best_threshold(probabilities: np.ndarray, truth: np.ndarray) -> float:
    candidates = np.linspace(0.2, 0.8, 25)
    return float(max(candidates, key=lambda t: at_threshold(probabilities, truth, t)["f1"]))
