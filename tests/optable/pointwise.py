"""Op-table entries: elementwise ops."""

from __future__ import annotations

from . import OpSpec

BROADCAST = [((3, 4), (3, 4)), ((3, 4), (4,)), ((2, 1, 4), (3, 1)), ((), (5,)), ((0, 3), (3,))]
UNARY = [((3, 4),), ((),), ((2, 0),), ((2, 3, 4),)]

OPS: list[OpSpec] = [
    OpSpec("add", lambda lib, a, b: lib.add(a, b), BROADCAST, hypothesis="broadcast",
           n_inputs=2, gradgradcheck=True),
    OpSpec("add_alpha", lambda lib, a, b: lib.add(a, b, alpha=2.5), BROADCAST, n_inputs=2),
    OpSpec("sub", lambda lib, a, b: a - b, BROADCAST, hypothesis="broadcast", n_inputs=2),
    OpSpec("mul", lambda lib, a, b: a * b, BROADCAST, hypothesis="broadcast", n_inputs=2,
           gradgradcheck=True),
    OpSpec("div", lambda lib, a, b: a / b, BROADCAST, domain="nonzero", hypothesis="broadcast",
           n_inputs=2, gradgradcheck=True),
    OpSpec("rsub_scalar", lambda lib, a: 1 - a, UNARY),
    OpSpec("scalar_mul", lambda lib, a: 2.5 * a, UNARY),
    OpSpec("exp", lambda lib, a: a.exp(), UNARY, hypothesis="unary", gradgradcheck=True),
    OpSpec("log", lambda lib, a: lib.log(a), UNARY, domain="positive", hypothesis="unary",
           gradgradcheck=True),
    OpSpec("sqrt", lambda lib, a: a.sqrt(), UNARY, domain="positive", hypothesis="unary"),
    OpSpec("pow_scalar", lambda lib, a: a ** 3, UNARY, hypothesis="unary", gradgradcheck=True),
    OpSpec("pow_tensor", lambda lib, a, b: a ** b, BROADCAST, domain="positive", n_inputs=2),
    OpSpec("rpow", lambda lib, a: 2 ** a, UNARY),
    OpSpec("tanh", lambda lib, a: a.tanh(), UNARY, hypothesis="unary", gradgradcheck=True),
    OpSpec("sigmoid", lambda lib, a: lib.sigmoid(a), UNARY, hypothesis="unary",
           gradgradcheck=True),
    OpSpec("relu", lambda lib, a: lib.relu(a), UNARY, domain="nonzero", hypothesis="unary"),
    OpSpec("neg", lambda lib, a: -a, UNARY, hypothesis="unary"),
    OpSpec("sin", lambda lib, a: a.sin(), UNARY, hypothesis="unary"),
    OpSpec("cos", lambda lib, a: a.cos(), UNARY, hypothesis="unary"),
]
