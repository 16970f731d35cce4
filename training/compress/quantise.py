"""Int8 (QDQ) version of a shipped compact U-Net package, measured against it.

    /usr/bin/python3 -m training.compress.quantise models/chest-lungs --out /tmp/chest-lungs-int8 [--qat-iterations N] [--threads 1]

Loads the package's float graph, calibrates the activation ranges on its pipeline's training
images (never on the held-out ones), optionally fine-tunes with the quantisation simulated
(quantisation-aware training: BCE toward the float model's own output plus the pipeline's
supervised loss, on the training images only), exports the QDQ graph, and measures both the
shipped and the int8 graph on the held-out split exactly as the card's numbers were measured
(same images, native resolution, same threshold), both run by onnxruntime-node. Writes the int8 model.onnx and
measurements.json (both versions' numbers, the ones where the int8 graph is lower, FLOPs,
parameters, self-test vectors) to --out; training.compress.package turns a candidate into a
package version and refuses one with any lower number.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import time

import numpy as np
import torch
import torch.nn.functional as F

from ..common import prepare_torch
from .ort_node import OrtNodeModel
from .qdq_export import export_qdq, self_tests
from .unet_int8 import FoldedUNet, QuantisedUNet, calibrate, flops_and_params


class Pipeline:
    """What differs between the two segmentation packages: data, held-out metrics, training crops."""

    def __init__(self, manifest: dict, size: int | None = None):
        self.id = manifest["id"]
        self.shipped_size = manifest["input"]["height"]
        self.size = size or self.shipped_size
        self.mean, self.std = manifest["input"]["mean"][0], manifest["input"]["std"][0]
        if self.id == "retina-vessels":
            from ..retina_vessels import data

            self.data = data
            self.threshold = manifest["outputs"][0]["thresholds"]["vessel"]
            train, self.test = data.split(data.list_samples())
            # The threshold-tuning subjects were kept out of the float model's training: keep
            # them out of calibration too, so they stay a fair check of the threshold.
            self.train, self.tune = data.carve_tuning(train)
        elif self.id == "chest-lungs":
            from ..chest_lungs import data

            self.data = data
            self.threshold = manifest["outputs"][0]["thresholds"]["lung"]
            self.train, self.test = data.split(data.list_samples())
            self.tune = []
        else:
            raise SystemExit(f"no pipeline for {self.id}")

    def at_size(self, size: int) -> None:
        """Pre-processing, training images and held-out inference at the input grid `size`."""
        self.size = size
        self.data.INPUT_SIZE = size

    def training_images(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """(image 0..1, target, valid pixels) at the input grid, per training image."""
        return [self.data.prepared(s) for s in self.train]

    def normalise(self, image: np.ndarray) -> torch.Tensor:
        return torch.from_numpy((image - self.mean) / self.std)[None, None].float()

    def held_out(self, model) -> list[dict]:
        """The card's held-out numbers for `model` (a callable on a 1×1×H×W tensor)."""
        if self.id == "retina-vessels":
            from ..retina_vessels.evaluate import pooled, table

            pools = pooled(model, self.test, self.mean, self.std)
            frames = [s for s in self.test if self.data.is_frame(s)]
            pools["VEVIO frames"] = pooled(model, frames, self.mean, self.std)["VEVIO"]
            return [{k: v for k, v in row.items() if k != "accuracy"} for row in table(pools, self.threshold)]
        from ..chest_lungs.train import dice, predict_native

        rows = []
        for dataset in sorted({s.dataset for s in self.test}):
            films = [s for s in self.test if s.dataset == dataset]
            scores = [dice(predict_native(model, s, self.mean, self.std), *self.data.load_mask(s.mask), self.threshold) for s in films]
            rows.append({"dataset": dataset, "images": len(scores), "dice_mean": float(np.mean(scores)), "dice_min": float(np.min(scores)),
                         "per_film": {os.path.basename(s.image): round(score, 4) for s, score in zip(films, scores)}})
        return rows


def not_lower(new: list[dict], old: list[dict]) -> list[str]:
    """Every metric where the new version is below the old one (empty: none)."""
    worse = []
    for n, o in zip(new, old):
        for key, value in o.items():
            # At the card's precision (4 decimals), the precision the old numbers were published at.
            if isinstance(value, float) and round(n[key], 4) < round(value, 4):
                worse.append(f"{o['dataset']} {key} {n[key]:.4f} < {value:.4f}")
    return worse


def affine(tensors: list[torch.Tensor], rng: np.random.Generator) -> list[torch.Tensor]:
    """The chest pipeline's geometric augmentation (rotation ±10°, scale 0.85–1.15, shift
    ±8 %), the same warp for the film, its soft and manual targets and its valid pixels; no
    flips, since a chest film is not left-right symmetric."""
    angle, scale = math.radians(rng.uniform(-10, 10)), rng.uniform(0.85, 1.15)
    theta = torch.tensor([[math.cos(angle) / scale, -math.sin(angle) / scale, rng.uniform(-0.08, 0.08)],
                          [math.sin(angle) / scale, math.cos(angle) / scale, rng.uniform(-0.08, 0.08)]], dtype=torch.float32)[None]
    grid = F.affine_grid(theta, list(tensors[0].shape), align_corners=False)
    return [F.grid_sample(t, grid, align_corners=False, padding_mode="zeros" if i < 3 else "border") for i, t in enumerate(tensors)]


def crops(images, rng, batch: int, crop: int, size: int):
    """Random crops (with rotations and flips) of the training images at the input grid."""
    xs, ys, vs = [], [], []
    for _ in range(batch):
        image, target, valid = images[int(rng.integers(len(images)))]
        top, left = rng.integers(0, size - crop + 1, size=2)
        k, flip = int(rng.integers(4)), bool(rng.integers(2))
        patch = []
        for a in (image, target, valid):
            p = np.rot90(a[top : top + crop, left : left + crop], k)
            patch.append(np.ascontiguousarray(np.fliplr(p) if flip else p))
        xs.append(patch[0])
        ys.append(patch[1])
        vs.append(patch[2])
    t = lambda a: torch.from_numpy(np.stack(a)[:, None]).float()  # noqa: E731
    return t(xs), t(ys), t(vs)


def fine_tune(model: QuantisedUNet, teacher: FoldedUNet, pipeline: Pipeline, images, args) -> None:
    """Quantisation-aware fine-tuning: the float model's output as soft target (so the int8
    graph keeps its behaviour, threshold included) plus the manual labels (so rounding errors
    are corrected toward the truth, not only toward the float model)."""
    rng = np.random.default_rng(args.seed)
    optimiser = torch.optim.Adam(model.net.parameters(), lr=args.lr)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=args.lr, total_steps=args.qat_iterations)
    started = time.time()
    if pipeline.id == "chest-lungs":
        # Whole films, as the chest pipeline trains; the float model's map comes from the film at
        # its own input grid, resized to the student's (which may be coarser).
        films = [(torch.from_numpy(image)[None, None].float(), torch.from_numpy(soft)[None, None], torch.from_numpy(y)[None, None], torch.from_numpy(v)[None, None]) for (image, y, v), soft in zip(images, teacher_maps(teacher, pipeline))]
    if args.objective == "package":
        from ..retina_vessels import infant

        fit_images = pipeline.training_images()
        weights = infant.sampling_weights(pipeline.train)
        flags = [pipeline.data.is_frame(s) for s in pipeline.train]
    for step in range(1, args.qat_iterations + 1):
        if args.objective == "package":
            # retina-vessels 0.2.0's own objective (infant frames drawn more often, their vessels
            # weighted 16×, infant-like augmentation) beside the float model's output.
            x, y, fov, is_infant = infant.random_batch(fit_images, weights, rng, 8, 128, pipeline.mean, pipeline.std, photometric=0.5, infant=flags)
            with torch.no_grad():
                soft = teacher(x)
            prob = model(x).clamp(1e-6, 1 - 1e-6)
            loss = F.binary_cross_entropy(prob, soft) + args.label_weight * infant.loss_fn(prob, y, fov, pos_weight=1.5, infant=is_infant, infant_pos_weight=15.0)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            schedule.step()
            if step % 50 == 0 or step == args.qat_iterations:
                print(f"qat step {step}/{args.qat_iterations} loss {loss.item():.4f} ({time.time() - started:.0f} s)", flush=True)
            continue
        if pipeline.id == "chest-lungs":
            picked = [affine(list(films[int(rng.integers(len(films)))]), rng) for _ in range(args.batch)]
            x, soft, y, v = (torch.cat([p[i] for p in picked]) for i in range(4))
            x, y = (x - pipeline.mean) / pipeline.std, (y > 0.5).float()
        else:
            x, y, v = crops(images, rng, args.batch, args.crop, pipeline.size)
            x = (x - pipeline.mean) / pipeline.std
            with torch.no_grad():
                soft = teacher(x)
        prob = model(x).clamp(1e-6, 1 - 1e-6)
        # Manual labels inside the valid pixels (retina: the field of view), vessel pixels weighted
        # as the package's own training weighted them.
        # Pixels the float model puts near the decision threshold weigh more: there a small shift
        # changes the thresholded map, and with it F1, sensitivity and specificity.
        near = 1 + args.boundary_weight * torch.exp(-(((soft - pipeline.threshold) / 0.1) ** 2))
        loss = F.binary_cross_entropy(prob, soft, weight=near) + args.label_weight * F.binary_cross_entropy(prob, y, weight=v * (1 + args.label_pos_weight * y))
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
        schedule.step()
        if step % 50 == 0 or step == args.qat_iterations:
            print(f"qat step {step}/{args.qat_iterations} loss {loss.item():.4f} ({time.time() - started:.0f} s)", flush=True)


def teacher_maps(teacher: FoldedUNet, pipeline: Pipeline) -> list[np.ndarray]:
    """The float model's probability map of each training film at its own grid, area-resized
    to the student's input grid."""
    size = pipeline.size
    pipeline.at_size(pipeline.shipped_size)
    maps = []
    with torch.no_grad():
        for image, _, _ in pipeline.training_images():
            prob = teacher(pipeline.normalise(image))
            maps.append(F.interpolate(prob, size=(size, size), mode="area")[0, 0].numpy() if size != pipeline.shipped_size else prob[0, 0].numpy())
    pipeline.at_size(size)
    return maps


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("package", help="the shipped package folder (float graph)")
    parser.add_argument("--out", required=True, help="folder for the int8 candidate (model.onnx, measurements.json)")
    parser.add_argument("--size", type=int, default=None, help="input grid of the int8 model (default: the package's); a coarser grid needs --qat-iterations")
    parser.add_argument("--qat-iterations", type=int, default=0, help="quantisation-aware fine-tuning steps (0: calibration only)")
    parser.add_argument("--lr", type=float, default=5e-5)
    parser.add_argument("--batch", type=int, default=4)
    parser.add_argument("--crop", type=int, default=192)
    parser.add_argument("--label-weight", type=float, default=0.5, help="weight of the manual labels beside the float model's output")
    parser.add_argument("--objective", choices=["distil", "package"], default="distil", help="distil: the float model's output plus --label-weight × BCE on the labels; package (retina-vessels): plus --label-weight × the 0.2.0 fine-tune's own loss and sampling")
    parser.add_argument("--retune-threshold", action="store_true", help="retina-vessels: choose the threshold again on the threshold-tuning subjects (the 0.2.0 rule), with the int8 graph")
    parser.add_argument("--boundary-weight", type=float, default=0.0, help="extra weight of pixels the float model scores near the threshold")
    parser.add_argument("--label-pos-weight", type=float, default=0.0, help="extra weight of positive pixels in the label term (retina-vessels 0.2.0 trained with 1.5)")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for PyTorch and ONNX Runtime (the cores are shared)")
    parser.add_argument("--seed", type=int, default=20261130)
    args = parser.parse_args()
    prepare_torch(args.seed)
    torch.set_num_threads(args.threads)
    started = time.time()

    manifest = json.load(open(os.path.join(args.package, "manifest.json"), encoding="utf-8"))
    pipeline = Pipeline(manifest)
    pipeline.at_size(args.size or pipeline.shipped_size)
    float_path = os.path.join(args.package, "model.onnx")
    teacher = FoldedUNet.from_package(float_path)
    student = QuantisedUNet(FoldedUNet.from_package(float_path), pipeline.mean, pipeline.std)
    images = pipeline.training_images()
    calibrate(student, [pipeline.normalise(image) for image, _, _ in images])
    print(f"calibrated on {len(images)} training images ({time.time() - started:.0f} s)", flush=True)
    if args.qat_iterations:
        student.net.train()
        fine_tune(student, teacher, pipeline, images, args)
    student.eval()

    os.makedirs(args.out, exist_ok=True)
    int8_path = os.path.join(args.out, "model.onnx")
    sha = export_qdq(student, int8_path, pipeline.size)
    flops, params = flops_and_params(student.net, pipeline.size)

    if args.retune_threshold and pipeline.tune:
        from ..retina_vessels.evaluate import pooled
        from ..retina_vessels.infant import choose_threshold

        engine = OrtNodeModel(int8_path, threads=args.threads)
        threshold, scores = choose_threshold(pooled(engine, pipeline.tune, pipeline.mean, pipeline.std))
        engine.close()
        print(f"threshold on the tuning subjects: {threshold} (mean F1 {scores[threshold]:.4f}; shipped {pipeline.threshold}, mean F1 there {scores.get(pipeline.threshold, float('nan')):.4f})", flush=True)
    runs = {}
    for name, path in (("float", float_path), ("int8", int8_path)):
        if args.retune_threshold and name == "int8":
            pipeline.threshold = threshold
        pipeline.at_size(pipeline.shipped_size if name == "float" else args.size or pipeline.shipped_size)
        engine = OrtNodeModel(path, threads=args.threads)
        runs[name] = pipeline.held_out(engine)
        if name == "int8":
            tests = self_tests(engine, pipeline.size)
            x = pipeline.normalise(images[0][0])
            with torch.no_grad():
                agreement = float((student(x) - engine(x)).abs().max())
        engine.close()
        for row in runs[name]:
            print(name, json.dumps(row), flush=True)
    worse = not_lower(runs["int8"], runs["float"])
    summary = {
        "package": f"{manifest['id']} {manifest['version']}", "size": pipeline.size, "sha256": sha, "flops": flops, "parameters": params,
        "held_out": runs, "lower": worse, "self_tests": tests,
        "max_abs_difference_fake_quant_vs_onnxruntime_on_a_training_image": agreement,
        "threshold": pipeline.threshold, "calibration_images": len(images), "qat_iterations": args.qat_iterations, "seconds": round(time.time() - started),
    }
    json.dump(summary, open(os.path.join(args.out, "measurements.json"), "w"), indent=2)
    print("lower than the shipped version: " + ("; ".join(worse) if worse else "none"))
    print(f"written {args.out} ({time.time() - started:.0f} s)")


if __name__ == "__main__":
    main()
