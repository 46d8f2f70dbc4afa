"""Independent references for the metrics tests: scikit-learn, NumPy and SciPy (Debian's python3).

Usage: metrics_reference.py IN.json OUT.json. IN holds {"task": ..., ...}; OUT the results. Non-finite
floats are written as the strings "inf", "-inf", "nan" (JSON has no such numbers).
"""
import json
import sys

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve


def finite(v):
    if isinstance(v, np.ndarray):
        return [finite(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [finite(x) for x in v]
    if isinstance(v, dict):
        return {k: finite(x) for k, x in v.items()}
    if isinstance(v, (float, np.floating)) and not np.isfinite(v):
        return str(float(v))
    return float(v) if isinstance(v, np.floating) else v


def binary(req):
    """Events labelled 0 or 1 only, as the workbench's roc() takes them."""
    s = np.asarray(req["scores"], dtype=np.float64)
    y = np.asarray(req["labels"], dtype=np.float64)
    w = np.asarray(req["weights"], dtype=np.float64) if req.get("weights") is not None else None
    keep = (y == 0) | (y == 1)
    return s[keep], y[keep].astype(int), (w[keep] if w is not None else None)


def roc_task(req):
    s, y, w = binary(req)
    fpr, tpr, thr = roc_curve(y, s, sample_weight=w, drop_intermediate=False)
    out = {"fpr": fpr, "tpr": tpr, "thresholds": thr[1:], "auc": roc_auc_score(y, s, sample_weight=w)}
    # Working points, each by NumPy's interp on the full curve (numpy picks, among repeated x, the
    # last point at or below x: reversing the arrays makes it the first).
    out["fprAtTpr"] = [float(np.interp(-e, -tpr[::-1], fpr[::-1])) for e in req["tprTargets"]]
    out["tprAtFpr"] = [float(np.interp(e, fpr, tpr)) for e in req["fprTargets"]]
    out["closest"] = [[float(fpr[k]), float(tpr[k])] for k in (int(np.argmin(np.abs(tpr - e))) for e in req["tprTargets"])]
    pos = fpr > 0
    sic = tpr[pos] / np.sqrt(fpr[pos])
    out["sicMax"] = float(sic.max())
    out["sicMaxTpr"] = float(tpr[pos][np.argmax(sic)])
    return out


def sculpting_task(req):
    from scipy.spatial.distance import jensenshannon

    s = np.asarray(req["scores"], dtype=np.float64)
    m = np.asarray(req["masses"], dtype=np.float64)
    y = np.asarray(req["labels"])
    edges = np.asarray(req["edges"], dtype=np.float64)
    bs, bm = s[y == 0], m[y == 0]
    out = []
    for eff in req["efficiencies"]:
        cut = -np.inf if eff == 1 else np.quantile(bs, 1 - eff)
        hp, _ = np.histogram(bm[bs > cut], bins=edges)
        hf, _ = np.histogram(bm[bs <= cut], bins=edges)
        jsd = jensenshannon(hp, hf, base=2) ** 2 if hf.sum() > 0 else None
        out.append({"threshold": cut, "passing": hp.astype(float), "failing": hf.astype(float), "jsd": jsd,
                    "achieved": float((bs > cut).mean())})
    return {"results": out}


def disco_task(req):
    """gkasieczka/DisCo distance_corr, ported line by line from torch to NumPy (n × n matrices)."""
    var_1 = np.asarray(req["x"], dtype=np.float64)
    var_2 = np.asarray(req["y"], dtype=np.float64)
    n = len(var_1)
    w = np.ones(n) if req.get("weights") is None else np.asarray(req["weights"], dtype=np.float64)
    normedweight = w / w.sum() * n
    amat = np.abs(var_1[:, None] - var_1[None, :])
    bmat = np.abs(var_2[:, None] - var_2[None, :])
    amatavg = np.mean(amat * normedweight, axis=1)
    Amat = amat - amatavg[None, :] - amatavg[:, None] + np.mean(amatavg * normedweight)
    bmatavg = np.mean(bmat * normedweight, axis=1)
    Bmat = bmat - bmatavg[None, :] - bmatavg[:, None] + np.mean(bmatavg * normedweight)
    ABavg = np.mean(Amat * Bmat * normedweight, axis=1)
    AAavg = np.mean(Amat * Amat * normedweight, axis=1)
    BBavg = np.mean(Bmat * Bmat * normedweight, axis=1)
    dcorr = np.mean(ABavg * normedweight) / np.sqrt(np.mean(AAavg * normedweight) * np.mean(BBavg * normedweight))
    return {"dcorr": float(dcorr)}


def jsd_task(req):
    from scipy.spatial.distance import jensenshannon

    return {"jsd": [float(jensenshannon(p, q, base=2) ** 2) for p, q in req["pairs"]]}


def percentile_task(req):
    x = np.asarray(req["samples"], dtype=np.float64)
    return {"percentiles": [float(np.percentile(x, 100 * q)) for q in req["q"]], "std": float(x.std(ddof=1))}


TASKS = {"roc": roc_task, "sculpting": sculpting_task, "disco": disco_task, "jsd": jsd_task, "percentile": percentile_task}

if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        request = json.load(f)
    with open(sys.argv[2], "w") as f:
        json.dump(finite(TASKS[request["task"]](request)), f)
