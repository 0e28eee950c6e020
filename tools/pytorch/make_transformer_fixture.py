#!/usr/bin/env python3
"""Writes the fixture that the char-transformer example is checked against.

The model is nanoGPT's GPT in the shape of its shakespeare_char configuration, made small: 2 layers,
4 heads, 64 wide, a block of 32 characters, biases on, dropout 0, the token embedding tied to the
output layer. It is written out here from the GPT-2 equations (not imported from nanoGPT), in float32:

    x = wte[idx] + wpe[0..T)
    per block:  x = x + proj(causal_self_attention(ln_1(x)))
                x = x + mlp_proj(gelu(mlp_fc(ln_2(x))))          gelu: the exact erf form
    logits = ln_f(x) @ wte^T
    loss = mean cross-entropy of the next character

Initial weights follow nanoGPT: every Linear weight and both embeddings ~ N(0, 0.02), the two
residual projections of each block ~ N(0, 0.02 / sqrt(2 * layers)), biases 0, layer norms 1 and 0.
Training is 20 steps of AdamW (lr 1e-3, betas (0.9, 0.99), eps 1e-8, weight decay 0.1 on the
tensors of rank 2 and none on biases and layer norms, as nanoGPT's configure_optimizers), the
gradient's global norm clipped to 1 before each step.

The output, a safetensors file (float32 only, which is all Tapegrad reads), holds:
    the initial weights under nanoGPT's state_dict names (the tied lm_head weight is wte's),
    "batches.x" and "batches.y":   (steps, batch, block) character indices, as floats (exact below 2^24),
    "losses":                      (steps,) the loss of each step before its update,
and its metadata the configuration.

Usage:  /usr/bin/python3 tools/pytorch/make_transformer_fixture.py OUT.safetensors
(needs torch; Debian's python3-torch 1.13 is what made the committed fixture).
"""
import json
import math
import struct
import sys

import torch
import torch.nn.functional as F

CONFIG = dict(layers=2, heads=4, width=64, block=32, batch=4, steps=20,
              lr=1e-3, beta1=0.9, beta2=0.99, eps=1e-8, weight_decay=0.1, clip=1.0, seed=1337)

# A public-domain text (Shakespeare, Sonnet 18) to draw the training chunks from.
TEXT = (
    "Shall I compare thee to a summer's day?\n"
    "Thou art more lovely and more temperate:\n"
    "Rough winds do shake the darling buds of May,\n"
    "And summer's lease hath all too short a date;\n"
    "Sometime too hot the eye of heaven shines,\n"
    "And often is his gold complexion dimm'd;\n"
    "And every fair from fair sometime declines,\n"
    "By chance or nature's changing course untrimm'd;\n"
    "But thy eternal summer shall not fade,\n"
    "Nor lose possession of that fair thou ow'st;\n"
    "Nor shall death brag thou wander'st in his shade,\n"
    "When in eternal lines to time thou grow'st:\n"
    "So long as men can breathe or eyes can see,\n"
    "So long lives this, and this gives life to thee.\n"
)


def init_weights(vocab, generator):
    c = CONFIG
    w = {}

    def normal(*shape, std=0.02):
        return torch.randn(*shape, generator=generator) * std

    w["transformer.wte.weight"] = normal(vocab, c["width"])
    w["transformer.wpe.weight"] = normal(c["block"], c["width"])
    proj_std = 0.02 / math.sqrt(2 * c["layers"])
    for i in range(c["layers"]):
        p = f"transformer.h.{i}."
        w[p + "ln_1.weight"] = torch.ones(c["width"])
        w[p + "ln_1.bias"] = torch.zeros(c["width"])
        w[p + "attn.c_attn.weight"] = normal(3 * c["width"], c["width"])
        w[p + "attn.c_attn.bias"] = torch.zeros(3 * c["width"])
        w[p + "attn.c_proj.weight"] = normal(c["width"], c["width"], std=proj_std)
        w[p + "attn.c_proj.bias"] = torch.zeros(c["width"])
        w[p + "ln_2.weight"] = torch.ones(c["width"])
        w[p + "ln_2.bias"] = torch.zeros(c["width"])
        w[p + "mlp.c_fc.weight"] = normal(4 * c["width"], c["width"])
        w[p + "mlp.c_fc.bias"] = torch.zeros(4 * c["width"])
        w[p + "mlp.c_proj.weight"] = normal(c["width"], 4 * c["width"], std=proj_std)
        w[p + "mlp.c_proj.bias"] = torch.zeros(c["width"])
    w["transformer.ln_f.weight"] = torch.ones(c["width"])
    w["transformer.ln_f.bias"] = torch.zeros(c["width"])
    return w


def forward(w, idx, targets):
    c = CONFIG
    batch, steps = idx.shape
    heads, width = c["heads"], c["width"]
    x = w["transformer.wte.weight"][idx] + w["transformer.wpe.weight"][:steps]
    mask = torch.tril(torch.ones(steps, steps, dtype=torch.bool))
    for i in range(c["layers"]):
        p = f"transformer.h.{i}."
        h = F.layer_norm(x, (width,), w[p + "ln_1.weight"], w[p + "ln_1.bias"], 1e-5)
        qkv = F.linear(h, w[p + "attn.c_attn.weight"], w[p + "attn.c_attn.bias"])
        q, k, v = qkv.split(width, dim=2)
        q = q.view(batch, steps, heads, width // heads).transpose(1, 2)
        k = k.view(batch, steps, heads, width // heads).transpose(1, 2)
        v = v.view(batch, steps, heads, width // heads).transpose(1, 2)
        att = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(width // heads))
        att = att.masked_fill(~mask, float("-inf"))
        att = F.softmax(att, dim=-1)
        y = (att @ v).transpose(1, 2).contiguous().view(batch, steps, width)
        x = x + F.linear(y, w[p + "attn.c_proj.weight"], w[p + "attn.c_proj.bias"])
        h = F.layer_norm(x, (width,), w[p + "ln_2.weight"], w[p + "ln_2.bias"], 1e-5)
        h = F.gelu(F.linear(h, w[p + "mlp.c_fc.weight"], w[p + "mlp.c_fc.bias"]))
        x = x + F.linear(h, w[p + "mlp.c_proj.weight"], w[p + "mlp.c_proj.bias"])
    x = F.layer_norm(x, (width,), w["transformer.ln_f.weight"], w["transformer.ln_f.bias"], 1e-5)
    logits = x @ w["transformer.wte.weight"].t()
    return F.cross_entropy(logits.view(-1, logits.size(-1)), targets.view(-1))


def write_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata}
    offset = 0
    blobs = []
    for name, t in tensors.items():
        data = t.detach().contiguous().to(torch.float32).numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        offset += len(data)
        blobs.append(data)
    raw = json.dumps(header, separators=(",", ":")).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(raw)))
        f.write(raw)
        for b in blobs:
            f.write(b)


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: make_transformer_fixture.py OUT.safetensors")
    c = CONFIG
    torch.manual_seed(c["seed"])
    generator = torch.Generator().manual_seed(c["seed"])
    chars = sorted(set(TEXT))
    stoi = {ch: i for i, ch in enumerate(chars)}
    data = torch.tensor([stoi[ch] for ch in TEXT], dtype=torch.long)

    initial = init_weights(len(chars), generator)
    params = {name: t.clone().requires_grad_(True) for name, t in initial.items()}
    decay = [p for p in params.values() if p.dim() >= 2]
    no_decay = [p for p in params.values() if p.dim() < 2]
    optimizer = torch.optim.AdamW(
        [{"params": decay, "weight_decay": c["weight_decay"]}, {"params": no_decay, "weight_decay": 0.0}],
        lr=c["lr"], betas=(c["beta1"], c["beta2"]), eps=c["eps"])

    xs, ys, losses = [], [], []
    for _ in range(c["steps"]):
        starts = torch.randint(len(data) - c["block"] - 1, (c["batch"],), generator=generator)
        x = torch.stack([data[s:s + c["block"]] for s in starts])
        y = torch.stack([data[s + 1:s + 1 + c["block"]] for s in starts])
        loss = forward(params, x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params.values(), c["clip"])
        optimizer.step()
        xs.append(x)
        ys.append(y)
        losses.append(loss.item())
        print(f"step {len(losses):2d} loss {loss.item():.6f}")

    tensors = dict(initial)
    tensors["batches.x"] = torch.stack(xs).float()
    tensors["batches.y"] = torch.stack(ys).float()
    tensors["losses"] = torch.tensor(losses, dtype=torch.float32)
    metadata = {k: str(v) for k, v in c.items()}
    metadata["vocab"] = "".join(chars)
    metadata["torch"] = torch.__version__
    write_safetensors(sys.argv[1], tensors, metadata)


if __name__ == "__main__":
    main()
