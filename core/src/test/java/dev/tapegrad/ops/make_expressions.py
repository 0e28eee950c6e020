#!/usr/bin/env python3
"""Writes the PyTorch numbers of ExprReferenceTest: core/src/test/resources/reference/expressions.json.

Each case is one expression over a few named inputs. Its inputs are float32 values (drawn from a
seeded generator); the output and the gradient of every input that needs one are computed by
PyTorch in float64 from exactly those values, with the seed gradient `seed` on the output, so they
are the exact answer a float32 implementation should approach. ExprReferenceTest writes the same
expressions with Tapegrad's Expr and compares. Run from the repository root:

    python3 core/src/test/java/dev/tapegrad/ops/make_expressions.py

It needs PyTorch (Debian: apt-get install python3-torch); the test itself never runs Python.
"""
import json
import os
import torch

SEED = 20261301
OUT = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'resources', 'reference',
                   'expressions.json')

generator = torch.Generator().manual_seed(SEED)


def uniform(*shape, low=-2.0, high=2.0):
    """float32 values uniform in [low, high), then widened to float64 (so both sides start equal)."""
    x = torch.rand(tuple(shape), generator=generator, dtype=torch.float32) * (high - low) + low
    return x.to(torch.float64)


def away_from_zero(*shape):
    """Magnitudes in [0.5, 2] with a random sign: away from the kink of relu and the pole of 1/x."""
    magnitude = uniform(*shape, low=0.5, high=2.0)
    sign = torch.where(torch.rand(tuple(shape), generator=generator) < 0.5, -1.0, 1.0).to(torch.float64)
    return magnitude * sign


def positive(*shape):
    return uniform(*shape, low=0.5, high=2.0)


def one_hot(rows, classes):
    targets = torch.randint(0, classes, (rows,), generator=generator)
    return torch.nn.functional.one_hot(targets, classes).to(torch.float64)


# name: (description, inputs {name: (tensor, requires_grad)}, function of the inputs)
CASES = []


def case(name, description, inputs, fn):
    CASES.append((name, description, inputs, fn))


case('affine_relu', 'relu(x @ w + b): a row bias broadcast over the rows',
     {'x': (uniform(4, 3), True), 'w': (uniform(3, 5), True), 'b': (uniform(5), True)},
     lambda x, w, b: torch.relu(x @ w + b))
case('column_scale', '(x * c - 1) / (c + 2): a column broadcast on both sides of a quotient, and numbers',
     {'x': (uniform(3, 4), True), 'c': (positive(3, 1), True)},
     lambda x, c: (x * c - 1) / (c + 2))
case('outer_sum', 'tanh((a + b) * 2): a column plus a row, both stretched',
     {'a': (uniform(4, 1), True), 'b': (uniform(1, 3), True)},
     lambda a, b: torch.tanh((a + b) * 2))
case('rank_zero', 's * x + s ** 2 + one: a rank-0 tensor against (2, 3) and against a [1]',
     {'s': (uniform(), True), 'x': (uniform(2, 3), True), 'one': (uniform(1), True)},
     lambda s, x, one: s * x + s ** 2 + one)
case('attention', 'softmax(q @ k^T / sqrt(4)) @ v: transpose, a scalar divisor, softmax over rows',
     {'q': (uniform(3, 4), True), 'k': (uniform(5, 4), True), 'v': (uniform(5, 2), True)},
     lambda q, k, v: torch.softmax(q @ k.transpose(-2, -1) / 2.0, dim=-1) @ v)
case('nll', '-mean(log_softmax(z) * onehot) * 3: a constant mask, a mean of everything',
     {'z': (uniform(4, 6), True), 'onehot': (one_hot(4, 6), False)},
     lambda z, onehot: -(torch.log_softmax(z, dim=-1) * onehot).mean() * 3)
case('softplus_rows', 'sum(log(exp(x) + 1), dim=-1): exp, log and a sum along the last dimension',
     {'x': (uniform(2, 3), True)},
     lambda x: torch.log(torch.exp(x) + 1).sum(dim=-1))
case('normalise', 'x / sqrt(sum(x ** 2, dim=-1, keepdim) + 0.001): a kept dimension broadcast back',
     {'x': (uniform(3, 4), True)},
     lambda x: x / torch.sqrt((x ** 2).sum(dim=-1, keepdim=True) + 0.001))
case('powers', '(-x) ** 3 + x ** -1 + p ** 0.5 + p ** -1.5: negation and whole and fractional powers',
     {'x': (away_from_zero(2, 3), True), 'p': (positive(2, 3), True)},
     lambda x, p: (-x) ** 3 + x ** -1 + p ** 0.5 + p ** -1.5)
case('centre', 'sum(x - mean(x, dim=0, keepdim), dim=1): reductions of a rank-3 tensor, broadcast back',
     {'x': (uniform(3, 2, 4), True)},
     lambda x: (x - x.mean(dim=0, keepdim=True)).sum(dim=1))
case('gate', 'sigmoid(a) * b + (1 - sigmoid(a)) * c: a row and a column mixed by a gate',
     {'a': (uniform(2, 3), True), 'b': (uniform(3), True), 'c': (uniform(2, 1), True)},
     lambda a, b, c: torch.sigmoid(a) * b + (1 - torch.sigmoid(a)) * c)
case('batched_transpose', 'sum(transpose(x) * w, dim=-1) / mean(x): a stack of matrices transposed',
     {'x': (positive(2, 3, 4), True), 'w': (uniform(4, 1), True)},
     lambda x, w: (x.transpose(-2, -1) * w).sum(dim=-1) / x.mean())
case('micrograd', "micrograd's test_more_ops on the scalars a and b",
     {'a': (torch.tensor(-4.0, dtype=torch.float64), True), 'b': (torch.tensor(2.0, dtype=torch.float64), True)},
     None)
case('classifier', 'cross_entropy(relu(x @ w1 + b1) @ w2 + b2, targets): a small MLP and its loss',
     {'x': (uniform(5, 3), False), 'w1': (uniform(3, 4), True), 'b1': (uniform(4), True),
      'w2': (uniform(4, 3), True), 'b2': (uniform(3), True)},
     None)

TARGETS = [0, 2, 1, 1, 0]


def micrograd(a, b):
    c = a + b
    d = a * b + b ** 3
    c = c + c + 1
    c = c + 1 + c + (-a)
    d = d + d * 2 + (b + a).relu()
    d = d + 3 * d + (b - a).relu()
    e = c - d
    f = e ** 2
    g = f / 2.0
    g = g + 10.0 / f
    return g


def classifier(x, w1, b1, w2, b2):
    logits = torch.relu(x @ w1 + b1) @ w2 + b2
    return torch.nn.functional.cross_entropy(logits, torch.tensor(TARGETS))


def tensor_json(t):
    return {'shape': list(t.shape), 'data': [float(v) for v in t.reshape(-1).tolist()]}


def main():
    functions = {'micrograd': micrograd, 'classifier': classifier}
    cases = []
    for name, description, inputs, fn in CASES:
        fn = fn or functions[name]
        leaves = {k: v.clone().requires_grad_(grad) for k, (v, grad) in inputs.items()}
        out = fn(*leaves.values())
        # the seed: float32 values, so that the Java side starts from the same numbers
        seed = uniform(*out.shape) if out.dim() > 0 else torch.tensor(1.0, dtype=torch.float64)
        out.backward(seed)
        cases.append({
            'name': name,
            'about': description,
            'inputs': {k: dict(tensor_json(v.detach()), requires_grad=inputs[k][1]) for k, v in leaves.items()},
            'output': tensor_json(out.detach()),
            'seed': tensor_json(seed),
            'grads': {k: tensor_json(v.grad) for k, v in leaves.items() if v.grad is not None},
        })
    doc = {
        'about': 'Expressions over float32 inputs, with their outputs and input gradients (for the seed '
                 'gradient on the output) computed by PyTorch ' + torch.__version__ + ' in float64. Made by '
                 'core/src/test/java/dev/tapegrad/ops/make_expressions.py; checked by ExprReferenceTest.',
        'seed': SEED,
        'targets': TARGETS,
        'cases': cases,
    }
    with open(OUT, 'w') as f:
        json.dump(doc, f, indent=1)
        f.write('\n')
    print('wrote', len(cases), 'cases to', os.path.normpath(OUT))


if __name__ == '__main__':
    main()
