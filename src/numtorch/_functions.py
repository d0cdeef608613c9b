"""The flat namespace of torch-level functions (``torch.exp``, ``torch.sum``...).

Tensor methods delegate here (``_tensor_methods``) and ``numtorch`` re-exports it.
"""

from __future__ import annotations

from ._composites.linalg import matmul, mm, t
from ._composites.pointwise import (abs, add, bitwise_not, clone, cos, div, divide, eq, exp,
                                    floor_divide, ge, gt, le, log, logical_and, logical_not,
                                    logical_or, logical_xor, lt, mul, multiply, ne, neg,
                                    negative, pow, relu, rsub, sigmoid, sin, sqrt, square, sub,
                                    subtract, tanh, to_dtype, true_divide, where)
from ._composites.reduction import mean, sum
from ._composites.shape import expand, permute, reshape, view

__all__ = [
    "abs", "add", "bitwise_not", "clone", "cos", "div", "divide", "eq", "exp", "floor_divide",
    "ge", "gt", "le", "log", "logical_and", "logical_not", "logical_or", "logical_xor", "lt",
    "mul", "multiply", "ne", "neg", "negative", "pow", "relu", "rsub", "sigmoid", "sin", "sqrt",
    "square", "sub", "subtract", "tanh", "to_dtype", "true_divide", "where", "mean", "sum",
    "expand", "permute", "reshape", "view", "matmul", "mm", "t",
]
