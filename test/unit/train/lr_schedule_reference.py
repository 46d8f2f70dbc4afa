"""Independent PyTorch reference for the learning-rate schedules (src/main/engine/train/lr-schedule.ts).
Reads a JSON list of cases on stdin and prints, per case, the learning rate after each epoch's
scheduler step. Case kinds: {"kind": "step-every", lr, factor, every, epochs} -> torch StepLR;
{"kind": "step-at", lr, factor, milestones, epochs} -> torch MultiStepLR;
{"kind": "plateau", lr, factor, patience, threshold, min_lr, losses} -> torch ReduceLROnPlateau
(mode min, threshold_mode abs, cooldown 0), whose `patience` counts one epoch fewer than Keras'."""
import json
import sys

import torch


def run(case):
    param = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([param], lr=case["lr"])
    kind = case["kind"]
    if kind == "step-every":
        sched = torch.optim.lr_scheduler.StepLR(opt, step_size=case["every"], gamma=case["factor"])
        steps = [None] * case["epochs"]
    elif kind == "step-at":
        sched = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=case["milestones"], gamma=case["factor"])
        steps = [None] * case["epochs"]
    else:
        sched = torch.optim.lr_scheduler.ReduceLROnPlateau(
            opt, mode="min", factor=case["factor"], patience=case["patience"], threshold=case["threshold"],
            threshold_mode="abs", cooldown=0, min_lr=case["min_lr"])
        steps = case["losses"]
    out = []
    for loss in steps:
        opt.step()
        if loss is None:
            sched.step()
        else:
            sched.step(loss)
        out.append(opt.param_groups[0]["lr"])
    return out


print(json.dumps([run(c) for c in json.load(sys.stdin)]))
