"""Turns an int8 candidate written by training.compress.quantise into a new version of the
package it was made from: its model.onnx, and the shipped manifest with the new version,
SHA-256, input size, threshold, held-out metrics and self-test vectors (the int8 graph's own
outputs, computed by onnxruntime-node; WASM agrees with them to 1e-6 on these inputs).

    /usr/bin/python3 -m training.compress.package <shipped package> <candidate folder> --version 0.2.0 --out <package folder>

Refuses a candidate with any held-out number below the shipped version's (measurements.json
"lower" not empty). CARD.md is not written here: the card keeps the shipped version's numbers
beside the new ones, and its other sections stay as they are.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil


def metric_rows(manifest: dict, held_out: list[dict]) -> list[dict]:
    """The shipped manifest's metric list with the candidate's values (same datasets, names, n)."""
    by = {(row["dataset"], key): value for row in held_out for key, value in row.items() if isinstance(value, float)}
    names = {"AUC": "auc", "f1": "f1", "sensitivity": "sensitivity", "specificity": "specificity", "Dice (mean per film)": "dice_mean", "Dice (worst film)": "dice_min"}
    rows = []
    for row in manifest["metrics"]:
        rows.append({**row, "value": round(by[(row["dataset"], names[row["metric"]])], 4)})
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("shipped")
    parser.add_argument("candidate")
    parser.add_argument("--version", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    manifest = json.load(open(os.path.join(args.shipped, "manifest.json"), encoding="utf-8"))
    measured = json.load(open(os.path.join(args.candidate, "measurements.json"), encoding="utf-8"))
    if measured["lower"]:
        raise SystemExit("held-out numbers below the shipped version's: " + "; ".join(measured["lower"]))
    if args.version == manifest["version"]:
        raise SystemExit("an id+version is never replaced: give a new version")
    manifest["version"] = args.version
    manifest["sha256"] = measured["sha256"]
    manifest["input"]["height"] = manifest["input"]["width"] = measured["size"]
    output = manifest["outputs"][0]
    label = output["labels"][0]
    if output["thresholds"][label] != measured["threshold"]:
        output["thresholds"][label] = measured["threshold"]
        output["calibration"] += f"; chosen again for the int8 graph by the same rule: {measured['threshold']}"
    manifest["metrics"] = metric_rows(manifest, measured["held_out"]["int8"])
    manifest["selfTest"] = measured["self_tests"]
    os.makedirs(args.out, exist_ok=True)
    shutil.copyfile(os.path.join(args.candidate, "model.onnx"), os.path.join(args.out, "model.onnx"))
    with open(os.path.join(args.out, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2)
        f.write("\n")
    print(f"{manifest['id']} {manifest['version']} written to {args.out}")


if __name__ == "__main__":
    main()
