#!/usr/bin/env python3
"""PyTorch reference for `awb bench`: the workbench's dense and convolutional autoencoders,
built identically in PyTorch and timed the way a physicist who tuned PyTorch would run them:
a fixed thread count (the same one the TF.js side uses), an optimised BLAS, channels_last for
the convolutions, and eval() + no_grad() for inference. Prints one JSON object on stdout.

The two models mirror src/main/engine/models/{dense,conv}-autoencoder.ts layer for layer:
  dense: input -> widths (LeakyReLU 0.2 after each) -> mirrored widths -> linear output
  conv:  Heimel et al. (arXiv:1808.08979) as in physics.md section 2, PReLU after every layer but the last.

Keras' (and TF.js') PReLU has one slope per unit: a (C, H, W) weight after a convolution, a
(units,) weight after a dense layer. torch.nn.PReLU(num_parameters=C) shares one slope over
all pixels of a channel, which would give a different parameter count and a cheaper kernel,
so UnitPReLU below implements the per-unit form with Keras' formula relu(x) - a * relu(-x).

Run with Debian's python3-torch (the bench uses /usr/bin/python3, or $AWB_PYTHON).
"""

import argparse
import json
import os
import sys
import time


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--threads", type=int, required=True, help="intra-op threads for PyTorch and its BLAS")
    p.add_argument("--models", default="dense,conv", help="comma-separated subset of dense,conv")
    p.add_argument("--batch", type=int, default=256)
    p.add_argument("--dense-input", type=int, default=57)
    p.add_argument("--dense-widths", default="256,128,64,32,16,5")
    p.add_argument("--dense-samples", type=int, default=16384)
    p.add_argument("--image-size", type=int, default=40)
    p.add_argument("--kernel-size", type=int, default=3)
    p.add_argument("--bottleneck", type=int, default=32)
    p.add_argument("--conv-samples", type=int, default=1024)
    p.add_argument("--warmup-batches", type=int, default=4, help="training batches run before timing starts")
    p.add_argument("--seconds", type=float, default=6.0, help="minimum timed seconds per measurement")
    p.add_argument("--min-batches", type=int, default=4, help="minimum timed batches per measurement")
    p.add_argument("--params-only", action="store_true", help="print the parameter counts and exit")
    args = p.parse_args()
    if args.threads < 1:
        p.error("--threads must be at least 1")
    return args


ARGS = parse_args()
# OpenBLAS (pthread build) starts one thread per core unless told otherwise; this must be set
# before torch loads it, so that PyTorch really runs on --threads threads like the TF.js side.
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(ARGS.threads)

import torch  # noqa: E402  (after the thread environment is set)
from torch import nn  # noqa: E402


class UnitPReLU(nn.Module):
    """PReLU with one slope per unit (Keras' default, no shared axes); slopes start at 0 like Keras."""

    def __init__(self, shape):
        super().__init__()
        self.weight = nn.Parameter(torch.zeros(shape))

    def forward(self, x):
        return torch.relu(x) - self.weight * torch.relu(-x)


def dense_autoencoder(input_dim, widths):
    sizes = widths + widths[-2::-1]
    layers, previous = [], input_dim
    for units in sizes:
        layers += [nn.Linear(previous, units), nn.LeakyReLU(0.2)]
        previous = units
    layers.append(nn.Linear(previous, input_dim))
    return nn.Sequential(*layers)


class ConvAutoencoder(nn.Module):
    def __init__(self, size, k, bottleneck):
        super().__init__()
        half = size // 2

        def conv(cin, cout, side):
            return [nn.Conv2d(cin, cout, k, padding="same"), UnitPReLU((cout, side, side))]

        def dense(nin, nout):
            return [nn.Linear(nin, nout), UnitPReLU((nout,))]

        self.half = half
        self.encoder = nn.Sequential(
            *conv(1, 10, size), *conv(10, 10, size), nn.AvgPool2d(2),
            *conv(10, 10, half), *conv(10, 5, half), *conv(5, 5, half), nn.Flatten(),
            *dense(5 * half * half, 400), *dense(400, 100), *dense(100, bottleneck),
        )
        self.decoder_dense = nn.Sequential(*dense(bottleneck, 100), *dense(100, half * half))
        self.decoder_conv = nn.Sequential(
            *conv(1, 5, half), *conv(5, 5, half), nn.Upsample(scale_factor=2, mode="nearest"),
            *conv(5, 5, size), *conv(5, 10, size), nn.Conv2d(10, 1, k, padding="same"),
        )

    def forward(self, x):
        z = self.decoder_dense(self.encoder(x))
        # With one channel NCHW and NHWC coincide, so the view alone does not tell the following
        # convolutions to stay in channels_last; saying so is a few per cent faster.
        image = z.view(-1, 1, self.half, self.half).contiguous(memory_format=torch.channels_last)
        return self.decoder_conv(image)


def glorot_init(model):
    # Same initialisation family as the TF.js models (Glorot-uniform kernels, zero biases).
    for m in model.modules():
        if isinstance(m, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(m.weight)
            nn.init.zeros_(m.bias)
    return model


def count_params(model):
    return sum(p.numel() for p in model.parameters())


def active_blas():
    """The BLAS library actually mapped into this process (Debian switches it by alternatives)."""
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))  # make sure the BLAS is loaded
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1] if len(line.split()) >= 6 else ""
            name = os.path.basename(path).lower()
            if "blas" in name or "mkl_rt" in name:
                paths.add(os.path.realpath(path))
    if not paths:
        return "none found (torch may use its own GEMM)"
    # libblas.so.3 (the alternatives link) and the library behind it name the same BLAS: group them.
    by_config = {}
    for path in sorted(paths):
        config = "unknown BLAS"
        try:
            import ctypes

            lib = ctypes.CDLL(path)
            lib.openblas_get_config.restype = ctypes.c_char_p
            config = lib.openblas_get_config().decode()
        except (OSError, AttributeError):
            pass
        by_config.setdefault(config, []).append(path)
    return "; ".join(f"{config} ({', '.join(p)})" for config, p in by_config.items())


def timed_training(model, data, batch, conv):
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.MSELoss()
    model.train()
    n = data.shape[0]
    done = timed = 0
    samples = 0
    start = None
    while True:
        order = torch.randperm(n)
        for first in range(0, n, batch):
            xb = data[order[first:first + batch]]
            if conv:
                xb = xb.contiguous(memory_format=torch.channels_last)
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), xb)
            loss.backward()
            opt.step()
            loss.item()  # the TF.js loop reads every batch loss back too
            done += 1
            if start is None:
                if done >= ARGS.warmup_batches:
                    start = time.perf_counter()
                continue
            timed += 1
            samples += xb.shape[0]
            elapsed = time.perf_counter() - start
            if timed >= ARGS.min_batches and elapsed >= ARGS.seconds:
                return samples / elapsed, samples, elapsed


def timed_inference(model, data, batch, conv):
    model.eval()
    n = data.shape[0]
    batches = [data[i:i + batch] for i in range(0, n, batch)]
    if conv:
        batches = [b.contiguous(memory_format=torch.channels_last) for b in batches]
    with torch.no_grad():
        for b in batches[: max(1, ARGS.warmup_batches)]:
            model(b)
        timed = samples = 0
        start = time.perf_counter()
        while True:
            for b in batches:
                model(b)
                timed += 1
                samples += b.shape[0]
                elapsed = time.perf_counter() - start
                if timed >= ARGS.min_batches and elapsed >= ARGS.seconds:
                    return samples / elapsed, samples, elapsed


def build(kind):
    torch.manual_seed(1)
    if kind == "dense":
        widths = [int(w) for w in ARGS.dense_widths.split(",")]
        return glorot_init(dense_autoencoder(ARGS.dense_input, widths))
    return glorot_init(ConvAutoencoder(ARGS.image_size, ARGS.kernel_size, ARGS.bottleneck)).to(
        memory_format=torch.channels_last
    )


def main():
    torch.set_num_threads(ARGS.threads)
    kinds = [k for k in ARGS.models.split(",") if k]
    unknown = [k for k in kinds if k not in ("dense", "conv")]
    if unknown:
        sys.exit(f"torch_reference.py: unknown model(s) {unknown}; use dense and/or conv")
    if ARGS.params_only:
        print(json.dumps({f"{k}-ae": count_params(build(k)) for k in kinds}))
        return
    report = {
        "torch": torch.__version__,
        "blas": active_blas(),
        "mkldnn": torch.backends.mkldnn.is_available(),
        "threads": torch.get_num_threads(),
        "batch": ARGS.batch,
        "results": [],
    }
    for kind in kinds:
        model = build(kind)
        conv = kind == "conv"
        shape = (ARGS.conv_samples, 1, ARGS.image_size, ARGS.image_size) if conv else (ARGS.dense_samples, ARGS.dense_input)
        data = torch.randn(*shape, generator=torch.Generator().manual_seed(2))
        for phase, measure in (("train", timed_training), ("inference", timed_inference)):
            value, samples, seconds = measure(model, data, ARGS.batch, conv)
            report["results"].append({
                "name": f"{kind}-ae {phase}",
                "value": value,
                "unit": "samples/s",
                "samples": samples,
                "seconds": seconds,
                "params": count_params(model),
            })
    print(json.dumps(report))


if __name__ == "__main__":
    main()
