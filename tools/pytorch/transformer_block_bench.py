#!/usr/bin/env python3
"""Times one nanoGPT transformer block, forward and backward, at B 16, T 64, C 128 (4 heads).

PyTorch's side of bench's TransformerBlockBench: nanoGPT's Block (layer norm, causal self-attention
written out with masked_fill and softmax, residual, layer norm, exact-GELU MLP, residual), biases on,
dropout 0, float32. Each run zeroes the gradients, runs the block on x (requires_grad, as between two
blocks of a model) and back-propagates a fixed seed. Prints the median of many runs, in ms, at 1 and
2 threads.

Usage:  /usr/bin/python3 tools/pytorch/transformer_block_bench.py [RUNS]   (default 200)
"""
import math
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

B, T, C, HEADS = 16, 64, 128, 4


class CausalSelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.c_attn = nn.Linear(C, 3 * C)
        self.c_proj = nn.Linear(C, C)
        self.register_buffer("mask", torch.tril(torch.ones(T, T, dtype=torch.bool)))

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(x).split(c, dim=2)
        q = q.view(b, t, HEADS, c // HEADS).transpose(1, 2)
        k = k.view(b, t, HEADS, c // HEADS).transpose(1, 2)
        v = v.view(b, t, HEADS, c // HEADS).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(k.size(-1)))
        att = att.masked_fill(~self.mask[:t, :t], float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(b, t, c)
        return self.c_proj(y)


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1 = nn.LayerNorm(C)
        self.attn = CausalSelfAttention()
        self.ln_2 = nn.LayerNorm(C)
        self.c_fc = nn.Linear(C, 4 * C)
        self.c_proj = nn.Linear(4 * C, C)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.c_proj(F.gelu(self.c_fc(self.ln_2(x))))


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    torch.manual_seed(42)
    block = Block()
    x = torch.randn(B, T, C, requires_grad=True)
    seed = torch.randn(B, T, C)
    print(f"torch {torch.__version__}, B {B}, T {T}, C {C}, {HEADS} heads, {runs} runs after {runs // 5} warm-up")
    for threads in (1, 2):
        torch.set_num_threads(threads)
        times = []
        for i in range(runs + runs // 5):
            start = time.perf_counter()
            block.zero_grad(set_to_none=True)
            x.grad = None
            block(x).backward(seed)
            if i >= runs // 5:
                times.append(time.perf_counter() - start)
        times.sort()
        print(f"threads {threads}: median {1e3 * statistics.median(times):.3f} ms, "
              f"quartiles {1e3 * times[len(times) // 4]:.3f} to {1e3 * times[3 * len(times) // 4]:.3f} ms")


if __name__ == "__main__":
    main()
