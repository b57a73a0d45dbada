#!/usr/bin/env python3
"""Writes the PyTorch reference cases that TorchReferenceTest replays (src/test/resources/torch/).

Each case is a model file with explicit initial weights, a list of samples (some unlabelled, some
weighted), and what PyTorch makes of them with the conventions of docs/model-file.md: the prediction
made before each sample is trained on, the learning rate after it, and the final weights and biases.
Run it when the conventions change (naming cases writes only those):

    apt-get install python3-torch   # Debian's PyTorch 1.13, CPU
    /usr/bin/python3 ops/torch_reference.py [CASE ...]

Weights follow docs/model-file.md: a sample's weight w (times the class weight of its label for
softmax_ce) multiplies its loss, the minibatch's loss is the sum over its B samples divided by B,
and a sample of weight 0 is in no minibatch. bce's class weights are BCEWithLogitsLoss's pos_weight.
"""
import json
import os
import random
import sys

import torch

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "test", "resources", "torch")

ACTIVATIONS = {
    "identity": lambda a: a,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "relu": torch.relu,
    "softmax": lambda a: torch.softmax(a, dim=-1),
}


def per_sample_loss(kind, logits, output, label, pos_weight=None):
    if kind == "l2":
        return 0.5 * ((output - label) ** 2).sum()
    if kind == "l1":
        return (output - label).abs().sum()
    if kind == "hinge":
        return torch.relu(1 - label * output).sum()
    if kind == "bce":
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, label, reduction="sum",
                                                                    pos_weight=pos_weight)
    if kind == "softmax_ce":
        return torch.nn.functional.cross_entropy(logits.unsqueeze(0), label.long().view(1), reduction="sum")
    raise ValueError(kind)


def make_optimizer(optimizer, params):
    kind = optimizer["type"]
    lr = optimizer["learning_rate"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=lr, momentum=optimizer.get("momentum", 0.0),
                               nesterov=optimizer.get("nesterov", False),
                               weight_decay=optimizer.get("weight_decay", 0.0), foreach=False)
    if kind == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(optimizer.get("beta1", 0.9), optimizer.get("beta2", 0.999)),
                                eps=optimizer.get("eps", 1e-8), weight_decay=optimizer.get("weight_decay", 0.0),
                                foreach=False)
    if kind == "adamw":
        return torch.optim.AdamW(params, lr=lr, betas=(optimizer.get("beta1", 0.9), optimizer.get("beta2", 0.999)),
                                 eps=optimizer.get("eps", 1e-8), weight_decay=optimizer.get("weight_decay", 0.01),
                                 foreach=False)
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr, alpha=optimizer.get("alpha", 0.99), eps=optimizer.get("eps", 1e-8),
                                   weight_decay=optimizer.get("weight_decay", 0.0),
                                   momentum=optimizer.get("momentum", 0.0),
                                   centered=optimizer.get("centered", False), foreach=False)
    if kind == "adagrad":
        return torch.optim.Adagrad(params, lr=lr, lr_decay=optimizer.get("lr_decay", 0.0),
                                   weight_decay=optimizer.get("weight_decay", 0.0),
                                   initial_accumulator_value=optimizer.get("initial_accumulator_value", 0.0),
                                   eps=optimizer.get("eps", 1e-10), foreach=False)
    raise ValueError(kind)


def make_scheduler(schedule, opt):
    S = torch.optim.lr_scheduler
    if schedule is None:
        return None
    kind = schedule["type"]
    if kind == "step":
        return S.StepLR(opt, schedule["step_size"], gamma=schedule.get("gamma", 0.1))
    if kind == "exponential":
        return S.ExponentialLR(opt, schedule["gamma"])
    if kind == "cosine_warm_restarts":
        return S.CosineAnnealingWarmRestarts(opt, schedule["t_0"], T_mult=schedule.get("t_mult", 1),
                                             eta_min=schedule.get("eta_min", 0.0))
    if kind == "linear_warmup":
        return S.LinearLR(opt, start_factor=schedule.get("start_factor", 1.0 / 3), end_factor=1.0,
                          total_iters=schedule.get("total_iters", 5))
    if kind == "inverse_time":
        decay, power = schedule["decay"], schedule.get("power", 0.5)
        return S.LambdaLR(opt, lambda t: 1.0 / (1.0 + decay * t) ** power)
    raise ValueError(kind)


def case(name, sizes, hidden, output, loss, optimizer, minibatch, clip_norm, seed, n=40,
         lr_schedule=None, class_weights=None, weighted=False):
    rng = random.Random(seed)
    layers = []
    for i in range(len(sizes) - 1):
        layers.append({"in": sizes[i], "out": sizes[i + 1], "activation": hidden if i < len(sizes) - 2 else output})
    weights = [[[rng.uniform(-0.8, 0.8) for _ in range(l["in"])] for _ in range(l["out"])] for l in layers]
    biases = [[rng.uniform(-0.3, 0.3) for _ in range(l["out"])] for l in layers]
    model = {"format": "streamgrad-model/1", "model": name, "layers": layers, "loss": loss,
             "optimizer": optimizer, "minibatch": minibatch, "weights": weights, "biases": biases}
    if clip_norm:
        model["clip_norm"] = clip_norm
    if lr_schedule:
        model["lr_schedule"] = lr_schedule
    if class_weights:
        model["class_weights"] = class_weights
    outs = sizes[-1]
    samples = []
    for s in range(n):
        x = [rng.uniform(-2, 2) for _ in range(sizes[0])]
        if s % 7 == 6:
            label = None
        elif loss == "softmax_ce":
            label = rng.randrange(outs)
        elif loss == "bce":
            label = [float(rng.randrange(2)) for _ in range(outs)] if outs > 1 else float(rng.randrange(2))
        elif loss == "hinge":
            label = [rng.choice([-1.0, 1.0]) for _ in range(outs)] if outs > 1 else rng.choice([-1.0, 1.0])
        else:
            label = [rng.uniform(-1, 1) for _ in range(outs)] if outs > 1 else rng.uniform(-1, 1)
        sample = {"id": "s%d" % s, "features": x, "label": label}
        if weighted:
            sample["weight"] = rng.choice([0.0, 0.25, 1.0, 1.0, 2.0, 3.5])
        samples.append(sample)

    W = [torch.tensor(w, requires_grad=True) for w in weights]
    B = [torch.tensor(b, requires_grad=True) for b in biases]
    params = [p for pair in zip(W, B) for p in pair]
    opt = make_optimizer(optimizer, params)
    scheduler = make_scheduler(lr_schedule, opt)
    pos_weight = torch.tensor(class_weights) if class_weights and loss == "bce" else None

    def forward(x):
        a = x
        logits = None
        for l, layer in enumerate(layers):
            logits = W[l] @ a + B[l]
            a = ACTIVATIONS[layer["activation"]](logits)
        return logits, a

    predictions = []
    rates = []
    batch = []
    for sample in samples:
        x = torch.tensor(sample["features"])
        with torch.no_grad():
            _, out = forward(x)
        predictions.append(out.tolist())
        rates.append(opt.param_groups[0]["lr"])
        if sample["label"] is None:
            continue
        weight = sample.get("weight", 1.0)
        if class_weights and loss == "softmax_ce":
            weight *= class_weights[sample["label"]]
        if weight == 0.0:
            continue
        batch.append((sample, weight))
        if len(batch) == minibatch:
            opt.zero_grad()
            total = 0
            for b, weight in batch:
                logits, out = forward(torch.tensor(b["features"]))
                lab = b["label"]
                label = torch.tensor(lab if isinstance(lab, list) else [lab]) if loss != "softmax_ce" else torch.tensor(float(lab))
                term = per_sample_loss(loss, logits, out, label, pos_weight)
                total = total + (term if weight == 1.0 else weight * term)
            (total / len(batch)).backward()
            if clip_norm:
                torch.nn.utils.clip_grad_norm_(params, clip_norm)
            opt.step()
            if scheduler is not None:
                scheduler.step()
            batch = []
    expected = {"weights": [w.detach().tolist() for w in W], "biases": [b.detach().tolist() for b in B],
                "predictions": predictions}
    if lr_schedule:
        # the rate the next step uses, after each sample
        expected["rates"] = rates[1:] + [opt.param_groups[0]["lr"]]
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"model": model, "samples": samples, "expected": expected}, f, indent=1)


CASES = {}


def register(name, *args, **kwargs):
    CASES[name] = lambda: case(name, *args, **kwargs)


register("lecture-3-4-2-l2-sgd", [3, 4, 2], "sigmoid", "identity", "l2", {"type": "sgd", "learning_rate": 0.1}, 1, 0, 1)
register("softmax-nesterov-minibatch", [4, 5, 3], "tanh", "softmax", "softmax_ce",
         {"type": "sgd", "learning_rate": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}, 3, 0, 2)
register("bce-adam-clip", [3, 6, 1], "relu", "sigmoid", "bce",
         {"type": "adam", "learning_rate": 0.01, "weight_decay": 1e-4}, 2, 1.0, 3)
register("l1-two-outputs", [2, 4, 2], "tanh", "identity", "l1", {"type": "sgd", "learning_rate": 0.05, "momentum": 0.5}, 1, 0, 4)
register("hinge-adam", [3, 3, 1], "tanh", "identity", "hinge", {"type": "adam", "learning_rate": 0.02}, 1, 0, 5)
register("deep-sgd-clip", [5, 8, 6, 4, 2], "sigmoid", "identity", "l2", {"type": "sgd", "learning_rate": 0.2}, 1, 0.5, 6)
register("multilabel-bce", [4, 6, 3], "tanh", "sigmoid", "bce", {"type": "sgd", "learning_rate": 0.1, "weight_decay": 0.01}, 4, 0, 7)
# Optimizers, schedules and weights: a few hundred steps each.
register("adamw-minibatch-exponential", [4, 6, 3], "tanh", "softmax", "softmax_ce",
         {"type": "adamw", "learning_rate": 0.01, "weight_decay": 0.05}, 3, 0, 11, n=400,
         lr_schedule={"type": "exponential", "gamma": 0.995})
register("adamw-default-decay-pos-weight-warmup", [3, 5, 1], "relu", "sigmoid", "bce",
         {"type": "adamw", "learning_rate": 0.005}, 1, 0, 12, n=300,
         lr_schedule={"type": "linear_warmup", "start_factor": 0.25, "total_iters": 50},
         class_weights=[2.5], weighted=True)
register("rmsprop-centered-momentum-step", [3, 5, 2], "sigmoid", "identity", "l2",
         {"type": "rmsprop", "learning_rate": 0.005, "alpha": 0.9, "momentum": 0.8, "centered": True,
          "weight_decay": 0.001}, 2, 0, 13, n=400,
         lr_schedule={"type": "step", "step_size": 40, "gamma": 0.5}, weighted=True)
register("rmsprop-class-weights-cosine", [4, 4, 3], "tanh", "softmax", "softmax_ce",
         {"type": "rmsprop", "learning_rate": 0.002}, 1, 0, 14, n=300,
         lr_schedule={"type": "cosine_warm_restarts", "t_0": 20, "t_mult": 2, "eta_min": 1e-4},
         class_weights=[1.0, 2.0, 0.5], weighted=True)
register("adagrad-minibatch-inverse-time", [3, 6, 1], "tanh", "identity", "l2",
         {"type": "adagrad", "learning_rate": 0.05, "lr_decay": 0.01, "weight_decay": 0.001,
          "initial_accumulator_value": 0.1}, 4, 0, 15, n=400,
         lr_schedule={"type": "inverse_time", "decay": 0.05, "power": 0.5})
register("adagrad-defaults", [2, 5, 2], "relu", "identity", "l1", {"type": "adagrad", "learning_rate": 0.02},
         1, 0, 16, n=300)
register("sgd-inverse-time", [3, 4, 2], "sigmoid", "identity", "l2", {"type": "sgd", "learning_rate": 0.1}, 1, 0, 17,
         n=300, lr_schedule={"type": "inverse_time", "decay": 0.1, "power": 1.0})
register("sgd-weighted-samples", [3, 4, 2], "sigmoid", "identity", "l2", {"type": "sgd", "learning_rate": 0.1}, 1,
         0, 18, n=300, weighted=True)
register("sgd-momentum-class-weights-restarts", [4, 5, 3], "tanh", "softmax", "softmax_ce",
         {"type": "sgd", "learning_rate": 0.05, "momentum": 0.9, "weight_decay": 1e-3}, 2, 0, 19, n=300,
         lr_schedule={"type": "cosine_warm_restarts", "t_0": 25}, class_weights=[0.5, 1.0, 3.0], weighted=True)
register("multilabel-pos-weight-clip", [4, 6, 3], "tanh", "sigmoid", "bce",
         {"type": "sgd", "learning_rate": 0.1, "momentum": 0.5}, 2, 1.0, 20, n=300,
         class_weights=[0.5, 1.0, 3.0], weighted=True)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    for name in sys.argv[1:] or list(CASES):
        CASES[name]()
