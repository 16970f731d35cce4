"""A compact CNN whose last conv block (after ReLU, 14×14) is the CAM feature map, then
global average pooling and one linear unit: CAM = Σc w_c·F_c is exact (Zhou et al. 2016)."""
from __future__ import annotations

import torch
from torch import nn


def conv_bn_relu(cin: int, cout: int, stride: int = 1) -> list[nn.Module]:
    return [nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True)]


class CamNet(nn.Module):
    """224 → stride-2 stem (16 ch, 112) → 24 ch, pool (56) → 32 ch, pool (28) → 64, 64 ch,
    pool (14) → 96, 128 ch = features [N,128,14,14] → GAP → Linear(128, 1) = logits [N,1]."""

    def __init__(self) -> None:
        super().__init__()
        self.body = nn.Sequential(
            *conv_bn_relu(1, 16, stride=2),
            *conv_bn_relu(16, 24), nn.MaxPool2d(2),
            *conv_bn_relu(24, 32), nn.MaxPool2d(2),
            *conv_bn_relu(32, 64), *conv_bn_relu(64, 64), nn.MaxPool2d(2),
            *conv_bn_relu(64, 96), *conv_bn_relu(96, 128),
        )
        self.fc = nn.Linear(128, 1)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        features = self.body(x)
        return self.fc(features.mean(dim=(2, 3))), features


def count_macs(model: nn.Module, size: int) -> int:
    """Multiply-accumulates of the convolutions and the linear head for one size×size image."""
    total = 0

    def conv_hook(module, _inputs, output):
        nonlocal total
        total += output.numel() // output.shape[0] * (module.in_channels // module.groups) * module.kernel_size[0] * module.kernel_size[1]

    def linear_hook(module, _inputs, output):
        nonlocal total
        total += module.in_features * module.out_features

    hooks = [m.register_forward_hook(conv_hook) for m in model.modules() if isinstance(m, nn.Conv2d)]
    hooks += [m.register_forward_hook(linear_hook) for m in model.modules() if isinstance(m, nn.Linear)]
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 1, size, size))
    model.train(was_training)
    for h in hooks:
        h.remove()
    return total
