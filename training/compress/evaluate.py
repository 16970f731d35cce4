"""Held-out numbers of a segmentation package as a runtime the workstation uses computes them.

    /usr/bin/python3 -m training.compress.evaluate models/chest-lungs [--engine node|wasm] [--threads 1]

Runs the package's model.onnx with onnxruntime-node or onnxruntime-web (WASM) on its pipeline's
held-out split, at the manifest's input size and threshold, exactly as the card's numbers are
measured (training/retina_vessels/evaluate.py, training/chest_lungs/train.py).
"""
from __future__ import annotations

import argparse
import json
import os

from .ort_node import OrtNodeModel
from .quantise import Pipeline


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("package")
    parser.add_argument("--engine", choices=["node", "wasm"], default="node")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--split", choices=["test", "train"], default="test", help="train: the same numbers on the training images, for judging over-fitting")
    args = parser.parse_args()
    manifest = json.load(open(os.path.join(args.package, "manifest.json"), encoding="utf-8"))
    pipeline = Pipeline(manifest)
    pipeline.at_size(pipeline.shipped_size)
    if args.split == "train":
        pipeline.test = pipeline.train
    engine = OrtNodeModel(os.path.join(args.package, "model.onnx"), threads=args.threads, engine=args.engine)
    print(f"{manifest['id']} {manifest['version']}, {args.engine}, size {pipeline.size}, threshold {pipeline.threshold}, {args.split} split")
    for row in pipeline.held_out(engine):
        print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()}))
    engine.close()


if __name__ == "__main__":
    main()
