# Writes LHC Olympics 2020-like pandas stores (700 hadrons x (pT, eta, phi), integer column names 0..2100) for
# lhco-reader.test.ts, and the expected values computed in numpy: p4 = (E, px, py, pz) of massless hadrons,
# E = pT cosh(eta), px = pT cos(phi), py = pT sin(phi), pz = pT sinh(eta), hadrons sorted by decreasing pT.
import sys
import numpy as np
import pandas as pd

out, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(11)
H = 700
pt = np.zeros((n, H))
eta = np.zeros((n, H))
phi = np.zeros((n, H))
for r in range(n):
    k = H if r == 0 else int(rng.integers(1, H))
    pt[r, :k] = rng.exponential(20.0, k) + 0.5
    eta[r, :k] = rng.normal(0, 1.5, k)
    phi[r, :k] = rng.uniform(-np.pi, np.pi, k)
    if r % 2 == 0:  # half the rows hardest first, as files usually are; the rest in random order
        order = np.argsort(-pt[r], kind="stable")
        pt[r], eta[r], phi[r] = pt[r, order], eta[r, order], phi[r, order]
# padding slots hold junk angles in some files; pT = 0 must still give an all-zero four-momentum
eta[pt == 0] = 3.0
labels = rng.integers(0, 2, n)

hadrons = np.stack([pt, eta, phi], axis=2).reshape(n, 3 * H)
rd = pd.DataFrame(np.concatenate([hadrons, labels[:, None].astype(np.float64)], axis=1))
bb = pd.DataFrame(hadrons)

rd.to_hdf(f"{out}/rd-fixed.h5", key="df")
rd.to_hdf(f"{out}/rd-table.h5", key="df", format="table")
rd.to_hdf(f"{out}/rd-zlib.h5", key="df", complib="zlib", complevel=5)
rd.to_hdf(f"{out}/rd-blosc.h5", key="df", complib="blosc", complevel=5)
rd.astype({3 * H: np.int64}).to_hdf(f"{out}/rd-intlabel.h5", key="events")
rd.rename(columns=str).to_hdf(f"{out}/rd-strnames.h5", key="df")
bb.to_hdf(f"{out}/bb.h5", key="df")
with pd.HDFStore(f"{out}/twokeys.h5", "w") as store:
    store.put("a", bb.iloc[:5])
    store.put("b", rd)

master = rng.integers(0, 3, n)
np.savetxt(f"{out}/bb.masterkey", master, fmt="%d")
np.savetxt(f"{out}/short.masterkey", master[:-1], fmt="%d")
with open(f"{out}/bad.masterkey", "w") as f:
    f.write("\n".join(["1"] * 4 + ["0.5"] + ["0"] * (n - 5)) + "\n")

small = rd.iloc[:10].copy()
nan = small.copy(); nan.loc[7, 301] = np.nan; nan.to_hdf(f"{out}/nan.h5", key="df")
inf = small.copy(); inf.loc[4, 2] = np.inf; inf.to_hdf(f"{out}/inf.h5", key="df", format="table")
half = small.copy(); half.loc[3, 3 * H] = 0.5; half.to_hdf(f"{out}/halflabel.h5", key="df")
small.drop(columns=[2099, 2100]).to_hdf(f"{out}/narrow.h5", key="df")
small.iloc[:0].to_hdf(f"{out}/empty.h5", key="df")

e = pt * np.cosh(eta)
p4 = np.stack([e, pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)], axis=2)
p4[pt == 0] = 0
for r in range(n):
    p4[r] = p4[r, np.argsort(-pt[r], kind="stable")]
p4.astype(np.float32).tofile(f"{out}/p4.bin")
labels.astype(np.int8).tofile(f"{out}/labels.bin")
master.astype(np.int8).tofile(f"{out}/master.bin")
