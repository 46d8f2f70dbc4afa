"""Independent PyTorch reference for test/unit/train/vae-losses.test.ts (VAE-Jet losses).

Usage: vae_losses_reference.py DIR. DIR/spec.json gives B (batch), L (latent), D (features), beta, lam,
margin; DIR holds raw float32 arrays x, xhat, xoe, xhatoe (B x D), w (D), mu, logvar, muoe, logvaroe
(B x L), mass, u, v (B). Writes DIR/out.json with every loss in float64 torch, the gradients of the
squared distance correlation dCorr(u, v) by autograd, and Cheng's annealing recurrences epoch by epoch.
The distance correlation is a line-by-line port of DisCo's disco.py (tile/reshape/transpose, power=1,
normedweight = 1).
"""
import json
import os
import sys

import numpy as np
import torch

d = sys.argv[1]
spec = json.load(open(os.path.join(d, "spec.json")))
B, L, D = spec["B"], spec["L"], spec["D"]


def arr(name, shape):
    a = np.fromfile(os.path.join(d, name + ".f32"), dtype="<f4").astype(np.float64).reshape(shape)
    return torch.from_numpy(a)


def distance_corr(var_1, var_2, normedweight):
    n = var_1.numel()
    xx = var_1.reshape(-1, 1).tile(1, n).reshape(n, n)
    amat = (xx - xx.T).abs()
    xx = var_2.reshape(-1, 1).tile(1, n).reshape(n, n)
    bmat = (xx - xx.T).abs()
    amatavg = (amat * normedweight).mean(dim=1)
    bmatavg = (bmat * normedweight).mean(dim=1)
    m1 = amatavg.tile(n).reshape(n, n)
    Amat = amat - m1 - m1.T + (amatavg * normedweight).mean()
    m1 = bmatavg.tile(n).reshape(n, n)
    Bmat = bmat - m1 - m1.T + (bmatavg * normedweight).mean()
    ABavg = (Amat * Bmat * normedweight).mean(dim=1)
    AAavg = (Amat * Amat * normedweight).mean(dim=1)
    BBavg = (Bmat * Bmat * normedweight).mean(dim=1)
    return (ABavg * normedweight).mean() / torch.sqrt((AAavg * normedweight).mean() * (BBavg * normedweight).mean())


def kl_terms(mu, lv):
    return -0.5 * (lv - mu**2 - torch.exp(lv) + 1)


x, xhat, xoe, xhatoe = (arr(n, (B, D)) for n in ("x", "xhat", "xoe", "xhatoe"))
w = arr("w", (D,))
mu, lv, muoe, lvoe = (arr(n, (B, L)) for n in ("mu", "logvar", "muoe", "logvaroe"))
mass = arr("mass", (B,))
beta, lam, margin = spec["beta"], spec["lam"], spec["margin"]
ones = torch.ones(B, dtype=torch.float64)

mse = ((x - xhat) ** 2).mean(dim=1)
mse_w = (w * (x - xhat) ** 2).mean(dim=1)
mse_oe = ((xoe - xhatoe) ** 2).mean(dim=1)
klt, klt_oe = kl_terms(mu, lv), kl_terms(muoe, lvoe)
kl = klt.mean(dim=1)
beta_loss = mse + beta * kl
dc = distance_corr(beta_loss, mass, ones)
oe_margin = torch.relu(mse - mse_oe + margin).mean()
oe_sigmoid = -torch.sigmoid(mse_oe - mse).mean()
oe_kl = torch.relu(klt - klt_oe + margin).mean()

u = arr("u", (B,)).requires_grad_(True)
v = arr("v", (B,)).requires_grad_(True)
dcuv = distance_corr(u, v, ones)
gu, gv = torch.autograd.grad(dcuv, [u, v])


def annealing(klstart, annealtime, two_steps):
    """Cheng's annealing_fn (train.py, train_oe_resample.py v2) and annealing_fn_2steps (train_disco.py)."""
    weight, out = 0.0, []
    for epoch in range(60):
        if klstart < epoch < klstart + annealtime:
            weight = min(weight + 1.0 / (annealtime - 1), 1.0)
        if epoch == klstart + 2 * annealtime:
            weight = 0
        if klstart + 2 * annealtime < epoch < klstart + 3 * annealtime:
            weight = min(weight + 1.0 / (annealtime - 1), 1.0)
        if two_steps:
            if epoch >= klstart + 4 * annealtime:
                weight = 1.0
        else:
            if epoch == klstart + 4 * annealtime:
                weight = 0
            if klstart + 4 * annealtime < epoch < klstart + 5 * annealtime:
                weight = min(weight + 1.0 / (annealtime - 1), 1.0)
            if epoch >= klstart + 5 * annealtime:
                weight = 1.0
        out.append(weight)
    return out


lst = lambda t: t.detach().numpy().ravel().tolist()
out = {
    "mse": lst(mse), "mseWeighted": lst(mse_w), "mseOe": lst(mse_oe),
    "klTerms": lst(klt), "kl": lst(kl), "betaLoss": lst(beta_loss),
    "dcorr": dc.item(), "disco": (beta_loss.mean() + lam * dc).item(),
    "oeMseMargin": oe_margin.item(), "oeMseSigmoid": oe_sigmoid.item(), "oeKlMargin": oe_kl.item(),
    "oeTotalKl": (beta_loss.mean() + lam * oe_kl).item(),
    "dcorrUV": dcuv.item(), "gradU": lst(gu), "gradV": lst(gv),
    "annealKl": annealing(0, 5, False), "annealOe": annealing(10, 5, False), "annealDisco": annealing(10, 10, True),
}
json.dump(out, open(os.path.join(d, "out.json"), "w"))
