"""The tiny from-scratch classifier recipe of `./logitscope finetune --random-init tiny`, in PyTorch.

A cross-check, not part of the build: GPT-2 of 2 blocks, width 64, 4 heads, the real GPT-2
tokenizer (openai's byte-level BPE, re-implemented below from vocab.json + merges.txt), random
init as transformers' GPT2PreTrainedModel._init_weights, no dropout, the last token's ln_f output
-> score (no bias) -> cross-entropy, AdamW (weight decay on matrices only), linear warm-up (10 %)
and decay, global-norm clipping at 1.0, batch 16, 2 threads.

    /usr/bin/python3 scripts/finetune_reference.py ../shared/gpt2-tokenizer ../shared/datasets/sst2 [epochs] [seed]
"""
import json, math, random, sys, time
from functools import lru_cache
import regex as re
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(2)


@lru_cache()
def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


class Bpe:
    def __init__(self, folder):
        self.encoder = json.load(open(folder + "/vocab.json", encoding="utf-8"))
        merges = open(folder + "/merges.txt", encoding="utf-8").read().split("\n")[1:-1]
        self.ranks = {tuple(m.split()): i for i, m in enumerate(merges)}
        self.byte_encoder = bytes_to_unicode()
        self.cache = {}
        self.pat = re.compile(r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+""")

    def bpe(self, token):
        if token in self.cache:
            return self.cache[token]
        word = tuple(token)
        while len(word) > 1:
            pairs = {(word[i], word[i + 1]) for i in range(len(word) - 1)}
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            first, second = best
            out, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == first and word[i + 1] == second:
                    out.append(first + second)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            word = tuple(out)
        self.cache[token] = word
        return word

    def encode(self, text):
        ids = []
        for piece in re.findall(self.pat, text):
            piece = "".join(self.byte_encoder[b] for b in piece.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self.bpe(piece))
        return ids


class Block(nn.Module):
    def __init__(self, c, heads, eps):
        super().__init__()
        self.heads = heads
        self.ln_1 = nn.LayerNorm(c, eps=eps)
        self.c_attn = nn.Linear(c, 3 * c)
        self.c_proj = nn.Linear(c, c)
        self.ln_2 = nn.LayerNorm(c, eps=eps)
        self.c_fc = nn.Linear(c, 4 * c)
        self.mlp_proj = nn.Linear(4 * c, c)

    def forward(self, x):
        b, t, c = x.shape
        q, k, v = self.c_attn(self.ln_1(x)).split(c, dim=2)
        q, k, v = (z.view(b, t, self.heads, c // self.heads).transpose(1, 2) for z in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / math.sqrt(c // self.heads)
        att = att.masked_fill(torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf")).softmax(-1)
        x = x + self.c_proj((att @ v).transpose(1, 2).reshape(b, t, c))
        return x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate="tanh"))


class Classifier(nn.Module):
    def __init__(self, layers=2, c=64, heads=4, vocab=50257, positions=1024, labels=2, eps=1e-5):
        super().__init__()
        self.wte = nn.Embedding(vocab, c)
        self.wpe = nn.Embedding(positions, c)
        self.h = nn.ModuleList(Block(c, heads, eps) for _ in range(layers))
        self.ln_f = nn.LayerNorm(c, eps=eps)
        self.score = nn.Linear(c, labels, bias=False)
        for name, p in self.named_parameters():  # transformers' GPT-2 init
            if name.endswith("bias"):
                nn.init.zeros_(p)
            elif "ln_" in name:
                nn.init.ones_(p)
            elif name.endswith("c_proj.weight") or name.endswith("mlp_proj.weight"):
                nn.init.normal_(p, 0.0, 0.02 / math.sqrt(2 * layers))
            else:
                nn.init.normal_(p, 0.0, 0.02)

    def forward(self, ids, last):
        x = self.wte(ids) + self.wpe(torch.arange(ids.shape[1]))
        for block in self.h:
            x = block(x)
        x = self.ln_f(x)
        return self.score(x[torch.arange(ids.shape[0]), last])


def read(path, bpe):
    rows = []
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if line:
            label, text = line.split(" ", 1)
            rows.append((bpe.encode(text), int(label)))
    return rows


def batches(rows, size):
    for i in range(0, len(rows), size):
        chunk = rows[i:i + size]
        t = max(len(ids) for ids, _ in chunk)
        ids = torch.tensor([ids + [50256] * (t - len(ids)) for ids, _ in chunk])
        yield ids, torch.tensor([len(ids) - 1 for ids, _ in chunk]), torch.tensor([y for _, y in chunk])


def main():
    tokenizer, data = sys.argv[1], sys.argv[2]
    epochs = int(sys.argv[3]) if len(sys.argv) > 3 else 3
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    torch.manual_seed(seed)
    bpe = Bpe(tokenizer)
    train, dev = read(data + "/stsa.binary.train", bpe), read(data + "/stsa.binary.dev", bpe)
    model = Classifier()
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2]
    no_decay = [p for n, p in model.named_parameters() if p.dim() < 2]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.01}, {"params": no_decay, "weight_decay": 0.0}], lr=1e-3)
    steps = epochs * math.ceil(len(train) / 16)
    warmup = int(0.1 * steps)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: s / max(1, warmup) if s < warmup else max(0.0, (steps - s) / max(1, steps - warmup)))
    rng = random.Random(seed)
    start = time.time()
    for epoch in range(1, epochs + 1):
        model.train()
        order = train[:]
        rng.shuffle(order)
        total, n = 0.0, 0
        for ids, last, y in batches(order, 16):
            loss = F.cross_entropy(model(ids, last), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            total += loss.item() * len(y)
            n += len(y)
        model.eval()
        correct = 0
        with torch.no_grad():
            for ids, last, y in batches(dev, 64):
                correct += (model(ids, last).argmax(-1) == y).sum().item()
        print(json.dumps({"epoch": epoch, "train_loss": round(total / n, 4), "dev_accuracy": round(correct / len(dev), 4),
                          "seconds": round(time.time() - start, 1)}), flush=True)


if __name__ == "__main__":
    main()
