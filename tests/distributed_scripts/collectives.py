"""Every collective against a NumPy reference, on every rank (run by tests/test_distributed.py).

    numtorch run --nproc-per-node N collectives.py

Each rank builds every rank's input from (rank, dtype, shape), so it can compute the expected
result itself. Prints "collectives OK rank R" at the end; any mismatch raises, which aborts
the job with the traceback.
"""

import os
import warnings
from datetime import timedelta

import numpy as np
import torch
import torch.distributed as dist
from torch.utils.data import DistributedSampler

dist.init_process_group("gloo", timeout=timedelta(seconds=60))
RANK, SIZE = dist.get_rank(), dist.get_world_size()
DTYPES = [torch.float32, torch.float64, torch.int64, torch.bool, torch.float16]
SHAPES = [(), (5,), (2, 3)]
TOL = {torch.float16: 1e-2, torch.float32: 1e-5, torch.float64: 1e-12}


def value(rank, dtype, shape, salt=0):
    """Rank ``rank``'s input: small values, so products of a few ranks stay exact."""
    rng = np.random.default_rng(1000 * rank + 17 * salt + len(shape))
    if dtype is torch.bool:
        return torch.from_numpy(np.asarray(rng.random(shape) < 0.5))
    if dtype is torch.int64:
        return torch.from_numpy(np.asarray(rng.integers(-3, 4, shape), np.int64))
    arr = np.asarray(rng.uniform(0.5, 1.5, shape))
    return torch.from_numpy(arr).to(dtype)


def every(dtype, shape, salt=0):
    return np.stack([value(r, dtype, shape, salt).numpy() for r in range(SIZE)])


def check(got, want, what):
    got = got.numpy() if isinstance(got, torch.Tensor) else got
    want = np.asarray(want)
    assert got.shape == want.shape, (what, got.shape, want.shape)
    tol = {np.dtype(np.float16): 1e-2, np.dtype(np.float32): 1e-5}.get(got.dtype, 1e-12)
    if got.dtype.kind == "f":
        np.testing.assert_allclose(got, want.astype(got.dtype), rtol=tol, atol=tol,
                                   err_msg=what)
    else:
        np.testing.assert_array_equal(got, want.astype(got.dtype), err_msg=what)


REDUCTIONS = {
    dist.ReduceOp.SUM: lambda a: a.any(0) if a.dtype == bool else a.sum(0),
    dist.ReduceOp.PRODUCT: lambda a: a.all(0) if a.dtype == bool else a.prod(0),
    dist.ReduceOp.MIN: lambda a: a.min(0),
    dist.ReduceOp.MAX: lambda a: a.max(0),
    dist.ReduceOp.AVG: lambda a: a.astype(np.float64).mean(0),
}


def reductions(dtype):
    ops = list(REDUCTIONS)
    return ops if dtype.is_floating_point else [op for op in ops if op != dist.ReduceOp.AVG]


def test_all_reduce_and_reduce():
    for dtype in DTYPES:
        for shape in SHAPES:
            for op in reductions(dtype):
                want = REDUCTIONS[op](every(dtype, shape))
                t = value(RANK, dtype, shape)
                version = t._version
                dist.all_reduce(t, op=op)
                check(t, want, f"all_reduce {dtype} {shape} {op}")
                assert t._version > version
                t = value(RANK, dtype, shape)
                dist.reduce(t, dst=SIZE - 1, op=op)
                check(t, want if RANK == SIZE - 1 else value(RANK, dtype, shape),
                      f"reduce {dtype} {shape} {op}")


def test_non_contiguous_in_place():
    base = torch.arange(12.0).reshape(3, 4) * (RANK + 1)
    view = base.t()[1:3]  # a strided view: the result must land in ``base``
    dist.all_reduce(view)
    want = np.arange(12.0).reshape(3, 4)
    want[:, 1:3] *= SIZE * (SIZE + 1) / 2
    want[:, [0, 3]] *= RANK + 1
    check(base, want, "all_reduce into a transposed view")


def test_broadcast_gather_scatter():
    src = 1 % SIZE
    for dtype in DTYPES:
        for shape in SHAPES:
            allv = every(dtype, shape)
            t = value(RANK, dtype, shape)
            dist.broadcast(t, src=src)
            check(t, allv[src], f"broadcast {dtype} {shape}")
            outs = [torch.zeros(shape, dtype=dtype) for _ in range(SIZE)]
            dist.all_gather(outs, value(RANK, dtype, shape))
            for r in range(SIZE):
                check(outs[r], allv[r], f"all_gather {dtype} {shape}")
            flat = torch.zeros((SIZE, *shape), dtype=dtype)
            dist.all_gather_single(flat, value(RANK, dtype, shape))
            check(flat, allv, f"all_gather_single {dtype} {shape}")
            dst = SIZE - 1
            gl = [torch.zeros(shape, dtype=dtype) for _ in range(SIZE)] if RANK == dst else None
            dist.gather(value(RANK, dtype, shape), gl, dst=dst)
            if RANK == dst:
                for r in range(SIZE):
                    check(gl[r], allv[r], f"gather {dtype} {shape}")
            sl = [value(r, dtype, shape, salt=RANK) for r in range(SIZE)] if RANK == src else None
            out = torch.zeros(shape, dtype=dtype)
            dist.scatter(out, sl, src=src)
            check(out, value(RANK, dtype, shape, salt=src), f"scatter {dtype} {shape}")


def test_reduce_scatter():
    for dtype in DTYPES:
        for op in reductions(dtype):
            # rank r contributes chunk c = value(r, salt=c); rank c gets chunk c reduced
            want = REDUCTIONS[op](np.stack([value(r, dtype, (4,), salt=RANK).numpy()
                                            for r in range(SIZE)]))
            out = torch.zeros(4, dtype=dtype)
            dist.reduce_scatter(out, [value(RANK, dtype, (4,), salt=c) for c in range(SIZE)],
                                op=op)
            check(out, want, f"reduce_scatter {dtype} {op}")
            out = torch.zeros(4, dtype=dtype)
            whole = torch.cat([value(RANK, dtype, (4,), salt=c) for c in range(SIZE)])
            dist.reduce_scatter_single(out, whole, op=op)
            check(out, want, f"reduce_scatter_single {dtype} {op}")


def test_async_and_deprecated():
    t = value(RANK, torch.float64, (3,))
    work = dist.all_reduce(t, async_op=True)
    assert work.wait() is True and work.is_completed()
    check(t, every(torch.float64, (3,)).sum(0), "async all_reduce")
    works = [dist.broadcast(torch.full((2,), float(RANK)), src=0, async_op=True)
             for _ in range(3)]
    while not all(w.is_completed() for w in works):
        pass
    assert dist.barrier(async_op=True).wait()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        out = torch.zeros(SIZE * 2)
        dist.all_gather_into_tensor(out, torch.full((2,), float(RANK)))
    assert any(issubclass(w.category, FutureWarning) for w in caught)
    check(out, np.repeat(np.arange(SIZE, dtype=np.float32), 2), "all_gather_into_tensor")


def test_point_to_point():
    right, left = (RANK + 1) % SIZE, (RANK - 1) % SIZE
    if SIZE == 1:
        return
    for dtype in DTYPES:
        send = value(RANK, dtype, (2, 3))
        got = torch.zeros((2, 3), dtype=dtype)
        req = dist.irecv(got, src=left, tag=7)
        dist.isend(send, dst=right, tag=7).wait()
        req.wait()
        check(got, value(left, dtype, (2, 3)).numpy(), f"isend/irecv {dtype}")
    if RANK == 0:
        senders = set()
        for _ in range(SIZE - 1):
            t = torch.zeros(1, dtype=torch.int64)
            sender = dist.recv(t)  # from any rank
            assert t.item() == 10 * sender, (t, sender)
            senders.add(sender)
        assert senders == set(range(1, SIZE)), senders
    else:
        dist.send(torch.tensor([10 * RANK]), dst=0)


def test_objects():
    objs = [None] * SIZE
    dist.all_gather_object(objs, {"rank": RANK, "text": "x" * RANK})
    assert objs == [{"rank": r, "text": "x" * r} for r in range(SIZE)], objs
    lst = [RANK, [RANK] * 3, torch.tensor([float(RANK)])]
    dist.broadcast_object_list(lst, src=SIZE - 1)
    assert lst[:2] == [SIZE - 1, [SIZE - 1] * 3] and lst[2].item() == SIZE - 1, lst
    gathered = [None] * SIZE if RANK == 0 else None
    dist.gather_object(("g", RANK), gathered, dst=0)
    if RANK == 0:
        assert gathered == [("g", r) for r in range(SIZE)], gathered
    out = [None]
    dist.scatter_object_list(out, [f"to {r}" for r in range(SIZE)] if RANK == 0 else None, src=0)
    assert out == [f"to {RANK}"], out


def test_groups_and_env():
    assert os.environ["RANK"] == str(RANK) and os.environ["WORLD_SIZE"] == str(SIZE)
    assert os.environ["LOCAL_RANK"] == str(RANK)
    assert os.environ["LOCAL_WORLD_SIZE"] == str(SIZE)
    assert dist.is_initialized() and dist.get_backend() == "gloo"
    members = list(range(0, SIZE, 2))  # the even ranks
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        g = dist.new_group(members)
        t = torch.tensor([float(RANK)])
        dist.all_reduce(t, group=g)
    if RANK in members:
        assert dist.get_process_group_ranks(g) == members
        assert dist.get_rank(g) == members.index(RANK) and dist.get_world_size(g) == len(members)
        check(t, np.array([float(sum(members))]), "all_reduce on a sub-group")
        src = members[-1]
        b = torch.tensor([float(RANK)])
        dist.broadcast(b, src=src, group=g)  # a global rank
        check(b, np.array([float(src)]), "broadcast on a sub-group")
    else:
        assert g == dist.GroupMember.NON_GROUP_MEMBER
        assert "does not belong to the given group" in str(caught[-1].message)
        check(t, np.array([float(RANK)]), "non-member keeps its tensor")
    assert dist.group.WORLD is dist.GroupMember.WORLD is not None


def test_errors():
    try:
        dist.all_gather([torch.zeros(2)], torch.zeros(2)) if SIZE > 1 else None
    except ValueError as e:
        assert "one tensor per rank" in str(e)
    else:
        assert SIZE == 1
    try:
        dist.send(torch.zeros(1), dst=RANK)
    except ValueError as e:
        assert "should not be the same as the rank" in str(e)
    else:
        raise AssertionError("send to self must fail")
    try:
        dist.init_process_group("gloo")
    except ValueError as e:
        assert "twice" in str(e)
    else:
        raise AssertionError("a second init must fail")


def test_sampler_default_group():
    sampler = DistributedSampler(range(10), shuffle=False)
    assert sampler.num_replicas == SIZE and sampler.rank == RANK
    shares = [None] * SIZE
    dist.all_gather_object(shares, list(sampler))
    keys = sorted(k for share in shares for k in share)
    assert set(keys) == set(range(10)) and len(keys) == sampler.total_size


for name, fn in list(globals().items()):
    if name.startswith("test_"):
        fn()
        dist.barrier()
dist.destroy_process_group()
assert not dist.is_initialized()
print(f"collectives OK rank {RANK}")
