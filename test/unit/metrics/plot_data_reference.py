# Reference for plot-data.test.ts: scikit-learn's ROC and AUC and NumPy's density histograms of the
# labelled rows (label 0 or 1) of random scores. Usage: plot_data_reference.py in.json out.json
import json
import sys

import numpy as np
from sklearn.metrics import roc_auc_score, roc_curve

req = json.load(open(sys.argv[1]))
scores = np.asarray(req["scores"], dtype=np.float64)
labels = np.asarray(req["labels"])
keep = (labels == 0) | (labels == 1)
s, y = scores[keep], labels[keep]
fpr, tpr, _ = roc_curve(y, s, drop_intermediate=False)
lo, hi = s.min(), s.max()
hist = {c: np.histogram(s[y == c], bins=req["bins"], range=(lo, hi), density=True) for c in (0, 1)}
json.dump(
    {
        "fpr": fpr.tolist(),
        "tpr": tpr.tolist(),
        "auc": roc_auc_score(y, s),
        "edges": hist[0][1].tolist(),
        "background": hist[0][0].tolist(),
        "signal": hist[1][0].tolist(),
    },
    open(sys.argv[2], "w"),
)
