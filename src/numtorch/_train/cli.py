"""Arguments of ``numtorch train`` and how they combine with a checkpoint being resumed.

Imports only the standard library, like the ``numtorch`` command itself; the training code
loads when the subcommand runs.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from . import TrainError

__all__ = ["DEFAULTS", "DEFAULT_LR", "add_train_parser", "resolve", "run_train"]

# Seed 001 (PyTorch's quickstart) trains with SGD at lr=1e-3, which is still near 65% test
# accuracy after 5 epochs. Adam at 1e-3 reaches the targets (85% MLP, 90% CNN on
# FashionMNIST) in 5 epochs; plain SGD needs about 0.1 to come close.
DEFAULT_LR = {"adam": 1e-3, "sgd": 0.1}
DEFAULTS: dict[str, Any] = {"model": "mlp", "epochs": 5, "batch_size": 64, "optimizer": "adam",
                            "seed": 0, "schedule": "cosine"}
# What a run is: resuming with other values would train a different model
_FIXED = ("dataset", "model", "optimizer", "lr", "batch_size", "seed", "schedule")

_DESCRIPTION = """\
Train seed 001's MLP (PyTorch's quickstart model: Flatten, Linear(784, 512), ReLU,
Linear(512, 512), ReLU, Linear(512, 10)) or a small CNN on FashionMNIST or MNIST, on the
CPU with numtorch. Each epoch shows a progress bar (tqdm, if installed) and prints a line
with the train loss and test accuracy; OUT/checkpoint.pt (model and optimizer state_dicts,
epoch, history, args; torch's format, torch.load reads it) and OUT/report.png (curves and
test images with predictions) are rewritten after every epoch. Ctrl-C stops and keeps the
last complete checkpoint; --resume continues from it.

The data is read from torchvision's layout under --data (DIR/FashionMNIST/raw/*-ubyte[.gz])
and then from the system copy (/usr/share/datasets/fashion-mnist, from Debian's
dataset-fashion-mnist package); --download fetches it into --data otherwise.

Defaults: Adam with lr 1e-3 decayed along a cosine over the epochs, batch size 64,
5 epochs: about 89% test accuracy for the MLP and 90.5% for the CNN on FashionMNIST.
Seed 001 uses SGD with a constant lr=1e-3, which is too slow (64% after 5 epochs);
--optimizer sgd defaults to lr 0.1."""


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def add_train_parser(commands: Any) -> argparse.ArgumentParser:
    """Add the ``train`` subparser to ``commands`` (the ``numtorch`` command's subparsers)."""
    p = commands.add_parser("train", help="train an MLP or a CNN on FashionMNIST or MNIST",
                            description=_DESCRIPTION,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    # None for "not given": on --resume the checkpoint's value applies instead of a default
    p.add_argument("dataset", choices=["fashion-mnist", "mnist"])
    p.add_argument("--model", choices=["mlp", "cnn"],
                   help="mlp: seed 001's 784-512-512-10 perceptron (default); cnn: two 3x3 "
                        "conv layers (16, 32 channels) with batch norm and max pooling, "
                        "then 1568-128-10")
    p.add_argument("--epochs", type=_positive_int, metavar="N",
                   help="train until epoch N, counting resumed ones (default 5)")
    p.add_argument("--batch-size", type=_positive_int, metavar="N",
                   help="training minibatch size (default 64)")
    p.add_argument("--lr", type=_positive_float,
                   help="learning rate (default 1e-3 for adam, 0.1 for sgd; seed 001's "
                        "SGD lr=1e-3 is too slow to reach 85%% in 5 epochs)")
    p.add_argument("--optimizer", choices=["adam", "sgd"], help="default adam")
    p.add_argument("--schedule", choices=["cosine", "constant"],
                   help="learning rate per epoch: cosine decay from --lr towards 0 over "
                        "--epochs (default), or constant as in seed 001")
    p.add_argument("--seed", type=int,
                   help="seeds the initial weights and the shuffling (default 0)")
    p.add_argument("--out", metavar="DIR",
                   help="where checkpoint.pt and report.png go (default runs/DATASET-MODEL)")
    p.add_argument("--data", metavar="DIR", default="data",
                   help="dataset root in torchvision's layout (default ./data, then the "
                        "system copy)")
    p.add_argument("--download", action="store_true",
                   help="download the dataset into --data if no copy is found")
    p.add_argument("--resume", action="store_true",
                   help="continue from OUT/checkpoint.pt with the settings saved in it")
    p.add_argument("--num-workers", type=int, default=0, metavar="N",
                   help="DataLoader worker processes (default 0: batches are slices of the "
                        "preloaded images, so workers only add copying)")
    p.add_argument("--threads", type=int, default=1, metavar="N",
                   help="BLAS threads (default 1: numtorch's matmuls are small, and threads "
                        "waiting for a busy core cost more than they gain; 0 leaves "
                        "OpenBLAS's own choice)")
    p.set_defaults(handler=run_train)
    return p


def resolve(opts: argparse.Namespace,
            saved: dict[str, Any] | None = None) -> dict[str, Any]:
    """The run's settings: given options, else the resumed checkpoint's ``args``, else defaults.

    Raises:
        TrainError: an option contradicts the checkpoint being resumed.
    """
    given = {key: getattr(opts, key) for key in (*DEFAULTS, "dataset", "lr")}
    settings = dict(DEFAULTS, **(saved or {}))
    for key, value in given.items():
        if value is None:
            continue
        if saved is not None and key in _FIXED and key in saved and saved[key] != value:
            flag = "the dataset" if key == "dataset" else f"--{key.replace('_', '-')}"
            raise TrainError(f"cannot resume with {flag} {value}: the checkpoint was trained "
                             f"with {saved[key]}; drop the option, or use another --out")
        settings[key] = value
    if settings.get("lr") is None:
        settings["lr"] = DEFAULT_LR[settings["optimizer"]]
    settings["out"] = opts.out or f"runs/{settings['dataset']}-{settings['model']}"
    settings.update(data=opts.data, num_workers=opts.num_workers, download=opts.download,
                    threads=opts.threads)
    return settings


def run_train(opts: argparse.Namespace) -> int:
    """Run ``numtorch train``; returns the exit status (1 for a reported error, 130 on Ctrl-C)."""
    from .._malloc import keep_freed_memory

    keep_freed_memory()  # the process is ours: NOTE [ Keeping freed memory ] in numtorch._malloc
    try:
        from . import loop  # numtorch's tensors, nn and optim load here, not at parse time

        checkpoint, saved = None, None
        if opts.resume:
            out = opts.out or f"runs/{opts.dataset}-{opts.model or DEFAULTS['model']}"
            checkpoint = _read_checkpoint(loop, out)
            saved = dict(checkpoint.get("args", {}))
        config = loop.Config(**{key: value for key, value in resolve(opts, saved).items()
                                if key in loop.Config.__dataclass_fields__})
        return loop.fit(config, checkpoint)
    except TrainError as error:
        print(f"numtorch train: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:  # before the first epoch started: nothing to keep
        print("\nnumtorch train: interrupted", file=sys.stderr)
        return 130


def _read_checkpoint(loop: Any, out: str) -> dict[str, Any]:
    path = os.path.join(out, loop.CHECKPOINT)
    if not os.path.isfile(path):
        raise TrainError(f"--resume: no checkpoint at {path} (give the run's --out, or start "
                         "without --resume)")
    checkpoint: dict[str, Any] = loop.read_checkpoint(out)
    missing = {"epoch", "model_state_dict", "optimizer_state_dict", "history"} - set(checkpoint)
    if missing:
        raise TrainError(f"{path} is not a numtorch train checkpoint (no "
                         f"{', '.join(sorted(missing))})")
    return checkpoint
