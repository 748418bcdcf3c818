# The Florence-2-base vision tower (DaViT [128, 256, 512, 1024] / [1, 1, 9, 1], window 12, 768 px, then the image
# projection) and language encoder (6 post-LN layers, d_model 768, 12 heads, ffn 3072; on 593 tokens, and on 305,
# 161 and 89 as avg_pool f=2/4/8 at stage 0 leaves them) written in plain PyTorch with random weights, to time the
# reference's framework on this machine:
# PyTorch 1.13 eager, OpenBLAS (OpenMP), 2 threads, batch 1. It follows the structure of Microsoft's DaViT (the same
# layers and matrix shapes as ai.vtc.florence2.vision, so the same FLOPs); it is not their code.
#   apt-get install python3-torch libopenblas0-openmp libjemalloc2
#   LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libjemalloc.so.2 /usr/bin/python3 florence2/bench/reference-davit.py [reps]
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

torch.set_num_threads(2)
DIMS, DEPTHS, HEADS, WINDOW = (128, 256, 512, 1024), (1, 1, 9, 1), (4, 8, 16, 32), 12


class ConvPosEnc(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.dw = nn.Conv2d(dim, dim, 3, 1, 1, groups=dim)

    def forward(self, x, h, w):
        b, n, c = x.shape
        return x + self.dw(x.transpose(1, 2).view(b, c, h, w)).flatten(2).transpose(1, 2)


class Mlp(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.norm, self.fc1, self.fc2 = nn.LayerNorm(dim), nn.Linear(dim, 4 * dim), nn.Linear(4 * dim, dim)

    def forward(self, x):
        return x + self.fc2(F.gelu(self.fc1(self.norm(x))))


class WindowAttention(nn.Module):
    def __init__(self, dim, heads):
        super().__init__()
        self.heads, self.norm = heads, nn.LayerNorm(dim)
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)

    def forward(self, x, h, w):
        b, n, c = x.shape
        y = self.norm(x).view(b, h, w, c)
        pr, pb = (WINDOW - w % WINDOW) % WINDOW, (WINDOW - h % WINDOW) % WINDOW
        y = F.pad(y, (0, 0, 0, pr, 0, pb))
        hp, wp = h + pb, w + pr
        y = y.view(b, hp // WINDOW, WINDOW, wp // WINDOW, WINDOW, c).permute(0, 1, 3, 2, 4, 5)
        y = y.reshape(-1, WINDOW * WINDOW, c)
        qkv = self.qkv(y).reshape(y.shape[0], -1, 3, self.heads, c // self.heads).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * (c // self.heads) ** -0.5, qkv[1], qkv[2]
        y = ((q @ k.transpose(-2, -1)).softmax(dim=-1) @ v).transpose(1, 2).reshape(-1, WINDOW * WINDOW, c)
        y = self.proj(y).view(b, hp // WINDOW, wp // WINDOW, WINDOW, WINDOW, c).permute(0, 1, 3, 2, 4, 5)
        y = y.reshape(b, hp, wp, c)[:, :h, :w, :].reshape(b, n, c)
        return x + y


class ChannelAttention(nn.Module):
    def __init__(self, dim, groups):
        super().__init__()
        self.groups, self.norm = groups, nn.LayerNorm(dim)
        self.qkv, self.proj = nn.Linear(dim, 3 * dim), nn.Linear(dim, dim)

    def forward(self, x):
        b, n, c = x.shape
        qkv = self.qkv(self.norm(x)).reshape(b, n, 3, self.groups, c // self.groups).permute(2, 0, 3, 1, 4)
        q, k, v = qkv[0] * n ** -0.5, qkv[1], qkv[2]
        attn = (q.transpose(-1, -2) @ k).softmax(dim=-1)
        y = (attn @ v.transpose(-1, -2)).transpose(-1, -2).transpose(1, 2).reshape(b, n, c)
        return x + self.proj(y)


class Stage(nn.Module):
    def __init__(self, i):
        super().__init__()
        dim, self.first = DIMS[i], i == 0
        self.conv = nn.Conv2d(3, dim, 7, 4, 3) if self.first else nn.Conv2d(DIMS[i - 1], dim, 3, 2, 1)
        self.norm = nn.LayerNorm(dim if self.first else DIMS[i - 1])
        self.blocks = nn.ModuleList()
        for _ in range(DEPTHS[i]):
            self.blocks.append(nn.ModuleList([
                ConvPosEnc(dim), WindowAttention(dim, HEADS[i]), ConvPosEnc(dim), Mlp(dim),
                ConvPosEnc(dim), ChannelAttention(dim, HEADS[i]), ConvPosEnc(dim), Mlp(dim)]))

    def forward(self, x, h, w):
        if self.first:
            x = self.conv(x)
        else:
            b, n, c = x.shape
            x = self.conv(self.norm(x).transpose(1, 2).view(b, c, h, w))
        h, w = x.shape[2], x.shape[3]
        x = x.flatten(2).transpose(1, 2)
        if self.first:
            x = self.norm(x)
        for cpe1, wa, cpe2, mlp1, cpe3, ca, cpe4, mlp2 in self.blocks:
            x = mlp1(cpe2(wa(cpe1(x, h, w), h, w), h, w))
            x = mlp2(cpe4(ca(cpe3(x, h, w)), h, w))
        return x, h, w


class VisionTower(nn.Module):
    def __init__(self):
        super().__init__()
        self.stages = nn.ModuleList(Stage(i) for i in range(4))
        self.pos = nn.Parameter(torch.zeros(1, 576, 1024))
        self.projection = nn.Parameter(torch.randn(1024, 768) * 0.02)
        self.proj_norm = nn.LayerNorm(768)

    def forward(self, pixels):
        x, h, w = pixels, pixels.shape[2], pixels.shape[3]
        for stage in self.stages:
            x, h, w = stage(x, h, w)
        x = x + self.pos
        x = torch.cat([x.mean(dim=1, keepdim=True), x], dim=1)
        return self.proj_norm(x @ self.projection)


class EncoderLayer(nn.Module):
    def __init__(self, d=768, heads=12, ffn=3072):
        super().__init__()
        self.heads = heads
        self.q, self.k, self.v, self.o = (nn.Linear(d, d) for _ in range(4))
        self.norm1, self.norm2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.fc1, self.fc2 = nn.Linear(d, ffn), nn.Linear(ffn, d)

    def forward(self, x):
        b, n, d = x.shape
        split = lambda t: t.view(b, n, self.heads, d // self.heads).transpose(1, 2)
        q, k, v = split(self.q(x) * (d // self.heads) ** -0.5), split(self.k(x)), split(self.v(x))
        y = ((q @ k.transpose(-1, -2)).softmax(dim=-1) @ v).transpose(1, 2).reshape(b, n, d)
        x = self.norm1(x + self.o(y))
        return self.norm2(x + self.fc2(F.gelu(self.fc1(x))))


def median_seconds(body, reps):
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        body()
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2], [round(t, 3) for t in times]


reps = int(sys.argv[1]) if len(sys.argv) > 1 else 3
encoder = nn.Sequential(*(EncoderLayer() for _ in range(6))).eval()
with torch.no_grad():
    for tokens in (593, 305, 161, 89):
        x = torch.randn(1, tokens, 768)
        encoder(x)
        print("language encoder on %d tokens: median %.3f s of %s" % ((tokens,) + median_seconds(lambda: encoder(x), 7)))
model = VisionTower().eval()
pixels = torch.randn(1, 3, 768, 768)
with torch.no_grad():
    print("torch", torch.__version__, "threads", torch.get_num_threads(), "features", tuple(model(pixels).shape))
    times = []
    for _ in range(reps):
        start = time.perf_counter()
        model(pixels)
        times.append(time.perf_counter() - start)
times.sort()
print("vision tower + projection, batch 1, 768 px: median %.3f s of %s" % (times[len(times) // 2], [round(t, 3) for t in times]))
