"""DistributedDataParallel against single-process training (run by tests/test_distributed.py).

    numtorch run --nproc-per-node N ddp_train.py

Every rank also trains a reference copy of the model, alone, on the whole batch (all ranks'
shares concatenated): DDP's parameters must follow it to 1e-6 (float64) / 1e-4 (float32).
Prints "ddp OK rank R" at the end; a mismatch raises, which aborts the job.
"""

from datetime import timedelta

import torch
import torch.distributed as dist
import torch.nn as nn
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel as DDP

dist.init_process_group("gloo", timeout=timedelta(seconds=60))
RANK, SIZE = dist.get_rank(), dist.get_world_size()
B, STEPS = 4, 5
TOL = {torch.float64: 1e-6, torch.float32: 1e-4}


class Net(nn.Module):
    """An MLP with a branch (``extra``) that a forward may skip and a layer never used."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(6, 16)
        self.fc2 = nn.Linear(16, 16)
        self.extra = nn.Linear(16, 16)
        self.never = nn.Linear(3, 3)
        self.out = nn.Linear(16, 2)
        self.register_buffer("scale", torch.ones(()))

    def forward(self, x, use_extra=True):
        h = F.relu(self.fc2(F.relu(self.fc1(x))))
        if use_extra:
            h = h + torch.tanh(self.extra(h))
        self.seen_scale = self.scale.item()
        return self.out(h) * self.scale


def make(dtype, seed):
    torch.manual_seed(seed)
    return Net().to(dtype)


def batches(dtype, steps):
    g = torch.Generator().manual_seed(123)
    return [(torch.randn(SIZE * B, 6, generator=g, dtype=dtype),
             torch.randn(SIZE * B, 2, generator=g, dtype=dtype)) for _ in range(steps)]


def mine(t):
    return t[RANK * B:(RANK + 1) * B]


def assert_close(ddp, ref, dtype, what):
    for (name, a), b in zip(ddp.module.named_parameters(), ref.parameters()):
        err = (a - b).abs().max().item()
        assert err <= TOL[dtype], f"{what}: {name} differs by {err} on rank {RANK}"


def train_pair(dtype, **ddp_kwargs):
    ref = make(dtype, 0)
    local = make(dtype, 0 if RANK == 0 else 100 + RANK)  # DDP must copy rank 0's
    if not ddp_kwargs.get("find_unused_parameters"):
        local.never.requires_grad_(False)  # else every backward leaves it unreduced
    ddp = DDP(local, **ddp_kwargs)
    opts = [torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9) for m in (ddp, ref)]
    return ddp, ref, opts


def test_plain(dtype, **ddp_kwargs):
    ddp, ref, (opt, ref_opt) = train_pair(dtype, **ddp_kwargs)
    for x, y in batches(dtype, STEPS):
        opt.zero_grad()
        F.mse_loss(ddp(mine(x)), mine(y)).backward()
        opt.step()
        ref_opt.zero_grad()
        F.mse_loss(ref(x), y).backward()
        ref_opt.step()
    assert_close(ddp, ref, dtype, f"plain {ddp_kwargs}")
    assert ddp.module.never.weight.grad is None  # unused: DDP leaves it alone
    if ddp_kwargs.get("gradient_as_bucket_view"):
        views = [v for b in ddp.reducer.buckets for v in b.views.values()]
        w = ddp.module.fc1.weight.grad.numpy()
        assert any(v is w or v.base is w.base for v in views)


def test_no_sync(dtype):
    ddp, ref, (opt, ref_opt) = train_pair(dtype)
    data = batches(dtype, 3 * 2)
    for step in range(2):
        opt.zero_grad()
        ref_opt.zero_grad()
        micro = data[3 * step:3 * step + 3]
        with ddp.no_sync():
            for x, y in micro[:-1]:
                F.mse_loss(ddp(mine(x)), mine(y)).backward()
        x, y = micro[-1]
        F.mse_loss(ddp(mine(x)), mine(y)).backward()
        for x, y in micro:
            F.mse_loss(ref(x), y).backward()
        opt.step()
        ref_opt.step()
    assert_close(ddp, ref, dtype, "no_sync")


def test_find_unused(dtype):
    # ``extra`` is used on rank 0 only: the others count it as zero, so its gradient is the
    # mean over ranks of each rank's own loss; ``never`` is used nowhere and keeps grad None
    ddp, ref, (opt, ref_opt) = train_pair(dtype, find_unused_parameters=True,
                                          bucket_cap_mb=0.001)
    for x, y in batches(dtype, STEPS):
        opt.zero_grad()
        F.mse_loss(ddp(mine(x), use_extra=RANK == 0), mine(y)).backward()
        opt.step()
        ref_opt.zero_grad()
        loss = sum(F.mse_loss(ref(x[r * B:(r + 1) * B], use_extra=r == 0),
                              y[r * B:(r + 1) * B]) for r in range(SIZE)) / SIZE
        loss.backward()
        ref_opt.step()
    assert_close(ddp, ref, dtype, "find_unused_parameters")
    assert ddp.module.never.weight.grad is None


def test_overlap_and_buffers(dtype):
    ddp, _, _ = train_pair(dtype, bucket_cap_mb=0.001)
    assert len(ddp.reducer.buckets) > 2
    seen = []
    # runs after DDP's hook on fc1.weight, the last gradient backward produces
    ddp.module.fc1.weight.register_post_accumulate_grad_hook(
        lambda p: seen.append((ddp.reducer.armed, ddp.reducer.next_bucket)))
    ddp.module.scale.fill_(RANK + 1.0)  # forward must see rank 0's buffer
    for x, y in batches(dtype, 2):  # the first backward rebuilds the buckets
        F.mse_loss(ddp(mine(x)), mine(y)).backward()
    assert ddp.module.seen_scale == 1.0, ddp.module.seen_scale
    armed, launched = seen[1]
    assert armed and launched >= 1, seen  # buckets went out while backward was running
    assert list(ddp.state_dict()) == ["module." + k for k in ddp.module.state_dict()]
    assert not ddp.reducer.armed  # the final callback ran


def test_unused_without_find_unused(dtype):
    ddp, _, _ = train_pair(dtype)
    x, y = batches(dtype, 1)[0]
    F.mse_loss(ddp(mine(x), use_extra=False), mine(y)).backward()
    try:
        ddp(mine(x))
    except RuntimeError as e:
        assert "Expected to have finished reduction" in str(e) and "extra.weight" in str(e)
    else:
        raise AssertionError("the unfinished reduction must be reported")


for dtype in (torch.float64, torch.float32):
    test_plain(dtype)
    test_plain(dtype, bucket_cap_mb=0.001, gradient_as_bucket_view=True)
    test_no_sync(dtype)
    test_find_unused(dtype)
    test_overlap_and_buffers(dtype)
test_unused_without_find_unused(torch.float64)
dist.barrier()
print(f"ddp OK rank {RANK}")
