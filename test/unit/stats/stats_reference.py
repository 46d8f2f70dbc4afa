"""Independent references for the bump-hunt statistics tests: NumPy and SciPy (Debian's python3).

Usage: stats_reference.py IN.json OUT.json. IN holds {"task": ..., ...}; OUT the results.
The dijet likelihood here has an analytic gradient and Hessian (16-point Gauss-Legendre per bin),
minimised by scipy.optimize.minimize(trust-exact) from numpy's own log-linear least-squares start.
"""
import json
import sys

import numpy as np
from scipy import integrate, optimize, special, stats


def dijet(x, p):
    return p[0] * (1 - x) ** p[1] / x ** (p[2] + p[3] * np.log(x))


def integral_task(req):
    s = req["sqrtS"]
    e = np.asarray(req["edges"]) / s
    return {"integrals": [integrate.quad(dijet, e[i], e[i + 1], args=(req["p"],), epsabs=0, epsrel=1e-13)[0] for i in range(len(e) - 1)]}


class Model:
    def __init__(self, edges, sqrt_s, counts, mask):
        t, w = np.polynomial.legendre.leggauss(16)
        e = np.asarray(edges) / sqrt_s
        lo, hi = e[:-1][mask], e[1:][mask]
        half = (hi - lo) / 2
        x = lo[:, None] + half[:, None] * (1 + t[None, :])
        self.w = half[:, None] * w[None, :]
        self.g = np.stack([np.log1p(-x), -np.log(x), -np.log(x) ** 2])  # d ln shape / d(p1, p2, p3)
        self.n = np.asarray(counts, dtype=float)[mask]
        self.centre, self.width = (lo + hi) / 2, hi - lo

    def mu_and_derivs(self, p):
        s = self.w * np.exp(np.tensordot(p[1:], self.g, axes=1))
        S = s.sum(1)
        grad = np.zeros((4, len(S)))
        grad[0] = S
        grad[1:] = p[0] * (s[None] * self.g).sum(2)
        hess = np.zeros((4, 4, len(S)))
        hess[0, 1:] = hess[1:, 0] = (s[None] * self.g).sum(2)
        hess[1:, 1:] = p[0] * (s[None, None] * self.g[:, None] * self.g[None, :]).sum(3)
        return p[0] * S, grad, hess

    def nll(self, p):
        mu = self.mu_and_derivs(p)[0]
        return float(np.sum(mu - self.n * np.log(mu)))

    def jac(self, p):
        mu, g, _ = self.mu_and_derivs(p)
        return g @ (1 - self.n / mu)

    def hess(self, p):
        mu, g, h = self.mu_and_derivs(p)
        return (g * (self.n / mu**2)) @ g.T + h @ (1 - self.n / mu)

    def start(self):
        keep = self.n > 0
        x = self.centre[keep]
        a = np.stack([np.ones_like(x), np.log1p(-x), -np.log(x), -np.log(x) ** 2], 1)
        y = np.log(self.n[keep] / self.width[keep])
        sw = np.sqrt(self.n[keep])
        c = np.linalg.lstsq(a * sw[:, None], y * sw, rcond=None)[0]
        return np.array([np.exp(c[0]), c[1], c[2], c[3]])


def fit_task(req):
    bins = len(req["counts"])
    mask = np.ones(bins, dtype=bool)
    if req.get("exclude"):
        mask[req["exclude"][0] : req["exclude"][1]] = False
    m = Model(req["edges"], req["sqrtS"], req["counts"], mask)
    p = m.start()
    # Nelder-Mead in (ln p0, p1, p2, p3) first (the trust region stalls on flat low-statistics
    # likelihoods far from the start), then trust-exact with the analytic derivatives.
    lift = lambda u: np.concatenate([[np.exp(u[0])], u[1:]])
    u = np.concatenate([[np.log(p[0])], p[1:]])
    for _ in range(5):
        u = optimize.minimize(lambda v: m.nll(lift(v)), u, method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-10, "maxfev": 40000}).x
    p = lift(u)
    for _ in range(3):
        p = optimize.minimize(m.nll, p, jac=m.jac, hess=m.hess, method="trust-exact", options={"gtol": 1e-9, "maxiter": 2000}).x
    cov = np.linalg.inv(m.hess(p))
    mu = m.mu_and_derivs(p)[0]
    return {"pearson": float(np.sum((m.n - mu) ** 2 / mu)), "params": p.tolist(), "nll": m.nll(p), "covariance": cov.tolist(), "gradient": m.jac(p).tolist()}


def tails_task(req):
    out = {}
    if "poisson" in req:
        n = np.asarray([c[0] for c in req["poisson"]], dtype=float)
        b = np.asarray([c[1] for c in req["poisson"]], dtype=float)
        # P(N >= n) = sf(n - 1)
        out["sf"] = stats.poisson.sf(n - 1, b).tolist()
        out["logsf"] = stats.poisson.logsf(n - 1, b).tolist()
    if "poissonDeep" in req:
        # ln P(N >= n) far below the smallest double: log-sum-exp of the pmf over n ... n + 20000
        out["deepLogTail"] = [float(special.logsumexp(stats.poisson.logpmf(np.arange(n, n + 20000), b))) for n, b in req["poissonDeep"]]
    if "chi2" in req:
        out["chi2Sf"] = [float(stats.chi2.sf(x, k)) for x, k in req["chi2"]]
    if "z" in req:
        z = np.asarray(req["z"], dtype=float)
        out["normSf"] = stats.norm.sf(z).tolist()
        out["normLogSf"] = stats.norm.logsf(z).tolist()
    if "p" in req:
        out["normIsf"] = stats.norm.isf(np.asarray(req["p"], dtype=float)).tolist()
    if "pmf" in req:
        out["pmf"] = stats.poisson.pmf(np.arange(req["pmf"]["kmax"] + 1), req["pmf"]["mu"]).tolist()
    return out


def cowan_task(req):
    """Z of n over b +- sigma two ways: Cowan's closed form, and the profile likelihood ratio of the on/off
    model n ~ Pois(s + b'), m ~ Pois(tau b') with tau = b / sigma^2 and m = tau b, maximised numerically."""
    closed, profiled = [], []
    for n, b, sig in req["cases"]:
        s2 = sig * sig
        t1 = n * np.log(n * (b + s2) / (b * b + n * s2)) if n > 0 else 0.0
        z2 = 2 * (t1 - (b * b / s2) * np.log1p(s2 * (n - b) / (b * (b + s2))))
        closed.append(float(np.sign(n - b) * np.sqrt(max(z2, 0.0))))
        tau = b / s2
        m = tau * b

        def logl(s, bp):  # ln L up to constants
            return (n * np.log(s + bp) if n > 0 else 0.0) - (s + bp) + m * np.log(tau * bp) - tau * bp

        # Unconditional maximum: s = n - b, b' = b (the "off" count fixes b'); null: maximise over b' with s = 0.
        null = optimize.minimize_scalar(lambda lb: -logl(0.0, np.exp(lb)), bracket=(np.log(b) - 1, np.log(b) + 1), tol=1e-14)
        q0 = 2 * (logl(n - b, b) + null.fun)
        profiled.append(float(np.sign(n - b) * np.sqrt(max(q0, 0.0))))
    return {"closed": closed, "profiled": profiled}


def sigma_b_task(req):
    """b of a window by adaptive quadrature and sigma_b = sqrt(J C J^T) with J by central differences of it."""
    s = req["sqrtS"]
    lo, hi = req["edges"][req["window"][0]] / s, req["edges"][req["window"][1]] / s
    b_of = lambda p: integrate.quad(dijet, lo, hi, args=(p,), epsabs=0, epsrel=1e-13, limit=200)[0]
    p = np.asarray(req["params"], dtype=float)
    jac = np.zeros(4)
    for a in range(4):
        h = 1e-5 * max(abs(p[a]), 1e-2)
        up, down = p.copy(), p.copy()
        up[a] += h
        down[a] -= h
        jac[a] = (b_of(up) - b_of(down)) / (2 * h)
    cov = np.asarray(req["covariance"], dtype=float)
    return {"b": b_of(p), "sigmaB": float(np.sqrt(jac @ cov @ jac))}


def finite(v):
    if isinstance(v, list):
        return [finite(x) for x in v]
    if isinstance(v, dict):
        return {k: finite(x) for k, x in v.items()}
    if isinstance(v, float) and not np.isfinite(v):
        return str(v)
    return v


TASKS = {"integral": integral_task, "fit": fit_task, "tails": tails_task, "cowan": cowan_task, "sigmaB": sigma_b_task}

if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        request = json.load(f)
    with open(sys.argv[2], "w") as f:
        json.dump(finite(TASKS[request["task"]](request)), f)
