"""Independent reference: NumPy arctanh/arctan2, complex-phase wrapping, np.average centroid,
np.linalg.eigh principal axes, np.histogram2d. Same conventions as src/shared/physics/jet-image.ts
(flip on strict pT-sum majority over all constituents; |rotated coordinate| < 1e-9 snapped to 0;
bins [lo, hi), the upper edge excluded).

Usage: jet_image_reference.py IN.f32 OUT.f64 NJETS NCONST NETA NPHI ETA_LO ETA_HI PHI_LO PHI_HI
(writes the images for the transforms none, sqrt, fourth-root, log1p-1000, occupancy, stacked)
"""
import sys
import numpy as np
inp, outp = sys.argv[1], sys.argv[2]
nj, nc, ne, nf = (int(a) for a in sys.argv[3:7])
elo, ehi, flo, fhi = (float(a) for a in sys.argv[7:11])
x = np.fromfile(inp, dtype='<f4').astype(np.float64).reshape(nj, nc, 4)
imgs = np.zeros((nj, ne, nf))
for j in range(nj):
    c = x[j][x[j][:, 0] > 0]
    if len(c) == 0:
        continue
    _, px, py, pz = c.T
    w = np.hypot(px, py)
    eta = np.arctanh(pz / np.sqrt(px**2 + py**2 + pz**2))
    phi = np.arctan2(py, px)
    h = np.argmax(w)
    eta = eta - eta[h]
    phi = np.angle(np.exp(1j * (phi - phi[h])))
    eta = eta - np.average(eta, weights=w)
    phi = phi - np.average(phi, weights=w)
    X = np.stack([eta, phi])
    _, vecs = np.linalg.eigh((X * w) @ X.T)
    eta, phi = np.stack([vecs[:, 0], vecs[:, 1]]) @ X  # minor axis -> eta, major axis -> phi
    eta[np.abs(eta) < 1e-9] = 0.0  # collinear constituents sit exactly on the axis
    phi[np.abs(phi) < 1e-9] = 0.0
    if w[eta < 0].sum() > w[eta > 0].sum():
        eta = -eta
    if w[phi < 0].sum() > w[phi > 0].sum():
        phi = -phi
    keep = (eta >= elo) & (eta < ehi) & (phi >= flo) & (phi < fhi)
    H, _, _ = np.histogram2d(eta[keep], phi[keep], bins=[ne, nf], range=[[elo, ehi], [flo, fhi]], weights=w[keep])
    if H.sum() > 0:
        imgs[j] = H / H.sum()
out = [imgs, np.sqrt(imgs), imgs**0.25, np.log1p(1000 * imgs), (imgs > 0).astype(np.float64)]
np.stack(out).astype('<f8').tofile(outp)
