#!/usr/bin/env python3
"""Writes a tiny random GPT-2 checkpoint (config.json, model.safetensors, tokenizer.json) for
end-to-end tests of the cluster scripts. Standard library only; the tokenizer is copied from a
GPT-2 tokenizer.json given on the command line.

usage: tiny-model.py OUT_DIR TOKENIZER_JSON [--layers 2] [--width 32] [--seed 1]
"""
import argparse
import json
import os
import random
import shutil
import struct

p = argparse.ArgumentParser()
p.add_argument("out")
p.add_argument("tokenizer")
p.add_argument("--layers", type=int, default=2)
p.add_argument("--width", type=int, default=32)
p.add_argument("--heads", type=int, default=2)
p.add_argument("--seed", type=int, default=1)
a = p.parse_args()

V, P, C, L = 50257, 1024, a.width, a.layers
rng = random.Random(a.seed)
shapes = {"wte.weight": [V, C], "wpe.weight": [P, C]}
for i in range(L):
    h = f"h.{i}."
    shapes.update({h + "ln_1.weight": [C], h + "ln_1.bias": [C],
                   h + "attn.c_attn.weight": [C, 3 * C], h + "attn.c_attn.bias": [3 * C],
                   h + "attn.c_proj.weight": [C, C], h + "attn.c_proj.bias": [C],
                   h + "ln_2.weight": [C], h + "ln_2.bias": [C],
                   h + "mlp.c_fc.weight": [C, 4 * C], h + "mlp.c_fc.bias": [4 * C],
                   h + "mlp.c_proj.weight": [4 * C, C], h + "mlp.c_proj.bias": [C]})
shapes.update({"ln_f.weight": [C], "ln_f.bias": [C]})

header, blobs, offset = {}, [], 0
for name, shape in shapes.items():
    n = 1
    for d in shape:
        n *= d
    if name.endswith("ln_1.weight") or name.endswith("ln_2.weight") or name == "ln_f.weight":
        values = [1.0 + rng.gauss(0, 0.1) for _ in range(n)]
    else:
        values = [rng.gauss(0, 0.3) for _ in range(n)]
    blob = struct.pack(f"<{n}f", *values)
    header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
    blobs.append(blob)
    offset += len(blob)
header["__metadata__"] = {"format": "pt"}
h = json.dumps(header, separators=(",", ":")).encode()
h += b" " * (-len(h) % 8)
os.makedirs(a.out, exist_ok=True)
with open(os.path.join(a.out, "model.safetensors"), "wb") as f:
    f.write(struct.pack("<Q", len(h)))
    f.write(h)
    for b in blobs:
        f.write(b)
config = {"model_type": "gpt2", "architectures": ["GPT2LMHeadModel"], "n_layer": L, "n_embd": C, "n_head": a.heads,
          "n_positions": P, "n_ctx": P, "vocab_size": V, "layer_norm_epsilon": 1e-5, "n_inner": None,
          "activation_function": "gelu_new", "bos_token_id": 50256, "eos_token_id": 50256}
with open(os.path.join(a.out, "config.json"), "w") as f:
    json.dump(config, f, indent=2)
shutil.copyfile(a.tokenizer, os.path.join(a.out, "tokenizer.json"))
print(a.out)
