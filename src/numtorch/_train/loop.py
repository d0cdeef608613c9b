"""Training and test epochs, checkpoints and resuming: the body of ``numtorch train``."""

from __future__ import annotations

import contextlib
import dataclasses
import math
import os
import sys
import time
from collections.abc import Iterable
from typing import Any, Protocol, TextIO

from .. import nn, optim
from .._composites.shape import cat
from .._creation import tensor
from .._dtype import int64
from .._random import Generator, manual_seed
from .._tensor import Tensor
from ..autograd.grad_mode import no_grad
from ..serialization import load, save
from .data import ImageSplit, load_split, make_loader
from .models import build_model

__all__ = ["CHECKPOINT", "REPORT", "Config", "evaluate", "fit", "read_checkpoint",
           "train_epoch"]

CHECKPOINT = "checkpoint.pt"
REPORT = "report.png"
# Larger than training batches: testing keeps no graph, and big matmuls amortise the per-op cost
TEST_BATCH_SIZE = 1000


@dataclasses.dataclass
class Config:
    """The settings of one run (the defaults are the command line's, ``cli.DEFAULTS``); saved
    in the checkpoint as ``args``."""

    dataset: str
    model: str
    epochs: int
    batch_size: int
    lr: float
    optimizer: str
    seed: int
    out: str
    schedule: str = "cosine"
    data: str = "data"
    num_workers: int = 0
    download: bool = False
    threads: int = 1


class Bar(Protocol):
    """What the loop uses of a tqdm progress bar."""

    def update(self, n: float = 1) -> Any: ...
    def set_postfix_str(self, s: str = "", refresh: bool = True) -> Any: ...
    def close(self) -> Any: ...


class TextBar:
    """Progress as plain lines, for when tqdm is not installed: one every tenth of the epoch."""

    def __init__(self, total: int, desc: str, file: TextIO) -> None:
        self.total, self.desc, self.file = total, desc, file
        self.n, self.postfix, self.next_print = 0, "", total / 10
        self.start = time.perf_counter()

    def update(self, n: float = 1) -> None:
        self.n += int(n)
        if self.n >= self.next_print:
            self.next_print += self.total / 10
            rate = self.n / max(time.perf_counter() - self.start, 1e-9)
            print(f"{self.desc}  {self.n}/{self.total}  {self.postfix}  {rate:.0f} samples/s",
                  file=self.file, flush=True)

    def set_postfix_str(self, s: str = "", refresh: bool = True) -> None:
        self.postfix = s

    def close(self) -> None:
        pass


def progress_bar(total: int, desc: str, file: TextIO) -> Bar:
    """A tqdm bar counting samples, or a :class:`TextBar` without tqdm (an optional extra)."""
    try:
        from tqdm import tqdm  # lazily: only training draws bars
    except ImportError:
        return TextBar(total, desc, file)
    # leave=False: the epoch's summary line replaces the bar
    bar: Bar = tqdm(total=total, desc=desc, unit=" samples", leave=False, file=file,
                    dynamic_ncols=True, mininterval=0.5)
    return bar


def train_epoch(model: nn.Module, batches: Iterable[tuple[Tensor, Tensor]], loss_fn: nn.Module,
                optimizer: optim.Optimizer, bar: Bar) -> tuple[float, float]:
    """One pass of minibatch training; returns the mean loss and the accuracy over the pass."""
    model.train()
    total_loss, correct, seen = 0.0, 0, 0
    for images, targets in batches:
        logits = model(images)
        loss = loss_fn(logits, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        n = len(targets)
        # the weights move within the epoch, so this is the mean of losses on the way
        total_loss += loss.item() * n
        correct += int((logits.argmax(1) == targets).sum())
        seen += n
        bar.update(n)
        bar.set_postfix_str(f"loss {total_loss / seen:.4f}", refresh=False)
    return total_loss / max(seen, 1), correct / max(seen, 1)


def evaluate(model: nn.Module, batches: Iterable[tuple[Tensor, Tensor]],
             loss_fn: nn.Module) -> tuple[float, float, Tensor]:
    """Mean loss, accuracy and every predicted class over ``batches``, without gradients."""
    model.eval()
    total_loss, correct, seen, predictions = 0.0, 0, 0, []
    with no_grad():
        for images, targets in batches:
            logits = model(images)
            total_loss += loss_fn(logits, targets).item() * len(targets)
            predicted = logits.argmax(1)
            correct += int((predicted == targets).sum())
            seen += len(targets)
            predictions.append(predicted)
    every = cat(predictions) if predictions else tensor([], dtype=int64)
    return total_loss / max(seen, 1), correct / max(seen, 1), every


def read_checkpoint(out: str) -> dict[str, Any]:
    """The checkpoint in run folder ``out`` (weights-only load, as it is only tensors and data).

    Raises:
        FileNotFoundError: there is none.
    """
    return dict(load(os.path.join(out, CHECKPOINT)))


def _optimizer(config: Config, model: nn.Module) -> optim.Optimizer:
    if config.optimizer == "adam":
        return optim.Adam(model.parameters(), lr=config.lr)
    if config.optimizer == "sgd":
        return optim.SGD(model.parameters(), lr=config.lr)
    raise ValueError(f"unknown optimizer {config.optimizer!r}; choose adam or sgd")


def epoch_lr(config: Config, epoch: int) -> float:
    """The learning rate of epoch ``epoch`` (from 1): constant, or a cosine from ``lr`` at
    epoch 1 down towards 0 at epoch ``epochs`` (PyTorch's CosineAnnealingLR stepped per epoch).

    A function of the epoch and not a scheduler's state: a resumed run gets the same rates
    as an uninterrupted one, and a run extended with a larger ``--epochs`` stretches the curve.
    On FashionMNIST the decay is worth about 2 points of test accuracy for the MLP at epoch 5
    (87% to 89%), and half a point for the CNN.
    """
    if config.schedule == "constant":
        return config.lr
    return config.lr * (1 + math.cos(math.pi * (epoch - 1) / config.epochs)) / 2


def _new_history() -> dict[str, list]:
    return {key: [] for key in ("epoch", "lr", "train_loss", "train_accuracy", "test_loss",
                                "test_accuracy", "seconds")}


def _write_report(path: str, config: Config, history: dict[str, list], test: ImageSplit,
                  predictions: Tensor, err: TextIO) -> bool:
    """Draw the report; without matplotlib say so once and go on training."""
    try:
        from .report import write_report  # imports matplotlib when it is called
        write_report(path, history, test.images[:24], predictions[:24], test.targets[:24],
                     test.classes, title=f"{config.dataset}, {config.model}")
    except ImportError as error:
        print(f"numtorch train: no report ({error}); pip install 'numtorch[train]'", file=err)
        return False
    return True


def blas_threads(n: int, err: TextIO) -> contextlib.AbstractContextManager:
    """Limit NumPy's BLAS to ``n`` threads (0: leave its own choice) while in the context.

    NOTE [ One BLAS thread ]: numtorch runs one matmul per op, on batch-sized matrices
    (64 x 784 @ 784 x 512 for the MLP, one small product per sample in a convolution). On
    such sizes a second OpenBLAS thread gains little when a core is free, and when the cores
    are shared with other work its threads spin waiting for each other: measured on two busy
    cores, an MLP epoch took 77 s with OpenBLAS's default and 7.6 s with one thread.
    """
    if n == 0:
        return contextlib.nullcontext()
    try:
        from threadpoolctl import threadpool_limits  # lazily: an optional extra
    except ImportError:
        print("numtorch train: --threads needs threadpoolctl (pip install 'numtorch[train]'); "
              "leaving BLAS's thread count as it is", file=err)
        return contextlib.nullcontext()
    limits: contextlib.AbstractContextManager = threadpool_limits(limits=n, user_api="blas")
    return limits


def fit(config: Config, checkpoint: dict[str, Any] | None = None, out: TextIO | None = None,
        err: TextIO | None = None) -> int:
    """Train ``config.model`` on ``config.dataset`` up to ``config.epochs`` epochs.

    After every epoch it prints a summary line, writes ``checkpoint.pt`` (model and optimizer
    state_dicts, epoch, history, args; atomically) and redraws ``report.png`` in
    ``config.out``. With ``checkpoint`` it continues after the checkpoint's epoch.

    Returns:
        the exit status: 0, or 130 after Ctrl-C (the last complete checkpoint is kept).
    """
    out, err = out or sys.stdout, err or sys.stderr
    with blas_threads(config.threads, err):
        return _fit(config, checkpoint, out, err)


def _fit(config: Config, checkpoint: dict[str, Any] | None, out: TextIO, err: TextIO) -> int:
    if checkpoint is not None and checkpoint["epoch"] >= config.epochs:
        print(f"nothing to do: {os.path.join(config.out, CHECKPOINT)} already holds epoch "
              f"{checkpoint['epoch']} of {config.epochs} (ask for more with --epochs)", file=out)
        return 0
    train, test = (load_split(config.dataset, config.data, split, config.download)
                   for split in (True, False))
    manual_seed(config.seed)  # the model's initial weights
    model = build_model(config.model)
    optimizer = _optimizer(config, model)
    history, done = _new_history(), 0
    if checkpoint is not None:
        model.load_state_dict(checkpoint["model_state_dict"])
        optimizer.load_state_dict(checkpoint["optimizer_state_dict"])
        # keys missing from the saved history start empty rather than failing the resume
        history, done = {**history, **checkpoint["history"]}, int(checkpoint["epoch"])
    _print_header(config, model, train, test, done, out)
    generator = Generator()
    train_batches = make_loader(train, config.batch_size, generator, config.num_workers)
    test_batches = make_loader(test, TEST_BATCH_SIZE, None, config.num_workers)
    loss_fn = nn.CrossEntropyLoss()
    os.makedirs(config.out, exist_ok=True)
    path, report = os.path.join(config.out, CHECKPOINT), os.path.join(config.out, REPORT)
    epoch, drew = done, True
    try:
        for epoch in range(done + 1, config.epochs + 1):
            start = time.perf_counter()
            # Seeded per epoch, not once: a resumed run then shuffles epoch k as an
            # uninterrupted one would, without saving the generator's state.
            generator.manual_seed(config.seed + epoch)
            lr = epoch_lr(config, epoch)
            for group in optimizer.param_groups:
                group["lr"] = lr
            bar = progress_bar(len(train), f"epoch {epoch}/{config.epochs}", err)
            try:
                train_loss, train_acc = train_epoch(model, train_batches, loss_fn, optimizer,
                                                    bar)
            finally:
                bar.close()
            test_loss, test_acc, predictions = evaluate(model, test_batches, loss_fn)
            seconds = time.perf_counter() - start
            for key, value in (("epoch", epoch), ("lr", lr), ("train_loss", train_loss),
                               ("train_accuracy", train_acc), ("test_loss", test_loss),
                               ("test_accuracy", test_acc), ("seconds", seconds)):
                history[key].append(value)
            save({"epoch": epoch, "model_state_dict": model.state_dict(),
                  "optimizer_state_dict": optimizer.state_dict(), "history": history,
                  "args": dataclasses.asdict(config)}, path)
            done = epoch
            print(f"epoch {epoch}/{config.epochs}  train loss {train_loss:.4f}  "
                  f"test accuracy {100 * test_acc:.2f}%  ({seconds:.1f} s)", file=out, flush=True)
            drew = drew and _write_report(report, config, history, test, predictions, err)
    except KeyboardInterrupt:
        kept = f"{path} holds epoch {done}" if done else "no checkpoint was written"
        print(f"\nnumtorch train: interrupted in epoch {epoch}; {kept}"
              + (" (continue with --resume)" if done else ""), file=err, flush=True)
        return 130
    _print_footer(history, done, path, report if drew else None, out)
    return 0


def _print_header(config: Config, model: nn.Module, train: ImageSplit, test: ImageSplit,
                  done: int, out: TextIO) -> None:
    n_params = sum(p.numel() for p in model.parameters())
    print(f"{config.dataset}: {len(train)} training and {len(test)} test images from "
          f"{train.folder}", file=out)
    schedule = f"{config.schedule} schedule" if config.schedule == "constant" else \
        f"cosine to 0 over {config.epochs} epochs"
    print(f"model {config.model} ({type(model).__name__}, {n_params:,} parameters), "
          f"{config.optimizer} lr={config.lr:g} ({schedule}), batch size {config.batch_size}, "
          f"seed {config.seed}", file=out)
    if done:
        print(f"resuming from {os.path.join(config.out, CHECKPOINT)} after epoch {done}",
              file=out)
    print(f"writing {CHECKPOINT} and {REPORT} to {config.out}/ after every epoch", file=out,
          flush=True)


def _print_footer(history: dict[str, list], done: int, path: str, report: str | None,
                  out: TextIO) -> None:
    best = max(history["test_accuracy"])
    print(f"done: test accuracy {100 * history['test_accuracy'][-1]:.2f}% after epoch {done} "
          f"(best {100 * best:.2f}%); checkpoint {path}"
          + (f", report {report}" if report else ""), file=out)
