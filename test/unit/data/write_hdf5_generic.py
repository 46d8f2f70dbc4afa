# Writes generic HDF5 files (h5py and pandas) in the four layouts hdf5-generic-reader.test.ts reads, and the
# expected float32 values / int8 labels as raw little-endian binaries computed here in numpy.
import json
import sys
import h5py
import numpy as np
import pandas as pd

out, n = sys.argv[1], int(sys.argv[2])
rng = np.random.default_rng(5)


def dump(name, array, dtype):
    np.ascontiguousarray(array, dtype=dtype).tofile(f"{out}/{name}.bin")


# (a) 'features' with names in an attribute, labels 0/1; a second 2-d dataset must not be chosen as the
# features, but it and a 1-d 'mass' (one value per row) are kept beside them; 'short' has other rows
feat = rng.normal(0, 3, (n, 5)).astype(np.float32)
labels01 = rng.integers(0, 2, n)
aux = rng.normal(0, 1, (n, 2))
mass = rng.uniform(10, 300, n)
with h5py.File(f"{out}/a-features.h5", "w") as f:
    f.create_dataset("features", data=feat).attrs["columns"] = ["pt", "eta", "phi", "m", "tau21"]
    f["labels"] = labels01
    f["aux"] = aux
    f["mass"] = mass
    f["short"] = mass[:-1]
dump("a-features", feat, np.float32)
dump("a-aux", aux, np.float32)
dump("a-mass", mass, np.float32)
dump("labels01", labels01, np.int8)

# (a) the only 2-d dataset, int64 values, inside a group, no names, no labels
ints = rng.integers(-1000, 1000, (n, 3))
with h5py.File(f"{out}/a-only.h5", "w") as f:
    f.create_dataset("data/x", data=ints)
    f["data/comment"] = "not numeric"
dump("a-only", ints, np.float32)

# (a) names in a sibling 'columns' dataset; the label is one of the matrix columns (labelColumn option)
mat = np.concatenate([rng.normal(0, 1, (n, 3)), rng.integers(0, 4, (n, 1))], axis=1)
with h5py.File(f"{out}/a-colsds.h5", "w") as f:
    f["X"] = mat
    f["columns"] = np.array([b"a", b"b", b"c", b"cls"])
dump("a-colsds-ba", mat[:, [1, 0]], np.float32)
dump("a-colsds-labels", mat[:, 3], np.int8)

# (b) root 1-d datasets of several dtypes and a label with -1 and three classes; a string dataset is ignored
pt = rng.exponential(50, n).astype(np.float32)
eta = rng.normal(0, 2, n)
cnt = rng.integers(0, 60, n).astype(np.int32)
multi = rng.integers(-1, 3, n).astype(np.int8)
with h5py.File(f"{out}/b-vectors.h5", "w") as f:
    f["pt"], f["eta"], f["n"], f["labels"] = pt, eta, cnt, multi
    f["name"] = "run 7"
dump("b-vectors", np.stack([eta, cnt, pt], axis=1), np.float32)  # HDF5 lists links by name
dump("b-labels", multi, np.int8)

# (b) inside a group, with chosen columns and a named label
with h5py.File(f"{out}/b-group.h5", "w") as f:
    f["cols/x1"], f["cols/x2"], f["cols/y"] = eta, pt, labels01
dump("b-group", np.stack([pt, eta], axis=1), np.float32)

# (c) pandas frames with mixed dtypes (numeric, bool, text, datetime) and a label column, both formats
frame = pd.DataFrame({
    "f32": rng.normal(0, 1, n).astype(np.float32),
    "f64": rng.normal(0, 1e3, n),
    "i32": rng.integers(-5, 5, n).astype(np.int32),
    "text": [f"ev{i}" for i in range(n)],
    "flag": rng.integers(0, 2, n).astype(bool),
    "i64": rng.integers(-100000, 100000, n),
    "when": pd.date_range("2020-01-01", periods=n, freq="h"),
    "label": labels01,
    "u8": rng.integers(0, 255, n).astype(np.uint8),
})
frame.to_hdf(f"{out}/c-fixed.h5", key="frame")
frame.to_hdf(f"{out}/c-table.h5", key="frame", format="table", data_columns=["i64"])
frame.to_hdf(f"{out}/c-blosc.h5", key="frame", complib="blosc", complevel=5)
numeric = ["f32", "f64", "i32", "flag", "i64", "u8"]
dump("c-frame", frame[numeric].astype(np.float64).to_numpy(), np.float32)

# (d) jets (N, C, 4) of (E, px, py, pz) with constituents in random order and zero padding, plus a stamp
C = 30
mom = rng.normal(0, 40, (n, C, 3))
for r in range(n):
    mom[r, rng.integers(1, C):] = 0
    if r % 2:
        mom[r] = mom[r, rng.permutation(C)]
jets = np.concatenate([np.sqrt((mom ** 2).sum(2) + 0.01 * (mom[..., 0] != 0))[..., None], mom], axis=2).astype(np.float32)
stamp = {"generator": "dijet", "spec": {"n": n, "seed": 1}, "labelNames": {"0": "qcd", "1": "w"}}
with h5py.File(f"{out}/d-jets.h5", "w") as f:
    f["jets"], f["labels"] = jets, labels01
    f.attrs["awb_generator"] = json.dumps(stamp)
pts = np.hypot(jets[..., 1].astype(np.float64), jets[..., 2].astype(np.float64))
dump("d-jets", np.stack([jets[r, np.argsort(-pts[r], kind="stable")] for r in range(n)]), np.float32)

# bad inputs
with h5py.File(f"{out}/nan.h5", "w") as f:
    bad = feat.copy(); bad[17, 1] = np.nan
    f.create_dataset("features", data=bad).attrs["columns"] = ["pt", "eta", "phi", "m", "tau21"]
with h5py.File(f"{out}/inf.h5", "w") as f:
    bad = eta.copy(); bad[9] = -np.inf
    f["pt"], f["eta"] = pt, bad
with h5py.File(f"{out}/jet-nan.h5", "w") as f:
    bad = jets.copy(); bad[2, 5, 2] = np.nan
    f["jets"] = bad
with h5py.File(f"{out}/half-label.h5", "w") as f:
    f["features"], f["labels"] = feat, np.where(np.arange(n) == 4, 0.5, 1.0)
with h5py.File(f"{out}/big-label.h5", "w") as f:
    f["features"], f["labels"] = feat, np.where(np.arange(n) == 6, 200, 0)
with h5py.File(f"{out}/short-label.h5", "w") as f:
    f["features"], f["labels"] = feat, labels01[:-1]
with h5py.File(f"{out}/wrong-names.h5", "w") as f:
    f.create_dataset("features", data=feat).attrs["columns"] = ["pt", "eta", "phi", "m"]
with h5py.File(f"{out}/empty.h5", "w") as f:
    f["features"] = np.zeros((0, 5), np.float32)
with h5py.File(f"{out}/two.h5", "w") as f:
    f["a"], f["b"] = feat, feat
with h5py.File(f"{out}/uneven.h5", "w") as f:
    f["x"], f["z"] = pt, pt[:-3]
with h5py.File(f"{out}/nothing.h5", "w") as f:
    f["note"] = "text only"
