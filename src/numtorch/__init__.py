"""numtorch: PyTorch's API on NumPy, with reverse-mode autograd.

``import numtorch as torch`` (or ``numtorch run script.py``) and PyTorch code runs unchanged.
"""

from __future__ import annotations

from . import _tensor_methods
from ._composites.reduction import return_types
from ._creation import (
    as_tensor,
    asarray,
    empty,
    empty_like,
    eye,
    from_numpy,
    full,
    full_like,
    ones,
    ones_like,
    scalar_tensor,
    tensor,
    zeros,
    zeros_like,
)
from ._dtype import bool_ as bool  # noqa: A004
from ._dtype import (
    can_cast,
    double,
    dtype,
    float,
    float16,
    float32,
    float64,
    get_default_dtype,
    half,
    int,
    int8,
    int16,
    int32,
    int64,
    long,
    promote_types,
    result_type,
    set_default_dtype,
    short,
    uint8,
)
from ._functions import *  # noqa: F403
from ._functions import __all__ as _function_names
from ._info import e, finfo, iinfo, inf, nan, newaxis, pi
from ._random import (
    Generator,
    default_generator,
    get_rng_state,
    initial_seed,
    manual_seed,
    normal,
    rand,
    rand_like,
    randint,
    randint_like,
    randn,
    randn_like,
    randperm,
    seed,
    set_rng_state,
)
from ._random_tensor import bernoulli, multinomial, poisson
from ._ranges import arange, linspace, logspace
from ._ranges import range as range  # noqa: A004 - torch.range (deprecated) shadows the builtin
from ._size import Size, device
from ._tensor import Tensor
from ._tensor_factories import (
    BoolTensor,
    ByteTensor,
    CharTensor,
    DoubleTensor,
    FloatTensor,
    HalfTensor,
    IntTensor,
    LongTensor,
    ShortTensor,
)
from .autograd.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)

_tensor_methods.install()

__version__ = "0.1.0"

__all__ = [
    "Tensor", "Size", "device", "dtype", "Generator",
    "bool", "double", "float", "float16", "float32", "float64", "half", "int", "int8", "int16",
    "int32", "int64", "long", "short", "uint8",
    "get_default_dtype", "set_default_dtype", "promote_types", "result_type", "can_cast",
    "arange", "as_tensor", "asarray", "empty", "empty_like", "eye", "from_numpy", "full",
    "full_like", "linspace", "logspace", "ones", "ones_like", "scalar_tensor", "tensor",
    "zeros", "zeros_like", "range", "FloatTensor", "DoubleTensor", "HalfTensor", "LongTensor",
    "IntTensor", "ShortTensor", "CharTensor", "ByteTensor", "BoolTensor",
    "bernoulli", "default_generator", "get_rng_state", "initial_seed", "manual_seed",
    "multinomial", "normal", "poisson", "rand", "rand_like", "randint", "randint_like", "randn",
    "randn_like", "randperm", "seed", "set_rng_state",
    "enable_grad", "inference_mode", "is_grad_enabled", "is_inference_mode_enabled", "no_grad",
    "set_grad_enabled",
    "set_printoptions", "is_tensor", "cuda", "autograd", "nn", "optim", "random",
    "finfo", "iinfo", "e", "pi", "inf", "nan", "newaxis",
    "linalg", "special",
    "return_types", "save", "load", "serialization",
    "set_num_threads", "get_num_threads", "set_num_interop_threads", "get_num_interop_threads",
    *_function_names,
]


def is_tensor(obj: object) -> bool:
    return isinstance(obj, Tensor)


from . import autograd, cuda, random  # noqa: E402

# NOTE [ Lazy submodules ]
# nn, optim, utils and serialization (with save and load), and the printing code (with
# set_printoptions) are imported on first use, through the module __getattr__ below (PEP 562):
# ``import numtorch`` stays cheap, and ``numtorch.nn``, ``from numtorch import nn`` and
# ``import numtorch.nn`` work as before; ``__dir__`` lists them all along. What ``import
# numtorch`` must not load is written down in tests/test_import_time.py.
_LAZY_MODULES = ("nn", "optim", "utils", "serialization", "_tensor_str", "linalg",
                "special")
_LAZY_FUNCTIONS = {"load": "serialization", "save": "serialization",
                   "set_printoptions": "_tensor_str",
                   "set_num_threads": "_threads", "get_num_threads": "_threads",
                   "set_num_interop_threads": "_threads", "get_num_interop_threads": "_threads"}


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY_MODULES, *_LAZY_FUNCTIONS})


def __getattr__(name: str) -> object:
    import importlib

    if name in _LAZY_MODULES:
        return importlib.import_module(f".{name}", __name__)
    if name in _LAZY_FUNCTIONS:
        value = getattr(importlib.import_module(f".{_LAZY_FUNCTIONS[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'numtorch' has no attribute '{name}'")
