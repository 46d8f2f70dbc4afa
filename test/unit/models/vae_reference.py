"""Independent PyTorch/numpy reference for test/unit/models/vae.test.ts.

Usage: vae_reference.py DIR. DIR/spec.json names the architecture and the float32 arrays the test wrote
(raw little-endian, row-major): each layer's TF.js kernel [in, out] and bias, the inputs x, the noise eps,
the background rows and a random point cloud. Builds the same VAE in torch (float64), loads the weights
and writes DIR/out.json: mu, logvar, recon (z = mu + exp(logvar/2) * eps), per-example MSE and KL
(mean over latent dims), the beta-VAE loss, |mu|, and Mahalanobis distances of mu to the background's mu
computed with numpy (np.cov and np.linalg.solve), plus those of the point cloud against itself.
"""
import json
import os
import sys

import numpy as np
import torch

d = sys.argv[1]
spec = json.load(open(os.path.join(d, "spec.json")))


def arr(name, shape):
    return np.fromfile(os.path.join(d, name + ".f32"), dtype="<f4").astype(np.float64).reshape(shape)


def linear(name, nin, nout):
    lin = torch.nn.Linear(nin, nout).double()
    with torch.no_grad():
        lin.weight.copy_(torch.from_numpy(arr(name + ".kernel", (nin, nout)).T.copy()))
        lin.bias.copy_(torch.from_numpy(arr(name + ".bias", (nout,))))
    return lin


D, H, L, act = spec["inputDim"], spec["hiddenWidths"], spec["latentDim"], spec["activation"]
assert act == "relu"
enc, nin = [], D
for i, h in enumerate(H):
    enc += [linear(f"enc_dense_{i}", nin, h), torch.nn.ReLU()]
    nin = h
enc = torch.nn.Sequential(*enc)
head_mu, head_lv = linear("z_mean", nin, L), linear("z_log_var", nin, L)
dec, nin = [], L
for i, h in enumerate(reversed(H)):
    dec += [linear(f"dec_dense_{i}", nin, h), torch.nn.ReLU()]
    nin = h
dec += [linear("reconstruction", nin, D)]
dec = torch.nn.Sequential(*dec)

n = spec["rows"]
x = torch.from_numpy(arr("x", (n, D)))
eps = torch.from_numpy(arr("eps", (n, L)))
with torch.no_grad():
    h = enc(x)
    mu, lv = head_mu(h), head_lv(h)
    z = mu + torch.exp(0.5 * lv) * eps
    recon = dec(z)
    mse = ((x - recon) ** 2).mean(dim=1)
    kl = -0.5 * (1 + lv - mu**2 - torch.exp(lv)).mean(dim=1)
    beta_loss = mse + spec["beta"] * kl
    # z = mu (eps = 0): what the deterministic scores use
    recon0 = dec(mu)
    mse0 = ((x - recon0) ** 2).mean(dim=1)
    bg = torch.from_numpy(arr("background", (spec["backgroundRows"], D)))
    mu_bg = head_mu(enc(bg)).numpy()


def mahalanobis(points, ref):
    m = ref.mean(axis=0)
    cov = np.cov(ref, rowvar=False)
    diff = points - m
    return np.sqrt(np.einsum("ij,ij->i", diff, np.linalg.solve(cov, diff.T).T))


cloud = arr("cloud", (spec["cloudRows"], spec["cloudDim"]))
out = {
    "mu": mu.numpy().ravel().tolist(),
    "logvar": lv.numpy().ravel().tolist(),
    "recon": recon.numpy().ravel().tolist(),
    "mse": mse.numpy().tolist(),
    "kl": kl.numpy().tolist(),
    "betaLoss": beta_loss.numpy().tolist(),
    "mse0": mse0.numpy().tolist(),
    "muNorm": torch.linalg.norm(mu, dim=1).numpy().tolist(),
    "mahalanobis": mahalanobis(mu.numpy(), mu_bg).tolist(),
    "cloudMahalanobis": mahalanobis(cloud, cloud).tolist(),
    "parameters": sum(p.numel() for p in list(enc.parameters()) + list(head_mu.parameters()) + list(head_lv.parameters()) + list(dec.parameters())),
}
json.dump(out, open(os.path.join(d, "out.json"), "w"))
