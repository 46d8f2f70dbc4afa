"""Independent float64 PyTorch / NumPy reference for the semi-supervised AE loss and the AE diagnostics
(test/unit/train/ae-outlier-loss.test.ts, ae-diagnostics.test.ts).

Usage: ae_reference.py IN.json OUT.json. IN holds "weights": [[values, shape], ...] of a dense autoencoder in
layer order (kernel (in, out), bias), "alpha" (leaky-ReLU slope of every hidden layer), "encoderLayers" (dense
layers up to the bottleneck), and per request:
  "loss": {"x": rows, "o": outlier rows, "lam", "margin"} -> loss and d loss / d weights (autograd, the
          background mean's threshold detached), and how many outlier hinges are active;
  "encode": rows -> the bottleneck (after its activation) of every row;
  "reconstruct": rows -> the reconstructions.
"""
import json
import sys

import numpy as np
import torch

req = json.load(open(sys.argv[1]))
alpha = req["alpha"]
weights = [torch.tensor(np.array(v, dtype=np.float64).reshape(s), requires_grad=True) for v, s in req["weights"]]
layers = [(weights[i], weights[i + 1]) for i in range(0, len(weights), 2)]


def forward(x, upto=None):
    h = x
    n = len(layers) if upto is None else upto
    for i, (k, b) in enumerate(layers[:n]):
        h = h @ k + b
        if i < len(layers) - 1:
            h = torch.nn.functional.leaky_relu(h, alpha)
    return h


def rows(name):
    return torch.tensor(np.array(req[name], dtype=np.float64))


out = {}
if "loss" in req:
    spec = req["loss"]
    x = torch.tensor(np.array(spec["x"], dtype=np.float64))
    o = torch.tensor(np.array(spec["o"], dtype=np.float64))
    mse_bg = ((forward(x) - x) ** 2).mean(dim=1)
    mse_o = ((forward(o) - o) ** 2).mean(dim=1)
    threshold = spec["margin"] * mse_bg.mean().detach()
    hinge = torch.relu(threshold - mse_o)
    loss = mse_bg.mean() + spec["lam"] * hinge.mean()
    grads = torch.autograd.grad(loss, weights)
    out["loss"] = loss.item()
    out["grads"] = [g.detach().numpy().ravel().tolist() for g in grads]
    out["active"] = int((hinge > 0).sum().item())
with torch.no_grad():
    if "encode" in req:
        out["encode"] = forward(rows("encode"), req["encoderLayers"]).numpy().tolist()
    if "reconstruct" in req:
        out["reconstruct"] = forward(rows("reconstruct")).numpy().tolist()
json.dump(out, open(sys.argv[2], "w"))
