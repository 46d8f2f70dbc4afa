# Independent references for the Data screens' engine functions (inspect, summary), with pandas/NumPy.
#   write IN.json OUT.json: {"dir": D, "seed": S} → writes D/table.csv and D/jets.h5 (Top Tagging layout),
#   returns their first rows, label counts and per-row observables.
#   hist IN.json OUT.json: {"values", "labels", "classes": {name: code}, "edges"} → numpy.histogram per class.
import json
import sys

import numpy as np
import pandas as pd

req = json.load(open(sys.argv[1]))
out = {}

if req["action"] == "write":
    rng = np.random.default_rng(req["seed"])
    d = req["dir"]
    n = 3000
    table = pd.DataFrame({
        "a": rng.normal(5.0, 2.0, n),
        "b": rng.integers(0, 10, n).astype(np.float64),
        "c": rng.exponential(100.0, n),
        "label": (rng.random(n) < 0.3).astype(np.int64),
    })
    table.to_csv(f"{d}/table.csv", index=False)
    out["table"] = {
        "head": table.iloc[:10].values.tolist(),
        "counts": {str(k): int(v) for k, v in table["label"].value_counts().items()},
        "columns": {c: table[c].astype(np.float32).astype(np.float64).tolist() for c in ["a", "b", "c"]},
        "labels": table["label"].tolist(),
    }

    nj, C = 400, 200
    p4 = np.zeros((nj, C, 4), dtype=np.float32)
    labels = (rng.random(nj) < 0.4).astype(np.int8)
    for j in range(nj):
        k = int(rng.integers(2, 61))
        pt = np.sort(rng.exponential(20.0, k) + 1.0)[::-1]
        eta = rng.normal(0.5, 0.3, k)
        phi = rng.normal(1.0, 0.3, k)
        p4[j, :k] = np.stack([pt * np.cosh(eta), pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)], axis=1)
    cols = {}
    for i in range(C):
        for c, name in enumerate(["E", "PX", "PY", "PZ"]):
            cols[f"{name}_{i}"] = p4[:, i, c]
    for c, name in enumerate(["truthE", "truthPX", "truthPY", "truthPZ"]):
        cols[name] = np.zeros(nj, dtype=np.float32)
    cols["ttv"] = np.zeros(nj, dtype=np.int8)
    cols["is_signal_new"] = labels
    pd.DataFrame(cols).to_hdf(f"{d}/jets.h5", key="table")

    s = p4.astype(np.float64).sum(axis=1)
    jet_pt = np.hypot(s[:, 1], s[:, 2])
    mass = np.sqrt(np.maximum(s[:, 0] ** 2 - s[:, 1] ** 2 - s[:, 2] ** 2 - s[:, 3] ** 2, 0))
    out["jets"] = {
        "multiplicity": (p4[:, :, 0] > 0).sum(axis=1).tolist(),
        "pt": jet_pt.tolist(),
        "mass": mass.astype(np.float32).astype(np.float64).tolist(),
        "labels": labels.tolist(),
    }
elif req["action"] == "hist":
    values = np.asarray(req["values"], dtype=np.float64)
    edges = np.asarray(req["edges"], dtype=np.float64)
    labels = np.asarray(req["labels"])
    out = {name: np.histogram(values[labels == code], edges)[0].tolist() for name, code in req["classes"].items()}

json.dump(out, open(sys.argv[2], "w"))
