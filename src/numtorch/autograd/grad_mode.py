"""Switches for gradient recording: no_grad, enable_grad, set_grad_enabled, inference_mode.

Each is a context manager and a decorator (of functions, methods and generator functions);
``no_grad``, ``enable_grad`` and ``inference_mode`` also decorate without parentheses.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Generator
from typing import Any, TypeVar

__all__ = ["no_grad", "enable_grad", "set_grad_enabled", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled"]

F = TypeVar("F", bound=Callable[..., Any])


class _GradState:
    # one process-wide flag, read on every op: a plain class attribute is the fastest lookup
    enabled = True
    inference = False


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are recorded."""
    return _GradState.enabled


def is_inference_mode_enabled() -> bool:
    """True inside ``inference_mode()``."""
    return _GradState.inference


def _decorate(make_context: Callable[[], Any], func: Callable) -> Callable:
    """``func`` run inside a fresh context from ``make_context`` on every call."""
    if inspect.isgeneratorfunction(func):
        return _decorate_generator(make_context, func)

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with make_context():
            return func(*args, **kwargs)

    return wrapper


def _decorate_generator(make_context: Callable[[], Any], func: Callable) -> Callable:
    """A generator function whose body runs inside the context, while the caller's code
    between two ``next()`` calls runs in the caller's own mode."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Generator:
        gen = func(*args, **kwargs)
        try:
            with make_context():
                value = gen.send(None)
            while True:
                try:
                    sent = yield value
                except GeneratorExit:
                    with make_context():
                        gen.close()
                    raise
                except BaseException as exc:
                    with make_context():
                        value = gen.throw(exc)
                else:
                    with make_context():
                        value = gen.send(sent)
        except StopIteration as stop:
            return stop.value

    return wrapper


class _DecoratorContextManager:
    """A context manager that also decorates functions (``@torch.no_grad()``)."""

    def __call__(self, orig_func: F) -> F:
        func = orig_func
        if inspect.isclass(orig_func):
            warnings.warn("Decorating classes is deprecated and will be disabled in future "
                          "versions. You should only decorate functions or methods. To preserve "
                          "the current behavior of class decoration, you can directly decorate "
                          "the `__init__` method and nothing else.", FutureWarning, stacklevel=2)

            def func(*args: Any, **kwargs: Any) -> Any:
                return orig_func(*args, **kwargs)

        return _decorate(self.clone, func)  # type: ignore[return-value]

    def __enter__(self) -> None:
        raise NotImplementedError

    def __exit__(self, *exc: object) -> None:
        raise NotImplementedError

    def clone(self) -> _DecoratorContextManager:
        return type(self)()


class _NoParamDecoratorContextManager(_DecoratorContextManager):
    """Also usable bare: ``@torch.no_grad`` is ``@torch.no_grad()``."""

    def __new__(cls, orig_func: Callable | None = None) -> Any:
        if orig_func is None:
            return super().__new__(cls)
        return cls()(orig_func)


class no_grad(_NoParamDecoratorContextManager):
    """Disable gradient recording inside the block: results do not require grad.

    >>> x = torch.ones(2, requires_grad=True)
    >>> with torch.no_grad():
    ...     y = x * 2
    >>> y.requires_grad
    False
    """

    def __init__(self) -> None:
        self.prev = False

    def __enter__(self) -> None:
        self.prev = _GradState.enabled
        _GradState.enabled = False

    def __exit__(self, *exc: object) -> None:
        _GradState.enabled = self.prev


class enable_grad(_NoParamDecoratorContextManager):
    """Enable gradient recording inside the block, even within ``no_grad``."""

    def __enter__(self) -> None:
        self.prev = _GradState.enabled
        _GradState.enabled = True

    def __exit__(self, *exc: object) -> None:
        _GradState.enabled = self.prev


def _type_name(value: Any) -> str:
    cls = type(value)
    return cls.__name__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__name__}"


class set_grad_enabled(_DecoratorContextManager):
    """Set gradient recording on or off. Takes effect at once when called, and is undone at
    the end of a ``with`` block; as a decorator it applies on each call only."""

    def __init__(self, mode: bool) -> None:
        if type(mode) is not bool:
            raise TypeError("set_grad_enabled(): argument 'enabled' (position 1) must be bool, "
                            f"not {_type_name(mode)}")
        self.prev = _GradState.enabled
        self.mode = mode
        _GradState.enabled = mode

    def __call__(self, orig_func: F) -> F:
        _GradState.enabled = self.prev  # as a decorator, the call above must not stick
        return super().__call__(orig_func)

    def __enter__(self) -> None:
        pass

    def __exit__(self, *exc: object) -> None:
        _GradState.enabled = self.prev

    def __str__(self) -> str:
        return f"{type(self).__module__}.{type(self).__qualname__}(mode={self.mode})"

    __repr__ = __str__

    def clone(self) -> set_grad_enabled:
        return type(self)(self.mode)


class inference_mode(_DecoratorContextManager):
    """Like ``no_grad`` for numtorch (which has no separate inference tensors).
    ``inference_mode(False)``, as in torch, turns gradient recording on."""

    def __new__(cls, mode: Any = True) -> Any:
        if isinstance(mode, bool):
            return super().__new__(cls)
        return cls()(mode)  # bare ``@torch.inference_mode``: ``mode`` is the function

    def __init__(self, mode: bool = True) -> None:
        self.mode = mode

    def __enter__(self) -> None:
        self.prev = (_GradState.enabled, _GradState.inference)
        _GradState.enabled, _GradState.inference = not self.mode, bool(self.mode)

    def __exit__(self, *exc: object) -> None:
        _GradState.enabled, _GradState.inference = self.prev

    def clone(self) -> inference_mode:
        return type(self)(self.mode)
