"""Independent reference for the dijet generator's background mjj: the normalised density of
f(x) = (1 - x)^p1 / x^(p2 + p3 ln x), x = mjj/sqrt(s), on [mjj_min, sqrt(s)), integrated numerically with
NumPy (no SciPy), then the Kolmogorov-Smirnov distance of the sample's empirical CDF and a binned chi-square.

usage: dijet_reference.py SAMPLE.f64 SQRTS MJJ_MIN P1 P2 P3 BINS  -> JSON {"n", "ks_d", "chi2", "ndf"}
"""
import json
import sys

import numpy as np

path, sqrts, mmin, p1, p2, p3, bins = sys.argv[1:]
sqrts, mmin, p1, p2, p3, bins = float(sqrts), float(mmin), float(p1), float(p2), float(p3), int(bins)
m = np.sort(np.fromfile(path, dtype="<f8"))
n = m.size

# Fine grid in ln(mjj): the density falls by many orders of magnitude, so a log grid keeps the trapezoid exact enough.
grid = np.exp(np.linspace(np.log(mmin), np.log(sqrts), 400001))[:-1]
x = grid / sqrts
dens = (1 - x) ** p1 / x ** (p2 + p3 * np.log(x))
cdf = np.concatenate([[0.0], np.cumsum(0.5 * (dens[1:] + dens[:-1]) * np.diff(grid))])
cdf /= cdf[-1]

model = np.interp(m, grid, cdf)
ecdf_hi = np.arange(1, n + 1) / n
ecdf_lo = np.arange(0, n) / n
ks_d = float(max(np.max(ecdf_hi - model), np.max(model - ecdf_lo)))

# Equal-probability bins under the model, so every bin expects n/bins events.
edges = np.interp(np.linspace(0, 1, bins + 1), cdf, grid)
edges[0], edges[-1] = mmin, sqrts
observed, _ = np.histogram(m, bins=edges)
expected = n / bins
chi2 = float(np.sum((observed - expected) ** 2 / expected))
print(json.dumps({"n": int(n), "ks_d": ks_d, "chi2": chi2, "ndf": bins - 1}))
