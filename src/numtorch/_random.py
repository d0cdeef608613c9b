"""Random numbers: the Generator, seeding, and the random factories (rand, randn, normal...).

Samplers that draw from a tensor's values (bernoulli, multinomial, poisson) and the in-place
fills (``tensor.normal_()``...) are in ``_random_tensor``. The numbers are torch's: the same
seed and the same sequence of calls give the same values as torch's CPU generator (the stream
in ``_random_engine``, the derivations in ``_random_distributions`` and
``_random_permutation``).
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from . import _dtype
from ._creation import emit, out_dtype, parse_size, resolve_dtype
from ._data import legacy_name
from ._primitives._base import Primitive
from ._random_distributions import normal as _normal_draw
from ._random_distributions import random_from_to, uniform_real
from ._random_engine import STATE_SIZE, Engine
from ._random_permutation import randperm as _randperm_draw
from ._size import check_device
from ._size import device as _device
from ._tensor import Tensor

__all__ = ["Generator", "default_generator", "manual_seed", "seed", "initial_seed",
           "get_rng_state", "set_rng_state", "rand", "randn", "randint", "randperm", "normal",
           "rand_like", "randn_like", "randint_like"]

_DEFAULT_SEED = 67280421310721  # what torch seeds a new Generator (and the default one) with
_CUDA_GENERATOR = (
    "Cannot get CUDA generator without ATen_cuda library. PyTorch splits its backend into two "
    "shared libraries: a CPU library and a CUDA library; this error has occurred because you "
    "are trying to use some CUDA functionality, but the CUDA library has not been loaded by the "
    "dynamic linker for some reason.  The CUDA library MUST be loaded, EVEN IF you don't "
    "directly use any symbols from the CUDA library! One common culprit is a lack of "
    "-Wl,--no-as-needed in your link arguments; many dynamic linkers will delete dynamic "
    "library dependencies if you don't depend on any of their symbols.  You can check if this "
    "has occurred by using ldd on your binary to see if there is a dependency on *_cuda.so "
    "library.")


class Generator:
    """A source of random numbers with its own state (``torch.Generator``).

    >>> g = Generator().manual_seed(0)
    >>> torch.rand(2, generator=g).shape
    torch.Size([2])
    """

    def __init__(self, device: Any = "cpu") -> None:
        dev = device if isinstance(device, _device) else _device(device)
        if dev.type == "cuda":
            raise RuntimeError(_CUDA_GENERATOR)
        self.device = check_device(dev)
        self._engine = Engine(_DEFAULT_SEED)

    def manual_seed(self, seed: Any) -> Generator:
        """Reset the state from ``seed`` (any int from -2**63 to 2**64 - 1); returns self."""
        seed = int(seed)
        if not -2**63 <= seed < 2**64:
            raise ValueError("Overflow when unpacking long long")
        self._engine.reseed(seed)
        return self

    def seed(self) -> int:
        """Seed from the operating system's entropy (64 bits, as torch); returns the seed."""
        new = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(new)
        return new

    def initial_seed(self) -> int:
        """The seed this generator was last seeded with."""
        return self._engine.seed

    def get_state(self) -> Tensor:
        """The state as a uint8 tensor in torch's layout, for ``set_state``."""
        return Tensor._make(self._engine.get_state())

    def set_state(self, new_state: Tensor) -> Generator:
        """Restore a state from ``get_state()`` (numtorch's or torch's); returns self."""
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        if new_state.dtype is not _dtype.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        raw = new_state._data.reshape(-1)
        if raw.size != STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_SIZE} but "
                               f"found the input RNG state size to be {raw.size}")
        self._engine.set_state(raw)
        return self

    def clone_state(self) -> Generator:
        """A new Generator holding a copy of this one's state (also ``graphsafe_get_state``:
        without CUDA graphs the two are the same)."""
        other = Generator(self.device)
        other._engine.copy_from(self._engine)
        return other

    graphsafe_get_state = clone_state

    def graphsafe_set_state(self, state: Generator) -> None:
        """Take over the state of another Generator (torch's ``graphsafe_set_state``)."""
        self._engine.copy_from(state._engine)


default_generator = Generator()


def engine_of(generator: Generator | None, fname: str) -> Engine:
    """The stream behind ``generator=`` (the default generator's for None)."""
    if generator is None:
        return default_generator._engine
    if not isinstance(generator, Generator):
        raise TypeError(f"{fname}(): argument 'generator' must be torch.Generator, not "
                        f"{type(generator).__name__}")
    return generator._engine


def manual_seed(seed: Any) -> Generator:
    """Seed the default generator; returns it."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    """Seed the default generator non-deterministically; returns the seed."""
    return default_generator.seed()


def initial_seed() -> int:
    """The seed the default generator was last seeded with."""
    return default_generator.initial_seed()


def get_rng_state() -> Tensor:
    """The default generator's state, as a uint8 tensor."""
    return default_generator.get_state()


def set_rng_state(new_state: Tensor) -> None:
    """Restore the default generator's state from ``get_rng_state()``."""
    default_generator.set_state(new_state)


# -- sampling helpers ------------------------------------------------------------------------
def not_implemented(kernel: str, dtype: Any) -> NotImplementedError:
    """torch's error for a kernel that has no version for ``dtype``."""
    return NotImplementedError(f"\"{kernel}\" not implemented for '{legacy_name(dtype)}'")


def float_target(dtype: _dtype.dtype | None, kernel: str) -> np.dtype:
    """The float dtype to sample into (the default unless given); ints raise as torch."""
    target = (dtype or _dtype.get_default_dtype()).np
    if target.kind != "f":
        raise not_implemented(kernel, target)
    return target


def numel(shape: tuple) -> int:
    """How many elements ``shape`` holds (how many values to draw)."""
    return int(np.prod(shape, dtype=np.int64))


class Sampled(Primitive):
    """A random draw: its gradient with respect to the parameters is zero, as torch has it."""

    def forward(self, *arrays: np.ndarray, sample: np.ndarray) -> np.ndarray:
        return sample

    def backward(self, grad: Tensor) -> tuple:
        from ._creation import zeros_like

        return tuple(zeros_like(grad) if need else None for need in self.needs_input_grad)


_SAMPLED: dict[str, type[Sampled]] = {}


def sampled(name: str) -> type[Sampled]:
    """The ``Sampled`` primitive that reports itself as torch's ``name`` (``NormalBackward3``)."""
    if name not in _SAMPLED:
        _SAMPLED[name] = type(name, (Sampled,), {"name_": name})
    return _SAMPLED[name]


def std_text(value: float) -> str:
    """A number as torch's C++ messages print it."""
    return f"{value:g}"  # C++ stream formatting: -1, not -1.0


# -- factories -------------------------------------------------------------------------------
def rand(*size: Any, generator: Generator | None = None, out: Tensor | None = None,
         dtype: Any = None, layout: Any = None, device: Any = None,
         requires_grad: bool = False, pin_memory: bool = False, **kwargs: Any) -> Tensor:
    """Samples from the uniform distribution on [0, 1).

    >>> torch.rand(2, 3).shape
    torch.Size([2, 3])
    """
    shape = _random_size(size, kwargs, "rand")
    target = float_target(out_dtype(resolve_dtype(dtype, "rand"), out), "check_uniform_bounds")
    arr = uniform_real(engine_of(generator, "rand"), numel(shape), target).reshape(shape)
    return emit(arr, out, requires_grad, device, "aten::rand")


def randn(*size: Any, generator: Generator | None = None, out: Tensor | None = None,
          dtype: Any = None, layout: Any = None, device: Any = None,
          requires_grad: bool = False, pin_memory: bool = False, **kwargs: Any) -> Tensor:
    """Samples from the standard normal distribution."""
    shape = _random_size(size, kwargs, "randn")
    target = float_target(out_dtype(resolve_dtype(dtype, "randn"), out), "normal_kernel_cpu")
    arr = _normal_draw(engine_of(generator, "randn"), numel(shape), target).reshape(shape)
    return emit(arr, out, requires_grad, device, "aten::randn")


def _random_size(size: tuple, kwargs: dict, fname: str, position: int = 1) -> tuple[int, ...]:
    shape = parse_size(size, kwargs.pop("size", None), fname, position)
    if kwargs:
        raise TypeError(f"{fname}() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if any(s < 0 for s in shape):
        neg = next(s for s in shape if s < 0)
        raise RuntimeError(f"Trying to create tensor with negative dimension {neg}: "
                           f"{list(shape)}")
    return shape


# C++ names torch prints in bound errors for random integers
_CTYPE = {"bool": "bool", "uint8": "unsigned char", "int8": "signed char", "int16": "short int",
          "int32": "int", "int64": "long"}


def check_int_range(low: int, high: int, target: np.dtype) -> None:
    """torch's checks on [low, high) for random integers of dtype ``target``."""
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} "
                           f">= to={high}")
    if target.kind in "biu":
        lo, hi = (0, 1) if target.kind == "b" else (np.iinfo(target).min, np.iinfo(target).max)
        if not lo <= low <= hi:
            raise RuntimeError(f"from is out of bounds for {_CTYPE[target.name]}")
        if not lo <= high - 1 <= hi:
            raise RuntimeError(f"to - 1 is out of bounds for {_CTYPE[target.name]}")


def randint(*args: Any, generator: Generator | None = None, out: Tensor | None = None,
            dtype: Any = None, layout: Any = None, device: Any = None,
            requires_grad: bool = False, pin_memory: bool = False, **kwargs: Any) -> Tensor:
    """Integers drawn uniformly from [low, high): ``randint(high, size)`` or
    ``randint(low, high, size)`` (int64 unless ``dtype`` says otherwise).

    >>> torch.randint(3, 10, (2, 2)).dtype
    torch.int64
    """
    low, high, size = _randint_args(args, kwargs)
    position = 3 if len(args) + len(kwargs) >= 3 else 2
    shape = _random_size((), {"size": size}, "randint", position)
    target = out_dtype(resolve_dtype(dtype, "randint"), out) or _dtype.int64
    check_int_range(low, high, target.np)
    engine = engine_of(generator, "randint")
    arr = random_from_to(engine, numel(shape), target.np, low, high).reshape(shape)
    return emit(arr, out, requires_grad, device, "aten::randint")


def _randint_args(args: tuple, kwargs: dict) -> tuple[int, int, Any]:
    """``(high, size)`` or ``(low, high, size)``, positional or by keyword."""
    three = len(args) + len(kwargs) >= 3 or "low" in kwargs
    names = ("low", "high", "size") if three else ("high", "size")
    if "high" not in kwargs and len(args) < len(names) - 1:
        raise TypeError('randint() missing 2 required positional argument: "high", "size"')
    given = dict(zip(names, args))
    for name, value in kwargs.items():
        if name not in names or name in given:
            raise TypeError(f"randint() got an unexpected keyword argument '{name}'")
        given[name] = value
    if len(args) > 3 or len(given) != len(names):
        missing = [f'"{n}"' for n in ("high", "size") if n not in given]
        raise TypeError(f"randint() missing {len(missing)} required positional argument: "
                        f"{', '.join(missing)}" if missing else
                        "randint() received an invalid combination of arguments")
    for position, name in enumerate(names, 1):
        value = given[name]
        if name == "size":
            if not isinstance(value, (tuple, list)):
                raise TypeError(f"randint(): argument 'size' (position {position}) must be "
                                f"tuple of ints, not {type(value).__name__}")
        elif not isinstance(value, (int, np.integer)) or isinstance(value, bool):
            raise TypeError(f"randint(): argument '{name}' (position {position}) must be int, "
                            f"not {type(value).__name__}")
        elif not -2**63 <= value < 2**63:
            raise ValueError("Overflow when unpacking long long")
    return int(given.get("low", 0)), int(given["high"]), given["size"]


def randperm(n: int, *, generator: Generator | None = None, out: Tensor | None = None,
             dtype: Any = None, layout: Any = None, device: Any = None,
             requires_grad: bool = False, pin_memory: bool = False) -> Tensor:
    """A random permutation of ``0 .. n-1`` (int64 unless ``dtype`` says otherwise)."""
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool):
        raise TypeError(f"randperm(): argument 'n' (position 1) must be int, not "
                        f"{type(n).__name__}")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    target = out_dtype(resolve_dtype(dtype, "randperm"), out) or _dtype.int64
    _check_randperm(int(n), target.np)
    arr = _randperm_draw(engine_of(generator, "randperm"), int(n)).astype(target.np)
    return emit(arr, out, requires_grad, device, "aten::randperm")


def _check_randperm(n: int, target: np.dtype) -> None:
    if target.kind == "b":
        raise not_implemented("randperm", target)
    limits = {"float16": ("2049", "Half"), "float32": ("2^24+1", "Float")}
    if target.name in limits and n > {"float16": 2049, "float32": 2**24 + 1}[target.name]:
        text, name = limits[target.name]
        raise RuntimeError(f"n cannot be greater than {text} for {name} type.")
    if target.kind in "iu" and n - 1 > np.iinfo(target).max:
        names = {"int8": "int8_t", "int16": "int16_t", "int32": "int", "uint8": "uint8_t"}
        raise RuntimeError(f"value cannot be converted to type {names[target.name]} without "
                           "overflow")


def normal(mean: Any = 0.0, std: Any = 1.0, size: Any = None, *,
           generator: Generator | None = None, out: Tensor | None = None, dtype: Any = None,
           layout: Any = None, device: Any = None, requires_grad: bool = False,
           pin_memory: bool = False) -> Tensor:
    """Samples from normal distributions: ``normal(mean, std, size)`` with floats, or
    elementwise with tensor ``mean`` and/or ``std`` (broadcast together).

    >>> torch.normal(torch.zeros(3), 1.0).shape
    torch.Size([3])
    """
    engine = engine_of(generator, "normal")
    if not isinstance(mean, Tensor) and not isinstance(std, Tensor):
        if size is None:
            raise TypeError(_normal_overloads(mean, std))
        return _normal_floats(mean, std, size, engine, out, dtype, device, requires_grad)
    if size is not None:
        raise TypeError(_normal_overloads(mean, std, size))
    return _normal_tensors(mean, std, engine, out)


def _normal_floats(mean: float, std: float, size: Any, engine: Engine, out: Tensor | None,
                   dtype: Any, device: Any, requires_grad: bool) -> Tensor:
    if not isinstance(size, (tuple, list)):
        raise TypeError(_normal_overloads(mean, std, size))
    shape = _random_size((), {"size": size}, "normal", 3)
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std_text(std)}")
    target = float_target(out_dtype(resolve_dtype(dtype, "normal"), out), "normal_kernel_cpu")
    arr = _normal_draw(engine, numel(shape), target, mean, std).reshape(shape)
    return emit(arr, out, requires_grad, device, "aten::normal")


def _normal_tensors(mean: Any, std: Any, engine: Engine, out: Tensor | None) -> Tensor:
    """NOTE [ normal with tensor arguments ]: torch draws standard normals of the broadcast
    shape and applies the tensors in separate steps, each rounded: ``z * std + mean`` when std
    is a tensor, ``normal(0, std) + mean`` when only mean is."""
    ref = mean if isinstance(mean, Tensor) else std
    target = ref._data.dtype
    if target.kind != "f":
        raise not_implemented("normal_kernel_cpu", target)
    if isinstance(std, Tensor):
        if (std._data < 0).any():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    elif std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std_text(std)}")
    m = mean._data if isinstance(mean, Tensor) else mean
    s = std._data if isinstance(std, Tensor) else std
    shape = _broadcast_shape(np.shape(m), np.shape(s))
    if isinstance(std, Tensor):
        z = _normal_draw(engine, numel(shape), target).reshape(shape)
        arr = (z * s + m).astype(target)
    else:
        arr = (_normal_draw(engine, numel(shape), target, 0.0, s).reshape(shape) + m)
        arr = arr.astype(target)
    inputs = [t for t in (mean, std) if isinstance(t, Tensor)]
    number = 3 if len(inputs) == 2 else (1 if isinstance(mean, Tensor) else 2)
    result = sampled(f"NormalBackward{number}").apply(*inputs, sample=arr)
    if out is None:
        return result
    return emit(result._data, out, False, None, "normal",
                inputs_require_grad=any(t._requires_grad for t in inputs))


def _broadcast_shape(a: tuple, b: tuple) -> tuple:
    ndim = max(len(a), len(b))
    pa, pb = (1,) * (ndim - len(a)) + a, (1,) * (ndim - len(b)) + b
    for dim, (x, y) in enumerate(zip(pa, pb)):
        if x != y and x != 1 and y != 1:
            raise RuntimeError(f"The size of tensor a ({x}) must match the size of tensor b "
                               f"({y}) at non-singleton dimension {dim}")
    return tuple(max(x, y) if min(x, y) else 0 for x, y in zip(pa, pb))


def _normal_overloads(*args: Any) -> str:
    got = ", ".join(type(a).__name__ for a in args)
    return (
        f"normal() received an invalid combination of arguments - got ({got}), but expected "
        "one of:\n"
        " * (Tensor mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
        " * (Tensor mean, float std = 1, *, torch.Generator generator = None, Tensor out = "
        "None)\n"
        " * (float mean, Tensor std, *, torch.Generator generator = None, Tensor out = None)\n"
        " * (float mean, float std, tuple of ints size, *, torch.Generator generator = None, "
        "Tensor out = None, torch.dtype dtype = None, torch.layout layout = None, torch.device "
        "device = None, bool pin_memory = False, bool requires_grad = False)\n")


# -- *_like ----------------------------------------------------------------------------------
def _like_target(input: Tensor, dtype: Any, fname: str) -> _dtype.dtype:
    if not isinstance(input, Tensor):
        raise TypeError(f"{fname}(): argument 'input' (position 1) must be Tensor, not "
                        f"{type(input).__name__}")
    return resolve_dtype(dtype, fname) or input.dtype


def rand_like(input: Tensor, *, generator: Generator | None = None, dtype: Any = None,
              layout: Any = None, device: Any = None, requires_grad: bool = False,
              memory_format: Any = None) -> Tensor:
    """``rand`` with the shape (and, unless ``dtype`` is given, the dtype) of ``input``."""
    target = _like_target(input, dtype, "rand_like")
    return rand(input.shape, generator=generator, dtype=target, device=device,
                requires_grad=requires_grad)


def randn_like(input: Tensor, *, generator: Generator | None = None, dtype: Any = None,
               layout: Any = None, device: Any = None, requires_grad: bool = False,
               memory_format: Any = None) -> Tensor:
    """``randn`` with the shape (and, unless ``dtype`` is given, the dtype) of ``input``."""
    target = _like_target(input, dtype, "randn_like")
    return randn(input.shape, generator=generator, dtype=target, device=device,
                 requires_grad=requires_grad)


def randint_like(input: Tensor, low: int = 0, high: int | None = None, *,
                 generator: Generator | None = None, dtype: Any = None, layout: Any = None,
                 device: Any = None, requires_grad: bool = False,
                 memory_format: Any = None) -> Tensor:
    """``randint`` with the shape (and, unless ``dtype`` is given, the dtype) of ``input``:
    ``randint_like(x, high)`` or ``randint_like(x, low, high)``."""
    target = _like_target(input, dtype, "randint_like")
    if high is None:
        low, high = 0, low
    return randint(low, high, input.shape, generator=generator, dtype=target, device=device,
                   requires_grad=requires_grad)
