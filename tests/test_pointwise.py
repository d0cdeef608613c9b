"""Targeted tests for the elementwise family: grad_fn names, torch's error messages, in-place
semantics (leaf checks, no_grad, version counter), ``out=``, fills, random fills, softmax.

Values, dtypes and gradients over many shapes are the op table's job (optable/pointwise.py).
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from conftest import require_torch

import numtorch


def _both(fn):
    """Run ``fn(lib)`` on numtorch and on torch."""
    torch = require_torch()
    return fn(numtorch), fn(torch)


def _error(fn):
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - the test compares which error
        return type(exc).__name__, str(exc)
    return None


# -- grad_fn names ---------------------------------------------------------------------------

GRAD_FN_CASES = {
    "add": lambda lib, x, y: x + y, "add_scalar": lambda lib, x, y: x + 2,
    "radd": lambda lib, x, y: 2 + x, "sub": lambda lib, x, y: x - y,
    "rsub_scalar": lambda lib, x, y: 2 - x, "rsub_tensor": lambda lib, x, y: lib.rsub(x, y),
    "mul": lambda lib, x, y: x * y, "div": lambda lib, x, y: x / y,
    "rdiv": lambda lib, x, y: 2 / x, "div_scalar_first": lambda lib, x, y: lib.div(2, x),
    "div_floor": lambda lib, x, y: lib.div(x, y, rounding_mode="floor"),
    "floordiv": lambda lib, x, y: x // y, "remainder": lambda lib, x, y: x % y,
    "remainder_scalar": lambda lib, x, y: x % 2, "rremainder": lambda lib, x, y: 2 % x,
    "fmod": lambda lib, x, y: lib.fmod(x, y), "fmod_scalar": lambda lib, x, y: x.fmod(2),
    "pow_scalar": lambda lib, x, y: x ** 2, "pow_tensor": lambda lib, x, y: x ** y,
    "rpow": lambda lib, x, y: 2 ** x, "pow_0d": lambda lib, x, y: x ** lib.tensor(2.0),
    "square": lambda lib, x, y: x.square(), "neg": lambda lib, x, y: -x,
    "abs": lambda lib, x, y: x.abs(), "sign": lambda lib, x, y: x.sign(),
    "sgn": lambda lib, x, y: x.sgn(), "reciprocal": lambda lib, x, y: x.reciprocal(),
    "exp": lambda lib, x, y: x.exp(), "exp2": lambda lib, x, y: x.exp2(),
    "expm1": lambda lib, x, y: x.expm1(), "log": lambda lib, x, y: x.log(),
    "log2": lambda lib, x, y: x.log2(), "log10": lambda lib, x, y: x.log10(),
    "log1p": lambda lib, x, y: x.log1p(), "sqrt": lambda lib, x, y: x.sqrt(),
    "rsqrt": lambda lib, x, y: x.rsqrt(), "sin": lambda lib, x, y: x.sin(),
    "cos": lambda lib, x, y: x.cos(), "tan": lambda lib, x, y: x.tan(),
    "tanh": lambda lib, x, y: x.tanh(), "sigmoid": lambda lib, x, y: x.sigmoid(),
    "erf": lambda lib, x, y: x.erf(), "relu": lambda lib, x, y: x.relu(),
    "floor": lambda lib, x, y: x.floor(), "ceil": lambda lib, x, y: x.ceil(),
    "round": lambda lib, x, y: x.round(), "round_decimals": lambda lib, x, y: x.round(decimals=1),
    "trunc": lambda lib, x, y: x.trunc(), "fix": lambda lib, x, y: x.fix(),
    "frac": lambda lib, x, y: x.frac(), "nan_to_num": lambda lib, x, y: x.nan_to_num(),
    "clamp": lambda lib, x, y: x.clamp(-1, 1), "clamp_min_kw": lambda lib, x, y: x.clamp(min=0),
    "clamp_max_kw": lambda lib, x, y: x.clamp(max=0), "clip": lambda lib, x, y: x.clip(-1, 1),
    "clamp_tensor": lambda lib, x, y: x.clamp(y, y + 1),
    "clamp_tensor_min": lambda lib, x, y: x.clamp(min=y),
    "clamp_min": lambda lib, x, y: lib.clamp_min(x, 0),
    "clamp_max": lambda lib, x, y: lib.clamp_max(x, 0),
    "clamp_min_tensor": lambda lib, x, y: lib.clamp_min(x, y),
    "clamp_max_tensor": lambda lib, x, y: x.clamp_max(y),
    "where": lambda lib, x, y: lib.where(x > 0, x, y),
    "maximum": lambda lib, x, y: lib.maximum(x, y), "minimum": lambda lib, x, y: x.minimum(y),
    "fmax": lambda lib, x, y: lib.fmax(x, y), "fmin": lambda lib, x, y: lib.fmin(x, y),
    "lerp": lambda lib, x, y: lib.lerp(x, y, 0.5), "lerp_tensor": lambda lib, x, y: x.lerp(y, y),
    "to": lambda lib, x, y: x.to(lib.float64), "clone": lambda lib, x, y: x.clone(),
    "float_power": lambda lib, x, y: x.float_power(2),
    "softmax": lambda lib, x, y: x.softmax(0), "log_softmax": lambda lib, x, y: x.log_softmax(0),
    "softmax_dtype": lambda lib, x, y: x.softmax(0, dtype=lib.float64),
    "copy_": lambda lib, x, y: lib.zeros(3).copy_(x), "fill_": lambda lib, x, y: (x * 1).fill_(2),
    "fill_tensor": lambda lib, x, y: (x * 1).fill_(y.sum()),
    "zero_": lambda lib, x, y: (x * 1).zero_(), "add_": lambda lib, x, y: (x * 1).add_(y),
    "exp_": lambda lib, x, y: (x * 1).exp_(), "clamp_": lambda lib, x, y: (x * 1).clamp_(0),
    "normal_": lambda lib, x, y: (x * 1).normal_(),
    "uniform_": lambda lib, x, y: (x * 1).uniform_(),
    "positive": lambda lib, x, y: +x, "eq": lambda lib, x, y: x == y,
}


@pytest.mark.parametrize("case", list(GRAD_FN_CASES), ids=list(GRAD_FN_CASES))
def test_grad_fn_name_matches_torch(case):
    def run(lib):
        x = lib.tensor([0.5, -1.5, 2.0], requires_grad=True)
        y = lib.tensor([1.0, 2.0, -0.5], requires_grad=True)
        out = GRAD_FN_CASES[case](lib, x, y)
        node = out.grad_fn
        names = [None if node is None else node.name()]
        if node is not None:  # and one level down: 2 / x is reciprocal, then mul
            names.append([None if n is None else n.name() for n, _ in node.next_functions])
        return names

    ours, theirs = _both(run)
    assert ours == theirs


# -- errors ----------------------------------------------------------------------------------

ERROR_CASES = {
    "sub_two_bools": lambda lib: lib.tensor([True]) - lib.tensor([False]),
    "sub_bool_tensor": lambda lib: lib.tensor([1.0]) - lib.tensor([True]),
    "sub_bool_scalar": lambda lib: lib.tensor([True]) - 1,
    "rsub_bool": lambda lib: 1 - lib.tensor([True]),
    "neg_bool": lambda lib: -lib.tensor([True]),
    "int_pow_negative_int": lambda lib: lib.tensor([2, 3]) ** -1,
    "int_pow_negative_int_": lambda lib: lib.tensor([2, 3]).pow_(-1),
    "bool_pow_bool": lambda lib: lib.tensor([True]) ** lib.tensor([True]),
    "inplace_cast": lambda lib: lib.tensor([1, 2]).add_(1.5),
    "inplace_div_int": lambda lib: lib.tensor([1, 2]).div_(2),
    "inplace_exp_int": lambda lib: lib.tensor([1, 2]).exp_(),
    "inplace_bool": lambda lib: lib.tensor([True]).add_(1),
    "inplace_broadcast": lambda lib: lib.zeros(3).add_(lib.ones(2, 3)),
    "broadcast": lambda lib: lib.ones(2, 4) + lib.ones(2, 3),
    "broadcast_mul": lambda lib: lib.ones(5, 2, 4) * lib.ones(3, 1),
    "int_floor_divide_by_zero": lambda lib: lib.tensor([1, 2]) // 0,
    "int_remainder_by_zero": lambda lib: lib.tensor([1, 2]) % lib.tensor([1, 0]),
    "int_div_trunc_by_zero": lambda lib: lib.div(lib.tensor([1]), 0, rounding_mode="trunc"),
    "bad_rounding_mode": lambda lib: lib.div(lib.ones(2), 2, rounding_mode="round"),
    "int_alpha_float": lambda lib: lib.add(lib.tensor([1]), lib.tensor([2]), alpha=2.5),
    "abs_bool": lambda lib: lib.tensor([True]).abs(),
    "relu_bool": lambda lib: lib.relu(lib.tensor([True])),
    "floor_bool": lambda lib: lib.tensor([True]).floor(),
    "frac_int": lambda lib: lib.tensor([1]).frac(),
    "round_decimals_int": lambda lib: lib.tensor([1]).round(decimals=1),
    "round_decimals_0_int": lambda lib: lib.round(lib.tensor([1]), decimals=0),
    "bitwise_float": lambda lib: lib.ones(2) & lib.ones(2),
    "bitwise_not_float": lambda lib: ~lib.ones(2),
    "floor_divide_bool": lambda lib: lib.tensor([True]) // lib.tensor([True]),
    "remainder_bool": lambda lib: lib.tensor([True]) % lib.tensor([True]),
    "clamp_no_bounds": lambda lib: lib.clamp(lib.ones(2)),
    "clamp_bool": lambda lib: lib.tensor([True]).clamp(True),
    "clamp_overflow": lambda lib: lib.tensor([1], dtype=lib.int8).clamp(-300, 300),
    "maximum_scalar": lambda lib: lib.maximum(lib.ones(2), 2),
    "where_long_condition": lambda lib: lib.where(lib.tensor([1, 0]), lib.ones(2), 0.0),
    "lerp_dtype": lambda lib: lib.lerp(lib.ones(2), lib.ones(2, dtype=lib.float64), 0.5),
    "lerp_weight_dtype": lambda lib: lib.lerp(lib.ones(2), lib.ones(2),
                                              lib.ones(2, dtype=lib.float64)),
    "lerp_int": lambda lib: lib.lerp(lib.tensor([1]), lib.tensor([2]), 0.5),
    "exp_of_number": lambda lib: lib.exp2(2),
    "fill_1d_value": lambda lib: lib.zeros(2).fill_(lib.ones(2)),
    "fill_overflow": lambda lib: lib.zeros(2, dtype=lib.int8).fill_(300),
    "fill_float_overflow": lambda lib: lib.zeros(2).fill_(1e300),
    "fill_uint8_below": lambda lib: lib.zeros(2, dtype=lib.uint8).fill_(-256),
    "copy_size_mismatch": lambda lib: lib.zeros(2, 3).copy_(lib.ones(3, 2)),
    "copy_wider_src": lambda lib: lib.zeros(2).copy_(lib.ones(2, 2)),
    "normal_int": lambda lib: lib.tensor([1, 2]).normal_(),
    "normal_negative_std": lambda lib: lib.zeros(2).normal_(0, -1.5),
    "uniform_int": lambda lib: lib.tensor([1, 2]).uniform_(),
    "uniform_reversed": lambda lib: lib.zeros(2).uniform_(2, 1),
    "uniform_bad_keyword": lambda lib: lib.zeros(2).uniform_(a=1),
    "softmax_int": lambda lib: lib.softmax(lib.tensor([1, 2]), 0),
    "softmax_int_not_last": lambda lib: lib.softmax(lib.tensor([[1, 2]]), 0),
    "log_softmax_bool": lambda lib: lib.tensor([True]).log_softmax(0),
    "softmax_dim_range": lambda lib: lib.softmax(lib.ones(2, 3), 2),
    "softmax_0d_dim_range": lambda lib: lib.softmax(lib.tensor(1.0), 1),
    "softmax_dim_tuple": lambda lib: lib.softmax(lib.ones(2, 3), dim=(1,)),
    "softmax_dim_none": lambda lib: lib.softmax(lib.ones(2, 3), dim=None),
    "add_str": lambda lib: lib.ones(2) + "a",
    "radd_str": lambda lib: "a" + lib.ones(2),
    "rsub_str": lambda lib: "a" - lib.ones(2),
    "iadd_str": lambda lib: _iadd(lib.ones(2), "a"),
    "lt_none": lambda lib: lib.ones(2) < None,
    "rdiv_str": lambda lib: "a" / lib.ones(2),
    "float_power_float32": lambda lib: lib.ones(2).float_power_(2),
}


def _iadd(x, y):
    x += y
    return x


@pytest.mark.parametrize("case", list(ERROR_CASES), ids=list(ERROR_CASES))
def test_error_matches_torch(case):
    ours, theirs = _both(lambda lib: _error(lambda: ERROR_CASES[case](lib)))
    assert theirs is not None
    assert ours == theirs


def test_missing_softmax_dim_is_a_type_error():
    with pytest.raises(TypeError):
        numtorch.softmax(numtorch.ones(3))  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        numtorch.ones(3).softmax()  # type: ignore[call-arg]


def test_backward_through_floor_divide_raises_as_torch():
    def run(lib):
        x = lib.tensor([3.0, 5.0], requires_grad=True)
        y = x // 2
        return y.requires_grad, _error(lambda: y.sum().backward())

    ours, theirs = _both(run)
    assert ours == theirs


# -- in-place ops and autograd ---------------------------------------------------------------


def test_inplace_on_leaf_requiring_grad_raises():
    x = numtorch.ones(3, requires_grad=True)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used"):
        x.add_(1)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x += 1
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x.zero_()
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad"):
        x.copy_(numtorch.zeros(3))
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        x.view(3).mul_(2)
    assert x._version == 0


def test_manual_sgd_under_no_grad_keeps_the_leaf():
    w = numtorch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    (w * w).sum().backward()
    with numtorch.no_grad():
        w -= 0.1 * w.grad
        w.grad.zero_()
    assert w.is_leaf and w.requires_grad and w.grad_fn is None
    assert w._version == 1
    np.testing.assert_allclose(w.detach().numpy(), [0.8, 1.6, 2.4], rtol=1e-6)
    assert w.grad.tolist() == [0.0, 0.0, 0.0]
    (w * w).sum().backward()  # the leaf still collects gradients afterwards
    np.testing.assert_allclose(w.grad.numpy(), [1.6, 3.2, 4.8], rtol=1e-6)


def test_inplace_on_a_non_leaf_is_recorded():
    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 2
        y += x
        y.mul_(x)
        y.exp_()
        y.backward(lib.tensor([1.0, 0.5, 0.1]))
        return y.grad_fn.name(), y._version, x.grad.tolist()

    ours, theirs = _both(run)
    assert ours[:2] == theirs[:2]
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5)


def test_inplace_on_a_tensor_without_grad_takes_the_graph():
    def run(lib):
        w = lib.tensor([1.0, 2.0], requires_grad=True)
        buf = lib.zeros(2)
        buf.add_(w * 3)
        buf.mul_(w)
        buf.sum().backward()
        return buf.requires_grad, buf.is_leaf, buf.grad_fn.name(), w.grad.tolist()

    ours, theirs = _both(run)
    assert ours == theirs


def test_version_counter_catches_modified_saved_input():
    def run(lib):
        x = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        y = x * 1
        z = y.sin()  # sin saves its input y
        y.mul_(2)
        return _error(lambda: z.sum().backward())

    ours, theirs = _both(run)
    assert theirs is not None and ours == theirs


def test_modifying_an_input_exp_does_not_save_is_fine():
    x = numtorch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 1
    z = y.exp()  # exp saves its output, not y
    y.add_(1)
    z.sum().backward()
    np.testing.assert_allclose(x.grad.numpy(), np.exp([1.0, 2.0]), rtol=1e-6)


def test_modifying_an_output_exp_saved_raises():
    def run(lib):
        x = lib.tensor([1.0, 2.0], requires_grad=True)
        z = x.exp()  # exp saves its output
        z.add_(1)
        return _error(lambda: z.sum().backward())

    ours, theirs = _both(run)
    assert theirs is not None and ours == theirs


def test_inplace_comparison_keeps_dtype():
    ours, theirs = _both(lambda lib: lib.tensor([1.0, 3.0]).lt_(2).tolist())
    assert ours == theirs == [1.0, 0.0]


def test_inplace_returns_self_and_shares_memory_with_views():
    base = numtorch.zeros(2, 3)
    row = base.view(6)
    assert row.add_(1) is row
    assert base.tolist() == [[1.0] * 3] * 2
    assert base._version == row._version == 1


# -- out= ------------------------------------------------------------------------------------


def test_out_writes_into_the_given_tensor():
    a, b = numtorch.tensor([1.0, 2.0]), numtorch.tensor([3.0, 4.0])
    y = numtorch.empty(2)
    assert numtorch.mul(a, b, out=y) is y
    assert y.tolist() == [3.0, 8.0]
    for fn in (numtorch.add, numtorch.sub, numtorch.div, numtorch.pow):
        assert fn(a, b, out=y) is y
    assert y.tolist() == [1.0, 16.0]


def test_out_casts_to_its_dtype_and_resizes_an_empty_tensor():
    def run(lib):
        wide = lib.zeros(2, dtype=lib.float64)
        lib.add(lib.tensor([1, 2]), 1, out=wide)
        empty = lib.empty(0)
        lib.mul(lib.ones(3), 2, out=empty)
        return wide.dtype, wide.tolist(), empty.shape, empty.tolist()

    ours, theirs = _both(run)
    assert str(ours) == str(theirs)


def test_out_refuses_lossy_cast_and_grad():
    def run(lib):
        cast = _error(lambda: lib.add(lib.ones(2), 1, out=lib.zeros(2, dtype=lib.int64)))
        grad = _error(lambda: lib.mul(lib.ones(2, requires_grad=True), 2, out=lib.zeros(2)))
        return cast, grad

    ours, theirs = _both(run)
    assert ours == theirs


# -- fills -----------------------------------------------------------------------------------


def test_fill_copy_and_zero_follow_torch():
    def run(lib):
        a = lib.tensor([1, 2, 3]).fill_(2.7)
        b = lib.zeros(2, 3).copy_(lib.tensor([1.5, -2.5, 3.5]))
        c = lib.tensor([1, 2]).copy_(lib.tensor([1.7, -2.7]))
        d = lib.zeros(2, dtype=lib.uint8).fill_(-1)
        e = lib.tensor([True, False]).zero_()
        f = lib.zeros(2).copy_(lib.tensor([True, False]))
        g = lib.tensor([5, 6]).fill_(lib.tensor(9.9))
        return [(t.dtype, t.tolist()) for t in (a, b, c, d, e, f, g)]

    ours, theirs = _both(run)
    assert str(ours) == str(theirs)


def test_copy_gradient_reaches_src_summed_and_cast():
    def run(lib):
        src = lib.tensor([1.0, 2.0, 3.0], dtype=lib.float64, requires_grad=True)
        dst = lib.zeros(2, 3)
        dst.copy_(src)
        (dst * lib.tensor([[1.0], [2.0]])).sum().backward()
        return dst.grad_fn.name(), src.grad.dtype, src.grad.tolist()

    ours, theirs = _both(run)
    assert str(ours) == str(theirs)


def test_fill_with_a_tensor_value_passes_the_summed_gradient():
    def run(lib):
        v = lib.tensor(2.0, requires_grad=True)
        x = lib.zeros(2, 3).fill_(v)
        (x * 3).sum().backward()
        return x.grad_fn.name(), v.grad.item()

    ours, theirs = _both(run)
    assert ours == theirs


def test_normal_and_uniform_are_seeded_and_keep_dtype():
    numtorch.manual_seed(0)
    a = numtorch.empty(1000).normal_(2.0, 0.5)
    b = numtorch.empty(1000, dtype=numtorch.float64).uniform_(-1, 3)
    numtorch.manual_seed(0)
    assert numtorch.empty(1000).normal_(2.0, 0.5).tolist() == a.tolist()
    assert a.dtype == numtorch.float32 and b.dtype == numtorch.float64
    assert abs(a.mean().item() - 2.0) < 0.1 and abs(a.std().item() - 0.5) < 0.1
    assert -1 <= b.min().item() and b.max().item() < 3
    c = numtorch.zeros(3).uniform_(**{"from": 5, "to": 6})
    assert all(5 <= v < 6 for v in c.tolist())
    assert numtorch.zeros(4).normal_(std=0).tolist() == [0.0] * 4


def test_normal_with_an_explicit_generator():
    g1, g2 = numtorch.Generator().manual_seed(3), numtorch.Generator().manual_seed(3)
    x = numtorch.empty(5).normal_(generator=g1)
    y = numtorch.empty(5).normal_(generator=g2)
    assert x.tolist() == y.tolist()


def test_random_fills_work_on_parameters_under_no_grad():
    w = numtorch.zeros(4, requires_grad=True)
    with numtorch.no_grad():
        w.uniform_(-0.1, 0.1)
        w.normal_()
    assert w.is_leaf and w._version == 2


# -- operators, scalars, integers ------------------------------------------------------------


def test_bitwise_operators_on_integers_and_bools():
    ours, theirs = _both(lambda lib: [
        (lib.tensor([3, 5]) & lib.tensor([1, 4])).tolist(),
        (lib.tensor([3, 5]) | 8).tolist(), (lib.tensor([3, 5]) ^ 1).tolist(),
        (lib.tensor([True, False]) & lib.tensor([True, True])).tolist(),
        (~lib.tensor([0, 7], dtype=lib.uint8)).tolist(),
        (lib.tensor([7, -7]) % 3).tolist(), (2 % lib.tensor([3, -3])).tolist()])
    assert ours == theirs


def test_integer_powers_with_negative_exponents_truncate():
    def run(lib):
        base = lib.tensor([-2, -1, 0, 1, 2])
        return [(base ** lib.tensor(-1)).tolist(), (base ** lib.tensor(-2)).tolist(),
                (2 ** lib.tensor([-1, 0, 3])).tolist(), (lib.tensor([3]) ** 2).tolist()]

    ours, theirs = _both(run)
    assert ours == theirs


def test_integer_scalars_wrap_like_torch():
    ours, theirs = _both(lambda lib: [
        (lib.tensor([1], dtype=lib.int8) + 300).tolist(),
        (lib.tensor([1], dtype=lib.uint8) * -1).tolist(),
        (300 - lib.tensor([1], dtype=lib.int8)).tolist()])
    assert ours == theirs


def test_division_by_zero_gives_inf_and_nan_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ours, theirs = _both(lambda lib: [
            (lib.tensor([1.0, -1.0, 0.0]) / 0).tolist(), (lib.tensor([1, 0]) / 0).tolist(),
            lib.log(lib.tensor([0.0, -1.0])).tolist(), lib.exp(lib.tensor([1000.0])).tolist(),
            (lib.tensor([1.0]) // 0).tolist(), (lib.tensor([1.0]) % 0).tolist()])
    assert str(ours) == str(theirs)


def test_sign_abs_relu_at_nan_and_zero():
    def run(lib):
        x = lib.tensor([float("nan"), 0.0, -0.0, 2.0], requires_grad=True)
        grads = []
        for f in (lambda t: t.abs(), lambda t: t.relu(), lambda t: t.sign(),
                  lambda t: t.clamp(0, 1)):
            x.grad = None
            f(x).sum().backward()
            grads.append(x.grad.tolist())
        return str(x.sign().tolist()), str(grads)

    ours, theirs = _both(run)
    assert ours == theirs


def test_maximum_ties_split_the_gradient():
    def run(lib):
        a = lib.tensor([1.0, 2.0, 3.0], requires_grad=True)
        b = lib.tensor([1.0, 1.0, 4.0], requires_grad=True)
        lib.maximum(a, b).sum().backward()
        return a.grad.tolist(), b.grad.tolist()

    ours, theirs = _both(run)
    assert ours == theirs == ([0.5, 1.0, 0.0], [0.5, 0.0, 1.0])


def test_pow_gradients_at_zero_match_torch():
    def run(lib):
        a = lib.tensor([0.0, 0.0, 2.0], requires_grad=True)
        b = lib.tensor([0.0, -1.0, 0.5], requires_grad=True)
        (a ** b).sum().backward()
        c = lib.tensor([-1.0, 0.0, 2.0], requires_grad=True)
        (0 ** c).sum().backward()
        d = lib.tensor([0.0, 1.0], requires_grad=True)
        (d ** 0).sum().backward()
        return str([a.grad.tolist(), b.grad.tolist(), c.grad.tolist(), d.grad.tolist()])

    ours, theirs = _both(run)
    assert ours == theirs


def test_where_uint8_condition_warns_as_torch():
    with pytest.warns(UserWarning, match="where received a uint8 condition tensor"):
        out = numtorch.where(numtorch.tensor([1, 0], dtype=numtorch.uint8), 1.0, 2.0)
    assert out.tolist() == [1.0, 2.0]


def test_where_with_one_argument_is_nonzero_as_tuple():
    if not hasattr(numtorch.Tensor, "nonzero"):
        pytest.skip("nonzero (indexing family) is not available yet")
    idx = numtorch.where(numtorch.tensor([[0, 1], [1, 0]]) > 0)
    assert [t.tolist() for t in idx] == [[0, 1], [1, 0]]


def test_comparing_with_none_falls_back_to_identity():
    ours, theirs = _both(lambda lib: (lib.ones(2) == None, lib.ones(2) != None))  # noqa: E711
    assert ours == theirs == (False, True)


def test_equal():
    a = numtorch.tensor([1.0, 2.0])
    assert numtorch.equal(a, numtorch.tensor([1, 2])) is True
    assert a.equal(numtorch.tensor([1.0, 3.0])) is False
    assert numtorch.equal(a, numtorch.ones(3)) is False


# -- softmax ---------------------------------------------------------------------------------


def test_softmax_is_stable_and_sums_to_one():
    x = numtorch.tensor([[1000.0, 0.0, -1000.0], [3.0, 3.0, 3.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p = x.softmax(1)
        lp = numtorch.log_softmax(x, dim=-1)
    np.testing.assert_allclose(p.sum(1).numpy(), [1.0, 1.0], rtol=1e-6)
    assert p.tolist()[0] == [1.0, 0.0, 0.0]
    np.testing.assert_allclose(lp.numpy()[0], [0.0, -1000.0, -2000.0])


def test_softmax_dtype_converts_first():
    def run(lib):
        x = lib.tensor([[1.0, 2.0]], requires_grad=True)
        y = lib.softmax(x, 1, lib.float64)
        return y.dtype, y.grad_fn.name(), y.grad_fn.next_functions[0][0].name()

    ours, theirs = _both(run)
    assert str(ours) == str(theirs)


@pytest.mark.filterwarnings("ignore:Using backward\\(\\) with create_graph=True")
def test_softmax_second_derivative_matches_torch():
    def run(lib):
        x = lib.from_numpy(np.array([[0.3, -1.2, 2.0], [0.5, 0.5, -0.1]])).requires_grad_()
        w = lib.from_numpy(np.array([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]]))
        loss = (lib.log_softmax(x, 1) * w).sum() + (lib.softmax(x, 0) ** 2).sum()
        loss.backward(create_graph=True)
        g, x.grad = x.grad, None
        (g * g).sum().backward()
        return g.detach().numpy(), x.grad.numpy()

    ours, theirs = _both(run)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-10)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-10)
