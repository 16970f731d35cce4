"""Int8 version of a shipped compact U-Net package (training/retina_vessels/model.py; chest-lungs
uses the same network with 12 base channels), exported as a QDQ ONNX graph by qdq_export.py:
QuantizeLinear/DequantizeLinear pairs around the convolutions, int8 weights per output
channel, uint8 activations, int32 biases. ONNX Runtime (node and WASM) fuses each DQ → Conv → Q
group into QLinearConv when it loads the graph, so the file stays standard ONNX any runtime can
read, and the int8 kernels are chosen by the runtime at hand.

What stays float, and why:
- the first convolution (1 input channel → base channels): with a single input channel the
  int8 kernel's im2col has 9 values per pixel, and on the 512 grid it took 4× the float
  convolution's time; its output is quantised;
- the head (1×1 convolution to one channel, then the sigmoid): its logits decide which pixels
  pass the decision threshold, and the AUC bins the probabilities 4096 ways, so an 8-bit logit
  would cost more accuracy than the 0.05 % of the operations it would save.
Max-pools and concatenations run on uint8; the 2×2 stride-2 transposed convolutions are
rewritten as an int8 1×1 convolution and a pixel shuffle (up_as_conv).

The PyTorch module mirrors the exported graph exactly (the same fake-quantisation at the same
points, biases rounded to the int32 grid), so calibration and quantisation-aware fine-tuning
optimise what ONNX Runtime will compute.
"""
from __future__ import annotations

import numpy as np
import onnx
import torch
import torch.nn.functional as F
from onnx import numpy_helper
from torch import nn


def _weights(path: str) -> tuple[list, dict]:
    graph = onnx.load(path).graph
    return list(graph.node), {i.name: numpy_helper.to_array(i).copy() for i in graph.initializer}


class FoldedUNet(nn.Module):
    """The CompactUNet with its batch norms folded into the convolutions (as in the shipped
    ONNX): 14 3×3 convolutions with bias, 3 transposed convolutions, a 1×1 head."""

    def __init__(self, base: int):
        super().__init__()
        c = [base, base * 2, base * 4, base * 8]
        pairs = [(1, c[0]), (c[0], c[1]), (c[1], c[2]), (c[2], c[3]), (c[3], c[2]), (c[2], c[1]), (c[1], c[0])]
        self.convs = nn.ModuleList()
        for cin, cout in pairs:
            self.convs.append(nn.Conv2d(cin, cout, 3, padding=1))
            self.convs.append(nn.Conv2d(cout, cout, 3, padding=1))
        self.up = nn.ModuleList([nn.ConvTranspose2d(c[3], c[2], 2, stride=2), nn.ConvTranspose2d(c[2], c[1], 2, stride=2), nn.ConvTranspose2d(c[1], c[0], 2, stride=2)])
        self.head = nn.Conv2d(c[0], 1, 1)
        self.base = base

    @classmethod
    def from_package(cls, onnx_path: str) -> "FoldedUNet":
        nodes, weights = _weights(onnx_path)
        convs = [n for n in nodes if n.op_type == "Conv"]
        base = weights[convs[0].input[1]].shape[0]
        model = cls(base)
        assert len(convs) == len(model.convs) + 1, len(convs)
        with torch.no_grad():
            for node, conv in zip(convs, list(model.convs) + [model.head]):
                conv.weight.copy_(torch.from_numpy(weights[node.input[1]]))
                conv.bias.copy_(torch.from_numpy(weights[node.input[2]]))
            ups = [n for n in nodes if n.op_type == "ConvTranspose"]
            for node, up in zip(ups, model.up):
                up.weight.copy_(torch.from_numpy(weights[node.input[1]]))
                up.bias.copy_(torch.from_numpy(weights[node.input[2]]))
        return model.eval()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for level in range(3):
            x = F.relu(self.convs[2 * level + 1](F.relu(self.convs[2 * level](x))))
            skips.append(x)
            x = F.max_pool2d(x, 2)
        x = F.relu(self.convs[7](F.relu(self.convs[6](x))))
        for level, skip in enumerate(reversed(skips)):
            x = torch.cat([self.up[level](x), skip], dim=1)
            x = F.relu(self.convs[9 + 2 * level](F.relu(self.convs[8 + 2 * level](x))))
        return torch.sigmoid(self.head(x))


class ActQuant(nn.Module):
    """Per-tensor uint8 fake-quantisation of an activation. While `observing`, it records a
    sample of the values it sees and passes them through unchanged."""

    def __init__(self):
        super().__init__()
        self.register_buffer("scale", torch.tensor(1.0))
        self.register_buffer("zero_point", torch.tensor(0, dtype=torch.int32))
        self.observing = False
        self.samples: list[torch.Tensor] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.observing:
            flat = x.detach().flatten()
            pick = torch.randint(0, flat.numel(), (min(flat.numel(), 200_000),))
            self.samples.append(flat[pick])
            return x
        return torch.fake_quantize_per_tensor_affine(x, float(self.scale), int(self.zero_point), 0, 255)

    def fix(self, low: float, high: float) -> None:
        low, high = min(low, 0.0), max(high, 1e-6)  # the range must hold 0 exactly (zero padding)
        scale = (high - low) / 255
        self.scale.fill_(scale)
        self.zero_point.fill_(int(np.clip(round(-low / scale), 0, 255)))

    def calibrate(self) -> None:
        """Clip range minimising the mean squared quantisation error on the recorded values."""
        values = torch.cat(self.samples)
        self.samples = []
        low, high = float(values.min()), float(values.max())
        best, best_error = (low, high), float("inf")
        for fraction in np.linspace(0.3, 1.0, 36):
            lo, hi = low * fraction, high * fraction
            self.fix(lo, hi)
            q = torch.fake_quantize_per_tensor_affine(values, float(self.scale), int(self.zero_point), 0, 255)
            error = float(((q - values) ** 2).mean())
            if error < best_error:
                best, best_error = (lo, hi), error
        self.fix(*best)


def weight_scale(weight: torch.Tensor, axis: int) -> torch.Tensor:
    """Symmetric per-channel scale: ±max|w| on ±127 (zero point 0, so no int8 kernel saturates)."""
    dims = [d for d in range(weight.dim()) if d != axis]
    return (weight.detach().abs().amax(dim=dims) / 127).clamp(min=1e-12)


def fq_weight(weight: torch.Tensor, axis: int) -> torch.Tensor:
    scale = weight_scale(weight, axis)
    return torch.fake_quantize_per_channel_affine(weight, scale, torch.zeros_like(scale, dtype=torch.int32), axis, -128, 127)


def fq_bias(bias: torch.Tensor, input_scale: float, w_scale: torch.Tensor) -> torch.Tensor:
    # int32 bias on the accumulator's grid (input scale × weight scale), as QLinearConv adds it;
    # the straight-through estimator keeps it trainable.
    grid = input_scale * w_scale.detach()
    return bias + ((bias / grid).round() * grid - bias).detach()


def up_as_conv(up: nn.ConvTranspose2d) -> tuple[torch.Tensor, torch.Tensor]:
    """A 2×2 stride-2 transposed convolution as a 1×1 convolution to 4× the channels followed by
    a pixel shuffle (ONNX DepthToSpace, CRD): the same function, but ONNX Runtime has an int8
    kernel for it and none for ConvTranspose, which would otherwise run in float between a
    dequantisation and a requantisation."""
    cin, cout = up.weight.shape[:2]
    weight = up.weight.permute(1, 2, 3, 0).reshape(cout * 4, cin, 1, 1)
    return weight, up.bias.repeat_interleave(4)


class QuantisedUNet(nn.Module):
    """The folded U-Net with fake-quantisation wherever the exported QDQ graph quantises.

    float_first: the first convolution runs in float on the float input (see the module
    docstring); False quantises the input too, on its exact range (an 8-bit image, normalised)."""

    def __init__(self, folded: FoldedUNet, mean: float, std: float, float_first: bool = True):
        super().__init__()
        self.net = folded
        self.float_first = float_first
        n = len(folded.convs)
        self.q_input = ActQuant()
        self.q_conv = nn.ModuleList([ActQuant() for _ in range(n)])
        self.q_up = nn.ModuleList([ActQuant() for _ in folded.up])
        self.q_cat = nn.ModuleList([ActQuant() for _ in folded.up])
        # The input is an 8-bit image scaled to 0..1 then normalised: its exact range.
        self.q_input.fix((0 - mean) / std, (1 - mean) / std)
        self.calibrating = False
        self.frozen_mode = False

    def observing(self, on: bool) -> None:
        """On: a float forward in which every activation quantiser records what it sees."""
        self.calibrating = on
        for m in self.modules():
            if isinstance(m, ActQuant) and m is not self.q_input:
                m.observing = on

    def freeze(self, on: bool = True) -> None:
        """For export: weights, their scales and the rounded biases as NumPy-made tensors, which
        the tracer records as constants, so the graph has only QuantizeLinear/DequantizeLinear
        pairs on constant weights (no scale arithmetic for the exporter to leave behind)."""
        self.frozen_mode = on

    def _weight_bias(self, weight: torch.Tensor, bias: torch.Tensor, in_scale: float | None) -> tuple[torch.Tensor, torch.Tensor]:
        """Int8 per-output-channel weight; bias on the int32 grid (in_scale None: kept float)."""
        if not self.frozen_mode:
            w_scale = weight_scale(weight, 0)
            return fq_weight(weight, 0), (bias if in_scale is None else fq_bias(bias, in_scale, w_scale))
        w = weight.detach().numpy().astype(np.float32)
        w_scale = np.maximum(np.abs(w).reshape(len(w), -1).max(axis=1) / 127, 1e-12).astype(np.float32)
        b = bias.detach().numpy().astype(np.float64)
        if in_scale is not None:
            grid = in_scale * w_scale.astype(np.float64)
            b = np.round(b / grid) * grid
        weight_q = torch.fake_quantize_per_channel_affine(torch.from_numpy(w), torch.from_numpy(w_scale), torch.zeros(len(w_scale), dtype=torch.int32), 0, -128, 127)
        return weight_q, torch.from_numpy(b.astype(np.float32))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        net = self.net
        scale = lambda q: float(q.scale)  # noqa: E731

        def conv_relu(i: int, t: torch.Tensor, s_in: float | None) -> tuple[torch.Tensor, float]:
            layer = net.convs[i]
            if self.calibrating or s_in is None:
                t = layer(t)
            else:
                t = F.conv2d(t, *self._weight_bias(layer.weight, layer.bias, s_in), padding=1)
            # ReLU then uint8 with zero point 0: ONNX Runtime folds the ReLU into the requantisation.
            return self.q_conv[i](F.relu(t)), scale(self.q_conv[i])

        if self.float_first:
            s = None
        else:
            x = self.q_input(x)
            s = scale(self.q_input)
        skips = []
        for level in range(3):
            x, s = conv_relu(2 * level, x, s)
            x, s = conv_relu(2 * level + 1, x, s)
            skips.append(x)
            # The same quantisation on both sides of the max-pool: ONNX Runtime pools uint8.
            x = F.max_pool2d(x, 2)
            if not self.calibrating:
                x = self.q_conv[2 * level + 1](x)
        x, s = conv_relu(6, x, s)
        x, s = conv_relu(7, x, s)
        for level, skip in enumerate(reversed(skips)):
            weight, bias = up_as_conv(net.up[level])
            if not self.calibrating:
                weight, bias = self._weight_bias(weight, bias, s)
            u = F.pixel_shuffle(self.q_up[level](F.conv2d(x, weight, bias)), 2)
            if not self.calibrating:
                u = self.q_up[level](u)  # same parameters on both sides: DepthToSpace on uint8
            x = self.q_cat[level](torch.cat([u, skip], dim=1))
            s = scale(self.q_cat[level])
            x, s = conv_relu(8 + 2 * level, x, s)
            x, s = conv_relu(9 + 2 * level, x, s)
        # Float head on the dequantised features (see the module docstring).
        if self.calibrating:
            return torch.sigmoid(net.head(x))
        return torch.sigmoid(F.conv2d(x, *self._weight_bias(net.head.weight, net.head.bias, None)))


def calibrate(model: QuantisedUNet, inputs: list[torch.Tensor]) -> None:
    """Observe the float model's activations on training images, then fix each range."""
    model.observing(True)
    with torch.no_grad():
        for x in inputs:
            model(x)
    model.observing(False)
    for m in model.modules():
        if isinstance(m, ActQuant) and m is not model.q_input:
            m.calibrate()


def flops_and_params(model: FoldedUNet, size: int) -> tuple[int, int]:
    """Multiply-accumulates of the convolutions ×2 (FLOPs) for one size×size image, and parameters."""
    macs = 0
    hooks = []

    def count(module, _inputs, output):
        nonlocal macs
        if isinstance(module, nn.ConvTranspose2d):
            macs += _inputs[0].numel() // _inputs[0].shape[0] * module.out_channels * module.kernel_size[0] * module.kernel_size[1]
        else:
            macs += output.numel() // output.shape[0] * module.in_channels * module.kernel_size[0] * module.kernel_size[1]

    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            hooks.append(m.register_forward_hook(count))
    with torch.no_grad():
        model(torch.zeros(1, 1, size, size))
    for h in hooks:
        h.remove()
    return 2 * macs, sum(p.numel() for p in model.parameters())
