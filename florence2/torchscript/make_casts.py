"""Writes the TorchScript modules that Autocast uses to cast tensors (florence2/src/main/resources/.../nn/cast-*.pt).

DJL 0.36's own NDArray.toType cannot serve autocast: it runs under a no-grad guard (a cast would cut the autograd
graph) and has no bfloat16. A scripted `x.to(dtype)` run through DJL's module call does both. One module per target
type, each a forward of one line, so the files are a few kB and readable (`unzip -p cast-bf16.pt '*/code/*'`).

Run with any PyTorch (Debian's python3-torch 1.13 made the committed files; libtorch 2.x loads them):
    /usr/bin/python3 florence2/torchscript/make_casts.py florence2/src/main/resources/ai/vtc/florence2/nn
"""
import sys

import torch


class ToBFloat16(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)


class ToFloat16(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.float16)


class ToFloat32(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.float32)


if __name__ == "__main__":
    out = sys.argv[1]
    for name, module in (("bf16", ToBFloat16()), ("fp16", ToFloat16()), ("fp32", ToFloat32())):
        torch.jit.save(torch.jit.script(module), f"{out}/cast-{name}.pt")
