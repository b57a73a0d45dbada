#!/usr/bin/env python3
"""Writes the PyTorch reference cases that TorchReferenceTest replays (src/test/resources/torch/).

Each case is a model file with explicit initial weights, a list of samples (some unlabelled), and
what PyTorch makes of them with the conventions of docs/model-file.md: the prediction made before
each sample is trained on, and the final weights and biases. Run it when the conventions change:

    apt-get install python3-torch   # Debian's PyTorch 1.13, CPU
    /usr/bin/python3 ops/torch_reference.py
"""
import json
import os
import random

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


def per_sample_loss(kind, logits, output, label):
    if kind == "l2":
        return 0.5 * ((output - label) ** 2).sum()
    if kind == "l1":
        return (output - label).abs().sum()
    if kind == "hinge":
        return torch.relu(1 - label * output).sum()
    if kind == "bce":
        return torch.nn.functional.binary_cross_entropy_with_logits(logits, label, reduction="sum")
    if kind == "softmax_ce":
        return torch.nn.functional.cross_entropy(logits.unsqueeze(0), label.long().view(1), reduction="sum")
    raise ValueError(kind)


def case(name, sizes, hidden, output, loss, optimizer, minibatch, clip_norm, seed, n=40):
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
        samples.append({"id": "s%d" % s, "features": x, "label": label})

    W = [torch.tensor(w, requires_grad=True) for w in weights]
    B = [torch.tensor(b, requires_grad=True) for b in biases]
    params = [p for pair in zip(W, B) for p in pair]
    if optimizer["type"] == "sgd":
        opt = torch.optim.SGD(params, lr=optimizer["learning_rate"], momentum=optimizer.get("momentum", 0.0),
                              nesterov=optimizer.get("nesterov", False), weight_decay=optimizer.get("weight_decay", 0.0),
                              foreach=False)
    else:
        opt = torch.optim.Adam(params, lr=optimizer["learning_rate"], betas=(optimizer.get("beta1", 0.9), optimizer.get("beta2", 0.999)),
                               eps=optimizer.get("eps", 1e-8), weight_decay=optimizer.get("weight_decay", 0.0), foreach=False)

    def forward(x):
        a = x
        logits = None
        for l, layer in enumerate(layers):
            logits = W[l] @ a + B[l]
            a = ACTIVATIONS[layer["activation"]](logits)
        return logits, a

    predictions = []
    batch = []
    for sample in samples:
        x = torch.tensor(sample["features"])
        with torch.no_grad():
            _, out = forward(x)
        predictions.append(out.tolist())
        if sample["label"] is None:
            continue
        batch.append(sample)
        if len(batch) == minibatch:
            opt.zero_grad()
            total = 0
            for b in batch:
                logits, out = forward(torch.tensor(b["features"]))
                lab = b["label"]
                label = torch.tensor(lab if isinstance(lab, list) else [lab]) if loss != "softmax_ce" else torch.tensor(float(lab))
                total = total + per_sample_loss(loss, logits, out, label)
            (total / len(batch)).backward()
            if clip_norm:
                torch.nn.utils.clip_grad_norm_(params, clip_norm)
            opt.step()
            batch = []
    expected = {"weights": [w.detach().tolist() for w in W], "biases": [b.detach().tolist() for b in B],
                "predictions": predictions}
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"model": model, "samples": samples, "expected": expected}, f, indent=1)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    case("lecture-3-4-2-l2-sgd", [3, 4, 2], "sigmoid", "identity", "l2", {"type": "sgd", "learning_rate": 0.1}, 1, 0, 1)
    case("softmax-nesterov-minibatch", [4, 5, 3], "tanh", "softmax", "softmax_ce",
         {"type": "sgd", "learning_rate": 0.05, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-3}, 3, 0, 2)
    case("bce-adam-clip", [3, 6, 1], "relu", "sigmoid", "bce",
         {"type": "adam", "learning_rate": 0.01, "weight_decay": 1e-4}, 2, 1.0, 3)
    case("l1-two-outputs", [2, 4, 2], "tanh", "identity", "l1", {"type": "sgd", "learning_rate": 0.05, "momentum": 0.5}, 1, 0, 4)
    case("hinge-adam", [3, 3, 1], "tanh", "identity", "hinge", {"type": "adam", "learning_rate": 0.02}, 1, 0, 5)
    case("deep-sgd-clip", [5, 8, 6, 4, 2], "sigmoid", "identity", "l2", {"type": "sgd", "learning_rate": 0.2}, 1, 0.5, 6)
    case("multilabel-bce", [4, 6, 3], "tanh", "sigmoid", "bce", {"type": "sgd", "learning_rate": 0.1, "weight_decay": 0.01}, 4, 0, 7)
