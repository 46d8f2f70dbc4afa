# Independent reader for test/unit/data/writers.test.ts: opens files written by the HDF5 writers with Debian's
# pandas / PyTables / h5py and reports what they see as JSON on stdout, with array values dumped to raw
# little-endian files in OUTDIR, so the test can compare every value with what it wrote.
#   pandas  FILE OUTDIR   pandas.read_hdf(FILE, 'table'), PyTables' view of the nodes, and the node/attribute
#                         layout compared with the same frame written by pandas itself
#   h5py    FILE OUTDIR   every dataset (shape, dtype, string padding, values) and every attribute
import json
import sys

import h5py
import numpy as np


def text(v):
    if isinstance(v, bytes):
        return v.decode('utf-8')
    if isinstance(v, np.ndarray):
        return [text(x) for x in v.tolist()]
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return float(v)
    if isinstance(v, h5py.Empty):
        return None
    return v


def dtype_name(tid):
    cls = tid.get_class()
    if cls == h5py.h5t.STRING:
        pad = {h5py.h5t.STR_NULLTERM: 'nullterm', h5py.h5t.STR_NULLPAD: 'nullpad', h5py.h5t.STR_SPACEPAD: 'spacepad'}
        kind = 'vlen' if tid.is_variable_str() else f'S{tid.get_size()}'
        return f"string {kind} {pad[tid.get_strpad()]} {'utf8' if tid.get_cset() == h5py.h5t.CSET_UTF8 else 'ascii'}"
    return np.dtype(tid.dtype).str


def layout(f):
    """Every node with its kind, shape, element type and attributes (value and element type)."""
    nodes = {}

    def visit(name, obj):
        node = {'kind': 'group' if isinstance(obj, h5py.Group) else 'dataset', 'attrs': {}}
        if isinstance(obj, h5py.Dataset):
            node['shape'] = list(obj.shape)
            node['dtype'] = dtype_name(obj.id.get_type())
        for k in obj.attrs:
            node['attrs'][k] = {'value': text(obj.attrs[k]), 'dtype': dtype_name(obj.attrs.get_id(k).get_type())}
        nodes[name] = node

    visit('/', f)
    f.visititems(visit)
    return nodes


def pandas_mode(path, out):
    import pandas as pd
    import tables

    df = pd.read_hdf(path, 'table')
    floats = [c for c in df.columns if df[c].dtype == np.float32]
    ints = [c for c in df.columns if df[c].dtype == np.int64]
    df[floats].to_numpy().astype('<f4').tofile(f'{out}/floats.bin')
    df[ints].to_numpy().astype('<i8').tofile(f'{out}/ints.bin')
    with tables.open_file(path) as t:
        classes = {n._v_pathname: type(n).__name__ for n in t.walk_nodes('/')}
        pandas_type = text(t.root.table._v_attrs.pandas_type)
    # The same frame written by pandas itself: the layout ours must match.
    df.to_hdf(f'{out}/pandas.h5', 'table')
    with h5py.File(path, 'r') as ours, h5py.File(f'{out}/pandas.h5', 'r') as theirs:
        mine, ref = layout(ours), layout(theirs)
    return {
        'shape': list(df.shape),
        'columns': [str(c) for c in df.columns],
        'dtypes': [str(t) for t in df.dtypes],
        'float_columns': floats,
        'int_columns': ints,
        'index_is_range': bool((df.index == np.arange(len(df))).all()),
        'pytables_classes': classes,
        'pandas_type': pandas_type,
        'layout': mine,
        'pandas_layout': ref,
    }


def h5py_mode(path, out):
    with h5py.File(path, 'r') as f:
        nodes = layout(f)
        for name, node in nodes.items():
            if node['kind'] != 'dataset':
                continue
            data = f[name][()]
            if data.dtype.kind == 'S':
                node['values'] = text(data)
            else:
                data.astype(data.dtype.newbyteorder('<')).tofile(f"{out}/{name.replace('/', '_')}.bin")
        return {'layout': nodes}


if __name__ == '__main__':
    mode, path, out = sys.argv[1:4]
    print(json.dumps({'pandas': pandas_mode, 'h5py': h5py_mode}[mode](path, out)))
