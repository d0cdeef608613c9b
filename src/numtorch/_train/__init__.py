"""``numtorch train``: fit seed 001's MLP or a small CNN on FashionMNIST or MNIST.

A private package (``numtorch._train``), so that ``torch.train`` does not appear under
``numtorch run``'s alias. ``cli`` parses the subcommand with the standard library only;
``loop`` (epochs, checkpoints, resuming), ``models``, ``data`` and ``report`` load when a
run starts.
"""

from __future__ import annotations

__all__ = ["TrainError"]


class TrainError(Exception):
    """A problem to report in one line, without a traceback: missing data, a bad checkpoint,
    settings that contradict the run being resumed."""
