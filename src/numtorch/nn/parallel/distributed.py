"""``torch.nn.parallel.DistributedDataParallel`` on numtorch.distributed (MPI)."""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ... import distributed as dist
from ...autograd.grad_mode import is_grad_enabled
from ...distributed._process_group import default_group
from ..modules.module import Module
from ._reducer import Reducer

__all__ = ["DistributedDataParallel"]

_DEFAULT_FIRST_BUCKET_BYTES = 1024 * 1024
_DEFAULT_BUCKET_CAP_MB = 25
_MB = 1024 * 1024


class DistributedDataParallel(Module):
    """Data-parallel training: each rank runs ``module`` on its own part of the batch, and
    backward averages the gradients over the ranks, so every replica takes the same step.

    At construction rank 0's parameters and buffers are copied to every rank. Gradients are
    averaged in buckets, started from gradient hooks while backward is still running
    (NOTE [ DDP's gradient buckets ] in ``_reducer.py``). Inside ``no_sync()`` backward only
    accumulates locally; the first backward after it averages the accumulated gradients.
    Buffers (e.g. BatchNorm's running statistics) are copied from rank 0 before each forward
    unless ``forward_sync_buffers=False`` (or the deprecated ``broadcast_buffers=False``).

    Args:
        module: the model to replicate; ``ddp.module`` is it, and ``state_dict`` keys get the
            prefix ``module.``.
        device_ids, output_device: for GPU modules in torch; must be None here (CPU).
        dim: accepted for torch's sake (inputs are not scattered on the CPU).
        broadcast_buffers: deprecated in torch 2.13 (a FutureWarning); False also skips the
            buffer copy at construction.
        init_sync: check that all ranks have the same parameter shapes and copy rank 0's
            state at construction.
        process_group: the group to average over (default: all ranks).
        bucket_cap_mb: bucket size in MiB (default 25, the first bucket 1).
        find_unused_parameters: let parameters that got no gradient count as zero.
        check_reduction, static_graph, batched_grad_copy: accepted, no effect.
        gradient_as_bucket_view: make ``.grad`` views of the buckets (saves a copy).
        bucket_cap_mb_list: the sizes of the first buckets in MiB (the last one repeats).
        forward_sync_buffers: copy rank 0's buffers before each forward (default True).

    >>> model = DistributedDataParallel(net)                     # doctest: +SKIP
    >>> loss_fn(model(x), y).backward()     # .grad is now the average over the ranks
    """

    def __init__(self, module: Module, device_ids: Any = None, output_device: Any = None,
                 dim: int = 0, broadcast_buffers: bool | None = None, init_sync: bool = True,
                 process_group: dist.ProcessGroup | None = None,
                 bucket_cap_mb: float | None = None, find_unused_parameters: bool = False,
                 check_reduction: bool = False, gradient_as_bucket_view: bool = False,
                 static_graph: bool = False, delay_all_reduce_named_params: Any = None,
                 param_to_hook_all_reduce: Any = None, mixed_precision: Any = None,
                 device_mesh: Any = None, skip_all_reduce_unused_params: bool = False,
                 bucket_cap_mb_list: list[int] | None = None, batched_grad_copy: bool = False,
                 forward_sync_buffers: bool | None = None) -> None:
        super().__init__()
        _check_unsupported(delay_all_reduce_named_params, param_to_hook_all_reduce,
                           mixed_precision, device_mesh, skip_all_reduce_unused_params)
        if device_ids or output_device is not None:
            raise ValueError(
                "DistributedDataParallel device_ids and output_device arguments only work with "
                "single-device/multiple-device GPU modules or CPU modules, but got device_ids "
                f"{device_ids}, output_device {output_device}, and module parameters "
                "{device(type='cpu')}.")
        named = [(n, p) for n, p in module.named_parameters() if p.requires_grad]
        if not named:
            raise RuntimeError("DistributedDataParallel is not needed when a module doesn't "
                               "have any parameter that requires a gradient.")
        self.process_group = process_group if process_group is not None else default_group()
        self.module = module
        self.dim = dim
        self.device_ids, self.output_device = None, None
        self.forward_sync_buffers, init_sync_buffers = _buffer_sync(broadcast_buffers,
                                                                    forward_sync_buffers)
        self.find_unused_parameters = find_unused_parameters
        self.gradient_as_bucket_view = gradient_as_bucket_view
        self.static_graph = static_graph
        self.require_backward_grad_sync = True
        self.require_forward_param_sync = True
        self.modules_buffers = [b for _, b in module.named_buffers()]
        if init_sync:
            self._verify_param_shapes(named)
            self._broadcast([p for _, p in module.named_parameters()])
            if init_sync_buffers:
                self._broadcast(self.modules_buffers)
        self.bucket_bytes_cap = int((bucket_cap_mb or _DEFAULT_BUCKET_CAP_MB) * _MB)
        if bucket_cap_mb_list:
            caps = [int(mb * _MB) for mb in bucket_cap_mb_list]
        elif bucket_cap_mb is None:
            caps = [_DEFAULT_FIRST_BUCKET_BYTES, self.bucket_bytes_cap]
        else:
            caps = [self.bucket_bytes_cap]
        self.reducer = Reducer([p for _, p in named], [n for n, _ in named],
                               self.process_group, caps, find_unused_parameters,
                               gradient_as_bucket_view)

    @property
    def broadcast_buffers(self) -> bool:
        return self.forward_sync_buffers

    def _verify_param_shapes(self, named: list) -> None:
        """All ranks must wrap the same model: compare the parameter shapes first."""
        mine = [(tuple(p.shape), str(p.dtype)) for _, p in named]
        pg = self.process_group
        everyone: list[Any] = [None] * pg.size()
        dist.all_gather_object(everyone, mine, group=pg)
        for rank, theirs in enumerate(everyone):
            if len(theirs) != len(mine):
                raise RuntimeError(
                    f"DDP expects same model across all ranks, but Rank {pg.rank()} has "
                    f"{len(mine)} params, while rank {rank} has inconsistent {len(theirs)} "
                    "params.")
            for (name, _), a, b in zip(named, mine, theirs):
                if a != b:
                    raise RuntimeError(
                        f"DDP expects same model across all ranks: parameter {name} has shape "
                        f"{list(a[0])} and dtype {a[1]} on rank {pg.rank()}, but shape "
                        f"{list(b[0])} and dtype {b[1]} on rank {rank}.")

    def _broadcast(self, tensors: list) -> None:
        """Copy group rank 0's values into ``tensors`` on every rank (started together)."""
        works = [dist.broadcast(t, group=self.process_group, async_op=True, group_src=0)
                 for t in tensors]
        for work in works:
            if work is not None:
                work.wait()

    def forward(self, *inputs: Any, **kwargs: Any) -> Any:
        self.reducer.check_finished()
        if self.require_forward_param_sync and self.forward_sync_buffers and \
                self.modules_buffers:
            self._broadcast(self.modules_buffers)
        output = self.module(*inputs, **kwargs)
        if is_grad_enabled() and self.require_backward_grad_sync:
            self.require_forward_param_sync = True
            self.reducer.arm()
        else:
            self.require_forward_param_sync = False
        return output

    @contextmanager
    def no_sync(self) -> Iterator[None]:
        """Backward passes of forwards run inside this context do not average gradients;
        they accumulate in ``.grad`` until a forward/backward outside it averages them all.

        >>> with ddp.no_sync():                                  # doctest: +SKIP
        ...     loss_fn(ddp(x1), y1).backward()    # local only
        >>> loss_fn(ddp(x2), y2).backward()        # averages the sum of both
        """
        old = self.require_backward_grad_sync
        self.require_backward_grad_sync = False
        try:
            yield
        finally:
            self.require_backward_grad_sync = old


def _buffer_sync(broadcast_buffers: bool | None,
                 forward_sync_buffers: bool | None) -> tuple[bool, bool]:
    """(sync before each forward, sync at construction), with torch 2.13's deprecation."""
    if broadcast_buffers is not None:
        if forward_sync_buffers is not None:
            warnings.warn("Both `broadcast_buffers` and `forward_sync_buffers` were specified. "
                          "`broadcast_buffers` is deprecated and its value is ignored when "
                          "`forward_sync_buffers` is provided.", FutureWarning, stacklevel=3)
        else:
            warnings.warn("`broadcast_buffers` is deprecated. Use `forward_sync_buffers` "
                          "instead. IMPORTANT: unlike `broadcast_buffers=False`, "
                          "`forward_sync_buffers=False` still syncs buffers at init. If you "
                          "rely on buffers NOT being synced at init (e.g. rank-local buffers), "
                          "keep using `broadcast_buffers=False` until `init_sync_buffers` is "
                          "available.", FutureWarning, stacklevel=3)
    if forward_sync_buffers is not None:
        return forward_sync_buffers, True
    effective = True if broadcast_buffers is None else broadcast_buffers
    return effective, effective


def _check_unsupported(delay: Any, hook_params: Any, mixed: Any, mesh: Any,
                       skip_unused: bool) -> None:
    given = [name for name, value in (("delay_all_reduce_named_params", delay),
                                      ("param_to_hook_all_reduce", hook_params),
                                      ("mixed_precision", mixed), ("device_mesh", mesh),
                                      ("skip_all_reduce_unused_params", skip_unused))
             if value]
    if given:
        raise NotImplementedError(f"DistributedDataParallel: {', '.join(given)} is not "
                                  "supported by numtorch")
