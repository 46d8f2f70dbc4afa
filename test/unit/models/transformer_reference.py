"""Independent PyTorch reference for AnomalyCLR's transformer encoder (physics.md §5.2), built the way the
public TransformerEncoder.py builds it: nn.Linear embedding, nn.TransformerEncoder of post-norm
nn.TransformerEncoderLayer(d, heads, dim_feedforward, dropout), an additive -inf attention mask on objects with
pT = 0 (one per head, as its make_mask), padded outputs zeroed, sum over objects, head = n × (ReLU → Linear).
Usage: transformer_reference.py DIR — reads DIR/config.json (dims, weight manifest), DIR/weights.f32 (the
TF.js weights, concatenated in manifest order), DIR/objects.f32 (B, N, input_dim); writes DIR/reps.f32 (B, out)
and DIR/params.json (the torch model's parameter counts)."""
import json
import sys

import numpy as np
import torch
import torch.nn as nn

folder = sys.argv[1]
cfg = json.load(open(f"{folder}/config.json"))
d, heads, n_layers, n_head = cfg["modelDim"], cfg["heads"], cfg["layers"], cfg["headLayers"]

torch.manual_seed(0)
embedding = nn.Linear(cfg["inputDim"], d)
encoder = nn.TransformerEncoder(nn.TransformerEncoderLayer(d, heads, dim_feedforward=cfg["feedForwardDim"], dropout=0.1), n_layers)
head = nn.ModuleList([nn.Linear(d, cfg["outputDim"])] + [nn.Linear(cfg["outputDim"], cfg["outputDim"]) for _ in range(n_head - 1)])
count = lambda m: sum(p.numel() for p in m.parameters())
json.dump({"embedding": count(embedding), "layer": count(encoder.layers[0]), "head": count(head),
           "total": count(embedding) + count(encoder) + count(head)}, open(f"{folder}/params.json", "w"))

flat = np.fromfile(f"{folder}/weights.f32", dtype="<f4")
weights, offset = {}, 0
for name, shape in cfg["manifest"]:
    size = int(np.prod(shape))
    weights[name] = torch.from_numpy(flat[offset:offset + size].reshape(shape).copy())
    offset += size
assert offset == flat.size


def load_linear(linear, prefix):  # TF.js kernels are (in, out), torch weights (out, in)
    linear.weight.data = weights[f"{prefix}:0"].T.contiguous()
    linear.bias.data = weights[f"{prefix}:1"]


def load_norm(norm, prefix):
    norm.weight.data = weights[f"{prefix}:0"]
    norm.bias.data = weights[f"{prefix}:1"]


load_linear(embedding, "embedding")
for i, layer in enumerate(encoder.layers):
    p = f"layer{i}"
    layer.self_attn.in_proj_weight.data = weights[f"{p}_attention:0"].T.contiguous()
    layer.self_attn.in_proj_bias.data = weights[f"{p}_attention:1"]
    layer.self_attn.out_proj.weight.data = weights[f"{p}_attention:2"].T.contiguous()
    layer.self_attn.out_proj.bias.data = weights[f"{p}_attention:3"]
    load_linear(layer.linear1, f"{p}_linear1")
    load_linear(layer.linear2, f"{p}_linear2")
    load_norm(layer.norm1, f"{p}_norm1")
    load_norm(layer.norm2, f"{p}_norm2")
for i, linear in enumerate(head):
    load_linear(linear, f"head{i}_linear")

b, n = cfg["batch"], cfg["objects"]
x = torch.from_numpy(np.fromfile(f"{folder}/objects.f32", dtype="<f4").reshape(b, n, cfg["inputDim"]).copy())
for m in (embedding, encoder, head):
    m.eval()
with torch.no_grad():
    empty = x[:, :, 0] == 0
    mask = torch.zeros(b * heads, n, n)
    mask[torch.repeat_interleave(empty, heads, dim=0)[:, None, :].expand(-1, n, -1)] = -np.inf
    h = encoder(embedding(x.transpose(0, 1)), mask=mask)
    h[empty.transpose(0, 1)] = 0
    h = h.sum(0)
    for linear in head:
        h = linear(torch.relu(h))
h.numpy().astype("<f4").tofile(f"{folder}/reps.f32")
