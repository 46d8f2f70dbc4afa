"""Independent NumPy / scikit-learn references for the representation tests (run by Debian's /usr/bin/python3).

Usage: reference.py COMMAND INPUT.f32 OUTPUT.f64 ARGS...   (raw little-endian arrays; outputs concatenated, float64)
"""
import sys

import numpy as np


def wrap(x):
    return np.angle(np.exp(1j * x))


def jets_of(x, nj, nc):
    return x.astype(np.float64).reshape(nj, nc, 4)


def constituents(x, nj, nc, n):
    """The n hardest constituents by pT, as (E, px, py, pz) and as (pT, deta, dphi) about the summed jet axis."""
    p4 = np.zeros((nj, n, 4))
    rel = np.zeros((nj, n, 3))
    for j, jet in enumerate(jets_of(x, nj, nc)):
        c = jet[jet[:, 0] > 0]
        if len(c) == 0:
            continue
        pt = np.hypot(c[:, 1], c[:, 2])
        order = np.argsort(-pt, kind="stable")[:n]
        s = c.sum(axis=0)
        jet_eta = np.arctanh(s[3] / np.linalg.norm(s[1:]))
        jet_phi = np.arctan2(s[2], s[1])
        eta = np.arctanh(c[:, 3] / np.linalg.norm(c[:, 1:], axis=1))
        phi = np.arctan2(c[:, 2], c[:, 1])
        p4[j, : len(order)] = c[order]
        rel[j, : len(order)] = np.stack([pt[order], eta[order] - jet_eta, wrap(phi[order] - jet_phi)], axis=1)
    return [p4, rel]


def kt_taus(c, r0=0.8, ns=(1, 2, 3)):
    """Brute-force exclusive-kT N-subjettiness (beta = 1): every pairwise distance recomputed at every merge."""
    def coords(P):
        return P[:, 1] ** 2 + P[:, 2] ** 2, 0.5 * np.log((P[:, 0] + P[:, 3]) / (P[:, 0] - P[:, 3])), np.arctan2(P[:, 2], P[:, 1])

    def dr2(y1, p1, y2, p2):
        return (y1 - y2) ** 2 + wrap(p1 - p2) ** 2

    P = c.copy()
    axes = {}
    while True:
        if len(P) in ns:
            axes[len(P)] = coords(P)[1:]
        if len(P) <= 1:
            break
        pt2, y, ph = coords(P)
        d = np.minimum.outer(pt2, pt2) * dr2(y[:, None], ph[:, None], y[None, :], ph[None, :])
        np.fill_diagonal(d, np.inf)
        i, j = np.unravel_index(np.argmin(d), d.shape)
        P[i] = P[i] + P[j]
        P = np.delete(P, j, axis=0)
    pt2, y, ph = coords(c)
    pt = np.sqrt(pt2)
    out = []
    for n in ns:
        if n >= len(c):
            out.append(0.0)
            continue
        ay, aph = axes[n]
        dmin = np.sqrt(dr2(y[:, None], ph[:, None], ay[None, :], aph[None, :]).min(axis=1))
        out.append((pt * dmin).sum() / (pt.sum() * r0))
    return out


def jet_observables(x, nj, nc):
    res = np.zeros((6, nj))
    for j, jet in enumerate(jets_of(x, nj, nc)):
        c = jet[jet[:, 0] > 0]
        s = c.sum(axis=0)
        pt = np.hypot(s[1], s[2])
        res[0, j] = np.sqrt(max(0.0, s[0] ** 2 - s[1:] @ s[1:]))
        res[1, j] = pt
        res[2, j] = np.arcsinh(s[3] / pt) if pt > 0 else 0.0
        res[3, j] = len(c)
        t1, t2, t3 = kt_taus(c) if len(c) else (0.0, 0.0, 0.0)
        res[4, j] = t2 / t1 if t1 > 0 else 0.0
        res[5, j] = t3 / t2 if t2 > 0 else 0.0
    return [res]


SLOT_TYPE = np.array([0] + [1] * 4 + [2] * 4 + [3] * 10)


def events_of(x, n):
    return x.astype(np.float64).reshape(n, 19, 4)


def event_objects(x, n):
    """AnomalyCLR tutorial scalings fitted on these events, the 7- and 8-feature object lists, and the flat 57."""
    p = events_of(x, n)
    real = p[:, :, 0] > 0
    scaling = np.array([p[:, :, 0][real].mean(), np.abs(p[:, :, 1][real]).max(), np.abs(p[:, :, 2][real]).max()])
    onehot = np.eye(4)[np.broadcast_to(SLOT_TYPE, (n, 19))]
    kin = p[:, :, :3] / scaling
    seven = np.concatenate([kin, onehot], axis=2) * real[:, :, None]
    eight = np.concatenate([kin[:, :, :2], np.sin(p[:, :, 2:3]), np.cos(p[:, :, 2:3]), onehot], axis=2) * real[:, :, None]
    return [scaling, seven, eight, p[:, :, :3].reshape(n, 57)]


def pair_mass(objs):
    """Invariant mass of the two hardest (pT) massless objects given as rows of (pT, eta, phi), 0 if fewer than two."""
    if len(objs) < 2:
        return 0.0
    a, b = objs[np.argsort(-objs[:, 0], kind="stable")[:2]]
    v = [np.array([pt * np.cosh(eta), pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)]) for pt, eta, phi in (a[:3], b[:3])]
    s = v[0] + v[1]
    return np.sqrt(max(0.0, s[0] ** 2 - s[1:] @ s[1:]))


def event_observables(x, n):
    res = np.zeros((6, n))
    for e, ev in enumerate(events_of(x, n)):
        real = ev[:, 0] > 0
        jets = ev[real & (SLOT_TYPE == 3)]
        leptons = ev[real & ((SLOT_TYPE == 1) | (SLOT_TYPE == 2))]
        res[:, e] = [jets[:, 0].sum(), ev[0, 0] if real[0] else 0.0, pair_mass(jets), pair_mass(leptons), len(jets), len(leptons)]
    return [res]


def robust_scaler(x, rows, width, group):
    """sklearn's RobustScaler; padding groups (all-zero runs of `group` features) become NaN, which sklearn ignores."""
    from sklearn.preprocessing import RobustScaler

    X = x.astype(np.float64).reshape(rows, width)
    if group:
        pad = np.repeat((X.reshape(rows, width // group, group) == 0).all(axis=2), group, axis=1)
        X = np.where(pad, np.nan, X)
    s = RobustScaler().fit(X)
    return [s.center_, s.scale_, np.nan_to_num(s.transform(X), nan=0.0)]


COMMANDS = {
    "constituents": constituents,
    "jet-observables": jet_observables,
    "event-objects": event_objects,
    "event-observables": event_observables,
    "robust-scaler": robust_scaler,
}

if __name__ == "__main__":
    command, inp, outp = sys.argv[1:4]
    x = np.fromfile(inp, dtype="<f4")
    parts = COMMANDS[command](x, *(int(a) for a in sys.argv[4:]))
    np.concatenate([np.ravel(a) for a in parts]).astype("<f8").tofile(outp)
