"""The PNG figure of a run: loss and accuracy per epoch, and test images with their predictions.

matplotlib is imported when a report is drawn, not with this module, and only its
object-oriented API is used (a ``Figure`` on the Agg canvas, no ``pyplot``), so drawing
needs no display and leaves pyplot's global backend alone.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from .._tensor import Tensor

__all__ = ["write_report"]

DPI = 80  # 800x720 pixels: readable, and small enough to commit
COLUMNS = 8


def write_report(path: str | os.PathLike, history: dict[str, list], images: Tensor,
                 predictions: Tensor, targets: Tensor, classes: Sequence[str],
                 title: str = "") -> None:
    """Draw the curves of ``history`` above a grid of ``images`` and save a PNG at ``path``.

    Args:
        path: the PNG to write; written atomically (a temporary file renamed over it).
        history: lists per key, as ``numtorch train`` keeps them: ``epoch``, ``train_loss``,
            ``test_loss``, ``train_accuracy``, ``test_accuracy`` (fractions).
        images: (N, 1, H, W) test images in [0, 1], N a multiple of 8 (16 to 32).
        predictions, targets: (N,) predicted and true classes.
        classes: the class names.
        title: the figure's title, before the final test accuracy.

    Raises:
        ImportError: matplotlib is not installed.
    """
    from matplotlib.figure import Figure  # lazily: only a finished epoch draws

    fig = Figure(figsize=(10, 9), dpi=DPI, layout="constrained")
    halves: Any = fig.subfigures(2, 1, height_ratios=[1, 1.25])  # an array of 2 SubFigures
    curves, grid = halves
    _draw_curves(curves, history)
    _draw_images(grid, images, predictions, targets, classes)
    if history["epoch"]:
        title += (f": test accuracy {100 * history['test_accuracy'][-1]:.2f}% after epoch "
                  f"{history['epoch'][-1]}")
    fig.suptitle(title, fontsize=13)
    tmp = f"{os.fspath(path)}.tmp"
    # format given: the temporary name has no .png ending to guess it from
    fig.savefig(tmp, format="png")
    os.replace(tmp, path)


def _draw_curves(subfig, history: dict[str, list]) -> None:
    """Loss and accuracy per epoch, train and test side by side."""
    from matplotlib.ticker import MaxNLocator

    loss_ax, acc_ax = subfig.subplots(1, 2)
    epochs = history["epoch"]
    loss_ax.plot(epochs, history["train_loss"], "o-", label="train")
    loss_ax.plot(epochs, history["test_loss"], "s--", label="test")
    loss_ax.set_ylabel("cross-entropy loss")
    acc_ax.plot(epochs, [100 * a for a in history["train_accuracy"]], "o-", label="train")
    acc_ax.plot(epochs, [100 * a for a in history["test_accuracy"]], "s--", label="test")
    acc_ax.set_ylabel("accuracy (%)")
    for ax in (loss_ax, acc_ax):
        ax.set_xlabel("epoch")
        if len(epochs) <= 12:  # a tick per epoch; MaxNLocator alone puts 0.95 .. 1.05 for one
            ax.set_xticks(epochs)
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.grid(alpha=0.3)
        ax.legend()


def _draw_images(subfig, images: Tensor, predictions: Tensor, targets: Tensor,
                 classes: Sequence[str]) -> None:
    """One panel per image, titled with the predicted class; wrong ones in red, with the truth."""
    pixels = images.detach().numpy()
    predicted, true = predictions.tolist(), targets.tolist()
    rows = max(1, -(-len(true) // COLUMNS))
    axes = subfig.subplots(rows, COLUMNS, squeeze=False)
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= len(true):
            ax.set_axis_off()
            continue
        ax.imshow(pixels[i].reshape(pixels.shape[-2:]), cmap="gray", vmin=0.0, vmax=1.0)
        wrong = predicted[i] != true[i]
        label = classes[predicted[i]] + (f"\n(true: {classes[true[i]]})" if wrong else "\n")
        ax.set_title(label, fontsize=8, color="red" if wrong else "black")
        if wrong:
            for spine in ax.spines.values():
                spine.set_edgecolor("red")
                spine.set_linewidth(2.5)
    wrong_count = sum(p != t for p, t in zip(predicted, true))
    subfig.suptitle(f"the first {len(true)} test images, titled with the predicted class; "
                    f"{wrong_count} wrong, in red with the true class")
