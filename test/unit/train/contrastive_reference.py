"""Independent PyTorch reference for AnomalyCLR's contrastive losses (physics.md §5.3), written from the
definitions: cosine similarities of normalised views, the positive pair excluded from the denominator.
Usage: contrastive_reference.py DIR B D — reads DIR/{xi,xj,xk}.f32 (B×D float32), writes DIR/losses.f64 with
clr, anomclr, anomclr+ at τ = 0.1 and τ = 0.5 (6 float64)."""
import sys

import numpy as np
import torch
import torch.nn.functional as F

folder, b, d = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
views = [torch.from_numpy(np.fromfile(f"{folder}/{v}.f32", dtype="<f4").reshape(b, d)).double() for v in ("xi", "xj", "xk")]
zi, zj, zk = (F.normalize(v, dim=1) for v in views)


def parts(tau):
    z = torch.cat([zi, zj])
    sim = F.cosine_similarity(z[:, None], z[None, :], dim=2)
    pos = torch.cat([torch.diag(sim, b), torch.diag(sim, -b)])
    keep = torch.ones(2 * b, 2 * b, dtype=torch.bool)
    idx = torch.arange(2 * b)
    keep[idx, idx] = False
    keep[idx, (idx + b) % (2 * b)] = False
    denom = (torch.exp(sim / tau) * keep).sum(1)
    neg = F.cosine_similarity(zi, zk, dim=1).repeat(2)
    return pos, neg, denom


out = []
for tau in (0.1, 0.5):
    pos, neg, denom = parts(tau)
    out.append((-torch.log(torch.exp(pos / tau) / denom)).mean().item())
for tau in (0.1, 0.5):
    pos, neg, denom = parts(tau)
    out.append((-torch.log(torch.exp((pos - neg) / tau) / denom)).mean().item())
for tau in (0.1, 0.5):
    pos, neg, denom = parts(tau)
    out.append((-(pos - neg) / tau).mean().item())
np.array(out, dtype="<f8").tofile(f"{folder}/losses.f64")
