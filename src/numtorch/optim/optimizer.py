"""Optimizer: the base of every optimization algorithm.

It owns ``param_groups`` (a list of dicts: ``"params"`` plus every hyper-parameter, each group's
own value or the optimizer's default) and ``state`` (per-parameter buffers such as SGD's
momentum), and saves/restores both in torch's ``state_dict`` format, where parameters are
replaced by their integer position across the groups.
"""

from __future__ import annotations

import copy
import functools
import warnings
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

import numpy as np

from .. import _dtype
from .._tensor import Tensor
from ..autograd.grad_mode import enable_grad, no_grad
from ..autograd.graph import _RemovableHandle

__all__ = ["Optimizer", "required"]


class _RequiredParameter:
    """Marks a hyper-parameter with no default: every group must give it."""

    def __repr__(self) -> str:
        return "<required parameter>"


required = _RequiredParameter()

_SET_MESSAGE = ("optimizer parameters need to be organized in ordered collections, but the "
                "ordering of tensors in sets will change between runs. Please use a list instead.")
_DUPLICATE_MESSAGE = ("optimizer contains a parameter group with duplicate parameters; in future, "
                      "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for "
                      "more information")


def _typename(obj: Any) -> str:
    """torch.typename: ``torch.FloatTensor`` for tensors, else the qualified class name."""
    if isinstance(obj, Tensor):
        return obj.type()
    cls = type(obj)
    module = cls.__module__
    return cls.__qualname__ if module == "builtins" else f"{module}.{cls.__qualname__}"


def _type_repr(obj: Any) -> str:
    return "<class 'torch.Tensor'>" if isinstance(obj, Tensor) else str(type(obj))


class Optimizer:
    """Base class for optimizers.

    Args:
        params: an iterable of tensors, of ``(name, tensor)`` pairs, or of dicts each defining
            a parameter group (``{"params": [...], "lr": 0.1}``).
        defaults: the hyper-parameters a group takes when it does not set them.
    """

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: defaultdict[Any, dict] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        self._step_pre_hooks: list[Callable] = []
        self._step_post_hooks: list[Callable] = []
        _hook_step(type(self))
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of "
                            f"Tensors or dicts, but got {_typename(params)}")
        groups = list(params)
        if not groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    # -- parameter groups --------------------------------------------------------------------
    def add_param_group(self, param_group: dict[str, Any]) -> None:
        """Add a group (e.g. a layer to fine-tune); missing hyper-parameters take the defaults."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {_type_repr(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError(_SET_MESSAGE)
        else:
            params = list(params)
        param_group["params"] = params
        self._split_names(param_group)
        for p in param_group["params"]:
            self._check_param(p)
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError("parameter group didn't specify a value of required "
                                 f"optimization parameter {name}")
            param_group.setdefault(name, default)
        self._check_unique(param_group)
        self.param_groups.append(param_group)

    def _split_names(self, group: dict[str, Any]) -> None:
        """``(name, tensor)`` pairs become ``params`` plus ``param_names``."""
        named = [isinstance(p, tuple) for p in group["params"]]
        if any(named):
            if not all(named):
                raise ValueError("all optimizer params should be with/without names. Some param "
                                 "names are missing")
            group["param_names"] = [name for name, _ in group["params"]]
            group["params"] = [p for _, p in group["params"]]
        if self.param_groups and ("param_names" in self.param_groups[0]) != any(named):
            which = "with" if any(named) else "without"
            raise ValueError("all optimizer param groups should be with/without names. cannot "
                             f"add param group {which} names to the optimizer")

    def _check_param(self, p: Any) -> None:
        if not isinstance(p, Tensor):
            raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                            f"{_typename(p)}")
        # an update in place must land where backward accumulates: in a leaf
        if not self.defaults.get("differentiable", None) and not (p.is_leaf or p.retains_grad):
            raise ValueError("can't optimize a non-leaf Tensor")

    def _check_unique(self, group: dict[str, Any]) -> None:
        ids = [id(p) for p in group["params"]]
        if len(ids) != len(set(ids)):
            warnings.warn(_DUPLICATE_MESSAGE, UserWarning, stacklevel=3)
        taken = {id(p) for g in self.param_groups for p in g["params"]}
        if taken.intersection(ids):
            raise ValueError("some parameters appear in more than one parameter group")

    # -- the update ---------------------------------------------------------------------------
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset the gradients: to ``None`` (the default), or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    _zero_in_place(p.grad)

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Perform one optimization step (defined by each algorithm)."""
        raise NotImplementedError

    def register_step_pre_hook(self, hook: Callable) -> _RemovableHandle:
        """``hook(optimizer, args, kwargs)`` runs before each step; it may return new
        ``(args, kwargs)``."""
        self._step_pre_hooks.append(hook)
        return _RemovableHandle(self._step_pre_hooks, hook)

    def register_step_post_hook(self, hook: Callable) -> _RemovableHandle:
        """``hook(optimizer, args, kwargs)`` runs after each step."""
        self._step_post_hooks.append(hook)
        return _RemovableHandle(self._step_post_hooks, hook)

    # -- saving and loading ---------------------------------------------------------------------
    def state_dict(self) -> dict[str, Any]:
        """``{"state": {index: buffers}, "param_groups": [group with params as indices]}``.

        The buffers are the live tensors (not copies), as in torch.
        """
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed = {k: v for k, v in group.items() if k != "params"}
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {(index[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        """Restore what :meth:`state_dict` returned, onto this optimizer's own parameters."""
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        groups = self.param_groups
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match "
                             "the size of optimizer's group")
        by_index = dict(zip(chain.from_iterable(s["params"] for s in saved_groups),
                            chain.from_iterable(g["params"] for g in groups)))
        state: defaultdict[Any, dict] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in by_index:
                param = by_index[key]
                state[param] = _cast_state(param, value)
            else:
                state[key] = value
        new_groups = []
        for group, saved in zip(groups, saved_groups):
            saved["params"] = group["params"]
            if "param_names" in group and "param_names" not in saved:
                saved["param_names"] = group["param_names"]
            new_groups.append(saved)
        self.__setstate__({"state": state, "param_groups": new_groups})

    def __getstate__(self) -> dict[str, Any]:
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self.__dict__.setdefault("_step_pre_hooks", [])
        self.__dict__.setdefault("_step_post_hooks", [])
        self.defaults.setdefault("differentiable", False)

    def __repr__(self) -> str:
        text = type(self).__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            for key in sorted(group):
                if key != "params":
                    text += f"    {key}: {group[key]}\n"
        return text + ")"


def _zero_in_place(grad: Tensor) -> None:
    """``grad.zero_()`` on a gradient cut from any graph it was built in (create_graph)."""
    if grad.grad_fn is not None:
        grad.detach_()
    else:
        grad.requires_grad_(False)
    with no_grad():
        grad._data[...] = 0
        grad._bump_version()


def _cast_state(param: Tensor, value: Any, key: Any = None) -> Any:
    """A loaded buffer in the parameter's floating dtype; ``step`` counters stay as saved."""
    if isinstance(value, Tensor):
        if key != "step" and param.is_floating_point():
            return value.to(param.dtype)
        return value
    if isinstance(value, dict):
        return {k: _cast_state(param, v, key=k) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_cast_state(param, v, key=key) for v in value)
    return value


def _hook_step(cls: type) -> None:
    """Wrap ``cls.step`` once so that the step hooks run around it."""
    step = cls.step
    if getattr(step, "_hooked", False):
        return

    @functools.wraps(step)
    def hooked(self: Optimizer, *args: Any, **kwargs: Any) -> Any:
        for hook in list(self._step_pre_hooks):
            result = hook(self, args, kwargs)
            if result is not None:
                args, kwargs = result
        out = step(self, *args, **kwargs)
        for hook in list(self._step_post_hooks):
            hook(self, args, kwargs)
        return out

    hooked._hooked = True  # type: ignore[attr-defined]
    cls.step = hooked  # type: ignore[method-assign]


# -- helpers shared by the array-based algorithms (Adam, RMSprop, Adagrad, ...) -------------------
# NOTE [ Array updates ]
# Adam and the others update ``param._data`` and their state buffers with NumPy in place, one
# parameter at a time, in the order of torch's single-tensor kernels (what torch runs on CPU), so
# the trajectories agree to rounding. ``.grad`` is only read. ``step`` is a 0-d float32 tensor as
# in torch (float64 under a float64 default dtype); torch reads it back as a Python number.

def _check_lr(lr: Any, *, foreach_tensor_check: bool = False, foreach: bool | None = None,
              capturable: bool = False) -> None:
    """torch's learning-rate checks: a Tensor lr is 1-element; ``not 0 <= lr`` fails."""
    if isinstance(lr, Tensor):
        if foreach_tensor_check and foreach and not capturable:
            raise ValueError("lr as a Tensor is not supported for capturable=False and "
                             "foreach=True")
        if lr.numel() != 1:
            raise ValueError("Tensor lr must be 1-element")
    _check_at_least_zero("learning rate", lr)


def _check_at_least_zero(label: str, value: Any) -> None:
    # written as ``not 0.0 <= value`` so that NaN is rejected and None raises torch's TypeError
    if not 0.0 <= value:
        raise ValueError(f"Invalid {label}: {value}")


def _check_betas(betas: tuple[Any, Any]) -> None:
    for i in (0, 1):
        if not 0.0 <= betas[i] < 1.0:
            raise ValueError(f"Invalid beta parameter at index {i}: {betas[i]}")


def _adam_family_defaults(lr: Any, betas: tuple[Any, Any], eps: float, weight_decay: Any,
                          *, foreach_tensor_check: bool = False, **options: Any) -> dict[str, Any]:
    """The checks the Adam family (Adam, AdamW, Adamax, NAdam, RAdam) shares, in torch's order
    (lr, eps, betas, weight_decay), and its defaults: those four first, then ``options`` in the
    order given (torch's key order, which ``param_groups`` and ``repr`` show)."""
    _check_lr(lr, foreach_tensor_check=foreach_tensor_check, foreach=options.get("foreach"),
              capturable=options.get("capturable", False))
    _check_at_least_zero("epsilon value", eps)
    _check_betas(betas)
    _check_at_least_zero("weight_decay value", weight_decay)
    return {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, **options}


def _check_fused(defaults: dict[str, Any]) -> None:
    """``fused`` picks a torch kernel (same arithmetic here) but excludes two other options."""
    if defaults.get("fused"):
        if defaults["differentiable"]:
            raise RuntimeError("`fused` does not support `differentiable`")
        if defaults["foreach"]:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")


def _hyper(value: Any) -> Any:
    """A hyper-parameter given as a Tensor (lr, betas) as its 0-d array, else the number.

    A 0-d array keeps torch's arithmetic: ``lr / bias_correction`` rounds to the lr tensor's
    dtype (float32 for ``tensor(0.01)``) before it scales a float64 update.
    """
    return value._data.reshape(()) if isinstance(value, Tensor) else value


def _scalar_state(value: float = 0.0) -> Tensor:
    """A 0-d counter like torch's ``step``: float32, or float64 under that default dtype."""
    dtype = np.float64 if _dtype.get_default_dtype() is _dtype.float64 else np.float32
    return Tensor._make(np.array(value, dtype=dtype))


def _buffer_like(param: Tensor, fill: float = 0.0) -> Tensor:
    """A state buffer shaped and typed like ``param``."""
    return Tensor._make(np.full_like(param._data, fill))


def _lerp_(start: np.ndarray, end: np.ndarray, weight: float) -> None:
    """``start += weight * (end - start)`` in place: torch's ``lerp_`` with a scalar weight."""
    if weight < 0.5:
        start += weight * (end - start)
    else:
        # from the far end, as torch does, so that weight 1 gives ``end`` exactly
        start[...] = end - (end - start) * (1 - weight)


# NOTE [ Updates in cache-sized chunks ]
# An update such as Adam's is a dozen elementwise steps over each parameter. Run on whole arrays,
# every step streams a parameter-sized temporary through memory, and NumPy allocates each one
# afresh (for a large parameter: new pages, faulted in one at a time), which made Adam's step
# cost more than the forward and backward of an MLP. The arrays are walked instead in matching
# slices of ``_CHUNK`` elements, the temporaries written with ``out=`` into scratch rows of that
# size, which stay in cache: the parameter, its gradient and its state are each read and written
# once per step. Every operation is the whole-array formula's, on the same operands in the same
# order, and elementwise, so the slicing changes no value (tests/test_optim_array_updates.py).
_CHUNK = 1 << 16


def _chunks(arrays: tuple[np.ndarray, ...], n_scratch: int) -> Iterator[tuple[list, list]]:
    """``(slices of arrays, scratch rows)`` covering ``arrays`` (one shape and dtype): slices of
    at most ``_CHUNK`` elements when all are C-contiguous, else the whole arrays at once."""
    first = arrays[0]
    if first.size <= _CHUNK or not all(a.flags.c_contiguous for a in arrays):
        yield list(arrays), [np.empty(first.shape, first.dtype) for _ in range(n_scratch)]
        return
    flat = [a.reshape(-1) for a in arrays]  # views: the arrays are contiguous
    scratch = [np.empty(_CHUNK, first.dtype) for _ in range(n_scratch)]
    whole, rest = divmod(first.size, _CHUNK)
    for stop in range(_CHUNK, (whole + 1) * _CHUNK, _CHUNK):
        yield [f[stop - _CHUNK:stop] for f in flat], scratch
    if rest:
        yield [f[-rest:] for f in flat], [row[:rest] for row in scratch]


def _lerp_out(start: np.ndarray, end: np.ndarray, weight: float, tmp: np.ndarray,
              precision: dict[str, Any]) -> None:
    """``_lerp_`` written with ``out=`` into the scratch ``tmp``: the same values (products in
    ``precision``, NOTE [ Subnormal moments ])."""
    np.subtract(end, start, out=tmp)
    scalar = tmp.dtype.type  # the rounding NumPy gives a Python number
    if weight < 0.5:
        np.multiply(tmp, scalar(weight), out=tmp, **precision)
        np.add(start, tmp, out=start)
    else:
        np.multiply(tmp, scalar(1 - weight), out=tmp, **precision)
        np.subtract(end, tmp, out=start)


# NOTE [ Subnormal moments ]
# A moment that stops receiving gradient (the weights of a dead ReLU unit) decays geometrically,
# exp_avg by beta1 = 0.9 a step, into float32's subnormal range (below 1.2e-38), where an x86
# multiply or divide takes a microcode assist: ~30x slower per element. After one epoch of the
# FashionMNIST MLP a tenth to a fifth of exp_avg was subnormal, and that tripled the cost of
# Adam's step. A slice where a moment holds many subnormals runs the products, quotients and
# roots that read it in float64 instead, each rounded to float32 as it is stored (``_WIDE``).
# The values stay the float32 operations' bit for bit: float64 holds a product of two float32
# numbers exactly, so it is rounded once, as in float32; a quotient or root rounded to 53 bits
# and then to 24 is rounded as if once (53 >= 2 * 24 + 2). Scalars are rounded to float32
# first, as NumPy rounds them. The float64 route costs 2-5 clean float32 operations, what the
# assists cost at 5-10% of subnormals: it is taken where a sample of the slice finds > 5%.
_WIDE: dict[str, Any] = {"dtype": np.float64, "casting": "same_kind"}
_NARROW: dict[str, Any] = {}
_SAMPLE_STRIDE = 509  # under a row of the weights: a row of subnormals is always seen
_SUBNORMAL_SHARE = 0.05


def _subnormal_share(moment: np.ndarray) -> float:
    """The share of subnormal numbers in a sample of a float32 ``moment`` (0 for other dtypes):
    a wrong estimate costs time, never a bit (NOTE [ Subnormal moments ])."""
    if moment.dtype != np.float32 or not moment.size:
        return 0.0
    bits = np.ravel(moment)[::_SAMPLE_STRIDE].view(np.uint32) << 1  # the sign shifted out
    bits -= 1  # zero wraps to the top; subnormals are 1 .. 2**24 - 3 now
    return np.count_nonzero(bits < 0xFFFFFF) / bits.size


def _precision(moment: np.ndarray) -> dict[str, Any]:
    """``_WIDE`` for the operations reading ``moment`` when it holds many subnormals."""
    return _WIDE if _subnormal_share(moment) > _SUBNORMAL_SHARE else _NARROW


def _is_number(*values: Any) -> bool:
    """Whether every value is a Python number: the scratch rows hold the parameter's dtype,
    which a 0-d array hyper-parameter (NOTE [ Tensor betas ]) could promote away from."""
    return all(type(v) in (float, int) for v in values)


def _advance(state: dict[str, Any]) -> float:
    """Add one to ``state["step"]`` in place and return it as a Python float."""
    step = state["step"]._data
    step += 1
    return float(step)


def _array_step(optimizer: Optimizer, closure: Callable[[], Any] | None,
                update_group: Callable[[dict[str, Any], list[Tensor]], None]) -> Any:
    """Run ``closure`` with grad enabled, then ``update_group(group, params with a grad)``."""
    loss = None
    if closure is not None:
        with enable_grad():
            loss = closure()
    for group in optimizer.param_groups:
        params = [p for p in group["params"] if p.grad is not None]
        if group.get("differentiable") and params:
            _refuse_differentiable(type(optimizer).__name__, params)
        if group.get("capturable") and params:
            raise AssertionError(getattr(optimizer, "_capturable_message", _CAPTURABLE_MESSAGE))
        update_group(group, params)
    return loss


_CAPTURABLE_MESSAGE = ("If capturable=True, params and state_steps must be on supported devices: "
                       "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla'].")


def _refuse_differentiable(name: str, params: list[Tensor]) -> None:
    """``differentiable=True`` would record the update in the graph; the arrays cannot."""
    if any(p.is_leaf and p.requires_grad for p in params):
        # what torch raises: the update is an in-place op on a leaf, with grad mode on
        raise RuntimeError("a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    raise NotImplementedError(f"{name}(differentiable=True) is not supported by numtorch: the "
                              "update is applied to the arrays, outside the autograd graph")


def _upgrade_state(optimizer: Optimizer, group_defaults: dict[str, Any],
                   scalar_keys: tuple[str, ...] = ("step",)) -> None:
    """After loading: options saved by older versions get their defaults, and counters saved
    as Python numbers become 0-d tensors (what the update expects)."""
    for group in optimizer.param_groups:
        for key, value in group_defaults.items():
            group.setdefault(key, value)
        for p in group["params"]:
            state = optimizer.state.get(p, {})
            for key in scalar_keys:
                if key in state and not isinstance(state[key], Tensor):
                    state[key] = _scalar_state(float(state[key]))


class ArrayOptimizer(Optimizer):
    """An optimizer whose update runs on arrays, one param group at a time: ``step`` runs the
    closure (grad enabled) and then ``_update_group(group, params that have a gradient)``."""

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient; returns ``closure()`` if given."""
        return _array_step(self, closure, self._update_group)

    def _update_group(self, group: dict[str, Any], params: list[Tensor]) -> None:
        raise NotImplementedError  # pragma: no cover
