"""optim.lr_scheduler against torch: 50-step learning-rate sequences for every scheduler and
several option sets, state_dict (format and round trip), resuming, warnings and errors."""

from __future__ import annotations

import copy
import math
import pickle
import warnings

import numpy as np
import pytest
from conftest import require_torch
from optim_compare import initial, make_params, quadratic_loss
from test_optim import _raises_like, _strip

import numtorch

STEPS = 50
# metrics for ReduceLROnPlateau: improving, then a plateau, noise, a new best, a long plateau
METRICS = ([1.0, 0.9, 0.8, 0.8, 0.79995, 0.81, 0.8, 0.85, 0.7, 0.7, 0.71, 0.69, 0.69, 0.6901]
           + [0.7 + 0.01 * math.sin(i) for i in range(STEPS - 14)])


class Decay:
    """A callable object: LambdaLR saves its ``__dict__`` in the state_dict."""

    def __init__(self, rate: float) -> None:
        self.rate = rate

    def __call__(self, epoch: int) -> float:
        return self.rate ** epoch


def _seq(lr_scheduler, opt, kind, milestones):
    """A SequentialLR or ChainedScheduler over schedulers named in ``kind``."""
    L = lr_scheduler
    parts = {
        "warmup_cosine": lambda: [L.LinearLR(opt, 0.1, total_iters=5),
                                  L.CosineAnnealingLR(opt, T_max=20, eta_min=1e-3)],
        "three": lambda: [L.ConstantLR(opt, 0.5, total_iters=2), L.ExponentialLR(opt, 0.9),
                          L.StepLR(opt, 4, gamma=0.5)],
        "chainable_only": lambda: [L.ExponentialLR(opt, 0.8), L.MultiplicativeLR(opt, Decay(0.9))],
        "const_exp": lambda: [L.ConstantLR(opt, 0.2, total_iters=4), L.ExponentialLR(opt, 0.95)],
        "linear_cosine": lambda: [L.LinearLR(opt, 0.5, total_iters=8),
                                  L.CosineAnnealingLR(opt, T_max=12)],
    }[kind]()
    if milestones is None:
        return L.ChainedScheduler(parts)
    return L.SequentialLR(opt, parts, milestones=milestones)


CASES = {
    "StepLR": [{"step_size": 3}, {"step_size": 7, "gamma": 0.5}],
    "MultiStepLR": [{"milestones": [3, 10, 10, 25]}, {"milestones": [40, 5], "gamma": 0.3}],
    "ExponentialLR": [{"gamma": 0.9}, {"gamma": 1.02}],
    "CosineAnnealingLR": [{"T_max": 10}, {"T_max": 7, "eta_min": 0.01}, {"T_max": 50},
                          {"T_max": 1, "eta_min": 1e-3}],
    "CosineAnnealingWarmRestarts": [{"T_0": 5}, {"T_0": 3, "T_mult": 2, "eta_min": 1e-3},
                                    {"T_0": 1, "T_mult": 3}],
    "LambdaLR": [{"lr_lambda": lambda e: 0.95 ** e},
                 {"lr_lambda": [lambda e: 1 / (e + 1), Decay(0.9)]}],
    "MultiplicativeLR": [{"lr_lambda": lambda e: 0.95},
                         {"lr_lambda": [lambda e: 1.0 if e % 2 else 0.8, Decay(0.99)]}],
    "LinearLR": [{}, {"start_factor": 0.25, "end_factor": 0.75, "total_iters": 10},
                 {"start_factor": 1.0, "end_factor": 0.0, "total_iters": 30}],
    "ConstantLR": [{}, {"factor": 0.5, "total_iters": 10}, {"factor": 1.0, "total_iters": 0}],
    "PolynomialLR": [{}, {"total_iters": 30, "power": 2.0}, {"total_iters": 60, "power": 0.5}],
    "OneCycleLR": [{"max_lr": 1.0, "total_steps": 50},
                   {"max_lr": [0.5, 1.0], "epochs": 5, "steps_per_epoch": 10,
                    "anneal_strategy": "linear", "pct_start": 0.25},
                   {"max_lr": 1.0, "total_steps": 60, "three_phase": True, "div_factor": 10.0,
                    "final_div_factor": 100.0, "base_momentum": [0.8, 0.7]},
                   {"max_lr": 0.3, "total_steps": 55, "cycle_momentum": False,
                    "pct_start": 0.5}],
    "ReduceLROnPlateau": [{}, {"patience": 2, "factor": 0.5},
                          {"mode": "max", "threshold_mode": "abs", "threshold": 0.01,
                           "cooldown": 2, "patience": 1, "factor": 0.7},
                          {"min_lr": [0.01, 0.001], "patience": 0, "factor": 0.5, "eps": 1e-3},
                          {"threshold": 0.1, "cooldown": 1, "patience": 1, "min_lr": 0.02}],
    "SequentialLR": [{"kind": "warmup_cosine", "milestones": [5]},
                     {"kind": "three", "milestones": [3, 20]},
                     {"kind": "chainable_only", "milestones": [10]}],
    "ChainedScheduler": [{"kind": "const_exp"}, {"kind": "linear_cosine"}],
}
TABLE = [(name, i) for name, options in CASES.items() for i in range(len(options))]
IDS = [f"{name}-{i}" for name, i in TABLE]


def _optimizer(lib, algorithm="SGD"):
    """Two groups with their own rates; SGD has momentum, Adam betas (for OneCycleLR)."""
    groups = [{"params": [lib.ones(2, requires_grad=True)]},
              {"params": [lib.ones(3, requires_grad=True)], "lr": 0.05}]
    if algorithm == "SGD":
        return lib.optim.SGD(groups, lr=0.1, momentum=0.9)
    return getattr(lib.optim, algorithm)(groups, lr=0.1)


def _build(lib, name, index, opt, **extra):
    options = dict(CASES[name][index], **extra)
    lr_scheduler = lib.optim.lr_scheduler
    if name in ("SequentialLR", "ChainedScheduler"):
        return _seq(lr_scheduler, opt, options["kind"], options.get("milestones"))
    return getattr(lr_scheduler, name)(opt, **options)


def _step(name, scheduler, i):
    if name == "ReduceLROnPlateau":
        scheduler.step(METRICS[i])
    else:
        scheduler.step()


def _momenta(opt):
    return [g["betas"][0] if "betas" in g else g.get("momentum") for g in opt.param_groups]


def _run(lib, name, index, steps=STEPS, algorithm="SGD"):
    """get_last_lr() (and the groups' momentum) after construction and after each step."""
    opt = _optimizer(lib, algorithm)
    scheduler = _build(lib, name, index, opt)
    history = [(list(scheduler.get_last_lr()), _momenta(opt))]
    for i in range(steps):
        opt.step()
        _step(name, scheduler, i)
        history.append((list(scheduler.get_last_lr()), _momenta(opt)))
        assert [g["lr"] for g in opt.param_groups] == history[-1][0]
    return history, scheduler, opt


def _assert_same_lrs(ours, theirs):
    assert len(ours) == len(theirs)
    for step, ((lrs, momenta), (tlrs, tmomenta)) in enumerate(zip(ours, theirs)):
        np.testing.assert_allclose(lrs, tlrs, rtol=1e-12, atol=1e-300, err_msg=f"step {step}")
        np.testing.assert_allclose(momenta, tmomenta, rtol=1e-12, err_msg=f"step {step}")


# -- sequences ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name,index", TABLE, ids=IDS)
def test_learning_rates_match_torch(name, index):
    torch = require_torch()
    ours, _, opt = _run(numtorch, name, index)
    theirs, _, topt = _run(torch, name, index)
    _assert_same_lrs(ours, theirs)
    assert [_keys(g) for g in opt.param_groups] == [_keys(g) for g in topt.param_groups]


def _keys(group):
    return {k: v for k, v in group.items() if k != "params"}


@pytest.mark.parametrize("index", range(len(CASES["OneCycleLR"])))
def test_one_cycle_cycles_adams_beta1_like_torch(index):
    torch = require_torch()
    ours, _, opt = _run(numtorch, "OneCycleLR", index, algorithm="Adam")
    theirs, _, topt = _run(torch, "OneCycleLR", index, algorithm="Adam")
    _assert_same_lrs(ours, theirs)
    assert opt.param_groups[0]["betas"] == topt.param_groups[0]["betas"]


def test_one_cycle_refuses_to_step_past_the_end_like_torch():
    torch = require_torch()

    def call(lib):
        opt = _optimizer(lib)
        scheduler = lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=5)
        for _ in range(6):
            opt.step()
            scheduler.step()

    _raises_like(torch, call)


@pytest.mark.parametrize("name,index", [(n, i) for n, i in TABLE if n not in (
    "ReduceLROnPlateau", "SequentialLR", "ChainedScheduler", "CosineAnnealingWarmRestarts")])
def test_step_with_an_epoch_uses_the_closed_form_like_torch(name, index):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        opt = _optimizer(lib)
        scheduler = _build(lib, name, index, opt)
        opt.step()
        values = []
        for epoch in [3, 0, 7, 2, 12, 12, 30, 1]:
            with pytest.warns(UserWarning, match="The epoch parameter"):
                scheduler.step(epoch)
            values.append(scheduler.get_last_lr())
        results.append(values)
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


@pytest.mark.parametrize("T_mult", [1, 2])
def test_warm_restarts_with_fractional_epochs_match_torch(T_mult):  # noqa: N803
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        opt = _optimizer(lib)
        scheduler = lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=4, T_mult=T_mult,
                                                                       eta_min=1e-4)
        values = []
        for epoch in range(12):
            for batch in range(5):
                opt.step()
                scheduler.step(epoch + batch / 5)  # no warning for this scheduler
                values.append((scheduler.get_last_lr(), scheduler.T_cur, scheduler.T_i,
                               scheduler.last_epoch))
        for epoch in [30, 2.5, 0, 100]:
            scheduler.step(epoch)
            values.append((scheduler.get_last_lr(), scheduler.T_cur, scheduler.T_i,
                           scheduler.last_epoch))
        results.append(values)
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-12)
        assert ours[1:] == pytest.approx(theirs[1:], rel=1e-12)


def test_tensor_learning_rates_are_filled_in_place_like_torch():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        w = lib.ones(2, requires_grad=True)
        opt = lib.optim.SGD([w], lr=lib.tensor(0.1, dtype=lib.float64))
        lr = opt.param_groups[0]["lr"]
        scheduler = lib.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
        values = []
        for _ in range(15):
            opt.step()
            scheduler.step()
            last = scheduler.get_last_lr()[0]
            assert opt.param_groups[0]["lr"] is lr and last is not lr
            values.append(last.item())
        assert opt.param_groups[0]["initial_lr"] is not lr
        results.append(values)
    np.testing.assert_allclose(results[0], results[1], rtol=1e-12)


# -- construction, resuming ------------------------------------------------------------------------
def test_initial_lr_and_base_lrs_are_recorded():
    opt = _optimizer(numtorch)
    scheduler = numtorch.optim.lr_scheduler.StepLR(opt, step_size=2)
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 0.05]
    assert scheduler.base_lrs == [0.1, 0.05] and scheduler.last_epoch == 0
    opt.param_groups[0]["initial_lr"] = 1.0  # a second scheduler keeps the recorded rate
    assert numtorch.optim.lr_scheduler.ExponentialLR(opt, 0.5).base_lrs == [1.0, 0.05]


RESUMED = [("StepLR", {"step_size": 1}), ("StepLR", {"step_size": 2}),
           ("MultiStepLR", {"milestones": [2, 6]}), ("ExponentialLR", {"gamma": 0.5}),
           ("CosineAnnealingLR", {"T_max": 4}), ("LinearLR", {}), ("ConstantLR", {}),
           ("MultiplicativeLR", {"lr_lambda": lambda e: 0.5}), ("PolynomialLR", {"total_iters": 8}),
           ("LambdaLR", {"lr_lambda": lambda e: 0.5 ** e}),
           ("CosineAnnealingWarmRestarts", {"T_0": 3, "T_mult": 2}),
           ("OneCycleLR", {"max_lr": 1.0, "total_steps": 30})]


@pytest.mark.parametrize("last_epoch", [0, 1, 3, 4, 5, 8, 12])
@pytest.mark.parametrize("name,options", RESUMED, ids=[n for n, _ in RESUMED])
def test_resuming_with_last_epoch_matches_torch(name, options, last_epoch):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        opt = _optimizer(lib)
        for group in opt.param_groups:  # what a loaded optimizer holds
            group.update(initial_lr=1.0, max_lr=1.0, min_lr=1e-4, max_momentum=0.95,
                         base_momentum=0.85)
        scheduler = getattr(lib.optim.lr_scheduler, name)(opt, last_epoch=last_epoch, **options)
        values = [scheduler.get_last_lr()]
        for _ in range(8):
            opt.step()
            scheduler.step()
            values.append(scheduler.get_last_lr())
        results.append((values, _strip(scheduler.state_dict())))
    np.testing.assert_allclose(results[0][0], results[1][0], rtol=1e-12)
    assert _without_lambdas(results[0][1]) == _without_lambdas(results[1][1])


def _without_lambdas(state):
    return {k: v for k, v in state.items() if k not in ("_last_lr", "lr_lambdas")}


# -- state_dict -----------------------------------------------------------------------------------
@pytest.mark.parametrize("name,index", TABLE, ids=IDS)
def test_state_dict_matches_torch(name, index):
    torch = require_torch()
    _, ours, _ = _run(numtorch, name, index, steps=20)
    _, theirs, _ = _run(torch, name, index, steps=20)
    assert _comparable(ours.state_dict()) == _comparable(theirs.state_dict())
    assert list(ours.state_dict()) == list(theirs.state_dict())


def _comparable(state):
    """Floats to 12 digits, lambdas' saved ``__dict__`` as is."""
    if isinstance(state, dict):
        return {k: _comparable(v) for k, v in state.items()}
    if isinstance(state, list):
        return [_comparable(v) for v in state]
    if isinstance(state, float) and math.isfinite(state):
        return float(f"{state:.12g}")
    return state


@pytest.mark.parametrize("name,index", TABLE, ids=IDS)
def test_state_dict_round_trip_continues_the_schedule(name, index):
    full, _, _ = _run(numtorch, name, index)
    _, scheduler, opt = _run(numtorch, name, index, steps=20)
    saved_opt = copy.deepcopy(opt.state_dict())
    saved = pickle.loads(pickle.dumps(scheduler.state_dict()))
    # as a checkpoint is restored: a new optimizer and scheduler, then both states loaded
    opt2 = _optimizer(numtorch)
    scheduler2 = _build(numtorch, name, index, opt2)
    opt2.load_state_dict(saved_opt)
    scheduler2.load_state_dict(saved)
    assert scheduler2.get_last_lr() == full[20][0]
    for i in range(20, STEPS):
        opt2.step()
        _step(name, scheduler2, i)
        assert scheduler2.get_last_lr() == full[i + 1][0]


def test_lambda_state_dict_saves_callable_objects_only():
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        opt = _optimizer(lib)
        decay = Decay(0.5)
        scheduler = lib.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0, decay])
        state = scheduler.state_dict()
        assert state["lr_lambdas"] == [None, {"rate": 0.5}]
        state["lr_lambdas"][1]["rate"] = 0.25
        scheduler.load_state_dict(state)
        assert decay.rate == 0.25 and "lr_lambdas" in state
        results.append(list(state))
    assert results[0] == results[1]


# -- warnings -------------------------------------------------------------------------------------
def _warnings(call):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        call()
    return [(w.category, str(w.message)) for w in record]


WARNINGS = {
    "scheduler_before_optimizer": lambda lib: _stepped(lib, optimizer_first=False),
    "optimizer_step_overridden": lambda lib: _overridden(lib),
    "get_lr_by_hand": lambda lib: lib.optim.lr_scheduler.ExponentialLR(
        _optimizer(lib), 0.9).get_lr(),
    "epoch_argument": lambda lib: lib.optim.lr_scheduler.StepLR(_optimizer(lib), 2).step(4),
    "plateau_epoch_argument": lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(
        _optimizer(lib)).step(1.0, epoch=3),
    "chained_before_optimizer": lambda lib: _seq(lib.optim.lr_scheduler, _optimizer(lib),
                                                 "const_exp", None).step(),
    "none_in_order": lambda lib: _stepped(lib, optimizer_first=True),
    "none_warm_restarts": lambda lib: lib.optim.lr_scheduler.CosineAnnealingWarmRestarts(
        _optimizer(lib), 3).step(),
    "none_plateau": lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau(
        _optimizer(lib)).step(1.0),
    "none_sequential_milestone": lambda lib: _sequential_in_order(lib),
}


def _stepped(lib, optimizer_first):
    opt = _optimizer(lib)
    scheduler = lib.optim.lr_scheduler.StepLR(opt, 2)
    for _ in range(3):  # warns once at most
        if optimizer_first:
            opt.step()
        scheduler.step()


def _overridden(lib):
    opt = _optimizer(lib)
    scheduler = lib.optim.lr_scheduler.StepLR(opt, 2)
    opt.step = lambda closure=None: None
    opt.step()
    scheduler.step()


def _sequential_in_order(lib):
    opt = _optimizer(lib)
    scheduler = _seq(lib.optim.lr_scheduler, opt, "three", [1, 2])
    for _ in range(4):
        opt.step()
        scheduler.step()


@pytest.mark.parametrize("case", list(WARNINGS))
def test_warnings_match_torch(case):
    torch = require_torch()
    ours, theirs = _warnings(lambda: WARNINGS[case](numtorch)), _warnings(
        lambda: WARNINGS[case](torch))
    assert ours == theirs
    assert bool(ours) != case.startswith("none")


def test_order_warning_points_at_the_callers_line():
    opt = _optimizer(numtorch)
    scheduler = numtorch.optim.lr_scheduler.StepLR(opt, 2)
    with pytest.warns(UserWarning, match="before `optimizer.step\\(\\)`") as record:
        scheduler.step()
    assert record[0].filename == __file__


# -- errors ---------------------------------------------------------------------------------------
def _lr(name, **kwargs):
    return lambda lib: getattr(lib.optim.lr_scheduler, name)(_optimizer(lib), **kwargs)


def _one_group(lib):
    return lib.optim.SGD([lib.ones(1, requires_grad=True)], lr=0.1, momentum=0.9)


ERRORS = {
    "not_an_optimizer": lambda lib: lib.optim.lr_scheduler.StepLR("opt", 2),
    "plateau_not_an_optimizer": lambda lib: lib.optim.lr_scheduler.ReduceLROnPlateau("opt"),
    "resume_without_initial_lr": _lr("StepLR", step_size=2, last_epoch=5),
    "lambdas_count": _lr("LambdaLR", lr_lambda=[lambda e: 1.0] * 3),
    "multiplicative_count": _lr("MultiplicativeLR", lr_lambda=[lambda e: 1.0]),
    "constant_factor_big": _lr("ConstantLR", factor=2),
    "constant_factor_negative": _lr("ConstantLR", factor=-0.1),
    "linear_start_zero": _lr("LinearLR", start_factor=0),
    "linear_start_big": _lr("LinearLR", start_factor=1.5),
    "linear_end": _lr("LinearLR", end_factor=1.5),
    "warm_t0_zero": _lr("CosineAnnealingWarmRestarts", T_0=0),
    "warm_t0_float": _lr("CosineAnnealingWarmRestarts", T_0=2.0),
    "warm_t_mult": _lr("CosineAnnealingWarmRestarts", T_0=2, T_mult=0),
    "warm_t_mult_float": _lr("CosineAnnealingWarmRestarts", T_0=2, T_mult=1.5),
    "warm_eta_min": _lr("CosineAnnealingWarmRestarts", T_0=2, eta_min="a"),
    "warm_negative_epoch": lambda lib: _lr("CosineAnnealingWarmRestarts", T_0=2)(lib).step(-1),
    "plateau_factor": _lr("ReduceLROnPlateau", factor=1.0),
    "plateau_mode": _lr("ReduceLROnPlateau", mode="avg", threshold_mode="x"),
    "plateau_threshold_mode": _lr("ReduceLROnPlateau", threshold_mode="x"),
    "plateau_min_lrs": _lr("ReduceLROnPlateau", min_lr=[0.1]),
    "plateau_group_added": lambda lib: _plateau_with_new_group(lib),
    "cycle_no_steps": _lr("OneCycleLR", max_lr=1.0),
    "cycle_only_epochs": _lr("OneCycleLR", max_lr=1.0, epochs=3),
    "cycle_total_zero": _lr("OneCycleLR", max_lr=1.0, total_steps=0),
    "cycle_total_float": _lr("OneCycleLR", max_lr=1.0, total_steps=1.5),
    "cycle_epochs": _lr("OneCycleLR", max_lr=1.0, epochs=0, steps_per_epoch=10),
    "cycle_steps_per_epoch": _lr("OneCycleLR", max_lr=1.0, epochs=2, steps_per_epoch=0),
    "cycle_pct_big": _lr("OneCycleLR", max_lr=1.0, total_steps=10, pct_start=1.5),
    "cycle_pct_int": _lr("OneCycleLR", max_lr=1.0, total_steps=10, pct_start=0),
    "cycle_pct_text": _lr("OneCycleLR", max_lr=1.0, total_steps=10, pct_start="a"),
    "cycle_anneal": _lr("OneCycleLR", max_lr=1.0, total_steps=10, anneal_strategy="x"),
    "cycle_max_lrs": _lr("OneCycleLR", max_lr=[1.0], total_steps=10),
    "cycle_base_momentum": _lr("OneCycleLR", max_lr=1.0, total_steps=10, base_momentum=[0.1]),
    "cycle_no_momentum": lambda lib: lib.optim.lr_scheduler.OneCycleLR(
        lib.optim.Adagrad([lib.ones(1, requires_grad=True)]), max_lr=1.0, total_steps=10),
    "sequential_empty": lambda lib: lib.optim.lr_scheduler.SequentialLR(_optimizer(lib), [], []),
    "sequential_milestones": lambda lib: _composite(lib, "milestones"),
    "sequential_other_optimizer": lambda lib: _composite(lib, "other"),
    "sequential_not_a_scheduler": lambda lib: _composite(lib, "not_a_scheduler"),
    "sequential_plateau": lambda lib: _composite(lib, "plateau"),
    "chained_empty": lambda lib: lib.optim.lr_scheduler.ChainedScheduler([]),
    "chained_other_optimizer": lambda lib: _composite(lib, "chained_other"),
    "chained_not_a_scheduler": lambda lib: _composite(lib, "chained_not_a_scheduler"),
    "chained_given_optimizer": lambda lib: _composite(lib, "chained_given"),
}


def _plateau_with_new_group(lib):
    opt = _one_group(lib)
    scheduler = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, min_lr=[0.0], patience=0)
    opt.add_param_group({"params": [lib.ones(1, requires_grad=True)]})
    scheduler.step(1.0)
    scheduler.step(2.0)


def _composite(lib, case):
    L = lib.optim.lr_scheduler
    opt, other = _one_group(lib), _one_group(lib)
    a, b = L.StepLR(opt, 2), L.ExponentialLR(opt, 0.9)
    if case == "milestones":
        return L.SequentialLR(opt, [a, b], milestones=[1, 2])
    if case == "other":
        return L.SequentialLR(other, [a, b], milestones=[2])
    if case == "not_a_scheduler":
        return L.SequentialLR(opt, [a, "x"], milestones=[2])
    if case == "plateau":
        return L.SequentialLR(opt, [a, L.ReduceLROnPlateau(opt)], milestones=[2])
    if case == "chained_other":
        return L.ChainedScheduler([a, L.ExponentialLR(other, 0.9)])
    if case == "chained_not_a_scheduler":
        return L.ChainedScheduler([a, "x"])
    return L.ChainedScheduler([a], optimizer=other)


@pytest.mark.parametrize("case", list(ERRORS))
def test_errors_match_torch(case):
    torch = require_torch()
    _raises_like(torch, ERRORS[case])


def test_public_names_match_torch():
    torch = require_torch()
    ours = set(numtorch.optim.lr_scheduler.__all__)
    theirs = set(torch.optim.lr_scheduler.__all__)
    assert theirs <= ours
    assert issubclass(numtorch.optim.lr_scheduler.ReduceLROnPlateau,
                      numtorch.optim.lr_scheduler.LRScheduler)


# -- with a real optimizer ------------------------------------------------------------------------
@pytest.mark.parametrize("algorithm", ["Adam", "AdamW", "RMSprop", "NAdam"])
def test_training_under_one_cycle_follows_torch(algorithm):
    torch = require_torch()
    results = []
    for lib in (numtorch, torch):
        init = initial("float64")
        params = make_params(lib, init)
        opt = getattr(lib.optim, algorithm)(params, lr=0.01)
        scheduler = lib.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=20)
        for _ in range(20):
            opt.zero_grad()
            quadratic_loss(lib, params, init).backward()
            opt.step()
            scheduler.step()
        results.append([p.detach().numpy() for p in params])
    for ours, theirs in zip(*results):
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12)
